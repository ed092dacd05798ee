"""Passages found by meaning alone must show copying: same-event stories are not paraphrased copies (issue 10)."""

import gzip
import json

import pytest

from tests.conftest import REPO, shared_path
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
    [{"phrase_share": 1.5}, {"run_sentences": 0}, {"quote_words": 0}, {"phrase_run": 0}],
)
def test_evidence_options_are_checked(bad: dict[str, float]) -> None:
    with pytest.raises(OptionError, match=f"EvidenceOptions.{next(iter(bad))}"):
        EvidenceOptions(**bad)  # type: ignore[arg-type]
