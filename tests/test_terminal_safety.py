"""Ids, file names and text from the data never reach the terminal raw (issue 11, items 3 and 6).

Rich markup in an id (``[/]``, ``[bold]``) is printed as it is, not read as
markup (it used to end ``find`` and ``query`` in a traceback), and control
characters (ANSI escapes) are shown escaped (``\\x1b``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import WIRE

ESC = "\x1b"
MARKUP_ID = "wire[/]story" + ESC + "[31mRED"
BOLD_ID = "[bold]reprint" + "\x07"


def run(*args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"COLUMNS": "400"}  # wide enough that no id is folded across table lines
    return subprocess.run(
        [sys.executable, "-m", "textreuse", *args], capture_output=True, text=True, timeout=300, env=env
    )


def assert_clean(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert ESC not in proc.stdout + proc.stderr and "\x07" not in proc.stdout + proc.stderr


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.jsonl"
    docs = [{"id": MARKUP_ID, "text": WIRE}, {"id": BOLD_ID, "text": "Coastal Courier\n\n" + WIRE[:1500]}]
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def test_find_prints_markup_and_escape_ids_as_they_are(corpus: Path, tmp_path: Path):
    proc = run("find", str(corpus), "--out", str(tmp_path / "out"), "--mode", "lexical", "-j", "1")
    assert_clean(proc)
    assert "wire[/]story\\x1b[31mRED" in proc.stdout and "[bold]reprint\\x07" in proc.stdout
    records = [json.loads(line) for line in (tmp_path / "out" / "pairs.jsonl").read_text().splitlines()]
    assert {records[0]["a"], records[0]["b"]} == {MARKUP_ID, BOLD_ID}  # the data files keep the ids exact


def test_query_and_stats_print_markup_and_escape_ids_as_they_are(corpus: Path, tmp_path: Path):
    db = tmp_path / ("index[bold]" + ESC + "[2J.db")
    assert_clean(run("index", "add", str(corpus), "--db", str(db), "-j", "1"))
    new = tmp_path / ("new[red]" + ESC + "[2J.txt")
    new.write_text(WIRE[:1200], encoding="utf-8")
    proc = run("query", str(new), "--db", str(db), "--mode", "lexical")
    assert_clean(proc)
    text = proc.stdout
    assert "new[red]\\x1b[2J.txt" in text and "wire[/]story\\x1b[31mRED" in text and "[bold]reprint\\x07" in text
    stats = run("stats", "--db", str(db))
    assert_clean(stats)
    assert "index[bold]\\x1b[2J.db" in "".join(stats.stdout.split())  # the title wraps to the table width


def test_compare_text_escapes_control_characters_in_names_and_text(tmp_path: Path):
    a = tmp_path / ("wire" + ESC + "[31m.txt")
    a.write_text(WIRE.replace("Quay Street", "Quay " + ESC + "[2J Street"), encoding="utf-8")
    b = tmp_path / "[bold]reprint.txt"
    b.write_text(WIRE, encoding="utf-8")
    proc = run("compare", str(a), str(b), "--mode", "lexical")
    assert_clean(proc)
    assert "wire\\x1b[31m.txt" in proc.stdout and "[bold]reprint.txt" in proc.stdout
    assert "Quay \\x1b[2J Street" in proc.stdout


def test_error_messages_escape_control_characters(tmp_path: Path):
    missing = tmp_path / ("gone" + ESC + "[31m.txt")
    proc = run("compare", str(missing), str(missing))
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("textreuse: error: ")
    assert "gone\\x1b[31m.txt" in lines[0] and ESC not in proc.stderr
