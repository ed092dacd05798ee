"""A document as the index stores it: one :class:`IndexRow`, made by :func:`index_row` (or the index's workers).

The row holds the text and metadata, a content hash (equal hashes: nothing
to re-index), the prepared tokens packed in one blob (so a corpus run never
prepares a document twice), the fingerprint, the line table and the name
hashes (:mod:`textreuse.index.fingerprints`), and optionally the sentence
embeddings (:mod:`textreuse.index.sentences`). Engines that keep no SQLite
index (:mod:`textreuse.engines.spark`) pass these rows around instead.

>>> row = index_row(Document("a", "Heavy rain flooded the old mill district on Tuesday night."))
>>> row.id, len(row.fingerprint().grams), row.prepared().tokens.keys[:3]
('a', 6, ['heavy', 'rain', 'flooded'])
"""

from __future__ import annotations

import hashlib
import json
from typing import NamedTuple

import numpy as np

from textreuse.index.fingerprints import (
    LINE_DTYPE,
    Fingerprint,
    fingerprint,
    line_table,
    name_hashes,
)
from textreuse.index.sentences import SentenceBlobs
from textreuse.prepare import PreparedDocument, prepare
from textreuse.text.segment import Tokens
from textreuse.types import Document

__all__ = [
    "IndexRow",
    "RowJob",
    "StoredDoc",
    "content_hash",
    "doc_source",
    "index_row",
    "prepare_rows",
    "stored_prepared",
]

# Bytes of the size header of a packed token blob: five int64 part sizes.
_HEADER = 40


class StoredDoc(NamedTuple):
    """A document's row in the index, without its text: key, id, date, source, length."""

    doc: int
    id: str
    date: str | None
    source: str | None
    length: int


class IndexRow(NamedTuple):
    """Everything the index stores of one document, as written to its tables (blobs as bytes)."""

    id: str
    hash: str
    length: int
    date: str | None
    source: str | None
    metadata: str
    text: str
    tokens: bytes
    grams: bytes
    positions: bytes
    lines: bytes
    names: bytes
    sentences: SentenceBlobs | None = None

    def fingerprint(self) -> Fingerprint:
        """The document's n-gram hashes and first positions, as :meth:`Store.fingerprints` reads them."""
        return Fingerprint(np.frombuffer(self.grams, dtype=np.int64), np.frombuffer(self.positions, dtype=np.int32))

    def line_table(self) -> np.ndarray:
        """The document's :func:`~textreuse.index.fingerprints.line_table`, as :meth:`Store.line_table` reads it."""
        return np.frombuffer(self.lines, dtype=LINE_DTYPE)

    def prepared(self) -> PreparedDocument:
        """The prepared document, as :meth:`Store.prepared` reads it back."""
        return stored_prepared(self.id, self.text, self.metadata, self.tokens)


class RowJob(NamedTuple):
    """One document for :func:`prepare_rows`: its content hash, junk removal, and the embedder of its sentences.

    ``embedder`` names the sentence embedder (``None``: no sentence rows);
    ``threads`` is how many threads its model runs on (``None``: its default).
    """

    doc: Document
    digest: str
    junk: bool
    embedder: str | None = None
    threads: int | None = None


def content_hash(doc: Document) -> str:
    """Hash of a document's text and metadata: equal hashes mean nothing to re-index."""
    h = hashlib.sha256(doc.text.encode("utf-8", "surrogatepass"))
    h.update(json.dumps(doc.metadata, sort_keys=True, ensure_ascii=False, default=str).encode())
    return h.hexdigest()


def doc_source(doc: Document) -> str | None:
    """The publication a document comes from: metadata ``source``, else ``series`` (passim's name)."""
    for key in ("source", "series"):
        value = doc.metadata.get(key)
        if value not in (None, ""):
            return str(value)
    return None


def pack_tokens(prepared: PreparedDocument) -> bytes:
    """Tokens, junk breaks and excluded spans as one uncompressed blob (read back by :func:`unpack_tokens`)."""
    t = prepared.tokens
    head = json.dumps({"n": len(t.keys), "breaks": sorted(t.breaks), "excluded": prepared.excluded}).encode()
    parts = [
        head,
        "\x1f".join(t.keys).encode("utf-8", "surrogatepass"),
        np.asarray(t.starts, dtype=np.int32).tobytes(),
        np.asarray(t.ends, dtype=np.int32).tobytes(),
        np.asarray(t.content, dtype=np.int32).tobytes(),
    ]
    sizes = np.asarray([len(p) for p in parts], dtype=np.int64).tobytes()
    return sizes + b"".join(parts)


def unpack_tokens(raw: bytes) -> tuple[Tokens, list[tuple[int, int]]]:
    """The tokens and excluded spans of a :func:`pack_tokens` blob."""
    sizes = np.frombuffer(raw[:_HEADER], dtype=np.int64)
    pos = _HEADER
    parts = []
    for size in sizes:
        parts.append(raw[pos : pos + int(size)])
        pos += int(size)
    head = json.loads(parts[0])
    keys = parts[1].decode("utf-8", "surrogatepass").split("\x1f") if head["n"] else []
    starts = np.frombuffer(parts[2], dtype=np.int32).tolist()
    ends = np.frombuffer(parts[3], dtype=np.int32).tolist()
    excluded = [(int(s), int(e)) for s, e in head["excluded"]]
    tokens = Tokens(keys, starts, ends, frozenset(head["breaks"]))
    tokens.__dict__["content"] = np.frombuffer(parts[4], dtype=np.int32).tolist()  # the cached property, known
    return tokens, excluded


def stored_prepared(doc_id: str, text: str, metadata: str, tokens: bytes) -> PreparedDocument:
    """A prepared document from what the index stores of it (``metadata`` as JSON, ``tokens`` packed)."""
    prepared_tokens, excluded = unpack_tokens(tokens)
    return PreparedDocument(Document(doc_id, text, json.loads(metadata)), None, prepared_tokens, excluded)


def index_row(doc: Document, *, junk: bool = True) -> IndexRow:
    """What :meth:`Store.add` stores of one document (without sentence embeddings)."""
    return prepare_rows([RowJob(doc, content_hash(doc), junk)])[0]


def prepare_rows(jobs: list[RowJob]) -> list[IndexRow]:
    """The rows of several documents (runs in worker processes); their sentences are embedded in one call.

    With an embedder in the jobs (the first job's counts), each row holds the
    document's sentence rows (:func:`textreuse.index.sentences.sentence_rows`,
    as blobs); else its ``sentences`` is ``None``.
    """
    prepared = [prepare(job.doc, junk=job.junk) for job in jobs]
    sentence_blobs: list[SentenceBlobs | None] = [None] * len(jobs)
    if jobs and jobs[0].embedder is not None:
        from textreuse.index.sentences import (
            pack_rows,
            sentence_rows_many,
            worker_embedder,
        )

        model = worker_embedder(jobs[0].embedder, threads=jobs[0].threads)
        sentence_blobs = [pack_rows(*r) for r in sentence_rows_many(prepared, model)]
    return [_row(job, p, blobs) for job, p, blobs in zip(jobs, prepared, sentence_blobs)]


def _row(job: RowJob, prepared: PreparedDocument, sentences: SentenceBlobs | None) -> IndexRow:
    doc = job.doc
    fp = fingerprint(prepared.tokens)
    return IndexRow(
        id=doc.id,
        hash=job.digest,
        length=len(doc.text),
        date=doc.date,
        source=doc_source(doc),
        metadata=json.dumps(doc.metadata, ensure_ascii=False, default=str),
        text=doc.text,
        tokens=pack_tokens(prepared),
        grams=fp.grams.tobytes(),
        positions=fp.positions.tobytes(),
        lines=line_table(doc.text).tobytes(),
        names=name_hashes(prepared).tobytes(),
        sentences=sentences,
    )
