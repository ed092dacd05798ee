"""Full-mode `find` against lexical `find` on the same chronam pages, in one run: time and pairs.

Takes the first N front pages (in file order) of ``../shared/data/chronam-1916``
and runs, as a user would, ``textreuse find PAGES --out DIR --mode lexical``,
then ``--mode full`` with an empty embedding cache (``TEXTREUSE_EMBED_CACHE``
pointing to a new folder: the first run's experience) and again with that
cache filled (warm). Prints each run's wall time and CPU time (user + system
of the ``find`` process and its workers: on a machine shared with other
jobs, wall time follows the load, CPU time much less), their ratios to the
lexical run's, and its candidate and found pairs.

    nice -n 5 .venv/bin/python bench/full_vs_lexical.py --pages 1000 --out /tmp/full-vs-lexical
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "data" / "chronam-1916" / "chronam-1916-01-02-frontpages.jsonl.gz"


def children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished children and their own children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_find(pages: Path, out: Path, mode: str, cache: Path | None) -> tuple[float, float, str]:
    """Wall time, CPU time and the summary line of one ``textreuse find`` run."""
    env = dict(os.environ)
    env.pop("TEXTREUSE_EMBED_CACHE", None)
    if cache is not None:
        env["TEXTREUSE_EMBED_CACHE"] = str(cache)
    cmd = [sys.executable, "-m", "textreuse", "find", str(pages), "--out", str(out), "--mode", mode]
    start, cpu = time.perf_counter(), children_cpu()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    wall, cpu = time.perf_counter() - start, children_cpu() - cpu
    summary = next((line for line in proc.stdout.splitlines() if "candidate pairs" in line), "")
    return wall, cpu, re.sub(r" -> .*?;", ";", summary).split(" -> ")[0]


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
    base: tuple[float, float] | None = None
    print(f"{args.pages} chronam pages ({pages.stat().st_size / 1e6:.1f} MB); wall, then CPU")
    for label, mode, folder in runs:
        wall, cpu, summary = run_find(pages, args.out / label.split(",")[0].replace(" ", "-"), mode, folder)
        base = base or (wall, cpu)
        print(
            f"  {label:<17} {wall:7.1f} s  x{wall / base[0]:5.2f}  CPU {cpu:7.1f} s  x{cpu / base[1]:5.2f}  {summary}",
            flush=True,
        )


if __name__ == "__main__":
    main()
