"""Benchmark of the whole statistics appendix at scale 1, 10 and 100.

Target (issue 7): the annual appendix for 2022 (every table due, disclosure control, CSV and
workbook) in under 10 s at scale 1 and under 5 minutes and 8 GB at scale 100, on 2 cores.
Synthetic data are generated first (seed 2022, years 2019–2022, i.e. the time series the 2022
report shows), outside the measurement; each measurement is a fresh interpreter running
``build_appendix`` (import time excluded, loading and validating the extracts included).
Writes benchmarks/results_appendix.md.

Usage: ``python benchmarks/bench_appendix.py [--scales 1 10 100] [--repeat 3] [--period year]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._util import ROOT, WORK, machine_description, measure

RESULTS = ROOT / "benchmarks" / "results_appendix.md"
YEAR = 2022
FIRST_YEAR = 2019
SEED = 2022
TARGETS = {1: (10.0, None), 100: (300.0, 8 * 1024.0)}  # scale -> (seconds, MiB)


def data_dir(scale: float) -> Path:
    return WORK / "appendix" / f"registers-s{scale:g}"


def generate_code(scale: float) -> str:
    return (
        "from pathlib import Path\n"
        "from imdi_analysis.synth import generate\n"
        f"generate(list(range({FIRST_YEAR}, {YEAR + 1})), seed={SEED}, scale={scale}, "
        f"out_dir=Path({str(data_dir(scale))!r}), progress=False)"
    )


BUILD_CODE = """
import json, os, resource, threading, time
from pathlib import Path
from imdi_analysis.appendix.build import build_appendix

def tree_rss_mib():
    # resident memory of this process and its worker processes together, from /proc
    me, total = os.getpid(), 0
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            status = open(f'/proc/{{entry}}/status').read()
        except OSError:
            continue
        fields = dict(line.split(':', 1) for line in status.splitlines() if ':' in line)
        if int(entry) == me or int(fields.get('PPid', '0')) == me:
            total += int(fields.get('VmRSS', '0 kB').split()[0])
    return total / 1024

peak_tree = [0.0]
done = threading.Event()
def sample():
    while not done.wait(0.2):
        peak_tree[0] = max(peak_tree[0], tree_rss_mib())
threading.Thread(target=sample, daemon=True).start()
t0 = time.perf_counter()
tables = build_appendix({year}, {period!r}, Path({data!r}), output_dir=Path({out!r}))
seconds = time.perf_counter() - t0
done.set()
own, kids = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
cpu = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
print('@@' + json.dumps({{'seconds': seconds, 'cpu_seconds': cpu, 'peak_mib': own.ru_maxrss / 1024,
                         'worker_peak_mib': kids.ru_maxrss / 1024, 'tree_peak_mib': peak_tree[0],
                         'tables': len(tables)}}))
"""


def measure_build(scale: float, period: str) -> dict[str, float]:
    """One build in a fresh interpreter: seconds after the imports, peak resident memory (MiB)."""
    code = BUILD_CODE.format(
        year=YEAR, period=period, data=str(data_dir(scale)), out=str(WORK / "appendix" / f"out-s{scale:g}")
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"appendix build at scale {scale:g} failed:\n{done.stderr[-3000:]}")
    line = [x for x in done.stdout.splitlines() if x.startswith("@@")][-1]
    return json.loads(line[2:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=3, help="builds per scale (median seconds)")
    parser.add_argument("--period", default="year", choices=["year", "H1"])
    parser.add_argument("--keep-data", action="store_true", help="keep the generated data for reruns")
    args = parser.parse_args()
    rows = []
    loads = [os.getloadavg()[0]]
    for scale in args.scales:
        folder = data_dir(scale)
        if not (folder / str(YEAR)).is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            generated = measure(generate_code(scale))
            print(f"generated scale {scale:g}: {generated['seconds']:.1f} s", flush=True)
        repeat = args.repeat if scale < 100 else 1
        runs = sorted((measure_build(scale, args.period) for _ in range(repeat)), key=lambda r: r["seconds"])
        result = runs[len(runs) // 2] | {
            "peak_mib": max(r["peak_mib"] for r in runs),
            "worker_peak_mib": max(r["worker_peak_mib"] for r in runs),
            "tree_peak_mib": max(r["tree_peak_mib"] for r in runs),
            "runs": repeat,
        }
        rows.append((scale, result))
        print(f"scale {scale:g}: {result['seconds']:.1f} s, {result['peak_mib']:.0f} MiB", flush=True)
        loads.append(os.getloadavg()[0])
        if not args.keep_data and scale >= 100:
            shutil.rmtree(folder, ignore_errors=True)
    lines = [
        "# Benchmark: the statistics appendix",
        "",
        f"`build_appendix({YEAR}, {args.period!r})` on synthetic data (seed {SEED}, years {FIRST_YEAR}–{YEAR}):",
        "every table due, disclosure control, CSV per table and the workbook. Each build runs in a",
        "fresh interpreter; the time includes reading and validating the extracts, not imports;",
        "`build_appendix` runs groups of tables in two worker processes; peak memory of all processes",
        "is the largest sum of their resident memory, sampled every 0.2 s from /proc.",
        "",
        machine_description(),
        "",
        f"- load average (1 min) at the start and after each scale: {', '.join(f'{x:.1f}' for x in loads)}",
        "  (other work on the machine slows wall-clock times; CPU seconds are less affected)",
        "",
        "| scale | builds | seconds (median) | CPU seconds | peak memory, all processes (MiB) | "
        "peak, main / largest worker (MiB) | target |",
        "|---:|---:|---:|---:|---:|---:|---|",
    ]
    for scale, result in rows:
        seconds, mib = TARGETS.get(int(scale), (None, None))
        target = []
        if seconds is not None:
            target.append(f"< {seconds:g} s {'✓' if result['seconds'] < seconds else '✗'}")
        if mib is not None:
            target.append(f"< {mib / 1024:g} GB {'✓' if result['tree_peak_mib'] < mib else '✗'}")
        lines.append(
            f"| {scale:g} | {result['runs']} | {result['seconds']:.1f} | {result['cpu_seconds']:.1f} | "
            f"{result['tree_peak_mib']:.0f} | {result['peak_mib']:.0f} / {result['worker_peak_mib']:.0f} | "
            f"{', '.join(target) or '–'} |"
        )
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
