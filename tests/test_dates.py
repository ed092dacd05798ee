"""Document dates read in any common form, kept as ISO 8601 and compared as dates, never as text.

Reuters-21578 dates (``26-FEB-1987 15:01:11.79``) sort wrongly as strings:
``26-FEB`` comes after ``2-MAR`` and after ``19-OCT``. These tests use the real
Reuters collection in ../shared (skipped when absent) and the engine's
commands in real processes.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textreuse.common import dates
from textreuse.compare import CompareOptions, compare
from textreuse.corpus.families import build_families
from textreuse.corpus.record import PairRecord
from textreuse.io.ingest import iter_documents
from textreuse.types import Document, Passage

from .conftest import WIRE, shared_path

REUTERS_FORMAT = "%d-%b-%Y %H:%M:%S.%f"
LEXICAL = CompareOptions(mode="lexical")
# The one Reuters-21578 story whose date field carries a note after the date.
GUESSED = "reuters-15370"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "textreuse", *args], capture_output=True, text=True, timeout=300)


def reuters(n: int | None = None) -> list[dict[str, Any]]:
    """The first ``n`` records of the real Reuters-21578 collection (all without ``n``)."""
    path = shared_path("data", "reuters21578", "reuters21578.jsonl.gz")
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record["text"].strip():  # a few stories have no body
                out.append(record)
            if n is not None and len(out) == n:
                break
    return out


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def story() -> str:
    """A real Reuters story of some length."""
    return next(r["text"] for r in reuters(200) if len(r["text"]) > 1500)


# ---------------------------------------------------------------- reading dates


def test_every_reuters_date_is_read_as_the_moment_it_names() -> None:
    records = reuters()
    # Two dates cannot be read: a note after the date, and hour 605. They are reported, not guessed.
    unreadable = {r["id"]: r["date"] for r in records if dates.iso_date(r["date"]) is None}
    assert unreadable == {
        GUESSED: "9-APR-1987 00:00:00.00    # date added by S Finch as guesswork",
        "reuters-17192": "31-MAR-1987 605:12:19.12",
    }
    records = [r for r in records if r["id"] not in unreadable]
    for r in records:
        written = r["date"].split("&#")[0].strip()  # 334 stories have "&#5;&#5;&#5;RM" after the date
        assert dates.iso_date(r["date"]) == datetime.strptime(written, REUTERS_FORMAT).isoformat(), r["id"]
    # In date order, not in the order of the strings.
    by_text = sorted(records, key=lambda r: r["date"])
    by_date = sorted(records, key=lambda r: dates.date_sort_key(r["date"]))
    assert by_text[0]["date"].startswith("1-APR-1987")
    assert by_date[0]["date"].startswith("26-FEB-1987") and by_date[-1]["date"].startswith("20-OCT-1987")
    assert dates.earlier("26-FEB-1987 15:01:01.79", "2-MAR-1987 10:00:00.00") == "a"
    assert dates.day_number("2-MAR-1987 10:00:00.00") - dates.day_number("26-FEB-1987 15:01:01.79") == 4


def test_mixed_forms_become_iso_and_keep_what_was_written(tmp_path: Path) -> None:
    written = {
        "reuters": "26-FEB-1987 15:01:01.79",
        "chronam": "1916-01-03",
        "rfc2822": "Thu, 26 Feb 1987 15:01:11 -0500",
        "iso-utc": "1987-02-26T20:01:12Z",
        "newspaper": "January 3, 1916",
        "undated": "",
    }
    src = write_jsonl(tmp_path / "mixed.jsonl", [{"id": k, "text": WIRE, "date": v} for k, v in written.items()])
    docs = {d.id: d for d in iter_documents(src)}
    assert docs["reuters"].date == "1987-02-26T15:01:01.790000"
    assert docs["reuters"].metadata["date_original"] == "26-FEB-1987 15:01:01.79"
    assert docs["chronam"].date == "1916-01-03" and "date_original" not in docs["chronam"].metadata
    assert docs["rfc2822"].date == "1987-02-26T15:01:11-05:00"
    assert docs["iso-utc"].date == "1987-02-26T20:01:12+00:00"
    assert docs["newspaper"].date == "1916-01-03"
    assert docs["undated"].date is None
    # 15:01:11 at -05:00 is 20:01:11 UTC: one second before the UTC time; a day without a time is a day.
    assert dates.earlier(docs["rfc2822"].date, docs["iso-utc"].date) == "a"
    assert dates.earlier(docs["newspaper"].date, docs["chronam"].date) is None
    assert dates.earlier(docs["reuters"].date, "1987-02-26") is None


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.integers(), st.datetimes().map(str), st.dates().map(lambda d: d.strftime("%d-%b-%Y"))))
def test_any_value_is_read_or_refused_without_error_and_its_iso_form_reads_back(value: object) -> None:
    parsed = dates.parse_date(value)
    if parsed is not None:
        assert dates.parse_date(parsed.isoformat()) == parsed
        assert dates.earlier(value, parsed.isoformat()) is None
    assert dates.day_number(value) == (None if parsed is None else parsed.toordinal())


# ---------------------------------------------------------------- what compares dates


def test_relation_evidence_calls_the_earlier_reuters_story_earlier() -> None:
    text = story()
    wire = Document("wire", text, {"date": "26-FEB-1987 15:01:01.79"})
    reprint = Document("reprint", text[: 2 * len(text) // 3], {"date": "2-MAR-1987 10:00:00.00"})
    relation = compare(reprint, wire, LEXICAL).relation
    assert relation is not None
    assert any(e.startswith("dates: b is earlier (26-FEB-1987") for e in relation.evidence), relation.evidence


def test_family_source_is_the_earliest_reuters_story() -> None:
    pairs = [
        PairRecord("march", "feb", None, 1.0, 1.0, (Passage(0, 100, 0, 100, "verbatim", 1.0),)),
        PairRecord("october", "feb", None, 1.0, 1.0, (Passage(0, 100, 0, 100, "verbatim", 1.0),)),
    ]
    info = {
        "feb": {"date": "26-FEB-1987 15:01:01.79"},
        "march": {"date": "2-MAR-1987 10:00:00.00"},
        "october": {"date": "19-OCT-1987 09:00:00.00"},
    }
    (family,) = build_families(pairs, info)
    assert family["source"] == "feb", family["evidence"]
    assert family["members"] == ["feb", "march", "october"]
    assert family["dates"]["feb"] == "1987-02-26T15:01:01.790000"


# ---------------------------------------------------------------- the commands


def _reuters_copies(tmp_path: Path) -> Path:
    """A real Reuters story, a reprint four days later and one eight months later, dated as Reuters dates."""
    text = story()
    return write_jsonl(
        tmp_path / "wire.jsonl",
        [
            {"id": "october", "text": "REVIEW\n\n" + text, "date": "19-OCT-1987 09:00:00.00"},
            {"id": "march", "text": "COCOA\n\n" + text, "date": "2-MAR-1987 10:00:00.00"},
            {"id": "feb", "text": text, "date": "26-FEB-1987 15:01:01.79"},
        ],
    )


def _pairs(out: Path) -> set[frozenset[str]]:
    lines = (out / "pairs.jsonl").read_text().splitlines()
    return {frozenset((p["a"], p["b"])) for p in map(json.loads, lines)}


def test_find_family_source_is_the_earliest_by_reuters_dates(tmp_path: Path) -> None:
    src = _reuters_copies(tmp_path)
    everything = run("find", str(src), "--out", str(tmp_path / "all"), "--mode", "lexical", "-j", "1")
    assert everything.returncode == 0, everything.stderr
    assert _pairs(tmp_path / "all") == {
        frozenset(p) for p in [("feb", "march"), ("feb", "october"), ("march", "october")]
    }
    (family,) = [json.loads(line) for line in (tmp_path / "all" / "families.jsonl").read_text().splitlines()]
    assert family["source"] == "feb" and family["members"] == ["feb", "march", "october"]


def test_find_window_drops_pairs_far_apart_by_reuters_dates(tmp_path: Path) -> None:
    src = _reuters_copies(tmp_path)
    window = run("find", str(src), "--out", str(tmp_path / "month"), "--mode", "lexical", "-j", "1", "--window", "30d")
    assert window.returncode == 0, window.stderr
    assert _pairs(tmp_path / "month") == {frozenset(("feb", "march"))}


def test_stats_first_and_last_date_of_real_reuters_stories(tmp_path: Path) -> None:
    records = reuters(400)
    src = write_jsonl(tmp_path / "reuters.jsonl", records)
    db = tmp_path / "reuters.db"
    added = run("index", "add", str(src), "--db", str(db), "-j", "1", "--no-junk")
    assert added.returncode == 0, added.stderr
    assert "warning" not in added.stderr
    stats = json.loads(run("stats", "--db", str(db), "--format", "json").stdout)
    moments = sorted(datetime.strptime(r["date"], REUTERS_FORMAT) for r in records)
    assert (stats["first_date"], stats["last_date"]) == (moments[0].isoformat(), moments[-1].isoformat())
    # Stored as ISO 8601, the date as written kept in the metadata.
    with sqlite3.connect(db) as con:
        date, metadata = con.execute("SELECT date, metadata FROM documents WHERE id = 'reuters-1'").fetchone()
    assert date == "1987-02-26T15:01:01.790000"
    assert json.loads(metadata)["date_original"] == "26-FEB-1987 15:01:01.79"


def test_an_index_made_before_holds_dates_as_written_and_they_are_read_on_use(tmp_path: Path) -> None:
    src = _reuters_copies(tmp_path)
    db = tmp_path / "old.db"
    assert run("index", "add", str(src), "--db", str(db), "-j", "1").returncode == 0
    with sqlite3.connect(db) as con:  # as an index made before dates were read held them
        con.execute("UPDATE documents SET date = COALESCE(json_extract(metadata, '$.date_original'), date)")
        assert con.execute("SELECT MIN(date) FROM documents").fetchone() == ("19-OCT-1987 09:00:00.00",)
    stats = json.loads(run("stats", "--db", str(db), "--format", "json").stdout)
    assert (stats["first_date"], stats["last_date"]) == ("1987-02-26T15:01:01.790000", "1987-10-19T09:00:00")
    window = run("find", "--db", str(db), "--out", str(tmp_path / "out"), "--mode", "lexical", "--window", "30d")
    assert window.returncode == 0, window.stderr
    assert _pairs(tmp_path / "out") == {frozenset(("feb", "march"))}


def test_an_unreadable_date_is_a_warning_naming_the_document(tmp_path: Path) -> None:
    records = reuters(2) + [next(r for r in reuters() if r["id"] == GUESSED)]
    records[1]["date"] = "spring 1987"
    src = write_jsonl(tmp_path / "bad.jsonl", records)
    db = tmp_path / "bad.db"
    added = run("index", "add", str(src), "--db", str(db), "-j", "1")
    assert added.returncode == 0, added.stderr
    assert 'document "reuters-2": cannot read the date "spring 1987"' in added.stderr
    assert f'document "{GUESSED}": cannot read the date "9-APR-1987 00:00:00.00    # date added' in added.stderr
    assert '"reuters-1"' not in added.stderr and "Traceback" not in added.stderr
    with sqlite3.connect(db) as con:
        date, metadata = con.execute("SELECT date, metadata FROM documents WHERE id = 'reuters-2'").fetchone()
    assert date is None and json.loads(metadata)["date_original"] == "spring 1987"
    stats = json.loads(run("stats", "--db", str(db), "--format", "json").stdout)
    assert stats["first_date"] == "1987-02-26T15:01:01.790000"


def test_date_format_reads_day_first_dates(tmp_path: Path) -> None:
    text = story()
    src = write_jsonl(
        tmp_path / "dmy.jsonl",
        [
            {"id": "later", "text": "COCOA\n\n" + text, "date": "03/01/1916"},
            {"id": "first", "text": text, "date": "02/01/1916"},
        ],
    )
    guessed = tmp_path / "guessed.db"
    assert run("index", "add", str(src), "--db", str(guessed), "-j", "1").returncode == 0
    stats = json.loads(run("stats", "--db", str(guessed), "--format", "json").stdout)
    assert (stats["first_date"], stats["last_date"]) == ("1916-02-01", "1916-03-01")  # read month first
    told = tmp_path / "told.db"
    added = run("index", "add", str(src), "--db", str(told), "-j", "1", "--date-format", "%d/%m/%Y")
    assert added.returncode == 0, added.stderr
    stats = json.loads(run("stats", "--db", str(told), "--format", "json").stdout)
    assert (stats["first_date"], stats["last_date"]) == ("1916-01-02", "1916-01-03")
    found = run(
        "find",
        str(src),
        "--out",
        str(tmp_path / "out"),
        "--mode",
        "lexical",
        "--date-format",
        "%d/%m/%Y",
        "--window",
        "3d",
    )
    assert found.returncode == 0, found.stderr
    assert _pairs(tmp_path / "out") == {frozenset(("first", "later"))}


@pytest.mark.parametrize(
    "command",
    [
        ["index", "add", "X", "--db", "D"],
        ["find", "X", "--out", "O"],
        ["compare", "X", "X"],
        ["query", "X", "--db", "D"],
    ],
)
def test_commands_that_read_documents_check_date_format(tmp_path: Path, command: list[str]) -> None:
    args = [str(tmp_path / a) if a in ("X", "D", "O") else a for a in command]
    proc = run(*args, "--date-format", "%Y-%Q")
    assert proc.returncode == 2
    assert "'%Y-%Q' is not a strptime format" in proc.stderr and "Traceback" not in proc.stderr
