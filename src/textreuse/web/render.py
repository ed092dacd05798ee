"""Rendering the web app's pages: the Jinja2 templates (autoescaped) and the pieces they show.

:func:`page` renders a template inside the shared layout (navigation, and a
footer naming the index and its counts); :func:`error_page` is the page of
every error a person's browser gets. :func:`document_pieces` cuts a
document's text at its reused spans, :func:`stored_comparison` turns a pair
the index keeps into the :class:`~textreuse.compare.Comparison` the
side-by-side view draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from textreuse import __version__
from textreuse.compare import Comparison
from textreuse.index.results import PairRow
from textreuse.index.results_read import has_results
from textreuse.relate import Relation
from textreuse.types import Document
from textreuse.web.models import SpanOut
from textreuse.web.state import AppState, state_of

__all__ = ["page", "error_page", "document_pieces", "stored_comparison", "url_id", "TextPiece"]


def url_id(doc_id: str) -> str:
    """A document id as one URL path segment (every ``/``, ``%``, ``?``, ``#`` quoted)."""
    return quote(doc_id, safe="")


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("textreuse.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["url_id"] = url_id
    env.globals["css"] = Markup(resources.files("textreuse.web").joinpath("static", "app.css").read_text("utf-8"))
    env.globals["version"] = __version__
    return env


def _counts(state: AppState) -> dict[str, Any]:
    """The footer's figures (read once: the index is read-only while served)."""
    cached = state.page_counts
    if cached is None:
        db = state.store.db
        documents = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        results = has_results(db)
        families = db.execute("SELECT COUNT(*) FROM families").fetchone()[0] if results else None
        cached = {"index": state.path.name, "documents": documents, "families": families}
        state.page_counts = cached
    return cached


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """``template`` rendered in the shared layout, as an HTML response with ``status``."""
    state = state_of(request)
    html = _environment().get_template(template).render(footer=_counts(state), path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """The page of an error: its status, the message, and the way back (never a stack trace)."""
    footer = None
    if getattr(request.app.state, "textreuse", None) is not None:
        footer = _counts(state_of(request))
    html = (
        _environment()
        .get_template("error.html.j2")
        .render(footer=footer, path=request.url.path, status=status, message=message)
    )
    return HTMLResponse(html, status_code=status)


@dataclass(frozen=True)
class TextPiece:
    """A stretch of a document's text: plain (``span`` is ``None``) or reused span number ``span``."""

    text: str
    span: int | None = None


def document_pieces(text: str, spans: list[SpanOut]) -> list[TextPiece]:
    """``text`` cut at its reused spans (in order, overlaps given to the earlier span), none left out."""
    pieces: list[TextPiece] = []
    at = 0
    for k, s in enumerate(spans):
        start, end = max(s.start, at), min(s.end, len(text))
        if end <= start:
            continue
        if start > at:
            pieces.append(TextPiece(text[at:start]))
        pieces.append(TextPiece(text[start:end], k))
        at = end
    if at < len(text):
        pieces.append(TextPiece(text[at:]))
    return pieces


def stored_comparison(state: AppState, pair: PairRow, a: Document, b: Document) -> Comparison:
    """The pair as ``find`` stored it, with each side's page junk as the index prepared it."""
    excluded = []
    for doc in (a, b):
        key = state.store.key(doc.id)
        excluded.append(list(state.store.prepared(key).excluded) if key is not None else [])
    relation = Relation(pair.label, pair.source, list(pair.evidence)) if pair.label else None
    cov = (pair.coverage_a, pair.coverage_b)
    return Comparison(a, b, list(pair.passages), *cov, excluded[0], excluded[1], relation, pair.confidence)
