"""Shared helpers for the benchmark scripts: machine description, shared data, measuring a step.

Every benchmark measures a step in a fresh interpreter (:func:`measure`) and reports wall
seconds, CPU seconds (the process and its worker processes, user + system) and peak memory:
the largest sum of resident memory of the process and all its descendants, sampled every 0.2 s
from ``/proc`` (workers that run side by side add up), next to the maximum resident set of the
largest single process.

Synthetic data are shared between benchmarks (:func:`shared_data`): one folder per scale under
``benchmarks/_work/data``, generated once (seed 2022, years 2019–2022, the years the 2022
report shows), with its own store of validated extracts (:func:`store_dir`).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "_work"
SEED = 2022
YEARS = [2019, 2020, 2021, 2022]
REPORT_YEAR = 2022


def machine_description() -> str:
    """Cores, memory, Python and key library versions, date and load, as a markdown list."""
    import numpy
    import pandas

    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return "\n".join(
        [
            f"- machine: {platform.machine()}, {os.cpu_count()} cores, {mem_kb / 1024 / 1024:.1f} GiB memory",
            f"- Python {platform.python_version()}, pandas {pandas.__version__}, numpy {numpy.__version__}",
            f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average (1, 5, 15 min): {load}",
        ]
    )


WRAPPER = """
import json, os, resource, threading, time

def tree_rss_mib():
    parents, rss = {}, {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open(f'/proc/{entry}/status') as handle:
                fields = dict(line.split(':', 1) for line in handle.read().splitlines() if ':' in line)
        except OSError:
            continue
        parents[int(entry)] = int(fields.get('PPid', '0'))
        rss[int(entry)] = int(fields.get('VmRSS', '0 kB').split()[0])
    mine, grew = {os.getpid()}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in mine} - mine
        mine |= more
        grew = bool(more)
    return sum(rss.get(pid, 0) for pid in mine) / 1024

peak_tree = [0.0]
stop = threading.Event()
def sample():
    while not stop.wait(0.2):
        peak_tree[0] = max(peak_tree[0], tree_rss_mib())
threading.Thread(target=sample, daemon=True).start()
usage = lambda who: resource.getrusage(who)
cpu_used = lambda: sum(u.ru_utime + u.ru_stime for u in (usage(resource.RUSAGE_SELF), usage(resource.RUSAGE_CHILDREN)))
cpu0 = cpu_used()  # the setup's CPU is not counted either
t0 = time.perf_counter()
{code}
seconds = time.perf_counter() - t0
stop.set()
own, kids = usage(resource.RUSAGE_SELF), usage(resource.RUSAGE_CHILDREN)
cpu = cpu_used() - cpu0
single = max(own.ru_maxrss, kids.ru_maxrss) / 1024
print('@@' + json.dumps({'seconds': seconds, 'cpu_seconds': cpu, 'peak_mib': max(peak_tree[0], single),
                         'single_peak_mib': single}))
"""


def measure(code: str, env: dict[str, str] | None = None, setup: str = "") -> dict[str, float]:
    """Run Python ``code`` in a fresh interpreter (after ``setup``, which is not timed).

    Returns wall ``seconds``, ``cpu_seconds`` (process and workers), ``peak_mib`` (largest sum
    over the process tree, or the largest single process if larger) and ``single_peak_mib``.
    """
    body = WRAPPER.replace("{code}", code)
    done = subprocess.run(
        [sys.executable, "-c", f"{setup}\n{body}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmark step failed:\n{done.stderr[-3000:]}")
    line = [x for x in done.stdout.splitlines() if x.startswith("@@")][-1]
    return json.loads(line[2:])


def median_of(code: str, repeat: int, env: dict[str, str] | None = None, setup: str = "") -> dict[str, float]:
    """Median wall and CPU seconds and the largest peak memory over ``repeat`` runs."""
    runs = [measure(code, env, setup) for _ in range(repeat)]
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs),
        "peak_mib": max(r["peak_mib"] for r in runs),
        "single_peak_mib": max(r["single_peak_mib"] for r in runs),
        "runs": repeat,
    }


def data_dir(scale: float) -> Path:
    """The shared synthetic extracts of ``scale``."""
    return WORK / "data" / f"s{scale:g}"


def store_dir(scale: float) -> Path:
    """The store of validated extracts that goes with :func:`data_dir` of ``scale``."""
    return WORK / "store" / f"s{scale:g}"


def store_env(scale: float) -> dict[str, str]:
    """Environment that points the package at the store of ``scale`` (and switches it on)."""
    return {"IMDI_CACHE_DIR": str(store_dir(scale)), "IMDI_VALIDATED_CACHE": "1"}


COLD_ENV = {"IMDI_VALIDATED_CACHE": "0"}


def generate_code(scale: float, out: Path) -> str:
    return (
        "from pathlib import Path\n"
        "from imdi_analysis.synth import generate\n"
        f"generate({YEARS!r}, seed={SEED}, scale={scale!r}, out_dir=Path({str(out)!r}), progress=False)"
    )


def shared_data(scale: float) -> tuple[Path, dict[str, float] | None]:
    """The shared extracts of ``scale``: generated (and measured) unless already complete.

    Returns the folder and the generation measurement (``None`` when reused). A folder is
    complete when its README (written last by the generator) exists.
    """
    folder = data_dir(scale)
    if (folder / "README.md").is_file() and all((folder / str(y)).is_dir() for y in YEARS):
        return folder, None
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(store_dir(scale), ignore_errors=True)
    return folder, measure(generate_code(scale, folder))


VALIDATE_CODE = """
from pathlib import Path
from imdi_analysis.sources.processing import check_years
check_years({years!r}, Path({data!r}), jobs={jobs})
"""


def validate_code(scale: float, jobs: int = 2) -> str:
    return VALIDATE_CODE.format(years=YEARS, data=str(data_dir(scale)), jobs=jobs)


def fill_store(scale: float) -> dict[str, float] | None:
    """Validate the shared extracts of ``scale`` into its store unless it is already filled."""
    store = store_dir(scale)
    if store.is_dir() and any(store.glob("*.parquet")):
        return None
    return measure(validate_code(scale), env=store_env(scale))


def count_rows(folder: Path, years: list[int] = YEARS, names: set[str] | None = None) -> int:
    """Data rows of the CSV extracts in ``folder`` for ``years`` (only sources in ``names`` if given).

    Read from the generator's ``synthetic.meta.yml`` of each year (rows per file) when present;
    otherwise counted as lines after the header (several seconds per GB).
    """
    import yaml

    total = 0
    for year in years:
        meta_path = folder / str(year) / "synthetic.meta.yml"
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        files = meta.get("files") or {}
        for path in sorted((folder / str(year)).glob("*.csv")):
            if names is not None and path.stem not in names:
                continue
            if path.name in files:
                total += int(files[path.name]["rows"])
                continue
            with path.open("rb") as handle:
                total += max(sum(1 for _ in handle) - 1, 0)
    return total


def folder_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def parse_scales(text: str) -> list[float]:
    return [float(s) for s in text.replace(" ", ",").split(",") if s.strip()]


def fmt(value: float, decimals: int = 1) -> str:
    return f"{value:,.{decimals}f}"
