"""A corpus run on Spark: read, index rows, boilerplate, candidates, alignment; records collected or written."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from textreuse.common.batching import batches
from textreuse.compare import CompareOptions
from textreuse.corpus.candidates import pair_allowed
from textreuse.corpus.options import FindOptions, df_cap, repeated_line_docs
from textreuse.corpus.record import PairRecord
from textreuse.engines.spark.align import (
    PAIRS_PER_PARTITION,
    PARTITIONS_PER_CORE,
    align_partition,
    executor_options,
    work_partitions,
)
from textreuse.engines.spark.candidates import candidate_pairs_df, repeated_line_hashes
from textreuse.engines.spark.read import read_documents, unreadable_dates
from textreuse.engines.spark.session import SHUFFLE_PARTITIONS, spark_session
from textreuse.engines.spark.write import Written, write_found
from textreuse.errors import InputError
from textreuse.index.fingerprints import RepeatedLineHashes
from textreuse.index.rows import IndexRow, RowJob, StoredDoc, content_hash, prepare_rows
from textreuse.types import Document

__all__ = ["SparkRun", "find_pairs_spark", "find_and_write_spark", "MAX_PARTITIONS"]

# At most this many partitions in the alignment.
MAX_PARTITIONS = 4096
# Documents an executor prepares and embeds together in full mode (fuller batches for the model).
EMBED_GROUP = 16
# At most this many documents in one partition of index rows: a partition is cached as one block,
# which must fit in an executor's memory (a 100 MB JSONL file is read as a few partitions only).
DOCS_PER_PARTITION = 128


@dataclass
class SparkRun:
    """What a Spark ``find`` produced: pair records, document info for families, counts, bad inputs."""

    records: list[PairRecord]
    info: dict[str, dict[str, Any]]
    n_docs: int
    n_candidates: int
    bad: list[InputError] = field(default_factory=list)


class _Stages:
    """Times the stages of a run and reports each as one line (``on_stage``)."""

    def __init__(self, on_stage: Callable[[str], None] | None) -> None:
        self.on_stage = on_stage
        self.start = time.perf_counter()

    def done(self, what: str) -> None:
        now = time.perf_counter()
        if self.on_stage is not None:
            self.on_stage(f"spark: {what} in {now - self.start:.1f} s")
        self.start = now


@dataclass
class _Reading:
    """How a run reads its inputs and where it runs (see :func:`find_pairs_spark`)."""

    master: str | None = None
    spark: Any = None
    fmt: str | None = None
    columns: Mapping[str, str] | None = None
    skip_bad: bool = False
    shuffle_partitions: int = SHUFFLE_PARTITIONS
    date_format: str | None = None
    on_bad_date: Callable[[str, str], None] | None = None
    on_stage: Callable[[str], None] | None = None
    threads: int | None = 1
    conf: Mapping[str, str] | None = None


@dataclass
class _Found:
    """A run's results on the cluster: the pair records (cached RDD), document info (RDD), counts."""

    records: Any
    info: Any
    n_docs: int
    n_candidates: int
    parts: int
    bad: list[InputError]
    cached: list[Any]
    stages: _Stages

    def release(self) -> None:
        for rdd in self.cached:
            rdd.unpersist()


def find_pairs_spark(
    inputs: Sequence[str | os.PathLike[str]], options: CompareOptions, find: FindOptions | None = None, **how: Any
) -> SparkRun:
    """Every pair of documents of the inputs that shares text, found and aligned on Spark; the records on the driver.

    The result's records are the :class:`~textreuse.corpus.record.PairRecord`
    objects that :func:`textreuse.corpus.find.find_pairs` yields for the same
    documents, in ``lexical`` or ``full`` mode (sentences embedded in the
    executors, each executor process loading the model once, on ``threads``
    threads). A session started here (no ``spark`` given) runs on ``master``
    with ``shuffle_partitions`` and the Spark settings ``conf``. Dates are
    read as :func:`textreuse.io.ingest.iter_documents` reads them
    (``date_format``, ``on_bad_date``). ``on_stage`` gets one line per stage
    with its time. For runs whose pairs do not fit the driver, see
    :func:`find_and_write_spark`.
    """
    found = _found(inputs, options, find or FindOptions(), _Reading(**how))
    try:
        records = found.records.collect() if found.n_candidates else []
        info = dict(found.info.collect())
    finally:
        found.release()
    return SparkRun(records, info, found.n_docs, found.n_candidates, found.bad)


def find_and_write_spark(
    inputs: Sequence[str | os.PathLike[str]],
    options: CompareOptions,
    find: FindOptions | None,
    out: str,
    out_format: str = "jsonl",
    **how: Any,
) -> tuple[SparkRun, Written]:
    """As :func:`find_pairs_spark`, the pairs and families written under ``out`` by the executors.

    They go in ``out_format`` part files (:func:`~textreuse.engines.spark.write.write_found`);
    only counts and the first pairs (the returned run's records) come to
    the driver. Without documents nothing is written.
    """
    found = _found(inputs, options, find or FindOptions(), _Reading(**how))
    try:
        if not found.n_docs:
            return SparkRun([], {}, 0, 0, found.bad), Written(out, out, 0, 0, [])
        from pyspark.sql import SparkSession

        written = write_found(
            SparkSession(found.records.context), found.records, found.info, out, out_format, found.parts
        )
        found.stages.done(f"write {written.n_pairs} pairs and {written.n_families} families")
    finally:
        found.release()
    return SparkRun(written.top, {}, found.n_docs, found.n_candidates, found.bad), written


def _found(
    inputs: Sequence[str | os.PathLike[str]], options: CompareOptions, find: FindOptions, how: _Reading
) -> _Found:
    """Read, prepare, find the candidates and align them: the pair records as a cached RDD."""
    options = executor_options(options, how.threads)
    stages = _Stages(how.on_stage)
    spark = how.spark or spark_session(how.master, shuffle_partitions=how.shuffle_partitions, conf=how.conf)
    sc = spark.sparkContext
    stages.done(f"session on {sc.master}, {sc.defaultParallelism} cores")
    bad: list[InputError] = []
    docs = read_documents(
        sc, inputs, fmt=how.fmt, columns=how.columns, skip_bad=how.skip_bad, bad=bad, date_format=how.date_format
    )
    if how.on_bad_date is not None:
        for doc_id, value in unreadable_dates(docs):
            how.on_bad_date(doc_id, value)
    stages.done("read and check the inputs")
    rows = _spread(docs).mapPartitions(_prepare(options)).persist(_memory_and_disk())
    stored = dict(
        rows.map(lambda kv: (kv[0], StoredDoc(kv[0], kv[1].id, kv[1].date, kv[1].source, kv[1].length))).collect()
    )
    info = rows.map(lambda kv: (kv[1].id, {"date": kv[1].date, "length": kv[1].length}))
    n_docs = len(stored)
    stages.done(f"prepare {n_docs} documents")
    junk = options.junk
    # Corpus boilerplate: short stand-alone lines in many documents (Store.repeated_lines).
    hashes = repeated_line_hashes(rows, repeated_line_docs(n_docs, find)) if junk and n_docs else np.zeros(0, np.int64)
    repeated = RepeatedLineHashes(hashes) if junk else None
    pairs = _candidates(spark, rows, stored, options, find, repeated, stages).cache() if n_docs else sc.emptyRDD()
    n_candidates = pairs.count()
    stages.done(f"candidates: {n_candidates} pairs")
    parts = max(
        sc.defaultParallelism * PARTITIONS_PER_CORE, min(-(-n_candidates // PAIRS_PER_PARTITION), MAX_PARTITIONS)
    )
    held = sc.broadcast(repeated)
    records = work_partitions(pairs, rows, parts).mapPartitions(align_partition(options, find, held, junk))
    records = records.persist(_memory_and_disk())
    n_pairs = records.count() if n_candidates else 0
    stages.done(f"align {n_candidates} pairs in {parts} partitions: {n_pairs} share text")
    return _Found(records, info, n_docs, n_candidates, parts, bad, [records, pairs, rows], stages)


def _spread(docs: Any) -> Any:
    """``docs`` in partitions of at most :data:`DOCS_PER_PARTITION` documents (as they are when they already are)."""
    wanted = -(-docs.count() // DOCS_PER_PARTITION)
    return docs.repartition(wanted) if wanted > docs.getNumPartitions() else docs


def _memory_and_disk() -> Any:
    from pyspark import StorageLevel

    return StorageLevel.MEMORY_AND_DISK


def _prepare(options: CompareOptions) -> Callable[[Iterator[tuple[int, Document]]], Iterator[tuple[int, IndexRow]]]:
    """The function making the index rows of a partition's documents (nothing embedded up front, as ``find INPUT...``)."""
    junk = options.junk
    embedder = None
    threads = options.embedding.threads

    def run(items: Iterator[tuple[int, Document]]) -> Iterator[tuple[int, IndexRow]]:
        for group in batches(items, EMBED_GROUP):
            jobs = [RowJob(doc, content_hash(doc), junk, embedder, threads) for _, doc in group]
            yield from zip((key for key, _ in group), prepare_rows(jobs))

    return run


def _candidates(
    spark: Any,
    rows: Any,
    stored: dict[int, StoredDoc],
    options: CompareOptions,
    find: FindOptions,
    repeated: RepeatedLineHashes | None,
    stages: _Stages,
) -> Any:
    """The candidate pairs ``(key a, key b)`` of the rows, through the date-window and same-source filters.

    As :func:`textreuse.corpus.candidates.candidate_pairs`: pairs sharing rare
    3-grams; in full mode also pairs sharing rare names and numbers, and
    pairs whose sentences are nearest neighbours (with ``find.embeddings``).
    """
    cap = df_cap(find, len(stored))

    def keys(df: Any) -> Any:
        return df.rdd.map(lambda r: (r.a, r.b))

    pairs = keys(candidate_pairs_df(spark, rows, min_shared=find.min_shared, cap=cap))
    if options.mode == "full":
        names = keys(candidate_pairs_df(spark, rows, min_shared=find.min_names, cap=cap, which="names"))
        pairs = pairs.union(names)
        if find.embeddings:
            from textreuse.engines.spark.neighbours import neighbour_pairs_spark

            near = neighbour_pairs_spark(spark.sparkContext, rows, find, repeated)
            stages.done(f"sentence neighbours: {near.count()} pairs")
            pairs = pairs.union(near)
        pairs = pairs.distinct()
    if find.window_days is not None or find.skip_same_source:
        meta = spark.sparkContext.broadcast(stored)
        pairs = pairs.filter(lambda p: pair_allowed(meta.value[p[0]], meta.value[p[1]], find))
    return pairs
