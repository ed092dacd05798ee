"""Checks shared by the record formats (JSONL, CSV): ids, texts, repeated ids, metadata; dates read as ISO 8601."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TypeAlias

from textreuse.common.dates import iso_date
from textreuse.errors import InputError
from textreuse.types import Document

__all__ = ["OPTIONAL_FIELDS", "ORIGINAL_DATE_FIELD", "REQUIRED_FIELDS", "unreadable_date", "with_iso_date"]

#: Fields of a record that have a meaning of their own; the CSV defaults.
REQUIRED_FIELDS: tuple[str, ...] = ("id", "text")
OPTIONAL_FIELDS: tuple[str, ...] = ("date", "source", "title", "url")

# What the per-file readers yield: a document with the line it starts on, or a bad record.
_Item: TypeAlias = "tuple[Document, int | None] | InputError"


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    if type(value) in names:
        return names[type(value)]
    return "number" if isinstance(value, (int, float)) else type(value).__name__


def _unpaired_surrogate(record: Any, name: str, lineno: int) -> InputError | None:
    """An InputError if a decoded JSON record holds an unpaired surrogate (an escape such as ``\\ud800``).

    JSON lets a string escape half of a UTF-16 pair on its own; that is no
    Unicode character, cannot be stored or written as UTF-8, and means the text
    was mis-encoded before it reached us.
    """
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as e:
        bad = e.object[e.start : e.end]
        escape = "".join(f"\\u{ord(c):04x}" for c in bad)
        return InputError(
            f"an unpaired surrogate ({escape}) is no Unicode character: mis-encoded text", path=name, line=lineno
        )
    return None


def _record_id(value: Any, name: str, lineno: int) -> str | InputError:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return InputError(f'"id" must be a string or an integer, not {_json_type(value)}', path=name, line=lineno)
    doc_id = str(value)
    if not doc_id.strip():
        return InputError('"id" is empty', path=name, line=lineno)
    return doc_id


def _record_text(value: Any, name: str, lineno: int) -> str | InputError:
    if not isinstance(value, str):
        return InputError(f'"text" must be a string, not {_json_type(value)}', path=name, line=lineno)
    if not value.strip():
        return InputError('"text" is empty', path=name, line=lineno)
    return value


def _check_record(
    raw_id: Any, raw_text: Any, seen: dict[str, int], name: str, lineno: int
) -> tuple[str, str] | InputError:
    """Validate one record's id and text and note its id; an InputError if it is bad or repeated."""
    doc_id = _record_id(raw_id, name, lineno)
    if isinstance(doc_id, InputError):
        return doc_id
    text = _record_text(raw_text, name, lineno)
    if isinstance(text, InputError):
        return text
    if doc_id in seen:
        return _duplicate_id(doc_id, seen, name, lineno)
    seen[doc_id] = lineno
    return doc_id, text


def _duplicate_id(doc_id: str, seen: dict[str, int], name: str, lineno: int) -> InputError:
    return InputError(f'duplicate id "{doc_id}" (first at line {seen[doc_id]})', path=name, line=lineno)


def _record_metadata(fields: dict[str, Any], name: str) -> dict[str, Any]:
    if fields.get("source") in (None, "") and fields.get("series") not in (None, ""):
        fields["source"] = fields["series"]  # passim's layout
    fields.setdefault("path", name)
    return fields


def _raise_errors(items: Iterator[_Item]) -> Iterator[Document]:
    for item in items:
        if isinstance(item, InputError):
            raise item
        yield item[0]


#: Where the date of a document is kept as it was written, when it was normalized or could not be read.
ORIGINAL_DATE_FIELD = "date_original"


def with_iso_date(doc: Document, date_format: str | None = None) -> Document:
    """``doc`` with its ``date`` as ISO 8601 (:func:`~textreuse.common.dates.iso_date`), the original kept.

    A date that changes is kept as written in ``date_original``; one that
    cannot be read is dropped from ``date`` (the document counts as undated)
    and kept in ``date_original`` (see :func:`unreadable_date`). Applying it
    twice changes nothing more.

    >>> with_iso_date(Document("r1", "Cocoa.", {"date": "26-FEB-1987 15:01:01.79"})).metadata
    {'date': '1987-02-26T15:01:01.790000', 'date_original': '26-FEB-1987 15:01:01.79'}
    >>> unreadable_date(with_iso_date(Document("r2", "Cocoa.", {"date": "Feb 1987"})))
    'Feb 1987'
    """
    value = doc.metadata.get("date")
    if value is None or value == "":
        return doc
    iso = iso_date(value, date_format)
    if iso == value:
        return doc
    metadata = {k: v for k, v in doc.metadata.items() if k != "date"}
    if iso is not None:
        metadata = {"date": iso, **metadata}
    metadata[ORIGINAL_DATE_FIELD] = value
    return Document(doc.id, doc.text, metadata)


def unreadable_date(doc: Document) -> str | None:
    """The date of ``doc`` as written, when :func:`with_iso_date` could not read it; else ``None``."""
    if doc.date is not None:
        return None
    value = doc.metadata.get(ORIGINAL_DATE_FIELD)
    return None if value is None else str(value)
