"""Words that OCR'd columns split at a line end without a hyphen (``Presi\\ndent``), found and joined.

A newspaper column is narrow: a word that does not fit is broken at the line
end, and OCR often loses the hyphen. Two papers set the same story in columns
of other widths, so their breaks fall in other places, and each break turns
one word into two on one side only, breaking the runs of words a reprint
keeps. :func:`joined_words` finds the breaks to undo: two pieces of letters
across a line end whose joined form is a known English word (the whole words
of the packaged BERT vocabulary) while the pieces are not both words
themselves: ``may\\nbe`` and ``in\\na`` stay two words (on 5,000 Reuters
stories, clean text wrapped at 70 columns, the rule joins nothing).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["joined_words", "known_words"]


@cache
def known_words() -> frozenset[str]:
    """The whole words of the packaged BERT uncased vocabulary (``data/minilm-vocab.txt``), letters only."""
    path = resources.files("textreuse") / "data" / "minilm-vocab.txt"
    words = path.read_text(encoding="utf-8").split("\n")
    return frozenset(w for w in words if w.isalpha() and w.isascii() and not w.startswith("##"))


def joined_words(text: str, keys: list[str], starts: list[int], ends: list[int]) -> list[int]:
    """Indices ``i`` of the tokens that join the next one: a word split at a line end of ``text``.

    ``keys`` are the tokens' case-folded words and ``starts``/``ends`` their
    offsets in ``text``. Token ``i`` joins token ``i + 1`` when only
    whitespace with one line break lies between them, both are letters, the
    second starts in lower case, their joined form is in :func:`known_words`
    and the two are not both in it.

    >>> text = "the Presi\\ndent may\\nbe in\\nChicago"
    >>> keys = ["the", "presi", "dent", "may", "be", "in", "chicago"]
    >>> joined_words(text, keys, [0, 4, 10, 15, 19, 22, 25], [3, 9, 14, 18, 21, 24, 32])
    [1]
    """
    words = known_words()
    out = []
    for i in range(len(keys) - 1):
        gap = text[ends[i] : starts[i + 1]]
        if gap.count("\n") != 1 or gap.strip():
            continue
        first, second = keys[i], keys[i + 1]
        if not (first.isalpha() and second.isalpha() and text[starts[i + 1]].islower()):
            continue
        if first + second in words and not (first in words and second in words):
            out.append(i)
    return out
