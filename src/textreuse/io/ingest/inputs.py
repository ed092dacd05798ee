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
from textreuse.io.ingest.records import _Item
from textreuse.types import Document

__all__ = ["iter_documents", "load_document"]


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
                bad_name = _undecodable_name(file)
                stream = _iter_file(file, file.relative_to(path).as_posix(), fmt, columns)
                yield str(file), stream if bad_name is None else _failing(bad_name)
        elif not path.exists():
            yield str(path), _failing(InputError("no such file or folder", path=str(path)))
        else:
            bad_name = _undecodable_name(path)
            yield str(path), _iter_file(path, path.name, fmt, columns) if bad_name is None else _failing(bad_name)


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
    for all its files. *columns* is the CSV column mapping (see
    :func:`iter_csv` and :func:`parse_columns`).

    A document longer than ``options.max_chars`` (:class:`InputOptions`) is
    refused, naming it. Ids must be unique across all inputs. Any problem raises
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
    max_chars = (options or InputOptions()).max_chars
    report = _reporter(skip_bad, bad)
    seen: dict[str, int] = {}  # where each id was first seen, packed (see _location)
    files: list[str] = []
    for path, stream in _iter_inputs(inputs, fmt, columns):
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
