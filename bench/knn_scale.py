"""Cost of the sentence-neighbour candidates (all sentences against all) as the index grows.

Random unit vectors (384 dimensions, stored as float16 like the index's
rows, 8 "sentences" a document) through :func:`textreuse.ann.neighbour_pairs`
with the default settings: time, time per sentence, peak memory.

Usage: ``.venv/bin/python bench/knn_scale.py [N ...]`` (default 25000 100000).
"""

from __future__ import annotations

import resource
import sys
import time

import numpy as np

from textreuse.index.ann import neighbour_pairs


def main(sizes: list[int]) -> None:
    rng = np.random.default_rng(0)
    for n in sizes:
        v = rng.standard_normal((n, 384)).astype(np.float32)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        v = v.astype(np.float16)
        docs = np.arange(n) // 8
        t = time.perf_counter()
        pairs = neighbour_pairs(docs, v)
        s = time.perf_counter() - t
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{n} sentences: {s:.1f} s ({1000 * s / n:.2f} ms a sentence), {len(pairs)} pairs, max RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [25_000, 100_000])
