"""Find page junk: lines that are not article text.

Reprints scraped from newspaper pages and aggregators carry lines that were
never part of the story: the paper's name as a page header, bylines, photo
captions with their credits and OCR debris, and the aggregator's footer.
Aligning them would report reuse that is not there (every page of one
aggregator shares its footer), so they are kept out of alignment and reported
as excluded spans.

Two detectors, both by form, never by fixed strings:

* :func:`find_junk` looks at one text: photo credits and captions, bylines,
  and short title-like lines in the page furniture at the top and bottom.
* :class:`RepeatedLines` learns, across a corpus, the short lines that recur
  in many documents (mastheads, footers, section labels).

>>> text = "Daily Planet\\n\\nBy Lois Lane\\n\\nThe mayor resigned on Monday after a vote.\\n"
>>> [text[s:e] for s, e in find_junk(text)]
['Daily Planet', 'By Lois Lane']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Protocol

from textreuse.common.checks import check_fields, check_range
from textreuse.common.intervals import covered_length, merge_spans
from textreuse.text.normalize import normalize_chars

__all__ = [
    "JUNK_OPTIONS",
    "JunkOptions",
    "LineKeys",
    "RepeatedLines",
    "excluded_share",
    "find_junk",
    "iter_lines",
    "merge_spans",
    "sentence_pieces",
    "standalone_lines",
]

#: Most words of a line that stands on its own to count as a masthead, footer or label (:func:`standalone_lines`).
STANDALONE_MAX_WORDS = 12
#: Fewest documents a standalone line must occur in to be corpus boilerplate (:class:`RepeatedLines`).
REPEATED_MIN_DOCS = 3


@dataclass(frozen=True)
class JunkOptions:
    """Word-count thresholds of the one-text junk detectors (words are runs of letters and digits).

    Attributes:
        edge_words: most words of a non-sentence line at the top or bottom edge
            of the page (masthead, footer) for it to be junk (:func:`is_furniture`).
        byline_words: most words of a byline (:func:`is_byline`).
        credit_words: most words of a photo credit with no caption after it.
        caption_words: most words of the line after a credit-only line for it
            to be taken as the credit's caption.
        page_line_words: lines of more words are never page furniture
            (:func:`is_page_furniture`).
        page_header_words: most words of a page header (a date or page number
            between separators).
        label_words: most words of an all-capitals label or jump line.
        label_letters: fewest letters of an all-capitals label or jump line.
        block_words: lines of more words are running text (a paragraph, or a
            whole page on one line): only the captions and credits inside them
            are junk, cut out by sentence, never the whole line.
        warn_share: a document with a larger share of its characters excluded
            as junk is reported (:func:`textreuse.prepare.prepare` warns, naming it).

    >>> JunkOptions(byline_words=-1)
    Traceback (most recent call last):
    ...
    textreuse.errors.OptionError: JunkOptions.byline_words must be >= 0, got -1
    """

    edge_words: int = 5
    byline_words: int = 14
    credit_words: int = 8
    caption_words: int = 40
    page_line_words: int = 16
    page_header_words: int = 14
    label_words: int = 8
    label_letters: int = 4
    block_words: int = 60
    warn_share: float = 0.5

    def __post_init__(self) -> None:
        check_fields(self)
        for f in fields(self):
            if f.name != "warn_share":
                check_range(f"JunkOptions.{f.name}", getattr(self, f.name), low=0)
        check_range("JunkOptions.warn_share", self.warn_share, low=0.0, high=1.0)


#: The default thresholds.
JUNK_OPTIONS = JunkOptions()


class LineKeys(Protocol):
    """Says whether a line key (see :func:`standalone_lines`) is corpus boilerplate: a :class:`RepeatedLines`."""

    def __contains__(self, key: str, /) -> bool: ...


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_WORDS = re.compile(r"\w+(?:['’]\w+)*")

# "?? NAME/AGENCY ??" style OCR debris around photo credits, and credits of the
# form "FIRST LAST/AGENCY", "(AP Photo/First Last)", "Photo: ...", "Credit: ...".
_OCR_MARKERS = re.compile(r"(?:^|\s)\?{2,}(?:\s|$)")
_CREDIT = re.compile(
    r"^\W*(?:[A-Z][A-Z'’.\-]*\s+){0,4}[A-Z][A-Z'’.\-]+\s*/\s*(?:[A-Z][A-Za-z'’.&\-]*\s*){1,4}"
    r"(?=\s|$|[(\[])",
)
_CREDIT_WORDS = re.compile(
    r"(?:^\W*(?:photo(?:graph)?s?|image|picture|caption|credit|illustration|file photo)\s*(?:by\s)?[:|/-]"
    r"|\((?:AP|AFP|Reuters|EPA|Getty)?\s*(?:photo|image|picture)s?\s*(?:by|/|:)"
    r"|\b(?:getty images|shutterstock|photo illustration)\b)",
    re.IGNORECASE,
)
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# Page headers: "Paper Name · 11 Mar 2024 · A3", "PAPER | Friday, April 12, 2024 | Page 14".
_PAGE_HEADER = re.compile(
    rf"(?:\s[·|•]\s|\bpage\s+[a-z]?\d+\b|\b\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}\b|\b{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}\b)",
    re.IGNORECASE,
)
# Syndication boilerplate: copyright, "printed and distributed by", "reproduced under licence".
_RIGHTS = re.compile(
    r"(?:©|\bcopyright\b|\ball rights reserved\b|\b(?:printed|distributed|reproduced|republished|syndicated)"
    r"(?:\s+and\s+\w+)?\s+(?:by|under|with)\b)",
    re.IGNORECASE,
)
# An OCR'd photo credit "?? NAME/AGENCY ??" inside running text: a caption starts there.
_OCR_CREDIT = re.compile(r"(?<!\S)\?{2,}\s[^?\r\n]{1,80}?\s\?{2,}(?!\S)")
# The end of a sentence inside a line (not a "??" marker): the next sentence starts after it.
_SENTENCE_BREAK = re.compile(r"(?:[.!…]|(?<!\?)\?(?!\?))[\"'”’)\]]*\s+")
_BYLINE = re.compile(r"^[\W_]*(?:By|BY|by)\s+[A-Z][\w.'’\-]*(?:\s+|$)")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


def iter_lines(text: str) -> Iterable[tuple[int, int]]:
    """Yield ``(start, end)`` of each line of ``text``, without its line break."""
    for m in _LINE.finditer(text):
        s, e = m.span()
        if s == e and s == len(text):
            break
        line = m.group()
        yield s, s + len(line.rstrip("\r\n"))


def _content(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim surrounding whitespace from the line span."""
    line = text[s:e]
    stripped = line.strip()
    if not stripped:
        return s, s
    lead = len(line) - len(line.lstrip())
    return s + lead, s + lead + len(stripped)


def is_caption(line: str) -> bool:
    """True for photo captions and credits (``?? NAME/AGENCY ??``, ``Photo: ...``)."""
    return bool(_OCR_MARKERS.search(line) or _CREDIT.match(line) or _CREDIT_WORDS.search(line))


def _is_credit_only(line: str, options: JunkOptions = JUNK_OPTIONS) -> bool:
    """A credit line with no caption text after it (``PHOTO: NAME/AGENCY``, ``?? NAME/AGENCY ??``).

    >>> _is_credit_only("?? JANE DOE/REUTERS ??"), _is_credit_only("?? JANE DOE/REUTERS ?? Crews clear mud on Quay Street.")
    (True, False)
    """
    line = _OCR_MARKERS.sub(" ", line)
    return not _SENTENCE_END.search(line) and len(_WORDS.findall(line)) <= options.credit_words


def is_byline(line: str, options: JunkOptions = JUNK_OPTIONS) -> bool:
    """True for a byline such as ``By Jane Doe, Staff Writer``."""
    return (
        bool(_BYLINE.match(line))
        and len(_WORDS.findall(line)) <= options.byline_words
        and not _SENTENCE_END.search(line)
    )


def is_furniture(line: str, max_words: int = JUNK_OPTIONS.edge_words) -> bool:
    """True for a short line that does not read as a sentence (mastheads, labels)."""
    words = _WORDS.findall(line)
    return 0 < len(words) <= max_words and not _SENTENCE_END.search(line)


def is_page_furniture(line: str, options: JunkOptions = JUNK_OPTIONS) -> bool:
    """True for page headers, jump lines, section labels and rights lines, wherever they stand.

    Page headers carry a date or page number between separators
    (``Gazette · 11 Mar 2024 · A3``); jump lines and labels are short and all
    in capitals (``SEE STORM, PAGE A4``); rights lines name copyright or
    distribution (``Printed and distributed by ...``).
    """
    words = _WORDS.findall(line)
    if not words or len(words) > options.page_line_words:
        return False
    if _RIGHTS.search(line):
        return True
    if _SENTENCE_END.search(line):
        return False
    if _PAGE_HEADER.search(line) and len(words) <= options.page_header_words:
        return True
    letters = [c for c in line if c.isalpha()]
    return (
        len(words) <= options.label_words
        and len(letters) >= options.label_letters
        and all(c.isupper() for c in letters)
    )


def standalone_lines(text: str, max_words: int = STANDALONE_MAX_WORDS) -> list[tuple[int, int, str]]:
    """Short lines that stand on their own: ``(start, end, key)`` of each.

    A line stands on its own when a blank line or the edge of the text comes
    before and after it: a masthead, a footer, a section label. Lines inside
    a paragraph (an OCR'd column breaks every few words) never do, so a
    common phrase that happens to fill a line is not boilerplate.

    >>> text = "Daily Planet\\n\\nThe mayor spoke\\nat length today.\\n\\nRead more at Planet.com\\n"
    >>> [key for _, _, key in standalone_lines(text)]
    ['daily planet', 'read more at planet com']
    """
    spans = [_content(text, s, e) for s, e in iter_lines(text)]
    out: list[tuple[int, int, str]] = []
    for i, (s, e) in enumerate(spans):
        if s == e:
            continue
        if (i > 0 and spans[i - 1][0] < spans[i - 1][1]) or (i + 1 < len(spans) and spans[i + 1][0] < spans[i + 1][1]):
            continue
        key = _line_key(text[s:e])
        if key and key.count(" ") < max_words:
            out.append((s, e, key))
    return out


def find_junk(
    text: str, *, repeated: LineKeys | None = None, options: JunkOptions = JUNK_OPTIONS
) -> list[tuple[int, int]]:
    """Spans of ``text`` (original offsets) that are page junk, sorted and merged.

    A line is junk when it is a photo caption or credit, a byline standing on
    its own line, part of the short title-like lines at the very top or
    bottom of the page (masthead, footer), or, given ``repeated`` (a
    :class:`RepeatedLines`, or any other :class:`LineKeys`), a line that
    recurs across the corpus. A line of running text longer than
    ``options.block_words`` (a paragraph, a page flattened to one line) is
    never junk as a whole: only the captions and credits inside it are
    (:func:`sentence_pieces`). ``options`` holds the thresholds.

    >>> story = "Rain fell all week and the river rose. " * 8
    >>> page = story + "?? JANE DOE/REUTERS ?? Crews clear mud on Quay Street. " + story
    >>> [page[s:e] for s, e in find_junk(page)]
    ['?? JANE DOE/REUTERS ?? Crews clear mud on Quay Street.']
    """
    lines = [_content(text, s, e) for s, e in iter_lines(text)]
    junk: list[tuple[int, int]] = []
    flags = [False] * len(lines)
    for i, (s, e) in enumerate(lines):
        if s == e:
            continue
        line = text[s:e]
        if len(_WORDS.findall(line)) > options.block_words:
            pieces = sentence_pieces(text, s, e)
            junk.extend(pieces[k] for k in _captions(text, pieces, options))
        elif is_caption(line):
            for k in _captions(text, lines, options, i):
                flags[k] = True
        elif is_byline(line, options) or is_page_furniture(line, options):
            flags[i] = True
    if repeated is not None:
        for s, e, key in standalone_lines(text):
            if key in repeated:
                junk.append((s, e))
    # Page furniture: short non-sentence lines at the top and bottom edges.
    for order in (range(len(lines)), range(len(lines) - 1, -1, -1)):
        for i in order:
            s, e = lines[i]
            if s == e or flags[i]:
                continue
            if is_furniture(text[s:e], options.edge_words):
                flags[i] = True
            else:
                break
    junk.extend(lines[i] for i, flag in enumerate(flags) if flag)
    return merge_spans(junk)


def _captions(text: str, units: list[tuple[int, int]], options: JunkOptions, only: int | None = None) -> set[int]:
    """Indices of the ``units`` (line or sentence spans) that are captions or credits (only unit ``only`` given).

    A caption often follows its credit directly, with no blank line between:
    the unit after a credit-only one is its caption when it has at most
    ``options.caption_words`` words.
    """
    out: set[int] = set()
    for i in range(len(units)) if only is None else (only,):
        s, e = units[i]
        if s == e or not is_caption(text[s:e]):
            continue
        out.add(i)
        if i + 1 < len(units) and _is_credit_only(text[s:e], options):
            following = text[units[i + 1][0] : units[i + 1][1]]
            if 0 < len(_WORDS.findall(following)) <= options.caption_words:
                out.add(i + 1)
    return out


def sentence_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]`` (one line), and an OCR'd credit ``?? NAME/AGENCY ??`` starting its own.

    >>> line = "Rain fell. ?? JANE DOE/REUTERS ?? Crews clear mud. Why? Nobody knows"
    >>> [line[s:e] for s, e in sentence_pieces(line, 0, len(line))]
    ['Rain fell.', '?? JANE DOE/REUTERS ?? Crews clear mud.', 'Why?', 'Nobody knows']
    """
    cuts = {start, end}
    cuts.update(m.end() for m in _SENTENCE_BREAK.finditer(text, start, end))
    cuts.update(m.start() for m in _OCR_CREDIT.finditer(text, start, end))
    points = sorted(cuts)
    spans = [_content(text, s, e) for s, e in zip(points, points[1:])]
    return [(s, e) for s, e in spans if s < e]


def excluded_share(text: str, spans: Iterable[tuple[int, int]]) -> float:
    """The share of the characters of ``text`` inside the excluded ``spans`` (0 for an empty text).

    >>> excluded_share("Daily Planet\\n\\nThe mayor resigns.", [(0, 12)])
    0.375
    """
    return covered_length(spans) / len(text) if text else 0.0


def _line_key(line: str) -> str:
    return " ".join(_WORDS.findall(normalize_chars(line).casefold()))


@dataclass
class RepeatedLines:
    """Short lines that recur across many documents of a corpus.

    Fit it on the corpus (``add`` each text), then pass it to :func:`find_junk`.
    Only lines standing on their own count (:func:`standalone_lines`), once
    per document; such a line is boilerplate when it has fewer than
    ``max_words`` words and occurs in at least ``min_docs`` documents. Long
    lines are never boilerplate: a reprinted paragraph recurs too, and that is
    exactly the reuse we look for.

    >>> rl = RepeatedLines(min_docs=2)
    >>> for t in ["Story one.\\n\\nRead more at Example News", "Story two.\\n\\nRead more at Example News"]:
    ...     rl.add(t)
    >>> "read more at example news" in rl
    True
    """

    min_docs: int = REPEATED_MIN_DOCS
    max_words: int = STANDALONE_MAX_WORDS
    counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        check_fields(self)
        check_range("RepeatedLines.min_docs", self.min_docs, low=1)
        check_range("RepeatedLines.max_words", self.max_words, low=1)

    def add(self, text: str) -> None:
        """Count the standalone lines of one document (each once)."""
        self.counts.update({key for _, _, key in standalone_lines(text, self.max_words)})

    def __contains__(self, key: str) -> bool:
        """Whether a line key (see :func:`standalone_lines`) is boilerplate."""
        return self.counts.get(key, 0) >= self.min_docs
