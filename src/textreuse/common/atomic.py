"""Write a file atomically: readers see the old file or the complete new one, never part of one.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     p = pathlib.Path(d, "out.txt")
...     write_atomic(p, ["one\\n", "two\\n"])
...     p.read_text(), oct(p.stat().st_mode & 0o777), sorted(x.name for x in p.parent.iterdir())
('one\\ntwo\\n', '0o644', ['out.txt'])
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(
    path: str | os.PathLike[str], data: bytes | str | Iterable[bytes] | Iterable[str], *, mode: int = 0o644
) -> None:
    """Write ``data`` to ``path`` atomically.

    ``data`` is the whole content (``bytes``, or ``str`` written as UTF-8) or
    an iterable of such pieces, written one after the other, so large output
    can be streamed. It goes to a temporary file in the same folder, is
    flushed to disk (``fsync``), given ``mode`` and renamed over ``path``
    (``os.replace``). On any error the temporary file is removed and the
    error raised; ``path`` is left as it was.
    """
    target = Path(path)
    pieces: Iterable[bytes | str] = [data] if isinstance(data, (bytes, str)) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            for piece in pieces:
                fh.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
