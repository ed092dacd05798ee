"""``textreuse find``: every pair of documents in a collection that shares text, and their families."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from textreuse.cli.app import CliError, cli
from textreuse.cli.common import (
    compare_options,
    config_option,
    default_jobs,
    jobs_option,
    junk_option,
    min_confidence_option,
    min_words_option,
    mode_option,
    plain,
    progress_bar,
    report_bad,
    stderr_console,
)
from textreuse.cli.find_spark import run_spark, spark_conf_option
from textreuse.cli.indexing import (
    check_junk,
    db_option,
    embed_index,
    embed_option,
    embeddings_beside,
    index_inputs,
    with_input_options,
)
from textreuse.common.processes import scratch_folder
from textreuse.compare import CompareOptions
from textreuse.config import Config
from textreuse.corpus.options import FindOptions, parse_window
from textreuse.corpus.record import PairRecord, output_order
from textreuse.embed.settings import THREADS_VARIABLE
from textreuse.errors import InputError, TextReuseError
from textreuse.io.writers import PAIR_FORMATS, write_jsonl, write_pairs


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@db_option
@click.option("-o", "--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Output folder.")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(PAIR_FORMATS),
    default="jsonl",
    show_default=True,
    help="Format of the pairs file (pairs.jsonl, pairs.csv with one row a passage, or pairs.parquet).",
)
@with_input_options
@click.option(
    "--window",
    default=None,
    metavar="SPAN",
    help="Only pairs dated at most this far apart: 30d, 2w, 6m, 1y (undated pairs are kept).",
)
@click.option(
    "--skip-same-source",
    is_flag=True,
    default=None,
    help="No pairs of two documents from the same source (metadata source or series).",
)
@min_words_option
@min_confidence_option
@junk_option
@mode_option
@embed_option
@jobs_option
@click.option(
    "--engine",
    type=click.Choice(["local", "spark"]),
    default="local",
    show_default=True,
    help="local: an index and a process pool on this machine. spark: Apache Spark (pip install "
    "'textreuse[spark]', Java 17+), lexical or full mode; INPUTS only, no --db; writes OUT/pairs/ and "
    "OUT/families/ as part files.",
)
@click.option(
    "--spark-master",
    default=None,
    metavar="URL",
    help="With --engine spark: the Spark master, e.g. local[2] or spark://host:7077 "
    "(default: from spark-submit or the Spark configuration, else local[*]).",
)
@spark_conf_option
@config_option
def find(
    inputs: tuple[Path, ...],
    db: Path | None,
    out: Path,
    fmt: str,
    input_format: str | None,
    columns: str | None,
    skip_bad: bool,
    date_format: str | None,
    max_chars: int | None,
    window: str | None,
    skip_same_source: bool | None,
    min_words: int | None,
    min_confidence: float | None,
    junk: bool | None,
    mode: str | None,
    embed: bool,
    jobs: int | None,
    engine: str,
    spark_master: str | None,
    spark_conf: dict[str, str],
    config: Config,
) -> None:
    """Find every pair of documents in a collection that shares text, and the families they form.

    Either give INPUTS (files or folders: .txt, .html, JSONL with "id" and
    "text" and optional "date", "source", "title", "url", or CSV), searched
    in memory, or an index with --db (INPUTS given too are added to it
    first). Candidate pairs come from rare shared word n-grams (and, in full
    mode, rare shared names and numbers, which survive paraphrase, and
    sentences that are nearest neighbours in meaning, by a fast static
    embedder or the rows --embed keeps in the index), so the work grows with
    the reuse, not with the square of the collection.

    \b
    Writes to OUT:
      pairs.jsonl     one line a pair sharing passages, most confident first:
                      {"a", "b", "relation", "confidence", "coverage",
                       "passages", "excluded_share"}
      families.jsonl  groups of documents reusing one another: members, likely
                      source and evidence, passages clustered across members

    \b
    Examples:
      textreuse find demo/corpus.jsonl --out out/demo
      textreuse index add papers/ --db reuse.db
      textreuse find --db reuse.db --out out/ --window 30d
      textreuse find pages.jsonl --out out/ --mode lexical --engine spark
    """
    find_options = _find_options(config.find, window, skip_same_source, min_confidence)
    options = compare_options(config, min_words, junk, mode)
    given = _Inputs(inputs, input_format, columns, skip_bad, date_format, max_chars)
    if engine == "spark":
        _find_spark(given, db, out, fmt, options, find_options, spark_master, spark_conf)
        return
    if db is None and not inputs:
        raise CliError("give INPUT files or folders, or an index with --db")
    if db is not None:
        check_junk(db, junk)
    _find_with_index(given, db, out, fmt, options, find_options, embed, jobs)


@dataclass(frozen=True)
class _Inputs:
    """The INPUTS of a command and how to read them."""

    paths: tuple[Path, ...]
    input_format: str | None
    columns: str | None
    skip_bad: bool
    date_format: str | None = None
    max_chars: int | None = None


def _find_with_index(
    inputs: _Inputs,
    db: Path | None,
    out: Path,
    fmt: str,
    options: CompareOptions,
    find_options: FindOptions,
    embed: bool,
    jobs: int | None,
) -> None:
    """The local engine: INPUTS added to the index at ``db`` (a throw-away one without it), then searched."""
    err = stderr_console()
    keep = db  # an index given with --db also keeps the results
    # The throw-away index of a run without --db: removed at the end, or by the next run if this one is killed.
    with scratch_folder("find") as tmp:
        bad: list[InputError] = []
        scratch = db is None
        if db is None:
            # Without --db the collection goes into a throw-away index: one engine for both.
            db = Path(tmp) / "index.db"
        if inputs.paths:
            _, bad = index_inputs(
                db,
                inputs.paths,
                inputs.input_format,
                inputs.columns,
                inputs.skip_bad,
                options.junk,
                jobs,
                err,
                embed=options.mode == "full" and embed,
                exclude=(out,),
                scratch=scratch,
                date_format=inputs.date_format,
                max_chars=inputs.max_chars,
            )
        embed_index(db, options, err, embed, note=not scratch)
        options = embeddings_beside(db, options)
        records, info, n_docs, n_pairs = _find_local(db, inputs.paths, options, find_options, jobs, err)
    families = _report_found(out, fmt, records, info, n_docs, n_pairs, bad)
    if keep is not None:
        _save_results(keep, records, families, err)


def _save_results(db: Path, records: list[PairRecord], families: list[dict[str, Any]], err: Console) -> None:
    """Keep what was found in the index too, replacing its previous results (for `textreuse serve`).

    An index that cannot be written (read-only) keeps its previous results: a note says so, OUT has them all.
    """
    import sqlite3

    from textreuse.index.failures import index_failure
    from textreuse.index.results import write_results
    from textreuse.index.store import Store

    try:
        with Store(db) as store:
            try:
                write_results(store.db, [r.to_row() for r in records], families)
            except sqlite3.Error as e:
                raise index_failure(db, e, kept=False) from None
    except TextReuseError as e:
        err.print(f"note: the results are in OUT but not kept in the index: {e}", highlight=False)
        return
    err.print(f"results kept in the index {db} (see them with `textreuse serve --db {db}`)", highlight=False)


def _find_options(
    options: FindOptions, window: str | None, skip_same_source: bool | None, min_confidence: float | None = None
) -> FindOptions:
    """The corpus engine's options: the configuration's, with --window, --skip-same-source, --min-confidence on top."""
    if window:
        options = replace(options, window_days=parse_window(window))
    if skip_same_source is not None:
        options = replace(options, skip_same_source=skip_same_source)
    if min_confidence is not None:
        options = replace(options, min_confidence=min_confidence)
    return options


def _find_local(
    db: Path,
    inputs: tuple[Path, ...],
    options: CompareOptions,
    find_options: FindOptions,
    jobs: int | None,
    err: Console,
) -> tuple[list[PairRecord], dict[str, dict[str, Any]], int, int]:
    """Run the local corpus engine on the index at ``db``: (records, document info, documents, candidates)."""
    from textreuse.corpus.find import find_pairs
    from textreuse.index.store import Store

    with Store(db, readonly=True) as store:
        n_docs = len(store)
        if not n_docs:
            where = ", ".join(str(p) for p in inputs) if inputs else str(db)
            raise CliError(f"no documents found in {where}")
        info = {d.id: {"date": d.date, "length": d.length} for d in store.info()}
        with progress_bar(err) as progress:
            task = progress.add_task("align", total=None)
            counts = {"candidates": 0}

            def on_candidates(n: int) -> None:
                counts["candidates"] = n
                progress.update(task, total=n)

            records = list(
                find_pairs(
                    store,
                    options,
                    find_options,
                    jobs=jobs or default_jobs(),
                    on_candidates=on_candidates,
                    on_pair=lambda: progress.advance(task),
                    # One thread a worker (the workers already use every core), unless told otherwise.
                    worker_threads=None if THREADS_VARIABLE in os.environ else 1,
                )
            )
    return records, info, n_docs, counts["candidates"]


def _find_spark(
    given: _Inputs,
    db: Path | None,
    out: Path,
    fmt: str,
    options: CompareOptions,
    find_options: FindOptions,
    spark_master: str | None,
    spark_conf: dict[str, str],
) -> None:
    """Run the Spark engine on INPUTS (the executors write OUT/pairs/ and OUT/families/) and summarise it."""
    if db is not None:
        raise CliError("the Spark engine reads INPUT files, not an index: drop --db (or use --engine local)")
    if given.max_chars is not None:
        raise CliError("the Spark engine does not apply --max-chars yet (drop it, or use --engine local)")
    reading = {
        "input_format": given.input_format,
        "columns": given.columns,
        "skip_bad": given.skip_bad,
        "date_format": given.date_format,
    }
    run, written = run_spark(given.paths, reading, out, fmt, options, find_options, spark_master, spark_conf)
    console = Console()
    console.print(
        plain(
            f"{run.n_docs} documents, {run.n_candidates} candidate pairs, {written.n_pairs} pairs share text -> "
            f"{written.pairs}/; {written.n_families} families -> {written.families}/"
        )
    )
    if run.records:
        console.print(_pairs_table(run.records))
    report_bad(run.bad)


def _report_found(
    out: Path,
    fmt: str,
    records: list[PairRecord],
    info: dict[str, dict[str, Any]],
    n_docs: int,
    n_pairs: int,
    bad: list[InputError],
) -> list[dict[str, Any]]:
    """Write a corpus run's pairs and families to OUT and summarise them in the terminal (every engine).

    Returns the families.
    """
    from textreuse.corpus.families import build_families

    records.sort(key=output_order)
    target = write_pairs(out, fmt, [r.to_dict() for r in records])
    families = build_families(records, info)
    write_jsonl(out / "families.jsonl", families)
    console = Console()
    console.print(
        plain(
            f"{n_docs} documents, {n_pairs} candidate pairs, {len(records)} pairs share text -> {target}; "
            f"{len(families)} families -> {out / 'families.jsonl'}"
        )
    )
    if records:
        console.print(_pairs_table(records[:25]))
    report_bad(bad)
    return families


def _pairs_table(records: list[PairRecord]) -> Table:
    table = Table(title="pairs sharing text (top 25)")
    for name in ("a", "b"):
        table.add_column(name, overflow="fold", ratio=3)
    table.add_column("relation", overflow="fold", ratio=2, min_width=8)
    for name in ("conf.", "pass."):
        table.add_column(name, overflow="fold", justify="right", min_width=len(name))
    table.add_column("kinds", overflow="fold", ratio=2)
    for name in ("A in B", "B in A"):
        table.add_column(name, overflow="fold", justify="right", min_width=len(name))
    for r in records:
        kinds = sorted({p.kind for p in r.passages})
        table.add_row(
            plain(r.a),
            plain(r.b),
            r.label,
            f"{r.confidence:.2f}",
            str(len(r.passages)),
            ",".join(kinds),
            f"{100 * r.coverage_a:.0f}%",
            f"{100 * r.coverage_b:.0f}%",
        )
    return table
