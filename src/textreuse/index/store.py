"""The index: an embedded SQLite store of documents, their prepared tokens and n-gram fingerprints.

One file, no server. For every document it keeps the text and metadata, a
content hash (so adding the same document again is a no-op and a changed
one replaces the old), the tokens that :func:`textreuse.compare.prepare`
made (so a corpus run never prepares a document twice), and the sorted
64-bit hashes of its content-word 3-grams with the position where each
first occurs (see :mod:`textreuse.index.candidates`). A ``postings`` table keeps
the inverted index of the n-gram hashes, for queries. In full mode it also
keeps every sentence's embedding (``sentences`` table, float16 rows, see
:mod:`textreuse.index.ann`): computed by ``add(..., embed=True)`` or later by
:meth:`Store.embed_missing`, once per document.

Every batch of documents is written in one transaction: an interrupted
``add`` leaves the index as it was after the last complete batch, and
running it again adds the rest, each document exactly once.

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

import hashlib
import json
import os
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from textreuse.index.candidates import content_words
from textreuse.compare import PreparedDocument, prepare
from textreuse.errors import TextReuseError
from textreuse.text.segment import Tokens
from textreuse.types import Document

__all__ = ["Store", "AddResult", "StoredDoc", "IndexRow", "fingerprint", "index_row", "stored_prepared",
           "SCHEMA_VERSION", "GRAM_SIZE"]

# 4: the ``sentences`` table (sentence spans, content-word counts and float16 embeddings).
# An index of schema 3 is upgraded in place when opened for writing (the table is added,
# empty); opened read-only it works as before, without sentence embeddings.
SCHEMA_VERSION = 4
_UPGRADABLE = {"3"}
GRAM_SIZE = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL,
    length INTEGER NOT NULL,
    date TEXT,
    source TEXT,
    metadata TEXT NOT NULL,
    text TEXT NOT NULL,
    tokens BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS fingerprints (
    doc INTEGER PRIMARY KEY,
    grams BLOB NOT NULL,
    positions BLOB NOT NULL,
    lines BLOB NOT NULL,
    names BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS postings (part INTEGER PRIMARY KEY, generation INTEGER NOT NULL, grams BLOB NOT NULL, docs BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS sentences (
    doc INTEGER PRIMARY KEY,
    spans BLOB NOT NULL,
    words BLOB NOT NULL,
    vectors BLOB NOT NULL
);
"""


@dataclass(frozen=True)
class AddResult:
    """What :meth:`Store.add` did: documents added, replaced (changed content) and left as they were."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0

    def __add__(self, other: AddResult) -> AddResult:
        return AddResult(self.added + other.added, self.replaced + other.replaced, self.unchanged + other.unchanged)


@dataclass(frozen=True)
class StoredDoc:
    """A document's row in the index, without its text: key, id, date, source, length."""

    doc: int
    id: str
    date: str | None
    source: str | None
    length: int


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


def fingerprint(tokens: Tokens, n: int = GRAM_SIZE) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct n-gram hashes of a document and the content-word position where each first occurs.

    >>> from textreuse.compare import prepare
    >>> grams, positions = fingerprint(prepare("Heavy rain flooded the old mill district again.").tokens)
    >>> len(grams), sorted(positions.tolist())
    (4, [0, 1, 2, 3])
    """
    words = content_words(tokens)
    first: dict[str, int] = {}
    for i in range(len(words) - n + 1):
        first.setdefault(" ".join(words[i : i + n]), i)
    grams = np.fromiter(
        (int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little", signed=True) for g in first),
        dtype=np.int64,
        count=len(first),
    )
    positions = np.fromiter(first.values(), dtype=np.int32, count=len(first))
    order = np.argsort(grams, kind="stable")
    return grams[order], positions[order]


def _pack_tokens(prepared: PreparedDocument) -> bytes:
    """Tokens, junk breaks and excluded spans as one blob (read back by :func:`_unpack_tokens`).

    Not compressed: corpus runs read documents far more often than they write them.
    """
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


def _unpack_tokens(raw: bytes) -> tuple[Tokens, list[tuple[int, int]]]:
    sizes = np.frombuffer(raw[:40], dtype=np.int64)
    pos = 40
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


def _hash64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little", signed=True)


LINE_DTYPE = np.dtype([("hash", "<i8"), ("start", "<i4"), ("end", "<i4")])


def line_table(text: str) -> np.ndarray:
    """The short lines of a document that stand on their own: key hash and span of each.

    Candidates for corpus boilerplate (:func:`textreuse.junk.standalone_lines`).
    """
    from textreuse.text.junk import standalone_lines

    rows = [(_hash64(key), s, e) for s, e, key in standalone_lines(text)]
    return np.array(rows, dtype=LINE_DTYPE)


def name_hashes(prepared: PreparedDocument) -> np.ndarray:
    """Sorted distinct hashes of the names and numbers of a document.

    Names (capitalized words not at a sentence start) and numbers survive
    paraphrase and round-trip translation, when word n-grams do not: they
    are the signature that finds spun copies.

    >>> from textreuse.compare import prepare
    >>> len(name_hashes(prepare("Officials in Port Elwin said 42 boats sank. The Harbour Board met.")))
    5
    """
    text = prepared.document.text
    t = prepared.tokens
    names: set[str] = set()
    for k in t.content:
        key = t.keys[k]
        if any(c.isdigit() for c in key):
            names.add(key)
            continue
        start = t.starts[k]
        if not text[start : start + 1].isupper() or len(key) < 3:
            continue
        before = text[max(0, start - 3) : start].strip()
        if k > 0 and before[-1:] not in (".", "!", "?", '"', "\u201c") and t.starts[k] - t.ends[k - 1] < 3:
            names.add(key)
    return np.unique(np.fromiter((_hash64(n) for n in names), dtype=np.int64, count=len(names)))


class RepeatedLineHashes:
    """Short lines found in many documents of an index, by hash; usable as ``find_junk(repeated=...)``."""

    def __init__(self, hashes: np.ndarray) -> None:
        self.hashes = np.asarray(hashes, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.hashes)

    def __contains__(self, key: object) -> bool:
        h = _hash64(str(key))
        i = int(np.searchsorted(self.hashes, h))
        return i < len(self.hashes) and int(self.hashes[i]) == h

    def spans(self, table: np.ndarray) -> list[tuple[int, int]]:
        """Spans of the lines of a document's :func:`line_table` that are repeated lines."""
        if not len(self.hashes) or not len(table):
            return []
        hit = np.isin(table["hash"], self.hashes)
        return [(int(s), int(e)) for s, e in zip(table["start"][hit], table["end"][hit])]


class IndexRow(NamedTuple):
    """Everything the index stores of one document, as written to its tables (blobs as bytes).

    Made by :func:`index_row` (and the index's workers); engines that keep no
    SQLite index (:mod:`textreuse.engines.spark`) pass these rows around instead.
    """

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
    sentences: Any = None

    def fingerprint(self) -> tuple[np.ndarray, np.ndarray]:
        """The document's n-gram hashes and first positions, as :meth:`Store.fingerprints` reads them."""
        return np.frombuffer(self.grams, dtype=np.int64), np.frombuffer(self.positions, dtype=np.int32)

    def line_table(self) -> np.ndarray:
        """The document's :func:`line_table`, as :meth:`Store.line_table` reads it."""
        return np.frombuffer(self.lines, dtype=LINE_DTYPE)

    def prepared(self) -> PreparedDocument:
        """The prepared document, as :meth:`Store.prepared` reads it back."""
        return stored_prepared(self.id, self.text, self.metadata, self.tokens)


def index_row(doc: Document, *, junk: bool = True) -> IndexRow:
    """What :meth:`Store.add` stores of one document (without sentence embeddings).

    >>> row = index_row(Document("a", "Heavy rain flooded the old mill district on Tuesday night."))
    >>> row.id, len(row.fingerprint()[0]), row.prepared().tokens.keys[:3]
    ('a', 6, ['heavy', 'rain', 'flooded'])
    """
    return _prepare_row((doc, content_hash(doc), junk, None))


def stored_prepared(doc_id: str, text: str, metadata: str, tokens: bytes) -> PreparedDocument:
    """A prepared document from what the index stores of it (``metadata`` as JSON, ``tokens`` packed)."""
    prepared_tokens, excluded = _unpack_tokens(tokens)
    return PreparedDocument(Document(doc_id, text, json.loads(metadata)), None, prepared_tokens, excluded)


def _prepare_row(job: tuple[Document, str, bool, str | None]) -> IndexRow:
    """Everything the index stores of one document (runs in worker processes).

    With an embedder name, the last element holds the document's sentence rows
    (:func:`textreuse.ann.sentence_rows`, as blobs); else it is ``None``.
    """
    return _prepare_rows([job])[0]


def _prepare_rows(jobs: list[tuple[Document, str, bool, str | None]]) -> list[IndexRow]:
    """:func:`_prepare_row` of several documents; their sentences are embedded in one call (fuller batches)."""
    prepared = [prepare(doc, junk=junk) for doc, _, junk, _ in jobs]
    embedder = jobs[0][3] if jobs else None
    sentence_blobs: list[Any] = [None] * len(jobs)
    if embedder is not None:
        from textreuse.index.ann import pack_rows, sentence_rows_many, worker_embedder

        sentence_blobs = [pack_rows(*r) for r in sentence_rows_many(prepared, worker_embedder(embedder))]
    rows = []
    for (doc, digest, _, _), p, blobs in zip(jobs, prepared, sentence_blobs):
        grams, positions = fingerprint(p.tokens)
        rows.append(IndexRow(
            doc.id,
            digest,
            len(doc.text),
            doc.date,
            doc_source(doc),
            json.dumps(doc.metadata, ensure_ascii=False, default=str),
            doc.text,
            _pack_tokens(p),
            grams.tobytes(),
            positions.tobytes(),
            line_table(doc.text).tobytes(),
            name_hashes(p).tobytes(),
            blobs,
        ))
    return rows


def _one_thread() -> None:
    """Pool initializer: each worker embeds on one thread (the workers already use every core)."""
    os.environ["TEXTREUSE_THREADS"] = "1"


class Store:
    """A textreuse index in one SQLite file.

    Open it with ``Store(path)`` (created when missing) or ``Store(path,
    readonly=True)``; use it as a context manager or call :meth:`close`.
    """

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False, junk: bool = True) -> None:
        self.path = Path(path)
        if readonly and not self.path.exists():
            raise TextReuseError(f"{self.path}: no such index (create it with `textreuse index add`)")
        if self.path.exists() and self.path.is_dir():
            raise TextReuseError(f"{self.path}: is a folder, not an index file")
        try:
            if readonly:
                self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=60)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(self.path, timeout=60)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA cache_size=-262144")  # 256 MiB
            if not readonly:
                self._upgrade()
                self.db.executescript(_SCHEMA)
                self._init_meta(junk)
            self._check_meta()
        except sqlite3.DatabaseError as e:
            raise TextReuseError(f"{self.path}: not a textreuse index ({e})") from None
        self.readonly = readonly
        self._embed: str | None = None

    # ------------------------------------------------------------------ setup

    def _init_meta(self, junk: bool) -> None:
        with self.db:
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('gram_size', ?)", (str(GRAM_SIZE),))
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('junk', ?)", ("1" if junk else "0",))

    def _upgrade(self) -> None:
        """Bring an index of an older, compatible schema up to this one (adds the ``sentences`` table)."""
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError:
            return  # a new file
        if row is not None and row[0] in _UPGRADABLE:
            with self.db:
                self.db.executescript(_SCHEMA)
                self.db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))

    def _check_meta(self) -> None:
        try:
            meta = dict(self.db.execute("SELECT key, value FROM meta"))
        except sqlite3.OperationalError:
            raise TextReuseError(f"{self.path}: not a textreuse index") from None
        schema = meta.get("schema")
        if schema != str(SCHEMA_VERSION) and not (self.path.exists() and schema in _UPGRADABLE):
            raise TextReuseError(
                f"{self.path}: index schema {schema!r}, this textreuse reads {SCHEMA_VERSION}; rebuild it"
            )
        # An old index opened read-only has no sentence table: no embeddings, lexical work as before.
        self.has_sentences = schema == str(SCHEMA_VERSION)
        self.junk = meta.get("junk", "1") == "1"
        self.embedder = meta.get("embedder")

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
        batch_size: int = 256,
        on_batch: Callable[[AddResult], None] | None = None,
        embed: bool | str = False,
    ) -> AddResult:
        """Add documents; return how many were added, replaced and unchanged.

        Streams: only one batch of documents is held at a time. Documents whose
        id and content hash are already in the index are skipped before any
        work is done on them. Each batch is one transaction.

        ``embed`` (``True`` or an embedder name) also embeds the sentences of
        every document added, for full-mode corpus runs; without it they are
        embedded when first needed (:meth:`embed_missing`).
        """
        total = AddResult()
        self._embed = self._embedder_name(embed) if embed else None
        pool = (ProcessPoolExecutor(jobs, initializer=_one_thread if self._embed else None)
                if jobs > 1 else None)
        pending: deque[tuple[dict[str, tuple[int, str]], int, Any]] = deque()
        try:
            # Up to two batches are prepared by the workers while the main
            # process writes the one before them.
            for batch in _batches(documents, batch_size):
                pending.append(self._start_batch(batch, pool))
                if len(pending) > 2:
                    total = total + self._finish_batch(*pending.popleft(), on_batch)
            while pending:
                total = total + self._finish_batch(*pending.popleft(), on_batch)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        return total

    def _start_batch(
        self, batch: list[Document], pool: ProcessPoolExecutor | None
    ) -> tuple[dict[str, tuple[int, str]], int, Any]:
        """Look up which documents of a batch are new or changed and start preparing them."""
        digests = [content_hash(d) for d in batch]
        known: dict[str, tuple[int, str]] = {}
        ids = [d.id for d in batch]
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for doc, doc_id, digest in self.db.execute(
                f"SELECT doc, id, hash FROM documents WHERE id IN ({marks})", chunk
            ):
                known[doc_id] = (doc, digest)
        todo = [(d, h, self.junk, self._embed) for d, h in zip(batch, digests) if known.get(d.id, (0, ""))[1] != h]
        unchanged = len(batch) - len(todo)
        if pool is None or not todo:
            rows: Any = _prepare_rows(todo) if self._embed else [_prepare_row(j) for j in todo]
        elif self._embed:
            # Embedding: documents go to the workers in groups, so the model gets fuller batches.
            rows = [pool.submit(_prepare_rows, group) for group in _chunks(todo, 16)]
        else:
            rows = [pool.submit(_prepare_row, j) for j in todo]
        return known, unchanged, rows

    def _finish_batch(
        self,
        known: dict[str, tuple[int, str]],
        unchanged: int,
        rows: Any,
        on_batch: Callable[[AddResult], None] | None,
    ) -> AddResult:
        rows = [r.result() if hasattr(r, "result") else r for r in rows]
        if rows and isinstance(rows[0], list):  # groups of rows (embedding workers)
            rows = [row for group in rows for row in group]
        added = replaced = 0
        if rows:
            with self.db:  # one transaction: all of the batch or none of it
                for row in rows:
                    old = known.get(row[0])
                    if old is not None:
                        self._delete(old[0])
                        replaced += 1
                    else:
                        added += 1
                    cur = self.db.execute(
                        "INSERT INTO documents (id, hash, length, date, source, metadata, text, tokens)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        row[:8],
                    )
                    self.db.execute("INSERT INTO fingerprints VALUES (?, ?, ?, ?, ?)", (cur.lastrowid, *row[8:12]))
                    if row[12] is not None:
                        self.db.execute("INSERT INTO sentences VALUES (?, ?, ?, ?)", (cur.lastrowid, *row[12]))
                if self._embed and rows and rows[-1][12] is not None:
                    self._set_embedder(self._embed)
                self._bump_generation()
        result = AddResult(added, replaced, unchanged)
        if on_batch is not None:
            on_batch(result)
        return result

    def _delete(self, doc: int) -> None:
        self.db.execute("DELETE FROM documents WHERE doc = ?", (doc,))
        self.db.execute("DELETE FROM fingerprints WHERE doc = ?", (doc,))
        self.db.execute("DELETE FROM sentences WHERE doc = ?", (doc,))

    # ------------------------------------------------------------------ sentence embeddings

    def _embedder_name(self, embed: bool | str) -> str:
        name = embed if isinstance(embed, str) else (self.embedder or "minilm-onnx")
        if self.embedder is not None and name != self.embedder and self.embedded_documents():
            raise TextReuseError(
                f"{self.path}: the index holds sentence embeddings of {self.embedder}, not {name}; rebuild it"
            )
        return name

    def _set_embedder(self, name: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('embedder', ?)", (name,))
        self.embedder = name

    def missing_embeddings(self) -> list[int]:
        """Keys of the documents whose sentences are not embedded yet."""
        if not self.has_sentences:
            return [d for (d,) in self.db.execute("SELECT doc FROM documents ORDER BY doc")]
        return [d for (d,) in self.db.execute(
            "SELECT doc FROM documents WHERE doc NOT IN (SELECT doc FROM sentences) ORDER BY doc")]

    def embedded_documents(self) -> int:
        if not self.has_sentences:
            return 0
        return int(self.db.execute("SELECT COUNT(*) FROM sentences").fetchone()[0])

    def embed_missing(
        self,
        embedder: str = "minilm-onnx",
        *,
        batch_size: int = 64,
        on_batch: Callable[[int], None] | None = None,
    ) -> int:
        """Embed the sentences of every document that has none stored yet; returns how many documents.

        Runs in this process (the model uses every core); each batch of
        documents is one transaction, so an interrupted run keeps what it did.
        """
        from textreuse.index.ann import pack_rows, sentence_rows_many, worker_embedder

        if self.readonly:
            raise TextReuseError(f"{self.path}: opened read-only, cannot store sentence embeddings")
        name = self._embedder_name(embedder)
        todo = self.missing_embeddings()
        if not todo:
            return 0
        model = worker_embedder(name)
        for chunk in _chunks(todo, batch_size):
            found = sentence_rows_many([self.prepared(doc) for doc in chunk], model)
            rows = [(doc, *pack_rows(*r)) for doc, r in zip(chunk, found)]
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO sentences VALUES (?, ?, ?, ?)", rows)
                self._set_embedder(name)
            if on_batch is not None:
                on_batch(len(chunk))
        return len(todo)

    def sentences(self, doc: int) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """A document's stored sentence spans ``(n, 2)``, content-word counts and float16 rows, if embedded."""
        if not self.has_sentences:
            return None
        row = self.db.execute("SELECT spans, words, vectors FROM sentences WHERE doc = ?", (doc,)).fetchone()
        if row is None:
            return None
        from textreuse.index.ann import unpack_rows

        return unpack_rows(*row)

    def all_sentences(self) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
        """``(doc, spans, words, vectors)`` of every embedded document, in key order."""
        if not self.has_sentences:
            return
        from textreuse.index.ann import unpack_rows

        for doc, spans, words, vectors in self.db.execute(
            "SELECT doc, spans, words, vectors FROM sentences ORDER BY doc"
        ):
            yield (int(doc), *unpack_rows(spans, words, vectors))

    def _bump_generation(self) -> None:
        self.db.execute(
            "INSERT INTO meta VALUES ('generation', '1')"
            " ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    @property
    def generation(self) -> int:
        """A counter that changes whenever documents are added, replaced or removed."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def remove(self, ids: Iterable[str]) -> int:
        """Remove documents by id; returns how many were there."""
        n = 0
        with self.db:
            for doc_id in ids:
                row = self.db.execute("SELECT doc FROM documents WHERE id = ?", (doc_id,)).fetchone()
                if row:
                    self._delete(row[0])
                    n += 1
            if n:
                self._bump_generation()
        return n

    # ------------------------------------------------------------------ reading

    def __len__(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def __contains__(self, doc_id: object) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

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
        return Document(row[0], row[1], json.loads(row[2]))

    def prepared(self, doc: int) -> PreparedDocument:
        """The document as :func:`textreuse.compare.prepare` made it at indexing time."""
        row = self.db.execute("SELECT id, text, metadata, tokens FROM documents WHERE doc = ?", (doc,)).fetchone()
        if row is None:
            raise KeyError(doc)
        return stored_prepared(*row)

    def all_fingerprints(self) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """Every document's n-gram hashes and first positions, by key (for corpus runs)."""
        return {
            int(doc): (np.frombuffer(g, dtype=np.int64), np.frombuffer(p, dtype=np.int32))
            for doc, g, p in self.db.execute("SELECT doc, grams, positions FROM fingerprints")
        }

    def fingerprints(self, doc: int) -> tuple[np.ndarray, np.ndarray]:
        row = self.db.execute("SELECT grams, positions FROM fingerprints WHERE doc = ?", (doc,)).fetchone()
        return np.frombuffer(row[0], dtype=np.int64), np.frombuffer(row[1], dtype=np.int32)

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
        if rows and all(r[0] == generation for r in rows):
            grams = np.concatenate([np.frombuffer(r[1], dtype=np.int64) for r in rows])
            docs = np.concatenate([np.frombuffer(r[2], dtype=np.int32) for r in rows])
            return grams, docs
        grams, docs = inverted(*self.all_grams())
        if not self.readonly:
            part = 1 << 24
            with self.db:
                self.db.execute("DELETE FROM postings")
                for k, i in enumerate(range(0, max(1, len(grams)), part)):
                    self.db.execute(
                        "INSERT INTO postings VALUES (?, ?, ?, ?)",
                        (k, generation, grams[i : i + part].tobytes(), docs[i : i + part].tobytes()),
                    )
        return grams, docs

    def repeated_lines(self, min_docs: int) -> RepeatedLineHashes:
        """Short lines found in at least ``min_docs`` documents (corpus boilerplate), by hash."""
        arrays = [np.unique(np.frombuffer(b, dtype=LINE_DTYPE)["hash"])
                  for (b,) in self.db.execute("SELECT lines FROM fingerprints")]
        if not arrays:
            return RepeatedLineHashes(np.zeros(0, np.int64))
        values, counts = np.unique(np.concatenate(arrays), return_counts=True)
        return RepeatedLineHashes(values[counts >= min_docs])

    def line_table(self, doc: int) -> np.ndarray:
        """The document's :func:`line_table`, as stored."""
        row = self.db.execute("SELECT lines FROM fingerprints WHERE doc = ?", (doc,)).fetchone()
        return np.frombuffer(row[0], dtype=LINE_DTYPE)

    def stats(self) -> dict[str, Any]:
        """A summary: documents, characters, n-grams, dates, sources, file size."""
        n, chars, first, last = self.db.execute(
            "SELECT COUNT(*), COALESCE(SUM(length), 0), MIN(date), MAX(date) FROM documents"
        ).fetchone()
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


def inverted(keys: Sequence[int], arrays: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """An inverted index from per-document hash arrays: all ``(hash, document key)``, sorted by hash."""
    lengths = np.fromiter((len(a) for a in arrays), dtype=np.int64, count=len(arrays))
    hashes = np.concatenate(arrays) if len(arrays) else np.zeros(0, np.int64)
    docs = np.repeat(np.asarray(keys, dtype=np.int32), lengths)
    order = np.argsort(hashes, kind="stable")
    return hashes[order], docs[order]


def _batches(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
