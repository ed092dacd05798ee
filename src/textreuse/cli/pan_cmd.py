"""``textreuse pan`` and ``textreuse evaluate``: the PAN text-alignment task and its measures."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, replace
from pathlib import Path

import click

from textreuse.cli.app import cli
from textreuse.cli.common import (
    compare_options,
    config_option,
    default_jobs,
    jobs_option,
    min_words_option,
    mode_option,
    one_thread_per_worker,
    parallel_map,
    pooled,
    progress_bar,
    stderr_console,
)
from textreuse.common.terminal import printable
from textreuse.compare import CompareOptions
from textreuse.config import Config
from textreuse.errors import InputError
from textreuse.prepare import PreparedDocument

# Documents prepared in one worker process, kept while pairs sharing them run (pairs come sorted).
_PAN_CACHE: dict[str, PreparedDocument] = {}
PAN_CACHE_ENTRIES = 256

# PAN's cases are whole sentences: `pan` moves an obfuscated passage's edges to its sentences'
# edges within this many characters (CompareOptions.sentence_edges, unless --config sets another;
# chosen on the development halves of pan13-dev, docs/benchmarks.md).
PAN_SENTENCE_EDGES = 60
# A PAN case is one stretch on each side: `pan` joins detections within this many characters of
# each other on both sides (--join-gap; chosen on the development halves, docs/benchmarks.md).
PAN_JOIN_GAP = 500
# PAN's obfuscated passages thin out at their edges: `pan` grows passages down to this share of
# matched content words (LexicalOptions.min_density; --min-density), and drops the weak passages
# this lets in by their confidence (--min-passage-confidence; both chosen on the development halves).
PAN_MIN_DENSITY = 0.25
PAN_PASSAGE_CONFIDENCE = 0.1

PanJob = tuple[str, str, str, str, str, CompareOptions, bool, int, float]


def _pan_prepared(path: str, junk: bool) -> PreparedDocument:
    from textreuse.io.ingest import load_document
    from textreuse.prepare import prepare

    key = f"{junk}:{path}"
    if key not in _PAN_CACHE:
        if len(_PAN_CACHE) > PAN_CACHE_ENTRIES:
            _PAN_CACHE.clear()
        _PAN_CACHE[key] = prepare(load_document(path), junk=junk)
    return _PAN_CACHE[key]


def _pan_worker(job: PanJob) -> tuple[str, str, str | None]:
    """Align one PAN pair and write its detection XML; returns (susp, src, error or None)."""
    from textreuse.compare import compare as run_compare
    from textreuse.io.pan import join_close_detections, pair_xml_name, write_pan_xml

    susp_ref, src_ref, susp_dir, src_dir, out_dir, options, skip_bad, join_gap, least = job
    try:
        a = _pan_prepared(os.path.join(susp_dir, susp_ref), options.junk)
        b = _pan_prepared(os.path.join(src_dir, src_ref), options.junk)
    except InputError as e:
        if skip_bad:
            return susp_ref, src_ref, str(e)
        raise
    result = run_compare(a, b, options)
    passages = [p for p in result.passages if p.confidence is None or p.confidence >= least]
    spans = [(p.a_start, p.a_end - p.a_start, p.b_start, p.b_end - p.b_start) for p in passages]
    spans = join_close_detections(spans, join_gap)
    write_pan_xml(os.path.join(out_dir, pair_xml_name(susp_ref, src_ref)), susp_ref, src_ref, spans)
    return susp_ref, src_ref, None


def _check_folders(*folders: Path) -> None:
    for folder in folders:
        if not folder.is_dir():
            raise InputError("no such folder", path=str(folder))


@cli.command()
@click.argument("pairs", type=click.Path(path_type=Path))
@click.argument("src_dir", type=click.Path(path_type=Path))
@click.argument("susp_dir", type=click.Path(path_type=Path))
@click.argument("out_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--skip-bad", is_flag=True, help="Go on past unreadable documents and list them at the end.")
@min_words_option
@click.option(
    "--junk/--no-junk",
    default=False,
    show_default=True,
    help="Keep page junk out of alignment (off: PAN documents are not news pages; --config does not change it).",
)
@click.option(
    "--join-gap",
    type=click.IntRange(min=0),
    default=PAN_JOIN_GAP,
    show_default=True,
    help="Join detections this close (characters) on both sides into one (0: off).",
)
@click.option(
    "--min-density",
    type=click.FloatRange(min=0.0, max=1.0, max_open=True),
    default=PAN_MIN_DENSITY,
    show_default=True,
    help="Least share of content words matched at a passage's edges (replaces the configuration's).",
)
@click.option(
    "--min-passage-confidence",
    type=click.FloatRange(min=0.0, max=1.0),
    default=PAN_PASSAGE_CONFIDENCE,
    show_default=True,
    help="Leave out passages whose confidence is below this (0: keep all).",
)
@mode_option
@jobs_option
@config_option
def pan(
    pairs: Path,
    src_dir: Path,
    susp_dir: Path,
    out_dir: Path,
    skip_bad: bool,
    min_words: int | None,
    junk: bool,
    join_gap: int,
    min_density: float,
    min_passage_confidence: float,
    mode: str | None,
    jobs: int | None,
    config: Config,
) -> None:
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

    _check_folders(src_dir, susp_dir)
    pair_list = read_pairs(pairs)
    out_dir.mkdir(parents=True, exist_ok=True)
    options = compare_options(config, min_words, junk, mode)
    # PAN asks for every obfuscated passage: its short ones look like same-event retellings (docs/benchmarks.md).
    options = replace(options, relate=replace(options.relate, evidence=replace(options.relate.evidence, require=False)))
    options = replace(options, sentence_edges=options.sentence_edges or PAN_SENTENCE_EDGES)
    options = replace(options, lexical=replace(options.lexical, min_density=min_density))
    workers = jobs or default_jobs()
    if pooled(workers, len(pair_list)):
        options = one_thread_per_worker(options)
    # Pairs sharing a suspicious document run in one chunk, so it is prepared once.
    pair_list = sorted(pair_list)
    jobs_list = [
        (s, r, str(susp_dir), str(src_dir), str(out_dir), options, skip_bad, join_gap, min_passage_confidence)
        for s, r in pair_list
    ]
    errors: list[str] = []
    with progress_bar(stderr_console()) as progress:
        for _, _, error in parallel_map(_pan_worker, jobs_list, workers, progress, "align pairs"):
            if error:
                errors.append(error)
    click.echo(printable(f"{len(pair_list) - len(errors)} pairs aligned -> {out_dir}"))
    if errors:
        click.echo(f"textreuse: skipped {len(errors)} pair(s) with bad documents:", err=True)
        for e in errors:
            click.echo(f"  {printable(e)}", err=True)


@cli.command()
@click.argument("truth_dir", type=click.Path(path_type=Path))
@click.argument("detections_dir", type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--missing-as-misses",
    is_flag=True,
    help="Score truth pairs that have no detection file as pairs with no detections (default: leave them out).",
)
def evaluate(truth_dir: Path, detections_dir: Path, fmt: str, missing_as_misses: bool) -> None:
    """Score PAN detections against the truth: precision, recall, granularity, plagdet.

    TRUTH_DIR holds truth XMLs, directly or in category folders (as the PAN
    corpora do); DETECTIONS_DIR holds one detection XML per pair, as written
    by `textreuse pan`. The measures are the character-level ones of
    Potthast et al. (2010), per category and overall. Only the pairs with a
    detection file are scored (`textreuse pan` run on a subset), and a line on
    stderr says how many were left out; --missing-as-misses scores them as misses.

    \b
    Example:
      textreuse evaluate pan13/ out/pan13 --format json
    """
    from textreuse.io.pan import evaluate_dirs, format_scores

    _check_folders(truth_dir, detections_dir)
    scores = evaluate_dirs(truth_dir, detections_dir, missing="miss" if missing_as_misses else "skip")
    left = scores["overall"].pairs_missing
    if left:
        what = "scored as misses" if missing_as_misses else "left out (--missing-as-misses scores them as misses)"
        click.echo(
            printable(f"textreuse: note: {left:,} truth pair(s) have no detection file in {detections_dir}: {what}"),
            err=True,
        )
    if fmt == "json":
        click.echo(json.dumps({k: asdict(v) for k, v in scores.items()}, indent=2))
    else:
        click.echo(printable(format_scores(scores), keep="\n"))
