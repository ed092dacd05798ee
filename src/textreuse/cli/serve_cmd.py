"""``textreuse serve --db``: the local web app over an index (read-only), with its JSON API."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from textreuse.cli.app import CliError, cli
from textreuse.cli.common import compare_options, config_option, junk_option, min_words_option, mode_option
from textreuse.compare import CompareOptions
from textreuse.config import Config

# The address the app listens on unless --host says otherwise: this machine only.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def serving_options(db: Path, options: CompareOptions, *, mode_given: bool) -> tuple[CompareOptions, str | None]:
    """The options the app checks texts with, and a note when they differ from those asked for.

    Full mode reads the sentence embeddings an index keeps (``index add
    --embed``); on an index without them, checking a text would embed every
    candidate document on every request (seconds each). Unless ``--mode``
    was given, such an index is served in lexical mode.
    """
    from textreuse.index.store import Store

    if options.mode != "full" or mode_given:
        return options, None
    with Store(db, readonly=True) as store:
        embedded = store.embedder is not None and len(store.missing_embeddings()) < len(store)
    if embedded:
        return options, None
    note = (
        f"{db} holds no sentence embeddings (made without `index add --embed`): checking a text in full mode "
        "would embed every candidate document on each request, so texts are checked in lexical mode "
        "(--mode full to check them in full mode anyway)"
    )
    return replace(options, mode="lexical"), note


@cli.command()
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), required=True, help="The index file.")
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on (0.0.0.0: every one).")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True, help="Port.")
@min_words_option
@junk_option
@mode_option
@config_option
def serve(
    db: Path,
    host: str,
    port: int,
    min_words: int | None,
    junk: bool | None,
    mode: str | None,
    config: Config,
) -> None:
    """Look at the reuse in an index: a local web app and its JSON API.

    The index is opened read-only. Pages: / (check a text), /families,
    /families/{id}, /pairs/{a}/{b}, /documents/{id}, /search. The API (OpenAPI schema and a try-it
    page at /docs): GET /api/search?q=, POST /api/query (paste {"text": ...}
    or upload a .txt/.html file: where else its text appears), GET
    /api/families, /api/families/{id}, /api/pairs/{a}/{b},
    /api/documents/{id}. Families and pairs come from `textreuse find --db`;
    without them, search, check a text and documents still work.

    \b
    Example:
      textreuse index add papers/ --db reuse.db && textreuse find --db reuse.db --out out/
      textreuse serve --db reuse.db             # then open http://127.0.0.1:8000/
    """
    import uvicorn

    from textreuse.web.app import create_app
    from textreuse.web.options import WebOptions

    if not db.exists():
        raise CliError(f"{db}: no such index (create it with `textreuse index add INPUTS --db {db}`)")
    compare, note = serving_options(db, compare_options(config, min_words, junk, mode), mode_given=mode is not None)
    if note:
        click.echo(f"textreuse: note: {note}", err=True)
    app = create_app(db, WebOptions(compare=compare, find=config.find))
    click.echo(f"textreuse: serving {db} at http://{host}:{port}/ (API docs at /docs); Ctrl-C stops", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
