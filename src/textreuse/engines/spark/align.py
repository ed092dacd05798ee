"""Aligning the candidate pairs on Spark, each document shipped once per partition that needs it.

Pairs are dealt to partitions by their first document (:func:`work_partitions`),
so a document is sent once to the partition holding its pairs as *a*, and
once to each other partition holding a pair with it as *b*; never once per
pair. In each partition the pairs are aligned in order of their documents
(:func:`align_partition`) with :func:`textreuse.corpus.align.align_candidate`,
as the local engine's workers align them, prepared documents kept in an LRU
cache.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from textreuse.common.lru import LRUCache
from textreuse.compare import CompareOptions
from textreuse.corpus.align import DOC_CACHE_SIZE, align_candidate, without_repeated
from textreuse.corpus.focus import cached_letters, shared_clusters
from textreuse.corpus.options import FindOptions
from textreuse.corpus.record import PairRecord
from textreuse.index.fingerprints import Fingerprint
from textreuse.index.rows import IndexRow
from textreuse.prepare import PreparedDocument

__all__ = ["work_partitions", "align_partition", "executor_options", "PAIRS_PER_PARTITION", "PARTITIONS_PER_CORE"]

# Partitions of the alignment: at least PARTITIONS_PER_CORE per core, else one per PAIRS_PER_PARTITION
# candidate pairs (fewer partitions: fewer copies of each document; more: smaller ones).
PARTITIONS_PER_CORE = 4
PAIRS_PER_PARTITION = 2000

# One partition's work: (partition, (its pairs (a, b), the documents they need (key, row))).
_Work = tuple[int, tuple[Iterable[tuple[int, int]], Iterable[tuple[int, IndexRow]]]]


def work_partitions(pairs: Any, rows: Any, parts: int) -> Any:
    """The pairs dealt to ``parts`` partitions with the rows they need: an RDD of :data:`_Work`, one item a partition.

    ``pairs``: an RDD of ``(a, b)`` document keys; ``rows``: of ``(key, IndexRow)``.
    """
    need = pairs.flatMap(lambda p: ((p[0], p[0] % parts), (p[1], p[0] % parts))).distinct(parts)
    docs = need.join(rows, parts).map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))  # (partition, (key, row))
    return pairs.map(lambda p: (p[0] % parts, p)).cogroup(docs, parts)


def align_partition(
    options: CompareOptions, find: FindOptions, repeated: Any, junk: bool
) -> Callable[[Iterable[_Work]], Iterator[PairRecord]]:
    """The function aligning a partition's pairs in an executor (``repeated``: a broadcast of the boilerplate lines).

    In full mode the documents come with their sentence rows attached
    (:func:`textreuse.index.sentences.attach_embeddings`), the options'
    embedder (loaded once per executor process) filling in the rest.
    """

    def run(items: Iterable[_Work]) -> Iterator[PairRecord]:
        for _, (pairs, docs) in items:
            yield from _aligned(sorted(pairs), dict(docs), options, find, repeated.value if junk else None)

    return run


def _aligned(
    pairs: list[tuple[int, int]], rows: dict[int, IndexRow], options: CompareOptions, find: FindOptions, repeated: Any
) -> Iterator[PairRecord]:
    """The records of the pairs sharing text, the pairs aligned in order with the documents in ``rows``."""
    prepared: LRUCache[int, PreparedDocument] = LRUCache(DOC_CACHE_SIZE)
    encoder = options.sentence_encoder() if options.mode == "full" else None

    def load(key: int) -> PreparedDocument:
        doc = prepared.get(key)
        if doc is None:
            row = rows[key]
            doc = without_repeated(row.prepared(), repeated, row.line_table())
            if encoder is not None and row.sentences is not None:
                from textreuse.index.sentences import attach_embeddings, unpack_rows

                doc = attach_embeddings(doc, unpack_rows(*row.sentences), encoder)
            prepared.put(key, doc)
        return doc

    letter_prints: LRUCache[int, Fingerprint] = LRUCache(DOC_CACHE_SIZE)
    prints = {key: row.fingerprint() for key, row in rows.items()}
    for ka, kb in pairs:
        letters = (cached_letters(letter_prints, ka, load, find), cached_letters(letter_prints, kb, load, find))
        clusters = shared_clusters(prints[ka], prints[kb], find, letters)
        if not clusters and options.mode == "lexical":
            continue
        record = align_candidate(load(ka), prints[ka], load(kb), prints[kb], options, find, clusters)
        if record:
            yield record


def executor_options(options: CompareOptions, threads: int | None) -> CompareOptions:
    """The options as executors use them: the embedder on ``threads`` threads (``None``: its default)."""
    if threads is None:
        return options
    return replace(options, embedding=replace(options.embedding, threads=threads))
