"""`textreuse serve` checks texts in the mode the index supports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from textreuse.cli.serve_cmd import serving_options
from textreuse.compare import CompareOptions

REPO = Path(__file__).resolve().parents[1]


def _index(tmp_path: Path, name: str, *flags: str) -> Path:
    docs = [json.loads(line) for line in (REPO / "demo" / "corpus.jsonl").read_text().splitlines()[:3]]
    corpus = tmp_path / "three.jsonl"
    corpus.write_text("".join(json.dumps(d) + "\n" for d in docs))
    db = tmp_path / name
    subprocess.run(
        [sys.executable, "-m", "textreuse", "index", "add", str(corpus), "--db", str(db), *flags],
        check=True,
        capture_output=True,
    )
    return db


def test_an_index_without_embeddings_is_served_in_lexical_mode_unless_asked(tmp_path: Path) -> None:
    db = _index(tmp_path, "plain.db")
    options, note = serving_options(db, CompareOptions(), mode_given=False)
    assert options.mode == "lexical" and note is not None and "--embed" in note
    asked, no_note = serving_options(db, CompareOptions(), mode_given=True)
    assert asked.mode == "full" and no_note is None
    lexical, none = serving_options(db, CompareOptions(mode="lexical"), mode_given=False)
    assert lexical.mode == "lexical" and none is None


def test_an_embedded_index_is_served_in_full_mode(tmp_path: Path) -> None:
    db = _index(tmp_path, "embedded.db", "--embed")
    options, note = serving_options(db, CompareOptions(), mode_given=False)
    assert options.mode == "full" and note is None
