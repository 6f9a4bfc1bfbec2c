"""Benchmark of the yearly run: cold run with --jobs 1 and --jobs 2, warm no-op run.

Target (issue 8): cold `imdi run --year 2022` under 3 minutes on 2 cores (environment installed,
default synthetic data generated); a warm run with nothing changed at most 10 % of the cold
run; --jobs 2 faster than --jobs 1. Writes benchmarks/results_pipeline.md.
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
            shutil.rmtree(build, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            times.append(measure(run_code(build, out, jobs)))
        times.sort(key=lambda r: r["seconds"])
        cold[jobs] = times[len(times) // 2]
        rows.append((f"cold run, --jobs {jobs}", cold[jobs]))
    warm = measure(run_code(WORK / "pipeline-j2-0", WORK / "processed-j2-0", 2))
    rows.append(("warm run, nothing changed", warm))
    ratio = warm["seconds"] / cold[2]["seconds"]
    speedup = cold[1]["seconds"] / cold[2]["seconds"]
    lines = [
        "# Benchmark: the yearly run",
        "",
        machine_description(),
        "",
        "| run | seconds | peak memory (MiB) |",
        "|---|---:|---:|",
        *[f"| {name} | {r['seconds']:.1f} | {r['peak_mib']:.0f} |" for name, r in rows],
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
