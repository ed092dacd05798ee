"""The index: an embedded SQLite store of documents, their prepared tokens and n-gram fingerprints.

One file, no server. For every document it keeps the text and metadata, a
content hash (so adding the same document again is a no-op and a changed
one replaces the old), the tokens that :func:`textreuse.prepare.prepare`
made (so a corpus run never prepares a document twice), and the sorted
64-bit hashes of its content-word 3-grams with the position where each
first occurs (:mod:`textreuse.index.rows`, :mod:`textreuse.index.fingerprints`).
A ``postings`` table keeps the inverted index of the n-gram hashes, for
queries; ``documents_fts`` the full-text search (:mod:`textreuse.index.search`). In full mode it also keeps every sentence's embedding
(``sentences`` table, float16 rows, see :mod:`textreuse.index.embeddings`):
computed by ``add(..., embed=True)`` or later by :meth:`Store.embed_missing`,
once per document. The tables are in :mod:`textreuse.index.schema`.
Dates are stored as ISO 8601, the original kept in the metadata
(:func:`~textreuse.io.ingest.records.with_iso_date`); an index made before
holds them as written, and they are read when compared or summarized
(:mod:`textreuse.common.dates`), never compared as text.

Every batch of documents is written in one transaction: an interrupted
``add`` leaves the index as it was after the last complete batch, and
running it again adds the rest, each document exactly once. Writers queue:
a batch's transaction takes the write lock first and re-reads which of its
documents the index holds (:func:`~textreuse.index.schema.write_transaction`),
so two ``add`` runs on one index both finish; readers go on meanwhile (WAL).

>>> import tempfile, os
>>> from textreuse.types import Document
>>> path = os.path.join(tempfile.mkdtemp(), "reuse.db")
>>> with Store(path) as store:
...     store.add([Document("a", "Heavy rain flooded the old mill district on Tuesday night."),
...                Document("b", "A bakery opened downtown on Friday morning.")])
AddResult(added=2, replaced=0, unchanged=0)
>>> with Store(path) as store:
...     store.add([Document("a", "Heavy rain flooded the old mill district on Tuesday night.")])
AddResult(added=0, replaced=0, unchanged=1)
"""

from __future__ import annotations

import os
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from textreuse.common.batching import batches, chunks
from textreuse.common.dates import date_sort_key, iso_date
from textreuse.common.processes import worker_pool
from textreuse.errors import TextReuseError
from textreuse.index.embeddings import SentenceTable
from textreuse.index.failures import index_failure
from textreuse.index.fingerprints import GRAM_SIZE
from textreuse.index.rows import IndexRow, RowJob, content_hash, prepare_rows
from textreuse.index.schema import (
    SCHEMA_VERSION,
    create_index_file,
    create_tables,
    open_readonly,
    read_meta,
    upgrade,
    write_transaction,
)
from textreuse.index.search import fts_delete, fts_insert
from textreuse.io.ingest.records import with_iso_date
from textreuse.types import Document

__all__ = ["Store", "AddResult", "SCHEMA_VERSION", "GRAM_SIZE", "discard_if_empty"]

# Seconds a connection waits for another writer's lock.
DB_TIMEOUT = 60
# SQLite page cache, in KiB (256 MiB).
CACHE_KIB = 262_144
# Documents read and written (one transaction) at a time by :meth:`Store.add`.
ADD_BATCH = 256
# Ids looked up in one query.
LOOKUP_CHUNK = 500
# Documents a worker embeds together (fuller batches for the model).
EMBED_GROUP = 16


@dataclass(frozen=True)
class AddResult:
    """What :meth:`Store.add` did: documents added, replaced (changed content) and left as they were."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0

    def __add__(self, other: AddResult) -> AddResult:
        return AddResult(self.added + other.added, self.replaced + other.replaced, self.unchanged + other.unchanged)


# Rows of a batch: made here, or being made by the workers (one row, or a group of rows, a future).
_Pending = list[IndexRow] | list["Future[IndexRow]"] | list["Future[list[IndexRow]]"]


class _Batch(NamedTuple):
    """A batch of :meth:`Store.add` on its way: the known ``(key, hash)`` by id, unchanged count, rows."""

    known: dict[str, tuple[int, str]]
    unchanged: int
    rows: _Pending


class Store(SentenceTable):
    """A textreuse index in one SQLite file.

    Open it with ``Store(path)`` (created when missing) or ``Store(path,
    readonly=True)``; use it as a context manager or call :meth:`close`.
    Reading is :class:`~textreuse.index.reader.IndexReader`'s, sentence
    embeddings :class:`~textreuse.index.embeddings.SentenceTable`'s.
    """

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False, junk: bool = True) -> None:
        self.path = Path(path)
        if readonly and not self.path.exists():
            raise TextReuseError(f"{self.path}: no such index (create it with `textreuse index add`)")
        if self.path.exists() and self.path.is_dir():
            raise TextReuseError(f"{self.path}: is a folder, not an index file")
        try:
            if not readonly and self.path.exists() and self.path.stat().st_size:
                # Look before writing anything: a file that is not an index is refused untouched.
                probe = open_readonly(self.path, DB_TIMEOUT)
                try:
                    # A file with no tables at all is a new index whose creation was cut short.
                    if probe.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
                        read_meta(probe, self.path)
                finally:
                    probe.close()
            if not readonly and (not self.path.exists() or not self.path.stat().st_size):
                self.path.parent.mkdir(parents=True, exist_ok=True)
                create_index_file(self.path, junk)
            self.db = self._connect(readonly)
            if not readonly:
                upgrade(self.db)
                create_tables(self.db, junk)
            self.has_sentences, self.junk, self.embedder = read_meta(self.db, self.path)
        except sqlite3.Error as e:
            raise index_failure(self.path, e, kept=False) from None
        self.readonly = readonly
        self._embed: str | None = None
        self._threads: int | None = None

    def _connect(self, readonly: bool) -> sqlite3.Connection:
        if readonly:
            db = open_readonly(self.path, DB_TIMEOUT)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=DB_TIMEOUT)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
        db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        return db

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writing

    def add(
        self,
        documents: Iterable[Document],
        *,
        jobs: int = 1,
        batch_size: int = ADD_BATCH,
        on_batch: Callable[[AddResult], None] | None = None,
        embed: bool | str = False,
        worker_threads: int | None = 1,
    ) -> AddResult:
        """Add documents; return how many were added, replaced and unchanged.

        Streams: only one batch of documents is held at a time. Documents whose
        id and content hash are already in the index are skipped before any
        work is done on them. Each batch is one transaction.

        ``embed`` (``True`` or an embedder name) also embeds the sentences of
        every document added, for full-mode corpus runs; without it they are
        embedded when first needed (:meth:`embed_missing`). With ``jobs`` > 1,
        each worker's model runs on ``worker_threads`` threads (``None``: the
        embedder's default).
        """
        total = AddResult()
        self._embed = self._embedder_name(embed) if embed else None
        self._threads = worker_threads
        pool = worker_pool(jobs) if jobs > 1 else None
        pending: deque[_Batch] = deque()
        try:
            # Up to two batches are prepared by the workers while the main
            # process writes the one before them.
            for batch in batches(documents, batch_size):
                pending.append(self._start_batch(batch, pool))
                if len(pending) > 2:
                    total = total + self._finish_batch(pending.popleft(), on_batch)
            while pending:
                total = total + self._finish_batch(pending.popleft(), on_batch)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        return total

    def _start_batch(self, batch: list[Document], pool: ProcessPoolExecutor | None) -> _Batch:
        """Look up which documents of a batch are new or changed and start preparing them (dates as ISO 8601)."""
        batch = [with_iso_date(d) for d in batch]
        digests = [content_hash(d) for d in batch]
        known = self._known([d.id for d in batch])
        threads = self._threads if pool is not None else None
        todo = [
            RowJob(d, h, self.junk, self._embed, threads)
            for d, h in zip(batch, digests)
            if known.get(d.id, (0, ""))[1] != h
        ]
        unchanged = len(batch) - len(todo)
        rows: _Pending
        if pool is None or not todo:
            rows = prepare_rows(todo) if self._embed else [_prepare_row(j) for j in todo]
        elif self._embed:
            # Embedding: documents go to the workers in groups, so the model gets fuller batches.
            rows = [pool.submit(prepare_rows, list(group)) for group in chunks(todo, EMBED_GROUP)]
        else:
            rows = [pool.submit(_prepare_row, j) for j in todo]
        return _Batch(known, unchanged, rows)

    def _known(self, ids: list[str]) -> dict[str, tuple[int, str]]:
        """The key and content hash of each of these ids that the index holds."""
        known: dict[str, tuple[int, str]] = {}
        for chunk in chunks(ids, LOOKUP_CHUNK):
            marks = ",".join("?" * len(chunk))
            for doc, doc_id, digest in self.db.execute(
                f"SELECT doc, id, hash FROM documents WHERE id IN ({marks})", list(chunk)
            ):
                known[doc_id] = (doc, digest)
        return known

    def _finish_batch(self, batch: _Batch, on_batch: Callable[[AddResult], None] | None) -> AddResult:
        rows = _resolved(batch.rows)
        result = AddResult(unchanged=batch.unchanged)
        if rows:  # one transaction: all of the batch or none of it
            result = result + write_transaction(self.db, lambda: self._write_rows(rows))
        if on_batch is not None:
            on_batch(result)
        return result

    def _write_rows(self, rows: list[IndexRow]) -> AddResult:
        """Write a batch's rows (inside its transaction), checked against what the index holds now.

        Another writer may have added some of these documents since the batch
        was looked up: one already there with the same content is unchanged,
        with other content it is replaced.
        """
        known = self._known([row.id for row in rows])
        added = replaced = unchanged = 0
        for row in rows:
            old = known.get(row.id)
            if old is not None and old[1] == row.hash:
                unchanged += 1
                continue
            if old is not None:
                self._delete(old[0])
                replaced += 1
            else:
                added += 1
            self._insert(row)
        if added or replaced:
            if self._embed and rows[-1].sentences is not None:
                self._set_embedder(self._embed)
            self._bump_generation()
        return AddResult(added, replaced, unchanged)

    def _insert(self, row: IndexRow) -> None:
        cur = self.db.execute(
            "INSERT INTO documents (id, hash, length, date, source, metadata, text, tokens)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (row.id, row.hash, row.length, row.date, row.source, row.metadata, row.text, row.tokens),
        )
        key = cur.lastrowid
        assert key is not None
        fts_insert(self.db, key, row.id, row.metadata, row.source, row.text)
        self.db.execute(
            "INSERT INTO fingerprints VALUES (?, ?, ?, ?, ?)", (key, row.grams, row.positions, row.lines, row.names)
        )
        if row.sentences is not None:
            self.db.execute("INSERT INTO sentences VALUES (?, ?, ?, ?)", (key, *row.sentences))

    def _delete(self, doc: int) -> None:
        fts_delete(self.db, doc)
        self.db.execute("DELETE FROM documents WHERE doc = ?", (doc,))
        self.db.execute("DELETE FROM fingerprints WHERE doc = ?", (doc,))
        self.db.execute("DELETE FROM sentences WHERE doc = ?", (doc,))

    def _bump_generation(self) -> None:
        self.db.execute(
            "INSERT INTO meta VALUES ('generation', '1')"
            " ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def remove(self, ids: Iterable[str]) -> int:
        """Remove documents by id; returns how many were there."""
        wanted = list(ids)

        def work() -> int:
            n = 0
            for doc_id in wanted:
                row = self.db.execute("SELECT doc FROM documents WHERE id = ?", (doc_id,)).fetchone()
                if row:
                    self._delete(row[0])
                    n += 1
            if n:
                self._bump_generation()
            return n

        return write_transaction(self.db, work)

    # ------------------------------------------------------------------ summary

    def date_range(self) -> tuple[str | None, str | None]:
        """The first and last dates of the documents, as ISO 8601, by the days they name (never as text).

        Dates an older index stored as written are read here; unreadable ones are left out.
        """
        dates = [iso for (value,) in self.db.execute("SELECT DISTINCT date FROM documents") if (iso := iso_date(value))]
        if not dates:
            return None, None
        return min(dates, key=date_sort_key), max(dates, key=date_sort_key)

    def stats(self) -> dict[str, Any]:
        """A summary: documents, characters, n-grams, dates, sources, file size."""
        n, chars = self.db.execute("SELECT COUNT(*), COALESCE(SUM(length), 0) FROM documents").fetchone()
        first, last = self.date_range()
        sources = self.db.execute("SELECT COUNT(DISTINCT source) FROM documents").fetchone()[0]
        postings = self.db.execute("SELECT COALESCE(SUM(LENGTH(grams)), 0) / 8 FROM fingerprints").fetchone()[0]
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())
        vectors = 0
        if self.has_sentences:
            vectors = self.db.execute("SELECT COALESCE(SUM(LENGTH(words)), 0) / 2 FROM sentences").fetchone()[0]
        return {
            "path": str(self.path),
            "documents": int(n),
            "characters": int(chars),
            "sources": int(sources),
            "first_date": first,
            "last_date": last,
            "postings": int(postings),
            "gram_size": GRAM_SIZE,
            "junk_removal": self.junk,
            "embedded_documents": self.embedded_documents(),
            "sentence_vectors": int(vectors),
            "embedder": self.embedder,
            "bytes": int(size),
        }


def discard_if_empty(path: str | os.PathLike[str]) -> bool:
    """Remove the index at ``path`` (and SQLite's files beside it) if it holds no documents; whether it did.

    For a run that created the index and failed before adding anything: it
    leaves no empty index behind.
    """
    path = Path(path)
    if not path.is_file():
        return False
    try:
        with Store(path, readonly=True) as store:
            if len(store):
                return False
    except TextReuseError:
        pass  # made by the failed run and never finished: nothing in it
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return True


def _prepare_row(job: RowJob) -> IndexRow:
    """The row of one document (runs in worker processes)."""
    return prepare_rows([job])[0]


def _resolved(pending: _Pending) -> list[IndexRow]:
    """The rows of a batch, waiting for the workers' (a group of rows from a worker counts as its rows)."""
    rows: list[IndexRow] = []
    for item in pending:
        done = item.result() if isinstance(item, Future) else item
        if isinstance(done, list):  # a group of rows (embedding workers)
            rows.extend(done)
        else:
            rows.append(done)
    return rows
