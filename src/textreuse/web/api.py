"""The JSON API: search, check a text, families, a family, a pair, a document (all under ``/api``).

Lists are paginated (``page`` from 1, ``per_page`` cut to
:attr:`WebOptions.max_page_size`). Document ids may hold any character:
quote each id in a URL (``urllib.parse.quote(id, safe="")``); a document's
path also takes ``/`` unquoted, and a pair's two ids are told apart by the
quoted ``/`` between them (or, unquoted, by which split names two documents).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal
from urllib.parse import unquote

from fastapi import APIRouter, HTTPException, Request
from fastapi import Query as Param

from textreuse.compare import Comparison
from textreuse.index.results import PairRow
from textreuse.index.results_read import (
    FamilyFilter,
    families_of,
    get_family,
    get_pair,
    has_results,
    list_families,
    reused_spans,
)
from textreuse.index.search import match_expression, search
from textreuse.types import Document
from textreuse.web.convert import (
    document_ref,
    family_out,
    hit_out,
    match_out,
    metadata_of,
    pair_out,
    span_out,
    summary_out,
)
from textreuse.web.models import DocumentOut, ErrorOut, FamiliesOut, FamilyOut, PairOut, QueryOut, SearchOut
from textreuse.web.state import AppState, state_of
from textreuse.web.uploads import read_query_text

__all__ = [
    "router",
    "search_page",
    "check_request",
    "family_page",
    "family_detail",
    "split_pair",
    "load_pair",
    "document_detail",
    "no_results",
    "DATE_PATTERN",
]

# The highest page number accepted.
MAX_PAGE = 1_000_000
# A date or its year or month: 1916, 1916-01, 1916-01-02.
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
# The id a checked text goes by (it is in no index).
QUERY_ID = "\x00checked text"
# Request bodies POST /api/query accepts, for the OpenAPI schema.
QUERY_BODIES = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}
            },
            "multipart/form-data": {
                "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
            },
        },
    }
}

router = APIRouter(
    prefix="/api",
    responses={status: {"model": ErrorOut} for status in (400, 404, 413, 415, 422)},
)

PageParam = Param(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
PerPageParam = Param(None, ge=1, description="Items a page (default and cap: WebOptions).")


def _page(state: AppState, page: int, per_page: int | None) -> tuple[int, int]:
    """The page size (cut to the cap) and the offset of the page."""
    size = min(per_page or state.options.page_size, state.options.max_page_size)
    return size, (page - 1) * size


def no_results(state: AppState) -> str:
    """What to run to get families into this index."""
    return f"this index has no families yet: run `textreuse find --db {state.path} --out DIR` to find them"


def search_page(state: AppState, q: str, page: int, per_page: int | None) -> SearchOut:
    """A page of documents matching ``q`` (ids, titles, sources, words), with snippets."""
    if match_expression(q) is None:
        raise HTTPException(400, "give words to search for: /api/search?q=words")
    size, offset = _page(state, page, per_page)
    found = search(state.store.db, q, size, offset)
    return SearchOut(query=q, page=page, per_page=size, total=found.total, hits=[hit_out(h) for h in found.hits])


@router.get("/search", response_model=SearchOut, summary="Search documents by id, title, source and words")
async def search_documents(
    request: Request, q: str = "", page: int = PageParam, per_page: int | None = PerPageParam
) -> SearchOut:
    return search_page(state_of(request), q, page, per_page)


@router.post(
    "/query", response_model=QueryOut, summary="Check a text: where else it appears", openapi_extra=QUERY_BODIES
)
async def check_text(request: Request) -> QueryOut:
    """Paste ``{"text": ...}`` as JSON or upload a ``.txt``/``.html`` file (form field ``file``).

    Matches are ranked by the share of the checked text they carry; in their
    passages, *a* is the checked text and *b* the indexed document.
    """
    return (await check_request(request))[0]


async def check_request(request: Request) -> tuple[QueryOut, str, list[Comparison]]:
    """Where the text pasted or uploaded in ``request`` appears, the text's name, and the comparisons behind it."""
    state = state_of(request)
    text, name = await read_query_text(request, state.options.max_upload_bytes)
    results = state.query.ask(Document(QUERY_ID, text))
    return QueryOut(length=len(text), matches=[match_out(r) for r in results]), name, results


@router.get("/families", response_model=FamiliesOut, summary="Families of reprints, largest or most widespread first")
async def families(
    request: Request,
    date_from: str | None = Param(None, alias="from", pattern=DATE_PATTERN, description="Spread reaching this date."),
    date_to: str | None = Param(None, alias="to", pattern=DATE_PATTERN, description="Spread starting by this date."),
    source: str | None = Param(None, description="A member from this source (paper)."),
    label: str | None = Param(None, description="A pair of this relation label among its members."),
    min_size: int = Param(2, ge=1, description="At least this many members."),
    q: str | None = Param(None, description="Words of the family's shared text."),
    sort: Literal["size", "spread", "date"] = Param("size", description="size, spread (sources) or date."),
    page: int = PageParam,
    per_page: int | None = PerPageParam,
) -> FamiliesOut:
    which = FamilyFilter(date_from, date_to, source, label, min_size, q, sort)
    return family_page(state_of(request), which, page, per_page)


def family_page(state: AppState, which: FamilyFilter, page: int, per_page: int | None) -> FamiliesOut:
    """A page of the families ``which`` selects (``date_to`` as a year or month reaches its last day)."""
    size, offset = _page(state, page, per_page)
    if not has_results(state.store.db):
        return FamiliesOut(page=page, per_page=size, total=0, families=[], note=no_results(state))
    if which.date_to is not None:
        which = replace(which, date_to=which.date_to + {4: "-12-31", 7: "-31"}.get(len(which.date_to), ""))
    total, rows = list_families(state.store.db, which, size, offset)
    listed = [summary_out(r, state.options.preview_chars) for r in rows]
    return FamiliesOut(page=page, per_page=size, total=total, families=listed)


@router.get("/families/{family_id}", response_model=FamilyOut, summary="A family: members, source, text, timeline")
async def family(request: Request, family_id: int) -> FamilyOut:
    return family_detail(state_of(request), family_id)


def family_detail(state: AppState, family_id: int) -> FamilyOut:
    """A family with its members, pairs and timeline; 404 when the index has no such family (or no results)."""
    if not has_results(state.store.db):
        raise HTTPException(404, no_results(state))
    detail = get_family(state.store.db, family_id)
    if detail is None:
        raise HTTPException(404, f"no family {family_id} in this index")
    return family_out(detail)


def split_pair(request: Request, ids: str, state: AppState, marker: str = "/api/pairs/") -> tuple[str, str]:
    """The two document ids of ``{marker}{a}/{b}``: split at the quoted ``/``, else where both are documents."""
    raw = request.scope.get("raw_path", b"").decode("latin-1").split("?")[0]
    parts = raw[raw.find(marker) + len(marker) :].split("/") if marker in raw else []
    if len(parts) == 2 and all(parts):
        return unquote(parts[0]), unquote(parts[1])
    cuts = [i for i, c in enumerate(ids) if c == "/"]
    for i in cuts:
        a, b = ids[:i], ids[i + 1 :]
        if a in state.store and b in state.store:
            return a, b
    raise HTTPException(404, "give two document ids: /api/pairs/{a}/{b}, each quoted (a / inside an id as %2F)")


@router.get("/pairs/{ids:path}", response_model=PairOut, summary="A pair: both texts, passages with offsets, relation")
async def pair(request: Request, ids: str) -> PairOut:
    """``/api/pairs/{a}/{b}``: passages seen from *a* (``a_start:a_end`` slices ``a.text``)."""
    state = state_of(request)
    found, doc_a, doc_b = load_pair(state, *split_pair(request, ids, state))
    return pair_out(found, doc_a, doc_b)


def load_pair(state: AppState, a: str, b: str) -> tuple[PairRow, Document, Document]:
    """The stored pair seen from ``a`` and both documents; 404 when either or the pair is unknown."""
    for doc_id in (a, b):
        if doc_id not in state.store:
            raise HTTPException(404, f"no document {doc_id!r} in this index")
    if not has_results(state.store.db):
        raise HTTPException(404, no_results(state).replace("families", "pairs"))
    found = get_pair(state.store.db, a, b)
    if found is None:
        raise HTTPException(404, f"{a!r} and {b!r} share no text in this index's results")
    return found, state.store.document(a), state.store.document(b)


@router.get("/documents/{doc_id:path}", response_model=DocumentOut, summary="A document and every reused span of it")
async def document(request: Request, doc_id: str) -> DocumentOut:
    return document_detail(state_of(request), doc_id)


def document_detail(state: AppState, doc_id: str) -> DocumentOut:
    """A document, its families and its reused spans; 404 when the index has no such document."""
    if doc_id not in state.store:
        raise HTTPException(404, f"no document {doc_id!r} in this index")
    doc = state.store.document(doc_id)
    ref = document_ref(doc)
    results = has_results(state.store.db)
    return DocumentOut(
        **ref.model_dump(),
        metadata=metadata_of(doc),
        families=families_of(state.store.db, doc_id) if results else [],
        spans=[span_out(s) for s in reused_spans(state.store.db, doc_id)] if results else [],
        note=None if results else no_results(state),
    )
