"""textreuse beside passim on the same OCR'd newspaper pages: pairs, characters, recall, time and memory.

Reads ``../shared/data/chronam-1916`` (OCR'd front pages, public domain) and
``../shared/tools/passim`` (passim, runnable offline) at run time. For one
sample of pages it writes the pages in passim's input layout, then runs, on
the same machine and one after the other,

    bash ../shared/tools/passim/passim_run.sh SAMPLE.jsonl 0 OUT/passim
    textreuse find SAMPLE.jsonl --out OUT/textreuse-MODE --skip-same-source --mode MODE

each under ``passim_util.py measure`` (wall time and peak resident memory of
the whole process tree, sampled every 0.2 s: the same measure for both), and
reports:

* pairs each tool finds, pairs in common, pairs only one finds, and the
  characters both align on the common pairs (``passim_compare.py``, run as is);
* **recall of passim's clearly-same pairs**: the share of passim's pairs that
  textreuse finds, among those whose aligned passages are clearly the same
  text. A passage is *clearly the same text* when its two sides have a
  character similarity of at least ``--similarity`` (0.7): difflib's
  ``SequenceMatcher(None, x, y, autojunk=False).ratio()`` of the two sides
  lower-cased with runs of whitespace folded to one space (2 x matched
  characters / total characters; :func:`char_similarity`). A pair is clearly
  the same when one of its passages is. The recall is also given over the
  clearly-same pairs whose clearly-same passage is ``--long-chars`` (200)
  characters or longer on both sides (``clearly_same_long_recall``):
  textreuse reports no passage shorter than 10 words (20 when edited).

Samples: ``--pages 0:300`` (the first 300 pages, the tuning sample) and
``--pages 2000:300`` (pages 2000-2299 in file order, late January 1916: the
held-out sample, never read while choosing rules). ``--show K`` prints K
pairs found by passim only (clearly-same ones first) and K found by
textreuse only, their passages side by side, for reading.

    python bench/passim_side.py --pages 0:300 --out /tmp/side300
    python bench/passim_side.py --pages 0:300 --out /tmp/side300 --reuse-passim --modes lexical --show 10
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import textwrap
from difflib import SequenceMatcher
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
CORPUS = SHARED / "data" / "chronam-1916" / "chronam-1916-01-02-frontpages.jsonl.gz"
PASSIM = SHARED / "tools" / "passim"
Spans = list[tuple[int, int, int, int]]


def char_similarity(x: str, y: str) -> float:
    """Character similarity of two passages: difflib's ratio, case and whitespace folded (1.0 = same text)."""
    x, y = " ".join(x.lower().split()), " ".join(y.lower().split())
    sm = SequenceMatcher(None, x, y, autojunk=False)
    return sm.ratio() if x or y else 1.0


def write_sample(corpus: Path, start: int, count: int, path: Path) -> None:
    """Write pages ``[start, start + count)`` of the corpus (file order) in passim's input layout."""
    with gzip.open(corpus, "rt", encoding="utf-8") as src, open(path, "w", encoding="utf-8") as out:
        for i, line in enumerate(src):
            if i >= start + count:
                break
            if i >= start:
                d = json.loads(line)
                keep = {"id": d["id"], "series": d.get("series") or d["id"], "date": d.get("date"), "text": d["text"]}
                out.write(json.dumps(keep, ensure_ascii=False) + "\n")


def measured(cmd: list[str], out: Path, name: str) -> dict[str, float]:
    """Run ``cmd`` under ``passim_util.py measure``; its wall seconds and peak memory (MB, process tree)."""
    m = out / f"{name}-measure.json"
    log = out / f"{name}.log"
    with open(log, "w") as fh:
        rc = subprocess.call(
            [sys.executable, str(PASSIM / "passim_util.py"), "measure", str(m), "--", *cmd], stdout=fh, stderr=fh
        )
    if rc != 0:
        raise SystemExit(f"{name} failed (status {rc}); see {log}")
    got = json.loads(m.read_text())
    return {"wall_s": got["wall_s"], "peak_mb": got["peak_tree_rss_mb"]}


def run_passim(sample: Path, out: Path) -> dict[str, float]:
    """Run passim on the sample (its default options, across newspapers only); time and memory."""
    return measured(["bash", str(PASSIM / "passim_run.sh"), str(sample), "0", str(out / "passim")], out, "passim")


def run_textreuse(sample: Path, out: Path, mode: str) -> dict[str, float]:
    """Run ``textreuse find --skip-same-source`` on the sample in one mode; time and memory."""
    dest = out / f"textreuse-{mode}"
    cmd = [sys.executable, "-m", "textreuse", "find", str(sample), "--out", str(dest), "--skip-same-source"]
    return measured([*cmd, "--mode", mode], out, f"textreuse-{mode}")


def compare(passim_pairs: Path, other: Path, sample: Path) -> dict[str, float]:
    """``passim_compare.py --cross-series --json`` on the two pair files."""
    cmd = [sys.executable, str(PASSIM / "passim_compare.py"), str(passim_pairs), str(other)]
    got = subprocess.run([*cmd, "--input", str(sample), "--cross-series", "--json"], capture_output=True, text=True)
    if got.returncode != 0:
        raise SystemExit(got.stderr)
    result: dict[str, float] = json.loads(got.stdout)
    return result


def load_pairs(path: Path) -> dict[tuple[str, str], dict]:
    """Pairs of a pairs file by unordered ids, passages oriented to the sorted ids (lines of one pair merged)."""
    pairs: dict[tuple[str, str], dict] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        a, b = str(r["a"]), str(r["b"])
        spans = [(p["a_start"], p["a_end"], p["b_start"], p["b_end"]) for p in r.get("passages") or []]
        if a > b:
            a, b, spans = b, a, [(s[2], s[3], s[0], s[1]) for s in spans]
        entry = pairs.setdefault((a, b), {"spans": [], "kinds": []})
        entry["spans"].extend(spans)
        entry["kinds"].extend(p.get("kind", "") for p in r.get("passages") or [])
    return pairs


def clearly_same(pairs: dict[tuple[str, str], dict], texts: dict[str, str], threshold: float) -> dict:
    """The pairs with a passage whose sides have :func:`char_similarity` of ``threshold`` or more.

    Maps each such pair to ``(best similarity, characters of its longest such passage on the shorter side)``.
    """
    out = {}
    for (a, b), entry in pairs.items():
        best, longest = 0.0, 0
        for s in entry["spans"]:
            x, y = texts[a][s[0] : s[1]], texts[b][s[2] : s[3]]
            sm = SequenceMatcher(None, " ".join(x.lower().split()), " ".join(y.lower().split()), autojunk=False)
            if sm.real_quick_ratio() >= threshold and sm.quick_ratio() >= threshold:
                similarity = char_similarity(x, y)
                if similarity >= threshold:
                    best, longest = max(best, similarity), max(longest, min(s[1] - s[0], s[3] - s[2]))
        if best >= threshold:
            out[(a, b)] = (best, longest)
    return out


def show(title: str, keys: list, pairs: dict, texts: dict[str, str], k: int, width: int = 58) -> None:
    """Print ``k`` pairs' longest passage, the two sides side by side."""
    print(f"\n==== {title}: {len(keys)} pairs, {min(k, len(keys))} shown")
    for a, b in keys[:k]:
        entry = pairs[(a, b)]
        i = max(range(len(entry["spans"])), key=lambda j: entry["spans"][j][1] - entry["spans"][j][0])
        s = entry["spans"][i]
        kind = entry["kinds"][i] if entry["kinds"] else ""
        x, y = texts[a][s[0] : s[1]], texts[b][s[2] : s[3]]
        print(f"\n--- {a} [{s[0]}:{s[1]}]  |  {b} [{s[2]}:{s[3]}]  {kind} sim={char_similarity(x, y):.2f}")
        left = textwrap.wrap(" ".join(x.split())[:1200], width)
        right = textwrap.wrap(" ".join(y.split())[:1200], width)
        for i in range(min(14, max(len(left), len(right)))):
            print(f"{left[i] if i < len(left) else '':<{width}} | {right[i] if i < len(right) else ''}")


def report(args: argparse.Namespace, out: Path, sample: Path, timings: dict) -> dict:
    """Compare each textreuse run with passim; print and return the figures."""
    texts = {}
    for line in sample.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        texts[d["id"]] = d["text"]
    p_file = out / "passim" / "passim_pairs.jsonl"
    passim = load_pairs(p_file)
    cached = out / "passim" / f"clearly-same-{args.similarity}.json"  # passim's pairs judged once per run of passim
    if cached.exists():
        same = {(r[0], r[1]): (r[2], r[3]) for r in json.loads(cached.read_text())}
    else:
        same = clearly_same(passim, texts, args.similarity)
        cached.write_text(json.dumps([[a, b, *v] for (a, b), v in same.items()]))
    summary: dict = {"pages": args.pages, "passim": timings.get("passim"), "passim_clearly_same": len(same)}
    for mode in args.modes:
        t_file = out / f"textreuse-{mode}" / "pairs.jsonl"
        found = load_pairs(t_file)
        figures = compare(p_file, t_file, sample)
        hit = sum(1 for key in same if key in found)
        long_ = [key for key in same if same[key][1] >= args.long_chars]
        hit_long = sum(1 for key in long_ if key in found)
        figures.update(textreuse=timings.get(mode), clearly_same_found=hit, clearly_same_recall=hit / max(1, len(same)))
        figures.update(clearly_same_long=len(long_), clearly_same_long_recall=hit_long / max(1, len(long_)))
        summary[mode] = figures
        missed = sorted((key for key in same if key not in found), key=lambda key: -same[key][0])
        with open(out / f"missed-{mode}.jsonl", "w") as fh:
            for key in missed:
                best, longest = same[key]
                fh.write(json.dumps({"a": key[0], "b": key[1], "similarity": round(best, 3), "chars": longest}) + "\n")
        if args.show:
            only_p = missed + sorted(k for k in passim if k not in found and k not in same)
            only_t = sorted(k for k in found if k not in passim)
            random.Random(args.seed).shuffle(only_t)
            show(f"{mode}: passim only (clearly-same first)", only_p, passim, texts, args.show)
            show(f"{mode}: textreuse only", only_t, found, texts, args.show)
    return summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--pages", default="0:300", help="START:COUNT, pages in file order (default 0:300)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--modes", default="lexical,full", help="textreuse modes to run, comma-separated")
    ap.add_argument("--similarity", type=float, default=0.7, help="clearly-same threshold of char_similarity")
    ap.add_argument(
        "--long-chars", type=int, default=200, help="clearly-same passages this long or longer also counted apart"
    )
    ap.add_argument("--reuse-passim", action="store_true", help="keep OUT/passim from an earlier run")
    ap.add_argument("--reuse-textreuse", action="store_true", help="keep OUT/textreuse-MODE from an earlier run")
    ap.add_argument("--show", type=int, default=0, metavar="K", help="print K pairs of each only-one side")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    args.modes = [m for m in args.modes.split(",") if m]
    start, count = (int(x) for x in args.pages.split(":"))
    args.out.mkdir(parents=True, exist_ok=True)
    sample = args.out / "sample.jsonl"
    write_sample(args.corpus, start, count, sample)
    timings_file = args.out / "timings.json"
    timings = json.loads(timings_file.read_text()) if timings_file.exists() else {}
    if not (args.reuse_passim and "passim" in timings):
        timings["passim"] = run_passim(sample, args.out)
    for mode in args.modes:
        if not (args.reuse_textreuse and mode in timings):
            timings[mode] = run_textreuse(sample, args.out, mode)
    timings_file.write_text(json.dumps(timings))
    summary = report(args, args.out, sample, timings)
    (args.out / "summary.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
