"""The local engine's workers: each opens the index once and aligns the candidate pairs it is given.

:func:`init_worker` runs once in each worker process (or in this process
for a small run), :func:`align_pair` on each pair, :func:`close_worker` at
the end of an in-process run.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from textreuse.compare import CompareOptions
from textreuse.corpus.align import DocumentCache, align_candidate
from textreuse.corpus.options import FindOptions
from textreuse.corpus.record import PairRecord
from textreuse.corpus.static_rows import StaticRowsFolder
from textreuse.index.fingerprints import RepeatedLineHashes
from textreuse.index.store import Store

__all__ = ["WorkerState", "init_worker", "align_pair", "close_worker"]


@dataclass
class WorkerState:
    """What a worker holds between pairs: the open index, the settings, the prepared documents."""

    store: Store
    options: CompareOptions
    find: FindOptions
    cache: DocumentCache
    static: StaticRowsFolder | None = None


_worker: WorkerState | None = None  # this process's worker, once initialized


def init_worker(
    path: str,
    options: CompareOptions,
    find: FindOptions,
    repeated: RepeatedLineHashes | None,
    static_folder: str | None = None,
    threads: int | None = None,
) -> None:
    """Open the index at ``path`` read-only and load its fingerprints, for :func:`align_pair`.

    In full mode, when the index holds sentence embeddings of the options'
    embedder, documents come with them; else the gate reads their static
    rows from ``static_folder`` (a :class:`StaticRowsFolder`) when given.
    ``threads``: how many threads this process's embedder model runs on
    (``None``: its default).
    """
    global _worker
    if threads is not None:
        options = replace(options, embedding=replace(options.embedding, threads=threads))
    store = Store(path, readonly=True)
    embedder = None
    if options.mode == "full" and store.has_sentences and store.embedder == options.embedder_name:
        embedder = options.sentence_encoder()
    cache = DocumentCache(store, repeated, fingerprints=store.all_fingerprints(), embedder=embedder)
    static = None if static_folder is None else StaticRowsFolder(static_folder)
    _worker = WorkerState(store, options, find, cache, static)


def align_pair(pair: tuple[int, int]) -> PairRecord | None:
    """Align one candidate pair of document keys (:func:`~textreuse.corpus.align.align_candidate`)."""
    state = _worker
    assert state is not None, "init_worker first"
    cache, options, find = state.cache, state.options, state.find
    # Without letter prints (find.seed_letters 0), the pair is judged on its
    # shared 3-grams before either document is read.
    clusters = cache.clusters(pair[0], pair[1], find)
    if not clusters and options.mode == "lexical":
        return None
    (a, fa), (b, fb) = cache.get(pair[0]), cache.get(pair[1])
    return align_candidate(a, fa, b, fb, options, find, clusters, state.static)


def close_worker() -> None:
    """Close the index of this process's worker and forget it."""
    global _worker
    if _worker is not None:
        _worker.store.close()
        _worker = None
