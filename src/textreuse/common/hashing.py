"""The stable 64-bit hash of a string that the index stores (n-grams, names, lines).

BLAKE2b with an 8-byte digest read as a little-endian signed integer: the
same in every process and run, so hashes written to an index match a later
query's, and they fit numpy ``int64`` arrays.

>>> hash64("heavy rain flooded")
-4833703893450604721
>>> hash64("heavy rain flooded") == hash64("heavy rain flooded", errors="strict")
True
"""

from __future__ import annotations

from hashlib import blake2b

__all__ = ["hash64"]


def hash64(text: str, *, errors: str = "surrogatepass") -> int:
    """The signed 64-bit BLAKE2b hash of ``text`` encoded as UTF-8 (``errors`` as in :meth:`str.encode`)."""
    return int.from_bytes(blake2b(text.encode("utf-8", errors), digest_size=8).digest(), "little", signed=True)
