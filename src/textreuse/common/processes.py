"""Worker processes that never outlive the process that started them, and scratch folders that never outlive it either.

A pool from :func:`worker_pool` is a :class:`~concurrent.futures.ProcessPoolExecutor`
whose workers end as soon as their parent does, even when the parent is
killed with SIGKILL and can run no clean-up (:func:`die_with_parent`).

:func:`scratch_folder` makes a temporary folder for this process in a
per-user folder under the system's temporary folder, named with this
process's id; it removes the folder when done and, first, the folders of
earlier processes that died without removing theirs.

>>> with worker_pool(2) as pool:
...     list(pool.map(abs, [-1, -2]))
[1, 2]
>>> with scratch_folder("doc") as folder:
...     folder.is_dir(), folder.name.startswith(f"doc-{os.getpid()}-")
(True, True)
>>> folder.exists()
False
"""

from __future__ import annotations

import ctypes
import getpass
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from threadpoolctl import threadpool_limits

__all__ = ["die_with_parent", "worker_pool", "scratch_folder", "pid_alive"]

# prctl(2) option: the signal this process gets when its parent dies (Linux).
PR_SET_PDEATHSIG = 1
# Seconds between checks of the watchdog thread (where prctl is not available).
WATCHDOG_SECONDS = 1.0


def die_with_parent(parent: int) -> None:
    """Make this process end when its parent, process ``parent``, ends (however it ends).

    On Linux the kernel sends SIGKILL at the parent's death (``prctl``
    ``PR_SET_PDEATHSIG``); elsewhere a daemon thread checks the parent's id
    every second. A parent already gone ends this process at once.
    """
    if not _kernel_death_signal():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the death signal was set up
        os._exit(1)


def _kernel_death_signal() -> bool:
    """Ask Linux to SIGKILL this process when its parent dies; whether it could."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCHDOG_SECONDS)
    os._exit(1)


def _start_worker(parent: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    die_with_parent(parent)
    # One process a core: BLAS threads on top only wait for each other (small products, 2x slower).
    threadpool_limits(limits=1, user_api="blas")
    if initializer is not None:
        initializer(*initargs)


def worker_pool(
    jobs: int, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()
) -> ProcessPoolExecutor:
    """A pool of ``jobs`` worker processes that end with this one; ``initializer(*initargs)`` runs in each."""
    return ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(os.getpid(), initializer, initargs))


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return True


def _scratch_root() -> Path | None:
    """This user's folder for scratch folders (made when missing); ``None`` when it is not safely ours."""
    user = os.getuid() if hasattr(os, "getuid") else getpass.getuser()
    root = Path(tempfile.gettempdir()) / f"textreuse-{user}"
    try:
        root.mkdir(mode=0o700, exist_ok=True)
        if hasattr(os, "getuid") and (root.is_symlink() or root.stat().st_uid != os.getuid()):
            return None
    except OSError:
        return None
    return root


def _remove_stale(root: Path, prefix: str) -> None:
    """Remove the scratch folders under ``root`` of processes that are gone."""
    for folder in root.glob(f"{prefix}-*-*"):
        pid = folder.name[len(prefix) + 1 :].partition("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def scratch_folder(prefix: str) -> Iterator[Path]:
    """A new temporary folder ``<prefix>-<pid>-<random>`` for this process, removed on exit.

    It lives in a per-user folder (``$TMPDIR/textreuse-<uid>``), where the
    next run finds the folders left by processes that were killed and
    removes them. Where that folder is not safely this user's, a plain
    temporary folder is used.
    """
    root = _scratch_root()
    if root is not None:
        _remove_stale(root, prefix)
    path = Path(tempfile.mkdtemp(prefix=f"{prefix}-{os.getpid()}-", dir=root))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
