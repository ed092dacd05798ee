"""The PAN text-alignment measures: precision, recall, granularity and plagdet.

Detections are scored against truth cases with the character-level
measures of Potthast et al., "An Evaluation Framework for Plagiarism
Detection" (COLING 2010).

**The measures.** A case *s* (truth) and a detection *r* are each a set of
characters: the suspicious-side characters ``[this_offset, this_offset +
this_length)`` of ``susp_ref`` together with the source-side characters
``[source_offset, source_offset + source_length)`` of ``src_ref``.

* *r* detects *s* iff both belong to the same (suspicious, source) pair and
  they overlap on **both** sides; ``s ⊓ r = s ∩ r`` if *r* detects *s*, else ∅;
* macro recall ``= mean over cases s of |⋃_r (s ⊓ r)| / |s|``;
* macro precision ``= mean over detections r of |⋃_s (s ⊓ r)| / |r|``;
* granularity ``= mean over detected cases of the number of detections
  detecting it``;
* plagdet ``= F1(precision, recall) / log2(1 + granularity)``.

Character counts are computed with interval arithmetic (sort and merge).

**Edge cases**, chosen to agree with the official PAN evaluation script
(``pan09-plagiarism-detection-performance-measures.py``, Potthast 2009):

* no cases and no detections: precision = recall = 1, granularity 1,
  plagdet 1 (a clean negative pair left alone is a perfect result);
* cases but no detections: precision = recall = 0 (not "undefined"),
  plagdet 0;
* detections but no cases: precision = recall = 0, plagdet 0 — so on the
  negatives of ``01-no-plagiarism`` a single false positive drops the
  category to 0; report ``pairs_with_detections`` to see how many;
* no case detected: granularity 1;
* precision = recall = 0: plagdet 0 (F1 is taken as 0);
* identical annotations (same references, offsets and lengths) count once,
  as the official script reads annotations into a set;
* references are compared with a trailing ``.txt`` removed, as later PAN
  versions of the script do (``suspicious-document00005`` matches
  ``suspicious-document00005.txt``);
* an annotation that covers no character (``this_length + source_length ==
  0``) is dropped before scoring — it holds nothing to find or to be right
  about, and the official script would divide by zero on it. One with only
  one side empty is kept but can never detect or be detected, since that
  needs shared characters on both sides (the official script compares
  offsets, so there a zero-length side strictly inside the other side
  would count as an overlap; PAN truth never has an empty side).

>>> case = PanCase("s.txt", 0, 100, "r.txt", 0, 100)
>>> half = PanCase("s.txt", 0, 50, "r.txt", 0, 50)
>>> sc = score([case], [half])
>>> (sc.precision, sc.recall, sc.granularity, round(sc.plagdet, 4))
(1.0, 0.5, 1.0, 0.6667)
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from textreuse.common.intervals import covered_length
from textreuse.io.pan.cases import PanCase, _stem

__all__ = ["Scores", "plagdet", "score"]

# (pair key, this start, this end, source start, source end)
_Ann = tuple[tuple[str, str], int, int, int, int]
# Per detection (by index): the parts of it that lie in the cases it detects, one list per side.
_Parts = dict[int, list[tuple[int, int]]]


@dataclass
class Scores:
    """The PAN measures of a set of detections against a set of cases.

    ``cases``/``detections`` count the (distinct, non-empty) annotations
    scored, ``detected_cases`` the cases found by at least one detection.
    ``pairs``, ``pairs_with_detections`` and ``pairs_missing`` are filled in by
    :func:`~textreuse.io.pan.evaluate_dirs`: truth files scored, those whose
    detection file holds at least one detection, and those with no detection
    file at all.

    >>> s = Scores(1.0, 0.5, 1.0, 2 / 3, cases=1, detections=1, detected_cases=1)
    >>> round(s.f1, 4)
    0.6667
    """

    precision: float
    recall: float
    granularity: float
    plagdet: float
    cases: int
    detections: int
    detected_cases: int
    pairs: int = 0
    pairs_with_detections: int = 0
    pairs_missing: int = 0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall (0 when both are 0)."""
        return _f1(self.precision, self.recall)


def _f1(precision: float, recall: float) -> float:
    if precision <= 0 or recall <= 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def plagdet(precision: float, recall: float, granularity: float) -> float:
    """``F1(precision, recall) / log2(1 + granularity)``; 0 when F1 is 0 or granularity < 1.

    >>> plagdet(1.0, 1.0, 1.0)
    1.0
    >>> round(plagdet(1.0, 1.0, 2.0), 4)   # 1 / log2(3)
    0.6309
    """
    if granularity < 1:
        return 0.0
    return _f1(precision, recall) / math.log2(1 + granularity)


def _prepare(annotations: Iterable[PanCase]) -> list[_Ann]:
    """Distinct, non-empty annotations as intervals, in first-seen order."""
    seen: dict[_Ann, None] = {}
    for a in annotations:
        if a.this_length + a.source_length <= 0:
            continue
        key = (
            (_stem(a.susp_ref), _stem(a.src_ref)),
            a.this_offset,
            a.this_offset + a.this_length,
            a.source_offset,
            a.source_offset + a.source_length,
        )
        seen.setdefault(key, None)
    return list(seen)


def _match_cases(cs: list[_Ann], ds: list[_Ann]) -> tuple[float, list[int], _Parts, _Parts]:
    """Sum of the cases' recall, detections per detected case, and per detection the parts in cases, per side."""
    by_pair: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, d in enumerate(ds):
        by_pair[d[0]].append(k)
    det_this: _Parts = defaultdict(list)
    det_src: _Parts = defaultdict(list)
    recall_sum = 0.0
    detections_per_detected_case: list[int] = []
    for pair, ct0, ct1, cs0, cs1 in cs:
        this_parts: list[tuple[int, int]] = []
        src_parts: list[tuple[int, int]] = []
        for k in by_pair.get(pair) or ():
            _, dt0, dt1, ds0, ds1 = ds[k]
            t0, t1 = max(ct0, dt0), min(ct1, dt1)
            if t1 <= t0:
                continue
            s0, s1 = max(cs0, ds0), min(cs1, ds1)
            if s1 <= s0:
                continue
            this_parts.append((t0, t1))
            src_parts.append((s0, s1))
            det_this[k].append((t0, t1))
            det_src[k].append((s0, s1))
        if this_parts:
            detections_per_detected_case.append(len(this_parts))
            recall_sum += (covered_length(this_parts) + covered_length(src_parts)) / (ct1 - ct0 + cs1 - cs0)
    return recall_sum, detections_per_detected_case, det_this, det_src


def score(cases: Sequence[PanCase], detections: Sequence[PanCase]) -> Scores:
    """The PAN measures of *detections* against *cases* (definitions and edge cases: module docs).

    >>> case = PanCase("s.txt", 0, 200, "r.txt", 0, 200)
    >>> two = [PanCase("s.txt", 0, 100, "r.txt", 0, 100), PanCase("s.txt", 100, 100, "r.txt", 100, 100)]
    >>> s = score([case], two)
    >>> (s.precision, s.recall, s.granularity, round(s.plagdet, 4))
    (1.0, 1.0, 2.0, 0.6309)
    >>> score([], []).plagdet, score([case], []).plagdet, score([], [case]).plagdet
    (1.0, 0.0, 0.0)
    """
    cs = _prepare(cases)
    ds = _prepare(detections)
    recall_sum, per_case, det_this, det_src = _match_cases(cs, ds)
    if cs and ds:
        recall = recall_sum / len(cs)
        precision_sum = 0.0
        for k, parts in det_this.items():
            _, dt0, dt1, ds0, ds1 = ds[k]
            precision_sum += (covered_length(parts) + covered_length(det_src[k])) / (dt1 - dt0 + ds1 - ds0)
        precision = precision_sum / len(ds)
    else:
        # Official script: both empty is perfect; either one empty scores 0.
        recall = precision = 1.0 if not cs and not ds else 0.0
    granularity = sum(per_case) / len(per_case) if per_case else 1.0
    return Scores(
        precision=precision,
        recall=recall,
        granularity=granularity,
        plagdet=plagdet(precision, recall, granularity),
        cases=len(cs),
        detections=len(ds),
        detected_cases=len(per_case),
    )
