"""textreuse: find where news text was reused.

The library API in three lines:

>>> import textreuse
>>> result = textreuse.compare("The council approved the budget for the new library on Monday night.",
...                            "On Monday night the council approved the budget for the new library.")
>>> [p.kind for p in result.passages]
['verbatim']

Stages (one module each): :mod:`~textreuse.ingest` -> :mod:`~textreuse.normalize`
-> :mod:`~textreuse.junk` -> :mod:`~textreuse.segment` -> :mod:`~textreuse.candidates`
-> :mod:`~textreuse.align` -> :mod:`~textreuse.report`.
"""

from .align.lexical import LexicalOptions
from .compare import CompareOptions, Comparison, PreparedDocument, compare, prepare
from .errors import InputError, TextReuseError
from .types import Document, Passage, Span

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
