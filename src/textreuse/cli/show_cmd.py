"""``textreuse show --db reuse.db A_ID B_ID``: two indexed documents compared as ``find`` does, side by side."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from textreuse.cli.app import CliError, cli
from textreuse.cli.common import (
    compare_options,
    config_option,
    html_option,
    min_words_option,
    mode_option,
    write_html_report,
)
from textreuse.cli.indexing import embeddings_beside
from textreuse.config import Config


@cli.command()
@click.argument("a_id")
@click.argument("b_id")
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), required=True, help="The index file.")
@html_option
@min_words_option
@mode_option
@config_option
def show(
    a_id: str, b_id: str, db: Path, html_out: Path | None, min_words: int | None, mode: str | None, config: Config
) -> None:
    """Show what two indexed documents A_ID and B_ID share, compared as `find` compares them.

    The documents are read from the index as `find` reads them (prepared
    when indexed, with the index's junk setting and the corpus boilerplate
    left out), with the options from the flags and --config. Without
    --html, the text report of `textreuse compare` is printed.

    \b
    Example:
      textreuse show --db reuse.db wire-0412 gazette-0413 --html pair.html
    """
    from textreuse.cli.report import render_text
    from textreuse.corpus.align import compare_indexed
    from textreuse.index.store import Store

    if not db.exists():
        raise CliError(f"{db}: no such index (make one with `textreuse index add FILES --db {db}`)")
    options = embeddings_beside(db, compare_options(config, min_words, None, mode))
    with Store(db, readonly=True) as store:
        result = compare_indexed(store, a_id, b_id, options, config.find)
    if html_out is not None:
        write_html_report(result, html_out)
    else:
        render_text(result, Console())
