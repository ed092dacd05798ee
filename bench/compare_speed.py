"""Seconds per pair for two ~1,000-word documents, lexical vs full mode, model loaded.

Usage: .venv/bin/python bench/compare_speed.py

The documents are built from the bundled demo corpus (two overlapping runs
of wire stories), so the pair shares real passages. Reported: wall time of
`compare` in each mode (cold: sentences not yet embedded; warm: embeddings
cached, as in a corpus run where each document is embedded once), and the
ratio full/lexical measured in the same process.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from textreuse import CompareOptions, Document, compare
from textreuse.embed import get_embedder, MiniLMOnnx
from textreuse.segment import sentences


def best_of(n: int, fn) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
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
    print(f"paraphrased pair: {len(pa.split())} + {len(pb.split())} words, {n_sent} sentences: "
          f"full mode, cold: {cold:.3f} s; {result.relation.label}, coverage {result.coverage_a:.0%}")


if __name__ == "__main__":
    main()
