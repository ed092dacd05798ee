"""``textreuse query FILE --db``: where else does this text appear in an index?"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from textreuse.cli.app import cli
from textreuse.cli.common import (
    DateWarnings,
    compare_options,
    config_option,
    date_format_option,
    junk_option,
    min_confidence_option,
    min_words_option,
    mode_option,
    plain,
    stderr_console,
)
from textreuse.cli.indexing import embed_index, embed_option, embeddings_beside
from textreuse.compare import Comparison
from textreuse.config import Config
from textreuse.types import Document


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), required=True, help="The index file.")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: ranked table and passages; json: one object a query file, a list of matches.",
)
@click.option(
    "--top",
    type=click.IntRange(1),
    default=20,
    show_default=True,
    help="Align at most this many of the best-ranked candidates.",
)
@min_words_option
@min_confidence_option
@junk_option
@mode_option
@embed_option
@date_format_option
@config_option
def query(
    files: tuple[Path, ...],
    db: Path,
    fmt: str,
    top: int,
    min_words: int | None,
    min_confidence: float | None,
    junk: bool | None,
    mode: str | None,
    embed: bool,
    date_format: str | None,
    config: Config,
) -> None:
    """Where else does this text appear? Match new documents against an index.

    Each FILE (text or HTML) is looked up by its rare 3-grams (and, in full
    mode, its names and numbers and its sentences' nearest neighbours among
    the indexed sentences) and aligned with the best-ranked indexed
    documents. Matches come ranked by how much of the new document they
    share, each with its passages (offsets into the new file and into the
    indexed document), coverage, relation and confidence (the probability
    that the text was reused; below --min-confidence a match is left out).

    \b
    Example:
      textreuse query new-article.txt --db reuse.db --format json
    """
    from textreuse.corpus.query import Query
    from textreuse.io.ingest import load_document

    warn = DateWarnings()
    docs = [warn.check(load_document(f, date_format=date_format)) for f in files]
    options = compare_options(config, min_words, junk, mode)
    embed_index(db, options, stderr_console(), embed)
    options = embeddings_beside(db, options)  # the new documents' sentences are kept there
    find = config.find if min_confidence is None else replace(config.find, min_confidence=min_confidence)
    q = Query(db, options, find=find, top=top)
    try:
        answers = [(d, q.ask(d)) for d in docs]
    finally:
        q.close()
    if fmt == "json":
        _print_json(answers)
    else:
        _print_text(answers)


def _print_json(answers: list[tuple[Document, list[Comparison]]]) -> None:
    out = []
    for d, results in answers:
        out.append(
            {
                "query": d.id,
                "length": len(d.text),
                "matches": [
                    {"id": r.b.id, **{k: v for k, v in r.to_dict().items() if k not in ("a", "b")}} for r in results
                ],
            }
        )
    click.echo(json.dumps(out if len(out) > 1 else out[0], ensure_ascii=False, indent=2))


def _print_text(answers: list[tuple[Document, list[Comparison]]]) -> None:
    from textreuse.cli.report import render_text

    console = Console()
    for d, results in answers:
        if not results:
            console.print(plain(f"{d.id}: no indexed document shares text with it"))
            continue
        table = Table(title=plain(f"{d.id}: {len(results)} indexed document(s) share text"))
        for name in ("indexed document", "relation", "confidence", "passages", "query in it", "it in query"):
            table.add_column(name, overflow="fold")
        for r in results:
            table.add_row(
                plain(r.b.id),
                r.relation.label if r.relation else "",
                f"{r.confidence or 0.0:.2f}",
                str(len(r.passages)),
                f"{100 * r.coverage_a:.0f}%",
                f"{100 * r.coverage_b:.0f}%",
            )
        console.print(table)
        for r in results[:3]:
            render_text(r, console)
