"""Whether a candidate pair needs the semantic stage: a static first pass before the full model.

In a full-mode corpus run most candidate pairs (two newspaper pages sharing
one wire story, two stories sharing rare names) have nothing for the
semantic stage to add: the sentences outside their lexical passages say
different things. Embedding those sentences with the full model is most of
the cost of a full-mode run (hours on a few thousand pages). The static
embedder (:mod:`textreuse.embed.static`, a table look-up per token) tells
them apart first: when no sentence left outside the lexical passages on one
side (with the sentences next to them, as the semantic stage compares) has
a static neighbour at cosine ``FindOptions.gate_min_cosine`` or more among
those of the other side, the pair is aligned in lexical mode.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import numpy as np

from textreuse.align.merge import _uncovered
from textreuse.common.lru import LRUCache
from textreuse.compare import CompareOptions, Comparison, compare
from textreuse.corpus.options import FindOptions
from textreuse.embed.static import StaticEmbedder
from textreuse.prepare import PreparedDocument, with_sentences

__all__ = ["gated_compare", "semantic_needed", "with_static_rows", "GATE_CACHE_DOCS"]

#: Documents whose sentences and static rows a process keeps (:func:`with_static_rows`).
GATE_CACHE_DOCS = 512

_ROWS: LRUCache[tuple[str, int, tuple[tuple[int, int], ...]], tuple[PreparedDocument, np.ndarray]] = LRUCache(
    GATE_CACHE_DOCS, name="GATE_CACHE_DOCS"
)


def semantic_needed(
    result: Comparison, a: PreparedDocument, b: PreparedDocument, options: CompareOptions, find: FindOptions
) -> bool:
    """Whether sentences outside the lexical passages of ``result`` have close static neighbours on the other side."""
    (pa, rows_a), (pb, rows_b) = with_static_rows(a), with_static_rows(b)
    share = options.semantic.covered_share
    need_a = _uncovered(pa.sentences or [], [(p.a_start, p.a_end) for p in result.passages], share)
    need_b = _uncovered(pb.sentences or [], [(p.b_start, p.b_end) for p in result.passages], share)
    if not need_a or not need_b:
        return False
    return bool((rows_a[need_a] @ rows_b[need_b].T).max() >= find.gate_min_cosine)


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
    """:func:`textreuse.compare.compare` of a candidate pair, in lexical mode when the semantic stage has nothing to add.

    Full mode with ``find.gate`` only; otherwise it compares as it is.
    """
    if options.mode != "full" or not find.gate:
        return compare(a, b, options, focus=focus)
    a, b = with_static_rows(a)[0], with_static_rows(b)[0]  # split into sentences once per document
    lexical = compare(a, b, replace(options, mode="lexical"), focus=focus)
    if not semantic_needed(lexical, a, b, options, find):
        return lexical
    return compare(a, b, options, focus=focus)


@lru_cache(maxsize=1)
def _static() -> StaticEmbedder:
    """The process's static embedder (its table loaded once)."""
    return StaticEmbedder()
