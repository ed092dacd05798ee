"""JSONL input: one JSON object a line with ``id`` and ``text`` (optionally gzip-compressed), read as a stream."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from textreuse.errors import InputError
from textreuse.io.ingest.files import PathLike, _iter_lines, _utf8_error
from textreuse.io.ingest.records import (
    _duplicate_id,
    _Item,
    _json_type,
    _raise_errors,
    _record_id,
    _record_metadata,
    _record_text,
    _unpaired_surrogate,
)
from textreuse.types import Document

__all__ = ["iter_jsonl", "jsonl_record"]


def _iter_jsonl(path: Path) -> Iterator[_Item]:
    """``(document, line)`` for each record of a JSONL file; bad records as InputError."""
    name = str(path)
    seen: dict[str, int] = {}
    records = 0
    for lineno, line in _iter_lines(path):
        if isinstance(line, InputError):
            records += 1
            yield line
            continue
        if not line.strip():
            continue
        records += 1
        record = jsonl_record(line, name, lineno)
        if record is None:  # not reached: blank lines are skipped above
            continue
        if isinstance(record, InputError):
            yield record
            continue
        if record.id in seen:
            yield _duplicate_id(record.id, seen, name, lineno)
            continue
        seen[record.id] = lineno
        yield record, lineno
    if records == 0:
        raise InputError("empty file", path=name)


def jsonl_record(line: str | bytes, name: str, lineno: int) -> Document | InputError | None:
    """One line of a JSONL file as a document, an :class:`InputError` naming file and line, or ``None`` if blank.

    The same checks as :func:`iter_jsonl` except repeated ids (which need the
    whole file): engines that read a file's lines in parallel (Spark) call it.
    A ``bytes`` line is decoded as strict UTF-8, and a BOM on line 1 dropped.

    >>> jsonl_record('{"id": 7, "text": "Flood.", "series": "Gazette"}', "c.jsonl", 1).metadata
    {'series': 'Gazette', 'source': 'Gazette', 'path': 'c.jsonl'}
    >>> print(jsonl_record('{"id": 7}', "c.jsonl", 2))
    c.jsonl:2: missing "text"
    """
    if isinstance(line, bytes):
        raw = line
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            return _utf8_error(raw, e, name, first_line=lineno)
    if lineno == 1:
        line = line.lstrip("\ufeff")
    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        return InputError(f"invalid JSON ({e.msg} at column {e.colno})", path=name, line=lineno)
    if not isinstance(obj, dict):
        return InputError(f"not a JSON object (got {_json_type(obj)})", path=name, line=lineno)
    if "\\u" in line and (surrogate := _unpaired_surrogate(obj, name, lineno)) is not None:
        return surrogate
    if "id" not in obj:
        return InputError('missing "id"', path=name, line=lineno)
    if "text" not in obj:
        return InputError('missing "text"', path=name, line=lineno)
    doc_id = _record_id(obj.pop("id"), name, lineno)
    if isinstance(doc_id, InputError):
        return doc_id
    text = _record_text(obj.pop("text"), name, lineno)
    if isinstance(text, InputError):
        return text
    return Document(doc_id, text, _record_metadata(obj, name))


def iter_jsonl(path: PathLike) -> Iterator[Document]:
    """Stream the documents of a JSONL file (plain or gzip-compressed).

    Each non-blank line is a JSON object with ``id`` (a string, or an integer
    that becomes a string) and ``text`` (a non-empty string). Every other key
    is kept in the metadata, and ``series`` stands in for a missing
    ``source`` (passim's layout). The first bad line raises
    :class:`InputError` with its line number.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "c.jsonl"
    >>> _ = path.write_text('{"id": 1, "text": "Flood.", "date": "2024-03-05"}\\n\\n{"id": 1, "text": "Again."}\\n')
    >>> docs = iter_jsonl(path)
    >>> next(docs).date
    '2024-03-05'
    >>> next(docs)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    textreuse.errors.InputError: ...c.jsonl:3: duplicate id "1" (first at line 1)
    """
    return _raise_errors(_iter_jsonl(Path(path)))
