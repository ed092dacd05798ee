"""``python -m textreuse`` runs the command line."""

from textreuse.cli import main

main()
