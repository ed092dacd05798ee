"""Semantic alignment: sentences that say the same thing in other words.

Spun copies (machine translation and back, paraphrasers) keep the meaning of
each sentence but few of its word runs. This stage compares every sentence of
*a* with every sentence of *b* by the cosine of their embeddings, and adds
what cosine alone cannot see: two sentences on the same topic that state
different facts score high too, so a match must also share names, numbers
and other rare words, or sit next to other matches (reused text keeps its
order for stretches).

1. **Score.** ``score = cosine + evidence_weight * (evidence - 0.5)``, where
   ``evidence`` is the weighted overlap of the two sentences' content words
   (names and numbers weigh double).
2. **Accept.** A pair is a match when its score reaches ``threshold``, or
   ``support_threshold`` when a neighbouring pair (the sentence before or after
   on both sides) is a match too; support spreads along a run, and mutual
   best matches get ``mutual_bonus`` off the support threshold. Each sentence of *a* keeps its best match, and
   so does each sentence of *b*; a sentence may match up to two adjacent
   sentences of the other side when both score well (one-to-many and
   many-to-one, as when a paragraph is split in two or a summary sentence
   covers several).
3. **Group.** Matches are chained into runs that go forward on both sides
   with at most ``max_gap`` sentences skipped; each run is a passage, so
   passages in a different order in the two documents stay apart.

4. **Summaries.** A short text that summarizes a long passage matches its
   sentences in order but far apart: each summary sentence condenses a few
   source sentences, and the source sentences in between match nothing.
   :func:`align_summaries` chains matches that are dense on one side (at
   most one sentence skipped) and sparse on the other (any gap forward),
   and reports a passage from the first to the last matched sentence of
   the long side when the short side is clearly shorter, most of its steps
   jump over unmatched sentences of the long side (so copied paragraphs,
   which go forward sentence by sentence on both sides, are not strung
   together through one stray same-topic match), and the matches are good
   on average. It is tried with either document as the summary. A
   summary paragraph that reorders what it condenses makes no chain: given
   the line of each sentence, a paragraph most of whose sentences match
   well, jumping over the long side in any order, is a summary too.

The functions here work on sentence indices; :mod:`textreuse.compare` maps
them to character offsets and merges them with lexical passages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


__all__ = ["SemanticOptions", "SentenceMatch", "sentence_evidence", "align_semantic", "align_summaries"]


@dataclass(frozen=True)
class SemanticOptions:
    """Settings of the semantic aligner.

    Attributes:
        threshold: score at which a sentence pair matches on its own.
        support_threshold: lower score accepted next to another match.
        evidence_weight: weight of shared rare words in the score.
        max_gap: sentences allowed between two matches of one passage.
        second_best_margin: a second match of one sentence must score within this of its best.
        single_threshold: least cosine of a passage made of one sentence pair alone.
        mutual_bonus: how much lower the support threshold is for mutual best matches.
        min_words: least content words on each side of a passage (when counts are given):
            a chapter number or a one-word line matches its twin anywhere.
        summary: look for summaries (see :func:`align_summaries`).
        summary_threshold: least score of one summary sentence's match.
        summary_mean: least mean score of the matches of a summary.
        summary_peak: least score of the best match of a summary.
        summary_clear: at least half of the summary sentences must match this well.
        summary_edge: least score of the first and of the last match of a summary
            (weaker ones at the ends are dropped: they would set the span).
        summary_min_sentences: least number of summary sentences matched.
        summary_ratio: least ratio of the long side's span to the summary's span, in content
            words (in sentences when no word counts are given).
        summary_density: least share of the summary span's sentences that are matched.
        summary_spread: least share of chain steps that jump: skip at least two more
            sentences on the long side than on the summary side.
        summary_conflicts: most sentences of the long stretch allowed to match text
            outside the summary (see :func:`_reused_elsewhere`).
        summary_skip: a step jumps when it skips at least this many more sentences on the
            long side than on the summary side.
        summary_jumps: least number of chain steps that jump (as in ``summary_spread``).
        summary_max_jump: most sentences of the long side one step of a summary may skip.
        summary_min_words: least content words of a sentence matched in a summary, on both sides.
        summary_join_near: passages at most this many characters apart on one side, and
        summary_join_far: at most this many forward on the other, join into one
            (the pieces of a summary), when
        summary_join_piece: neither is longer than this on the close side.
        summary_gather_gap: passages at most this many characters apart within one line
            of the short text, in any order on the long side, gather into one summary when
        summary_gather_piece: none is longer than this on the short side, and
        summary_gather_ratio: their long sides spread over at least this many times the
            short side's length (at most ``summary_join_far``); a passage this condensed
            is a summary, whose short side grows to its line and long side to the whole
            document when it covers
        summary_whole: at least this share of the document's words.
        summary_paragraph: most sentences of a summary paragraph whose matches are in no order.
        beside_copy_pairs: least sentence pairs of a semantic passage that stands alone (joins
            no lexical one) in two texts that share a verbatim passage (see :mod:`textreuse.compare`).
    """

    threshold: float = 0.78
    single_threshold: float = 0.88
    support_threshold: float = 0.62
    evidence_weight: float = 0.3
    max_gap: int = 1
    second_best_margin: float = 0.08
    mutual_bonus: float = 0.15
    min_words: int = 4
    summary: bool = True
    summary_threshold: float = 0.5
    summary_mean: float = 0.65
    summary_peak: float = 0.78
    summary_edge: float = 0.6
    summary_clear: float = 0.7
    summary_min_sentences: int = 3
    summary_ratio: float = 2.0
    summary_density: float = 0.6
    summary_spread: float = 0.5
    summary_conflicts: int = 2
    summary_max_jump: int = 40
    summary_jumps: int = 2
    summary_skip: int = 2
    summary_min_words: int = 4
    summary_join_near: int = 100
    summary_join_far: int = 6000
    summary_join_piece: int = 300
    summary_gather_gap: int = 300
    summary_gather_piece: int = 600
    summary_gather_ratio: float = 1.5
    summary_whole: float = 0.5
    summary_paragraph: int = 12
    beside_copy_pairs: int = 3


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


def _weight(word: str, original: str) -> float:
    if any(c.isdigit() for c in word):
        return 2.0
    if original[:1].isupper():
        return 2.0
    return 1.0


def sentence_evidence(words_a: list[dict[str, float]], words_b: list[dict[str, float]]) -> np.ndarray:
    """Weighted overlap of content words for every sentence pair, in ``[0, 1]``.

    Each sentence is a dict from content word to its weight; the overlap is
    the shared weight over the smaller sentence's weight (so a short sentence
    fully contained in a longer one scores 1).
    """
    ev = np.zeros((len(words_a), len(words_b)), dtype=np.float32)
    index: dict[str, list[int]] = {}
    for j, wb in enumerate(words_b):
        for w in wb:
            index.setdefault(w, []).append(j)
    totals_b = [sum(wb.values()) for wb in words_b]
    for i, wa in enumerate(words_a):
        total_a = sum(wa.values())
        if not total_a:
            continue
        shared: dict[int, float] = {}
        for w, weight in wa.items():
            for j in index.get(w, ()):
                shared[j] = shared.get(j, 0.0) + min(weight, words_b[j][w])
        for j, value in shared.items():
            ev[i, j] = value / max(1e-9, min(total_a, totals_b[j]))
    return ev


def align_semantic(
    cosine: np.ndarray,
    evidence: np.ndarray | None = None,
    options: SemanticOptions | None = None,
    breaks_a: frozenset[int] = frozenset(),
    breaks_b: frozenset[int] = frozenset(),
    words_a: Sequence[int] | None = None,
    words_b: Sequence[int] | None = None,
    lines_a: Sequence[int] | None = None,
    lines_b: Sequence[int] | None = None,
) -> list[SentenceMatch]:
    """Sentence-level passages from a cosine matrix (rows: sentences of *a*).

    ``breaks_a``/``breaks_b`` hold the indices of sentences that follow
    removed text (page junk): no passage runs across one. ``words_a``/``words_b``
    (optional) count the content words of each sentence, for
    :func:`align_summaries`.
    """
    opt = options or SemanticOptions()
    if cosine.size == 0:
        return []
    score = cosine.astype(np.float32)
    if evidence is not None:
        score = score + opt.evidence_weight * (evidence - 0.5)
    summaries = (
        align_summaries(score, cosine, opt, breaks_a, breaks_b, words_a, words_b, lines_a, lines_b)
        if opt.summary else []
    )
    na, nb = score.shape
    strong = score >= opt.threshold
    # Mutual best matches may lean on their neighbours a little more.
    best_b = score.argmax(axis=1)
    best_a = score.argmax(axis=0)
    mutual = np.zeros_like(strong)
    rows = np.arange(na)
    mutual[rows, best_b] = best_a[best_b] == rows
    weak = (score >= opt.support_threshold) | (mutual & (score >= opt.support_threshold - opt.mutual_bonus))
    # Neighbour support spreads along a run: a weak pair next to an accepted
    # one (the sentence before or after on both sides) is accepted in turn.
    accepted = strong.copy()
    for _ in range(max(na, nb)):
        support = np.zeros_like(accepted)
        support[1:, 1:] |= accepted[:-1, :-1]
        support[:-1, :-1] |= accepted[1:, 1:]
        grown = accepted | (weak & support)
        if (grown == accepted).all():
            break
        accepted = grown
    # Keep, for every sentence, its best match and a close second next to it.
    keep = np.zeros_like(accepted)
    keep[rows, best_b] = True
    keep[best_a, np.arange(nb)] = True
    row_best = score[rows, best_b][:, None]
    col_best = score[best_a, np.arange(nb)][None, :]
    near_row = score >= row_best - opt.second_best_margin
    near_col = score >= col_best - opt.second_best_margin
    keep |= near_row & near_col
    accepted &= keep
    pairs = [(int(i), int(j)) for i, j in zip(*np.nonzero(accepted))]
    out = list(summaries)
    for group in _runs(pairs, opt.max_gap, breaks_a, breaks_b):
        ia = [p[0] for p in group]
        ib = [p[1] for p in group]
        mean = float(np.mean([cosine[i, j] for i, j in group]))
        if len(group) == 1 and mean < opt.single_threshold:
            continue
        if _too_few_words(set(ia), words_a, opt.min_words) or _too_few_words(set(ib), words_b, opt.min_words):
            continue
        out.append(SentenceMatch(min(ia), max(ia), min(ib), max(ib), len(group), mean))
    out.sort(key=lambda m: (m.a_first, m.b_first))
    return out


def _too_few_words(sentences: set[int], words: Sequence[int] | None, least: int) -> bool:
    return words is not None and sum(words[k] for k in sentences) < least


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
    sizes: tuple[np.ndarray, np.ndarray],
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
        chain = _best_chain(cands, score, opt.summary_threshold, breaks, opt.summary_max_jump)
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
    sizes: tuple[np.ndarray, np.ndarray],
    lines: Sequence[int],
    used: set[int],
) -> list[SentenceMatch]:
    """Summary paragraphs of the rows whose sentences match the columns in any order.

    A summary written as one paragraph may reorder what it condenses, so its
    matches make no chain. A paragraph (``lines``: the line of each row) not
    taken by a chain is a summary when at least half of its sentences (of
    ``summary_min_words`` content words or more; at least
    ``summary_min_sentences``) match a column at ``summary_clear``, two of
    them at ``threshold``, and the columns they match span at least
    ``summary_ratio`` times the paragraph's words, with at most
    ``summary_conflicts`` sentences in that span matching text outside the
    paragraph.
    """
    out: list[SentenceMatch] = []
    size_rows, size_cols = sizes
    blocks: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        blocks.setdefault(line, []).append(i)
    for rows in blocks.values():
        # Sentences a lexical passage matched (cosine 1: anchors) are copies, not a summary's;
        # and a summary is a paragraph, not a whole text of one line.
        if any(i in used for i in rows) or len(rows) > opt.summary_paragraph or (cos[rows] >= 0.999).any():
            continue
        eligible = [i for i in rows if score[i].any()]  # rows of too few words are zero (align_summaries)
        best = {i: int(score[i].argmax()) for i in eligible}
        good = [i for i in eligible if score[i, best[i]] >= opt.summary_clear]
        if len(good) < max(opt.summary_min_sentences, 0.5 * len(eligible)):
            continue
        if sum(1 for i in good if score[i, best[i]] >= opt.threshold) < 2:
            continue
        chain = sorted((i, best[i]) for i in good)
        cols = [j for _, j in chain]
        # The summarized stretch is one text, as long as a chain may jump, not matches scattered over a book.
        if max(cols) - min(cols) > opt.summary_max_jump:
            continue
        # And the matches jump over the long side, forward or back, as a chain's do: sentence after
        # sentence of a reworded copy goes on with the next sentence of its source.
        steps = [(i2 - i1, abs(j2 - j1)) for (i1, j1), (i2, j2) in zip(chain, chain[1:])]
        if sum(1 for di, dj in steps if dj >= di + opt.summary_skip) < opt.summary_jumps:
            continue
        cols = [j for _, j in chain]
        short = float(size_rows[rows[0] : rows[-1] + 1].sum())
        if float(size_cols[min(cols) : max(cols) + 1].sum()) < opt.summary_ratio * short:
            continue
        if _reused_elsewhere(chain, score, opt.threshold) > opt.summary_conflicts:
            continue
        mean = float(np.mean([cos[i, j] for i, j in chain]))
        out.append(SentenceMatch(chain[0][0], chain[-1][0], min(cols), max(cols), len(chain), mean, True, False))
    return out


def _best_chain(
    cands: list[tuple[int, int]], score: np.ndarray, base: float, breaks: frozenset[int], max_jump: int
) -> list[tuple[int, int]]:
    """The chain of candidates with the highest total ``score - base``, forward on both sides.

    A step goes to the next row or the one after (the row side is the
    summary: dense), to a column at or after the last one, at most
    ``max_jump`` further; or stays on
    the row and moves to one of the next two columns (a summary sentence
    condensing adjacent sentences). No step crosses a break on the row side.
    """
    cands = sorted(cands)
    value = [float(score[i, j]) - base for i, j in cands]
    total = value[:]
    back = [-1] * len(cands)
    for c, (i, j) in enumerate(cands):
        for p in range(c - 1, -1, -1):
            pi, pj = cands[p]
            if i - pi > 2:
                break
            if i > pi and (i in breaks or (i - pi == 2 and i - 1 in breaks)):
                continue
            step = (i > pi and 0 <= j - pj <= max_jump) or (i == pi and 1 <= j - pj <= 2)
            if step and total[p] + value[c] > total[c]:
                total[c], back[c] = total[p] + value[c], p
    c = int(np.argmax(total))
    chain = []
    while c >= 0:
        chain.append(cands[c])
        c = back[c]
    return chain[::-1]


def _trim(chain: list[tuple[int, int]], score: np.ndarray, least: float) -> list[tuple[int, int]]:
    """The chain without weak matches at its ends: the ends set the span, so they must be sure."""
    first, last = 0, len(chain)
    while first < last and score[chain[first]] < least:
        first += 1
    while last > first and score[chain[last - 1]] < least:
        last -= 1
    return chain[first:last]


def _is_summary(
    chain: list[tuple[int, int]],
    score: np.ndarray,
    opt: SemanticOptions,
    sizes: tuple[np.ndarray, np.ndarray] | None = None,
) -> bool:
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
    best = {}
    for (i, _), v in zip(chain, scores):
        best[i] = max(best.get(i, 0.0), v)
    if sum(1 for v in best.values() if v >= opt.summary_clear) < 0.5 * len(best):
        return False
    return _reused_elsewhere(chain, score, opt.threshold) <= opt.summary_conflicts


def _reused_elsewhere(chain: list[tuple[int, int]], score: np.ndarray, threshold: float) -> int:
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


def _runs(
    pairs: list[tuple[int, int]],
    max_gap: int,
    breaks_a: frozenset[int] = frozenset(),
    breaks_b: frozenset[int] = frozenset(),
) -> list[list[tuple[int, int]]]:
    """Chain sentence matches into runs that go forward on both sides.

    A match continues a run when it comes at most ``max_gap + 1`` sentences
    after the run's last match on both sides (or on the same sentence of one
    side: one-to-many and many-to-one). Passages in a different order in the
    two documents form separate runs.
    """
    runs: list[list[tuple[int, int]]] = []
    for i, j in sorted(pairs):
        best = None
        for run in runs:
            li, lj = run[-1]
            di, dj = i - li, j - lj
            crosses = any(k in breaks_a for k in range(li + 1, i + 1)) or any(
                k in breaks_b for k in range(lj + 1, j + 1)
            )
            if 0 <= di <= max_gap + 1 and 0 <= dj <= max_gap + 1 and (di, dj) != (0, 0) and not crosses:
                if best is None or (di + dj) < best[0]:
                    best = (di + dj, run)
        if best is None:
            runs.append([(i, j)])
        else:
            best[1].append((i, j))
    return runs
