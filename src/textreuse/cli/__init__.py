"""The command line: ``textreuse compare|show|index|stats|find|query|serve|pan|evaluate|config``.

Each command lives in a module of its own; importing this package registers
them all on :data:`cli`.
"""

from textreuse.cli import (  # noqa: F401
    compare_cmd,
    config_cmd,
    find_cmd,
    index_cmd,
    pan_cmd,
    query_cmd,
    serve_cmd,
    show_cmd,
)
from textreuse.cli.app import cli, main

__all__ = ["cli", "main"]
