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
    return WORK / f"appendix-registers-s{scale:g}"


def generate_code(scale: float) -> str:
    return (
        "from pathlib import Path\n"
        "from imdi_analysis.synth import generate\n"
        f"generate(list(range({FIRST_YEAR}, {YEAR + 1})), seed={SEED}, scale={scale}, "
        f"out_dir=Path({str(data_dir(scale))!r}), progress=False)"
    )


BUILD_CODE = """
import json, resource, time
from pathlib import Path
from imdi_analysis.appendix.build import build_appendix
t0 = time.perf_counter()
tables = build_appendix({year}, {period!r}, Path({data!r}), output_dir=Path({out!r}))
seconds = time.perf_counter() - t0
own, kids = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
cpu = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
print('@@' + json.dumps({{'seconds': seconds, 'cpu_seconds': cpu, 'peak_mib': own.ru_maxrss / 1024,
                         'worker_peak_mib': kids.ru_maxrss / 1024, 'tables': len(tables)}}))
"""


def measure_build(scale: float, period: str) -> dict[str, float]:
    """One build in a fresh interpreter: seconds after the imports, peak resident memory (MiB)."""
    code = BUILD_CODE.format(
        year=YEAR, period=period, data=str(data_dir(scale)), out=str(WORK / f"appendix-out-s{scale:g}")
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
        "peak memory is the maximum resident set size of the main process and of the largest worker",
        "(`build_appendix` runs table groups in two worker processes).",
        "",
        machine_description(),
        "",
        f"- load average (1 min) at the start and after each scale: {', '.join(f'{x:.1f}' for x in loads)}",
        "  (other work on the machine slows wall-clock times; CPU seconds are less affected)",
        "",
        "| scale | builds | seconds (median) | CPU seconds | peak memory, main / worker (MiB) | target |",
        "|---:|---:|---:|---:|---:|---|",
    ]
    for scale, result in rows:
        seconds, mib = TARGETS.get(int(scale), (None, None))
        target = []
        if seconds is not None:
            target.append(f"< {seconds:g} s {'✓' if result['seconds'] < seconds else '✗'}")
        if mib is not None:
            total = result["peak_mib"] + 2 * result["worker_peak_mib"]  # main + two workers at their peaks
            target.append(
                f"< {mib / 1024:g} GB {'✓' if total < mib else '✗'} (main + 2 workers ≤ {total:.0f} MiB)"
            )
        lines.append(
            f"| {scale:g} | {result['runs']} | {result['seconds']:.1f} | {result['cpu_seconds']:.1f} | "
            f"{result['peak_mib']:.0f} / {result['worker_peak_mib']:.0f} | {', '.join(target) or '–'} |"
        )
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
