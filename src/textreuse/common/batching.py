"""Cutting a stream or a list into batches of a given size.

>>> [len(b) for b in batches(iter(range(7)), 3)], list(chunks([1, 2, 3, 4, 5], 2))
([3, 3, 1], [[1, 2], [3, 4], [5]])
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

__all__ = ["batches", "chunks"]

T = TypeVar("T")


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last one shorter), reading ``items`` lazily."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of ``size`` items of a sequence (the last one shorter)."""
    for i in range(0, len(items), size):
        yield items[i : i + size]
