"""Sentence-pair accuracy and F1 of the semantic match score on MSRP (train part).

Usage: .venv/bin/python bench/msrp.py [PATH]   (default ../shared/data/msrp/msr_paraphrase_train.txt)

For every pair, the score used by the semantic aligner is computed
(cosine of the MiniLM embeddings + evidence_weight * (shared-word evidence - 0.5)),
then accuracy and F1 of "score >= threshold" against the human label are
reported for the aligner's thresholds and for the best threshold found.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from textreuse.align.semantic import SemanticOptions, sentence_evidence
from textreuse.compare import prepare
from textreuse.embed import get_embedder
from textreuse.text.segment import STOPWORDS


def load(path: Path) -> tuple[list[int], list[str], list[str]]:
    labels, s1, s2 = [], [], []
    with open(path, encoding="utf-8-sig") as fh:
        next(fh)
        for line in fh:
            parts = line.rstrip("\r\n").split("\t")
            if len(parts) != 5:
                continue
            labels.append(int(parts[0]))
            s1.append(parts[3])
            s2.append(parts[4])
    return labels, s1, s2


def words(sentence: str) -> dict[str, float]:
    toks = prepare(sentence, junk=False).tokens
    bag: dict[str, float] = {}
    for k, (key, start) in enumerate(zip(toks.keys, toks.starts)):
        if key in STOPWORDS or (len(key) < 2 and not key.isdigit()):
            continue
        w = 2.0 if any(c.isdigit() for c in key) or (k > 0 and sentence[start].isupper()) else 1.0
        bag[key] = max(bag.get(key, 0.0), w)
    return bag


def scores_at(y: np.ndarray, s: np.ndarray, t: float) -> tuple[float, float]:
    pred = s >= t
    tp = float(np.sum(pred & (y == 1)))
    fp = float(np.sum(pred & (y == 0)))
    fn = float(np.sum(~pred & (y == 1)))
    acc = float(np.mean(pred == (y == 1)))
    f1 = 2 * tp / max(1.0, 2 * tp + fp + fn)
    return acc, f1


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/msrp/msr_paraphrase_train.txt")
    labels, s1, s2 = load(path)
    y = np.array(labels)
    emb = get_embedder(cached=False)
    emb.encode(["warm up"])
    t = time.perf_counter()
    e1 = emb.encode(s1)
    e2 = emb.encode(s2)
    elapsed = time.perf_counter() - t
    cos = np.sum(e1 * e2, axis=1)
    opt = SemanticOptions()
    ev = np.array([sentence_evidence([words(a)], [words(b)])[0, 0] for a, b in zip(s1, s2)])
    combined = cos + opt.evidence_weight * (ev - 0.5)
    print(
        f"{len(y)} pairs ({y.mean():.1%} paraphrases); embedded {2 * len(y)} sentences in {elapsed:.1f} s "
        f"({2 * len(y) / elapsed:.0f} sentences/s)"
    )
    print(f"{'score':10s} {'threshold':>9s} {'accuracy':>9s} {'F1':>6s}")
    for name, s in (("cosine", cos), ("combined", combined)):
        for t_ in (opt.support_threshold, opt.threshold):
            acc, f1 = scores_at(y, s, t_)
            print(f"{name:10s} {t_:9.2f} {acc:9.3f} {f1:6.3f}")
        grid = np.arange(0.3, 1.0, 0.01)
        best = max(grid, key=lambda t_: scores_at(y, s, t_)[0])
        acc, f1 = scores_at(y, s, best)
        print(f"{name:10s} {best:9.2f} {acc:9.3f} {f1:6.3f}   (best accuracy)")
    print(f"majority baseline accuracy: {max(y.mean(), 1 - y.mean()):.3f}")


if __name__ == "__main__":
    main()
