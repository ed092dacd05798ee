"""Candidate pairs: which documents are worth aligning, without comparing all pairs.

Documents that share text share rare word n-grams. An inverted index from
each n-gram of content words (function words dropped, as in
:mod:`textreuse.segment`) to the documents holding it finds every pair that
shares at least ``min_shared`` of them. N-grams found in more than ``max_df``
documents (boilerplate, common phrases) are skipped, as passim does, which
keeps the work proportional to the rare, informative n-grams.

>>> from textreuse.compare import prepare
>>> docs = [prepare(t) for t in [
...     "The river flooded the old mill district after three days of heavy rain.",
...     "After three days of heavy rain the river flooded the old mill district, officials said.",
...     "A bakery opened downtown on Friday."]]
>>> candidate_pairs([d.tokens for d in docs], n=2, min_shared=2)
[(0, 1, 7)]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from .segment import STOPWORDS, Tokens

__all__ = ["shingles", "candidate_pairs"]


def shingles(tokens: Tokens, n: int = 3) -> set[tuple[str, ...]]:
    """The set of n-grams of consecutive content words of one document."""
    words = [k for k in tokens.keys if k not in STOPWORDS and (len(k) > 1 or k.isdigit())]
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def candidate_pairs(
    documents: Sequence[Tokens],
    *,
    n: int = 3,
    min_shared: int = 2,
    max_df: int | None = None,
) -> list[tuple[int, int, int]]:
    """Pairs ``(i, j, shared)`` with ``i < j`` sharing at least ``min_shared`` rare n-grams.

    ``max_df`` defaults to ``max(50, 5% of the documents)``.
    """
    cap = max_df if max_df is not None else max(50, len(documents) // 20)
    postings: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, tokens in enumerate(documents):
        for g in shingles(tokens, n):
            postings[g].append(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for docs in postings.values():
        if 1 < len(docs) <= cap:
            for x in range(len(docs)):
                for y in range(x + 1, len(docs)):
                    shared[(docs[x], docs[y])] += 1
    return sorted((i, j, c) for (i, j), c in shared.items() if c >= min_shared)
