"""The static rows of a full-mode run's documents: computed once, for the candidates and for every worker.

A full-mode run over documents without stored sentence embeddings needs
the static embedder's rows (:mod:`textreuse.embed.static`) twice: the
sentences worth matching of every document, for the sentence-neighbour
candidates (:func:`textreuse.corpus.candidates.static_sentence_table`), then
all sentences of both documents of each candidate pair, for the gate
(:func:`textreuse.corpus.gate.with_static_rows`). Splitting a page into
sentences and tokenizing them costs more than aligning it lexically, and
every worker meets most documents. So the candidates' pass computes the
sentences and rows of each document as the workers align it (corpus
boilerplate left out, :func:`document_rows`), writes them to a scratch
folder (:meth:`StaticRowsFolder.write`), and the workers read them from
there (:meth:`StaticRowsFolder.find`).

>>> import tempfile
>>> from pathlib import Path
>>> from textreuse.prepare import prepare
>>> from textreuse.types import Document
>>> doc = prepare(Document("a", "The council met on Monday. It approved the harbour budget."))
>>> folder = Path(tempfile.mkdtemp())
>>> rows = document_rows([doc])
>>> StaticRowsFolder.write(folder, 0, rows)
>>> spans, found = StaticRowsFolder(folder).find(doc)
>>> spans, found.shape
([(0, 26), (27, 58)], (2, 128))
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from textreuse.corpus.options import FindOptions
from textreuse.embed.static import shared_static_embedder
from textreuse.prepare import PreparedDocument, with_sentences

__all__ = ["StaticRowsFolder", "document_rows", "matchable_sentences"]


def document_rows(docs: Sequence[PreparedDocument]) -> list[tuple[PreparedDocument, np.ndarray]]:
    """Each document with its sentences (:func:`with_sentences`) and the float32 static rows of all of them.

    The sentences of all ``docs`` are embedded in one call; a sentence's row
    does not depend on the others.
    """
    with_sents = [with_sentences(doc) for doc in docs]
    texts = [doc.document.text[s:e] for doc in with_sents for s, e in doc.sentences or []]
    rows = shared_static_embedder().encode(texts)
    out, start = [], 0
    for doc in with_sents:
        end = start + len(doc.sentences or [])
        out.append((doc, rows[start:end]))
        start = end
    return out


def matchable_sentences(prepared: PreparedDocument, find: FindOptions) -> np.ndarray:
    """The numbers of a document's sentences worth matching by their static rows: ``find.knn_min_words``
    content words or more (``prepared`` has its sentences, :func:`with_sentences`)."""
    return np.flatnonzero([len(words) >= find.knn_min_words for words in prepared.sentence_words or []])


def _version(prepared: PreparedDocument) -> int:
    """A number telling apart two versions of one document (its length and excluded text)."""
    return hash((len(prepared.document.text), tuple(map(tuple, prepared.excluded))))


class StaticRowsFolder:
    """The sentences and static rows of a run's documents, in a folder of batch files (module docstring).

    Each batch ``n`` is four ``.npy`` files: document ids, versions (their
    length and excluded text), sentence counts, then the sentences' spans
    and float32 rows, read as memory maps, so that every worker process
    shares one copy in the page cache.
    """

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self._where: dict[str, tuple[int, int, int, int]] | None = None  # id -> batch, first, end, version
        self._maps: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    @staticmethod
    def write(folder: Path, batch: int, rows: Sequence[tuple[PreparedDocument, np.ndarray]]) -> None:
        """Write batch number ``batch``: the :func:`document_rows` of documents as the workers see them."""
        docs = [doc for doc, _ in rows]
        spans = [np.asarray(doc.sentences or [], dtype=np.int64).reshape(-1, 2) for doc in docs]
        dim = shared_static_embedder().dim
        np.save(folder / f"{batch}-spans.npy", np.concatenate(spans) if spans else np.zeros((0, 2), np.int64))
        np.save(
            folder / f"{batch}-rows.npy",
            np.concatenate([r for _, r in rows]) if rows else np.zeros((0, dim), np.float32),
        )
        np.save(folder / f"{batch}-counts.npy", np.asarray([len(r) for _, r in rows], dtype=np.int64))
        np.save(folder / f"{batch}-versions.npy", np.asarray([_version(doc) for doc in docs], dtype=np.int64))
        # Last: a batch with its ids file is whole.
        np.save(folder / f"{batch}-ids.npy", np.asarray([doc.document.id for doc in docs], dtype=str))

    def find(self, prepared: PreparedDocument) -> tuple[list[tuple[int, int]], np.ndarray] | None:
        """The document's sentence spans and static rows, or ``None`` when the folder lacks this version of it."""
        where = self._index()
        found = where.get(prepared.document.id)
        if found is None or found[3] != _version(prepared):
            return None
        batch, first, end, _ = found
        if batch not in self._maps:
            self._maps[batch] = (
                np.load(self.folder / f"{batch}-spans.npy", mmap_mode="r"),
                np.load(self.folder / f"{batch}-rows.npy", mmap_mode="r"),
            )
        spans, rows = self._maps[batch]
        return [(int(s), int(e)) for s, e in spans[first:end].tolist()], np.array(rows[first:end])

    def _index(self) -> dict[str, tuple[int, int, int, int]]:
        if self._where is None:
            self._where = {}
            for path in sorted(self.folder.glob("*-ids.npy")):
                batch = int(path.name.partition("-")[0])
                ids = np.load(path)
                counts = np.load(self.folder / f"{batch}-counts.npy")
                versions = np.load(self.folder / f"{batch}-versions.npy")
                ends = np.cumsum(counts)
                for doc_id, end, count, version in zip(ids.tolist(), ends.tolist(), counts.tolist(), versions.tolist()):
                    self._where[doc_id] = (batch, end - count, end, version)
        return self._where
