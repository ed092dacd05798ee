"""bench/pan_misses.py: where a PAN run's missed characters lie."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from .conftest import REPO, shared_path

sys.path.insert(0, str(REPO / "bench"))
import pan_misses as pm  # noqa: E402


def test_a_case_cut_at_both_ends_split_in_two_and_a_false_alarm_are_told_apart() -> None:
    truth = [((100, 200), (1000, 1100)), ((500, 600), (5000, 5100))]
    found = [
        ((110, 140), (1000, 1030)),  # the first case, cut 10 characters short at the susp start
        ((150, 195), (1050, 1090)),  # ... its second piece: a 10-character gap, 5 short at the end
        ((800, 850), (8000, 8050)),  # a detection overlapping no case
    ]
    t = pm.pair_tally(truth, found)
    assert (t["whole n"], t["whole c"]) == (1, 100)
    assert (t["susp start c"], t["susp end c"], t["src end c"]) == (10, 5, 10)
    assert (t["split n"], t["gaps c"]) == (1, 30)  # 10 on the suspicious side, 20 on the source side
    assert (t["fp n"], t["fp c"]) == (1, 50)


def test_truth_scored_against_itself_misses_nothing(tmp_path: Path) -> None:
    cat = shared_path("data", "pan13-dev", "03-random-obfuscation")
    data, det = tmp_path / "data", tmp_path / "det"
    (data / cat.name).mkdir(parents=True)
    det.mkdir()
    pairs = (cat / "pairs").read_text().splitlines()[:20]
    (data / cat.name / "pairs").write_text("\n".join(pairs) + "\n")
    for line in pairs:
        susp, src = line.split()
        name = f"{Path(susp).stem}-{Path(src).stem}.xml"
        shutil.copy(cat / name, data / cat.name / name)
        xml = (cat / name).read_text().replace('name="plagiarism"', 'name="detected-plagiarism"')
        (det / name).write_text(xml)
    row = pm.table(data, det).splitlines()[-1].split(" | ")
    assert row[0] == "| 03-random-obfuscation" and row[1] != "0/0"
    assert all(cell.strip(" |") == "0/0" for cell in row[2:]), row
