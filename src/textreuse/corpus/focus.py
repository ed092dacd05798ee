"""Where two documents share text: clusters of their shared 3-grams and letter strings, and the token ranges around them.

The anchors of a pair are the content-word 3-grams both documents hold
(their fingerprints) and, with ``FindOptions.seed_letters``, the strings of
letters both hold once (their :func:`~textreuse.index.fingerprints.letter_print`,
which OCR's split and garbled words break less often). Placed by their
positions in both documents, the anchors form clusters
(:func:`shared_clusters`); a pair whose best cluster is too small is
dropped, and the lexical aligner only looks at the stretches around the
clusters (:func:`focus_ranges`): long newspaper pages share a column, not
the page.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from textreuse.common.intervals import merge_spans
from textreuse.common.lru import LRUCache
from textreuse.corpus.options import FindOptions
from textreuse.index.fingerprints import GRAM_SIZE, Fingerprint, letter_print
from textreuse.prepare import PreparedDocument

__all__ = ["shared_clusters", "focus_ranges", "document_letters", "cached_letters"]


def document_letters(prepared: PreparedDocument, find: FindOptions) -> Fingerprint | None:
    """The document's letter print (:func:`~textreuse.index.fingerprints.letter_print`); ``None`` when ``find.seed_letters`` is 0."""
    return letter_print(prepared.tokens, find.seed_letters) if find.seed_letters else None


def cached_letters(
    cache: LRUCache[int, Fingerprint], key: int, load: Callable[[int], PreparedDocument], find: FindOptions
) -> Fingerprint | None:
    """The letter print of document ``key`` from ``cache``, computed from ``load(key)`` and kept there when missing."""
    got = cache.get(key)
    if got is None:
        got = document_letters(load(key), find)
        if got is not None:
            cache.put(key, got)
    return got


def shared_clusters(
    fa: Fingerprint,
    fb: Fingerprint,
    find: FindOptions,
    letters: tuple[Fingerprint | None, Fingerprint | None] = (None, None),
) -> list[np.ndarray]:
    """Clusters of the anchors two documents share, as arrays of ``(position in a, position in b)``.

    ``fa`` and ``fb`` are fingerprints (:func:`textreuse.index.fingerprints.fingerprint`):
    their shared 3-grams are anchors, and so are the shared strings of the
    documents' ``letters`` (:func:`document_letters` of *a* and *b*), when
    given. A cluster's neighbours lie at most ``find.cluster_gap`` content
    words apart in both documents; clusters of fewer than
    ``find.min_cluster`` anchors are dropped. The clusters are the same
    (columns swapped) for ``fb, fa``: they are split in an order fixed by the
    fingerprints themselves.
    """
    if _prints_swapped(fa, fb):
        return [g[:, ::-1] for g in shared_clusters(fb, fa, find, letters[::-1])]
    anchors = [_shared(fa, fb)]
    la, lb = letters
    if la is not None and lb is not None:
        anchors.append(_shared(la, lb))
    both = np.concatenate(anchors)
    if len(both) < find.min_cluster:
        return []
    groups = [both]
    for _ in range(find.cluster_rounds):
        groups = _split(_split(groups, 0, find.cluster_gap), 1, find.cluster_gap)
    return [g for g in groups if len(g) >= find.min_cluster]


def _shared(fa: Fingerprint, fb: Fingerprint) -> np.ndarray:
    """``(position in a, position in b)`` of the hashes two prints share, in the order of the hashes."""
    _, ia, ib = np.intersect1d(fa.grams, fb.grams, assume_unique=True, return_indices=True)
    return np.stack([fa.positions[ia], fb.positions[ib]], axis=1).astype(np.int64)


def _prints_swapped(fa: Fingerprint, fb: Fingerprint) -> bool:
    """Whether ``fb`` comes before ``fa`` (3-gram hashes, then positions, compared in order): a fixed order of a pair."""
    for x, y in ((fa.grams, fb.grams), (fa.positions, fb.positions)):
        n = min(len(x), len(y))
        differ = np.flatnonzero(x[:n] != y[:n])
        if len(differ):
            return bool(x[differ[0]] > y[differ[0]])
        if len(x) != len(y):
            return len(x) > len(y)
    return False


def focus_ranges(
    a: PreparedDocument,
    b: PreparedDocument,
    clusters: list[np.ndarray],
    find: FindOptions,
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Token ranges of *a* and *b* around clusters of shared anchors (see :func:`shared_clusters`).

    Each range reaches ``find.focus_margin`` content words beyond its cluster
    (beyond the last word of its last 3-gram).
    """
    ca, cb = a.tokens.content, b.tokens.content
    margin, tail = find.focus_margin, GRAM_SIZE - 1
    ranges_a, ranges_b = [], []
    for g in clusters:
        ranges_a.append(
            _token_range(ca, len(a.tokens), int(g[:, 0].min()) - margin, int(g[:, 0].max()) + tail + margin)
        )
        ranges_b.append(
            _token_range(cb, len(b.tokens), int(g[:, 1].min()) - margin, int(g[:, 1].max()) + tail + margin)
        )
    return merge_spans(ranges_a), merge_spans(ranges_b)


def _split(groups: list[np.ndarray], axis: int, gap: int) -> list[np.ndarray]:
    out: list[np.ndarray] = []
    for g in groups:
        g = g[np.argsort(g[:, axis], kind="stable")]
        cuts = np.flatnonzero(np.diff(g[:, axis]) > gap) + 1
        out.extend(np.split(g, cuts) if len(cuts) else [g])
    return out


def _token_range(content: list[int], n_tokens: int, first: int, last: int) -> tuple[int, int]:
    """Half-open token range from content-word positions ``first..last`` (clipped)."""
    if not content:
        return 0, n_tokens
    first = max(0, first)
    last = min(len(content) - 1, last)
    return content[first], (content[last] + 1) if last + 1 >= len(content) else content[last + 1]
