"""Benchmark of the steering-parameter indicators: all indicators for 2022 at scale 1, 10, 100.

On the shared data of :mod:`benchmarks._util`, each in a fresh interpreter:

- *from validated extracts*: ``compute_indicators(2022, "year", DIR)`` with the store of
  validated extracts filled (as in ``imdi run``, which validates first): reading, computing the
  indicators for 2022 and 2021 (for the change column) and validating the IndicatorFrame;
- *cold* (scale 1 and 10): the same with the store switched off, so every extract the
  indicators use is parsed and validated too.

Target (issue 6): under 5 s at scale 1, and linear growth with the number of rows (CPU time per
row stays near that of the smallest scale). Writes ``benchmarks/results_indicators.md``.

Usage: ``python -m benchmarks.bench_indicators [--scales 1,10,100] [--repeat 3]``
"""

from __future__ import annotations

import argparse

from benchmarks._util import (
    COLD_ENV,
    REPORT_YEAR,
    ROOT,
    count_rows,
    fill_store,
    fmt,
    machine_description,
    median_of,
    parse_scales,
    shared_data,
    store_env,
)

RESULTS = ROOT / "benchmarks" / "results_indicators.md"
TARGET_SECONDS_SCALE_1 = 5.0
SETUP = "from pathlib import Path\nfrom imdi_analysis.indicators.registry import compute_indicators"


def compute_code(folder: str) -> str:
    return f"compute_indicators({REPORT_YEAR}, 'year', Path({folder!r}))"


def indicator_sources() -> set[str]:
    from imdi_analysis.indicators.registry import INDICATORS

    return {s for i in INDICATORS.values() for s in i.sources if not s.startswith("ssb")}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,100", help="comma-separated scales")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement below scale 100 (median)")
    args = parser.parse_args(argv)
    rows = []
    for scale in parse_scales(args.scales):
        folder, _ = shared_data(scale)
        fill_store(scale)
        repeat = args.repeat if scale < 100 else 1
        code = compute_code(str(folder))
        warm = median_of(code, repeat, env=store_env(scale), setup=SETUP)
        # cold builds: a median of ``repeat`` at scale 1, one build at scale 10, none at 100 (its
        # validation is measured by the sources benchmark), to keep `make bench` under 15 minutes
        cold = (
            median_of(code, repeat if scale < 10 else 1, env=COLD_ENV, setup=SETUP) if scale < 100 else None
        )
        n = count_rows(folder, [REPORT_YEAR - 1, REPORT_YEAR], indicator_sources())
        rows.append((scale, n, warm, cold))
        print(f"scale {scale:g}: {fmt(warm['seconds'])} s from validated extracts", flush=True)
    base_scale, base_rows, base, _ = rows[0]
    table = []
    for scale, n, warm, cold in rows:
        per_row = (warm["cpu_seconds"] / n) / (base["cpu_seconds"] / base_rows)
        cold_text = "–" if cold is None else f"{fmt(cold['seconds'], 2)} ({fmt(cold['cpu_seconds'], 2)})"
        table.append(
            f"| {scale:g} | {n:,} | {warm['runs']} | {fmt(warm['seconds'], 2)} ({fmt(warm['cpu_seconds'], 2)}) | "
            f"{cold_text} | {fmt(warm['peak_mib'], 0)} | {per_row:.2f} |"
        )
    scale_1 = [r for r in rows if r[0] == 1]
    verdict = "not measured"
    if scale_1:
        warm, cold = scale_1[0][2], scale_1[0][3]
        verdict = (
            f"{fmt(warm['seconds'], 2)} s from validated extracts: {'yes' if warm['seconds'] < 5 else 'NO'}"
        )
        if cold is not None:
            verdict += f"; {fmt(cold['seconds'], 2)} s cold: {'yes' if cold['seconds'] < 5 else 'NO'}"
    lines = [
        "# Benchmark: indicators for the steering parameters",
        "",
        machine_description(),
        f"- all indicators for {REPORT_YEAR}, period `year`, shared synthetic data (seed 2022, 2019–2022)",
        "",
        "Seconds are wall time (median), CPU seconds in brackets.",
        "",
        "| scale | rows read (2021–2022) | runs | from validated extracts (s) | cold: parse + validate too (s) | "
        "peak memory (MiB) | CPU time per row vs. scale " + f"{base_scale:g} |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        *table,
        "",
        f"- under {TARGET_SECONDS_SCALE_1:g} s at scale 1: {verdict}",
        f"- cold: median of {args.repeat} runs at scale 1, one run at scale 10, not run at scale 100.",
        "- growth is linear when the CPU time per row stays near 1 or below (fixed costs make the smallest "
        "scale dearer per row).",
    ]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
