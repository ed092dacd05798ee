"""``textreuse config``: print the effective configuration, every option and its value, as TOML."""

from __future__ import annotations

import click

from textreuse.cli.app import cli
from textreuse.cli.common import config_option
from textreuse.config import Config, dump_config


@cli.command("config")
@config_option
def config_command(config: Config) -> None:
    """Print every option and its value (the defaults, or those of --config FILE) as TOML.

    Save it, keep the lines you change, and pass the file to any command
    with --config: it checks every value when it reads the file (an unknown
    or out-of-range option is a one-line error naming the file and line).
    Flags given on the command line win over the file.

    \b
    Examples:
      textreuse config > textreuse.toml
      textreuse config --config textreuse.toml      # what a run with it uses
      textreuse find corpus.jsonl --out out/ --config textreuse.toml
    """
    click.echo(dump_config(config), nl=False)
