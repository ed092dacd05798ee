"""Bounded fuzzing with hypothesis: loaders, normalization and the aligners on random input.

- The loaders (``textreuse.io.ingest``) given random bytes, random JSONL lines
  and random CSV raise only textreuse's own errors, never another exception.
- Normalization maps every span back into the original.
- ``compare`` on random text pairs reports spans that slice the originals,
  passages inside both documents that do not overlap on one side, and a
  document compared with itself as one full verbatim passage.

Bounded for CI by the ``fuzz`` profile (examples per test, no deadline);
``TEXTREUSE_FUZZ_EXAMPLES=N`` runs N examples per test instead, and
``TEXTREUSE_FUZZ_RANDOM=1`` draws new examples each run (CI draws the same ones).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textreuse.compare import CompareOptions, Comparison, compare
from textreuse.errors import TextReuseError
from textreuse.io.ingest import iter_documents, jsonl_record
from textreuse.text.normalize import normalize

from .conftest import REPO, shared_path

# Examples per fuzz test (full-mode comparisons run a few, they embed sentences).
EXAMPLES = int(os.environ.get("TEXTREUSE_FUZZ_EXAMPLES", "150"))
FULL_EXAMPLES = max(1, EXAMPLES // 30)

settings.register_profile(
    "fuzz",
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize="TEXTREUSE_FUZZ_RANDOM" not in os.environ,
)
fuzz = settings.get_profile("fuzz")

SUFFIXES = [".txt", ".jsonl", ".csv", ".tsv", ".html", ".jsonl.gz", ".ndjson"]


def _load(folder: Path, name: str, data: bytes, fmt: str | None = None) -> None:
    """Read one file with every loader setting; only textreuse's own errors may come out."""
    path = folder / name
    path.write_bytes(data)
    for skip_bad in (False, True):
        try:
            docs = list(iter_documents(path, fmt=fmt, skip_bad=skip_bad, bad=[]))
        except TextReuseError:
            continue
        for doc in docs:
            assert isinstance(doc.id, str) and doc.id.strip()
            assert isinstance(doc.text, str) and doc.text.strip()
            # What a loader hands on can be stored and written: valid Unicode throughout.
            json.dumps([doc.id, doc.text, doc.metadata], ensure_ascii=False, default=str).encode("utf-8")


@fuzz
@given(st.binary(max_size=400), st.sampled_from(SUFFIXES), st.sampled_from([None, "txt", "jsonl", "csv", "html"]))
def test_loaders_on_random_bytes_raise_only_textreuse_errors(data: bytes, suffix: str, fmt: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if suffix.endswith(".gz"):
            data = gzip.compress(data)
        _load(Path(tmp), "input" + suffix, data, fmt)


_json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
_json_values = st.recursive(
    _json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
_records = st.fixed_dictionaries(
    {},
    optional={
        "id": _json_values | st.text(max_size=8) | st.integers(),
        "text": _json_values | st.text(max_size=60),
        "date": _json_values | st.text(max_size=20),
        "source": _json_values,
        "series": _json_values,
        "title": _json_values,
    },
)
# JSON may escape half of a UTF-16 surrogate pair on its own: no Unicode character.
_SURROGATES = st.sampled_from(["\\ud800", "\\udfff", "\\udbff", "\\ud83d\\ude00"])


@st.composite
def _escaped_record(draw: Any) -> str:
    """A record with a surrogate escape (lone or paired) in its id, text or metadata."""
    line = json.dumps({"id": draw(st.text(min_size=1, max_size=5)), "text": "Flood warning. ", "title": "x"})
    field = draw(st.sampled_from(['"text": "', '"id": "', '"title": "']))
    return line.replace(field, field + draw(_SURROGATES), 1)


_jsonl_lines = st.lists(
    st.one_of(
        _escaped_record(),
        _records.map(json.dumps),
        _json_values.map(json.dumps),
        st.text(max_size=40),
        _records.map(lambda r: json.dumps(r)[: len(json.dumps(r)) // 2]),
    ),
    max_size=8,
)


@fuzz
@given(_jsonl_lines, st.sampled_from(["\n", "\r\n"]))
def test_jsonl_loader_on_random_lines_raises_only_textreuse_errors(lines: list[str], newline: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _load(Path(tmp), "input.jsonl", newline.join(lines).encode("utf-8", "surrogatepass"))
    for number, line in enumerate(lines, 1):
        try:
            record = jsonl_record(line.encode("utf-8", "surrogatepass"), "input.jsonl", number)
        except TextReuseError:
            continue
        assert record is None or isinstance(record, TextReuseError) or record.text.strip()


_cells = st.text(max_size=30) | st.sampled_from(["id", "text", "date", "source", '"', "\n", ""])


@fuzz
@given(
    st.lists(st.lists(_cells, min_size=0, max_size=5), max_size=6),
    st.sampled_from([",", "\t"]),
    st.sampled_from([None, "id=a,text=b", "id=id", "text=text,id=id,date=x"]),
)
def test_csv_loader_on_random_rows_raises_only_textreuse_errors(
    rows: list[list[str]], delimiter: str, columns: str | None
) -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    data = buf.getvalue().encode("utf-8", "surrogatepass")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        suffix = ".csv" if delimiter == "," else ".tsv"
        _load(folder, "input" + suffix, data)
        if columns is not None:
            from textreuse.io.ingest import parse_columns

            try:
                mapping = parse_columns(columns)
                list(iter_documents(folder / ("input" + suffix), columns=mapping, skip_bad=True, bad=[]))
            except TextReuseError:
                pass


@fuzz
@given(st.text(max_size=200), st.data())
def test_normalized_spans_map_back_into_the_original(text: str, data: Any) -> None:
    n = normalize(text)
    i = data.draw(st.integers(0, len(n.text)))
    j = data.draw(st.integers(i, len(n.text)))
    s, e = n.span_to_original(i, j)
    assert 0 <= s <= e <= len(text)
    if j > i:
        assert e > s
        assert n.text[i:j] in normalize(text[s:e]).text


# Random news-like text: words from a small vocabulary (so that texts share words and runs),
# with punctuation, line breaks and the odd non-ASCII character.
_WORDS = (
    "the river flooded old mill district after three days of heavy rain officials said council "
    "water main burst street school pupils homes supply crews night pipe city mayor budget "
    "Harbourton Quay 4,000 2.5 “quoted” naïve café — – 1916"
).split()
_separators = st.sampled_from([" ", " ", " ", ", ", ". ", "\n", "\n\n", "\r\n", " - ", "\t"])
_texts = st.lists(st.tuples(st.sampled_from(_WORDS), _separators), min_size=1, max_size=120).map(
    lambda pairs: "".join(w + s for w, s in pairs)
)


@st.composite
def _text_pairs(draw: Any) -> tuple[str, str]:
    """A text and another that reuses random stretches of it among words of its own."""
    a = draw(_texts)
    pieces = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(a)))
        end = draw(st.integers(start, min(len(a), start + 400)))
        pieces.append(a[start:end])
        pieces.append(draw(_texts))
    return a, " ".join(pieces) if pieces else draw(_texts)


def _assert_sound(result: Comparison) -> None:
    """Every span slices its original, inside both documents, and passages do not overlap on one side."""
    text_a, text_b = result.a.text, result.b.text
    for p in result.passages:
        assert 0 <= p.a_start < p.a_end <= len(text_a)
        assert 0 <= p.b_start < p.b_end <= len(text_b)
        for text, start, end in ((text_a, p.a_start, p.a_end), (text_b, p.b_start, p.b_end)):
            piece = text[start:end]
            assert piece.strip() and not piece[0].isspace() and not piece[-1].isspace()
        assert p.kind in ("verbatim", "edited", "paraphrased")
        assert 0.0 <= p.score <= 1.0
    for side in ("a", "b"):
        spans = sorted((getattr(p, f"{side}_start"), getattr(p, f"{side}_end")) for p in result.passages)
        for (_, end), (start, _) in zip(spans, spans[1:]):
            assert end <= start, f"passages overlap on side {side}: {spans}"
    for text, excluded in ((text_a, result.excluded_a), (text_b, result.excluded_b)):
        assert all(0 <= s <= e <= len(text) for s, e in excluded)
    assert 0.0 <= result.coverage_a <= 1.0 and 0.0 <= result.coverage_b <= 1.0


LEXICAL = CompareOptions(mode="lexical")


@fuzz
@given(_text_pairs())
def test_lexical_compare_on_random_pairs_reports_sound_passages(pair: tuple[str, str]) -> None:
    _assert_sound(compare(*pair, LEXICAL))
    _assert_sound(compare(pair[1], pair[0], LEXICAL))


def _distinct_words(n: int, draw: Any) -> str:
    """``n`` words that never repeat a word pair, so the text has one alignment with itself."""
    words = draw(st.permutations(_WORDS))[:n]
    seps = draw(st.lists(_separators, min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps))


@fuzz
@given(st.data())
def test_a_document_compared_with_itself_is_one_full_verbatim_passage(data: Any) -> None:
    text = _distinct_words(data.draw(st.integers(LEXICAL.lexical.min_words + 2, len(_WORDS))), data.draw)
    result = compare(text, text, CompareOptions(mode="lexical", junk=False))
    _assert_sound(result)
    assert len(result.passages) == 1, result.passages
    (p,) = result.passages
    letters = [i for i, c in enumerate(text) if c.isalnum()]
    assert (p.a_start, p.a_end) == (p.b_start, p.b_end)
    assert p.a_start <= letters[0] and letters[-1] < p.a_end <= len(text.rstrip())
    assert p.kind == "verbatim"
    assert result.coverage_a == result.coverage_b == 1.0


@settings(fuzz, max_examples=FULL_EXAMPLES)
@given(_text_pairs())
def test_full_compare_on_random_pairs_reports_sound_passages(pair: tuple[str, str]) -> None:
    _assert_sound(compare(*pair, CompareOptions(mode="full")))


def test_jsonl_with_an_unpaired_surrogate_is_refused_in_one_line(tmp_path: Path) -> None:
    """Found by the JSONL fuzzer: a lone ``\\ud800`` escape passed the loader and crashed `index add`."""
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        '{"id": "a", "text": "Flood warning \\ud800 issued for the river valley tonight."}\n'
        '{"id": "b", "text": "Flood warning \\ud83d\\ude00 issued for the river valley tonight."}\n',
        encoding="utf-8",
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    command = [
        sys.executable,
        "-m",
        "textreuse",
        "index",
        "add",
        str(corpus),
        "--db",
        str(tmp_path / "r.db"),
        "-j",
        "1",
    ]
    refused = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        f"textreuse: error: {corpus}:1: an unpaired surrogate (\\ud800) is no Unicode character: mis-encoded text"
    ]
    skipped = subprocess.run([*command, "--skip-bad"], capture_output=True, text=True, env=env, timeout=120)
    assert skipped.returncode == 0 and "1 added" in skipped.stdout  # the paired escape (an emoji) is fine


def test_a_file_name_that_is_not_utf8_is_refused_in_one_line(tmp_path: Path) -> None:
    """Found probing the loaders: a file named with invalid UTF-8 became an id that crashed `index add`."""
    folder = tmp_path / "in"
    folder.mkdir()
    text = b"Heavy rain flooded the old mill district on Tuesday night, officials said."
    (folder / "good.txt").write_bytes(text)
    Path(os.fsdecode(bytes(folder) + b"/bad\xff.txt")).write_bytes(text)
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    command = [
        sys.executable,
        "-m",
        "textreuse",
        "index",
        "add",
        str(folder),
        "--db",
        str(tmp_path / "r.db"),
        "-j",
        "1",
    ]
    refused = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        f"textreuse: error: {folder}/bad\\xff.txt: file name is not valid UTF-8 (rename the file)"
    ]
    skipped = subprocess.run([*command, "--skip-bad"], capture_output=True, text=True, env=env, timeout=120)
    assert skipped.returncode == 0 and "1 added" in skipped.stdout


@pytest.mark.shared
def test_real_stories_compared_with_themselves_are_one_full_verbatim_passage() -> None:
    """200 Reuters stories of 12 words or more (junk removal off: it may leave out a table or a note)."""
    path = shared_path("data", "reuters21578", "reuters21578.jsonl.gz")
    options = CompareOptions(mode="lexical", junk=False)
    checked = 0
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line).get("text", "")
            if len(text.split()) < 12:
                continue
            result = compare(text, text, options)
            _assert_sound(result)
            assert len(result.passages) == 1 and result.passages[0].kind == "verbatim"
            assert result.coverage_a == result.coverage_b == 1.0
            checked += 1
            if checked == 200:
                break
    assert checked == 200
