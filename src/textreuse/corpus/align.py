"""Aligning one candidate pair as a corpus run does, and the documents of an index ready for it.

:func:`align_candidate` is the step every engine (the local pool, Spark
executors) runs on a pair: focus on its clusters of shared 3-grams, align
there with :func:`textreuse.compare.compare`, then :func:`~textreuse.corpus.verify.verify`.
:class:`DocumentCache` keeps the prepared documents of an index, corpus
boilerplate excluded and stored sentence embeddings attached.
"""

from __future__ import annotations

import numpy as np

from textreuse.align.spans import overlaps
from textreuse.common.dates import day_number
from textreuse.common.lru import LRUCache
from textreuse.compare import CompareOptions, Comparison, compare, comparison
from textreuse.corpus.focus import cached_letters, document_letters, focus_ranges, shared_clusters
from textreuse.corpus.gate import StaticRowSource, gated_compare
from textreuse.corpus.options import FindOptions, repeated_line_docs
from textreuse.corpus.record import PairRecord
from textreuse.corpus.verify import cluster_cores, verify
from textreuse.errors import InputError
from textreuse.index.fingerprints import Fingerprint, RepeatedLineHashes
from textreuse.index.store import Store
from textreuse.prepare import PreparedDocument, SentenceEncoder, exclude
from textreuse.types import Document, Passage

__all__ = [
    "align_candidate",
    "compare_indexed",
    "presented_first",
    "without_repeated",
    "DocumentCache",
    "DOC_CACHE_SIZE",
]

# Prepared documents a worker keeps.
DOC_CACHE_SIZE = 256


def without_repeated(
    prepared: PreparedDocument, repeated: RepeatedLineHashes | None, lines: np.ndarray
) -> PreparedDocument:
    """The prepared document with its corpus boilerplate excluded too.

    Lines standing alone that recur across the corpus (``repeated``, found in
    the document's :func:`textreuse.index.fingerprints.line_table` ``lines``) are boilerplate.
    """
    if repeated is None:
        return prepared
    return exclude(prepared, repeated.spans(lines))


def align_candidate(
    a: PreparedDocument,
    fa: Fingerprint,
    b: PreparedDocument,
    fb: Fingerprint,
    options: CompareOptions,
    find: FindOptions,
    clusters: list[np.ndarray] | None = None,
    static: StaticRowSource | None = None,
) -> PairRecord | None:
    """Align one candidate pair as a corpus run does; its :class:`PairRecord`, or ``None`` when nothing is shared.

    Focus on the ``clusters`` of shared anchors (:func:`shared_clusters` of the
    fingerprints ``fa`` and ``fb`` and the documents' letter prints when not
    given; in lexical mode a pair without one is dropped), :func:`textreuse.compare.compare` there (the
    full model only on the sentences :func:`~textreuse.corpus.gate.gated_compare`
    lets through, their static rows read from ``static`` when it holds
    them), then :func:`~textreuse.corpus.verify.verify`; a pair whose
    confidence is below ``find.min_confidence`` is dropped too. The record's *a* is the
    document that comes first by :func:`presented_first` (earlier date, then
    id), whatever order the pair came in.
    """
    if not presented_first(a.document, b.document):
        flipped = None if clusters is None else [g[:, ::-1] for g in clusters]
        return align_candidate(b, fb, a, fa, options, find, flipped, static)
    if clusters is None:
        clusters = shared_clusters(fa, fb, find, (document_letters(a, find), document_letters(b, find)))
    if not clusters and options.mode == "lexical":
        return None
    result = gated_compare(a, b, options, find, focus_ranges(a, b, clusters, find), static)
    result = verified(result, a, fa, b, fb, clusters, options, find)
    return PairRecord.from_comparison(result) if reported(result, find) else None


def verified(
    result: Comparison,
    a: PreparedDocument,
    fa: Fingerprint,
    b: PreparedDocument,
    fb: Fingerprint,
    clusters: list[np.ndarray],
    options: CompareOptions,
    find: FindOptions,
) -> Comparison:
    """:func:`verify`, then the cores around the clusters no kept passage covers (:func:`cluster_cores`), verified.

    A page pair can share several wire stories: one kept passage does not
    stand for the others, whose clusters are searched for cores too.
    """
    result = verify(result, a, fa, b, fb, find, options)
    kept = list(result.passages)
    loose = [g for g in clusters if not any(_covers(p, g, a, b) for p in kept)]
    cores = [c for c in cluster_cores(a, b, loose, find) if not any(_overlap(c, p) for p in kept)] if loose else []
    if not cores:
        return result
    return verify(comparison(a, b, [*kept, *cores], options), a, fa, b, fb, find, options)


def _covers(p: Passage, cluster: np.ndarray, a: PreparedDocument, b: PreparedDocument) -> bool:
    """Whether a passage holds the first anchor of a cluster (content-word positions in *a* and *b*) on both sides."""
    ta, tb = a.tokens, b.tokens
    i, j = int(cluster[:, 0].min()), int(cluster[:, 1].min())
    at, bt = ta.starts[ta.content[i]], tb.starts[tb.content[j]]
    return p.a_start <= at < p.a_end and p.b_start <= bt < p.b_end


def _overlap(x: Passage, y: Passage) -> bool:
    """Whether two passages share characters on either side."""
    return overlaps(x.a_start, x.a_end, y.a_start, y.a_end) or overlaps(x.b_start, x.b_end, y.b_start, y.b_end)


def reported(result: Comparison, find: FindOptions) -> bool:
    """Whether a corpus run reports a verified comparison: it shares passages, with at least ``find.min_confidence``."""
    return bool(result.passages) and (result.confidence or 0.0) >= find.min_confidence


def presented_first(a: Document, b: Document) -> bool:
    """Whether ``a`` is the *a* of a pair record: the earlier date (dated before undated), then the lower id."""

    def key(doc: Document) -> tuple[bool, int, str]:
        day = day_number(doc.date)
        return day is None, day or 0, doc.id

    return key(a) <= key(b)


class DocumentCache:
    """Prepared documents, fingerprints and letter prints of one index, the ``size`` most recently used kept.

    With ``fingerprints`` (all of the index's, loaded once), a pair can be
    judged on its shared 3-grams before either document is read. With an
    ``embedder`` (full mode), documents come with their stored sentence
    embeddings, the embedder filling in the rest.
    """

    def __init__(
        self,
        store: Store,
        repeated: RepeatedLineHashes | None,
        size: int = DOC_CACHE_SIZE,
        fingerprints: dict[int, Fingerprint] | None = None,
        embedder: SentenceEncoder | None = None,
    ) -> None:
        self.store, self.repeated, self.size = store, repeated, size
        self.embedder = embedder
        self.items: LRUCache[int, tuple[PreparedDocument, Fingerprint]] = LRUCache(size, name="DocumentCache.size")
        self.letter_prints: LRUCache[int, Fingerprint] = LRUCache(size, name="DocumentCache.size")
        self.prints = fingerprints if fingerprints is not None else {}

    def fingerprint(self, key: int) -> Fingerprint:
        """The document's fingerprint (read with the document when not loaded up front)."""
        return self.prints[key] if key in self.prints else self.get(key)[1]

    def get(self, key: int) -> tuple[PreparedDocument, Fingerprint]:
        """The document ready to align, and its fingerprint."""
        item = self.items.get(key)
        if item is None:
            item = (self._prepared(key), self.prints.get(key) or self.store.fingerprints(key))
            self.items.put(key, item)
        return item

    def letters(self, key: int, find: FindOptions) -> Fingerprint | None:
        """The document's letter print (:func:`~textreuse.corpus.focus.document_letters`; ``find`` is the same on every call)."""
        return cached_letters(self.letter_prints, key, lambda k: self.get(k)[0], find)

    def clusters(self, ka: int, kb: int, find: FindOptions) -> list[np.ndarray]:
        """:func:`~textreuse.corpus.focus.shared_clusters` of two documents of the index (keys ``ka``, ``kb``)."""
        letters = (self.letters(ka, find), self.letters(kb, find))
        return shared_clusters(self.fingerprint(ka), self.fingerprint(kb), find, letters)

    def _prepared(self, key: int) -> PreparedDocument:
        prepared = self.store.prepared(key)
        if self.store.junk:
            prepared = without_repeated(prepared, self.repeated, self.store.line_table(key))
        if self.embedder is not None:
            stored = self.store.sentences(key)
            if stored is not None:
                from textreuse.index.sentences import attach_embeddings

                prepared = attach_embeddings(prepared, stored, self.embedder)
        return prepared


def compare_indexed(store: Store, a_id: str, b_id: str, options: CompareOptions, find: FindOptions) -> Comparison:
    """Compare two indexed documents as a corpus run does: the whole :class:`Comparison`, even when nothing is shared.

    The documents are the index's prepared ones (its junk setting, the
    corpus boilerplate left out, stored sentence embeddings attached in
    full mode), focused on their shared 3-grams and verified, as
    :func:`align_candidate` does. An id not in the index is an :class:`InputError`.
    """
    keys = []
    for doc_id in (a_id, b_id):
        key = store.key(doc_id)
        if key is None:
            raise InputError(f"no document {doc_id!r} in the index {store.path}")
        keys.append(key)
    repeated = store.repeated_lines(repeated_line_docs(len(store), find)) if store.junk else None
    embedder = None
    if options.mode == "full" and store.has_sentences and store.embedder == options.embedder_name:
        embedder = options.sentence_encoder()
    cache = DocumentCache(store, repeated, embedder=embedder)
    (a, fa), (b, fb) = cache.get(keys[0]), cache.get(keys[1])
    clusters = cache.clusters(keys[0], keys[1], find)
    if not clusters and options.mode == "lexical":
        return comparison(a, b, [], options)
    result = compare(a, b, options, focus=focus_ranges(a, b, clusters, find))
    return verified(result, a, fa, b, fb, clusters, options, find)
