"""Where PAN's missed characters are: a breakdown of the truth characters a run of `textreuse pan` missed.

For every category of a PAN 2013 text-alignment folder (truth XML files per
pair) and a folder of detections (one XML file per pair, as `textreuse pan`
writes them), each truth case is matched with the detections of its pair
that overlap it on both sides, and its missed characters are put in one of:

- ``whole``: no detection overlaps the case (its suspicious characters);
- ``start``/``end``: before the first / after the last detected character of
  the case, on the suspicious side (``susp``) and on the source side (``src``);
- ``gaps``: between detected characters inside the case (both sides);
- ``split``: cases found by two or more detections (PAN's granularity);
- ``fp``: detections overlapping no case, and their suspicious characters
  (detected characters outside every case are counted in ``fp chars``).

Each cell is ``cases/characters``. Usage (from the repository root)::

    python bench/pan_misses.py ../shared/data/pan13-dev out/pan13/det
    python bench/pan_misses.py ../shared/data/pan13-dev out/pan13/det --split out/pan13-split --part dev

With ``--split`` (the folder of ``bench/pan13-split.sh``), categories split there
count only the pairs of ``--part`` (``dev``: the development half, where misses are read).
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

Span = tuple[int, int]
Feature = tuple[Span, Span]


def features(path: Path, name: str) -> list[Feature]:
    """The (suspicious, source) character spans of the features ``name`` of one PAN XML file."""
    if not path.exists():
        return []
    out = []
    for f in ET.parse(path).getroot().iter("feature"):
        if f.get("name") != name:
            continue
        so, sl = int(f.get("this_offset", 0)), int(f.get("this_length", 0))
        ro, rl = int(f.get("source_offset", 0)), int(f.get("source_length", 0))
        out.append(((so, so + sl), (ro, ro + rl)))
    return out


def _overlaps(x: Span, y: Span) -> bool:
    return x[0] < y[1] and y[0] < x[1]


def _covered(span: Span, parts: list[Span]) -> list[Span]:
    """The union of ``parts`` clipped to ``span``, sorted and merged."""
    clipped = sorted((max(span[0], p[0]), min(span[1], p[1])) for p in parts if _overlaps(span, p))
    merged: list[list[int]] = []
    for lo, hi in clipped:
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [(lo, hi) for lo, hi in merged]


def _side(tally: Counter[str], side: str, span: Span, parts: list[Span]) -> None:
    """Add the characters of ``span`` missed before, after and between ``parts`` to ``tally``."""
    cov = _covered(span, parts)
    if not cov:
        return
    for key, chars in (("start", cov[0][0] - span[0]), ("end", span[1] - cov[-1][1])):
        if chars > 0:
            tally[f"{side} {key} n"] += 1
            tally[f"{side} {key} c"] += chars
    gaps = sum(b[0] - a[1] for a, b in zip(cov, cov[1:]))
    if gaps > 0:
        tally["gaps n"] += 1
        tally["gaps c"] += gaps


def pair_tally(truth: list[Feature], found: list[Feature]) -> Counter[str]:
    """The breakdown of one pair's truth cases against its detections."""
    tally: Counter[str] = Counter()
    for case in truth:
        mine = [d for d in found if _overlaps(d[0], case[0]) and _overlaps(d[1], case[1])]
        tally["cases"] += 1
        tally["chars"] += case[0][1] - case[0][0]
        if not mine:
            tally["whole n"] += 1
            tally["whole c"] += case[0][1] - case[0][0]
            continue
        if len(mine) > 1:
            tally["split n"] += 1
            tally["split c"] += len(mine) - 1
        _side(tally, "susp", case[0], [d[0] for d in mine])
        _side(tally, "src", case[1], [d[1] for d in mine])
    for d in found:
        inside = sum(hi - lo for lo, hi in _covered(d[0], [c[0] for c in truth]))
        if not any(_overlaps(d[0], c[0]) and _overlaps(d[1], c[1]) for c in truth):
            tally["fp n"] += 1
        tally["fp c"] += d[0][1] - d[0][0] - inside
    return tally


COLUMNS = ("whole", "susp start", "susp end", "src start", "src end", "gaps", "split", "fp")


def _pairs(cat: Path, split: Path | None, part: str) -> list[str]:
    """The pair lines of a category: those of its ``part`` in ``split`` when it is split there, else all."""
    chosen = split / cat.name / f"{part}.pairs" if split is not None else None
    source = chosen if chosen is not None and chosen.exists() else cat / "pairs"
    return [line for line in source.read_text().split("\n") if line.strip()]


def table(data: Path, det: Path, split: Path | None = None, part: str = "dev") -> str:
    """The breakdown per category, as a Markdown table."""
    rows = ["| category | cases/chars | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 2) + "|"]
    for cat in sorted(p for p in data.iterdir() if p.is_dir() and p.name[:2].isdigit()):
        tally: Counter[str] = Counter()
        for line in _pairs(cat, split, part):
            susp, src = line.split()
            name = f"{Path(susp).stem}-{Path(src).stem}.xml"
            tally += pair_tally(features(cat / name, "plagiarism"), features(det / name, "detected-plagiarism"))
        cells = [f"{tally[c + ' n']}/{tally[c + ' c']}" for c in COLUMNS]
        rows.append(f"| {cat.name} | {tally['cases']}/{tally['chars']} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="PAN folder with one folder per category (pairs, truth XML)")
    parser.add_argument("det", type=Path, help="folder of detection XML files, one per pair")
    parser.add_argument("--split", type=Path, help="folder of bench/pan13-split.sh (pair lists per half)")
    parser.add_argument("--part", default="dev", choices=("dev", "held-out"), help="which half (with --split)")
    args = parser.parse_args(argv)
    print(table(args.data, args.det, args.split, args.part))
    return 0


if __name__ == "__main__":
    sys.exit(main())
