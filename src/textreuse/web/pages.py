"""The web app's HTML pages: check a text, families, a family, a pair, a document, search.

Each page calls the same functions as its JSON route in
:mod:`textreuse.web.api` (no query is written twice) and renders their
answer with the templates in ``textreuse/web/templates`` (autoescaped:
document text is shown as text, never as markup).
"""

from __future__ import annotations

import re
from dataclasses import replace

from fastapi import APIRouter, HTTPException, Request
from fastapi import Query as Param
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from textreuse.index.results_read import FamilyFilter, FamilySort
from textreuse.index.search import match_expression
from textreuse.views.pair import render_pair, view_assets
from textreuse.web.api import (
    DATE_PATTERN,
    MAX_PAGE,
    check_request,
    document_detail,
    family_detail,
    family_page,
    load_pair,
    search_page,
    split_pair,
)
from textreuse.web.render import document_pieces, page, stored_comparison
from textreuse.web.state import state_of
from textreuse.web.timeline import timeline

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

# Relation labels offered in the families filter (any other is accepted too).
LABELS = ("duplicate", "abridged", "extended", "paraphrased copy", "partial reuse")


@router.get("/", response_class=HTMLResponse)
async def check_form(request: Request) -> HTMLResponse:
    limit = state_of(request).options.max_upload_bytes
    return page(request, "check.html.j2", result=None, name=None, limit=limit, views=[], assets="")


@router.post("/", response_class=HTMLResponse)
async def check_text(request: Request) -> HTMLResponse:
    """The text pasted (form field ``text``) or uploaded (``file``), and where else it appears."""
    result, name, comparisons = await check_request(request)
    views = [
        Markup(render_pair(replace(c, a=replace(c.a, id=name)), standalone=False, assets=False)) for c in comparisons
    ]
    limit = state_of(request).options.max_upload_bytes
    return page(request, "check.html.j2", result=result, name=name, limit=limit, views=views, assets=view_assets())


@router.get("/families", response_class=HTMLResponse)
async def families(
    request: Request,
    date_from: str | None = Param(None, alias="from"),
    date_to: str | None = Param(None, alias="to"),
    source: str | None = None,
    label: str | None = None,
    min_size: int = Param(2, ge=1),
    q: str | None = None,
    sort: FamilySort = "size",
    page_number: int = Param(1, alias="page", ge=1, le=MAX_PAGE),
) -> HTMLResponse:
    """Families, largest or most widespread first, filtered; a blank filter field means no filter."""
    for name, value in (("from", date_from), ("to", date_to)):
        if value and not re.match(DATE_PATTERN, value):
            raise HTTPException(400, f"{name}: give a date as 1916, 1916-01 or 1916-01-02, not {value!r}")
    which = FamilyFilter(date_from or None, date_to or None, source or None, label or None, min_size, q or None, sort)
    listed = family_page(state_of(request), which, page_number, None)
    pages = max(1, -(-listed.total // listed.per_page))
    query = {k: v for k, v in request.query_params.items() if k != "page" and v}
    return page(request, "families.html.j2", listed=listed, which=which, pages=pages, query=query, labels=LABELS)


@router.get("/families/{family_id}", response_class=HTMLResponse)
async def family(request: Request, family_id: int) -> HTMLResponse:
    """A family: members in date order, the likely original and why, the shared text, the timeline."""
    detail = family_detail(state_of(request), family_id)
    picture = timeline([(m.id, m.date, m.source) for m in detail.members], detail.likely_source)
    linked = {(p.a, p.b) for p in detail.pairs} | {(p.b, p.a) for p in detail.pairs}
    return page(request, "family.html.j2", family=detail, timeline=picture, linked=linked)


@router.get("/pairs/{ids:path}", response_class=HTMLResponse)
async def pair(request: Request, ids: str) -> HTMLResponse:
    """The side-by-side view of a pair ``find`` stored, in the app's layout."""
    state = state_of(request)
    a, b = split_pair(request, ids, state, marker="/pairs/")
    found, doc_a, doc_b = load_pair(state, a, b)
    view = Markup(render_pair(stored_comparison(state, found, doc_a, doc_b), standalone=False))
    return page(request, "pair.html.j2", view=view, a=doc_a, b=doc_b)


@router.get("/documents/{doc_id:path}", response_class=HTMLResponse)
async def document(request: Request, doc_id: str) -> HTMLResponse:
    """A document's text, every reused span highlighted, each with links to the others that carry it."""
    detail = document_detail(state_of(request), doc_id)
    return page(request, "document.html.j2", doc=detail, pieces=document_pieces(detail.text, detail.spans))


@router.get("/search", response_class=HTMLResponse)
async def search(
    request: Request, q: str = "", page_number: int = Param(1, alias="page", ge=1, le=MAX_PAGE)
) -> HTMLResponse:
    """Documents by id, title, source and words, with snippets (the form alone without words).

    A query with no word in it (only punctuation, say) gets the form again
    with a note, not an error page.
    """
    words = match_expression(q) is not None
    found = search_page(state_of(request), q, page_number, None) if words else None
    pages = max(1, -(-found.total // found.per_page)) if found else 1
    return page(request, "search.html.j2", q=q, found=found, pages=pages, no_words=bool(q.strip()) and not words)
