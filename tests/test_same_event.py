"""Invariants of the same-event benchmark's corpus builder (bench/same_event.py) on real Reuters stories."""

from __future__ import annotations

import datetime as dt
import difflib
import doctest
import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO, shared_path

sys.path.insert(0, str(REPO / "bench"))

import planted as pl  # noqa: E402
import same_event as se  # noqa: E402


def test_docstring_examples() -> None:
    assert doctest.testmod(se).failed == 0


def test_written_separately_refuses_shared_runs_and_close_sentences() -> None:
    a = "Texaco Inc said it filed for protection under Chapter 11 of the bankruptcy code on Sunday. Shares fell."
    run8 = "Analysts noted it filed for protection under Chapter 11 of the bankruptcy code late."
    close = "Texaco Inc has filed for bankruptcy protection under Chapter 11 of the code on Sunday."
    other = "Pennzoil officials in Houston welcomed the ruling and expect a settlement talk by June."
    assert not se.written_separately(a, run8)
    assert not pl._shingles(a) & pl._shingles(close)  # refused for the close sentence alone
    assert not se.written_separately(a, close)
    assert se.written_separately(a, other)


def test_score_negatives_counts_reports_labels_and_passage_kinds() -> None:
    negatives = [
        {"kind": "same-event", "a": "x1", "b": "x2"},
        {"kind": "same-event", "a": "x3", "b": "x4"},
        {"kind": "follow-up", "a": "y1", "b": "y2"},
    ]

    def pair(a: str, b: str, label: str, kinds: list[str]) -> dict[str, Any]:
        return {"a": a, "b": b, "relation": {"label": label}, "passages": [{"kind": k} for k in kinds]}

    found = {
        frozenset(("x2", "x1")): pair("x2", "x1", "partial reuse", ["paraphrased", "edited"]),
        frozenset(("x1", "y1")): pair("x1", "y1", "partial reuse", ["edited"]),
    }
    rows = se.score_negatives(negatives, found)
    assert (rows["same-event"]["reported"], rows["same-event"]["precision"]) == (1, 0.5)
    assert rows["same-event"]["labels"] == {"partial reuse": 1}
    assert rows["same-event"]["passage_kinds"] == {"paraphrased": 1, "edited": 1}
    assert (rows["follow-up"]["reported"], rows["follow-up"]["precision"]) == (0, 1.0)
    assert rows["all"]["precision"] == pytest.approx(2 / 3)
    assert rows["other-negative-stories"] == 1


@pytest.fixture(scope="module")
def draw() -> tuple[pl.Planted, list[dict[str, Any]]]:
    path = shared_path("data", "reuters21578", "reuters21578.jsonl.gz")
    return se.build(seed=4, n_pairs=40, n_sources=10, n_distractors=20, follow_share=0.3, path=path)


def _sentence_ratio(a: str, b: str) -> float:
    return max(
        (
            difflib.SequenceMatcher(None, x, y, autojunk=False).ratio()
            for x in se._sentences(a)
            for y in se._sentences(b)
        ),
        default=0.0,
    )


@pytest.mark.shared
def test_hard_negatives_are_one_event_written_separately(draw: tuple[pl.Planted, list[dict[str, Any]]]) -> None:
    planted, negatives = draw
    assert [p["kind"] for p in negatives].count("follow-up") == 12
    assert len(negatives) == 40
    docs = {d["id"]: d for d in planted.docs}
    ids = [x for p in negatives for x in (p["a"], p["b"])]
    assert len(ids) == len(set(ids))  # every story in one pair only
    for p in negatives:
        a, b = docs[p["a"]], docs[p["b"]]
        days = abs((dt.date.fromisoformat(a["date"]) - dt.date.fromisoformat(b["date"])).days)
        assert days == p["days"]
        if p["kind"] == "same-event":
            assert days <= 3 and p["topics"] and len(p["names"]) >= 2
        else:
            assert 3 <= days <= 10 and p["title_key"] and p["names"]
        for name in p["names"]:
            assert name in a["text"] and name in b["text"]
        assert not pl._shingles(a["text"]) & pl._shingles(b["text"])
        assert _sentence_ratio(a["text"], b["text"]) < 0.6


@pytest.mark.shared
def test_planted_families_share_no_text_with_the_negatives(draw: tuple[pl.Planted, list[dict[str, Any]]]) -> None:
    planted, negatives = draw
    docs = {d["id"]: d for d in planted.docs}
    neg_ids = {x for p in negatives for x in (p["a"], p["b"])}
    assert len(docs) == len(planted.docs) == 10 * (1 + len(pl.KINDS)) + 20 + len(neg_ids)
    assert all(docs[i]["source"] == "reuters:negative" for i in neg_ids)
    neg_grams = set().union(*(pl._shingles(docs[i]["text"]) for i in neg_ids))
    sources = [t["id"] for t in planted.truth if t["kind"] == "source"]
    assert len(sources) == 10
    assert not any(pl._shingles(docs[s]["text"]) & neg_grams for s in sources)


@pytest.mark.shared
def test_draws_differ_by_seed() -> None:
    path = shared_path("data", "reuters21578", "reuters21578.jsonl.gz")
    wires = se.prepare_wires(se.load_wires(path))
    one = se.draw_negatives(wires, 30, 0.3, random.Random(1))
    two = se.draw_negatives(wires, 30, 0.3, random.Random(1))
    other = se.draw_negatives(wires, 30, 0.3, random.Random(5))
    assert one == two
    assert {(p["a"], p["b"]) for p in one} != {(p["a"], p["b"]) for p in other}


@pytest.mark.shared
def test_a_small_lexical_draw_runs_end_to_end_and_summarizes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = shared_path("data", "reuters21578", "reuters21578.jsonl.gz")
    monkeypatch.setenv("PYTHONPATH", str(REPO / "src"))
    out = tmp_path / "se4"
    argv = ["--seed", "4", "--pairs", "20", "--sources", "4", "--distractors", "10", "--out", str(out)]
    se.main([*argv, "--reuters", str(path), "--show", "2"])
    printed = capsys.readouterr().out
    assert printed.count("\n=== ") == 2  # two pairs side by side
    summary = json.loads((out / "scores.json").read_text())
    lexical = summary["modes"]["lexical"]
    assert lexical["negatives"]["all"]["pairs"] == 20
    # Verbatim copies are always found; the planted sources share no text with the negatives.
    assert lexical["planted"]["verbatim"]["recall"] == 1.0
    assert lexical["planted"]["verbatim"]["precision"] == 1.0
    se.main(["--summarize", str(out)])
    table = capsys.readouterr().out
    assert "4 held    lexical" in table
