"""Half-open intervals ``(start, end)`` of text offsets: merging and covered length.

>>> merge_spans([(10, 20), (0, 5), (15, 30), (30, 31), (40, 40)])
[(0, 5), (10, 31)]
>>> merge_spans([(0, 3), (5, 8)], text="abc  def")
[(0, 8)]
>>> covered_length([(10, 20), (0, 5), (15, 30), (30, 31)])
26
>>> merge_overlapping([(10, 20), (0, 5), (15, 30), (30, 31)])
[(0, 5), (10, 30), (30, 31)]
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["covered_length", "merge_overlapping", "merge_spans"]


def merge_spans(spans: Iterable[tuple[int, int]], text: str | None = None) -> list[tuple[int, int]]:
    """Sort and merge overlapping spans; with ``text``, also bridge whitespace-only gaps.

    Spans that touch (one ends where the next starts) merge; empty spans are
    dropped.
    """
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if e <= s:
            continue
        if out and (s <= out[-1][1] or (text is not None and not text[out[-1][1] : s].strip())):
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def covered_length(spans: Iterable[tuple[int, int]]) -> int:
    """Offsets covered by the spans, overlaps counted once."""
    return sum(e - s for s, e in merge_spans(spans))


def merge_overlapping(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort and merge spans that share an offset; spans that only touch stay apart, empty ones are kept."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
