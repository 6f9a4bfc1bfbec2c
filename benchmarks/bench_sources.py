"""Benchmark of the synthetic extracts and the sources stage: generate, then validate + process.

For each scale (default 1, 10, 100), in a temporary folder and each stage in a fresh
interpreter (peak memory = the stage process's maximum resident set size):

- *generate*: ``imdi_analysis.synth.generate`` for 2019–2023 (CSV);
- *validate + process*: ``imdi_analysis.sources.processing.process_year`` for every year
  (read, validate lazily, write Parquet and the manifest).

Prints a markdown table and writes it with a machine description to
``benchmarks/results_sources.md``. Not a test: run it by hand::

    python benchmarks/bench_sources.py [--scales 1,10] [--years 2019-2023] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml

from benchmarks._util import ROOT, machine_description, measure
from imdi_analysis.config import parse_years

RESULTS = ROOT / "benchmarks" / "results_sources.md"
DEFAULT_SCALES = "1,10,100"
DEFAULT_YEARS = "2019-2023"
SEED = 2022


def generate_code(years: list[int], scale: float, out: Path) -> str:
    return (
        "from imdi_analysis.synth import generate\n"
        f"generate({years!r}, seed={SEED}, scale={scale!r}, out_dir={str(out)!r}, progress=False)"
    )


def process_code(years: list[int], data: Path, processed: Path) -> str:
    return (
        "from imdi_analysis.sources.processing import process_year\n"
        f"for year in {years!r}:\n"
        f"    process_year(year, data_dir={str(data)!r}, output_dir={str(processed)!r})"
    )


def count_rows(data: Path, years: list[int]) -> int:
    """Data rows written, from the ``synthetic.meta.yml`` of each year."""
    total = 0
    for year in years:
        meta = yaml.safe_load((data / str(year) / "synthetic.meta.yml").read_text(encoding="utf-8"))
        total += sum(entry["rows"] for entry in meta["files"].values())
    return total


def folder_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def run_scale(scale: float, years: list[int], work: Path) -> list[dict]:
    """Both stages at one scale; the folders are removed afterwards."""
    data, processed = work / f"registers-{scale:g}", work / f"processed-{scale:g}"
    shutil.rmtree(data, ignore_errors=True)
    shutil.rmtree(processed, ignore_errors=True)
    generated = measure(generate_code(years, scale, data))
    rows = count_rows(data, years)
    csv_mib = folder_mib(data)
    processing = measure(process_code(years, data, processed))
    parquet_mib = folder_mib(processed)
    shutil.rmtree(data, ignore_errors=True)
    shutil.rmtree(processed, ignore_errors=True)
    return [
        {"scale": scale, "stage": "generate (CSV)", "rows": rows, "size": csv_mib, **generated},
        {
            "scale": scale,
            "stage": "validate + process (Parquet)",
            "rows": rows,
            "size": parquet_mib,
            **processing,
        },
    ]


def markdown_table(results: list[dict]) -> str:
    lines = [
        "| scale | stage | rows | seconds | rows per second | peak memory (MiB) | output (MiB) |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['scale']:g} | {r['stage']} | {r['rows']:,} | {r['seconds']:.1f} | "
            f"{r['rows'] / r['seconds']:,.0f} | {r['peak_mib']:,.0f} | {r['size']:,.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default=DEFAULT_SCALES, help="comma-separated scales, e.g. 1,10")
    parser.add_argument("--years", default=DEFAULT_YEARS, help="years to generate, e.g. 2019-2023")
    parser.add_argument("--work", type=Path, default=None, help="working folder (default: a temporary one)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="markdown file to write")
    args = parser.parse_args(argv)
    scales = [float(s) for s in args.scales.split(",") if s.strip()]
    years = parse_years(args.years)
    results: list[dict] = []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench_sources_", dir=args.work) as tmp:
        for scale in scales:
            results.extend(run_scale(scale, years, Path(tmp)))
            print(markdown_table(results[-2:]).splitlines()[-2:][0], flush=True)
            print(markdown_table(results[-1:]).splitlines()[-1], flush=True)
    table = markdown_table(results)
    load_after = os.getloadavg()
    load = (
        f"- load average (1, 5, 15 min) at start {', '.join(f'{x:.1f}' for x in load_before)}, "
        f"at end {', '.join(f'{x:.1f}' for x in load_after)} (other work on the machine slows the stages)"
    )
    text = (
        "# Benchmark: synthetic extracts and the sources stage\n\n"
        f"`python benchmarks/bench_sources.py --scales {args.scales} --years {args.years}`: for each scale, "
        f"`imdi_analysis.synth.generate` writes {len(years)} years of all sources as CSV, then "
        "`imdi_analysis.sources.processing.process_year` validates every year and writes Parquet. "
        "Each stage runs in a fresh interpreter; peak memory is that process's maximum resident set size. "
        "Rows are data rows over all sources and years.\n\n"
        f"{machine_description()}\n{load}\n\n{table}\n"
    )
    args.results.write_text(text, encoding="utf-8")
    print(table)
    print(f"\nWritten to {args.results}.")


if __name__ == "__main__":
    main()
