"""One-line :class:`~textreuse.errors.InputError` messages for files that cannot be opened or read."""

from __future__ import annotations

from textreuse.errors import InputError

__all__ = ["read_failure"]


def read_failure(error: OSError, path: str, *, folder: str, cannot: str, permission: str | None = None) -> InputError:
    """The :class:`InputError` for ``error``, raised opening or reading the file ``path``.

    A missing file is ``"no such file"``; a folder, ``folder``; with
    ``permission`` given, a permission error is that; anything else is
    ``"<cannot> (<reason>)"``.

    >>> print(read_failure(FileNotFoundError(2, "No such file or directory"), "a.xml", folder="is a folder",
    ...                    cannot="cannot read"))
    a.xml: no such file
    >>> print(read_failure(OSError(5, "Input/output error"), "a.xml", folder="is a folder", cannot="cannot read"))
    a.xml: cannot read (Input/output error)
    """
    if isinstance(error, FileNotFoundError):
        reason = "no such file"
    elif isinstance(error, IsADirectoryError):
        reason = folder
    elif permission is not None and isinstance(error, PermissionError):
        reason = permission
    else:
        reason = f"{cannot} ({error.strerror or error})"
    return InputError(reason, path=path)
