"""Compare two documents: the whole pipeline for one pair.

``prepare`` runs the per-document stages once (normalize, junk, segment) so
that a document compared with many others is prepared only once;
``compare`` aligns two prepared documents and returns a :class:`Comparison`.

>>> r = compare("The harbour bridge will close for repairs on Monday, the city council said in a statement.",
...             "Officials said the harbour bridge will close for repairs on Monday, the city council said.")
>>> [(p.kind, r.a.text[p.a_start:p.a_end]) for p in r.passages]
[('verbatim', 'The harbour bridge will close for repairs on Monday, the city council said')]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .align.lexical import LexicalOptions, align_lexical
from .junk import RepeatedLines, find_junk
from .normalize import NormalizedText, normalize, normalize_chars
from .segment import Tokens, tokenize
from .types import Document, Passage

__all__ = ["CompareOptions", "Comparison", "PreparedDocument", "prepare", "compare"]


@dataclass(frozen=True)
class CompareOptions:
    """Settings for comparing two documents.

    Attributes:
        lexical: settings of the lexical aligner (seed, extend, merge).
        junk: keep page junk (captions, bylines, mastheads, footers) out of alignment.
    """

    lexical: LexicalOptions = field(default_factory=LexicalOptions)
    junk: bool = True


@dataclass(frozen=True)
class PreparedDocument:
    """A document after the per-document stages.

    ``tokens`` holds only the tokens outside the ``excluded`` spans (junk),
    with offsets into ``document.text``.
    """

    document: Document
    normalized: NormalizedText
    tokens: Tokens
    excluded: list[tuple[int, int]]


@dataclass(frozen=True)
class Comparison:
    """What two documents share: passages, coverage and excluded junk."""

    a: Document
    b: Document
    passages: list[Passage]
    coverage_a: float
    coverage_b: float
    excluded_a: list[tuple[int, int]]
    excluded_b: list[tuple[int, int]]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form documented in the README."""
        return {
            "a": {"id": self.a.id, "length": len(self.a.text)},
            "b": {"id": self.b.id, "length": len(self.b.text)},
            "passages": [p.to_dict() for p in self.passages],
            "coverage": {"a": round(self.coverage_a, 4), "b": round(self.coverage_b, 4)},
            "excluded": {
                "a": [list(s) for s in self.excluded_a],
                "b": [list(s) for s in self.excluded_b],
            },
        }


def _as_document(doc: Document | str, default_id: str) -> Document:
    return doc if isinstance(doc, Document) else Document(default_id, doc)


def prepare(doc: Document | str, *, junk: bool = True, repeated: RepeatedLines | None = None) -> PreparedDocument:
    """Run normalize, junk detection and segmentation on one document."""
    doc = _as_document(doc, "doc")
    norm = normalize(doc.text)
    tokens = tokenize(norm)
    excluded = find_junk(doc.text, repeated=repeated) if junk else []
    if excluded:
        keep = _outside(tokens, excluded)
        breaks = frozenset(n for n, (i, j) in enumerate(zip([-1] + keep, keep)) if j != i + 1 and n > 0)
        tokens = Tokens(
            [tokens.keys[i] for i in keep],
            [tokens.starts[i] for i in keep],
            [tokens.ends[i] for i in keep],
            breaks,
        )
    return PreparedDocument(doc, norm, tokens, excluded)


def _is_mark(ch: str) -> bool:
    return not ch.isspace() and not ch.isalnum()


def _with_punctuation(a: str, a_start: int, a_end: int, b: str, b_start: int, b_end: int) -> tuple[int, int, int, int]:
    """Take in the punctuation that both texts have right around a passage (quotes, full stops)."""
    while a_end < len(a) and b_end < len(b) and _is_mark(a[a_end]) and normalize_chars(a[a_end]) == normalize_chars(b[b_end]):
        a_end += 1
        b_end += 1
    while a_start > 0 and b_start > 0 and _is_mark(a[a_start - 1]) and normalize_chars(a[a_start - 1]) == normalize_chars(b[b_start - 1]):
        a_start -= 1
        b_start -= 1
    return a_start, a_end, b_start, b_end


def _outside(tokens: Tokens, spans: list[tuple[int, int]]) -> list[int]:
    keep = []
    k = 0
    for i, (s, e) in enumerate(zip(tokens.starts, tokens.ends)):
        while k < len(spans) and spans[k][1] <= s:
            k += 1
        if k < len(spans) and spans[k][0] < e:
            continue
        keep.append(i)
    return keep


def _coverage(n_tokens: int, intervals: list[tuple[int, int]]) -> float:
    if n_tokens == 0:
        return 0.0
    covered = 0
    last = -1
    for first, end in sorted(intervals):
        first = max(first, last + 1)
        if end >= first:
            covered += end - first + 1
            last = end
    return covered / n_tokens


def compare(
    a: Document | str | PreparedDocument,
    b: Document | str | PreparedDocument,
    options: CompareOptions | None = None,
) -> Comparison:
    """Align two documents and report the passages they share.

    ``a`` and ``b`` may be :class:`Document` objects, plain strings (ids ``a``
    and ``b``) or documents already run through :func:`prepare`.
    """
    opt = options or CompareOptions()
    pa = a if isinstance(a, PreparedDocument) else prepare(_as_document(a, "a"), junk=opt.junk)
    pb = b if isinstance(b, PreparedDocument) else prepare(_as_document(b, "b"), junk=opt.junk)
    ta, tb = pa.tokens, pb.tokens
    matches = align_lexical(ta, tb, opt.lexical)
    passages = []
    for m in matches:
        a_start, a_end, b_start, b_end = _with_punctuation(
            pa.document.text, ta.starts[m.a_first], ta.ends[m.a_last],
            pb.document.text, tb.starts[m.b_first], tb.ends[m.b_last],
        )
        passages.append(
            Passage(
                a_start=a_start,
                a_end=a_end,
                b_start=b_start,
                b_end=b_end,
                kind="verbatim" if m.verbatim else "edited",
                score=1.0 if m.verbatim else m.similarity,
                lexical_score=1.0 if m.verbatim else m.similarity,
            )
        )
    cov_a = _coverage(len(ta), [(m.a_first, m.a_last) for m in matches])
    cov_b = _coverage(len(tb), [(m.b_first, m.b_last) for m in matches])
    return Comparison(pa.document, pb.document, passages, cov_a, cov_b, pa.excluded, pb.excluded)

