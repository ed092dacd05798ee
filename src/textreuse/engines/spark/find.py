"""A corpus run on Spark: read, index rows, boilerplate, candidates, alignment; pair records on the driver."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from textreuse.common.lru import LRUCache
from textreuse.compare import CompareOptions
from textreuse.corpus.align import DOC_CACHE_SIZE, align_candidate, without_repeated
from textreuse.corpus.candidates import pair_allowed
from textreuse.corpus.focus import shared_clusters
from textreuse.corpus.options import FindOptions, df_cap, repeated_line_docs
from textreuse.corpus.record import PairRecord
from textreuse.engines.spark.candidates import candidate_pairs_df, repeated_line_hashes
from textreuse.engines.spark.read import read_documents, unreadable_dates
from textreuse.engines.spark.session import SHUFFLE_PARTITIONS, spark_session
from textreuse.errors import InputError, TextReuseError
from textreuse.index.fingerprints import Fingerprint, RepeatedLineHashes
from textreuse.index.rows import IndexRow, StoredDoc, index_row
from textreuse.prepare import PreparedDocument

__all__ = ["SparkRun", "find_pairs_spark"]

# Partitions of the alignment joins: at least SLICES_PER_CORE per core, else one per
# PAIRS_PER_SLICE candidate pairs, at most MAX_SLICES.
SLICES_PER_CORE = 4
PAIRS_PER_SLICE = 64
MAX_SLICES = 4096

# A candidate pair on its way to alignment: (key b, ((key a, row a), row b)).
_Joined = tuple[int, tuple[tuple[int, IndexRow], IndexRow]]


@dataclass
class SparkRun:
    """What a Spark ``find`` produced: pair records, document info for families, counts, bad inputs."""

    records: list[PairRecord]
    info: dict[str, dict[str, Any]]
    n_docs: int
    n_candidates: int
    bad: list[InputError] = field(default_factory=list)


def find_pairs_spark(
    inputs: Sequence[str | os.PathLike[str]],
    options: CompareOptions,
    find: FindOptions | None = None,
    *,
    master: str | None = None,
    spark: Any = None,
    fmt: str | None = None,
    columns: Mapping[str, str] | None = None,
    skip_bad: bool = False,
    shuffle_partitions: int = SHUFFLE_PARTITIONS,
    date_format: str | None = None,
    on_bad_date: Callable[[str, str], None] | None = None,
) -> SparkRun:
    """Every pair of documents of the inputs that shares text, found and aligned on Spark.

    ``options.mode`` must be ``lexical``. The result's records are the
    :class:`~textreuse.corpus.record.PairRecord` objects that
    :func:`textreuse.corpus.find.find_pairs` yields for the same documents.
    A session started here (no ``spark`` given) runs on ``master`` with
    ``shuffle_partitions``. Dates are read as :func:`textreuse.io.ingest.iter_documents`
    reads them (``date_format``, ``on_bad_date``).
    """
    find = find or FindOptions()
    if options.mode != "lexical":
        raise TextReuseError("the Spark engine runs --mode lexical only for now (use --engine local for full mode)")
    spark = spark or spark_session(master, shuffle_partitions=shuffle_partitions)
    sc = spark.sparkContext
    bad: list[InputError] = []
    docs = read_documents(sc, inputs, fmt=fmt, columns=columns, skip_bad=skip_bad, bad=bad, date_format=date_format)
    if on_bad_date is not None:
        for doc_id, value in unreadable_dates(docs):
            on_bad_date(doc_id, value)
    junk = options.junk
    rows = docs.mapValues(lambda d: index_row(d, junk=junk)).cache()
    stored = dict(
        rows.map(lambda kv: (kv[0], StoredDoc(kv[0], kv[1].id, kv[1].date, kv[1].source, kv[1].length))).collect()
    )
    n_docs = len(stored)
    if not n_docs:
        rows.unpersist()
        return SparkRun([], {}, 0, 0, bad)
    info = {s.id: {"date": s.date, "length": s.length} for s in stored.values()}
    # Corpus boilerplate: short stand-alone lines in many documents (Store.repeated_lines).
    hashes = repeated_line_hashes(rows, repeated_line_docs(n_docs, find)) if junk else np.zeros(0, np.int64)
    repeated = sc.broadcast(RepeatedLineHashes(hashes) if junk else None)
    pairs = _candidates(spark, rows, stored, find).cache()
    n_candidates = pairs.count()
    records: list[PairRecord] = []
    if n_candidates:
        slices = max(sc.defaultParallelism * SLICES_PER_CORE, min(n_candidates // PAIRS_PER_SLICE, MAX_SLICES), 1)
        joined = _joined(_clustered(pairs, rows, find, slices), rows, slices)
        records = joined.mapPartitions(_align_partition(options, find, repeated, junk)).collect()
    pairs.unpersist()
    rows.unpersist()
    return SparkRun(records, info, n_docs, n_candidates, bad)


def _candidates(spark: Any, rows: Any, stored: dict[int, StoredDoc], find: FindOptions) -> Any:
    """The candidate pairs ``(key a, key b)`` of the rows, through the date-window and same-source filters."""
    cap = df_cap(find, len(stored))
    pairs = candidate_pairs_df(spark, rows, min_shared=find.min_shared, cap=cap).rdd.map(lambda r: (r.a, r.b))
    if find.window_days is not None or find.skip_same_source:
        meta = spark.sparkContext.broadcast(stored)
        pairs = pairs.filter(lambda p: pair_allowed(meta.value[p[0]], meta.value[p[1]], find))
    return pairs


def _unpack(blobs: tuple[bytes, bytes]) -> Fingerprint:
    return Fingerprint(np.frombuffer(blobs[0], dtype=np.int64), np.frombuffer(blobs[1], dtype=np.int32))


def _clustered(pairs: Any, rows: Any, find: FindOptions, slices: int) -> Any:
    """The pairs whose shared 3-grams form a cluster, judged on the fingerprints alone.

    As the local engine does before reading either document.
    """
    prints = rows.mapValues(lambda r: (r.grams, r.positions))
    return (
        pairs.join(prints, slices)  # (a, (b, print a))
        .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
        .join(prints, slices)  # (b, ((a, print a), print b))
        .filter(lambda kv: bool(shared_clusters(_unpack(kv[1][0][1]), _unpack(kv[1][1]), find)))
        .map(lambda kv: (kv[1][0][0], kv[0]))
    )


def _joined(pairs: Any, rows: Any, slices: int) -> Any:
    """The pairs with both documents' rows: ``(b, ((a, row a), row b))``."""
    return (
        pairs.join(rows, slices)  # (a, (b, row a))
        .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
        .join(rows, slices)  # (b, ((a, row a), row b))
    )


def _align_partition(
    options: CompareOptions, find: FindOptions, repeated: Any, junk: bool
) -> Callable[[Iterable[_Joined]], Iterator[PairRecord]]:
    """The function that aligns a partition of joined pairs in an executor (``repeated``: a broadcast)."""

    def run(items: Iterable[_Joined]) -> Iterator[PairRecord]:
        prepared: LRUCache[int, PreparedDocument] = LRUCache(DOC_CACHE_SIZE)

        def load(key: int, row: IndexRow) -> PreparedDocument:
            doc = prepared.get(key)
            if doc is None:
                doc = row.prepared()
                if junk:
                    doc = without_repeated(doc, repeated.value, row.line_table())
                prepared.put(key, doc)
            return doc

        for kb, ((ka, ra), rb) in items:
            fa, fb = ra.fingerprint(), rb.fingerprint()
            clusters = shared_clusters(fa, fb, find)
            if not clusters and options.mode == "lexical":
                continue
            record = align_candidate(load(ka, ra), fa, load(kb, rb), fb, options, find, clusters)
            if record:
                yield record

    return run
