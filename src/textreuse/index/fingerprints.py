"""What the index keeps of a document to find its candidates: hashes of its 3-grams, names and short lines.

* :func:`fingerprint`: the sorted distinct 64-bit hashes of the document's
  content-word n-grams (:func:`content_words`), with the content-word
  position where each first occurs;
* :func:`name_hashes`: hashes of its names and numbers;
* :func:`letter_print`: its strings of letters and digits from each word
  start, spaces and punctuation left out, that OCR's split and joined words
  do not change (computed when a pair is aligned, not stored);
* :func:`line_table`: its short stand-alone lines (candidates for corpus
  boilerplate), and :class:`RepeatedLineHashes`, the lines found in many
  documents of an index.

Every hash is :func:`textreuse.common.hashing.hash64`.

>>> from textreuse.prepare import prepare
>>> fp = fingerprint(prepare("Heavy rain flooded the old mill district again.").tokens)
>>> len(fp.grams), sorted(fp.positions.tolist())
(4, [0, 1, 2, 3])
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

from textreuse.common.hashing import hash64
from textreuse.prepare import PreparedDocument
from textreuse.text.segment import STOPWORDS, Tokens

__all__ = [
    "GRAM_SIZE",
    "LINE_DTYPE",
    "Fingerprint",
    "RepeatedLineHashes",
    "content_words",
    "fingerprint",
    "letter_print",
    "line_table",
    "name_hashes",
]

# Words in an n-gram of the fingerprint (stored with the index: changing it needs a new index).
GRAM_SIZE = 3
# Names in :func:`name_hashes` (stored with the index): a capitalized word of at least
# NAME_MIN_CHARS characters, after no sentence end within NAME_LOOKBACK characters before it,
# less than NAME_MAX_GAP characters after the previous word.
NAME_MIN_CHARS = 3
NAME_LOOKBACK = 3
NAME_MAX_GAP = 3
_SENTENCE_ENDS = (".", "!", "?", '"', "\u201c")

# One row of a :func:`line_table`: the line's key hash and its character span.
LINE_DTYPE = np.dtype([("hash", "<i8"), ("start", "<i4"), ("end", "<i4")])


class Fingerprint(NamedTuple):
    """A document's sorted distinct n-gram hashes (int64) and the content-word position of each (int32)."""

    grams: np.ndarray
    positions: np.ndarray


def content_words(tokens: Tokens) -> list[str]:
    """The words that carry evidence of reuse: no function words, no single letters."""
    return [k for k in tokens.keys if k not in STOPWORDS and (len(k) > 1 or k.isdigit())]


def fingerprint(tokens: Tokens, n: int = GRAM_SIZE) -> Fingerprint:
    """Sorted distinct n-gram hashes of a document and the content-word position where each first occurs."""
    words = content_words(tokens)
    first: dict[str, int] = {}
    for i in range(len(words) - n + 1):
        first.setdefault(" ".join(words[i : i + n]), i)
    grams = np.fromiter((hash64(g, errors="strict") for g in first), dtype=np.int64, count=len(first))
    positions = np.fromiter(first.values(), dtype=np.int32, count=len(first))
    order = np.argsort(grams, kind="stable")
    return Fingerprint(grams[order], positions[order])


def letter_print(tokens: Tokens, n: int) -> Fingerprint:
    """The document's strings of ``n`` letters and digits that start at a word, hashed, with the content-word position of each.

    Spaces and punctuation are left out and letters case-folded, so a word
    that OCR split in two or joined to the next (``tor pedoed``,
    ``thePersia``) reads the same as in a clean copy. Only the strings that
    occur once in the document are kept (as in passim's n-grams); each is
    placed at the first content word at or after its start.

    >>> from textreuse.prepare import prepare
    >>> a = letter_print(prepare("The liner was tor pedoed off Crete on Thursday.").tokens, 12)
    >>> b = letter_print(prepare("The liner was torpedoed off Crete on Thurs day.").tokens, 12)
    >>> len(a.grams), len(b.grams), len(np.intersect1d(a.grams, b.grams))
    (7, 6, 6)
    """
    parts = [key if key.isalnum() else _NOT_ALNUM.sub("", key) for key in tokens.keys]
    lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    offsets = np.cumsum(lengths) - lengths
    total = int(lengths.sum())
    starts = np.flatnonzero((lengths > 0) & (offsets + n <= total))
    if not len(starts):
        return Fingerprint(np.zeros(0, np.int64), np.zeros(0, np.int32))
    keys = _window_hashes("".join(parts), n)[offsets[starts]]
    grams, first, counts = np.unique(keys, return_index=True, return_counts=True)
    once = counts == 1
    words = np.searchsorted(np.asarray(tokens.content, dtype=np.int64), starts[first[once]])
    return Fingerprint(grams[once], words.astype(np.int32))


# Polynomial hashes of letter strings, mod 2**64 (numpy's uint64 arithmetic wraps): an odd base
# and its inverse, so that a window's hash is a difference of prefix sums.
_BASE = np.uint64(0x100000001B3)
_BASE_INVERSE = np.uint64(pow(0x100000001B3, -1, 2**64))
_NOT_ALNUM = re.compile(r"[\W_]+")


def _window_hashes(stream: str, n: int) -> np.ndarray:
    """The 64-bit polynomial hash (as int64) of ``stream[i : i + n]`` for every ``i`` up to ``len(stream) - n``."""
    codes = np.frombuffer(stream.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64) + np.uint64(1)
    inverse_powers = np.cumprod(np.full(len(codes), _BASE_INVERSE, dtype=np.uint64))
    prefix = np.concatenate([np.zeros(1, np.uint64), np.cumsum(codes * inverse_powers, dtype=np.uint64)])
    powers = np.cumprod(np.full(len(codes), _BASE, dtype=np.uint64))  # powers[j] = BASE ** (j + 1)
    end = np.arange(n, len(codes) + 1)
    return (powers[end - 1] * (prefix[end] - prefix[end - n])).view(np.int64)


def line_table(text: str) -> np.ndarray:
    """The short lines of a document that stand on their own: key hash and span of each (:data:`LINE_DTYPE`).

    Candidates for corpus boilerplate (:func:`textreuse.text.junk.standalone_lines`).
    """
    from textreuse.text.junk import standalone_lines

    rows = [(hash64(key), s, e) for s, e, key in standalone_lines(text)]
    return np.array(rows, dtype=LINE_DTYPE)


def name_hashes(prepared: PreparedDocument) -> np.ndarray:
    """Sorted distinct hashes of the names and numbers of a document.

    Names (capitalized words not at a sentence start) and numbers survive
    paraphrase and round-trip translation, when word n-grams do not: they
    are the signature that finds spun copies.

    >>> from textreuse.prepare import prepare
    >>> len(name_hashes(prepare("Officials in Port Elwin said 42 boats sank. The Harbour Board met.")))
    5
    """
    text = prepared.document.text
    t = prepared.tokens
    names: set[str] = set()
    for k in t.content:
        key = t.keys[k]
        if any(c.isdigit() for c in key):
            names.add(key)
            continue
        start = t.starts[k]
        if not text[start : start + 1].isupper() or len(key) < NAME_MIN_CHARS:
            continue
        before = text[max(0, start - NAME_LOOKBACK) : start].strip()
        if k > 0 and before[-1:] not in _SENTENCE_ENDS and t.starts[k] - t.ends[k - 1] < NAME_MAX_GAP:
            names.add(key)
    return np.unique(np.fromiter((hash64(n) for n in names), dtype=np.int64, count=len(names)))


class RepeatedLineHashes:
    """Short lines found in many documents of an index, by hash; usable as ``find_junk(repeated=...)``."""

    def __init__(self, hashes: np.ndarray) -> None:
        self.hashes = np.asarray(hashes, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.hashes)

    def __contains__(self, key: object) -> bool:
        h = hash64(str(key))
        i = int(np.searchsorted(self.hashes, h))
        return i < len(self.hashes) and int(self.hashes[i]) == h

    def spans(self, table: np.ndarray) -> list[tuple[int, int]]:
        """Spans of the lines of a document's :func:`line_table` that are repeated lines."""
        if not len(self.hashes) or not len(table):
            return []
        hit = np.isin(table["hash"], self.hashes)
        return [(int(s), int(e)) for s, e in zip(table["start"][hit], table["end"][hit])]
