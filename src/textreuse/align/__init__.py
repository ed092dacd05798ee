"""Alignment stages: turn two prepared documents into shared passages.

* :mod:`textreuse.align.lexical` -- seed, extend and merge on shared words.
"""

from textreuse.align.lexical import LexicalOptions, align_lexical

__all__ = ["LexicalOptions", "align_lexical"]
