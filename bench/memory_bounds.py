"""Peak memory (RSS) of `textreuse index add` on a large JSONL and on one very large document.

Usage (from the repository root):

    python bench/memory_bounds.py           # 100,000 then 1,000,000 lines, a 50 MB and a 2 MB document
    python bench/memory_bounds.py --lines 200000 --small 20000 --sentences 3 --doc-mb 50 --accept-mb 2

Each run is a real `python -m textreuse index add ... -j 1` process; its peak
resident memory comes from ``os.wait4`` (the kernel's ``ru_maxrss``). The
JSONL lines are generated news-style items (self-written templates, one
sentence of about 100 characters by default, deterministic), so their
fingerprints look like wire copy.

Documents are streamed in batches, so no document's text is held beyond
its batch; what still grows with the input is the check for repeated ids
(every id seen, about 180 bytes an id), SQLite's page cache (capped at 256
MiB) and the postings built once at the end (about 400 bytes a short
document). The 50 MB document is refused by the default --max-chars before
it is prepared; ``--accept-mb`` measures a document that is accepted, for
the memory a character costs when it is prepared and indexed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PLACES = ["Harbourton", "Dunmere", "Rovensby", "Kettleford", "Amberley", "Norwick", "Saltmarsh", "Elderbridge"]
WHO = ["The city council", "Police", "The health ministry", "Striking rail workers", "The central bank", "Farmers"]
DID = ["approved", "rejected", "postponed", "announced", "warned against", "called for", "welcomed"]
WHAT = [
    "a budget of {n} million crowns for new water mains",
    "the closure of {n} rural schools",
    "a rise in interest rates of {n} basis points",
    "talks on a wage deal covering {n} workers",
    "emergency repairs to the {n}-year-old harbour wall",
    "a plan to build {n} homes on the old mill site",
]
WHEN = ["on Tuesday", "late on Friday", "this week", "after a long debate", "in a statement on Monday"]


def story(rng: random.Random, sentences_per_story: int = 3) -> str:
    """A wire item of this many sentences (about 100 characters each)."""
    sentences = []
    for _ in range(sentences_per_story):
        what = rng.choice(WHAT).format(n=rng.randint(2, 9000))
        sentences.append(f"{rng.choice(WHO)} in {rng.choice(PLACES)} {rng.choice(DID)} {what} {rng.choice(WHEN)}.")
    return " ".join(sentences)


def write_jsonl(path: Path, lines: int, sentences: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(lines):
            fh.write(json.dumps({"id": f"s{i}", "text": story(rng, sentences), "date": "2024-03-05"}) + "\n")


def write_document(path: Path, megabytes: float, seed: int = 2) -> None:
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    size = 0
    with path.open("w", encoding="utf-8") as fh:
        while size < target:
            piece = story(rng) + "\n\n"
            fh.write(piece)
            size += len(piece)


def peak_rss(args: list[str], log: Path) -> tuple[int, float, int, str]:
    """Run ``textreuse ARGS``; (peak RSS in bytes, seconds, exit status, last line it wrote)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    start = time.monotonic()
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "textreuse", *args], stdout=out, stderr=out, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - start
    lines = log.read_text(errors="replace").strip().splitlines()
    return usage.ru_maxrss * 1024, seconds, proc.returncode, lines[-1] if lines else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines of the large JSONL")
    parser.add_argument("--small", type=int, default=100_000, help="lines of the small JSONL (the comparison)")
    parser.add_argument("--sentences", type=int, default=1, help="sentences a JSONL line (about 100 characters each)")
    parser.add_argument("--doc-mb", type=float, default=50, help="size of the one large document, in MB")
    parser.add_argument("--accept-mb", type=float, default=2, help="size of a document that is accepted, in MB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="textreuse-bench-") as tmp:
        folder = Path(tmp)
        runs: list[tuple[str, list[str]]] = []
        for lines in (args.small, args.lines):
            path = folder / f"stories-{lines}.jsonl"
            write_jsonl(path, lines, args.sentences)
            runs.append((f"index add, {lines:,}-line JSONL", ["index", "add", str(path), "--db", str(path) + ".db"]))
        big = folder / "big.txt"
        write_document(big, args.doc_mb)
        runs.append(
            (f"index add, one {args.doc_mb:g} MB document", ["index", "add", str(big), "--db", str(big) + ".db"])
        )
        ok = folder / "accepted.txt"
        write_document(ok, args.accept_mb)
        runs.append(
            (f"index add, one {args.accept_mb:g} MB document", ["index", "add", str(ok), "--db", str(ok) + ".db"])
        )
        for name, command in runs:
            peak, seconds, status, last = peak_rss([*command, "-j", "1"], folder / "log.txt")
            print(
                f"{name}: peak RSS {peak / 2**20:,.0f} MiB, {seconds:,.1f} s, exit {status}: {last[:160]}", flush=True
            )


if __name__ == "__main__":
    main()
