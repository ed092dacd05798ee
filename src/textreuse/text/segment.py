"""Split normalized text into word tokens with offsets into the original.

>>> from textreuse.text.normalize import normalize
>>> toks = tokenize(normalize("The “Reuse” test — it’s here."))
>>> toks.keys
['the', 'reuse', 'test', "it's", 'here']
>>> toks.span(1, 2)
(5, 16)
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType

import numpy as np

from textreuse.text.normalize import NormalizedText
from textreuse.text.splits import joined_words

__all__ = ["STOPWORDS", "Tokens", "is_content_word", "sentences", "tokenize"]

_WORD = re.compile(r"\w+(?:'\w+)*")

# Function words: they carry no evidence of reuse on their own. Used to pick
# content words for seeds; verbatim extension still compares every token.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be
    because been before being below between both but by can can't cannot could couldn't
    did didn't do does doesn't doing don't down during each few for from further had
    hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself
    him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself
    let's me more most mustn't my myself no nor not of off on once only or other ought our
    ours ourselves out over own same shan't she she'd she'll she's should shouldn't so some
    such than that that's the their theirs them themselves then there there's these they
    they'd they'll they're they've this those through to too under until up very was wasn't
    we we'd we'll we're we've were weren't what what's when when's where where's which while
    who who's whom why why's will with won't would wouldn't you you'd you'll you're you've
    your yours yourself yourselves said says say one two also would could may might must
    shall upon yet just like well even still however""".split()
)


def is_content_word(key: str) -> bool:
    """Whether a token key is a content word: not a function word, and not a single letter (a digit is one).

    >>> [k for k in ["the", "council", "a", "7", "x", "it's"] if is_content_word(k)]
    ['council', '7']
    """
    return key not in STOPWORDS and (len(key) > 1 or key.isdigit())


@dataclass(frozen=True)
class Tokens:
    """Word tokens of one document.

    ``keys[i]`` is the case-folded word used for matching; ``starts[i]`` and
    ``ends[i]`` are its offsets in the *original* text. ``breaks`` holds the
    indices of tokens that follow removed text (page junk): no passage
    crosses a break.
    """

    keys: list[str]
    starts: list[int]
    ends: list[int]
    breaks: frozenset[int] = frozenset()

    def __len__(self) -> int:
        return len(self.keys)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Original character span from token ``first`` to token ``last`` inclusive."""
        return self.starts[first], self.ends[last]

    @cached_property
    def content(self) -> list[int]:
        """Indices of the content words (no function words, no single letters), computed once."""
        return [i for i, k in enumerate(self.keys) if is_content_word(k)]

    def select(self, ranges: list[tuple[int, int]]) -> Tokens:
        """The tokens of the given half-open index ranges only, with a break between ranges.

        Offsets still refer to the original text, so passages found in the
        selection are passages of the whole document.

        >>> from textreuse.text.normalize import normalize
        >>> t = tokenize(normalize("one two three four five six"))
        >>> sub = t.select([(0, 2), (4, 6)])
        >>> sub.keys, sorted(sub.breaks)
        (['one', 'two', 'five', 'six'], [2])
        """
        keys: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        breaks: set[int] = set()
        for first, end in ranges:
            first, end = max(0, first), min(len(self.keys), end)
            if end <= first:
                continue
            if keys:
                breaks.add(len(keys))
            base = len(keys) - first
            breaks.update(base + i for i in self.breaks if first < i < end)
            keys.extend(self.keys[first:end])
            starts.extend(self.starts[first:end])
            ends.extend(self.ends[first:end])
        return Tokens(keys, starts, ends, frozenset(breaks))


def tokenize(norm: NormalizedText) -> Tokens:
    """Word tokens of a normalized text, with offsets mapped to the original."""
    keys: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    offsets = norm.offsets
    identity = not offsets.norm_starts
    for m in _WORD.finditer(norm.text):
        s, e = m.span()
        keys.append(m.group().casefold())
        if identity:
            starts.append(s)
            ends.append(e)
        else:
            starts.append(offsets.start(s))
            ends.append(offsets.end(e))
    for i in reversed(joined_words(norm.original, keys, starts, ends)):
        keys[i : i + 2] = [keys[i] + keys[i + 1]]
        ends[i : i + 2] = [ends[i + 1]]
        del starts[i + 1]
    return Tokens(keys, starts, ends)


_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def sentences(text: str, excluded: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (original offsets), never crossing a paragraph or an excluded span.

    Paragraphs (split at blank lines) are split into sentences with
    blingfire; excluded spans (page junk) are cut out first.

    >>> text = "The mayor spoke. She left at noon.\\n\\nA new paragraph starts"
    >>> [text[s:e] for s, e in sentences(text)]
    ['The mayor spoke.', 'She left at noon.', 'A new paragraph starts']
    """
    import blingfire

    pieces: list[tuple[int, int]] = []
    pos = 0
    for s, e in sorted(excluded or []):
        if s > pos:
            pieces.append((pos, s))
        pos = max(pos, e)
    if pos < len(text):
        pieces.append((pos, len(text)))
    out: list[tuple[int, int]] = []
    for ps, pe in pieces:
        start = ps
        for m in _PARAGRAPH.finditer(text, ps, pe):
            _split_paragraph(text, start, m.start(), out, blingfire)
            start = m.end()
        _split_paragraph(text, start, pe, out, blingfire)
    return out


def _split_paragraph(text: str, start: int, end: int, out: list[tuple[int, int]], blingfire: ModuleType) -> None:
    """Append the sentence spans of ``text[start:end]`` (one paragraph) to ``out``, trimmed of whitespace."""
    chunk = text[start:end]
    if not chunk.strip():
        return
    for s, e in _sentence_offsets(chunk, blingfire):
        piece = chunk[s:e]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if trail > lead:
            out.append((start + s + lead, start + s + trail))


def _sentence_offsets(chunk: str, blingfire: ModuleType) -> list[tuple[int, int]]:
    """blingfire's sentence spans of ``chunk``, in character offsets.

    What ``blingfire.text_to_sentences_and_offsets`` returns, from the same
    C function, with its byte offsets mapped to characters by array
    operations instead of a Python loop over every byte (4 to 5 times
    faster on newspaper pages).

    >>> import blingfire
    >>> _sentence_offsets("Ça va. Très bien!", blingfire)
    [(0, 6), (7, 17)]
    """
    data = chunk.encode("utf-8")
    size = len(data) * 2
    out = ctypes.create_string_buffer(size)
    starts, ends = (ctypes.c_int32 * size)(), (ctypes.c_int32 * size)()
    found = blingfire.blingfire.TextToSentencesWithOffsets(
        ctypes.c_char_p(data),
        ctypes.c_int(len(data)),
        ctypes.byref(out),
        ctypes.byref(starts),
        ctypes.byref(ends),
        ctypes.c_int(size),
    )
    if found == -1 or found > size:
        return []
    count = out.value.count(b"\n") + 1
    first = np.frombuffer(memoryview(starts), np.int32, count).astype(np.int64)
    last = np.frombuffer(memoryview(ends), np.int32, count).astype(np.int64) + 1  # blingfire's ends are inclusive
    if len(data) != len(chunk):
        # The character each byte belongs to (continuation bytes are 10xxxxxx); one past the end is len(chunk).
        lead = (np.frombuffer(data, np.uint8) & 0xC0) != 0x80
        char_of = np.append(np.cumsum(lead) - 1, len(chunk))
        first, last = char_of[first], char_of[np.minimum(last, len(data))]
    return list(zip(first.tolist(), last.tolist()))
