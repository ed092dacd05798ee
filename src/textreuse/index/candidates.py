"""Candidate pairs: which documents are worth aligning, without comparing all pairs.

Documents that share text share rare word n-grams. An inverted index from
each n-gram of content words (function words dropped, as in
:mod:`textreuse.text.segment`) to the documents holding it finds every pair that
shares at least ``min_shared`` of them. N-grams found in more than ``max_df``
documents (boilerplate, common phrases) are skipped, as passim does, which
keeps the work proportional to the rare, informative n-grams.

Two forms of the same search:

- :func:`candidate_pairs` works on n-gram tuples in memory (small collections,
  the ``find INPUT...`` command);
- :func:`gram_hashes` turns a document into a sorted array of stable 64-bit
  n-gram hashes (what the index stores), and :func:`pairs_from_postings`
  finds the pairs from the concatenated postings of a whole index with numpy.

>>> from textreuse.prepare import prepare
>>> docs = [prepare(t) for t in [
...     "The river flooded the old mill district after three days of heavy rain.",
...     "After three days of heavy rain the river flooded the old mill district, officials said.",
...     "A bakery opened downtown on Friday."]]
>>> candidate_pairs([d.tokens for d in docs], n=2, min_shared=2)
[(0, 1, 7)]
>>> hashes = [gram_hashes(d.tokens, n=2) for d in docs]
>>> pairs_from_postings(hashes, min_shared=2).tolist()
[[0, 1, 7]]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from textreuse.index.fingerprints import GRAM_SIZE, content_words, fingerprint
from textreuse.text.segment import Tokens

__all__ = [
    "content_words",
    "shingles",
    "candidate_pairs",
    "gram_hashes",
    "pairs_from_postings",
    "default_max_df",
    "inverted",
    "inverted_runs",
    "DF_FLOOR",
    "DF_DIVISOR",
]

# The document-frequency cap when none is given: n-grams in more than max(DF_FLOOR, one
# document in DF_DIVISOR) documents are not evidence.
DF_FLOOR = 50
DF_DIVISOR = 20
# Pair keys held in memory before they are counted and compacted.
_COMPACT_AT = 20_000_000


# In-memory candidates (:func:`candidate_pairs`): fewest rare n-grams a pair shares.
MIN_SHARED = 2


def shingles(tokens: Tokens, n: int = GRAM_SIZE) -> set[tuple[str, ...]]:
    """The set of n-grams of consecutive content words of one document."""
    words = content_words(tokens)
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def default_max_df(n_documents: int, *, floor: int = DF_FLOOR, divisor: int = DF_DIVISOR) -> int:
    """The document-frequency cap used when none is given: ``max(floor, n_documents // divisor)`` (50, 5%)."""
    return max(floor, n_documents // divisor)


def candidate_pairs(
    documents: Sequence[Tokens],
    *,
    n: int = GRAM_SIZE,
    min_shared: int = MIN_SHARED,
    max_df: int | None = None,
) -> list[tuple[int, int, int]]:
    """Pairs ``(i, j, shared)`` with ``i < j`` sharing at least ``min_shared`` rare n-grams.

    ``max_df`` defaults to :func:`default_max_df`.
    """
    cap = max_df if max_df is not None else default_max_df(len(documents))
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


def gram_hashes(tokens: Tokens, n: int = GRAM_SIZE) -> np.ndarray:
    """Sorted, distinct, stable 64-bit hashes of a document's content-word n-grams.

    Stable across processes and runs (:func:`textreuse.common.hashing.hash64` of the
    n-gram's words), so they can be stored in an index and compared with a later
    query's: the hashes of :func:`textreuse.index.fingerprints.fingerprint`.

    >>> from textreuse.prepare import prepare
    >>> h = gram_hashes(prepare("Heavy rain flooded the old mill district again.").tokens)
    >>> h.dtype, len(h)
    (dtype('int64'), 4)
    """
    return fingerprint(tokens, n).grams


def pairs_from_postings(
    hashes: Sequence[np.ndarray],
    *,
    min_shared: int,
    max_df: int | None = None,
    docs: Sequence[int] | np.ndarray | None = None,
) -> np.ndarray:
    """Candidate pairs from per-document n-gram hashes, as an ``(k, 3)`` array of ``(i, j, shared)``.

    ``hashes[k]`` holds the distinct n-gram hashes of document ``docs[k]``
    (``k`` itself when ``docs`` is not given). N-grams held by more than
    ``max_df`` documents (default :func:`default_max_df`) are skipped.
    Rows have ``i < j`` and come sorted. Work grows with the number of
    document pairs sharing each rare n-gram, not with the square of the
    collection.
    """
    ids = np.arange(len(hashes), dtype=np.int64) if docs is None else np.asarray(docs, dtype=np.int64)
    cap = max_df if max_df is not None else default_max_df(len(hashes))
    empty = np.zeros((0, 3), dtype=np.int64)
    if not len(hashes):
        return empty
    lengths = np.fromiter((len(h) for h in hashes), dtype=np.int64, count=len(hashes))
    grams = np.concatenate([np.asarray(h, dtype=np.int64) for h in hashes]) if lengths.sum() else np.zeros(0, np.int64)
    owners = np.repeat(ids, lengths)
    order = np.lexsort((owners, grams))
    grams, owners = grams[order], owners[order]
    if not len(grams):
        return empty
    starts = np.flatnonzero(np.r_[True, grams[1:] != grams[:-1]])
    sizes = np.diff(np.r_[starts, len(grams)])
    span = int(ids.max()) + 1
    chunks: list[np.ndarray] = []
    for size in np.unique(sizes):
        if size < 2 or size > cap:
            continue
        first = starts[sizes == size]
        members = owners[first[:, None] + np.arange(size)[None, :]]  # (groups, size), each row sorted
        x, y = np.triu_indices(int(size), k=1)
        keys = (members[:, x] * span + members[:, y]).ravel()
        chunks.append(keys)
        if sum(len(c) for c in chunks) > _COMPACT_AT:
            chunks = [_count_keys(chunks)]
    if not chunks:
        return empty
    keys, counts = _unique_counts(chunks)
    keep = counts >= min_shared
    keys, counts = keys[keep], counts[keep]
    return np.stack([keys // span, keys % span, counts], axis=1)


def _count_keys(chunks: list[np.ndarray]) -> np.ndarray:
    """Compact pair keys seen so far into a (key, count) encoded array, to bound memory."""
    keys, counts = _unique_counts(chunks)
    return np.stack([keys, counts], axis=1).view(np.int64).reshape(-1, 2)


def _unique_counts(chunks: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    raw: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    for c in chunks:
        if c.ndim == 2:  # already compacted (key, count) rows
            raw.append(c[:, 0])
            weights.append(c[:, 1])
        else:
            raw.append(c)
            weights.append(np.ones(len(c), dtype=np.int64))
    keys = np.concatenate(raw)
    w = np.concatenate(weights)
    order = np.argsort(keys, kind="stable")
    keys, w = keys[order], w[order]
    first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return keys[first], np.add.reduceat(w, first)


def inverted(keys: Sequence[int], arrays: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """An inverted index from per-document hash arrays: all ``(hash, document key)``, sorted by hash.

    >>> hashes, docs = inverted([7, 9], [np.array([5, 1]), np.array([1])])
    >>> hashes.tolist(), docs.tolist()
    ([1, 1, 5], [7, 9, 7])
    """
    lengths = np.fromiter((len(a) for a in arrays), dtype=np.int64, count=len(arrays))
    hashes = np.concatenate(arrays) if len(arrays) else np.zeros(0, np.int64)
    return inverted_runs(keys, lengths, hashes)


def inverted_runs(
    keys: Sequence[int], lengths: Sequence[int] | np.ndarray, hashes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`inverted` of the documents' hash arrays laid end to end in ``hashes`` (``lengths[i]`` of key ``i``).

    No array per document: the form for a whole index, where a million small
    arrays would cost more than their hashes.

    >>> hashes, docs = inverted_runs([7, 9], [2, 1], np.array([5, 1, 1]))
    >>> hashes.tolist(), docs.tolist()
    ([1, 1, 5], [7, 9, 7])
    """
    docs = np.repeat(np.asarray(keys, dtype=np.int32), np.asarray(lengths, dtype=np.int64))
    order = np.argsort(hashes, kind="stable")
    return hashes[order], docs[order]
