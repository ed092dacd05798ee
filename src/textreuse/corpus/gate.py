"""Which sentences of a candidate pair go through the full model: a static first pass.

In a full-mode corpus run the semantic stage embeds every sentence of a
pair outside its lexical passages (with their neighbours); on newspaper
pages sharing one wire story, or stories sharing rare names, those
sentences say different things, and embedding them with MiniLM is most of
the cost of a run (hours on a few thousand pages). The static embedder
(:mod:`textreuse.embed.static`, a table look-up per token) rules most of
them out first: a sentence with no static neighbour at cosine
``FindOptions.gate_min_cosine`` or more among the other document's
sentences gets a zero row (:class:`GateEncoder`), so it matches nothing,
and the model runs on the rest. A pair that shares no cluster of 3-grams
(a candidate by its names and numbers, or by sentence neighbours) has no
lexical passage to grow: only the semantic stage could find a passage, from
sentences that match in order, so such a pair is aligned only where its
static rows show a run of them (:func:`static_run`); on newspaper pages,
most pairs that share only rare names show none. Everything else about the
pair's alignment is unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

import numpy as np

from textreuse.align.merge import FALLBACK_DIM
from textreuse.common.lru import LRUCache
from textreuse.compare import CompareOptions, Comparison, compare, comparison
from textreuse.corpus.options import FindOptions
from textreuse.embed.static import StaticEmbedder
from textreuse.prepare import PreparedDocument, SentenceEncoder, with_sentences

__all__ = ["GateEncoder", "gated_compare", "static_run", "with_static_rows", "GATE_CACHE_DOCS"]

#: Documents whose sentences and static rows a process keeps (:func:`with_static_rows`).
GATE_CACHE_DOCS = 512

_ROWS: LRUCache[tuple[str, int, tuple[tuple[int, int], ...]], tuple[PreparedDocument, np.ndarray]] = LRUCache(
    GATE_CACHE_DOCS, name="GATE_CACHE_DOCS"
)


class GateEncoder:
    """The full model for the sentences of one pair that have a close static neighbour on the other side; zeros for the rest.

    The semantic stage asks for the rows of the sentences it compares (those
    outside lexical passages, and their neighbours); a sentence whose static
    row has no cosine of ``min_cosine`` or more with any sentence of the
    other document gets a zero row (cosine 0 with everything: it matches
    nothing) without running the model.
    """

    def __init__(
        self,
        model: SentenceEncoder,
        a: tuple[PreparedDocument, np.ndarray],
        b: tuple[PreparedDocument, np.ndarray],
        min_cosine: float,
    ) -> None:
        self.model = model
        self.name = str(getattr(model, "name", "gated"))
        self.dim = int(getattr(model, "dim", FALLBACK_DIM))
        self.min_cosine = min_cosine
        self.other: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for (mine, rows), theirs in ((a, b[1]), (b, a[1])):
            text = mine.document.text
            for n, (s, e) in enumerate(mine.sentences or []):
                self.other.setdefault(text[s:e], (rows[n], theirs))
        self.embedded = 0

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Rows of ``sentences``: the model's for those with a close static neighbour on the other side."""
        out = np.zeros((len(sentences), self.dim), np.float32)
        wanted = [i for i, text in enumerate(sentences) if self._close(text)]
        if wanted:
            out[wanted] = self.model.encode([sentences[i] for i in wanted])
            self.embedded += len(wanted)
        return out

    def _close(self, text: str) -> bool:
        found = self.other.get(text)
        if found is None:
            return True  # not a sentence of either document: embed it
        row, theirs = found
        return bool(len(theirs) and (theirs @ row).max() >= self.min_cosine)


def with_static_rows(prepared: PreparedDocument) -> tuple[PreparedDocument, np.ndarray]:
    """The document with its sentences (:func:`with_sentences`) and the static rows of all of them.

    The ``GATE_CACHE_DOCS`` most recently used are kept: a document takes
    part in many candidate pairs, and splitting it into sentences costs more
    than aligning it lexically.
    """
    doc = prepared.document
    key = (doc.id, hash(doc.text), tuple(prepared.excluded))
    item = _ROWS.get(key)
    if item is None:
        with_sents = with_sentences(prepared)
        text = doc.text
        rows = _static().encode([text[s:e] for s, e in with_sents.sentences or []])
        item = (with_sents, rows)
        _ROWS.put(key, item)
    return item


def gated_compare(
    a: PreparedDocument,
    b: PreparedDocument,
    options: CompareOptions,
    find: FindOptions,
    focus: tuple[list[tuple[int, int]], list[tuple[int, int]]] | None,
) -> Comparison:
    """:func:`textreuse.compare.compare` of a candidate pair, the full model run only where the static rows allow.

    Full mode with ``find.gate`` and no stored rows: the pair is compared
    with a :class:`GateEncoder`; otherwise as it is. A pair with nothing in
    ``focus`` (no cluster of shared 3-grams) shares nothing unless
    :func:`static_run` finds a run.
    """
    if options.mode != "full" or not find.gate or a.embeddings is not None or b.embeddings is not None:
        return compare(a, b, options, focus=focus)
    rows_a, rows_b = with_static_rows(a), with_static_rows(b)
    if focus is not None and not (focus[0] and focus[1]) and not static_run(rows_a, rows_b, find, options):
        return comparison(rows_a[0], rows_b[0], [], options)
    gate = GateEncoder(options.sentence_encoder(), rows_a, rows_b, find.gate_min_cosine)
    return compare(rows_a[0], rows_b[0], replace(options, embedder=gate), focus=focus)


def static_run(
    a: tuple[PreparedDocument, np.ndarray],
    b: tuple[PreparedDocument, np.ndarray],
    find: FindOptions,
    options: CompareOptions,
) -> bool:
    """Whether two documents' static rows show a run: two sentence pairs in order, both close.

    The second pair lies at most ``SemanticOptions.max_gap`` + 1 sentences
    after the first on both sides, and each pair's static rows have a cosine
    of ``find.gate_run_cosine`` or more; only sentences of
    ``find.knn_min_words`` content words or more take part. A paraphrased
    copy follows its source sentence after sentence; two stories that share
    names, or one close sentence, show no run.
    """
    (pa, ra), (pb, rb) = a, b
    wa = np.asarray([len(w) >= find.knn_min_words for w in pa.sentence_words or []], dtype=bool)
    wb = np.asarray([len(w) >= find.knn_min_words for w in pb.sentence_words or []], dtype=bool)
    if not wa.any() or not wb.any():
        return False
    close = np.zeros((len(wa), len(wb)), bool)
    close[np.ix_(wa, wb)] = (ra[wa] @ rb[wb].T) >= find.gate_run_cosine
    steps = range(1, options.semantic.max_gap + 2)
    return any((close[:-di, :-dj] & close[di:, dj:]).any() for di in steps for dj in steps)


@lru_cache(maxsize=1)
def _static() -> StaticEmbedder:
    """The process's static embedder (its table loaded once)."""
    return StaticEmbedder()
