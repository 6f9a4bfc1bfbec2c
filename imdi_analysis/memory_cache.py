"""Frames kept in memory: one bounded, least-recently-used cache for validated extracts.

The validated store on disk (:mod:`imdi_analysis.sources.validated_cache`) saves validating an
extract again; a :class:`FrameCache` saves reading it again within one process. The appendix
builders share one per build (:class:`imdi_analysis.appendix.registry.BuildContext`), the
indicators one per process (:func:`imdi_analysis.indicators.registry.load_input`), the letter
loaders one per process (:func:`imdi_analysis.letter._files.load_letter_table`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

CACHE_BUDGET_BYTES = 1 << 30  # frames kept in memory per cache (1 GiB)


class FrameCache(dict):
    """Frames shared by the users of a cache, the least recently used dropped beyond a memory budget.

    A plain ``dict`` (appendix builders may also store derived frames under their own keys)
    that keeps its frames while they take less than ``budget`` bytes together. When a new frame
    would take it over, the least recently used frames are dropped first, so that neighbouring
    tables (the letter groups tables by source) or indicators share their extracts while memory
    stays bounded at large scale. A dropped frame is simply read again when needed.
    """

    def __init__(self, budget: int = CACHE_BUDGET_BYTES) -> None:
        super().__init__()
        self.budget = budget
        self.clock = 0
        self.last_used: dict[Any, int] = {}
        self.sizes: dict[Any, int] = {}

    def __getitem__(self, key: Any) -> Any:
        self.touch(key)
        return super().__getitem__(key)

    def __setitem__(self, key: Any, value: Any) -> None:
        self.sizes[key] = size_of(value)
        self.touch(key)
        super().__setitem__(key, value)
        self.shrink(keep=key)

    def __delitem__(self, key: Any) -> None:
        super().__delitem__(key)
        self.last_used.pop(key, None)
        self.sizes.pop(key, None)

    def get(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            return default
        return self[key]

    def clear(self) -> None:
        super().clear()
        self.last_used.clear()
        self.sizes.clear()

    def pop(self, key: Any, *default: Any) -> Any:
        self.last_used.pop(key, None)
        self.sizes.pop(key, None)
        return super().pop(key, *default)

    def touch(self, key: Any) -> None:
        self.clock += 1
        self.last_used[key] = self.clock

    @property
    def nbytes(self) -> int:
        """Bytes taken by the cached frames (as pandas counts them)."""
        return sum(self.sizes.values())

    def shrink(self, keep: Any = None) -> list:
        """Drop least recently used entries (never ``keep``) until under budget; return their keys."""
        dropped = []
        for key in sorted(self.last_used, key=self.last_used.__getitem__):
            if self.nbytes <= self.budget:
                break
            if key != keep:
                self.pop(key, None)
                dropped.append(key)
        return dropped

    def next_table(self) -> list:
        """Called after each table: bring the cache under budget; return the keys dropped."""
        return self.shrink()


def size_of(value: Any) -> int:
    """Bytes a cached value takes: a frame's memory usage, else 0 (small objects)."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=True).sum())
    return 0


__all__ = ["CACHE_BUDGET_BYTES", "FrameCache", "size_of"]
