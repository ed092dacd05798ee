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

The functions here work on sentence indices; :mod:`textreuse.compare` maps
them to character offsets and merges them with lexical passages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


__all__ = ["SemanticOptions", "SentenceMatch", "sentence_evidence", "align_semantic"]


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
    """

    threshold: float = 0.78
    single_threshold: float = 0.88
    support_threshold: float = 0.62
    evidence_weight: float = 0.3
    max_gap: int = 1
    second_best_margin: float = 0.08
    mutual_bonus: float = 0.15


@dataclass(frozen=True)
class SentenceMatch:
    """A passage found by the semantic aligner, in sentence indices (inclusive)."""

    a_first: int
    a_last: int
    b_first: int
    b_last: int
    pairs: int
    score: float  # mean cosine of the matched sentence pairs


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
) -> list[SentenceMatch]:
    """Sentence-level passages from a cosine matrix (rows: sentences of *a*).

    ``breaks_a``/``breaks_b`` hold the indices of sentences that follow
    removed text (page junk): no passage runs across one.
    """
    opt = options or SemanticOptions()
    if cosine.size == 0:
        return []
    score = cosine.astype(np.float32)
    if evidence is not None:
        score = score + opt.evidence_weight * (evidence - 0.5)
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
    if not pairs:
        return []
    out = []
    for group in _runs(pairs, opt.max_gap, breaks_a, breaks_b):
        ia = [p[0] for p in group]
        ib = [p[1] for p in group]
        mean = float(np.mean([cosine[i, j] for i, j in group]))
        if len(group) == 1 and mean < opt.single_threshold:
            continue
        out.append(SentenceMatch(min(ia), max(ia), min(ib), max(ib), len(group), mean))
    out.sort(key=lambda m: (m.a_first, m.b_first))
    return out


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
