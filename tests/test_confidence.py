"""The calibrated confidence: on every pair and passage, in every output, filtered by --min-confidence, sorted by."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from textreuse.compare import CompareOptions, compare
from textreuse.confidence import pair_confidence
from textreuse.corpus.options import FindOptions
from textreuse.errors import OptionError
from textreuse.index.results_read import get_pair
from textreuse.index.store import Store

from .conftest import REPO, WIRE, shared_path

DEMO = REPO / "demo" / "corpus.jsonl"
LEXICAL = CompareOptions(mode="lexical")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "textreuse", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


@pytest.fixture(scope="module")
def demo_found(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    """The demo corpus through `find --db` in lexical mode: the index and the lines of pairs.jsonl."""
    out = tmp_path_factory.mktemp("demo")
    proc = run("find", str(DEMO), "--db", str(out / "reuse.db"), "--out", str(out / "found"), "--mode", "lexical")
    assert proc.returncode == 0, proc.stderr
    lines = (out / "found" / "pairs.jsonl").read_text(encoding="utf-8").splitlines()
    return out, [json.loads(line) for line in lines]


def test_every_pair_and_passage_of_find_has_a_confidence_in_its_evidence_too(demo_found):
    _, pairs = demo_found
    assert len(pairs) >= 5
    for p in pairs:
        assert 0.0 < p["confidence"] <= 1.0
        assert all(0.0 <= q["confidence"] <= 1.0 for q in p["passages"])
        assert f"confidence {p['confidence']:.2f}" in " ".join(p["relation"]["evidence"])


def test_find_sorts_pairs_by_confidence(demo_found):
    _, pairs = demo_found
    confidences = [p["confidence"] for p in pairs]
    assert confidences == sorted(confidences, reverse=True)
    assert len(set(confidences)) > 1  # the order says something


def test_confidence_read_back_from_the_index_is_the_one_written(demo_found):
    out, pairs = demo_found
    with Store(out / "reuse.db", readonly=True) as store:
        for p in pairs:
            row = get_pair(store.db, p["a"], p["b"])
            assert row is not None
            assert row.confidence == p["confidence"]
            assert [q.confidence for q in row.passages] == [q["confidence"] for q in p["passages"]]


def test_min_confidence_cuts_the_pairs_of_find(demo_found, tmp_path: Path):
    _, pairs = demo_found
    cut = float(np.median([p["confidence"] for p in pairs]))
    proc = run(
        "find", str(DEMO), "--out", str(tmp_path), "--mode", "lexical", "--min-confidence", str(cut), "--format", "csv"
    )
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "pairs.csv").read_text(encoding="utf-8"))))
    kept = {(r["a"], r["b"]) for r in rows}
    assert kept == {(p["a"], p["b"]) for p in pairs if p["confidence"] >= cut}
    assert 0 < len(kept) < len(pairs)
    assert all(float(r["confidence"]) >= cut and 0 <= float(r["passage_confidence"]) <= 1 for r in rows)


def test_compare_reports_confidence_and_min_confidence_cuts_it(tmp_path: Path):
    docs = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines()]
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(WIRE, encoding="utf-8")
    b.write_text(WIRE.split("\n\n")[0] + "\n\n" + docs[0]["text"], encoding="utf-8")
    proc = run("compare", str(a), str(b), "--mode", "lexical", "-f", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["passages"] and 0 < data["confidence"] < 1
    assert all("confidence" in q for q in data["passages"])
    text = run("compare", str(a), str(b), "--mode", "lexical").stdout
    assert f"confidence {data['confidence']:.2f}" in text
    above = min(1.0, data["confidence"] + 0.001)
    cut = json.loads(
        run("compare", str(a), str(b), "--mode", "lexical", "-f", "json", "--min-confidence", str(above)).stdout
    )
    assert cut["passages"] == [] and cut["relation"]["label"] == "unrelated"
    assert "below the minimum" in cut["relation"]["evidence"][0]


def test_query_shows_confidence_and_min_confidence_leaves_matches_out(demo_found, tmp_path: Path):
    out, pairs = demo_found
    docs = {d["id"]: d for d in map(json.loads, DEMO.read_text(encoding="utf-8").splitlines())}
    new = tmp_path / "new.txt"
    new.write_text(docs[pairs[0]["a"]]["text"], encoding="utf-8")
    args = ("query", str(new), "--db", str(out / "reuse.db"), "--mode", "lexical", "-f", "json")
    matches = json.loads(run(*args).stdout)["matches"]
    assert matches and all(0 < m["confidence"] <= 1 for m in matches)
    cut = max(m["confidence"] for m in matches)
    kept = json.loads(run(*args, "--min-confidence", str(cut)).stdout)["matches"]
    assert [m["id"] for m in kept] == [m["id"] for m in matches if m["confidence"] >= cut]
    assert len(kept) < len(matches) or all(m["confidence"] == cut for m in matches)


def test_confidence_does_not_depend_on_the_order_of_the_pair():
    docs = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines()[:6]]
    for x in docs[1:]:
        ab, ba = compare(docs[0]["text"], x["text"], LEXICAL), compare(x["text"], docs[0]["text"], LEXICAL)
        assert ab.confidence == ba.confidence


def test_min_confidence_options_are_checked():
    with pytest.raises(OptionError, match="FindOptions.min_confidence"):
        FindOptions(min_confidence=1.5)
    with pytest.raises(OptionError, match="CompareOptions.min_confidence"):
        CompareOptions(min_confidence=-0.1)


def _auc(score: np.ndarray, y: np.ndarray) -> float:
    pos, neg = score[y == 1], score[y == 0]
    return float(np.mean([(p > n) + 0.5 * (p == n) for p in pos for n in neg]))


@pytest.mark.slow
@pytest.mark.shared
def test_confidence_separates_reuse_from_same_event_stories_better_than_coverage():
    """Held-out same-event draw 5: hard negatives and planted copies compared directly, as `compare` sees them."""
    sys.path.insert(0, str(REPO / "bench"))
    import same_event as se

    shared_path("data", "reuters21578")
    planted, negatives = se.build(5, 80, 30, 30, 0.3, se.pl.REUTERS)
    docs = {d["id"]: d["text"] for d in planted.docs}
    copies = [(t["family"], t["id"]) for t in planted.truth if t["kind"] != "source"]
    labelled = [(p["a"], p["b"], 0) for p in negatives] + [(a, b, 1) for a, b in copies]
    results = [(compare(docs[a], docs[b], LEXICAL), y) for a, b, y in labelled]
    shared = [(r, y) for r, y in results if r.passages]
    y = np.array([y for _, y in shared])
    assert 0 < y.sum() < len(y)
    conf = np.array([r.confidence for r, _ in shared])
    cov = np.array([max(r.coverage_a, r.coverage_b) for r, _ in shared])
    assert _auc(conf, y) > _auc(cov, y)
    assert conf[y == 1].mean() > 0.8 > conf[y == 0].mean()
    for r, _ in shared[:20]:
        assert r.confidence == pair_confidence(r.coverage_a, r.coverage_b, r.relation.label, r.passages)
