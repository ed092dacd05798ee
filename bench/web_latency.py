"""Latency of ``textreuse serve``'s JSON API on the chronam-1916 index (4,492 OCR'd front pages).

Builds the index (``index add`` + ``find --db --mode lexical``, a few minutes
on 2 cores) unless ``--db`` names one already built, then times, through
FastAPI's TestClient (the app as the server runs it, without the network):

* the family list (``GET /api/families``, pages 1..5, three sort orders),
* a family (``GET /api/families/{id}``, the largest ones),
* a pair (``GET /api/pairs/{a}/{b}``, both texts and the passages),
* a document (``GET /api/documents/{id}``, its text and every reused span),
* and the same four as HTML pages (``/families``, ``/families/{id}`` with its
  timeline, ``/pairs/{a}/{b}`` with the side-by-side view, ``/documents/{id}``),

``--requests`` times each (p50 and p95, milliseconds), and "check a text"
(``POST /api/query``, and the check page ``POST /`` with a side-by-side view
of each match) with whole front pages of the corpus. Targets: p95 under
300 ms for the eight, under 1 s for a query.

Usage (from the repository root)::

    .venv/bin/python bench/web_latency.py --db /tmp/chronam.db           # build there once, reuse after
    .venv/bin/python bench/web_latency.py --db /tmp/chronam.db --requests 200
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient

from textreuse.compare import CompareOptions
from textreuse.web.app import create_app
from textreuse.web.options import WebOptions

CHRONAM = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "chronam-1916" / "chronam-1916-01-02-frontpages.jsonl.gz"
)


def build(db: Path, jobs: int) -> None:
    """``index add`` and ``find --db --mode lexical`` the chronam pages into ``db``."""
    out = db.with_suffix(".out")
    for args in (
        ["index", "add", str(CHRONAM), "--db", str(db), "-j", str(jobs)],
        ["find", "--db", str(db), "--out", str(out), "--mode", "lexical", "-j", str(jobs)],
    ):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "textreuse", *args], check=True)
        print(f"{args[0]}: {time.perf_counter() - started:.0f} s", file=sys.stderr)


def timed(call: Callable[[int], object], n: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds of ``n`` calls (``call(i)``)."""
    times = []
    for i in range(n):
        started = time.perf_counter()
        call(i)
        times.append(1000 * (time.perf_counter() - started))
    times.sort()
    return times[len(times) // 2], times[min(len(times) - 1, int(0.95 * len(times)))]


def ok(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.text)


def html_pages(client: TestClient, families: list[int], pairs: list[tuple[str, str]], docs: list[str], n: int) -> dict:
    """p50 and p95 of the HTML pages: the family list, a family (with its timeline), a pair, a document."""
    sorts = ("size", "spread", "date")
    pair_url = "/pairs/{}/{}"
    return {
        "GET /families (page)": timed(lambda i: ok(client, f"/families?sort={sorts[i % 3]}&page={1 + i % 5}"), n),
        "GET /families/{id} (page)": timed(lambda i: ok(client, f"/families/{families[i % len(families)]}"), n),
        "GET /pairs/{a}/{b} (page)": timed(
            lambda i: ok(client, pair_url.format(*(quote(x, safe="") for x in pairs[i % len(pairs)]))), n
        ),
        "GET /documents/{id} (page)": timed(
            lambda i: ok(client, f"/documents/{quote(docs[i % len(docs)], safe='')}"), n
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="The index (built here when missing).")
    parser.add_argument("--requests", type=int, default=100, help="Requests timed for each endpoint.")
    parser.add_argument("--queries", type=int, default=10, help="Front pages checked with POST /api/query.")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    if not args.db.exists():
        build(args.db, args.jobs)
    n = args.requests
    with TestClient(create_app(args.db, WebOptions(compare=CompareOptions(mode="lexical")))) as client:
        listed = client.get("/api/families", params={"per_page": 100}).json()
        families = [f["id"] for f in listed["families"]]
        details = [client.get(f"/api/families/{f}").json() for f in families]
        pairs = [(p["a"], p["b"]) for d in details for p in d["pairs"]][:n]
        docs = [m["id"] for d in details for m in d["members"]][:n]
        sorts = ("size", "spread", "date")
        print(f"{args.db}: {listed['total']} families; {n} requests each")
        rows = {
            "GET /api/families": timed(lambda i: ok(client, f"/api/families?sort={sorts[i % 3]}&page={1 + i % 5}"), n),
            "GET /api/families/{id}": timed(lambda i: ok(client, f"/api/families/{families[i % len(families)]}"), n),
            "GET /api/pairs/{a}/{b}": timed(
                lambda i: ok(client, "/api/pairs/{}/{}".format(*(quote(x, safe="") for x in pairs[i % len(pairs)]))),
                n,
            ),
            "GET /api/documents/{id}": timed(
                lambda i: ok(client, f"/api/documents/{quote(docs[i % len(docs)], safe='')}"), n
            ),
        }
        rows.update(html_pages(client, families, pairs, docs, n))
        with gzip.open(CHRONAM, "rt", encoding="utf-8") as fh:
            pages = [json.loads(line)["text"] for _, line in zip(range(args.queries), fh)]
        client.post("/api/query", json={"text": pages[0]})  # the engine opens (postings loaded) on first use
        rows["POST /api/query (a front page)"] = timed(
            lambda i: client.post("/api/query", json={"text": pages[i % len(pages)]}).raise_for_status(), len(pages)
        )
        rows["POST / (page: a front page)"] = timed(
            lambda i: client.post(
                "/", data={"text": pages[i % len(pages)]}, files={"file": ("", b"")}
            ).raise_for_status(),
            len(pages),
        )
    for name, (p50, p95) in rows.items():
        print(f"{name:34} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
