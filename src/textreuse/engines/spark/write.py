"""Writing a Spark run's pairs and families from the executors, as part files; only counts reach the driver.

``OUT/pairs/`` and ``OUT/families/`` hold the part files Spark writes
(``part-00000``, ...: JSON lines, or Parquet with ``--format parquet``) in
the order of the local engine's ``pairs.jsonl`` and ``families.jsonl``:
the JSON part files, concatenated in name order, are those files byte for
byte. Any path Spark writes to works (a local folder, ``hdfs://``, ``s3a://``).
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from textreuse.corpus.record import PairRecord, output_order
from textreuse.engines.spark.families import families_rdd
from textreuse.errors import TextReuseError

__all__ = ["Written", "write_found", "SPARK_FORMATS", "TOP_PAIRS"]

# Output formats of the Spark engine's part files.
SPARK_FORMATS = ("jsonl", "parquet")
# Pairs brought to the driver for the summary table.
TOP_PAIRS = 25
# Pairs a part file (and a partition of the families' stages) holds, about; at least one part per core.
PAIRS_PER_PART = 50_000


class Written(NamedTuple):
    """What was written: the pairs and families folders, their counts, the first pairs in order."""

    pairs: str
    families: str
    n_pairs: int
    n_families: int
    top: list[PairRecord]


def _save(spark: Any, lines: Any, path: str, fmt: str) -> None:
    """Save an RDD of JSON lines at ``path`` (replacing what is there): text part files, or Parquet.

    Parquet's schema is read from the lines (its columns in name order).
    """
    from pyspark.sql.types import StringType

    if fmt == "jsonl":
        spark.createDataFrame(lines, StringType()).write.mode("overwrite").text(path)
    else:
        spark.read.json(lines).write.mode("overwrite").parquet(path)


def write_found(spark: Any, records: Any, info: Any, out: str, fmt: str, parts: int) -> Written:
    """Write the pair records (RDD of :class:`PairRecord`) and their families under ``out`` from the executors.

    ``info``: an RDD of ``(id, {"date", "length"})`` of every document;
    ``parts``: at most this many part files (one per :data:`PAIRS_PER_PART` pairs, one per core at least).
    """
    if fmt not in SPARK_FORMATS:
        raise TextReuseError(f"the Spark engine writes {' or '.join(SPARK_FORMATS)}, not {fmt!r}")
    base = out.rstrip("/")
    pairs_path, families_path = f"{base}/pairs", f"{base}/families"
    n_pairs = records.count()
    parts = max(records.context.defaultParallelism, min(parts, -(-n_pairs // PAIRS_PER_PART)))
    ordered = records.sortBy(output_order, numPartitions=parts).cache()
    _save(spark, ordered.map(lambda r: json.dumps(r.to_dict(), ensure_ascii=False)), pairs_path, fmt)
    top = ordered.take(TOP_PAIRS)
    families, labels = families_rdd(ordered, info, parts)
    families = families.cache()
    n_families = families.count()
    _save(spark, families.map(lambda f: json.dumps(f, ensure_ascii=False)), families_path, fmt)
    for done in (families, labels, ordered):
        done.unpersist()
    return Written(pairs_path, families_path, n_pairs, n_families, top)
