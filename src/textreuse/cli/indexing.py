"""What the commands over an index share: input options, adding inputs with progress, embedding what is missing."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from textreuse.cli.common import DateWarnings, date_format_option, default_jobs, progress_bar
from textreuse.compare import CompareOptions
from textreuse.embed.settings import CACHE_DIR_VARIABLE
from textreuse.errors import InputError, TextReuseError
from textreuse.index.failures import index_failure
from textreuse.types import Document

db_option = click.option(
    "--db",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The index file (SQLite), made by `textreuse index add`.",
)
embed_option = click.option(
    "--embed",
    is_flag=True,
    help="Full mode: first embed the sentences of indexed documents that have no embeddings yet (kept in the "
    "index, done once; about 150 sentences a second per core), for the sentence-neighbour candidates and "
    "alignment. Without it the candidates use a fast static embedder and alignment embeds only what it compares.",
)
_input_options = [
    click.option(
        "--input-format",
        type=click.Choice(["txt", "html", "jsonl", "csv"]),
        default=None,
        help="Force the input format instead of guessing it from file names.",
    ),
    click.option(
        "--columns", default=None, metavar="SPEC", help="CSV column mapping, e.g. 'id=doc_id,text=body,date=published'."
    ),
    click.option("--skip-bad", is_flag=True, help="Go on past bad documents and list them at the end."),
    date_format_option,
    click.option(
        "--max-chars",
        type=int,
        default=None,
        metavar="N",
        help="Refuse a document longer than N characters, naming it (with --skip-bad: skip it) [default: 10,000,000].",
    ),
]


def with_input_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Add --input-format, --columns, --skip-bad, --date-format and --max-chars to a command."""
    for option in reversed(_input_options):
        fn = option(fn)
    return fn


def embeddings_beside(db: Path, options: CompareOptions) -> CompareOptions:
    """In full mode, the options with sentence embeddings kept on disk beside the index (``DB.embeddings/``).

    A corpus run embeds each sentence once, and later runs and queries on
    the same index reuse them. ``TEXTREUSE_EMBED_CACHE`` (even empty) or a
    cache folder in the configuration wins.
    """
    if options.mode != "full" or CACHE_DIR_VARIABLE in os.environ or options.embedding.cache_dir is not None:
        return options
    if not os.access(db.resolve().parent, os.W_OK):
        return options
    beside = Path(str(db.resolve()) + ".embeddings")
    return replace(options, embedding=replace(options.embedding, cache_dir=beside))


def embed_index(db: Path, options: CompareOptions, err: Console, embed: bool, *, note: bool = True) -> None:
    """In full mode, embed the sentences of the indexed documents that have none stored yet (with ``embed``).

    They are kept in the index, for the sentence-neighbour candidates and for
    alignment. Without ``embed`` nothing is embedded up front (on a large
    index that takes hours): the neighbour candidates use the static
    embedder, and with ``note`` a note says so.
    """
    from textreuse.index.store import Store

    if options.mode != "full" or not db.exists():
        return
    with Store(db, readonly=not embed) as store:
        if store.embedder not in (None, options.embedder_name):
            return
        todo = len(store.missing_embeddings())
        if not todo:
            return
        if not embed:
            if note:
                err.print(
                    f"note: {todo:,} of {len(store):,} indexed documents have no sentence embeddings: the "
                    "sentence-neighbour candidates use the fast static embedder (add --embed to embed them "
                    "with the full model now, once)",
                    highlight=False,
                )
            return
        with progress_bar(err) as progress:
            task = progress.add_task("embed", total=todo)
            try:
                store.embed_missing(options.embedder_name, on_batch=lambda n: progress.advance(task, n))
            except sqlite3.Error as e:
                raise index_failure(db, e) from None


def check_junk(db: Path, junk: bool | None) -> None:
    """Refuse a --junk/--no-junk given for an existing index that was made the other way (it cannot change)."""
    from textreuse.index.store import Store

    if junk is None or not db.is_file():
        return
    with Store(db, readonly=True) as store:
        made = store.junk
    if made != junk:
        how, flag = ("with", "--no-junk") if made else ("without", "--junk")
        raise TextReuseError(
            f"{db}: the index was made {how} junk removal, which cannot change: drop {flag}, or build a new index"
        )


def index_inputs(
    db: Path,
    inputs: tuple[Path, ...],
    input_format: str | None,
    columns: str | None,
    skip_bad: bool,
    junk: bool,
    jobs: int | None,
    err: Console,
    embed: bool = False,
    exclude: tuple[Path, ...] = (),
    scratch: bool = False,
    date_format: str | None = None,
    batch_size: int | None = None,
    max_chars: int | None = None,
) -> tuple[Any, list[InputError]]:
    """Add INPUTS to the index at DB with a progress bar; returns (AddResult, bad inputs).

    With ``embed``, the sentences of the documents added, and of those indexed
    before without them, are embedded too (full mode). Folders in ``exclude``
    (the run's output) are not read; paths in folders not read are listed on
    stderr. An index this call created is removed again if it fails before
    adding any document (``scratch``: DB is the run's temporary index). Dates
    are read with ``date_format``; each unreadable one is warned about.
    ``batch_size``: documents a transaction; ``max_chars``: the longest document.
    """
    from textreuse.index.store import discard_if_empty
    from textreuse.io.ingest import InputOptions, iter_documents, parse_columns

    mapping = parse_columns(columns) if columns else None
    bad: list[InputError] = []
    read = InputOptions() if max_chars is None else InputOptions(max_chars=max_chars)
    skipped: list[str] = []
    warn = DateWarnings()
    docs = iter_documents(
        list(inputs),
        fmt=input_format,
        columns=mapping,
        skip_bad=skip_bad,
        bad=bad,
        skipped=skipped,
        exclude=exclude,
        date_format=date_format,
        on_bad_date=warn,
        options=read,
    )
    created = not db.exists()
    try:
        total = _add(db, docs, junk, jobs, err, embed, batch_size)
    except BaseException as e:
        if created:
            discard_if_empty(db)
        if isinstance(e, sqlite3.Error):
            where = f"{db} (this run's temporary index)" if scratch else db
            raise index_failure(where, e, kept=not scratch) from None
        raise
    finally:
        report_skipped(skipped)
    warn.finish()
    return total, bad


def _add(
    db: Path, docs: Iterable[Document], junk: bool, jobs: int | None, err: Console, embed: bool, batch_size: int | None
) -> Any:
    """Add ``docs`` to the index at ``db`` with a progress bar (and, with ``embed``, embed what has no embeddings)."""
    from textreuse.index.embeddings import DEFAULT_EMBEDDER
    from textreuse.index.store import ADD_BATCH, AddResult, Store

    with Store(db, junk=junk) as store, progress_bar(err) as progress:
        task = progress.add_task("index", total=None)

        def advance(result: AddResult) -> None:
            progress.advance(task, result.added + result.replaced + result.unchanged)

        total = store.add(
            docs, jobs=jobs or default_jobs(), on_batch=advance, embed=embed, batch_size=batch_size or ADD_BATCH
        )
        if total.added or total.replaced:
            store.postings()  # the inverted index, kept for queries
        todo = len(store.missing_embeddings()) if embed else 0
        if todo:  # documents indexed before, without embeddings
            embedding = progress.add_task("embed", total=todo)
            name = store.embedder or DEFAULT_EMBEDDER
            store.embed_missing(name, on_batch=lambda n: progress.advance(embedding, n))
    return total


def report_skipped(skipped: list[str]) -> None:
    """List on stderr the paths found in input folders that were not read, and why."""
    if skipped:
        click.echo(f"textreuse: did not read {len(skipped)} path(s) found in the input folders:", err=True)
        for line in skipped:
            click.echo(f"  {line}", err=True)
