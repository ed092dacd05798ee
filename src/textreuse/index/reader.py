"""Reading an open index: documents, prepared tokens, fingerprints, postings, boilerplate lines.

:class:`IndexReader` is the reading half of :class:`textreuse.index.store.Store`.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np

from textreuse.index.candidates import inverted_runs
from textreuse.index.fingerprints import LINE_DTYPE, Fingerprint, RepeatedLineHashes
from textreuse.index.rows import StoredDoc, stored_prepared
from textreuse.index.schema import write_transaction
from textreuse.prepare import PreparedDocument
from textreuse.types import Document

__all__ = ["IndexReader"]

# Postings are stored in parts of this many rows (a SQLite blob holds at most 1 GiB).
POSTINGS_PART = 1 << 24


class IndexReader:
    """Reads the tables of an open SQLite index (``db``): documents by key or id, fingerprints, postings."""

    db: sqlite3.Connection
    path: Path
    readonly: bool
    junk: bool
    embedder: str | None
    has_sentences: bool

    def __len__(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def __contains__(self, doc_id: object) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    @property
    def generation(self) -> int:
        """A counter that changes whenever documents are added, replaced or removed."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def info(self) -> list[StoredDoc]:
        """Key, id, date, source and length of every document, in key order."""
        return [
            StoredDoc(*row)
            for row in self.db.execute("SELECT doc, id, date, source, length FROM documents ORDER BY doc")
        ]

    def key(self, doc_id: str) -> int | None:
        row = self.db.execute("SELECT doc FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return None if row is None else int(row[0])

    def document(self, doc: int | str) -> Document:
        """The stored document, by key or id."""
        column = "doc" if isinstance(doc, int) else "id"
        row = self.db.execute(f"SELECT id, text, metadata FROM documents WHERE {column} = ?", (doc,)).fetchone()
        if row is None:
            raise KeyError(doc)
        doc_id, text, metadata = row
        return Document(doc_id, text, json.loads(metadata))

    def prepared(self, doc: int) -> PreparedDocument:
        """The document as :func:`textreuse.prepare.prepare` made it at indexing time."""
        row = self.db.execute("SELECT id, text, metadata, tokens FROM documents WHERE doc = ?", (doc,)).fetchone()
        if row is None:
            raise KeyError(doc)
        doc_id, text, metadata, tokens = row
        return stored_prepared(doc_id, text, metadata, tokens)

    def all_fingerprints(self) -> dict[int, Fingerprint]:
        """Every document's n-gram hashes and first positions, by key (for corpus runs)."""
        return {
            int(doc): Fingerprint(np.frombuffer(g, dtype=np.int64), np.frombuffer(p, dtype=np.int32))
            for doc, g, p in self.db.execute("SELECT doc, grams, positions FROM fingerprints")
        }

    def fingerprints(self, doc: int) -> Fingerprint:
        """The document's n-gram hashes and first positions."""
        grams, positions = self.db.execute("SELECT grams, positions FROM fingerprints WHERE doc = ?", (doc,)).fetchone()
        return Fingerprint(np.frombuffer(grams, dtype=np.int64), np.frombuffer(positions, dtype=np.int32))

    def _hashes(self, column: str) -> tuple[list[int], list[np.ndarray]]:
        keys: list[int] = []
        arrays: list[np.ndarray] = []
        for doc, blob in self.db.execute(f"SELECT doc, {column} FROM fingerprints ORDER BY doc"):
            keys.append(int(doc))
            arrays.append(np.frombuffer(blob, dtype=np.int64))
        return keys, arrays

    def all_grams(self) -> tuple[list[int], list[np.ndarray]]:
        """Keys of all documents and their n-gram hash arrays (for corpus-wide candidate search)."""
        return self._hashes("grams")

    def all_names(self) -> tuple[list[int], list[np.ndarray]]:
        """Keys of all documents and their name/number hash arrays (for spun-copy candidates)."""
        return self._hashes("names")

    def postings(self) -> tuple[np.ndarray, np.ndarray]:
        """The inverted index: all ``(n-gram hash, document key)`` pairs, sorted by hash.

        Built from the documents' fingerprints and kept in the index file
        until documents change, so opening it again is one read.
        """
        generation = self.generation
        rows = self.db.execute("SELECT generation, grams, docs FROM postings ORDER BY part").fetchall()
        if rows and all(part_generation == generation for part_generation, _, _ in rows):
            grams = np.concatenate([np.frombuffer(g, dtype=np.int64) for _, g, _ in rows])
            docs = np.concatenate([np.frombuffer(d, dtype=np.int32) for _, _, d in rows])
            return grams, docs
        grams, docs = self._all_postings()
        if not self.readonly:
            write_transaction(self.db, lambda: self._keep_postings(generation, grams, docs))
        return grams, docs

    def _all_postings(self) -> tuple[np.ndarray, np.ndarray]:
        """The postings built from every document's n-gram hashes, read end to end (no array per document)."""
        keys: list[int] = []
        lengths: list[int] = []
        blobs: list[bytes] = []
        for doc, blob in self.db.execute("SELECT doc, grams FROM fingerprints ORDER BY doc"):
            keys.append(int(doc))
            lengths.append(len(blob) // 8)
            blobs.append(blob)
        joined = b"".join(blobs)
        del blobs
        return inverted_runs(keys, lengths, np.frombuffer(joined, dtype=np.int64))

    def _keep_postings(self, generation: int, grams: np.ndarray, docs: np.ndarray) -> None:
        """Store the postings built at ``generation`` (inside a write transaction), unless documents changed since."""
        if self.generation != generation:
            return  # another writer changed the documents: these postings are already stale
        self.db.execute("DELETE FROM postings")
        for k, i in enumerate(range(0, max(1, len(grams)), POSTINGS_PART)):
            self.db.execute(
                "INSERT INTO postings VALUES (?, ?, ?, ?)",
                (k, generation, grams[i : i + POSTINGS_PART].tobytes(), docs[i : i + POSTINGS_PART].tobytes()),
            )

    def repeated_lines(self, min_docs: int) -> RepeatedLineHashes:
        """Short lines found in at least ``min_docs`` documents (corpus boilerplate), by hash."""
        arrays = [
            np.unique(np.frombuffer(b, dtype=LINE_DTYPE)["hash"])
            for (b,) in self.db.execute("SELECT lines FROM fingerprints")
        ]
        if not arrays:
            return RepeatedLineHashes(np.zeros(0, np.int64))
        values, counts = np.unique(np.concatenate(arrays), return_counts=True)
        return RepeatedLineHashes(values[counts >= min_docs])

    def line_table(self, doc: int) -> np.ndarray:
        """The document's :func:`~textreuse.index.fingerprints.line_table`, as stored."""
        (lines,) = self.db.execute("SELECT lines FROM fingerprints WHERE doc = ?", (doc,)).fetchone()
        return np.frombuffer(lines, dtype=LINE_DTYPE)
