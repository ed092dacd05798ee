"""Which of two documents is aligned as *a*: a key of their own, never the order they came in.

The aligners are not symmetric: seeds are grouped along *a* first, ties go
to the earlier position in *a*, one passage per stretch is kept in the order
found. So that ``compare(x, y)`` and ``compare(y, x)`` find the same passages
(sides swapped), and a corpus run finds the same pairs whatever order its
documents came in, each pair is aligned with the document of the lower
:func:`order_key` as *a* and the result mirrored back to the caller's order.

>>> from textreuse.types import Document
>>> x, y = Document("x", "The bridge will close."), Document("y", "The bridge will reopen.")
>>> aligned_swapped(x, y) != aligned_swapped(y, x)
True
"""

from __future__ import annotations

from textreuse.common.hashing import hash64
from textreuse.types import Document

__all__ = ["aligned_swapped", "order_key"]


def order_key(document: Document) -> tuple[int, str]:
    """The key that orders two documents for alignment: the hash of the text, then the id."""
    return hash64(document.text), document.id


def aligned_swapped(a: Document, b: Document) -> bool:
    """Whether ``b`` is aligned as *a* (it comes first by :func:`order_key`)."""
    return order_key(b) < order_key(a)
