"""The ``textreuse`` command line.

Every bad input ends in a one-line error on stderr and exit status 2; see
``textreuse --help`` and ``textreuse COMMAND --help``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from textreuse import __version__
from textreuse.align.lexical import LexicalOptions
from textreuse.compare import CompareOptions, Comparison
from textreuse.corpus.record import PairRecord
from textreuse.errors import InputError, TextReuseError

T = TypeVar("T")
R = TypeVar("R")


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


def _stderr() -> Console:
    return Console(stderr=True)


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=console,
        transient=False,
        disable=not console.is_terminal and os.environ.get("TEXTREUSE_PROGRESS") != "1",
    )


def _default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def _map(
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
    if jobs <= 1 or len(items) < 8:
        for item in items:
            yield fn(item)
            progress.advance(task)
        return
    chunk = max(1, min(32, len(items) // (jobs * 8)))
    # Each worker embeds on one thread: the workers already use every core.
    os.environ.setdefault("TEXTREUSE_THREADS", "1")
    with ProcessPoolExecutor(jobs, initializer=initializer, initargs=initargs) as pool:
        for out in pool.map(fn, items, chunksize=chunk):
            yield out
            progress.advance(task)


def _options(min_words: int | None, junk: bool, mode: str = "full") -> CompareOptions:
    lexical = LexicalOptions() if min_words is None else LexicalOptions(min_words=min_words)
    return CompareOptions(lexical=lexical, junk=junk, mode=mode)  # type: ignore[arg-type]


_mode_option = click.option(
    "--mode",
    type=click.Choice(["full", "lexical"]),
    default="full",
    show_default=True,
    help="full: shared words and shared meaning (sentence embeddings, finds paraphrases); "
    "lexical: shared words only, faster.",
)


_min_words_option = click.option(
    "--min-words",
    type=click.IntRange(1),
    default=None,
    help=f"Shortest passage reported, in words (default {LexicalOptions().min_words}; "
    f"{LexicalOptions().min_edited_words} for edited passages).",
)
_junk_option = click.option(
    "--junk/--no-junk",
    default=True,
    show_default=True,
    help="Keep page junk (captions, bylines, mastheads, footers) out of alignment.",
)
_jobs_option = click.option(
    "-j", "--jobs", type=click.IntRange(1), default=None, help="Worker processes (default: all cores)."
)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="textreuse")
def cli() -> None:
    """Find where text was reused: shared passages with offsets into the originals.

    \b
    Examples:
      textreuse compare original.txt reprint.txt          # side by side
      textreuse compare a.html b.txt --format json        # machine-readable
      textreuse find corpus.jsonl --out results/          # all pairs in a corpus
      textreuse pan pairs src/ susp/ detections/          # PAN text alignment
      textreuse evaluate truth/ detections/               # PAN measures

    Offsets are Python string indices into the original texts, so
    text[start:end] is always the passage as it appears in the input.
    """


@cli.command()
@click.argument("a", type=click.Path(path_type=Path))
@click.argument("b", type=click.Path(path_type=Path))
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
    help="text: passages side by side; json: the documented JSON object; csv: one row per passage.",
)
@_min_words_option
@_junk_option
@_mode_option
def compare(a: Path, b: Path, fmt: str, min_words: int | None, junk: bool, mode: str) -> None:
    """Align two documents A and B and show the passages they share.

    A and B are text or HTML files (HTML is reduced to its main text). The
    report gives each passage's kind (verbatim or edited), its score, its
    character offsets in both files, each file's coverage ("A: 62% found in
    B"), and the page junk left out of alignment.

    \b
    Example:
      textreuse compare wire.txt reprint.txt --format json > pair.json
    """
    from textreuse.compare import compare as run_compare
    from textreuse.io.ingest import load_document
    from textreuse.cli.report import render_text, to_csv, to_json

    doc_a, doc_b = load_document(a), load_document(b)
    result = run_compare(doc_a, doc_b, _options(min_words, junk, mode))
    if fmt == "json":
        click.echo(to_json(result))
    elif fmt == "csv":
        click.echo(to_csv([result]), nl=False)
    else:
        render_text(result, Console())


# ---------------------------------------------------------------- find

def _embeddings_beside(db: Path, mode: str) -> None:
    """In full mode, keep sentence embeddings on disk beside the index (``DB.embeddings/``).

    A corpus run embeds each sentence once, and later runs and queries on
    the same index reuse them. ``TEXTREUSE_EMBED_CACHE``, when set, wins.
    """
    if mode != "full" or os.environ.get("TEXTREUSE_EMBED_CACHE") is not None:
        return
    if os.access(db.resolve().parent, os.W_OK):
        os.environ["TEXTREUSE_EMBED_CACHE"] = str(db.resolve()) + ".embeddings"


def _embed_index(db: Path, options: CompareOptions, err: Console, embed: bool) -> None:
    """In full mode, embed the sentences of the indexed documents that have none stored yet (with ``embed``).

    They are kept in the index, for the sentence-neighbour candidates and for
    alignment. Without ``embed`` nothing is embedded up front (on a large
    index that takes hours: about 150 sentences a second per core); a note
    says how many documents take no part in the sentence-neighbour candidates.
    """
    from textreuse.index.store import Store

    if options.mode != "full" or not db.exists():
        return
    with Store(db, readonly=not embed) as store:
        if store.embedder not in (None, options.embedder):
            return
        todo = len(store.missing_embeddings())
        if not todo:
            return
        if not embed:
            err.print(f"note: {todo:,} of {len(store):,} indexed documents have no sentence embeddings and take no "
                      "part in the sentence-neighbour candidates (add --embed to embed them now, once)",
                      highlight=False)
            return
        with _progress(err) as progress:
            task = progress.add_task("embed", total=todo)
            store.embed_missing(options.embedder, on_batch=lambda n: progress.advance(task, n))


_embed_option = click.option(
    "--embed", is_flag=True,
    help="Full mode: first embed the sentences of indexed documents that have no embeddings yet (kept in the "
         "index, done once; about 150 sentences a second per core), so that every document takes part in the "
         "sentence-neighbour candidates. Without --db, find always does.",
)


def _write_atomic(path: Path, lines: Iterable[str]) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            for line in lines:
                fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


_input_options = [
    click.option("--input-format", type=click.Choice(["txt", "html", "jsonl", "csv"]), default=None,
                 help="Force the input format instead of guessing it from file names."),
    click.option("--columns", default=None, metavar="SPEC",
                 help="CSV column mapping, e.g. 'id=doc_id,text=body,date=published'."),
    click.option("--skip-bad", is_flag=True, help="Go on past bad documents and list them at the end."),
]


def _with_input_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_input_options):
        fn = option(fn)
    return fn


def _index_inputs(db: Path, inputs: tuple[Path, ...], input_format: str | None, columns: str | None,
                  skip_bad: bool, junk: bool, jobs: int | None, err: Console,
                  embed: bool = False) -> tuple[Any, list[InputError]]:
    """Add INPUTS to the index at DB with a progress bar; returns (AddResult, bad inputs).

    With ``embed``, the sentences of the documents added are embedded too (full mode).
    """
    from textreuse.io.ingest import iter_documents, parse_columns
    from textreuse.index.store import AddResult, Store

    mapping = parse_columns(columns) if columns else None
    bad: list[InputError] = []
    docs = iter_documents(list(inputs), fmt=input_format, columns=mapping, skip_bad=skip_bad, bad=bad)
    total = AddResult()
    with Store(db, junk=junk) as store, _progress(err) as progress:
        task = progress.add_task("index", total=None)

        def advance(result: AddResult) -> None:
            progress.advance(task, result.added + result.replaced + result.unchanged)

        total = store.add(docs, jobs=jobs or _default_jobs(), on_batch=advance, embed=embed)
        if total.added or total.replaced:
            store.postings()  # the inverted index, kept for queries
    return total, bad


_db_option = click.option("--db", type=click.Path(path_type=Path, dir_okay=False), default=None,
                          help="The index file (SQLite), made by `textreuse index add`.")
_window_option = click.option("--window", default=None, metavar="SPAN",
                              help="Only pairs dated at most this far apart: 30d, 2w, 6m, 1y (undated pairs are kept).")
_same_source_option = click.option("--skip-same-source", is_flag=True,
                                   help="No pairs of two documents from the same source (metadata source or series).")


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@_db_option
@click.option("-o", "--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Output folder.")
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True,
    help="Format of the pairs file (pairs.jsonl, pairs.csv with one row a passage, or pairs.parquet).",
)
@_with_input_options
@_window_option
@_same_source_option
@_min_words_option
@_junk_option
@_mode_option
@_embed_option
@_jobs_option
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="local: an index and a process pool on this machine. spark: Apache Spark (pip install "
                   "'textreuse[spark]', Java 17+), lexical mode only for now; INPUTS only, no --db.")
@click.option("--spark-master", default=None, metavar="URL",
              help="With --engine spark: the Spark master, e.g. local[2] or spark://host:7077 "
                   "(default: from spark-submit or the Spark configuration, else local[*]).")
def find(inputs: tuple[Path, ...], db: Path | None, out: Path, fmt: str, input_format: str | None,
         columns: str | None, skip_bad: bool, window: str | None, skip_same_source: bool, min_words: int | None,
         junk: bool, mode: str, embed: bool, jobs: int | None, engine: str, spark_master: str | None) -> None:
    """Find every pair of documents in a collection that shares text, and the families they form.

    Either give INPUTS (files or folders: .txt, .html, JSONL with "id" and
    "text" and optional "date", "source", "title", "url", or CSV), searched
    in memory, or an index with --db (INPUTS given too are added to it
    first). Candidate pairs come from rare shared word n-grams (and, in full
    mode, rare shared names and numbers, which survive paraphrase, and
    sentences that are nearest neighbours in meaning, embedded once and kept
    in the index), so the work grows with the reuse, not with the square of
    the collection.

    \b
    Writes to OUT:
      pairs.jsonl     one line a pair sharing passages:
                      {"a", "b", "relation", "coverage": {"a", "b"}, "passages": [...]}
      families.jsonl  groups of documents reusing one another: members, likely
                      source and evidence, passages clustered across members

    \b
    Examples:
      textreuse find demo/corpus.jsonl --out out/demo
      textreuse index add papers/ --db reuse.db && textreuse find --db reuse.db --out out/ --window 30d
      textreuse find pages.jsonl --out out/ --mode lexical --engine spark --spark-master local[2]
    """
    from textreuse.corpus.find import find_pairs
    from textreuse.corpus.options import FindOptions, parse_window

    import tempfile

    from textreuse.index.store import Store

    err = _stderr()
    find_options = FindOptions(window_days=parse_window(window) if window else None,
                               skip_same_source=skip_same_source)
    options = _options(min_words, junk, mode)
    bad: list[InputError] = []
    if engine == "spark":
        if mode != "lexical":
            raise CliError("the Spark engine runs --mode lexical only for now (add --mode lexical, "
                           "or use --engine local)")
        if db is not None:
            raise CliError("the Spark engine reads INPUT files, not an index: drop --db (or use --engine local)")
        if not inputs:
            raise CliError("give INPUT files or folders")
        from textreuse.io.ingest import parse_columns
        from textreuse.engines.spark import find_pairs_spark

        mapping = parse_columns(columns) if columns else None
        run = find_pairs_spark(list(inputs), options, find_options, master=spark_master, fmt=input_format,
                               columns=mapping, skip_bad=skip_bad,
                               shuffle_partitions=int(os.environ.get("TEXTREUSE_SPARK_PARTITIONS", "8")))
        if not run.n_docs:
            raise CliError(f"no documents found in {', '.join(str(p) for p in inputs)}")
        _report_found(out, fmt, run.records, run.info, run.n_docs, run.n_candidates, run.bad)
        return
    with tempfile.TemporaryDirectory(prefix="textreuse-") as tmp:
        if db is None:
            # Without --db the collection goes into a throw-away index: one engine for both.
            if not inputs:
                raise CliError("give INPUT files or folders, or an index with --db")
            db = Path(tmp) / "index.db"
            embed = True  # a collection given as files is embedded as it is indexed (full mode)
        if inputs:
            _, bad = _index_inputs(db, inputs, input_format, columns, skip_bad, junk, jobs, err,
                                   embed=mode == "full" and embed)
        _embed_index(db, options, err, embed)
        _embeddings_beside(db, mode)
        with Store(db, readonly=True) as store:
            n_docs = len(store)
            if not n_docs:
                where = ", ".join(str(p) for p in inputs) if inputs else str(db)
                raise CliError(f"no documents found in {where}")
            info = {d.id: {"date": d.date, "length": d.length} for d in store.info()}
            with _progress(err) as progress:
                task = progress.add_task("align", total=None)
                counts = {"candidates": 0}

                def on_candidates(n: int) -> None:
                    counts["candidates"] = n
                    progress.update(task, total=n)

                # Each worker embeds on one thread (the workers already use every core), unless told otherwise.
                threads = None if "TEXTREUSE_THREADS" in os.environ else 1
                records = list(find_pairs(store, options, find_options, jobs=jobs or _default_jobs(),
                                          on_candidates=on_candidates, on_pair=lambda: progress.advance(task),
                                          worker_threads=threads))
        n_pairs = counts["candidates"]
    _report_found(out, fmt, records, info, n_docs, n_pairs, bad)


def _report_found(out: Path, fmt: str, records: list[PairRecord], info: dict[str, dict[str, Any]],
                  n_docs: int, n_pairs: int, bad: list[InputError]) -> None:
    """Write a corpus run's pairs and families to OUT and summarise them in the terminal (every engine)."""
    records.sort(key=lambda r: (-max(r.coverage_a, r.coverage_b), r.a, r.b))
    target = _write_pairs(out, fmt, records)
    from textreuse.corpus.families import build_families

    families = build_families(records, info)
    _write_atomic(out / "families.jsonl", (json.dumps(f, ensure_ascii=False) + "\n" for f in families))
    console = Console()
    console.print(f"{n_docs} documents, {n_pairs} candidate pairs, {len(records)} pairs share text -> {target}; "
                  f"{len(families)} families -> {out / 'families.jsonl'}")
    if records:
        table = Table(title="pairs sharing text (top 25)")
        for name in ("a", "b"):
            table.add_column(name, overflow="fold", ratio=3)
        for name in ("relation", "passages", "kinds", "A in B", "B in A"):
            table.add_column(name, overflow="fold", ratio=1)
        for r in records[:25]:
            kinds = sorted({p.kind for p in r.passages})
            table.add_row(r.a, r.b, r.label, str(len(r.passages)), ",".join(kinds),
                          f"{100 * r.coverage_a:.0f}%", f"{100 * r.coverage_b:.0f}%")
        console.print(table)
    _report_bad(bad)


def _write_pairs(out: Path, fmt: str, records: list[PairRecord]) -> Path:
    """Write pairs.jsonl / pairs.csv / pairs.parquet atomically; returns its path."""
    from textreuse.cli.report import CSV_FIELDS

    out.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        target = out / "pairs.jsonl"
        _write_atomic(target, (json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in records))
    elif fmt == "csv":
        import csv
        import io

        target = out / "pairs.csv"

        def rows() -> Iterable[str]:
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(["a", "b", "relation", "coverage_a", "coverage_b"] + CSV_FIELDS[2:8])
            for r in records:
                for p in r.to_dict()["passages"]:
                    w.writerow([r.a, r.b, r.label, r.coverage_a, r.coverage_b,
                                p["a_start"], p["a_end"], p["b_start"], p["b_end"], p["kind"], p["score"]])
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()

        _write_atomic(target, rows())
    else:
        target = out / "pairs.parquet"
        _write_parquet(target, records)
    return target


def _write_parquet(target: Path, records: list[PairRecord]) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise CliError("--format parquet needs pyarrow: pip install 'textreuse[parquet]'") from None
    rows = []
    for r in records:
        d = r.to_dict()
        rel = d["relation"] or {}
        for p in d["passages"]:
            rows.append({"a": r.a, "b": r.b, "relation": rel.get("label"), "source": rel.get("source"),
                         "coverage_a": r.coverage_a, "coverage_b": r.coverage_b,
                         **{k: p[k] for k in ("a_start", "a_end", "b_start", "b_end", "kind", "score")}})
    table = pa.Table.from_pylist(rows) if rows else pa.table({k: [] for k in (
        "a", "b", "relation", "source", "coverage_a", "coverage_b", "a_start", "a_end", "b_start", "b_end", "kind",
        "score")})
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


# ---------------------------------------------------------------- index, stats, query


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
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The index file (created when missing).")
@_with_input_options
@_junk_option
@click.option("--embed", is_flag=True,
              help="Also embed every sentence now, for full-mode find and query (else they embed what is "
                   "missing on their first run). Slower: about 150 sentences a second per core.")
@_jobs_option
def index_add(inputs: tuple[Path, ...], db: Path, input_format: str | None, columns: str | None, skip_bad: bool,
              junk: bool, embed: bool, jobs: int | None) -> None:
    """Add documents to an index: incremental, idempotent, interruptible.

    A document whose id is already indexed with the same content is
    skipped; one whose content changed replaces the old. Input is streamed
    (memory does not grow with the input) and written in batches, each in
    one transaction: after Ctrl-C, run the same command again and it adds
    the rest, every document exactly once. --junk/--no-junk is fixed when
    the index is created. --embed stores every sentence's embedding too
    (full-mode candidates and alignment); full-mode find and query embed
    the documents still without them on their first run.

    \b
    Examples:
      textreuse index add papers/ --db reuse.db
      textreuse index add papers/ --db reuse.db --embed
    """
    total, bad = _index_inputs(db, inputs, input_format, columns, skip_bad, junk, jobs, _stderr(), embed=embed)
    click.echo(f"{db}: {total.added} added, {total.replaced} replaced, {total.unchanged} unchanged")
    _report_bad(bad)


@cli.command()
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), required=True, help="The index file.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def stats(db: Path, fmt: str) -> None:
    """Summarize an index: documents, characters, sources, dates, n-grams, size on disk."""
    from textreuse.index.store import Store

    with Store(db, readonly=True) as store:
        summary = store.stats()
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2))
        return
    table = Table(title=f"index {db}", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    for key, value in summary.items():
        if key == "path":
            continue
        table.add_row(key.replace("_", " "), f"{value:,}" if isinstance(value, int) and not isinstance(value, bool)
                      else str(value))
    Console().print(table)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), required=True, help="The index file.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: ranked table and passages; json: one object a query file, a list of matches.")
@click.option("--top", type=click.IntRange(1), default=20, show_default=True,
              help="Align at most this many of the best-ranked candidates.")
@_min_words_option
@_junk_option
@_mode_option
@_embed_option
def query(files: tuple[Path, ...], db: Path, fmt: str, top: int, min_words: int | None, junk: bool,
          mode: str, embed: bool) -> None:
    """Where else does this text appear? Match new documents against an index.

    Each FILE (text or HTML) is looked up by its rare 3-grams (and, in full
    mode, its names and numbers and its sentences' nearest neighbours among
    the indexed sentences) and aligned with the best-ranked indexed
    documents. Matches come ranked by how much of the new document they
    share, each with its passages (offsets into the new file and into the
    indexed document), coverage and relation.

    \b
    Example:
      textreuse query new-article.txt --db reuse.db --format json
    """
    from textreuse.corpus.query import Query
    from textreuse.io.ingest import load_document
    from textreuse.cli.report import render_text

    docs = [load_document(f) for f in files]
    _embed_index(db, _options(min_words, junk, mode), _stderr(), embed)
    _embeddings_beside(db, mode)  # before the query's embedder is made: the new documents' sentences go there
    q = Query(db, _options(min_words, junk, mode), top=top)
    try:
        answers = [(d, q.ask(d)) for d in docs]
    finally:
        q.close()
    if fmt == "json":
        out = []
        for d, results in answers:
            out.append({"query": d.id, "length": len(d.text),
                        "matches": [{"id": r.b.id, **{k: v for k, v in r.to_dict().items() if k not in ("a", "b")}}
                                    for r in results]})
        click.echo(json.dumps(out if len(out) > 1 else out[0], ensure_ascii=False, indent=2))
        return
    console = Console()
    for d, results in answers:
        if not results:
            console.print(f"{d.id}: no indexed document shares text with it")
            continue
        table = Table(title=f"{d.id}: {len(results)} indexed document(s) share text")
        for name in ("indexed document", "relation", "passages", "query in it", "it in query"):
            table.add_column(name, overflow="fold")
        for r in results:
            table.add_row(r.b.id, r.relation.label if r.relation else "", str(len(r.passages)),
                          f"{100 * r.coverage_a:.0f}%", f"{100 * r.coverage_b:.0f}%")
        console.print(table)
        for r in results[:3]:
            render_text(r, console)


def _report_bad(bad: list[InputError]) -> None:
    if bad:
        click.echo(f"textreuse: skipped {len(bad)} bad input(s):", err=True)
        for e in bad:
            click.echo(f"  {e}", err=True)


# ---------------------------------------------------------------- pan

_PAN_CACHE: dict[str, Any] = {}


def _pan_prepared(path: str, junk: bool) -> Any:
    from textreuse.compare import prepare
    from textreuse.io.ingest import load_document

    key = f"{junk}:{path}"
    if key not in _PAN_CACHE:
        if len(_PAN_CACHE) > 256:
            _PAN_CACHE.clear()
        _PAN_CACHE[key] = prepare(load_document(path), junk=junk)
    return _PAN_CACHE[key]


def _pan_worker(job: tuple[str, str, str, str, str, CompareOptions, bool]) -> tuple[str, str, str | None]:
    """Align one PAN pair and write its detection XML; returns (susp, src, error or None)."""
    from textreuse.compare import compare as run_compare
    from textreuse.io.pan import pair_xml_name, write_pan_xml

    susp_ref, src_ref, susp_dir, src_dir, out_dir, options, skip_bad = job
    try:
        a = _pan_prepared(os.path.join(susp_dir, susp_ref), options.junk)
        b = _pan_prepared(os.path.join(src_dir, src_ref), options.junk)
    except InputError as e:
        if skip_bad:
            return susp_ref, src_ref, str(e)
        raise
    result = run_compare(a, b, options)
    spans = [(p.a_start, p.a_end - p.a_start, p.b_start, p.b_end - p.b_start) for p in result.passages]
    write_pan_xml(os.path.join(out_dir, pair_xml_name(susp_ref, src_ref)), susp_ref, src_ref, spans)
    return susp_ref, src_ref, None


@cli.command()
@click.argument("pairs", type=click.Path(path_type=Path))
@click.argument("src_dir", type=click.Path(path_type=Path))
@click.argument("susp_dir", type=click.Path(path_type=Path))
@click.argument("out_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--skip-bad", is_flag=True, help="Go on past unreadable documents and list them at the end.")
@_min_words_option
@click.option(
    "--junk/--no-junk", default=False, show_default=True,
    help="Keep page junk out of alignment (off: PAN documents are not news pages).",
)
@_mode_option
@_jobs_option
def pan(pairs: Path, src_dir: Path, susp_dir: Path, out_dir: Path, skip_bad: bool, min_words: int | None,
        junk: bool, mode: str, jobs: int | None) -> None:
    """Run PAN text alignment: one detection XML per pair in OUT_DIR.

    PAIRS lists "suspicious-documentX.txt source-documentY.txt" a line (the
    argument order of the PAN text-alignment task). Each OUT_DIR/
    suspicious-documentX-source-documentY.xml holds the detections as
    <feature name="detected-plagiarism" .../>, "this" being the suspicious
    document. Score them with `textreuse evaluate`.

    \b
    Example:
      textreuse pan pan13/pairs pan13/src pan13/susp out/pan13
    """
    from textreuse.io.pan import read_pairs

    for folder in (src_dir, susp_dir):
        if not folder.is_dir():
            raise InputError("no such folder", path=str(folder))
    pair_list = read_pairs(pairs)
    out_dir.mkdir(parents=True, exist_ok=True)
    options = _options(min_words, junk, mode)
    # Pairs sharing a suspicious document run in one chunk, so it is prepared once.
    pair_list = sorted(pair_list)
    jobs_list = [(s, r, str(susp_dir), str(src_dir), str(out_dir), options, skip_bad) for s, r in pair_list]
    errors: list[str] = []
    with _progress(_stderr()) as progress:
        for _, _, error in _map(_pan_worker, jobs_list, jobs or _default_jobs(), progress, "align pairs"):
            if error:
                errors.append(error)
    click.echo(f"{len(pair_list) - len(errors)} pairs aligned -> {out_dir}")
    if errors:
        click.echo(f"textreuse: skipped {len(errors)} pair(s) with bad documents:", err=True)
        for e in errors:
            click.echo(f"  {e}", err=True)


@cli.command()
@click.argument("truth_dir", type=click.Path(path_type=Path))
@click.argument("detections_dir", type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def evaluate(truth_dir: Path, detections_dir: Path, fmt: str) -> None:
    """Score PAN detections against the truth: precision, recall, granularity, plagdet.

    TRUTH_DIR holds truth XMLs, directly or in category folders (as the PAN
    corpora do); DETECTIONS_DIR holds one detection XML per pair, as written
    by `textreuse pan`. The measures are the character-level ones of
    Potthast et al. (2010), per category and overall.
    """
    from dataclasses import asdict

    from textreuse.io.pan import evaluate_dirs, format_scores

    for folder in (truth_dir, detections_dir):
        if not folder.is_dir():
            raise InputError("no such folder", path=str(folder))
    scores = evaluate_dirs(truth_dir, detections_dir)
    if fmt == "json":
        click.echo(json.dumps({k: asdict(v) for k, v in scores.items()}, indent=2))
    else:
        click.echo(format_scores(scores))


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``textreuse`` command."""
    cli.main(args=argv, prog_name="textreuse")


if __name__ == "__main__":  # pragma: no cover
    main()
