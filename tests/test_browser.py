"""The HTML reports in a real headless Chromium (Debian's chromium and chromium-driver, see tests/browser.py).

Set TEXTREUSE_SCREENSHOTS=DIR to also save screenshots of the demo report
into DIR (the README's come from ``TEXTREUSE_SCREENSHOTS=docs/img``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from textreuse.compare import compare
from textreuse.io.ingest import load_document

from .conftest import shared_path

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]

# Where each given offset of a side's text lies: in a passage (and the anchor it links to, and whether that
# anchor exists on the other side), in page junk (greyed, labelled "left out").
LOCATE = """
const side = arguments[0], offsets = arguments[1];
const pane = document.querySelector('.tr-doc[data-side="' + side + '"]');
const other = document.querySelector('.tr-doc[data-side="' + (side === 'a' ? 'b' : 'a') + '"]');
const walker = document.createTreeWalker(pane, NodeFilter.SHOW_TEXT);
const nodes = []; let pos = 0, node;
while ((node = walker.nextNode())) {
  if (node.parentElement.closest('.junk-label')) continue;
  nodes.push([pos, node]); pos += node.data.length;
}
return offsets.map(function (off) {
  let hit = null;
  for (const [start, n] of nodes) { if (start <= off && off < start + n.data.length) { hit = n; break; } }
  if (!hit) return null;
  const el = hit.parentElement, mark = el.closest('mark.psg'), junk = el.closest('.junk');
  const target = mark ? mark.getAttribute('data-target') : null;
  const label = junk && junk.previousElementSibling;
  return {
    passage: mark ? mark.getAttribute('data-passage') : null,
    target: target,
    targetExists: target ? !!other.querySelector('[data-anchor="' + target + '"]') : false,
    junk: !!junk,
    grey: junk ? getComputedStyle(junk).color : null,
    label: label && label.classList.contains('junk-label') ? label.textContent : null,
  };
});
"""

VISIBLE = """
const el = document.querySelector('[data-anchor="' + arguments[0] + '"]');
const r = el.getBoundingClientRect(), p = el.closest('.tr-doc').getBoundingClientRect();
return r.bottom > p.top && r.top < p.bottom && r.bottom > 0 && r.top < window.innerHeight;
"""


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "textreuse", *args], capture_output=True, text=True, cwd=REPO, timeout=600
    )


def open_report(browser: Any, path: Path) -> None:
    browser.get(path.resolve().as_uri())
    browser.execute_script("window.scrollTo(0, 0)")


def click_and_check(browser: Any, side: str, passage: str) -> None:
    """Click passage ``passage`` on ``side``: its counterpart on the other side comes into view."""
    other = "b" if side == "a" else "a"
    target = f"{other}-p{passage}"
    browser.execute_script(f"document.querySelector('.tr-doc[data-side=\"{other}\"]').scrollTop = 1e6")
    element = browser.find_element("css selector", f'.tr-doc[data-side="{side}"] mark[data-passage="{passage}"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()
    time.sleep(0.2)
    assert browser.execute_script(VISIBLE, target), f"{target} not scrolled into view"


@pytest.fixture(scope="module")
def shared_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    reprint = shared_path("examples", "reprint-abridged.txt")
    copy = shared_path("examples", "copy-round-trip-translated.txt")
    out = tmp_path_factory.mktemp("report") / "report.html"
    proc = run("compare", str(reprint), str(copy), "--html", str(out))
    assert proc.returncode == 0, proc.stderr
    return out, compare(load_document(reprint), load_document(copy))


def test_shared_examples_every_body_paragraph_is_linked_to_the_translated_copy(browser: Any, shared_report):
    out, result = shared_report
    open_report(browser, out)
    text = result.a.text
    body = []
    for m in re.finditer(r"[^\n]+", text):
        junk = any(s < m.end() and m.start() < e for s, e in result.excluded_a)
        if not junk and len(m.group().split()) >= 12:
            body.append(m)
    assert len(body) >= 5
    for m in body:
        words = [w.start() for w in re.finditer(r"\S+", text[m.start() : m.end()])]
        offsets = [m.start() + w for w in words]
        where = browser.execute_script(LOCATE, "a", offsets)
        linked = [w for w in where if w and w["passage"] is not None and w["targetExists"]]
        # Most of each paragraph lies in a linked passage (the aligner leaves a few edge words out: the
        # translated copy drops "Putin told Xi in televised remarks"), its middle word always.
        assert len(linked) >= 0.6 * len(offsets), f"paragraph not linked: {m.group()[:60]!r}"
        middle = where[len(where) // 2]
        assert middle and middle["targetExists"], f"paragraph not linked: {m.group()[:60]!r}"
    first = browser.execute_script(LOCATE, "a", [body[0].start() + len(body[0].group()) // 2])[0]
    click_and_check(browser, "a", first["passage"])
    last = browser.execute_script(LOCATE, "a", [body[-1].start() + len(body[-1].group()) // 2])[0]
    click_and_check(browser, "a", last["passage"])


def test_shared_examples_junk_is_greyed_and_labelled_and_the_verdict_shown(browser: Any, shared_report):
    out, result = shared_report
    open_report(browser, out)
    assert len(result.excluded_a) >= 5
    where = browser.execute_script(LOCATE, "a", [s for s, _ in result.excluded_a])
    for (s, e), w in zip(result.excluded_a, where):
        assert w and w["junk"] and w["passage"] is None, result.a.text[s:e]
        assert w["label"] == "left out" and w["grey"] == "rgb(138, 138, 138)"
    rel = result.relation
    assert browser.find_element("css selector", ".tr-label").text == rel.label
    evidence = [li.text for li in browser.find_elements("css selector", ".tr-evidence li")]
    assert evidence == rel.evidence
    source = browser.find_element("css selector", ".tr-source").text
    assert source.startswith("Likely source:")
    if rel.source:
        assert (result.a.id if rel.source == "a" else result.b.id) in source


INJECTION = '<script>alert(1)</script> <img src=x onerror="window.__pwned=1">'


def test_injected_markup_shows_as_text_and_runs_nothing(browser: Any, tmp_path: Path):
    story = (
        "Crews from the municipal water company worked through the night to isolate the old cast-iron pipe, "
        "which gave way shortly after six in the morning beneath Quay Street, officials said on Tuesday."
    )
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(INJECTION + "\n\n" + story + "\n", encoding="utf-8")
    b.write_text(story + "\n\n" + INJECTION + " and more\n", encoding="utf-8")
    out = tmp_path / "report.html"
    proc = run("compare", str(a), str(b), "--mode", "lexical", "--html", str(out))
    assert proc.returncode == 0, proc.stderr
    open_report(browser, out)
    time.sleep(0.3)
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    for side in "ab":
        shown = browser.find_element("css selector", f'.tr-doc[data-side="{side}"]').text
        assert "<script>alert(1)</script>" in shown and '<img src=x onerror="window.__pwned=1">' in shown
    assert not browser.find_elements("css selector", ".tr-pair img, .tr-pair script")


# Demo documents (CC0, written for the project): a reprint and its rewrite, with verbatim, edited and paraphrased passages.
WIRE_ID = "westshore-tribune-2024-04-03-port-elwin-storm-lifeboat"
COPY_ID = "port-elwin-mariner-2024-04-04-night-the-sea-came-over"


def test_show_report_on_a_demo_index_marks_and_links_passages(browser: Any, tmp_path: Path):
    db = tmp_path / "reuse.db"
    assert run("index", "add", "demo/corpus.jsonl", "--db", str(db)).returncode == 0
    out = tmp_path / "pair.html"
    proc = run("show", "--db", str(db), WIRE_ID, COPY_ID, "--html", str(out))
    assert proc.returncode == 0, proc.stderr
    open_report(browser, out)
    marks = browser.find_elements("css selector", '.tr-doc[data-side="b"] mark.psg[id]')
    assert len(marks) >= 2
    kinds = {m.get_attribute("class").split()[-1] for m in marks}
    assert {"k-verbatim", "k-edited", "k-paraphrased"} <= kinds
    assert browser.find_elements("css selector", '.tr-doc[data-side="b"] .sent[data-target]')
    assert browser.find_elements("css selector", '.tr-doc[data-side="b"] .w-substituted, .w-inserted, .w-dropped')
    title = marks[0].get_attribute("title")
    assert re.search(r"score \d\.\d\d; A \[\d+:\d+\] ↔ B \[\d+:\d+\]", title), title
    for m in (marks[0], marks[-1]):
        click_and_check(browser, "b", m.get_attribute("data-passage"))
    shots = os.environ.get("TEXTREUSE_SCREENSHOTS")
    if shots:
        save_screenshots(browser, out, Path(shots))


def save_screenshots(browser: Any, report: Path, folder: Path) -> None:
    """The demo report as a reader first sees it, after a click on a paraphrased sentence, and its passage list."""
    folder.mkdir(parents=True, exist_ok=True)
    open_report(browser, report)
    browser.save_screenshot(str(folder / "report-top.png"))
    sentence = browser.find_element("css selector", '.tr-doc[data-side="a"] .sent[data-target]')
    browser.execute_script("document.querySelector('.tr-cols').scrollIntoView()")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", sentence)
    browser.execute_script("document.querySelector('.tr-cols').scrollIntoView()")
    sentence.click()
    time.sleep(1.6)  # the flash fades
    browser.save_screenshot(str(folder / "report-paraphrase.png"))
    browser.execute_script("document.querySelector('.tr-pair h2').scrollIntoView()")
    browser.save_screenshot(str(folder / "report-passages.png"))
