"""Corpus-wide reuse discovery over an index: every pair of documents that shares text.

:func:`find_pairs` drives the stages over a :class:`~textreuse.index.store.Store`:

1. **Boilerplate**: short stand-alone lines found in many documents
   (:func:`~textreuse.corpus.options.repeated_line_docs`) are left out.
2. **Candidates** (:mod:`textreuse.corpus.candidates`): pairs sharing rare
   3-grams (in full mode also rare names and numbers, and sentences that are
   nearest neighbours), filtered by date window and source.
3. **Focus** (:mod:`textreuse.corpus.focus`) and **align**
   (:mod:`textreuse.corpus.align`) each pair, in worker processes
   (:mod:`textreuse.corpus.workers`), then **verify** it
   (:mod:`textreuse.corpus.verify`): a :class:`~textreuse.corpus.record.PairRecord`
   for each pair that shares text.

:class:`~textreuse.corpus.query.Query` answers "where else does this text
appear?" for one new document against an open index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import NamedTuple

import numpy as np

from textreuse.common.processes import scratch_folder, worker_pool
from textreuse.compare import CompareOptions
from textreuse.corpus.candidates import candidate_pairs
from textreuse.corpus.options import FindOptions, repeated_line_docs
from textreuse.corpus.record import PairRecord
from textreuse.corpus.workers import align_pair, close_worker, init_worker
from textreuse.index.fingerprints import RepeatedLineHashes
from textreuse.index.store import Store

__all__ = ["find_pairs"]

# Fewer pairs than this are aligned in this process, without workers.
INLINE_PAIRS = 16
# Pairs handed to a worker at a time: at most MAX_CHUNK, about 1/CHUNKS_PER_JOB of a worker's share.
MAX_CHUNK = 64
CHUNKS_PER_JOB = 8


def find_pairs(
    store: Store,
    options: CompareOptions,
    find: FindOptions | None = None,
    *,
    jobs: int = 1,
    on_candidates: Callable[[int], None] | None = None,
    on_pair: Callable[[], None] | None = None,
    worker_threads: int | None = 1,
) -> Iterator[PairRecord]:
    """Align every candidate pair of an index; yields a :class:`PairRecord` for each pair sharing text.

    In full mode (with ``find.embeddings``), the sentence-neighbour
    candidates come from the index's rows when every document's sentences
    are embedded there (:meth:`Store.embed_missing`, ``Store.add(...,
    embed=True)``), else from the static embedder's rows of every document,
    computed here in seconds (:func:`~textreuse.corpus.candidates.static_sentence_table`,
    kept in a scratch folder for the workers' gate,
    :class:`~textreuse.corpus.static_rows.StaticRowsFolder`); alignment
    embeds with the full model only the sentences it compares and finds no
    row for. With ``jobs`` > 1, each worker process's embedder runs
    on ``worker_threads`` threads (``None``: its default).
    """
    find = find or FindOptions()
    full = options.mode == "full"
    stored = store.embedder == options.embedder_name and store.embedded_documents() == len(store)
    repeated = store.repeated_lines(repeated_line_docs(len(store), find)) if store.junk else None
    embeddings = full and find.embeddings
    with ExitStack() as stack:
        # The static rows computed for the candidates are kept for the workers' gate.
        folder = stack.enter_context(scratch_folder("static-rows")) if embeddings and not stored else None
        pairs = candidate_pairs(
            store,
            find,
            names=full,
            embeddings=embeddings,
            static=not stored,
            repeated=repeated,
            jobs=jobs,
            static_folder=folder,
        )
        if on_candidates is not None:
            on_candidates(len(pairs))
        if not len(pairs):
            return
        # Pairs sharing a document come together, so each worker prepares it once.
        work = [(int(i), int(j)) for i, j, _ in pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]]
        setup = _Setup(str(store.path), options, find, repeated, None if folder is None else str(folder))
        if jobs <= 1 or len(work) < INLINE_PAIRS:
            records = _align_here(setup, work)
        else:
            records = _align_in_pool(setup, work, jobs, worker_threads)
        for record in records:
            if on_pair is not None:
                on_pair()
            if record:
                yield record


class _Setup(NamedTuple):
    """What each worker is started with (:func:`~textreuse.corpus.workers.init_worker`)."""

    path: str
    options: CompareOptions
    find: FindOptions
    repeated: RepeatedLineHashes | None
    static_folder: str | None


def _align_here(setup: _Setup, work: list[tuple[int, int]]) -> Iterator[PairRecord | None]:
    """Each pair's record (``None``: nothing shared), aligned in this process."""
    init_worker(*setup)
    try:
        for pair in work:
            yield align_pair(pair)
    finally:
        close_worker()


def _align_in_pool(
    setup: _Setup, work: list[tuple[int, int]], jobs: int, threads: int | None
) -> Iterator[PairRecord | None]:
    """Each pair's record (``None``: nothing shared), in order, aligned by ``jobs`` worker processes."""
    chunk = max(1, min(MAX_CHUNK, len(work) // (jobs * CHUNKS_PER_JOB)))
    with worker_pool(jobs, initializer=init_worker, initargs=(*setup, threads)) as pool:
        yield from pool.map(align_pair, work, chunksize=chunk)
