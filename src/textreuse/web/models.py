"""The JSON API's response models (pydantic): what each endpoint returns, as the OpenAPI schema at ``/docs`` shows."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

__all__ = [
    "ErrorOut",
    "SnippetOut",
    "SearchHitOut",
    "SearchOut",
    "PassageOut",
    "RelationOut",
    "QueryMatchOut",
    "QueryOut",
    "FamilySummaryOut",
    "FamiliesOut",
    "MemberOut",
    "TimelinePointOut",
    "PairLinkOut",
    "FamilyOut",
    "DocumentRefOut",
    "PairOut",
    "CarrierOut",
    "SpanOut",
    "DocumentOut",
]


class ErrorOut(BaseModel):
    """Every error: one message saying what was wrong (and, where it helps, what to do)."""

    error: str


class PageOut(BaseModel):
    """A page of a list: its number (from 1), its size, and how many items there are in all."""

    page: int
    per_page: int
    total: int


class SnippetOut(BaseModel):
    """``text`` is ``document.text[start:end]``; ``marks`` the offsets of the words searched for, in the document."""

    start: int
    end: int
    text: str
    marks: list[tuple[int, int]]


class SearchHitOut(BaseModel):
    id: str
    title: str | None
    source: str | None
    date: str | None
    snippet: SnippetOut


class SearchOut(PageOut):
    query: str
    hits: list[SearchHitOut]


class PassageOut(BaseModel):
    """A shared passage: ``a_start:a_end`` slices the first text, ``b_start:b_end`` the second."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    kind: str
    score: float
    lexical_score: float | None = None
    semantic_score: float | None = None
    confidence: float | None = None


class RelationOut(BaseModel):
    """The verdict on a pair: label, likely source side (``a``, ``b`` or null) and its evidence."""

    label: str
    source: str | None
    evidence: list[str]


class QueryMatchOut(BaseModel):
    """An indexed document sharing text with the checked one; in passages, *a* is the checked text."""

    id: str
    title: str | None
    source: str | None
    date: str | None
    relation: RelationOut | None
    confidence: float | None = None
    coverage: dict[str, float]
    passages: list[PassageOut]


class QueryOut(BaseModel):
    """Where else the checked text appears: matches ranked by the share of it they carry."""

    length: int
    matches: list[QueryMatchOut]


class FamilySummaryOut(BaseModel):
    id: int
    size: int
    sources: int
    likely_source: str | None
    evidence: str
    first_date: str | None
    last_date: str | None
    text: str


class FamiliesOut(PageOut):
    families: list[FamilySummaryOut]
    note: str | None = None


class MemberOut(BaseModel):
    """A family member; ``spans`` are its stretches ``[start, end]`` of the shared text."""

    id: str
    date: str | None
    source: str | None
    title: str | None
    spans: list[tuple[int, int]]


class TimelinePointOut(BaseModel):
    """Members of one source on one date (the family's spread: date x source)."""

    date: str | None
    source: str | None
    ids: list[str]


class PairLinkOut(BaseModel):
    a: str
    b: str
    label: str
    confidence: float | None = None


class FamilyOut(FamilySummaryOut):
    members: list[MemberOut]
    timeline: list[TimelinePointOut]
    pairs: list[PairLinkOut]


class DocumentRefOut(BaseModel):
    id: str
    title: str | None
    source: str | None
    date: str | None
    text: str


class PairOut(BaseModel):
    """Two documents sharing text, with both texts: passages' offsets slice ``a.text`` and ``b.text``."""

    a: DocumentRefOut
    b: DocumentRefOut
    relation: RelationOut | None
    confidence: float | None = None
    coverage: dict[str, float]
    passages: list[PassageOut]


class CarrierOut(BaseModel):
    """Another document carrying a reused span, at ``start:end`` of its own text."""

    id: str
    start: int
    end: int
    kind: str
    score: float


class SpanOut(BaseModel):
    start: int
    end: int
    others: list[CarrierOut]


class DocumentOut(BaseModel):
    """A document, its metadata, the families it belongs to and every reused span of it."""

    id: str
    title: str | None
    source: str | None
    date: str | None
    metadata: dict[str, Any]
    text: str
    families: list[int]
    spans: list[SpanOut]
    note: str | None = None
