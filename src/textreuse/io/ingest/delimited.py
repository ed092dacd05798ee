"""CSV and TSV input: a header row, then one document a row; read as a stream."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from textreuse.errors import InputError
from textreuse.io.ingest.files import PathLike, _iter_lines
from textreuse.io.ingest.records import (
    OPTIONAL_FIELDS,
    REQUIRED_FIELDS,
    _check_record,
    _Item,
    _raise_errors,
)
from textreuse.types import Document

__all__ = ["iter_csv", "parse_columns"]


def _raise_field_size_limit() -> None:
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:  # a C long is 32 bits on some platforms
            limit //= 2


def _column_map(header: list[str], columns: Mapping[str, str] | None, name: str) -> dict[str, int]:
    """Map each field (id, text, date, ...) to its column index in *header*."""
    wanted = dict(columns or {})
    index: dict[str, int] = {}
    for position, column in enumerate(header):
        index.setdefault(column, position)
    missing = []
    mapping: dict[str, int] = {}
    for field in REQUIRED_FIELDS:
        column = wanted.pop(field, field)
        if column in index:
            mapping[field] = index[column]
        else:
            missing.append(f'"{column}"' + (f" (for {field})" if column != field else ""))
    for field in OPTIONAL_FIELDS:
        explicit = field in wanted
        column = wanted.pop(field, field)
        if column in index:
            mapping[field] = index[column]
        elif explicit:
            missing.append(f'"{column}" (for {field})')
    for field, column in wanted.items():  # fields beyond the known ones
        if column in index:
            mapping[field] = index[column]
        else:
            missing.append(f'"{column}" (for {field})')
    if missing:
        available = ", ".join(f'"{c}"' for c in header) or "none"
        plural = "s" if len(missing) > 1 else ""
        raise InputError(f"missing column{plural} {', '.join(missing)}; the header has {available}", path=name, line=1)
    return mapping


def _text_lines(path: Path, undecodable: list[InputError]) -> Iterator[str]:
    """The lines of a file as text; a line that is not UTF-8 is noted in *undecodable* and read as blank."""
    for _, line in _iter_lines(path):
        if isinstance(line, InputError):
            undecodable.append(line)
            yield "\n"  # stands in for the bad line, keeping line numbers right
        else:
            yield line


def _read_header(reader: Iterator[list[str]], undecodable: list[InputError], name: str) -> list[str]:
    """The header row, or an InputError raised for a file without one."""
    try:
        header: list[str] | None = next(reader, None)
    except csv.Error as e:
        raise InputError(f"bad CSV header ({e})", path=name, line=1) from None
    if undecodable:
        raise undecodable[0]
    if not header or not any(cell.strip() for cell in header):
        raise InputError("empty file" if header is None else "no header row (line 1 is blank)", path=name, line=1)
    return header


def _row_item(
    row: list[str],
    header: list[str],
    mapping: dict[str, int],
    extras: list[tuple[int, str]],
    seen: dict[str, int],
    name: str,
    start: int,
) -> _Item:
    """The document of one row starting on line *start*, or an InputError for a bad row."""
    if len(row) != len(header):
        return InputError(f"row has {len(row)} fields, the header has {len(header)}", path=name, line=start)
    checked = _check_record(row[mapping["id"]], row[mapping["text"]], seen, name, start)
    if isinstance(checked, InputError):
        return checked
    doc_id, text = checked
    metadata: dict[str, Any] = {column: row[i] for i, column in extras}
    for field, i in mapping.items():
        if field not in REQUIRED_FIELDS and row[i] != "":
            metadata[field] = row[i]
    metadata.setdefault("path", name)
    return Document(doc_id, text, metadata), start


def _iter_csv(path: Path, columns: Mapping[str, str] | None = None, delimiter: str | None = None) -> Iterator[_Item]:
    """``(document, line)`` for each row of a CSV/TSV file; bad rows as InputError."""
    name = str(path)
    if delimiter is None:
        delimiter = "\t" if path.name.lower().endswith((".tsv", ".tsv.gz")) else ","
    _raise_field_size_limit()
    undecodable: list[InputError] = []
    reader = csv.reader(_text_lines(path, undecodable), delimiter=delimiter)
    header = _read_header(reader, undecodable, name)
    mapping = _column_map(header, columns, name)
    used = set(mapping.values())
    extras = [(i, column) for i, column in enumerate(header) if i not in used]
    if "source" not in mapping and "series" in header:
        mapping["source"] = header.index("series")  # as in JSONL
    seen: dict[str, int] = {}
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            yield InputError(f"bad CSV row ({e})", path=name, line=start)
            continue
        if undecodable:  # the row holds a line that was not UTF-8
            yield from undecodable
            undecodable.clear()
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        yield _row_item(row, header, mapping, extras, seen, name, start)


def iter_csv(
    path: PathLike, *, columns: Mapping[str, str] | None = None, delimiter: str | None = None
) -> Iterator[Document]:
    """Stream the documents of a CSV file, one a row after a header row.

    *columns* maps fields to column headers, e.g. ``{"id": "doc_id", "text":
    "body"}``; fields not named there are looked for under their own name:
    ``id`` and ``text`` are required, ``date``, ``source``, ``title`` and
    ``url`` optional. Every other column is kept in the metadata. The
    delimiter is a tab for ``.tsv`` files and a comma otherwise, unless
    *delimiter* is given. The first bad row raises :class:`InputError` with
    its line number.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "c.csv"
    >>> _ = path.write_text('doc_id,body,section\\nw1,"Storm hits coast.",news\\n')
    >>> doc = next(iter_csv(path, columns={"id": "doc_id", "text": "body"}))
    >>> doc.id, doc.text, doc.metadata["section"]
    ('w1', 'Storm hits coast.', 'news')
    """
    return _raise_errors(_iter_csv(Path(path), columns, delimiter))


def parse_columns(spec: str) -> dict[str, str]:
    """Parse a column mapping such as ``"id=doc_id,text=body,date=published"``.

    Fields are ``id``, ``text``, ``date``, ``source``, ``title`` and ``url``.
    A bad spec raises :class:`InputError` (a ``ValueError``).

    >>> parse_columns("id=doc_id, text=body")
    {'id': 'doc_id', 'text': 'body'}
    >>> parse_columns("txt=body")
    Traceback (most recent call last):
    ...
    textreuse.errors.InputError: unknown field 'txt' in column mapping 'txt=body' (fields: id, text, date, source, title, url)
    """
    known = REQUIRED_FIELDS + OPTIONAL_FIELDS
    mapping: dict[str, str] = {}
    items = [item.strip() for item in spec.split(",")]
    if not any(items):
        raise InputError(f"empty column mapping {spec!r} (expected e.g. 'id=doc_id,text=body')")
    for item in items:
        if not item:
            continue
        field, sep, column = (part.strip() for part in item.partition("="))
        if not sep or not field or not column:
            raise InputError(f"bad column mapping {item!r} in {spec!r} (expected FIELD=COLUMN, e.g. 'text=body')")
        if field not in known:
            raise InputError(f"unknown field {field!r} in column mapping {spec!r} (fields: {', '.join(known)})")
        if field in mapping:
            raise InputError(f"field {field!r} mapped twice in column mapping {spec!r}")
        mapping[field] = column
    return mapping
