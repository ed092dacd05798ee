"""Alignment stages: turn two prepared documents into shared passages.

* :mod:`textreuse.align.options` -- :class:`LexicalOptions` and :class:`SemanticOptions`, checked at construction.
* :mod:`textreuse.align.spans` -- what the aligners find (token, sentence and character offsets).
* :mod:`textreuse.align.lexical` -- seed, extend and merge on shared words
  (seed geometry in :mod:`textreuse.align.seeds`).
* :mod:`textreuse.align.semantic` -- sentences that say the same thing in other words.
* :mod:`textreuse.align.summary_chains` -- summaries in sentence indices.
* :mod:`textreuse.align.merge` -- sentence matches merged with lexical passages.
* :mod:`textreuse.align.summaries` -- summaries in character offsets: join, gather, grow.
* :mod:`textreuse.align.passages` -- aligned spans become passages: kind, scores, coverage.
"""

from textreuse.align.lexical import LexicalOptions, align_lexical
from textreuse.align.options import SemanticOptions
from textreuse.align.spans import AlignedSpan

__all__ = ["AlignedSpan", "LexicalOptions", "SemanticOptions", "align_lexical"]
