"""Verification: keep the passages one text copied from the other, drop what two different stories share.

A copy, even edited or under OCR noise, keeps runs of words: most of its
3-grams of content words recur in the other text. Two different stories
written to one template (earnings tables, bond offerings, weather reports)
share many single words in the same order but few runs, and differ in their
figures. :func:`verify` applies the rules of :class:`~textreuse.corpus.options.FindOptions`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

import numpy as np

from textreuse.align.characters import char_containment, char_similarity, matched_core
from textreuse.align.orientation import aligned_swapped
from textreuse.compare import CompareOptions, Comparison, comparison
from textreuse.corpus.options import FindOptions
from textreuse.index.fingerprints import GRAM_SIZE, Fingerprint
from textreuse.prepare import PreparedDocument
from textreuse.types import Passage

__all__ = ["verify", "cluster_cores"]

_FIGURE = re.compile(r"\b\d+(?:[.,/:]\d+)*\b")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|(?-i:May|MAY)|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# The day of a date (``Jan. 3``) and a time of day (``8 a. m.``): a reprint dated another day changes them.
_DAY_OR_TIME = re.compile(rf"\b{_MONTH}\.?\s*\d{{1,2}}\b|\b\d{{1,2}}(?:[.:]\d{{2}})?\s*[ap]\.\s?m\b", re.IGNORECASE)


def verify(
    result: Comparison,
    a: PreparedDocument,
    fa: Fingerprint,
    b: PreparedDocument,
    fb: Fingerprint,
    find: FindOptions | None = None,
    options: CompareOptions | None = None,
) -> Comparison:
    """Drop passages that two different stories share without one copying the other.

    With the thresholds of ``find``:

    * an ``edited`` passage needs shared 3-grams for ``min_gram_share`` of
      its content words; one shorter than ``short_edited_chars`` needs a
      score of ``short_edited_score`` (or ``short_edited_char_ratio`` of its
      characters in common) and, when both sides hold figures,
      ``min_number_share`` of them in common;
    * a passage shorter than ``short_words`` words needs ``min_plain_words``
      content words that are not names.

    Verbatim passages are held to the name rule only; passages matched by
    meaning (``paraphrased``), judged by the semantic stage, need
    ``min_number_share`` of their figures in common, whatever their length;
    one that fails is judged by its words, as an ``edited`` passage (an OCR'd
    copy can look reworded to the semantic stage). Figures are compared
    without the days of dates and times of day that only one side has.
    ``fa`` and ``fb`` are the documents' fingerprints. Each passage is judged
    with the documents in the order they were aligned in
    (:mod:`textreuse.align.orientation`), so the answer does not depend on theirs.
    What is left is judged again with ``options`` (:func:`~textreuse.compare.comparison`:
    a paraphrase kept beside a dropped passage must then stand on its own).
    """
    find = find or FindOptions()
    if not result.passages:
        return result
    _, ia, ib = np.intersect1d(fa.grams, fb.grams, assume_unique=True, return_indices=True)
    shared = (fa.positions[ia], fb.positions[ib])
    kept = []
    for p in result.passages:
        if aligned_swapped(a.document, b.document):  # judged in the order the pair was aligned in
            judged = _kept(p.mirrored(), b, a, shared[::-1], find)
            kept.extend([] if judged is None else [judged.mirrored()])
        else:
            kept.extend(x for x in [_kept(p, a, b, shared, find)] if x is not None)
    if kept == list(result.passages):
        return result
    return comparison(a, b, kept, options)


def _kept(
    p: Passage, a: PreparedDocument, b: PreparedDocument, shared: tuple[np.ndarray, np.ndarray], find: FindOptions
) -> Passage | None:
    """The passage when it is a copy (:func:`_is_copy`); else its core, when that is one; else ``None``.

    An ``edited`` passage that fails may hold a sentence two papers printed
    alike inside text each wrote its own way: its core
    (:func:`~textreuse.align.characters.matched_core`, ``find.ocr_core_similarity``
    of its letters matched) is kept in its place when it has ``find.ocr_core_letters``
    matched letters or more and passes the rules itself.

    A ``paraphrased`` passage that fails is judged by its words as an
    ``edited`` one, and kept as such when it passes: OCR breaks the runs of
    words a copy keeps, so the semantic stage can take an OCR'd reprint for a
    rewording, whose rule (figures in common) OCR'd figures then fail.
    """
    if _is_copy(p, a, b, shared, find):
        return p
    if p.kind == "paraphrased" and p.lexical_score is not None:
        p = replace(p, kind="edited", score=p.lexical_score, confidence=None)
        if _is_copy(p, a, b, shared, find):
            return p
    if p.kind != "edited" or find.ocr_core_letters <= 0:
        return None
    text_a, text_b = a.document.text[p.a_start : p.a_end], b.document.text[p.b_start : p.b_end]
    a0, a1, b0, b1, matched = matched_core(text_a, text_b, find.char_min_run, find.ocr_core_similarity)
    if matched < find.ocr_core_letters:
        return None
    score = 2 * matched / (len(text_a[a0:a1]) + len(text_b[b0:b1]))
    core = replace(p, a_start=p.a_start + a0, a_end=p.a_start + a1, b_start=p.b_start + b0, b_end=p.b_start + b1)
    core = replace(core, score=score, lexical_score=score, confidence=None)
    return core if _core_is_copy(core, a, b, shared, find) else None


def _core_is_copy(
    core: Passage, a: PreparedDocument, b: PreparedDocument, shared: tuple[np.ndarray, np.ndarray], find: FindOptions
) -> bool:
    """Whether a core passes the rules (:func:`_is_copy`) with ``find.ocr_core_number_share`` of its figures in common.

    A core is short: two stories written to one template (money market
    reports, earnings) share one formula, with other figures in it.
    """
    text_a, text_b = a.document.text[core.a_start : core.a_end], b.document.text[core.b_start : core.b_end]
    share, digits = find.ocr_core_number_share, find.figure_min_digits
    agree = _figures_agree(text_a, text_b, share, digits, find.ocr_figure_min_digits)
    return agree and _is_copy(core, a, b, shared, find)


def _is_copy(
    p: Passage, a: PreparedDocument, b: PreparedDocument, shared: tuple[np.ndarray, np.ndarray], find: FindOptions
) -> bool:
    """Whether one passage passes the rules of :func:`verify` (``shared``: positions of the shared 3-grams)."""
    if p.kind == "paraphrased":
        # Reworded or translated, a copy keeps its figures; two stories written to one
        # template (airline traffic, earnings) say the same things with other figures.
        return _figures_agree(
            a.document.text[p.a_start : p.a_end],
            b.document.text[p.b_start : p.b_end],
            find.min_number_share,
            find.figure_min_digits,
        )
    if _names_only(a, p.a_start, p.a_end, find) or _names_only(b, p.b_start, p.b_end, find):
        return False
    if p.kind != "edited":
        return True
    text_a, text_b = a.document.text[p.a_start : p.a_end], b.document.text[p.b_start : p.b_end]
    if min(p.a_end - p.a_start, p.b_end - p.b_start) < find.short_edited_chars:
        if p.score < find.short_edited_score and not _chars_match(text_a, text_b, find.short_edited_char_ratio, find):
            return False
        if not _figures_agree(text_a, text_b, find.min_number_share, find.figure_min_digits):
            return False
    if _holds_runs(p, a, b, shared, find):
        return True
    # OCR breaks the runs of words of a reprint but keeps its letters (a table written to one
    # template keeps them too, with other figures).
    letters = _chars_match(text_a, text_b, find.ocr_char_similarity, find) or _interleaved(text_a, text_b, find)
    return letters and _figures_agree(
        text_a, text_b, find.min_number_share, find.figure_min_digits, find.ocr_figure_min_digits
    )


def _holds_runs(
    p: Passage, a: PreparedDocument, b: PreparedDocument, shared: tuple[np.ndarray, np.ndarray], find: FindOptions
) -> bool:
    """Whether an edited passage holds shared 3-grams for ``find.min_gram_share`` of its content words."""
    pos_a, pos_b = shared
    a0, a1 = _content_span(a, p.a_start, p.a_end)
    b0, b1 = _content_span(b, p.b_start, p.b_end)
    inside = int(np.count_nonzero((pos_a >= a0) & (pos_a < a1) & (pos_b >= b0) & (pos_b < b1)))
    grams = min(a1 - a0, b1 - b0) - (GRAM_SIZE - 1)
    return inside >= max(find.min_grams_inside, find.min_gram_share * grams)


def _figures_agree(text_a: str, text_b: str, min_share: float, min_digits: int, ocr_digits: int = 0) -> bool:
    """Whether two passages share ``min_share`` of their figures (true when either side has none).

    Figures are compared by their digits, and one of ``min_digits`` digits or
    more inside another counts as the same (OCR drops decimal points and
    breaks long numbers: ``20.75`` / ``2075``, ``178.2`` / ``178``). With
    ``ocr_digits`` (text read by OCR), figures of fewer digits are left out
    (a stray mark or a letter read as ``1``) and two of ``min_digits`` digits
    or more that differ in one digit count as the same (``1911`` / ``1011``).
    The day of a date and a time of day count only where both passages have
    it: a reprint dated another day, or with another hour of filing, changes
    them.

    >>> _figures_agree("net 18.7 mln dlrs or 72 cts, against 14.4 mln or 56 cts",
    ...                "net 48.5 mln dlrs or 56 cts, down from 55.4 mln or 63 cts", 0.5, 3)
    False
    >>> _figures_agree("closed at 145.25 yen against 145.85/90 and 146.00", "opened at 145.95 against 145.85/90 and 146.00", 0.5, 3)
    True
    >>> _figures_agree("rose 20.75 dlrs to 33.42", "rose 2075 dlrs to 33,42", 0.5, 3)
    True
    >>> _figures_agree("In February, 1911, according", "In February, 1011, accord 1 ng", 0.5, 3, 2)
    True
    >>> _figures_agree("KANSAS CITY, Mo., Jan. 2.-Col. Van Horn, 91", "Kansas City, Jan. 3, 9 a. m. Col. Van Horn, 91", 0.5, 3)
    True
    """
    days = _days_and_times(text_a) & _days_and_times(text_b)
    figures_a = {re.sub(r"\D", "", f) for f in _FIGURE.findall(_DAY_OR_TIME.sub(" ", text_a))} | days
    figures_b = {re.sub(r"\D", "", f) for f in _FIGURE.findall(_DAY_OR_TIME.sub(" ", text_b))} | days
    figures_a = {f for f in figures_a if len(f) >= ocr_digits}
    figures_b = {f for f in figures_b if len(f) >= ocr_digits}
    if not figures_a or not figures_b:
        return True

    def same(x: str, y: str) -> bool:
        short, long_ = (x, y) if len(x) <= len(y) else (y, x)
        if ocr_digits and len(x) == len(y) >= min_digits and sum(c != d for c, d in zip(x, y)) == 1:
            return True
        return x == y or (len(short) >= min_digits and short in long_)

    shared = sum(any(same(x, y) for y in figures_b) for x in figures_a)
    return shared >= min_share * min(len(figures_a), len(figures_b))


def _days_and_times(text: str) -> set[str]:
    """The digits of the days of dates and the times of day in ``text`` (``Jan. 3, 8 a. m.``: ``{"3", "8"}``)."""
    return {re.sub(r"\D", "", m) for m in _DAY_OR_TIME.findall(text)}


def _interleaved(text_a: str, text_b: str, find: FindOptions) -> bool:
    """Whether the shorter passage's letters lie, in order, in a longer one with other text between them.

    ``find.interleaved_letters`` of them (:func:`~textreuse.align.characters.char_containment`), the
    longer side at most ``find.interleaved_ratio`` times as long: a reprint whose lines OCR mixed with
    those of the next column.

    >>> clean = "The outburst of rage that followed in Germany was the rage of the tiger balked of its prey."
    >>> mixed = ("The outburst of rage that followed of the London Times, and probably the in Germany was the "
    ...          "rage of the tiger world's greatest present day newspaper publisher. Northcliffe, who through "
    ...          "balked of its prey.")
    >>> _interleaved(clean, mixed, FindOptions()), _chars_match(clean, mixed, 0.65, FindOptions())
    (True, False)
    """
    short, long_ = sorted((text_a, text_b), key=len)
    if len(long_) > find.interleaved_ratio * max(1, len(short)):
        return False
    return char_containment(short, long_, find.char_min_run) >= find.interleaved_letters


def _chars_match(text_a: str, text_b: str, min_ratio: float, find: FindOptions) -> bool:
    """Whether two passages have ``min_ratio`` of their letters in common (:func:`~textreuse.align.characters.char_similarity`).

    >>> _chars_match("landing troops ut tho forts of Athens", "landing troops at the port of Athens", 0.75, FindOptions())
    True
    >>> _chars_match("the board voted to shut the pier", "divers found cracks in the oak supports", 0.75, FindOptions())
    False
    """
    return min_ratio <= 1.0 and char_similarity(text_a, text_b, find.char_min_run) >= min_ratio


def _names_only(doc: PreparedDocument, start: int, end: int, find: FindOptions) -> bool:
    """Whether a short passage's content words are (nearly) all names.

    A content word counts as a name when it is capitalized (``Tariffs``) or
    an acronym of up to ``find.acronym_max_letters`` letters (``GATT``);
    all-capital words longer than that (headlines set in capitals) count as
    plain words.
    """
    t = doc.tokens
    first, last = bisect_left(t.starts, start), bisect_left(t.starts, end)
    if last - first >= find.short_words:
        return False
    text = doc.document.text
    plain = 0
    for i in t.content[bisect_left(t.content, first) : bisect_left(t.content, last)]:
        word = text[t.starts[i] : t.ends[i]]
        if not word[:1].isupper() or (word.isupper() and len(word) > find.acronym_max_letters):
            plain += 1
            if plain >= find.min_plain_words:
                return False
    return True


def _content_span(doc: PreparedDocument, start: int, end: int) -> tuple[int, int]:
    """Content-word positions ``[first, last)`` of the words inside a character span."""
    t = doc.tokens
    first, last = bisect_left(t.starts, start), bisect_left(t.starts, end)
    return bisect_left(t.content, first), bisect_left(t.content, last)


def cluster_cores(
    a: PreparedDocument, b: PreparedDocument, clusters: list[np.ndarray], find: FindOptions
) -> list[Passage]:
    """Passages found by letters around clusters of shared 3-grams, for a pair the aligner found nothing in.

    OCR'd papers share a wire sentence or two (``the nationality of the
    submarine``) that the word aligner, needing ``min_edited_words`` words of
    an edited passage, leaves. For each cluster (``(position in a, position
    in b)`` of content words, :func:`~textreuse.corpus.focus.shared_clusters`),
    the text from ``find.ocr_core_margin`` content words before it to as many
    after it is compared by letters; its core
    (:func:`~textreuse.align.characters.matched_core`) with
    ``find.ocr_core_letters`` matched letters or more and
    ``find.ocr_core_number_share`` of its figures in common is an ``edited``
    passage, to be verified as any other. Computed in the order the pair is
    aligned in, so the answer does not depend on the caller's.
    """
    if find.ocr_core_letters <= 0:
        return []
    if aligned_swapped(a.document, b.document):
        return [p.mirrored() for p in cluster_cores(b, a, [g[:, ::-1] for g in clusters], find)]
    out: list[Passage] = []
    for g in clusters:
        a_start, a_end = _around(a, int(g[:, 0].min()), int(g[:, 0].max()) + GRAM_SIZE - 1, find.ocr_core_margin)
        b_start, b_end = _around(b, int(g[:, 1].min()), int(g[:, 1].max()) + GRAM_SIZE - 1, find.ocr_core_margin)
        text_a, text_b = a.document.text[a_start:a_end], b.document.text[b_start:b_end]
        a0, a1, b0, b1, matched = matched_core(text_a, text_b, find.char_min_run, find.ocr_core_similarity)
        share, digits, ocr_digits = find.ocr_core_number_share, find.figure_min_digits, find.ocr_figure_min_digits
        if matched >= find.ocr_core_letters and _figures_agree(text_a[a0:a1], text_b[b0:b1], share, digits, ocr_digits):
            score = 2 * matched / (a1 - a0 + b1 - b0)
            core = Passage(a_start + a0, a_start + a1, b_start + b0, b_start + b1, "edited", score, score)
            out.extend([] if core in out else [core])
    return out


def _around(doc: PreparedDocument, first: int, last: int, margin: int) -> tuple[int, int]:
    """Character span from content word ``first - margin`` to content word ``last + margin`` (clipped)."""
    t, content = doc.tokens, doc.tokens.content
    first, last = max(0, first - margin), min(len(content) - 1, last + margin)
    return t.starts[content[first]], t.ends[content[last]]
