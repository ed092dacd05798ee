"""Full-text search over the index's documents: an SQLite FTS5 table in the same file, kept in step with ``add``.

``documents_fts`` (:mod:`textreuse.index.schema`) indexes each document's id,
title, source and text under the document's key; it keeps no copy of the
text (a contentless table), so :func:`search` reads the hits' texts from
``documents`` and cuts each snippet there: its offsets index the original
text. :class:`~textreuse.index.store.Store` writes the table as it adds,
replaces and removes documents (:func:`fts_insert`, :func:`fts_delete`).

>>> import tempfile, os
>>> from textreuse.index.store import Store
>>> from textreuse.types import Document
>>> path = os.path.join(tempfile.mkdtemp(), "reuse.db")
>>> with Store(path) as store:
...     _ = store.add([Document("a", "Heavy rain flooded the old mill district.", {"title": "Flood"}),
...                    Document("b", "A bakery opened downtown on Friday morning.")])
...     page = search(store.db, "flooded MILL", limit=10)
>>> page.total, [(h.id, h.title) for h in page.hits]
(1, [('a', 'Flood')])
>>> hit = page.hits[0]
>>> hit.snippet, [hit.snippet[s - hit.start : e - hit.start] for s, e in hit.marks]
('Heavy rain flooded the old mill district.', ['flooded', 'mill'])
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from typing import NamedTuple

from textreuse.errors import TextReuseError

__all__ = ["SearchHit", "SearchPage", "fts_insert", "fts_delete", "search", "match_expression", "has_table"]

# Characters of text a snippet shows around the first matched word.
SNIPPET_CHARS = 240
# Words of a search query used (the rest are ignored).
MAX_QUERY_WORDS = 32

_WORD = re.compile(r"\w+", re.UNICODE)


class SearchHit(NamedTuple):
    """A document found by :func:`search`: id, title, source, date, and a snippet of its text.

    ``snippet`` is ``text[start:end]`` of the original text; ``marks`` are the
    ``(start, end)`` offsets, in the original text, of the query's words in it.
    """

    id: str
    title: str | None
    source: str | None
    date: str | None
    start: int
    end: int
    snippet: str
    marks: list[tuple[int, int]]


class SearchPage(NamedTuple):
    """One page of search hits, best first, and how many documents match in all."""

    total: int
    hits: list[SearchHit]


def has_table(db: sqlite3.Connection, name: str) -> bool:
    """Whether the database has a table (or virtual table) of this name."""
    return db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def _title(metadata: str) -> str:
    value = json.loads(metadata).get("title")
    return "" if value in (None, "") else str(value)


def fts_insert(db: sqlite3.Connection, key: int, doc_id: str, metadata: str, source: str | None, text: str) -> None:
    """Index a document just written to ``documents`` under its key (``metadata`` as stored: JSON)."""
    db.execute(
        "INSERT INTO documents_fts (rowid, id, title, source, text) VALUES (?, ?, ?, ?, ?)",
        (key, doc_id, _title(metadata), source or "", text),
    )


def fts_delete(db: sqlite3.Connection, key: int) -> None:
    """Take a document out of the search table (before its ``documents`` row is deleted)."""
    row = db.execute("SELECT id, metadata, source, text FROM documents WHERE doc = ?", (key,)).fetchone()
    if row is None:
        return
    doc_id, metadata, source, text = row
    db.execute(
        "INSERT INTO documents_fts (documents_fts, rowid, id, title, source, text) VALUES ('delete', ?, ?, ?, ?, ?)",
        (key, doc_id, _title(metadata), source or "", text),
    )


def _fold(word: str) -> str:
    """A word lower-cased without diacritics, as the FTS tokenizer sees it."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def match_expression(query: str) -> str | None:
    """The FTS5 expression for a user's query: all its words (each quoted, so nothing is syntax); None if none."""
    words = _WORD.findall(query)[:MAX_QUERY_WORDS]
    if not words:
        return None
    return " ".join('"' + w.replace('"', "") + '"' for w in words)


def _snippet(text: str, words: set[str]) -> tuple[int, int, list[tuple[int, int]]]:
    """Where to cut a snippet of ``text`` around the first of ``words``, and where they are inside it."""
    found = [(m.start(), m.end()) for m in _WORD.finditer(text) if _fold(m.group()) in words]
    first = found[0][0] if found else 0
    start = max(0, first - SNIPPET_CHARS // 4)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + SNIPPET_CHARS)
    return start, end, [(s, e) for s, e in found if s >= start and e <= end]


def search(db: sqlite3.Connection, query: str, limit: int, offset: int = 0) -> SearchPage:
    """Documents matching every word of ``query`` (in id, title, source or text), best first (BM25).

    Raises :class:`TextReuseError` when the index has no search table (an
    index of an older schema opened read-only).
    """
    if not has_table(db, "documents_fts"):
        raise TextReuseError("this index has no search table yet: open it for writing once (`textreuse find --db`)")
    expression = match_expression(query)
    if expression is None:
        return SearchPage(0, [])
    total = db.execute("SELECT COUNT(*) FROM documents_fts WHERE documents_fts MATCH ?", (expression,)).fetchone()[0]
    rows = db.execute(
        "SELECT d.id, d.metadata, d.source, d.date, d.text FROM"
        " (SELECT rowid, rank FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?) AS f"
        " JOIN documents AS d ON d.doc = f.rowid ORDER BY f.rank",
        (expression, limit, offset),
    ).fetchall()
    words = {_fold(w) for w in _WORD.findall(query)[:MAX_QUERY_WORDS]}
    hits = []
    for doc_id, metadata, source, date, text in rows:
        start, end, marks = _snippet(text, words)
        hits.append(SearchHit(doc_id, _title(metadata) or None, source, date, start, end, text[start:end], marks))
    return SearchPage(int(total), hits)
