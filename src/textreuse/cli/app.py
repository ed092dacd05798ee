"""The ``textreuse`` command group: one-line errors with exit status 2, the entry point.

Every bad input ends in a one-line error on stderr and exit status 2; see
``textreuse --help`` and ``textreuse COMMAND --help``.
"""

from __future__ import annotations

import sqlite3
import sys
import warnings
from typing import Any, TextIO

import click

from textreuse import __version__
from textreuse.common.terminal import printable
from textreuse.errors import TextReuseError, TextReuseWarning

__all__ = ["CliError", "cli", "main"]


class CliError(click.ClickException):
    """A user-facing error: one line, exit status 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"textreuse: error: {printable(self.format_message())}", err=True, file=file)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TextReuseError as e:
            raise CliError(str(e)) from None
        except OSError as e:
            where = f"{e.filename}: " if getattr(e, "filename", None) else ""
            raise CliError(f"{where}{e.strerror or e}") from None
        except sqlite3.Error as e:  # a database file (an index, an embedding cache) that failed unnamed
            hint = "; is the disk full?" if "disk" in str(e) or "full" in str(e) else ""
            raise CliError(f"a database file failed ({e}{hint})") from None
        except click.ClickException as e:  # usage errors quote file names and arguments as given
            setattr(e, "message", printable(e.message))  # noqa: B010 (the attribute is typed final)
            raise
        except KeyboardInterrupt:
            click.echo("textreuse: interrupted", err=True)
            sys.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="textreuse")
def cli() -> None:
    """Find where text was reused: shared passages with offsets into the originals.

    \b
    Examples:
      textreuse compare original.txt reprint.txt          # side by side
      textreuse compare a.html b.txt --format json        # machine-readable
      textreuse compare a.txt b.txt --html report.html    # side-by-side report, opens in a browser
      textreuse find corpus.jsonl --out results/          # all pairs in a corpus
      textreuse pan pairs src/ susp/ detections/          # PAN text alignment
      textreuse evaluate truth/ detections/               # PAN measures
      textreuse config > textreuse.toml                   # every option, to edit

    Offsets are Python string indices into the original texts, so
    text[start:end] is always the passage as it appears in the input.
    Every command that aligns takes --config FILE (TOML): see `textreuse config --help`.
    """


_python_showwarning = warnings.showwarning


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """Show a :class:`TextReuseWarning` as one line on stderr (``textreuse: warning: ...``); others as Python does."""
    if issubclass(category, TextReuseWarning):
        click.echo(f"textreuse: warning: {printable(str(message))}", err=True)
    else:
        _python_showwarning(message, category, filename, lineno, file, line)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``textreuse`` command (``textreuse.cli`` registers the commands on import).

    Warnings about the input (:class:`TextReuseWarning`) are shown as one line
    each, from worker processes too (they start as forks of this one).
    """
    warnings.showwarning = _show_warning
    cli.main(args=argv, prog_name="textreuse")
