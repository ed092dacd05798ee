"""PAN measures on hand-computed cases, and PAN XML files."""

import math
from pathlib import Path

import pytest

from textreuse.errors import InputError
from textreuse.pan import (
    PanCase,
    evaluate_dirs,
    pair_xml_name,
    read_pairs,
    read_pan_xml,
    score,
    write_pan_xml,
)

from .conftest import shared_path


def case(this_offset, this_length, source_offset, source_length, susp="s1.txt", src="r1.txt"):
    return PanCase(susp, this_offset, this_length, src, source_offset, source_length)


def test_perfect_detection():
    c = case(100, 200, 50, 200)
    s = score([c], [c])
    assert (s.precision, s.recall, s.granularity, s.plagdet) == (1.0, 1.0, 1.0, 1.0)


def test_half_detection_on_both_sides():
    # Case: 200 + 200 chars. Detection covers the first 100 on each side, all inside the case.
    # recall = (100 + 100) / 400 = 0.5; precision = 200 / 200 = 1; F1 = 2/3; granularity 1.
    s = score([case(0, 200, 0, 200)], [case(0, 100, 0, 100)])
    assert s.recall == pytest.approx(0.5)
    assert s.precision == pytest.approx(1.0)
    assert s.plagdet == pytest.approx(2 / 3)


def test_two_detections_for_one_case_give_granularity_two():
    # Each detection covers one half of the case exactly: recall 1, precision 1, granularity 2.
    s = score([case(0, 200, 0, 200)], [case(0, 100, 0, 100), case(100, 100, 100, 100)])
    assert s.recall == pytest.approx(1.0) and s.precision == pytest.approx(1.0)
    assert s.granularity == 2
    assert s.plagdet == pytest.approx(1 / math.log2(3))


def test_overlap_on_the_suspicious_side_only_does_not_count():
    s = score([case(0, 200, 0, 200)], [case(0, 200, 1000, 200)])
    assert s.recall == 0 and s.precision == 0 and s.detected_cases == 0 and s.plagdet == 0


def test_larger_detection_lowers_precision():
    # Detection 400 + 400 chars holding the 200 + 200 char case: precision 400/800 = 0.5, recall 1.
    s = score([case(100, 200, 100, 200)], [case(0, 400, 0, 400)])
    assert s.precision == pytest.approx(0.5) and s.recall == pytest.approx(1.0)


def test_false_positive_in_another_pair_lowers_precision():
    c = case(0, 100, 0, 100)
    fp = case(0, 100, 0, 100, susp="s2.txt")
    s = score([c], [c, fp])
    assert s.precision == pytest.approx(0.5) and s.recall == pytest.approx(1.0)


def test_empty_edge_cases():
    assert score([], []).plagdet == 1.0
    none_found = score([case(0, 10, 0, 10)], [])
    assert none_found.recall == 0 and none_found.precision == 0 and none_found.plagdet == 0
    only_fp = score([], [case(0, 10, 0, 10)])
    assert only_fp.precision == 0


def test_xml_round_trip_and_escaping(tmp_path: Path):
    path = tmp_path / pair_xml_name("suspicious-document00001.txt", "source-document00002.txt")
    assert path.name == "suspicious-document00001-source-document00002.xml"
    write_pan_xml(path, 'odd "name" & <x>.txt', "src&1.txt", [(10, 20, 30, 40), (100, 5, 200, 6)])
    got = read_pan_xml(path)
    assert got == [
        PanCase('odd "name" & <x>.txt', 10, 20, "src&1.txt", 30, 40),
        PanCase('odd "name" & <x>.txt', 100, 5, "src&1.txt", 200, 6),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temp files left


def test_read_pairs_reports_the_bad_line(tmp_path: Path):
    pairs = tmp_path / "pairs"
    pairs.write_text("a.txt b.txt\n\nbroken-line\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"pairs:3:"):
        read_pairs(pairs)


def test_malformed_xml_is_an_input_error(tmp_path: Path):
    bad = tmp_path / "x.xml"
    bad.write_text("<document><feature", encoding="utf-8")
    with pytest.raises(InputError, match="x.xml"):
        read_pan_xml(bad)


def test_evaluate_dirs_per_category_and_overall(tmp_path: Path):
    truth = tmp_path / "truth"
    det = tmp_path / "det"
    det.mkdir()
    for cat in ("01-none", "02-copy"):
        (truth / cat).mkdir(parents=True)
    name = "suspicious-document00001-source-document00001.xml"
    write_pan_xml(truth / "02-copy" / name, "suspicious-document00001.txt", "source-document00001.txt", [(0, 100, 0, 100)])
    (truth / "02-copy" / name).write_text(
        (truth / "02-copy" / name).read_text().replace("detected-plagiarism", "plagiarism"), encoding="utf-8"
    )
    neg = "suspicious-document00002-source-document00001.xml"
    write_pan_xml(truth / "01-none" / neg, "suspicious-document00002.txt", "source-document00001.txt", [])
    write_pan_xml(det / name, "suspicious-document00001.txt", "source-document00001.txt", [(0, 50, 0, 50)])
    write_pan_xml(det / neg, "suspicious-document00002.txt", "source-document00001.txt", [(0, 10, 0, 10)])
    scores = evaluate_dirs(truth, det)
    assert list(scores) == ["01-none", "02-copy", "overall"]
    assert scores["02-copy"].recall == pytest.approx(0.5) and scores["02-copy"].precision == pytest.approx(1.0)
    assert scores["01-none"].pairs == 1 and scores["01-none"].pairs_with_detections == 1
    assert scores["overall"].precision == pytest.approx(0.5)


@pytest.mark.shared
def test_truth_scored_against_itself_is_perfect(tmp_path: Path):
    root = shared_path("data", "pan13-dev")
    for cat in ("02-no-obfuscation", "05-summary-obfuscation"):
        for f in (root / cat).glob("*.xml"):
            cases = read_pan_xml(f, names=("plagiarism",))
            susp = f.name.split("-source-")[0] + ".txt"
            src = "source-" + f.name.split("-source-")[1][:-4] + ".txt"
            spans = [(c.this_offset, c.this_length, c.source_offset, c.source_length) for c in cases]
            write_pan_xml(tmp_path / f.name, susp, src, spans)
    scores = evaluate_dirs(root, tmp_path)
    for cat in ("02-no-obfuscation", "05-summary-obfuscation"):
        s = scores[cat]
        assert (s.precision, s.recall, s.plagdet) == (pytest.approx(1.0), pytest.approx(1.0), pytest.approx(1.0))
    assert scores["03-random-obfuscation"].recall == 0
