"""The shape of the code (issue 9): small files, short functions, options checked at construction."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "textreuse"
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 60


def _sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_no_source_file_over_400_lines() -> None:
    long = {str(p.relative_to(SRC)): n for p in _sources() if (n := len(p.read_text().splitlines())) > MAX_FILE_LINES}
    assert not long, f"files over {MAX_FILE_LINES} lines: {long}"


def test_no_function_over_60_lines() -> None:
    long = []
    for p in _sources():
        for node in ast.walk(ast.parse(p.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{p.relative_to(SRC)}:{node.lineno} {node.name} ({n} lines)")
    assert not long, "functions over 60 lines:\n" + "\n".join(long)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: __import__("textreuse").CompareOptions(mode="Full"), "CompareOptions.mode must be one of"),
        (lambda: __import__("textreuse").LexicalOptions(relative_density=1.0), "LexicalOptions.relative_density"),
        (lambda: __import__("textreuse").LexicalOptions(max_gap=-1), "LexicalOptions.max_gap"),
    ],
)
def test_bad_options_fail_at_construction_naming_the_option(make, message) -> None:
    from textreuse.errors import OptionError

    with pytest.raises(OptionError, match=message) as err:
        make()
    assert "\n" not in str(err.value)
