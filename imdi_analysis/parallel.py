"""Worker processes shared by the steps that split work by year or table group.

Forked workers start at once with the package already imported (spawning re-imports pandas,
pandera and the package in every worker, about as long as the work saved on small data);
``spawn`` is the fallback where fork does not exist.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context

START_METHOD = "fork" if "fork" in get_all_start_methods() else "spawn"


def process_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of ``jobs`` worker processes (use as a context manager)."""
    return ProcessPoolExecutor(max_workers=jobs, mp_context=get_context(START_METHOD))


__all__ = ["START_METHOD", "process_pool"]
