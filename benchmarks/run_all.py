"""`make bench`: every benchmark in sequence, then one report, benchmarks/results.md.

Not part of `make test`: speed and memory targets are checked here, never by timed unit tests.
Each benchmark writes its own results_*.md; this script runs them, runs the DuckDB cross-check
on the default synthetic data, and joins everything with the machine description.
"""

from __future__ import annotations

import subprocess
import sys
import time

from benchmarks._util import ROOT, machine_description

RESULTS = ROOT / "benchmarks" / "results.md"
STEPS = [
    (
        "Sources: generation, validation, Parquet",
        ["benchmarks.bench_sources", "--scales", "1,10,100", "--years", "2021-2022"],
        "results_sources.md",
    ),
    ("Indicators", ["benchmarks.bench_indicators", "--scales", "1,10,100"], "results_indicators.md"),
    (
        "Appendix",
        ["benchmarks.bench_appendix", "--scales", "1", "10", "100", "--repeat", "1"],
        "results_appendix.md",
    ),
    ("Yearly run (cold, warm, --jobs)", ["benchmarks.bench_pipeline"], "results_pipeline.md"),
]


def run_step(title: str, module_args: list[str]) -> tuple[float, int, str]:
    print(f"== {title}", flush=True)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", *module_args], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    print(done.stdout[-3000:], done.stderr[-3000:] if done.returncode else "", flush=True)
    return seconds, done.returncode, done.stdout


def main() -> None:
    sections = ["# Benchmark results", "", machine_description(), ""]
    failed = []
    for title, args, result_file in STEPS:
        seconds, code, _ = run_step(title, args)
        sections += [f"## {title}", "", f"(step took {seconds:.0f} s{'; FAILED' if code else ''})", ""]
        path = ROOT / "benchmarks" / result_file
        if code == 0 and path.is_file():
            body = path.read_text(encoding="utf-8").splitlines()
            sections += [line for line in body if not line.startswith("# ")] + [""]
        else:
            failed.append(title)
    from imdi_analysis.pipeline import prepare_registers

    registers, _ = prepare_registers(None)
    seconds, code, out = run_step("DuckDB cross-check", ["benchmarks.bench_duckdb", "--data", str(registers)])
    sections += [
        "## Independent cross-check in DuckDB (default synthetic data, 2022)",
        "",
        "Tables 10 (count, time series), 16 (count, time series) and 18 (mean months) computed again "
        "in DuckDB SQL from the raw CSV files. Ratio = our seconds / DuckDB's seconds.",
        "",
        "```",
        out.strip(),
        "```",
        "",
        f"Result: {'all cells agree' if code == 0 else 'DIFFERENCES FOUND'}.",
        "",
    ]
    if code:
        failed.append("DuckDB cross-check")
    RESULTS.write_text("\n".join(sections) + "\n", encoding="utf-8")
    print(f"Wrote {RESULTS}")
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
