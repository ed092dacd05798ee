"""OCR'd newspaper columns (chronam-1916, public domain, read from ../shared at run time): reprints passim finds."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from textreuse.compare import CompareOptions
from textreuse.corpus.find import find_pairs
from textreuse.corpus.focus import document_letters, shared_clusters
from textreuse.corpus.options import FindOptions
from textreuse.index.fingerprints import fingerprint
from textreuse.index.store import Store
from textreuse.prepare import prepare
from textreuse.text.normalize import normalize
from textreuse.text.segment import tokenize
from textreuse.types import Document

from .conftest import chronam_pages

LEXICAL = CompareOptions(mode="lexical")


def test_words_split_at_a_column_line_end_are_one_word() -> None:
    """``Presi\\ndent`` is one word, as the paper on the next column width printed it; ``may\\nbe`` stays two."""
    text = "the Presi\ndent said the mem\nbers may\nbe called to Stock\nholm"
    keys = tokenize(normalize(text)).keys
    assert keys == ["the", "president", "said", "the", "members", "may", "be", "called", "to", "stock", "holm"]
    tokens = tokenize(normalize(text))
    assert text[tokens.starts[1] : tokens.ends[1]] == "Presi\ndent"  # offsets still index the original


def test_a_reprint_set_in_other_column_widths_is_found(tmp_path: Path) -> None:
    """The Ford peace party in Copenhagen, in two papers of 1 January 1916 whose columns break other words.

    ``ar\\nrived``, ``prohib\\nited``, ``com\\npliance``, ``mem\\nbers``: each paper breaks words at its own
    line ends, and each break cut the runs of words the reprint keeps. The pair passim finds is found.
    """
    docs = chronam_pages(4, 69)
    with Store(tmp_path / "reuse.db") as store:
        store.add(docs)
        records = list(find_pairs(store, LEXICAL, FindOptions(skip_same_source=True)))
    assert {frozenset((r.a, r.b)) for r in records} == {frozenset(d.id for d in docs)}
    texts = {d.id: d.text for d in docs}
    shared = [" ".join(texts[r.a][p.a_start : p.a_end].split()) for r in records for p in r.passages]
    assert any("delegates ar rived" in s and "The police authorities have prohib ited" in s for s in shared)


def _found(docs: list[Document], tmp_path: Path) -> list[tuple[str, str]]:
    """The passages ``find`` reports between the pages, each as its two sides with spaces folded."""
    with Store(tmp_path / "reuse.db") as store:
        store.add(docs)
        records = list(find_pairs(store, LEXICAL, FindOptions(skip_same_source=True)))
    texts = {d.id: d.text for d in docs}
    assert {frozenset((r.a, r.b)) for r in records} == {frozenset(d.id for d in docs)}
    return [
        (" ".join(texts[r.a][p.a_start : p.a_end].split()), " ".join(texts[r.b][p.b_start : p.b_end].split()))
        for r in records
        for p in r.passages
    ]


def test_a_reprint_whose_figures_ocr_garbled_is_kept(tmp_path: Path) -> None:
    """Germany's note on the Ancona in two papers of 1 January 1916: ``11:4H`` / ``11:40``, ``3S:40`` / ``.K.40``.

    OCR garbled the figures of one side (``1H15`` for 1915, ``3, mil!`` for 3,000): the figures
    left to compare disagree though the letters match; a stray digit or a digit misread
    is not another figure.
    """
    shared = _found(chronam_pages(16, 23), tmp_path)
    assert any(
        "did not stop but rather turned aside" in a and "turned aside and sotiKht to es cape" in b for a, b in shared
    )


def test_a_wire_paragraph_inside_two_rewritten_stories_is_kept(tmp_path: Path) -> None:
    """The Persia's sinking, written up by two papers: the paragraph of passengers both printed from the wire.

    Around it each paper wrote, cut and ordered the story its own way, so the passage the
    aligner finds matches in its middle only; that middle is kept, not the text around it. The
    other wire sentences both printed (the official dispatches, Consul McNeely) are kept apart.
    """
    shared = _found(chronam_pages(8, 63), tmp_path)
    ((a, b),) = [(x, y) for x, y in shared if "booked at these points" in x]
    assert any(x.startswith("Washington, Jan. 1. Bulletin. Official dispatches from Lon don") for x, _ in shared)
    assert (
        a.startswith("In addition to the passengers who Tailed from London") and "booked at these points was 231" in a
    )
    assert b.startswith("In addition to the passengers who sailed") and b.endswith(
        "Lord Mon v tague was on the passenger list"
    )


def test_a_wire_sentence_too_short_for_the_word_aligner_is_found_by_its_letters(tmp_path: Path) -> None:
    """The Persia's submarine, two papers of 3 and 4 January 1916: a sentence of the wire in two other stories.

    The word aligner finds no edited passage under 20 words; the text around the pair's
    clusters of shared 3-grams, compared by letters, holds the sentence both printed.
    """
    shared = _found(chronam_pages(141, 112), tmp_path)
    sentence = "the nationality of the submarine which is said to have sunk the Persia and"
    assert any(
        a.startswith(sentence) and b.startswith(sentence) and b.endswith("to develop the facts in the case")
        for a, b in shared
    )


def test_a_reprint_whose_words_ocr_broke_is_found_by_its_letters(tmp_path: Path) -> None:
    """The King's New Year message to the Tsar in two papers of 1 January 1916 (pages 12 and 13).

    OCR garbled a word every few words on both pages (``oni allies``, ``proserinion``, ``bi.und``), so
    the pages share no cluster of three content-word 3-grams; their strings of 25 letters from a word
    start (``FindOptions.seed_letters``) still meet, and the passage is found. Without them, nothing is.
    """
    docs = chronam_pages(12, 13)
    a, b = (prepare(d) for d in docs)
    find = FindOptions(skip_same_source=True)
    assert shared_clusters(fingerprint(a.tokens), fingerprint(b.tokens), find) == []
    assert shared_clusters(
        fingerprint(a.tokens), fingerprint(b.tokens), find, (document_letters(a, find), document_letters(b, find))
    )
    shared = _found(docs, tmp_path)
    assert any("our gallant so'dlt r anil sailors" in x and "out gallant soldiers and sailors" in y for x, y in shared)
    with Store(tmp_path / "words.db") as store:
        store.add(docs)
        assert list(find_pairs(store, LEXICAL, replace(find, seed_letters=0))) == []


@pytest.mark.parametrize(
    ("pages", "a_says", "b_says"),
    [
        # Colonel Van Horn's death, filed from Kansas City "Jan. 2" in one paper and "Jan. 3" in the other.
        ((108, 163), "Mo., Jan. 2.", "Mo. Jan. 3"),
        # Sir John Simon's resignation, "Jan. 8. 8 a. m." (OCR for Jan. 3) in one paper, "Jan. 3." in the other.
        ((89, 108), "Jan. 8. 8 a. m.", "Jan. 3."),
    ],
)
def test_a_reprint_dated_another_day_is_found(tmp_path: Path, pages: tuple[int, int], a_says: str, b_says: str) -> None:
    """A short wire story whose only figures are its dateline's day and hour: they differ, and it is found."""
    shared = _found(chronam_pages(*pages), tmp_path)
    assert any(a_says in x and b_says in y or a_says in y and b_says in x for x, y in shared), shared


def test_an_ocr_reprint_the_semantic_stage_takes_for_a_paraphrase_is_found(tmp_path: Path) -> None:
    """The loss of the Persia in two papers of January 1916 (pages 122 and 282), in full mode.

    OCR broke so many words that the semantic stage calls the 1,300-character passage a paraphrase, and
    its garbled figures fail the rule for paraphrases; judged by its words as an edited passage, it is
    the reprint lexical mode finds, and full mode finds it too.
    """
    docs = chronam_pages(122, 282)
    with Store(tmp_path / "reuse.db") as store:
        store.add(docs)
        found = {
            mode: list(find_pairs(store, CompareOptions(mode=mode), FindOptions(skip_same_source=True)))
            for mode in ("lexical", "full")
        }
    texts = {d.id: d.text for d in docs}
    for mode, records in found.items():
        assert len(records) == 1, mode
        [p] = records[0].passages
        assert p.kind == "edited"
        a, b = texts[records[0].a][p.a_start : p.a_end], texts[records[0].b][p.b_start : p.b_end]
        assert "fifty-eight surviv" in " ".join(a.split()) and "fifty-eight surviv" in " ".join(b.split())
    assert [p.a_start for p in found["full"][0].passages] == [p.a_start for p in found["lexical"][0].passages]


@pytest.mark.parametrize(
    ("pages", "a_says", "b_says"),
    [
        # The State Department's two questions on the Persia, inside two reports of 5 January 1916.
        ((213, 262), "Persia actually was torpedoed, and if so", "Persia actually was torpedoed and, if so"),
        # The bombing of Brussels, inside two reports of 1 January 1916.
        ((5, 33), "Nineteen Belgian civilians were wounded", "Nineteen Belgian civilians\nwere wounded"),
    ],
)
def test_one_wire_sentence_inside_two_rewritten_reports_is_found(
    tmp_path: Path, pages: tuple[int, int], a_says: str, b_says: str
) -> None:
    """A wire sentence of 70-80 matched letters that two papers kept inside reports each rewrote.

    Its core (letters matched at ``ocr_core_similarity``) is found with ``FindOptions.ocr_core_letters``
    at its default; at 80 letters it is not.
    """
    docs = chronam_pages(*pages)
    shared = _found(docs, tmp_path)
    flat = [(" ".join(x.split()), " ".join(y.split())) for x, y in shared]
    a_flat, b_flat = " ".join(a_says.split()), " ".join(b_says.split())
    assert any(a_flat in x and b_flat in y or a_flat in y and b_flat in x for x, y in flat), shared
    with Store(tmp_path / "eighty.db") as store:
        store.add(docs)
        strict = FindOptions(skip_same_source=True, ocr_core_letters=80)
        assert list(find_pairs(store, LEXICAL, strict)) == []


def test_a_reprint_whose_lines_ocr_mixed_with_the_next_column_is_found(tmp_path: Path) -> None:
    """Lord Northcliffe's New Year interview in two papers of 5 January 1916 (pages 203 and 218).

    One page's OCR read two columns as one: each of its lines holds a piece of the interview and a piece
    of the story beside it ("The outburst of rage that followed | of the London Times, and probably the").
    The other page's letters are found in order inside that text (``FindOptions.interleaved_letters``),
    and the passage is kept; with that share at 1.0, it is not.
    """
    docs = chronam_pages(203, 218)
    shared = _found(docs, tmp_path)

    def tiger(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(x, y) for x, y in pairs if "rage of the tiger" in x and "rage of the tiger" in y]

    [(x, y)] = tiger(shared)
    assert "of the London Times" in x + y and "balked of its prey" in x and "balked of its prey" in y
    with Store(tmp_path / "strict.db") as store:
        store.add(docs)
        strict = FindOptions(skip_same_source=True, interleaved_letters=1.0)
        records = list(find_pairs(store, LEXICAL, strict))
    texts = {d.id: d.text for d in docs}
    passages = [(texts[r.a][p.a_start : p.a_end], texts[r.b][p.b_start : p.b_end]) for r in records for p in r.passages]
    assert tiger([(" ".join(x.split()), " ".join(y.split())) for x, y in passages]) == []


def test_every_wire_story_two_pages_share_is_aligned(tmp_path: Path) -> None:
    """Pages 203 and 218 share Lord Northcliffe's interview and Asquith's conscription bill.

    The interview is kept as a passage found by the aligner; the bill's sentence only as a core of
    letters around its cluster of anchors (``corpus.verify.cluster_cores``), which is searched for
    every cluster no kept passage covers, not only when a pair has none.
    """
    shared = _found(chronam_pages(203, 218), tmp_path)
    assert any("rage of the tiger" in x and "rage of the tiger" in y for x, y in shared)
    assert any("Introduced In commons the government's bill" in x + y for x, y in shared), shared
