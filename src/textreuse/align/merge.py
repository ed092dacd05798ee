"""Merge sentence matches with lexical passages: one stretch of text, one passage.

:func:`merge_semantic` embeds the sentences that lexical passages leave
uncovered, aligns sentences by meaning
(:func:`~textreuse.align.semantic.align_semantic`), maps the sentence matches
to character offsets and merges them with the lexical spans: a match that
overlaps a lexical passage grows it, a summary absorbs the passages inside
it, any other match is a passage of its own.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from textreuse.align.options import SemanticOptions
from textreuse.align.semantic import align_semantic, sentence_evidence
from textreuse.align.spans import AlignedSpan, SentenceMatch, best_score, overlaps
from textreuse.align.summaries import absorb, holds_other_reuse, mostly_copies
from textreuse.prepare import PreparedDocument, SentenceEncoder

__all__ = ["merge_semantic", "PairGate"]

Sentences = list[tuple[int, int]]

# Rows of an embedder that does not say its dimension.
FALLBACK_DIM = 384
# The cosine given to sentence pairs a lexical passage matched already: anchors of the semantic runs.
ANCHOR = 1.0


@runtime_checkable
class PairGate(Protocol):
    """An encoder made for one pair that can tell, before embedding, whether its semantic stage can add anything.

    :class:`textreuse.corpus.gate.GateEncoder` is one.
    """

    def encode(self, sentences: Sequence[str]) -> np.ndarray: ...

    def worth_matching(self, pa: PreparedDocument, pb: PreparedDocument, spans: Sequence[AlignedSpan]) -> bool: ...


def merge_semantic(
    pa: PreparedDocument,
    pb: PreparedDocument,
    spans: list[AlignedSpan],
    options: SemanticOptions,
    embedder: SentenceEncoder,
) -> list[AlignedSpan]:
    """Add sentence-level matches to the lexical spans: overlapping ones merge, new ones join.

    Sentences already (almost) inside lexical passages on their side need no
    embedding: only the others are embedded and compared. An ``embedder``
    that is a :class:`PairGate` saying nothing outside the spans is worth
    matching leaves the spans as they are.
    """
    sa, sb = pa.sentences or [], pb.sentences or []
    if not sa or not sb:
        return spans
    if isinstance(embedder, PairGate) and not embedder.worth_matching(pa, pb, spans):
        return spans
    need_a = _uncovered(sa, [(s.a_start, s.a_end) for s in spans], options.covered_share)
    need_b = _uncovered(sb, [(s.b_start, s.b_end) for s in spans], options.covered_share)
    if not need_a or not need_b:
        return spans
    cos = _vectors(pa, need_a, embedder) @ _vectors(pb, need_b, embedder).T
    _anchor(cos, sa, sb, spans, set(need_a), set(need_b))
    evidence = sentence_evidence(pa.sentence_words or [], pb.sentence_words or [])
    breaks_a, breaks_b = _sentence_breaks(sa, pa.excluded), _sentence_breaks(sb, pb.excluded)
    words_a = [len(w) for w in pa.sentence_words or []]
    words_b = [len(w) for w in pb.sentence_words or []]
    lines_a = _sentence_lines(pa.document.text, sa)
    lines_b = _sentence_lines(pb.document.text, sb)
    matches = align_semantic(cos, evidence, options, breaks_a, breaks_b, words_a, words_b, lines_a, lines_b)
    out = _place(matches, sa, sb, spans, options)
    # Merging can make spans overlap on both sides: merge those too, then keep
    # each stretch of text in one passage per side.
    return _one_stretch_one_passage(_merge_overlapping(out), options.passage_overlap)


def _anchor(
    cos: np.ndarray, sa: Sentences, sb: Sentences, spans: list[AlignedSpan], set_a: set[int], set_b: set[int]
) -> None:
    """Set the cosine of the sentences inside each lexical passage, paired in order along it, to :data:`ANCHOR`.

    Sentences inside a lexical passage are matched already: they anchor the
    runs of the semantic stage. ``set_a``/``set_b`` are the sentences that were embedded.
    """
    for span in spans:
        ia = [i for i, (s, e) in enumerate(sa) if i not in set_a and span.a_start < e and s < span.a_end]
        ib = [j for j, (s, e) in enumerate(sb) if j not in set_b and span.b_start < e and s < span.b_end]
        if ia and ib:
            for k, i in enumerate(ia):
                cos[i, ib[min(len(ib) - 1, k * len(ib) // len(ia))]] = ANCHOR


def _char_span(m: SentenceMatch, sa: Sentences, sb: Sentences) -> AlignedSpan:
    """A sentence match in character offsets: first to last matched sentence on each side."""
    return AlignedSpan(sa[m.a_first][0], sa[m.a_last][1], sb[m.b_first][0], sb[m.b_last][1], m.score, False, m.summary)


def _place(
    matches: list[SentenceMatch], sa: Sentences, sb: Sentences, spans: list[AlignedSpan], options: SemanticOptions
) -> list[AlignedSpan]:
    """The lexical spans with the sentence matches added: summaries absorb, others grow a span or stand alone."""
    out = list(spans)
    found = list(spans) + [_char_span(m, sa, sb) for m in matches if not m.summary]
    summaries: list[AlignedSpan] = []
    copied = any(s.verbatim for s in spans)  # a verbatim lexical passage
    # The surest summaries first; one that overlaps a surer one on either side is left out.
    for m in sorted(matches, key=lambda m: (not m.summary, -m.pairs * m.score)):
        here = _char_span(m, sa, sb)
        if m.summary:
            if _new_summary(here, m, summaries, spans, found, options):
                summaries.append(here)
                out = absorb(out, here)
            continue
        k = next((k for k, s in enumerate(out) if s.overlaps(here)), None)
        if k is not None:
            out[k] = _grown(out[k], m, sa, sb, options)
        elif not (copied and m.pairs < options.beside_copy_pairs):
            # Two texts that share a verbatim copy share its story: beside it, a sentence or two
            # on the same topic is expected, and a passage of its own needs a longer run.
            out.append(here)
    return out


def _new_summary(
    here: AlignedSpan,
    m: SentenceMatch,
    summaries: list[AlignedSpan],
    lexical: list[AlignedSpan],
    found: list[AlignedSpan],
    options: SemanticOptions,
) -> bool:
    """Whether a summary match stands: it clashes with no surer summary and strings no separate copies together."""
    clash = any(overlaps(*here.side(0), *k.side(0)) or overlaps(*here.side(1), *k.side(1)) for k in summaries)
    copies = not m.ordered and mostly_copies(here, lexical, options)
    return not clash and not holds_other_reuse(here, found, options) and not copies


def _grown(s: AlignedSpan, m: SentenceMatch, sa: Sentences, sb: Sentences, options: SemanticOptions) -> AlignedSpan:
    """A lexical span merged with a sentence match that overlaps it.

    Each edge grows to the matched sentences only where a sentence sticks out
    of the lexical passage by more than ``grow_share`` of its length (an end
    edge only to a sentence of at most ``seen_chars``); otherwise the passage
    keeps its word-exact bounds. A verbatim passage's bounds are where the
    copy starts and stops: they stay.
    """
    fa, la, fb, lb = sa[m.a_first], sa[m.a_last], sb[m.b_first], sb[m.b_last]
    a_start, a_end, b_start, b_end = s.a_start, s.a_end, s.b_start, s.b_end
    grow, share, seen = not s.verbatim, options.grow_share, options.seen_chars
    if grow and s.a_start - fa[0] > share * (fa[1] - fa[0]):
        a_start = fa[0]
    if grow and la[1] - s.a_end > share * (la[1] - la[0]) and la[1] - la[0] <= seen:
        a_end = la[1]
    if grow and s.b_start - fb[0] > share * (fb[1] - fb[0]):
        b_start = fb[0]
    if grow and lb[1] - s.b_end > share * (lb[1] - lb[0]) and lb[1] - lb[0] <= seen:
        b_end = lb[1]
    semantic = m.score if s.semantic is None else max(s.semantic, m.score)
    return AlignedSpan(a_start, a_end, b_start, b_end, semantic, s.verbatim, s.summary)


def _merge_overlapping(spans: list[AlignedSpan]) -> list[AlignedSpan]:
    """Merge spans that overlap on both sides, in the order of :meth:`AlignedSpan.order`."""
    result: list[AlignedSpan] = []
    for s in sorted(spans, key=AlignedSpan.order):
        for k, r in enumerate(result):
            if r.overlaps(s):
                result[k] = AlignedSpan(
                    min(r.a_start, s.a_start),
                    max(r.a_end, s.a_end),
                    min(r.b_start, s.b_start),
                    max(r.b_end, s.b_end),
                    best_score(r.semantic, s.semantic),
                    False,
                    r.summary or s.summary,
                )
                break
        else:
            result.append(s)
    return result


def _one_stretch_one_passage(spans: list[AlignedSpan], share: float) -> list[AlignedSpan]:
    """The longest spans, each dropping the shorter ones that lie more than ``share`` inside it on either side."""
    kept: list[AlignedSpan] = []
    for s in sorted(spans, key=lambda s: -(s.length(0) + s.length(1))):
        if any(
            _mostly_inside(*s.side(0), *k.side(0), share) or _mostly_inside(*s.side(1), *k.side(1), share) for k in kept
        ):
            continue
        kept.append(s)
    return kept


def _mostly_inside(s: int, e: int, ks: int, ke: int, share: float) -> bool:
    return min(e, ke) - max(s, ks) > share * (e - s)


def _sentence_breaks(sents: Sentences, excluded: list[tuple[int, int]]) -> frozenset[int]:
    """Indices of sentences that follow an excluded (junk) span."""
    spans = sorted(excluded)
    starts = [s for s, _ in spans]
    out = set()
    for k in range(1, len(sents)):
        gap_start, gap_end = sents[k - 1][1], sents[k][0]
        at = bisect_left(starts, gap_start)
        while at < len(spans) and spans[at][0] <= gap_end:
            if spans[at][1] <= gap_end:
                out.add(k)
                break
            at += 1
    return frozenset(out)


def _sentence_lines(text: str, sents: Sentences) -> list[int]:
    """The line (paragraph) of each sentence: line breaks before its start, a sentence across one
    starts a line of its own."""
    out = []
    line, pos = 0, 0
    for s, e in sents:
        line += text.count("\n", pos, s)
        out.append(line)
        line += text.count("\n", s, e)
        if "\n" in text[s:e].strip():
            line += 1
        pos = e
    return out


def _uncovered(sents: Sentences, spans: list[tuple[int, int]], share: float) -> list[int]:
    """Sentences less than ``share`` inside the given spans, and their neighbours.

    The neighbours (the edges of lexical passages) are embedded too, so that
    runs of reworded sentences next to a lexical passage have real anchors.
    """
    out: set[int] = set()
    for i, (s, e) in enumerate(sents):
        inside = sum(max(0, min(e, se) - max(s, ss)) for ss, se in spans)
        if inside < share * (e - s):
            out.update((i - 1, i, i + 1))
    return sorted(i for i in out if 0 <= i < len(sents))


def _vectors(prepared: PreparedDocument, indices: list[int], embedder: SentenceEncoder) -> np.ndarray:
    """Embeddings of the given sentences (rows of the others are zero)."""
    sents = prepared.sentences or []
    if prepared.embeddings is not None:
        full = prepared.embeddings
        out = np.zeros_like(full)
        out[indices] = full[indices]
        return out
    text = prepared.document.text
    dim = getattr(embedder, "dim", FALLBACK_DIM)
    out = np.zeros((len(sents), dim), dtype=np.float32)
    if indices:
        out[indices] = embedder.encode([text[sents[i][0] : sents[i][1]] for i in indices])
    return out
