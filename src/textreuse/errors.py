"""Errors that textreuse reports to users as one line, never as a traceback."""

from __future__ import annotations


class TextReuseError(Exception):
    """Base class of every error textreuse raises on purpose."""


class InputError(TextReuseError, ValueError):
    """Bad input: a missing, empty, binary or undecodable file, or a malformed record.

    The message names the file and, where it applies, the line number, e.g.
    ``corpus.jsonl:12: invalid JSON (Expecting ',' delimiter)``.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")
        self.path = path
        self.line = line
        self.reason = message


class TextReuseWarning(UserWarning):
    """Something about the input a user should know of that did not stop the run.

    E.g. a document most of which was excluded as page junk. The command
    line shows it as one line, ``textreuse: warning: ...``.
    """


class OptionError(TextReuseError, ValueError):
    """A bad option value: the message names the option, the value and what it accepts.

    Raised at construction of an options object, e.g.
    ``LexicalOptions.relative_density must be in (0, 1), got 1.0``.
    """
