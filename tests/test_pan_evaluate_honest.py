"""``evaluate`` never reports a score it did not earn (issue 11, item 6).

Folders given in the wrong order are an error, not a perfect 1.0; detections
for a subset of the pairs score that subset, saying so on stderr.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from textreuse.errors import InputError
from textreuse.io.pan import evaluate_dirs, write_pan_xml

from .conftest import shared_path

CATEGORY = "02-no-obfuscation"
SUBSET = 30


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "textreuse", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def subset_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """``textreuse pan`` on the first 30 pairs of one PAN 2013 category: (the corpus, the detections folder)."""
    pan13 = shared_path("data", "pan13-dev")
    tmp = tmp_path_factory.mktemp("pan-subset")
    pairs = tmp / "pairs"
    lines = (pan13 / CATEGORY / "pairs").read_text(encoding="utf-8").splitlines()[:SUBSET]
    pairs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp / "det"
    proc = run("pan", str(pairs), str(pan13 / "src"), str(pan13 / "susp"), str(out), "--mode", "lexical", "-j", "2")
    assert proc.returncode == 0, proc.stderr
    return pan13, out


@pytest.mark.shared
def test_evaluate_scores_the_subset_of_pairs_run_and_says_so(subset_run):
    pan13, det = subset_run
    proc = run("evaluate", str(pan13), str(det), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    scores = json.loads(proc.stdout)
    assert list(scores) == [CATEGORY, "overall"]
    overall = scores["overall"]
    assert overall["pairs"] == SUBSET and overall["recall"] > 0.9 and overall["plagdet"] > 0.9
    assert overall["pairs_missing"] > 2000
    note = proc.stderr.strip().splitlines()
    assert len(note) == 1 and "have no detection file" in note[0] and "left out" in note[0]


@pytest.mark.shared
def test_evaluate_missing_as_misses_says_so(subset_run):
    pan13, det = subset_run
    proc = run("evaluate", str(pan13), str(det), "--missing-as-misses", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    overall = json.loads(proc.stdout)["overall"]
    assert overall["pairs"] > 2000 and overall["recall"] < 0.1
    assert "scored as misses" in proc.stderr


@pytest.mark.shared
def test_evaluate_with_folders_swapped_is_an_error_not_a_perfect_score(subset_run):
    pan13, det = subset_run
    proc = run("evaluate", str(det), str(pan13))
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("textreuse: error: ") and "swapped" in lines[0]


def test_evaluate_dirs_skip_leaves_out_pairs_without_a_detection_file(tmp_path: Path):
    truth, det = tmp_path / "truth", tmp_path / "det"
    det.mkdir()
    for n in (1, 2):
        name = f"suspicious-document0000{n}-source-document00001.xml"
        write_pan_xml(det / name, f"suspicious-document0000{n}.txt", "source-document00001.txt", [(0, 10, 0, 10)])
        text = (det / name).read_text().replace("detected-plagiarism", "plagiarism")
        (truth / "02-copy").mkdir(parents=True, exist_ok=True)
        (truth / "02-copy" / name).write_text(text)
    (det / "suspicious-document00002-source-document00001.xml").unlink()
    skipped = evaluate_dirs(truth, det, missing="skip")["overall"]
    assert (skipped.pairs, skipped.pairs_missing, skipped.recall) == (1, 1, 1.0)
    missed = evaluate_dirs(truth, det)["overall"]
    assert (missed.pairs, missed.pairs_missing, missed.recall) == (2, 1, 0.5)
    with pytest.raises(InputError, match="swapped"):
        evaluate_dirs(det, truth)
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no detection XML for any of the 2 truth pairs"):
        evaluate_dirs(truth, tmp_path / "empty", missing="skip")
