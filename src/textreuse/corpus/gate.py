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

from textreuse.align.merge import _uncovered
from textreuse.compare import CompareOptions, Comparison, compare
from textreuse.corpus.options import FindOptions
from textreuse.embed.static import StaticEmbedder
from textreuse.prepare import PreparedDocument, with_sentences

__all__ = ["gated_compare", "semantic_needed"]


def semantic_needed(
    result: Comparison, a: PreparedDocument, b: PreparedDocument, options: CompareOptions, find: FindOptions
) -> bool:
    """Whether sentences outside the lexical passages of ``result`` have close static neighbours on the other side."""
    pa, pb = with_sentences(a), with_sentences(b)
    share = options.semantic.covered_share
    need_a = _uncovered(pa.sentences or [], [(p.a_start, p.a_end) for p in result.passages], share)
    need_b = _uncovered(pb.sentences or [], [(p.b_start, p.b_end) for p in result.passages], share)
    if not need_a or not need_b:
        return False
    embedder = _static()
    rows = []
    for prepared, need in ((pa, need_a), (pb, need_b)):
        text, sents = prepared.document.text, prepared.sentences or []
        rows.append(embedder.encode([text[sents[i][0] : sents[i][1]] for i in need]))
    return bool((rows[0] @ rows[1].T).max() >= find.gate_min_cosine)


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
    lexical = compare(a, b, replace(options, mode="lexical"), focus=focus)
    if not semantic_needed(lexical, a, b, options, find):
        return lexical
    return compare(a, b, options, focus=focus)


@lru_cache(maxsize=1)
def _static() -> StaticEmbedder:
    """The process's static embedder (its table loaded once)."""
    return StaticEmbedder()
