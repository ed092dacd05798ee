"""Ingest: turn files into :class:`~textreuse.types.Document` objects.

Four input formats are understood:

* **txt** -- any UTF-8 text file, one document; the text is kept byte for
  byte (no newline translation, a BOM stays), so offsets found later are
  ``str`` indices into exactly what is on disk.
* **html** -- one web page, one document: the main text as extracted by
  trafilatura (menus, footers and comments left out), with the title, date,
  url and site name it finds as metadata.
* **jsonl** -- one JSON object a line with ``id`` and ``text`` (optionally
  gzip-compressed); read as a stream.
* **csv** / **tsv** -- a header row, then one document a row; read as a stream.

Dates are read in any common form (or with a ``strptime`` format) and kept
as ISO 8601, the original beside them in ``date_original``
(:func:`with_iso_date`). Every problem with the input is raised as :class:`~textreuse.errors.InputError`
naming the file and, where it applies, the line.

Modules: :mod:`~textreuse.io.ingest.files` (reading, binary check, UTF-8,
lines), :mod:`~textreuse.io.ingest.html`, :mod:`~textreuse.io.ingest.jsonl`,
:mod:`~textreuse.io.ingest.delimited` (CSV/TSV),
:mod:`~textreuse.io.ingest.records` (checks the record formats share) and
:mod:`~textreuse.io.ingest.inputs` (files and folders, :func:`iter_documents`).

>>> from pathlib import Path
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "wire.txt").write_bytes(b"Storm hits coast.\\r\\nPower cut.\\r\\n")
>>> doc = load_document(folder / "wire.txt")
>>> doc.id, doc.text
('wire.txt', 'Storm hits coast.\\r\\nPower cut.\\r\\n')
>>> _ = (folder / "more.jsonl").write_text('{"id": 7, "text": "Flood warning.", "series": "gazette"}\\n')
>>> [(d.id, d.source) for d in iter_documents(folder)]
[('7', 'gazette'), ('wire.txt', None)]
"""

from __future__ import annotations

from textreuse.io.ingest.delimited import iter_csv, parse_columns
from textreuse.io.ingest.files import FORMATS, detect_format, read_text

# engines.spark reads lines with _iter_lines.
from textreuse.io.ingest.files import _iter_lines as _iter_lines
from textreuse.io.ingest.html import extract_html
from textreuse.io.ingest.inputs import iter_documents, load_document
from textreuse.io.ingest.jsonl import iter_jsonl, jsonl_record
from textreuse.io.ingest.options import InputOptions
from textreuse.io.ingest.records import (
    OPTIONAL_FIELDS,
    ORIGINAL_DATE_FIELD,
    REQUIRED_FIELDS,
    unreadable_date,
    with_iso_date,
)

__all__ = [
    "FORMATS",
    "InputOptions",
    "OPTIONAL_FIELDS",
    "ORIGINAL_DATE_FIELD",
    "REQUIRED_FIELDS",
    "detect_format",
    "extract_html",
    "iter_csv",
    "iter_documents",
    "iter_jsonl",
    "jsonl_record",
    "load_document",
    "parse_columns",
    "read_text",
    "unreadable_date",
    "with_iso_date",
]
