"""How many characters two aligned passages have in common, in a way OCR damage does not punish.

OCR garbles letters inside words (``harhour`` / ``harbour``), splits words
at line ends (``pro hibited`` / ``prohibited``) and scatters punctuation
(``t<|``): a reprint read by OCR keeps few of its words intact but nearly
all of its letters, in order. A rewrite of one story by another changes
words, and the letters of different words match only by chance, one or two
at a time. :func:`char_similarity` counts what survives OCR and not what
chance gives.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

__all__ = ["char_containment", "char_similarity"]

_WORD = re.compile(r"[^\W_]+")
# Words the same on both sides, in a run this long, anchor the comparison (one common word may match anywhere).
_ANCHOR_WORDS = 2


def char_similarity(text_a: str, text_b: str, min_run: int) -> float:
    """Share of the letters and digits of two passages that match in order, in runs of ``min_run`` or more.

    Words are compared first (lower-cased, punctuation left out; difflib's
    matching runs of two or more words, in order); each stretch between them
    is then compared letter by letter with its spaces removed, so that split
    and garbled words match in their unchanged runs of at least ``min_run``
    characters. Returns ``2 * matched / (letters of a + letters of b)``, in
    ``[0, 1]``; cheap, since only the stretches that differ are compared by
    letters.

    >>> round(char_similarity("The harbour board voted to close the pier.", "Tho harhour boaid votcd to close the picr.", 3), 2)
    0.68
    >>> round(char_similarity("The board voted to shut the pier.", "Divers found cracks in the oak supports.", 3), 2)
    0.1
    >>> char_similarity("strict com pliance", "strict compliance", 3)
    1.0
    """
    words_a, words_b = _WORD.findall(text_a.lower()), _WORD.findall(text_b.lower())
    total = sum(map(len, words_a)) + sum(map(len, words_b))
    if not total:
        return 0.0
    matched, i, j = 0, 0, 0
    blocks = SequenceMatcher(None, words_a, words_b, autojunk=False).get_matching_blocks()
    for block in blocks:  # runs of two or more words anchor; the letters between are compared
        if block.size < _ANCHOR_WORDS and block.size:
            continue
        letters = SequenceMatcher(None, "".join(words_a[i : block.a]), "".join(words_b[j : block.b]), autojunk=False)
        matched += sum(m.size for m in letters.get_matching_blocks() if m.size >= min_run)
        matched += sum(map(len, words_a[block.a : block.a + block.size]))
        i, j = block.a + block.size, block.b + block.size
    return 2 * matched / total


def char_containment(text_a: str, text_b: str, min_run: int) -> float:
    """Share of the letters and digits of the shorter of two passages that the other holds, matched as by :func:`char_similarity`.

    An excerpt, or a copy aligned across a paragraph that only one side holds,
    is contained in the other side even where the two differ in length.

    >>> char_containment("the harbour board voted", "at noon the harbour board voted to close the pier", 3)
    1.0
    >>> round(char_containment("The board voted to shut the pier.", "Divers found cracks in the oak supports.", 3), 2)
    0.12
    """
    letters_a = sum(map(len, _WORD.findall(text_a.lower())))
    letters_b = sum(map(len, _WORD.findall(text_b.lower())))
    if not letters_a or not letters_b:
        return 0.0
    matched = char_similarity(text_a, text_b, min_run) * (letters_a + letters_b) / 2
    return min(1.0, matched / min(letters_a, letters_b))
