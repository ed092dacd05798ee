"""The index: incremental, idempotent, replaces changed documents, survives interruption."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from textreuse.compare import prepare
from textreuse.errors import TextReuseError
from textreuse.index.fingerprints import fingerprint
from textreuse.index.store import AddResult, Store
from textreuse.io.ingest import iter_documents
from textreuse.types import Document

from .conftest import REPO, WIRE

DEMO = REPO / "demo" / "corpus.jsonl"


def demo_docs() -> list[Document]:
    return list(iter_documents(DEMO))


def test_add_is_incremental_and_idempotent(tmp_path: Path) -> None:
    docs = demo_docs()
    db = tmp_path / "reuse.db"
    with Store(db) as store:
        assert store.add(docs[:20]) == AddResult(added=20)
        assert len(store) == 20
        postings_before = store.stats()["postings"]
    with Store(db) as store:
        # The first 20 again plus 10 new: only the new ones are added.
        assert store.add(docs[:30], batch_size=7) == AddResult(added=10, unchanged=20)
        assert len(store) == 30
        assert store.stats()["postings"] > postings_before
        assert store.add(docs[:30]) == AddResult(unchanged=30)
        assert sorted(d.id for d in store.info()) == sorted(d.id for d in docs[:30])


def test_stored_document_and_tokens_round_trip(tmp_path: Path) -> None:
    doc = Document("wire", WIRE, {"date": "2024-03-05", "source": "Wire"})
    with Store(tmp_path / "reuse.db") as store:
        store.add([doc])
        key = store.key("wire")
        assert key is not None
        assert store.document("wire") == doc
        assert store.document("wire").metadata == {"date": "2024-03-05", "source": "Wire"}
        loaded = store.prepared(key)
        fresh = prepare(doc)
        assert loaded.tokens.keys == fresh.tokens.keys
        assert loaded.tokens.starts == fresh.tokens.starts and loaded.tokens.ends == fresh.tokens.ends
        assert loaded.tokens.breaks == fresh.tokens.breaks
        assert loaded.excluded == fresh.excluded
        stored = store.fingerprints(key)
        expect = fingerprint(fresh.tokens)
        assert np.array_equal(stored.grams, expect.grams) and np.array_equal(stored.positions, expect.positions)
        assert store.stats()["sources"] == 1


def test_changed_content_replaces_the_old_document(tmp_path: Path) -> None:
    db = tmp_path / "reuse.db"
    with Store(db) as store:
        store.add([Document("story", WIRE), Document("other", "A bakery opened downtown on Friday morning.")])
        old_grams = set(store.fingerprints(store.key("story")).grams.tolist())  # type: ignore[arg-type]
        generation = store.generation
    changed = WIRE.replace("burst water main", "collapsed sewer").replace("Marta Olsen", "Ingrid Lund")
    with Store(db) as store:
        assert store.add([Document("story", changed)]) == AddResult(replaced=1)
        assert len(store) == 2
        assert store.document("story").text == changed
        new_grams = set(store.fingerprints(store.key("story")).grams.tolist())  # type: ignore[arg-type]
        assert new_grams != old_grams
        assert store.generation > generation
        # The postings follow: the new n-grams are found, the vanished ones are gone.
        grams, docs = store.postings()
        assert len(grams) == sum(len(store.fingerprints(d.doc).grams) for d in store.info())
        gone = old_grams - new_grams
        assert gone and not np.isin(np.fromiter(gone, dtype=np.int64), grams).any()


def test_interrupted_add_resumes_with_every_document_once(tmp_path: Path) -> None:
    docs = demo_docs()
    db = tmp_path / "reuse.db"

    def interrupted():
        for n, d in enumerate(docs):
            if n == 23:
                raise KeyboardInterrupt
            yield d

    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        store.add(interrupted(), batch_size=5)
    with Store(db) as store:
        done = len(store)
        # Complete batches only: nothing half-written.
        assert done % 5 == 0 and 0 < done <= 23
        result = store.add(docs, batch_size=5)
        assert result.added == len(docs) - done and result.unchanged == done
        ids = [d.id for d in store.info()]
        assert len(ids) == len(set(ids)) == len(docs)


def test_interrupt_in_workers_leaves_a_consistent_index(tmp_path: Path) -> None:
    docs = demo_docs()
    db = tmp_path / "reuse.db"

    def interrupted():
        yield from docs[:12]
        raise KeyboardInterrupt

    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        store.add(interrupted(), batch_size=4, jobs=2)
    with Store(db) as store:
        assert len(store) <= 12
        store.add(docs, jobs=2, batch_size=4)
        assert len(store) == len(docs)
        assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_bad_index_files_give_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(TextReuseError, match="no such index"):
        Store(tmp_path / "missing.db", readonly=True)
    junk = tmp_path / "notes.db"
    junk.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(TextReuseError, match="not a textreuse index"):
        Store(junk)
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(TextReuseError, match="not a textreuse index"):
        Store(other, readonly=True)


def test_stats_summarize_the_index(tmp_path: Path) -> None:
    with Store(tmp_path / "reuse.db") as store:
        store.add(demo_docs())
        s = store.stats()
    rows = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines()]
    assert s["documents"] == len(rows)
    assert s["characters"] == sum(len(r["text"]) for r in rows)
    assert s["first_date"] == min(r["date"] for r in rows)
    assert s["last_date"] == max(r["date"] for r in rows)
    assert s["postings"] > 1000


def test_index_rows_and_stored_docs_have_named_fields(tmp_path: Path) -> None:
    from textreuse.index.rows import index_row
    from textreuse.index.schema import SCHEMA_VERSION, read_meta

    doc = Document("wire", WIRE, {"date": "2024-03-05", "series": "Coastal Wire"})
    row = index_row(doc)
    assert (row.id, row.date, row.source, row.length, row.sentences) == (
        "wire",
        "2024-03-05",
        "Coastal Wire",
        len(WIRE),
        None,
    )
    assert row.prepared().tokens.keys == prepare(doc).tokens.keys
    assert np.array_equal(row.fingerprint().grams, fingerprint(prepare(doc).tokens).grams)
    with Store(tmp_path / "reuse.db") as store:
        store.add([doc])
        (info,) = store.info()
        assert (info.id, info.date, info.source, info.length) == ("wire", "2024-03-05", "Coastal Wire", len(WIRE))
        assert np.array_equal(store.line_table(info.doc), row.line_table())
        meta = read_meta(store.db, store.path)
        assert meta.has_sentences and meta.junk and meta.embedder is None
        assert store.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == str(SCHEMA_VERSION)
