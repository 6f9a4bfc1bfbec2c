"""Benchmark of the yearly run: cold run with --jobs 1 and --jobs 2, warm no-op run, and the floor.

Targets: cold `imdi run --year 2022 --jobs 2` at most 1.5 × the floor measured in the same
benchmark run (issue 14), and under 3 minutes on 2 cores (issue 8); a warm run with nothing
changed at most 5 % of the cold run; --jobs 2 faster than --jobs 1; a deleted output folder
is rebuilt by a plain run. Writes benchmarks/results_pipeline.md.

The floor is what a run cannot avoid: as many notebooks as the run executes that only import
the package (executed with papermill two at a time, as `--jobs 2` does), plus the Jupyter Book
build of the same pages (the cold run's executed notebooks, assembled as the run does). A cold
run starts with an empty build folder, empty outputs and an empty store of validated extracts
(its own folder); the warm run repeats the last cold run with everything in place.
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


FLOOR_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "metadata": {"tags": ["parameters"]},
            "source": "year = 2022",
            "outputs": [],
            "execution_count": None,
        },
        {
            "cell_type": "code",
            "metadata": {},
            "source": "import imdi_analysis",
            "outputs": [],
            "execution_count": None,
        },
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def floor_kernels_code(count: int, folder: Path) -> str:
    """Execute ``count`` import-only notebooks with papermill, two at a time (the run's pool)."""
    return (
        "import json\n"
        "from pathlib import Path\n"
        "from imdi_analysis.parallel import process_pool\n"
        "from imdi_analysis.pipeline import execute_notebook\n"
        f"folder = Path({str(folder)!r})\n"
        "folder.mkdir(parents=True, exist_ok=True)\n"
        f"source = folder / 'bare.ipynb'\n"
        f"source.write_text(json.dumps({FLOOR_NOTEBOOK!r}))\n"
        "jobs = []\n"
        f"for i in range({count}):\n"
        "    jobs.append({'name': f'bare{i}', 'input': str(source), 'output': str(folder / f'out{i}.ipynb'),"
        " 'parameters': {}, 'progress': False})\n"
        "with process_pool(2, start_method='spawn') as pool:\n"
        "    results = list(pool.map(execute_notebook, jobs))\n"
        "assert all(r['ok'] for r in results), results\n"
    )


def assemble_code(build: Path, out: Path) -> str:
    """Assemble the book's source from a finished run's executed notebooks (as the run does)."""
    return (
        "import json, shutil\n"
        "from pathlib import Path\n"
        "from imdi_analysis import book, config\n"
        "from imdi_analysis.pipeline import appendix_downloads, prepare_registers\n"
        "from imdi_analysis.runs import load_runs, plan\n"
        f"build, out = Path({str(build)!r}), Path({str(out)!r})\n"
        "registers, _ = prepare_registers(None)\n"
        "runs = plan(load_runs(), [2022], ['year'], config.years_in(config.LETTER_DIR), str(registers), None,"
        " str(out), config.years_in(registers))\n"
        "executed = {r.name: build / 'executed' / r.relpath for r in runs}\n"
        "manifest = json.loads((build / 'manifest.json').read_text())\n"
        "downloads = appendix_downloads(runs, out, 5, registers)\n"
        "staging = build / '.floor-staging'\n"
        "shutil.rmtree(staging, ignore_errors=True)\n"
        "src = book.assemble_source(staging, runs, executed, manifest, downloads)\n"
    )


BUILD_CODE = "book.build_html(src, staging)\nshutil.rmtree(staging, ignore_errors=True)\n"


def floor_book_code(build: Path, out: Path) -> str:
    """Assemble and build the book from a finished run's executed notebooks (no audit, no swap)."""
    return assemble_code(build, out) + BUILD_CODE


def planned_notebooks() -> int:
    from imdi_analysis import config
    from imdi_analysis.pipeline import prepare_registers
    from imdi_analysis.runs import load_runs, plan

    registers, _ = prepare_registers(None)
    runs = plan(
        load_runs(),
        [2022],
        ["year"],
        config.years_in(config.LETTER_DIR),
        str(registers),
        None,
        "",
        config.years_in(registers),
    )
    return len(runs)


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
    count = planned_notebooks()
    kernels = measure(floor_kernels_code(count, WORK / "floor-kernels"))
    finished = (WORK / f"pipeline-j2-{last}", WORK / f"processed-j2-{last}")
    books = measure(floor_book_code(*finished))
    jupyter_book = measure(BUILD_CODE, setup=assemble_code(*finished))  # the assembly is not timed
    floor = {k: kernels[k] + books[k] for k in ("seconds", "cpu_seconds")}
    floor["peak_mib"] = max(kernels["peak_mib"], books["peak_mib"])
    strict = {k: kernels[k] + jupyter_book[k] for k in ("seconds", "cpu_seconds")}
    strict["peak_mib"] = max(kernels["peak_mib"], jupyter_book["peak_mib"])
    rows += [
        (f"floor: {count} notebooks that only import the package, --jobs 2", kernels),
        ("floor: the book build of the same pages (our assembly of the source + Jupyter Book)", books),
        ("floor (sum)", floor),
        ("of the book build: Jupyter Book alone (the assembly not timed)", jupyter_book),
        ("strict floor: import-only notebooks + Jupyter Book alone", strict),
    ]
    shutil.rmtree(WORK / f"processed-j2-{last}")  # the documented regenerable folder, deleted
    rebuilt = measure(
        run_code(WORK / f"pipeline-j2-{last}", WORK / f"processed-j2-{last}", 2),
        env={"IMDI_CACHE_DIR": str(WORK / f"pipeline-store-j2-{last}")},
    )
    rows.append(("run after deleting the output folder", rebuilt))
    restored = (WORK / f"processed-j2-{last}" / "measures" / "indicators_year.parquet").is_file() and (
        WORK / f"processed-j2-{last}" / "2022" / "year" / "appendix" / "manifest.json"
    ).is_file()
    ratio = warm["seconds"] / cold[2]["seconds"]
    speedup = cold[1]["seconds"] / cold[2]["seconds"]
    over_floor = cold[2]["seconds"] / floor["seconds"]
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
        f"- cold (--jobs 2) / floor: {over_floor:.2f}× (target ≤ 1.5×)",
        f"- cold (--jobs 2) / strict floor: {cold[2]['seconds'] / strict['seconds']:.2f}× (the assembly of the "
        "book's source is our code, so it is shown outside the floor too)",
        f"- warm / cold (--jobs 2): {ratio:.1%} (target ≤ 5 %)",
        f"- a deleted output folder is rebuilt by a plain run: {'yes' if restored else 'NO'}",
        f"- --jobs 1 / --jobs 2: {speedup:.2f}× (target > 1)",
        f"- cold run under 3 minutes: {'yes' if cold[2]['seconds'] < 180 else 'NO'}",
        f"- cold runs per setting (median): {args.repeat}",
    ]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
