"""Summaries in character offsets: join, gather and grow the pieces of one summary.

The sentence matches of a summary come out of alignment as several
passages, or as one passage short of the summary's paragraph and of the text
it condenses. :func:`summary_passages` joins pieces that follow each other
(:func:`join_pieces`), gathers the pieces of one summary paragraph in any
order (:func:`gather_summaries`) and grows each summary to the units it
stands for (:func:`summary_extent`). The other functions here are the
checks :mod:`textreuse.align.merge` applies to a summary found by
:func:`~textreuse.align.summary_chains.align_summaries`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from textreuse.align.options import SemanticOptions
from textreuse.align.passages import token_range
from textreuse.align.spans import AlignedSpan, best_score, overlaps
from textreuse.prepare import PreparedDocument

__all__ = [
    "absorb",
    "gather_summaries",
    "holds_other_reuse",
    "join_pieces",
    "mostly_copies",
    "summary_extent",
    "summary_passages",
]

Excluded = Sequence[tuple[int, int]]

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def summary_passages(
    spans: list[AlignedSpan], docs: tuple[PreparedDocument, PreparedDocument], options: SemanticOptions
) -> list[AlignedSpan]:
    """Join, gather and grow the pieces of summaries among the spans of two documents."""
    texts = (docs[0].document.text, docs[1].document.text)
    excluded = (docs[0].excluded, docs[1].excluded)
    spans = join_pieces(spans, options, excluded, texts=texts)
    spans = gather_summaries(spans, texts, options, excluded)
    return summary_extent(spans, docs, options)


def join_pieces(
    spans: list[AlignedSpan],
    options: SemanticOptions,
    excluded: tuple[Excluded, Excluded] = ((), ()),
    texts: tuple[str, str] | None = None,
) -> list[AlignedSpan]:
    """Join passages that follow each other on both sides, close on one side and farther on the other.

    Two pieces of one summary (or of one abridged copy) lie next to each
    other in the short text (at most ``summary_join_near`` characters apart)
    and apart in the long one (at most ``summary_join_far``, forward, and at
    least as far as the two pieces are long together: what they condense).
    Only short pieces (at most ``summary_join_piece`` characters on the close
    side: a sentence or two) join, and only neighbours: no other passage may
    lie between them on either side, nor ``excluded`` text (page junk of *a*
    and of *b*). Copied paragraphs placed side by side stay apart, being
    longer; so do paragraphs copied with one left out between them, and,
    given the ``texts``, pieces in different paragraphs of the short text: an
    abridged copy keeps whole paragraphs, a summary condenses into sentences.
    Passages close on both sides always join.

    >>> join_pieces([AlignedSpan(0, 90, 0, 100, None, True), AlignedSpan(95, 180, 2000, 2090, None, True)],
    ...             SemanticOptions())
    [AlignedSpan(a_start=0, a_end=180, b_start=0, b_end=2090, semantic=None, verbatim=False, summary=True)]
    """
    near = options.summary_join_near
    out = sorted(spans, key=lambda s: (s.a_start, s.b_start))
    x = 0
    while x + 1 < len(out):
        p, q = out[x], out[x + 1]
        lo_a, hi_a, lo_b, hi_b = p.a_start, max(p.a_end, q.a_end), p.b_start, max(p.b_end, q.b_end)
        if (
            _joinable(p, q, options, texts)
            and not any(z not in (x, x + 1) and overlaps(r.b_start, r.b_end, lo_b, hi_b) for z, r in enumerate(out))
            and not any(overlaps(e[0], e[1], lo_a, hi_a) for e in excluded[0])
            and not any(overlaps(e[0], e[1], lo_b, hi_b) for e in excluded[1])
        ):
            summary = p.summary or q.summary or not _close_both(p, q, near)
            out[x : x + 2] = [AlignedSpan(lo_a, hi_a, lo_b, hi_b, best_score(p.semantic, q.semantic), False, summary)]
            x = max(0, x - 1)
        else:
            x += 1
    return out


def _close_both(p: AlignedSpan, q: AlignedSpan, near: int) -> bool:
    return q.a_start - p.a_end <= near and q.b_start - p.b_end <= near


def _joinable(p: AlignedSpan, q: AlignedSpan, options: SemanticOptions, texts: tuple[str, str] | None) -> bool:
    """Whether ``q`` follows ``p`` on both sides, close on one side and not too far on the other."""
    near, far, piece = options.summary_join_near, options.summary_join_far, options.summary_join_piece
    ga, gb = q.a_start - p.a_end, q.b_start - p.b_end
    if q.b_start < p.b_start or min(ga, gb) < -near:
        return False
    if ga <= near and gb <= near:
        return True
    # Close on one side only: the pieces condense what lies between them on the
    # other side, which must be at least as long as they are together.
    pieces_a, pieces_b = p.length(0) + q.length(0), p.length(1) + q.length(1)
    close_a = ga <= near and pieces_a <= gb <= far and max(p.length(0), q.length(0)) <= piece
    close_b = gb <= near and pieces_b <= ga <= far and max(p.length(1), q.length(1)) <= piece
    if texts is not None:
        # Pieces in two paragraphs of the short text are kept paragraphs of an abridgement.
        close_a = close_a and not _BLANK_LINE.search(texts[0], min(p.a_start, q.a_start), max(p.a_end, q.a_end))
        close_b = close_b and not _BLANK_LINE.search(texts[1], min(p.b_start, q.b_start), max(p.b_end, q.b_end))
    return close_a or close_b


def _line(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The line (text between line breaks, surrounding spaces left out) holding ``text[start:end]``, if one does."""
    if "\n" in text[start:end].strip():
        return None
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    last = len(text) if last < 0 else last
    while first < start and text[first].isspace():
        first += 1
    while last > end and text[last - 1].isspace():
        last -= 1
    return first, last


def gather_summaries(
    spans: list[AlignedSpan],
    texts: tuple[str, str],
    options: SemanticOptions,
    excluded: tuple[Excluded, Excluded] = ((), ()),
) -> list[AlignedSpan]:
    """Join the pieces of one summary paragraph, in any order on the long side.

    A summary written as one paragraph reorders what it condenses: its
    sentences match sentences of the long text in another order, and each
    piece stands alone. Passages whose short sides follow each other closely
    (at most ``summary_gather_gap`` characters apart) within one line of the
    short text, none longer than ``summary_gather_piece`` there (sentences,
    not copied paragraphs), and together covering at least
    ``summary_line_share`` of the line, while their long sides spread over a
    stretch at least ``summary_gather_ratio`` times as long as the short side
    (and at most ``summary_join_far``), become one summary passage from the
    first to the last character on each side. They stay apart when their
    long sides go back more often than forward (two copies pasted in the
    other order), unless one of them is a summary already; when a passage
    whose short side lies elsewhere lies inside the long stretch (separate
    copies); or when page junk (``excluded``) lies in either stretch.
    """
    out = list(spans)
    for short in (0, 1):
        changed = True
        while changed:
            changed = False
            for group in _line_groups(out, texts[short], short, options.summary_gather_gap):
                if len(group) < 2:
                    continue
                merged = _gathered(out, group, texts[short], short, options, excluded)
                if merged is None:
                    continue
                out = [r for z, r in enumerate(out) if z not in group and not r.overlaps(merged)]
                out.append(merged)
                changed = True
                break
    return sorted(out, key=lambda s: (s.a_start, s.b_start))


def _line_groups(spans: list[AlignedSpan], text: str, short: int, near: int) -> list[list[int]]:
    """Indices of the spans whose side ``short`` follow each other within ``near`` on one line of ``text``."""
    order = sorted(range(len(spans)), key=lambda k: spans[k].side(short)[0])
    groups: list[list[int]] = []
    for k in order:
        start, end = spans[k].side(short)
        if _line(text, start, end) is None:
            groups.append([])
            continue
        if groups and groups[-1]:
            last = spans[groups[-1][-1]]
            if (
                _line(text, last.side(short)[0], end) is not None
                and start - max(spans[g].side(short)[1] for g in groups[-1]) <= near
            ):
                groups[-1].append(k)
                continue
        groups.append([k])
    return groups


def _gathered(
    spans: list[AlignedSpan],
    group: list[int],
    text: str,
    short: int,
    options: SemanticOptions,
    excluded: tuple[Excluded, Excluded],
) -> AlignedSpan | None:
    """The summary that the spans of ``group`` make up together, if they do (see :func:`gather_summaries`)."""
    long = 1 - short
    lo_s, hi_s = min(spans[g].side(short)[0] for g in group), max(spans[g].side(short)[1] for g in group)
    line = _line(text, lo_s, hi_s)
    if line is None:
        return None
    lo_l, hi_l = min(spans[g].side(long)[0] for g in group), max(spans[g].side(long)[1] for g in group)
    if hi_l - lo_l < options.summary_gather_ratio * (hi_s - lo_s) or hi_l - lo_l > options.summary_join_far:
        return None
    if max(spans[g].length(short) for g in group) > options.summary_gather_piece:
        return None
    if any(
        z not in group and overlaps(*r.side(long), lo_l, hi_l) and not overlaps(*r.side(short), lo_s, hi_s)
        for z, r in enumerate(spans)
    ):
        return None
    if any(overlaps(e[0], e[1], lo_s, hi_s) for e in excluded[short]) or any(
        overlaps(e[0], e[1], lo_l, hi_l) for e in excluded[long]
    ):
        return None
    if hi_s - lo_s < options.summary_line_share * (line[1] - line[0]):
        return None
    # A summary reorders a little, not mostly: two copies pasted in the other order stay
    # apart, unless one is a summary already (the paragraph's other sentences).
    starts = [spans[g].side(long)[0] for g in sorted(group, key=lambda g: spans[g].side(short)[0])]
    back = sum(1 for x, y in zip(starts, starts[1:]) if y < x)
    if back > len(starts) - 1 - back and not any(spans[g].summary for g in group):
        return None
    scores = [s for g in group if (s := spans[g].semantic) is not None]
    return AlignedSpan.from_sides(short, (lo_s, hi_s), (lo_l, hi_l), max(scores) if scores else None, False, True)


def summary_extent(
    spans: list[AlignedSpan], docs: tuple[PreparedDocument, PreparedDocument], options: SemanticOptions
) -> list[AlignedSpan]:
    """Grow each summary passage to the units it stands for: its paragraph, and the whole text it condenses.

    A passage whose one side is at least ``summary_gather_ratio`` times as
    long as the other condenses it (a summary). Its short side grows to the
    line (paragraph) it lies in when it covers at least
    ``summary_line_share`` of it: a summary is written as a paragraph, and
    its opening or closing words (a framing clause, a general remark) match
    nothing. Its long side grows to the whole document, as far as page junk
    allows, when it already covers at least ``summary_whole`` of the
    document's words and no other passage lies in the document: a summary
    of most of an article condenses the article; what its last sentences
    say in general words matches no sentence, and the closing paragraphs of
    the article are left out of it or condensed into a few words.
    """
    if not spans:
        return spans
    out = list(spans)
    for k in range(len(out)):
        if not out[k].summary:
            continue
        for short in (0, 1):
            span = out[k]
            if span.length(1 - short) < options.summary_gather_ratio * span.length(short):
                continue
            out[k] = _to_paragraph(span, docs[short], short, options.summary_line_share)
            out[k] = _to_document(out, k, docs[1 - short], 1 - short, options.summary_whole)
    return out


def _to_paragraph(span: AlignedSpan, doc: PreparedDocument, short: int, share: float) -> AlignedSpan:
    """The span with its side ``short`` grown to its line, when it covers ``share`` of it and no junk lies there."""
    start, end = span.side(short)
    line = _line(doc.document.text, start, end)
    if (
        line is not None
        and end - start >= share * (line[1] - line[0])
        and not any(overlaps(e[0], e[1], line[0], line[1]) for e in doc.excluded)
    ):
        return span.with_side(short, min(start, line[0]), max(end, line[1]))
    return span


def _to_document(spans: list[AlignedSpan], k: int, doc: PreparedDocument, long: int, whole: float) -> AlignedSpan:
    """Span ``k`` with its side ``long`` grown to the whole document between breaks, when it covers ``whole`` of it.

    It stays as it is when any other span lies in the document.
    """
    span = spans[k]
    tokens = doc.tokens
    if not len(tokens) or any(
        overlaps(*r.side(long), 0, len(doc.document.text)) for z, r in enumerate(spans) if z != k
    ):
        return span
    start, end = span.side(long)
    first, last = token_range(tokens, start, end)
    if last < first or last - first + 1 < whole * len(tokens):
        return span
    lo = max([b for b in tokens.breaks if b <= first], default=0)
    hi = min([b for b in tokens.breaks if b > last], default=len(tokens)) - 1
    return span.with_side(long, min(start, tokens.starts[lo]), max(end, tokens.ends[hi]))


def absorb(spans: list[AlignedSpan], summary: AlignedSpan) -> list[AlignedSpan]:
    """Add a summary span: the spans it overlaps on both sides become part of it.

    A summary's bounds are those of its matched sentences, first to last on
    each side; the passages found inside it (copied or reworded sentences of
    the summary) are pieces of it, not passages of their own.
    """
    out = []
    for s in spans:
        if s.overlaps(summary):
            summary = AlignedSpan(
                min(summary.a_start, s.a_start),
                max(summary.a_end, s.a_end),
                min(summary.b_start, s.b_start),
                max(summary.b_end, s.b_end),
                best_score(summary.semantic, s.semantic),
                summary.verbatim,
                summary.summary,
            )
        else:
            out.append(s)
    out.append(summary)
    return out


def mostly_copies(summary: AlignedSpan, lexical: list[AlignedSpan], options: SemanticOptions) -> bool:
    """Whether lexical passages make up most of a summary's short side: copies, not a summary.

    That is ``summary_copies`` passages or more, covering at least
    ``summary_copies_share`` of the short side. Applied to summaries whose matches are in no order (see
    :func:`~textreuse.align.summary_chains.align_summaries`): two copies
    pasted side by side in one paragraph, from two places of the other text,
    look like such a summary. (A summary in order may quote several
    sentences: it keeps its order, copies pasted at random do not.)
    """
    short = 0 if summary.length(0) <= summary.length(1) else 1
    lo, hi = summary.side(short)
    inside = sorted(
        (max(lo, s.side(short)[0]), min(hi, s.side(short)[1])) for s in lexical if overlaps(*s.side(short), lo, hi)
    )
    if any(y[0] < x[1] for x, y in zip(inside, inside[1:])):
        return False  # one stretch of the short text matched in two places: condensed, not pasted
    return len(inside) >= options.summary_copies and sum(e - s for s, e in inside) >= options.summary_copies_share * (
        hi - lo
    )


def holds_other_reuse(summary: AlignedSpan, found: list[AlignedSpan], options: SemanticOptions) -> bool:
    """Whether the long side of a summary holds a passage whose other side lies outside the summary.

    What a summary condenses is not reused elsewhere in the summarizing text:
    a long stretch holding such a passage is separate copies strung together.
    The summary's own first or last sentence may lie just outside its
    matched span: text within ``summary_slack`` of the summary's length of it
    counts as the summary.
    """
    long = 0 if summary.length(0) > summary.length(1) else 1
    short = 1 - long
    lo_l, hi_l = summary.side(long)
    lo_s, hi_s = summary.side(short)
    slack = math.floor((hi_s - lo_s) * options.summary_slack)
    lo_s, hi_s = lo_s - slack, hi_s + slack
    return any(overlaps(*s.side(long), lo_l, hi_l) and not overlaps(*s.side(short), lo_s, hi_s) for s in found)
