"""Fit the confidence model (``src/textreuse/data/confidence.json``) and print its reliability on held-out data.

Two steps:

``gather``  compare labelled pairs with this tree's code and cache the
            comparisons (``bench/confidence_data.py`` says which and how they
            are labelled) in ``--cache`` (one JSONL file per source and split).
            Rerun it when the engine reports other passages (minutes).
``fit``     read the cache, fit the passage model, then the pair model (L2
            logistic regression, Newton steps, numpy), write the model file,
            and print on the held-out part: a reliability table (bins of
            predicted confidence: count, mean predicted, observed share of
            reused), Brier score, expected calibration error (ECE) and the
            ROC AUC beside that of coverage alone. ``--svg`` draws the pair
            reliability diagram. Seconds.

Usage (from the repository root)::

    PYTHONPATH=src .venv/bin/python bench/fit_confidence.py gather --cache /tmp/conf --embed-cache /tmp/emb
    PYTHONPATH=src .venv/bin/python bench/fit_confidence.py fit --cache /tmp/conf --svg docs/img/confidence-reliability.svg
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import confidence_data as cd  # noqa: E402
from textreuse.confidence import ConfidenceModel, LogisticModel, pair_features, passage_features  # noqa: E402
from textreuse.types import Passage  # noqa: E402

MODEL = cd.REPO / "src" / "textreuse" / "data" / "confidence.json"
BINS = 10


# ------------------------------------------------------------------ gather


def gather(args: argparse.Namespace) -> None:
    args.cache.mkdir(parents=True, exist_ok=True)
    modes = args.modes.split(",")
    work = args.cache / "work"
    fit_seeds = [int(x) for x in args.fit_seeds.split(",")]
    held_seeds = [int(x) for x in args.held_out_seeds.split(",")]
    planted = (args.planted, args.planted * 8)
    se_size = (args.negatives, 60)

    def same_event(seeds: list[int], split: str) -> Iterator[dict]:
        for seed in seeds:
            yield from cd.same_event_rows(seed, split, modes, work, args.embed_cache, se_size)

    jobs: dict[str, Callable[[], Iterable[dict]]] = {
        "planted-fit": lambda: cd.planted_rows(13, "fit", modes, work, args.embed_cache, planted),
        "planted-held-out": lambda: cd.planted_rows(99, "held-out", modes, work, args.embed_cache, planted),
        "same-event-fit": lambda: same_event(fit_seeds, "fit"),
        "same-event-held-out": lambda: same_event(held_seeds, "held-out"),
        "pan": lambda: cd.pan_rows(modes, args.embed_cache, args.pan),
        "msrp": lambda: cd.msrp_rows(args.embed_cache, args.msrp) if "full" in modes else iter(()),
    }
    for name, job in jobs.items():
        if not any(name.startswith(s) for s in args.sources.split(",")):
            continue
        start = time.perf_counter()
        rows = list(job())
        with open(args.cache / f"{name}-{'-'.join(modes)}.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in rows)
        pos = sum(r["label"] for r in rows)
        print(f"{name}: {len(rows)} comparisons ({pos} reused) [{time.perf_counter() - start:.0f} s]", flush=True)


# --------------------------------------------------------------------- fit


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """L2-penalized logistic regression by Newton steps on standardized features; coefficients in raw units."""
    mu, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mu) / sd])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-np.clip(z @ w, -40, 40)))
        grad = z.T @ (p - y) + penalty * w
        hess = z.T @ (z * (p * (1 - p))[:, None]) + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-9:
            break
    coef = w[1:] / sd
    return coef, float(w[0] - np.sum(coef * mu))


def _passages(r: dict[str, Any]) -> list[Passage]:
    keep = ("a_start", "a_end", "b_start", "b_end", "kind", "score", "lexical_score", "semantic_score")
    return [Passage(**{k: p[k] for k in keep if k in p}) for p in r["passages"]]


def passage_data(rows: Sequence[dict]) -> tuple[list[dict[str, float]], np.ndarray]:
    feats, labels = [], []
    for r in rows:
        for p, q in zip(_passages(r), r["passages"]):
            feats.append(passage_features(p))
            labels.append(q["label"])
    return feats, np.array(labels, dtype=float)


def pair_data(rows: Sequence[dict], model: ConfidenceModel) -> tuple[list[dict[str, float]], np.ndarray]:
    feats = [pair_features(*r["coverage"], r["relation"], _passages(r), model) for r in rows]
    return feats, np.array([r["label"] for r in rows], dtype=float)


def matrix(feats: Sequence[dict[str, float]], names: Sequence[str]) -> np.ndarray:
    return np.array([[f[n] for n in names] for f in feats], dtype=float)


def fitted(feats: Sequence[dict[str, float]], y: np.ndarray, l2: float) -> LogisticModel:
    names = tuple(feats[0])
    coef, intercept = fit_logistic(matrix(feats, names), y, l2)
    return LogisticModel(names, tuple(round(float(c), 6) for c in coef), round(intercept, 6))


def predict(model: LogisticModel, feats: Sequence[dict[str, float]]) -> np.ndarray:
    return np.array([model.predict(f) for f in feats])


# ----------------------------------------------------------------- measure


def auc(score: np.ndarray, y: np.ndarray) -> float:
    """ROC AUC (ties count half)."""
    pos, neg = score[y == 1], score[y == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    ranks = np.empty(len(order))
    values = np.concatenate([pos, neg])[order]
    ranks[order] = np.arange(1, len(order) + 1)
    for v in np.unique(values):  # average ranks of ties
        same = np.concatenate([pos, neg]) == v
        ranks[same] = ranks[same].mean()
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def reliability(p: np.ndarray, y: np.ndarray) -> tuple[list[tuple[str, int, float, float]], float, float]:
    """Bins of predicted confidence (count, mean predicted, observed share), Brier score, ECE."""
    table, ece = [], 0.0
    idx = np.minimum((p * BINS).astype(int), BINS - 1)
    for b in range(BINS):
        sel = idx == b
        if sel.any():
            table.append(
                (f"{b / BINS:.1f}–{(b + 1) / BINS:.1f}", int(sel.sum()), float(p[sel].mean()), float(y[sel].mean()))
            )
            ece += sel.sum() / len(p) * abs(p[sel].mean() - y[sel].mean())
    return table, float(np.mean((p - y) ** 2)), float(ece)


def report(title: str, p: np.ndarray, y: np.ndarray, baseline: np.ndarray, baseline_name: str) -> dict[str, Any]:
    table, brier, ece = reliability(p, y)
    print(f"\n{title}: {len(y)} held out ({int(y.sum())} reused)")
    print("| predicted | count | mean predicted | observed reused |\n|---|---:|---:|---:|")
    for name, n, mp, obs in table:
        print(f"| {name} | {n} | {mp:.3f} | {obs:.3f} |")
    print(f"Brier {brier:.4f}, ECE {ece:.4f}, AUC {auc(p, y):.4f} ({baseline_name} alone: AUC {auc(baseline, y):.4f})")
    return {"table": table, "brier": brier, "ece": ece, "auc": auc(p, y)}


def svg(table: Sequence[tuple[str, int, float, float]], path: Path) -> None:
    """A reliability diagram: observed share against mean predicted, dot area by count, the diagonal."""
    size, pad = 300, 40
    xy = lambda x, y: (pad + x * size, pad + (1 - y) * size)  # noqa: E731
    top = max(n for _, n, _, _ in table)
    dots = "".join(
        f'<circle cx="{xy(mp, obs)[0]:.1f}" cy="{xy(mp, obs)[1]:.1f}" r="{3 + 9 * (n / top) ** 0.5:.1f}" '
        f'fill="#1f77b4" fill-opacity="0.6"><title>{name}: {n} pairs, predicted {mp:.2f}, observed {obs:.2f}</title></circle>'
        for name, n, mp, obs in table
    )
    x0, y0 = xy(0, 0)
    x1, y1 = xy(1, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size + 2 * pad}" height="{size + 2 * pad}" font-size="12">'
        f'<rect x="{pad}" y="{pad}" width="{size}" height="{size}" fill="none" stroke="#999"/>'
        f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}" stroke="#999" stroke-dasharray="4"/>{dots}'
        f'<text x="{pad + size / 2}" y="{size + pad + 28}" text-anchor="middle">predicted confidence</text>'
        f'<text x="12" y="{pad + size / 2}" transform="rotate(-90 12 {pad + size / 2})" text-anchor="middle">'
        f"observed share reused</text></svg>\n",
        encoding="utf-8",
    )


def fit(args: argparse.Namespace) -> None:
    rows = [json.loads(line) for f in sorted(args.cache.glob("*.jsonl")) for line in open(f, encoding="utf-8")]
    train = [r for r in rows if r["split"] == "fit"]
    test = [r for r in rows if r["split"] == "held-out"]
    pf, py = passage_data(train)
    passage = fitted(pf, py, args.l2)
    pair_rows = [r for r in train if r["source"] != "msrp"]
    placeholder = ConfidenceModel(passage, passage)
    qf, qy = pair_data(pair_rows, placeholder)
    model = ConfidenceModel(passage, fitted(qf, qy, args.l2))
    print(f"fit on {len(pf)} passages ({int(py.sum())} reused), {len(qf)} pairs ({int(qy.sum())} reused)")
    args.model.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.model}")
    tf, ty = passage_data(test)
    report("passages", predict(passage, tf), ty, np.array([f["score"] for f in tf]), "score")
    test_pairs = [r for r in test if r["source"] != "msrp"]
    sf, sy = pair_data(test_pairs, model)
    cov = np.array([f["coverage_max"] for f in sf])
    result = report("pairs", predict(model.pair, sf), sy, cov, "coverage")
    only = fitted([{"coverage_max": f["coverage_max"]} for f in qf], qy, args.l2)
    trivial = predict(only, [{"coverage_max": c} for c in cov])
    _, brier, ece = reliability(trivial, sy)
    print(f"a logistic model of coverage alone (fitted the same way): Brier {brier:.4f}, ECE {ece:.4f}")
    for source in sorted({r["source"] for r in test_pairs}):
        for mode in ("lexical", "full"):
            sel = [i for i, r in enumerate(test_pairs) if r["source"] == source and r["mode"] == mode]
            if sel:
                p, y = predict(model.pair, [sf[i] for i in sel]), sy[sel]
                _, brier, ece = reliability(p, y)
                print(
                    f"  {source:10s} {mode:7s} n={len(sel):5d} reused={y.mean():.3f} mean predicted={p.mean():.3f} "
                    f"Brier {brier:.4f} ECE {ece:.4f} AUC {auc(p, y):.4f} (coverage {auc(cov[sel], y):.4f})"
                )
    if args.svg:
        svg(result["table"], args.svg)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="step", required=True)
    g = sub.add_parser("gather", help="compare labelled pairs and cache the comparisons")
    g.add_argument("--cache", type=Path, default=Path("out/confidence"))
    g.add_argument("--embed-cache", type=Path, default=None, help="embedding row cache (TEXTREUSE_EMBED_CACHE)")
    g.add_argument("--modes", default="lexical,full")
    g.add_argument("--sources", default="planted,same-event,pan,msrp")
    g.add_argument("--planted", type=int, default=60, help="planted sources per draw (distractors: 8 times as many)")
    g.add_argument("--negatives", type=int, default=150, help="same-event hard-negative pairs per draw")
    g.add_argument("--fit-seeds", default="1,2,3", help="same-event draws to fit on (1-3 are the tuning draws)")
    g.add_argument("--held-out-seeds", default="4,5", help="same-event draws held out")
    g.add_argument("--pan", type=int, default=30, help="PAN pairs per category")
    g.add_argument("--msrp", type=int, default=1500, help="MSRP sentence pairs")
    f = sub.add_parser("fit", help="fit the model from the cache, write it, print held-out reliability")
    f.add_argument("--cache", type=Path, default=Path("out/confidence"))
    f.add_argument("--model", type=Path, default=MODEL)
    f.add_argument("--l2", type=float, default=1.0, help="L2 penalty on standardized coefficients")
    f.add_argument("--svg", type=Path, default=None)
    args = ap.parse_args(argv)
    gather(args) if args.step == "gather" else fit(args)


if __name__ == "__main__":
    main()
