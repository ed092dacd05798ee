"""Faults end in one true line and exit status 2, with nothing committed lost: foreign files, full disks, read-only indexes."""

from __future__ import annotations

import json
import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .conftest import WIRE, assert_one_line_error, news_jsonl


def run(*args: str, preexec: Callable[[], None] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "textreuse", *args], capture_output=True, text=True, timeout=300, preexec_fn=preexec
    )


def file_size_limit(limit: int) -> Callable[[], None]:
    """A ``preexec_fn`` that caps the size of files the process writes: a disk that fills at ``limit`` bytes."""

    def cap() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the cap fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return cap


def documents(db: Path) -> int:
    proc = run("stats", "--db", str(db), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return int(json.loads(proc.stdout)["documents"])


@pytest.fixture()
def query_file(tmp_path: Path) -> Path:
    path = tmp_path / "query.txt"
    path.write_text(WIRE.split("\n\n")[0] + "\n", encoding="utf-8")
    return path


def every_command(db: Path, query_file: Path, out: Path) -> Iterator[tuple[str, ...]]:
    """Each command that takes an index, with the arguments to run it on ``db``."""
    yield ("index", "add", str(query_file), "--db", str(db))
    yield ("stats", "--db", str(db))
    yield ("find", "--db", str(db), "--out", str(out), "--mode", "lexical")
    yield ("find", str(query_file), "--db", str(db), "--out", str(out), "--mode", "lexical")
    yield ("query", str(query_file), "--db", str(db), "--mode", "lexical")


def test_a_foreign_sqlite_database_is_refused_and_left_untouched(tmp_path: Path, query_file: Path) -> None:
    foreign = tmp_path / "app.db"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("INSERT INTO meta VALUES ('app', 'ledger')")
    db.commit()
    db.close()
    before, mtime, listing = foreign.read_bytes(), foreign.stat().st_mtime_ns, sorted(tmp_path.iterdir())
    for args in every_command(foreign, query_file, tmp_path / "out"):
        assert_one_line_error(run(*args), "app.db", "not a textreuse index")
        assert foreign.read_bytes() == before and foreign.stat().st_mtime_ns == mtime, args
        assert sorted(tmp_path.iterdir()) == listing, args


def test_every_command_on_a_file_that_is_no_database_says_not_a_textreuse_index(
    tmp_path: Path, query_file: Path
) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("shopping: milk, bread\n", encoding="utf-8")
    for args in every_command(notes, query_file, tmp_path / "out"):
        assert_one_line_error(run(*args), "notes.db", "not a textreuse index")
    assert notes.read_text(encoding="utf-8") == "shopping: milk, bread\n"


def test_a_full_disk_is_one_line_and_every_committed_batch_survives(tmp_path: Path) -> None:
    corpus, db = news_jsonl(tmp_path / "corpus.jsonl", 1500), tmp_path / "reuse.db"
    full = run("index", "add", str(corpus), "--db", str(db), "--jobs", "1", preexec=file_size_limit(3_000_000))
    assert_one_line_error(full, "reuse.db", "is the disk full", "what was added before is kept")
    kept = documents(db)
    assert 0 < kept < 1500 and kept % 256 == 0  # whole batches (Store.add writes 256 a transaction)
    again = run("index", "add", str(corpus), "--db", str(db), "--jobs", "1")
    assert again.returncode == 0, again.stderr
    assert f"{1500 - kept} added, 0 replaced, {kept} unchanged" in again.stdout
    assert documents(db) == 1500


def test_find_on_a_full_disk_is_one_line(tmp_path: Path) -> None:
    corpus = news_jsonl(tmp_path / "corpus.jsonl", 300)
    proc = run(
        "find", str(corpus), "--out", str(tmp_path / "out"), "--mode", "lexical", preexec=file_size_limit(200_000)
    )
    assert_one_line_error(proc, "is the disk full")


def immutable(path: Path) -> None:
    """Make ``path`` read-only even for root (``chattr +i``), or skip the test."""
    try:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    except FileNotFoundError:
        pytest.skip("chattr is not available: cannot make a file read-only for root")
    if done.returncode != 0:
        pytest.skip(f"chattr +i failed ({done.stderr.decode().strip()}): cannot make a file read-only for root")


@pytest.fixture()
def index_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder holding an index of 20 documents (``reuse.db``); read-only flags are cleared at the end."""
    folder = tmp_path / "archive"
    db = folder / "reuse.db"
    assert run("index", "add", str(news_jsonl(tmp_path / "corpus.jsonl", 20)), "--db", str(db)).returncode == 0
    yield folder
    subprocess.run(["chattr", "-i", str(db), str(folder)], capture_output=True)


def test_a_read_only_index_file_is_read_and_index_add_says_read_only(index_folder: Path, query_file: Path) -> None:
    db = index_folder / "reuse.db"
    immutable(db)
    before = db.read_bytes()
    added = run("index", "add", str(query_file), "--db", str(db))
    assert_one_line_error(added, "reuse.db", "read-only")
    assert db.read_bytes() == before
    assert documents(db) == 20
    found = run("find", "--db", str(db), "--out", str(index_folder.parent / "out"), "--mode", "lexical")
    assert found.returncode == 0, found.stderr
    asked = run("query", str(query_file), "--db", str(db), "--mode", "lexical")
    assert asked.returncode == 0 and "doc-" in asked.stdout, asked.stderr


def test_an_index_in_a_read_only_folder_is_read(index_folder: Path, query_file: Path) -> None:
    db = index_folder / "reuse.db"
    assert not Path(f"{db}-wal").exists()  # the last writer folded its log into the file
    immutable(index_folder)
    assert documents(db) == 20
    asked = run("query", str(query_file), "--db", str(db), "--mode", "lexical")
    assert asked.returncode == 0 and "doc-" in asked.stdout, asked.stderr
    assert_one_line_error(run("index", "add", str(query_file), "--db", str(db)), "reuse.db", "cannot open the index")
    new = run("index", "add", str(query_file), "--db", str(index_folder / "new.db"))
    assert_one_line_error(new, "new.db", "cannot open the index")
    assert sorted(p.name for p in index_folder.iterdir()) == ["reuse.db"]


def test_a_failed_run_leaves_no_index_it_created_and_keeps_one_that_was_there(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "Flood warning for the coast."}\n{"id": "b"}\n', encoding="utf-8")
    db = tmp_path / "new.db"
    for inputs in ([str(tmp_path / "missing.txt")], [str(bad)]):
        assert_one_line_error(run("index", "add", *inputs, "--db", str(db)))
        assert not list(tmp_path.glob("new.db*")), inputs
    assert_one_line_error(run("find", str(bad), "--db", str(db), "--out", str(tmp_path / "out")))
    assert not list(tmp_path.glob("new.db*"))
    good = tmp_path / "good.txt"
    good.write_text(WIRE, encoding="utf-8")
    assert run("index", "add", str(good), "--db", str(db)).returncode == 0
    assert_one_line_error(run("index", "add", str(bad), "--db", str(db)))
    assert documents(db) == 1
