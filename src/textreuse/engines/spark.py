"""The Spark engine: corpus-wide reuse discovery on Apache Spark (pyspark), for corpora beyond one machine.

It drives the same stage functions as the local engine (:mod:`textreuse.corpus.find`
over a SQLite index), with Spark in place of the index and the process pool:

1. **Read** the inputs: a JSONL file is read by the executors, line by line,
   with :func:`textreuse.ingest.jsonl_record` (a path Spark reads, e.g. on
   HDFS, works too); other inputs (folders, text, CSV, HTML) are read on the
   driver by :func:`textreuse.ingest.iter_documents` and distributed. Each
   document's key is its place in the input order, as the index's keys are.
2. **Prepare** each document once in the executors with
   :func:`textreuse.store.index_row`: what the index stores of it (prepared
   tokens, 3-gram fingerprint, stand-alone short lines, names and numbers).
3. **Boilerplate**: short stand-alone lines found in
   :func:`~textreuse.corpus.repeated_line_docs` documents (counted with a
   ``reduceByKey``) are broadcast, and each document's are excluded before
   alignment (:func:`~textreuse.corpus.without_repeated`).
4. **Candidates** with DataFrames: the ``(3-gram hash, document)`` postings,
   3-grams held by 2 to :func:`~textreuse.corpus.df_cap` documents, a
   self-join on the 3-gram, pairs sharing at least ``min_shared``; then the
   date-window and same-source filters (:func:`~textreuse.corpus.pair_allowed`).
5. **Align** each candidate pair in the executors (both documents' rows
   joined to it) with :func:`~textreuse.corpus.align_candidate`:
   ``shared_clusters`` → ``compare(..., focus=...)`` → ``verify`` →
   ``pair_record``.

The pair records are collected on the driver, where the CLI writes them and
:func:`textreuse.families.build_families` groups them, as for the local engine.

Lexical mode only for now: full mode's candidates from sentence embeddings
need a corpus-wide nearest-neighbour search (faiss over every sentence),
which this engine does not distribute yet.

Needs ``pip install 'textreuse[spark]'`` and Java 17+. Executors must be able
to import ``textreuse`` (on a cluster, install the package on every node).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from textreuse.compare import CompareOptions, PreparedDocument
from textreuse.corpus.find import (
    FindOptions,
    align_candidate,
    df_cap,
    pair_allowed,
    repeated_line_docs,
    shared_clusters,
    without_repeated,
)
from textreuse.errors import InputError, TextReuseError
from textreuse.index.store import IndexRow, RepeatedLineHashes, StoredDoc, index_row
from textreuse.types import Document

__all__ = ["SparkRun", "spark_session", "find_pairs_spark", "read_documents"]


def _pyspark() -> Any:
    try:
        import pyspark
    except ImportError:
        raise TextReuseError("--engine spark needs pyspark (and Java 17+): pip install 'textreuse[spark]'") from None
    return pyspark


def spark_session(master: str | None = None, app: str = "textreuse") -> Any:
    """A SparkSession (the running one, or a new one on ``master``, e.g. ``local[2]``).

    Executors run this Python (``sys.executable``) unless ``PYSPARK_PYTHON``
    says otherwise, so they import the same ``textreuse``.
    """
    _pyspark()
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    builder = (
        builder.config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", os.environ.get("TEXTREUSE_SPARK_PARTITIONS", "8"))
        .config("spark.executorEnv.TEXTREUSE_THREADS", "1")
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


@dataclass
class SparkRun:
    """What a Spark ``find`` produced: pair records, document info for families, counts, bad inputs."""

    records: list[dict[str, Any]]
    info: dict[str, dict[str, Any]]
    n_docs: int
    n_candidates: int
    bad: list[InputError] = field(default_factory=list)


# ---------------------------------------------------------------- reading


def _is_jsonl(path: str, fmt: str | None) -> bool:
    from textreuse.io.ingest import detect_format

    if fmt is not None:
        return fmt == "jsonl"
    return detect_format(path) == "jsonl"


def _check_file(path: str) -> None:
    """Missing, empty or binary files fail on the driver, as :func:`textreuse.ingest.iter_jsonl` fails."""
    from textreuse.io.ingest import _iter_lines

    if "://" in path:
        return  # a path for Spark's file systems (hdfs://, s3a://): Spark reads it
    next(_iter_lines(Path(path)), None)


def _parse_lines(name: str) -> Any:
    from textreuse.io.ingest import jsonl_record

    def parse(item: tuple[bytes, int]) -> Document | InputError | None:
        return jsonl_record(item[0], name, item[1] + 1)

    return parse


def read_documents(
    sc: Any,
    inputs: Sequence[str | os.PathLike[str]],
    *,
    fmt: str | None = None,
    columns: Mapping[str, str] | None = None,
    skip_bad: bool = False,
    bad: list[InputError] | None = None,
) -> Any:
    """An RDD of ``(key, Document)``, keys in input order (files as given, lines in order).

    JSONL files are read by the executors; anything else by
    :func:`textreuse.ingest.iter_documents` on the driver. Bad records and
    repeated ids raise :class:`InputError` (the first in input order), or
    with ``skip_bad`` are dropped and appended to ``bad`` (a repeated id
    keeps its first document, as the local engine does).
    """
    from textreuse.io.ingest import iter_documents

    parts = []
    for given in inputs:
        path = str(given)
        if _is_jsonl(path, fmt) and not Path(path).is_dir():
            try:
                _check_file(path)
            except InputError as e:
                if not skip_bad:
                    raise
                if bad is not None:
                    bad.append(e)
                continue
            lines = sc.textFile(path, use_unicode=False).zipWithIndex()
            parts.append(lines.map(_parse_lines(path)).filter(lambda r: r is not None))
        else:
            local_bad: list[InputError] = []
            docs = list(iter_documents([given], fmt=fmt, columns=columns, skip_bad=skip_bad, bad=local_bad))
            if bad is not None:
                bad.extend(local_bad)
            parts.append(sc.parallelize(docs, max(1, min(sc.defaultParallelism, len(docs)))))
    if not parts:
        return sc.emptyRDD()
    items = (sc.union(parts) if len(parts) > 1 else parts[0]).zipWithIndex().map(lambda x: (x[1] + 1, x[0]))
    items = items.cache()
    errors = items.filter(lambda kv: isinstance(kv[1], InputError)).sortByKey().values().collect()
    if errors and not skip_bad:
        raise errors[0]
    docs = items.filter(lambda kv: isinstance(kv[1], Document))
    repeated = (
        docs.map(lambda kv: (kv[1].id, [kv[0]]))
        .reduceByKey(lambda x, y: x + y)
        .filter(lambda kv: len(kv[1]) > 1)
        .collect()
    )
    drop: set[int] = set()
    dup_errors = []
    for doc_id, keys in repeated:
        keys = sorted(keys)
        drop.update(keys[1:])
        for k in keys[1:]:
            dup_errors.append((k, InputError(f'duplicate id "{doc_id}"', path=", ".join(str(p) for p in inputs))))
    dup_errors.sort(key=lambda x: x[0])
    if dup_errors and not skip_bad:
        raise dup_errors[0][1]
    if bad is not None:
        bad.extend(errors)
        bad.extend(e for _, e in dup_errors)
    if drop:
        dropped = sc.broadcast(drop)
        docs = docs.filter(lambda kv: kv[0] not in dropped.value)
    return docs


# ---------------------------------------------------------------- candidates


def _postings(rows: Any, which: str) -> Any:
    def explode(kv: tuple[int, IndexRow]) -> Iterator[tuple[int, int]]:
        key, row = kv
        for h in np.frombuffer(getattr(row, which), dtype=np.int64).tolist():
            yield h, key

    return rows.flatMap(explode)


def candidate_pairs_df(spark: Any, rows: Any, *, min_shared: int, cap: int, which: str = "grams") -> Any:
    """Candidate pairs as a DataFrame ``(a, b, shared)``, ``a < b``: documents sharing ``min_shared`` rare hashes.

    The rules of :func:`textreuse.candidates.pairs_from_postings`: hashes (of
    ``IndexRow.grams``, or ``names``) held by 2 to ``cap`` documents count.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import LongType, StructField, StructType

    schema = StructType([StructField("h", LongType(), False), StructField("doc", LongType(), False)])
    postings = spark.createDataFrame(_postings(rows, which), schema)
    rare = postings.groupBy("h").count().where((F.col("count") >= 2) & (F.col("count") <= cap)).select("h")
    kept = postings.join(rare, "h")
    x, y = kept.alias("x"), kept.alias("y")
    pairs = (
        x.join(y, (F.col("x.h") == F.col("y.h")) & (F.col("x.doc") < F.col("y.doc")))
        .groupBy(F.col("x.doc").alias("a"), F.col("y.doc").alias("b"))
        .count()
        .where(F.col("count") >= min_shared)
        .select("a", "b", F.col("count").alias("shared"))
    )
    return pairs


# ---------------------------------------------------------------- alignment


def _unpack(blobs: tuple[bytes, bytes]) -> tuple[np.ndarray, np.ndarray]:
    return np.frombuffer(blobs[0], dtype=np.int64), np.frombuffer(blobs[1], dtype=np.int32)


def _align_partition(
    options: CompareOptions, find: FindOptions, repeated: Any, junk: bool
) -> Any:
    def run(items: Iterable[tuple[int, tuple[tuple[int, IndexRow], IndexRow]]]) -> Iterator[dict[str, Any]]:
        prepared: dict[int, PreparedDocument] = {}

        def load(key: int, row: IndexRow) -> PreparedDocument:
            doc = prepared.get(key)
            if doc is None:
                doc = row.prepared()
                if junk:
                    doc = without_repeated(doc, repeated.value, row.line_table())
                if len(prepared) >= 256:
                    prepared.pop(next(iter(prepared)))
                prepared[key] = doc
            return doc

        for kb, ((ka, ra), rb) in items:
            fa, fb = ra.fingerprint(), rb.fingerprint()
            clusters = shared_clusters(fa, fb, min_cluster=find.min_cluster)
            if not clusters and options.mode == "lexical":
                continue
            record = align_candidate(load(ka, ra), fa, load(kb, rb), fb, options, find, clusters)
            if record:
                yield record

    return run


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
) -> SparkRun:
    """Every pair of documents of the inputs that shares text, found and aligned on Spark.

    ``options.mode`` must be ``lexical``. The result's records are
    :func:`textreuse.corpus.pair_record` dicts, as
    :func:`textreuse.corpus.find_pairs` yields them for the same documents.
    """
    find = find or FindOptions()
    if options.mode != "lexical":
        raise TextReuseError("the Spark engine runs --mode lexical only for now (use --engine local for full mode)")
    spark = spark or spark_session(master)
    sc = spark.sparkContext
    bad: list[InputError] = []
    docs = read_documents(sc, inputs, fmt=fmt, columns=columns, skip_bad=skip_bad, bad=bad)
    junk = options.junk
    rows = docs.mapValues(lambda d: index_row(d, junk=junk)).cache()
    info_rows = rows.map(lambda kv: (kv[0], kv[1].id, kv[1].date, kv[1].source, kv[1].length)).collect()
    n_docs = len(info_rows)
    if not n_docs:
        rows.unpersist()
        return SparkRun([], {}, 0, 0, bad)
    stored = {k: StoredDoc(k, i, d, s, n) for k, i, d, s, n in info_rows}
    info = {s.id: {"date": s.date, "length": s.length} for s in stored.values()}

    # Corpus boilerplate: short stand-alone lines in many documents (Store.repeated_lines).
    hashes: np.ndarray = np.zeros(0, np.int64)
    if junk:
        min_docs = repeated_line_docs(n_docs)
        found = (
            rows.flatMap(lambda kv: set(kv[1].line_table()["hash"].tolist()))
            .map(lambda h: (h, 1))
            .reduceByKey(lambda x, y: x + y)
            .filter(lambda kv: kv[1] >= min_docs)
            .keys()
            .collect()
        )
        hashes = np.unique(np.asarray(found, dtype=np.int64))
    repeated = sc.broadcast(RepeatedLineHashes(hashes) if junk else None)

    cap = df_cap(find, n_docs)
    pairs = candidate_pairs_df(spark, rows, min_shared=find.min_shared, cap=cap).rdd.map(lambda r: (r.a, r.b))
    if find.window_days is not None or find.skip_same_source:
        meta = sc.broadcast(stored)
        pairs = pairs.filter(lambda p: pair_allowed(meta.value[p[0]], meta.value[p[1]], find))
    pairs = pairs.cache()
    n_candidates = pairs.count()
    pairs_cached = pairs
    records: list[dict[str, Any]] = []
    if n_candidates:
        slices = max(sc.defaultParallelism * 4, min(n_candidates // 64, 4096), 1)
        # Judge each pair on its shared 3-grams first, with the fingerprints alone (as the local
        # engine does before reading either document): most candidates share scattered phrases.
        prints = rows.mapValues(lambda r: (r.grams, r.positions))
        min_cluster = find.min_cluster
        pairs = (
            pairs.join(prints, slices)  # (a, (b, print a))
            .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
            .join(prints, slices)  # (b, ((a, print a), print b))
            .filter(lambda kv: bool(shared_clusters(_unpack(kv[1][0][1]), _unpack(kv[1][1]), min_cluster=min_cluster)))
            .map(lambda kv: (kv[1][0][0], kv[0]))
        )
        joined = (
            pairs.join(rows, slices)  # (a, (b, row a))
            .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
            .join(rows, slices)  # (b, ((a, row a), row b))
        )
        records = joined.mapPartitions(_align_partition(options, find, repeated, junk)).collect()
    pairs_cached.unpersist()
    rows.unpersist()
    return SparkRun(records, info, n_docs, n_candidates, bad)
