"""Benchmark of the yearly run: cold run with --jobs 1 and --jobs 2, warm no-op run.

Target (issue 8): cold `imdi run --year 2022` under 3 minutes on 2 cores (environment installed,
default synthetic data generated); a warm run with nothing changed at most 10 % of the cold
run; --jobs 2 faster than --jobs 1. Writes benchmarks/results_pipeline.md.

A cold run starts with an empty build folder, empty outputs and an empty store of validated
extracts (its own folder); the warm run repeats the last cold run with everything in place.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from benchmarks._util import ROOT, WORK, machine_description, measure

RESULTS = ROOT / "benchmarks" / "results_pipeline.md"


def run_code(build: Path, out: Path, jobs: int) -> str:
    return (
        "from pathlib import Path\n"
        "from imdi_analysis.pipeline import run\n"
        f"run([2022], ['year'], build_dir=Path({str(build)!r}), output_dir=Path({str(out)!r}), jobs={jobs})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1, help="cold runs per jobs setting (median)")
    args = parser.parse_args()
    # make sure the default synthetic data exists, so that the cold run measures the run, not generation
    measure("from imdi_analysis.pipeline import prepare_registers; prepare_registers(None)")
    rows = []
    cold = {}
    for jobs in (1, 2):
        times = []
        for i in range(args.repeat):
            build = WORK / f"pipeline-j{jobs}-{i}"
            out = WORK / f"processed-j{jobs}-{i}"
            store = WORK / f"pipeline-store-j{jobs}-{i}"
            for folder in (build, out, store):
                shutil.rmtree(folder, ignore_errors=True)
            times.append(measure(run_code(build, out, jobs), env={"IMDI_CACHE_DIR": str(store)}))
        times.sort(key=lambda r: r["seconds"])
        cold[jobs] = times[len(times) // 2]
        rows.append((f"cold run, --jobs {jobs}", cold[jobs]))
    last = args.repeat - 1
    warm = measure(
        run_code(WORK / f"pipeline-j2-{last}", WORK / f"processed-j2-{last}", 2),
        env={"IMDI_CACHE_DIR": str(WORK / f"pipeline-store-j2-{last}")},
    )
    rows.append(("warm run, nothing changed", warm))
    ratio = warm["seconds"] / cold[2]["seconds"]
    speedup = cold[1]["seconds"] / cold[2]["seconds"]
    lines = [
        "# Benchmark: the yearly run",
        "",
        machine_description(),
        "",
        "| run | seconds | CPU seconds | peak memory, all processes (MiB) |",
        "|---|---:|---:|---:|",
        *[
            f"| {name} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | {r['peak_mib']:.0f} |"
            for name, r in rows
        ],
        "",
        f"- warm / cold (--jobs 2): {ratio:.1%} (target ≤ 10 %)",
        f"- --jobs 1 / --jobs 2: {speedup:.2f}× (target > 1)",
        f"- cold run under 3 minutes: {'yes' if cold[2]['seconds'] < 180 else 'NO'}",
        f"- cold runs per setting (median): {args.repeat}",
    ]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
