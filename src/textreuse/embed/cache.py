"""Embed each sentence once: rows by sentence in memory (bounded) and on disk (SQLite)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from textreuse.common.lru import LRUCache
from textreuse.embed.base import Embedder, check_sentences

__all__ = ["CachedEmbedder", "DiskEmbeddingCache", "EmbeddingCache", "sentence_key"]

#: Sentence keys looked up in one SQL query.
_QUERY_KEYS = 500


def sentence_key(sentence: str) -> bytes:
    """The 128-bit BLAKE2b hash of a sentence's UTF-8 bytes: its key in every cache."""
    return hashlib.blake2b(sentence.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class EmbeddingCache:
    """Vectors by sentence: a dict from a 128-bit BLAKE2b hash of the text to its row.

    ``max_entries`` bounds it (least recently used go first); ``None`` never
    evicts. A 384-dimension row costs about 1.6 kB. Stored rows are read-only
    copies.

    >>> c = EmbeddingCache(max_entries=2)
    >>> c.put("a", np.ones(2, np.float32)); c.get("a").tolist(), c.get("b")
    ([1.0, 1.0], None)
    """

    def __init__(self, max_entries: int | None = None) -> None:
        self._rows: LRUCache[bytes, np.ndarray] = LRUCache(max_entries, name="EmbeddingCache")

    key = staticmethod(sentence_key)

    @property
    def max_entries(self) -> int | None:
        """The most rows kept (``None``: no bound)."""
        return self._rows.max_entries

    @property
    def hits(self) -> int:
        """Lookups that found a row."""
        return self._rows.hits

    @property
    def misses(self) -> int:
        """Lookups that found none."""
        return self._rows.misses

    def get(self, sentence: str) -> np.ndarray | None:
        """The row of ``sentence``, or ``None``."""
        return self._rows.get(sentence_key(sentence))

    def put(self, sentence: str, row: np.ndarray) -> None:
        """Keep a read-only float32 copy of ``row`` as the row of ``sentence``."""
        frozen = np.array(row, dtype=np.float32)
        frozen.flags.writeable = False
        self._rows.put(sentence_key(sentence), frozen)

    def __len__(self) -> int:
        return len(self._rows)

    def clear(self) -> None:
        """Forget every row and reset the counts."""
        self._rows.clear()


class DiskEmbeddingCache:
    """Rows by sentence in a SQLite file, shared by runs and processes.

    Keys are the same 128-bit BLAKE2b hashes as :class:`EmbeddingCache`; one
    file holds one embedder's rows (name it after the embedder). The
    connection is opened lazily and again after a ``fork``, so a cache
    created before a worker pool starts is safe to use in the workers.
    Rows of another dimension than ``dim`` are ignored. SQLite runs in WAL
    mode; concurrent writers wait for each other.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> c = DiskEmbeddingCache(os.path.join(d, "x.sqlite"), dim=2)
    >>> c.put_many({"a": np.ones(2, np.float32)}); sorted(c.get_many(["a", "b"]))
    ['a']
    """

    def __init__(self, path: str | Path, dim: int) -> None:
        self.path = Path(path)
        self.dim = dim
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=60.0, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("CREATE TABLE IF NOT EXISTS rows (key BLOB PRIMARY KEY, vec BLOB NOT NULL)")
            conn.commit()
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def get_many(self, sentences: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored rows of those sentences that have one."""
        keys = {sentence_key(s): s for s in sentences}
        found: dict[str, np.ndarray] = {}
        items = list(keys)
        with self._lock:
            conn = self._connect()
            for start in range(0, len(items), _QUERY_KEYS):
                chunk = items[start : start + _QUERY_KEYS]
                marks = ",".join("?" * len(chunk))
                for key, blob in conn.execute(f"SELECT key, vec FROM rows WHERE key IN ({marks})", chunk):
                    row = np.frombuffer(blob, dtype=np.float32)
                    if row.shape == (self.dim,):
                        found[keys[bytes(key)]] = row
        return found

    def put_many(self, rows: dict[str, np.ndarray]) -> None:
        """Store rows (first writer wins; rows of one sentence are the same anyway)."""
        data = [(sentence_key(s), np.asarray(r, dtype=np.float32).tobytes()) for s, r in rows.items()]
        if not data:
            return
        with self._lock:
            conn = self._connect()
            with conn:
                conn.executemany("INSERT OR IGNORE INTO rows (key, vec) VALUES (?, ?)", data)

    def __len__(self) -> int:
        with self._lock:
            return int(self._connect().execute("SELECT COUNT(*) FROM rows").fetchone()[0])


class CachedEmbedder:
    """Wraps any :class:`~textreuse.embed.Embedder` so each distinct sentence is embedded once.

    ``disk`` (optional) is a :class:`DiskEmbeddingCache` consulted after the
    in-memory cache and filled with every row computed.

    >>> from textreuse.embed import MiniLMOnnx
    >>> emb = CachedEmbedder(MiniLMOnnx(threads=1))
    >>> _ = emb.encode(["Rain is expected.", "Rain is expected.", "Sun later."])
    >>> len(emb.cache), emb.cache.misses
    (2, 2)
    >>> _ = emb.encode(["Sun later."]); emb.cache.hits
    1
    """

    def __init__(
        self, inner: Embedder, cache: EmbeddingCache | None = None, disk: DiskEmbeddingCache | None = None
    ) -> None:
        self.inner = inner
        self.cache = cache if cache is not None else EmbeddingCache()
        self.disk = disk
        self.name = inner.name
        self.dim = inner.dim

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """As ``inner.encode``; only sentences not seen before reach the model."""
        texts = check_sentences(sentences)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        for i, s in enumerate(texts):
            row = self.cache.get(s) if s not in todo else None
            if row is not None:
                out[i] = row
            else:
                todo.setdefault(s, []).append(i)
        if todo and self.disk is not None:
            for s, row in self.disk.get_many(list(todo)).items():
                self.cache.put(s, row)
                out[todo.pop(s)] = row
        if todo:
            fresh = self.inner.encode(list(todo))
            for (s, idx), row in zip(todo.items(), fresh):
                self.cache.put(s, row)
                out[idx] = row
            if self.disk is not None:
                self.disk.put_many(dict(zip(todo, fresh)))
        return out

    def __repr__(self) -> str:
        return f"CachedEmbedder({self.inner!r}, entries={len(self.cache)})"
