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

Every problem with the input is raised as :class:`~textreuse.errors.InputError`
naming the file and, where it applies, the line.

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

import codecs
import csv
import gzip
import io
import itertools
import json
import os
import sys
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeAlias

from textreuse.errors import InputError
from textreuse.types import Document

__all__ = [
    "FORMATS",
    "detect_format",
    "extract_html",
    "iter_csv",
    "iter_documents",
    "iter_jsonl",
    "jsonl_record",
    "load_document",
    "parse_columns",
    "read_text",
]

PathLike: TypeAlias = "str | os.PathLike[str]"
# What the per-file readers yield: a document with the line it starts on, or a bad record.
_Item: TypeAlias = "tuple[Document, int | None] | InputError"

#: The input formats, as accepted by the ``fmt`` arguments.
FORMATS: tuple[str, ...] = ("txt", "html", "jsonl", "csv")

#: Fields of a record that have a meaning of their own; the CSV defaults.
REQUIRED_FIELDS: tuple[str, ...] = ("id", "text")
OPTIONAL_FIELDS: tuple[str, ...] = ("date", "source", "title", "url")

# File name endings (lower case) by format; longest first where it matters.
_SUFFIXES: dict[str, tuple[str, ...]] = {
    "jsonl": (".jsonl.gz", ".ndjson.gz", ".jsonl", ".ndjson"),
    "csv": (".csv.gz", ".tsv.gz", ".csv", ".tsv"),
    "html": (".html", ".htm", ".xhtml"),
    "txt": (".txt",),
}

_SNIFF_BYTES = 8192  # how much of a file the binary check looks at
_CONTROL_SHARE = 0.3  # more control bytes than this in the sniff window: binary
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D} | {0x7F}
_GZIP_MAGIC = b"\x1f\x8b"


# ---------------------------------------------------------------- raw files


def _open_binary(path: Path) -> io.BufferedReader:
    """Open *path* for reading bytes, turning OS errors into InputError."""
    name = str(path)
    try:
        if path.is_dir():
            raise InputError("is a directory, not a file", path=name)
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", path=name) from None
    except PermissionError:
        raise InputError("permission denied", path=name) from None
    except OSError as e:
        raise InputError(f"cannot read file ({e.strerror or e})", path=name) from None


def _read_bytes(path: Path) -> bytes:
    fh = _open_binary(path)
    try:
        with fh:
            return fh.read()
    except OSError as e:
        raise InputError(f"cannot read file ({e.strerror or e})", path=str(path)) from None


def _check_not_binary(head: bytes, path: str) -> None:
    """Raise if the first bytes of a file do not look like UTF-8 text."""
    head = head[:_SNIFF_BYTES]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError("UTF-16 file, not UTF-8 text; convert it to UTF-8", path=path)
    # A stray NUL in real text (mojibake) is not enough: binary formats are full of them.
    if head.count(b"\x00") * 100 > len(head):
        raise InputError("binary file, not text", path=path)
    if head and sum(b in _CONTROL_BYTES for b in head) > _CONTROL_SHARE * len(head):
        raise InputError("binary file, not text", path=path)


def _utf8_error(data: bytes, error: UnicodeDecodeError, path: str, first_line: int = 1) -> InputError:
    """An InputError naming the line, column and byte of a UTF-8 decoding error in *data*."""
    start = error.start
    line_start = data.rfind(b"\n", 0, start) + 1
    line = first_line + data.count(b"\n", 0, start)
    column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
    return InputError(
        f"invalid UTF-8 at line {line}, column {column} (byte 0x{data[start]:02x})", path=path, line=line
    )


def read_text(path: PathLike) -> str:
    """Read a file as UTF-8 text, strictly and exactly.

    The bytes are decoded as UTF-8 with no newline translation, so ``"\\r\\n"``
    stays ``"\\r\\n"`` and a byte order mark stays as ``"\\ufeff"``: offsets into
    the result are offsets into the file as it is.

    Raises :class:`InputError` for a missing file, a directory, a file that
    cannot be read, an empty or whitespace-only file, a binary file and
    invalid UTF-8 (naming line, column and byte).

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = path.write_bytes(b"caf\\xc3\\xa9\\r\\n")
    >>> read_text(path)
    'café\\r\\n'
    >>> _ = path.write_bytes(b"one\\ntwo\\ncaf\\xe9\\n")
    >>> read_text(path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    textreuse.errors.InputError: ...a.txt:3: invalid UTF-8 at line 3, column 4 (byte 0xe9)
    """
    path = Path(path)
    name = str(path)
    data = _read_bytes(path)
    _check_not_binary(data, name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _utf8_error(data, e, name) from None
    if not text.lstrip("\ufeff").strip():
        raise InputError("empty file", path=name)
    return text


# ---------------------------------------------------------------- HTML


def extract_html(html: str | bytes, *, path: str | None = None) -> tuple[str, dict[str, str]]:
    """Extract the main text and metadata of a web page with trafilatura.

    Returns ``(text, metadata)``: the article text as plain text, one
    paragraph (heading, list item, ...) a line, paragraphs separated by a blank
    line; and the ``title``, ``date`` (``YYYY-MM-DD``), ``url``, ``source``
    (the site name) and ``author`` that trafilatura found. Menus, footers and
    reader comments are left out (on very short pages trafilatura falls back
    to keeping most of the page's text). Nothing is fetched.

    *html* may be bytes in any encoding the page declares. Raises
    :class:`InputError` ("no article text found in HTML") when the page has
    no main text.

    >>> text, meta = extract_html(
    ...     "<html><head><title>Flood</title></head><body>"
    ...     "<article><p>The river rose two metres overnight.</p><p>Roads were closed.</p></article>"
    ...     "</body></html>")
    >>> text
    'The river rose two metres overnight.\\n\\nRoads were closed.'
    >>> meta["title"]
    'Flood'
    """
    import trafilatura

    result = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        # htmldate's "extensive search" turns a footer's "(c) 2019" into 2019-01-01;
        # only trust dates the page states as such.
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    if result is None:
        raise InputError("no article text found in HTML", path=path)
    fields: Mapping[str, Any] = result if isinstance(result, dict) else _as_mapping(result)
    raw_text = fields.get("text") or ""
    text = "\n\n".join(line.strip() for line in raw_text.splitlines() if line.strip())
    if not text:
        raise InputError("no article text found in HTML", path=path)
    metadata: dict[str, str] = {}
    for ours, theirs in (("title", "title"), ("date", "date"), ("url", "url"),
                         ("source", "sitename"), ("author", "author")):
        value = fields.get(theirs)
        if isinstance(value, str) and value.strip():
            metadata[ours] = value.strip()
    return text, metadata


def _as_mapping(result: Any) -> dict[str, Any]:
    """trafilatura >= 2 returns a Document object, older versions a dict."""
    names = ("text", "title", "date", "url", "sitename", "author")
    return {name: getattr(result, name, None) for name in names}


def _load_html(path: Path, doc_id: str) -> Document:
    name = str(path)
    data = _read_bytes(path)
    _check_not_binary(data, name)
    if not data.strip():
        raise InputError("empty file", path=name)
    html: str | bytes
    try:
        html = data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError:
        html = data  # a legacy encoding; trafilatura reads the page's charset
    text, metadata = extract_html(html, path=name)
    return Document(doc_id, text, {"path": name, **metadata})


# ---------------------------------------------------------------- one document


def detect_format(path: PathLike) -> str | None:
    """The format a file name suggests, or ``None`` when it suggests none.

    >>> detect_format("news/2024.JSONL.gz"), detect_format("a.htm"), detect_format("notes.md")
    ('jsonl', 'html', None)
    """
    lower = Path(path).name.lower()
    for fmt, suffixes in _SUFFIXES.items():
        if lower.endswith(suffixes):
            return fmt
    return None


def _check_format(fmt: str | None) -> None:
    if fmt is not None and fmt not in FORMATS:
        raise InputError(f"unknown input format {fmt!r} (expected one of {', '.join(FORMATS)})")


def load_document(path: PathLike, *, doc_id: str | None = None, fmt: str | None = None) -> Document:
    """Load one text or HTML file as a :class:`Document`.

    The format comes from the file name (``.html``, ``.htm`` and ``.xhtml``
    are HTML, anything else is text) unless *fmt* (``"txt"`` or ``"html"``)
    says otherwise. The id is *doc_id*, or else the file's name. The
    metadata holds the ``path``, and for HTML what :func:`extract_html` finds.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "reprint.txt"
    >>> _ = path.write_text("Storm hits coast.\\n")
    >>> load_document(path, doc_id="r1")  # doctest: +ELLIPSIS
    Document(id='r1', text='Storm hits coast.\\n', metadata={'path': '...reprint.txt'})
    """
    _check_format(fmt)
    path = Path(path)
    fmt = fmt or detect_format(path) or "txt"
    doc_id = doc_id or path.name
    if fmt in ("jsonl", "csv"):
        raise InputError(f"a {fmt} file holds many documents, not one", path=str(path))
    if fmt == "html":
        return _load_html(path, doc_id)
    return Document(doc_id, read_text(path), {"path": str(path)})


# ---------------------------------------------------------------- streams of records


def _read_lines(fh: Iterable[bytes], name: str, gzipped: bool) -> Iterator[bytes]:
    """The lines of an open binary file, read errors raised as InputError."""
    count = 0
    lines = iter(fh)
    while True:
        try:
            data = next(lines)
        except StopIteration:
            return
        except (OSError, EOFError, zlib.error) as e:
            what = "corrupt gzip data" if gzipped else "cannot read file"
            raise InputError(f"{what} ({e})", path=name, line=count + 1) from None
        count += 1
        yield data


def _iter_lines(path: Path) -> Iterator[tuple[int, str | InputError]]:
    """Yield ``(line number, text)`` for each line of a (possibly gzipped) UTF-8 file.

    The text keeps its line ending; a BOM at the start is dropped. A line that
    is not valid UTF-8 is yielded as an InputError (the next lines can still
    be read); a missing, binary, unreadable or corrupt file raises. Only one
    line (and the first 8 KiB, for the binary check) is held in memory.
    """
    name = str(path)
    raw = _open_binary(path)
    with raw:
        try:
            gzipped = raw.peek(2)[:2] == _GZIP_MAGIC
        except OSError as e:
            raise InputError(f"cannot read file ({e.strerror or e})", path=name) from None
        fh = gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else raw
        lines = _read_lines(fh, name, gzipped)
        head: list[bytes] = []
        size = 0
        for data in lines:
            head.append(data)
            size += len(data)
            if size >= _SNIFF_BYTES:
                break
        if not head:
            raise InputError("empty file", path=name)
        _check_not_binary(b"".join(head)[:_SNIFF_BYTES], name)
        for lineno, data in enumerate(itertools.chain(head, lines), start=1):
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as e:
                yield lineno, _utf8_error(data, e, name, first_line=lineno)
                continue
            yield lineno, (text.lstrip("\ufeff") if lineno == 1 else text)


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    if type(value) in names:
        return names[type(value)]
    return "number" if isinstance(value, (int, float)) else type(value).__name__


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
        if isinstance(record, InputError):
            yield record
            continue
        if record.id in seen:
            yield InputError(f'duplicate id "{record.id}" (first at line {seen[record.id]})', path=name, line=lineno)
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
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as e:
            return _utf8_error(line, e, name, first_line=lineno)
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
        return InputError(f'duplicate id "{doc_id}" (first at line {seen[doc_id]})', path=name, line=lineno)
    seen[doc_id] = lineno
    return doc_id, text


def _record_metadata(fields: dict[str, Any], name: str) -> dict[str, Any]:
    if fields.get("source") in (None, "") and fields.get("series") not in (None, ""):
        fields["source"] = fields["series"]  # passim's layout
    fields.setdefault("path", name)
    return fields


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


def _raise_errors(items: Iterator[_Item]) -> Iterator[Document]:
    for item in items:
        if isinstance(item, InputError):
            raise item
        yield item[0]


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
        raise InputError(
            f"missing column{plural} {', '.join(missing)}; the header has {available}", path=name, line=1
        )
    return mapping


def _iter_csv(
    path: Path, columns: Mapping[str, str] | None = None, delimiter: str | None = None
) -> Iterator[_Item]:
    """``(document, line)`` for each row of a CSV/TSV file; bad rows as InputError."""
    name = str(path)
    if delimiter is None:
        delimiter = "\t" if path.name.lower().endswith((".tsv", ".tsv.gz")) else ","
    _raise_field_size_limit()
    undecodable: list[InputError] = []

    def text_lines() -> Iterator[str]:
        for _, line in _iter_lines(path):
            if isinstance(line, InputError):
                undecodable.append(line)
                yield "\n"  # stands in for the bad line, keeping line numbers right
            else:
                yield line

    reader = csv.reader(text_lines(), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as e:
        raise InputError(f"bad CSV header ({e})", path=name, line=1) from None
    if undecodable:
        raise undecodable[0]
    if not header or not any(cell.strip() for cell in header):
        raise InputError("empty file" if header is None else "no header row (line 1 is blank)", path=name, line=1)
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
        if len(row) != len(header):
            yield InputError(f"row has {len(row)} fields, the header has {len(header)}", path=name, line=start)
            continue
        checked = _check_record(row[mapping["id"]], row[mapping["text"]], seen, name, start)
        if isinstance(checked, InputError):
            yield checked
            continue
        doc_id, text = checked
        metadata: dict[str, Any] = {column: row[i] for i, column in extras}
        for field, i in mapping.items():
            if field not in REQUIRED_FIELDS and row[i] != "":
                metadata[field] = row[i]
        metadata.setdefault("path", name)
        yield Document(doc_id, text, metadata), start


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


# ---------------------------------------------------------------- collections


def _walk(root: Path, fmt: str | None) -> list[Path]:
    """Files under *root*, recursively, sorted; hidden files and folders skipped."""

    def fail(error: OSError) -> None:
        where = error.filename or str(root)
        reason = "permission denied" if isinstance(error, PermissionError) else f"cannot list folder ({error.strerror})"
        raise InputError(reason, path=str(where))

    found: list[Path] = []
    for folder, dirnames, filenames in os.walk(root, onerror=fail):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for filename in filenames:
            if filename.startswith("."):
                continue
            if fmt is None and detect_format(filename) is None:
                continue
            found.append(Path(folder, filename))
    return sorted(found, key=lambda p: p.relative_to(root).parts)


def _iter_file(path: Path, doc_id: str, fmt: str | None, columns: Mapping[str, str] | None) -> Iterator[_Item]:
    fmt = fmt or detect_format(path) or "txt"
    if fmt == "jsonl":
        yield from _iter_jsonl(path)
    elif fmt == "csv":
        yield from _iter_csv(path, columns)
    else:
        yield load_document(path, doc_id=doc_id, fmt=fmt), None


def _iter_inputs(
    inputs: PathLike | Iterable[PathLike], fmt: str | None, columns: Mapping[str, str] | None
) -> Iterator[tuple[str, Iterator[_Item]]]:
    """``(path, stream of documents and bad records)`` for each file, in order.

    A folder that cannot be listed and a missing path come as a stream that
    raises.
    """
    paths = [inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs)
    for given in paths:
        path = Path(given)
        if path.is_dir():
            try:
                files = _walk(path, fmt)
            except InputError as e:
                yield str(path), _failing(e)
                continue
            for file in files:
                yield str(file), _iter_file(file, file.relative_to(path).as_posix(), fmt, columns)
        elif not path.exists():
            yield str(path), _failing(InputError("no such file or folder", path=str(path)))
        else:
            yield str(path), _iter_file(path, path.name, fmt, columns)


def _failing(error: InputError) -> Iterator[_Item]:
    raise error
    yield  # pragma: no cover  (makes this a generator)


def iter_documents(
    inputs: PathLike | Iterable[PathLike],
    *,
    fmt: str | None = None,
    columns: Mapping[str, str] | None = None,
    skip_bad: bool = False,
    bad: list[InputError] | None = None,
) -> Iterator[Document]:
    """Stream the documents of files and folders.

    *inputs* is one path or several. A folder stands for every ``.txt``,
    ``.html``/``.htm``, ``.jsonl``/``.ndjson`` (optionally ``.gz``) and
    ``.csv``/``.tsv`` file under it, recursively, in sorted order (hidden
    files and folders are skipped). A text or HTML file found in a folder
    gets its path relative to that folder as id (``"2024/wire.txt"``), one
    named directly its file name; JSONL and CSV records carry their own ids.

    *fmt* (``"txt"``, ``"html"``, ``"jsonl"`` or ``"csv"``) reads every file
    in that format instead of guessing from its name; then a folder stands
    for all its files. *columns* is the CSV column mapping (see
    :func:`iter_csv` and :func:`parse_columns`).

    Ids must be unique across all inputs. Any problem raises
    :class:`InputError`, unless *skip_bad* is true: then the error is
    appended to *bad* (when given) and reading goes on with the next record
    or file.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "c.jsonl").write_text('{"id": "a", "text": "One."}\\n{"id": "b"}\\n{"id": "c", "text": "Two."}\\n')
    >>> bad = []
    >>> [d.id for d in iter_documents(folder, skip_bad=True, bad=bad)]
    ['a', 'c']
    >>> bad[0].line, bad[0].reason
    (2, 'missing "text"')
    """
    _check_format(fmt)

    def report(error: InputError) -> None:
        if not skip_bad:
            raise error
        if bad is not None:
            bad.append(error)

    seen: dict[str, str] = {}
    for path, stream in _iter_inputs(inputs, fmt, columns):
        items = iter(stream)
        while True:
            try:
                item = next(items)
            except StopIteration:
                break
            except InputError as e:  # the rest of this file cannot be read
                report(e)
                break
            if isinstance(item, InputError):
                report(item)
                continue
            doc, line = item
            if doc.id in seen:
                report(InputError(f'duplicate id "{doc.id}" (first in {seen[doc.id]})', path=path, line=line))
                continue
            seen[doc.id] = path if line is None else f"{path}:{line}"
            yield doc
