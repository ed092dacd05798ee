"""Words too frequent to seed join the passages rarer words found (issue 13, item 2).

In a PAN document a word like "community" or "heart" recurs more than
``LexicalOptions.max_occurrences`` times and makes no seed, so a shuffled,
substituted copy of a short paragraph kept too few seeds to stand and was
missed whole. Those words now join the passages that rarer words found; a
short passage they made dense needs ``joined_similarity``, or two texts on one
topic (no reuse) would share one.
"""

from __future__ import annotations

import pytest

from textreuse.align.evidence import EvidenceOptions
from textreuse.align.options import LexicalOptions
from textreuse.compare import CompareOptions, compare
from textreuse.errors import OptionError
from textreuse.relate import RelateOptions

from .conftest import shared_path

# As `textreuse pan` compares: without the evidence rules (a shuffled paragraph keeps few letters in order).
NO_EVIDENCE = RelateOptions(evidence=EvidenceOptions(require=False))
LEXICAL = CompareOptions(mode="lexical", junk=False, relate=NO_EVIDENCE)


def _texts(susp: str, src: str) -> tuple[str, str]:
    pan = shared_path("data", "pan13-dev")
    return (
        (pan / "susp" / f"suspicious-document{susp}.txt").read_text(),
        (pan / "src" / f"source-document{src}.txt").read_text(),
    )


def _overlaps(x: tuple[int, int], y: tuple[int, int]) -> bool:
    return x[0] < y[1] and y[0] < x[1]


@pytest.mark.parametrize(
    ("susp", "src", "case_a", "case_b"),
    [
        # 03 random obfuscation, development half: a city hall's address block, words replaced.
        ("00937", "01464", (0, 225), (0, 469)),
        # 03: a biography in a wiki search page, shuffled.
        ("00983", "02109", (365, 654), (575, 1053)),
        # 03: a patient's quote on a heart device, words substituted.
        ("00383", "01476", (14118, 14282), (2232, 2514)),
    ],
)
def test_obfuscated_paragraph_in_long_document_is_found(
    susp: str, src: str, case_a: tuple[int, int], case_b: tuple[int, int]
) -> None:
    a, b = _texts(susp, src)
    passages = compare(a, b, LEXICAL).passages
    found = [p for p in passages if _overlaps((p.a_start, p.a_end), case_a) and _overlaps((p.b_start, p.b_end), case_b)]
    assert found, [(p.a_start, p.a_end, p.b_start, p.b_end) for p in passages]
    # The passage is the case, not the document around it.
    assert all(p.a_end - p.a_start < 3 * (case_a[1] - case_a[0]) for p in found)


def test_short_same_topic_passage_made_by_common_words_is_dropped() -> None:
    # 01 no plagiarism: two pages on tangible personal property share its words all through.
    a, b = _texts("00697", "00869")
    assert compare(a, b, LEXICAL).passages == []
    loose = CompareOptions(
        mode="lexical", junk=False, lexical=LexicalOptions(joined_similarity=0.0), relate=NO_EVIDENCE
    )
    assert compare(a, b, loose).passages != []


def test_joining_options_are_checked() -> None:
    with pytest.raises(OptionError, match="LexicalOptions.joined_similarity"):
        LexicalOptions(joined_similarity=1.5)
    with pytest.raises(OptionError, match="LexicalOptions.max_joining_occurrences"):
        LexicalOptions(max_joining_occurrences=0)


def test_no_common_seeds_when_joining_is_off() -> None:
    # max_joining_occurrences at max_occurrences turns joining off: the paragraph is missed again.
    a, b = _texts("00983", "02109")
    off = CompareOptions(mode="lexical", junk=False, lexical=LexicalOptions(max_joining_occurrences=8))
    passages = compare(a, b, off).passages
    assert not any(_overlaps((p.a_start, p.a_end), (365, 654)) for p in passages)


def test_abridged_copy_keeps_its_first_sentence() -> None:
    # Reuters 5493 abridged to its first sentence and a later one (the planted benchmark's
    # abridged copy of it, seed 13): "mln", "dlrs" and "revenues" recur all through the
    # story. A passage grown with them from the later sentence took in the copied first
    # sentence on the copy's side and pushed its passage out; beside a copy they join nothing.
    import sys

    from .conftest import REPO

    sys.path.insert(0, str(REPO / "bench"))
    import planted as pl

    rows = pl.load_reuters(shared_path("data", "reuters21578", "reuters21578.jsonl.gz"))
    story = next(r.text for r in rows if r.id == "reuters-5493")
    paragraphs = story.split("\n    ")
    copy = paragraphs[0] + "\n    " + next(p for p in paragraphs if p.startswith("Media General said year-to-date"))
    first = paragraphs[0]
    passages = compare(story, copy, LEXICAL).passages
    covered = sum(max(0, min(len(first), p.b_end) - p.b_start) for p in passages if p.a_start < len(first))
    assert covered >= 0.9 * len(first), [(p.a_start, p.a_end, p.b_start, p.b_end) for p in passages]
