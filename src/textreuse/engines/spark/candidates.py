"""Candidate pairs and corpus boilerplate on Spark, from the documents' index rows.

* :func:`repeated_line_hashes`: short stand-alone lines found in many
  documents (counted with a ``reduceByKey``), as :meth:`Store.repeated_lines`;
* :func:`candidate_pairs_df`: the ``(hash, document)`` postings, hashes held
  by 2 to ``cap`` documents, a self-join on the hash, pairs sharing at least
  ``min_shared``, as :func:`textreuse.index.candidates.pairs_from_postings`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from textreuse.index.rows import IndexRow

__all__ = ["candidate_pairs_df", "repeated_line_hashes"]


def repeated_line_hashes(rows: Any, min_docs: int) -> np.ndarray:
    """The sorted hashes of the short stand-alone lines in at least ``min_docs`` of the ``(key, IndexRow)`` rows."""
    found = (
        rows.flatMap(lambda kv: set(kv[1].line_table()["hash"].tolist()))
        .map(lambda h: (h, 1))
        .reduceByKey(lambda x, y: x + y)
        .filter(lambda kv: kv[1] >= min_docs)
        .keys()
        .collect()
    )
    return np.unique(np.asarray(found, dtype=np.int64))


def _hash_lists(rows: Any, which: str) -> Any:
    """Each document's hashes (``IndexRow.grams`` or ``names``) as ``(key, [hash, ...])``: one row a document."""

    def hashes(kv: tuple[int, IndexRow]) -> tuple[int, list[int]]:
        return kv[0], np.frombuffer(getattr(kv[1], which), dtype=np.int64).tolist()

    return rows.map(hashes)


def candidate_pairs_df(spark: Any, rows: Any, *, min_shared: int, cap: int, which: str = "grams") -> Any:
    """Candidate pairs as a DataFrame ``(a, b, shared)``, ``a < b``: documents sharing ``min_shared`` rare hashes.

    The rules of :func:`textreuse.index.candidates.pairs_from_postings`: hashes (of
    ``IndexRow.grams``, or ``names``) held by 2 to ``cap`` documents count.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import ArrayType, LongType, StructField, StructType

    schema = StructType([StructField("doc", LongType(), False), StructField("hs", ArrayType(LongType()), False)])
    # One row a document, its hashes exploded into postings in the JVM (no Python row per posting).
    postings = spark.createDataFrame(_hash_lists(rows, which), schema).select("doc", F.explode("hs").alias("h"))
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
