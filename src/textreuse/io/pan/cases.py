"""One annotation of a PAN pair: a truth case or a detection."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DETECTION_NAMES", "TRUTH_NAMES", "PanCase"]

#: ``<feature name=...>`` of the truth cases in PAN XML.
TRUTH_NAMES: tuple[str, ...] = ("plagiarism",)
#: ``<feature name=...>`` of a detector's detections in PAN XML.
DETECTION_NAMES: tuple[str, ...] = ("detected-plagiarism",)


@dataclass(frozen=True)
class PanCase:
    """A truth case or a detection of one PAN pair; "this" is the suspicious document.

    >>> c = PanCase("suspicious-document00005.txt", 3593, 698, "source-document01090.txt", 1300, 698, "none")
    >>> c.this_offset + c.this_length
    4291
    """

    susp_ref: str
    this_offset: int
    this_length: int
    src_ref: str
    source_offset: int
    source_length: int
    obfuscation: str | None = None


def _stem(ref: str) -> str:
    """A document reference without its ``.txt`` ending."""
    return ref.removesuffix(".txt")
