"""One annotation of a PAN pair: a truth case or a detection."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

__all__ = ["DETECTION_NAMES", "TRUTH_NAMES", "PanCase", "Span", "join_close_detections"]

#: A detection as written: ``(this_offset, this_length, source_offset, source_length)``.
Span = tuple[int, int, int, int]

#: ``<feature name=...>`` of the truth cases in PAN XML.
TRUTH_NAMES: tuple[str, ...] = ("plagiarism",)
#: ``<feature name=...>`` of a detector's detections in PAN XML.
DETECTION_NAMES: tuple[str, ...] = ("detected-plagiarism",)


@dataclass(frozen=True)
class PanCase:
    """A truth case or a detection of one PAN pair; "this" is the suspicious document.

    >>> c = PanCase("suspicious-document00005.txt", 3593, 698, "source-document01090.txt", 1300, 698, "none")
    >>> c.this_offset + c.this_length
    4291
    """

    susp_ref: str
    this_offset: int
    this_length: int
    src_ref: str
    source_offset: int
    source_length: int
    obfuscation: str | None = None


def _stem(ref: str) -> str:
    """A document reference without its ``.txt`` ending."""
    return ref.removesuffix(".txt")


def _distance(start: int, end: int, other_start: int, other_end: int) -> int:
    """Characters between two half-open intervals (0 where they touch or overlap)."""
    return max(other_start - end, start - other_end, 0)


def join_close_detections(spans: Iterable[Span], gap: int) -> list[Span]:
    """Join detections that lie within ``gap`` characters of each other on both sides.

    Spans are ``(this_offset, this_length, source_offset, source_length)``, as
    :func:`~textreuse.io.pan.write_pan_xml` takes them. Two detections closer
    than ``gap`` on the suspicious side and on the source side become the one
    detection spanning both: a PAN case found in two pieces (its middle
    sentences obfuscated beyond recognition, or in another order) counts once
    in granularity, and its middle in recall. 0 leaves the spans as they are.

    >>> join_close_detections([(0, 100, 50, 100), (150, 80, 0, 40), (900, 10, 900, 10)], 60)
    [(0, 230, 0, 150), (900, 10, 900, 10)]
    """
    boxes = sorted((a, a + la, b, b + lb) for a, la, b, lb in spans)
    if gap <= 0:
        return [(a0, a1 - a0, b0, b1 - b0) for a0, a1, b0, b1 in boxes]
    joined = True
    while joined:
        joined = False
        for i, j in combinations(range(len(boxes)), 2):
            x, y = boxes[i], boxes[j]
            if _distance(x[0], x[1], y[0], y[1]) <= gap and _distance(x[2], x[3], y[2], y[3]) <= gap:
                boxes[i] = (min(x[0], y[0]), max(x[1], y[1]), min(x[2], y[2]), max(x[3], y[3]))
                del boxes[j]
                joined = True
                break
    return [(a0, a1 - a0, b0, b1 - b0) for a0, a1, b0, b1 in sorted(boxes)]
