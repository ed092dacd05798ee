"""The PAN ``pairs`` file: which suspicious document is compared with which source."""

from __future__ import annotations

import os
from pathlib import Path

from textreuse.errors import InputError
from textreuse.io.os_errors import read_failure

__all__ = ["read_pairs"]


def read_pairs(path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """Read a PAN ``pairs`` file: ``suspicious-documentX.txt source-documentY.txt`` a line.

    Blank lines are skipped; any other line without exactly two fields, or a
    file listing no pair at all, is an :class:`InputError` naming the file
    (and the line).

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d, "pairs")
    ...     _ = p.write_text("suspicious-document00005.txt source-document01090.txt\\n\\n")
    ...     read_pairs(p)
    [('suspicious-document00005.txt', 'source-document01090.txt')]
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"invalid UTF-8 ({e.reason})", path=name) from None
    except OSError as e:
        raise read_failure(e, name, folder="is a folder, not a pairs file", cannot="cannot read") from None
    pairs: list[tuple[str, str]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2:
            shown = line.strip()
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            raise InputError(f"expected 'SUSPICIOUS SOURCE' (two file names), got {shown!r}", path=name, line=lineno)
        pairs.append((parts[0], parts[1]))
    if not pairs:
        raise InputError("no pairs listed", path=name)
    return pairs
