"""Our disclosure control against τ-ARGUS (``pytauargus``) on the same appendix tables.

For each count table below, at scale 1 and 10 (the shared synthetic data of
:mod:`benchmarks._util`, report year 2022, annual report), the cells of the report year are
protected three times:

- **ours**: :func:`imdi_analysis.disclosure.protect_release` (what the book publishes: line
  protection, then interval repair until every hidden cell passes the LP check), threshold 5;
- **τ-ARGUS** (τ, for reference): ``pytauargus`` on the same persons (one micro record per
  person, rebuilt from the table's interior cells), frequency rule ``FREQ(5,10)`` (a cell of
  1–4 persons is unsafe; 10 % safety range) and modular suppression ``MOD(1)`` (HiTaS), cost =
  cell value, everything else as τ-ARGUS sets it. Its protection levels are then 1 person up
  and down (10 % of a count of 1–4, rounded up), and HiTaS assumes every cell is at least 0:
  it protects against a weaker reader than ours does, so its loss is not comparable;
- **τ-ARGUS, cells ≥ 1 known** (τ≥1, equal safety): the same run, changed in two places so
  that it protects against the reader ``protect_release`` defends against. (1) An a-priori
  file (``.hst``, ``<APRIORI>`` in the batch file) gives every primary cell of value v the
  protection levels ``PL 0, 5 − v``: every reader's solution must reach the threshold, nothing
  is asked below the value (our check asks nothing there either). (2) HiTaS's lower bound of
  every cell (``MINTABVAL`` in the parameter file ``PrepareHITAS`` writes, the table's
  smallest value, 0 because of empty cells) is set to 1: empty cells are published as ``-``
  and never suppressed, so a reader knows every other cell is at least 1. τ-ARGUS has no batch
  command for (2) (a-priori bounds, ``AB``, are not implemented, nor in the Java original), so
  :func:`hitas_min_cell_value` edits the parameter file before the solver reads it. Neither
  change alone is enough: the protection levels alone leave 292 floor-1 failures at scale 1 (measured 2026-12-06)
  (they fix the one audit failure), the lower bound alone breaks the default pattern.

Every result is then certified by our audit (:func:`imdi_analysis.audit.certify_tables` when it
exists, else the line check :func:`imdi_analysis.disclosure.disclosure_problems`) and checked by
the stricter check ``protect_release`` itself repairs against ("floor 1": a reader knows that
zeros are shown as ``-``, so every hidden count is at least 1 — the audit's attacker only knows
counts are at least 0; :func:`strict_failures`), and their information loss is compared:
secondary suppressions (cells hidden beyond the primary ones) and persons hidden (the sum of the
values of all hidden cells, totals included, as τ-ARGUS's default cost counts them). Goal
(issue 13): no audit failure, loss ≤ 1.1 × τ-ARGUS; judged against τ≥1, the variant of equal
safety, and reported against τ too.

Times are in-process medians of 3 (imports not timed): ours is ``protect_release`` alone;
τ-ARGUS's is writing its micro data, metadata, a-priori and batch files and running the
engine. Writes ``benchmarks/results_tauargus.md``.

Usage: ``python -m benchmarks.bench_tauargus [--scales 1,10] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import contextlib
import re
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
VARIANTS = ["ours", "τ-ARGUS", "τ-ARGUS, cells ≥ 1 known"]
NOTES = [
    "- τ-ARGUS as it comes asks 1 person of protection up and down of each primary count (10 % of "
    "1–4, rounded up) and assumes every cell is at least 0; its patterns fail the floor-1 check, so "
    "its lower loss is bought with less safety. It is the reference, not the goal's yardstick.",
    "- τ≥1 asks what our check asks (every hidden non-zero count can reach the threshold, cells known "
    "to be ≥ 1) and passes both checks: the goal is judged against it. Where ours and τ≥1 hide the "
    "same persons (table 21 at scale 1: the hidden 1s of the unaccompanied minors share their lines "
    "with other 1s, which cannot go lower, so the cycles that let them reach 5 run through adults' "
    "cells of hundreds and thousands), the loss is the price of that reader, not of our heuristic.",
]


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


def tau_protect(table: AppendixTable, workdir: Path, floor_one: bool = False) -> pd.DataFrame:
    """τ-ARGUS's status of every cell of ``table`` (``:`` hidden, ``-`` nil, ``""`` shown).

    ``floor_one`` runs the variant "cells ≥ 1 known" (module docstring): an a-priori file gives
    every primary cell the protection levels the floor-1 check asks for
    (:func:`floor_one_apriori`), and HiTaS is told that no non-empty cell is below 1
    (:func:`hitas_min_cell_value`).
    """
    from pytauargus import protect
    from pytauargus.engine import run_batch
    from pytauargus.result import TableResult

    codes = category_codes(table)
    with contextlib.chdir(workdir):  # the engine writes its log files into the working directory
        files = protect(
            micro_records(table, codes),
            list(table.dims),
            response="persons",
            safety_rules=SAFETY_RULE,
            suppress=METHOD,
            workdir=str(workdir),
            run=False,
        ).files
        if floor_one:
            add_apriori(Path(files["arb"]), floor_one_apriori(table, codes, workdir / "floor_one.hst"))
        with hitas_min_cell_value(1 if floor_one else None):
            run_batch(files["arb"])
    frame = TableResult(
        path=files["tab1"], exp_vars=list(table.dims), response="persons", is_freq=False
    ).dataframe()
    for dim in table.dims:
        labels = {code: label for label, code in codes[dim].items()} | {TAU_TOTAL: TOTAL}
        frame[dim] = frame[dim].astype(str).map(labels)
    frame["status"] = np.select(
        [frame["status"].isin(["U", "M"]), frame["persons"] == 0], [STATUS_SUPPRESSED, STATUS_ZERO], ""
    )
    return frame[[*table.dims, "status"]]


def floor_one_apriori(table: AppendixTable, codes: dict[str, dict[str, str]], path: Path) -> Path:
    """Write τ-ARGUS's a-priori file (``.hst``) of the variant "cells ≥ 1 known" to ``path``.

    One line ``code;…;code,PL,0,threshold − value`` per primary cell (value 1 … threshold − 1):
    an upper protection level that makes every solution of a reader reach the threshold, and
    no lower one (the floor-1 check asks nothing below the value). The file opens with the
    grand total's own cost (``C``, its value, τ-ARGUS's default cost: no change), because
    ``pytauargus`` checks the number of code fields on the first line with only one numeric
    tail in mind.
    """
    data = table.data
    grand = (data[list(table.dims)].astype(str) == TOTAL).all(axis=1)
    rows = [",".join([TAU_TOTAL] * len(table.dims) + ["C", f"{data.loc[grand, 'value'].iloc[0]:g}"])]
    for record in data[[*table.dims, "value"]].itertuples(index=False):
        value = float(record[-1])
        if 0 < value < THRESHOLD:
            cell = [
                TAU_TOTAL if str(c) == TOTAL else codes[d][str(c)]
                for d, c in zip(table.dims, record[:-1], strict=True)
            ]
            rows.append(",".join([*cell, "PL", "0", f"{THRESHOLD - value:g}"]))
    path.write_text("\n".join(rows) + "\n", encoding="ascii")
    return path


def add_apriori(arb: Path, hst: Path) -> None:
    """Insert ``<APRIORI>`` for ``hst`` (table 1) before the ``<SUPPRESS>`` of batch file ``arb``."""
    from pytauargus.arb import apriori_batch

    lines = arb.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("<SUPPRESS>"))
    lines[at:at] = apriori_batch(1, [str(hst)], sep=",", ignore_err=0, exp_triv=0)
    arb.write_text("\n".join(lines) + "\n", encoding="utf-8")


@contextlib.contextmanager
def hitas_min_cell_value(minimum: float | None):
    """While active, HiTaS (``MOD``) gets ``MINTABVAL=minimum`` in its parameter file.

    ``MINTABVAL`` is the lower bound HiTaS assumes for every cell of the table when it checks a
    pattern (τ-ARGUS writes the table's smallest value: 0 here, the empty cells). Empty cells
    are not part of the problem (τ-ARGUS never suppresses them; we publish them as ``-``), so
    1 is what a reader knows of every other cell. τ-ARGUS has no batch command for it (a-priori
    bounds, ``AB``, are not implemented, nor in the Java original), so the parameter file
    ``PrepareHITAS`` wrote is edited before the solver reads it. ``None``: unchanged.
    """
    from pytauargus import HiTaSCtrl

    if minimum is None:
        yield
        return
    original = HiTaSCtrl.a_hitas

    def a_hitas(self, pars_file, files_file, **options):
        pars = Path(pars_file)
        text, count = re.subn(r"(?m)^MINTABVAL=.*$", f"MINTABVAL={minimum:g}", pars.read_text())
        if count != 1:
            raise RuntimeError(f"{pars}: no MINTABVAL line to set; pytauargus changed its HiTaS parameters")
        pars.write_text(text)
        return original(self, pars_file=pars_file, files_file=files_file, **options)

    HiTaSCtrl.a_hitas = a_hitas
    try:
        yield
    finally:
        HiTaSCtrl.a_hitas = original


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


def compare(table: AppendixTable, repeat: int) -> list[Protection]:
    """Ours, τ-ARGUS's and τ-ARGUS's with cells ≥ 1 known protection of one table (in :data:`VARIANTS` order)."""
    seconds, (ours,) = timed(lambda: protect_release([table], THRESHOLD), repeat)
    out = [loss(table, ours, seconds)]
    for floor_one in (False, True):
        with tempfile.TemporaryDirectory(prefix="tauargus-") as work:
            seconds, status = timed(lambda f=floor_one: tau_protect(table, Path(work), f), repeat)
        out.append(loss(table, with_status(table, status), seconds))
    return out


def ratio(ours: float, theirs: float) -> str:
    if theirs == 0:
        return "–" if ours == 0 else "∞"
    return f"{ours / theirs:.2f}"


def joined(values: list[float], digits: int = 0) -> str:
    """``a / b / c`` (ours / τ / τ ≥ 1)."""
    return " / ".join(fmt(v, digits) for v in values)


def goal(total: dict[str, list[float]], tau: int) -> str:
    """Whether ours meets issue 13's goal against τ variant ``tau`` (1 or 2) over one scale."""
    hidden = total["persons"]
    met = total["audit"][0] == 0 and (
        hidden[0] <= LOSS_TARGET * hidden[tau] if hidden[tau] else hidden[0] == 0
    )
    return f"{'met' if met else 'NOT met'} against {VARIANTS[tau]}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    lines = [
        "# Disclosure control: ours against τ-ARGUS",
        "",
        f"`python -m benchmarks.bench_tauargus --scales {args.scales}`. Report year {REPORT_YEAR}, annual "
        f"report, count cells of the report year. τ-ARGUS: `pytauargus`, `{SAFETY_RULE}`, `{METHOD}`, "
        "as it comes (τ) and with cells ≥ 1 known (τ≥1: upper protection level threshold − value on "
        "every primary cell, HiTaS's lower bound of every non-empty cell 1; see the module docstring). "
        f"Ours: `protect_release`, threshold {THRESHOLD}. Audit: {auditor_name()}. Floor-1: the check "
        "`protect_release` repairs against (hidden non-zero counts known to be ≥ 1). Each column: ours / τ / τ≥1.",
        "",
        machine_description(),
        "",
        "| scale | table | cells | primary | secondary | persons hidden | ratio ours/τ | ratio ours/τ≥1 "
        "| audit failures | floor-1 failures | ms |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    totals: dict[float, dict[str, list[float]]] = {}
    for scale in parse_scales(args.scales):
        folder, _ = shared_data(scale)
        for table in build_tables(folder, REPORT_YEAR):
            result = compare(table, args.repeat)
            row = {
                "secondary": [p.secondary for p in result],
                "persons": [p.persons_hidden for p in result],
                "audit": [len(p.findings) for p in result],
                "strict": [p.strict for p in result],
            }
            total = totals.setdefault(scale, {key: [0.0] * len(VARIANTS) for key in row})
            for key, values in row.items():
                total[key] = [a + b for a, b in zip(total[key], values, strict=True)]
            persons = row["persons"]
            lines.append(
                f"| {scale:g} | {table.key} | {len(table.data)} | {result[0].primary} "
                f"| {joined(row['secondary'])} | {joined(persons)} "
                f"| {ratio(persons[0], persons[1])} | {ratio(persons[0], persons[2])} "
                f"| {joined(row['audit'])} | {joined(row['strict'])} "
                f"| {joined([p.seconds * 1000 for p in result])} |"
            )
            print(lines[-1], flush=True)
    lines += [
        "",
        "| scale | secondary | persons hidden | ratio ours/τ | ratio ours/τ≥1 | audit failures "
        "| floor-1 failures | goal (no audit failure of ours, persons hidden ≤ "
        f"{LOSS_TARGET} × τ-ARGUS) |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for scale, t in totals.items():
        persons = t["persons"]
        lines.append(
            f"| {scale:g} | {joined(t['secondary'])} | {joined(persons)} | {ratio(persons[0], persons[1])} "
            f"| {ratio(persons[0], persons[2])} | {joined(t['audit'])} | {joined(t['strict'])} "
            f"| {goal(t, 2)} (equal safety); {goal(t, 1)} (reference) |"
        )
    lines += ["", *NOTES]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
