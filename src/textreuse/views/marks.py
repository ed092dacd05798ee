"""What the side-by-side view marks inside a passage: word changes of edited passages, sentence pairs of paraphrases.

Every span here is a half-open range of character offsets into the original
text of its document.

>>> from textreuse.text.normalize import normalize
>>> from textreuse.text.segment import tokenize
>>> a, b = "The mayor opened the new bridge today.", "The mayor opened the old bridge on Monday."
>>> changes = word_changes(tokenize(normalize(a)), (0, len(a)), tokenize(normalize(b)), (0, len(b)))
>>> [(kind, a[s:e]) for s, e, kind in changes.a if kind != "kept"]
[('substituted', 'new'), ('substituted', 'today')]
>>> [(kind, b[s:e]) for s, e, kind in changes.b if kind != "kept"]
[('substituted', 'old'), ('substituted', 'on Monday')]
"""

from __future__ import annotations

import bisect
import difflib
from dataclasses import dataclass

from textreuse.common.checks import check_fields, check_range
from textreuse.text.segment import Tokens, is_content_word

__all__ = ["MarkOptions", "WordChanges", "word_changes", "sentence_pairs", "tokens_in"]

Span = tuple[int, int]
KindSpan = tuple[int, int, str]


@dataclass(frozen=True)
class MarkOptions:
    """Settings of the marks inside passages.

    Attributes:
        pair_bonus: what pairing two sentences is worth on top of their content-word
            overlap (Jaccard), so that sentences sharing no word are still paired in order
            when nothing better is left.
    """

    pair_bonus: float = 0.01

    def __post_init__(self) -> None:
        check_fields(self)
        check_range("MarkOptions.pair_bonus", self.pair_bonus, low=0.0, high=1.0)


@dataclass(frozen=True)
class WordChanges:
    """The word runs of an edited passage on each side: ``(start, end, kind)``.

    Kinds, reading from *a* to *b*: ``kept`` (on both sides), ``substituted``
    (on both sides), ``dropped`` (only in *a*), ``inserted`` (only in *b*).
    """

    a: list[KindSpan]
    b: list[KindSpan]


def tokens_in(tokens: Tokens, span: Span) -> tuple[int, int]:
    """The half-open range of token indices lying inside the character ``span``."""
    first = bisect.bisect_left(tokens.starts, span[0])
    last = bisect.bisect_right(tokens.ends, span[1], lo=first)
    return first, max(first, last)


def _run(tokens: Tokens, first: int, end: int) -> Span:
    return tokens.starts[first], tokens.ends[end - 1]


_KINDS = {"equal": ("kept", "kept"), "replace": ("substituted", "substituted")}


def word_changes(ta: Tokens, span_a: Span, tb: Tokens, span_b: Span) -> WordChanges:
    """Which words of two passages were kept, substituted, dropped or inserted.

    The passages' tokens (case-folded keys) are compared with
    :class:`difflib.SequenceMatcher`; each run of its opcodes is mapped back
    to the original offsets of its first and last token.
    """
    a0, a1 = tokens_in(ta, span_a)
    b0, b1 = tokens_in(tb, span_b)
    matcher = difflib.SequenceMatcher(None, ta.keys[a0:a1], tb.keys[b0:b1], autojunk=False)
    out_a: list[KindSpan] = []
    out_b: list[KindSpan] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        kind_a, kind_b = _KINDS.get(tag, ("dropped", "inserted"))
        if i2 > i1:
            out_a.append((*_run(ta, a0 + i1, a0 + i2), kind_a))
        if j2 > j1:
            out_b.append((*_run(tb, b0 + j1, b0 + j2), kind_b))
    return WordChanges(out_a, out_b)


def _content_words(tokens: Tokens, span: Span) -> set[str]:
    first, end = tokens_in(tokens, span)
    return {k for k in tokens.keys[first:end] if is_content_word(k)}


def _clip(sentences: list[Span], span: Span) -> list[Span]:
    """The sentences overlapping ``span``, cut to it."""
    out = []
    for s, e in sentences:
        s, e = max(s, span[0]), min(e, span[1])
        if e > s:
            out.append((s, e))
    return out


def sentence_pairs(
    ta: Tokens,
    sentences_a: list[Span],
    span_a: Span,
    tb: Tokens,
    sentences_b: list[Span],
    span_b: Span,
    options: MarkOptions | None = None,
) -> list[tuple[Span, Span]]:
    """The sentences of a paraphrased passage paired across the two sides, in reading order.

    Each side's sentences (``sentences_a``/``sentences_b``, from
    :func:`textreuse.text.segment.sentences`) are cut to the passage. The
    pairing is the order-keeping one (no two pairs cross) that maximizes the
    summed worth of its pairs, a pair being worth the Jaccard overlap of the
    two sentences' content words plus ``MarkOptions.pair_bonus`` (dynamic
    programming, like a weighted longest common subsequence). A sentence with
    no partner left (one side has more) stays unpaired.
    """
    bonus = (options or MarkOptions()).pair_bonus
    sa, sb = _clip(sentences_a, span_a), _clip(sentences_b, span_b)
    wa = [_content_words(ta, s) for s in sa]
    wb = [_content_words(tb, s) for s in sb]
    n, m = len(sa), len(sb)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = best[i], best[i + 1]
        for j in range(m - 1, -1, -1):
            union = len(wa[i] | wb[j])
            worth = (len(wa[i] & wb[j]) / union if union else 0.0) + bonus
            row[j] = max(below[j], row[j + 1], below[j + 1] + worth)
    pairs: list[tuple[Span, Span]] = []
    i = j = 0
    while i < n and j < m:
        if best[i][j] == best[i + 1][j]:
            i += 1
        elif best[i][j] == best[i][j + 1]:
            j += 1
        else:
            pairs.append((sa[i], sb[j]))
            i, j = i + 1, j + 1
    return pairs
