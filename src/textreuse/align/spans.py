"""What the aligners find: matched stretches in token, sentence and character offsets.

* :class:`LexicalMatch` -- a passage of the lexical aligner, in token indices;
* :class:`SentenceMatch` -- a passage of the semantic aligner, in sentence indices;
* :class:`AlignedSpan` -- a passage in character offsets, as the pair engine
  merges, joins and grows it before it becomes a :class:`~textreuse.types.Passage`.

>>> s = AlignedSpan(0, 90, 0, 100, None, True)
>>> s.side(1), s.overlaps(AlignedSpan(80, 120, 95, 130, 0.9, False))
((0, 100), True)
>>> AlignedSpan.from_sides(1, (5, 9), (20, 40), 0.8, False, True)
AlignedSpan(a_start=20, a_end=40, b_start=5, b_end=9, semantic=0.8, verbatim=False, summary=True)
"""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = ["AlignedSpan", "LexicalMatch", "SentenceMatch", "best_score", "overlaps"]


@dataclass(frozen=True)
class LexicalMatch:
    """A passage found by the lexical aligner, in token indices (inclusive)."""

    a_first: int
    a_last: int
    b_first: int
    b_last: int
    seeds: int
    similarity: float
    verbatim: bool


@dataclass(frozen=True)
class SentenceMatch:
    """A passage found by the semantic aligner, in sentence indices (inclusive)."""

    a_first: int
    a_last: int
    b_first: int
    b_last: int
    pairs: int
    score: float  # mean cosine of the matched sentence pairs
    summary: bool = False  # one side summarizes a longer stretch of the other (see align_summaries)
    ordered: bool = True  # False: a summary paragraph whose matches are in no order


def overlaps(s1: int, e1: int, s2: int, e2: int) -> bool:
    """Whether the half-open ranges ``[s1, e1)`` and ``[s2, e2)`` share a position."""
    return s1 < e2 and s2 < e1


def best_score(x: float | None, y: float | None) -> float | None:
    """The higher of two semantic scores, either of which may be missing (``None``)."""
    if y is None:
        return x
    if x is None:
        return y
    return max(x, y)


@dataclass(frozen=True)
class AlignedSpan:
    """A passage in character offsets: ``a.text[a_start:a_end]`` against ``b.text[b_start:b_end]``.

    Attributes:
        semantic: the best cosine of the sentence matches that make it up
            (``None``: found by shared words alone).
        verbatim: the lexical aligner found the same words on both sides.
        summary: one side is (part of) a summary of a longer stretch of the other.
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    semantic: float | None
    verbatim: bool
    summary: bool = False

    def side(self, k: int) -> tuple[int, int]:
        """The ``(start, end)`` of side ``k``: 0 for *a*, 1 for *b*."""
        return (self.a_start, self.a_end) if k == 0 else (self.b_start, self.b_end)

    def length(self, k: int) -> int:
        """The length in characters of side ``k``."""
        start, end = self.side(k)
        return end - start

    def with_side(self, k: int, start: int, end: int) -> AlignedSpan:
        """This span with side ``k`` set to ``[start, end)``."""
        if k == 0:
            return replace(self, a_start=start, a_end=end)
        return replace(self, b_start=start, b_end=end)

    @classmethod
    def from_sides(
        cls,
        k: int,
        here: tuple[int, int],
        other: tuple[int, int],
        semantic: float | None,
        verbatim: bool,
        summary: bool = False,
    ) -> AlignedSpan:
        """The span whose side ``k`` is ``here`` and whose other side is ``other``."""
        a, b = (here, other) if k == 0 else (other, here)
        return cls(a[0], a[1], b[0], b[1], semantic, verbatim, summary)

    def overlaps(self, other: AlignedSpan) -> bool:
        """Whether the two spans overlap on both sides."""
        return overlaps(self.a_start, self.a_end, other.a_start, other.a_end) and overlaps(
            self.b_start, self.b_end, other.b_start, other.b_end
        )

    def order(self) -> tuple[int, int, int, int, float | None, bool, bool]:
        """Sort key: by every field in turn (bounds, then score, then flags)."""
        return (self.a_start, self.a_end, self.b_start, self.b_end, self.semantic, self.verbatim, self.summary)
