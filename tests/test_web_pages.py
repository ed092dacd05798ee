"""``textreuse serve``'s HTML pages on a real index of the demo corpus (``index add`` + ``find --db``).

Through FastAPI's TestClient: each page answers with the shared layout, shows
what its JSON route returns, escapes document text, and answers bad input
with an HTML error page and the right status. tests/test_web_browser.py
drives the same pages in a real browser.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from textreuse.compare import CompareOptions
from textreuse.web.app import create_app
from textreuse.web.options import WebOptions

from .test_results import DEMO, build_demo_index, lines

OPTIONS = WebOptions(compare=CompareOptions(mode="lexical"), page_size=5, max_upload_bytes=200_000)
STORIES = {d["id"]: d for d in map(json.loads, DEMO.read_text(encoding="utf-8").splitlines())}
WIRE_ID = "wire-2024-03-05-harbourton-water-main"
INJECTION = '<script>alert(1)</script> <img src=x onerror="window.__pwned=1">'
# A reprint of the wire story carrying markup in its text, title and source.
HOSTILE_ID = "hostile-2024-03-09-reprint"
HOSTILE = {
    "id": HOSTILE_ID,
    "text": INJECTION + "\n\n" + STORIES[WIRE_ID]["text"],
    "date": "2024-03-09",
    "source": "<b>Bold</b> Post",
    "title": "<i>Main</i> " + INJECTION,
}


def q(doc_id: str) -> str:
    return quote(doc_id, safe="")


def visible(page: str) -> str:
    """The text a reader sees in ``page`` (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("pages")
    extra = folder / "hostile.jsonl"
    extra.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    return build_demo_index(folder, extra)


@pytest.fixture(scope="module")
def client(demo: tuple[Path, Path]) -> Iterator[TestClient]:
    with TestClient(create_app(demo[0], OPTIONS), raise_server_exceptions=False) as c:
        yield c


def wire_family(client: TestClient) -> dict:
    listed = client.get("/api/families", params={"per_page": 100}).json()["families"]
    return client.get(f"/api/families/{next(f['id'] for f in listed if f['likely_source'] == WIRE_ID)}").json()


def test_every_page_has_the_layout_navigation_and_footer(client: TestClient) -> None:
    total = client.get("/api/families").json()["total"]
    family = wire_family(client)
    for url in ("/", "/families", f"/families/{family['id']}", "/search?q=harbourton", f"/documents/{q(WIRE_ID)}"):
        page = client.get(url)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), url
        for link in ('href="/"', 'href="/families"', 'href="/search"'):
            assert link in page.text, (url, link)
        footer = visible(page.text[page.text.index("<footer") :])
        assert "reuse.db" in footer and f"{len(STORIES) + 1} documents" in footer and f"{total} families" in footer


def test_check_a_text_lists_its_reprints_ranked_with_side_by_side_views(client: TestClient) -> None:
    text = STORIES[WIRE_ID]["text"]
    page = client.post("/", data={"text": text}, files={"file": ("", b"")})
    assert page.status_code == 200
    api = client.post("/api/query", json={"text": text}).json()["matches"]
    shown = re.findall(r'<tr class="match" data-id="([^"]+)"', page.text)
    assert [html.unescape(i) for i in shown] == [m["id"] for m in api] and len(shown) >= 3
    assert HOSTILE_ID in [m["id"] for m in api]
    first = api[0]
    row = page.text[page.text.index('<tr class="match"') : page.text.index("</tr>", page.text.index('class="match"'))]
    assert f"{round(100 * first['coverage']['query'])}%" in row and first["relation"]["label"] in row
    assert 'href="#view-1"' in row and f'href="/documents/{q(first["id"])}"' in row
    assert page.text.count('<details class="card view"') == len(api) and 'id="view-1"' in page.text
    assert page.text.count('<div class="tr-pair">') == len(api) and 'class="psg k-' in page.text
    # the views' style and script come once, after the last view, whatever the number of views
    assert page.text.count("function flash(") == 1 and page.text.count(".tr-pair { --tr-verbatim") == 1
    assert page.text.index("function flash(") > page.text.rindex('<div class="tr-pair">')
    uploaded = client.post("/", files={"file": ("story.txt", text.encode(), "text/plain")})
    assert re.findall(r'<tr class="match" data-id="([^"]+)"', uploaded.text) == shown
    assert "story.txt" in visible(uploaded.text)


def test_families_page_filters_sorts_and_pages(client: TestClient) -> None:
    total = client.get("/api/families").json()["total"]
    first = client.get("/families").text
    ids = re.findall(r'href="/families/(\d+)"', first)
    assert len(ids) == 5 and f"{total} families" in visible(first) and 'rel="next"' in first
    second = client.get("/families", params={"page": 2}).text
    assert set(re.findall(r'href="/families/(\d+)"', second)).isdisjoint(ids)
    api = client.get("/api/families", params={"sort": "spread"}).json()["families"]
    spread = client.get("/families", params={"sort": "spread"}).text
    assert re.findall(r'class="family-link" href="/families/(\d+)"', spread) == [str(f["id"]) for f in api]
    family = wire_family(client)
    for params in (
        {"source": "The Harbourton Gazette"},
        {"q": "cast-iron Quayside"},
        {"from": "2024-03", "to": "2024-03"},
    ):
        found = re.findall(r'class="family-link" href="/families/(\d+)"', client.get("/families", params=params).text)
        assert str(family["id"]) in found, params
    blank = client.get("/families", params={"from": "", "to": "", "source": "", "label": "", "q": ""})
    assert blank.status_code == 200 and f"{total} families" in visible(blank.text)
    none = client.get("/families", params={"label": "no such label"}).text
    assert "No family matches" in none


def test_family_page_shows_members_in_date_order_and_a_timeline_with_one_mark_each(client: TestClient) -> None:
    family = wire_family(client)
    page = client.get(f"/families/{family['id']}").text
    svg = page[page.index("<svg") : page.index("</svg>")]
    marks = re.findall(r'<circle class="member( original)?" data-id="([^"]+)" cx="([\d.]+)" cy="([\d.]+)"', svg)
    assert sorted(html.unescape(m[1]) for m in marks) == sorted(m["id"] for m in family["members"])
    assert [html.unescape(m[1]) for m in marks if m[0]] == [WIRE_ID]
    dates = {m["id"]: m["date"] for m in family["members"]}
    by_x = sorted(marks, key=lambda m: float(m[2]))
    assert [dates[html.unescape(m[1])] for m in by_x] == sorted(dates.values())
    rows = {m["source"] for m in family["members"]}
    assert len({m[3] for m in marks}) == len(rows) and all(s in svg for s in ("2024-03-05", "Coastal Wire Service"))
    members = [html.unescape(i) for i in re.findall(r'<tr class="member[^"]*"><td>([^<]+)</td>', page)]
    assert members == [m["date"] for m in family["members"]] == sorted(dates.values())
    shown = visible(page)
    assert "Likely original:" in shown and family["evidence"] in shown and family["text"][:80] in shown


def test_pair_page_is_the_side_by_side_view_in_the_layout(client: TestClient, demo: tuple[Path, Path]) -> None:
    line = lines(demo[1] / "pairs.jsonl")[0]
    page = client.get(f"/pairs/{q(line['a'])}/{q(line['b'])}").text
    assert "<nav>" in page and '<div class="tr-pair">' in page and "<footer" in page
    assert page.count('<mark class="psg') == 2 * len(line["passages"])
    assert 'data-target="b-p0"' in page and 'data-anchor="b-p0"' in page
    label = (line["relation"] or {}).get("label")
    assert label and f'<span class="tr-label">{label}</span>' in page
    assert f"confidence {line['confidence']:.2f}</span>" in page


def test_document_page_highlights_every_reused_span_and_links_its_carriers(client: TestClient) -> None:
    api = client.get(f"/api/documents/{q(WIRE_ID)}").json()
    page = client.get(f"/documents/{q(WIRE_ID)}").text
    body = page[page.index('<div class="doctext">') : page.index("</div>\n<aside>")]
    marked = re.findall(r'<mark class="reused" id="span-\d+" data-span="\d+">([^<]*)</mark>', body)
    assert [html.unescape(m) for m in marked] == [api["text"][s["start"] : s["end"]] for s in api["spans"]]
    assert visible(re.sub(r"<sup>.*?</sup>", "", body)).removeprefix('<div class="doctext">') == api["text"]
    for other in {c["id"] for s in api["spans"] for c in s["others"]}:
        assert f'class="carrier" href="/documents/{q(other)}"' in page
        assert f'href="/pairs/{q(WIRE_ID)}/{q(other)}"' in page


def test_search_page_shows_hits_with_marked_snippets(client: TestClient) -> None:
    page = client.get("/search", params={"q": "Quayside"}).text
    api = client.get("/api/search", params={"q": "Quayside", "per_page": 5}).json()
    assert re.findall(r'class="doc-link" href="/documents/([^"]+)"', page) == [q(h["id"]) for h in api["hits"]]
    assert "<mark>Quayside</mark>" in page and f"{api['total']} documents" in visible(page)
    assert client.get("/search").status_code == 200


@pytest.mark.parametrize("where", ["check", "search", "family", "pair", "document"])
def test_document_markup_is_escaped_on_every_page(client: TestClient, where: str) -> None:
    family = wire_family(client)
    url = {
        "search": f"/search?q={HOSTILE_ID}",
        "family": f"/families/{family['id']}",
        "pair": f"/pairs/{q(WIRE_ID)}/{q(HOSTILE_ID)}",
        "document": f"/documents/{q(HOSTILE_ID)}",
    }.get(where)
    if url is None:
        page = client.post("/", data={"text": HOSTILE["text"]}, files={"file": ("", b"")})
    else:
        page = client.get(url)
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<img src=x" not in page.text and "<b>Bold" not in page.text
    assert HOSTILE_ID in page.text
    if where in ("pair", "document", "check"):
        assert INJECTION in visible(page.text)


def test_bad_input_gets_an_html_error_page_with_its_status(client: TestClient) -> None:
    cases = {
        "empty paste": (client.post("/", data={"text": "  \n"}, files={"file": ("", b"")}), 400, "empty text"),
        "binary upload": (client.post("/", files={"file": ("a.txt", b"\x00\x01\xff\xfe" * 50)}), 400, "binary"),
        "wrong kind": (client.post("/", files={"file": ("a.pdf", b"%PDF-1.4")}), 400, ".txt or .html"),
        "too large": (
            client.post("/", data={"text": "word " * 50_000}, files={"file": ("", b"")}),
            413,
            "request too large",
        ),
        "not a form": (client.post("/", content=b"x", headers={"content-type": "text/plain"}), 415, "multipart"),
        "unknown document": (client.get("/documents/no-such-doc"), 404, "no document 'no-such-doc'"),
        "unknown family": (client.get("/families/99999"), 404, "no family 99999"),
        "family not a number": (client.get("/families/abc"), 422, "family_id"),
        "unknown pair": (client.get(f"/pairs/{q(WIRE_ID)}/nope"), 404, "no document 'nope'"),
        "bad date": (client.get("/families", params={"from": "March"}), 400, "1916-01-02"),
        "bad page": (client.get("/families", params={"page": 0}), 422, "page"),
        "unknown page": (client.get("/no/such/page"), 404, "Not Found"),
    }
    for name, (response, status, message) in cases.items():
        assert response.status_code == status, (name, response.status_code, response.text[:300])
        assert response.headers["content-type"].startswith("text/html"), name
        assert f"Error {status}" in response.text and message in visible(response.text), name
        assert "Traceback" not in response.text and 'href="/families"' in response.text, name
    assert client.get("/api/documents/no-such-doc").json() == {"error": "no document 'no-such-doc' in this index"}


def test_index_without_find_results_serves_pages_and_says_how_to_get_families(tmp_path: Path) -> None:
    db, _ = build_demo_index(tmp_path, find=False)
    with TestClient(create_app(db, OPTIONS)) as client:
        families = client.get("/families")
        assert families.status_code == 200
        assert "textreuse find --db reuse.db --out DIR" in visible(families.text)
        assert "no families yet" in visible(families.text)
        assert client.get(f"/documents/{q(WIRE_ID)}").status_code == 200
        assert WIRE_ID in client.get("/search", params={"q": "Quayside"}).text
        checked = client.post("/", data={"text": STORIES[WIRE_ID]["text"]}, files={"file": ("", b"")})
        assert checked.status_code == 200 and 'class="match"' in checked.text


def test_search_page_without_words_shows_the_form_with_a_note(client: TestClient) -> None:
    page = client.get("/search", params={"q": "?!… --"})
    assert page.status_code == 200
    assert "No words to search for" in visible(page.text) and 'name="q"' in page.text
    assert client.get("/api/search", params={"q": "?!"}).status_code == 400
