"""Results in the index (``find --db``), schema upgrade and refusal, and the full-text search kept in step."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from textreuse.errors import TextReuseError
from textreuse.index.results import write_results
from textreuse.index.results_read import FamilyFilter, get_family, get_pair, has_results, list_families, reused_spans
from textreuse.index.schema import SCHEMA_VERSION
from textreuse.index.search import search
from textreuse.index.store import Store
from textreuse.types import Document

from .conftest import WIRE

DEMO = Path(__file__).resolve().parent.parent / "demo" / "corpus.jsonl"
NEW_TABLES = ("pairs", "passages", "families", "family_members", "family_passages", "family_pairs")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "textreuse", *args], capture_output=True, text=True, timeout=300)


def build_demo_index(folder: Path, *extra: Path, find: bool = True) -> tuple[Path, Path]:
    """``index add`` the demo corpus (and ``extra`` inputs) and ``find --db`` it (real processes): index, output folder."""
    db, out = folder / "reuse.db", folder / "out"
    steps = [("index", "add", str(DEMO), *map(str, extra), "--db", str(db), "-j", "1")]
    if find:
        steps.append(("find", "--db", str(db), "--out", str(out), "-j", "1"))
    for args in steps:
        proc = run(*args)
        assert proc.returncode == 0, proc.stderr
    return db, out


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_demo_index(tmp_path_factory.mktemp("demo"))


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_find_db_keeps_the_pairs_and_families_it_wrote(demo: tuple[Path, Path]) -> None:
    db, out = demo
    pairs, families = lines(out / "pairs.jsonl"), lines(out / "families.jsonl")
    assert len(pairs) > 10 and len(families) > 5
    with Store(db, readonly=True) as store:
        assert has_results(store.db)
        for line in pairs:
            row = get_pair(store.db, line["a"], line["b"])
            assert row is not None
            assert row.label == (line["relation"] or {}).get("label", "")
            assert (row.coverage_a, row.coverage_b) == (line["coverage"]["a"], line["coverage"]["b"])
            assert [p.to_dict() for p in row.passages] == line["passages"]
            flipped = get_pair(store.db, line["b"], line["a"])
            assert flipped is not None and flipped.passages[0].a_start == line["passages"][0]["b_start"]
        total, listed = list_families(store.db, FamilyFilter(), limit=1000, offset=0)
        assert total == len(families)
        for line, summary in zip(families, listed):
            assert (summary.family, summary.size, summary.source) == (line["family"], line["size"], line["source"])
            detail = get_family(store.db, line["family"])
            assert detail is not None and {m.id for m in detail.members} == set(line["members"])
            dates = [m.date for m in detail.members]
            assert dates == sorted(dates)
            source = store.document(line["source"] or detail.members[0].id).text
            first = next(p for p in line["passages"] if p["id"] == (line["source"] or detail.members[0].id))
            assert summary.text.startswith(source[first["start"] : first["end"]])


def test_reused_spans_slice_the_document_and_name_the_others(demo: tuple[Path, Path]) -> None:
    db, out = demo
    line = lines(out / "pairs.jsonl")[0]
    with Store(db, readonly=True) as store:
        spans = reused_spans(store.db, line["a"])
        assert spans and any(c.id == line["b"] for s in spans for c in s.others)
        text = store.document(line["a"]).text
        for span in spans:
            assert 0 <= span.start < span.end <= len(text)
            for other in span.others:
                assert other.end <= len(store.document(other.id).text)


def test_find_db_again_replaces_the_previous_results(tmp_path: Path, demo: tuple[Path, Path]) -> None:
    db, _ = demo
    copy = tmp_path / "copy.db"
    with Store(db, readonly=True) as store:
        store.db.backup(target := sqlite3.connect(copy))
        target.close()
    proc = run(
        "find", "--db", str(copy), "--out", str(tmp_path / "few"), "--min-words", "60", "--mode", "lexical", "-j", "1"
    )
    assert proc.returncode == 0, proc.stderr
    pairs = lines(tmp_path / "few" / "pairs.jsonl")
    with Store(copy, readonly=True) as store:
        assert store.db.execute("SELECT COUNT(*) FROM pairs").fetchone()[0] == len(pairs)
        assert store.db.execute("SELECT COUNT(*) FROM families").fetchone()[0] == len(
            lines(tmp_path / "few" / "families.jsonl")
        )


def test_failed_write_leaves_the_previous_results_whole(tmp_path: Path, demo: tuple[Path, Path]) -> None:
    db, _ = demo
    copy = tmp_path / "copy.db"
    with Store(db, readonly=True) as store:
        store.db.backup(target := sqlite3.connect(copy))
        target.close()
    with Store(copy) as store:
        before = [store.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in NEW_TABLES]
        with pytest.raises(KeyError):
            write_results(store.db, [], [{"family": 1, "members": ["x"]}])  # no passages: fails half way
        after = [store.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in NEW_TABLES]
    assert after == before and before[0] > 0


def test_schema_4_index_reads_read_only_and_upgrades_with_search_filled(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with Store(db) as store:
        store.add(
            [Document("wire", WIRE, {"title": "Water main bursts"}), Document("other", "A bakery opened downtown.")]
        )
    con = sqlite3.connect(db)
    with con:
        for table in (*NEW_TABLES, "documents_fts", "families_fts"):
            con.execute(f"DROP TABLE {table}")
        con.execute("UPDATE meta SET value = '4' WHERE key = 'schema'")
    con.close()
    with Store(db, readonly=True) as store:
        assert store.has_sentences and not has_results(store.db)
        with pytest.raises(TextReuseError, match="no search table"):
            search(store.db, "water", 10)
    with Store(db) as store:
        page = search(store.db, "water main bursts", 10)
        assert [h.id for h in page.hits] == ["wire"]
        assert not has_results(store.db)
    schema = sqlite3.connect(db).execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0]
    assert schema == str(SCHEMA_VERSION)


def test_index_of_a_newer_schema_is_refused_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    with Store(db) as store:
        store.add([Document("wire", WIRE)])
    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION + 1),))
    con.close()
    proc = run("stats", "--db", str(db))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "newer textreuse" in proc.stderr and "pip install -U textreuse" in proc.stderr


def test_search_follows_added_replaced_and_removed_documents(tmp_path: Path) -> None:
    with Store(tmp_path / "reuse.db") as store:
        store.add([Document("wire/1 [a]", WIRE, {"title": "Harbourton flood", "source": "Coastal Wire"})])
        page = search(store.db, "evacuation school", 10)
        (hit,) = page.hits
        assert (hit.id, hit.title, hit.source) == ("wire/1 [a]", "Harbourton flood", "Coastal Wire")
        assert hit.snippet == WIRE[hit.start : hit.end]
        assert [WIRE[s:e].lower() for s, e in hit.marks] == ["evacuation", "school"]
        assert search(store.db, "coastal", 10).total == 1  # the source is searched too
        store.add([Document("wire/1 [a]", "A bakery opened downtown on Friday morning.")])
        assert search(store.db, "evacuation", 10).total == 0
        assert [h.id for h in search(store.db, "bakery", 10).hits] == ["wire/1 [a]"]
        store.remove(["wire/1 [a]"])
        assert search(store.db, "bakery", 10).total == 0
        assert search(store.db, '"unbalanced AND (', 10).total == 0  # words only: no query syntax errors
