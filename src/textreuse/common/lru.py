"""A bounded, thread-safe mapping that forgets the least recently used entries first.

>>> c: LRUCache[str, int] = LRUCache(max_entries=2)
>>> c.put("a", 1); c.put("b", 2); c.get("a"); c.put("c", 3)
1
>>> c.get("b"), c.get("c"), len(c), (c.hits, c.misses)
(None, 3, 2, (2, 1))
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

from textreuse.common.checks import check_range

__all__ = ["LRUCache"]

K = TypeVar("K")
V = TypeVar("V")


class LRUCache(Generic[K, V]):
    """Values by key, at most ``max_entries`` of them (``None``: no bound); counts hits and misses.

    :meth:`get` and :meth:`put` mark the entry as the most recently used;
    beyond the bound, the least recently used entries are dropped. One lock
    guards every operation, so threads may share an instance.
    """

    def __init__(self, max_entries: int | None = None, *, name: str = "LRUCache") -> None:
        if max_entries is not None:
            check_range(f"{name}.max_entries", max_entries, low=0)
        self.max_entries = max_entries
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: K) -> V | None:
        """The value stored under ``key``, or ``None``; counts a hit or a miss."""
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
            else:
                self.hits += 1
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        """Store ``value`` under ``key``, dropping the least recently used entries beyond the bound."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while self.max_entries is not None and len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        """Forget every entry and reset the counts."""
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0
