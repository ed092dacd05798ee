"""One pair of documents sharing text, as a corpus run reports it: a :class:`PairRecord`, a line of ``pairs.jsonl``.

>>> from textreuse.compare import compare
>>> story = "The harbour board voted on Tuesday to close the old north pier after engineers found cracks."
>>> record = PairRecord.from_comparison(compare(story, "Reprinted: " + story))
>>> record.a, record.b, record.coverage_a, [p.kind for p in record.passages]
('a', 'b', 1.0, ['verbatim'])
>>> list(record.to_dict())
['a', 'b', 'relation', 'confidence', 'coverage', 'passages', 'excluded_share']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textreuse.compare import Comparison
from textreuse.index.results import PairRow
from textreuse.relate import Relation
from textreuse.types import Passage

__all__ = ["PairRecord", "output_order"]

# Decimal places of the coverage reported.
COVERAGE_DIGITS = 4


@dataclass(frozen=True)
class PairRecord:
    """Two documents (by id) that share text: the passages, each side's coverage, the relation verdict.

    ``coverage_a`` and ``coverage_b`` are the shares of *a* and *b* inside
    the passages as reported (rounded to 4 places); ``relation`` is the
    pair's verdict (:mod:`textreuse.relate`), ``None`` when there is none;
    ``excluded_share_a`` and ``excluded_share_b`` the shares of each side's
    characters excluded from alignment as page junk; ``confidence`` the
    probability that the shared text was reused (:mod:`textreuse.confidence`;
    each passage carries its own).
    """

    a: str
    b: str
    relation: Relation | None
    coverage_a: float
    coverage_b: float
    passages: tuple[Passage, ...]
    excluded_share_a: float = 0.0
    excluded_share_b: float = 0.0
    confidence: float = 0.0

    @classmethod
    def from_comparison(cls, result: Comparison) -> PairRecord:
        """The record of a comparison of two documents."""
        return cls(
            a=result.a.id,
            b=result.b.id,
            relation=result.relation,
            coverage_a=round(result.coverage_a, COVERAGE_DIGITS),
            coverage_b=round(result.coverage_b, COVERAGE_DIGITS),
            passages=tuple(result.passages),
            excluded_share_a=round(result.excluded_share_a, COVERAGE_DIGITS),
            excluded_share_b=round(result.excluded_share_b, COVERAGE_DIGITS),
            confidence=result.confidence or 0.0,
        )

    @property
    def label(self) -> str:
        """The relation's label, ``""`` without a verdict."""
        return self.relation.label if self.relation else ""

    def to_dict(self) -> dict[str, Any]:
        """The line of ``pairs.jsonl``: ``a``, ``b``, ``relation``, ``confidence``, ``coverage``, ``passages``, ``excluded_share``."""
        return {
            "a": self.a,
            "b": self.b,
            "relation": self.relation.to_dict() if self.relation else None,
            "confidence": self.confidence,
            "coverage": {"a": self.coverage_a, "b": self.coverage_b},
            "passages": [p.to_dict() for p in self.passages],
            "excluded_share": {"a": self.excluded_share_a, "b": self.excluded_share_b},
        }

    def to_row(self) -> PairRow:
        """The row the index keeps for this pair (:mod:`textreuse.index.results`)."""
        relation = self.relation
        return PairRow(
            a=self.a,
            b=self.b,
            label=self.label,
            source=relation.source if relation else None,
            evidence=tuple(relation.evidence) if relation else (),
            coverage_a=self.coverage_a,
            coverage_b=self.coverage_b,
            passages=self.passages,
            confidence=self.confidence,
        )


def output_order(record: PairRecord) -> tuple[float, float, str, str]:
    """The sort key of the lines of ``pairs.jsonl`` (every engine): the most confident first, then the fuller coverage, then the ids."""
    return -record.confidence, -max(record.coverage_a, record.coverage_b), record.a, record.b
