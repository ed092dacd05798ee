"""Resource bounds: a document too big to align is refused with a one-line message naming it (--max-chars).

The memory of streaming a large collection is measured by ``bench/memory_bounds.py``
(figures in docs/reliability.md), not here.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from textreuse.errors import InputError, OptionError
from textreuse.io.ingest import InputOptions, iter_documents

from .conftest import REPO, WIRE


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "textreuse", *map(str, args)], capture_output=True, text=True, env=env, timeout=300
    )


def _big_text(chars: int) -> str:
    """About ``chars`` characters of news text: the wire story, repeated with numbered paragraphs."""
    pieces: list[str] = []
    size = n = 0
    while size < chars:
        piece = f"{n}. {WIRE}"
        pieces.append(piece)
        size += len(piece)
        n += 1
    return "".join(pieces)[:chars]


def test_max_chars_is_checked_at_construction() -> None:
    with pytest.raises(OptionError, match=r"InputOptions.max_chars must be >= 1, got 0"):
        InputOptions(max_chars=0)
    assert InputOptions().max_chars >= 1_000_000


def test_a_document_over_the_limit_is_refused_naming_it(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        json.dumps({"id": "short", "text": WIRE}) + "\n" + json.dumps({"id": "huge", "text": _big_text(5000)}) + "\n"
    )
    with pytest.raises(
        InputError, match=r'c.jsonl:2: document "huge" has 5,000 characters, more than the limit of 4,000'
    ):
        list(iter_documents(corpus, options=InputOptions(max_chars=4000)))
    bad: list[InputError] = []
    kept = list(iter_documents(corpus, skip_bad=True, bad=bad, options=InputOptions(max_chars=4000)))
    assert [d.id for d in kept] == ["short"] and len(bad) == 1


def test_index_add_refuses_a_50_mb_document_with_one_line(tmp_path: Path) -> None:
    """A generated 50 MB text file: the default limit refuses it at once, one line and exit status 2."""
    big = tmp_path / "big.txt"
    big.write_text(_big_text(50_000_000), encoding="utf-8")
    (tmp_path / "wire.txt").write_text(WIRE, encoding="utf-8")
    db = tmp_path / "reuse.db"
    refused = _run("index", "add", big, "--db", db, "-j", "1")
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        f'textreuse: error: {big}: document "big.txt" has 50,000,000 characters, more than the limit of '
        "10,000,000 (raise it with --max-chars, or skip such documents with --skip-bad)"
    ]
    skipped = _run("index", "add", big, tmp_path / "wire.txt", "--db", db, "-j", "1", "--skip-bad")
    assert skipped.returncode == 0, skipped.stderr
    assert "1 added" in skipped.stdout and "big.txt" in skipped.stderr
    con = sqlite3.connect(db)
    assert [i for (i,) in con.execute("SELECT id FROM documents")] == ["wire.txt"]
    con.close()


def test_find_takes_max_chars(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"d{i}", "text": WIRE}) + "\n" for i in range(2)))
    done = _run("find", corpus, "--out", tmp_path / "out", "--mode", "lexical", "--max-chars", "100")
    assert done.returncode == 2
    assert 'document "d0" has' in done.stderr and "more than the limit of 100 " in done.stderr
    bad = _run("find", corpus, "--out", tmp_path / "out", "--mode", "lexical", "--max-chars", "0")
    assert bad.returncode == 2
    assert bad.stderr.strip() == "textreuse: error: InputOptions.max_chars must be >= 1, got 0"
