"""``textreuse serve``'s JSON API on a real index of the demo corpus (``index add`` + ``find --db``).

Through FastAPI's TestClient (the app as the server runs it), and once as a
real ``textreuse serve`` process on 127.0.0.1.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient

from textreuse.compare import CompareOptions
from textreuse.errors import OptionError
from textreuse.web.app import create_app
from textreuse.web.options import WebOptions

from .test_results import DEMO, build_demo_index, lines, run

LEXICAL = WebOptions(compare=CompareOptions(mode="lexical"))
STORIES = {d["id"]: d for d in map(json.loads, DEMO.read_text(encoding="utf-8").splitlines())}
WIRE_ID = "wire-2024-03-05-harbourton-water-main"
# A document id with every character that breaks naive URLs, carrying a reprint of the wire story.
ODD_ID = "papers/Harbour Post [1]/p 2 100%"


def q(doc_id: str) -> str:
    return quote(doc_id, safe="")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("web")
    extra = folder / "odd.jsonl"
    reprint = {"id": ODD_ID, "text": "HARBOUR POST, page 2\n\n" + STORIES[WIRE_ID]["text"], "date": "2024-03-09"}
    extra.write_text(json.dumps({**reprint, "source": "Harbour Post", "title": "Main bursts"}) + "\n", encoding="utf-8")
    return build_demo_index(folder, extra)


@pytest.fixture(scope="module")
def client(demo: tuple[Path, Path]) -> Iterator[TestClient]:
    with TestClient(create_app(demo[0], LEXICAL)) as c:
        yield c


def test_search_finds_documents_by_words_with_pages_and_snippets(client: TestClient) -> None:
    first = client.get("/api/search", params={"q": "Harbourton water main", "per_page": 2}).json()
    second = client.get("/api/search", params={"q": "Harbourton water main", "per_page": 2, "page": 2}).json()
    assert first["total"] >= 4 and first["per_page"] == 2 and len(first["hits"]) == 2
    assert {h["id"] for h in first["hits"]}.isdisjoint(h["id"] for h in second["hits"])
    for hit in first["hits"] + second["hits"]:
        text = client.get(f"/api/documents/{q(hit['id'])}").json()["text"]
        snippet = hit["snippet"]
        assert text[snippet["start"] : snippet["end"]] == snippet["text"]
        assert {text[s:e].lower() for s, e in snippet["marks"]} <= {"harbourton", "water", "main"}
    beyond = client.get("/api/search", params={"q": "Harbourton", "page": 999}).json()
    assert beyond["hits"] == [] and beyond["total"] >= 4
    capped = client.get("/api/search", params={"q": "the", "per_page": 10_000}).json()
    assert capped["per_page"] == LEXICAL.max_page_size and len(capped["hits"]) == capped["total"] > 40


def test_pasted_or_uploaded_story_finds_its_reprints(client: TestClient, demo: tuple[Path, Path]) -> None:
    family = next(f for f in lines(demo[1] / "families.jsonl") if f["source"] == WIRE_ID)
    text = STORIES[WIRE_ID]["text"]
    pasted = client.post("/api/query", json={"text": text}).json()
    found = {m["id"]: m for m in pasted["matches"]}
    assert pasted["length"] == len(text)
    assert len(set(family["members"]) & set(found)) >= 3 and ODD_ID in found
    shares = [m["coverage"]["query"] for m in pasted["matches"]]
    assert shares == sorted(shares, reverse=True)
    reprint = STORIES["harbourton-gazette-2024-03-06-water-main-bursts"]["text"]
    for p in found["harbourton-gazette-2024-03-06-water-main-bursts"]["passages"]:
        assert p["a_end"] <= len(text) and p["b_end"] <= len(reprint)
    assert found[WIRE_ID]["relation"]["label"] and 0 < found[WIRE_ID]["confidence"] <= 1
    uploaded = client.post("/api/query", files={"file": ("story.txt", text.encode(), "text/plain")}).json()
    assert [m["id"] for m in uploaded["matches"]] == [m["id"] for m in pasted["matches"]]
    page = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in text.split("\n\n")) + "</article></body></html>"
    from_html = client.post("/api/query", files={"file": ("story.html", page.encode(), "text/html")}).json()
    assert WIRE_ID in {m["id"] for m in from_html["matches"]}


def test_families_sorted_filtered_and_one_in_date_order_with_its_timeline(
    client: TestClient, demo: tuple[Path, Path]
) -> None:
    expected = {f["family"]: f for f in lines(demo[1] / "families.jsonl")}
    listed = client.get("/api/families", params={"per_page": 100}).json()
    assert listed["total"] == len(expected) and listed["note"] is None
    assert [f["size"] for f in listed["families"]] == sorted((f["size"] for f in listed["families"]), reverse=True)
    spread = client.get("/api/families", params={"sort": "spread", "per_page": 100}).json()["families"]
    assert [f["sources"] for f in spread] == sorted((f["sources"] for f in spread), reverse=True)
    wire = next(k for k, f in expected.items() if f["source"] == WIRE_ID)
    fam = client.get(f"/api/families/{wire}").json()
    assert fam["likely_source"] == WIRE_ID and set(expected[wire]["members"]) == {m["id"] for m in fam["members"]}
    dates = [m["date"] for m in fam["members"]]
    assert dates == sorted(dates) and fam["first_date"] == dates[0] and fam["last_date"] == dates[-1]
    assert sorted(i for p in fam["timeline"] for i in p["ids"]) == sorted(m["id"] for m in fam["members"])
    assert fam["text"] and fam["text"] in STORIES[WIRE_ID]["text"] and fam["pairs"]
    found = {(p["a"], p["b"]): p["confidence"] for p in lines(demo[1] / "pairs.jsonl")}
    assert all(p["confidence"] == found[(p["a"], p["b"])] for p in fam["pairs"])
    by_source = client.get("/api/families", params={"source": "Harbour Post"}).json()["families"]
    assert [f["id"] for f in by_source] == [wire]
    by_words = client.get("/api/families", params={"q": "cast-iron Quayside"}).json()["families"]
    assert wire in [f["id"] for f in by_words]
    march = client.get("/api/families", params={"from": "2024-03-01", "to": "2024-03", "per_page": 100}).json()
    assert march["total"] and all(f["first_date"] <= "2024-03-31" for f in march["families"])
    big = client.get("/api/families", params={"min_size": 5, "per_page": 100}).json()["families"]
    assert big and all(f["size"] >= 5 for f in big)
    label = fam["pairs"][0]["label"]
    labelled = client.get("/api/families", params={"label": label, "per_page": 100}).json()["families"]
    assert wire in [f["id"] for f in labelled]
    assert client.get("/api/families", params={"label": "no such label"}).json()["total"] == 0


def test_pair_passages_slice_the_stored_texts_from_either_side(client: TestClient, demo: tuple[Path, Path]) -> None:
    for line in lines(demo[1] / "pairs.jsonl")[:5]:
        pair = client.get(f"/api/pairs/{q(line['a'])}/{q(line['b'])}").json()
        assert (pair["a"]["id"], pair["b"]["id"]) == (line["a"], line["b"])
        given = [{k: v for k, v in p.items() if v is not None} for p in pair["passages"]]
        assert given == line["passages"] and pair["coverage"] == line["coverage"]
        assert pair["confidence"] == line["confidence"] and 0 < pair["confidence"] <= 1
        assert pair["a"]["text"] == STORIES.get(line["a"], {}).get("text", pair["a"]["text"])
        for p in pair["passages"]:
            assert pair["a"]["text"][p["a_start"] : p["a_end"]].strip()
            assert pair["b"]["text"][p["b_start"] : p["b_end"]].strip()
        back = client.get(f"/api/pairs/{q(line['b'])}/{q(line['a'])}").json()
        assert back["a"]["id"] == line["b"]
        assert [(p["a_start"], p["b_start"]) for p in back["passages"]] == [
            (p["b_start"], p["a_start"]) for p in line["passages"]
        ]


def test_ids_with_slashes_brackets_spaces_and_percent_work_in_urls(client: TestClient) -> None:
    doc = client.get(f"/api/documents/{q(ODD_ID)}").json()
    assert doc["id"] == ODD_ID and doc["source"] == "Harbour Post" and doc["title"] == "Main bursts"
    assert client.get("/api/documents/" + quote(ODD_ID, safe="/")).json()["id"] == ODD_ID  # / left as is
    assert WIRE_ID in {c["id"] for s in doc["spans"] for c in s["others"]}
    for span in doc["spans"]:
        assert doc["text"][span["start"] : span["end"]].strip()
    assert doc["families"]
    pair = client.get(f"/api/pairs/{q(ODD_ID)}/{q(WIRE_ID)}").json()
    assert pair["a"]["id"] == ODD_ID and pair["b"]["id"] == WIRE_ID
    assert client.get(f"/api/pairs/{quote(ODD_ID, safe='/')}/{WIRE_ID}").json()["a"]["id"] == ODD_ID
    assert ODD_ID in [h["id"] for h in client.get("/api/search", params={"q": "Harbour Post"}).json()["hits"]]


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status", "needle"),
    [
        ("post", "/api/query", {"json": {"text": "   \n"}}, 400, "empty text"),
        ("post", "/api/query", {"json": {"words": "x"}}, 422, '{"text"'),
        (
            "post",
            "/api/query",
            {"content": b"not json", "headers": {"content-type": "application/json"}},
            400,
            "not JSON",
        ),
        ("post", "/api/query", {"files": {"file": ("scan.txt", b"\x89PNG\r\n\x1a\n" + bytes(64))}}, 400, "binary file"),
        ("post", "/api/query", {"files": {"file": ("scan.pdf", b"%PDF-1.4 text")}}, 400, ".txt or .html"),
        ("post", "/api/query", {"files": {"other": ("a.txt", b"words")}}, 422, "'file'"),
        (
            "post",
            "/api/query",
            {"content": b"x" * 2_000_001, "headers": {"content-type": "application/json"}},
            413,
            "2,000,000 bytes",
        ),
        ("post", "/api/query", {"content": b"text", "headers": {"content-type": "text/plain"}}, 415, "multipart"),
        ("get", "/api/search?q=", {}, 400, "give words"),
        ("get", "/api/search?q=water&page=0", {}, 422, "page"),
        ("get", "/api/search?q=water&page=two", {}, 422, "page"),
        ("get", "/api/families?page=-1", {}, 422, "page"),
        ("get", "/api/families?sort=colour", {}, 422, "sort"),
        ("get", "/api/families?from=last+week", {}, 422, "from"),
        ("get", "/api/families/99999", {}, 404, "no family 99999"),
        ("get", "/api/families/first", {}, 422, "family_id"),
        ("get", "/api/documents/no%2Fsuch%20doc", {}, 404, "no document 'no/such doc'"),
        ("get", "/api/pairs/no-such/wire-2024-03-05-harbourton-water-main", {}, 404, "no document 'no-such'"),
        ("get", "/api/pairs/only-one", {}, 404, "two document ids"),
        ("get", "/api/nothing-here", {}, 404, "Not Found"),
    ],
)
def test_bad_input_gets_a_clear_json_error_with_its_status(
    client: TestClient, method: str, url: str, kwargs: dict, status: int, needle: str
) -> None:
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["error"] and needle in body["error"] and "Traceback" not in body["error"]


def test_pair_of_documents_sharing_nothing_is_404(client: TestClient) -> None:
    response = client.get(f"/api/pairs/{q(WIRE_ID)}/{q('wire-2024-06-17-cedar-hollow-wildfire')}")
    assert response.status_code == 404 and "share no text" in response.json()["error"]


def test_upload_limit_and_page_sizes_are_options_checked_at_construction(demo: tuple[Path, Path]) -> None:
    with pytest.raises(OptionError, match="WebOptions.max_upload_bytes"):
        WebOptions(max_upload_bytes=0)
    with pytest.raises(OptionError, match="WebOptions.page_size"):
        WebOptions(page_size=200, max_page_size=100)
    small = WebOptions(max_upload_bytes=1000, page_size=2, max_page_size=5, compare=CompareOptions(mode="lexical"))
    with TestClient(create_app(demo[0], small)) as c:
        assert len(c.get("/api/search", params={"q": "the"}).json()["hits"]) == 2
        capped = c.get("/api/families", params={"per_page": 1000}).json()
        assert capped["per_page"] == 5 and len(capped["families"]) == 5 < capped["total"]
        text = STORIES[WIRE_ID]["text"]
        assert c.post("/api/query", json={"text": text[:500]}).status_code == 200
        for response in (
            c.post("/api/query", json={"text": text}),
            c.post("/api/query", files={"file": ("story.txt", text.encode())}),
        ):
            assert response.status_code == 413 and "1,000 bytes" in response.json()["error"]


def test_the_server_cannot_write_the_index(demo: tuple[Path, Path]) -> None:
    db = demo[0]
    before = (db.stat().st_mtime_ns, db.stat().st_size)
    app = create_app(db, LEXICAL)
    with TestClient(app) as c:
        c.post("/api/query", json={"text": STORIES[WIRE_ID]["text"]})
        for url in ("/api/search?q=storm", "/api/families", "/api/families/1", f"/api/documents/{q(WIRE_ID)}"):
            assert c.get(url).status_code == 200
        state = app.state.textreuse

        def write(con: sqlite3.Connection, statement: str) -> str:
            try:
                con.execute(statement)
            except sqlite3.OperationalError as e:
                return str(e)
            return "written"

        for con in (state.store.db, state.query.store.db):  # in the app's own thread, as its routes use them
            assert c.portal is not None
            for statement in ("CREATE TABLE intruder (x)", "DELETE FROM families"):
                assert "readonly" in c.portal.call(write, con, statement)
    assert (db.stat().st_mtime_ns, db.stat().st_size) == before


def test_index_without_find_results_still_serves_and_says_how_to_get_families(tmp_path: Path) -> None:
    db, _ = build_demo_index(tmp_path, find=False)
    with TestClient(create_app(db, LEXICAL)) as c:
        assert c.get("/api/search", params={"q": "storm"}).json()["total"] >= 3
        matches = c.post("/api/query", json={"text": STORIES[WIRE_ID]["text"]}).json()["matches"]
        assert WIRE_ID in {m["id"] for m in matches}
        doc = c.get(f"/api/documents/{q(WIRE_ID)}").json()
        assert doc["text"] == STORIES[WIRE_ID]["text"] and doc["spans"] == [] and "textreuse find --db" in doc["note"]
        listed = c.get("/api/families").json()
        assert listed["families"] == [] and "textreuse find --db" in listed["note"]
        one = c.get("/api/families/1")
        assert one.status_code == 404 and "textreuse find --db" in one.json()["error"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_process_answers_on_localhost(demo: tuple[Path, Path]) -> None:
    port = free_port()
    args = [sys.executable, "-m", "textreuse", "serve", "--db", str(demo[0]), "--port", str(port), "--mode", "lexical"]
    server = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/search", params={"q": "storm"}, timeout=5)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, (
                    server.stderr.read() if server.stderr else ""
                )
                time.sleep(0.2)
        assert response.status_code == 200 and response.json()["total"] >= 3
        assert httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=5).json()["info"]["title"] == "textreuse"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_on_a_missing_index_is_a_one_line_error(tmp_path: Path) -> None:
    proc = run("serve", "--db", str(tmp_path / "none.db"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "textreuse index add" in proc.stderr


def test_index_of_the_previous_schema_is_served_read_only(tmp_path: Path, demo: tuple[Path, Path]) -> None:
    old = tmp_path / "old.db"
    source = sqlite3.connect(f"file:{demo[0]}?mode=ro", uri=True)
    source.backup(target := sqlite3.connect(old))
    source.close()
    with target:
        for table in ("pairs", "passages", "families", "family_members", "family_passages", "family_pairs"):
            target.execute(f"DROP TABLE {table}")
        target.execute("DROP TABLE documents_fts")
        target.execute("DROP TABLE families_fts")
        target.execute("DELETE FROM meta WHERE key = 'results'")
        target.execute("UPDATE meta SET value = '4' WHERE key = 'schema'")
    target.close()
    with TestClient(create_app(old, LEXICAL)) as c:
        assert c.get(f"/api/documents/{q(WIRE_ID)}").json()["id"] == WIRE_ID
        assert "textreuse find --db" in c.get("/api/families").json()["note"]
        searched = c.get("/api/search", params={"q": "storm"})
        assert searched.status_code == 400 and "textreuse find --db" in searched.json()["error"]
    schema = sqlite3.connect(old).execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0]
    assert schema == "4"  # served as it is: nothing upgraded it
