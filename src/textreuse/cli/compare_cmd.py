"""``textreuse compare A B``: the passages two documents share, side by side."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click
from rich.console import Console

from textreuse.cli.app import cli
from textreuse.cli.common import (
    DateWarnings,
    compare_options,
    config_option,
    date_format_option,
    html_option,
    junk_option,
    min_confidence_option,
    min_words_option,
    mode_option,
    write_html_report,
)
from textreuse.config import Config


@cli.command()
@click.argument("a", type=click.Path(path_type=Path))
@click.argument("b", type=click.Path(path_type=Path))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="text: passages side by side; json: the documented JSON object; csv: one row per passage.",
)
@html_option
@min_words_option
@min_confidence_option
@junk_option
@mode_option
@date_format_option
@config_option
def compare(
    a: Path,
    b: Path,
    fmt: str,
    html_out: Path | None,
    min_words: int | None,
    min_confidence: float | None,
    junk: bool | None,
    mode: str | None,
    date_format: str | None,
    config: Config,
) -> None:
    """Align two documents A and B and show the passages they share.

    A and B are text or HTML files (HTML is reduced to its main text). The
    report gives each passage's kind (verbatim or edited), its score, its
    character offsets in both files, each file's coverage ("A: 62% found in
    B"), and the page junk left out of alignment. The verdict comes with a
    confidence: the probability that the text was reused, not written
    independently; below --min-confidence nothing is reported.

    \b
    Example:
      textreuse compare wire.txt reprint.txt --format json > pair.json
      textreuse compare wire.txt reprint.txt --html report.html
    """
    from textreuse.cli.report import render_text, to_csv, to_json
    from textreuse.compare import compare as run_compare
    from textreuse.io.ingest import load_document

    warn = DateWarnings()
    doc_a, doc_b = (warn.check(load_document(p, date_format=date_format)) for p in (a, b))
    options = compare_options(config, min_words, junk, mode)
    if min_confidence is not None:
        options = replace(options, min_confidence=min_confidence)
    result = run_compare(doc_a, doc_b, options)
    if html_out is not None:
        write_html_report(result, html_out)
        return
    if fmt == "json":
        click.echo(to_json(result))
    elif fmt == "csv":
        click.echo(to_csv([result]), nl=False)
    else:
        render_text(result, Console())
