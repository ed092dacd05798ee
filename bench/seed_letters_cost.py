"""What letter strings as anchors (``FindOptions.seed_letters``) cost: `find --db` with and without them, one script.

Runs ``textreuse find --db DB --mode lexical`` on each index given, in turns:
with the default options, then with ``seed_letters = 0`` (3-grams only, a
``--config`` file written here), ``--rounds`` times, each run on a fresh copy
of the index. Prints each run's wall and CPU time (user + system of ``find``
and its workers) and the ratios of the medians, with the pairs found.

    .venv/bin/python bench/seed_letters_cost.py /tmp/planted13/reuse.db /tmp/p300.db --rounds 2
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished children and their own children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_find(db: Path, work: Path, config: Path | None, skip_same_source: bool) -> tuple[float, float, str]:
    """Wall time, CPU time and the summary line of one ``find --db`` run on a copy of ``db``."""
    copy = work / "reuse.db"
    shutil.copyfile(db, copy)
    cmd = [
        sys.executable,
        "-m",
        "textreuse",
        "find",
        "--db",
        str(copy),
        "--out",
        str(work / "out"),
        "--mode",
        "lexical",
    ]
    cmd += ["--skip-same-source"] if skip_same_source else []
    cmd += ["--config", str(config)] if config else []
    cpu, t0 = children_cpu(), time.perf_counter()
    got = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ))
    wall, cpu = time.perf_counter() - t0, children_cpu() - cpu
    if got.returncode != 0:
        raise SystemExit(got.stderr)
    summary = re.search(r"(\d[\d,]*) candidate pairs, (\d[\d,]*) pairs share text", got.stdout + got.stderr)
    return wall, cpu, summary.group(0) if summary else "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dbs", nargs="+", type=Path, help="indexes (`textreuse index add`)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument(
        "--skip-same-source", action="store_true", help="as on newspaper pages (passim's cross-series pairs)"
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        off = Path(tmp) / "off.toml"
        off.write_text("[find]\nseed_letters = 0\n", encoding="utf-8")
        for db in args.dbs:
            times: dict[str, list[tuple[float, float]]] = {"letters": [], "3-grams only": []}
            for r in range(args.rounds):
                for name, config in (("letters", None), ("3-grams only", off)):
                    work = Path(tmp) / f"{db.stem}-{name}-{r}".replace(" ", "_")
                    work.mkdir()
                    wall, cpu, summary = run_find(db, work, config, args.skip_same_source)
                    times[name].append((wall, cpu))
                    print(f"{db} {name:13} round {r + 1}: wall {wall:6.1f} s, CPU {cpu:6.1f} s; {summary}", flush=True)
            w = {k: statistics.median(t[0] for t in v) for k, v in times.items()}
            c = {k: statistics.median(t[1] for t in v) for k, v in times.items()}
            print(
                f"{db}: letters / 3-grams only, medians: wall x{w['letters'] / w['3-grams only']:.2f}, "
                f"CPU x{c['letters'] / c['3-grams only']:.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
