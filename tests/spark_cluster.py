"""A Spark standalone cluster on 127.0.0.1 for the tests: one master and its workers, as subprocesses.

:func:`standalone_cluster` starts them with the ``spark-class`` script that
the pip ``pyspark`` package ships, waits until every worker has registered
with the master, yields the master's URL, and stops every process it
started (its own process groups, by id), also when the test fails.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

# Seconds to wait for the workers to register, and for a stopped process to exit.
REGISTER_TIMEOUT = 180
STOP_TIMEOUT = 30


@dataclass
class Cluster:
    """A running standalone cluster: the master's URL and the folder of its logs and work dirs."""

    url: str
    folder: Path

    def executor_dirs(self) -> list[Path]:
        """The executor folders the workers made (``worker-N/app-*/E``): one per executor started."""
        return sorted(p for p in self.folder.glob("worker-*/app-*/*") if p.is_dir())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(cmd: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    with log.open("wb") as fh:
        return subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    """Stop the processes (each its own process group, by id): TERM, then KILL those still running."""
    for proc in procs:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(STOP_TIMEOUT)


@contextmanager
def standalone_cluster(folder: Path, workers: int = 2, cores: int = 1, memory: str = "1g") -> Iterator[Cluster]:
    """A master and ``workers`` workers (``cores`` cores, ``memory`` each) on 127.0.0.1; logs under ``folder``."""
    import pyspark

    home = Path(pyspark.__file__).resolve().parent
    spark_class = str(home / "bin" / "spark-class")
    env = dict(os.environ, SPARK_HOME=str(home), SPARK_LOCAL_IP="127.0.0.1")
    folder.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    url = f"spark://127.0.0.1:{port}"
    master_log = folder / "master.log"
    procs = []
    try:
        master = "org.apache.spark.deploy.master.Master"
        procs.append(
            _start(
                [spark_class, master, "--host", "127.0.0.1", "--port", str(port), "--webui-port", "0"], master_log, env
            )
        )
        for n in range(workers):
            work = folder / f"worker-{n}"
            work.mkdir(parents=True, exist_ok=True)
            cmd = [spark_class, "org.apache.spark.deploy.worker.Worker", url, "--host", "127.0.0.1"]
            cmd += ["--cores", str(cores), "--memory", memory, "--webui-port", "0", "--work-dir", str(work)]
            procs.append(_start(cmd, folder / f"worker-{n}.log", env))
        _wait_registered(master_log, workers, procs)
        yield Cluster(url, folder)
    finally:
        _stop(procs)


def _wait_registered(log: Path, workers: int, procs: list[subprocess.Popen[bytes]]) -> None:
    """Wait until the master's log says ``workers`` workers registered; fail if one exits or time runs out."""
    deadline = time.monotonic() + REGISTER_TIMEOUT
    while log.read_text(errors="replace").count("Registering worker") < workers:
        dead = [p.args for p in procs if p.poll() is not None]
        if dead:
            raise RuntimeError(f"a Spark process exited early: {dead}; see {log.parent}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the Spark workers did not register in {REGISTER_TIMEOUT} s; see {log.parent}")
        time.sleep(0.5)
