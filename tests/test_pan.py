"""PAN measures on hand-computed cases, PAN XML and pairs files, and folder evaluation."""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textreuse.errors import InputError
from textreuse.io.pan import (
    PanCase,
    Scores,
    evaluate_dirs,
    format_scores,
    pair_xml_name,
    plagdet,
    read_pairs,
    read_pan_xml,
    score,
    write_pan_xml,
)

PAN13 = Path(__file__).resolve().parents[2] / "shared" / "data" / "pan13-dev"


def ann(this_offset, this_length, source_offset, source_length, susp="s1.txt", src="r1.txt"):
    return PanCase(susp, this_offset, this_length, src, source_offset, source_length)


def truth_xml(path: Path, susp: str, src: str, spans, extra: str = "") -> None:
    """A truth file as PAN writes it (name="plagiarism")."""
    feats = "".join(
        f'<feature name="plagiarism" obfuscation="none" this_offset="{a}" this_length="{b}" '
        f'source_reference="{src}" source_offset="{c}" source_length="{d}" />\n'
        for a, b, c, d in spans
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<document reference="{susp}">\n{extra}{feats}</document>\n', encoding="utf-8")


# ---------------------------------------------------------------- measures, by hand


def test_perfect_detection():
    c = ann(100, 200, 50, 200)
    s = score([c], [c])
    assert (s.precision, s.recall, s.granularity, s.plagdet) == (1.0, 1.0, 1.0, 1.0)
    assert (s.cases, s.detections, s.detected_cases) == (1, 1, 1)


def test_detection_covering_half_of_a_case_on_both_sides():
    # Case: this [0,200) + source [0,200) = 400 chars. Detection: this [0,100) + source [0,100),
    # all inside the case. recall = (100 + 100) / 400 = 0.5; precision = 200 / 200 = 1;
    # F1 = 2 * 1 * 0.5 / 1.5 = 2/3; granularity 1 -> plagdet = 2/3 / log2(2) = 2/3.
    s = score([ann(0, 200, 0, 200)], [ann(0, 100, 0, 100)])
    assert s.recall == pytest.approx(0.5)
    assert s.precision == pytest.approx(1.0)
    assert s.granularity == 1
    assert s.plagdet == pytest.approx(2 / 3)


def test_shifted_detection_half_in_half_out():
    # Case this [0,200) src [0,200); detection this [100,300) src [100,300).
    # s ∩ r = this [100,200) + src [100,200) = 200 chars. recall = 200/400, precision = 200/400.
    s = score([ann(0, 200, 0, 200)], [ann(100, 200, 100, 200)])
    assert (s.recall, s.precision) == (pytest.approx(0.5), pytest.approx(0.5))
    assert s.plagdet == pytest.approx(0.5)  # F1(0.5, 0.5) = 0.5, granularity 1


def test_one_case_found_by_two_detections():
    # Each detection is exactly one half of the case: together they cover all 400 chars (recall 1),
    # each lies inside the case (precision 1), the case is detected twice (granularity 2):
    # plagdet = F1 / log2(1 + 2) = 1 / log2(3) ≈ 0.6309.
    s = score([ann(0, 200, 0, 200)], [ann(0, 100, 0, 100), ann(100, 100, 100, 100)])
    assert s.recall == pytest.approx(1.0) and s.precision == pytest.approx(1.0)
    assert s.granularity == 2
    assert s.plagdet == pytest.approx(1 / math.log2(3))


def test_overlapping_detections_are_not_counted_twice_in_recall():
    # Detections this/src [0,150) and [50,200): their union is the whole case, so recall is 1,
    # not (300 + 300) / 400. Each detection lies inside the case: precision 1. Granularity 2.
    s = score([ann(0, 200, 0, 200)], [ann(0, 150, 0, 150), ann(50, 150, 50, 150)])
    assert (s.recall, s.precision, s.granularity) == (1.0, 1.0, 2.0)


def test_overlap_on_the_suspicious_side_only_does_not_count():
    # Same suspicious chars, wrong source offsets: r does not detect s, so s ⊓ r = ∅.
    s = score([ann(0, 200, 0, 200)], [ann(0, 200, 1000, 200)])
    assert (s.recall, s.precision, s.plagdet, s.detected_cases, s.granularity) == (0, 0, 0, 0, 1)


def test_overlap_on_the_source_side_only_does_not_count():
    s = score([ann(0, 200, 0, 200)], [ann(5000, 200, 0, 200)])
    assert (s.recall, s.precision, s.detected_cases) == (0, 0, 0)


def test_right_offsets_in_another_source_document_do_not_count():
    s = score([ann(0, 200, 0, 200)], [ann(0, 200, 0, 200, src="r2.txt")])
    assert (s.recall, s.precision) == (0, 0)


def test_false_positive_in_another_pair_lowers_precision():
    # The true detection has precision 1, the false positive (pair s2/r1, no case) 0:
    # precision = (1 + 0) / 2 = 0.5; recall 1; F1 = 2 * 0.5 / 1.5 = 2/3.
    c = ann(0, 100, 0, 100)
    s = score([c], [c, ann(0, 100, 0, 100, susp="s2.txt")])
    assert s.precision == pytest.approx(0.5) and s.recall == pytest.approx(1.0)
    assert s.plagdet == pytest.approx(2 / 3)


def test_detection_larger_than_the_case_lowers_precision():
    # Case this/src [100,300) = 400 chars; detection this/src [0,400) = 800 chars holding it.
    # recall = 400/400 = 1; precision = 400/800 = 0.5; plagdet = F1 = 2/3.
    s = score([ann(100, 200, 100, 200)], [ann(0, 400, 0, 400)])
    assert s.precision == pytest.approx(0.5) and s.recall == pytest.approx(1.0)
    assert s.plagdet == pytest.approx(2 / 3)


def test_macro_averaging_over_cases():
    # Case A fully found (recall 1), case B (another pair) half found (recall 0.5): recall 0.75.
    # Both detections lie inside their cases: precision 1.
    a, b = ann(0, 100, 0, 100), ann(0, 100, 0, 100, susp="s2.txt")
    s = score([a, b], [a, ann(0, 50, 0, 50, susp="s2.txt")])
    assert s.recall == pytest.approx(0.75) and s.precision == pytest.approx(1.0)


def test_one_detection_spanning_two_cases():
    # Cases this/src [0,100) and [200,300); one detection this/src [0,300) = 600 chars.
    # Each case: recall 1 -> 1. Precision: (100+100 + 100+100) / 600 = 2/3.
    # Each case is detected by one detection -> granularity 1.
    s = score([ann(0, 100, 0, 100), ann(200, 100, 200, 100)], [ann(0, 300, 0, 300)])
    assert s.recall == pytest.approx(1.0) and s.precision == pytest.approx(2 / 3)
    assert s.granularity == 1 and s.detected_cases == 2


def test_overlapping_cases_are_not_counted_twice_in_precision():
    # Cases A this/src [0,100) and B this/src [50,150) overlap; detection this/src [0,150).
    # ⋃_s (s ⊓ r) = this [0,150) + src [0,150) = 300 = |r| -> precision exactly 1 (not 400/300).
    s = score([ann(0, 100, 0, 100), ann(50, 100, 50, 100)], [ann(0, 150, 0, 150)])
    assert s.precision == 1.0 and s.recall == 1.0


def test_granularity_is_averaged_over_detected_cases_only():
    # Case A detected by 2 detections, case B by 1, case C (another pair) by none:
    # granularity = (2 + 1) / 2 = 1.5.
    a, b, c = ann(0, 100, 0, 100), ann(500, 100, 500, 100), ann(0, 10, 0, 10, susp="s9.txt")
    dets = [ann(0, 50, 0, 50), ann(50, 50, 50, 50), b]
    s = score([a, b, c], dets)
    assert s.granularity == pytest.approx(1.5) and s.detected_cases == 2


def test_empty_edge_cases_follow_the_official_script():
    both_empty = score([], [])
    assert (both_empty.precision, both_empty.recall, both_empty.granularity, both_empty.plagdet) == (1, 1, 1, 1)
    none_found = score([ann(0, 10, 0, 10)], [])
    assert (none_found.precision, none_found.recall, none_found.granularity, none_found.plagdet) == (0, 0, 1, 0)
    only_fp = score([], [ann(0, 10, 0, 10)])
    assert (only_fp.precision, only_fp.recall, only_fp.granularity, only_fp.plagdet) == (0, 0, 1, 0)


def test_identical_detections_count_once():
    # The official script reads annotations into a set: a repeated detection is one detection.
    c = ann(0, 100, 0, 100)
    s = score([c], [c, c, PanCase("s1.txt", 0, 100, "r1.txt", 0, 100, obfuscation="x")])
    assert (s.detections, s.granularity, s.plagdet) == (1, 1.0, 1.0)


def test_empty_annotations_are_dropped_and_txt_suffix_is_optional():
    c = ann(0, 100, 0, 100)
    s = score([c, ann(7, 0, 9, 0)], [ann(0, 100, 0, 100, susp="s1", src="r1"), ann(3, 0, 3, 0)])
    assert (s.cases, s.detections, s.precision, s.recall) == (1, 1, 1.0, 1.0)


def test_plagdet_values_of_the_official_unit_tests():
    assert plagdet(1, 1, 1) == 1
    assert plagdet(0.5, 1, 1) == pytest.approx(2 / 3)
    assert plagdet(1, 1, 2) == pytest.approx(0.63092975)
    assert plagdet(0.25, 0.75, 2) == pytest.approx(0.23659865)  # F1 = 0.375; / log2(3)
    assert plagdet(0, 0, 1) == 0 and plagdet(0, 1, 1) == 0 and plagdet(1, 1, 0.5) == 0


def test_scores_f1():
    assert Scores(0.5, 1.0, 1.0, 0.0, 1, 1, 1).f1 == pytest.approx(2 / 3)
    assert Scores(0.0, 0.0, 1.0, 0.0, 1, 1, 0).f1 == 0


# ---------------------------------------------------------------- measures, against brute force


def _brute_force(cases, detections):
    """The definitions spelled out with Python sets of characters (slow, obviously right)."""

    def norm(a):
        return (
            a.susp_ref.removesuffix(".txt"),
            a.src_ref.removesuffix(".txt"),
            a.this_offset,
            a.this_length,
            a.source_offset,
            a.source_length,
        )

    def distinct(anns):
        return list(dict.fromkeys(norm(a) for a in anns if a.this_length + a.source_length > 0))

    def chars(a):
        susp, src, to, tl, so, sl = a
        return {("this", susp, i) for i in range(to, to + tl)} | {("src", src, i) for i in range(so, so + sl)}

    def detects(r, s):  # same pair, shared characters on both sides
        return (
            r[:2] == s[:2]
            and bool(set(range(r[2], r[2] + r[3])) & set(range(s[2], s[2] + s[3])))
            and bool(set(range(r[4], r[4] + r[5])) & set(range(s[4], s[4] + s[5])))
        )

    cs, ds = distinct(cases), distinct(detections)
    if not cs or not ds:
        p = r = 1.0 if not cs and not ds else 0.0
        return p, r, 1.0
    rec = sum(len(set().union(*[chars(s) & chars(r) for r in ds if detects(r, s)])) / len(chars(s)) for s in cs) / len(
        cs
    )
    prec = sum(len(set().union(*[chars(s) & chars(r) for s in cs if detects(r, s)])) / len(chars(r)) for r in ds) / len(
        ds
    )
    counts = [sum(detects(r, s) for r in ds) for s in cs]
    found = [n for n in counts if n]
    return prec, rec, (sum(found) / len(found) if found else 1.0)


_annotations = st.builds(
    PanCase,
    st.sampled_from(["s1.txt", "s2.txt", "s1"]),
    st.integers(0, 40),
    st.integers(0, 15),
    st.sampled_from(["r1.txt", "r2.txt"]),
    st.integers(0, 40),
    st.integers(0, 15),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_annotations, max_size=6), st.lists(_annotations, max_size=6))
def test_interval_arithmetic_agrees_with_character_sets(cases, detections):
    s = score(cases, detections)
    prec, rec, gran = _brute_force(cases, detections)
    assert s.precision == pytest.approx(prec)
    assert s.recall == pytest.approx(rec)
    assert s.granularity == pytest.approx(gran)
    assert s.plagdet == pytest.approx(plagdet(prec, rec, gran))
    assert 0 <= s.precision <= 1 and 0 <= s.recall <= 1 and s.granularity >= 1


# ---------------------------------------------------------------- XML and pairs files


def test_pair_xml_name():
    assert pair_xml_name("suspicious-document00005.txt", "source-document01090.txt") == (
        "suspicious-document00005-source-document01090.xml"
    )
    assert pair_xml_name("a", "b") == "a-b.xml"


def test_xml_round_trip(tmp_path: Path):
    path = tmp_path / pair_xml_name("suspicious-document00001.txt", "source-document00002.txt")
    spans = [(10, 20, 30, 40), (100, 5, 200, 6)]
    write_pan_xml(path, "suspicious-document00001.txt", "source-document00002.txt", spans)
    got = read_pan_xml(path)
    assert got == [PanCase("suspicious-document00001.txt", *s[:2], "source-document00002.txt", *s[2:]) for s in spans]
    assert read_pan_xml(path, names=("plagiarism",)) == []  # detections are not truth


def test_odd_reference_names_are_escaped(tmp_path: Path):
    susp = """odd "name" & <x> 'y' é\tz\n.txt"""
    src = "src&amp;1>.txt"
    path = tmp_path / "odd.xml"
    write_pan_xml(path, susp, src, [(1, 2, 3, 4)])
    assert read_pan_xml(path) == [PanCase(susp, 1, 2, src, 3, 4)]


def test_write_rejects_what_xml_cannot_hold(tmp_path: Path):
    with pytest.raises(ValueError, match="XML"):
        write_pan_xml(tmp_path / "x.xml", "bad\x00name", "r.txt", [])
    with pytest.raises(ValueError, match="non-negative"):
        write_pan_xml(tmp_path / "x.xml", "s.txt", "r.txt", [(0, -1, 0, 1)])
    with pytest.raises(ValueError, match="non-negative"):
        write_pan_xml(tmp_path / "x.xml", "s.txt", "r.txt", [(0, 1, 0)])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="non-negative"):
        write_pan_xml(tmp_path / "x.xml", "s.txt", "r.txt", [(0, 1.5, 0, 1)])  # type: ignore[list-item]
    assert list(tmp_path.iterdir()) == []


def test_write_accepts_numpy_integers(tmp_path: Path):
    np = pytest.importorskip("numpy")
    write_pan_xml(tmp_path / "x.xml", "s.txt", "r.txt", [tuple(np.array([1, 2, 3, 4], dtype=np.int64))])
    assert read_pan_xml(tmp_path / "x.xml") == [PanCase("s.txt", 1, 2, "r.txt", 3, 4)]


def test_atomic_write_leaves_no_temp_files_and_replaces(tmp_path: Path):
    path = tmp_path / "a-b.xml"
    write_pan_xml(path, "a.txt", "b.txt", [(0, 1, 0, 1)])
    write_pan_xml(path, "a.txt", "b.txt", [(5, 5, 5, 5), (20, 1, 20, 1)])
    assert [p.name for p in tmp_path.iterdir()] == ["a-b.xml"]
    assert len(read_pan_xml(path)) == 2
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_failed_write_keeps_the_old_file_and_removes_the_temp_file(tmp_path: Path, monkeypatch):
    path = tmp_path / "a-b.xml"
    write_pan_xml(path, "a.txt", "b.txt", [(0, 1, 0, 1)])
    before = path.read_bytes()

    def crash(src, dst):
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk gone"):
        write_pan_xml(path, "a.txt", "b.txt", [(9, 9, 9, 9)])
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a-b.xml"]


def test_read_pan_xml_ignores_other_features_and_keeps_obfuscation(tmp_path: Path):
    path = tmp_path / "t.xml"
    others = '<feature name="about" authors="x" />\n<feature name="md5" value="0" />\n'
    truth_xml(path, "s.txt", "r.txt", [(1, 2, 3, 4)], extra=others)
    assert read_pan_xml(path) == [PanCase("s.txt", 1, 2, "r.txt", 3, 4, "none")]
    negative = tmp_path / "n.xml"
    negative.write_text('<document  reference="s.txt">\n\t<feature  name="md5" value="6c" />\n</document>\n')
    assert read_pan_xml(negative) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<document><feature", "x.xml:1: malformed XML"),
        ("", "x.xml:1: malformed XML"),
        ('<doc reference="s"></doc>', "root element <doc>"),
        (
            '<document reference="s">\n<feature name="plagiarism" this_offset="1" this_length="2" '
            'source_reference="r" source_offset="3" /></document>',
            "x.xml:2: .*source_length",
        ),
        (
            '<document reference="s">\n\n<feature name="plagiarism" this_offset="-1" this_length="2" '
            'source_reference="r" source_offset="3" source_length="4"/></document>',
            "x.xml:3: this_offset='-1'",
        ),
        (
            '<document reference="s"><feature name="detected-plagiarism" this_offset="1" this_length="x" '
            'source_reference="r" source_offset="3" source_length="4"/></document>',
            "this_length='x'",
        ),
        (
            '<document reference="s"><feature name="plagiarism" this_offset="1" this_length="2" '
            'source_offset="3" source_length="4"/></document>',
            "source_reference",
        ),
        (
            '<document><feature name="plagiarism" this_offset="1" this_length="2" source_reference="r" '
            'source_offset="3" source_length="4"/></document>',
            "'reference'",
        ),
    ],
)
def test_bad_pan_xml_is_an_input_error_naming_the_file(tmp_path: Path, text: str, message: str):
    bad = tmp_path / "x.xml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_pan_xml(bad)


def test_unreadable_pan_xml_is_an_input_error(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        read_pan_xml(tmp_path / "missing.xml")
    with pytest.raises(InputError, match="folder"):
        read_pan_xml(tmp_path)


def test_read_pairs(tmp_path: Path):
    pairs = tmp_path / "pairs"
    pairs.write_text(
        "suspicious-document00005.txt source-document01090.txt\n\n  \n"
        "suspicious-document00005.txt\tsource-document01496.txt\r\n",
        encoding="utf-8",
    )
    assert read_pairs(pairs) == [
        ("suspicious-document00005.txt", "source-document01090.txt"),
        ("suspicious-document00005.txt", "source-document01496.txt"),
    ]


def test_read_pairs_reports_the_bad_line(tmp_path: Path):
    pairs = tmp_path / "pairs"
    pairs.write_text("a.txt b.txt\n\nbroken-line\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"pairs:3: expected 'SUSPICIOUS SOURCE'") as info:
        read_pairs(pairs)
    assert info.value.line == 3 and info.value.path == str(pairs)
    pairs.write_text("a.txt b.txt c.txt\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"pairs:1:"):
        read_pairs(pairs)


def test_read_pairs_empty_or_missing(tmp_path: Path):
    empty = tmp_path / "pairs"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="no pairs"):
        read_pairs(empty)
    with pytest.raises(InputError, match="no such file"):
        read_pairs(tmp_path / "nope")


# ---------------------------------------------------------------- folders


def _tiny_corpus(tmp_path: Path) -> tuple[Path, Path]:
    """Two categories: 01-none (two negative pairs), 02-copy (two pairs with one case each)."""
    truth, det = tmp_path / "truth", tmp_path / "det"
    det.mkdir()
    n1 = "suspicious-document00001-source-document00001.xml"
    n2 = "suspicious-document00002-source-document00001.xml"
    p3 = "suspicious-document00003-source-document00002.xml"
    p4 = "suspicious-document00004-source-document00002.xml"
    truth_xml(truth / "01-none" / n1, "suspicious-document00001.txt", "source-document00001.txt", [])
    truth_xml(truth / "01-none" / n2, "suspicious-document00002.txt", "source-document00001.txt", [])
    truth_xml(truth / "02-copy" / p3, "suspicious-document00003.txt", "source-document00002.txt", [(0, 100, 0, 100)])
    truth_xml(truth / "02-copy" / p4, "suspicious-document00004.txt", "source-document00002.txt", [(0, 100, 0, 100)])
    (truth / "02-copy" / "pairs").write_text("not xml\n")
    (truth / "pairs").write_text("not xml\n")
    # src/ and susp/ are documents, never categories, even holding XML.
    truth_xml(truth / "src" / "junk.xml", "x.txt", "y.txt", [(0, 1, 0, 1)])
    (truth / "susp").mkdir()
    # Detections: a false positive in n1; nothing for n2 (no file); half of p3; all of p4.
    write_pan_xml(det / n1, "suspicious-document00001.txt", "source-document00001.txt", [(0, 10, 0, 10)])
    write_pan_xml(det / p3, "suspicious-document00003.txt", "source-document00002.txt", [(0, 50, 0, 50)])
    write_pan_xml(det / p4, "suspicious-document00004.txt", "source-document00002.txt", [(0, 100, 0, 100)])
    return truth, det


def test_evaluate_dirs_per_category_and_overall(tmp_path: Path):
    truth, det = _tiny_corpus(tmp_path)
    scores = evaluate_dirs(truth, det)
    assert list(scores) == ["01-none", "02-copy", "overall"]

    none = scores["01-none"]
    # No cases, one detection: precision = recall = plagdet = 0 (official edge case).
    assert (none.pairs, none.pairs_with_detections, none.cases, none.detections) == (2, 1, 0, 1)
    assert (none.precision, none.recall, none.plagdet) == (0, 0, 0)

    copy = scores["02-copy"]
    # p3: recall 0.5, precision 1; p4: recall 1, precision 1 -> recall 0.75, precision 1.
    assert (copy.pairs, copy.pairs_with_detections, copy.cases, copy.detections) == (2, 2, 2, 2)
    assert copy.recall == pytest.approx(0.75) and copy.precision == pytest.approx(1.0)
    assert copy.plagdet == pytest.approx(2 * 0.75 / 1.75)

    overall = scores["overall"]
    # Pooled: cases p3, p4 (recall 0.75); detections n1 (0), p3 (1), p4 (1) -> precision 2/3.
    assert (overall.pairs, overall.pairs_with_detections, overall.cases, overall.detections) == (4, 3, 2, 3)
    assert overall.recall == pytest.approx(0.75) and overall.precision == pytest.approx(2 / 3)
    f1 = 2 * 0.75 * (2 / 3) / (0.75 + 2 / 3)
    assert overall.plagdet == pytest.approx(f1)

    table = format_scores(scores)
    lines = table.splitlines()
    for column in (
        "category",
        "pairs",
        "cases",
        "detections",
        "precision",
        "recall",
        "granularity",
        "plagdet",
        "pairs w/ detections",
    ):
        assert column in lines[0]
    assert [line.split()[0] for line in lines[2:]] == ["01-none", "02-copy", "overall"]
    assert len({len(line) for line in lines[:2]}) == 1  # header and rule aligned
    assert lines[-1].split()[1:4] == ["4", "2", "3"]


def test_evaluate_dirs_flat_truth_folder_and_category_detection_folders(tmp_path: Path):
    truth, det = _tiny_corpus(tmp_path)
    flat = evaluate_dirs(truth / "02-copy", det)
    assert list(flat) == ["02-copy", "overall"]
    assert flat["02-copy"].recall == pytest.approx(0.75)
    # Detections laid out in category folders, like the truth, are found too.
    mirrored = tmp_path / "mirrored"
    for f in det.iterdir():
        category = "01-none" if "document00001-" in f.name else "02-copy"
        (mirrored / category).mkdir(parents=True, exist_ok=True)
        (mirrored / category / f.name).write_bytes(f.read_bytes())
    again = evaluate_dirs(truth, mirrored)
    assert again["overall"] == evaluate_dirs(truth, det)["overall"]


def test_evaluate_dirs_without_detections(tmp_path: Path):
    truth, _ = _tiny_corpus(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    scores = evaluate_dirs(truth, empty)
    assert scores["01-none"].plagdet == 1.0 and scores["01-none"].pairs_with_detections == 0
    assert scores["02-copy"].plagdet == 0.0 and scores["overall"].recall == 0


def test_evaluate_dirs_bad_folders(tmp_path: Path):
    with pytest.raises(InputError, match="no such folder"):
        evaluate_dirs(tmp_path / "nope", tmp_path)
    with pytest.raises(InputError, match="no such folder"):
        evaluate_dirs(tmp_path, tmp_path / "nope")
    with pytest.raises(InputError, match="no truth XML"):
        evaluate_dirs(tmp_path, tmp_path)
    truth, det = _tiny_corpus(tmp_path)
    (det / "suspicious-document00004-source-document00002.xml").write_text("<document>")
    with pytest.raises(InputError, match="suspicious-document00004-source-document00002.xml"):
        evaluate_dirs(truth, det)


# ---------------------------------------------------------------- the real PAN 2013 corpus


@pytest.mark.shared
def test_pan13_truth_scored_against_itself_is_perfect():
    if not PAN13.is_dir():
        pytest.skip(f"{PAN13} not available")
    scores = evaluate_dirs(PAN13, PAN13, detection_names=("plagiarism",))
    assert list(scores) == [
        "01-no-plagiarism",
        "02-no-obfuscation",
        "03-random-obfuscation",
        "04-translation-obfuscation",
        "05-summary-obfuscation",
        "overall",
    ]
    for category in (
        "02-no-obfuscation",
        "03-random-obfuscation",
        "04-translation-obfuscation",
        "05-summary-obfuscation",
        "overall",
    ):
        s = scores[category]
        assert (s.precision, s.recall, s.granularity, s.plagdet) == (1.0, 1.0, 1.0, 1.0), category
        assert s.cases == s.detections == s.detected_cases > 0
    negatives = scores["01-no-plagiarism"]
    assert negatives.cases == 0 and negatives.pairs_with_detections == 0 and negatives.plagdet == 1.0
    # Summary obfuscation: only the pairs with a `plagiarism` feature hold cases.
    summary = scores["05-summary-obfuscation"]
    assert 0 < summary.pairs_with_detections < summary.pairs


@pytest.mark.shared
def test_pan13_truth_written_as_detections_scores_perfectly(tmp_path: Path, monkeypatch):
    """The whole write -> read -> score path on the real corpus (fsync skipped for speed)."""
    if not PAN13.is_dir():
        pytest.skip(f"{PAN13} not available")
    monkeypatch.setattr(os, "fsync", lambda fd: None)
    truth_files = sorted(PAN13.glob("0*/*.xml"))
    for f in truth_files:
        cases = read_pan_xml(f, names=("plagiarism",))
        susp, src = f.stem.split("-source-")
        susp_ref, src_ref = susp + ".txt", "source-" + src + ".txt"
        assert pair_xml_name(susp_ref, src_ref) == f.name
        spans = [(c.this_offset, c.this_length, c.source_offset, c.source_length) for c in cases]
        write_pan_xml(tmp_path / f.name, susp_ref, src_ref, spans)
    scores = evaluate_dirs(PAN13, tmp_path)
    for category in (
        "02-no-obfuscation",
        "03-random-obfuscation",
        "04-translation-obfuscation",
        "05-summary-obfuscation",
    ):
        s = scores[category]
        assert (s.precision, s.recall, s.plagdet) == (1.0, 1.0, 1.0), category
    assert scores["overall"].pairs == len(truth_files)
    assert scores["01-no-plagiarism"].pairs_with_detections == 0
