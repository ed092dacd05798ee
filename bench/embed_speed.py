"""Sentence-embedding speed on this machine: model load time and sentences per second.

Usage (from the repository root):

    python bench/embed_speed.py                      # minilm-onnx, 600 sentences, 1 and 2 threads
    python bench/embed_speed.py -n 2000 --threads 2 --batch-sizes 16 64
    python bench/embed_speed.py --backend minilm-st  # needs torch + sentence-transformers

The sentences are generated from self-written news-style templates (CC0), with
lengths like those of wire copy (about 8 to 50 words), deterministic per seed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from textreuse.embed import (  # noqa: E402
    CachedEmbedder,
    MiniLMOnnx,
    SentenceTransformerEmbedder,
)

WHO = [
    "The city council",
    "Police in the northern district",
    "The health ministry",
    "Shareholders of the regional airline",
    "Opposition lawmakers",
    "The national weather service",
    "Striking rail workers",
    "The central bank",
    "A spokesperson for the hospital",
    "Residents of the old port district",
    "The football club's board",
    "Prosecutors",
]
DID = [
    "approved a budget of 2.5 million crowns for",
    "launched an investigation into",
    "warned of further delays to",
    "voted against plans for",
    "announced new measures to speed up",
    "called for an independent inquiry into",
    "postponed a decision on",
    "signed an agreement on",
    "published a report criticising",
    "said they would appeal the ruling on",
]
WHAT = [
    "the replacement of ageing water mains",
    "the expansion of the container terminal",
    "a new tram line to the airport",
    "the closure of two rural schools",
    "rising energy prices for households",
    "the merger of the two largest regional banks",
    "emergency repairs to the motorway bridge",
    "the sale of the state-owned ferry company",
    "waiting times in hospital emergency departments",
    "a controversial wind farm off the coast",
]
WHEN = [
    "on Monday",
    "late on Tuesday night",
    "after a four-hour meeting",
    "earlier this week",
    "for the second time this year",
    "on Friday morning",
    "",
]
TAIL = [
    "according to a statement released after the meeting",
    "officials said",
    "amid growing criticism from local businesses",
    "despite warnings that costs could double",
    "in a move that surprised many analysts",
    "",
]
EXTRA = [
    "The decision follows months of protests by residents who say the plans were drawn up without consultation.",
    "No injuries were reported.",
    "A final vote is expected before the summer recess.",
    "Critics said the figures did not add up and called on the minister to publish the full calculations.",
    "The company declined to comment.",
    "About 4,000 homes were affected, the utility said, and supply should return by Wednesday evening.",
]


def news_sentences(n: int, seed: int = 7) -> list[str]:
    """``n`` distinct-looking news sentences of realistic, varied length."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = [rng.choice(WHO), rng.choice(DID), rng.choice(WHAT)]
        when, tail = rng.choice(WHEN), rng.choice(TAIL)
        s = " ".join(p for p in parts + [when] if p)
        if tail:
            s += ", " + tail
        s += "."
        if rng.random() < 0.5:  # make most sentences unique, as in a real corpus
            s = s[:-1] + f", one of {rng.randint(2, 90)} similar cases since {rng.randint(1990, 2025)}."
        if rng.random() < 0.3:
            s += " " + rng.choice(EXTRA)
        out.append(s)
    return out


Backend = MiniLMOnnx | SentenceTransformerEmbedder


def time_load(backend: str, threads: int) -> tuple[float, Backend]:
    t = time.perf_counter()
    emb: Backend = (
        MiniLMOnnx(threads=threads) if backend == "minilm-onnx" else SentenceTransformerEmbedder(threads=threads)
    )
    emb.load()
    return time.perf_counter() - t, emb


def cold_start(backend: str) -> float:
    """Seconds for a fresh Python process to import textreuse.embed, load the model, embed one sentence."""
    code = (
        "import time; t=time.perf_counter(); from textreuse.embed import get_embedder; "
        f"get_embedder({backend!r}).encode(['A bakery opened downtown.']); print(time.perf_counter()-t)"
    )
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=600, help="sentences per measurement (default 600)")
    ap.add_argument("--backend", default="minilm-onnx", choices=["minilm-onnx", "minilm-st"])
    ap.add_argument("--threads", type=int, nargs="+", default=sorted({1, os.cpu_count() or 1}))
    ap.add_argument("--batch-sizes", type=int, nargs="+", default=[1, 8, 32, 64, 128])
    ap.add_argument("--repeat", type=int, default=1, help="best of this many runs (default 1)")
    args = ap.parse_args()

    sentences = news_sentences(args.n)
    words = [len(s.split()) for s in sentences]
    print(f"backend {args.backend} on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(
        "load average before: {:.2f} {:.2f} {:.2f} (other work on the machine slows every figure)".format(
            *os.getloadavg()
        )
    )
    print(
        f"{len(sentences)} sentences: {statistics.mean(words):.1f} words on average "
        f"(min {min(words)}, max {max(words)}), {len(set(sentences))} distinct"
    )
    print(f"cold start (new process: import, load, embed 1 sentence): {cold_start(args.backend):.2f} s")
    print()
    print("sent/s: wall clock; cpu ms/sent: process CPU time per sentence (less sensitive to other load)")
    print(f"{'threads':>7} {'load s':>7} {'batch':>6} {'sent/s':>8} {'ms/sent':>8} {'cpu ms/sent':>12}")
    for threads in args.threads:
        load_s, emb = time_load(args.backend, threads)
        emb.encode(sentences[:8])  # warm-up
        for bs in args.batch_sizes:
            emb.batch_size = bs
            subset = sentences if bs > 1 else sentences[: max(1, args.n // 10)]  # batch 1 is slow
            wall, cpu = min(_timed(emb, subset) for _ in range(args.repeat))
            rate = len(subset) / wall
            print(
                f"{threads:>7} {load_s:>7.2f} {bs:>6} {rate:>8.1f} {1000 / rate:>8.2f}"
                f" {1000 * cpu / len(subset):>12.2f}"
            )
    cached = CachedEmbedder(emb)
    first, _ = _timed(cached, sentences)
    again, _ = _timed(cached, sentences)
    print()
    print(
        f"CachedEmbedder, batch {emb.batch_size}: first pass {len(sentences) / first:.0f} sent/s, "
        f"repeat pass {len(sentences) / again:.0f} sent/s ({len(cached.cache)} cached rows)"
    )
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


def _timed(emb: Backend | CachedEmbedder, sentences: list[str]) -> tuple[float, float]:
    """(wall seconds, process CPU seconds) to embed ``sentences``."""
    t, c = time.perf_counter(), time.process_time()
    emb.encode(sentences)
    return time.perf_counter() - t, time.process_time() - c


if __name__ == "__main__":
    main()
