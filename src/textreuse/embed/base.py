"""What every embedder shares: the :class:`Embedder` protocol, cosine similarity and input checks."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from textreuse.errors import TextReuseError

__all__ = [
    "MINILM_DIM",
    "MINILM_MAX_TOKENS",
    "Embedder",
    "available_cores",
    "check_sentences",
    "cosine",
    "normalize_rows",
    "require_modules",
]

#: Dimensions of an all-MiniLM-L6-v2 row.
MINILM_DIM = 384
#: Longest input of all-MiniLM-L6-v2, in tokens: its training length; bounds the cost of run-on "sentences".
MINILM_MAX_TOKENS = 128


@runtime_checkable
class Embedder(Protocol):
    """What every sentence embedder offers.

    ``encode(sentences)`` returns a float32 array of shape ``(len(sentences), dim)``
    whose rows have unit L2 norm, in the order of ``sentences``; an empty
    sequence gives shape ``(0, dim)``.

    >>> from textreuse.embed import get_embedder
    >>> isinstance(get_embedder(), Embedder)
    True
    """

    name: str
    dim: int

    def encode(self, sentences: Sequence[str]) -> np.ndarray: ...


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarities of the rows of ``a`` with the rows of ``b`` (unit rows: dot products).

    >>> cosine(np.eye(2, dtype=np.float32), np.eye(2, dtype=np.float32)).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    return np.asarray(a, dtype=np.float32) @ np.asarray(b, dtype=np.float32).T


def check_sentences(sentences: Sequence[str]) -> list[str]:
    """``sentences`` as a list, after checking that it is a sequence of ``str`` (a bare ``str`` is a TypeError)."""
    if isinstance(sentences, str):
        raise TypeError("encode() takes a sequence of sentences, not one str: wrap it in a list")
    out = list(sentences)
    for i, s in enumerate(out):
        if not isinstance(s, str):
            raise TypeError(f"sentence {i} is {type(s).__name__}, not str")
    return out


def normalize_rows(v: np.ndarray) -> np.ndarray:
    """The rows of ``v`` scaled to unit L2 norm, as float32 (an all-zero row stays zero)."""
    norms: np.ndarray = np.linalg.norm(v, axis=1, keepdims=True)
    out: np.ndarray = (v / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)
    return out


def available_cores() -> int:
    """The CPU cores this process may run on (all of them where the OS cannot say)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def require_modules(backend: str, modules: Sequence[str], install: str) -> None:
    """Raise :class:`~textreuse.errors.TextReuseError` naming those of ``modules`` that are not installed."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise TextReuseError(f"the {backend} embedder needs {', '.join(missing)}: {install}")
