"""The ``textreuse`` command group: one-line errors with exit status 2, the entry point.

Every bad input ends in a one-line error on stderr and exit status 2; see
``textreuse --help`` and ``textreuse COMMAND --help``.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from textreuse import __version__
from textreuse.errors import TextReuseError

__all__ = ["CliError", "cli", "main"]


class CliError(click.ClickException):
    """A user-facing error: one line, exit status 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"textreuse: error: {self.format_message()}", err=True, file=file)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TextReuseError as e:
            raise CliError(str(e)) from None
        except OSError as e:
            where = f"{e.filename}: " if getattr(e, "filename", None) else ""
            raise CliError(f"{where}{e.strerror or e}") from None
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


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``textreuse`` command (``textreuse.cli`` registers the commands on import)."""
    cli.main(args=argv, prog_name="textreuse")
