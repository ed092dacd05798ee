"""``textreuse serve``'s pages in a real headless Chromium (Debian's chromium and chromium-driver, tests/browser.py).

A real ``textreuse serve`` runs on a free port of 127.0.0.1 over an index of
the demo corpus built here (``index add`` + ``find --db``), with one reprint
whose text carries markup. Set TEXTREUSE_SCREENSHOTS=DIR to also save a
screenshot of each main page into DIR (the README's come from
``TEXTREUSE_SCREENSHOTS=docs/img``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

pytest.importorskip("selenium", reason="selenium not installed: pip install -e '.[test]'")
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import WebDriverWait

from .test_browser import click_and_check
from .test_results import build_demo_index
from .test_web_api import free_port
from .test_web_pages import HOSTILE, HOSTILE_ID, INJECTION, STORIES, WIRE_ID

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@contextmanager
def serving(db: Path) -> Iterator[str]:
    """The base URL of a real ``textreuse serve`` over ``db`` on a free port of 127.0.0.1, while in the block."""
    port = free_port()
    args = [sys.executable, "-m", "textreuse", "serve", "--db", str(db), "--port", str(port), "--mode", "lexical"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url + "/api/families", timeout=5).raise_for_status()
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over the demo corpus (what the screenshots show)."""
    db, _ = build_demo_index(tmp_path_factory.mktemp("served"))
    with serving(db) as url:
        yield url


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over the demo corpus and a reprint of its wire story whose text, title and source carry markup."""
    folder = tmp_path_factory.mktemp("hostile")
    extra = folder / "hostile.jsonl"
    extra.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    db, _ = build_demo_index(folder, extra)
    with serving(db) as url:
        yield url


def css(browser: Any, selector: str) -> list[Any]:
    return browser.find_elements("css selector", selector)


def paste(browser: Any, server: str, text: str) -> None:
    """Paste ``text`` on the check page and submit it."""
    browser.get(server + "/")
    area = css(browser, "textarea#text")[0]
    browser.execute_script("arguments[0].value = arguments[1]", area, text)
    area.send_keys(" ")
    page = css(browser, "html")[0]
    css(browser, "form.check button")[0].click()
    WebDriverWait(browser, 60).until(staleness_of(page))
    WebDriverWait(browser, 60).until(lambda b: b.execute_script("return document.readyState") == "complete")


def wire_family(server: str) -> dict:
    listed = httpx.get(server + "/api/families", params={"per_page": 100}).json()["families"]
    family = next(f["id"] for f in listed if f["likely_source"] == WIRE_ID)
    return httpx.get(f"{server}/api/families/{family}").json()


def shoot(browser: Any, name: str) -> None:
    folder = os.environ.get("TEXTREUSE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(folder) / name))


def test_pasted_story_finds_its_reprints_and_opens_their_side_by_side_view(browser: Any, server: str) -> None:
    paste(browser, server, STORIES[WIRE_ID]["text"])
    members = {m["id"] for m in wire_family(server)["members"]} - {WIRE_ID}
    found = [row.get_attribute("data-id") for row in css(browser, "tr.match")]
    assert found[0] == WIRE_ID and len(members & set(found)) >= 3
    assert "harbourton-gazette-2024-03-06-water-main-bursts" in found
    browser.execute_script("window.scrollTo(0, 0)")
    shoot(browser, "app-check.png")
    link = css(browser, "tr.match a.view-link")[0]
    link.click()
    time.sleep(0.3)
    view = css(browser, "details#view-1")[0]
    assert view.get_attribute("open") is not None
    marks = view.find_elements("css selector", '.tr-doc[data-side="b"] mark.psg[id]')
    assert marks and all(m.get_attribute("data-target") for m in marks)
    browser.execute_script(
        "document.querySelectorAll('details.view').forEach(function (d) { d.open = d.id === 'view-1'; })"
    )
    click_and_check(browser, "b", marks[-1].get_attribute("data-passage"))


def test_families_list_family_page_and_its_timeline(browser: Any, server: str) -> None:
    browser.get(server + "/families")
    rows = css(browser, "tr.family")
    assert len(rows) >= 5
    shoot(browser, "app-families.png")
    family = wire_family(server)
    css(browser, f'a.family-link[href="/families/{family["id"]}"]')[0].click()
    assert browser.current_url.endswith(f"/families/{family['id']}")
    marks = css(browser, "svg.timeline circle.member")
    assert sorted(m.get_attribute("data-id") for m in marks) == sorted(m["id"] for m in family["members"])
    assert [m.get_attribute("data-id") for m in css(browser, "svg.timeline circle.original")] == [WIRE_ID]
    box = css(browser, "svg.timeline")[0].rect
    assert box["width"] > 600 and box["height"] > 100
    for m in marks:
        r = m.rect
        assert box["x"] <= r["x"] and r["x"] + r["width"] <= box["x"] + box["width"] + 1
    shoot(browser, "app-family.png")


def test_pair_page_marks_and_links_its_passages(browser: Any, server: str) -> None:
    family = wire_family(server)
    pair = family["pairs"][0]
    browser.get(f"{server}/pairs/{quote(pair['a'], safe='')}/{quote(pair['b'], safe='')}")
    assert css(browser, "header.app-head nav") and css(browser, ".tr-pair")
    marks = css(browser, '.tr-doc[data-side="a"] mark.psg[id]')
    assert marks
    click_and_check(browser, "a", marks[-1].get_attribute("data-passage"))
    browser.get(
        server + "/pairs/westshore-tribune-2024-04-03-port-elwin-storm-lifeboat/"
        "port-elwin-mariner-2024-04-04-night-the-sea-came-over"
    )
    if css(browser, ".tr-pair"):
        shoot(browser, "app-pair.png")


def test_document_page_highlights_spans_and_follows_a_carrier(browser: Any, server: str) -> None:
    browser.get(f"{server}/documents/{WIRE_ID}")
    spans = css(browser, ".doctext mark.reused")
    assert spans and all(s.text.strip() for s in spans)
    shoot(browser, "app-document.png")
    carrier = css(browser, "a.carrier")[0]
    other = carrier.text
    carrier.click()
    assert css(browser, "h1") and other in browser.find_element("css selector", "main p.muted").text
    browser.get(f"{server}/documents/{WIRE_ID}")
    css(browser, "a.pair-link")[0].click()
    assert css(browser, ".tr-pair mark.psg")


def test_injected_markup_shows_as_text_and_runs_nothing_on_any_page(browser: Any, hostile_server: str) -> None:
    server = hostile_server
    from selenium.common.exceptions import NoAlertPresentException

    family = wire_family(server)
    pages = [
        f"/documents/{HOSTILE_ID}",
        f"/pairs/{WIRE_ID}/{HOSTILE_ID}",
        f"/families/{family['id']}",
        f"/search?q={HOSTILE_ID}",
    ]
    for page in [*pages, None]:
        if page is None:
            paste(browser, server, HOSTILE["text"])
        else:
            browser.get(server + page)
        time.sleep(0.2)
        assert browser.execute_script("return typeof window.__pwned") == "undefined", page
        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert.text  # noqa: B018
        assert not css(browser, "main img"), page
        if page is None or "search" not in page and "families" not in page:
            assert INJECTION in css(browser, "main")[0].text, page


def test_bad_input_shows_an_error_page(browser: Any, server: str) -> None:
    paste(browser, server, "   ")
    assert "Error 400" in css(browser, "h1")[0].text and "empty text" in css(browser, "main")[0].text
    browser.get(server + "/documents/no-such-document")
    assert "Error 404" in css(browser, "h1")[0].text and css(browser, "header.app-head nav")
    browser.get(server + "/families/123456")
    assert "Error 404" in css(browser, "h1")[0].text
