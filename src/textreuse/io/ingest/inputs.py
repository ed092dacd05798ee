"""Documents from paths: one text or HTML file, or every file under folders, with ids checked across them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from textreuse.errors import InputError
from textreuse.io.ingest.delimited import _iter_csv
from textreuse.io.ingest.files import PathLike, _check_format, detect_format, read_text
from textreuse.io.ingest.html import _load_html
from textreuse.io.ingest.jsonl import _iter_jsonl
from textreuse.io.ingest.options import InputOptions
from textreuse.io.ingest.records import _Item, unreadable_date, with_iso_date
from textreuse.types import Document

__all__ = ["iter_documents", "load_document"]


def load_document(
    path: PathLike, *, doc_id: str | None = None, fmt: str | None = None, date_format: str | None = None
) -> Document:
    """Load one text or HTML file as a :class:`Document`.

    The format comes from the file name (``.html``, ``.htm`` and ``.xhtml``
    are HTML, anything else is text) unless *fmt* (``"txt"`` or ``"html"``)
    says otherwise. The id is *doc_id*, or else the file's name. The
    metadata holds the ``path``, and for HTML what :func:`extract_html` finds,
    its date as ISO 8601 (read with the ``strptime`` format *date_format*
    when given; see :func:`~textreuse.io.ingest.records.with_iso_date`).

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "reprint.txt"
    >>> _ = path.write_text("Storm hits coast.\\n")
    >>> load_document(path, doc_id="r1")  # doctest: +ELLIPSIS
    Document(id='r1', text='Storm hits coast.\\n', metadata={'path': '...reprint.txt'})
    """
    return with_iso_date(_load_one(path, doc_id, fmt), date_format)


def _load_one(path: PathLike, doc_id: str | None, fmt: str | None) -> Document:
    """One text or HTML file as a :class:`Document`, its metadata as found (:func:`load_document`)."""
    _check_format(fmt)
    path = Path(path)
    fmt = fmt or detect_format(path) or "txt"
    doc_id = doc_id or path.name
    if fmt in ("jsonl", "csv"):
        raise InputError(f"a {fmt} file holds many documents, not one", path=str(path))
    if fmt == "html":
        return _load_html(path, doc_id)
    return Document(doc_id, read_text(path), {"path": str(path)})


def _walk(root: Path, fmt: str | None, skipped: list[str], exclude: set[str]) -> list[Path]:
    """Files under *root*, recursively, sorted; hidden files and folders skipped.

    Linked folders are followed (each real folder read once). Files of no
    known format, and folders in *exclude* (real paths), are left out and
    noted in *skipped*.
    """

    def fail(error: OSError) -> None:
        where = error.filename or str(root)
        reason = "permission denied" if isinstance(error, PermissionError) else f"cannot list folder ({error.strerror})"
        raise InputError(reason, path=str(where))

    found: list[Path] = []
    seen = {os.path.realpath(root)}
    for folder, dirnames, filenames in os.walk(root, onerror=fail, followlinks=True):
        dirnames[:] = [
            d for d in sorted(dirnames) if not d.startswith(".") and _enter(Path(folder, d), seen, exclude, skipped)
        ]
        for filename in filenames:
            if filename.startswith("."):
                continue
            if fmt is None and detect_format(filename) is None:
                skipped.append(f"{Path(folder, filename)}: {_UNKNOWN_FORMAT}")
                continue
            found.append(Path(folder, filename))
    return sorted(found, key=lambda p: p.relative_to(root).parts)


# Why a file of another kind found in a folder is not read.
_UNKNOWN_FORMAT = "not an input format (.txt, .html, .jsonl, .csv, .tsv; --input-format reads every file as one)"


def _enter(folder: Path, seen: set[str], exclude: set[str], skipped: list[str]) -> bool:
    """Whether to read the sub-folder *folder* of an input folder: not excluded, not already read (links)."""
    real = os.path.realpath(folder)
    if real in exclude:
        skipped.append(f"{folder}: the output folder of this run, not input")
        return False
    if real in seen:
        skipped.append(f"{folder}: links to a folder already read")
        return False
    seen.add(real)
    return True


def _iter_file(
    path: Path, doc_id: str, fmt: str | None, columns: Mapping[str, str] | None, named: bool
) -> Iterator[_Item]:
    fmt = fmt or detect_format(path) or "txt"
    if columns and fmt != "csv" and (named or fmt == "jsonl"):
        reason = 'its records need "id" and "text" fields' if fmt == "jsonl" else "it is one document"
        raise InputError(
            f"a column mapping (--columns) applies to CSV files only, and this is a {fmt} file ({reason})",
            path=str(path),
        )
    if fmt == "jsonl":
        yield from _iter_jsonl(path)
    elif fmt == "csv":
        yield from _iter_csv(path, columns)
    else:
        yield _load_one(path, doc_id, fmt), None


def _iter_inputs(
    inputs: PathLike | Iterable[PathLike],
    fmt: str | None,
    columns: Mapping[str, str] | None,
    skipped: list[str],
    exclude: set[str],
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
                files = _walk(path, fmt, skipped, exclude)
            except InputError as e:
                yield str(path), _failing(e)
                continue
            for file in files:
                bad_name = _undecodable_name(file)
                stream = _iter_file(file, file.relative_to(path).as_posix(), fmt, columns, False)
                yield str(file), stream if bad_name is None else _failing(bad_name)
        elif not path.exists():
            yield str(path), _failing(InputError("no such file or folder", path=str(path)))
        else:
            bad_name = _undecodable_name(path)
            named = _iter_file(path, path.name, fmt, columns, True)
            yield str(path), named if bad_name is None else _failing(bad_name)


def _undecodable_name(path: Path) -> InputError | None:
    """An InputError if a file's path is not valid UTF-8 (it could not be an id, nor be stored or printed)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(path).decode("utf-8", "backslashreplace")
        return InputError("file name is not valid UTF-8 (rename the file)", path=shown)
    return None


def _failing(error: InputError) -> Iterator[_Item]:
    raise error
    yield  # pragma: no cover  (makes this a generator)


def _until_failure(stream: Iterator[_Item]) -> Iterator[_Item]:
    """The items of one file's stream; an InputError that ends the stream comes as its last item."""
    items = iter(stream)
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except InputError as e:  # the rest of this file cannot be read
            yield e
            return
        yield item


def _reporter(skip_bad: bool, bad: list[InputError] | None) -> Callable[[InputError], None]:
    """What to do with a bad record or file: raise it, or (with *skip_bad*) note it in *bad* and go on."""

    def report(error: InputError) -> None:
        if not skip_bad:
            raise error
        if bad is not None:
            bad.append(error)

    return report


def iter_documents(
    inputs: PathLike | Iterable[PathLike],
    *,
    fmt: str | None = None,
    columns: Mapping[str, str] | None = None,
    skip_bad: bool = False,
    bad: list[InputError] | None = None,
    skipped: list[str] | None = None,
    exclude: Iterable[PathLike] = (),
    date_format: str | None = None,
    on_bad_date: Callable[[str, str], None] | None = None,
    options: InputOptions | None = None,
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
    for all its files. *columns* is the CSV column mapping (:func:`parse_columns`).
    Files of no known format found in folders are not read, and neither are
    the folders in *exclude* (e.g. where the results go); each is noted in
    *skipped* (when given) as ``"path: why"``. Linked folders are followed.

    A document longer than ``options.max_chars`` (:class:`InputOptions`) is
    refused, naming it. Ids must be unique across all inputs. Any problem raises
    :class:`InputError`, unless *skip_bad* is true: then the error is
    appended to *bad* (when given) and reading goes on with the next record
    or file.

    Dates become ISO 8601, read with the ``strptime`` format *date_format*
    when given (:func:`~textreuse.io.ingest.records.with_iso_date`); a
    document whose date cannot be read is yielded undated, and
    ``on_bad_date(id, date as written)`` is called for it.

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
    skipped = [] if skipped is None else skipped
    excluded = {os.path.realpath(p) for p in exclude}
    streams = _iter_inputs(inputs, fmt, columns, skipped, excluded)
    max_chars = (options or InputOptions()).max_chars
    for doc in _unique_documents(streams, _reporter(skip_bad, bad), max_chars):
        doc = with_iso_date(doc, date_format)
        if on_bad_date is not None and (value := unreadable_date(doc)) is not None:
            on_bad_date(doc.id, value)
        yield doc


def _unique_documents(
    streams: Iterable[tuple[str, Iterator[_Item]]], report: Callable[[InputError], None], max_chars: int
) -> Iterator[Document]:
    """The documents of each file's stream; each bad record, too long document or repeated id reported instead."""
    seen: dict[str, int] = {}  # where each id was first seen, packed (see _location)
    files: list[str] = []
    for path, stream in streams:
        files.append(path)
        for item in _until_failure(stream):
            if isinstance(item, InputError):
                report(item)
                continue
            doc, line = item
            if len(doc.text) > max_chars:
                report(_too_long(doc, max_chars, path, line))
                continue
            first = seen.get(doc.id)
            if first is not None:
                where = _location(files, first)
                report(InputError(f'duplicate id "{doc.id}" (first in {where})', path=path, line=line))
                continue
            seen[doc.id] = (len(files) - 1) << _LINE_BITS | (line or 0)
            yield doc


# Where an id was first seen is one int, so that a million ids cost no million strings:
# its low bits hold the line (0: a one-document file), the bits above them the file number.
_LINE_BITS = 40


def _location(files: list[str], packed: int) -> str:
    """``path`` or ``path:line`` of a location packed by :func:`iter_documents`."""
    path, line = files[packed >> _LINE_BITS], packed & ((1 << _LINE_BITS) - 1)
    return f"{path}:{line}" if line else path


def _too_long(doc: Document, max_chars: int, path: str, line: int | None) -> InputError:
    return InputError(
        f'document "{doc.id}" has {len(doc.text):,} characters, more than the limit of {max_chars:,} '
        "(raise it with --max-chars, or skip such documents with --skip-bad)",
        path=path,
        line=line,
    )
