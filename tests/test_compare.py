import csv
import dataclasses
import io
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import textreuse
from textreuse import CompareOptions, Document, LexicalOptions, compare
from textreuse.cli.report import passage_texts, to_csv, to_json
from textreuse.errors import OptionError

from .conftest import WIRE, shared_path

PARAS = WIRE.strip().split("\n\n")

OTHER = """ASHFORD — The regional rail operator and the drivers' union reached a deal late on Sunday, ending a strike that had halted commuter trains for nine days.

Under the agreement, drivers will receive a pay rise of 4.1 percent this year and a further 3 percent next year, the union said in a statement.

Passengers crowded the platforms on Monday morning as the first trains in more than a week left the central station on time."""


def _slices(result):
    return [(result.a.text[p.a_start : p.a_end], result.b.text[p.b_start : p.b_end]) for p in result.passages]


def test_verbatim_reprint_with_page_junk():
    reprint = (
        "The Coastal Courier\n\nBurst main floods port streets\n\nBy Ola Berg, Staff Writer\n\n"
        + "\n\n".join(PARAS[:4])
        + "\n\n?? ANNA LUND/COAST PHOTO ?? Water rushes down Quay Street on Tuesday morning.\n\nPapers of the Coast\n"
    )
    r = compare(Document("wire", WIRE), Document("reprint", reprint))
    assert len(r.passages) == 1
    p = r.passages[0]
    assert p.kind == "verbatim" and p.score == 1.0
    a_text, b_text = _slices(r)[0]
    assert a_text == "\n\n".join(PARAS[:4])
    assert b_text == a_text
    # Junk is reported and not aligned.
    junk_b = [reprint[s:e] for s, e in r.excluded_b]
    assert "The Coastal Courier" in junk_b and "By Ola Berg, Staff Writer" in junk_b
    assert all(not (s < p.b_end and p.b_start < e) for s, e in r.excluded_b)
    # The reprint is abridged: most of it is found in the wire, not the reverse.
    assert r.coverage_b > 0.85
    assert 0.3 < r.coverage_a < 0.7


def test_edited_copy_is_edited_with_offsets_on_original_typography():
    edited = (
        WIRE.replace("forcing the evacuation of", "which forced officials to evacuate")
        .replace("“", '"')
        .replace("”", '"')
        .replace("’", "'")
        .replace("Several cellars were filled", "Many cellars filled up")
    )
    r = compare(WIRE, edited)
    assert r.passages, "an edited copy must align"
    assert any(p.kind == "edited" for p in r.passages)
    assert r.coverage_a > 0.9 and r.coverage_b > 0.9
    for a_text, b_text in _slices(r):
        assert a_text.strip() == a_text and b_text.strip() == b_text


def test_reordered_paragraphs_are_found_in_both_orders():
    shuffled = "\n\n".join([PARAS[5], PARAS[1], OTHER.split("\n\n")[1], PARAS[3]])
    r = compare(WIRE, shuffled)
    found = {a for a, _ in _slices(r)}
    for para in (PARAS[5], PARAS[1], PARAS[3]):
        assert any(para in f or f in para and len(f) > 0.8 * len(para) for f in found), para[:40]
    b_starts = [p.b_start for p in sorted(r.passages, key=lambda p: p.a_start)]
    assert b_starts != sorted(b_starts)  # passage order differs between the documents


def test_unrelated_same_genre_text_shares_nothing():
    r = compare(WIRE, OTHER)
    assert r.passages == []
    assert r.coverage_a == 0 and r.coverage_b == 0


def test_tiny_shared_phrase_is_below_the_minimum_but_configurable():
    a = "Officials said on Tuesday that the harbour bridge will close for repairs. Nothing else here matches at all today."
    b = "In other news, the harbour bridge will close for repairs, and a new ferry starts in May."
    assert compare(a, b).passages == []
    loose = compare(a, b, CompareOptions(lexical=LexicalOptions(min_words=6)))
    assert [t for t, _ in _slices(loose)] == ["the harbour bridge will close for repairs"]


def test_text_repeated_inside_one_document_makes_one_passage():
    doubled = PARAS[1] + "\n\n" + OTHER + "\n\n" + PARAS[1]
    r = compare(PARAS[1], doubled)
    assert len(r.passages) == 1


def test_json_and_csv_reports_carry_exact_slices():
    r = compare(Document("a", WIRE), Document("b", "Intro.\n\n" + PARAS[2] + "\n\n" + PARAS[4]))
    data = json.loads(to_json(r))
    assert set(data) == {"a", "b", "relation", "confidence", "passages", "coverage", "excluded", "excluded_share"}
    assert data["a"] == {"id": "a", "length": len(WIRE)}
    rows = list(csv.DictReader(io.StringIO(to_csv([r]))))
    assert len(rows) == len(data["passages"]) == 2
    for row, p in zip(rows, data["passages"]):
        assert row["a_text"] == WIRE[p["a_start"] : p["a_end"]]
        assert row["b_text"] == r.b.text[p["b_start"] : p["b_end"]]


def test_library_api_is_small_and_typed():
    r = textreuse.compare(WIRE, WIRE)
    assert isinstance(r, textreuse.Comparison)
    assert r.passages[0].kind == "verbatim" and r.coverage_a == 1.0


# Property: whatever the typography, reported spans are valid slices and the
# reports print exactly those slices.
_NOISE = st.sampled_from(["", "“", "”", "’", "\u00a0", "\u2014", "\n", "-\n", "\u00ad", "ﬁ", "  ", "\t"])
_WORDS = st.sampled_from(
    "harbour bridge council repairs storm ferry school water pipe street mayor budget crews night "
    "the a of and to in on said would 2,5 percent homes evacuation rain".split()
)


@st.composite
def _pair(draw):
    def noisy_words(n_min, n_max):
        words = draw(st.lists(_WORDS, min_size=n_min, max_size=n_max))
        return " ".join(w + draw(_NOISE) for w in words)

    shared = noisy_words(15, 40)
    a = noisy_words(0, 30) + " " + shared + " " + noisy_words(0, 30)
    b = noisy_words(0, 30) + " " + shared.replace("’", "'") + " " + noisy_words(0, 30)
    return a, b


@settings(max_examples=150, deadline=None)
@given(_pair())
def test_reported_spans_are_valid_slices_and_reports_print_them(pair):
    a, b = pair
    r = compare(a, b)
    data = json.loads(to_json(r))
    texts = passage_texts(r)
    rows = list(csv.DictReader(io.StringIO(to_csv([r]))))
    for p, (ta, tb), row in zip(data["passages"], texts, rows):
        assert 0 <= p["a_start"] < p["a_end"] <= len(a)
        assert 0 <= p["b_start"] < p["b_end"] <= len(b)
        assert ta == a[p["a_start"] : p["a_end"]] == row["a_text"]
        assert tb == b[p["b_start"] : p["b_end"]] == row["b_text"]
        # Spans never start or end with padding.
        assert ta == ta.strip() and tb == tb.strip()
    for s, e in r.excluded_a + r.excluded_b:
        assert 0 <= s < e


def test_shared_examples_align_body_and_leave_junk_alone():
    reprint = shared_path("examples", "reprint-abridged.txt").read_text(encoding="utf-8")
    copy = shared_path("examples", "copy-round-trip-translated.txt").read_text(encoding="utf-8")
    r = compare(Document("reprint", reprint), Document("copy", copy))
    assert r.passages
    junk = [reprint[s:e] for s, e in r.excluded_a]
    assert any("/" in j and "??" in j for j in junk)  # the photo caption with its credit
    assert len(junk) >= 5  # masthead, byline, two captions, footer lines
    for p in r.passages:
        for s, e in r.excluded_a:
            assert not (s < p.a_end and p.a_start < e), "a passage covers page junk"
    # The body paragraphs that keep word runs are aligned: most of the reprint is covered.
    assert r.coverage_a > 0.8


def test_identical_texts_take_the_short_cut_and_get_what_the_aligner_finds():
    """Two identical token sequences skip seeding; the passages are those the general path finds."""
    import textreuse.align.lexical as lexical
    from textreuse.compare import prepare

    page = "THE DAILY PLANET\n\n" + PARAS[0] + "\n\n?? JANE DOE/REUTERS ??\n\n" + "\n\n".join(PARAS[1:]) + "\n"
    tokens = prepare(Document("page", page)).tokens
    assert tokens.breaks  # the credit line splits the story
    fast = lexical.align_lexical(tokens, tokens)
    twin = type(tokens)(list(tokens.keys), tokens.starts, tokens.ends, tokens.breaks)
    # A copy that differs in one key far from any edge takes the general path: same passages but the split one.
    middle = len(twin.keys) // 2
    twin.keys[middle] = twin.keys[middle] + "x"
    slow = lexical.align_lexical(tokens, twin)
    assert len(fast) == len(tokens.breaks) + 1 and all(m.verbatim for m in fast)
    assert [(m.a_first, m.a_last) for m in fast if not m.a_first <= middle <= m.a_last] == [
        (m.a_first, m.a_last) for m in slow if not m.a_first <= middle <= m.a_last
    ]


def test_spin_signs_are_read_in_the_shared_text_only():
    """A page that carries a spun-looking story beside a clean reprint is not called spun."""
    from textreuse.relate import relate
    from textreuse.types import Passage

    garbled = " ".join(["The council said it will meet again , officials said . further talks ."] * 12)
    spun = Document("spun", WIRE.replace(". ", " . ").replace(", ", " , "))
    page = Document("page", WIRE + "\n\n" + garbled)
    clean = Document("wire", WIRE)

    def evidence(a, b):
        n = len(WIRE)
        passage = Passage(0, n, 0, len(b.text) if b is spun else n, "edited", 0.9, 0.9, None)
        return " ".join(relate(a, b, 1.0, n / len(b.text), [passage]).evidence)

    assert "signs of machine translation" in evidence(clean, spun)
    assert "signs of machine translation" not in evidence(clean, page)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: LexicalOptions(min_words=-1), "LexicalOptions.min_words must be >= 0, got -1"),
        (lambda: LexicalOptions(seed_size=3), "LexicalOptions.seed_size must be one of 1, 2, got 3"),
        (lambda: LexicalOptions(min_similarity=1.5), "LexicalOptions.min_similarity must be in [0, 1], got 1.5"),
        (lambda: LexicalOptions(min_density=1.0), "LexicalOptions.min_density must be in [0, 1), got 1.0"),
        (lambda: LexicalOptions(max_gap=2.5), "LexicalOptions.max_gap must be int, got 2.5"),
        (lambda: LexicalOptions(min_fragment_seeds=0), "LexicalOptions.min_fragment_seeds must be >= 1, got 0"),
        (lambda: CompareOptions(junk="yes"), "CompareOptions.junk must be bool, got 'yes'"),
        (lambda: CompareOptions(mode="Full"), "CompareOptions.mode must be one of 'full', 'lexical', got 'Full'"),
        (lambda: CompareOptions(lexical={"min_words": 5}), "CompareOptions.lexical must be LexicalOptions"),
        (lambda: CompareOptions(embedder="word2vec"), "CompareOptions.embedder must be one of 'minilm-onnx'"),
        (
            lambda: CompareOptions(embedder=42),
            "CompareOptions.embedder must be a name or have an encode method, got 42",
        ),
        (
            lambda: CompareOptions(paraphrase_copied=-0.1),
            "CompareOptions.paraphrase_copied must be in [0, 1], got -0.1",
        ),
        (lambda: CompareOptions(copied_run=0), "CompareOptions.copied_run must be >= 1, got 0"),
    ],
)
def test_bad_lexical_and_compare_options_fail_at_construction(make, message):
    with pytest.raises(OptionError, match=re.escape(message)) as err:
        make()
    assert "\n" not in str(err.value)


def test_default_options_are_valid_and_replace_checks_again():
    opt = CompareOptions()
    assert (opt.mode, opt.junk, opt.embedder, opt.lexical.min_words, opt.semantic.threshold) == (
        "full",
        True,
        "minilm-onnx",
        10,
        0.78,
    )
    with pytest.raises(OptionError, match="CompareOptions.mode"):
        dataclasses.replace(opt, mode="semantic")
