"""Candidate pairs from the nearest neighbours of the index's sentence embeddings (faiss).

A spun copy (reworded, or machine-translated and back) keeps few word
n-grams of its original, but most of its sentences stay close in meaning:
their embeddings are nearest neighbours. The index keeps every sentence's
embedding (:mod:`textreuse.index.sentences`); :class:`SentenceIndex`
searches them exactly by inner product (faiss ``IndexFlatIP``, in blocks of
float32 rows so memory stays bounded), and :func:`neighbour_pairs` turns
sentence neighbours into document pairs: two documents are a candidate when
several sentences of each have a close neighbour in the other.

>>> import numpy as np
>>> v = np.eye(4, dtype=np.float32)
>>> rows = np.concatenate([v, v])                      # documents 0 and 1 hold the same 4 sentences
>>> docs = np.array([0, 0, 0, 0, 1, 1, 1, 1])
>>> neighbour_pairs(docs, rows, k=3, min_cosine=0.9, min_sentences=3).tolist()
[[0, 1, 4]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "ApproximateSentenceIndex",
    "SentenceIndex",
    "neighbour_pairs",
    "KNN_K",
    "KNN_MIN_COSINE",
    "KNN_MIN_SENTENCES",
]

# The defaults of :func:`neighbour_pairs` (corpus runs take them from ``FindOptions``).
KNN_K = 10
KNN_MIN_COSINE = 0.8
KNN_MIN_SENTENCES = 3
# Float32 rows searched at a time; blocks kept between searches while the index holds at most
# KEEP_ROWS rows; queries searched at a time.
BLOCK_ROWS = 131_072
KEEP_ROWS = 262_144
QUERY_CHUNK = 8192
# Approximate search (ApproximateSentenceIndex): clusters per square root of the rows, rows of training
# per cluster, clusters searched per query; used for tables of more than APPROXIMATE_ROWS static rows.
IVF_LISTS_PER_SQRT = 4
IVF_TRAIN_PER_LIST = 64
IVF_PROBES = 16
APPROXIMATE_ROWS = 50_000


class SentenceIndex:
    """Exact inner-product search over float16 rows with faiss, in blocks of float32 rows.

    ``block`` rows are turned to float32 and searched at a time (131,072 rows
    = 192 MiB with 384 dimensions), so memory is the float16 rows plus one
    block; blocks are kept between searches while all of them fit in
    ``keep`` rows (a query index answers many searches).
    """

    def __init__(self, vectors: np.ndarray, *, block: int = BLOCK_ROWS, keep: int = KEEP_ROWS) -> None:
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float16)
        self.block = block
        self.keep = keep
        self._built: dict[int, Any] = {}

    def __len__(self) -> int:
        return len(self.vectors)

    def _block(self, start: int) -> Any:
        index = self._built.get(start)
        if index is None:
            import faiss

            rows = np.ascontiguousarray(self.vectors[start : start + self.block], dtype=np.float32)
            index = faiss.IndexFlatIP(rows.shape[1])
            index.add(rows)
            if len(self.vectors) <= self.keep:
                self._built[start] = index
        return index

    def search(self, queries: np.ndarray, k: int, *, chunk: int = QUERY_CHUNK) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest rows of each query by inner product: ``(scores, row numbers)``, best first; -1 pads."""
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        m = len(queries)
        k = min(k, len(self.vectors))
        if not m or not k:
            return np.zeros((m, k), np.float32), np.full((m, k), -1, np.int64)
        scores, rows = [], []
        for start in range(0, len(self.vectors), self.block):
            index = self._block(start)
            kb = min(k, index.ntotal)
            d = np.empty((m, kb), np.float32)
            i = np.empty((m, kb), np.int64)
            for q in range(0, m, chunk):
                d[q : q + chunk], i[q : q + chunk] = index.search(queries[q : q + chunk], kb)
            scores.append(d)
            rows.append(np.where(i >= 0, i + start, -1))
        if len(scores) == 1:
            return scores[0], rows[0]
        d, i = np.concatenate(scores, axis=1), np.concatenate(rows, axis=1)
        best = np.argsort(-d, axis=1, kind="stable")[:, :k]
        return np.take_along_axis(d, best, axis=1), np.take_along_axis(i, best, axis=1)


class ApproximateSentenceIndex:
    """Approximate inner-product search (faiss ``IndexIVFFlat``), for large tables of static rows.

    The rows are split into ``lists`` clusters by k-means (trained on at most
    ``IVF_TRAIN_PER_LIST`` rows a cluster) and a query searches the
    ``probes`` clusters nearest to it: a few percent of the rows instead of
    all of them. Near-copies of a sentence fall in its own cluster or a
    neighbouring one, so they are rarely missed.
    """

    def __init__(self, vectors: np.ndarray, *, probes: int = IVF_PROBES) -> None:
        import faiss

        rows = np.ascontiguousarray(vectors, dtype=np.float32)
        self.n = len(rows)
        lists = max(1, int(IVF_LISTS_PER_SQRT * np.sqrt(self.n)))
        quantizer = faiss.IndexFlatIP(rows.shape[1])
        self.index = faiss.IndexIVFFlat(quantizer, rows.shape[1], lists, faiss.METRIC_INNER_PRODUCT)
        sample = np.random.default_rng(0).permutation(self.n)[: lists * IVF_TRAIN_PER_LIST]
        self.index.train(rows[np.sort(sample)])
        self.index.add(rows)
        self.index.nprobe = min(probes, lists)
        self._quantizer = quantizer  # kept alive with the index

    def __len__(self) -> int:
        return self.n

    def search(self, queries: np.ndarray, k: int, *, chunk: int = QUERY_CHUNK) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest rows found for each query: ``(scores, row numbers)``, best first; -1 pads."""
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        k = min(k, self.n)
        d = np.empty((len(queries), k), np.float32)
        i = np.empty((len(queries), k), np.int64)
        for q in range(0, len(queries), chunk):
            d[q : q + chunk], i[q : q + chunk] = self.index.search(queries[q : q + chunk], k)
        return d, i


def neighbour_pairs(
    docs: np.ndarray,
    vectors: np.ndarray,
    *,
    k: int = KNN_K,
    min_cosine: float = KNN_MIN_COSINE,
    min_sentences: int = KNN_MIN_SENTENCES,
    index: SentenceIndex | ApproximateSentenceIndex | None = None,
) -> np.ndarray:
    """Document pairs whose sentences are close neighbours: ``(n, 3)`` of ``(doc a, doc b, sentences)``.

    ``docs[r]`` is the document of row ``r`` of ``vectors`` (unit rows, only
    the sentences worth matching: long enough, not boilerplate). Each row's
    ``k`` nearest rows of other documents with cosine at least
    ``min_cosine`` are its matches; a row whose ``k`` nearest all pass is
    common text (boilerplate, a template, a story in more than ``k``
    reprints, which shared words find anyway) and makes none, as
    passim's document-frequency cap. A pair is kept when at least
    ``min_sentences`` distinct sentences of *each* document take part in its
    matches; ``sentences`` is the smaller of the two counts.
    """
    docs = np.asarray(docs, dtype=np.int64)
    if len(docs) < 2:
        return np.zeros((0, 3), np.int64)
    index = index if index is not None else SentenceIndex(vectors, keep=0)  # one search: no block kept
    scores, rows = index.search(vectors, k + 1)  # + 1: a row finds itself
    query = np.repeat(np.arange(len(docs)), scores.shape[1]).reshape(scores.shape)
    valid = rows >= 0
    other = valid & (docs[np.where(valid, rows, 0)] != docs[query])
    close = other & (scores >= min_cosine)
    # Common text: every slot of its own search (except itself) holds a close row of another document.
    common = close.sum(axis=1) >= k
    close &= ~common[:, None] & ~common[np.where(valid, rows, 0)]
    qa, qb = query[close], rows[close]
    if not len(qa):
        return np.zeros((0, 3), np.int64)
    # Each match as (row of the lower document, row of the higher one), once.
    swap = docs[qa] > docs[qb]
    ra, rb = np.where(swap, qb, qa), np.where(swap, qa, qb)
    da, db = docs[ra], docs[rb]
    width = int(docs.max()) + 1
    pair = da * width + db
    n_a = _distinct_per_pair(pair, ra)
    n_b = _distinct_per_pair(pair, rb)
    keys = np.union1d(n_a[0], n_b[0])
    count = np.minimum(_lookup(n_a, keys), _lookup(n_b, keys))
    keep = count >= min_sentences
    keys, count = keys[keep], count[keep]
    return np.stack([keys // width, keys % width, count], axis=1).astype(np.int64)


def _distinct_per_pair(pair: np.ndarray, row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pair key, how many distinct rows take part."""
    both = np.unique(np.stack([pair, row], axis=1), axis=0)
    return np.unique(both[:, 0], return_counts=True)


def _lookup(table: tuple[np.ndarray, np.ndarray], keys: np.ndarray) -> np.ndarray:
    at = np.searchsorted(table[0], keys)
    at = np.minimum(at, len(table[0]) - 1)
    return np.where(table[0][at] == keys, table[1][at], 0)
