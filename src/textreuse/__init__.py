"""textreuse: find where news text was reused.

The library API in three lines:

>>> import textreuse
>>> result = textreuse.compare("The council approved the budget for the new library on Monday night.",
...                            "On Monday night the council approved the budget for the new library.")
>>> [p.kind for p in result.passages]
['verbatim']

Stages (one module each): :mod:`~textreuse.io.ingest` -> :mod:`~textreuse.text.normalize`
-> :mod:`~textreuse.text.junk` -> :mod:`~textreuse.text.segment` -> :mod:`~textreuse.index.candidates`
-> :mod:`~textreuse.align` -> :mod:`~textreuse.cli.report`.
"""

from textreuse.align.lexical import LexicalOptions
from textreuse.compare import CompareOptions, Comparison, compare
from textreuse.errors import InputError, TextReuseError
from textreuse.prepare import PreparedDocument, prepare
from textreuse.types import Document, Passage, Span

__version__ = "0.1.0"

__all__ = [
    "compare",
    "prepare",
    "CompareOptions",
    "LexicalOptions",
    "Comparison",
    "PreparedDocument",
    "Document",
    "Passage",
    "Span",
    "InputError",
    "TextReuseError",
    "__version__",
]
