"""What the commands share: consoles, progress bars, the process pool, options read from flags and --config."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.text import Text

from textreuse.common.processes import worker_pool
from textreuse.common.terminal import printable
from textreuse.compare import CompareOptions, Comparison
from textreuse.config import Config, load_config
from textreuse.embed.settings import CACHE_DIR_VARIABLE, THREADS_VARIABLE, settings_from_env
from textreuse.errors import InputError
from textreuse.types import Document

T = TypeVar("T")
R = TypeVar("R")

# Set to 1 to show progress bars when stderr is not a terminal (logs, CI).
PROGRESS_ENV = "TEXTREUSE_PROGRESS"
# Fewer items than this run in this process, without a pool.
POOL_MIN_ITEMS = 8


def stderr_console() -> Console:
    return Console(stderr=True)


def plain(value: object, *, keep: str = "") -> Text:
    """``value`` as rich text to print as it is: never read as markup (``[bold]``), control characters escaped.

    Every id, file name and document text the CLI prints goes through it (or
    through :func:`textreuse.common.terminal.printable` where printed without rich);
    ``keep`` names control characters left as they are (``"\\n"`` in passage text).
    """
    return Text(printable(str(value), keep=keep))


def progress_bar(console: Console) -> Progress:
    """A progress bar on ``console``: shown on a terminal, or anywhere with ``TEXTREUSE_PROGRESS=1``."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=console,
        transient=False,
        disable=not console.is_terminal and os.environ.get(PROGRESS_ENV) != "1",
    )


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def pooled(jobs: int, n_items: int) -> bool:
    """Whether :func:`parallel_map` runs ``n_items`` on a process pool (else in this process)."""
    return jobs > 1 and n_items >= POOL_MIN_ITEMS


def parallel_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    jobs: int,
    progress: Progress,
    label: str,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterable[R]:
    """Map ``fn`` over ``items`` on ``jobs`` processes, in order, advancing a progress bar."""
    task = progress.add_task(label, total=len(items))
    if initializer is not None:
        initializer(*initargs)
    if not pooled(jobs, len(items)):
        for item in items:
            yield fn(item)
            progress.advance(task)
        return
    chunk = max(1, min(32, len(items) // (jobs * 8)))
    with worker_pool(jobs, initializer=initializer, initargs=initargs) as pool:
        for out in pool.map(fn, items, chunksize=chunk):
            yield out
            progress.advance(task)


def compare_options(
    config: Config, min_words: int | None = None, junk: bool | None = None, mode: str | None = None
) -> CompareOptions:
    """The pair engine's options: the configuration's, with the command-line flags given on top."""
    options = with_embed_environment(config.compare)
    if min_words is not None:
        options = replace(options, lexical=replace(options.lexical, min_words=min_words))
    if junk is not None:
        options = replace(options, junk=junk)
    if mode is not None:
        options = replace(options, mode=mode)  # type: ignore[arg-type]
    return options


def with_embed_environment(options: CompareOptions) -> CompareOptions:
    """The options with the embedder settings the environment gives (``TEXTREUSE_EMBED_CACHE``, ``TEXTREUSE_THREADS``).

    A ``TEXTREUSE_EMBED_CACHE`` that is set, even empty (no disk cache), wins
    over the configuration; so does a ``TEXTREUSE_THREADS`` of 1 or more.
    """
    env = settings_from_env()
    embedding = options.embedding
    if CACHE_DIR_VARIABLE in os.environ:
        embedding = replace(embedding, cache_dir=env.cache_dir)
    if env.threads is not None:
        embedding = replace(embedding, threads=env.threads)
    return replace(options, embedding=embedding)


def one_thread_per_worker(options: CompareOptions) -> CompareOptions:
    """The options for worker processes: the embedder on one thread (the workers use every core), unless set."""
    if THREADS_VARIABLE in os.environ:
        return options
    return replace(options, embedding=replace(options.embedding, threads=1))


def write_html_report(result: Comparison, out: Path) -> None:
    """Write the side-by-side HTML report of ``result`` to ``out`` atomically and print its path."""
    from textreuse.common.atomic import write_atomic
    from textreuse.views import render_pair

    write_atomic(out, render_pair(result))
    click.echo(str(out))


def report_bad(bad: list[InputError]) -> None:
    if bad:
        click.echo(f"textreuse: skipped {len(bad)} bad input(s):", err=True)
        for e in bad:
            click.echo(f"  {printable(str(e))}", err=True)


def _load_config(ctx: click.Context, param: click.Parameter, value: Path | None) -> Config:
    return load_config(value)


config_option = click.option(
    "--config",
    "config",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    callback=_load_config,
    metavar="FILE",
    help="Options from a TOML file (write one with `textreuse config`); flags given here win.",
)
mode_option = click.option(
    "--mode",
    type=click.Choice(["full", "lexical"]),
    default=None,
    help="full: shared words and shared meaning (sentence embeddings, finds paraphrases); "
    "lexical: shared words only, faster.  [default: full]",
)
min_words_option = click.option(
    "--min-words",
    type=click.IntRange(1),
    default=None,
    help=f"Shortest passage reported, in words (default {CompareOptions().lexical.min_words}; "
    f"{CompareOptions().lexical.min_edited_words} for edited passages).",
)
min_confidence_option = click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    metavar="P",
    help="Report only pairs whose confidence (the probability that the text was reused, 0-1) is at least P (default 0).",
)
junk_option = click.option(
    "--junk/--no-junk",
    default=None,
    help="Keep page junk (captions, bylines, mastheads, footers) out of alignment.  [default: junk]",
)
jobs_option = click.option(
    "-j", "--jobs", type=click.IntRange(1), default=None, help="Worker processes (default: all cores)."
)


# Documents with an unreadable date named one by one on stderr; past this many, only counted.
DATE_WARNINGS_SHOWN = 20


def _check_date_format(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A ``strptime`` format that reads back what it writes; a usage error otherwise."""
    if value is None:
        return None
    from datetime import datetime

    sample = datetime(2001, 2, 3, 4, 5, 6)
    try:
        datetime.strptime(sample.strftime(value), value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a strptime format (e.g. '%d/%m/%Y' or '%d-%b-%Y %H:%M:%S')"
        ) from None
    return value


date_format_option = click.option(
    "--date-format",
    default=None,
    metavar="FORMAT",
    callback=_check_date_format,
    help="Read document dates with this strptime format (e.g. '%d/%m/%Y') instead of guessing "
    "(ISO 8601, RFC 2822 and the usual newspaper and wire forms are read without it; ISO 8601 always is).",
)


class DateWarnings:
    """Warns on stderr about documents whose date cannot be read (then undated): the first few by id, then a count."""

    def __init__(self, shown: int = DATE_WARNINGS_SHOWN) -> None:
        self.shown = shown
        self.count = 0

    def __call__(self, doc_id: str, value: str) -> None:
        self.count += 1
        if self.count <= self.shown:
            click.echo(
                f'textreuse: warning: document "{doc_id}": cannot read the date "{value}"; '
                "it is treated as undated (see --date-format)",
                err=True,
            )

    def check(self, doc: Document) -> Document:
        """``doc``, warned about when its date could not be read."""
        from textreuse.io.ingest import unreadable_date

        if (value := unreadable_date(doc)) is not None:
            self(doc.id, value)
        return doc

    def finish(self) -> None:
        """Say how many more documents had an unreadable date than were named."""
        if self.count > self.shown:
            click.echo(
                f"textreuse: warning: {self.count - self.shown:,} more documents have a date that cannot be read "
                f"({self.count:,} in all); they are treated as undated",
                err=True,
            )


html_option = click.option(
    "--html",
    "html_out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    metavar="OUT.html",
    help="Write the side-by-side report (one self-contained HTML file that opens offline) to OUT.html, "
    "instead of the report on stdout, and print its path.",
)
