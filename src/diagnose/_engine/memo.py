"""A bounded memo for what the engine works out deterministically.

The same facts always fire the same rules and rank the same questions; the same text is
always read the same way. What was worked out is kept, up to ``limit`` entries, the
least recently used dropped first: memory stays flat however many tickets pass. A limit
of 0 keeps nothing (every call works everything out again).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["Memo"]

V = TypeVar("V")


class Memo(Generic[V]):
    """Safe to share between threads."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._kept: dict[Hashable, V] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._kept)

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._kept.pop(key, None)
            if value is not None:
                self._kept[key] = value  # the most recently used is last
            return value

    def put(self, key: Hashable, value: V) -> V:
        if self.limit <= 0:
            return value
        with self._lock:
            self._kept[key] = value
            while len(self._kept) > self.limit:
                del self._kept[next(iter(self._kept))]
        return value

    def through(self, key: Hashable, work: Callable[[], V]) -> V:
        """The value kept for ``key``, else ``work()``, kept."""
        found = self.get(key)
        return self.put(key, work()) if found is None else found
