from hypothesis import given, settings
from hypothesis import strategies as st

from textreuse.text.normalize import normalize, normalize_chars
from textreuse.text.segment import tokenize


def test_folds_quotes_dashes_and_whitespace():
    n = normalize("“Quoted”\u00a0text\t\t— with ‘single’ quotes")
    assert n.text == "\"Quoted\" text - with 'single' quotes"


def test_nfkc_ligatures_and_combining_marks():
    n = normalize("ﬁne cafe\u0301")
    assert n.text == "fine café"
    # The composed é maps back to both original characters.
    start = n.text.index("café")
    s, e = n.span_to_original(start, start + 4)
    assert n.original[s:e] == "cafe\u0301"


def test_joins_words_hyphenated_across_line_breaks():
    n = normalize("the exam-\nination and Jean-\nPaul")
    assert n.text == "the examination and Jean- Paul"
    s, e = n.span_to_original(4, 15)
    assert n.original[s:e] == "exam-\nination"


def test_removes_invisible_characters_and_maps_around_them():
    n = normalize("re\u00adprint\u200b now")
    assert n.text == "reprint now"
    s, e = n.span_to_original(0, 7)
    assert n.original[s:e] == "re\u00adprint"


def test_identity_for_plain_ascii():
    text = "Plain ASCII text with single spaces."
    n = normalize(text)
    assert n.text == text
    assert n.span_to_original(6, 11) == (6, 11)


def test_normalize_chars_matches_normalize_on_a_word():
    assert normalize_chars("’Tis") == "'Tis"


# Text drawn from characters that exercise every branch of normalization.
_ALPHABET = st.sampled_from(
    list("abcXYZ 019.,-'\"")
    + [
        "\n",
        "\t",
        "\r\n",
        "\u00a0",
        "\u2019",
        "\u201c",
        "\u2014",
        "\u00ad",
        "\u200b",
        "\ufb01",
        "e\u0301",
        "\u0301",
        "\u00e9",
        "-\n",
        "\u2160",
        "\u00bd",
        "İ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_every_token_maps_to_a_valid_slice_whose_normal_form_is_the_token(text):
    n = normalize(text)
    toks = tokenize(n)
    prev_start = prev_end = 0
    for key, s, e in zip(toks.keys, toks.starts, toks.ends):
        assert 0 <= s < e <= len(text)
        assert s >= prev_start and e >= prev_end  # tokens keep their order
        prev_start, prev_end = s, e
        # The original slice, normalized on its own, holds the token's word (a
        # token made from part of one character, as "1" from "½", maps to all of it).
        assert key in normalize(text[s:e]).text.casefold()


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join), st.data())
def test_any_normalized_span_maps_to_a_valid_original_span(text, data):
    n = normalize(text)
    i = data.draw(st.integers(0, len(n.text)))
    j = data.draw(st.integers(i, len(n.text)))
    s, e = n.span_to_original(i, j)
    assert 0 <= s <= e <= len(text)
    if j > i:
        # Normalizing the original slice gives back the normalized span.
        assert n.text[i:j] in normalize(text[s:e]).text


def test_a_ligature_composed_with_a_combining_mark_maps_to_both_characters():
    # NFKC turns "ﬁ" + U+0301 into "fí": the "í" comes from both original characters.
    n = normalize("aaaa\ufb01\u0301 b")
    assert n.text == "aaaafí b"
    assert n.span_to_original(5, 6) == (4, 6)
    assert n.span_to_original(0, 4) == (0, 4)
    assert n.span_to_original(7, 8) == (7, 8)
