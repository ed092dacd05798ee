"""Where else does a text appear? :class:`Query` asks an open index, one new document at a time."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

from textreuse.compare import CompareOptions, Comparison, compare
from textreuse.corpus.align import DocumentCache, reported
from textreuse.corpus.candidates import sentence_table
from textreuse.corpus.focus import document_letters, focus_ranges, shared_clusters
from textreuse.corpus.options import FindOptions, df_cap, repeated_line_docs
from textreuse.corpus.verify import verify
from textreuse.index.ann import SentenceIndex
from textreuse.index.candidates import inverted
from textreuse.index.fingerprints import fingerprint, name_hashes
from textreuse.index.store import Store
from textreuse.prepare import PreparedDocument, prepare, with_sentences
from textreuse.types import Document

__all__ = ["Query"]

# Prepared indexed documents a query keeps.
QUERY_CACHE_SIZE = 512


@dataclass
class Query:
    """Where else does a text appear? Ask an open index, one document at a time.

    Opening loads the index's postings once; each :meth:`ask` prepares the new
    document, looks its rare 3-grams (and, in ``full`` mode, its names and
    numbers, and its sentences' nearest neighbours among the index's stored
    sentence embeddings) up, and aligns it with the ``top`` best-ranked documents.

    >>> import tempfile, os
    >>> from textreuse.index.store import Store
    >>> path = os.path.join(tempfile.mkdtemp(), "reuse.db")
    >>> story = ("The harbour board of Port Elwin voted on Tuesday to close the old north pier after "
    ...          "engineers found cracks in three of its supports, a decision that will move the ferry.")
    >>> with Store(path) as s:
    ...     _ = s.add([Document("wire", story), Document("other", "A bakery opened downtown on Friday.")])
    >>> q = Query(path, CompareOptions(mode="lexical"))
    >>> [r.b.id for r in q.ask(Document("new", "Reprinted: " + story))]
    ['wire']
    """

    path: str | os.PathLike[str]
    options: CompareOptions = field(default_factory=CompareOptions)
    find: FindOptions = field(default_factory=FindOptions)
    top: int = 20

    def __post_init__(self) -> None:
        self.store = Store(self.path, readonly=True)
        self.grams, self.docs = self.store.postings()
        self.n_docs = len(self.store)
        self.cap = df_cap(self.find, self.n_docs)
        self._names: tuple[np.ndarray, np.ndarray] | None = None
        self._knn: tuple[np.ndarray, SentenceIndex] | None = None
        self.repeated = (
            self.store.repeated_lines(repeated_line_docs(self.n_docs, self.find)) if self.store.junk else None
        )
        self.vectors = (
            self.options.mode == "full"
            and self.find.embeddings
            and self.store.has_sentences
            and self.store.embedder == self.options.embedder_name
        )
        embedder = self.options.sentence_encoder() if self.vectors else None
        self.cache = DocumentCache(self.store, self.repeated, size=QUERY_CACHE_SIZE, embedder=embedder)

    def close(self) -> None:
        self.store.close()

    def _lookup(self, grams: np.ndarray, index: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Documents holding the given hashes (df-capped) and how many each holds."""
        keys, docs = index
        left = np.searchsorted(keys, grams, side="left")
        right = np.searchsorted(keys, grams, side="right")
        df = right - left
        keep = (df > 0) & (df <= self.cap)
        if not keep.any():
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        hits = np.concatenate([docs[s:e] for s, e in zip(left[keep], right[keep])])
        return np.unique(hits, return_counts=True)

    def _name_index(self) -> tuple[np.ndarray, np.ndarray]:
        if self._names is None:
            self._names = inverted(*self.store.all_names())
        return self._names

    def _knn_index(self) -> tuple[np.ndarray, SentenceIndex]:
        if self._knn is None:
            docs, _, rows = sentence_table(self.store, self.find, self.repeated)
            self._knn = (docs, SentenceIndex(rows))
        return self._knn

    def neighbours(self, prepared: PreparedDocument) -> dict[int, int]:
        """Indexed documents whose stored sentences are close neighbours of this document's: key -> sentences.

        As in :func:`textreuse.index.ann.neighbour_pairs`: a sentence whose ``knn_k``
        nearest all pass is common text and matches nothing; a document counts
        when at least ``knn_min_sentences`` distinct sentences of each side match.
        """
        docs, index = self._knn_index()
        prepared = with_sentences(prepared)
        words = np.asarray([len(w) for w in prepared.sentence_words or []], dtype=np.int64)
        which = np.flatnonzero(words >= self.find.knn_min_words)
        if not len(which) or not len(index):
            return {}
        text = prepared.document.text
        sents = prepared.sentences or []
        vectors = self.options.sentence_encoder().encode([text[sents[i][0] : sents[i][1]] for i in which])
        scores, rows = index.search(vectors, self.find.knn_k)
        close = (rows >= 0) & (scores >= self.find.knn_min_cosine)
        close[close.sum(axis=1) >= self.find.knn_k] = False  # common text: every slot a close match
        query = np.repeat(np.arange(len(which)), rows.shape[1]).reshape(rows.shape)[close]
        hit_docs, hit_rows = docs[rows[close]], rows[close]
        out: dict[int, int] = {}
        for d in np.unique(hit_docs):
            mine = hit_docs == d
            n = min(len(np.unique(query[mine])), len(np.unique(hit_rows[mine])))
            if n >= self.find.knn_min_sentences:
                out[int(d)] = n
        return out

    def candidates(self, prepared: PreparedDocument) -> list[tuple[int, int]]:
        """``(document key, shared rare 3-grams)`` of the best candidates, best first.

        In full mode, documents found by names and numbers or by sentence
        neighbours only come with 0 shared 3-grams; among equals, more
        matched sentences rank first.
        """
        docs, counts = self._lookup(fingerprint(prepared.tokens).grams, (self.grams, self.docs))
        ranked = {int(d): int(c) for d, c in zip(docs, counts) if c >= self.find.min_shared}
        sentences: dict[int, int] = {}
        if self.options.mode == "full":
            ndocs, ncounts = self._lookup(name_hashes(prepared), self._name_index())
            for d, c in zip(ndocs, ncounts):
                if c >= self.find.min_names:
                    ranked.setdefault(int(d), 0)
            if self.vectors:
                sentences = self.neighbours(prepared)
                for d in sentences:
                    ranked.setdefault(d, 0)
        own = self.store.key(prepared.document.id)
        if own is not None:
            ranked.pop(own, None)
        return sorted(ranked.items(), key=lambda kv: (-kv[1], -sentences.get(kv[0], 0)))[: self.top]

    def ask(self, document: Document | str) -> list[Comparison]:
        """The indexed documents that share text with ``document``, most of it shared first.

        In each :class:`~textreuse.compare.Comparison`, *a* is the new document
        and *b* the indexed one.
        """
        doc = document if isinstance(document, Document) else Document("query", document)
        repeated = self.repeated if self.options.junk else None  # answers `line in repeated` as RepeatedLines does
        prepared = prepare(doc, junk=self.options.junk, repeated=repeated)  # type: ignore[arg-type]
        fq, lq = fingerprint(prepared.tokens), document_letters(prepared, self.find)
        if self.options.mode == "full":
            prepared = with_sentences(prepared)
        results = []
        for key, shared in self.candidates(prepared):
            other, fo = self.cache.get(key)
            clusters = shared_clusters(fq, fo, self.find, (lq, self.cache.letters(key, self.find)))
            if not clusters and (self.options.mode == "lexical" or shared):
                continue
            result = compare(prepared, other, self.options, focus=focus_ranges(prepared, other, clusters, self.find))
            result = verify(result, prepared, fq, other, fo, self.find, self.options)
            if reported(result, self.find):
                results.append(result)
        results.sort(key=lambda r: (-r.coverage_a, -r.coverage_b))
        return results
