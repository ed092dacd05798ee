"""The side-by-side HTML view (textreuse.views) and the commands that write it: `compare --html`, `show`."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from textreuse.compare import CompareOptions, Comparison, compare
from textreuse.text.normalize import normalize
from textreuse.text.segment import tokenize
from textreuse.types import Document, Passage
from textreuse.views import render_pair
from textreuse.views.marks import sentence_pairs, word_changes

from .conftest import WIRE, shared_path

REPO = Path(__file__).resolve().parents[1]
PARAS = WIRE.strip().split("\n\n")
LEXICAL = CompareOptions(mode="lexical")


class Page(HTMLParser):
    """The parts of a rendered view the tests read: each side's text, anchors, link targets and marks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.side: str | None = None
        self.depth = 0
        self.text = {"a": [], "b": []}
        self.anchors: dict[str, set[str]] = {"a": set(), "b": set()}
        self.targets: dict[str, set[str]] = {"a": set(), "b": set()}
        self.classes: dict[str, list[tuple[str, str]]] = {"a": [], "b": []}
        self.tags: list[str] = []
        self.stack: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "script":
            self.scripts += 1
        if tag == "div" and a.get("data-side"):
            self.side, self.depth = a["data-side"], 0
        if self.side is None:
            return
        self.depth += 1
        self.stack.append(a.get("class") or "")
        if a.get("data-anchor"):
            self.anchors[self.side].add(a["data-anchor"] or "")
        if a.get("data-target"):
            self.targets[self.side].add(a["data-target"] or "")

    def handle_endtag(self, tag: str) -> None:
        if self.side is None:
            return
        self.depth -= 1
        if self.depth <= 0:
            self.side = None
        elif self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.side is not None:
            cls = self.stack[-1] if self.stack else ""
            if "junk-label" not in cls:
                self.text[self.side].append(data)
            self.classes[self.side].append((cls, data))


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def reprint() -> Document:
    """A reprint of the wire story: a masthead, a byline, the first three paragraphs with words changed."""
    body = "\n\n".join(PARAS[:3]).replace("forcing the evacuation of", "and forced officials to evacuate")
    return Document("reprint", "THE COASTAL COURIER\n\nBy Ola Berg\n\n" + body.replace("“", '"').replace("”", '"'))


def test_view_shows_both_whole_texts_and_links_every_passage_both_ways():
    r = compare(Document("wire", WIRE), reprint(), LEXICAL)
    assert r.passages and r.excluded_b
    page = parse(render_pair(r))
    # The whole of each text is shown, reused or not, character for character.
    assert "".join(page.text["a"]) == WIRE
    assert "".join(page.text["b"]) == r.b.text
    for i in range(len(r.passages)):
        assert f"a-p{i}" in page.anchors["a"] and f"b-p{i}" in page.anchors["b"]
        assert f"b-p{i}" in page.targets["a"] and f"a-p{i}" in page.targets["b"]
    # Every link points at an anchor on the other side.
    assert page.targets["a"] <= page.anchors["b"] and page.targets["b"] <= page.anchors["a"]
    # The masthead and byline are greyed junk, labelled "left out".
    junk = "".join(d for cls, d in page.classes["b"] if "junk" in cls.split())
    assert "THE COASTAL COURIER" in junk and "By Ola Berg" in junk
    assert sum(d == "left out" for cls, d in page.classes["b"] if "junk-label" in cls) == len(r.excluded_b)


def test_edited_passage_marks_words_at_original_offsets():
    html = render_pair(compare(Document("wire", WIRE), reprint(), LEXICAL))
    page = parse(html)
    marked = {
        (kind, d) for side in "ab" for cls, d in page.classes[side] for kind in cls.split() if kind.startswith("w-")
    }
    assert ("w-substituted", "forcing the evacuation of") in marked
    assert ("w-substituted", "and forced officials to evacuate") in marked
    assert "word runs: 1 substituted</td>" in html  # the passage list counts the one substitution once


def test_word_changes_map_tokens_to_original_offsets_through_normalization():
    a = "The “old” bridge — built in 1890 — will close on Monday."
    b = "The ‘old’ bridge, built in 1890, will shut on Monday for good."
    ta, tb = tokenize(normalize(a)), tokenize(normalize(b))
    changes = word_changes(ta, (0, len(a)), tb, (0, len(b)))
    assert [(a[s:e], k) for s, e, k in changes.a if k != "kept"] == [("close", "substituted")]
    assert [(b[s:e], k) for s, e, k in changes.b if k != "kept"] == [("shut", "substituted"), ("for good", "inserted")]
    assert "".join(b[s:e] for s, e, k in changes.b if k == "kept").startswith("The ‘old’ bridge, built in 1890, will")


def test_paraphrased_sentences_pair_in_order_by_shared_content_words():
    a = "Storm winds tore roofs off homes. The mayor declared an emergency. Schools will reopen on Friday."
    b = "An emergency was declared by the mayor. Strong winds ripped roofs from houses. Classes resume Friday."
    ta, tb = tokenize(normalize(a)), tokenize(normalize(b))
    from textreuse.text.segment import sentences

    pairs = sentence_pairs(ta, sentences(a), (0, len(a)), tb, sentences(b), (0, len(b)))
    got = [(a[s:e], b[t:u]) for (s, e), (t, u) in pairs]
    # Order is kept: "mayor/emergency" pairs up (most overlap), then the two last sentences.
    assert got == [
        ("The mayor declared an emergency.", "An emergency was declared by the mayor."),
        ("Schools will reopen on Friday.", "Classes resume Friday."),
    ]


def test_paraphrased_passage_is_shown_as_linked_sentence_pairs():
    a = Document("a", "Storm winds tore roofs off homes. The mayor declared an emergency.")
    b = Document("b", "Strong winds ripped roofs from houses. An emergency was declared by the mayor.")
    p = Passage(0, len(a.text), 0, len(b.text), "paraphrased", 0.8, 0.2, 0.8)
    r = Comparison(a, b, [p], 1.0, 1.0, [], [])
    page = parse(render_pair(r))
    assert {"a-p0-s0", "a-p0-s1"} <= page.anchors["a"] and {"b-p0-s0", "b-p0-s1"} <= page.anchors["b"]
    sents = [d for cls, d in page.classes["b"] if "sent" in cls.split()]
    assert sents == ["Strong winds ripped roofs from houses.", "An emergency was declared by the mayor."]


INJECTION = (
    '<script>alert(1)</script> Crews worked through the night. <img src=x onerror="window.__pwned=1"> "quoted" & done'
)


def test_document_text_and_ids_are_escaped():
    a = Document('<b id="x">wire</b>', INJECTION + "\n\n" + PARAS[1], {"source": "<i>src</i>"})
    b = Document("<script>1</script>", PARAS[1] + "\n\n" + INJECTION)
    html = render_pair(compare(a, b, LEXICAL))
    page = parse(html)
    assert page.scripts == 1  # the view's own script only
    assert "img" not in page.tags and "b" not in page.tags and "i" not in page.tags
    assert "".join(page.text["a"]) == a.text and "".join(page.text["b"]) == b.text
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html


def test_fragment_has_its_style_and_script_but_no_page():
    html = render_pair(compare(Document("wire", WIRE), reprint(), LEXICAL), standalone=False)
    assert html.lstrip().startswith("<style>") and "<html" not in html and "<body" not in html
    assert 'class="tr-pair"' in html and "<script>" in html


def test_standalone_page_loads_nothing_from_elsewhere():
    html = render_pair(compare(Document("wire", WIRE), reprint(), LEXICAL))
    assert html.startswith("<!DOCTYPE html>")
    for needle in ("http://", "https://", "src=", "@import", "url("):
        assert needle not in html


@pytest.mark.shared
def test_long_page_renders_whole():
    with gzip.open(shared_path("data", "chronam-1916", "chronam-1916-01-02-frontpages.jsonl.gz"), "rt") as fh:
        page = max((json.loads(line) for _, line in zip(range(400), fh)), key=lambda d: len(d["text"]))
    text = page["text"]
    assert len(text) > 25_000
    words = text.split(" ")
    copy = " ".join(w.upper() if i % 37 == 0 else w for i, w in enumerate(words) if i % 53)
    r = compare(Document("page", text), Document("copy", copy), LEXICAL)
    assert r.passages
    html = render_pair(r)
    assert "".join(parse(html).text["a"]) == text


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "textreuse", *args], capture_output=True, text=True, cwd=REPO, timeout=300
    )


def test_compare_html_writes_the_report_and_prints_its_path(tmp_path: Path):
    a, b = tmp_path / "wire.txt", tmp_path / "reprint.txt"
    a.write_text(WIRE, encoding="utf-8")
    b.write_text(reprint().text, encoding="utf-8")
    out = tmp_path / "report.html"
    proc = run("compare", str(a), str(b), "--mode", "lexical", "--html", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(out)
    page = parse(out.read_text(encoding="utf-8"))
    assert "".join(page.text["a"]) == WIRE
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left
    # The other formats are unchanged.
    assert json.loads(run("compare", str(a), str(b), "--mode", "lexical", "-f", "json").stdout)["passages"]


@pytest.fixture(scope="module")
def demo_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("index") / "reuse.db"
    proc = run("index", "add", "demo/corpus.jsonl", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    return db


WIRE_ID = "wire-2024-04-02-port-elwin-storm"
REPRINT_ID = "westshore-tribune-2024-04-03-port-elwin-storm-lifeboat"


def test_show_reports_an_indexed_pair_as_find_does(demo_index: Path, tmp_path: Path):
    from textreuse.config import Config
    from textreuse.corpus.align import compare_indexed
    from textreuse.index.store import Store

    out = tmp_path / "pair.html"
    proc = run("show", "--db", str(demo_index), WIRE_ID, REPRINT_ID, "--mode", "lexical", "--html", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(out)
    with Store(demo_index, readonly=True) as store:
        expected = compare_indexed(store, WIRE_ID, REPRINT_ID, LEXICAL, Config().find)
        wire_text = store.document(WIRE_ID).text
    assert expected.passages
    page = parse(out.read_text(encoding="utf-8"))
    assert "".join(page.text["a"]) == wire_text
    assert {f"a-p{i}" for i in range(len(expected.passages))} <= page.anchors["a"]
    text = run("show", "--db", str(demo_index), WIRE_ID, REPRINT_ID, "--mode", "lexical")
    assert text.returncode == 0 and f"{len(expected.passages)} shared passage" in text.stdout


def test_show_unknown_id_is_a_one_line_error(demo_index: Path, tmp_path: Path):
    proc = run("show", "--db", str(demo_index), WIRE_ID, "no-such-doc", "--mode", "lexical")
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "no-such-doc" in lines[0] and lines[0].startswith("textreuse: error:")
    missing = run("show", "--db", str(tmp_path / "none.db"), WIRE_ID, REPRINT_ID)
    assert missing.returncode == 2 and "no such index" in missing.stderr
