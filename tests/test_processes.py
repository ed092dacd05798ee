"""No process or temporary file outlives a killed run: workers die with their parent, the next run sweeps."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from textreuse.common.processes import pid_alive

from .conftest import news_jsonl


def _children(pid: int) -> set[int]:
    """The ids of the live processes whose parent is ``pid``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(stat[1]) == pid and stat[0] != "Z":
            found.add(int(entry.name))
    return found


def _kill_with_workers(args: list[str], env: dict[str, str]) -> set[int]:
    """Start ``textreuse ARGS``, wait for its two workers, SIGKILL it; returns the workers' ids."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "textreuse", *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the run ended before its workers started: make the corpus bigger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return workers


def _env(tmp: Path) -> dict[str, str]:
    return {**os.environ, "TMPDIR": str(tmp), "TEXTREUSE_EMBED_CACHE": ""}


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the worker processes")
@pytest.mark.parametrize("command", ["index", "find"])
def test_workers_die_with_a_killed_parent_and_the_next_run_removes_its_temporary_index(
    tmp_path: Path, command: str
) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    corpus = news_jsonl(tmp_path / "corpus.jsonl", 4000)
    if command == "index":
        args = ["index", "add", str(corpus), "--db", str(tmp_path / "reuse.db"), "--jobs", "2"]
    else:
        args = ["find", str(corpus), "--out", str(tmp_path / "out"), "--mode", "lexical", "--jobs", "2"]
    workers = _kill_with_workers(args, _env(tmp))
    deadline = time.monotonic() + 5
    while any(pid_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if pid_alive(w)], "worker processes outlived their killed parent"
    if command == "find":
        left = [p for p in tmp.rglob("index.db")]
        assert left, "the killed find left no temporary index (nothing for the next run to remove)"
        small = news_jsonl(tmp_path / "small.jsonl", 3)
        again = subprocess.run(
            [sys.executable, "-m", "textreuse", "find", str(small), "--out", str(tmp_path / "o2"), "--mode", "lexical"],
            env=_env(tmp),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert again.returncode == 0, again.stderr
        assert not list(tmp.rglob("index.db")), "the next run did not remove the killed run's temporary index"
