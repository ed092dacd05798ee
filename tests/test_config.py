"""`textreuse config` and `--config FILE`: one validated configuration, read from TOML, flags on top."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

from textreuse.config import Config

from .conftest import assert_one_line_error

REPO = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "textreuse", *args], capture_output=True, text=True, timeout=300)


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    docs = {json.loads(line)["id"]: json.loads(line)["text"] for line in (REPO / "demo" / "corpus.jsonl").open()}
    wire = docs["wire-2024-03-05-harbourton-water-main"]
    a, b = tmp_path / "wire.txt", tmp_path / "reprint.txt"
    a.write_text(wire)
    b.write_text("Reprinted from the wire.\n\n" + wire)
    return a, b


def test_config_prints_every_option_as_toml_that_reads_back(tmp_path: Path) -> None:
    proc = run("config")
    assert proc.returncode == 0, proc.stderr
    data = tomllib.loads(proc.stdout)
    assert data["compare"]["mode"] == "full" and data["compare"]["lexical"]["max_gap"] == 12
    assert Config.from_toml(proc.stdout) == Config()
    assert max(len(line) for line in proc.stdout.splitlines()) <= 80
    edited = tmp_path / "textreuse.toml"
    edited.write_text('[compare]\nmode = "lexical"\n\n[compare.lexical]\nmin_words = 15\n')
    shown = tomllib.loads(run("config", "--config", str(edited)).stdout)
    assert shown["compare"]["mode"] == "lexical" and shown["compare"]["lexical"]["min_words"] == 15


def test_a_config_file_sets_the_run_and_flags_win(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    lexical = tmp_path / "lexical.toml"
    lexical.write_text('[compare]\nmode = "lexical"\n')
    from_file = json.loads(run("compare", str(a), str(b), "--format", "json", "--config", str(lexical)).stdout)
    plain = json.loads(run("compare", str(a), str(b), "--format", "json", "--mode", "lexical").stdout)
    assert from_file == plain and from_file["passages"]
    strict = tmp_path / "strict.toml"
    strict.write_text('[compare]\nmode = "lexical"\n\n[compare.lexical]\nmin_words = 5000\n')
    none = json.loads(run("compare", str(a), str(b), "--format", "json", "--config", str(strict)).stdout)
    assert none["passages"] == []
    flag_wins = run("compare", str(a), str(b), "--format", "json", "--config", str(strict), "--min-words", "10")
    assert json.loads(flag_wins.stdout)["passages"]


def test_a_bad_config_file_is_one_line_naming_file_line_and_option(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    typo = tmp_path / "typo.toml"
    typo.write_text('[compare]\nmode = "lexical"\n[compare.lexical]\nmax_gapp = 3\n')
    assert_one_line_error(run("compare", str(a), str(b), "--config", str(typo)), f"{typo}:4", "max_gapp", "max_gap?")
    bad = tmp_path / "bad.toml"
    bad.write_text('[compare]\nmode = "Full"\n')
    assert_one_line_error(run("config", "--config", str(bad)), f"{bad}:2", "CompareOptions.mode")
