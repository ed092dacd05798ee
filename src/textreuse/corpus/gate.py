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
        static = a[1] @ b[1].T
        # Each sentence's best static cosine on the other side (-1: the other side has no sentence).
        best_a = static.max(axis=1) if static.shape[1] else np.full(static.shape[0], -1.0)
        best_b = static.max(axis=0) if static.shape[0] else np.full(static.shape[1], -1.0)
        self.close: dict[str, bool] = {}
        for (mine, _), best in ((a, best_a), (b, best_b)):
            text = mine.document.text
            for n, (s, e) in enumerate(mine.sentences or []):
                self.close.setdefault(text[s:e], bool(best[n] >= min_cosine))
        self.embedded = 0

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Rows of ``sentences``: the model's for those with a close static neighbour on the other side."""
        out = np.zeros((len(sentences), self.dim), np.float32)
        # A sentence of neither document is embedded.
        wanted = [i for i, text in enumerate(sentences) if self.close.get(text, True)]
        if wanted:
            out[wanted] = self.model.encode([sentences[i] for i in wanted])
            self.embedded += len(wanted)
        return out


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
    ia = np.flatnonzero([len(w) >= find.knn_min_words for w in pa.sentence_words or []])
    ib = np.flatnonzero([len(w) >= find.knn_min_words for w in pb.sentence_words or []])
    if not len(ia) or not len(ib):
        return False
    i, j = np.nonzero((ra[ia] @ rb[ib].T) >= find.gate_run_cosine)
    if len(i) < 2:
        return False
    steps = range(1, options.semantic.max_gap + 2)
    width = int(ib[-1]) + len(steps) + 1  # no step reaches the next row
    keys = ia[i] * width + ib[j]
    return any(np.isin(keys + di * width + dj, keys).any() for di in steps for dj in steps)


@lru_cache(maxsize=1)
def _static() -> StaticEmbedder:
    """The process's static embedder (its table loaded once)."""
    return StaticEmbedder()
