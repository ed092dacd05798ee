"""Reading the inputs of a Spark run into an RDD of ``(key, Document)``, keys in input order.

A JSONL file is read by the executors, line by line, with
:func:`textreuse.io.ingest.jsonl_record` (a path Spark reads, e.g. on HDFS,
works too); so is Parquet (a ``.parquet`` file or folder: each row as a
JSON record with ``id``, ``text`` and optional ``date``, ``source``, ...,
checked by ``jsonl_record``), and a folder of ``.txt`` files given as a URL
Spark reads (``hdfs://``, ``s3a://``, ``file://``; ids are the file names,
as for a local folder). Other inputs (local folders, text, CSV, HTML) are
read on the driver by :func:`textreuse.io.ingest.iter_documents` and
distributed. Each document's key is its place in the input order, as the
index's keys are.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from textreuse.errors import InputError
from textreuse.types import Document

__all__ = ["read_documents", "unreadable_dates"]


def _is_jsonl(path: str, fmt: str | None) -> bool:
    from textreuse.io.ingest import detect_format

    if fmt is not None:
        return fmt == "jsonl"
    return detect_format(path) == "jsonl"


def _check_file(path: str) -> None:
    """Missing, empty or binary files fail on the driver, as :func:`textreuse.io.ingest.iter_jsonl` fails."""
    from textreuse.io.ingest import _iter_lines

    if "://" in path:
        return  # a path for Spark's file systems (hdfs://, s3a://): Spark reads it
    next(_iter_lines(Path(path)), None)


def _parse_lines(
    name: str, date_format: str | None
) -> Callable[[tuple[str | bytes, int]], Document | InputError | None]:
    from textreuse.io.ingest import jsonl_record, with_iso_date

    def parse(item: tuple[str | bytes, int]) -> Document | InputError | None:
        record = jsonl_record(item[0], name, item[1] + 1)
        return with_iso_date(record, date_format) if isinstance(record, Document) else record

    return parse


def unreadable_dates(docs: Any) -> list[tuple[str, str]]:
    """``(id, date as written)`` of the documents of an RDD of ``(key, Document)`` whose date cannot be read."""
    from textreuse.io.ingest import unreadable_date

    found = docs.map(lambda kv: (kv[0], kv[1].id, unreadable_date(kv[1]))).filter(lambda x: x[2] is not None)
    return [(doc_id, value) for _, doc_id, value in sorted(found.collect())]


def read_documents(
    sc: Any,
    inputs: Sequence[str | os.PathLike[str]],
    *,
    fmt: str | None = None,
    columns: Mapping[str, str] | None = None,
    skip_bad: bool = False,
    bad: list[InputError] | None = None,
    date_format: str | None = None,
) -> Any:
    """An RDD of ``(key, Document)``, keys in input order (files as given, lines in order).

    JSONL files are read by the executors; anything else by
    :func:`textreuse.io.ingest.iter_documents` on the driver. Bad records and
    repeated ids raise :class:`InputError` (the first in input order), or
    with ``skip_bad`` are dropped and appended to ``bad`` (a repeated id
    keeps its first document, as the local engine does). Dates become ISO 8601
    (:func:`textreuse.io.ingest.with_iso_date`, with ``date_format``).
    """
    parts = [
        part
        for given in inputs
        if (part := _read_input(sc, given, _Reading(fmt, columns, skip_bad, date_format), bad)) is not None
    ]
    if not parts:
        return sc.emptyRDD()
    items = (sc.union(parts) if len(parts) > 1 else parts[0]).zipWithIndex().map(lambda x: (x[1] + 1, x[0]))
    from pyspark import StorageLevel

    items = items.persist(StorageLevel.MEMORY_AND_DISK)
    errors = items.filter(lambda kv: isinstance(kv[1], InputError)).sortByKey().values().collect()
    if errors and not skip_bad:
        raise errors[0]
    docs = items.filter(lambda kv: isinstance(kv[1], Document))
    drop, dup_errors = _repeated_ids(docs, inputs)
    if dup_errors and not skip_bad:
        raise dup_errors[0]
    if bad is not None:
        bad.extend(errors)
        bad.extend(dup_errors)
    if drop:
        dropped = sc.broadcast(drop)
        docs = docs.filter(lambda kv: kv[0] not in dropped.value)
    return docs


class _Reading(NamedTuple):
    """How the inputs are read: format, CSV columns, whether bad records are skipped, the date format."""

    fmt: str | None
    columns: Mapping[str, str] | None
    skip_bad: bool
    date_format: str | None


def _read_input(sc: Any, given: str | os.PathLike[str], how: _Reading, bad: list[InputError] | None) -> Any:
    """The RDD of one input's records (documents, or :class:`InputError` for bad lines); ``None`` if skipped."""
    from textreuse.io.ingest import iter_documents

    path = str(given)
    if path.rstrip("/").endswith(".parquet"):
        from pyspark.sql import SparkSession
        from pyspark.sql import functions as F

        table = SparkSession(sc).read.parquet(path)
        # Each row as a JSON object, made in the JVM.
        lines = table.select(F.to_json(F.struct(*table.columns)).alias("j")).rdd.map(lambda r: r.j).zipWithIndex()
        return lines.map(_parse_lines(path, how.date_format)).filter(lambda r: r is not None)
    if "://" in path and not _is_jsonl(path, how.fmt):
        return _text_folder(sc, path, how)
    if _is_jsonl(path, how.fmt) and not Path(path).is_dir():
        try:
            _check_file(path)
        except InputError as e:
            if not how.skip_bad:
                raise
            if bad is not None:
                bad.append(e)
            return None
        lines = sc.textFile(path, use_unicode=False).zipWithIndex()
        return lines.map(_parse_lines(path, how.date_format)).filter(lambda r: r is not None)
    local_bad: list[InputError] = []
    docs = list(
        iter_documents(
            [given],
            fmt=how.fmt,
            columns=how.columns,
            skip_bad=how.skip_bad,
            bad=local_bad,
            date_format=how.date_format,
        )
    )
    if bad is not None:
        bad.extend(local_bad)
    return sc.parallelize(docs, max(1, min(sc.defaultParallelism, len(docs))))


def _text_file(date_format: str | None) -> Callable[[tuple[str | bytes, str | bytes]], Document | InputError]:
    """The function making a document of one ``(URL, bytes)`` text file of a folder, its name the id."""
    from textreuse.io.ingest import with_iso_date
    from textreuse.io.ingest.files import decode_text

    def load(item: tuple[str | bytes, str | bytes]) -> Document | InputError:
        url = item[0].decode("utf-8", "surrogateescape") if isinstance(item[0], bytes) else item[0]
        data = item[1]
        name = url.rsplit("/", 1)[-1]  # the folder's files, not its subfolders: the name is the relative path
        try:
            text = decode_text(data if isinstance(data, bytes) else data.encode("utf-8"), url)
        except InputError as e:
            return e
        return with_iso_date(Document(name, text, {"path": url}), date_format)

    return load


def _text_folder(sc: Any, path: str, how: _Reading) -> Any:
    """The ``.txt`` files of a folder at a URL Spark reads, in name order, as documents (or errors)."""
    if how.fmt not in (None, "txt"):
        raise InputError(f"the Spark engine reads a folder at a URL as .txt files, not as {how.fmt}", path=path)
    files = sc.wholeTextFiles(path.rstrip("/") + "/*.txt", use_unicode=False)
    return files.map(_text_file(how.date_format)).sortBy(lambda d: d.id if isinstance(d, Document) else "")


def _repeated_ids(docs: Any, inputs: Sequence[str | os.PathLike[str]]) -> tuple[set[int], list[InputError]]:
    """The keys of documents whose id an earlier document has, and an error for each, in key order."""
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
    return drop, [e for _, e in dup_errors]
