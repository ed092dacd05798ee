"""Sentence embeddings in the index and candidate pairs from their nearest neighbours (faiss).

The reworded copy below was written by hand for these tests (CC0): six
sentences of the Greywater wire story (tests/data/spun/, CC0) retold in
other words, inside a roundup of unrelated local news. It shares one
3-gram of content words with the wire story (3 are needed) and six names
and numbers (8 are needed), so the 3-gram and names candidates cannot find
it; three of its sentences are neighbours of the original's at cosine 0.8
or more (0.82, 0.86, 0.91; the others 0.75, 0.61, 0.49).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from textreuse.compare import CompareOptions
from textreuse.corpus.candidates import candidate_pairs
from textreuse.corpus.find import find_pairs
from textreuse.corpus.options import FindOptions
from textreuse.corpus.query import Query
from textreuse.index.ann import SentenceIndex, neighbour_pairs
from textreuse.index.schema import SCHEMA_VERSION
from textreuse.index.store import Store
from textreuse.types import Document

from .conftest import REPO

SPUN = REPO / "tests" / "data" / "spun"
GREYWATER = "wire-2024-05-21-greywater-bridge-reopens"
OTHERS = [
    "wire-2024-03-05-harbourton-water-main",
    "wire-2024-04-09-brannock-barley-fungus",
    "wire-2024-06-17-cedar-hollow-wildfire",
]

REWORDED = """Around the region this week

The Fernmoor allotment society held its spring plant sale on Saturday, and volunteers said the tomato seedlings were gone within an hour. Proceeds will pay for a new water butt at the community plot behind the church hall.

Cars are driving again over Tern Bridge, which connects the mainland town of Greywater with the islanders of Skellig Point, after a year and a half in which commuters had to take the ferry or drive a long way around. The crossing was shut in late 2022 when inspectors discovered badly corroded steel cables holding up its central section. Engineers have since replaced every one of those cables, reinforced a pair of the concrete piers and relaid the road surface. The repairs ended up costing roughly eleven million more than first estimated. Island residents suffered badly while the link was out of action. The island's only supermarket said its sales dropped by a fifth, and a number of small shops went out of business.

In Ashby Vale, the youth brass band came second at the county championships with a programme of folk tunes arranged by its conductor. The band now hopes to raise money for a trip to a festival abroad next summer.
"""

FULL = CompareOptions(mode="full")


def corpus() -> list[Document]:
    docs = [Document(name, (SPUN / f"{name}.txt").read_text(encoding="utf-8")) for name in [GREYWATER, *OTHERS]]
    return docs + [Document("roundup", REWORDED)]


def pair_ids(store: Store, pairs: np.ndarray) -> set[frozenset[str]]:
    ids = {d.doc: d.id for d in store.info()}
    return {frozenset((ids[int(a)], ids[int(b)])) for a, b, _ in pairs}


@pytest.fixture(scope="module")
def embedded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("ann") / "reuse.db"
    with Store(db) as store:
        store.add(corpus(), embed=True)
    return db


def test_only_sentence_neighbours_find_the_reworded_copy(embedded_db: Path) -> None:
    target = frozenset((GREYWATER, "roundup"))
    with Store(embedded_db, readonly=True) as store:
        assert target not in pair_ids(store, candidate_pairs(store, FindOptions(), names=True))
        with_knn = pair_ids(store, candidate_pairs(store, FindOptions(), names=True, embeddings=True))
        assert target in with_knn
        assert len(with_knn) <= 2  # the reworded copy, at most one more; the wire stories are unrelated
        records = list(find_pairs(store, FULL))
        without = list(find_pairs(store, FULL, FindOptions(embeddings=False)))
    found = {frozenset((r.a, r.b)): r for r in records}
    assert target in found and target not in {frozenset((r.a, r.b)) for r in without}
    record = found[target]
    assert {p.kind for p in record.passages} == {"paraphrased"}
    spans = [p.a_span if record.a == "roundup" else p.b_span for p in record.passages]
    start = REWORDED.index("Cars are driving")
    end = REWORDED.index("In Ashby Vale")
    assert all(start <= s.start < s.end <= end for s in spans)


def test_embeddings_are_stored_once_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "reuse.db"
    with Store(db) as store:
        store.add(corpus())  # lexical index: nothing embedded
        assert store.stats()["sentence_vectors"] == 0 and store.missing_embeddings()
        unembedded = list(find_pairs(store, FULL))  # find_pairs embeds nothing itself
        assert store.stats()["sentence_vectors"] == 0
        # The static embedder's rows stand in for the missing ones in the neighbour candidates.
        assert frozenset((GREYWATER, "roundup")) in {frozenset((r.a, r.b)) for r in unembedded}
        assert store.embed_missing() == 5  # embeds what is missing, keeps it in the index
        first = list(find_pairs(store, FULL))
        stats = store.stats()
        assert stats["embedded_documents"] == 5 and stats["sentence_vectors"] > 30
        assert stats["embedder"] == "minilm-onnx"
        blobs = store.db.execute("SELECT doc, vectors FROM sentences ORDER BY doc").fetchall()

    # A second run embeds nothing: neither the index's rows nor, in alignment, the documents' sentences.
    import textreuse.index.sentences
    from textreuse.embed import get_embedder

    def no_model(name: str, threads: int | None = None) -> None:
        raise AssertionError("the index's sentences were embedded again")

    monkeypatch.setattr(textreuse.index.sentences, "worker_embedder", no_model)
    cache = get_embedder().cache
    before = (cache.hits, cache.misses)
    with Store(db) as store:
        assert store.embed_missing() == 0
        second = list(find_pairs(store, FULL))
        assert store.db.execute("SELECT doc, vectors FROM sentences ORDER BY doc").fetchall() == blobs
    assert (cache.hits, cache.misses) == before
    assert first == second


def test_changed_document_loses_its_embeddings(embedded_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "reuse.db"
    db.write_bytes(embedded_db.read_bytes())
    with Store(db) as store:
        assert store.add([Document("roundup", REWORDED + "\nA late note.\n")]).replaced == 1
        assert [store.document(k).id for k in store.missing_embeddings()] == ["roundup"]


def test_query_ranks_with_sentence_neighbours(tmp_path: Path) -> None:
    db = tmp_path / "wires.db"
    with Store(db) as store:
        store.add(corpus()[:-1], embed=True)  # the wire stories only
    q = Query(db, FULL)
    lexical_only = Query(db, FULL, FindOptions(embeddings=False))
    try:
        results = q.ask(Document("new", REWORDED))
        assert [r.b.id for r in results] == [GREYWATER]
        assert {p.kind for p in results[0].passages} == {"paraphrased"}
        assert lexical_only.ask(Document("new", REWORDED)) == []
    finally:
        q.close()
        lexical_only.close()


def test_lexical_mode_embeds_nothing(tmp_path: Path) -> None:
    db = tmp_path / "reuse.db"
    with Store(db) as store:
        store.add(corpus())
        records = list(find_pairs(store, CompareOptions(mode="lexical")))
        assert store.embedded_documents() == 0 and store.stats()["sentence_vectors"] == 0
    assert frozenset((GREYWATER, "roundup")) not in {frozenset((r.a, r.b)) for r in records}


def test_schema_3_index_reads_as_before_and_upgrades_when_written(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with Store(db) as store:
        store.add(corpus()[:2])
    con = sqlite3.connect(db)
    with con:
        con.execute("DROP TABLE sentences")
        con.execute("UPDATE meta SET value = '3' WHERE key = 'schema'")
    con.close()
    with Store(db, readonly=True) as store:
        assert not store.has_sentences and store.stats()["sentence_vectors"] == 0
        assert list(find_pairs(store, CompareOptions(mode="lexical"))) == []
    with Store(db) as store:
        assert store.has_sentences and store.embedded_documents() == 0
    schema = sqlite3.connect(db).execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0]
    assert schema == str(SCHEMA_VERSION)


def test_neighbour_pairs_need_several_sentences_and_skip_common_ones() -> None:
    rng = np.random.default_rng(0)
    own = rng.standard_normal((12, 16)).astype(np.float32)
    own /= np.linalg.norm(own, axis=1, keepdims=True)
    common = np.ones((1, 16), np.float32) / 4  # one sentence found in every document: boilerplate
    # Documents 0 and 1 share sentences 0-2; 2 and 3 share only sentence 3; all six carry the common one.
    layout = {0: [0, 1, 2, 4], 1: [0, 1, 2, 5], 2: [3, 6], 3: [3, 7], 4: [8], 5: [9]}
    docs, rows = [], []
    for doc, sents in layout.items():
        for s in sents:
            docs.append(doc)
            rows.append(own[s])
        docs.append(doc)
        rows.append(common[0])
    docs_a, rows_a = np.array(docs), np.array(rows)
    found = neighbour_pairs(docs_a, rows_a, k=4, min_cosine=0.9, min_sentences=2)
    assert found.tolist() == [[0, 1, 3]]
    assert neighbour_pairs(docs_a, rows_a, k=4, min_cosine=0.9, min_sentences=1)[:, :2].tolist() == [[0, 1], [2, 3]]


def test_sentence_index_in_blocks_equals_one_block() -> None:
    rng = np.random.default_rng(1)
    rows = rng.standard_normal((500, 32)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    one = SentenceIndex(rows).search(rows[:50], 5)
    blocks = SentenceIndex(rows, block=64, keep=0).search(rows[:50], 5)
    assert np.array_equal(one[1], blocks[1]) and np.allclose(one[0], blocks[0])


def _corpus_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for doc in corpus():
        (folder / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
    return folder


def run(*args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "textreuse", *args], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_cli_index_add_embed_stats_find(tmp_path: Path) -> None:
    folder, db = _corpus_folder(tmp_path), tmp_path / "reuse.db"

    run("index", "add", str(folder), "--db", str(db), "--embed", "--jobs", "2")
    stats = json.loads(run("stats", "--db", str(db), "--format", "json").stdout)
    assert stats["embedded_documents"] == 5 and stats["sentence_vectors"] > 30
    run("find", "--db", str(db), "--out", str(tmp_path / "out"))
    pairs = [json.loads(line) for line in (tmp_path / "out" / "pairs.jsonl").read_text().splitlines()]
    assert {frozenset((r["a"], r["b"])) for r in pairs} >= {frozenset((f"{GREYWATER}.txt", "roundup.txt"))}


def test_cli_find_on_an_index_embeds_only_when_asked(tmp_path: Path) -> None:
    """Embedding a large index takes hours: find --db says what is missing and embeds it with --embed.

    Without --embed the static embedder's rows make the sentence-neighbour candidates, so the
    reworded copy is found either way.
    """
    folder, db = _corpus_folder(tmp_path), tmp_path / "reuse.db"

    def found(out: Path) -> set[frozenset[str]]:
        lines = (out / "pairs.jsonl").read_text().splitlines()
        return {frozenset((r["a"], r["b"])) for r in map(json.loads, lines)}

    target = frozenset((f"{GREYWATER}.txt", "roundup.txt"))
    run("index", "add", str(folder), "--db", str(db))
    plain = run("find", "--db", str(db), "--out", str(tmp_path / "plain"))
    assert "5 of 5 indexed documents have no sentence embeddings" in plain.stderr
    assert "fast static embedder" in plain.stderr
    assert target in found(tmp_path / "plain")
    assert json.loads(run("stats", "--db", str(db), "--format", "json").stdout)["sentence_vectors"] == 0
    run("find", "--db", str(db), "--out", str(tmp_path / "embedded"), "--embed")
    assert target in found(tmp_path / "embedded")
    assert json.loads(run("stats", "--db", str(db), "--format", "json").stdout)["embedded_documents"] == 5


def test_neighbour_candidates_obey_the_same_source_and_window_filters(tmp_path: Path) -> None:
    docs = corpus()
    dated = {GREYWATER: ("Wire", "2024-05-21"), "roundup": ("Wire", "2024-09-30")}
    docs = [
        Document(d.id, d.text, {"source": dated[d.id][0], "date": dated[d.id][1]}) if d.id in dated else d for d in docs
    ]
    db = tmp_path / "reuse.db"
    with Store(db) as store:
        store.add(docs, embed=True)
        target = frozenset((GREYWATER, "roundup"))
        assert target in pair_ids(store, candidate_pairs(store, FindOptions(), names=True, embeddings=True))
        for options in (FindOptions(skip_same_source=True), FindOptions(window_days=30)):
            assert target not in pair_ids(store, candidate_pairs(store, options, names=True, embeddings=True))
