"""From the index's typed rows and the engines' results to the API's response models."""

from __future__ import annotations

import json
from collections import defaultdict

from textreuse.compare import Comparison
from textreuse.index.results import PairRow
from textreuse.index.results_read import FamilyDetail, FamilySummary, ReusedSpan
from textreuse.index.search import SearchHit
from textreuse.relate import Relation
from textreuse.types import Document, Passage
from textreuse.web.models import (
    CarrierOut,
    DocumentRefOut,
    FamilyOut,
    FamilySummaryOut,
    MemberOut,
    PairLinkOut,
    PairOut,
    PassageOut,
    QueryMatchOut,
    RelationOut,
    SearchHitOut,
    SnippetOut,
    SpanOut,
    TimelinePointOut,
)

__all__ = [
    "hit_out",
    "match_out",
    "summary_out",
    "family_out",
    "pair_out",
    "document_ref",
    "span_out",
    "meta_field",
    "metadata_of",
]


def meta_field(document: Document, key: str) -> str | None:
    """A metadata value of a document as text, ``None`` when absent or empty."""
    value = document.metadata.get(key)
    return None if value in (None, "") else str(value)


def document_ref(document: Document) -> DocumentRefOut:
    source = meta_field(document, "source") or meta_field(document, "series")
    return DocumentRefOut(
        id=document.id,
        title=meta_field(document, "title"),
        source=source,
        date=meta_field(document, "date"),
        text=document.text,
    )


def hit_out(hit: SearchHit) -> SearchHitOut:
    snippet = SnippetOut(start=hit.start, end=hit.end, text=hit.snippet, marks=hit.marks)
    return SearchHitOut(id=hit.id, title=hit.title, source=hit.source, date=hit.date, snippet=snippet)


def _passage(p: Passage) -> PassageOut:
    return PassageOut(**p.to_dict())


def _relation(relation: Relation | None) -> RelationOut | None:
    return None if relation is None else RelationOut(**relation.to_dict())


def match_out(result: Comparison) -> QueryMatchOut:
    """A match of a checked text (*a*) in an indexed document (*b*)."""
    ref = document_ref(result.b)
    return QueryMatchOut(
        id=ref.id,
        title=ref.title,
        source=ref.source,
        date=ref.date,
        relation=_relation(result.relation),
        confidence=result.confidence,
        coverage={"query": round(result.coverage_a, 4), "document": round(result.coverage_b, 4)},
        passages=[_passage(p) for p in result.passages],
    )


def summary_out(summary: FamilySummary, preview: int | None = None) -> FamilySummaryOut:
    """A family in a list (its shared text cut to ``preview`` characters, ``None``: whole)."""
    text = summary.text if preview is None or len(summary.text) <= preview else summary.text[:preview] + "…"
    return FamilySummaryOut(
        id=summary.family,
        size=summary.size,
        sources=summary.sources,
        likely_source=summary.source,
        evidence=summary.evidence,
        first_date=summary.first_date,
        last_date=summary.last_date,
        text=text,
    )


def family_out(detail: FamilyDetail) -> FamilyOut:
    """A family: members in date order, the pairs linking them, and its timeline (date x source)."""
    points: dict[tuple[str | None, str | None], list[str]] = defaultdict(list)
    for m in detail.members:
        points[(m.date, m.source)].append(m.id)
    timeline = [
        TimelinePointOut(date=d, source=s, ids=ids)
        for (d, s), ids in sorted(points.items(), key=lambda kv: (kv[0][0] or "9999", kv[0][1] or ""))
    ]
    return FamilyOut(
        **summary_out(detail.summary).model_dump(),
        members=[
            MemberOut(id=m.id, date=m.date, source=m.source, title=m.title, spans=m.spans) for m in detail.members
        ],
        timeline=timeline,
        pairs=[PairLinkOut(a=a, b=b, label=label, confidence=c) for a, b, label, c in detail.pairs],
    )


def pair_out(pair: PairRow, a: Document, b: Document) -> PairOut:
    relation = RelationOut(label=pair.label, source=pair.source, evidence=list(pair.evidence)) if pair.label else None
    return PairOut(
        a=document_ref(a),
        b=document_ref(b),
        relation=relation,
        confidence=pair.confidence,
        coverage={"a": pair.coverage_a, "b": pair.coverage_b},
        passages=[_passage(p) for p in pair.passages],
    )


def span_out(span: ReusedSpan) -> SpanOut:
    others = [CarrierOut(id=c.id, start=c.start, end=c.end, kind=c.kind, score=round(c.score, 4)) for c in span.others]
    return SpanOut(start=span.start, end=span.end, others=others)


def metadata_of(document: Document) -> dict[str, object]:
    """A document's metadata as JSON-safe values."""
    return json.loads(json.dumps(document.metadata, default=str))
