"""From aligned spans to passages: edges, kind, scores and coverage.

An :class:`~textreuse.align.spans.AlignedSpan` becomes a
:class:`~textreuse.types.Passage`: its edges take in the punctuation both
texts have around it, and it gets a kind (``verbatim``, ``edited`` or
``paraphrased``) and its scores.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace
from difflib import SequenceMatcher

from textreuse.align.lexical import dice
from textreuse.align.spans import AlignedSpan
from textreuse.text.normalize import normalize_chars
from textreuse.text.segment import STOPWORDS, Tokens
from textreuse.types import Passage, PassageKind

# Sorts after every sentence span that starts at the same offset (bisect on (offset, _LAST)).
_LAST = 1 << 62

__all__ = ["copied_share", "coverage", "passage", "sentence_edges", "token_range", "with_punctuation"]


def copied_share(a: list[str], b: list[str], min_run: int) -> float:
    """Share of the shorter side's words that lie in runs of ``min_run``+ words found unchanged in the other.

    An edited copy keeps most of its words in unchanged runs; a translation
    round trip keeps names and many words but breaks runs more often, a
    paraphrase far more.

    >>> copied_share("the mayor said the bridge will reopen".split(), "the mayor said the bridge will reopen soon".split(), 4)
    1.0
    """
    if not a or not b:
        return 0.0
    if b < a:  # the same share whichever side is which (difflib's matching blocks depend on the order)
        a, b = b, a
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    copied = sum(blk.size for blk in blocks if blk.size >= min_run)
    return copied / min(len(a), len(b))


def token_range(tokens: Tokens, start: int, end: int) -> tuple[int, int]:
    """The first and last token (inclusive) that start in ``[start, end)``."""
    return bisect_left(tokens.starts, start), bisect_left(tokens.starts, end) - 1


def _content(tokens: Tokens, start: int, end: int) -> list[str]:
    first, last = token_range(tokens, start, end)
    return [k for k in tokens.keys[first : last + 1] if k not in STOPWORDS]


def passage(ta: Tokens, tb: Tokens, span: AlignedSpan, *, copied_run: int, paraphrase_copied: float) -> Passage:
    """The passage of a span, with its kind and scores.

    Same words on both sides: ``verbatim``. Otherwise a span matched by
    meaning whose words lie less than ``paraphrase_copied`` in unchanged runs
    of ``copied_run`` words or more (:func:`copied_share`) is
    ``paraphrased``; any other is ``edited``.
    """
    a_start, a_end, b_start, b_end, semantic = span.a_start, span.a_end, span.b_start, span.b_end, span.semantic
    fa, la = token_range(ta, a_start, a_end)
    fb, lb = token_range(tb, b_start, b_end)
    if ta.keys[fa : la + 1] == tb.keys[fb : lb + 1]:
        return Passage(a_start, a_end, b_start, b_end, "verbatim", 1.0, 1.0, semantic)
    lexical = dice(_content(ta, a_start, a_end), _content(tb, b_start, b_end))
    copied = copied_share(ta.keys[fa : la + 1], tb.keys[fb : lb + 1], copied_run)
    kind: PassageKind
    if semantic is None or copied >= paraphrase_copied:
        kind = "edited"
        score = lexical if semantic is None else max(lexical, semantic)
    else:
        kind = "paraphrased"
        score = semantic
    return Passage(a_start, a_end, b_start, b_end, kind, min(1.0, score), lexical, semantic)


def _is_mark(ch: str) -> bool:
    return not ch.isspace() and not ch.isalnum()


def with_punctuation(a: str, b: str, span: AlignedSpan) -> AlignedSpan:
    """The span grown over the punctuation that both texts have right around it (quotes, full stops).

    >>> with_punctuation('He said "go now".', 'They said "go now". Then', AlignedSpan(9, 15, 11, 17, None, True))
    AlignedSpan(a_start=8, a_end=17, b_start=10, b_end=19, semantic=None, verbatim=True, summary=False)
    """
    a_start, a_end, b_start, b_end = span.a_start, span.a_end, span.b_start, span.b_end
    while (
        a_end < len(a)
        and b_end < len(b)
        and _is_mark(a[a_end])
        and normalize_chars(a[a_end]) == normalize_chars(b[b_end])
    ):
        a_end += 1
        b_end += 1
    while (
        a_start > 0
        and b_start > 0
        and _is_mark(a[a_start - 1])
        and normalize_chars(a[a_start - 1]) == normalize_chars(b[b_start - 1])
    ):
        a_start -= 1
        b_start -= 1
    return AlignedSpan(a_start, a_end, b_start, b_end, span.semantic, span.verbatim, span.summary)


def sentence_edges(
    p: Passage, sents_a: list[tuple[int, int]], sents_b: list[tuple[int, int]], reach: int, near_copy: float
) -> Passage:
    """An obfuscated passage with each edge moved to its sentence's edge when that lies within ``reach`` characters.

    Obfuscation changes the first and last words of a reused sentence as
    often as the others, so the aligner's edges stop a few words short of
    where the reused sentences start and end. A verbatim passage, and a near
    copy (content words at least ``near_copy`` alike, :func:`passage`'s
    lexical score), keep their word-exact bounds. ``sents_a``/``sents_b`` are
    the sentence spans of each text, sorted.

    >>> s = [(0, 16), (17, 40)]
    >>> q = sentence_edges(Passage(21, 36, 4, 14, "edited", 0.5, 0.5), s, s, 10, 0.9)
    >>> q.a_start, q.a_end, q.b_start, q.b_end
    (17, 40, 0, 16)
    """
    if p.kind == "verbatim" or reach <= 0 or (p.lexical_score or 0.0) >= near_copy:
        return p
    a_start, a_end = _sentence_start(sents_a, p.a_start, reach), _sentence_end(sents_a, p.a_end, reach)
    b_start, b_end = _sentence_start(sents_b, p.b_start, reach), _sentence_end(sents_b, p.b_end, reach)
    return replace(p, a_start=a_start, a_end=a_end, b_start=b_start, b_end=b_end)


def _sentence_start(sents: list[tuple[int, int]], start: int, reach: int) -> int:
    """The start of the sentence ``start`` lies inside, if at most ``reach`` characters back, else ``start``."""
    k = bisect_right(sents, (start, _LAST)) - 1
    if k >= 0 and sents[k][0] < start < sents[k][1] and start - sents[k][0] <= reach:
        return sents[k][0]
    return start


def _sentence_end(sents: list[tuple[int, int]], end: int, reach: int) -> int:
    """The end of the sentence ``end`` lies inside, if at most ``reach`` characters on, else ``end``."""
    k = bisect_right(sents, (end - 1, _LAST)) - 1
    if k >= 0 and sents[k][0] < end < sents[k][1] and sents[k][1] - end <= reach:
        return sents[k][1]
    return end


def coverage(n_tokens: int, intervals: list[tuple[int, int]]) -> float:
    """Share of ``n_tokens`` tokens inside the union of the inclusive token ``intervals``."""
    if n_tokens == 0:
        return 0.0
    covered = 0
    last = -1
    for first, end in sorted(intervals):
        first = max(first, last + 1)
        if end >= first:
            covered += end - first + 1
            last = end
    return covered / n_tokens
