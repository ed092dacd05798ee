"""Labelled comparisons for fitting the confidence model (``bench/fit_confidence.py gather``).

Each source writes one JSONL file of comparisons to the cache folder, one line
per labelled pair: ``source``, ``split`` (``fit`` or ``held-out``), ``mode``,
``via`` (``find``: a pair a corpus run reported; ``compare``: a pair compared
directly), ``label`` (1: reused, 0: written independently), ``coverage``,
``relation`` and the ``passages`` (each with its own ``label``). Features
are computed from these at fit time, so a change of features needs no new
gathering; a change of which passages the engine reports does (rerun
``gather``).

Sources (``../shared`` is read at run time, never copied):

* ``planted``: ``bench/planted.py`` corpora (seed 13 fit, 99 held out), run
  through ``index add`` + ``find --db``; a reported pair inside one family is
  reused, one joining a planted copy to another family is not; pairs of two
  original Reuters stories carry no label and are left out.
* ``same-event``: ``bench/same_event.py`` draws (seed 1 fit, 4 held out): the
  reported pairs labelled as above (a reported hard negative is not reused),
  and every hard-negative pair and a sample of planted source–copy pairs
  compared directly (``compare``), as ``textreuse compare`` would see them.
* ``pan``: PAN 2013 pairs (01 no plagiarism, 05 without a case: not reused;
  02–05 with cases: reused), compared directly; a passage is reused when it
  overlaps a truth case on both sides. Pairs split by a hash of their names.
* ``msrp``: MSRP sentence pairs compared in full mode; their passages are
  labelled by the human judgement (passage model only).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import planted as pl  # noqa: E402
import same_event as se  # noqa: E402
from textreuse.compare import CompareOptions, Comparison, compare  # noqa: E402
from textreuse.embed.settings import EmbedSettings  # noqa: E402
from textreuse.io.pan import pair_xml_name, read_pan_xml  # noqa: E402
from textreuse.types import Document  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PAN = SHARED / "data" / "pan13-dev"
MSRP = SHARED / "data" / "msrp" / "msr_paraphrase_train.txt"
HELD_OUT_SHARE = 0.3


def held_out(key: str) -> bool:
    """Whether an item (by a stable key) is in the held-out part (:data:`HELD_OUT_SHARE`)."""
    return zlib.crc32(key.encode()) % 100 < HELD_OUT_SHARE * 100


def options(mode: str, cache: Path | None) -> CompareOptions:
    return CompareOptions(mode=mode, embedding=EmbedSettings(cache_dir=cache))  # type: ignore[arg-type]


def row(
    source: str, split: str, mode: str, via: str, label: int, result: dict[str, Any], plabels: list[int] | None = None
) -> dict:
    """One cached line from a comparison's dict (a ``pairs.jsonl`` line or ``Comparison.to_dict()``)."""
    cov = result["coverage"]
    passages = [dict(p) for p in result["passages"]]
    for n, p in enumerate(passages):
        p.pop("confidence", None)
        p["label"] = label if plabels is None else plabels[n]
    return {
        "source": source,
        "split": split,
        "mode": mode,
        "via": via,
        "pair": [
            result["a"] if isinstance(result["a"], str) else result["a"]["id"],
            result["b"] if isinstance(result["b"], str) else result["b"]["id"],
        ],
        "label": label,
        "coverage": [cov["a"], cov["b"]],
        "relation": (result.get("relation") or {}).get("label", ""),
        "passages": passages,
    }


def run_find(docs: list[dict], out: Path, mode: str, cache: Path | None) -> list[dict]:
    """``index add`` (``--embed`` in full mode) and ``find --db`` on these documents, with this tree's code."""
    out.mkdir(parents=True, exist_ok=True)
    corpus, db = out / "corpus.jsonl", out / "reuse.db"
    with open(corpus, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(d) + "\n" for d in docs)
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    if cache:
        env["TEXTREUSE_EMBED_CACHE"] = str(cache)
    tr = [sys.executable, "-m", "textreuse"]
    embed = ["--embed"] if mode == "full" else []
    for cmd in (
        [*tr, "index", "add", str(corpus), "--db", str(db), *embed],
        [*tr, "find", "--db", str(db), "--out", str(out / "found"), "--mode", mode],
    ):
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    with open(out / "found" / "pairs.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def family_label(families: dict[str, str], a: str, b: str) -> int | None:
    """1 inside one planted family, 0 for a planted copy joined to anything else, ``None`` for two originals."""
    fa, fb = families.get(a), families.get(b)
    if fa is None and fb is None:
        return None
    return int(fa == fb)


def found_rows(
    source: str, split: str, mode: str, found: list[dict], label_of: Callable[[str, str], int | None]
) -> Iterator[dict]:
    for r in found:
        label = label_of(r["a"], r["b"])
        if label is not None:
            yield row(source, split, mode, "find", label, r)


def planted_rows(
    seed: int, split: str, modes: Iterable[str], work: Path, cache: Path | None, size: tuple[int, int]
) -> Iterator[dict]:
    stories = pl.load_reuters()
    planted = pl.build_corpus(stories, size[0], size[1], seed)
    families = planted.families()
    for mode in modes:
        found = run_find(planted.docs, work / f"planted-{seed}-{mode}", mode, cache)
        yield from found_rows("planted", split, mode, found, lambda a, b: family_label(families, a, b))


def same_event_rows(
    seed: int, split: str, modes: Iterable[str], work: Path, cache: Path | None, size: tuple[int, int]
) -> Iterator[dict]:
    planted, negatives = se.build(seed, size[0], size[1], size[1], 0.3, pl.REUTERS)
    families = planted.families()
    negs = {frozenset((p["a"], p["b"])) for p in negatives}
    docs = {d["id"]: Document(d["id"], d["text"], {"date": d["date"]}) for d in planted.docs}

    def label_of(a: str, b: str) -> int | None:
        return 0 if frozenset((a, b)) in negs else family_label(families, a, b)

    rng = random.Random(seed)
    copies = sorted((t["family"], t["id"]) for t in planted.truth if t["kind"] != "source")
    sample = rng.sample(copies, min(len(copies), len(negatives)))
    for mode in modes:
        found = run_find(planted.docs, work / f"same-event-{seed}-{mode}", mode, cache)
        yield from found_rows("same-event", split, mode, found, label_of)
        opt = options(mode, cache)
        for label, pairs in ((0, [(p["a"], p["b"]) for p in negatives]), (1, sample)):
            for a, b in pairs:
                result = compare(docs[a], docs[b], opt)
                if result.passages:
                    yield row("same-event", split, mode, "compare", label, result.to_dict())


def pan_pairs(per_category: int) -> list[tuple[str, str, str, int]]:
    """(category, suspicious, source, label) of ``per_category`` pairs of each PAN category, in a fixed draw."""
    out = []
    for cat in sorted(p.name for p in PAN.iterdir() if p.is_dir() and p.name[:2].isdigit()):
        pairs = [line.split() for line in (PAN / cat / "pairs").read_text().splitlines() if line.strip()]
        random.Random(cat).shuffle(pairs)
        for susp, src in pairs[:per_category]:
            cases = read_pan_xml(PAN / cat / pair_xml_name(susp, src))
            out.append((cat, susp, src, int(bool(cases))))
    return out


def pan_rows(modes: Iterable[str], cache: Path | None, per_category: int) -> Iterator[dict]:
    pairs = pan_pairs(per_category)
    for mode in modes:
        opt = options(mode, cache)
        for cat, susp, src, label in pairs:
            a = Document(susp, (PAN / "susp" / susp).read_text(encoding="utf-8"))
            b = Document(src, (PAN / "src" / src).read_text(encoding="utf-8"))
            result = compare(a, b, opt)
            if not result.passages:
                continue
            cases = read_pan_xml(PAN / cat / pair_xml_name(susp, src))
            plabels = [int(any(_overlaps(p, c) for c in cases)) for p in result.passages]
            split = "held-out" if held_out(susp + src) else "fit"
            yield row("pan", split, mode, "compare", label, _dict(result), plabels)


def _overlaps(p: Any, c: Any) -> bool:
    a = p.a_start < c.this_offset + c.this_length and c.this_offset < p.a_end
    b = p.b_start < c.source_offset + c.source_length and c.source_offset < p.b_end
    return a and b


def _dict(result: Comparison) -> dict[str, Any]:
    return result.to_dict()


def msrp_rows(cache: Path | None, limit: int) -> Iterator[dict]:
    """MSRP sentence pairs compared in full mode (junk rules off: single sentences)."""
    lines = MSRP.read_text(encoding="utf-8-sig").splitlines()[1:]
    opt = CompareOptions(mode="full", junk=False, embedding=EmbedSettings(cache_dir=cache))
    for line in lines[:limit]:
        parts = line.split("\t")
        if len(parts) != 5:
            continue
        label, id1, id2, s1, s2 = parts
        result = compare(Document(id1, s1), Document(id2, s2), opt)
        if result.passages:
            split = "held-out" if held_out(id1 + id2) else "fit"
            yield row("msrp", split, "full", "compare", int(label), result.to_dict())
