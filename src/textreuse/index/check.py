"""``textreuse index check``: is an index file whole and consistent?

Two levels. SQLite's own ``PRAGMA integrity_check`` (pages, b-trees,
uniqueness). Then the index's consistency: the ``meta`` table names this
schema and n-gram size; every document has its fingerprint row and a
well-formed token blob, and its stored length is its text's; no
fingerprint or sentence row belongs to a missing document; the cached
postings are either of the current generation and equal to what the
documents' fingerprints give, or of an older one (stale: rebuilt when next
needed). Each problem is one line of :attr:`IndexCheck.problems`.

>>> import tempfile, os
>>> from textreuse.index.store import Store
>>> from textreuse.types import Document
>>> path = os.path.join(tempfile.mkdtemp(), "reuse.db")
>>> with Store(path) as store:
...     _ = store.add([Document("a", "Heavy rain flooded the old mill district on Tuesday night.")])
>>> check_index(path).problems
[]
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import NamedTuple

import numpy as np

from textreuse.errors import TextReuseError
from textreuse.index.candidates import inverted
from textreuse.index.fingerprints import GRAM_SIZE
from textreuse.index.schema import SCHEMA_VERSION

__all__ = ["IndexCheck", "check_index"]

# Bytes of a packed token blob's size header (five int64 part sizes, see textreuse.index.rows).
TOKEN_HEADER = 40
# Problems of one kind listed by id before the rest are counted.
SHOW_IDS = 5
# Tables every index has.
TABLES = ("meta", "documents", "fingerprints", "postings", "sentences")


class IndexCheck(NamedTuple):
    """What :func:`check_index` found: one line per problem (none: the index is sound), and a summary."""

    problems: list[str]
    documents: int
    postings: str


def check_index(path: str | os.PathLike[str]) -> IndexCheck:
    """Check the index at ``path`` (read only; nothing is written); see the module docstring."""
    path = Path(path)
    if not path.is_file():
        raise TextReuseError(f"{path}: no such index file")
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
        try:
            return _check(db)
        finally:
            db.close()
    except sqlite3.DatabaseError as e:
        return IndexCheck([f"not a readable SQLite database ({e})"], 0, "none")


def _check(db: sqlite3.Connection) -> IndexCheck:
    problems = [f"sqlite: {row[0]}" for row in db.execute("PRAGMA integrity_check") if row[0] != "ok"]
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [t for t in TABLES if t not in tables]
    if missing:
        return IndexCheck([*problems, f"not a textreuse index (no table {', '.join(missing)})"], 0, "none")
    db.execute("BEGIN")  # one snapshot for all the reads below, while a writer may go on
    problems += _meta_problems(dict(db.execute("SELECT key, value FROM meta")))
    problems += _document_problems(db)
    state, posting_problems = _postings_state(db)
    problems += posting_problems
    documents = int(db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    db.rollback()
    return IndexCheck(problems, documents, state)


def _meta_problems(meta: dict[str, str]) -> list[str]:
    problems = []
    if meta.get("schema") != str(SCHEMA_VERSION):
        problems.append(f"meta: schema {meta.get('schema')!r}, this textreuse writes {SCHEMA_VERSION}")
    if meta.get("gram_size") != str(GRAM_SIZE):
        problems.append(f"meta: gram_size {meta.get('gram_size')!r}, this textreuse uses {GRAM_SIZE}")
    if meta.get("junk") not in ("0", "1"):
        problems.append(f"meta: junk {meta.get('junk')!r}, not 0 or 1")
    if not meta.get("generation", "0").isdigit():
        problems.append(f"meta: generation {meta.get('generation')!r}, not a counter")
    return problems


def _listed(what: str, ids: list[str]) -> list[str]:
    """One problem line for ``ids`` (the first few named), or none."""
    if not ids:
        return []
    shown = ", ".join(repr(i) for i in ids[:SHOW_IDS])
    more = f" and {len(ids) - SHOW_IDS} more" if len(ids) > SHOW_IDS else ""
    return [f"{len(ids)} {what}: {shown}{more}"]


def _document_problems(db: sqlite3.Connection) -> list[str]:
    def ids(sql: str) -> list[str]:
        return [str(i) for (i,) in db.execute(sql)]

    problems = _listed(
        "documents without fingerprints",
        ids("SELECT id FROM documents WHERE doc NOT IN (SELECT doc FROM fingerprints)"),
    )
    problems += _listed(
        "fingerprint rows of missing documents",
        ids("SELECT doc FROM fingerprints WHERE doc NOT IN (SELECT doc FROM documents)"),
    )
    problems += _listed(
        "sentence rows of missing documents",
        ids("SELECT doc FROM sentences WHERE doc NOT IN (SELECT doc FROM documents)"),
    )
    problems += _listed(
        "documents with malformed fingerprints",
        ids(
            "SELECT d.id FROM documents d JOIN fingerprints f ON f.doc = d.doc"
            " WHERE LENGTH(f.grams) % 8 != 0 OR LENGTH(f.positions) * 2 != LENGTH(f.grams)"
        ),
    )
    problems += _listed("documents whose length is not their text's", ids(_LENGTH_SQL))
    bad_tokens = [doc_id for doc_id, blob in db.execute("SELECT id, tokens FROM documents") if not _tokens_ok(blob)]
    problems += _listed("documents with malformed token rows", bad_tokens)
    return problems


# A document's length is its text's in Python characters (code points), which SQLite's LENGTH counts too.
_LENGTH_SQL = "SELECT id FROM documents WHERE length != LENGTH(text)"


def _tokens_ok(blob: object) -> bool:
    """Whether a token blob has its size header and exactly the bytes it announces."""
    if not isinstance(blob, bytes) or len(blob) < TOKEN_HEADER:
        return False
    sizes = np.frombuffer(blob[:TOKEN_HEADER], dtype=np.int64)
    return bool((sizes >= 0).all()) and TOKEN_HEADER + int(sizes.sum()) == len(blob)


def _postings_state(db: sqlite3.Connection) -> tuple[str, list[str]]:
    """``("current" | "stale" | "none", problems)`` of the cached postings."""
    row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    generation = int(row[0]) if row and str(row[0]).isdigit() else 0
    parts = db.execute("SELECT generation, grams, docs FROM postings ORDER BY part").fetchall()
    if not parts:
        return "none", []
    generations = {int(g) for g, _, _ in parts}
    if len(generations) > 1:
        return "mixed", [f"postings: parts of generations {sorted(generations)}"]
    if generations != {generation}:
        return "stale", []  # rebuilt when next needed
    grams = np.concatenate([np.frombuffer(g, dtype=np.int64) for _, g, _ in parts])
    docs = np.concatenate([np.frombuffer(d, dtype=np.int32) for _, _, d in parts])
    keys: list[int] = []
    arrays: list[np.ndarray] = []
    for doc, blob in db.execute("SELECT doc, grams FROM fingerprints ORDER BY doc"):
        keys.append(int(doc))
        arrays.append(np.frombuffer(blob, dtype=np.int64))
    want_grams, want_docs = inverted(keys, arrays)
    if not (np.array_equal(grams, want_grams) and np.array_equal(docs, want_docs)):
        return "current", ["postings: marked current but do not match the documents' fingerprints"]
    return "current", []
