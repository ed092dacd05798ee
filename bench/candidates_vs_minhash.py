"""Candidate generation side by side: textreuse's rare n-grams vs MinHash LSH.

On the planted-reprint corpus of ``bench/planted.py`` (same builder, same
seed), in one process:

* **textreuse**: :func:`textreuse.compare.prepare` on every document (the
  CLI's per-document stages, page junk removed), then
  :func:`textreuse.candidates.candidate_pairs` on the tokens;
* **datasketch** ``MinHashLSH``: word 5-shingles of each text, MinHashes with
  ``num_perm=128`` built by ``MinHash.bulk``, an LSH index at Jaccard
  threshold 0.5 and at 0.3; hashing, inserting and querying timed apart;
* **rensa** (Rust MinHash, optional): the same shingles and thresholds with
  ``RMinHash`` and ``RMinHashLSH`` (bands as datasketch would pick them, among divisors of 128).

For each, per planted kind: the share of planted source–copy pairs that are
candidates, the number of candidate pairs, and seconds; then the ratios to
textreuse. Candidates are only what gets aligned next, so recall is what
matters here; fewer candidates means less alignment work.

Usage (from the repository root, after ``pip install -e '.[bench]'``)::

    .venv/bin/python bench/candidates_vs_minhash.py                 # 300 sources, 5,000 distractors
    .venv/bin/python bench/candidates_vs_minhash.py --sources 50 --distractors 500
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planted import KINDS, REUTERS, Planted, build_corpus, load_reuters  # noqa: E402

_WORD = re.compile(r"\w+")


@dataclass
class Run:
    """One candidate generator's result: its pairs (document indices, i < j) and timings."""

    name: str
    pairs: set[tuple[int, int]]
    times: dict[str, float]

    @property
    def seconds(self) -> float:
        return sum(self.times.values())


def _timed(times: dict[str, float], key: str, fn: Callable[[], object]) -> object:
    start = time.perf_counter()
    value = fn()
    times[key] = time.perf_counter() - start
    return value


def word_shingles(text: str, n: int = 5) -> list[bytes]:
    """Distinct word n-grams of a text (case-folded), as bytes for hashing.

    >>> word_shingles("A b c d e f", n=5)
    [b'a b c d e', b'b c d e f']
    """
    words = [w.casefold() for w in _WORD.findall(text)]
    grams = dict.fromkeys(" ".join(words[i : i + n]) for i in range(max(1, len(words) - n + 1)))
    return [g.encode() for g in grams]


def run_textreuse(texts: Sequence[str], ids: Sequence[str]) -> Run:
    """textreuse's candidate stage as ``textreuse find`` runs it."""
    from textreuse.compare import prepare
    from textreuse.index.candidates import candidate_pairs
    from textreuse.text.junk import RepeatedLines
    from textreuse.types import Document

    times: dict[str, float] = {}

    def prep() -> list:
        repeated = RepeatedLines(min_docs=max(3, len(texts) // 50))
        for t in texts:
            repeated.add(t)
        return [prepare(Document(i, t), repeated=repeated) for i, t in zip(ids, texts)]

    prepared = _timed(times, "prepare", prep)
    found = _timed(times, "candidates", lambda: candidate_pairs([p.tokens for p in prepared]))  # type: ignore[attr-defined]
    return Run("textreuse", {(i, j) for i, j, _ in found}, times)  # type: ignore[attr-defined]


def _pairs_from_neighbours(neighbours: Sequence[Sequence[int]]) -> set[tuple[int, int]]:
    return {(min(i, j), max(i, j)) for i, near in enumerate(neighbours) for j in near if i != j}


def run_datasketch(shingles: Sequence[list[bytes]], thresholds: Sequence[float], num_perm: int = 128) -> list[Run]:
    """datasketch MinHash (bulk) + one MinHashLSH per threshold; hashing is shared and timed once."""
    from datasketch import MinHash, MinHashLSH

    hash_times: dict[str, float] = {}
    hashes = _timed(hash_times, "hash", lambda: MinHash.bulk(shingles, num_perm=num_perm, seed=1))
    runs = []
    for threshold in thresholds:
        times = dict(hash_times)
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)

        def insert(lsh: Any = lsh) -> None:
            with lsh.insertion_session() as session:
                for i, m in enumerate(hashes):  # type: ignore[attr-defined]
                    session.insert(i, m, check_duplication=False)

        _timed(times, "insert", insert)
        near = _timed(times, "query", lambda lsh=lsh: [lsh.query(m) for m in hashes])  # type: ignore[attr-defined]
        runs.append(Run(f"datasketch t={threshold}", _pairs_from_neighbours(near), times))  # type: ignore[arg-type]
    return runs


def rensa_bands(threshold: float, num_perm: int) -> int:
    """Band count for rensa: datasketch's error criterion, over band counts that divide ``num_perm``.

    >>> rensa_bands(0.5, 128), rensa_bands(0.3, 128)
    (32, 32)
    """
    from datasketch.lsh import _false_negative_probability, _false_positive_probability

    def error(b: int) -> float:
        r = num_perm // b
        return _false_positive_probability(threshold, b, r) + _false_negative_probability(threshold, b, r)

    return min((b for b in range(1, num_perm + 1) if num_perm % b == 0), key=error)


def run_rensa(shingles: Sequence[list[bytes]], thresholds: Sequence[float], num_perm: int = 128) -> list[Run]:
    """rensa RMinHash + RMinHashLSH, with datasketch's band choice restricted to divisors of ``num_perm``."""
    from rensa import RMinHash, RMinHashLSH

    hash_times: dict[str, float] = {}
    token_sets = [[g.decode() for g in s] for s in shingles]
    hashes = _timed(hash_times, "hash", lambda: RMinHash.from_token_sets(token_sets, num_perm, 1))
    runs = []
    seen: set[int] = set()
    for threshold in thresholds:
        times = dict(hash_times)
        bands = rensa_bands(threshold, num_perm)
        if bands in seen:  # another threshold gave the same banding: the same index
            continue
        seen.add(bands)
        lsh = RMinHashLSH(threshold, num_perm, bands)
        _timed(times, "insert", lambda lsh=lsh: lsh.insert_many(hashes, 0))
        near = _timed(times, "query", lambda lsh=lsh: lsh.query_all(hashes))
        runs.append(Run(f"rensa b={bands} r={num_perm // bands}", _pairs_from_neighbours(near), times))  # type: ignore[arg-type]
    return runs


def planted_pairs(planted: Planted, index: dict[str, int]) -> dict[str, set[tuple[int, int]]]:
    """Source–copy pairs per kind, as sorted document-index pairs."""
    out: dict[str, set[tuple[int, int]]] = {k: set() for k in KINDS}
    for t in planted.truth:
        if t["kind"] != "source":
            i, j = index[t["id"]], index[t["family"]]
            out[t["kind"]].add((min(i, j), max(i, j)))
    return out


def report(runs: Sequence[Run], truth: dict[str, set[tuple[int, int]]]) -> None:
    """Print recall per kind, candidate counts, seconds and the ratios to the first run."""
    base = runs[0]
    every = set().union(*truth.values())
    head = (
        f"{'generator':<22}"
        + "".join(f"{k:>9}" for k in KINDS)
        + f"{'all':>9}{'candidates':>11}{'seconds':>9}{'time x':>8}{'recall x':>9}"
    )
    print(head)
    print("-" * len(head))
    base_recall = len(every & base.pairs) / len(every)
    for r in runs:
        recalls = [len(truth[k] & r.pairs) / len(truth[k]) for k in KINDS]
        total = len(every & r.pairs) / len(every)
        print(
            f"{r.name:<22}" + "".join(f"{x:>9.4f}" for x in recalls) + f"{total:>9.4f}{len(r.pairs):>11}"
            f"{r.seconds:>9.2f}{r.seconds / base.seconds:>8.2f}{total / base_recall:>9.3f}"
        )
    print(
        "\nseconds by step: "
        + "; ".join(f"{r.name}: " + ", ".join(f"{k} {v:.2f}" for k, v in r.times.items()) for r in runs)
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sources", type=int, default=300)
    ap.add_argument("--distractors", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--thresholds", type=float, nargs="+", default=[0.5, 0.3])
    ap.add_argument("--no-rensa", action="store_true", help="skip rensa even when it is installed")
    ap.add_argument("--reuters", type=Path, default=REUTERS)
    args = ap.parse_args(argv)

    planted = build_corpus(load_reuters(args.reuters), args.sources, args.distractors, args.seed)
    texts = [d["text"] for d in planted.docs]
    ids = [d["id"] for d in planted.docs]
    index = {d: i for i, d in enumerate(ids)}
    print(f"corpus: {len(texts)} documents, {planted.params['sources']} sources x {len(KINDS)} planted kinds")
    runs = [run_textreuse(texts, ids)]
    shingle_times: dict[str, float] = {}
    shingles = _timed(shingle_times, "shingle", lambda: [word_shingles(t) for t in texts])
    for r in run_datasketch(shingles, args.thresholds):  # type: ignore[arg-type]
        r.times = {**shingle_times, **r.times}
        runs.append(r)
    if not args.no_rensa:
        try:
            for r in run_rensa(shingles, args.thresholds):  # type: ignore[arg-type]
                r.times = {**shingle_times, **r.times}
                runs.append(r)
        except ImportError:
            print("rensa not installed: skipped")
    report(runs, planted_pairs(planted, index))


if __name__ == "__main__":
    main()
