"""Seconds per pair for two ~1,000-word documents, lexical vs full mode, model loaded.

Usage: nice -n 10 .venv/bin/python bench/compare_speed.py [--repeat N]

The documents are built from the bundled demo corpus (two overlapping runs
of wire stories), so the pair shares real passages. Reported: wall time of
`compare` in each mode (cold: sentences not yet embedded; warm: embeddings
cached, as in a corpus run where each document is embedded once), and the
ratio full/lexical measured in the same process.

Then two pairs of ~1,000-word documents in which the lexical aligner finds
little or nothing, so that full mode embeds (nearly) every sentence of both:
two runs of *different* wire stories (no shared passage: the worst case, all
sentences embedded), and three wire stories against their EN-PT-EN machine
round trips (tests/data/spun). For each: cold wall time and process CPU time
(best of ``--repeat``, the embedding cache emptied before each run), and the
same with the embedder's former batching (sorted by characters, batches
padded to their longest sentence) as a ratio, measured in the same process.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from textreuse import CompareOptions, Document, compare
from textreuse.embed import CachedEmbedder, MiniLMOnnx, get_embedder
from textreuse.text.segment import sentences

sys.path.insert(0, str(Path(__file__).resolve().parent))
from embed_variants import by_characters  # noqa: E402

SPUN = Path(__file__).resolve().parents[1] / "tests" / "data" / "spun"


def best_of(n: int, fn) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def cold_full(da: Document, db: Document, repeat: int) -> tuple[float, float, object]:
    """Best (wall, CPU) seconds of a full-mode compare with no sentence embedded yet."""
    emb = get_embedder()
    assert isinstance(emb, CachedEmbedder)
    best_wall = best_cpu = float("inf")
    result = None
    for _ in range(repeat):
        emb.cache.clear()
        t, c = time.perf_counter(), time.process_time()
        result = compare(da, db)
        best_wall = min(best_wall, time.perf_counter() - t)
        best_cpu = min(best_cpu, time.process_time() - c)
    return best_wall, best_cpu, result


def no_overlap_pairs() -> list[tuple[str, str, str]]:
    """(name, a, b): ~1,000-word pairs that full mode must embed (nearly) whole."""
    wires = sorted(p for p in SPUN.glob("wire-*.txt") if not p.name.endswith(".spun.txt"))
    text = [p.read_text(encoding="utf-8") for p in wires]
    spun = [(SPUN / f"{p.stem}.spun.txt").read_text(encoding="utf-8") for p in wires]
    return [
        (
            "different stories",
            "\n\n".join(text[0:2]) + "\n\n" + text[2][:1200],
            "\n\n".join(text[6:8]) + "\n\n" + text[8][:1200],
        ),
        (
            "original vs round trip",
            "\n\n".join(text[3:5]) + "\n\n" + text[5][:1200],
            "\n\n".join(spun[3:5]) + "\n\n" + spun[5][:1200],
        ),
    ]


def time_no_overlap(repeat: int) -> None:
    emb = get_embedder()
    assert isinstance(emb, CachedEmbedder) and isinstance(emb.inner, MiniLMOnnx)
    inner = emb.inner
    print(
        f"\n1,000-word pairs that need (nearly) every sentence embedded, cold, best of {repeat}; "
        f"{inner.threads} threads; load average {os.getloadavg()[0]:.1f}"
    )
    for name, a, b in no_overlap_pairs():
        da, db = Document("a", a), Document("b", b)
        n_sent = len(sentences(a)) + len(sentences(b))
        wall, cpu, result = cold_full(da, db, repeat)
        inner.encode = by_characters(inner)  # type: ignore[method-assign]  # the former batching
        try:
            old_wall, old_cpu, _ = cold_full(da, db, repeat)
        finally:
            del inner.encode
        print(
            f"{name}: {len(a.split())} + {len(b.split())} words, {n_sent} sentences, "
            f"{len(emb.cache)} embedded; {result.relation.label}, coverage {result.coverage_a:.0%}"
        )
        print(
            f"  full mode, cold: {wall:.3f} s wall, {cpu:.3f} s CPU ({n_sent / wall:.0f} sentences/s); "
            f"former batching: {old_wall:.3f} s wall, {old_cpu:.3f} s CPU; "
            f"ratio now/former: wall {wall / old_wall:.2f}, CPU {cpu / old_cpu:.2f}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="best of this many cold runs (default 3)")
    args = ap.parse_args()
    corpus = Path(__file__).resolve().parents[1] / "demo" / "corpus.jsonl"
    docs = [json.loads(line) for line in corpus.open(encoding="utf-8")]
    wires = [d["text"] for d in docs if d["id"].startswith("wire-")]
    a = "\n\n".join(wires[0:2]) + "\n\n" + wires[2][:1200]
    b = "\n\n".join(wires[1:3]) + "\n\n" + wires[3][:1200]
    da, db = Document("a", a), Document("b", b)
    n_sent = len(sentences(a)) + len(sentences(b))
    print(f"a: {len(a.split())} words, b: {len(b.split())} words, {n_sent} sentences")
    get_embedder().encode(["load the model"])
    lexical = best_of(5, lambda: compare(da, db, CompareOptions(mode="lexical")))
    bare = MiniLMOnnx()
    bare.encode(["load"])
    t = time.perf_counter()
    bare.encode([a[s:e] for s, e in sentences(a)] + [b[s:e] for s, e in sentences(b)])
    embed_time = time.perf_counter() - t
    t = time.perf_counter()
    compare(da, db)  # cold: embeds every sentence once
    cold = time.perf_counter() - t
    warm = best_of(5, lambda: compare(da, db))
    print(f"lexical mode:       {lexical:.3f} s")
    print(f"full mode, cold:    {cold:.3f} s   ({n_sent / embed_time:.0f} sentences/s embedded)")
    print(f"full mode, warm:    {warm:.3f} s   (sentence embeddings cached)")
    print(f"ratio full(cold)/lexical: {cold / lexical:.0f}x; full(warm)/lexical: {warm / lexical:.1f}x")
    # A pair with little word overlap: originals against their hand-written spun copies.
    spun_ids = {"coastal-daily-digest", "global-news-roundup", "world-briefing-today"}
    spun = [d for d in docs if any(d["id"].startswith(p) for p in spun_ids)]
    originals = {d["id"]: d["text"] for d in docs}
    truth = [json.loads(line) for line in (corpus.parent / "truth.jsonl").open(encoding="utf-8")]
    source_of = {t["b"]: t["a"] for t in truth}
    pa = "\n\n".join(originals[source_of[d["id"]]] for d in spun)
    pb = "\n\n".join(d["text"] for d in spun)
    da, db = Document("originals", pa), Document("spun", pb)
    n_sent = len(sentences(pa)) + len(sentences(pb))
    t = time.perf_counter()
    result = compare(da, db)
    cold = time.perf_counter() - t
    print(
        f"paraphrased pair: {len(pa.split())} + {len(pb.split())} words, {n_sent} sentences: "
        f"full mode, cold: {cold:.3f} s; {result.relation.label}, coverage {result.coverage_a:.0%}"
    )
    time_no_overlap(args.repeat)


if __name__ == "__main__":
    main()
