"""The command line, run as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import WIRE, assert_one_line_error

PARAS = WIRE.strip().split("\n\n")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "textreuse", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


@pytest.fixture()
def pair(tmp_path: Path) -> tuple[Path, Path]:
    a = tmp_path / "wire.txt"
    b = tmp_path / "reprint.txt"
    a.write_text(WIRE, encoding="utf-8")
    b.write_text("The Coastal Courier\n\nBy Ola Berg\n\n" + "\n\n".join(PARAS[:3]) + "\n", encoding="utf-8")
    return a, b


def test_compare_text_shows_coverage_and_passages(pair):
    a, b = pair
    proc = run("compare", str(a), str(b))
    assert proc.returncode == 0, proc.stderr
    assert "found in B" in proc.stdout and "found in A" in proc.stdout
    assert "verbatim" in proc.stdout
    assert "Excluded from B as page junk" in proc.stdout
    assert "Relation: abridged" in proc.stdout


def test_compare_json_matches_documented_schema(pair):
    a, b = pair
    proc = run("compare", str(a), str(b), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["a"] == {"id": "wire.txt", "length": len(WIRE)}
    assert data["passages"] and set(data["passages"][0]) >= {"a_start", "a_end", "b_start", "b_end", "kind", "score"}
    text_b = b.read_text(encoding="utf-8")
    p = data["passages"][0]
    assert WIRE[p["a_start"] : p["a_end"]] == text_b[p["b_start"] : p["b_end"]]
    assert data["coverage"]["b"] > data["coverage"]["a"]
    assert [text_b[s:e] for s, e in data["excluded"]["b"]] == ["The Coastal Courier", "By Ola Berg"]


def test_compare_csv_has_one_row_per_passage(pair):
    a, b = pair
    proc = run("compare", str(a), str(b), "-f", "csv")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("a_id,b_id,a_start,a_end")


def test_bad_inputs_give_one_line_errors(tmp_path: Path, pair):
    a, _ = pair
    missing = tmp_path / "nope.txt"
    assert_one_line_error(run("compare", str(a), str(missing)), "nope.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert_one_line_error(run("compare", str(empty), str(a)), "empty.txt", "empty")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert_one_line_error(run("compare", str(a), str(binary)), "image.txt", "binary")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("first line\nsecond line caf\xe9\n".encode("latin-1"))
    assert_one_line_error(run("compare", str(latin), str(a)), "latin1.txt", "line 2")


def test_find_reports_malformed_jsonl_line_and_skip_bad_goes_on(tmp_path: Path):
    corpus = tmp_path / "corpus.jsonl"
    docs = [
        {"id": "wire", "text": WIRE, "date": "2026-03-01"},
        {"id": "reprint", "text": "\n\n".join(PARAS[:4]), "date": "2026-03-02"},
        {
            "id": "other",
            "text": "A bakery opened on the main square on Friday, selling bread and cakes to a long queue.",
        },
    ]
    lines = [json.dumps(d) for d in docs]
    lines.insert(2, '{"id": "broken", "text": ')
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert_one_line_error(run("find", str(corpus), "--out", str(out)), "corpus.jsonl:3")
    proc = run("find", str(corpus), "--out", str(out), "--skip-bad")
    assert proc.returncode == 0, proc.stderr
    assert "skipped 1 bad input" in proc.stderr and "corpus.jsonl:3" in proc.stderr
    records = [json.loads(line) for line in (out / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["a"], r["b"]) for r in records] == [("wire", "reprint")]
    assert records[0]["coverage"]["b"] == 1.0
    assert records[0]["relation"]["label"] == "abridged" and records[0]["relation"]["source"] == "a"


def _write_pan_corpus(root: Path) -> None:
    (root / "src").mkdir()
    (root / "susp").mkdir()
    (root / "truth").mkdir()
    source = WIRE
    filler = "Nothing in this opening part of the suspicious document was taken from anywhere else at all. " * 3
    copied = "\n\n".join(PARAS[1:4])
    susp = filler + "\n\n" + copied + "\n\nThe end of the document is also original writing about a local choir."
    (root / "src" / "source-document00001.txt").write_text(source, encoding="utf-8")
    (root / "susp" / "suspicious-document00001.txt").write_text(susp, encoding="utf-8")
    (root / "susp" / "suspicious-document00002.txt").write_text(filler, encoding="utf-8")
    (root / "pairs").write_text(
        "suspicious-document00001.txt source-document00001.txt\n"
        "suspicious-document00002.txt source-document00001.txt\n",
        encoding="utf-8",
    )
    this, src = susp.index(copied), source.index(copied)
    (root / "truth" / "suspicious-document00001-source-document00001.xml").write_text(
        '<document reference="suspicious-document00001.txt">\n'
        f'<feature name="plagiarism" obfuscation="none" this_offset="{this}" this_length="{len(copied)}" '
        f'source_reference="source-document00001.txt" source_offset="{src}" source_length="{len(copied)}" />\n'
        "</document>\n",
        encoding="utf-8",
    )
    (root / "truth" / "suspicious-document00002-source-document00001.xml").write_text(
        '<document reference="suspicious-document00002.txt">\n</document>\n', encoding="utf-8"
    )


def test_pan_then_evaluate_scores_a_verbatim_copy_perfectly(tmp_path: Path):
    _write_pan_corpus(tmp_path)
    out = tmp_path / "det"
    proc = run("pan", str(tmp_path / "pairs"), str(tmp_path / "src"), str(tmp_path / "susp"), str(out), "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    xml = (out / "suspicious-document00001-source-document00001.xml").read_text(encoding="utf-8")
    assert 'name="detected-plagiarism"' in xml and 'source_reference="source-document00001.txt"' in xml
    assert "detected-plagiarism" not in (out / "suspicious-document00002-source-document00001.xml").read_text()
    proc = run("evaluate", str(tmp_path / "truth"), str(out), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    scores = json.loads(proc.stdout)["overall"]
    assert scores["plagdet"] == pytest.approx(1.0)
    assert scores["precision"] == pytest.approx(1.0) and scores["recall"] == pytest.approx(1.0)


def test_pan_missing_document_is_an_error_or_skipped(tmp_path: Path):
    _write_pan_corpus(tmp_path)
    (tmp_path / "susp" / "suspicious-document00002.txt").unlink()
    args = [
        "pan",
        str(tmp_path / "pairs"),
        str(tmp_path / "src"),
        str(tmp_path / "susp"),
        str(tmp_path / "det"),
        "--jobs",
        "1",
    ]
    assert_one_line_error(run(*args), "suspicious-document00002.txt")
    proc = run(*args, "--skip-bad")
    assert proc.returncode == 0
    assert "skipped 1 pair" in proc.stderr


@pytest.mark.parametrize("command", ["compare", "find", "pan", "evaluate"])
def test_help_teaches_with_examples(command):
    proc = run(command, "--help")
    assert proc.returncode == 0
    assert "Usage:" in proc.stdout
    if command != "evaluate":
        assert "Example" in proc.stdout
