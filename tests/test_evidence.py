"""Passages found by meaning alone must show copying: same-event stories are not paraphrased copies (issue 10)."""

import gzip
import json

import pytest

from tests.conftest import REPO, chronam_pages, shared_path
from textreuse import CompareOptions, Document, compare
from textreuse.align.evidence import EvidenceOptions, paraphrase_support, supported_passages
from textreuse.errors import OptionError
from textreuse.relate import RelateOptions
from textreuse.types import Passage


def _reuters(*ids: str) -> list[Document]:
    path = shared_path("data", "reuters21578", "reuters21578.jsonl.gz")
    found: dict[str, Document] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["id"] in ids:
                found[rec["id"]] = Document(rec["id"], rec["text"], {"date": rec.get("date", "")})
    return [found[i] for i in ids]


@pytest.mark.parametrize(
    "ids",
    [
        # Peru's silver freeze, one background sentence in each of two separate stories.
        ("reuters-17149", "reuters-17154"),
        # Williams' bid for Norcros, reported twice by Reuters: the same figures, retold.
        ("reuters-8618", "reuters-8685"),
        # Heinz's quarterly earnings, in the earnings story and a follow-up a week later.
        ("reuters-3890", "reuters-6215"),
    ],
)
def test_same_event_stories_written_separately_share_no_passage(ids: tuple[str, str]) -> None:
    a, b = _reuters(*ids)
    r = compare(a, b)
    assert r.passages == [], [(p.kind, a.text[p.a_start : p.a_end][:80]) for p in r.passages]
    assert r.relation is not None and r.relation.label == "unrelated"
    # The rule is what drops them: without it the semantic stage reports a paraphrase.
    loose = CompareOptions(relate=RelateOptions(evidence=EvidenceOptions(require=False)))
    assert [p.kind for p in compare(a, b, loose).passages] == ["paraphrased"]


def test_two_datelines_are_no_reuse() -> None:
    # Two 1916 front pages (chronam): their datelines match by meaning, and nothing else.
    a = "MONDAY. JANUARY 3, 1916."
    b = "TUESDAY EVENING. JANUARY 4. 1916."
    p = Passage(0, len(a), 0, len(b), "paraphrased", 0.85, 0.4, 0.85)
    assert supported_passages(a, b, [p], EvidenceOptions()) == []
    assert supported_passages(a, b, [p], EvidenceOptions(require=False)) == [p]


def test_an_ocr_reprint_matched_by_meaning_stands_by_its_letters() -> None:
    """Prohibition in seven states, in two papers of 1 and 2 January 1916 (chronam pages 33 and 86).

    OCR garbled its words (``oi inttwrirating liquors``), so the two sentences shared are matched by
    meaning, keep few unchanged runs of words and no quotation; they keep their letters, and stand.
    """
    a, b = chronam_pages(33, 86)
    found = compare(a, b)
    assert [p.kind for p in found.passages] == ["paraphrased"]
    [p] = found.passages
    assert "hibition of the sale and manufacture" in " ".join(a.text[p.a_start : p.a_end].split())
    assert "prohibition of the sale and manufacture" in " ".join(b.text[p.b_start : p.b_end].split())
    support = paraphrase_support(a.text, b.text, p, EvidenceOptions())
    assert support.phrases < EvidenceOptions().phrase_share and not support.quote
    assert support.letters >= EvidenceOptions().paraphrase_letters
    assert any("of its letters in order" in line for line in found.relation.evidence)
    without = CompareOptions(relate=RelateOptions(evidence=EvidenceOptions(paraphrase_letters=1.0)))
    assert compare(a, b, without).passages == []


def _demo(name: str) -> Document:
    for line in open(REPO / "demo" / "corpus.jsonl", encoding="utf-8"):
        rec = json.loads(line)
        if rec["id"].startswith(name):
            return Document(rec["id"], rec["text"], {"date": rec.get("date", "")})
    raise AssertionError(name)


def test_a_digest_retelling_a_story_keeps_its_paraphrases_and_says_why() -> None:
    # The digest's two paragraphs retell two of the advertiser's, a quotation included.
    a, b = _demo("coastal-daily-digest"), _demo("marrow-bay-advertiser")
    r = compare(a, b)
    assert [p.kind for p in r.passages] == ["paraphrased", "paraphrased"]
    assert r.relation is not None and r.relation.label == "partial reuse"
    assert any("sentences in the same order" in e for e in r.relation.evidence)
    # The quotation alone would keep the passage that holds it.
    assert "1934" in paraphrase_support(a.text, b.text, r.passages[0], EvidenceOptions()).quote


def test_a_spun_copy_stays_a_paraphrased_copy() -> None:
    a, b = _demo("wire-2024-04-09-brannock"), _demo("world-briefing-today")
    r = compare(a, b)
    assert r.relation is not None and r.relation.label == "paraphrased copy"
    assert r.coverage_a > 0.95 and r.coverage_b > 0.95
    assert any("sentences in the same order on both sides" in e for e in r.relation.evidence)


def test_kept_phrases_let_a_lone_paraphrased_sentence_stand() -> None:
    a = "Officials said the 90-year-old cast-iron water main split open beneath Quayside Road early on Tuesday."
    b = "Early on Tuesday the 90-year-old cast-iron water main split open beneath Quayside Road, officials said."
    p = Passage(0, len(a), 0, len(b), "paraphrased", 0.9, 0.9, 0.9)
    assert supported_passages(a, b, [p], EvidenceOptions()) == [p]
    assert supported_passages(b, a, [p.mirrored()], EvidenceOptions()) == [p.mirrored()]
    assert supported_passages(a, b, [p], EvidenceOptions(phrase_share=0.95)) == []


@pytest.mark.parametrize(
    "bad",
    [
        {"phrase_share": 1.5},
        {"run_sentences": 0},
        {"quote_words": 0},
        {"phrase_run": 0},
        {"edited_letters": 1.5},
        {"letter_run": 0},
        {"letter_sentences": 0},
        {"paraphrase_letters": 1.5},
        {"paraphrase_letters_chars": 0},
    ],
)
def test_evidence_options_are_checked(bad: dict[str, float]) -> None:
    with pytest.raises(OptionError, match=f"EvidenceOptions.{next(iter(bad))}"):
        EvidenceOptions(**bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", ["lexical", "full"])
@pytest.mark.parametrize(
    "ids",
    [
        # Chrysler's tender for Electrospace, told by two desks: "27 dlrs a share for ... about 367 mln dlrs".
        ("reuters-19127", "reuters-19181"),
        # Reagan's tariffs on Japan: "100 pct tariffs on ... 300 mln dlrs worth of Japanese goods".
        ("reuters-17083", "reuters-17269"),
    ],
)
def test_one_fact_told_by_two_desks_is_no_edited_passage(ids: tuple[str, str], mode: str) -> None:
    a, b = _reuters(*ids)
    r = compare(a, b, CompareOptions(mode=mode))  # type: ignore[arg-type]
    assert r.passages == [], [(p.kind, a.text[p.a_start : p.a_end][:80]) for p in r.passages]
    assert compare(b, a, CompareOptions(mode=mode)).passages == []  # type: ignore[arg-type]
    # The letters rule is what drops them: the shared names and figures make an edited passage.
    loose = CompareOptions(mode=mode, relate=RelateOptions(evidence=EvidenceOptions(edited_letters=0.0)))  # type: ignore[arg-type]
    assert "edited" in [p.kind for p in compare(a, b, loose).passages]


def test_an_ocr_damaged_excerpt_keeps_its_edited_passage() -> None:
    # Two sentences of the Chrysler story, garbled as OCR garbles them, set inside an unrelated story.
    source, host = _reuters("reuters-19127", "reuters-17269")
    start = source.text.index("Chrysler will tender")
    end = source.text.index("367 mln dlrs") + len("367 mln dlrs.")
    excerpt = source.text[start:end]
    for clean, garbled in (
        ("Chrysler will", "Chrysier wil1"),
        ("defense", "defensc"),
        ("outstanding", "outstandmg"),
        ("would", "wonld"),
    ):
        excerpt = excerpt.replace(clean, garbled)
    middle = host.text.index(".", len(host.text) // 2) + 1
    copy = Document("copy", host.text[:middle] + " " + excerpt + " " + host.text[middle:])
    for mode in ("lexical", "full"):
        r = compare(source, copy, CompareOptions(mode=mode))  # type: ignore[arg-type]
        kinds = [p.kind for p in r.passages]
        assert kinds and set(kinds) <= {"edited", "paraphrased"}, kinds
        assert any(source.text[p.a_start : p.a_end].count("Chrysler") for p in r.passages)


def test_pan_keeps_edited_passages_without_letters() -> None:
    # `textreuse pan` switches the evidence rules off, this one included (PAN's obfuscations reorder words).
    a, b = _reuters("reuters-19127", "reuters-19181")
    off = CompareOptions(mode="lexical", relate=RelateOptions(evidence=EvidenceOptions(require=False)))
    assert [p.kind for p in compare(a, b, off).passages] == ["edited"]


def test_two_stories_on_one_bid_told_whole_are_no_paraphrased_copy() -> None:
    # Gates Learjet: a 433-character item on Interconnect's bid and a 779-character story on AVAQ's
    # answer to it; their sentences match by meaning in order over 95% of both, at two lengths.
    a, b = _reuters("reuters-4952", "reuters-5411")
    assert compare(a, b).passages == []
    loose = CompareOptions(relate=RelateOptions(evidence=EvidenceOptions(run_cover_ratio=2.0)))
    r = compare(a, b, loose)
    assert r.relation is not None and r.relation.label == "paraphrased copy"


def test_a_translated_copy_found_by_its_words_stays_whatever_its_letters() -> None:
    # The demo's round trip of the Westshore Tribune's storm story: one long edited passage keeping
    # under 60% of its letters (translated word by word); it holds too many sentences for the letters
    # rule, which would drop it at a bound of 0.6 without that.
    a, b = _demo("westshore-tribune-2024-04-03-port-elwin-storm"), _demo("global-news-roundup-2024-04-04-port-elwin")
    r = compare(a, b)
    assert [p.kind for p in r.passages] == ["edited"]
    assert r.relation is not None and r.relation.label == "paraphrased copy"
    assert (
        compare(
            a,
            b,
            CompareOptions(
                relate=RelateOptions(
                    evidence=EvidenceOptions(letter_sentences=99, letter_free_run=99, edited_letters=0.6)
                )
            ),
        ).passages
        == []
    )


def test_a_statement_quoted_whole_inside_two_retellings_stays() -> None:
    # Two 1916 front pages (chronam, public domain) tell the Persia news in their own words around
    # the president's statement, which both print: few letters in common, one long unchanged run.
    a = (
        "Secretary of State Lansing in an\neffort to obtain the full facts and\nthat as soon as this Information is\n"
        "obtained, this government will act\npromptly.\nThe statement Issued through Sec\nretary Tumulty follows:\n"
        '"The president and the secretary ot\n[state are taking every means possible\n(to obtain the full'
    )
    b = (
        'Secretary Tumulty issued this state\nment for the president\n"The president and the secretary of\n'
        "state are taking every means possible\nto obtain the full facts in this gravo\nmatter and will act Just "
        "as soon as the\ninformation is obtained"
    )
    p = Passage(0, len(a), 0, len(b), "edited", 0.7, 0.7, None)
    assert supported_passages(a, b, [p], EvidenceOptions()) == [p]
    assert supported_passages(b, a, [p.mirrored()], EvidenceOptions()) == [p.mirrored()]
    assert supported_passages(a, b, [p], EvidenceOptions(letter_free_run=99)) == []
