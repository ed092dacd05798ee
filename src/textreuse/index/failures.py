"""One-line, true messages for SQLite failures on an index file: not an index, read-only, disk full, cannot open.

>>> import sqlite3
>>> print(index_failure("reuse.db", sqlite3.DatabaseError("file is not a database")))
reuse.db: not a textreuse index (file is not a database)
"""

from __future__ import annotations

import os
import sqlite3

from textreuse.errors import TextReuseError

__all__ = ["index_failure", "NOT_AN_INDEX"]

# The message of every file that is not a textreuse index.
NOT_AN_INDEX = "not a textreuse index"


def index_failure(path: str | os.PathLike[str], error: sqlite3.Error, *, kept: bool = True) -> TextReuseError:
    """The :class:`TextReuseError` that says what ``error``, raised by SQLite on the index at ``path``, means.

    ``kept``: the index stays after the run (not a run's temporary one), so
    a failed write says that what was added before is kept.
    """
    name = str(getattr(error, "sqlite_errorname", "") or "")
    text = str(error)
    if name == "SQLITE_NOTADB" or "not a database" in text:
        reason = f"{NOT_AN_INDEX} ({text})"
    elif name.startswith("SQLITE_READONLY") or "readonly" in text:
        reason = f"cannot write to the index: the file or its folder is read-only ({text})"
    elif name == "SQLITE_FULL" or name.startswith("SQLITE_IOERR") or "disk" in text:
        reason = f"cannot write to the index ({text}; is the disk full?)"
        if kept:
            reason += "; what was added before is kept: run the command again once there is room"
    elif name == "SQLITE_CANTOPEN" or "unable to open" in text:
        reason = f"cannot open the index ({text}; is its folder missing or not writable?)"
    elif name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        reason = f"the index is locked by another process ({text}); try again when it is done"
    else:
        reason = f"index error ({text})"
    return TextReuseError(f"{path}: {reason}")
