"""``textreuse serve --db``: the local web app over an index (read-only), with its JSON API."""

from __future__ import annotations

from pathlib import Path

import click

from textreuse.cli.app import CliError, cli
from textreuse.cli.common import compare_options, config_option, junk_option, min_words_option, mode_option
from textreuse.config import Config

# The address the app listens on unless --host says otherwise: this machine only.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


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
    options = WebOptions(compare=compare_options(config, min_words, junk, mode), find=config.find)
    app = create_app(db, options)
    click.echo(f"textreuse: serving {db} at http://{host}:{port}/ (API docs at /docs); Ctrl-C stops", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
