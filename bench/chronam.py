"""Corpus scale on real newspaper pages: index + find on chronam-1916, a scaling curve, query latency.

Reads ``../shared/data/chronam-1916`` (4,492 OCR'd front pages, about 100 M
characters; public domain) at run time. For each fraction of the corpus
(a seeded random sample of pages) it runs, as a user would,

    textreuse index add SAMPLE.jsonl --db DIR/F/reuse.db
    textreuse find --db DIR/F/reuse.db --out DIR/F/found --mode lexical

timing each command and sampling the resident memory of its whole process
tree (the command and its worker processes) every 0.2 s. Then it opens the
largest index once with :class:`textreuse.corpus.query.Query` and times queries:
article-sized excerpts (3,000 characters) of random pages under new ids,
and whole pages.

    .venv/bin/python bench/chronam.py                        # 10%, 25%, 50%, 100%
    .venv/bin/python bench/chronam.py --fractions 0.1 --queries 50
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "data" / "chronam-1916" / "chronam-1916-01-02-frontpages.jsonl.gz"


def tree_rss(pid: int) -> int:
    """Memory, in bytes, of a process and all its descendants (Linux /proc).

    Proportional set size (PSS): pages shared by several processes (the
    worker processes are forked from the command) are counted once in all.
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except OSError:
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


def run_measured(cmd: list[str]) -> tuple[float, int, str]:
    """Run a command; return wall seconds, peak resident bytes of its process tree, and its stdout."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.2)
    out = proc.stdout.read() if proc.stdout else ""
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed with status {proc.returncode}")
    return wall, peak, out


def sample(lines: list[str], fraction: float, seed: int) -> list[str]:
    if fraction >= 1:
        return lines
    rng = random.Random(seed)
    return [lines[i] for i in sorted(rng.sample(range(len(lines)), round(fraction * len(lines))))]


def count_lines(path: Path) -> int:
    with open(path, encoding="utf-8") as fh:
        return sum(1 for _ in fh)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fractions", default="0.1,0.25,0.5,1", help="comma-separated fractions of the corpus")
    ap.add_argument("--out", type=Path, default=Path("out/chronam"))
    ap.add_argument("--mode", choices=["lexical", "full"], default="lexical")
    ap.add_argument("--queries", type=int, default=200, help="queries of each kind against the largest index")
    ap.add_argument("--seed", type=int, default=1916)
    args = ap.parse_args()
    if not CORPUS.exists():
        raise SystemExit(f"{CORPUS}: not found (this benchmark reads ../shared/data/chronam-1916)")
    textreuse = str(Path(sys.executable).with_name("textreuse"))
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        lines = fh.readlines()
    fractions = [float(f) for f in args.fractions.split(",")]
    print(f"== chronam-1916: {len(lines)} pages; mode {args.mode}; {os.cpu_count()} cores")
    header = (
        f"{'fraction':>8} {'pages':>6} {'M chars':>8} {'index s':>8} {'index MiB':>9} {'find s':>7} "
        f"{'find MiB':>8} {'total s':>8} {'candidates':>10} {'pairs':>7} {'families':>8}"
    )
    print(header)
    print("-" * len(header))
    rows = []
    db = None
    for fraction in fractions:
        folder = args.out / f"{fraction:g}"
        folder.mkdir(parents=True, exist_ok=True)
        part = sample(lines, fraction, args.seed)
        corpus = folder / "pages.jsonl"
        corpus.write_text("".join(part), encoding="utf-8")
        chars = sum(len(json.loads(line)["text"]) for line in part)
        db = folder / "reuse.db"
        for stale in folder.glob("reuse.db*"):
            stale.unlink()
        t_index, m_index, _ = run_measured([textreuse, "index", "add", str(corpus), "--db", str(db)])
        t_find, m_find, out = run_measured(
            [textreuse, "find", "--db", str(db), "--out", str(folder / "found"), "--mode", args.mode]
        )
        candidates = int(out.split(" candidate pairs")[0].rsplit(",", 1)[-1].strip().replace(",", ""))
        pairs = count_lines(folder / "found" / "pairs.jsonl")
        families = count_lines(folder / "found" / "families.jsonl")
        rows.append((fraction, len(part), chars, t_index, m_index, t_find, m_find, candidates, pairs, families))
        print(
            f"{fraction:>8g} {len(part):>6} {chars / 1e6:>8.1f} {t_index:>8.1f} {m_index / 2**20:>9.0f} "
            f"{t_find:>7.1f} {m_find / 2**20:>8.0f} {t_index + t_find:>8.1f} {candidates:>10} {pairs:>7} "
            f"{families:>8}",
            flush=True,
        )
    if len(rows) > 1:
        base = rows[0]
        print("\nscaling against the smallest run (linear would be the page ratio):")
        for r in rows[1:]:
            print(
                f"  x{r[1] / base[1]:.1f} pages: index x{r[3] / base[3]:.1f}, find x{r[5] / base[5]:.1f}, "
                f"total x{(r[3] + r[5]) / (base[3] + base[5]):.1f}, candidates x{r[7] / max(1, base[7]):.1f}"
            )
    if db is None or args.queries <= 0:
        return
    from textreuse.compare import CompareOptions
    from textreuse.corpus.query import Query
    from textreuse.types import Document

    rng = random.Random(args.seed + 1)
    t0 = time.perf_counter()
    q = Query(db, CompareOptions(mode=args.mode))
    opened = time.perf_counter() - t0
    picked = [json.loads(line) for line in rng.sample(lines, args.queries)]
    for label, make in (
        ("3,000-char excerpt", lambda d, k: Document(f"query-{k}", _excerpt(d["text"], rng))),
        ("whole front page", lambda d, k: Document(f"query-{k}", d["text"])),
    ):
        times, found = [], 0
        for k, page in enumerate(picked):
            doc = make(page, k)
            t = time.perf_counter()
            results = q.ask(doc)
            times.append(time.perf_counter() - t)
            found += bool(results)
        times.sort()
        p50 = statistics.median(times)
        p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
        print(
            f"query, {label}: {len(times)} queries against {len(q.store)} pages (index opened in {opened:.2f} s): "
            f"p50 {1000 * p50:.0f} ms, p99 {1000 * p99:.0f} ms, mean {1000 * statistics.mean(times):.0f} ms; "
            f"{found} matched at least one indexed page"
        )
    q.close()


def _excerpt(text: str, rng: random.Random, size: int = 3000) -> str:
    if len(text) <= size:
        return text
    start = rng.randrange(0, len(text) - size)
    return text[start : start + size]


if __name__ == "__main__":
    main()
