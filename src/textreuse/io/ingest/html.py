"""Web pages: the main text and metadata of an HTML file, extracted by trafilatura."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from textreuse.errors import InputError
from textreuse.io.ingest.files import _check_not_binary, _read_bytes
from textreuse.types import Document

__all__ = ["extract_html"]

# Metadata fields we keep, as (our name, trafilatura's name).
_METADATA = (("title", "title"), ("date", "date"), ("url", "url"), ("source", "sitename"), ("author", "author"))


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
    for ours, theirs in _METADATA:
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
