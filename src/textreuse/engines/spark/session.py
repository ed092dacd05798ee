"""Starting Spark: the pyspark import, with a clear error when it is missing, and the session."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any

from textreuse.errors import TextReuseError

__all__ = ["spark_session", "SHUFFLE_PARTITIONS"]

# Partitions of Spark SQL shuffles (joins, group-bys) in a session started here.
SHUFFLE_PARTITIONS = 8


def _pyspark() -> Any:
    try:
        import pyspark
    except ImportError:
        raise TextReuseError("--engine spark needs pyspark (and Java 17+): pip install 'textreuse[spark]'") from None
    return pyspark


def spark_session(
    master: str | None = None,
    app: str = "textreuse",
    *,
    shuffle_partitions: int = SHUFFLE_PARTITIONS,
    conf: Mapping[str, str] | None = None,
) -> Any:
    """A SparkSession (the running one, or a new one on ``master``, e.g. ``local[2]``, with the settings ``conf``).

    Executors run this Python (``sys.executable``) unless ``PYSPARK_PYTHON``
    says otherwise, so they import the same ``textreuse``: pyspark reads
    the interpreter from that variable only.
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
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    )
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
