"""Reading the results of ``find --db`` back from the index: families (listed, filtered, one by one), pairs, spans.

Everything here only reads (it works on an index opened read-only);
:mod:`textreuse.index.results` writes. :func:`has_results` tells an index
that ``find --db`` has not run on from one where it found nothing.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Literal, NamedTuple

from textreuse.common.intervals import merge_overlapping
from textreuse.confidence import pair_confidence, with_confidence
from textreuse.index.results import PairRow
from textreuse.index.search import has_table, match_expression
from textreuse.types import Passage

__all__ = [
    "FamilyFilter",
    "FamilySummary",
    "FamilyMember",
    "FamilyDetail",
    "SpanCarrier",
    "ReusedSpan",
    "has_results",
    "list_families",
    "get_family",
    "get_pair",
    "reused_spans",
    "families_of",
]

FamilySort = Literal["size", "spread", "date"]
_ORDER = {
    "size": "f.size DESC, f.sources DESC, f.family",
    "spread": "f.sources DESC, f.size DESC, f.family",
    "date": "f.first_date IS NULL, f.first_date, f.family",
}


@dataclass(frozen=True)
class FamilyFilter:
    """Which families to list: dates overlapping ``date_from``..``date_to``, a member's source, a pair label,
    at least ``min_size`` members, ``q`` (words of the shared text), in ``sort`` order."""

    date_from: str | None = None
    date_to: str | None = None
    source: str | None = None
    label: str | None = None
    min_size: int = 2
    q: str | None = None
    sort: FamilySort = "size"


class FamilySummary(NamedTuple):
    """A family in a list: key, members, distinct sources, likely source and why, first and last date, text."""

    family: int
    size: int
    sources: int
    source: str | None
    evidence: str
    first_date: str | None
    last_date: str | None
    text: str


class FamilyMember(NamedTuple):
    """A member of a family: its id, date, source, title, and its stretches ``(start, end)`` of the shared text."""

    id: str
    date: str | None
    source: str | None
    title: str | None
    spans: list[tuple[int, int]]


class FamilyDetail(NamedTuple):
    """A family: its summary, members in date order, and the pairs ``(a, b, label, confidence)`` that link them."""

    summary: FamilySummary
    members: list[FamilyMember]
    pairs: list[tuple[str, str, str, float]]


class SpanCarrier(NamedTuple):
    """Another document carrying a reused span: its id, its own offsets, the passage kind and score."""

    id: str
    start: int
    end: int
    kind: str
    score: float


class ReusedSpan(NamedTuple):
    """A stretch ``start:end`` of a document that is reused, and the other documents that carry it."""

    start: int
    end: int
    others: list[SpanCarrier]


def has_results(db: sqlite3.Connection) -> bool:
    """Whether ``find --db`` has written results into this index (possibly none found)."""
    if not has_table(db, "families"):
        return False
    return db.execute("SELECT 1 FROM meta WHERE key = 'results'").fetchone() is not None


def list_families(
    db: sqlite3.Connection, which: FamilyFilter, limit: int, offset: int
) -> tuple[int, list[FamilySummary]]:
    """The families matching ``which`` (how many in all, and one page of them)."""
    where = ["f.size >= ?"]
    args: list[object] = [which.min_size]
    if which.date_from:
        where.append("f.last_date >= ?")
        args.append(which.date_from)
    if which.date_to:
        where.append("f.first_date <= ?")
        args.append(which.date_to)
    if which.source:
        where.append("EXISTS (SELECT 1 FROM family_members m WHERE m.family = f.family AND m.source = ?)")
        args.append(which.source)
    if which.label:
        where.append(
            "EXISTS (SELECT 1 FROM family_pairs fp JOIN pairs p ON p.pair = fp.pair"
            " WHERE fp.family = f.family AND p.label = ?)"
        )
        args.append(which.label)
    expression = match_expression(which.q or "")
    if expression is not None:
        where.append("f.family IN (SELECT rowid FROM families_fts WHERE families_fts MATCH ?)")
        args.append(expression)
    clause = " AND ".join(where)
    total = db.execute(f"SELECT COUNT(*) FROM families f WHERE {clause}", args).fetchone()[0]
    rows = db.execute(
        f"SELECT f.* FROM families f WHERE {clause} ORDER BY {_ORDER[which.sort]} LIMIT ? OFFSET ?",
        [*args, limit, offset],
    ).fetchall()
    return int(total), [FamilySummary(*row) for row in rows]


def get_family(db: sqlite3.Connection, family: int) -> FamilyDetail | None:
    """One family with its members (in date order, then id) and pairs; ``None`` when there is no such family."""
    row = db.execute("SELECT * FROM families WHERE family = ?", (family,)).fetchone()
    if row is None:
        return None
    spans: dict[str, list[tuple[int, int]]] = {}
    for doc_id, start, end in db.execute(
        'SELECT id, start, "end" FROM family_passages WHERE family = ? ORDER BY n', (family,)
    ):
        spans.setdefault(doc_id, []).append((start, end))
    members = [
        FamilyMember(doc_id, date, source, _title(metadata), spans.get(doc_id, []))
        for doc_id, date, source, metadata in db.execute(
            "SELECT m.id, m.date, m.source, d.metadata FROM family_members m LEFT JOIN documents d ON d.id = m.id"
            " WHERE m.family = ? ORDER BY m.date IS NULL, m.date, m.id",
            (family,),
        )
    ]
    pairs = [
        _pair_row(db, p)
        for p in db.execute(
            "SELECT p.* FROM family_pairs fp JOIN pairs p ON p.pair = fp.pair WHERE fp.family = ? ORDER BY p.a, p.b",
            (family,),
        )
    ]
    return FamilyDetail(FamilySummary(*row), members, [(p.a, p.b, p.label, p.confidence) for p in pairs])


def _title(metadata: str | None) -> str | None:
    value = json.loads(metadata).get("title") if metadata else None
    return None if value in (None, "") else str(value)


def _pair_row(db: sqlite3.Connection, row: tuple) -> PairRow:
    key, a, b, label, source, evidence, coverage_a, coverage_b = row
    passages = with_confidence(
        Passage(*q)
        for q in db.execute(
            "SELECT a_start, a_end, b_start, b_end, kind, score, lexical_score, semantic_score"
            " FROM passages WHERE pair = ? ORDER BY n",
            (key,),
        )
    )
    confidence = pair_confidence(coverage_a, coverage_b, label, passages)
    return PairRow(
        a, b, label, source, tuple(json.loads(evidence)), coverage_a, coverage_b, tuple(passages), confidence
    )


def get_pair(db: sqlite3.Connection, a: str, b: str) -> PairRow | None:
    """The pair of documents ``a`` and ``b`` as found (in either order, seen from ``a``); ``None`` if none."""
    for first, second in ((a, b), (b, a)):
        row = db.execute("SELECT * FROM pairs WHERE a = ? AND b = ?", (first, second)).fetchone()
        if row is not None:
            pair = _pair_row(db, row)
            return pair if first == a else pair.flipped()
    return None


def reused_spans(db: sqlite3.Connection, doc_id: str) -> list[ReusedSpan]:
    """Every reused stretch of a document (overlapping passages merged), in order, with who else carries it."""
    carriers: list[tuple[int, int, SpanCarrier]] = []
    for a, b, a_start, a_end, b_start, b_end, kind, score in db.execute(
        "SELECT p.a, p.b, q.a_start, q.a_end, q.b_start, q.b_end, q.kind, q.score"
        " FROM pairs p JOIN passages q ON q.pair = p.pair WHERE p.a = ? OR p.b = ?",
        (doc_id, doc_id),
    ):
        if a == doc_id:
            carriers.append((a_start, a_end, SpanCarrier(b, b_start, b_end, kind, score)))
        else:
            carriers.append((b_start, b_end, SpanCarrier(a, a_start, a_end, kind, score)))
    out = []
    for start, end in merge_overlapping((s, e) for s, e, _ in carriers):
        others = sorted((c for s, e, c in carriers if start <= s and e <= end), key=lambda c: (c.id, c.start))
        out.append(ReusedSpan(start, end, others))
    return out


def families_of(db: sqlite3.Connection, doc_id: str) -> list[int]:
    """The families a document belongs to."""
    return [
        int(f)
        for (f,) in db.execute("SELECT DISTINCT family FROM family_members WHERE id = ? ORDER BY family", (doc_id,))
    ]
