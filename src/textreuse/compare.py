"""Compare two documents: the whole pipeline for one pair.

``prepare`` runs the per-document stages once (normalize, junk, segment) so
that a document compared with many others is prepared only once;
``compare`` aligns two prepared documents and returns a :class:`Comparison`.

>>> r = compare("The harbour bridge will close for repairs on Monday, the city council said in a statement.",
...             "Officials said the harbour bridge will close for repairs on Monday, the city council said.")
>>> [(p.kind, r.a.text[p.a_start:p.a_end]) for p in r.passages]
[('verbatim', 'The harbour bridge will close for repairs on Monday, the city council said')]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from textreuse.align.lexical import LexicalOptions, align_lexical, dice as _dice
from textreuse.align.semantic import SemanticOptions, align_semantic, sentence_evidence
from textreuse.prepare import PreparedDocument, as_document, exclude, prepare, with_embeddings, with_sentences
from textreuse.relate import Relation, relate
from textreuse.text.normalize import normalize_chars
from textreuse.text.segment import STOPWORDS, Tokens
from textreuse.types import Document, Passage

__all__ = [
    "CompareOptions",
    "Comparison",
    "PreparedDocument",
    "compare",
    "comparison",
    "exclude",
    "prepare",
    "with_embeddings",
    "with_sentences",
]


@dataclass(frozen=True)
class CompareOptions:
    """Settings for comparing two documents.

    Attributes:
        lexical: settings of the lexical aligner (seed, extend, merge).
        junk: keep page junk (captions, bylines, mastheads, footers) out of alignment.
        mode: ``full`` aligns words and meaning (sentence embeddings);
            ``lexical`` aligns shared words only (faster, no model).
        semantic: settings of the semantic (sentence) aligner.
        embedder: name of the sentence embedder (see :func:`textreuse.embed.get_embedder`).
    """

    lexical: LexicalOptions = field(default_factory=LexicalOptions)
    junk: bool = True
    mode: Literal["full", "lexical"] = "full"
    semantic: SemanticOptions = field(default_factory=SemanticOptions)
    embedder: str = "minilm-onnx"


@dataclass(frozen=True)
class Comparison:
    """What two documents share: passages, coverage and excluded junk."""

    a: Document
    b: Document
    passages: list[Passage]
    coverage_a: float
    coverage_b: float
    excluded_a: list[tuple[int, int]]
    excluded_b: list[tuple[int, int]]
    relation: Relation | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form documented in the README."""
        return {
            "a": {"id": self.a.id, "length": len(self.a.text)},
            "b": {"id": self.b.id, "length": len(self.b.text)},
            "relation": self.relation.to_dict() if self.relation else None,
            "passages": [p.to_dict() for p in self.passages],
            "coverage": {"a": round(self.coverage_a, 4), "b": round(self.coverage_b, 4)},
            "excluded": {
                "a": [list(s) for s in self.excluded_a],
                "b": [list(s) for s in self.excluded_b],
            },
        }


def _is_mark(ch: str) -> bool:
    return not ch.isspace() and not ch.isalnum()


def _with_punctuation(a: str, a_start: int, a_end: int, b: str, b_start: int, b_end: int) -> tuple[int, int, int, int]:
    """Take in the punctuation that both texts have right around a passage (quotes, full stops)."""
    while a_end < len(a) and b_end < len(b) and _is_mark(a[a_end]) and normalize_chars(a[a_end]) == normalize_chars(b[b_end]):
        a_end += 1
        b_end += 1
    while a_start > 0 and b_start > 0 and _is_mark(a[a_start - 1]) and normalize_chars(a[a_start - 1]) == normalize_chars(b[b_start - 1]):
        a_start -= 1
        b_start -= 1
    return a_start, a_end, b_start, b_end


def _coverage(n_tokens: int, intervals: list[tuple[int, int]]) -> float:
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


def compare(
    a: Document | str | PreparedDocument,
    b: Document | str | PreparedDocument,
    options: CompareOptions | None = None,
    *,
    focus: tuple[list[tuple[int, int]], list[tuple[int, int]]] | None = None,
) -> Comparison:
    """Align two documents and report the passages they share.

    ``a`` and ``b`` may be :class:`Document` objects, plain strings (ids ``a``
    and ``b``) or documents already run through :func:`prepare`.

    ``focus`` (token index ranges of *a* and of *b*, half-open) restricts the
    lexical aligner to those stretches: a corpus run knows from the shared
    n-grams where two long pages can share text, and aligns only there.
    Offsets, coverage and the verdict still refer to the whole documents.
    """
    opt = options or CompareOptions()
    pa = a if isinstance(a, PreparedDocument) else prepare(as_document(a, "a"), junk=opt.junk)
    pb = b if isinstance(b, PreparedDocument) else prepare(as_document(b, "b"), junk=opt.junk)
    ta, tb = pa.tokens, pb.tokens
    text_a, text_b = pa.document.text, pb.document.text
    # [a_start, a_end, b_start, b_end, semantic score or None, verbatim(, summary)]: the optional
    # seventh item marks a summary (see _gather_summaries and _summary_extent).
    spans: list[list[Any]] = []
    la, lb = (ta, tb) if focus is None else (ta.select(focus[0]), tb.select(focus[1]))
    for m in align_lexical(la, lb, opt.lexical):
        spans.append([la.starts[m.a_first], la.ends[m.a_last], lb.starts[m.b_first], lb.ends[m.b_last], None, m.verbatim])
    if opt.mode == "full":
        from textreuse.embed import get_embedder

        pa, pb = with_sentences(pa), with_sentences(pb)
        spans = _merge_semantic(pa, pb, spans, opt.semantic, get_embedder(opt.embedder))
        sem = opt.semantic
        if sem.summary:
            spans = _join_pieces(
                spans, sem.summary_join_near, sem.summary_join_far, sem.summary_join_piece, pa.excluded, pb.excluded,
                texts=(text_a, text_b),
            )
            spans = _gather_summaries(
                spans, (text_a, text_b), sem.summary_gather_gap, sem.summary_gather_ratio, sem.summary_join_far,
                sem.summary_gather_piece, (pa.excluded, pb.excluded),
            )
            spans = _summary_extent(spans, (pa, pb), sem.summary_gather_ratio, sem.summary_whole)
    passages = []
    for a_start, a_end, b_start, b_end, semantic, *_ in spans:
        a_start, a_end, b_start, b_end = _with_punctuation(text_a, a_start, a_end, text_b, b_start, b_end)
        passages.append(_passage(ta, tb, a_start, a_end, b_start, b_end, semantic))
    return comparison(pa, pb, passages)


def comparison(pa: PreparedDocument, pb: PreparedDocument, passages: list[Passage]) -> Comparison:
    """The :class:`Comparison` of two prepared documents from their passages: coverage and verdict."""
    ta, tb = pa.tokens, pb.tokens
    passages = sorted(passages, key=lambda p: (p.a_start, p.b_start))
    cov_a = _coverage(len(ta), [_token_range(ta, p.a_start, p.a_end) for p in passages])
    cov_b = _coverage(len(tb), [_token_range(tb, p.b_start, p.b_end) for p in passages])
    relation = relate(pa.document, pb.document, cov_a, cov_b, passages)
    return Comparison(pa.document, pb.document, passages, cov_a, cov_b, pa.excluded, pb.excluded, relation)


def _token_range(tokens: Tokens, start: int, end: int) -> tuple[int, int]:
    return bisect_left(tokens.starts, start), bisect_left(tokens.starts, end) - 1


def _content(tokens: Tokens, start: int, end: int) -> list[str]:
    first, last = _token_range(tokens, start, end)
    return [k for k in tokens.keys[first : last + 1] if k not in STOPWORDS]


def _passage(ta: Tokens, tb: Tokens, a_start: int, a_end: int, b_start: int, b_end: int, semantic: float | None) -> Passage:
    """A passage with its kind and scores, from its spans."""
    fa, la = _token_range(ta, a_start, a_end)
    fb, lb = _token_range(tb, b_start, b_end)
    if ta.keys[fa : la + 1] == tb.keys[fb : lb + 1]:
        return Passage(a_start, a_end, b_start, b_end, "verbatim", 1.0, 1.0, semantic)
    lexical = _dice(_content(ta, a_start, a_end), _content(tb, b_start, b_end))
    copied = copied_share(ta.keys[fa : la + 1], tb.keys[fb : lb + 1])
    if semantic is None or copied >= PARAPHRASE_COPIED:
        kind = "edited"
        score = lexical if semantic is None else max(lexical, semantic)
    else:
        kind = "paraphrased"
        score = semantic
    return Passage(a_start, a_end, b_start, b_end, kind, min(1.0, score), lexical, semantic)


# A passage edge grows to a matched sentence when that much of the sentence lies outside it.
GROW_SHARE = 0.4

# An end edge grows only to a sentence this short: the embedder reads the first
# 128 tokens of a sentence (about 600 characters of English), so the end of a
# longer run-on "sentence" (a list, verse without full stops) was never compared.
SEEN_CHARS = 600

# Below this share of words kept in unchanged runs, a passage matched by meaning is "paraphrased".
PARAPHRASE_COPIED = 0.8


def copied_share(a: list[str], b: list[str], min_run: int = 4) -> float:
    """Share of the shorter side's words that lie in runs of ``min_run``+ words found unchanged in the other.

    An edited copy keeps most of its words in unchanged runs (measured on the
    demo corpus: 0.81-0.95 for edited reprints); a translation round trip
    keeps names and many words but breaks runs more often (0.72-0.77 on the
    shared example), a paraphrase far more (0.14-0.30).

    >>> copied_share("the mayor said the bridge will reopen".split(), "the mayor said the bridge will reopen soon".split())
    1.0
    """
    if not a or not b:
        return 0.0
    from difflib import SequenceMatcher

    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    copied = sum(blk.size for blk in blocks if blk.size >= min_run)
    return copied / min(len(a), len(b))


def _overlaps(s1: int, e1: int, s2: int, e2: int) -> bool:
    return s1 < e2 and s2 < e1


def _sentence_breaks(sents: list[tuple[int, int]], excluded: list[tuple[int, int]]) -> frozenset[int]:
    """Indices of sentences that follow an excluded (junk) span."""
    out = set()
    for k in range(1, len(sents)):
        gap_start, gap_end = sents[k - 1][1], sents[k][0]
        if any(gap_start <= s and e <= gap_end for s, e in excluded):
            out.add(k)
    return frozenset(out)


def _sentence_lines(text: str, sents: list[tuple[int, int]]) -> list[int]:
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


def _uncovered(sents: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[int]:
    """Sentences less than 90% inside the given spans, and their neighbours.

    The neighbours (the edges of lexical passages) are embedded too, so that
    runs of reworded sentences next to a lexical passage have real anchors.
    """
    out: set[int] = set()
    for i, (s, e) in enumerate(sents):
        inside = sum(max(0, min(e, se) - max(s, ss)) for ss, se in spans)
        if inside < 0.9 * (e - s):
            out.update((i - 1, i, i + 1))
    return sorted(i for i in out if 0 <= i < len(sents))


def _vectors(prepared: PreparedDocument, indices: list[int], embedder: Any) -> Any:
    """Embeddings of the given sentences (rows of the others are zero)."""
    import numpy as np

    sents = prepared.sentences or []
    if prepared.embeddings is not None:
        full = prepared.embeddings
        out = np.zeros_like(full)
        out[indices] = full[indices]
        return out
    text = prepared.document.text
    dim = getattr(embedder, "dim", 384)
    out = np.zeros((len(sents), dim), dtype=np.float32)
    if indices:
        out[indices] = embedder.encode([text[sents[i][0] : sents[i][1]] for i in indices])
    return out


def _merge_semantic(
    pa: PreparedDocument, pb: PreparedDocument, spans: list[list[Any]], options: SemanticOptions, embedder: Any
) -> list[list[Any]]:
    """Add sentence-level matches to the lexical spans: overlapping ones merge, new ones join.

    Sentences already (almost) inside lexical passages on their side need no
    embedding: only the others are embedded and compared.
    """
    sa, sb = pa.sentences or [], pb.sentences or []
    if not sa or not sb:
        return spans
    need_a = _uncovered(sa, [(s[0], s[1]) for s in spans])
    need_b = _uncovered(sb, [(s[2], s[3]) for s in spans])
    if not need_a or not need_b:
        return spans
    cos = _vectors(pa, need_a, embedder) @ _vectors(pb, need_b, embedder).T
    # Sentences inside a lexical passage are matched already: they anchor the
    # runs of the semantic stage, paired in order along the passage.
    set_a, set_b = set(need_a), set(need_b)
    for a_start, a_end, b_start, b_end, *_ in spans:
        ia = [i for i, (s, e) in enumerate(sa) if i not in set_a and a_start < e and s < a_end]
        ib = [j for j, (s, e) in enumerate(sb) if j not in set_b and b_start < e and s < b_end]
        if ia and ib:
            for k, i in enumerate(ia):
                cos[i, ib[min(len(ib) - 1, k * len(ib) // len(ia))]] = 1.0
    evidence = sentence_evidence(pa.sentence_words or [], pb.sentence_words or [])
    out = [list(s) for s in spans]
    breaks_a, breaks_b = _sentence_breaks(sa, pa.excluded), _sentence_breaks(sb, pb.excluded)
    words_a = [len(w) for w in pa.sentence_words or []]
    words_b = [len(w) for w in pb.sentence_words or []]
    lines_a = _sentence_lines(pa.document.text, sa)
    lines_b = _sentence_lines(pb.document.text, sb)
    matches = align_semantic(cos, evidence, options, breaks_a, breaks_b, words_a, words_b, lines_a, lines_b)
    found = [s[:4] for s in spans] + [
        [sa[m.a_first][0], sa[m.a_last][1], sb[m.b_first][0], sb[m.b_last][1]] for m in matches if not m.summary
    ]
    summaries: list[tuple[int, int, int, int]] = []
    copied = any(s[5] for s in spans)  # a verbatim lexical passage
    # The surest summaries first; one that overlaps a surer one on either side is left out.
    for m in sorted(matches, key=lambda m: (not m.summary, -m.pairs * m.score)):
        a_start, a_end = sa[m.a_first][0], sa[m.a_last][1]
        b_start, b_end = sb[m.b_first][0], sb[m.b_last][1]
        if m.summary:
            here = (a_start, a_end, b_start, b_end)
            clash = any(_overlaps(a_start, a_end, k[0], k[1]) or _overlaps(b_start, b_end, k[2], k[3]) for k in summaries)
            copies = not m.ordered and _mostly_copies(here, spans)
            if not clash and not _holds_other_reuse(here, found) and not copies:
                summaries.append(here)
                out = _absorb(out, [a_start, a_end, b_start, b_end, m.score, False, True])
            continue
        merged = False
        for s in out:
            if _overlaps(s[0], s[1], a_start, a_end) and _overlaps(s[2], s[3], b_start, b_end):
                # Each edge grows to the matched sentences only where a sentence
                # sticks out of the lexical passage by a good part of its length;
                # otherwise the passage keeps its word-exact bounds.
                # A verbatim passage's bounds are where the copy starts and stops: they stay.
                fa, la, fb, lb = sa[m.a_first], sa[m.a_last], sb[m.b_first], sb[m.b_last]
                grow = not s[5]
                if grow and s[0] - a_start > GROW_SHARE * (fa[1] - fa[0]):
                    s[0] = a_start
                if grow and a_end - s[1] > GROW_SHARE * (la[1] - la[0]) and la[1] - la[0] <= SEEN_CHARS:
                    s[1] = a_end
                if grow and s[2] - b_start > GROW_SHARE * (fb[1] - fb[0]):
                    s[2] = b_start
                if grow and b_end - s[3] > GROW_SHARE * (lb[1] - lb[0]) and lb[1] - lb[0] <= SEEN_CHARS:
                    s[3] = b_end
                s[4] = m.score if s[4] is None else max(s[4], m.score)
                merged = True
                break
        if not merged:
            # Two texts that share a verbatim copy share its story: beside it, a sentence or two
            # on the same topic is expected, and a passage of its own needs a longer run.
            if copied and m.pairs < options.beside_copy_pairs:
                continue
            out.append([a_start, a_end, b_start, b_end, m.score, False])
    # Merging can make spans overlap on both sides: merge those too, then keep
    # each stretch of text in one passage per side.
    out.sort()
    result: list[list[Any]] = []
    for s in out:
        for r in result:
            if _overlaps(r[0], r[1], s[0], s[1]) and _overlaps(r[2], r[3], s[2], s[3]):
                r[0], r[1], r[2], r[3] = min(r[0], s[0]), max(r[1], s[1]), min(r[2], s[2]), max(r[3], s[3])
                r[4] = s[4] if r[4] is None else (r[4] if s[4] is None else max(r[4], s[4]))
                r[5] = False
                if _is_summary(s):
                    r[6:] = [True]
                break
        else:
            result.append(s)
    return _one_stretch_one_passage(result)


def _mostly_copies(summary: tuple[int, int, int, int], lexical: list[list[Any]]) -> bool:
    """Whether two or more lexical passages make up half or more of a summary's short side.

    Applied to summaries whose matches are in no order (see
    :func:`textreuse.align.semantic.align_summaries`): two copies pasted side
    by side in one paragraph, from two places of the other text, look like
    such a summary. (A summary in order may quote several sentences: it keeps
    its order, copies pasted at random do not.)
    """
    a_start, a_end, b_start, b_end = summary
    lo, hi, first = (a_start, a_end, 0) if a_end - a_start <= b_end - b_start else (b_start, b_end, 2)
    inside = [(max(lo, s[first]), min(hi, s[first + 1])) for s in lexical if _overlaps(s[first], s[first + 1], lo, hi)]
    return len(inside) >= 2 and sum(e - s for s, e in inside) >= 0.5 * (hi - lo)


def _holds_other_reuse(summary: tuple[int, int, int, int], found: list[list[int]]) -> bool:
    """Whether the long side of a summary holds a passage whose other side lies outside the summary.

    What a summary condenses is not reused elsewhere in the summarizing text:
    a long stretch holding such a passage is separate copies strung together.
    """
    a_start, a_end, b_start, b_end = summary
    a_long = a_end - a_start > b_end - b_start
    # The summary's own first or last sentence may lie just outside its matched span:
    # text within half the summary's length of it counts as the summary.
    if a_long:
        slack = (b_end - b_start) // 2
        b_start, b_end = b_start - slack, b_end + slack
    else:
        slack = (a_end - a_start) // 2
        a_start, a_end = a_start - slack, a_end + slack
    for s in found:
        if a_long and _overlaps(s[0], s[1], a_start, a_end) and not _overlaps(s[2], s[3], b_start, b_end):
            return True
        if not a_long and _overlaps(s[2], s[3], b_start, b_end) and not _overlaps(s[0], s[1], a_start, a_end):
            return True
    return False


def _join_pieces(
    spans: list[list[Any]],
    near: int,
    far: int,
    piece: int,
    excluded_a: Sequence[tuple[int, int]] = (),
    excluded_b: Sequence[tuple[int, int]] = (),
    texts: tuple[str, str] | None = None,
) -> list[list[Any]]:
    """Join passages that follow each other on both sides, close on one side and farther on the other.

    Two pieces of one summary (or of one abridged copy) lie next to each
    other in the short text (at most ``near`` characters apart) and apart in
    the long one (at most ``far``, forward, and at least as far as the
    two pieces are long together: what they condense). Only short pieces (at
    most ``piece`` characters on the close side: a sentence or two) join, and
    only neighbours: no other passage may lie between them on either side,
    nor excluded text (page junk, ``excluded_a``/``excluded_b``).
    Copied paragraphs placed side by side stay apart, being longer; so do
    paragraphs copied with one left out between them, and, given the
    ``texts``, pieces in different paragraphs of the short text: an
    abridged copy keeps whole paragraphs, a summary condenses into sentences.
    Passages close on both sides (``near``) always join.

    >>> _join_pieces([[0, 90, 0, 100, None, True], [95, 180, 2000, 2090, None, True]], 100, 6000, 450)
    [[0, 180, 0, 2090, None, False, True]]
    """
    out = sorted(spans, key=lambda s: (s[0], s[2]))
    x = 0
    while x + 1 < len(out):
        p, q = out[x], out[x + 1]
        lo_a, hi_a, lo_b, hi_b = p[0], max(p[1], q[1]), p[2], max(p[3], q[3])
        if (
            _joinable(p, q, near, far, piece, texts)
            and not any(z not in (x, x + 1) and _overlaps(r[2], r[3], lo_b, hi_b) for z, r in enumerate(out))
            and not any(_overlaps(e[0], e[1], lo_a, hi_a) for e in excluded_a)
            and not any(_overlaps(e[0], e[1], lo_b, hi_b) for e in excluded_b)
        ):
            score = p[4] if q[4] is None else (q[4] if p[4] is None else max(p[4], q[4]))
            joined = [lo_a, hi_a, lo_b, hi_b, score, False]
            if _is_summary(p) or _is_summary(q) or not _close_both(p, q, near):
                joined.append(True)
            out[x : x + 2] = [joined]
            x = max(0, x - 1)
        else:
            x += 1
    return out


def _is_summary(span: list[Any]) -> bool:
    """Whether a span is (part of) a summary: its optional seventh item."""
    return len(span) > 6 and bool(span[6])


def _close_both(p: list[Any], q: list[Any], near: int) -> bool:
    return q[0] - p[1] <= near and q[2] - p[3] <= near


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def _joinable(
    p: list[Any], q: list[Any], near: int, far: int, piece: int, texts: tuple[str, str] | None = None
) -> bool:
    """Whether ``q`` follows ``p`` on both sides, within ``near`` on one side and ``far`` on the other."""
    ga, gb = q[0] - p[1], q[2] - p[3]
    if q[2] < p[2] or min(ga, gb) < -near:
        return False
    if ga <= near and gb <= near:
        return True
    # Close on one side only: the pieces condense what lies between them on the
    # other side, which must be at least as long as they are together.
    pieces_a, pieces_b = (p[1] - p[0]) + (q[1] - q[0]), (p[3] - p[2]) + (q[3] - q[2])
    close_a = ga <= near and pieces_a <= gb <= far and max(p[1] - p[0], q[1] - q[0]) <= piece
    close_b = gb <= near and pieces_b <= ga <= far and max(p[3] - p[2], q[3] - q[2]) <= piece
    if texts is not None:
        # Pieces in two paragraphs of the short text are kept paragraphs of an abridgement.
        close_a = close_a and not _BLANK_LINE.search(texts[0], min(p[0], q[0]), max(p[1], q[1]))
        close_b = close_b and not _BLANK_LINE.search(texts[1], min(p[2], q[2]), max(p[3], q[3]))
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


def _gather_summaries(
    spans: list[list[Any]],
    texts: tuple[str, str],
    near: int,
    ratio: float,
    far: int,
    piece: int,
    excluded: tuple[Sequence[tuple[int, int]], Sequence[tuple[int, int]]] = ((), ()),
) -> list[list[Any]]:
    """Join the pieces of one summary paragraph, in any order on the long side.

    A summary written as one paragraph reorders what it condenses: its
    sentences match sentences of the long text in another order, and each
    piece stands alone. Passages whose short sides follow each other closely
    (at most ``near`` characters apart) within one line of the short text,
    none longer than ``piece`` there (sentences, not copied paragraphs), and
    together covering at least half of the line, while their long sides
    spread over a stretch at least ``ratio`` times as long as the short side
    (and at most ``far``), become one summary passage from the first to the
    last character on each side. They stay apart when their long sides go
    back more often than forward (two copies pasted in the other order),
    unless one of them is a summary already; when a passage whose short side
    lies elsewhere lies inside the long stretch (separate copies); or when
    page junk lies in either stretch.
    """
    out = [list(s) for s in spans]
    for short in (0, 1):
        s0, s1, l0, l1 = (0, 1, 2, 3) if short == 0 else (2, 3, 0, 1)
        text = texts[short]
        changed = True
        while changed:
            changed = False
            order = sorted(range(len(out)), key=lambda k: out[k][s0])
            groups: list[list[int]] = []
            for k in order:
                span = out[k]
                line = _line(text, span[s0], span[s1])
                if line is None:
                    groups.append([])
                    continue
                if groups and groups[-1]:
                    last = out[groups[-1][-1]]
                    if (
                        _line(text, last[s0], span[s1]) is not None
                        and span[s0] - max(out[g][s1] for g in groups[-1]) <= near
                    ):
                        groups[-1].append(k)
                        continue
                groups.append([k])
            for group in groups:
                if len(group) < 2:
                    continue
                lo_s, hi_s = min(out[g][s0] for g in group), max(out[g][s1] for g in group)
                line = _line(text, lo_s, hi_s)
                if line is None:
                    continue
                lo_l, hi_l = min(out[g][l0] for g in group), max(out[g][l1] for g in group)
                if hi_l - lo_l < ratio * (hi_s - lo_s) or hi_l - lo_l > far:
                    continue
                if max(out[g][s1] - out[g][s0] for g in group) > piece:
                    continue
                if any(
                    z not in group and _overlaps(r[l0], r[l1], lo_l, hi_l) and not _overlaps(r[s0], r[s1], lo_s, hi_s)
                    for z, r in enumerate(out)
                ):
                    continue
                if any(_overlaps(e[0], e[1], lo_s, hi_s) for e in excluded[short]) or any(
                    _overlaps(e[0], e[1], lo_l, hi_l) for e in excluded[1 - short]
                ):
                    continue
                if hi_s - lo_s < 0.5 * (line[1] - line[0]):
                    continue
                # A summary reorders a little, not mostly: two copies pasted in the other order stay
                # apart, unless one is a summary already (the paragraph's other sentences).
                starts = [out[g][l0] for g in sorted(group, key=lambda g: out[g][s0])]
                back = sum(1 for x, y in zip(starts, starts[1:]) if y < x)
                if back > len(starts) - 1 - back and not any(_is_summary(out[g]) for g in group):
                    continue
                merged: list[Any] = [0, 0, 0, 0, None, False, True]
                merged[s0], merged[s1], merged[l0], merged[l1] = lo_s, hi_s, lo_l, hi_l
                scores = [out[g][4] for g in group if out[g][4] is not None]
                merged[4] = max(scores) if scores else None
                out = [r for z, r in enumerate(out) if z not in group and not (
                    _overlaps(r[0], r[1], merged[0], merged[1]) and _overlaps(r[2], r[3], merged[2], merged[3]))]
                out.append(merged)
                changed = True
                break
    return sorted(out, key=lambda s: (s[0], s[2]))


def _summary_extent(
    spans: list[list[Any]], docs: tuple[PreparedDocument, PreparedDocument], ratio: float, whole: float
) -> list[list[Any]]:
    """Grow each summary passage to the units it stands for: its paragraph, and the whole text it condenses.

    A passage whose one side is at least ``ratio`` times as long as the other
    condenses it (a summary). Its short side grows to the line (paragraph) it
    lies in when it covers at least half of it: a summary is written as a
    paragraph, and its opening or closing words (a framing clause, a general
    remark) match nothing. Its long side grows to the whole document, as far
    as page junk allows, when it already covers at least ``whole`` of the
    document's words and no other passage lies in the document: a summary of
    most of an article condenses the article; what its last sentences say in
    general words matches no sentence, and the closing paragraphs of the
    article are left out of it or condensed into a few words.
    """
    if not spans:
        return spans
    out = [list(s) for s in spans]
    for k, span in enumerate(out):
        if not _is_summary(span):
            continue
        for short in (0, 1):
            s0, s1, l0, l1 = (0, 1, 2, 3) if short == 0 else (2, 3, 0, 1)
            if span[l1] - span[l0] < ratio * (span[s1] - span[s0]):
                continue
            text = docs[short].document.text
            line = _line(text, span[s0], span[s1])
            if line is not None and span[s1] - span[s0] >= 0.5 * (line[1] - line[0]) and not any(
                _overlaps(e[0], e[1], line[0], line[1]) for e in docs[short].excluded
            ):
                span[s0], span[s1] = min(span[s0], line[0]), max(span[s1], line[1])
            tokens = docs[1 - short].tokens
            if not len(tokens) or any(_overlaps(r[l0], r[l1], 0, len(docs[1 - short].document.text))
                                      for z, r in enumerate(out) if z != k):
                continue
            first, last = _token_range(tokens, span[l0], span[l1])
            if last < first or last - first + 1 < whole * len(tokens):
                continue
            lo = max([b for b in tokens.breaks if b <= first], default=0)
            hi = min([b for b in tokens.breaks if b > last], default=len(tokens)) - 1
            span[l0], span[l1] = min(span[l0], tokens.starts[lo]), max(span[l1], tokens.ends[hi])
    return out


def _absorb(spans: list[list[Any]], summary: list[Any]) -> list[list[Any]]:
    """Add a summary span: the spans it overlaps on both sides become part of it.

    A summary's bounds are those of its matched sentences, first to last on
    each side; the passages found inside it (copied or reworded sentences of
    the summary) are pieces of it, not passages of their own.
    """
    out = []
    for s in spans:
        if _overlaps(s[0], s[1], summary[0], summary[1]) and _overlaps(s[2], s[3], summary[2], summary[3]):
            summary[0], summary[1] = min(summary[0], s[0]), max(summary[1], s[1])
            summary[2], summary[3] = min(summary[2], s[2]), max(summary[3], s[3])
            if s[4] is not None:
                summary[4] = max(summary[4], s[4])
        else:
            out.append(s)
    out.append(summary)
    return out


def _one_stretch_one_passage(spans: list[list[Any]]) -> list[list[Any]]:
    kept: list[list[Any]] = []
    for s in sorted(spans, key=lambda s: -((s[1] - s[0]) + (s[3] - s[2]))):
        if any(_mostly_inside(s[0], s[1], k[0], k[1]) or _mostly_inside(s[2], s[3], k[2], k[3]) for k in kept):
            continue
        kept.append(s)
    return kept


def _mostly_inside(s: int, e: int, ks: int, ke: int) -> bool:
    return min(e, ke) - max(s, ks) > 0.5 * (e - s)
