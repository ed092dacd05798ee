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

from . import __version__
from .align.lexical import LexicalOptions
from .compare import CompareOptions, Comparison
from .errors import InputError, TextReuseError

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
    from .compare import compare as run_compare
    from .ingest import load_document
    from .report import render_text, to_csv, to_json

    doc_a, doc_b = load_document(a), load_document(b)
    result = run_compare(doc_a, doc_b, _options(min_words, junk, mode))
    if fmt == "json":
        click.echo(to_json(result))
    elif fmt == "csv":
        click.echo(to_csv([result]), nl=False)
    else:
        render_text(result, Console())


# ---------------------------------------------------------------- find

_FIND_STATE: dict[str, Any] = {}


def _find_worker(pair: tuple[int, int]) -> dict[str, Any] | None:
    from .compare import compare as run_compare

    prepared, options = _FIND_STATE["prepared"], _FIND_STATE["options"]
    result = run_compare(prepared[pair[0]], prepared[pair[1]], options)
    if not result.passages:
        return None
    return _pair_record(result)


def _pair_record(result: Comparison) -> dict[str, Any]:
    d = result.to_dict()
    return {"a": result.a.id, "b": result.b.id, "relation": d["relation"], "coverage": d["coverage"],
            "passages": d["passages"]}


def _init_find(prepared: list[Any], options: CompareOptions) -> None:
    _FIND_STATE["prepared"] = prepared
    _FIND_STATE["options"] = options


def _write_atomic(path: Path, lines: Iterable[str]) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            for line in lines:
                fh.write(line)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Output folder.")
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True,
    help="Format of the pairs file (pairs.jsonl or pairs.csv).",
)
@click.option("--input-format", type=click.Choice(["txt", "html", "jsonl", "csv"]), default=None,
              help="Force the input format instead of guessing it from file names.")
@click.option("--columns", default=None, metavar="SPEC",
              help="CSV column mapping, e.g. 'id=doc_id,text=body,date=published'.")
@click.option("--skip-bad", is_flag=True, help="Go on past bad documents and list them at the end.")
@_min_words_option
@_junk_option
@_mode_option
@_jobs_option
def find(inputs: tuple[Path, ...], out: Path, fmt: str, input_format: str | None, columns: str | None,
         skip_bad: bool, min_words: int | None, junk: bool, mode: str, jobs: int | None) -> None:
    """Find every pair of documents in a collection that shares text.

    INPUTS are files or folders: .txt and .html files, JSONL (one object a
    line with "id" and "text", optional "date", "source", "title", "url")
    or CSV. Candidate pairs come from rare shared word n-grams, so the work
    grows with the reuse, not with the square of the collection. Writes
    OUT/pairs.jsonl, one line per pair that shares passages:
    {"a", "b", "coverage": {"a", "b"}, "passages": [...]}.

    \b
    Example:
      textreuse find demo/corpus.jsonl --out out/demo
    """
    from .candidates import candidate_pairs
    from .compare import prepare
    from .ingest import iter_documents, parse_columns
    from .junk import RepeatedLines
    from .report import CSV_FIELDS

    err = _stderr()
    mapping = parse_columns(columns) if columns else None
    bad: list[InputError] = []
    docs = list(iter_documents(list(inputs), fmt=input_format, columns=mapping, skip_bad=skip_bad, bad=bad))
    if not docs:
        raise CliError("no documents found in " + ", ".join(str(p) for p in inputs))
    options = _options(min_words, junk, mode)
    repeated = RepeatedLines(min_docs=max(3, len(docs) // 50))
    for d in docs:
        repeated.add(d.text)
    with _progress(err) as progress:
        task = progress.add_task("prepare", total=len(docs))
        prepared = []
        for d in docs:
            prepared.append(prepare(d, junk=junk, repeated=repeated if junk else None))
            progress.advance(task)
        pairs = [(i, j) for i, j, _ in candidate_pairs([p.tokens for p in prepared])]
        results = _map(_find_worker, pairs, jobs or _default_jobs(), progress, "align",
                       initializer=_init_find, initargs=(prepared, options))
        records = [r for r in results if r]
    records.sort(key=lambda r: -max(r["coverage"]["a"], r["coverage"]["b"]))
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        target = out / "pairs.jsonl"
        _write_atomic(target, (json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    else:
        import csv
        import io

        target = out / "pairs.csv"

        def rows() -> Iterable[str]:
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(["a", "b", "coverage_a", "coverage_b"] + CSV_FIELDS[2:8])
            for r in records:
                for p in r["passages"]:
                    w.writerow([r["a"], r["b"], r["coverage"]["a"], r["coverage"]["b"],
                                p["a_start"], p["a_end"], p["b_start"], p["b_end"], p["kind"], p["score"]])
            yield buf.getvalue()

        _write_atomic(target, rows())
    console = Console()
    console.print(f"{len(docs)} documents, {len(pairs)} candidate pairs, "
                  f"{len(records)} pairs share text -> {target}")
    if records:
        table = Table(title="pairs sharing text (top 25)")
        for name in ("a", "b"):
            table.add_column(name, overflow="fold", ratio=3)
        for name in ("passages", "kinds", "A in B", "B in A"):
            table.add_column(name, overflow="fold", ratio=1)
        for r in records[:25]:
            kinds = sorted({p["kind"] for p in r["passages"]})
            table.add_row(r["a"], r["b"], str(len(r["passages"])), ",".join(kinds),
                          f"{100 * r['coverage']['a']:.0f}%", f"{100 * r['coverage']['b']:.0f}%")
        console.print(table)
    _report_bad(bad)


def _report_bad(bad: list[InputError]) -> None:
    if bad:
        click.echo(f"textreuse: skipped {len(bad)} bad input(s):", err=True)
        for e in bad:
            click.echo(f"  {e}", err=True)


# ---------------------------------------------------------------- pan

_PAN_CACHE: dict[str, Any] = {}


def _pan_prepared(path: str, junk: bool) -> Any:
    from .compare import prepare
    from .ingest import load_document

    key = f"{junk}:{path}"
    if key not in _PAN_CACHE:
        if len(_PAN_CACHE) > 256:
            _PAN_CACHE.clear()
        _PAN_CACHE[key] = prepare(load_document(path), junk=junk)
    return _PAN_CACHE[key]


def _pan_worker(job: tuple[str, str, str, str, str, CompareOptions, bool]) -> tuple[str, str, str | None]:
    """Align one PAN pair and write its detection XML; returns (susp, src, error or None)."""
    from .compare import compare as run_compare
    from .pan import pair_xml_name, write_pan_xml

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
    from .pan import read_pairs

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

    from .pan import evaluate_dirs, format_scores

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
