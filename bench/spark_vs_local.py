"""The Spark engine against the local engine: same command, same corpus, wall time and ratio.

Reads ``../shared/data/chronam-1916`` (OCR'd front pages, public domain) at
run time, writes a seeded random sample of its pages to ``--out`` (never
into the repository), and runs, as a user would,

    textreuse find SAMPLE.jsonl --out DIR/local --mode lexical                  (index + process pool)
    textreuse find SAMPLE.jsonl --out DIR/spark --mode lexical --engine spark --spark-master local[2]

timing each command (Spark's includes starting its JVM), then checks that
both wrote the same pairs.jsonl and families.jsonl. Per size it prints the
candidate pairs, both times, their ratio, Spark's milliseconds per candidate
pair (flat when Spark's cost grows with the work, not faster) and Spark's
stage lines (``spark: ... in S s`` on its stderr).

    .venv/bin/python bench/spark_vs_local.py                       # 10%, 25% and 50% of the pages
    .venv/bin/python bench/spark_vs_local.py --fractions 0.1,0.25,0.5,1 --master local[2]
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "data" / "chronam-1916" / "chronam-1916-01-02-frontpages.jsonl.gz"


def timed(cmd: list[str]) -> tuple[float, str, str]:
    """Run a command; its wall time, stdout and stderr."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return wall, proc.stdout, proc.stderr


def spark_output(out: Path, name: str) -> bytes:
    """What the Spark engine wrote as ``name``: ``NAME.jsonl``, or its part files (``NAME/part-*``) in order."""
    single = out / f"{name}.jsonl"
    if single.exists():
        return single.read_bytes()
    return b"".join(p.read_bytes() for p in sorted((out / name).glob("part-*")))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fractions", default="0.1,0.25,0.5", help="comma-separated fractions of the pages")
    ap.add_argument("--out", type=Path, default=Path("/tmp/spark-vs-local"))
    ap.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes of the local engine")
    ap.add_argument("--seed", type=int, default=1916)
    args = ap.parse_args()
    if not CORPUS.exists():
        raise SystemExit(f"{CORPUS}: not found (this benchmark reads ../shared/data/chronam-1916)")
    textreuse = str(Path(sys.executable).with_name("textreuse"))
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        lines = fh.readlines()
    print(
        f"== chronam-1916 sample; mode lexical; {os.cpu_count()} cores; local --jobs {args.jobs}; "
        f"spark --spark-master {args.master}"
    )
    header = (
        f"{'fraction':>8} {'pages':>6} {'candidates':>10} {'pairs':>7} {'local s':>8} {'spark s':>8} "
        f"{'spark/local':>11} {'spark ms/cand':>13} same"
    )
    print(header)
    print("-" * len(header))
    for fraction in (float(f) for f in args.fractions.split(",")):
        folder = args.out / f"{fraction:g}"
        folder.mkdir(parents=True, exist_ok=True)
        rng = random.Random(args.seed)
        part = [lines[i] for i in sorted(rng.sample(range(len(lines)), round(fraction * len(lines))))]
        corpus = folder / "pages.jsonl"
        corpus.write_text("".join(part), encoding="utf-8")
        common = ["find", str(corpus), "--mode", "lexical"]
        t_local, out, _ = timed([textreuse, *common, "--out", str(folder / "local"), "--jobs", str(args.jobs)])
        t_spark, _, err = timed(
            [textreuse, *common, "--out", str(folder / "spark"), "--engine", "spark", "--spark-master", args.master]
        )
        candidates = out.split(" candidate pairs")[0].rsplit(",", 1)[-1].strip()
        same = all(
            (folder / "local" / f"{n}.jsonl").read_bytes() == spark_output(folder / "spark", n)
            for n in ("pairs", "families")
        )
        pairs = sum(1 for _ in open(folder / "local" / "pairs.jsonl", encoding="utf-8"))
        print(
            f"{fraction:>8g} {len(part):>6} {candidates:>10} {pairs:>7} {t_local:>8.1f} {t_spark:>8.1f} "
            f"{t_spark / t_local:>11.2f} {1000 * t_spark / max(1, int(candidates)):>13.2f} {'yes' if same else 'NO'}",
            flush=True,
        )
        for line in err.splitlines():
            if line.startswith("spark: "):
                print(f"{'':>8} {line}", flush=True)


if __name__ == "__main__":
    main()
