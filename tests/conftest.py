"""Shared fixtures: self-written news text and the location of ../shared."""

from __future__ import annotations

import gzip
import json
import subprocess
from pathlib import Path

import pytest

from textreuse.types import Document

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared; the test is skipped when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


def chronam_pages(*numbers: int) -> list[Document]:
    """Pages of chronam-1916 by their line number in the file, with their date and newspaper (OCR'd 1916
    front pages, public domain); the test is skipped when ../shared is absent."""
    path = shared_path("data", "chronam-1916", "chronam-1916-01-02-frontpages.jsonl.gz")
    pages = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i in numbers:
                d = json.loads(line)
                pages[i] = Document(d["id"], d["text"], {"date": d["date"], "source": d["series"]})
            if i >= max(numbers):
                break
    return [pages[n] for n in numbers]


# A self-written wire story (CC0, written for these tests).
WIRE = """HARBOURTON — A burst water main flooded three streets in the old port district on Tuesday, forcing the evacuation of a primary school and cutting supply to about 4,000 homes, city officials said.

Crews from the municipal water company worked through the night to isolate the 90-year-old cast-iron pipe, which gave way shortly after 6 a.m. beneath Quay Street.

“We have never seen a failure of this size in the historic district,” said Marta Olsen, the utility’s director of operations. “The pipe was scheduled for replacement next spring.”

The school’s 310 pupils were moved to the nearby sports hall, and parents were asked to collect them by noon. No injuries were reported.

Shopkeepers along the waterfront said the flooding reached knee height within minutes. Several cellars were filled with muddy water, and the city has promised to cover cleaning costs for businesses that can show damage.

Councillor Peter Anand said the council would debate an emergency budget of 2.5 million crowns to speed up the replacement of old mains across the city. “This should be a wake-up call,” he said.

Water supply is expected to return to all homes by Wednesday evening, the utility said in a statement.
"""


def news_jsonl(path: Path, n: int) -> Path:
    """A JSONL corpus of ``n`` news-like documents (three paragraphs of WIRE each, rotated), for runs of some size."""
    import json

    paras = WIRE.strip().split("\n\n")
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = f"Story {i}. " + " ".join(paras[(i + k) % len(paras)] for k in range(3)) + f" Filed {i}."
            fh.write(json.dumps({"id": f"doc-{i}", "text": text}) + "\n")
    return path


def assert_one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> None:
    """The command failed the way every user-facing error should: one line on stderr, exit status 2."""
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


# The session's headless Chromium for the browser tests (tests/browser.py).
from .browser import browser  # noqa: E402, F401
