"""Evidence for passages found by meaning alone: does a paraphrase show copying, or only a shared event?

Two stories written separately about one event say some of the same things
in other words: a background sentence ("shareholders lost about $180bn when
the company collapsed"), a dateline, a one-line report of the same fact. The
semantic stage matches such sentences by meaning, and a pair of stories
becomes "partial reuse". A paraphrased *copy* (spun, round-trip translated,
rewritten) keeps more than the facts: it follows its source sentence after
sentence, so its matched sentences come in runs and in order.

:func:`supported_passages` keeps a pair's ``paraphrased`` passages when they
earn their place by one of:

* **a copy beside them**: the pair shares a ``verbatim`` or ``edited`` passage too
  (the paraphrases are part of a copy found by its words);
* **order**: together, in the same order on both sides, they hold
  ``long_run_sentences`` sentences, or ``run_sentences`` keeping
  ``run_phrase_share`` of their words in unchanged runs or covering ``run_cover``
  of both texts at about one length (a copy follows its source sentence after
  sentence and keeps some of its phrasing or its length; a same-event story
  shares a sentence or two, or retells its facts in its own words);

and, failing those, keeps each passage that shows on its own:

* **a summary**: its longer side holds ``condensed_sentences`` sentences and
  ``condensed_ratio`` times the other side's characters (what
  :mod:`textreuse.align.summary_chains` finds);
* **kept phrases**: ``phrase_share`` of its words in runs of ``phrase_run`` words
  or more found unchanged on both sides (a spun, translated or OCR'd copy keeps
  phrases; facts retold in other words keep names and figures, not phrases);
* **a shared quotation**: two quotations with ``quote_words`` content words in common;
* **kept letters**: a shorter side of ``paraphrase_letters_chars`` characters
  or more, ``paraphrase_letters`` of whose letters are found, in order, in the
  other side (an OCR'd copy, whose broken and garbled words the semantic
  stage took for a rewording).

One or two isolated paraphrased sentences with none of these are left out.

Passages found by their words need evidence too when nothing else holds the
pair: two desks telling one fact write the same names, figures and set phrases
("tender 27 dlrs a share for ... 367 mln dlrs") in runs, and the rest in words
of their own. A copy keeps the rest as well, edited word by word or garbled
letter by letter by OCR, so its letters match in order between the runs. When
a pair shares no ``verbatim`` passage and its ``edited`` passages hold fewer
than ``letter_sentences`` sentences, they are kept only if one of them holds
``edited_letters`` of its shorter side's letters in the other side
(:func:`~textreuse.align.characters.char_containment`) or a run of
``letter_free_run`` words unchanged; failing that they are left out, and its
paraphrased passages are judged as above.

:func:`support_notes` says, in the words of a pair's evidence list, what the
kept paraphrases rest on. The rules read only the two texts and the passages,
so :mod:`textreuse.compare` and the corpus verification apply them alike, and
the answer does not depend on the order of the two documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from textreuse.align.characters import char_containment
from textreuse.align.options import check_each
from textreuse.align.passages import copied_share
from textreuse.common.checks import check_fields
from textreuse.text.normalize import normalize
from textreuse.text.segment import is_content_word, sentences, tokenize
from textreuse.types import Passage

__all__ = ["EvidenceOptions", "Support", "paraphrase_support", "support_notes", "supported_passages"]

# Quotation marks: straight or curly double quotes.
_QUOTE_MARK = re.compile(r"[\"“”]")


@dataclass(frozen=True)
class EvidenceOptions:
    """What a passage matched by meaning alone (``paraphrased``) needs to be kept.

    Attributes:
        require: apply the rules (``False`` keeps every paraphrased passage, as before).
        run_sentences: the pair's paraphrased passages, in the same order on both
            sides, stand together when they hold at least this many sentences (on the
            side with fewer in each passage) and
        run_phrase_share: keep at least this share of their words in unchanged runs
            of ``phrase_run`` words (a copy keeps some phrasing; a story retold keeps little), or
        run_cover: cover at least this share of the characters of both documents, neither side
            longer than ``run_cover_ratio`` times the other (a whole story retold sentence by sentence
            keeps about its length; two stories on one bid, each told whole, are written to their own), or
        long_run_sentences: hold at least this many sentences.
        phrase_run: the words of a run at least this long, found unchanged on both sides, count as kept phrases.
        phrase_share: a paraphrased passage that keeps at least this share of its
            words (the shorter side's) in such runs stands on its own.
        quote_words: content words a quotation must share with a quotation of the other side.
        condensed_sentences: a passage whose longer side holds at least this many sentences and
        condensed_ratio: this many times the other side's characters is a summary, and stands.
        edited_letters: a pair sharing no ``verbatim`` passage keeps its ``edited`` passages only when one
            of them holds at least this share of its shorter side's letters, in order, in the other side
            (:func:`~textreuse.align.characters.char_containment`: a copy keeps its letters between the
            shared runs; two stories telling one fact share names, figures and set phrases, not the rest).
        letter_sentences: ... when those passages hold together fewer than this many sentences (on the side
            with fewer in each): one fact told twice is a sentence or two; a copy that follows its source
            for longer stands by its words even when translated and reworded.
        letter_free_run: ... or one of them holds this many words unchanged in a row (a quotation or a
            sentence reprinted whole inside a retelling; set phrases of names and figures are shorter).
        letter_run: letters count as matched in runs of at least this many (chance matches are shorter).
        paraphrase_letters: a paraphrased passage that holds at least this share of its shorter side's
            letters, in order, in the other side stands on its own: OCR breaks the words of a copy, not
            its letters; a story retold in other words keeps its names and figures, not the rest.
        paraphrase_letters_chars: ... when that side has at least this many characters (two datelines or
            one short line on one event share most of their few letters).
    """

    require: bool = True
    run_sentences: int = 5
    run_phrase_share: float = 0.2
    run_cover: float = 0.8
    run_cover_ratio: float = 1.5
    long_run_sentences: int = 10
    phrase_run: int = 3
    phrase_share: float = 0.5
    quote_words: int = 4
    condensed_sentences: int = 8
    condensed_ratio: float = 2.0
    edited_letters: float = 0.55
    letter_sentences: int = 5
    letter_free_run: int = 8
    letter_run: int = 3
    paraphrase_letters: float = 0.7
    paraphrase_letters_chars: int = 150

    def __post_init__(self) -> None:
        check_fields(self)
        check_each(self, "run_sentences long_run_sentences phrase_run quote_words condensed_sentences", low=1)
        check_each(self, "letter_run letter_sentences letter_free_run paraphrase_letters_chars", low=1)
        check_each(self, "run_phrase_share run_cover phrase_share edited_letters paraphrase_letters", low=0.0, high=1.0)
        check_each(self, "condensed_ratio run_cover_ratio", low=1.0)


@dataclass(frozen=True)
class Support:
    """What one paraphrased passage shows.

    ``sentences``: its sentences on the side with fewer; ``condensed``: its longer side
    holds ``condensed_sentences`` sentences or more and ``condensed_ratio`` times the
    other's characters (a summary); ``phrases``: the share of its words kept in
    unchanged runs; ``quote``: a shared quotation (empty if none); ``letters``: the
    share of its shorter side's letters found, in order, in the other side (0 when
    that side is shorter than ``paraphrase_letters_chars``).
    """

    sentences: int
    condensed: bool
    phrases: float
    quote: str
    letters: float = 0.0


def paraphrase_support(a: str, b: str, p: Passage, options: EvidenceOptions) -> Support:
    """The evidence of copying one passage's two sides show (see :class:`Support`)."""
    ta, tb = a[p.a_start : p.a_end], b[p.b_start : p.b_end]
    (short, n), (long_, m) = sorted([(len(ta), len(sentences(ta))), (len(tb), len(sentences(tb)))])
    condensed = m >= options.condensed_sentences and long_ >= options.condensed_ratio * max(1, short)
    phrases = copied_share(_keys(ta), _keys(tb), options.phrase_run)
    x, y = sorted((ta, tb))  # the same share in either order
    letters = char_containment(x, y, options.letter_run) if short >= options.paraphrase_letters_chars else 0.0
    return Support(min(n, m), condensed, phrases, _shared_quote(a, b, p, options.quote_words), letters)


def supported_passages(a: str, b: str, passages: list[Passage], options: EvidenceOptions) -> list[Passage]:
    """The passages without those that show no evidence of copying (see the module)."""
    passages = _lettered(a, b, passages, options)
    para = [p for p in passages if p.kind == "paraphrased"]
    if not options.require or not para or len(para) < len(passages) or _ordered_run(a, b, para, options):
        return passages
    return [p for p in passages if _stands(paraphrase_support(a, b, p, options), options)]


def support_notes(a: str, b: str, passages: list[Passage], options: EvidenceOptions) -> list[str]:
    """What a pair's paraphrased passages rest on, as lines of its evidence, where the rules decide.

    None when the rules are off or the pair also shares passages found by their words.
    """
    para = [p for p in passages if p.kind == "paraphrased"]
    if not options.require or not para or len(para) < len(passages):
        return []
    if _ordered_run(a, b, para, options):
        total = sum(_sentences(a, b, p) for p in para)
        return [f"matched by meaning: {total} sentences in the same order on both sides"]
    notes = []
    for s in (paraphrase_support(a, b, p, options) for p in para):
        if s.condensed:
            notes.append("a passage matched by meaning condenses a longer stretch of the other text (a summary)")
        elif s.phrases >= options.phrase_share:
            notes.append(
                f"a passage matched by meaning keeps {100 * s.phrases:.0f}% of its words"
                f" in unchanged runs of {options.phrase_run} or more"
            )
        elif s.quote:
            notes.append(f"a shared quotation: “{s.quote}”")
        elif s.letters >= options.paraphrase_letters:
            notes.append(f"a passage matched by meaning keeps {100 * s.letters:.0f}% of its letters in order")
    return notes


def _lettered(a: str, b: str, passages: list[Passage], options: EvidenceOptions) -> list[Passage]:
    """The passages without the ``edited`` ones when no passage found by its words keeps its letters (see the module)."""
    edited = [p for p in passages if p.kind == "edited"]
    if not options.require or not edited or any(p.kind == "verbatim" for p in passages):
        return passages
    if sum(_sentences(a, b, p) for p in edited) >= options.letter_sentences:
        return passages
    for p in edited:
        x, y = sorted((a[p.a_start : p.a_end], b[p.b_start : p.b_end]))  # the same share in either order
        if char_containment(x, y, options.letter_run) >= options.edited_letters:
            return passages
        if copied_share(_keys(x), _keys(y), options.letter_free_run) > 0:
            return passages
    return [p for p in passages if p.kind != "edited"]


def _ordered_run(a: str, b: str, para: list[Passage], options: EvidenceOptions) -> bool:
    """Whether the paraphrased passages, in the same order on both sides, make a run (see :class:`EvidenceOptions`)."""
    ordered = sorted(para, key=lambda p: (p.a_start, p.b_start))
    if any(y.b_start < x.b_start for x, y in zip(ordered, ordered[1:], strict=False)):
        return False
    total = sum(_sentences(a, b, p) for p in para)
    if total >= options.long_run_sentences:
        return True
    if total < options.run_sentences:
        return False
    chars_a, chars_b = sum(p.a_end - p.a_start for p in para), sum(p.b_end - p.b_start for p in para)
    cover = min(chars_a / max(1, len(a.strip())), chars_b / max(1, len(b.strip())))
    if cover >= options.run_cover and max(chars_a, chars_b) <= options.run_cover_ratio * max(1, min(chars_a, chars_b)):
        return True
    return _kept_phrases(a, b, para, options.phrase_run) >= options.run_phrase_share


def _kept_phrases(a: str, b: str, para: list[Passage], run: int) -> float:
    """The share of the passages' words (the shorter side of each) in unchanged runs of ``run`` words or more."""
    kept = words = 0.0
    for p in para:
        ka, kb = _keys(a[p.a_start : p.a_end]), _keys(b[p.b_start : p.b_end])
        n = min(len(ka), len(kb))
        kept += n * copied_share(ka, kb, run)
        words += n
    return kept / words if words else 0.0


def _sentences(a: str, b: str, p: Passage) -> int:
    """The sentences of a passage on the side with fewer."""
    return min(len(sentences(a[p.a_start : p.a_end])), len(sentences(b[p.b_start : p.b_end])))


def _stands(s: Support, options: EvidenceOptions) -> bool:
    """Whether one paraphrased passage stands on its own: a summary, kept phrases, a shared quotation or kept letters."""
    if s.condensed or s.phrases >= options.phrase_share or s.quote:
        return True
    return s.letters >= options.paraphrase_letters


def _shared_quote(a: str, b: str, p: Passage, least: int) -> str:
    """The shorter of two quotations, one in each side of ``p``, that share ``least`` content words (empty if none)."""
    qa = [a[s:e] for s, e in _quotations(a) if s < p.a_end and p.a_start < e]
    qb = [b[s:e] for s, e in _quotations(b) if s < p.b_end and p.b_start < e]
    found = [min(x, y, key=lambda q: (len(q), q)) for x in qa for y in qb if len(_content(x) & _content(y)) >= least]
    return " ".join(min(found, key=lambda q: (len(q), q)).split()) if found else ""


@lru_cache(maxsize=64)
def _quotations(text: str) -> tuple[tuple[int, int], ...]:
    """The spans of the quotations of a whole text: ``“…”``, or ``"…"`` paired from the start of the text.

    >>> text = 'He said "go now" and “stay”.'
    >>> [text[s:e] for s, e in _quotations(text)]
    ['go now', 'stay']
    """
    out = []
    opened: int | None = None
    for m in _QUOTE_MARK.finditer(text):
        mark = m.group()
        if opened is None and mark != "”":
            opened = m.end()
        elif opened is not None and mark != "“":
            out.append((opened, m.start()))
            opened = None
        elif mark == "“":
            opened = m.end()
    return tuple(out)


def _content(text: str) -> set[str]:
    return {k for k in _keys(text) if is_content_word(k)}


def _keys(text: str) -> list[str]:
    return tokenize(normalize(text)).keys
