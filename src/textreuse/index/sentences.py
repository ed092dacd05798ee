"""Sentence embeddings as the index keeps them: spans, content-word counts and float16 rows of each document.

Every sentence of an indexed document is embedded once
(:func:`sentence_rows`) and stored with the index as float16 rows (768
bytes a sentence with all-MiniLM-L6-v2, :func:`pack_rows`); corpus
alignment reads them back by span (:func:`attach_embeddings`) instead of
running the model, and :mod:`textreuse.index.ann` searches them.

>>> import numpy as np
>>> rows = SentenceRows(np.array([[0, 12]], np.int32), np.array([3], np.int16), np.ones((1, 4), np.float16))
>>> back = unpack_rows(*pack_rows(*rows))
>>> back.spans.tolist(), back.words.tolist(), back.vectors.shape
([[0, 12]], [3], (1, 4))
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from textreuse.prepare import PreparedDocument, SentenceEncoder, with_sentences

if TYPE_CHECKING:
    from textreuse.embed import Embedder

__all__ = [
    "SentenceBlobs",
    "SentenceRows",
    "attach_embeddings",
    "pack_rows",
    "sentence_rows",
    "sentence_rows_many",
    "unpack_rows",
    "worker_embedder",
]

# Sentences a worker's embedder keeps in memory (the index holds the rest).
WORKER_CACHE_ENTRIES = 20_000

_EMBEDDERS: dict[tuple[str, int], Embedder] = {}


class SentenceRows(NamedTuple):
    """A document's sentence spans ``(n, 2)`` int32, distinct content words per sentence int16, float16 rows."""

    spans: np.ndarray
    words: np.ndarray
    vectors: np.ndarray


class SentenceBlobs(NamedTuple):
    """:class:`SentenceRows` as the index's ``sentences`` table stores them."""

    spans: bytes
    words: bytes
    vectors: bytes


def worker_embedder(name: str, threads: int | None = None) -> Embedder:
    """The embedder for filling the index: its own model with an in-memory cache, no disk cache.

    The index is the store of the rows, so none go to ``DB.embeddings/``.
    One per process: a model loaded before a worker pool forked is not used
    in the workers. ``threads``: how many threads the model runs on
    (``None``: the embedder's default).
    """
    key = (name, os.getpid())
    emb = _EMBEDDERS.get(key)
    if emb is None:
        from textreuse.embed import (
            _FACTORIES,
            CachedEmbedder,
            EmbeddingCache,
            get_embedder,
        )

        get_embedder(name, cached=False)  # checks the name
        model = _FACTORIES[name]() if threads is None else _FACTORIES[name](threads=threads)
        emb = _EMBEDDERS[key] = CachedEmbedder(model, EmbeddingCache(WORKER_CACHE_ENTRIES))
    return emb


def sentence_rows(prepared: PreparedDocument, embedder: Embedder) -> SentenceRows:
    """A prepared document's sentence spans ``(n, 2)``, distinct content words per sentence, float16 rows.

    Sentences are those of :func:`textreuse.prepare.with_sentences` (page
    junk cut out), so corpus alignment finds its rows by span.
    """
    return sentence_rows_many([prepared], embedder)[0]


def sentence_rows_many(prepared: list[PreparedDocument], embedder: Embedder) -> list[SentenceRows]:
    """:func:`sentence_rows` of several documents, their sentences embedded in one call (fuller batches)."""
    docs = [with_sentences(p) for p in prepared]
    texts = [p.document.text[s:e] for p in docs for s, e in p.sentences or []]
    vectors = embedder.encode(texts).astype(np.float16)
    out, at = [], 0
    for p in docs:
        sents = p.sentences or []
        spans = np.asarray(sents, dtype=np.int32).reshape(-1, 2)
        words = np.asarray([len(w) for w in p.sentence_words or []], dtype=np.int16)
        out.append(SentenceRows(spans, words, vectors[at : at + len(sents)]))
        at += len(sents)
    return out


def pack_rows(spans: np.ndarray, words: np.ndarray, vectors: np.ndarray) -> SentenceBlobs:
    """Sentence rows as the three blobs the index stores."""
    return SentenceBlobs(
        spans.astype(np.int32).tobytes(), words.astype(np.int16).tobytes(), vectors.astype(np.float16).tobytes()
    )


def unpack_rows(spans: bytes, words: bytes, vectors: bytes) -> SentenceRows:
    """Sentence rows from the index's blobs (:func:`pack_rows`)."""
    s = np.frombuffer(spans, dtype=np.int32).reshape(-1, 2)
    w = np.frombuffer(words, dtype=np.int16)
    v = np.frombuffer(vectors, dtype=np.float16)
    return SentenceRows(s, w, v.reshape(len(w), -1) if len(w) else v.reshape(0, 0))


def attach_embeddings(
    prepared: PreparedDocument, stored: SentenceRows | None, embedder: SentenceEncoder
) -> PreparedDocument:
    """The prepared document with the embeddings of all its sentences: stored rows by span, the rest embedded.

    Corpus alignment then reads the index's rows instead of running the model.
    """
    prepared = with_sentences(prepared)
    sents = prepared.sentences or []
    if stored is None or not len(stored.vectors):
        return prepared
    where = {(int(s), int(e)): i for i, (s, e) in enumerate(stored.spans)}
    rows = np.zeros((len(sents), stored.vectors.shape[1]), dtype=np.float32)
    missing = []
    for n, span in enumerate(sents):
        i = where.get(span)
        if i is None:
            missing.append(n)
        else:
            rows[n] = stored.vectors[i]
    if missing:
        text = prepared.document.text
        rows[missing] = embedder.encode([text[sents[n][0] : sents[n][1]] for n in missing])
    return replace(prepared, embeddings=rows)
