"""The index's ``sentences`` table: every document's sentence embeddings, stored once.

:class:`SentenceTable` is the part of :class:`textreuse.index.store.Store`
that fills and reads it: rows are computed by ``Store.add(..., embed=True)``
or later by :meth:`SentenceTable.embed_missing`, once per document
(:mod:`textreuse.index.sentences`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from textreuse.common.batching import chunks
from textreuse.errors import TextReuseError
from textreuse.index.reader import IndexReader
from textreuse.index.sentences import SentenceRows, unpack_rows

__all__ = ["SentenceTable", "DEFAULT_EMBEDDER", "EMBED_BATCH"]

# The sentence embedder of an index that names none yet.
DEFAULT_EMBEDDER = "minilm-onnx"
# Documents embedded (and written in one transaction) at a time by :meth:`SentenceTable.embed_missing`.
EMBED_BATCH = 64


class SentenceTable(IndexReader):
    """Sentence embeddings in the index: which documents have them, embedding the rest, reading them."""

    def _embedder_name(self, embed: bool | str) -> str:
        name = embed if isinstance(embed, str) else (self.embedder or DEFAULT_EMBEDDER)
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
        return [
            d
            for (d,) in self.db.execute(
                "SELECT doc FROM documents WHERE doc NOT IN (SELECT doc FROM sentences) ORDER BY doc"
            )
        ]

    def embedded_documents(self) -> int:
        """How many documents have their sentence embeddings stored."""
        if not self.has_sentences:
            return 0
        return int(self.db.execute("SELECT COUNT(*) FROM sentences").fetchone()[0])

    def embed_missing(
        self,
        embedder: str = DEFAULT_EMBEDDER,
        *,
        batch_size: int = EMBED_BATCH,
        on_batch: Callable[[int], None] | None = None,
    ) -> int:
        """Embed the sentences of every document that has none stored yet; returns how many documents.

        Runs in this process (the model uses every core); each batch of
        documents is one transaction, so an interrupted run keeps what it did.
        """
        from textreuse.index.sentences import (  # patchable in tests
            pack_rows,
            sentence_rows_many,
            worker_embedder,
        )

        if self.readonly:
            raise TextReuseError(f"{self.path}: opened read-only, cannot store sentence embeddings")
        name = self._embedder_name(embedder)
        todo = self.missing_embeddings()
        if not todo:
            return 0
        model = worker_embedder(name)
        for chunk in chunks(todo, batch_size):
            found = sentence_rows_many([self.prepared(doc) for doc in chunk], model)
            rows = [(doc, *pack_rows(*r)) for doc, r in zip(chunk, found)]
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO sentences VALUES (?, ?, ?, ?)", rows)
                self._set_embedder(name)
            if on_batch is not None:
                on_batch(len(chunk))
        return len(todo)

    def sentences(self, doc: int) -> SentenceRows | None:
        """A document's stored sentence rows (spans ``(n, 2)``, content-word counts, float16 rows), if embedded."""
        if not self.has_sentences:
            return None
        row = self.db.execute("SELECT spans, words, vectors FROM sentences WHERE doc = ?", (doc,)).fetchone()
        if row is None:
            return None
        spans, words, vectors = row
        return unpack_rows(spans, words, vectors)

    def all_sentences(self) -> Iterator[tuple[int, SentenceRows]]:
        """``(doc, sentence rows)`` of every embedded document, in key order."""
        if not self.has_sentences:
            return
        for doc, spans, words, vectors in self.db.execute(
            "SELECT doc, spans, words, vectors FROM sentences ORDER BY doc"
        ):
            yield int(doc), unpack_rows(spans, words, vectors)
