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
from itertools import accumulate

__all__ = ["char_containment", "char_similarity", "matched_core"]

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
    return 2 * sum(size for _, _, size in _letter_blocks(words_a, words_b, min_run)) / total


def _letter_blocks(words_a: list[str], words_b: list[str], min_run: int) -> list[tuple[int, int, int]]:
    """Matched runs ``(start in a, start in b, size)`` of the letters of two word lists, spaces removed, in order.

    Runs of two or more equal words anchor (difflib over the words); the
    letters between anchors are compared, runs of ``min_run`` or more kept.
    """
    out: list[tuple[int, int, int]] = []
    at_a = [0, *accumulate(map(len, words_a))]
    at_b = [0, *accumulate(map(len, words_b))]
    i, j = 0, 0
    for block in SequenceMatcher(None, words_a, words_b, autojunk=False).get_matching_blocks():
        if block.size < _ANCHOR_WORDS and block.size:
            continue
        letters = SequenceMatcher(None, "".join(words_a[i : block.a]), "".join(words_b[j : block.b]), autojunk=False)
        out.extend((at_a[i] + m.a, at_b[j] + m.b, m.size) for m in letters.get_matching_blocks() if m.size >= min_run)
        if block.size:
            out.append((at_a[block.a], at_b[block.b], at_a[block.a + block.size] - at_a[block.a]))
        i, j = block.a + block.size, block.b + block.size
    return out


def matched_core(text_a: str, text_b: str, min_run: int, min_ratio: float) -> tuple[int, int, int, int, int]:
    """The longest stretch of two passages whose letters match at ``min_ratio``: where a short reprint lies.

    A passage the aligner found between two stories written apart may be
    longer than the sentence they share: a wire sentence quoted in both
    (``Sir John Simon, secretary of state for home affairs, has resigned``),
    with other words around it on each side. Letters are matched as
    :func:`char_similarity` matches them; the stretch from one matched run to
    another with the most matched letters, ``2 * matched / (letters of a +
    letters of b)`` at least ``min_ratio``, is the core. Returns ``(a_start,
    a_end, b_start, b_end, matched letters)``, offsets in the two texts grown
    to whole words (``matched`` 0 when nothing matches).

    >>> a = "Premier Asquith this afternoon confirmed the report that Sir John Simon, secretary of state, has resigned."
    >>> b = "It was announced in the house today that Sir John Simon, secretarv of state, has resigned"
    >>> a0, a1, b0, b1, n = matched_core(a, b, 3, 0.85)
    >>> a[a0:a1], b[b0:b1], n
    ('that Sir John Simon, secretary of state, has resigned', 'that Sir John Simon, secretarv of state, has resigned', 42)
    """
    pos_a, pos_b = _letter_positions(text_a), _letter_positions(text_b)
    words_a, words_b = _WORD.findall(text_a.lower()), _WORD.findall(text_b.lower())
    if len(pos_a) != sum(map(len, words_a)) or len(pos_b) != sum(map(len, words_b)):
        return 0, 0, 0, 0, 0  # lower-casing changed a length (rare letters): no core
    blocks = _letter_blocks(words_a, words_b, min_run)
    best, found = 0, (0, 0, 0, 0)
    for i, (a0, b0, _) in enumerate(blocks):
        matched = 0
        for a1, b1, size in blocks[i:]:
            matched += size
            if matched > best and 2 * matched >= min_ratio * (a1 + size - a0 + b1 + size - b0):
                best, found = matched, (a0, a1 + size, b0, b1 + size)
    if not best:
        return 0, 0, 0, 0, 0
    a0, a1, b0, b1 = found
    return (
        *_whole_words(text_a, pos_a[a0], pos_a[a1 - 1] + 1),
        *_whole_words(text_b, pos_b[b0], pos_b[b1 - 1] + 1),
        best,
    )


def _letter_positions(text: str) -> list[int]:
    """Offsets in ``text`` of the letters and digits of its words, in order."""
    return [i for m in _WORD.finditer(text) for i in range(m.start(), m.end())]


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` grown to the bounds of the words it cuts."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


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
