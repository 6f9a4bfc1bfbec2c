"""Shared helpers for the benchmark scripts: machine description, timing, peak memory."""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "_work"


def machine_description() -> str:
    """Cores, memory, Python and key library versions, as a markdown list."""
    import numpy
    import pandas

    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    return "\n".join(
        [
            f"- machine: {platform.machine()}, {os.cpu_count()} cores, {mem_kb / 1024 / 1024:.1f} GiB memory",
            f"- Python {platform.python_version()}, pandas {pandas.__version__}, numpy {numpy.__version__}",
            f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        ]
    )


def measure(code: str, env: dict[str, str] | None = None) -> dict[str, float]:
    """Run Python ``code`` in a fresh interpreter; return wall seconds and peak memory (MiB).

    Peak memory is the larger of the process's own and its children's maximum resident set size.
    """
    wrapper = (
        "import json, resource, time\n"
        "t0 = time.perf_counter()\n"
        f"{code}\n"
        "t1 = time.perf_counter()\n"
        "own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print('@@' + json.dumps({'seconds': t1 - t0, 'peak_mib': max(own, kids) / 1024}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmark step failed:\n{done.stderr[-3000:]}")
    line = [x for x in done.stdout.splitlines() if x.startswith("@@")][-1]
    return json.loads(line[2:])


def median_of(code: str, repeat: int, env: dict[str, str] | None = None) -> dict[str, float]:
    """Median seconds and maximum peak memory over ``repeat`` runs."""
    runs = [measure(code, env) for _ in range(repeat)]
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "peak_mib": max(r["peak_mib"] for r in runs),
        "runs": repeat,
    }


def peak_self_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
