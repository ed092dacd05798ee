"""Normalize text for matching while keeping a map back to the original.

Matching needs a canonical form of the text: Unicode NFKC, curly quotes and
dashes made plain, words hyphenated across a line break joined, and every run
of whitespace turned into one space. Users, however, must always see offsets
into the text they gave us. :func:`normalize` returns both the normalized text
and an :class:`OffsetMap` that turns any span of it back into a span of the
original.

Case is kept in the normalized text (case folding can change the length of a
string); tokens are case-folded when they are keyed, see :mod:`textreuse.text.segment`.

>>> n = normalize("“Hello”  wide\\u00a0world — well-\\nknown")
>>> n.text
'"Hello" wide world - wellknown'
>>> start, end = n.span_to_original(0, 7)
>>> n.original[start:end]
'“Hello”'
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

__all__ = ["NormalizedText", "OffsetMap", "normalize", "normalize_chars"]

# Characters folded beyond what NFKC does. Keys are code points.
_FOLD = {
    # single quotes, primes and apostrophes
    **{ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u02bb\u0060\u00b4"},
    # double quotes
    **{ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb"},
    # dashes and minus signs
    **{ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"},
    # invisible characters that only get in the way of matching
    **{ord(c): "" for c in "\u00ad\u200b\u200c\u200d\u2060\ufeff"},
}

_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"

# One pass over the original finds every place that normalization changes:
# 1. a word broken by a hyphen at a line break ("exam-\nple"), only when the
#    next line goes on in lower case, so "Jean-\nPaul" keeps its hyphen;
# 2. a run of whitespace other than a single plain space;
# 3. a run of non-ASCII, non-space characters (with the ASCII letter before it
#    when the run starts with a combining mark, so "e\u0301" composes to "é").
_CHANGES = re.compile(
    r"(?P<hyphen>(?<=[^\W\d_])[-\u00ad\u2010][ \t]*(?:\r\n|\r|\n)[ \t]*(?=[a-z\u00df-\u00ff]))"
    r"|(?P<space>(?! (?!\s))\s+)"
    rf"|(?P<other>(?:[\x00-\x7f](?=[{_COMBINING}]))?[^\x00-\x7f\s]+)"
)
_CLUSTER = re.compile(rf".[{_COMBINING}]*", re.DOTALL)


def normalize_chars(text: str) -> str:
    """Fold one piece of text the way :func:`normalize` does, without offsets.

    >>> normalize_chars("’Tis — ﬁne")
    "'Tis - fine"
    """
    return unicodedata.normalize("NFKC", text.translate(_FOLD)).translate(_FOLD)


@dataclass(frozen=True)
class OffsetMap:
    """Maps offsets of a normalized text back to the original text.

    Only the places where normalization changed the length of the text are
    stored, as parallel lists of normalized and original segment bounds; every
    other stretch maps one to one. A start offset inside a replaced segment maps
    to the segment's original start and an end offset to its original end, so
    a mapped span always covers whole original characters.
    """

    norm_starts: tuple[int, ...]
    norm_ends: tuple[int, ...]
    orig_starts: tuple[int, ...]
    orig_ends: tuple[int, ...]

    def start(self, pos: int) -> int:
        """Original offset of the character at normalized offset ``pos``."""
        i = bisect_right(self.norm_starts, pos) - 1
        if i < 0:
            return pos
        if pos < self.norm_ends[i]:
            return self.orig_starts[i]
        return self.orig_ends[i] + (pos - self.norm_ends[i])

    def end(self, pos: int) -> int:
        """Original offset just after the character at normalized ``pos - 1``."""
        if pos <= 0:
            return 0
        q = pos - 1
        i = bisect_right(self.norm_starts, q) - 1
        if i < 0:
            return pos
        if q < self.norm_ends[i]:
            return self.orig_ends[i]
        return self.orig_ends[i] + (q - self.norm_ends[i]) + 1


@dataclass(frozen=True)
class NormalizedText:
    """The normalized form of ``original`` and the map back to it."""

    original: str
    text: str
    offsets: OffsetMap

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Turn the normalized span ``[start, end)`` into an original span."""
        if end <= start:
            s = self.offsets.start(start)
            return s, s
        return self.offsets.start(start), self.offsets.end(end)


def normalize(text: str) -> NormalizedText:
    """Normalize ``text`` for matching and keep the offset map back to it.

    Applies NFKC, folds curly quotes, primes and dashes to ASCII, removes
    soft hyphens and zero-width characters, joins words hyphenated across a
    line break, and turns each whitespace run into a single space.
    """
    pieces: list[str] = []
    ns: list[int] = []
    ne: list[int] = []
    os_: list[int] = []
    oe: list[int] = []
    norm_pos = 0
    orig_pos = 0

    def changed(orig_start: int, orig_end: int, replacement: str) -> None:
        nonlocal norm_pos
        size = orig_end - orig_start
        # A changed length, or a changed cluster of several characters (a ligature and a
        # combining mark: "ﬁ" + U+0301 -> "fí"), maps as one unit.
        if len(replacement) != size or (size > 1 and replacement != text[orig_start:orig_end]):
            ns.append(norm_pos)
            ne.append(norm_pos + len(replacement))
            os_.append(orig_start)
            oe.append(orig_end)
        pieces.append(replacement)
        norm_pos += len(replacement)

    for m in _CHANGES.finditer(text):
        start, end = m.span()
        if start > orig_pos:
            pieces.append(text[orig_pos:start])
            norm_pos += start - orig_pos
        kind = m.lastgroup
        if kind == "hyphen":
            changed(start, end, "")
        elif kind == "space":
            changed(start, end, " ")
        else:
            # Cluster by cluster (a character and its combining marks), so
            # offsets stay precise inside the run.
            for c in _CLUSTER.finditer(m.group()):
                changed(start + c.start(), start + c.end(), normalize_chars(c.group()))
        orig_pos = end
    if orig_pos < len(text):
        pieces.append(text[orig_pos:])
    return NormalizedText(
        original=text,
        text="".join(pieces),
        offsets=OffsetMap(tuple(ns), tuple(ne), tuple(os_), tuple(oe)),
    )
