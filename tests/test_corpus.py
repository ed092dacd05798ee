"""Corpus runs over an index: find, families, date window, same source, query; the CLI around them."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from textreuse.compare import CompareOptions
from textreuse.corpus.candidates import candidate_pairs
from textreuse.corpus.families import build_families
from textreuse.corpus.find import find_pairs
from textreuse.corpus.options import FindOptions, parse_window
from textreuse.corpus.query import Query
from textreuse.corpus.record import PairRecord
from textreuse.errors import OptionError, TextReuseError
from textreuse.index.store import Store
from textreuse.io.ingest import iter_documents
from textreuse.types import Document

from .conftest import REPO, WIRE, chronam_pages

DEMO = REPO / "demo" / "corpus.jsonl"
TRUTH = [json.loads(line) for line in (REPO / "demo" / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
LEXICAL = CompareOptions(mode="lexical")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "textreuse", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("index") / "demo.db"
    with Store(db) as store:
        store.add(iter_documents(DEMO))
    return db


def _pairs(records: list[PairRecord]) -> set[frozenset[str]]:
    return {frozenset((r.a, r.b)) for r in records}


def test_find_over_the_index_finds_the_planted_reuse(demo_db: Path) -> None:
    with Store(demo_db, readonly=True) as store:
        records = list(find_pairs(store, LEXICAL))
    found = _pairs(records)
    planted = {frozenset((t["a"], t["b"])) for t in TRUTH if t["relation"] != "paraphrased"}
    assert planted <= found
    # The same-topic controls and the distractors share no text with anything.
    docs = {d.id: d for d in iter_documents(DEMO)}
    involved = {i for pair in found for i in pair}
    controls = [i for i in docs if i not in {x for t in TRUTH for x in (t["a"], t["b"])}]
    assert controls and not (involved & set(controls))
    for r in records:
        for p in r.passages:
            assert 0 <= p.a_start < p.a_end <= len(docs[r.a].text)
            assert 0 <= p.b_start < p.b_end <= len(docs[r.b].text)


def test_families_group_each_story_with_its_copies_and_date_the_source(demo_db: Path) -> None:
    with Store(demo_db, readonly=True) as store:
        records = list(find_pairs(store, LEXICAL))
        info = {d.id: {"date": d.date} for d in store.info()}
    families = build_families(records, info)
    determined = 0
    for t in TRUTH:
        if t["relation"] == "paraphrased":
            continue
        fam = next(f for f in families if t["a"] in f["members"] and t["b"] in f["members"])
        # The wire story is the likely source, or the family says it cannot tell
        # (a reprint published the same day that adds text to the wire story).
        assert fam["source"] in (t["a"], None), fam
        determined += fam["source"] == t["a"]
    assert determined >= 0.8 * sum(t["relation"] != "paraphrased" for t in TRUTH)
    docs = {d.id: d for d in iter_documents(DEMO)}
    for fam in families:
        assert len(set(fam["members"])) == len(fam["members"]) >= 2
        assert {p["id"] for p in fam["passages"]} == set(fam["members"])
        for p in fam["passages"]:
            assert 0 <= p["start"] < p["end"] <= len(docs[p["id"]].text)
    # The stretches of one document in different families do not overlap: each is one piece of text.
    stretches: dict[str, list[tuple[int, int]]] = {}
    for fam in families:
        for p in fam["passages"]:
            stretches.setdefault(p["id"], []).append((p["start"], p["end"]))
    for spans in stretches.values():
        spans.sort()
        assert all(e <= s for (_, e), (s, _) in zip(spans, spans[1:]))


def test_date_window_and_same_source_filters(demo_db: Path) -> None:
    with Store(demo_db, readonly=True) as store:
        info = {d.doc: d for d in store.info()}
        everything = candidate_pairs(store, FindOptions())
        narrow = candidate_pairs(store, FindOptions(window_days=1))

    def days(row) -> int:
        a, b = info[int(row[0])], info[int(row[1])]
        return abs(date.fromisoformat(a.date).toordinal() - date.fromisoformat(b.date).toordinal())

    assert len(narrow) < len(everything)
    assert all(days(r) <= 1 for r in narrow)
    assert {tuple(r) for r in everything if days(r) <= 1} == {tuple(r) for r in narrow}


def test_skip_same_source(tmp_path: Path) -> None:
    with Store(tmp_path / "reuse.db") as store:
        store.add(
            [
                Document("wire", WIRE, {"source": "Coastal Wire", "date": "2024-03-05"}),
                Document("wire-late", "UPDATE\n\n" + WIRE, {"source": "Coastal Wire", "date": "2024-03-05"}),
                Document("gazette", "The Gazette\n\n" + WIRE, {"series": "Gazette", "date": "2024-03-06"}),
            ]
        )
        names = {d.doc: d.id for d in store.info()}
        every = {frozenset((names[int(i)], names[int(j)])) for i, j, _ in candidate_pairs(store, FindOptions())}
        other = {
            frozenset((names[int(i)], names[int(j)]))
            for i, j, _ in candidate_pairs(store, FindOptions(skip_same_source=True))
        }
    assert every == {frozenset(p) for p in [("wire", "wire-late"), ("wire", "gazette"), ("wire-late", "gazette")]}
    assert other == every - {frozenset(("wire", "wire-late"))}


def test_parse_window() -> None:
    assert parse_window("30d") == 30 and parse_window("2w") == 14 and parse_window("1y") == 365
    with pytest.raises(TextReuseError, match="bad window"):
        parse_window("soon")


def test_query_finds_where_a_new_text_appears(demo_db: Path) -> None:
    wire = next(d for d in iter_documents(DEMO) if d.id == TRUTH[0]["a"])
    paragraphs = wire.text.split("\n\n")
    new = Document("new-article", "The Weekly Sentinel\n\n" + "\n\n".join(paragraphs[2:6]) + "\n\nMore news inside.")
    q = Query(demo_db, LEXICAL)
    try:
        results = q.ask(new)
        ids = [r.b.id for r in results]
        # The wire story and its verbatim reprints hold these paragraphs; the top match holds all of them.
        assert wire.id in ids
        assert results[0].coverage_a > 0.8
        assert all(r.a.id == "new-article" for r in results)
        top = results[0]
        for p in top.passages:
            assert new.text[p.a_start : p.a_end].split()[:3] == top.b.text[p.b_start : p.b_end].split()[:3]
        # An unrelated text finds nothing; an indexed document does not find itself.
        assert q.ask(Document("x", WIRE)) == [] or all(r.b.id != "x" for r in q.ask(Document("x", WIRE)))
        assert all(r.b.id != wire.id for r in q.ask(wire))
    finally:
        q.close()


def test_cli_index_find_stats_query(tmp_path: Path) -> None:
    db = tmp_path / "reuse.db"
    proc = run("index", "add", str(DEMO), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert "50 added" in proc.stdout
    again = run("index", "add", str(DEMO), "--db", str(db))
    assert "0 added, 0 replaced, 50 unchanged" in again.stdout
    stats = run("stats", "--db", str(db), "--format", "json")
    assert json.loads(stats.stdout)["documents"] == 50
    out = tmp_path / "out"
    proc = run("find", "--db", str(db), "--out", str(out), "--mode", "lexical", "--window", "30d")
    assert proc.returncode == 0, proc.stderr
    pairs = [json.loads(line) for line in (out / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    families = [json.loads(line) for line in (out / "families.jsonl").read_text(encoding="utf-8").splitlines()]
    assert pairs and families
    assert set(pairs[0]) == {"a", "b", "relation", "confidence", "coverage", "passages", "excluded_share"}
    assert {"members", "source", "evidence", "passages"} <= set(families[0])
    csv_out = tmp_path / "csv"
    proc = run("find", "--db", str(db), "--out", str(csv_out), "--mode", "lexical", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert (csv_out / "pairs.csv").read_text().startswith("a,b,relation,confidence,coverage_a")
    wire = next(d for d in iter_documents(DEMO) if d.id == TRUTH[0]["a"])
    new = tmp_path / "new.txt"
    new.write_text("\n\n".join(wire.text.split("\n\n")[1:5]), encoding="utf-8")
    proc = run("query", str(new), "--db", str(db), "--mode", "lexical", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["query"] == "new.txt"
    assert wire.id in [m["id"] for m in answer["matches"]]


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("not a database\n" * 200)
    for args in (
        ("stats", "--db", str(tmp_path / "missing.db")),
        ("find", "--db", str(notes), "--out", str(tmp_path / "o")),
        ("query", str(notes), "--db", str(tmp_path / "missing.db")),
        ("find", "--out", str(tmp_path / "o")),
    ):
        proc = run(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr


@pytest.mark.slow
def test_ctrl_c_during_index_add_then_rerun_indexes_everything_once(tmp_path: Path) -> None:
    rows = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines()]
    big = tmp_path / "big.jsonl"
    with big.open("w", encoding="utf-8") as fh:
        for k in range(24):
            for r in rows:
                fh.write(json.dumps({**r, "id": f"{r['id']}-{k}", "text": r["text"] + f"\n\nEdition {k}."}) + "\n")
    total = 24 * len(rows)
    db = tmp_path / "big.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "textreuse", "index", "add", str(big), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 120
    count = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if db.exists():
            try:
                count = sqlite3.connect(db, timeout=1).execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if count:
                break
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    interrupted = sqlite3.connect(db).execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    if proc.returncode == 130:
        assert "interrupted" in err and "Traceback" not in err
        assert interrupted < total
    rerun = run("index", "add", str(big), "--db", str(db))
    assert rerun.returncode == 0, rerun.stderr
    assert f"{total - interrupted} added" in rerun.stdout
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM documents").fetchone() == (total, total)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_find_writes_parquet(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "out"
    proc = run("find", str(DEMO), "--out", str(out), "--mode", "lexical", "--format", "parquet")
    assert proc.returncode == 0, proc.stderr
    table = pq.read_table(out / "pairs.parquet").to_pylist()
    docs = {d.id: d for d in iter_documents(DEMO)}
    assert table and {"a", "b", "relation", "a_start", "a_end", "b_start", "b_end", "kind", "score"} <= set(table[0])
    for row in table:
        assert 0 <= row["a_start"] < row["a_end"] <= len(docs[row["a"]].text)
    planted = {frozenset((t["a"], t["b"])) for t in TRUTH if t["relation"] != "paraphrased"}
    assert planted <= {frozenset((r["a"], r["b"])) for r in table}


def _earnings(company: str, shr: str, net: str, rev: str, shr0: str, net0: str, rev0: str) -> str:
    # The form of a wire earnings table: the same words in the same order, other figures.
    return (
        f"{company} 4th qtr net\n\n"
        f"Shr {shr} cts vs {shr0} cts\n    Net {net} mln vs {net0} mln\n    Revs {rev} mln vs {rev0} mln\n"
        f"    Year\n    Shr {int(shr) * 3} cts vs {int(shr0) * 3} cts\n    Net {net}0 mln vs {net0}0 mln\n"
        f"    Revs {rev}0 mln vs {rev0}0 mln\n    Note: {company} results include a one-time gain from a sale.\n"
    )


def test_stories_written_to_one_template_are_not_copies(tmp_path: Path) -> None:
    a = _earnings("Harlow Mills Inc", "45", "12.5", "310", "43", "9.4", "298") + "\n" + WIRE
    b = _earnings("Kestrel Shipping Corp", "77", "56.5", "940", "50", "40.3", "871")
    edited = a.replace("burst water main", "broken main").replace("city officials said", "officials said")
    with Store(tmp_path / "reuse.db") as store:
        store.add([Document("harlow", a), Document("kestrel", b), Document("harlow-reprint", "BUSINESS\n\n" + edited)])
        found = _pairs(list(find_pairs(store, LEXICAL)))
        unverified = _pairs(list(find_pairs(store, LEXICAL, FindOptions(min_gram_share=0, short_edited_chars=0))))
    # Word by word the tables match: the lexical aligner alone pairs them; verification does not.
    assert frozenset(("harlow", "kestrel")) in unverified
    assert frozenset(("harlow", "harlow-reprint")) in found
    assert frozenset(("harlow", "kestrel")) not in found
    assert frozenset(("kestrel", "harlow-reprint")) not in found


def test_full_mode_finds_spun_copies_through_names_and_meaning(tmp_path: Path) -> None:
    """A round-trip translation keeps few 3-grams; full mode finds it through shared names and numbers."""
    spun_dir = REPO / "tests" / "data" / "spun"
    stories = sorted(p for p in spun_dir.glob("wire-*.txt") if not p.name.endswith(".spun.txt"))[:4]
    db = tmp_path / "reuse.db"
    with Store(db) as store:
        store.add(
            [Document(p.stem, p.read_text(encoding="utf-8")) for p in stories]
            + [d for d in iter_documents(DEMO) if not d.id.startswith("wire-")]
        )
    full = Query(db, CompareOptions(mode="full"))
    try:
        for p in stories:
            spun = Document("spun", (spun_dir / f"{p.stem}.spun.txt").read_text(encoding="utf-8"))
            results = {r.b.id: r for r in full.ask(spun)}
            # The original (and the demo's reprints of it, which carry the same story).
            original = results[p.stem]
            assert original.relation.label == "paraphrased copy"
            assert original.coverage_a > 0.8 and original.coverage_b > 0.8
            assert {q.kind for q in original.passages} & {"paraphrased", "edited"}
    finally:
        full.close()


def test_full_mode_keeps_embeddings_beside_the_index(tmp_path: Path) -> None:
    db = tmp_path / "reuse.db"
    spun = REPO / "tests" / "data" / "spun" / "wire-2024-03-05-harbourton-water-main.spun.txt"
    assert run("index", "add", str(DEMO), "--db", str(db)).returncode == 0
    env_free = {k: v for k, v in os.environ.items() if k != "TEXTREUSE_EMBED_CACHE"}
    proc = subprocess.run(
        [sys.executable, "-m", "textreuse", "query", str(spun), "--db", str(db), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env_free,
    )
    assert proc.returncode == 0, proc.stderr
    assert "wire-2024-03-05-harbourton-water-main" in [m["id"] for m in json.loads(proc.stdout)["matches"]]
    cache = tmp_path / "reuse.db.embeddings" / "minilm-onnx.sqlite"
    assert cache.exists()
    rows = sqlite3.connect(cache).execute("SELECT COUNT(*) FROM rows").fetchone()[0]
    assert rows >= 10  # the query's sentences (the indexed documents' rows are kept in the index itself)


_FEDERATION = "the International Federation of Rail, Road and Maritime Transport Workers (IFRRMTW) in"
_FILING = (
    "said it filed a registration statement with the Securities and Exchange Commission covering "
    "a proposed offering of {amount} mln dlrs of convertible subordinated debentures due {year}."
)


def test_shared_names_and_template_sentences_with_other_figures_are_not_copies(tmp_path: Path) -> None:
    """Two stories sharing a long name, or one filing sentence with other figures, are different stories."""
    dock = (
        "Dock workers at Port Calloway walked out on Tuesday over a pay offer that union leaders called an "
        f"insult, and their delegates will take the dispute to a meeting of {_FEDERATION} Brussels next month. "
        "Cargo ships queued outside the harbour wall as cranes stood idle for a second day."
    )
    bus = (
        "Bus drivers in the northern valleys voted to accept a new rota after three weeks of talks, "
        f"a spokeswoman for {_FEDERATION} Vienna said. Services on the mountain routes resume on Monday "
        "with extra buses for the school term."
    )
    marsh = (
        "Marshfield Components Inc "
        + _FILING.format(amount="200", year="2012")
        + (" The company will use the proceeds to repay bank debt and to build a second plant near Dorrow.")
    )
    tallis = (
        "Tallis Instruments Corp "
        + _FILING.format(amount="75", year="2015")
        + (" Tallis said the debentures would be sold through an underwriting group led by a regional bank.")
    )
    # A real reprint keeps the figures: the filing sentence reworded slightly, same amount and year.
    reprint = (
        "Marshfield Components Inc said it had filed a registration statement with the Securities and "
        "Exchange Commission covering a planned offering of 200 mln dlrs of convertible subordinated "
        "debentures due 2012. The company will use the proceeds to repay bank debt and to build a second "
        "plant near Dorrow."
    )
    docs = [
        Document("dock", dock),
        Document("bus", bus),
        Document("marsh", marsh),
        Document("tallis", tallis),
        Document("marsh-reprint", reprint),
    ]
    with Store(tmp_path / "reuse.db") as store:
        store.add(docs)
        found = _pairs(list(find_pairs(store, LEXICAL)))
        loose = _pairs(list(find_pairs(store, LEXICAL, FindOptions(min_plain_words=0, min_number_share=0))))
    assert frozenset(("dock", "bus")) in loose and frozenset(("marsh", "tallis")) in loose  # the aligner pairs them
    assert frozenset(("dock", "bus")) not in found
    assert frozenset(("marsh", "tallis")) not in found
    assert frozenset(("marsh", "marsh-reprint")) in found


def test_a_short_ocr_damaged_reprint_is_kept_by_its_characters() -> None:
    """OCR garbles letters inside words: few words match, nearly every character does; a rewrite differs."""
    from textreuse.compare import comparison, prepare
    from textreuse.corpus.verify import verify
    from textreuse.index.fingerprints import fingerprint
    from textreuse.types import Passage

    wire = (
        "The harbour board voted last night to close the old north pier after divers found cracks in three "
        "of its oak supports."
    )
    ocr = (
        "Tho harhour boaid votcd lasl niglit to closc the olcl nortli picr after divers found cracks in three "
        "of its oak supports."
    )
    rewrite = (
        "Divers found cracks in three oak supports, so the harbour board has voted to shut the old north "
        "pier, officials said."
    )

    def judged(x: str, y: str, find: FindOptions) -> int:
        a, b = prepare(Document("a", x)), prepare(Document("b", y))
        passage = Passage(0, len(x), 0, len(y), "edited", 0.6, 0.6, None)
        result = verify(comparison(a, b, [passage]), a, fingerprint(a.tokens), b, fingerprint(b.tokens), find)
        return len(result.passages)

    assert judged(wire, ocr, FindOptions()) == 1
    # By its words alone it goes (its letters match well enough to be kept as a core: that rule is off here).
    assert judged(wire, ocr, FindOptions(short_edited_char_ratio=1.01, ocr_core_letters=0)) == 0
    assert judged(wire, rewrite, FindOptions()) == 0


def test_meaning_matches_with_other_figures_are_not_copies() -> None:
    """Two airline traffic reports say the same things with other figures; a translated copy keeps them."""
    from textreuse.compare import comparison, prepare
    from textreuse.corpus.verify import verify
    from textreuse.index.fingerprints import fingerprint
    from textreuse.types import Passage

    report = (
        "Northwind Air said its load factor rose to 60.6 pct last month from 54.9 pct a year earlier, "
        "and traffic increased 14.6 pct to 1.94 billion revenue passenger miles."
    )
    other = (
        "Bluecrest Airlines said its load factor climbed to 63.4 pct last month from 61.1 pct a year before, "
        "while traffic grew 15.6 pct to 987.7 million revenue passenger miles."
    )
    translated = (
        "The load factor of Northwind Air went up to 60.6 pct last month, from 54.9 pct one year before, "
        "and its traffic grew 14.6 pct to 1.94 billion revenue passenger miles, the company said."
    )

    def judged(x: str, y: str) -> int:
        a, b = prepare(Document("a", x)), prepare(Document("b", y))
        passage = Passage(0, len(x), 0, len(y), "paraphrased", 0.9, 0.2, 0.9)
        result = verify(comparison(a, b, [passage]), a, fingerprint(a.tokens), b, fingerprint(b.tokens), FindOptions())
        return len(result.passages)

    assert judged(report, translated) == 1
    assert judged(report, other) == 0


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("min_shared", 0, "FindOptions.min_shared must be >= 1, got 0"),
        ("max_df", 2.5, "FindOptions.max_df must be int, got 2.5"),
        ("window_days", -1, "FindOptions.window_days must be >= 0, got -1"),
        ("embeddings", "yes", "FindOptions.embeddings must be bool, got 'yes'"),
        ("knn_min_cosine", 1.5, "FindOptions.knn_min_cosine must be in [-1, 1], got 1.5"),
        ("min_gram_share", -0.1, "FindOptions.min_gram_share must be in [0, 1], got -0.1"),
        ("df_divisor", 0, "FindOptions.df_divisor must be >= 1, got 0"),
        ("cluster_gap", -1, "FindOptions.cluster_gap must be >= 0, got -1"),
        ("focus_margin", 4.0, "FindOptions.focus_margin must be int, got 4.0"),
        ("seed_letters", 5, "FindOptions.seed_letters (when not 0, off) must be >= 8, got 5"),
        ("seed_letters", -1, "FindOptions.seed_letters must be >= 0, got -1"),
        ("interleaved_letters", 1.2, "FindOptions.interleaved_letters must be in [0, 1], got 1.2"),
        ("interleaved_ratio", 0.5, "FindOptions.interleaved_ratio must be >= 1, got 0.5"),
    ],
)
def test_bad_find_options_fail_at_construction_naming_the_option(name: str, value: object, message: str) -> None:
    with pytest.raises(OptionError) as err:
        FindOptions(**{name: value})  # type: ignore[arg-type]
    assert str(err.value) == message


def test_find_options_thresholds_reach_the_stages(demo_db: Path) -> None:
    from textreuse.corpus.options import df_cap, repeated_line_docs

    assert df_cap(FindOptions(df_floor=10, df_divisor=10, df_ceiling=30), 1000) == 30
    assert repeated_line_docs(1000, FindOptions(repeated_divisor=10, repeated_max_docs=500)) == 100
    with Store(demo_db, readonly=True) as store:
        found = _pairs(list(find_pairs(store, LEXICAL)))
        # With no gap allowed, each shared 3-gram is a cluster of its own: no pair has a cluster of 40.
        assert not list(find_pairs(store, LEXICAL, FindOptions(cluster_gap=0, min_cluster=40)))
    assert found


def test_pair_record_is_the_pairs_jsonl_line() -> None:
    from textreuse.compare import compare
    from textreuse.relate import Relation
    from textreuse.types import Passage

    record = PairRecord(
        "wire",
        "copy",
        Relation("reprint", "a", ["earlier"]),
        0.66667,
        1.0,
        (Passage(0, 12, 3, 15, "edited", 0.123456, 0.5, None, 0.25),),
        confidence=0.75,
    )
    assert json.dumps(record.to_dict()) == (
        '{"a": "wire", "b": "copy", "relation": {"label": "reprint", "source": "a", "evidence": ["earlier"]}, '
        '"confidence": 0.75, "coverage": {"a": 0.66667, "b": 1.0}, "passages": [{"a_start": 0, "a_end": 12, "b_start": 3, '
        '"b_end": 15, "kind": "edited", "score": 0.1235, "lexical_score": 0.5, "confidence": 0.25}], '
        '"excluded_share": {"a": 0.0, "b": 0.0}}'
    )
    result = compare(Document("x", WIRE), Document("y", "Front page\n\n" + WIRE[: len(WIRE) // 3]))
    made = PairRecord.from_comparison(result)
    assert (made.a, made.b, made.passages) == ("x", "y", tuple(result.passages))
    assert made.coverage_a == round(result.coverage_a, 4) and made.relation == result.relation
    assert made.confidence == result.confidence and 0 < made.confidence <= 1
    assert made.to_dict() == {k: v for k, v in result.to_dict().items() if k != "excluded"} | {"a": "x", "b": "y"}


def test_an_ocr_damaged_wire_reprint_is_kept_though_its_word_runs_are_broken(tmp_path: Path) -> None:
    """The Kaiser's New Year address, reprinted by two papers and read by OCR: the pair passim finds, found."""
    docs = chronam_pages(8, 73)
    with Store(tmp_path / "reuse.db") as store:
        store.add(docs)
        records = list(find_pairs(store, LEXICAL, FindOptions(skip_same_source=True)))
    assert _pairs(records) == {frozenset(d.id for d in docs)}
    (record,) = records
    texts = {d.id: d.text for d in docs}
    shared = [" ".join(texts[record.a][p.a_start : p.a_end].split()) for p in record.passages]
    assert any("Comrades: Another year of se vere fighting" in s and "imperishable glory" in s for s in shared)
