"""Compare two documents: the whole pipeline for one pair.

1. **Prepare** each document once (:mod:`textreuse.prepare`: normalize, junk, segment).
2. **Align words** (:func:`~textreuse.align.lexical.align_lexical`): passages that share word runs.
3. In ``full`` mode, **align meaning** (:func:`~textreuse.align.merge.merge_semantic`):
   sentences that say the same in other words, merged with the lexical passages;
   then **summaries** (:func:`~textreuse.align.summaries.summary_passages`).
4. **Passages**: edges take in shared punctuation, each gets a kind and scores
   (:mod:`textreuse.align.passages`).
5. **Verdict**: coverage and the relation of the two documents (:mod:`textreuse.relate`).

>>> r = compare("The harbour bridge will close for repairs on Monday, the city council said in a statement.",
...             "Officials said the harbour bridge will close for repairs on Monday, the city council said.")
>>> [(p.kind, r.a.text[p.a_start:p.a_end]) for p in r.passages]
[('verbatim', 'The harbour bridge will close for repairs on Monday, the city council said')]
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from textreuse.align.evidence import supported_passages
from textreuse.align.lexical import LexicalOptions, align_lexical
from textreuse.align.merge import merge_semantic
from textreuse.align.orientation import aligned_swapped
from textreuse.align.passages import coverage, passage, sentence_edges, token_range, with_punctuation
from textreuse.align.semantic import SemanticOptions
from textreuse.align.spans import AlignedSpan
from textreuse.align.summaries import summary_passages
from textreuse.common.checks import check_choice, check_fields, check_range, check_type
from textreuse.confidence import confidence_evidence, pair_confidence, with_confidence
from textreuse.embed.settings import EmbedSettings
from textreuse.errors import OptionError
from textreuse.prepare import (
    PreparedDocument,
    SentenceEncoder,
    as_document,
    exclude,
    prepare,
    with_embeddings,
    with_sentences,
)
from textreuse.relate import RelateOptions, Relation, relate
from textreuse.text.junk import excluded_share
from textreuse.text.segment import Tokens
from textreuse.types import Document, Passage

__all__ = [
    "CompareOptions",
    "Comparison",
    "PreparedDocument",
    "compare",
    "comparison",
    "exclude",
    "prepare",
    "with_embeddings",
    "with_sentences",
]

MODES = ("full", "lexical")


@dataclass(frozen=True)
class CompareOptions:
    """Settings for comparing two documents.

    Attributes:
        lexical: settings of the lexical aligner (seed, extend, merge).
        junk: keep page junk (captions, bylines, mastheads, footers) out of alignment.
        mode: ``full`` aligns words and meaning (sentence embeddings);
            ``lexical`` aligns shared words only (faster, no model).
        semantic: settings of the semantic (sentence) aligner.
        embedder: the sentence embedder: a name (see :func:`textreuse.embed.get_embedder`)
            or an object with ``encode(sentences) -> array`` of unit rows.
        copied_run: the words of a run at least this long, found unchanged in the
            other text, count as copied (the kind of a passage).
        paraphrase_copied: a passage matched by meaning with less than this share of
            its words copied is ``paraphrased``; with more, ``edited``.
        relate: settings of the verdict on the pair.
        embedding: where a named embedder keeps its rows on disk and how many threads it runs on.
        min_confidence: a pair whose confidence (:mod:`textreuse.confidence`) is below this is
            reported as sharing nothing (no passages, ``unrelated``, the reason in its evidence).
        sentence_edges: an edge of an edited or paraphrased passage moves to the edge of its
            sentence when that lies within this many characters
            (:func:`~textreuse.align.passages.sentence_edges`; 0: off; ``textreuse pan`` sets it),
        near_copy: unless its content words are at least this alike (Dice): a near copy keeps
            its word-exact bounds.

    >>> CompareOptions(mode="Full")
    Traceback (most recent call last):
    ...
    textreuse.errors.OptionError: CompareOptions.mode must be one of 'full', 'lexical', got 'Full'
    """

    lexical: LexicalOptions = field(default_factory=LexicalOptions)
    junk: bool = True
    mode: Literal["full", "lexical"] = "full"
    semantic: SemanticOptions = field(default_factory=SemanticOptions)
    embedder: str | SentenceEncoder = "minilm-onnx"
    copied_run: int = 4
    paraphrase_copied: float = 0.8
    relate: RelateOptions = field(default_factory=RelateOptions)
    embedding: EmbedSettings = field(default_factory=EmbedSettings)
    min_confidence: float = 0.0
    sentence_edges: int = 0
    near_copy: float = 0.9

    def __post_init__(self) -> None:
        check_fields(self)
        check_type("CompareOptions.lexical", self.lexical, LexicalOptions)
        check_type("CompareOptions.semantic", self.semantic, SemanticOptions)
        check_type("CompareOptions.relate", self.relate, RelateOptions)
        check_type("CompareOptions.embedding", self.embedding, EmbedSettings)
        check_choice("CompareOptions.mode", self.mode, MODES)
        check_range("CompareOptions.copied_run", self.copied_run, low=1)
        check_range("CompareOptions.paraphrase_copied", self.paraphrase_copied, low=0.0, high=1.0)
        check_range("CompareOptions.min_confidence", self.min_confidence, low=0.0, high=1.0)
        check_range("CompareOptions.sentence_edges", self.sentence_edges, low=0)
        check_range("CompareOptions.near_copy", self.near_copy, low=0.0, high=1.0)
        if isinstance(self.embedder, str):
            if self.mode == "full":  # the embedders are looked up only where one is used
                from textreuse.embed import embedder_names

                check_choice("CompareOptions.embedder", self.embedder, embedder_names())
        elif not callable(getattr(self.embedder, "encode", None)):
            raise OptionError(f"CompareOptions.embedder must be a name or have an encode method, got {self.embedder!r}")

    @property
    def embedder_name(self) -> str:
        """The embedder's name (as an index records it): ``embedder``, or the object's ``name``."""
        if isinstance(self.embedder, str):
            return self.embedder
        return str(getattr(self.embedder, "name", type(self.embedder).__name__))

    def sentence_encoder(self) -> SentenceEncoder:
        """The embedder: ``embedder`` itself, or the process-wide one of that name with ``embedding``'s settings."""
        if isinstance(self.embedder, str):
            from textreuse.embed import get_embedder

            return get_embedder(self.embedder, cache_dir=self.embedding.cache_dir, threads=self.embedding.threads)
        return self.embedder


@dataclass(frozen=True)
class Comparison:
    """What two documents share: passages, coverage, excluded junk, the verdict and its confidence.

    ``confidence`` is the probability that the shared text was reused
    (:mod:`textreuse.confidence`); each passage carries its own.
    """

    a: Document
    b: Document
    passages: list[Passage]
    coverage_a: float
    coverage_b: float
    excluded_a: list[tuple[int, int]]
    excluded_b: list[tuple[int, int]]
    relation: Relation | None = None
    confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form documented in the README."""
        return {
            "a": {"id": self.a.id, "length": len(self.a.text)},
            "b": {"id": self.b.id, "length": len(self.b.text)},
            "relation": self.relation.to_dict() if self.relation else None,
            "confidence": self.confidence,
            "passages": [p.to_dict() for p in self.passages],
            "coverage": {"a": round(self.coverage_a, 4), "b": round(self.coverage_b, 4)},
            "excluded": {
                "a": [list(s) for s in self.excluded_a],
                "b": [list(s) for s in self.excluded_b],
            },
            "excluded_share": {"a": round(self.excluded_share_a, 4), "b": round(self.excluded_share_b, 4)},
        }

    @property
    def excluded_share_a(self) -> float:
        """The share of *a*'s characters excluded from alignment as page junk."""
        return excluded_share(self.a.text, self.excluded_a)

    @property
    def excluded_share_b(self) -> float:
        """The share of *b*'s characters excluded from alignment as page junk."""
        return excluded_share(self.b.text, self.excluded_b)


def compare(
    a: Document | str | PreparedDocument,
    b: Document | str | PreparedDocument,
    options: CompareOptions | None = None,
    *,
    focus: tuple[list[tuple[int, int]], list[tuple[int, int]]] | None = None,
) -> Comparison:
    """Align two documents and report the passages they share.

    ``a`` and ``b`` may be :class:`Document` objects, plain strings (ids ``a``
    and ``b``) or documents already run through :func:`prepare`.

    ``focus`` (token index ranges of *a* and of *b*, half-open) restricts the
    lexical aligner to those stretches: a corpus run knows from the shared
    n-grams where two long pages can share text, and aligns only there.
    Offsets, coverage and the verdict still refer to the whole documents.

    The result does not depend on the order of the two: the pair is aligned
    in the order of :func:`~textreuse.align.orientation.aligned_swapped` and
    presented in the caller's (``compare(b, a)`` is ``compare(a, b)`` with
    the sides swapped).
    """
    opt = options or CompareOptions()
    pa = a if isinstance(a, PreparedDocument) else prepare(as_document(a, "a"), junk=opt.junk)
    pb = b if isinstance(b, PreparedDocument) else prepare(as_document(b, "b"), junk=opt.junk)
    if aligned_swapped(pa.document, pb.document):
        flipped = None if focus is None else (focus[1], focus[0])
        passages = [p.mirrored() for p in _passages(pb, pa, opt, flipped)]
    else:
        passages = _passages(pa, pb, opt, focus)
    result = comparison(pa, pb, passages, opt)
    if not result.passages or (result.confidence or 0.0) >= opt.min_confidence:
        return result
    return _below(result, opt.min_confidence)


def _below(result: Comparison, minimum: float) -> Comparison:
    """A comparison whose confidence is below ``minimum``, reported as sharing nothing."""
    why = f"{confidence_evidence(result.confidence or 0.0)}: below the minimum {minimum:.2f}, no passage reported"
    relation = Relation("unrelated", None, [why])
    return replace(result, passages=[], coverage_a=0.0, coverage_b=0.0, relation=relation)


def _passages(
    pa: PreparedDocument,
    pb: PreparedDocument,
    opt: CompareOptions,
    focus: tuple[list[tuple[int, int]], list[tuple[int, int]]] | None,
) -> list[Passage]:
    """The passages two prepared documents share, aligned with ``pa`` as *a* (see :func:`compare`)."""
    ta, tb = pa.tokens, pb.tokens
    spans = _lexical_spans(ta, tb, opt.lexical, focus)
    if opt.mode == "full":
        pa, pb = with_sentences(pa), with_sentences(pb)
        spans = merge_semantic(pa, pb, spans, opt.semantic, opt.sentence_encoder())
        if opt.semantic.summary:
            spans = summary_passages(spans, (pa, pb), opt.semantic)
    text_a, text_b = pa.document.text, pb.document.text
    out = [
        passage(
            ta,
            tb,
            with_punctuation(text_a, text_b, s),
            copied_run=opt.copied_run,
            paraphrase_copied=opt.paraphrase_copied,
        )
        for s in spans
    ]
    if opt.sentence_edges and out:
        sa, sb = with_sentences(pa).sentences or [], with_sentences(pb).sentences or []
        out = [sentence_edges(p, sa, sb, opt.sentence_edges, opt.near_copy) for p in out]
    return out


def _lexical_spans(
    ta: Tokens,
    tb: Tokens,
    options: LexicalOptions,
    focus: tuple[list[tuple[int, int]], list[tuple[int, int]]] | None,
) -> list[AlignedSpan]:
    """The passages of the lexical aligner (within ``focus``, if given), in character offsets."""
    la, lb = (ta, tb) if focus is None else (ta.select(focus[0]), tb.select(focus[1]))
    return [
        AlignedSpan(la.starts[m.a_first], la.ends[m.a_last], lb.starts[m.b_first], lb.ends[m.b_last], None, m.verbatim)
        for m in align_lexical(la, lb, options)
    ]


def comparison(
    pa: PreparedDocument, pb: PreparedDocument, passages: list[Passage], options: CompareOptions | None = None
) -> Comparison:
    """The :class:`Comparison` of two prepared documents from their passages: coverage, verdict, confidence.

    Passages matched by meaning alone that show no sign of copying are left
    out first (:func:`~textreuse.align.evidence.supported_passages`).
    """
    ta, tb = pa.tokens, pb.tokens
    rel = options.relate if options else RelateOptions()
    passages = supported_passages(pa.document.text, pb.document.text, passages, rel.evidence)
    passages = with_confidence(sorted(passages, key=lambda p: (p.a_start, p.b_start)))
    cov_a = coverage(len(ta), [token_range(ta, p.a_start, p.a_end) for p in passages])
    cov_b = coverage(len(tb), [token_range(tb, p.b_start, p.b_end) for p in passages])
    relation = relate(pa.document, pb.document, cov_a, cov_b, passages, rel)
    confidence = pair_confidence(cov_a, cov_b, relation.label, passages)
    if passages:
        relation = Relation(relation.label, relation.source, [*relation.evidence, confidence_evidence(confidence)])
    return Comparison(pa.document, pb.document, passages, cov_a, cov_b, pa.excluded, pb.excluded, relation, confidence)
