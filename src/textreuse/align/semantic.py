"""Semantic alignment: sentences that say the same thing in other words.

Spun copies (machine translation and back, paraphrasers) keep the meaning of
each sentence but few of its word runs. This stage compares every sentence of
*a* with every sentence of *b* by the cosine of their embeddings, and adds
what cosine alone cannot see: two sentences on the same topic that state
different facts score high too, so a match must also share names, numbers
and other rare words, or sit next to other matches (reused text keeps its
order for stretches).

1. **Score.** ``score = cosine + evidence_weight * (evidence - evidence_neutral)``, where
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
   sentences in order but far apart; :func:`align_summaries`
   (:mod:`textreuse.align.summary_chains`) finds such passages too.

The functions here work on sentence indices; :mod:`textreuse.align.merge` maps
them to character offsets and merges them with lexical passages.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from textreuse.align.options import SemanticOptions
from textreuse.align.spans import SentenceMatch
from textreuse.align.summary_chains import align_summaries

__all__ = [
    "SemanticOptions",
    "SentenceMatch",
    "align_semantic",
    "align_summaries",
    "sentence_evidence",
    "sentence_scores",
]

# Guards the division of sentence_evidence against empty sentences.
_TINY = 1e-9


def sentence_evidence(words_a: list[dict[str, float]], words_b: list[dict[str, float]]) -> np.ndarray:
    """Weighted overlap of content words for every sentence pair, in ``[0, 1]``.

    Each sentence is a dict from content word to its weight; the overlap is
    the shared weight over the smaller sentence's weight (so a short sentence
    fully contained in a longer one scores 1). Computed on arrays: every
    occurrence of a word in *a* meets every occurrence of it in *b*.
    """
    ev = np.zeros((len(words_a), len(words_b)), dtype=np.float32)
    vocab: dict[str, int] = {}
    sent_a, word_a, weight_a = _flat(words_a, vocab)
    sent_b, word_b, weight_b = _flat(words_b, vocab)
    if not len(sent_a) or not len(sent_b):
        return ev
    order = np.argsort(word_b, kind="stable")
    sent_b, word_b, weight_b = sent_b[order], word_b[order], weight_b[order]
    first = np.searchsorted(word_b, word_a, side="left")
    count = np.searchsorted(word_b, word_a, side="right") - first
    # Each occurrence in a, repeated once per occurrence of its word in b.
    at_a = np.repeat(np.arange(len(word_a)), count)
    starts = np.repeat(first - np.cumsum(count) + count, count)
    at_b = starts + np.arange(len(at_a))
    nb = len(words_b)
    cell = sent_a[at_a] * nb + sent_b[at_b]
    shared = np.bincount(cell, weights=np.minimum(weight_a[at_a], weight_b[at_b]), minlength=len(words_a) * nb)
    shared = shared.reshape(len(words_a), nb)
    totals_a = np.bincount(sent_a, weights=weight_a, minlength=len(words_a))
    totals_b = np.bincount(sent_b, weights=weight_b, minlength=nb)
    smaller = np.maximum(_TINY, np.minimum(totals_a[:, None], totals_b[None, :]))
    hit = shared > 0
    ev[hit] = (shared / smaller)[hit]
    return ev


def _flat(words: list[dict[str, float]], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sentence number, word number (in ``vocab``, grown) and weight of every content word of ``words``."""
    sent, word, weight = [], [], []
    for n, bag in enumerate(words):
        for w, x in bag.items():
            sent.append(n)
            word.append(vocab.setdefault(w, len(vocab)))
            weight.append(x)
    return np.asarray(sent, np.int64), np.asarray(word, np.int64), np.asarray(weight, np.float64)


def sentence_scores(cosine: np.ndarray, evidence: np.ndarray | None, options: SemanticOptions) -> np.ndarray:
    """The score of every sentence pair: its cosine, moved by the evidence of shared words (if given)."""
    score: np.ndarray = cosine.astype(np.float32)
    if evidence is not None:
        score = score + options.evidence_weight * (evidence - options.evidence_neutral)
    return score


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
    :func:`align_summaries`; ``lines_a``/``lines_b`` give the line (paragraph)
    of each sentence, for summary paragraphs.
    """
    opt = options or SemanticOptions()
    if cosine.size == 0:
        return []
    score = sentence_scores(cosine, evidence, opt)
    summaries = (
        align_summaries(score, cosine, opt, breaks_a, breaks_b, words_a, words_b, lines_a, lines_b)
        if opt.summary
        else []
    )
    pairs = [(int(i), int(j)) for i, j in zip(*np.nonzero(_accepted(score, opt)))]
    out = list(summaries)
    groups = _runs(pairs, opt.max_gap, breaks_a, breaks_b)
    for group in groups + _shuffled_blocks(
        score, opt, breaks_a, breaks_b, {p for g in groups if len(g) > 1 for p in g}
    ):
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


def _accepted(score: np.ndarray, opt: SemanticOptions) -> np.ndarray:
    """The sentence pairs that match: strong ones, weak ones next to a match, each sentence's best ones."""
    na, nb = score.shape
    strong = score >= opt.threshold
    # Mutual best matches may lean on their neighbours a little more.
    best_b = score.argmax(axis=1)
    best_a = score.argmax(axis=0)
    mutual = np.zeros_like(strong)
    rows = np.arange(na)
    mutual[rows, best_b] = best_a[best_b] == rows
    weak = (score >= opt.support_threshold) | (mutual & (score >= opt.support_threshold - opt.mutual_bonus))
    accepted = _supported(strong, weak)
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
    return accepted


def _supported(strong: np.ndarray, weak: np.ndarray) -> np.ndarray:
    """The strong pairs, and the weak pairs next to an accepted one, spread along runs.

    A weak pair next to an accepted one (the sentence before or after on
    both sides) is accepted in turn.
    """
    accepted = strong.copy()
    for _ in range(max(strong.shape)):
        support = np.zeros_like(accepted)
        support[1:, 1:] |= accepted[:-1, :-1]
        support[:-1, :-1] |= accepted[1:, 1:]
        grown = accepted | (weak & support)
        if (grown == accepted).all():
            break
        accepted = grown
    return accepted


def _shuffled_blocks(
    score: np.ndarray,
    opt: SemanticOptions,
    breaks_a: frozenset[int],
    breaks_b: frozenset[int],
    taken: set[tuple[int, int]],
) -> list[list[tuple[int, int]]]:
    """Mutual best sentence pairs close on both sides, in any order: a passage whose sentences were shuffled.

    Taken in order along *a*, a pair joins the block before it when it lies
    at most ``block_reach`` sentences after the block's last pair on *a* and
    as near one of its pairs on *b* (no break between); a block needs ``block_pairs`` pairs scoring
    ``block_threshold`` or more, one of them ``threshold`` (a match on its
    own). Pairs of runs of two or more (``taken``) are left to those runs.
    """
    if opt.block_pairs <= 0:
        return []
    best_b, best_a = score.argmax(axis=1), score.argmax(axis=0)
    mutual = [
        (i, int(j))
        for i, j in enumerate(best_b)
        if best_a[j] == i and score[i, j] >= opt.block_threshold and (i, int(j)) not in taken
    ]
    blocks: list[list[tuple[int, int]]] = []
    for i, j in mutual:  # sorted by i
        near = blocks[-1] if blocks else []
        if near and i - near[-1][0] <= opt.block_reach and any(abs(j - q) <= opt.block_reach for _, q in near):
            lo_a, lo_b = near[-1][0], min(j, *(q for _, q in near))
            hi_b = max(j, *(q for _, q in near))
            if not any(k in breaks_a for k in range(lo_a + 1, i + 1)) and not any(
                k in breaks_b for k in range(lo_b + 1, hi_b + 1)
            ):
                near.append((i, j))
                continue
        blocks.append([(i, j)])
    return [b for b in blocks if len(b) >= opt.block_pairs and max(float(score[i, j]) for i, j in b) >= opt.threshold]


def _too_few_words(sentences: set[int], words: Sequence[int] | None, least: int) -> bool:
    return words is not None and sum(words[k] for k in sentences) < least


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
