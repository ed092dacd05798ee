"""Durability and concurrency of the index, with real processes on real Reuters stories.

``index add`` and ``find --db`` are killed (SIGKILL) at random moments; each
time the index must open, pass ``textreuse index check``, and hold exactly
the documents of the whole batches committed before the kill; ``find``'s
result files must be absent or complete. Readers work while a writer adds,
and two writers adding overlapping documents both finish.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from textreuse.index.check import check_index
from textreuse.index.store import Store

from .conftest import REPO, shared_path

# Documents of the killed runs, and the batch each transaction writes.
KILL_CORPUS = 300
KILL_BATCH = 20
# Kills of `index add` and of `find --db` (runs that finish first do not count; at most
# MAX_RUNS times as many runs), and the range of seconds after which each comes: from
# KILL_AFTER[0] to KILL_AFTER[1], or to the time a whole run takes here if shorter.
ADD_KILLS = 40
FIND_KILLS = 10
MAX_RUNS = 3
KILL_AFTER = (0.05, 1.5)
SEED = 20260611


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "textreuse", *map(str, args)]


def _run(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_command(*args), capture_output=True, text=True, env=_env(), timeout=timeout)


def _reuters(path: Path, n: int, *, skip: int = 0) -> list[str]:
    """Write ``n`` Reuters stories with text (after the first ``skip``) as JSONL; return their ids in order."""
    ids: list[str] = []
    lines: list[str] = []
    with gzip.open(shared_path("data", "reuters21578", "reuters21578.jsonl.gz"), "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if not str(record.get("text", "")).strip():
                continue
            if skip:
                skip -= 1
                continue
            ids.append(record["id"])
            lines.append(line)
            if len(ids) == n:
                break
    path.write_text("".join(lines), encoding="utf-8")
    return ids


def _stored_ids(db: Path) -> list[str]:
    """The ids in the index, read through a plain SQLite connection (duplicates would show)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [i for (i,) in con.execute("SELECT id FROM documents")]
    finally:
        con.close()


def _remove_index(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)


def _kill_window(args: list[str]) -> tuple[float, float]:
    """The range of kill delays for a command: up to the time one whole run of it takes here."""
    start = time.monotonic()
    done = subprocess.run(args, capture_output=True, text=True, env=_env(), timeout=300)
    assert done.returncode == 0, done.stderr
    low, high = KILL_AFTER
    return low, max(2 * low, min(high, time.monotonic() - start))


def _run_until_killed(args: list[str], rng: random.Random, window: tuple[float, float]) -> bool:
    """Start a command and SIGKILL it after a random delay in ``window``; True if it finished first (exit 0)."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env())
    try:
        proc.wait(timeout=rng.uniform(*window))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        assert proc.stderr is not None
        proc.stderr.close()
        return False
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.returncode == 0, err
    return True


def _assert_whole_batches(db: Path, ids: list[str]) -> int:
    """The index opens, passes the check and holds a prefix of ``ids`` in whole batches; returns its size."""
    with Store(db, readonly=True) as store:
        assert len(store) >= 0
    assert check_index(db).problems == []
    stored = _stored_ids(db)
    assert len(stored) == len(set(stored)), "a document stored twice"
    n = len(stored)
    assert n % KILL_BATCH == 0 or n == len(ids), f"{n} documents: not whole batches of {KILL_BATCH}"
    assert set(stored) == set(ids[:n]), "the index holds documents beyond the committed batches"
    return n


@pytest.mark.slow
@pytest.mark.shared
def test_killed_index_add_keeps_whole_batches_and_reruns_without_duplicates(tmp_path: Path) -> None:
    corpus = tmp_path / "reuters.jsonl"
    ids = _reuters(corpus, KILL_CORPUS)
    db = tmp_path / "kill.db"
    add = _command("index", "add", corpus, "--db", db, "-j", "1", "--batch-size", str(KILL_BATCH))
    window = _kill_window(add)
    _remove_index(db)
    rng = random.Random(SEED)
    kills = partial = runs = 0
    while kills < ADD_KILLS and runs < MAX_RUNS * ADD_KILLS:
        runs += 1
        finished = _run_until_killed(add, rng, window)
        kills += not finished
        if not db.exists():
            continue
        n = _assert_whole_batches(db, ids)
        partial += 0 < n < len(ids)
        if finished:
            assert n == len(ids)
            _remove_index(db)
    assert kills == ADD_KILLS, "too few runs were killed to prove anything"
    assert partial >= 5, "too few kills came in the middle of the writing"
    done = _run("index", "add", corpus, "--db", db, "-j", "1", "--batch-size", str(KILL_BATCH))
    assert done.returncode == 0, done.stderr
    assert sorted(_stored_ids(db)) == sorted(ids)
    check = _run("index", "check", "--db", db)
    assert check.returncode == 0, check.stderr
    assert f"ok ({len(ids)} documents" in check.stdout


def _assert_results_whole(out: Path) -> None:
    """Each result file of ``find`` is absent, or complete: every line a JSON object, no pair twice."""
    pairs = out / "pairs.jsonl"
    if pairs.exists():
        records = [json.loads(line) for line in pairs.read_text(encoding="utf-8").splitlines()]
        keys = [(r["a"], r["b"]) for r in records]
        assert len(keys) == len(set(keys))
        assert all(r["passages"] for r in records)
    families = out / "families.jsonl"
    if families.exists():
        for line in families.read_text(encoding="utf-8").splitlines():
            json.loads(line)


@pytest.mark.slow
@pytest.mark.shared
def test_killed_find_leaves_results_absent_or_complete(tmp_path: Path) -> None:
    corpus = tmp_path / "reuters.jsonl"
    _reuters(corpus, KILL_CORPUS)
    db = tmp_path / "find.db"
    assert _run("index", "add", corpus, "--db", db, "-j", "1").returncode == 0
    window = _kill_window(_command("find", "--db", db, "--out", tmp_path / "first", "--mode", "lexical", "-j", "1"))
    rng = random.Random(SEED + 1)
    kills = runs = 0
    while kills < FIND_KILLS and runs < MAX_RUNS * FIND_KILLS:
        runs += 1
        out = tmp_path / f"out{runs % 3}"
        find = _command("find", "--db", db, "--out", out, "--mode", "lexical", "-j", "1")
        kills += not _run_until_killed(find, rng, window)
        assert check_index(db).problems == []
        _assert_results_whole(out)
    assert kills == FIND_KILLS
    done = _run("find", "--db", db, "--out", tmp_path / "out0", "--mode", "lexical", "-j", "1")
    assert done.returncode == 0, done.stderr
    _assert_results_whole(tmp_path / "out0")
    assert (tmp_path / "out0" / "pairs.jsonl").read_text(encoding="utf-8").strip()
    assert len(_stored_ids(db)) == KILL_CORPUS


@pytest.mark.shared
def test_a_second_process_creating_the_same_index_keeps_the_first_ones(tmp_path: Path) -> None:
    """The process that loses the race to create an index uses the winner's file, never replaces it."""
    from textreuse.index.schema import create_index_file
    from textreuse.io.ingest.inputs import iter_documents

    corpus = tmp_path / "docs.jsonl"
    ids = _reuters(corpus, 20)
    docs = list(iter_documents(corpus))
    db = tmp_path / "raced.db"
    with Store(db) as winner:
        winner.add(docs[:10])
        winner.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the first ten in the file itself
        create_index_file(db, True)  # what the slower of two `index add` runs does
        winner.add(docs[10:])
    assert sorted(_stored_ids(db)) == sorted(ids)
    assert check_index(db).problems == []
    assert not list(tmp_path.glob(".raced.db.*"))


@pytest.mark.shared
def test_two_writers_with_overlapping_documents_both_finish(tmp_path: Path) -> None:
    """Two `index add` runs on one index with overlapping ids queue; every document is stored exactly once."""
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    ids_first = _reuters(first, 120)
    ids_second = _reuters(second, 120, skip=60)
    db = tmp_path / "two.db"
    procs = [
        subprocess.Popen(
            _command("index", "add", path, "--db", db, "-j", "1"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        for path in (first, second)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    stored = _stored_ids(db)
    assert len(stored) == len(set(stored))
    assert set(stored) == set(ids_first) | set(ids_second)
    assert check_index(db).problems == []


@pytest.mark.shared
def test_readers_work_while_a_writer_adds(tmp_path: Path) -> None:
    """`query`, `find --db` and `stats` succeed, again and again, while another process adds documents."""
    seed, more = tmp_path / "seed.jsonl", tmp_path / "more.jsonl"
    ids = _reuters(seed, 60)
    _reuters(more, 240, skip=60)
    db = tmp_path / "live.db"
    assert _run("index", "add", seed, "--db", db, "-j", "1").returncode == 0
    query = tmp_path / "query.txt"
    with Store(db, readonly=True) as store:
        query.write_text(store.document(ids[3]).text, encoding="utf-8")
    writer = subprocess.Popen(
        _command("index", "add", more, "--db", db, "-j", "1", "--batch-size", "5"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    readers = 0
    try:
        while writer.poll() is None or readers < 3:
            for args in (
                ("query", query, "--db", db, "--mode", "lexical", "--format", "json"),
                ("find", "--db", db, "--out", tmp_path / "out", "--mode", "lexical", "-j", "1"),
                ("stats", "--db", db, "--format", "json"),
            ):
                done = _run(*args)
                assert done.returncode == 0, f"{args[0]}: {done.stderr}"
                readers += 1
    finally:
        _, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert len(_stored_ids(db)) == 300
    assert check_index(db).problems == []


def test_index_check_reports_each_problem(tmp_path: Path) -> None:
    """A sound index passes `index check`; one with a lost fingerprint row or wrong postings fails, one line each."""
    db = tmp_path / "reuse.db"
    corpus = tmp_path / "c.jsonl"
    texts = [
        "Heavy rain flooded the old mill district on Tuesday night, officials said.",
        "A bakery opened downtown on Friday morning with a queue around the block.",
        "Heavy rain flooded the old mill district on Tuesday night, the mayor said.",
    ]
    corpus.write_text("".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
    assert _run("index", "add", corpus, "--db", db, "-j", "1").returncode == 0
    ok = _run("index", "check", "--db", db)
    assert ok.returncode == 0 and ok.stdout.strip() == f"{db}: ok (3 documents, postings current)"
    con = sqlite3.connect(db)
    with con:
        con.execute("DELETE FROM fingerprints WHERE doc = (SELECT doc FROM documents WHERE id = 'd1')")
        con.execute("UPDATE postings SET docs = zeroblob(LENGTH(docs))")
    con.close()
    bad = _run("index", "check", "--db", db)
    assert bad.returncode == 2
    lines = bad.stderr.strip().splitlines()
    assert lines == [
        f"{db}: 1 documents without fingerprints: 'd1'",
        f"{db}: postings: marked current but do not match the documents' fingerprints",
    ]
    missing = _run("index", "check", "--db", tmp_path / "none.db")
    assert missing.returncode == 2 and missing.stderr.startswith("textreuse: error: ")
    assert "no such index file" in missing.stderr


def test_a_writer_retries_a_held_lock_then_says_the_index_is_busy(tmp_path: Path) -> None:
    """write_transaction waits out another writer's lock; one held past every try is a one-line error."""
    import threading

    from textreuse.errors import TextReuseError
    from textreuse.index.schema import write_transaction

    path = tmp_path / "lock.db"
    holder = sqlite3.connect(path, check_same_thread=False)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.commit()
    waiter = sqlite3.connect(path, timeout=0.05)
    holder.execute("BEGIN IMMEDIATE")
    with pytest.raises(
        TextReuseError, match=r"the index is busy: another process kept it locked \(database is locked\)"
    ):
        write_transaction(waiter, lambda: waiter.execute("INSERT INTO t VALUES (1)"), tries=2)
    release = threading.Timer(0.3, holder.commit)
    release.start()
    write_transaction(waiter, lambda: waiter.execute("INSERT INTO t VALUES (2)"), tries=5)
    release.join()
    assert [x for (x,) in waiter.execute("SELECT x FROM t")] == [2]
    holder.close()
    waiter.close()


def test_an_index_interrupted_while_created_has_no_half_made_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Creating an index is one transaction: stopped before its meta is written, it leaves no tables behind.

    (Before, the tables were committed first: a kill then left a file that every
    reader refused as "index schema None ... rebuild it".)
    """
    from textreuse.index import schema

    class Interrupted:
        def __str__(self) -> str:
            raise RuntimeError("killed while creating the index")

    path = tmp_path / "new.db"
    monkeypatch.setattr(schema, "GRAM_SIZE", Interrupted())
    with pytest.raises(RuntimeError, match="killed while creating"):
        Store(path)
    monkeypatch.undo()
    con = sqlite3.connect(path)
    assert [name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == []
    con.close()
    with Store(path) as store:
        assert len(store) == 0
    assert check_index(path).problems == []


def test_an_index_whose_creation_is_cut_short_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A kill while the tables of a new index are written must not leave a file at the index's path
    # that readers then call "not a textreuse index": the index is built beside it and renamed.
    import textreuse.index.schema as schema

    db = tmp_path / "new.db"
    real = schema.create_tables

    def killed(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(schema, "create_tables", killed)
    with pytest.raises(KeyboardInterrupt):
        Store(db)
    assert not db.exists()
    with pytest.raises(Exception, match="no such index"):
        Store(db, readonly=True)
    monkeypatch.setattr(schema, "create_tables", real)
    with Store(db) as store:
        store.add([])
    with Store(db, readonly=True) as store:
        assert store.info() == []
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".new")]
