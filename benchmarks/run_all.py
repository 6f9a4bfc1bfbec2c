"""`make bench`: every benchmark in sequence, then one report, benchmarks/results.md.

Not part of `make test`: speed and memory targets are checked here, never by timed unit tests.
The synthetic data of each scale are generated once and shared (see ``benchmarks/_util.py``):
the sources benchmark generates and validates them (filling each scale's store of validated
extracts), the indicators and appendix benchmarks then read them, the yearly-run benchmark runs
``imdi run`` on the default data, and the DuckDB cross-check recomputes three appendix tables
from the raw CSV at scale 1 and 10. Each benchmark also writes its own results_*.md.

Usage: ``python -m benchmarks.run_all [--scales 1,10,100] [--keep]`` (``--keep`` keeps the
generated data, several GB at scale 100, for reruns).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time

from benchmarks._util import ROOT, WORK, data_dir, machine_description, parse_scales

RESULTS = ROOT / "benchmarks" / "results.md"
TARGET_SECONDS = 15 * 60


def steps(scales: str) -> list[tuple[str, list[str], str]]:
    return [
        (
            "Sources: generation, validation, reading validated extracts",
            ["benchmarks.bench_sources", "--scales", scales],
            "results_sources.md",
        ),
        ("Indicators", ["benchmarks.bench_indicators", "--scales", scales], "results_indicators.md"),
        ("Statistics appendix", ["benchmarks.bench_appendix", "--scales", scales], "results_appendix.md"),
        ("Yearly run (cold, warm, --jobs)", ["benchmarks.bench_pipeline"], "results_pipeline.md"),
        ("Attacker's audit of the default book", ["benchmarks.bench_audit"], "results_audit.md"),
        (
            "Disclosure control against τ-ARGUS",
            [
                "benchmarks.bench_tauargus",
                "--scales",
                ",".join(s for s in scales.split(",") if float(s) <= 10),
            ],
            "results_tauargus.md",
        ),
    ]


def run_step(title: str, module_args: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    print(f"== {title}", flush=True)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", *module_args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    seconds = time.perf_counter() - start
    print(done.stdout[-3000:], done.stderr[-3000:] if done.returncode else "", flush=True)
    print(f"   ({seconds:.0f} s)", flush=True)
    return seconds, done.returncode, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--keep", action="store_true", help="keep the generated data and stores")
    args = parser.parse_args()
    started = time.perf_counter()
    sections = [
        "# Benchmark results",
        "",
        "`make bench` (`python -m benchmarks.run_all`).",
        "",
        machine_description(),
        "",
    ]
    failed, durations = [], []
    for title, module_args, result_file in steps(args.scales):
        seconds, code, _ = run_step(title, module_args)
        durations.append((title, seconds))
        sections += [f"## {title}", "", f"(step took {seconds:.0f} s{'; FAILED' if code else ''})", ""]
        path = ROOT / "benchmarks" / result_file
        if code == 0 and path.is_file():
            body = path.read_text(encoding="utf-8").splitlines()
            sections += [
                line for line in body if not line.startswith("# ") and not line.startswith("- machine")
            ]
            sections.append("")
        else:
            failed.append(title)
    sections += [
        "## Independent cross-check in DuckDB",
        "",
        "Tables 10 (count, time series), 16 (count, time series) and 18 (mean months) computed again in "
        "DuckDB SQL from the raw CSV files, from the tables' definitions, not from our code. Our builders run "
        "with the store of validated extracts switched off, so both sides read the raw CSV (ours also "
        "validates it). Ratio = our seconds / DuckDB's seconds.",
        "",
    ]
    for scale in [s for s in parse_scales(args.scales) if s <= 10]:
        seconds, code, out = run_step(
            f"DuckDB cross-check, scale {scale:g}",
            ["benchmarks.bench_duckdb", "--data", str(data_dir(scale))],
            env={"IMDI_VALIDATED_CACHE": "0"},
        )
        durations.append((f"DuckDB cross-check, scale {scale:g}", seconds))
        lines = [line for line in out.strip().splitlines() if not line.startswith("started")]
        sections += [f"Scale {scale:g}:", "", "```", *lines, "```", ""]
        sections.append(
            f"Result at scale {scale:g}: {'all cells agree' if code == 0 else 'DIFFERENCES FOUND'}."
        )
        sections.append("")
        if code:
            failed.append(f"DuckDB cross-check, scale {scale:g}")
    total = time.perf_counter() - started
    sections += [
        "## Duration of `make bench`",
        "",
        "| step | seconds |",
        "|---|---:|",
        *[f"| {title} | {seconds:.0f} |" for title, seconds in durations],
        f"| **total** | **{total:.0f}** |",
        "",
        f"- target: under {TARGET_SECONDS // 60} minutes on 2 cores: {'yes' if total < TARGET_SECONDS else 'NO'} "
        f"({total / 60:.1f} min)",
        f"- failed steps: {', '.join(failed) if failed else 'none'}",
        "",
    ]
    RESULTS.write_text("\n".join(sections) + "\n", encoding="utf-8")
    print(f"Wrote {RESULTS} ({total / 60:.1f} min)")
    if not args.keep:
        shutil.rmtree(WORK, ignore_errors=True)
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
