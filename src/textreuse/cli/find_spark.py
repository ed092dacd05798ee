"""``textreuse find --engine spark``: its options, checks and run (pairs and families written by the executors)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from textreuse.cli.app import CliError
from textreuse.cli.common import DateWarnings, stderr_console
from textreuse.compare import CompareOptions
from textreuse.corpus.options import FindOptions
from textreuse.embed.settings import THREADS_VARIABLE

__all__ = ["spark_conf_option", "run_spark", "SPARK_PARTITIONS_ENV"]

# Shuffle partitions of the Spark engine.
SPARK_PARTITIONS_ENV = "TEXTREUSE_SPARK_PARTITIONS"


def _parse_conf(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    conf = {}
    for value in values:
        key, sep, setting = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{value!r}: give KEY=VALUE, e.g. spark.executor.memory=4g")
        conf[key.strip()] = setting.strip()
    return conf


def spark_conf_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """The ``--spark-conf KEY=VALUE`` option (repeatable): Spark settings of a session started by ``find``."""
    return click.option(
        "--spark-conf",
        multiple=True,
        callback=_parse_conf,
        metavar="KEY=VALUE",
        help="With --engine spark: a Spark setting (repeatable), e.g. spark.executor.memory=4g; "
        "spark-submit --conf does the same.",
    )(f)


def run_spark(
    inputs: tuple[Path, ...],
    reading: dict[str, Any],
    out: Path,
    fmt: str,
    options: CompareOptions,
    find_options: FindOptions,
    master: str | None,
    conf: dict[str, str],
) -> Any:
    """Run the Spark engine on INPUTS, the executors writing OUT/pairs/ and OUT/families/; ``(run, written)``.

    ``reading``: ``input_format``, ``columns``, ``skip_bad``, ``date_format`` as given.
    """
    if not inputs:
        raise CliError("give INPUT files or folders")
    for folder in inputs:
        if folder.is_dir() and out.resolve().is_relative_to(folder.resolve()):
            raise CliError(
                f"the output folder {out} is inside the input folder {folder}, and the Spark engine would read "
                "its results back as input: write them elsewhere (or use --engine local, which leaves it out)"
            )
    from textreuse.engines.spark import find_and_write_spark
    from textreuse.engines.spark.write import SPARK_FORMATS
    from textreuse.io.ingest import parse_columns

    if fmt not in SPARK_FORMATS:
        raise CliError(f"the Spark engine writes --format {' or '.join(SPARK_FORMATS)} (not {fmt})")
    warn = DateWarnings()
    columns = reading["columns"]
    with _java_errors():
        result = find_and_write_spark(
            [str(p) for p in inputs],
            options,
            find_options,
            str(out),
            fmt,
            master=master,
            conf=conf,
            fmt=reading["input_format"],
            columns=parse_columns(columns) if columns else None,
            skip_bad=reading["skip_bad"],
            shuffle_partitions=int(os.environ.get(SPARK_PARTITIONS_ENV, "8")),
            date_format=reading["date_format"],
            on_bad_date=warn,
            on_stage=lambda line: stderr_console().print(line, highlight=False),
            # One thread an executor process (Spark runs one a core), unless told otherwise.
            threads=None if THREADS_VARIABLE in os.environ else 1,
        )
    warn.finish()
    if not result[0].n_docs:
        raise CliError(f"no documents found in {', '.join(str(p) for p in inputs)}")
    return result


@contextmanager
def _java_errors() -> Iterator[None]:
    """A failed Spark job (an error in the JVM) as one line naming its cause, with advice when memory ran out."""
    try:
        yield
    except Exception as e:
        if type(e).__name__ != "Py4JJavaError":
            raise
        text = str(e)
        cause = next((line.strip(" :\t") for line in text.splitlines() if "Exception" in line or "Error:" in line), "")
        if "OutOfMemoryError" in text:
            raise CliError(
                "Spark ran out of memory (java.lang.OutOfMemoryError): give it more with "
                "--spark-conf spark.driver.memory=4g (a local[N] master) or spark.executor.memory=4g (a cluster)"
            ) from None
        raise CliError(f"the Spark job failed: {cause[:300]}") from None
