"""Summaries in sentence indices: chains of sentence matches dense on one side and sparse on the other.

A short text that summarizes a long passage matches its sentences in order
but far apart: each summary sentence condenses a few source sentences, and
the source sentences in between match nothing. :func:`align_summaries`
chains matches that are dense on one side (at most one sentence skipped) and
sparse on the other (any gap forward), and reports a passage from the first
to the last matched sentence of the long side when the short side is clearly
shorter, most of its steps jump over unmatched sentences of the long side
(so copied paragraphs, which go forward sentence by sentence on both sides,
are not strung together through one stray same-topic match), and the matches
are good on average. It is tried with either document as the summary. A
summary paragraph that reorders what it condenses makes no chain: given the
line of each sentence, a paragraph most of whose sentences match well,
jumping over the long side in any order, is a summary too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from textreuse.align.options import SemanticOptions
from textreuse.align.spans import SentenceMatch

__all__ = ["align_summaries"]

Pair = tuple[int, int]
Sizes = tuple[np.ndarray, np.ndarray]

# Sentences a lexical passage matched are given cosine 1 (see textreuse.align.merge): at or above
# this they are anchors, not a summary's matches.
_ANCHOR = 0.999


def align_summaries(
    score: np.ndarray,
    cosine: np.ndarray | None = None,
    options: SemanticOptions | None = None,
    breaks_a: frozenset[int] = frozenset(),
    breaks_b: frozenset[int] = frozenset(),
    words_a: Sequence[int] | None = None,
    words_b: Sequence[int] | None = None,
    lines_a: Sequence[int] | None = None,
    lines_b: Sequence[int] | None = None,
) -> list[SentenceMatch]:
    """Passages where one side summarizes a longer stretch of the other.

    ``score`` is the sentence-pair score matrix (rows: sentences of *a*);
    ``cosine`` (default: ``score``) gives the reported mean. Both
    orientations are tried: *a* summarizing part of *b*, and *b* part of *a*.
    Sentences with fewer than ``summary_min_words`` content words (counted in
    ``words_a``/``words_b`` when given) take no part: a heading or a
    one-word line repeated through a text would chain anything.

    >>> s = np.zeros((4, 12), np.float32)
    >>> for i, j in [(0, 0), (1, 3), (2, 7), (3, 11)]:
    ...     s[i, j] = 0.85
    >>> [(m.a_first, m.a_last, m.b_first, m.b_last) for m in align_summaries(s)]
    [(0, 3, 0, 11)]
    """
    opt = options or SemanticOptions()
    cos = score if cosine is None else cosine
    score = score.copy()
    na, nb = score.shape
    size_a = np.asarray(words_a, dtype=np.float64) if words_a is not None else np.ones(na)
    size_b = np.asarray(words_b, dtype=np.float64) if words_b is not None else np.ones(nb)
    if words_a is not None:
        score[size_a < opt.summary_min_words, :] = 0.0
    if words_b is not None:
        score[:, size_b < opt.summary_min_words] = 0.0
    out = [m for m in _summaries(score, cos, opt, breaks_a, (size_a, size_b), lines_a)]
    for m in _summaries(score.T, cos.T, opt, breaks_b, (size_b, size_a), lines_b):
        out.append(SentenceMatch(m.b_first, m.b_last, m.a_first, m.a_last, m.pairs, m.score, True, m.ordered))
    return out


def _summaries(
    score: np.ndarray,
    cos: np.ndarray,
    opt: SemanticOptions,
    breaks: frozenset[int],
    sizes: Sizes,
    lines: Sequence[int] | None = None,
) -> list[SentenceMatch]:
    """Summaries on the row side of ``score``: chains dense on the rows, sparse on the columns.

    ``sizes`` holds the length of every row and of every column sentence
    (content words, or 1 each), to compare the lengths of the two sides.
    """
    if score.size == 0:
        return []
    row_best = score.max(axis=1, keepdims=True)
    ok = (score >= opt.summary_threshold) & (score >= row_best - opt.second_best_margin)
    cands = [(int(i), int(j)) for i, j in zip(*np.nonzero(ok))]
    out: list[SentenceMatch] = []
    used: set[int] = set()
    while cands:
        chain = _best_chain(cands, score, breaks, opt)
        if len(chain) < 2:
            break
        rows = sorted({i for i, _ in chain})
        used.update(range(rows[0], rows[-1] + 1))
        chain = _trim(chain, score, opt.summary_edge)
        if chain and _is_summary(chain, score, opt, sizes):
            rows = sorted({i for i, _ in chain})
            cols = [j for _, j in chain]
            mean = float(np.mean([cos[i, j] for i, j in chain]))
            out.append(SentenceMatch(rows[0], rows[-1], min(cols), max(cols), len(chain), mean, True))
        cands = [c for c in cands if c[0] not in used]
    if lines is not None:
        taken = {i for m in out for i in range(m.a_first, m.a_last + 1)}
        out += _paragraph_summaries(score, cos, opt, sizes, lines, taken)
    return out


def _paragraph_summaries(
    score: np.ndarray,
    cos: np.ndarray,
    opt: SemanticOptions,
    sizes: Sizes,
    lines: Sequence[int],
    used: set[int],
) -> list[SentenceMatch]:
    """Summary paragraphs of the rows whose sentences match the columns in any order.

    A summary written as one paragraph may reorder what it condenses, so its
    matches make no chain. A paragraph (``lines``: the line of each row) not
    taken by a chain is a summary when at least ``summary_clear_share`` of its
    sentences (of ``summary_min_words`` content words or more; at least
    ``summary_min_sentences``) match a column at ``summary_clear``,
    ``summary_sure`` of them at ``threshold``, and the columns they match span at least
    ``summary_ratio`` times the paragraph's words, with at most
    ``summary_conflicts`` sentences in that span matching text outside the
    paragraph.
    """
    out: list[SentenceMatch] = []
    blocks: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        blocks.setdefault(line, []).append(i)
    for rows in blocks.values():
        # Sentences a lexical passage matched (cosine 1: anchors) are copies, not a summary's;
        # and a summary is a paragraph, not a whole text of one line.
        if any(i in used for i in rows) or len(rows) > opt.summary_paragraph or (cos[rows] >= _ANCHOR).any():
            continue
        chain = _paragraph_chain(score, opt, rows)
        if chain is None or not _condenses(chain, score, opt, sizes, rows):
            continue
        cols = [j for _, j in chain]
        mean = float(np.mean([cos[i, j] for i, j in chain]))
        out.append(SentenceMatch(chain[0][0], chain[-1][0], min(cols), max(cols), len(chain), mean, True, False))
    return out


def _paragraph_chain(score: np.ndarray, opt: SemanticOptions, rows: list[int]) -> list[Pair] | None:
    """The best match of each sentence of a paragraph that matches clearly, if enough do."""
    eligible = [i for i in rows if score[i].any()]  # rows of too few words are zero (align_summaries)
    best = {i: int(score[i].argmax()) for i in eligible}
    good = [i for i in eligible if score[i, best[i]] >= opt.summary_clear]
    if len(good) < max(opt.summary_min_sentences, opt.summary_clear_share * len(eligible)):
        return None
    if sum(1 for i in good if score[i, best[i]] >= opt.threshold) < opt.summary_sure:
        return None
    return sorted((i, best[i]) for i in good)


def _condenses(chain: list[Pair], score: np.ndarray, opt: SemanticOptions, sizes: Sizes, rows: list[int]) -> bool:
    """Whether a paragraph's matches jump over one longer stretch of the other text, reused nowhere else."""
    size_rows, size_cols = sizes
    cols = [j for _, j in chain]
    # The summarized stretch is one text, as long as a chain may jump, not matches scattered over a book.
    if max(cols) - min(cols) > opt.summary_max_jump:
        return False
    # And the matches jump over the long side, forward or back, as a chain's do: sentence after
    # sentence of a reworded copy goes on with the next sentence of its source.
    steps = [(i2 - i1, abs(j2 - j1)) for (i1, j1), (i2, j2) in zip(chain, chain[1:])]
    if sum(1 for di, dj in steps if dj >= di + opt.summary_skip) < opt.summary_jumps:
        return False
    short = float(size_rows[rows[0] : rows[-1] + 1].sum())
    if float(size_cols[min(cols) : max(cols) + 1].sum()) < opt.summary_ratio * short:
        return False
    return _reused_elsewhere(chain, score, opt.threshold) <= opt.summary_conflicts


def _best_chain(cands: list[Pair], score: np.ndarray, breaks: frozenset[int], opt: SemanticOptions) -> list[Pair]:
    """The chain of candidates with the highest total ``score - summary_threshold``, forward on both sides.

    A step goes to one of the next ``summary_dense_step`` rows (the row side
    is the summary: dense), to a column at or after the last one, at most
    ``summary_max_jump`` further; or stays on the row and moves to one of
    the next ``summary_fan`` columns (a summary sentence condensing adjacent
    sentences). No step crosses a break on the row side.
    """
    cands = sorted(cands)
    value = [float(score[i, j]) - opt.summary_threshold for i, j in cands]
    total = value[:]
    back = [-1] * len(cands)
    for c, (i, j) in enumerate(cands):
        for p in range(c - 1, -1, -1):
            pi, pj = cands[p]
            if i - pi > opt.summary_dense_step:
                break
            if i > pi and not breaks.isdisjoint(range(pi + 1, i + 1)):
                continue
            step = (i > pi and 0 <= j - pj <= opt.summary_max_jump) or (i == pi and 1 <= j - pj <= opt.summary_fan)
            if step and total[p] + value[c] > total[c]:
                total[c], back[c] = total[p] + value[c], p
    c = int(np.argmax(total))
    chain = []
    while c >= 0:
        chain.append(cands[c])
        c = back[c]
    return chain[::-1]


def _trim(chain: list[Pair], score: np.ndarray, least: float) -> list[Pair]:
    """The chain without weak matches at its ends: the ends set the span, so they must be sure."""
    first, last = 0, len(chain)
    while first < last and score[chain[first]] < least:
        first += 1
    while last > first and score[chain[last - 1]] < least:
        last -= 1
    return chain[first:last]


def _is_summary(chain: list[Pair], score: np.ndarray, opt: SemanticOptions, sizes: Sizes | None = None) -> bool:
    """Whether a chain looks like a summary of a longer stretch (see :class:`SemanticOptions`)."""
    rows = sorted({i for i, _ in chain})
    cols = [j for _, j in chain]
    row_span = rows[-1] - rows[0] + 1
    if len(rows) < opt.summary_min_sentences or len(rows) < opt.summary_density * row_span:
        return False
    size_rows, size_cols = sizes if sizes is not None else (np.ones(score.shape[0]), np.ones(score.shape[1]))
    short = float(size_rows[rows[0] : rows[-1] + 1].sum())
    long = float(size_cols[min(cols) : max(cols) + 1].sum())
    if long < opt.summary_ratio * short:
        return False
    steps = [(b[0] - a[0], b[1] - a[1]) for a, b in zip(chain, chain[1:]) if b[0] > a[0]]
    jumps = sum(1 for di, dj in steps if dj >= di + opt.summary_skip)
    if jumps < opt.summary_jumps or jumps < opt.summary_spread * len(steps):
        return False
    scores = [float(score[i, j]) for i, j in chain]
    if float(np.mean(scores)) < opt.summary_mean or max(scores) < opt.summary_peak:
        return False
    best: dict[int, float] = {}
    for (i, _), v in zip(chain, scores):
        best[i] = max(best.get(i, 0.0), v)
    if sum(1 for v in best.values() if v >= opt.summary_clear) < opt.summary_clear_share * len(best):
        return False
    return _reused_elsewhere(chain, score, opt.threshold) <= opt.summary_conflicts


def _reused_elsewhere(chain: list[Pair], score: np.ndarray, threshold: float) -> int:
    """Sentences of the chain's long-side stretch that match text outside its summary side.

    What a summary condenses is not reused anywhere else in the summarizing
    text; a stretch whose skipped sentences match other parts of it holds
    separate copies, strung together by the chain.
    """
    rows = [i for i, _ in chain]
    cols = {j for _, j in chain}
    first, last = min(rows), max(rows)
    outside = np.ones(score.shape[0], dtype=bool)
    outside[first : last + 1] = False
    if not outside.any():
        return 0
    lo, hi = min(cols), max(cols)
    best = score[outside, lo : hi + 1].max(axis=0)
    return int(sum(1 for k, v in enumerate(best) if v >= threshold and lo + k not in cols))
