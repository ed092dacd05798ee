"""Cut one document's whole text into the pieces the side-by-side view shows, without nesting conflicts.

A side of the view is the document's full text, in order, cut at every
boundary of a passage, a word mark, a sentence pair or a span of page junk.
Each piece (:class:`Piece`) knows the passage that owns it (the first one
listed that covers it), its word or sentence mark and whether it is junk;
consecutive pieces of one passage form a :class:`Block`. Building this is
linear in the number of pieces (plus a sort of the boundaries), so a long
page stays fast.

>>> side = layout("Top line. Shared words here. End.", [Region(10, 28, 0, "psg", "b-p0", "a-p0", "t")], [(0, 9)], [])
>>> [(b.passage, [p.text for p in b.pieces]) for b in side]
[(None, ['Top line.', ' ']), (0, ['Shared words here.']), (None, [' End.'])]
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

__all__ = ["Region", "Piece", "Block", "layout", "JUNK_TITLE"]

# What page junk says on hover.
JUNK_TITLE = "page junk (caption, byline, masthead, footer...): left out of alignment"


@dataclass(frozen=True)
class Region:
    """A marked span ``[start, end)`` of the original text.

    ``key`` is the passage number (passages) or any hashable (marks);
    ``cls`` the CSS classes, ``target`` the anchor on the other side it links
    to, ``anchor`` its own anchor (given to its first piece), ``title`` the
    text shown on hover.
    """

    start: int
    end: int
    key: object
    cls: str
    target: str | None = None
    anchor: str | None = None
    title: str | None = None


@dataclass
class Piece:
    """A stretch of text with one set of marks."""

    text: str
    mark: Region | None = None
    junk: bool = False
    junk_start: bool = False
    anchors: list[str] = field(default_factory=list)
    mark_anchor: str | None = None

    @property
    def cls(self) -> str:
        """The CSS classes of the piece: its mark's, and ``junk`` for page junk."""
        classes = [self.mark.cls] if self.mark is not None else []
        if self.junk:
            classes.append("junk")
        return " ".join(classes)

    @property
    def id(self) -> str | None:
        return self.mark_anchor

    @property
    def target(self) -> str | None:
        return self.mark.target if self.mark is not None else None

    @property
    def title(self) -> str | None:
        if self.mark is not None:
            return self.mark.title
        return JUNK_TITLE if self.junk else None


@dataclass
class Block:
    """Consecutive pieces owned by one passage (``passage``: its number) or by none (``None``)."""

    passage: int | None
    region: Region | None
    pieces: list[Piece]
    anchor: str | None = None


def _owners(regions: list[Region], points: list[int]) -> list[Region | None]:
    """For each elementary stretch between ``points``, the first region listed that covers it."""
    owner: list[Region | None] = [None] * (len(points) - 1)
    for r in regions:
        for k in range(bisect.bisect_left(points, r.start), bisect.bisect_left(points, r.end)):
            if owner[k] is None:
                owner[k] = r
    return owner


def layout(
    text: str,
    passages: list[Region],
    junk: list[tuple[int, int]],
    marks: list[Region],
) -> list[Block]:
    """The blocks of one side: ``text`` cut at the boundaries of ``passages``, ``junk`` and ``marks``.

    A passage that owns no stretch (another listed before it covers all of
    its text) still gets its anchor, on the piece where it starts.
    """
    cuts = {0, len(text)}
    for r in (*passages, *marks):
        cuts.update((r.start, r.end))
    for s, e in junk:
        cuts.update((s, e))
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    by_passage = _owners(passages, points)
    by_mark = _owners(marks, points)
    in_junk = _owners([Region(s, e, i, "junk") for i, (s, e) in enumerate(junk)], points)
    starts: dict[int, list[Region]] = {}
    for r in passages:
        starts.setdefault(r.start, []).append(r)
    blocks: list[Block] = []
    owned: set[object] = set()
    seen_marks: set[object] = set()
    for k in range(len(points) - 1):
        s, e = points[k], points[k + 1]
        region = by_passage[k]
        if not blocks or blocks[-1].region is not region:
            key = region.key if region is not None else None
            anchor = region.anchor if region is not None and key not in owned else None
            owned.add(key)
            blocks.append(Block(key if isinstance(key, int) else None, region, [], anchor))
        mark, junk_region = by_mark[k], in_junk[k]
        piece = Piece(text[s:e], mark, junk_region is not None, junk_region is not None and junk_region.start == s)
        if mark is not None and mark.key not in seen_marks:
            seen_marks.add(mark.key)
            piece.mark_anchor = mark.anchor
        piece.anchors = [r.anchor for r in starts.get(s, []) if r is not region and r.anchor]
        blocks[-1].pieces.append(piece)
    _anchor_unowned(blocks, passages, owned)
    return blocks


def _anchor_unowned(blocks: list[Block], passages: list[Region], owned: set[object]) -> None:
    """Drop anchors given twice: a piece's extra anchor is kept only for a passage that owns no block."""
    given = {r.anchor for r in passages if r.key in owned}
    for block in blocks:
        for piece in block.pieces:
            if piece.anchors:
                piece.anchors = [a for a in piece.anchors if a not in given]
