"""The in-memory frame cache: least recently used frames dropped beyond a memory budget."""

from __future__ import annotations

import numpy as np
import pandas as pd

from imdi_analysis.memory_cache import FrameCache


def test_frame_cache_drops_the_least_recently_used_frames_beyond_its_budget():
    frame = pd.DataFrame({"x": np.zeros(1000)})  # 8 000 bytes of data (plus the index)
    size = int(frame.memory_usage(index=True, deep=True).sum())
    cache = FrameCache(budget=2 * size)
    cache["a"], cache["b"] = frame, frame
    _ = cache["a"]  # a is now more recent than b
    cache["c"] = frame  # three frames exceed the budget: b, the least recently used, goes
    assert sorted(cache) == ["a", "c"]
    assert cache.nbytes == 2 * size
    cache.budget = size
    assert cache.next_table() == ["a"]
    assert cache.get("a") is None
    assert cache.get("c") is frame


def test_a_frame_larger_than_the_budget_is_still_kept_while_in_use():
    cache = FrameCache(budget=0)
    cache["big"] = pd.DataFrame({"x": [1, 2, 3]})
    assert "big" in cache


def test_clear_forgets_frames_and_their_sizes():
    cache = FrameCache()
    cache["a"] = pd.DataFrame({"x": np.zeros(10)})
    cache.clear()
    assert len(cache) == 0 and cache.nbytes == 0 and cache.shrink() == []
