"""Benchmark of the sources stage: generate synthetic extracts, validate them, read them back.

For each scale, on the shared data of :mod:`benchmarks._util` (years 2019–2022):

- *generate*: ``imdi_analysis.synth.generate`` writes every source as CSV (only when the shared
  folder does not exist yet; otherwise the row says "reused");
- *validate*: ``check_years(years, jobs=2)``, what ``imdi run --jobs 2`` does first: every
  source of every year parsed and checked against its schema in two processes, largest file
  first, with an empty store of validated extracts, which it fills;
- *read validated*: every source of every year read back through ``load_source`` from that
  store (what notebooks and the appendix do after validation).

Targets (issue 5): validating the default data under 10 s; at scale 100 under 8 GB.
Writes ``benchmarks/results_sources.md``.

Usage: ``python -m benchmarks.bench_sources [--scales 1,10,100]``
"""

from __future__ import annotations

import argparse
import shutil

from benchmarks._util import (
    ROOT,
    YEARS,
    count_rows,
    fmt,
    folder_mib,
    machine_description,
    measure,
    parse_scales,
    shared_data,
    store_dir,
    store_env,
    validate_code,
)

RESULTS = ROOT / "benchmarks" / "results_sources.md"

READ_SETUP = "from pathlib import Path\nfrom imdi_analysis.sources.registry import SOURCES, load_source"
READ_CODE = """
for year in {years!r}:
    for name in SOURCES:
        load_source(name, year, Path({data!r}))
"""


def run_scale(scale: float) -> list[dict]:
    folder, generated = shared_data(scale)
    rows = count_rows(folder)
    shutil.rmtree(store_dir(scale), ignore_errors=True)
    validated = measure(validate_code(scale, jobs=2), env=store_env(scale))
    read = measure(READ_CODE.format(years=YEARS, data=str(folder)), env=store_env(scale), setup=READ_SETUP)
    out = []
    if generated is not None:
        out.append({"stage": "generate (CSV)", "size": folder_mib(folder), **generated})
    out.append(
        {
            "stage": "validate, 2 processes (fills the store)",
            "size": folder_mib(store_dir(scale)),
            **validated,
        }
    )
    out.append({"stage": "read validated (from the store)", "size": None, **read})
    return [{"scale": scale, "rows": rows, **r} for r in out]


def markdown_table(results: list[dict]) -> list[str]:
    lines = [
        "| scale | stage | rows | seconds | CPU seconds | rows per second | peak memory (MiB) | output (MiB) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        size = "–" if r["size"] is None else fmt(r["size"], 0)
        lines.append(
            f"| {r['scale']:g} | {r['stage']} | {r['rows']:,} | {fmt(r['seconds'])} | {fmt(r['cpu_seconds'])} | "
            f"{r['rows'] / r['seconds']:,.0f} | {fmt(r['peak_mib'], 0)} | {size} |"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,100", help="comma-separated scales, e.g. 1,10,100")
    args = parser.parse_args(argv)
    results: list[dict] = []
    for scale in parse_scales(args.scales):
        results.extend(run_scale(scale))
        print("\n".join(markdown_table(results)[-3:]), flush=True)
    scale_1 = [r for r in results if r["scale"] == 1 and r["stage"].startswith("validate")]
    target = "not measured"
    if scale_1:
        per_year = scale_1[0]["seconds"] / len(YEARS)
        target = f"{fmt(scale_1[0]['seconds'])} s for {len(YEARS)} years ({fmt(per_year)} s a year): " + (
            "yes" if scale_1[0]["seconds"] * 5 / len(YEARS) < 10 else "NO"
        )
    big = [r for r in results if r["scale"] == 100]
    lines = [
        "# Benchmark: synthetic extracts and the sources stage",
        "",
        f"Shared synthetic data (seed 2022, years {YEARS[0]}–{YEARS[-1]}), one folder per scale. Each stage "
        "runs in a fresh interpreter; rows are data rows over all sources and years; peak memory is the largest "
        "sum over the process and its workers.",
        "",
        machine_description(),
        "",
        *markdown_table(results),
        "",
        f"- default data (scale 1) validated in under 10 s, scaled to the 5 default years: {target}",
    ]
    if big:
        peak = max(r["peak_mib"] for r in big)
        lines.append(
            f"- scale 100 under 8 GB peak memory: {fmt(peak / 1024)} GiB: {'yes' if peak < 8192 else 'NO'}"
        )
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
