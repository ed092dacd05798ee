"""Relate two documents: what kind of reuse joins them, and which is the source.

The verdict is read off the aligned passages: how much of each document is
covered by the other (containment), how much of the shared text was
paraphrased rather than copied, the documents' dates, and signs of machine
translation or spinning in one of them (stray full stops, orphan words
between sentences, spaces before punctuation).

Labels:

``duplicate``        both documents are (nearly) all shared text, copied or lightly edited;
``abridged``         one is a cut-down version of the other (the fuller one is the likely source);
``extended``         one takes all of the other and adds to it (the earlier, shorter one is the source);
``paraphrased copy`` the shared text was reworded: a spun or round-trip translated copy;
``partial reuse``    some passages are shared, neither document contains the other;
``unrelated``        nothing is shared.

>>> from textreuse.types import Passage
>>> relation_label(0.95, 0.97, [Passage(0, 10, 0, 10, "verbatim", 1.0)])
'duplicate'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from textreuse.align.evidence import EvidenceOptions, support_notes
from textreuse.align.options import check_each
from textreuse.align.orientation import aligned_swapped
from textreuse.align.passages import copied_share
from textreuse.common.checks import check_fields, check_type
from textreuse.common.dates import earlier
from textreuse.text.normalize import normalize
from textreuse.text.segment import tokenize
from textreuse.types import Document, Passage

__all__ = ["RelateOptions", "Relation", "kept_share", "relate", "relation_label", "spin_signs"]

_STRAY_STOP = re.compile(r"(?:\s\.(?=\s|$))|(?:\.\s+\.)|(?<=[a-z])\.\s+[a-z]+\.(?=\s|$)")
_SPACE_BEFORE_PUNCT = re.compile(r"\w\s+[,;:](?=\s)")


@dataclass(frozen=True)
class RelateOptions:
    """Settings of the verdict on a compared pair.

    Attributes:
        contained: share of a document found in the other that makes it "contained".
        full: both documents covered at least this much: a duplicate (or a paraphrased copy).
        reworded: a full copy keeping less than this share of its words in unchanged runs
            (:func:`kept_share`) is a paraphrased copy.
        kept_run: the words of a run at least this long, found unchanged in the other
            text, count as kept.
        paraphrased_share: a pair whose shared text is at least this share paraphrased,
            each document contained in the other, is a paraphrased copy.
        fuller_paraphrased: the fuller text of an abridged pair whose shared text is at
            least this share paraphrased reads as a paraphrase of the same article.
        spin_min_chars: fewest characters of shared text on each side to weigh traces of
            machine translation (:func:`spin_signs`).
        spin_min_marks: fewest traces per 10,000 characters that make a side look spun, when
        spin_ratio: it has at least this many times as many as the other side (or than 1).
        evidence: what a passage matched by meaning alone needs to be kept
            (:mod:`textreuse.align.evidence`: order, a copy beside it, a shared quote or phrase).
    """

    contained: float = 0.8
    full: float = 0.9
    reworded: float = 0.8
    kept_run: int = 4
    paraphrased_share: float = 0.5
    fuller_paraphrased: float = 0.3
    spin_min_chars: int = 1000
    spin_min_marks: int = 3
    spin_ratio: float = 3.0
    evidence: EvidenceOptions = field(default_factory=EvidenceOptions)

    def __post_init__(self) -> None:
        check_fields(self)
        check_type("RelateOptions.evidence", self.evidence, EvidenceOptions)
        check_each(self, "contained full reworded paraphrased_share fuller_paraphrased", low=0.0, high=1.0)
        check_each(self, "kept_run", low=1)
        check_each(self, "spin_min_chars spin_min_marks spin_ratio", low=0)


@dataclass(frozen=True)
class Relation:
    """The verdict on a pair: a label, the likely source (``"a"``, ``"b"`` or ``None``) and why."""

    label: str
    source: str | None
    evidence: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "source": self.source, "evidence": list(self.evidence)}


@lru_cache(maxsize=1024)
def spin_signs(text: str) -> int:
    """Count typical traces of machine translation or spinning per 10,000 characters.

    Stray full stops (``word .``, ``. .``, a lone word after a full stop as in
    ``countries. build.``) and spaces before commas or colons.
    """
    if not text:
        return 0
    hits = len(_STRAY_STOP.findall(text)) + len(_SPACE_BEFORE_PUNCT.findall(text))
    return round(10_000 * hits / len(text))


def _chars(passages: list[Passage], kind: str | None = None) -> int:
    """Characters of the passages (of ``kind``, if given), both sides counted: the same in either order."""
    return sum(_length(p) for p in passages if kind is None or p.kind == kind)


def _length(p: Passage) -> int:
    """A passage's characters on both sides."""
    return p.a_end - p.a_start + p.b_end - p.b_start


def kept_share(a: Document, b: Document, passages: list[Passage], min_run: int) -> float:
    """Share of the shared words kept in unchanged runs of ``min_run`` or more (1.0: nothing reworded).

    :func:`textreuse.align.passages.copied_share` of each passage's two texts,
    weighted by the passage's length on both sides. An edited reprint keeps most
    of its words in unchanged runs; a machine-translation round trip keeps
    fewer, even when it is found by shared words alone and its passages are
    ``edited``.

    >>> from textreuse.types import Document, Passage
    >>> a = Document("a", "The mayor said the old bridge will reopen on Monday.")
    >>> b = Document("b", "On Monday the old bridge will be reopened, the mayor said.")
    >>> kept_share(a, b, [Passage(0, len(a.text), 0, len(b.text), "edited", 0.9)], 4)
    0.4
    """
    total = kept = 0.0
    for p in passages:
        ka = tokenize(normalize(a.text[p.a_start : p.a_end])).keys
        kb = tokenize(normalize(b.text[p.b_start : p.b_end])).keys
        weight = _length(p)
        total += weight
        kept += weight * (1.0 if p.kind == "verbatim" else copied_share(ka, kb, min_run))
    return kept / total if total else 1.0


def relation_label(
    coverage_a: float,
    coverage_b: float,
    passages: list[Passage],
    kept: float = 1.0,
    options: RelateOptions | None = None,
) -> str:
    """The relation label from coverage, passage kinds and the kept share (no direction).

    ``kept`` is :func:`kept_share`: a pair that would be a duplicate but kept
    less than ``options.reworded`` of its words in unchanged runs is a paraphrased copy.
    """
    opt = options or RelateOptions()
    if not passages:
        return "unrelated"
    total = _chars(passages)
    paraphrased = _chars(passages, "paraphrased") / total if total else 0.0
    contained = opt.contained
    if (
        paraphrased >= opt.paraphrased_share
        and max(coverage_a, coverage_b) >= contained
        and min(coverage_a, coverage_b) >= contained
    ):
        return "paraphrased copy"
    if coverage_a >= opt.full and coverage_b >= opt.full:
        return "paraphrased copy" if kept < opt.reworded else "duplicate"
    if coverage_a >= contained or coverage_b >= contained:
        return "abridged"
    return "partial reuse"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _number(n: int) -> str:
    return _NUMBERS[n] if 0 <= n < len(_NUMBERS) else str(n)


def relate(
    a: Document,
    b: Document,
    coverage_a: float,
    coverage_b: float,
    passages: list[Passage],
    options: RelateOptions | None = None,
) -> Relation:
    """The verdict on a compared pair, with direction evidence."""
    opt = options or RelateOptions()
    full = coverage_a >= opt.full and coverage_b >= opt.full and any(p.kind != "verbatim" for p in passages)
    kept = kept_share(a, b, passages, opt.kept_run) if full else 1.0
    label = relation_label(coverage_a, coverage_b, passages, kept, opt)
    if label == "unrelated":
        return Relation(label, None, ["no shared passage"])
    evidence = [f"{_pct(coverage_a)} of a is found in b; {_pct(coverage_b)} of b is found in a"]
    total = _chars(passages)
    para = _chars(passages, "paraphrased") / total if total else 0.0
    verb = _chars(passages, "verbatim") / total if total else 0.0
    evidence.append(f"shared text: {_pct(verb)} verbatim, {_pct(para)} paraphrased, {_pct(1 - verb - para)} edited")
    evidence.extend(support_notes(a.text, b.text, passages, opt.evidence))
    if kept < opt.reworded:
        evidence.append(
            f"only {_pct(kept)} of the shared words are in unchanged runs of {_number(opt.kept_run)} or more: reworded"
        )
    # Dates: the earlier document is the likely source.
    by_date = earlier(a.date, b.date)
    if by_date is not None:
        first, last = (a.date, b.date) if by_date == "a" else (b.date, a.date)
        evidence.append(f"dates: {by_date} is earlier ({first} before {last})")
    spun = _spun(a, b, passages, opt, evidence)
    source: str | None = None
    if label == "abridged":
        shorter = _contained(a, b, coverage_a, coverage_b)
        label, source = _abridged_source(shorter, by_date, para >= opt.fuller_paraphrased, spun, evidence)
    elif label in ("paraphrased copy", "duplicate"):
        source = ("b" if spun == "a" else "a") if spun else by_date
    elif label == "partial reuse":
        source = by_date
    return Relation(label, source, evidence)


def _spun(a: Document, b: Document, passages: list[Passage], opt: RelateOptions, evidence: list[str]) -> str | None:
    """The side with traces of machine translation, if one has clearly more (noted in ``evidence``).

    That side derives from the other. Only the shared text is read (a
    newspaper page carries other stories), and only enough of it.
    """
    # Each side's shared text in its own reading order, so the count does not depend on which side is a.
    shared_a = "\n".join(a.text[s:e] for s, e in sorted((p.a_start, p.a_end) for p in passages))
    shared_b = "\n".join(b.text[s:e] for s, e in sorted((p.b_start, p.b_end) for p in passages))
    enough = min(len(shared_a), len(shared_b)) >= opt.spin_min_chars
    sa, sb = (spin_signs(shared_a), spin_signs(shared_b)) if enough else (0, 0)
    if sa != sb and max(sa, sb) >= opt.spin_min_marks and max(sa, sb) >= opt.spin_ratio * max(1, min(sa, sb)):
        spun = "a" if sa > sb else "b"
        evidence.append(
            f"{spun} shows signs of machine translation or spinning ({max(sa, sb)} stray marks per 10,000 characters vs {min(sa, sb)})"
        )
        return spun
    return None


def _contained(a: Document, b: Document, coverage_a: float, coverage_b: float) -> str:
    """The side found in the other (``"a"`` or ``"b"``): the more covered; on a tie, the shorter text, then by key.

    The same document whichever side it is on (see :mod:`textreuse.align.orientation`).
    """
    if coverage_a != coverage_b:
        return "a" if coverage_a > coverage_b else "b"
    if len(a.text) != len(b.text):
        return "a" if len(a.text) < len(b.text) else "b"
    return "b" if aligned_swapped(a, b) else "a"


def _abridged_source(
    shorter: str,
    by_date: str | None,
    paraphrased: bool,
    spun: str | None,
    evidence: list[str],
) -> tuple[str, str | None]:
    """The label (``abridged`` or ``extended``) and source of a pair where text ``shorter`` is contained in the other."""
    fuller = "b" if shorter == "a" else "a"
    source: str | None
    label = "abridged"
    if by_date == shorter:
        label = "extended"
        source = shorter
        evidence.append(f"{fuller} contains {shorter}, which is earlier: {fuller} extends it")
    else:
        source = fuller
        evidence.append(f"{shorter} is an abridged version of {fuller}")
    if paraphrased or spun:
        the_para = spun or fuller
        evidence.append(f"{the_para} reads as a paraphrase (spun or round-trip translated) of the same article")
        if the_para == fuller:
            # The fuller text is itself a spun copy: both derive from an original elsewhere.
            source = None
            evidence.append("both derive from the same original article")
    return label, source
