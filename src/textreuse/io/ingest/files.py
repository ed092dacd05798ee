"""Reading input files: opening them, telling text from binary, strict UTF-8, lines of plain or gzipped files."""

from __future__ import annotations

import codecs
import gzip
import io
import itertools
import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeAlias

from textreuse.errors import InputError
from textreuse.io.os_errors import read_failure

__all__ = ["FORMATS", "PathLike", "detect_format", "read_text", "decode_text"]

PathLike: TypeAlias = "str | os.PathLike[str]"

#: The input formats, as accepted by the ``fmt`` arguments.
FORMATS: tuple[str, ...] = ("txt", "html", "jsonl", "csv")

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


def _cannot_read(error: OSError, name: str) -> InputError:
    return InputError(f"cannot read file ({error.strerror or error})", path=name)


def _open_binary(path: Path) -> io.BufferedReader:
    """Open *path* for reading bytes, turning OS errors into InputError."""
    name = str(path)
    try:
        if path.is_dir():
            raise InputError("is a directory, not a file", path=name)
        return open(path, "rb")
    except OSError as e:
        folder = "is a directory, not a file"
        raise read_failure(e, name, folder=folder, cannot="cannot read file", permission="permission denied") from None


def _read_bytes(path: Path) -> bytes:
    fh = _open_binary(path)
    try:
        with fh:
            return fh.read()
    except OSError as e:
        raise _cannot_read(e, str(path)) from None


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
    return InputError(f"invalid UTF-8 at line {line}, column {column} (byte 0x{data[start]:02x})", path=path, line=line)


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
    return decode_text(_read_bytes(path), str(path))


def decode_text(data: bytes, name: str) -> str:
    """The bytes of a text file (named ``name`` in errors) as UTF-8 text, strictly, as :func:`read_text` reads.

    >>> decode_text(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR\\x00\\x00", "upload.txt")
    Traceback (most recent call last):
    ...
    textreuse.errors.InputError: upload.txt: binary file, not text
    """
    _check_not_binary(data, name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _utf8_error(data, e, name) from None
    if not text.lstrip("\ufeff").strip():
        raise InputError("empty file", path=name)
    return text


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


def _sniffed_head(lines: Iterator[bytes], name: str) -> list[bytes]:
    """The first lines of a file, up to the sniff window, after checking that they are text."""
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
    return head


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
            raise _cannot_read(e, name) from None
        fh = gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else raw
        lines = _read_lines(fh, name, gzipped)
        head = _sniffed_head(lines, name)
        for lineno, data in enumerate(itertools.chain(head, lines), start=1):
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as e:
                yield lineno, _utf8_error(data, e, name, first_line=lineno)
                continue
            yield lineno, (text.lstrip("\ufeff") if lineno == 1 else text)
