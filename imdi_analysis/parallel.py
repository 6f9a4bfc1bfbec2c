"""Worker processes shared by the steps that split work by year, table group or notebook.

Forked workers start at once with the package already imported (spawning re-imports pandas,
pandera and the package in every worker, about as long as the work saved on small data);
``spawn`` is the fallback where fork does not exist.

Workers die with the process that started them, however it ends (``SIGKILL`` included), so that
no worker of a killed run keeps computing or writing: each worker asks the kernel for a
parent-death signal (Linux ``prctl(PR_SET_PDEATHSIG, SIGKILL)``) and, on every platform, runs a
watchdog thread that ends the worker when its parent changes. Jupyter kernels started by a
worker (or by the run itself) are told their parent's pid by jupyter_client (``JPY_PARENT_PID``)
and exit within a second when that parent is gone (ipykernel's parent poller).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context

START_METHOD = "fork" if "fork" in get_all_start_methods() else "spawn"
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCHDOG_INTERVAL = 0.2  # seconds between checks of the parent


def process_pool(jobs: int, start_method: str = START_METHOD) -> ProcessPoolExecutor:
    """A pool of ``jobs`` worker processes that die with this process (use as a context manager)."""
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=get_context(start_method),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    )


def die_with_parent(parent_pid: int) -> None:
    """Make the calling process end when ``parent_pid`` (its parent) ends; a worker initializer.

    Sets the parent-death signal where the platform has one and starts a watchdog thread. If the
    parent is already gone when this runs, the process exits at once.
    """
    set_parent_death_signal()
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)
    threading.Thread(
        target=watch_parent, args=(parent_pid,), name="imdi-parent-watchdog", daemon=True
    ).start()


def set_parent_death_signal(signum: int = signal.SIGKILL) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent thread ends; False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def watch_parent(parent_pid: int, interval: float = WATCHDOG_INTERVAL) -> None:
    """Exit the process as soon as its parent is no longer ``parent_pid`` (runs in a thread)."""
    while os.getppid() == parent_pid:
        time.sleep(interval)
    os._exit(1)


__all__ = ["START_METHOD", "die_with_parent", "process_pool", "set_parent_death_signal"]
