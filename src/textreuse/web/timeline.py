"""A family's spread as a picture: one mark per member, date across, source (paper) down, drawn as inline SVG.

:func:`timeline` lays the marks out (positions in SVG user units); the
family template draws them. Members without a readable date sit in an
"undated" column at the right; members of one source on one day are spread
a little apart so that each keeps its own mark.

>>> t = timeline([("w", "1916-01-02", "Wire"), ("x", "1916-01-04", "Gazette"), ("y", None, "Gazette")], "w")
>>> [(m.id, m.row, m.original) for m in t.marks]
[('w', 0, True), ('x', 1, False), ('y', 1, False)]
>>> t.marks[0].x < t.marks[1].x < t.marks[2].x
True
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from textreuse.common.dates import iso_date

__all__ = ["Mark", "Timeline", "timeline"]

# The picture's geometry, in SVG user units: width, left margin (source names), right margin, row height, top.
WIDTH = 900
LEFT = 190
RIGHT = 70
ROW = 28
TOP = 34
# How far apart the marks of one source on one day are drawn, and the most ticks on the date axis.
NUDGE = 9
TICKS = 6


@dataclass(frozen=True)
class Mark:
    """One member: where its mark is drawn, its row (source), its date and whether it is the likely original."""

    id: str
    x: float
    y: float
    row: int
    date: str | None
    source: str
    original: bool


@dataclass
class Timeline:
    """The marks, the sources (rows, top down), the date ticks ``(x, label)`` and the picture's size."""

    marks: list[Mark] = field(default_factory=list)
    rows: list[tuple[float, str]] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = 0
    left: int = LEFT
    right: int = WIDTH - RIGHT
    undated_x: float | None = None


def _day(value: str | None) -> date | None:
    iso = iso_date(value) if value else None
    try:
        return date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


def _ticks(first: date, last: date, x_of: dict[date, float]) -> list[tuple[float, str]]:
    """Up to :data:`TICKS` dates on the axis, the first and last among them."""
    span = (last - first).days
    if span == 0:
        return [(x_of[first], first.isoformat())]
    step = max(1, -(-span // (TICKS - 1)))
    days = [first.toordinal() + k for k in range(0, span, step)] + [last.toordinal()]
    return [
        (LEFT + (d - first.toordinal()) / span * (WIDTH - RIGHT - LEFT), date.fromordinal(d).isoformat()) for d in days
    ]


def timeline(members: list[tuple[str, str | None, str | None]], original: str | None) -> Timeline:
    """The timeline of members ``(id, date, source)`` (``original``: the likely original's id)."""
    days = {m[0]: _day(m[1]) for m in members}
    dated = sorted({d for d in days.values() if d is not None})
    sources: list[str] = []
    for _, _, source in sorted(members, key=lambda m: (days[m[0]] or date.max, m[0])):
        if (source or "(no source)") not in sources:
            sources.append(source or "(no source)")
    t = Timeline(height=TOP + ROW * len(sources) + 30)
    t.rows = [(TOP + ROW * k + ROW / 2, s) for k, s in enumerate(sources)]
    span = (dated[-1] - dated[0]).days if dated else 0
    x_of = {d: LEFT + ((d - dated[0]).days / span if span else 0.5) * (WIDTH - RIGHT - LEFT) for d in dated}
    if dated:
        t.ticks = _ticks(dated[0], dated[-1], x_of) if span else [(x_of[dated[0]], dated[0].isoformat())]
    if any(d is None for d in days.values()):
        t.undated_x = WIDTH - RIGHT / 2
    seen: dict[tuple[int, date | None], int] = defaultdict(int)
    for doc_id, when, source in members:
        row, day = sources.index(source or "(no source)"), days[doc_id]
        k = seen[(row, day)]
        seen[(row, day)] += 1
        x = (x_of[day] if day is not None else t.undated_x or 0) + NUDGE * k
        t.marks.append(
            Mark(doc_id, x, TOP + ROW * row + ROW / 2, row, when, source or "(no source)", doc_id == original)
        )
    return t
