"""The command line: ``textreuse compare|index|find|query|pan|evaluate``."""

from textreuse.cli.main import cli, main

__all__ = ["cli", "main"]
