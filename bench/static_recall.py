"""Sentence-level recall of the static embedder on round-trip translations, against MiniLM.

Each sentence (5+ content words) of the 12 round-trip-translated wire
stories of tests/data/spun is searched among the sentences of the 12
originals and of Reuters distractor stories (``--reuters-lines A:B``, read at
run time from ../shared/data); it is found when its nearest sentence is one
of its own original's. Prints that share, the cosines of the own best match
and of the best distractor, for ``minilm-static`` and (with ``--minilm``) for
MiniLM itself.

    .venv/bin/python bench/static_recall.py --reuters-lines 0:1000 --minilm   # tuned on
    .venv/bin/python bench/static_recall.py --reuters-lines 10000:14000       # held out
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
import warnings
from pathlib import Path

import numpy as np

from textreuse.embed import get_embedder
from textreuse.embed.static import StaticEmbedder
from textreuse.prepare import prepare, with_sentences
from textreuse.types import Document

REPO = Path(__file__).resolve().parent.parent
SPUN = REPO / "tests" / "data" / "spun"
REUTERS = REPO.parent / "shared" / "data" / "reuters21578" / "reuters21578.jsonl.gz"


def sentences(text: str) -> list[str]:
    """Sentences of 5 or more distinct content words (as the neighbour candidates take them)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = with_sentences(prepare(Document("x", text)))
    return [text[s:e] for (s, e), w in zip(p.sentences or [], p.sentence_words or []) if len(w) >= 5]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reuters-lines", default="0:1000", help="A:B, the Reuters stories used as distractors")
    ap.add_argument("--minilm", action="store_true", help="also MiniLM (minutes)")
    args = ap.parse_args(argv)
    lo, hi = (int(x) for x in args.reuters_lines.split(":"))
    originals, spun, distractors = [], [], []
    for path in sorted(SPUN.glob("wire-*.spun.txt")):
        name = path.name[: -len(".spun.txt")]
        originals += [(name, s) for s in sentences((SPUN / f"{name}.txt").read_text("utf-8"))]
        spun += [(name, s) for s in sentences(path.read_text("utf-8"))]
    with gzip.open(REUTERS, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if lo <= n < hi:
                distractors += [(f"r{n}", s) for s in sentences(json.loads(line)["text"])]
    pool = originals + distractors
    print(f"{len(spun)} translated sentences; {len(originals)} original and {len(distractors)} distractor sentences")
    models = [("minilm-static", StaticEmbedder())] + (
        [("minilm-onnx", get_embedder(cached=False))] if args.minilm else []
    )
    for name, model in models:
        start = time.perf_counter()
        rows_p, rows_s = model.encode([s for _, s in pool]), model.encode([s for _, s in spun])
        secs = time.perf_counter() - start
        cos = rows_s @ rows_p.T
        found = np.mean([pool[j][0] == spun[i][0] for i, j in enumerate(cos.argmax(axis=1))])
        own = [cos[i, [j for j, (k, _) in enumerate(originals) if k == spun[i][0]]].max() for i in range(len(spun))]
        other = cos[:, len(originals) :].max(axis=1)
        print(
            f"  {name:<14} nearest is its own original's: {found:.3f}; own best cosine p10 {np.percentile(own, 10):.3f}, "
            f"median {np.median(own):.3f}; best distractor median {np.median(other):.3f}, p99 "
            f"{np.percentile(other, 99):.3f}; {len(pool) + len(spun)} sentences in {secs:.1f} s"
        )


if __name__ == "__main__":
    main()
