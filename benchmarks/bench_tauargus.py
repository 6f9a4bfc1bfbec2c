"""Our disclosure control against τ-ARGUS (``pytauargus``) on the same appendix tables.

For each count table below, at scale 1 and 10 (the shared synthetic data of
:mod:`benchmarks._util`, report year 2022, annual report), the cells of the report year are
protected twice:

- **ours**: :func:`imdi_analysis.disclosure.protect_release` (what the book publishes: line
  protection, then interval repair until every hidden cell passes the LP check), threshold 5;
- **τ-ARGUS**: ``pytauargus.protect`` on the same persons (one micro record per person, rebuilt
  from the table's interior cells), frequency rule ``FREQ(5,10)`` (a cell of 1–4 persons is
  unsafe; 10 % safety range) and modular suppression ``MOD(1)`` (HiTaS), cost = cell value.

Both results are then certified by our audit (:func:`imdi_analysis.audit.certify_tables` when it
exists, else the line check :func:`imdi_analysis.disclosure.disclosure_problems`), and checked by
the stricter check ``protect_release`` itself repairs against ("floor 1": a reader knows that
zeros are shown as ``-``, so every hidden count is at least 1 — the audit's attacker only knows
counts are at least 0; :func:`strict_failures`), and their information loss is compared: secondary suppressions (cells hidden beyond the primary ones) and
persons hidden (the sum of the values of all hidden cells, totals included, as τ-ARGUS's default
cost counts them). Goal (issue 13): no audit failure, loss ≤ 1.1 × τ-ARGUS.

Times are in-process medians of 3 (imports not timed): ours is ``protect_release`` alone;
τ-ARGUS's is ``protect`` (which writes its micro data, metadata and batch files and runs the
engine). Writes ``benchmarks/results_tauargus.md``.

Usage: ``python -m benchmarks.bench_tauargus [--scales 1,10] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks._util import REPORT_YEAR, ROOT, fmt, machine_description, parse_scales, shared_data
from imdi_analysis.appendix.registry import BUILDERS, BuildContext
from imdi_analysis.config import years_in
from imdi_analysis.disclosure import protect_release
from imdi_analysis.letter.appendix_spec import load_appendix_spec
from imdi_analysis.tables import (
    MEASURE_COUNT,
    STATUS_NOT_APPLICABLE,
    STATUS_SUPPRESSED,
    STATUS_ZERO,
    TOTAL,
    AppendixTable,
)

RESULTS = ROOT / "benchmarks" / "results_tauargus.md"
PERIOD = "year"
THRESHOLD = 5
SAFETY_RULE = f"FREQ({THRESHOLD},10)"
METHOD = "MOD(1)"
# Count tables whose every dimension has its "I alt" (τ-ARGUS builds every margin), with small cells
# at scale 1 (the rest of the appendix has none: the comparison would be empty), plus 10 and 11A.
TABLES = ["1B", "2B", "3A", "3B", "10", "11A", "13", "17", "21", "24", "28B"]
TAU_TOTAL = "Total"
LOSS_TARGET = 1.1


@dataclass
class Protection:
    """One protected table: its status per cell and what it cost."""

    table: AppendixTable
    seconds: float
    primary: int
    secondary: int
    persons_hidden: float
    findings: list[str]
    strict: int  # hidden counts failing the floor-1 interval check of protect_release


def count_slice(table: AppendixTable, year: int) -> AppendixTable:
    """The count cells of ``year`` that can occur, as a table without the time dimension."""
    data = table.data
    keep = data["measure"] == MEASURE_COUNT
    if "status" in data.columns:
        keep &= data["status"].astype(str) != STATUS_NOT_APPLICABLE
    dims = list(table.dims)
    if "year" in dims:
        keep &= pd.to_numeric(data["year"], errors="coerce") == year
        dims.remove("year")
    cells = data.loc[keep, [*dims, "measure", "value"]].reset_index(drop=True)
    cells["base"] = np.nan
    return replace(table, data=cells, dims=dims, stacking=None, threshold=None)


def build_tables(folder: Path, year: int) -> list[AppendixTable]:
    """The benchmark's tables, built from the extracts in ``folder`` (no disclosure)."""
    spec = load_appendix_spec(year)
    available = years_in(folder)
    tables = []
    for key in TABLES:
        row = spec[spec["table_key"] == key].iloc[0].to_dict()
        ctx = BuildContext(year=year, period=PERIOD, data_dir=folder, spec=row, available_years=available)
        table = count_slice(BUILDERS[key](ctx), year)
        if all((table.data[dim].astype(str) == TOTAL).any() for dim in table.dims):
            tables.append(table)
        else:
            print(f"table {key}: a dimension has no total; left out", flush=True)
    return tables


def micro_records(table: AppendixTable, codes: dict[str, dict[str, str]]) -> pd.DataFrame:
    """One row per person of ``table``'s interior cells (no dimension at its total)."""
    cells = table.data
    interior = np.ones(len(cells), dtype=bool)
    for dim in table.dims:
        interior &= cells[dim].astype(str).to_numpy() != TOTAL
    counts = cells.loc[interior, "value"].fillna(0).astype(int).to_numpy()
    rows = cells.loc[interior, table.dims].reset_index(drop=True)
    micro = pd.DataFrame({dim: rows[dim].map(codes[dim]) for dim in table.dims})
    micro = micro.loc[micro.index.repeat(counts)].reset_index(drop=True)
    micro["persons"] = 1.0
    return micro


def category_codes(table: AppendixTable) -> dict[str, dict[str, str]]:
    """Short ASCII codes for every category (τ-ARGUS reads fixed-width ASCII micro data)."""
    codes = {}
    for dim in table.dims:
        labels = sorted({str(v) for v in table.data[dim]} - {TOTAL})
        width = len(str(len(labels)))
        codes[dim] = {label: f"{i + 1:0{width}d}" for i, label in enumerate(labels)}
    return codes


def tau_protect(table: AppendixTable, workdir: Path) -> pd.DataFrame:
    """τ-ARGUS's status of every cell of ``table`` (``:`` hidden, ``-`` nil, ``""`` shown)."""
    from pytauargus import protect

    codes = category_codes(table)
    with contextlib.chdir(workdir):  # the engine writes its log files into the working directory
        result = protect(
            micro_records(table, codes),
            list(table.dims),
            response="persons",
            safety_rules=SAFETY_RULE,
            suppress=METHOD,
            workdir=str(workdir),
        )
    frame = result.tables[0].dataframe()
    for dim in table.dims:
        labels = {code: label for label, code in codes[dim].items()} | {TAU_TOTAL: TOTAL}
        frame[dim] = frame[dim].astype(str).map(labels)
    frame["status"] = np.select(
        [frame["status"].isin(["U", "M"]), frame["persons"] == 0], [STATUS_SUPPRESSED, STATUS_ZERO], ""
    )
    return frame[[*table.dims, "status"]]


def with_status(table: AppendixTable, status: pd.DataFrame) -> AppendixTable:
    """``table`` published with ``status`` (hidden values NaN), as our publishing step would."""
    data = table.data.copy()
    keyed = status.set_index(list(table.dims))["status"]
    index = pd.MultiIndex.from_frame(data[table.dims].astype(str))
    data["status"] = keyed.reindex(index).fillna("").to_numpy()
    data.loc[data["value"].fillna(0) == 0, "status"] = STATUS_ZERO
    data.loc[data["status"] == STATUS_SUPPRESSED, "value"] = np.nan
    data.attrs["disclosure_threshold"] = THRESHOLD
    return replace(table, data=data, threshold=THRESHOLD)


def certify(table: AppendixTable) -> list[str]:
    """Findings of our audit on a protected table (empty when it is safe)."""
    try:
        from imdi_analysis.audit import certify_tables
    except ImportError:
        from imdi_analysis.disclosure import disclosure_problems

        return list(disclosure_problems(table, THRESHOLD))
    return [str(f) for f in certify_tables([table], THRESHOLD)]


def strict_failures(original: AppendixTable, published: AppendixTable) -> int:
    """Hidden counts of ``published`` that are determined or confined to 1 … threshold − 1 when
    every hidden non-zero count is known to be at least 1 (``protect_release``'s own check)."""
    from imdi_analysis.disclosure import Release, connected_groups, failing_cells, published_equations

    release = Release.create([original])
    keyed = published.data.set_index(list(published.dims))["status"].astype(str)
    index = pd.MultiIndex.from_frame(release.data[0][list(original.dims)].astype(str))
    status = [keyed.reindex(index).fillna("").to_numpy(dtype=object)]
    equations = published_equations(release, status)
    rhs = {id(terms): b for terms, b in equations}
    groups = connected_groups([terms for terms, _ in equations])
    return sum(
        len(failing_cells(release, status, [(t, rhs[id(t)]) for t in group], THRESHOLD, {}))
        for group in groups
    )


def auditor_name() -> str:
    try:
        from imdi_analysis.audit import certify_tables  # noqa: F401
    except ImportError:
        return "line check (`disclosure_problems`): no LP audit in this version"
    return "LP audit (`audit.certify_tables`, HiGHS)"


def loss(original: AppendixTable, published: AppendixTable, seconds: float) -> Protection:
    """Primary and secondary suppressions and persons hidden of ``published``."""
    values = original.data["value"].fillna(0).to_numpy()
    hidden = published.data["status"].astype(str).to_numpy() == STATUS_SUPPRESSED
    primary = (values > 0) & (values < THRESHOLD)
    return Protection(
        table=published,
        seconds=seconds,
        primary=int(primary.sum()),
        secondary=int((hidden & ~primary).sum()),
        persons_hidden=float(values[hidden].sum()),
        findings=certify(published),
        strict=strict_failures(original, published),
    )


def timed(function, repeat: int):
    """Median seconds of ``repeat`` calls and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def compare(table: AppendixTable, repeat: int) -> tuple[Protection, Protection]:
    """Ours and τ-ARGUS's protection of one table."""
    seconds, (ours,) = timed(lambda: protect_release([table], THRESHOLD), repeat)
    mine = loss(table, ours, seconds)
    with tempfile.TemporaryDirectory(prefix="tauargus-") as work:
        seconds, status = timed(lambda: tau_protect(table, Path(work)), repeat)
    theirs = loss(table, with_status(table, status), seconds)
    return mine, theirs


def ratio(ours: float, theirs: float) -> str:
    if theirs == 0:
        return "–" if ours == 0 else "∞"
    return f"{ours / theirs:.2f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    lines = [
        "# Disclosure control: ours against τ-ARGUS",
        "",
        f"`python -m benchmarks.bench_tauargus --scales {args.scales}`. Report year {REPORT_YEAR}, annual "
        f"report, count cells of the report year. τ-ARGUS: `pytauargus`, `{SAFETY_RULE}`, `{METHOD}`. "
        f"Ours: `protect_release`, threshold {THRESHOLD}. Audit: {auditor_name()}.",
        "",
        machine_description(),
        "",
        "| scale | table | cells | primary | secondary ours / τ | ratio | persons hidden ours / τ | ratio "
        "| audit failures ours / τ | floor-1 failures ours / τ | ms ours / τ |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    totals: dict[float, list[float]] = {}
    for scale in parse_scales(args.scales):
        folder, _ = shared_data(scale)
        for table in build_tables(folder, REPORT_YEAR):
            ours, tau = compare(table, args.repeat)
            total = totals.setdefault(scale, [0, 0, 0, 0, 0, 0, 0, 0])
            for i, value in enumerate(
                [ours.secondary, tau.secondary, ours.persons_hidden, tau.persons_hidden]
            ):
                total[i] += value
            total[4] += len(ours.findings)
            total[5] += len(tau.findings)
            total[6] += ours.strict
            total[7] += tau.strict
            lines.append(
                f"| {scale:g} | {table.key} | {len(table.data)} | {ours.primary} "
                f"| {ours.secondary} / {tau.secondary} | {ratio(ours.secondary, tau.secondary)} "
                f"| {ours.persons_hidden:.0f} / {tau.persons_hidden:.0f} "
                f"| {ratio(ours.persons_hidden, tau.persons_hidden)} "
                f"| {len(ours.findings)} / {len(tau.findings)} | {ours.strict} / {tau.strict} "
                f"| {fmt(ours.seconds * 1000, 0)} / {fmt(tau.seconds * 1000, 0)} |"
            )
            print(lines[-1], flush=True)
    lines += [
        "",
        "| scale | secondary ours / τ | persons hidden ours / τ | audit failures ours / τ "
        "| floor-1 failures ours / τ | goal |",
    ]
    lines.append("|---:|---:|---:|---:|---:|---|")
    for scale, t in totals.items():
        met = t[4] == 0 and (t[2] <= LOSS_TARGET * t[3] if t[3] else t[2] == 0)
        lines.append(
            f"| {scale:g} | {t[0]:.0f} / {t[1]:.0f} ({ratio(t[0], t[1])}) "
            f"| {t[2]:.0f} / {t[3]:.0f} ({ratio(t[2], t[3])}) | {t[4]:.0f} / {t[5]:.0f} "
            f"| {t[6]:.0f} / {t[7]:.0f} | {'met' if met else 'NOT met'} (no failure of ours, persons hidden ≤ {LOSS_TARGET} × τ) |"
        )
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
