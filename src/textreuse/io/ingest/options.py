"""How inputs are read: :class:`InputOptions`, checked at construction.

>>> InputOptions(max_chars=0)
Traceback (most recent call last):
...
textreuse.errors.OptionError: InputOptions.max_chars must be >= 1, got 0
"""

from __future__ import annotations

from dataclasses import dataclass

from textreuse.common.checks import check_fields, check_range

__all__ = ["InputOptions"]


@dataclass(frozen=True)
class InputOptions:
    """Settings of reading documents.

    Attributes:
        max_chars: a document with more characters than this is refused with an
            :class:`~textreuse.errors.InputError` naming it (skipped and listed
            with ``skip_bad``): preparing and aligning a document takes memory
            in proportion to its length, and no news text comes near 10 million
            characters (about 2,000 pages).
    """

    max_chars: int = 10_000_000

    def __post_init__(self) -> None:
        check_fields(self)
        check_range("InputOptions.max_chars", self.max_chars, low=1)
