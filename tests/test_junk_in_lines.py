"""Page junk inside long lines: a caption removes the caption, never the document (issue 11, item 1).

One-line documents (scraped pages, JSONL text), CRLF files and OCR'd
newspaper pages, read from ../shared (skipped without it).
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from textreuse.compare import CompareOptions, compare
from textreuse.errors import TextReuseWarning
from textreuse.prepare import prepare
from textreuse.text.junk import excluded_share, find_junk

from .conftest import shared_path

pytestmark = pytest.mark.shared

CHRONAM_PAGE = "sn83045389/1916-01-01/ed-1/seq-1"  # an OCR'd front page with "??" debris all over it


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "textreuse", *args], capture_output=True, text=True, timeout=300)


def reprint() -> str:
    return shared_path("examples", "reprint-abridged.txt").read_text(encoding="utf-8")


def chronam_page(page_id: str) -> str:
    path = shared_path("data", "chronam-1916", "chronam-1916-01-02-frontpages.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            if doc["id"] == page_id:
                return str(doc["text"])
    pytest.skip(f"{page_id} not in {path}")


def reuters_story(min_chars: int = 1500) -> str:
    path = shared_path("data", "reuters21578", "reuters21578.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            text = str(json.loads(line)["text"])
            if len(text) >= min_chars:
                return " ".join(text.split())
    pytest.skip("no long Reuters story")


def test_caption_inside_one_line_reprint_removes_only_the_caption():
    text = reprint()
    flat = text.replace("\n", " ")
    spans = find_junk(flat)
    removed = [flat[s:e] for s, e in spans]
    assert removed and all("SITDIKOV/SPUTNIK" in r for r in removed), removed
    assert excluded_share(flat, spans) < 0.1
    # every body paragraph of the reprint is still aligned
    body = text.split("\n\n")[3]
    start = flat.index(body)
    assert not any(s < start + len(body) and start < e for s, e in spans)


def test_one_line_reprint_pairs_with_its_original(tmp_path: Path):
    text = reprint()
    flat, lines = tmp_path / "flat.txt", tmp_path / "lines.txt"
    flat.write_text(text.replace("\n", " "), encoding="utf-8")
    lines.write_text(text, encoding="utf-8")
    proc = run("compare", str(flat), str(lines), "--mode", "lexical", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["relation"]["label"] != "unrelated"
    assert data["coverage"]["a"] > 0.9 and data["coverage"]["b"] > 0.9
    assert 0 < data["excluded_share"]["a"] < 0.1
    assert 0.1 < data["excluded_share"]["b"] < 0.2  # header, byline, captions and footer of the page


def test_find_pairs_a_one_line_reprint_and_reports_excluded_share(tmp_path: Path):
    text = reprint()
    corpus = tmp_path / "corpus.jsonl"
    docs = [{"id": "flat", "text": text.replace("\n", " ")}, {"id": "lines", "text": text}]
    corpus.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    proc = run("find", str(corpus), "--out", str(tmp_path / "out"), "--mode", "lexical", "-j", "1")
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in (tmp_path / "out" / "pairs.jsonl").read_text().splitlines()]
    assert len(records) == 1
    share = records[0]["excluded_share"]
    assert {records[0]["a"], records[0]["b"]} == {"flat", "lines"}
    assert 0 < share["a"] < 0.2 and 0 < share["b"] < 0.2


def test_crlf_reprint_excludes_the_same_junk():
    text = reprint()
    crlf = text.replace("\n", "\r\n")
    assert [text[s:e] for s, e in find_junk(text)] == [crlf[s:e] for s, e in find_junk(crlf)]
    flat = crlf.replace("\r\n", " ")
    assert excluded_share(flat, find_junk(flat)) < 0.1


def test_one_line_ocr_page_keeps_a_clean_copy_hidden_in_it():
    page = " ".join(chronam_page(CHRONAM_PAGE).split())
    assert excluded_share(page, find_junk(page)) < 0.2
    story = reuters_story()
    cut = page.index(" ", len(page) // 2)
    hiding = page[:cut] + " " + story + page[cut:]
    result = compare(hiding, story, CompareOptions(mode="lexical"))
    assert result.coverage_b > 0.95
    assert result.relation is not None and result.relation.label != "unrelated"


def test_ocr_page_with_its_line_breaks_is_mostly_kept():
    page = chronam_page(CHRONAM_PAGE)
    for text in (page, page.replace("\n", "\r\n")):
        assert excluded_share(text, find_junk(text)) < 0.2


def test_mostly_junk_document_is_reported(tmp_path: Path):
    credits = "".join(f"?? PHOTOGRAPHER {n}/AGENCY ??\n\n" for n in "ABCDEFGH")
    text = credits[:60] + reprint().split("\n\n")[3] + "\n"  # two credits, then a paragraph
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert prepare(text).excluded_share < 0.5
        assert not caught
        prepare(credits + "Rain fell.\n")
    assert [w.category for w in caught] == [TextReuseWarning]
    page = tmp_path / "page.txt"
    page.write_text(credits + "Rain fell all week.\n", encoding="utf-8")
    proc = run("compare", str(page), str(page), "--mode", "lexical", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["excluded_share"]["a"] > 0.5
    warning_lines = [line for line in proc.stderr.splitlines() if "warning" in line]
    assert warning_lines and all(line.startswith("textreuse: warning: page.txt: ") for line in warning_lines)
    assert "Traceback" not in proc.stderr
