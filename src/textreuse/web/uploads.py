"""Reading the text to check from a request: pasted (JSON ``{"text": ...}`` or form field ``text``) or uploaded.

Uploads are ``.txt`` or ``.html`` files in the form field ``file`` (an empty
file field, as a browser sends when none was chosen, falls back to ``text``).

The body is read up to the size limit and no further (413 beyond it);
uploads are decoded as the command line reads files (UTF-8, binary refused,
HTML through the article extractor). Every problem is an
:class:`UploadError` with its HTTP status and a message.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from pathlib import PurePath

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from textreuse.errors import InputError
from textreuse.io.ingest.files import decode_text
from textreuse.io.ingest.html import extract_html

__all__ = ["UploadError", "read_query_text", "TEXT_SUFFIXES", "HTML_SUFFIXES"]

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})


class UploadError(Exception):
    """A text to check that cannot be taken: the HTTP status and the message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _too_large(limit: int) -> UploadError:
    return UploadError(413, f"request too large: the limit is {limit:,} bytes (WebOptions.max_upload_bytes)")


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise _too_large(limit)
    return bytes(body)


async def _once(body: bytes) -> AsyncGenerator[bytes, None]:
    yield body


def _checked(text: str, what: str) -> str:
    if not text.strip():
        raise UploadError(400, f"empty {what}: give the text of a document to check")
    return text


def _from_json(body: bytes) -> tuple[str, str]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise UploadError(400, 'the body is not JSON: send {"text": "..."}') from None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise UploadError(422, 'send a JSON object with the text to check as a string: {"text": "..."}')
    return _checked(data["text"], "text"), "pasted text"


def _from_file(name: str, data: bytes) -> tuple[str, str]:
    suffix = PurePath(name).suffix.lower()
    try:
        if suffix in HTML_SUFFIXES:
            return _checked(extract_html(data, path=name)[0], "page"), name
        if suffix in TEXT_SUFFIXES:
            return decode_text(data, name), name
    except InputError as e:
        raise UploadError(400, str(e)) from None
    raise UploadError(400, f"{name}: upload a .txt or .html file")


async def _from_form(request: Request, body: bytes, limit: int) -> tuple[str, str]:
    parser = MultiPartParser(request.headers, _once(body), max_files=1, max_fields=10, max_part_size=limit)
    try:
        form = await parser.parse()
    except MultiPartException as e:
        raise UploadError(400, f"bad upload: {e.message}") from None
    upload, pasted = form.get("file"), form.get("text")
    if isinstance(upload, UploadFile) and (upload.filename or upload.size):
        data = await upload.read()
        await form.close()
        return _from_file(upload.filename or "upload", data)
    await form.close()
    if isinstance(pasted, str):
        return _checked(pasted, "text"), "pasted text"
    raise UploadError(422, "upload the document as the form field 'file' (a .txt or .html file) or paste it as 'text'")


async def read_query_text(request: Request, limit: int) -> tuple[str, str]:
    """The text to check and its name (the file name, or ``pasted text``) from a JSON or multipart request."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in ("application/json", "multipart/form-data"):
        raise UploadError(415, 'send JSON {"text": "..."} or upload a file as multipart/form-data (field "file")')
    body = await _body(request, limit)
    if kind == "application/json":
        return _from_json(body)
    return await _from_form(request, body, limit)
