"""A calibrated confidence for a pair and for each passage: the probability that the text was reused.

``confidence`` (0–1) is the probability that the shared text was reused
(copied, edited, abridged, paraphrased from one document into the other),
not written independently (two reports of one event, a shared quotation,
set phrases). Two small logistic models give it, from what a comparison
already has:

* a **passage**'s confidence, from its kind, scores (overall, lexical,
  semantic) and length on each side (:func:`passage_features`);
* a **pair**'s confidence, from the coverage of each document, the relation
  label, how much of the shared text is verbatim, edited or paraphrased, the
  number and length of the passages, their scores and their confidences
  (:func:`pair_features`). A pair with no passage has confidence 0.

The coefficients and feature names live in ``textreuse/data/confidence.json``,
written by ``bench/fit_confidence.py`` from labelled pairs (planted reprints,
same-event hard negatives, PAN 2013, MSRP); a feature the file does not name
is ignored, one it names that is not computed here is an error. Only the
stored values of a result are used (coverage rounded as reported, the
passages), so a result read back from an index gets the same confidence.

>>> from textreuse.types import Passage
>>> p = Passage(0, 400, 0, 400, "verbatim", 1.0, 1.0)
>>> passage_confidence(p) > 0.9
True
>>> pair_confidence(0.98, 0.97, "duplicate", [p]) > 0.9
True
>>> pair_confidence(0.0, 0.0, "unrelated", [])
0.0
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from textreuse.errors import TextReuseError
from textreuse.types import Passage

__all__ = [
    "CONFIDENCE_DIGITS",
    "ConfidenceModel",
    "confidence_evidence",
    "LogisticModel",
    "confidence_model",
    "pair_confidence",
    "pair_features",
    "passage_confidence",
    "passage_features",
    "with_confidence",
]

# Decimal places of a reported confidence.
CONFIDENCE_DIGITS = 3
# Decimal places of the coverage a pair reports (the features read it rounded, as stored).
COVERAGE_DIGITS = 4
# Relation labels with a feature of their own ("partial reuse" is the baseline; "extended" reads as "abridged").
LABELS = ("duplicate", "abridged", "paraphrased copy")


@dataclass(frozen=True)
class LogisticModel:
    """``1 / (1 + exp(-(intercept + sum(coef * feature))))`` over named features."""

    names: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float

    def predict(self, features: Mapping[str, float]) -> float:
        """The probability for one row of features (every name of the model must be there)."""
        missing = [n for n in self.names if n not in features]
        if missing:
            raise TextReuseError(f"confidence model needs features that are not computed: {', '.join(missing)}")
        z = self.intercept + sum(c * features[n] for n, c in zip(self.names, self.coef))
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def to_dict(self) -> dict[str, Any]:
        return {"features": list(self.names), "coef": list(self.coef), "intercept": self.intercept}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LogisticModel:
        names, coef = tuple(data["features"]), tuple(float(c) for c in data["coef"])
        if len(names) != len(coef):
            raise TextReuseError("confidence model: as many coefficients as features needed")
        return cls(names, coef, float(data["intercept"]))


@dataclass(frozen=True)
class ConfidenceModel:
    """The passage model and the pair model."""

    passage: LogisticModel
    pair: LogisticModel

    def to_dict(self) -> dict[str, Any]:
        return {"passage": self.passage.to_dict(), "pair": self.pair.to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ConfidenceModel:
        return cls(LogisticModel.from_dict(data["passage"]), LogisticModel.from_dict(data["pair"]))


@lru_cache(maxsize=1)
def confidence_model() -> ConfidenceModel:
    """The model shipped in ``textreuse/data/confidence.json``."""
    text = (resources.files("textreuse") / "data" / "confidence.json").read_text(encoding="utf-8")
    return ConfidenceModel.from_dict(json.loads(text))


def _sides(p: Passage) -> tuple[int, int]:
    """A passage's characters on its shorter and its longer side."""
    la, lb = p.a_end - p.a_start, p.b_end - p.b_start
    return min(la, lb), max(la, lb)


def passage_features(p: Passage) -> dict[str, float]:
    """The features of one passage (see the module's docstring)."""
    short, long = _sides(p)
    return {
        "verbatim": float(p.kind == "verbatim"),
        "paraphrased": float(p.kind == "paraphrased"),
        "score": p.score,
        "lexical_score": p.lexical_score or 0.0,
        "semantic_score": p.semantic_score or 0.0,
        "has_lexical": float(p.lexical_score is not None),
        "has_semantic": float(p.semantic_score is not None),
        "log_chars": math.log1p(short),
        "length_ratio": short / long if long else 0.0,
    }


def passage_confidence(p: Passage, model: ConfidenceModel | None = None) -> float:
    """The probability that this passage's text was reused, rounded to :data:`CONFIDENCE_DIGITS` places."""
    m = model or confidence_model()
    return round(m.passage.predict(passage_features(p)), CONFIDENCE_DIGITS)


def with_confidence(passages: Iterable[Passage], model: ConfidenceModel | None = None) -> list[Passage]:
    """The passages, each with its :func:`passage_confidence`."""
    return [replace(p, confidence=passage_confidence(p, model)) for p in passages]


def pair_features(
    coverage_a: float, coverage_b: float, label: str, passages: Sequence[Passage], model: ConfidenceModel | None = None
) -> dict[str, float]:
    """The features of a pair (see the module's docstring); the passages' confidences are computed if missing."""
    ca, cb = round(coverage_a, COVERAGE_DIGITS), round(coverage_b, COVERAGE_DIGITS)
    lengths = [p.a_end - p.a_start + p.b_end - p.b_start for p in passages]
    total = sum(lengths) or 1
    conf = [p.confidence if p.confidence is not None else passage_confidence(p, model) for p in passages]

    def share(kind: str) -> float:
        return sum(n for n, p in zip(lengths, passages) if p.kind == kind) / total

    def weighted(values: Sequence[float]) -> float:
        return sum(n * v for n, v in zip(lengths, values)) / total

    label = "abridged" if label == "extended" else label
    return {
        "coverage_max": max(ca, cb),
        "coverage_min": min(ca, cb),
        "log_shared": math.log1p(total / 2),
        "log_longest": math.log1p(max((_sides(p)[0] for p in passages), default=0)),
        "log_passages": math.log1p(len(passages)),
        "verbatim_share": share("verbatim"),
        "paraphrased_share": share("paraphrased"),
        "mean_score": weighted([p.score for p in passages]),
        "mean_semantic": weighted([p.semantic_score or 0.0 for p in passages]),
        "semantic_share": weighted([float(p.semantic_score is not None) for p in passages]),
        "mean_confidence": weighted(conf),
        "max_confidence": max(conf, default=0.0),
        **{f"label_{name.replace(' ', '_')}": float(label == name) for name in LABELS},
    }


def pair_confidence(
    coverage_a: float, coverage_b: float, label: str, passages: Sequence[Passage], model: ConfidenceModel | None = None
) -> float:
    """The probability that the pair's shared text was reused (0 without passages), rounded."""
    if not passages:
        return 0.0
    m = model or confidence_model()
    return round(m.pair.predict(pair_features(coverage_a, coverage_b, label, passages, m)), CONFIDENCE_DIGITS)


def confidence_evidence(confidence: float) -> str:
    """The line of a pair's evidence that gives its confidence."""
    return f"confidence {confidence:.2f} that the text was reused, not written independently"
