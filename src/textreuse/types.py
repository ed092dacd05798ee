"""Plain data types that pass between the pipeline stages.

Every offset in these types is a Python ``str`` index into the *original*
text of a document (``Document.text``), never into a normalized copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

PassageKind = Literal["verbatim", "edited", "paraphrased"]


@dataclass(frozen=True)
class Document:
    """One text with a stable id and optional metadata (date, source, title, url, ...)."""

    id: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def date(self) -> str | None:
        value = self.metadata.get("date")
        return None if value in (None, "") else str(value)

    @property
    def source(self) -> str | None:
        value = self.metadata.get("source")
        return None if value in (None, "") else str(value)


@dataclass(frozen=True, order=True)
class Span:
    """A half-open character range ``[start, end)`` of an original text."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Passage:
    """A stretch of text shared by documents *a* and *b*.

    ``a_start:a_end`` slices ``a.text`` and ``b_start:b_end`` slices ``b.text``.
    ``kind`` says how the text changed between the two: ``verbatim`` (same words
    after normalization), ``edited`` (words substituted, inserted, deleted or
    moved) or ``paraphrased`` (same meaning, few shared words). ``score`` is a
    similarity in ``[0, 1]``; ``confidence`` the probability that the text was
    reused (:mod:`textreuse.confidence`), ``None`` until it is computed.
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    kind: PassageKind
    score: float
    lexical_score: float | None = None
    semantic_score: float | None = None
    confidence: float | None = None

    def mirrored(self) -> Passage:
        """The same passage seen from the other document: the *a* and *b* sides swapped."""
        return replace(self, a_start=self.b_start, a_end=self.b_end, b_start=self.a_start, b_end=self.a_end)

    @property
    def a_span(self) -> Span:
        return Span(self.a_start, self.a_end)

    @property
    def b_span(self) -> Span:
        return Span(self.b_start, self.b_end)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "a_start": self.a_start,
            "a_end": self.a_end,
            "b_start": self.b_start,
            "b_end": self.b_end,
            "kind": self.kind,
            "score": round(self.score, 4),
        }
        if self.lexical_score is not None:
            out["lexical_score"] = round(self.lexical_score, 4)
        if self.semantic_score is not None:
            out["semantic_score"] = round(self.semantic_score, 4)
        if self.confidence is not None:
            out["confidence"] = self.confidence
        return out
