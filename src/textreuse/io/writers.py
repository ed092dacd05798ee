"""Result files written atomically: a crash leaves the previous file or the new one, never half of one.

Pair records are the JSON objects of ``pairs.jsonl`` (see the README): ``a``,
``b``, ``relation``, ``confidence``, ``coverage`` and ``passages`` with offsets, kind, score
and confidence. The CSV and Parquet files have one row a passage: the pair's
columns (its confidence as ``confidence``) and the passage's (its own as
``passage_confidence``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from textreuse.common.atomic import write_atomic
from textreuse.errors import TextReuseError

__all__ = ["write_jsonl", "write_pairs", "PAIR_FORMATS"]

PAIR_FORMATS = ("jsonl", "csv", "parquet")
PASSAGE_COLUMNS = ["a_start", "a_end", "b_start", "b_end", "kind", "score"]
PARQUET_COLUMNS = [
    "a", "b", "relation", "source", "confidence", "coverage_a", "coverage_b", *PASSAGE_COLUMNS, "passage_confidence"
]  # fmt: skip


def write_jsonl(path: Path, records: Iterable[Any]) -> None:
    """One JSON object a line (UTF-8, not ASCII-escaped), atomically."""
    write_atomic(path, (json.dumps(r, ensure_ascii=False) + "\n" for r in records))


def _label(record: Mapping[str, Any]) -> str:
    return str((record.get("relation") or {}).get("label", ""))


def _csv_rows(records: Sequence[Mapping[str, Any]]) -> Iterator[str]:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["a", "b", "relation", "confidence", "coverage_a", "coverage_b", *PASSAGE_COLUMNS, "passage_confidence"])
    for r in records:
        pair = [r["a"], r["b"], _label(r), r.get("confidence"), r["coverage"]["a"], r["coverage"]["b"]]
        for p in r["passages"]:
            w.writerow([*pair, *(p[k] for k in PASSAGE_COLUMNS), p.get("confidence")])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()


def _write_parquet(target: Path, records: Sequence[Mapping[str, Any]]) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise TextReuseError("--format parquet needs pyarrow: pip install 'textreuse[parquet]'") from None
    rows = []
    for r in records:
        rel = r.get("relation") or {}
        for p in r["passages"]:
            rows.append(
                {
                    "a": r["a"],
                    "b": r["b"],
                    "relation": rel.get("label"),
                    "source": rel.get("source"),
                    "confidence": r.get("confidence"),
                    "coverage_a": r["coverage"]["a"],
                    "coverage_b": r["coverage"]["b"],
                    **{k: p[k] for k in PASSAGE_COLUMNS},
                    "passage_confidence": p.get("confidence"),
                }
            )
    table = pa.Table.from_pylist(rows) if rows else pa.table({k: [] for k in PARQUET_COLUMNS})
    buffer = pa.BufferOutputStream()
    pq.write_table(table, buffer)
    write_atomic(target, buffer.getvalue().to_pybytes())


def write_pairs(out: Path, fmt: str, records: Sequence[Mapping[str, Any]]) -> Path:
    """Write ``pairs.jsonl``, ``pairs.csv`` (one row a passage) or ``pairs.parquet`` into ``out``; returns its path."""
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        target = out / "pairs.jsonl"
        write_jsonl(target, records)
    elif fmt == "csv":
        target = out / "pairs.csv"
        write_atomic(target, _csv_rows(records))
    elif fmt == "parquet":
        target = out / "pairs.parquet"
        _write_parquet(target, records)
    else:
        raise TextReuseError(f"unknown pairs format {fmt!r}: use one of {', '.join(PAIR_FORMATS)}")
    return target
