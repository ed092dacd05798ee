"""``textreuse index add`` and ``textreuse stats``: build an index and summarize it."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from textreuse.cli.app import cli
from textreuse.cli.common import config_option, jobs_option, junk_option, plain, report_bad, stderr_console
from textreuse.cli.indexing import check_junk, index_inputs, with_input_options
from textreuse.common.terminal import printable
from textreuse.config import Config
from textreuse.index.store import ADD_BATCH


@cli.group()
def index() -> None:
    """Build and keep an index (one SQLite file, no server) for corpus runs and queries.

    \b
    Examples:
      textreuse index add papers/ wire.jsonl --db reuse.db
      textreuse stats --db reuse.db
      textreuse find --db reuse.db --out results/
      textreuse query new-article.txt --db reuse.db
    """


@index.command("add")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--db",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The index file (created when missing).",
)
@with_input_options
@junk_option
@click.option(
    "--embed",
    is_flag=True,
    help="Also embed every sentence now, for full-mode find and query (else they embed what is "
    "missing on their first run). Slower: about 150 sentences a second per core.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=ADD_BATCH,
    show_default=True,
    help="Documents written in one transaction: an interrupted run keeps every whole batch before it.",
)
@jobs_option
@config_option
def index_add(
    inputs: tuple[Path, ...],
    db: Path,
    input_format: str | None,
    columns: str | None,
    skip_bad: bool,
    date_format: str | None,
    max_chars: int | None,
    junk: bool | None,
    embed: bool,
    batch_size: int,
    jobs: int | None,
    config: Config,
) -> None:
    """Add documents to an index: incremental, idempotent, interruptible.

    A document whose id is already indexed with the same content is
    skipped; one whose content changed replaces the old. Input is streamed
    (memory does not grow with the input) and written in batches, each in
    one transaction: after Ctrl-C, run the same command again and it adds
    the rest, every document exactly once. --junk/--no-junk is fixed when
    the index is created (given for an existing index made the other way,
    it is an error). --embed stores every sentence's embedding too
    (full-mode candidates and alignment), also of the documents indexed
    before without them; full-mode find and query embed the documents
    still without them on their first run.

    \b
    Examples:
      textreuse index add papers/ --db reuse.db
      textreuse index add papers/ --db reuse.db --embed
    """
    check_junk(db, junk)
    keep_junk = config.compare.junk if junk is None else junk
    total, bad = index_inputs(
        db,
        inputs,
        input_format,
        columns,
        skip_bad,
        keep_junk,
        jobs,
        stderr_console(),
        embed=embed,
        date_format=date_format,
        batch_size=batch_size,
        max_chars=max_chars,
    )
    click.echo(f"{printable(str(db))}: {total.added} added, {total.replaced} replaced, {total.unchanged} unchanged")
    report_bad(bad)


@index.command("check")
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), required=True, help="The index file.")
def index_check(db: Path) -> None:
    """Check an index: SQLite integrity, then the index's own consistency; writes nothing.

    Every document must have its fingerprints and token rows, sentence rows
    must belong to existing documents, cached postings must match the
    documents (or be stale, rebuilt when next needed), and the schema must
    be this textreuse's. Prints one line per problem and exits with status
    2, or one line that says the index is sound. Safe while a writer adds
    documents (it reads one snapshot).

    \b
    Example:
      textreuse index check --db reuse.db
    """
    from textreuse.index.check import check_index

    result = check_index(db)
    for problem in result.problems:
        click.echo(f"{db}: {problem}", err=True)
    if result.problems:
        raise SystemExit(2)
    click.echo(f"{db}: ok ({result.documents} documents, postings {result.postings})")


@cli.command()
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), required=True, help="The index file.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def stats(db: Path, fmt: str) -> None:
    """Summarize an index: documents, characters, sources, dates, n-grams, size on disk.

    \b
    Example:
      textreuse stats --db reuse.db --format json
    """
    from textreuse.index.store import Store

    with Store(db, readonly=True) as store:
        summary = store.stats()
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2))
        return
    table = Table(title=plain(f"index {db}"), show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    for key, value in summary.items():
        if key == "path":
            continue
        table.add_row(
            key.replace("_", " "),
            f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else plain(value),
        )
    Console().print(table)
