"""Invariants of the planted-reprint corpus builder (bench/planted.py) on real Reuters stories."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from typing import Any

import pytest

from .conftest import REPO, shared_path

sys.path.insert(0, str(REPO / "bench"))

import planted as pl  # noqa: E402


def test_score_counts_recall_precision_and_unlabelled_pairs() -> None:
    # Two families (s1 with two copies, s2 with one) and two distractors d1, d2.
    truth = [
        {"id": "s1", "family": "s1", "kind": "source"},
        {"id": "c1", "family": "s1", "kind": "verbatim"},
        {"id": "c2", "family": "s1", "kind": "ocr"},
        {"id": "s2", "family": "s2", "kind": "source"},
        {"id": "c3", "family": "s2", "kind": "verbatim"},
    ]
    docs = [{"id": i, "text": "", "date": "", "source": ""} for i in ("s1", "c1", "c2", "s2", "c3", "d1", "d2")]
    found = [
        frozenset(p)
        for p in [("s1", "c1"), ("c1", "c2"), ("s2", "c3"), ("c3", "d1"), ("s1", "d1"), ("s2", "d1"), ("d1", "d2")]
    ]
    rows = pl.score(pl.Planted(docs, truth), found)
    assert (rows["verbatim"]["found"], rows["verbatim"]["planted"]) == (2, 2)
    assert (rows["ocr"]["found"], rows["ocr"]["recall"]) == (0, 0.0)
    # Pairs with a verbatim copy: s1-c1, c1-c2, s2-c3 (in family), c3-d1 (not).
    assert (rows["verbatim"]["labelled"], rows["verbatim"]["correct"]) == (4, 3)
    assert (rows["copy-copy"]["found"], rows["copy-copy"]["planted"]) == (1, 1)
    assert rows["unlabelled"]["count"] == 3
    # c3-d1 is inherited: its original s2 is paired with d1 too.
    assert rows["cross"] == {"count": 1, "inherited": 1}


@pytest.fixture(scope="module")
def stories() -> list[pl.Story]:
    return pl.load_reuters(shared_path("data", "reuters21578", "reuters21578.jsonl.gz"))


@pytest.fixture(scope="module")
def corpus(stories: list[pl.Story]) -> pl.Planted:
    return pl.build_corpus(stories, n_sources=10, n_distractors=50, seed=5)


def _by_family(corpus: pl.Planted) -> dict[str, dict[str, dict[str, Any]]]:
    fam: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for t in corpus.truth:
        fam[t["family"]][t["kind"]] = t
    return fam


@pytest.mark.shared
def test_truth_is_consistent_with_the_corpus(corpus: pl.Planted) -> None:
    ids = [d["id"] for d in corpus.docs]
    assert len(ids) == len(set(ids)) == 10 + 10 * len(pl.KINDS) + 50
    assert {t["id"] for t in corpus.truth} <= set(ids)
    fam = _by_family(corpus)
    assert len(fam) == 10
    for family, members in fam.items():
        assert sorted(members) == sorted(("source",) + pl.KINDS)
        assert members["source"]["id"] == family
    planted_ids = {t["id"] for t in corpus.truth}
    distractors = [d for d in corpus.docs if d["id"] not in planted_ids]
    assert len(distractors) == 50 and all(d["source"] == "reuters" for d in distractors)
    # No distractor is a natural duplicate of a source.
    texts = {d["id"]: d["text"] for d in corpus.docs}
    source_grams = Counter(g for f in fam for g in pl._shingles(texts[f]))
    for d in distractors:
        assert sum(g in source_grams for g in pl._shingles(d["text"])) <= 2 * len(fam)


@pytest.mark.shared
def test_copies_are_what_their_kind_says(corpus: pl.Planted) -> None:
    texts = {d["id"]: d["text"] for d in corpus.docs}
    for members in _by_family(corpus).values():
        source = texts[members["source"]["id"]]
        assert texts[members["verbatim"]["id"]] == source
        assert members["verbatim"]["id"] != members["source"]["id"]

        ab = members["abridged"]
        unit, units, joiner = pl.split_units(source)
        assert ab["unit"] == unit and ab["units"] == len(units)
        assert ab["kept"] == sorted(set(ab["kept"]))
        assert 0.3 <= 1 - len(ab["kept"]) / len(units) <= 0.5
        assert texts[ab["id"]] == joiner.join(units[i] for i in ab["kept"])

        ed = members["edited"]
        head, body = texts[ed["id"]].split("\n\n", 1)
        assert head == ed["headline"]
        assert 0.09 <= sum(ed["ops"].values()) / ed["words"] <= 0.16
        assert body != source and abs(len(body.split()) - len(source.split())) <= 0.1 * len(source.split())

        junk = members["junk"]
        text = texts[junk["id"]]
        assert all(line in text for line in junk["junk_lines"])
        left = [ln.strip() for ln in text.splitlines() if ln.strip() and ln not in junk["junk_lines"]]
        body_words = " ".join(left).split()
        if junk["abridged"]:
            assert set(body_words) <= set(source.split())
            assert len(body_words) < len(source.split())
        else:
            assert body_words == source.split()

        ocr = members["ocr"]
        assert 0.02 <= pl.noise_rate(source, texts[ocr["id"]]) <= 0.08
        assert 0.025 <= ocr["rate"] <= 0.05


@pytest.mark.shared
def test_same_seed_same_corpus(stories: list[pl.Story], corpus: pl.Planted) -> None:
    again = pl.build_corpus(stories, n_sources=10, n_distractors=50, seed=5)
    assert again.docs == corpus.docs and again.truth == corpus.truth
    other = pl.build_corpus(stories, n_sources=10, n_distractors=50, seed=6)
    assert other.docs != corpus.docs
