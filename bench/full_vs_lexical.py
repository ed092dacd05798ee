"""Full-mode `find` against lexical `find` on the same chronam pages, in one run: time and pairs.

Takes the first N front pages (in file order) of ``../shared/data/chronam-1916``
and runs, as a user would, ``textreuse find PAGES --out DIR --mode lexical``,
then ``--mode full`` with an empty embedding cache (``TEXTREUSE_EMBED_CACHE``
pointing to a new folder: the first run's experience) and again with that
cache filled (warm). Prints each run's wall time, its ratio to the lexical
time, and its candidate and found pairs.

    nice -n 5 .venv/bin/python bench/full_vs_lexical.py --pages 1000 --out /tmp/full-vs-lexical
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "data" / "chronam-1916" / "chronam-1916-01-02-frontpages.jsonl.gz"


def run_find(pages: Path, out: Path, mode: str, cache: Path | None) -> tuple[float, str]:
    """Wall time and the summary line of one ``textreuse find`` run."""
    env = dict(os.environ)
    env.pop("TEXTREUSE_EMBED_CACHE", None)
    if cache is not None:
        env["TEXTREUSE_EMBED_CACHE"] = str(cache)
    cmd = [sys.executable, "-m", "textreuse", "find", str(pages), "--out", str(out), "--mode", mode]
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    summary = next((line for line in proc.stdout.splitlines() if "candidate pairs" in line), "")
    return wall, re.sub(r" -> .*?;", ";", summary).split(" -> ")[0]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--out", type=Path, default=Path("/tmp/full-vs-lexical"))
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    pages = args.out / f"pages-{args.pages}.jsonl"
    with gzip.open(args.corpus, "rt", encoding="utf-8") as fh, pages.open("w", encoding="utf-8") as out:
        for n, line in enumerate(fh):
            if n >= args.pages:
                break
            out.write(line)
    cache = args.out / "embed-cache"
    shutil.rmtree(cache, ignore_errors=True)
    runs = [("lexical", "lexical", None), ("full, cold cache", "full", cache), ("full, warm cache", "full", cache)]
    base = None
    print(f"{args.pages} chronam pages ({pages.stat().st_size / 1e6:.1f} MB)")
    for label, mode, folder in runs:
        wall, summary = run_find(pages, args.out / label.split(",")[0].replace(" ", "-"), mode, folder)
        base = base or wall
        print(f"  {label:<17} {wall:7.1f} s  x{wall / base:4.2f}  {summary}", flush=True)


if __name__ == "__main__":
    main()
