"""The answer does not depend on order: ``compare(a, b)`` mirrors ``compare(b, a)``; ``find`` finds the same pairs in any input order."""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys
from dataclasses import replace
from itertools import islice, product
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textreuse.compare import CompareOptions, Comparison, compare
from textreuse.corpus.focus import document_letters, shared_clusters
from textreuse.corpus.options import FindOptions
from textreuse.index.fingerprints import fingerprint
from textreuse.prepare import prepare
from textreuse.relate import relate
from textreuse.types import Document, Passage

from .conftest import REPO, shared_path

DEMO = REPO / "demo" / "corpus.jsonl"
DOCS = {d["id"]: Document(d["id"], d["text"], {"date": d.get("date")}) for d in map(json.loads, DEMO.open())}
LEXICAL = CompareOptions(mode="lexical")
FULL = CompareOptions(mode="full")
_MIRROR = {"a": "b", "b": "a", None: None}

# Real reprints of the demo corpus that the aligners, taken one way and the other, saw differently.
REPRINTS = [
    ("avondray-farmers-journal-2024-04-12-fungus-barley-drought", "world-briefing-today-2024-04-12-barley-fungus"),
    ("global-news-roundup-2024-04-04-port-elwin-storm", "coast-weekly-2024-04-06-port-elwin-storm-damage"),
    (
        "provincial-morning-star-2024-06-18-cedar-hollow-evacuated",
        "tollgate-examiner-2024-06-19-tollgate-crews-join-fire-fight",
    ),
    ("coastal-daily-digest-2024-03-07-harbourton-pipe-burst", "marrow-bay-advertiser-2024-03-08-pipes-warning"),
]


def _mirror(p: Passage) -> Passage:
    return replace(p, a_start=p.b_start, a_end=p.b_end, b_start=p.a_start, b_end=p.a_end)


def _view(result: Comparison, swap: bool = False) -> dict[str, Any]:
    """What a comparison says, seen with *a* as ``result.a`` (``swap``: as ``result.b``)."""
    passages = [_mirror(p) if swap else p for p in result.passages]
    cover = (result.coverage_b, result.coverage_a) if swap else (result.coverage_a, result.coverage_b)
    relation = result.relation
    assert relation is not None
    return {
        "passages": sorted((p.a_start, p.a_end, p.b_start, p.b_end, p.kind, round(p.score, 6)) for p in passages),
        "coverage": cover,
        "label": relation.label,
        "source": _MIRROR[relation.source] if swap else relation.source,
    }


def assert_mirrored(x: Document, y: Document, options: CompareOptions) -> None:
    """``compare(x, y)`` and ``compare(y, x)``: the same passages, coverage and verdict, sides swapped."""
    forward, backward = compare(x, y, options), compare(y, x, options)
    assert _view(forward) == _view(backward, swap=True)


@pytest.mark.parametrize("ids", REPRINTS, ids=lambda ids: ids[0].split("-")[0])
def test_compare_either_way_round_gives_the_mirrored_answer(ids: tuple[str, str]) -> None:
    assert_mirrored(DOCS[ids[0]], DOCS[ids[1]], LEXICAL)


def test_compare_in_full_mode_either_way_round_gives_the_mirrored_answer() -> None:
    for first, second in REPRINTS[:2]:
        assert_mirrored(DOCS[first], DOCS[second], FULL)


def _compare_cli(first: Path, second: Path) -> dict[str, Any]:
    """The JSON of ``textreuse compare FIRST SECOND --mode lexical``, run as a real process."""
    args = ["compare", str(first), str(second), "--format", "json", "--mode", "lexical"]
    proc = subprocess.run([sys.executable, "-m", "textreuse", *args], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def test_compare_command_either_way_round_gives_the_mirrored_answer(tmp_path: Path) -> None:
    first, second = REPRINTS[1]
    paths = []
    for doc_id in (first, second):
        paths.append(tmp_path / f"{doc_id}.txt")
        paths[-1].write_text(DOCS[doc_id].text, encoding="utf-8")
    forward, backward = _compare_cli(paths[0], paths[1]), _compare_cli(paths[1], paths[0])
    sides = ("a_start", "a_end", "b_start", "b_end")
    swapped = ("b_start", "b_end", "a_start", "a_end")
    assert forward["passages"]
    assert sorted(tuple(p[k] for k in sides) for p in forward["passages"]) == sorted(
        tuple(p[k] for k in swapped) for p in backward["passages"]
    )
    assert (forward["coverage"]["a"], forward["coverage"]["b"]) == (
        backward["coverage"]["b"],
        backward["coverage"]["a"],
    )
    assert forward["relation"]["label"] == backward["relation"]["label"]
    assert forward["relation"]["source"] == _MIRROR[backward["relation"]["source"]]


def _edited(text: str, rnd: random.Random) -> str:
    """A reprint of ``text`` as editors make them: paragraphs cut, repeated, moved; words dropped."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    out = []
    for p in paragraphs:
        roll = rnd.random()
        if roll < 0.2:
            continue
        words = p.split(" ")
        if roll < 0.4 and len(words) > 8:
            del words[rnd.randrange(len(words))]
        out.append(" ".join(words))
        if rnd.random() < 0.15:
            out.append(p)  # a paragraph printed twice
    if len(out) > 2 and rnd.random() < 0.5:
        i, j = rnd.sample(range(len(out)), 2)
        out[i], out[j] = out[j], out[i]
    return "\n\n".join(out)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(DOCS)), st.integers(0, 2**32 - 1))
def test_compare_mirrors_on_edited_reprints_of_real_stories(doc_id: str, seed: int) -> None:
    original = DOCS[doc_id]
    reprint = Document("reprint", _edited(original.text, random.Random(seed)))
    assert_mirrored(original, reprint, LEXICAL)


def test_compare_mirrors_when_moved_paragraphs_join_into_a_stray_full_stop() -> None:
    # Moved paragraphs: each side's shared text, once read in the other side's order, joined two
    # passages into what looked like a translation's stray full stop, on one side only.
    original = DOCS["avondray-farmers-journal-2024-04-12-fungus-barley-drought"]
    reprint = Document("reprint", _edited(original.text, random.Random(2)))
    assert_mirrored(original, reprint, LEXICAL)


def test_relate_tie_on_coverage_names_the_same_source_either_way() -> None:
    short = Document("short", "The harbour bridge will close for repairs on Monday, officials said.")
    long_ = Document("long", "The harbour bridge will close for repairs on Monday and Tuesday, officials said today.")
    p = Passage(0, 40, 0, 40, "edited", 0.9)
    forward = relate(short, long_, 0.85, 0.85, [p])
    backward = relate(long_, short, 0.85, 0.85, [_mirror(p)])
    assert forward.label == backward.label == "abridged"
    assert (forward.source, backward.source) == ("b", "a")  # the fuller text, on whichever side it is


def test_shared_clusters_are_the_same_either_way_round() -> None:
    """With and without the letter prints."""
    find = FindOptions()
    ids = sorted(DOCS)
    prints = {i: fingerprint(prepare(DOCS[i]).tokens) for i in ids}
    letters = {i: document_letters(prepare(DOCS[i]), find) for i in ids}
    for x, y, with_letters in product(ids, ids, (False, True)):
        lx, ly = (letters[x], letters[y]) if with_letters else (None, None)
        forward = shared_clusters(prints[x], prints[y], find, (lx, ly))
        backward = shared_clusters(prints[y], prints[x], find, (ly, lx))
        assert sorted(map(str, (g.tolist() for g in forward))) == sorted(
            map(str, (g[:, ::-1].tolist() for g in backward))
        ), (x, y, with_letters)


def _find(lines: list[str], folder: Path, name: str) -> set[str]:
    """The lines of ``pairs.jsonl`` of a lexical ``textreuse find`` over ``lines`` (a JSONL corpus)."""
    corpus = folder / f"{name}.jsonl"
    corpus.write_text("".join(lines), encoding="utf-8")
    out = folder / name
    proc = subprocess.run(
        [sys.executable, "-m", "textreuse", "find", str(corpus), "--mode", "lexical", "-j", "1", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return set((out / "pairs.jsonl").read_text(encoding="utf-8").splitlines())


def _orders(lines: list[str]) -> dict[str, list[str]]:
    """The corpus forward, reversed and in two seeded random orders."""
    orders = {"forward": lines, "reversed": lines[::-1]}
    for seed in (1, 2):
        shuffled = list(lines)
        random.Random(seed).shuffle(shuffled)
        orders[f"shuffled{seed}"] = shuffled
    return orders


def test_find_gives_the_same_pairs_in_any_input_order(tmp_path: Path) -> None:
    lines = DEMO.read_text(encoding="utf-8").splitlines(keepends=True)
    found = {name: _find(order, tmp_path, name) for name, order in _orders(lines).items()}
    assert len(found["forward"]) >= 40
    for name, pairs in found.items():
        assert pairs == found["forward"], name


def test_find_on_1000_reuters_stories_forward_and_reversed_gives_identical_pairs(tmp_path: Path) -> None:
    path = shared_path("data", "reuters21578", "reuters21578.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        lines = list(islice((line for line in f if json.loads(line).get("text", "").strip()), 1000))
    forward = _find(lines, tmp_path, "forward")
    backward = _find(lines[::-1], tmp_path, "reversed")
    assert len(forward) > 100
    assert forward == backward
