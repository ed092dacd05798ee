"""The candidate pairs of an index: rare shared 3-grams, names and numbers, sentence neighbours; date and source filters.

Pairs of documents sharing at least ``min_shared`` rare content-word 3-grams
(document frequency at most :func:`~textreuse.corpus.options.df_cap`), from
the index's postings with numpy; in ``full`` mode also pairs sharing many
rare names and numbers, which survive paraphrase and round-trip translation,
and pairs whose sentences are nearest neighbours in embedding space
(:mod:`textreuse.index.ann`, faiss over the sentence embeddings stored in the
index). The date window and same-source filters apply here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np

from textreuse.common.batching import chunks
from textreuse.common.dates import day_number
from textreuse.common.processes import worker_pool
from textreuse.corpus.align import without_repeated
from textreuse.corpus.options import FindOptions, df_cap
from textreuse.corpus.static_rows import StaticRowsFolder, document_rows, matchable_sentences
from textreuse.embed.static import shared_static_embedder
from textreuse.index.candidates import pairs_from_postings
from textreuse.index.fingerprints import RepeatedLineHashes
from textreuse.index.rows import StoredDoc
from textreuse.index.store import Store

__all__ = [
    "candidate_pairs",
    "sentence_table",
    "static_sentence_table",
    "sentences_to_match",
    "embedding_pairs",
    "pair_allowed",
]

# Documents whose sentences the static embedder embeds in one call.
STATIC_BATCH_DOCS = 64


def candidate_pairs(
    store: Store,
    options: FindOptions,
    *,
    names: bool = False,
    embeddings: bool = False,
    static: bool = False,
    repeated: RepeatedLineHashes | None = None,
    jobs: int = 1,
    static_folder: Path | None = None,
) -> np.ndarray:
    """Candidate pairs of an index as an ``(k, 3)`` array of document keys and shared 3-grams.

    With ``names``, pairs that share at least ``options.min_names`` rare names
    and numbers join them (their shared count is 0 when they share no 3-gram);
    with ``embeddings``, so do pairs whose stored sentence embeddings are
    nearest neighbours (:func:`embedding_pairs`, from the ``static`` rows
    with ``static``, computed by ``jobs`` processes and written to
    ``static_folder`` when given; ``repeated`` lines are boilerplate and
    take no part).
    """
    keys, arrays = store.all_grams()
    cap = df_cap(options, len(keys))
    pairs = pairs_from_postings(arrays, min_shared=options.min_shared, max_df=cap, docs=keys)
    extras = []
    if names:
        nkeys, narrays = store.all_names()
        extras.append(pairs_from_postings(narrays, min_shared=options.min_names, max_df=cap, docs=nkeys))
    if embeddings:
        extras.append(embedding_pairs(store, options, repeated, static=static, jobs=jobs, folder=static_folder))
    for extra in extras:
        pairs = _joined(pairs, extra)
    if options.window_days is not None or options.skip_same_source:
        info = {d.doc: d for d in store.info()}
        pairs = np.asarray(
            [p for p in pairs if pair_allowed(info[int(p[0])], info[int(p[1])], options)], dtype=np.int64
        )
        pairs = pairs.reshape(-1, 3)
    return pairs


def _joined(pairs: np.ndarray, extra: np.ndarray) -> np.ndarray:
    """``pairs`` followed by the pairs of ``extra`` not among them, with 0 shared 3-grams."""
    if not len(extra):
        return pairs
    extra = extra.copy()
    extra[:, 2] = 0
    merged = np.concatenate([pairs, extra])
    _, first = np.unique(merged[:, 0] * (int(merged[:, 1].max()) + 1) + merged[:, 1], return_index=True)
    return merged[np.sort(first)]


def sentence_table(
    store: Store, options: FindOptions, repeated: RepeatedLineHashes | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stored sentences worth matching: ``(document key, sentence number, float16 row)`` of each.

    Sentences of fewer than ``options.knn_min_words`` distinct content words
    and sentences inside corpus boilerplate (``repeated`` lines) are left out.
    """
    docs, numbers, rows = [], [], []
    dim = 0
    for doc, stored in store.all_sentences():
        which = sentences_to_match(
            stored.spans, stored.words, options, repeated if store.junk else None, partial(store.line_table, doc)
        )
        if len(which):
            docs.append(np.full(len(which), doc, np.int64))
            numbers.append(which)
            rows.append(stored.vectors[which])
            dim = stored.vectors.shape[1]
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, dim), np.float16)
    return np.concatenate(docs), np.concatenate(numbers), np.concatenate(rows)


def sentences_to_match(
    spans: np.ndarray,
    words: np.ndarray,
    options: FindOptions,
    repeated: RepeatedLineHashes | None,
    lines: Callable[[], np.ndarray],
) -> np.ndarray:
    """The numbers of a document's sentences worth matching: ``knn_min_words`` content words or more, outside boilerplate.

    ``spans`` and ``words`` are the sentences' offsets and content-word
    counts; ``lines()`` gives the document's line table, read only when
    ``repeated`` lines may apply.
    """
    keep = words >= options.knn_min_words
    if repeated is not None and len(repeated) and keep.any():
        for s, e in repeated.spans(lines()):
            keep &= ~((spans[:, 0] >= s) & (spans[:, 1] <= e))
    return np.flatnonzero(keep)


def static_sentence_table(
    store: Store,
    options: FindOptions,
    repeated: RepeatedLineHashes | None = None,
    *,
    jobs: int = 1,
    folder: Path | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sentences worth matching of every indexed document, rows from the static embedder, computed now.

    ``(document key, sentence number, float16 row)`` of each sentence of
    ``options.knn_min_words`` content words or more
    (:func:`~textreuse.corpus.static_rows.matchable_sentences`), of each
    document as the workers align it (corpus boilerplate, ``repeated``
    lines, left out): :class:`~textreuse.embed.static.StaticEmbedder` rows (a
    table look-up per token, no model run), the first pass of a full-mode run
    on an index whose sentences are not all embedded with the full model.
    With ``folder``, the sentences and rows of every document are written
    there too, for the workers (:class:`~textreuse.corpus.static_rows.StaticRowsFolder`).
    With ``jobs`` > 1, batches of ``STATIC_BATCH_DOCS`` documents are split
    into sentences and embedded by that many worker processes.
    """
    junk = repeated if store.junk else None
    batches = [list(batch) for batch in chunks([d.doc for d in store.info()], STATIC_BATCH_DOCS)]
    jobs_args = [(n, batch, options, junk, folder) for n, batch in enumerate(batches)]
    if jobs > 1 and len(batches) > 1:
        with worker_pool(min(jobs, len(batches))) as pool:
            parts = list(pool.map(_static_batch, [(str(store.path), *args) for args in jobs_args]))
    else:
        parts = [_static_rows(store, *args) for args in jobs_args]
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, shared_static_embedder().dim), np.float16)
    docs, numbers, rows = (np.concatenate(column) for column in zip(*parts))
    return docs, numbers, rows


def _static_batch(
    job: tuple[str, int, list[int], FindOptions, RepeatedLineHashes | None, Path | None],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_static_rows` of one batch, in a worker process that opens the index read-only."""
    path, batch, keys, options, repeated, folder = job
    with Store(path, readonly=True) as store:
        return _static_rows(store, batch, keys, options, repeated, folder)


def _static_rows(
    store: Store,
    batch: int,
    keys: list[int],
    options: FindOptions,
    repeated: RepeatedLineHashes | None,
    folder: Path | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Document keys, sentence numbers and float16 static rows of the sentences worth matching of ``keys``
    (batch number ``batch``, written to ``folder`` whole when given)."""
    prepared = []
    for doc in keys:
        here = store.prepared(doc)
        prepared.append(here if repeated is None else without_repeated(here, repeated, store.line_table(doc)))
    rows = document_rows(prepared)
    if folder is not None:
        StaticRowsFolder.write(folder, batch, rows)
    docs, numbers, matched = [], [], []
    for doc, (with_sents, doc_rows) in zip(keys, rows):
        which = matchable_sentences(with_sents, options)
        docs.append(np.full(len(which), doc, np.int64))
        numbers.append(which)
        matched.append(doc_rows[which].astype(np.float16))
    return np.concatenate(docs), np.concatenate(numbers), np.concatenate(matched)


def embedding_pairs(
    store: Store,
    options: FindOptions,
    repeated: RepeatedLineHashes | None = None,
    *,
    static: bool = False,
    jobs: int = 1,
    folder: Path | None = None,
) -> np.ndarray:
    """Pairs of documents whose sentences are nearest neighbours (see :func:`textreuse.index.ann.neighbour_pairs`).

    The stored rows of the documents whose sentences are embedded
    (:meth:`Store.embed_missing`), cosine at least ``knn_min_cosine``; with
    ``static``, every document's static rows (:func:`static_sentence_table`,
    written to ``folder`` for the workers when given), cosine at least
    ``knn_static_min_cosine``, searched approximately
    (:class:`~textreuse.index.ann.ApproximateSentenceIndex`) beyond
    ``APPROXIMATE_ROWS`` rows.
    """
    from textreuse.index.ann import APPROXIMATE_ROWS, ApproximateSentenceIndex, neighbour_pairs

    if static:
        docs, _, rows = static_sentence_table(store, options, repeated, jobs=jobs, folder=folder)
    else:
        docs, _, rows = sentence_table(store, options, repeated)
    index = ApproximateSentenceIndex(rows) if static and len(rows) > APPROXIMATE_ROWS else None
    return neighbour_pairs(
        docs,
        rows,
        index=index,
        k=options.knn_k,
        min_cosine=options.knn_static_min_cosine if static else options.knn_min_cosine,
        min_sentences=options.knn_min_sentences,
    )


def pair_allowed(a: StoredDoc, b: StoredDoc, options: FindOptions) -> bool:
    """Whether a candidate pair passes the same-source and date-window filters of ``options``."""
    if options.skip_same_source and a.source is not None and a.source == b.source:
        return False
    if options.window_days is not None:
        da, db = day_number(a.date), day_number(b.date)
        if da is not None and db is not None and abs(da - db) > options.window_days:
            return False
    return True
