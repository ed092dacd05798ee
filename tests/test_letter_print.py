"""Letter prints (``index.fingerprints.letter_print``): the strings of letters two OCR'd pages share."""

from __future__ import annotations

import re

import numpy as np

from textreuse.index.fingerprints import letter_print
from textreuse.prepare import prepare
from textreuse.text.segment import Tokens

from .conftest import chronam_pages


def _strings(tokens: Tokens, n: int) -> dict[str, int]:
    """The definition, spelled out: ``n`` letters and digits from each word start, those seen once, at their content word."""
    parts = [re.sub(r"[\W_]+", "", key) for key in tokens.keys]
    stream, seen, at = "".join(parts), {}, 0
    for i, part in enumerate(parts):
        if part and at + n <= len(stream):
            key = stream[at : at + n]
            seen[key] = None if key in seen else next(k for k, t in enumerate([*tokens.content, i]) if t >= i)
        at += len(part)
    return {key: pos for key, pos in seen.items() if pos is not None}


def test_two_pages_share_the_strings_the_definition_gives() -> None:
    """The King's message to the Tsar on two pages of 1 January 1916: hashed prints meet where the strings do."""
    a, b = (prepare(d).tokens for d in chronam_pages(12, 13))
    for n in (12, 25):
        sa, sb = _strings(a, n), _strings(b, n)
        pa, pb = letter_print(a, n), letter_print(b, n)
        assert len(pa.grams) == len(sa) and len(pb.grams) == len(sb)
        assert sorted(pa.positions.tolist()) == sorted(sa.values())
        _, ia, ib = np.intersect1d(pa.grams, pb.grams, assume_unique=True, return_indices=True)
        shared = sorted(zip(pa.positions[ia].tolist(), pb.positions[ib].tolist()))
        assert shared == sorted((sa[k], sb[k]) for k in sa.keys() & sb.keys())
        assert len(shared) >= 3  # a cluster, even at 25 letters on these garbled pages


def test_split_joined_and_cased_words_give_the_same_strings() -> None:
    words = prepare("The liner Persia was torpedoed off Crete on Thursday by a submarine.", junk=False).tokens
    ocr = prepare("THE liner Per sia was tor-pedoed off Crete on Thurs day bya sub marine.", junk=False).tokens
    assert set(letter_print(words, 20).grams.tolist()) & set(letter_print(ocr, 20).grams.tolist())
    assert len(np.intersect1d(letter_print(words, 20).grams, letter_print(ocr, 20).grams)) >= 5
