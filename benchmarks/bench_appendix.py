"""Benchmark of the whole statistics appendix at scale 1, 10 and 100.

``build_appendix(2022, "year")``: every table due in the annual report, disclosure control, a CSV
(and sidecar) per table and the workbook, on the shared data of :mod:`benchmarks._util`
(seed 2022, years 2019–2022, the time series the 2022 report shows). Each build runs in a fresh
interpreter (imports not timed) and uses two worker processes.

- *from validated extracts*: with the store of validated extracts filled, as in ``imdi run``,
  which validates every extract (in parallel) before any notebook runs; this is the appendix
  step itself;
- *cold* (scale 1 and 10): the store switched off, so the build also parses and validates every
  extract it reads (as ``imdi appendix`` on extracts never validated before).

Targets (issue 7), on 2 cores: under 10 s at scale 1; under 5 minutes and 8 GB peak memory at
scale 100. Writes ``benchmarks/results_appendix.md``.

Usage: ``python -m benchmarks.bench_appendix [--scales 1,10,100] [--repeat 3] [--period year]``
"""

from __future__ import annotations

import argparse
import shutil

from benchmarks._util import (
    COLD_ENV,
    REPORT_YEAR,
    ROOT,
    WORK,
    YEARS,
    count_rows,
    fill_store,
    fmt,
    machine_description,
    median_of,
    parse_scales,
    shared_data,
    store_env,
)

RESULTS = ROOT / "benchmarks" / "results_appendix.md"
TARGETS = {1: (10.0, None), 100: (300.0, 8 * 1024.0)}  # scale -> (seconds, MiB)
SETUP = "from pathlib import Path\nfrom imdi_analysis.appendix.build import build_appendix"


def build_code(folder: str, out: str, period: str) -> str:
    return f"tables = build_appendix({REPORT_YEAR}, {period!r}, Path({folder!r}), output_dir=Path({out!r}))"


def verdict(scale: float, warm: dict, cold: dict | None) -> str:
    """Targets met (✓) or missed (✗), from validated extracts and, where measured, cold."""
    seconds, mib = TARGETS.get(int(scale), (None, None))
    parts = []
    if seconds is not None:
        parts.append(f"< {seconds:g} s {'✓' if warm['seconds'] < seconds else '✗'}")
        if cold is not None:
            parts.append(f"cold {'✓' if cold['seconds'] < seconds else '✗'}")
    if mib is not None:
        parts.append(f"< {mib / 1024:g} GB {'✓' if warm['peak_mib'] < mib else '✗'}")
    return ", ".join(parts) or "–"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,100", help="comma-separated scales")
    parser.add_argument(
        "--repeat", type=int, default=3, help="builds per measurement below scale 100 (median)"
    )
    parser.add_argument("--period", default="year", choices=["year", "H1"])
    args = parser.parse_args(argv)
    rows = []
    for scale in parse_scales(args.scales):
        folder, _ = shared_data(scale)
        fill_store(scale)
        out = WORK / "appendix-out" / f"s{scale:g}"
        shutil.rmtree(out, ignore_errors=True)
        code = build_code(str(folder), str(out), args.period)
        repeat = args.repeat if scale < 100 else 1
        warm = median_of(code, repeat, env=store_env(scale), setup=SETUP)
        # cold builds: a median of ``repeat`` at scale 1, one build at scale 10, none at 100 (its
        # validation is measured by the sources benchmark), to keep `make bench` under 15 minutes
        cold = (
            median_of(code, repeat if scale < 10 else 1, env=COLD_ENV, setup=SETUP) if scale < 100 else None
        )
        tables = len(list((out / str(REPORT_YEAR) / args.period / "appendix").glob("*.csv")))
        rows.append((scale, count_rows(folder), tables, warm, cold))
        print(
            f"scale {scale:g}: {fmt(warm['seconds'])} s from validated extracts, {tables} tables", flush=True
        )
    table = []
    for scale, n, tables, warm, cold in rows:
        cold_text = "–" if cold is None else f"{fmt(cold['seconds'])} ({fmt(cold['cpu_seconds'])})"
        table.append(
            f"| {scale:g} | {n:,} | {tables} | {warm['runs']} | {fmt(warm['seconds'])} ({fmt(warm['cpu_seconds'])}) "
            f"| {fmt(warm['peak_mib'], 0)} / {fmt(warm['single_peak_mib'], 0)} | {cold_text} | {verdict(scale, warm, cold)} |"
        )
    lines = [
        "# Benchmark: the statistics appendix",
        "",
        f"`build_appendix({REPORT_YEAR}, {args.period!r})` on shared synthetic data (seed 2022, years "
        f"{YEARS[0]}–{YEARS[-1]}): every table due, disclosure control, CSV per table and the workbook, in two "
        "worker processes. *From validated extracts* is the appendix step of `imdi run` (which validates every "
        "extract first; see the sources benchmark for that step); *cold* also parses and validates every "
        "extract the build reads.",
        "",
        machine_description(),
        "",
        "Seconds are wall time (median), CPU seconds of all processes in brackets. Peak memory: largest sum "
        "over the process and its workers / largest single process.",
        "",
        "| scale | rows in the extracts | tables | builds | from validated extracts (s) | peak memory (MiB) | "
        "cold (s) | target |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
        *table,
        "",
        f"- cold: median of {args.repeat} builds at scale 1, one build at scale 10, not run at scale 100 "
        "(the validation it adds is the sources benchmark's validate row).",
    ]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
