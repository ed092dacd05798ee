"""Full mode's sentence-neighbour candidates on Spark: an exact nearest-neighbour search in blocks.

The rules of :func:`textreuse.index.ann.neighbour_pairs`, without one global
matrix: the sentences worth matching
(:func:`textreuse.corpus.static_rows.matchable_sentences`) are numbered and
dealt into blocks; each pair of blocks is searched in an executor (faiss
``IndexFlatIP`` over the data block, :class:`textreuse.index.ann.SentenceIndex`),
each query sentence keeps its ``k + 1`` best rows over all blocks (a
``reduceByKey`` per query block), and the matches, common rows and per-pair
sentence counts follow with joins and counts. Memory per task is two
blocks; the work is the same all-pairs search the local engine does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import numpy as np

from textreuse.corpus.align import without_repeated
from textreuse.corpus.options import FindOptions
from textreuse.corpus.static_rows import matchable_sentences
from textreuse.index.fingerprints import RepeatedLineHashes
from textreuse.index.rows import IndexRow
from textreuse.prepare import with_sentences

__all__ = ["neighbour_pairs_spark", "SENTENCES_PER_BLOCK"]

# Sentences in one block of the search (one block is a task's data; 20,000 x 384 float16 = 15 MiB).
SENTENCES_PER_BLOCK = 20_000


class _Block(NamedTuple):
    """Sentences of one block: their numbers, documents and float16 rows."""

    ids: np.ndarray
    docs: np.ndarray
    vectors: np.ndarray


class _Best(NamedTuple):
    """A query block's best rows so far: query numbers and documents; per query, scores, numbers and documents."""

    ids: np.ndarray
    docs: np.ndarray
    scores: np.ndarray
    rows: np.ndarray
    row_docs: np.ndarray


def _sentences(find: FindOptions, repeated: Any) -> Callable[[tuple[int, IndexRow]], Iterator[tuple[int, bytes]]]:
    """The function giving a document's sentences worth matching as ``(key, float16 static row bytes)``.

    The rows of :func:`textreuse.corpus.candidates.static_sentence_table`: the
    static embedder's, of the sentences :func:`matchable_sentences` keeps, of
    the document with corpus boilerplate (``repeated``, a broadcast) left out.
    """

    def run(kv: tuple[int, IndexRow]) -> Iterator[tuple[int, bytes]]:
        from textreuse.embed.static import shared_static_embedder

        key, row = kv
        prepared = with_sentences(without_repeated(row.prepared(), repeated.value, row.line_table()))
        which = matchable_sentences(prepared, find)
        if not len(which):
            return
        text = prepared.document.text
        spans = prepared.sentences or []
        rows = shared_static_embedder().encode([text[slice(*spans[n])] for n in which]).astype(np.float16)
        for r in rows:
            yield key, r.tobytes()

    return run


def _block(items: Any) -> _Block:
    rows = sorted(items)
    ids = np.asarray([r[0] for r in rows], np.int64)
    docs = np.asarray([r[1] for r in rows], np.int64)
    vectors = np.stack([np.frombuffer(r[2], np.float16) for r in rows])
    return _Block(ids, docs, vectors)


def _search(k: int) -> Callable[[tuple[tuple[int, _Block], tuple[int, _Block]]], tuple[int, _Best]]:
    """The function searching a query block in a data block: the query block's number and best rows there."""

    def run(pair: tuple[tuple[int, _Block], tuple[int, _Block]]) -> tuple[int, _Best]:
        from textreuse.index.ann import SentenceIndex

        (qn, q), (_, d) = pair
        scores, rows = SentenceIndex(d.vectors, keep=0).search(q.vectors, k)
        valid = rows >= 0
        found = np.where(valid, d.ids[np.where(valid, rows, 0)], -1)
        docs = np.where(valid, d.docs[np.where(valid, rows, 0)], -1)
        return qn, _Best(q.ids, q.docs, scores, found, docs)

    return run


def _merge(k: int) -> Callable[[_Best, _Best], _Best]:
    """The function keeping the ``k`` best rows of each query over two searches of its block."""

    def run(x: _Best, y: _Best) -> _Best:
        scores = np.concatenate([x.scores, y.scores], axis=1)
        # Ties as one search over the rows in order: the lower row number first.
        rows = np.concatenate([x.rows, y.rows], axis=1)
        order = np.lexsort((np.where(rows < 0, np.iinfo(np.int64).max, rows), -scores), axis=1)[:, :k]
        pick = lambda a: np.take_along_axis(a, order, axis=1)  # noqa: E731
        return _Best(x.ids, x.docs, pick(scores), pick(rows), pick(np.concatenate([x.row_docs, y.row_docs], axis=1)))

    return run


def _matches(find: FindOptions) -> Callable[[_Best], Iterator[tuple[str, Any]]]:
    """The function giving a query block's common rows ``("common", id)`` and matches ``("match", (row b, ...))``."""
    k, min_cosine = find.knn_k, find.knn_static_min_cosine

    def run(best: _Best) -> Iterator[tuple[str, Any]]:
        other = (best.rows >= 0) & (best.row_docs != best.docs[:, None])
        close = other & (best.scores >= min_cosine)
        common = close.sum(axis=1) >= k
        for i in best.ids[common].tolist():
            yield "common", i
        close &= ~common[:, None]
        q, slot = np.nonzero(close)
        for qa, da, qb, db in zip(
            best.ids[q].tolist(), best.docs[q].tolist(), best.rows[q, slot].tolist(), best.row_docs[q, slot].tolist()
        ):
            # Each match as (lower document, higher one) with their rows, keyed by the neighbour row.
            yield "match", (qb, ((da, db, qa, qb) if da < db else (db, da, qb, qa)))

    return run


def neighbour_pairs_spark(sc: Any, rows: Any, find: FindOptions, repeated: RepeatedLineHashes | None) -> Any:
    """Document pairs whose sentences are close neighbours, as :func:`textreuse.index.ann.neighbour_pairs`: RDD of ``(a, b)``.

    ``rows``: an RDD of ``(key, IndexRow)`` with sentence rows; ``repeated``
    lines (corpus boilerplate) take no part.
    """
    held = sc.broadcast(repeated)
    sentences = rows.flatMap(_sentences(find, held)).zipWithIndex()  # ((key, row bytes), number)
    n = sentences.count()
    if n < 2:
        return sc.emptyRDD()
    n_blocks = max(sc.defaultParallelism, -(-n // SENTENCES_PER_BLOCK))
    blocks = (
        sentences.map(lambda x: (x[1] % n_blocks, (x[1], x[0][0], x[0][1])))
        .groupByKey(n_blocks)
        .mapValues(_block)
        .cache()
    )
    k = find.knn_k + 1  # + 1: a row finds itself
    best = blocks.cartesian(blocks).map(_search(k)).reduceByKey(_merge(k), n_blocks).values()
    found = best.flatMap(_matches(find)).cache()
    common = found.filter(lambda x: x[0] == "common").map(lambda x: (x[1], None))
    matches = found.filter(lambda x: x[0] == "match").map(lambda x: x[1]).subtractByKey(common).values().cache()
    # matches: (doc a, doc b, row of a, row of b); a pair needs min_sentences distinct rows on each side.
    n_a = matches.map(lambda m: ((m[0], m[1]), m[2])).distinct().mapValues(lambda _: 1).reduceByKey(int.__add__)
    n_b = matches.map(lambda m: ((m[0], m[1]), m[3])).distinct().mapValues(lambda _: 1).reduceByKey(int.__add__)
    min_sentences = find.knn_min_sentences
    pairs = n_a.join(n_b).filter(lambda kv: min(kv[1]) >= min_sentences).keys().cache()
    pairs.count()
    for done in (matches, found, blocks):
        done.unpersist()
    held.unpersist()
    return pairs
