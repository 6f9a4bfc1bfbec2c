"""Disclosure control: cell status, primary and secondary suppression over linked tables.

Every cell of an :class:`~imdi_analysis.tables.AppendixTable` gets a ``status`` with Statistics
Norway's symbols: ``""`` shown, ``-`` nil (a count of exactly 0, value kept as 0), ``..`` figures
missing, ``.`` not applicable (cannot occur), ``:`` suppressed for confidentiality.

Threshold
---------
:data:`DEFAULT_THRESHOLD` is 5: counts from 1 to 4 are never shown, nor are shares, percentages,
means or medians computed from fewer than 5 persons. Statistics Norway suppresses cells based on
few observations ("for example fewer than 3"), and its R package GaussSuppression suppresses
counts up to 3 by default; IMDi has reported municipal results only for units with at least 5
persons. We take IMDi's own, stricter rule because the appendix is published by IMDi, breaks
results down to municipalities and small groups (unaccompanied minors, interpreters in rare
languages) and may be read next to IMDi's earlier reports. The threshold is always a parameter
(``imdi run --threshold``, ``threshold=`` here) and is recorded with every published table.

Steps of :func:`apply_disclosure`
---------------------------------
1. Status. A status ``.`` or ``..`` (or ``:``) set by the table builder is kept; otherwise a count
   of 0 is ``-``, a missing value is ``..``, and a share, percentage, mean or median whose
   ``base`` is 0 is ``.`` (a share of nobody cannot occur).
2. Primary suppression. Counts with ``0 < value < threshold``; derived measures whose ``base``
   is below the threshold.
3. Linked cells. A percentage or share whose count cell (same categories) is suppressed is
   suppressed too: with its base, a visible share reveals the count. And a share shown with its
   count reveals its base (count / share): when that base is a suppressed count cell of the
   table (a share of a suppressed total), the share is suppressed (:func:`revealing_shares`).
4. Secondary suppression. Cells that differ only in one dimension, together with that
   dimension's total ("I alt"), form a *line*: total = sum of the other cells. Dimensions
   without a total (the time dimension) impose no line. Counts are suppressed until no
   suppressed count can be determined from the lines (alone or combined, as GaussSuppression
   solves them) nor be confined to 1 … threshold − 1, as for a release of one table: see
   "Linked tables" below (Gaussian elimination, then a linear-programming check and repair).
   Step 3 runs after step 4 (which changes counts only), so it covers secondary suppressions
   too.
5. Totals are never altered: a visible total shows its exact, unsuppressed value.

Stacked distributions
---------------------
A table that stacks several distributions of one population in one dimension (its
:class:`~imdi_analysis.tables.Stacking`, e.g. tables 19 and 32) repeats the population's total
as the "I alt" of every distribution. Those cells are *copies* of one quantity
(:func:`find_copies`, one group per measure: table 19 repeats the percent of the "I alt" row
too): they must hold the same value, and they share their status throughout.
When one copy is suppressed (primarily or secondarily) every copy is, and the lines of every
copy are then protected in turn, until nothing changes; in the joint check each pair of copies
is one more equation (``a - b = 0``), so leaks that combine several distributions are closed
too. The table's grand total is a copy like any other, so row and column totals stay consistent.

Linked tables: one report at a time
-----------------------------------
:func:`apply_disclosure` protects one table. A report's tables are published side by side, and
a reader combines them: the shares of table 11B times the totals shown in table 11A give back
counts 11A hides. :func:`protect_release` therefore protects all tables of one report (one year
and period) together, as sdcTable's linked tables and GaussSuppression do. The links are derived
from the data, not declared:

(a) *share and base.* A share or percentage (``base`` set) is linked to the count cell with the
    same categories (its numerator) and to the count cell equal to its ``base`` (the same
    categories with one dimension at "I alt"), searched in its own table first, then in the
    *sibling* tables: the same table number with another letter (11A for 11B) and the same
    dimensions. In a sibling the count must equal share × base, so a sibling counting another
    population is never linked (:func:`find_share_links`).
(b) *the same cell.* Two sibling tables with the same dimensions whose common count cells all
    hold the same value count one population: each pair of cells is one quantity
    (:func:`sibling_copies`), like the stacked totals above.
(c) *share × base within a table* is (a) with both cells in the same table.

The release is protected in one pass over all its count cells, not table by table:
(1) statuses and primary suppressions of every table (steps 1 and 2);
(2) secondary suppression by Gaussian elimination (:class:`GaussStep`, the engine is
:func:`imdi_analysis.disclosure_gauss.secondary_cells`, after Langsrud's GaussSuppression):
every line of every table and every pair of copies (a) and (b) is an equation; starting from
everything hidden, the visible counts are shown one at a time, zeros first, then the largest
value first (then totals, table key and categories, never row order), and a count is shown only
when no suppressed count becomes determined by what is shown, and when it is not the last
undecided cell of a line whose visible total would leave the hidden cells of that line so few
persons that each non-zero one holds 1 … threshold − 1; otherwise it is suppressed and
protected in turn. Small cells thus end up as each other's partners and large cells are shown;
(3) step 3 per table; (4) :func:`linked_suppressions`: a visible share of a suppressed count,
and a visible share whose visible non-zero count and suppressed base give the base back
(count / share), are suppressed; (5) when (4) adds nothing, :func:`interval_suppressions` sets
up everything a reader has — every line of every table, every copy, every visible share × base
— as linear equations in the hidden counts and, per connected group, asks HiGHS
(:func:`imdi_analysis.highs.linprog`) for each suppressed count's largest value, each hidden non-zero
count being at least 1 (zeros are shown as ``-``). A count fails when the equations determine it
(rank test) or its largest value is below the threshold (it is then known to hold
1 … threshold − 1). Its partners are the visible counts that the cheapest direction raising it
past the threshold has to move (:func:`cycle_partners`, a linear program over its group of
lines; cost: persons moved times value + 1; visible zeros do not move, as a ``-`` is never a
partner), or else the smallest visible count, large enough,
in a line that binds it (:func:`interval_partner`). The cells (4) and (5) add are protected like
primary suppressions and (2) runs again (only the groups of equations that changed). Suppression
of the wanted cells only ever grows, so this ends. Every choice is ordered by value, then table
and categories or row position, and every loop runs over sorted cells, so the same data give the
same pattern whatever the row order.

:func:`apply_disclosure` is :func:`protect_release` of a release of one table (used where a
table is published on its own). It replaced a line-by-line greedy (the smallest partner of each
leaking line), which broke ties by row order and could hide zeros in sparse tables; with it,
:func:`protect_release` hid 4.8 times the persons τ-ARGUS hides on the benchmark tables at
scale 1, 2.5 times now; τ-ARGUS as it comes protects against a weaker reader (counts known to be
at least 0, 1 person of protection), and set to protect against ours (hidden non-zero counts
known to be at least 1, every one able to reach the threshold) it hides about as many:
:func:`protect_release` hides 1.00 times its persons at scale 1, 0.99 times at scale 10
(``benchmarks/results_tauargus.md``).

Guarantee
---------
Checked by :func:`is_derivable` per table (and by the audit on the published files, across
them): no visible count lies in ``(0, threshold)``, no suppressed cell has a visible copy, and no
suppressed count can be recovered exactly from the line totals, the copies and the visible
cells. With :func:`protect_release`, in addition, over all tables of the report: no hidden count
is determined by, nor confined to 1 … threshold − 1 by, the published lines, copies (a) and (b)
and share × base relations (c), with hidden non-zero counts known to be at least 1. Lines are
assumed additive even where they are not (overlapping categories), which only ever
over-protects. Not covered: links between tables of different numbers (say table 7 and table
10 counting overlapping populations) or between reports, and links to goal pages (indicator
tables are protected by :func:`disclose_indicators` on their own); shares published *without*
any count cell of their numerator or base, whose numerator ``share × base`` can be small when
the base is at least the threshold (IMDi's own practice, threshold on the base); rounding of
published shares is ignored (the reader is assumed to know them exactly, which over-protects).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from imdi_analysis.disclosure_gauss import Veto, connected_cells, reduced_row_echelon, secondary_cells
from imdi_analysis.errors import ConfigError, DisclosureError
from imdi_analysis.tables import (
    MEASURE_COUNT,
    MEASURE_PERCENT,
    MEASURE_SHARE,
    MEASURES,
    STATUS_MISSING,
    STATUS_NOT_APPLICABLE,
    STATUS_SHOWN,
    STATUS_SUPPRESSED,
    STATUS_ZERO,
    TOTAL,
    AppendixTable,
    Stacking,
)

if TYPE_CHECKING:  # scipy is imported where a program is solved: pages that only show figures skip it
    from concurrent.futures import Executor

    from scipy.sparse import csr_array

DEFAULT_THRESHOLD = 5
THRESHOLD_ATTR = "disclosure_threshold"  # key in ``table.data.attrs`` set by apply_disclosure
LINKED_MEASURES = (MEASURE_PERCENT, MEASURE_SHARE)
BUILDER_STATUSES = (STATUS_NOT_APPLICABLE, STATUS_MISSING, STATUS_SUPPRESSED)
ALL_STATUSES = (STATUS_SHOWN, STATUS_ZERO, STATUS_MISSING, STATUS_NOT_APPLICABLE, STATUS_SUPPRESSED)
HIDDEN_STATUSES = (STATUS_SUPPRESSED, STATUS_MISSING, STATUS_NOT_APPLICABLE)
VISIBLE_STATUSES = (STATUS_SHOWN, STATUS_ZERO)
RANK_TOLERANCE = 1e-9
MAX_CELLS_IN_MESSAGE = 5


@dataclass(frozen=True)
class Line:
    """Count cells that differ only in ``dim``: ``total`` (the "I alt" cell) = sum of ``parts``.

    Cells are row positions in the table's data.
    """

    dim: str
    total: int
    parts: tuple[int, ...]

    @property
    def members(self) -> tuple[int, ...]:
        return (self.total, *self.parts)


def apply_disclosure(table: AppendixTable, threshold: int = DEFAULT_THRESHOLD) -> AppendixTable:
    """A copy of ``table`` with a ``status`` column and suppressed values set to NaN.

    The table is protected as a release of its own (:func:`protect_release` of ``[table]``).

    Parameters
    ----------
    table : the table as built, optionally with a ``status`` column holding ``.`` (not
        applicable) or ``..`` (missing) set by the builder
    threshold : smallest count shown; counts from 1 to ``threshold - 1`` and derived figures
        with a smaller ``base`` are suppressed (see the module docstring)

    Returns
    -------
    AppendixTable
        The same table with ``data`` replaced; ``data.attrs["disclosure_threshold"]`` records
        the threshold for the publishing step.

    Raises
    ------
    ConfigError
        When ``threshold`` is not a positive integer.
    DisclosureError
        When the data cannot be judged: duplicate cells, unknown measures, negative counts,
        or a derived figure without its ``base``.
    """
    (protected,) = protect_release([table], threshold)
    return protected


def check_threshold(threshold: int) -> int:
    """Return ``threshold`` if it is a positive integer; raise :class:`ConfigError` otherwise."""
    if isinstance(threshold, bool) or not isinstance(threshold, int | np.integer) or threshold < 1:
        raise ConfigError(f"Disclosure threshold must be a positive integer, got {threshold!r}.")
    return int(threshold)


def prepare_data(table: AppendixTable) -> pd.DataFrame:
    """The table's data with a fresh index, float ``value``/``base`` and a clean ``status``."""
    data = table.data.copy().reset_index(drop=True)
    missing = [c for c in [*table.dims, "measure", "value"] if c not in data.columns]
    if missing:
        raise DisclosureError(
            f"Table {table.key}: column(s) {missing} missing from data; an AppendixTable needs its "
            f"dims {table.dims}, 'measure' and 'value'."
        )
    if "base" not in data.columns:
        data["base"] = np.nan
    data["value"] = pd.to_numeric(data["value"], errors="raise").astype("float64")
    data["base"] = pd.to_numeric(data["base"], errors="raise").astype("float64")
    given = data["status"] if "status" in data.columns else pd.Series(STATUS_SHOWN, index=data.index)
    data["status"] = clean_statuses(given)
    check_data(data, table)
    check_stacking(table)
    return data


def clean_statuses(statuses: pd.Series) -> pd.Series:
    """Status cells as stripped strings (object dtype); missing becomes shown (``""``)."""
    text = statuses.astype("object").where(statuses.notna(), STATUS_SHOWN)
    return text.map(lambda s: str(s).strip()).astype("object")


def check_data(data: pd.DataFrame, table: AppendixTable) -> None:
    """Raise :class:`DisclosureError` when the cells cannot be judged."""
    key = table.key
    bad = ~data["measure"].isin(MEASURES)
    if bad.any():
        raise DisclosureError(
            f"Table {key}: unknown measure(s) {sorted(map(str, data.loc[bad, 'measure'].unique()))} "
            f"in rows {rows_text(bad)}; known: {list(MEASURES)} (imdi_analysis.tables.MEASURES)."
        )
    bad = ~data["status"].isin(ALL_STATUSES)
    if bad.any():
        raise DisclosureError(
            f"Table {key}: column 'status' has unknown symbol(s) "
            f"{sorted(data.loc[bad, 'status'].unique())} in rows {rows_text(bad)}; a builder may set "
            f"'.' (not applicable) or '..' (missing)."
        )
    duplicated = data.duplicated([*table.dims, "measure"], keep=False)
    if duplicated.any():
        raise DisclosureError(
            f"Table {key}: the same cell (dims {table.dims} and measure) appears more than once, rows "
            f"{rows_text(duplicated)}. Each cell must be one row."
        )
    is_count = data["measure"] == MEASURE_COUNT
    negative = is_count & (data["value"] < 0)
    if negative.any():
        raise DisclosureError(
            f"Table {key}: negative counts in column 'value', rows {rows_text(negative)} "
            f"(values {data.loc[negative, 'value'].head(MAX_CELLS_IN_MESSAGE).tolist()})."
        )
    no_base = ~is_count & data["value"].notna() & data["base"].isna() & (data["status"] == STATUS_SHOWN)
    if no_base.any():
        raise DisclosureError(
            f"Table {key}: derived figures ({sorted(data.loc[no_base, 'measure'].unique())}) without "
            f"'base' in rows {rows_text(no_base)}. Set 'base' to the number of persons each figure is "
            "computed from, so that disclosure control can judge it."
        )


def rows_text(mask: pd.Series) -> str:
    """1-based row numbers of ``mask``, the first few."""
    rows = [int(i) + 1 for i in np.flatnonzero(mask.to_numpy())]
    more = f" … and {len(rows) - MAX_CELLS_IN_MESSAGE} more" if len(rows) > MAX_CELLS_IN_MESSAGE else ""
    return ", ".join(map(str, rows[:MAX_CELLS_IN_MESSAGE])) + more


def initial_status(data: pd.DataFrame, threshold: int) -> np.ndarray:
    """Steps 1 and 2: builder statuses kept, then nil, missing, not applicable and primary suppression."""
    given = data["status"].to_numpy(dtype=object)
    value = data["value"].to_numpy()
    base = data["base"].to_numpy()
    is_count = (data["measure"] == MEASURE_COUNT).to_numpy()
    status = np.where(np.isin(given, BUILDER_STATUSES), given, STATUS_SHOWN).astype(object)
    free = status == STATUS_SHOWN
    with np.errstate(invalid="ignore"):
        rules = [
            (is_count & np.isnan(value), STATUS_MISSING),
            (is_count & (value == 0), STATUS_ZERO),
            (is_count & (value > 0) & (value < threshold), STATUS_SUPPRESSED),
            (~is_count & (base == 0), STATUS_NOT_APPLICABLE),
            (~is_count & (base > 0) & (base < threshold), STATUS_SUPPRESSED),
            (~is_count & np.isnan(value), STATUS_MISSING),
        ]
    for mask, symbol in rules:
        hit = free & mask
        status[hit] = symbol
        free &= ~hit
    return status


def find_lines(data: pd.DataFrame, dims: Sequence[str]) -> list[Line]:
    """Every line of count cells: cells equal in all dimensions but one, with that one's total."""
    counts = np.flatnonzero((data["measure"] == MEASURE_COUNT).to_numpy())
    cells = data.iloc[counts][list(dims)].astype("object").reset_index(drop=True)
    lines: list[Line] = []
    for dim in dims:
        is_total = (cells[dim] == TOTAL).to_numpy()
        if not is_total.any():
            continue
        others = [d for d in dims if d != dim]
        groups = (
            cells.groupby(others, dropna=False, sort=False).indices.values()
            if others
            else [np.arange(len(cells))]
        )
        for positions in groups:
            totals = [p for p in positions if is_total[p]]
            parts = tuple(int(counts[p]) for p in positions if not is_total[p])
            if len(totals) == 1 and parts:
                lines.append(Line(dim, int(counts[totals[0]]), parts))
    return lines


def check_stacking(table: AppendixTable) -> None:
    """Raise :class:`DisclosureError` when the table's :class:`Stacking` names unknown dimensions."""
    stacking = table.stacking
    if stacking is None:
        return
    named = [stacking.by, stacking.within]
    if stacking.by == stacking.within or not set(named) <= set(table.dims):
        raise DisclosureError(
            f"Table {table.key}: stacking (by={stacking.by!r}, within={stacking.within!r}) must name "
            f"two different dimensions of the table, {table.dims}."
        )


def find_copies(data: pd.DataFrame, dims: Sequence[str], stacking: Stacking | None) -> list[tuple[int, ...]]:
    """Groups of cells that are one quantity: the "I alt" repeated in each stacked distribution.

    Cells whose ``stacking.within`` is the total and that differ only in ``stacking.by`` (same
    other categories, same measure) form a group. Cells are row positions in ``data``; groups of
    one cell are left out. Empty for a table without stacking.
    """
    if stacking is None or data.empty:
        return []
    is_total = (data[stacking.within].astype("object") == TOTAL).to_numpy()
    rows = np.flatnonzero(is_total)
    keys = [d for d in dims if d not in (stacking.by, stacking.within)] + ["measure"]
    cells = data.iloc[rows][keys].astype("object").reset_index(drop=True)
    groups = cells.groupby(keys, dropna=False, sort=False).indices.values()
    return [tuple(int(rows[p]) for p in positions) for positions in groups if len(positions) > 1]


def count_copies(data: pd.DataFrame, copies: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """The groups of ``copies`` that hold counts (the cells the lines are made of)."""
    measure = data["measure"].to_numpy()
    return [group for group in copies if measure[group[0]] == MEASURE_COUNT]


def check_copies(data: pd.DataFrame, table: AppendixTable, copies: list[tuple[int, ...]]) -> None:
    """Raise :class:`DisclosureError` when copies of one quantity hold different values."""
    value = data["value"].to_numpy()
    for group in copies:
        known = [c for c in group if not np.isnan(value[c])]
        if np.allclose(value[known], value[known[0]] if known else 0.0, rtol=1e-9, atol=1e-9):
            continue
        cells = "; ".join(
            f"{describe_cell(data, table.dims, c)} = {format_count(value[c])}"
            for c in known[:MAX_CELLS_IN_MESSAGE]
        )
        raise DisclosureError(
            f"Table {table.key}: the distributions stacked in {table.stacking.by!r} must share "
            f"one total, but their {TOTAL!r} cells differ: {cells}. Each distribution must "
            "count the same population."
        )


def share_status(status: np.ndarray, copies: list[tuple[int, ...]]) -> np.ndarray:
    """``status`` with every visible copy of a suppressed cell suppressed as well."""
    status = status.copy()
    for group in copies:
        members = list(group)
        if (status[members] == STATUS_SUPPRESSED).any():
            for cell in members:
                if status[cell] in VISIBLE_STATUSES:
                    status[cell] = STATUS_SUPPRESSED
    return status


def line_leak(line: Line, status: np.ndarray, value: np.ndarray, threshold: int = 0) -> str | None:
    """How ``line`` reveals a suppressed cell, or None.

    Uses only what a reader sees: statuses and visible values. ``"single"``: exactly one
    suppressed cell and nothing else unknown. ``"ones"``: the total is visible and the suppressed
    cells sum to their number, so each is 1. ``"narrow"`` (only with ``threshold``): the total is
    visible and what it leaves for the suppressed cells, less one for each of the others, is below
    ``threshold``, so each is known to hold 1 to ``threshold - 1``.
    """
    members = line.members
    symbols = status[list(members)]
    if STATUS_MISSING in symbols:
        return None  # a missing figure is a second unknown in the equation
    suppressed = [m for m, s in zip(members, symbols, strict=True) if s == STATUS_SUPPRESSED]
    if not suppressed:
        return None
    if len(suppressed) == 1:
        return "single"
    if status[line.total] == STATUS_SUPPRESSED:
        return None
    visible = sum(seen_value(p, status, value) for p in line.parts if status[p] != STATUS_SUPPRESSED)
    remainder = seen_value(line.total, status, value) - visible
    if abs(remainder - len(suppressed)) < RANK_TOLERANCE:
        return "ones"
    return "narrow" if threshold and remainder - (len(suppressed) - 1) < threshold else None


def seen_value(cell: int, status: np.ndarray, value: np.ndarray) -> float:
    """The value a reader sees in a visible count cell (0 for ``-`` and ``.``)."""
    if status[cell] in (STATUS_ZERO, STATUS_NOT_APPLICABLE):
        return 0.0
    return float(value[cell])


def total_counts(data: pd.DataFrame, dims: Sequence[str]) -> np.ndarray:
    """For each row, in how many dimensions it is the total category."""
    if not dims:
        return np.zeros(len(data), dtype=int)
    return (data[list(dims)].astype("object") == TOTAL).sum(axis=1).to_numpy()


def determined_cells(
    lines: list[Line], status: np.ndarray, copies: Sequence[tuple[int, ...]] = ()
) -> list[int]:
    """Suppressed cells that the line equations, taken together, determine exactly.

    The unknowns are the suppressed and missing cells; each line gives one linear equation in
    them, and each group of ``copies`` (cells that are one quantity) gives ``a - b = 0`` for its
    first cell ``a`` and every other ``b``. A cell is determined when its unit vector lies in the
    row space of the equations restricted to the unknowns, i.e. when every solution of the
    homogeneous system is 0 there.
    Solved per connected group of unknowns by reducing the equations to reduced row echelon
    form: the cell is determined when some reduced row is its unit vector.
    """
    unknown_status = (STATUS_SUPPRESSED, STATUS_MISSING)
    equations = []
    for line in lines:
        terms = {m: (1.0 if m == line.total else -1.0) for m in line.members if status[m] in unknown_status}
        if terms:
            equations.append(terms)
    for group in copies:
        first, *others = group
        for other in others:
            terms = {c: w for c, w in ((first, 1.0), (other, -1.0)) if status[c] in unknown_status}
            if terms:
                equations.append(terms)
    determined: list[int] = []
    for group in connected_groups(equations):
        if any(status[c] == STATUS_SUPPRESSED for terms in group for c in terms):
            determined += determined_in_group(group, status)
    return sorted(determined)


def connected_groups(equations: list[dict[int, float]]) -> list[list[dict[int, float]]]:
    """Equations grouped so that groups share no unknown (the union-find of
    :func:`~imdi_analysis.disclosure_gauss.connected_cells`), in order of first appearance."""
    component = {cell: i for i, group in enumerate(connected_cells(equations)) for cell in group}
    groups: dict[object, list[dict[int, float]]] = {}
    for terms in equations:
        first = next(iter(terms))
        groups.setdefault(component.get(first, ("alone", first)), []).append(terms)
    return list(groups.values())


def determined_in_group(equations: list[dict[int, float]], status: np.ndarray) -> list[int]:
    """Suppressed cells of one group of equations that the group determines."""
    cells = sorted({c for terms in equations for c in terms})
    column = {c: j for j, c in enumerate(cells)}
    matrix = np.zeros((len(equations), len(cells)))
    for i, terms in enumerate(equations):
        for cell, coefficient in terms.items():
            matrix[i, column[cell]] = coefficient
    solved = unit_rows(matrix)
    return [c for c in cells if status[c] == STATUS_SUPPRESSED and solved[column[c]]]


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """For each column j, whether the unit vector e_j lies in the row space of ``matrix``.

    In reduced row echelon form (:func:`~imdi_analysis.disclosure_gauss.reduced_row_echelon`)
    a unit vector is in the row space exactly when it is one of the rows.
    """
    work, pivots = reduced_row_echelon(matrix, RANK_TOLERANCE)
    solved = np.zeros(work.shape[1], dtype=bool)
    for r, col in enumerate(pivots):
        solved[col] = int((np.abs(work[r]) > RANK_TOLERANCE).sum()) == 1
    return solved


def link_shares(data: pd.DataFrame, status: np.ndarray, dims: Sequence[str]) -> np.ndarray:
    """Step 3: suppress a percentage or share whose count cell (same categories) or whose
    denominator (:func:`revealing_shares`) is suppressed."""
    status = status.copy()
    keys = [tuple(row) for row in data[list(dims)].astype("object").itertuples(index=False, name=None)]
    measure = data["measure"].to_numpy()
    suppressed_counts = {
        k
        for k, m, s in zip(keys, measure, status, strict=True)
        if m == MEASURE_COUNT and s == STATUS_SUPPRESSED
    }
    for i, (k, m) in enumerate(zip(keys, measure, strict=True)):
        if m in LINKED_MEASURES and k in suppressed_counts and status[i] not in HIDDEN_STATUSES:
            status[i] = STATUS_SUPPRESSED
    status[revealing_shares(data, status, dims)] = STATUS_SUPPRESSED
    return status


def revealing_shares(data: pd.DataFrame, status: np.ndarray, dims: Sequence[str]) -> list[int]:
    """Visible shares that give away a suppressed denominator; step 3 suppresses them.

    A share (or percentage) shown with its count reveals its base: ``base = count / share``. The
    base of a share of a total is a count cell of the table: the same categories with one
    dimension at "I alt". When such a cell is suppressed (e.g. a secondary suppression of a
    total) and no visible count cell of those candidates (or the share's own count) shows the
    base, the share reveals a hidden number. Derived figures without a ``base`` are skipped.
    """
    if "base" not in data.columns or not dims:
        return []
    keys = [tuple(row) for row in data[list(dims)].astype("object").itertuples(index=False, name=None)]
    measure = data["measure"].to_numpy()
    value = data["value"].to_numpy(dtype="float64")
    base = pd.to_numeric(data["base"], errors="coerce").to_numpy(dtype="float64")
    counts = {k: i for i, (k, m) in enumerate(zip(keys, measure, strict=True)) if m == MEASURE_COUNT}
    out = []
    for i, (key, m) in enumerate(zip(keys, measure, strict=True)):
        own = counts.get(key)
        if m not in LINKED_MEASURES or status[i] not in VISIBLE_STATUSES or not np.isfinite(base[i]):
            continue
        if own is None or status[own] not in VISIBLE_STATUSES or value[own] == 0:
            continue  # a zero count and a zero share say nothing about the base
        candidates = [own] + [
            counts[k]
            for j in range(len(dims))
            if key[j] != TOTAL and (k := (*key[:j], TOTAL, *key[j + 1 :])) in counts
        ]
        if not any(status[c] == STATUS_SUPPRESSED for c in candidates):
            continue
        if not any(status[c] in VISIBLE_STATUSES and value[c] == base[i] for c in candidates):
            out.append(i)
    return out


def finish_table(
    table: AppendixTable, data: pd.DataFrame, status: np.ndarray, threshold: int
) -> AppendixTable:
    """The disclosed table: ``status`` set, hidden values NaN, zeros 0, the threshold recorded."""
    out = data.copy()
    out["status"] = pd.Series(status, index=out.index, dtype="object").astype(str)
    hidden = np.isin(status, HIDDEN_STATUSES)
    out.loc[hidden, "value"] = np.nan
    out.loc[status == STATUS_ZERO, "value"] = 0.0
    out.attrs[THRESHOLD_ATTR] = threshold
    return dataclasses.replace(table, data=out, threshold=threshold)


def disclosure_threshold(table: AppendixTable) -> int | None:
    """The threshold :func:`apply_disclosure` used on ``table`` (None when it was not applied)."""
    if "status" not in table.data.columns:
        return None
    value = table.threshold if table.threshold is not None else table.data.attrs.get(THRESHOLD_ATTR)
    return int(value) if value is not None else None


def is_derivable(table: AppendixTable) -> list[str]:
    """Explanations of suppressed counts a reader can recover exactly from line totals.

    Uses only what is published: the ``status`` column and the visible values. Empty when the
    table is safe. Used by the publishing guard, the audit and the property tests.

    Raises
    ------
    DisclosureError
        When the table has no ``status`` column (disclosure control was not applied).
    """
    data = published_cells(table)
    check_stacking(table)
    status = data["status"].to_numpy(dtype=object)
    value = data["value"].to_numpy()
    lines = find_lines(data, table.dims)
    copies = find_copies(data, table.dims, table.stacking)
    messages: list[str] = []
    reported: set[int] = set()
    for group in copies:
        seen = [c for c in group if status[c] in VISIBLE_STATUSES]
        for cell in (c for c in group if status[c] == STATUS_SUPPRESSED and seen):
            reported.add(cell)
            messages.append(
                f"Table {table.key}: suppressed cell {describe_cell(data, table.dims, cell)} is the "
                f"same total as the visible cell {describe_cell(data, table.dims, seen[0])}: the "
                f"distributions stacked in {table.stacking.by!r} repeat their {TOTAL!r}, and a repeated "
                "total must be suppressed in every distribution or in none."
            )
    for line in lines:
        leak = line_leak(line, status, value)
        if leak is None:
            continue
        hidden = [m for m in line.members if status[m] == STATUS_SUPPRESSED]
        reported.update(hidden)
        messages.append(leak_message(table, data, line, hidden, leak))
    for cell in revealing_shares(data, status, table.dims):
        messages.append(
            f"Table {table.key}: the visible share {describe_cell(data, table.dims, cell)} and its visible "
            "count give away a suppressed denominator (count / share)."
        )
    repeated = " and the totals repeated in each stacked distribution" if copies else ""
    for cell in determined_cells(lines, status, count_copies(data, copies)):
        if cell not in reported:
            messages.append(
                f"Table {table.key}: suppressed cell {describe_cell(data, table.dims, cell)} can be "
                f"derived by combining several line totals (row and column equations{repeated}) with "
                "the visible cells."
            )
    return messages


def published_cells(table: AppendixTable) -> pd.DataFrame:
    """The table's data with a fresh index, float values and string statuses; requires ``status``."""
    if "status" not in table.data.columns:
        raise DisclosureError(
            f"Table {table.key} has no 'status' column: run imdi_analysis.disclosure.apply_disclosure "
            "on it before checking or publishing it."
        )
    data = table.data.reset_index(drop=True).copy()
    data["value"] = pd.to_numeric(data["value"], errors="coerce").astype("float64")
    data["status"] = clean_statuses(data["status"])
    return data


def leak_message(table: AppendixTable, data: pd.DataFrame, line: Line, hidden: list[int], leak: str) -> str:
    """An English explanation of how ``line`` reveals its suppressed cells."""
    total = describe_cell(data, table.dims, line.total)
    if leak == "single":
        return (
            f"Table {table.key}: suppressed cell {describe_cell(data, table.dims, hidden[0])} can be "
            f"derived from the line along {line.dim!r}: total {total} minus the visible cells."
        )
    cells = "; ".join(describe_cell(data, table.dims, c) for c in hidden[:MAX_CELLS_IN_MESSAGE])
    return (
        f"Table {table.key}: the {len(hidden)} suppressed cells of the line along {line.dim!r} "
        f"(total {total}) sum to {len(hidden)}, so each is 1: {cells}."
    )


def describe_cell(data: pd.DataFrame, dims: Sequence[str], cell: int) -> str:
    """``(sex=Kvinner, age=I alt; row 7)`` for messages."""
    parts = ", ".join(f"{d}={data.iloc[cell][d]}" for d in dims)
    return f"({parts}; row {cell + 1})"


def small_visible_counts(table: AppendixTable, threshold: int) -> list[str]:
    """Explanations of visible counts in ``(0, threshold)``."""
    data = published_cells(table)
    shown = (data["measure"] == MEASURE_COUNT) & (data["status"] == STATUS_SHOWN)
    small = shown & (data["value"] > 0) & (data["value"] < threshold)
    return [
        f"Table {table.key}: count {format_count(data.at[i, 'value'])} in cell "
        f"{describe_cell(data, table.dims, i)} is below the threshold {threshold} and visible."
        for i in np.flatnonzero(small.to_numpy())
    ]


def format_count(value: float) -> str:
    """A count for messages: ``3`` rather than ``3.0``."""
    return str(int(value)) if float(value).is_integer() else str(value)


def disclosure_problems(table: AppendixTable, threshold: int) -> list[str]:
    """Every reason ``table`` is unsafe to publish at ``threshold``: small counts and derivable cells."""
    return small_visible_counts(table, threshold) + is_derivable(table)


__all__ = [
    "DEFAULT_THRESHOLD",
    "Line",
    "apply_disclosure",
    "disclosure_problems",
    "disclosure_threshold",
    "find_copies",
    "find_lines",
    "is_derivable",
    "protect_release",
    "small_visible_counts",
]


# --- Indicator tables ---------------------------------------------------------------------------
# Indicator frames (imdi_analysis.indicators) hold one row per breakdown cell with the counts
# behind each figure. Before a reader sees them, rows resting on few persons are hidden (primary),
# and further rows are hidden so that no hidden row can be recovered from its line total
# (secondary), with the same threshold as the appendix tables.

INDICATOR_BREAKDOWNS = ("sex", "county", "category", "household_type", "language", "qualification_category")
INDICATOR_KEYS = ("indicator_id", "year", "period")
INDICATOR_HIDDEN_COLUMNS = ("numerator", "denominator", "value", "ci_lower", "ci_upper", "change")
PERSON_UNITS = ("share", "months", "count")
NA_LABEL = "\x00NA"  # stands for a missing breakdown label while grouping (never shown)


def disclose_indicators(
    frame: pd.DataFrame,
    threshold: int = DEFAULT_THRESHOLD,
    forced: np.ndarray | None = None,
    known: tuple[np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Indicator rows with a ``status`` column; figures of rows resting on few persons hidden.

    Primary rule: a row is hidden when its numerator or denominator counts 1 to ``threshold - 1``
    persons, or (for shares) when the persons outside the numerator do. Means (months) and
    counts are hidden when their count of persons is that small. Secondary rule
    (:func:`indicator_secondary`): in every line of rows that differ in one breakdown only and
    include that breakdown's "I alt" row, further rows are hidden until no hidden row can be
    recovered by subtraction, alone or with other lines, nor be known to hold 1 to
    ``threshold - 1`` persons. Breakdown columns holding NA (an indicator without that breakdown)
    are matched as NA, so every line of the real frame is seen. Hidden rows keep their breakdown
    labels; their numerator, denominator, value, interval (``ci_lower``, ``ci_upper``) and
    ``change`` become missing and their status is ``:``. A visible row's ``change`` is also
    removed when the previous year's row of the frame is hidden (value − change would give it
    back). A hidden row's numerator of exactly 0 stays shown: it counts no person, and a reader
    gets it anyway when the line's total numerator is 0 (as a zero count is shown as ``-`` in the
    appendix). Rows and order are unchanged. ``forced`` (one flag per row) hides further rows
    before the secondary rule, e.g. rows that rest on a cell the appendix hides
    (:func:`imdi_analysis.links.linked_hidden`). ``known`` (numerators, persons: one flag per
    row each) marks figures a reader has from elsewhere (the appendix shows them,
    :func:`imdi_analysis.links.linked_shown`): hiding such a row does not hide them, so it
    protects no other row, and a hidden row keeps showing them (like a numerator of 0).
    """
    threshold = check_threshold(threshold)
    out = frame.copy()
    hidden = indicator_primary(out, threshold)
    if forced is not None:
        hidden = hidden | np.asarray(forced, dtype=bool)
    hidden = indicator_secondary(out, hidden, threshold, known)
    hide_revealing_changes(out, hidden)
    out["status"] = np.where(hidden, STATUS_SUPPRESSED, "")
    nil = hidden & (pd.to_numeric(out["numerator"], errors="coerce").to_numpy(dtype=float) == 0)
    known_numerator, known_persons = known if known is not None else (np.zeros(len(out), dtype=bool),) * 2
    kept = {"numerator": nil | (hidden & known_numerator), "denominator": hidden & known_persons}
    for column in INDICATOR_HIDDEN_COLUMNS:
        if column in out.columns:
            out.loc[hidden & ~kept.get(column, np.zeros(len(out), dtype=bool)), column] = np.nan
    out.attrs[THRESHOLD_ATTR] = threshold
    return out


def hide_revealing_changes(frame: pd.DataFrame, hidden: np.ndarray) -> None:
    """Set ``change`` to NaN in place where the same row one year earlier is hidden in ``frame``."""
    if "change" not in frame.columns or "year" not in frame.columns:
        return
    dims = [d for d in INDICATOR_BREAKDOWNS if d in frame.columns]
    keys = [k for k in ("indicator_id", "period") if k in frame.columns] + dims
    labels = frame[keys].reset_index(drop=True).astype("object")
    labels = labels.where(labels.notna(), NA_LABEL)
    year = pd.to_numeric(frame["year"], errors="coerce").to_numpy()
    rows = [(*r, y) for r, y in zip(labels.itertuples(index=False, name=None), year, strict=True)]
    hidden_rows = {row for row, h in zip(rows, hidden, strict=True) if h}
    reveal = np.array([(*row[:-1], row[-1] - 1) in hidden_rows for row in rows], dtype=bool)
    frame.loc[reveal & ~hidden, "change"] = np.nan


def indicator_primary(frame: pd.DataFrame, threshold: int) -> np.ndarray:
    """Rows whose persons (numerator, denominator or the complement of a share) are few."""
    numerator = pd.to_numeric(frame["numerator"], errors="coerce").to_numpy(dtype=float)
    denominator = pd.to_numeric(frame["denominator"], errors="coerce").to_numpy(dtype=float)
    unit = frame["unit"].astype(str).to_numpy()

    def small(values: np.ndarray) -> np.ndarray:
        return (values > 0) & (values < threshold)

    hidden = small(numerator)
    persons_below = np.isin(unit, PERSON_UNITS)
    hidden |= persons_below & small(denominator)
    hidden |= (unit == "share") & small(denominator - numerator)
    return hidden


def indicator_secondary(
    frame: pd.DataFrame,
    hidden: np.ndarray,
    threshold: int = DEFAULT_THRESHOLD,
    known: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Hide further rows until no hidden row can be recovered from its lines.

    A line is the rows of one indicator, year and period that differ in one breakdown only, with
    that breakdown's "I alt" row as total (:func:`indicator_lines`; breakdowns an indicator does
    not have are NA and are matched as such, never dropped). A line leaks when exactly one of its
    rows is hidden (subtraction), or when its hidden rows' persons, read off the total, are so few
    that each hidden row is known to hold 1 to ``threshold - 1`` persons. Rows that several lines
    determine together (crossed breakdowns) are found as in the appendix tables
    (:func:`determined_cells`). The numerators are checked the same way
    (:func:`numerator_leaks`). Each leak hides the visible row of the line with the fewest
    persons (its total when no such row is left); this repeats until nothing leaks.
    """
    status = np.where(hidden, STATUS_SUPPRESSED, STATUS_SHOWN).astype(object)
    persons = indicator_persons(frame)
    numerator = pd.to_numeric(frame["numerator"], errors="coerce").to_numpy(dtype=float)
    known_numerator, known_persons = known if known is not None else (np.zeros(len(frame), dtype=bool),) * 2
    lines = indicator_lines(frame)
    # a row whose figure the reader has anyway is no partner: its "persons" are 0 for the choice
    partner_persons = np.where(known_persons, 0.0, persons)
    partner_numerator = np.where((numerator > 0) & ~known_numerator, partner_persons, 0.0)
    while True:
        changed = False
        for line in lines:
            if indicator_line_leaks(line, status, persons, threshold, known_persons):
                changed |= hide_partner(line, status, partner_persons, known_persons)
            elif numerator_leaks(line, status, numerator, known_numerator):
                changed |= hide_partner(line, status, partner_numerator, known_persons | known_numerator)
        if changed:
            continue
        determined = determined_cells(lines, status)
        for cell in determined:
            for line in (line for line in lines if cell in line.members):
                if hide_partner(line, status, partner_persons, known_persons):
                    changed = True
                    break
        if not changed:
            return status == STATUS_SUPPRESSED


def indicator_persons(frame: pd.DataFrame) -> np.ndarray:
    """Persons behind each row: the denominator, or the numerator where there is none (counts)."""
    denominator = pd.to_numeric(frame["denominator"], errors="coerce").fillna(0).to_numpy(dtype=float)
    numerator = pd.to_numeric(frame["numerator"], errors="coerce").fillna(0).to_numpy(dtype=float)
    return np.where(denominator > 0, denominator, numerator)


def indicator_lines(frame: pd.DataFrame) -> list[Line]:
    """Lines of indicator rows: equal in every key and breakdown but one, with that one's "I alt".

    Missing breakdown labels (the indicator has no such breakdown) become an explicit marker
    before grouping: pandas drops NaN group keys, and ``astype(str)`` keeps NaN in pandas 3.
    """
    dims = [d for d in INDICATOR_BREAKDOWNS if d in frame.columns]
    keys = [k for k in INDICATOR_KEYS if k in frame.columns]
    labels = frame[keys + dims].reset_index(drop=True).astype("object")
    labels = labels.where(labels.notna(), NA_LABEL)
    lines: list[Line] = []
    for dim in dims:
        present = (labels[dim] != NA_LABEL).to_numpy()
        others = [c for c in labels.columns if c != dim]
        groups = labels[present].groupby(others, dropna=False, sort=False).indices if others else {}
        for positions in groups.values():
            rows = np.flatnonzero(present)[positions]
            is_total = labels[dim].to_numpy()[rows] == TOTAL
            if is_total.sum() == 1 and (~is_total).sum() >= 1:
                lines.append(Line(dim, int(rows[is_total][0]), tuple(int(r) for r in rows[~is_total])))
    return lines


def indicator_line_leaks(
    line: Line, status: np.ndarray, persons: np.ndarray, threshold: int, known: np.ndarray | None = None
) -> bool:
    """Whether ``line`` gives a hidden row away (see :func:`indicator_secondary`); rows in
    ``known`` have their persons shown elsewhere, hidden or not."""

    def unknown(m: int) -> bool:
        return status[m] == STATUS_SUPPRESSED and not (known is not None and known[m])

    hidden = [m for m in line.members if unknown(m)]
    if len(hidden) == 1:
        return True
    if not hidden or unknown(line.total):
        return False
    remainder = persons[line.total] - sum(persons[p] for p in line.parts if not unknown(p))
    # every hidden row holds at least one person, so each holds at most remainder - (hidden - 1)
    return 0 < remainder - (len(hidden) - 1) < threshold


def numerator_leaks(
    line: Line, status: np.ndarray, numerator: np.ndarray, known: np.ndarray | None = None
) -> bool:
    """Whether the numerators of ``line`` give one hidden row's numerator away.

    A hidden row whose numerator is 0 still shows it (see :func:`disclose_indicators`), so in
    the numerators' line it is known: a line with one other hidden row leaks that row's
    numerator by subtraction, although two of its rows are hidden.
    """
    values = numerator[list(line.members)]
    if np.isnan(values).any():
        return False  # an indicator without a numerator publishes none
    unknown = [
        m
        for m in line.members
        if status[m] == STATUS_SUPPRESSED and numerator[m] != 0 and not (known is not None and known[m])
    ]
    return len(unknown) == 1


def hide_partner(
    line: Line, status: np.ndarray, persons: np.ndarray, known: np.ndarray | None = None
) -> bool:
    """Hide the visible row of ``line`` with the fewest persons (>0), else its total; False if none.

    A total in ``known`` (its figures are shown elsewhere) is no partner either."""
    parts = [p for p in line.parts if status[p] != STATUS_SUPPRESSED and persons[p] > 0]
    if parts:
        status[min(parts, key=lambda p: (persons[p], p))] = STATUS_SUPPRESSED
        return True
    if status[line.total] != STATUS_SUPPRESSED and not (known is not None and known[line.total]):
        status[line.total] = STATUS_SUPPRESSED
        return True
    return False


# --- Linked tables: one disclosure over every table of a report ---------------------------------
# Cells are (table, row) pairs: the table's position in the release and the row's position in its
# data. Every loop below runs over sorted lists, so the pattern never depends on set order.

Cell = tuple[int, int]
SIBLING_KEY = re.compile(r"^(\d+)")
SHARE_SCALE = {MEASURE_SHARE: 1.0, MEASURE_PERCENT: 100.0}
SHARE_TOLERANCE = 1e-6  # relative: a share links to a count when count = share × base to this precision
UNBOUNDED = 1e12  # an LP maximum at or beyond this is "no upper bound"
CYCLE_TOLERANCE = 1e-7  # a count that the protecting direction moves by more than this is suppressed


@dataclass(frozen=True)
class ShareLink:
    """A published share or percentage and the counts it is computed from: share × base = count.

    ``count`` and ``base`` are count cells of the same table or of a sibling table (same table
    number, e.g. 11A for a share in 11B); ``base`` is None when no published count is the base.
    """

    share: Cell
    count: Cell | None
    base: Cell | None
    scale: float


@dataclass
class Release:
    """Every table of one report (year and period) as disclosure control sees it."""

    tables: list[AppendixTable]
    data: list[pd.DataFrame]  # prepared data (true values)
    lines: list[list[Line]]  # per table
    copies: list[tuple[Cell, ...]]  # cells that are one quantity: stacked totals and sibling copies
    shares: list[ShareLink]
    groups: dict[Cell, list[Cell]] = dataclasses.field(default_factory=dict)  # see line_groups
    values: list[np.ndarray] = dataclasses.field(default_factory=list)  # data[t]["value"] as floats
    line_index: dict[Cell, list[int]] = dataclasses.field(default_factory=dict)  # see lines_with
    cycles: dict[tuple[Cell, ...], CycleStructure] = dataclasses.field(default_factory=dict)  # cycle_partners

    def __post_init__(self) -> None:
        if not self.values:  # read once: the interval checks look up single values many times
            self.values = [d["value"].to_numpy(dtype=float, na_value=np.nan) for d in self.data]

    @classmethod
    def create(cls, tables: Sequence[AppendixTable]) -> Release:
        tables = [dataclasses.replace(t, data=t.data.reset_index(drop=True)) for t in tables]
        data = [prepare_data(t) for t in tables]
        lines = [find_lines(d, t.dims) if t.supported else [] for d, t in zip(data, tables, strict=True)]
        copies = [
            tuple((i, c) for c in group)
            for i, (d, t) in enumerate(zip(data, tables, strict=True))
            for group in count_copies(d, find_copies(d, t.dims, t.stacking))
        ]
        return cls(tables, data, lines, copies + sibling_copies(tables, data), find_share_links(tables, data))


def protect_release(
    tables: Sequence[AppendixTable], threshold: int = DEFAULT_THRESHOLD, executor: Executor | None = None
) -> list[AppendixTable]:
    """Disclosure control over every table of one report, with linked cells protected together.

    Primary suppression per table, then secondary suppression over all count cells of the
    release at once by Gaussian elimination (:class:`GaussStep`); then the links between tables
    are applied (:func:`linked_suppressions`) and every hidden count is checked against all
    published relations at once (:func:`interval_suppressions`). Cells those steps add are
    protected like primary suppressions and the elimination runs again, until nothing changes
    (see "Linked tables" in the module docstring).

    Parameters
    ----------
    tables : the tables of one report as built (all of one ``year`` and ``period``)
    threshold : as in :func:`apply_disclosure`
    executor : a pool of worker processes: the groups of tables that share no relation
        (:func:`release_parts`) are then protected side by side, largest first. The result does
        not depend on it.

    Returns
    -------
    list of AppendixTable
        The disclosed tables, in the order given.

    Raises
    ------
    ConfigError, DisclosureError
        As :func:`apply_disclosure`; also when tables of several reports are mixed, or when a
        hidden cell cannot be protected.
    """
    threshold = check_threshold(threshold)
    check_one_report(tables)
    release = Release.create(tables)
    parts = release_parts(release)
    if executor is None or len(parts) < 2:
        return protect_linked(release, threshold)
    parts.sort(key=lambda part: (-sum(len(release.data[i]) for i in part), part))  # largest first
    futures = [(part, executor.submit(protect_part, [tables[i] for i in part], threshold)) for part in parts]
    protected = {i: table for part, future in futures for i, table in zip(part, future.result(), strict=True)}
    return [protected[i] for i in range(len(tables))]  # every table is in exactly one part


def release_parts(release: Release) -> list[list[int]]:
    """The tables of ``release`` in groups that share no relation with any table outside the group.

    Lines stay within a table; copies (stacked totals, sibling tables) and share links are the
    relations between tables. Each group, in table order, is protected as a release of its own by
    :func:`protect_part`: every round of :func:`protect_linked` adds cells only where a relation
    failed, and the elimination, the links and the interval check each work per connected group
    of relations, so a group's pattern is the one it gets in the whole release
    (``tests/consistency/test_release.py`` compares both).
    """
    parent = list(range(len(release.tables)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for group in release.copies:
        for t, _ in group[1:]:
            parent[root(t)] = root(group[0][0])
    for link in release.shares:
        for cell in (link.count, link.base):
            if cell is not None:
                parent[root(cell[0])] = root(link.share[0])
    parts: dict[int, list[int]] = {}
    for i in range(len(release.tables)):
        parts.setdefault(root(i), []).append(i)
    return list(parts.values())


def protect_part(tables: Sequence[AppendixTable], threshold: int) -> list[AppendixTable]:
    """:func:`protect_linked` of the release of ``tables`` (one group of :func:`release_parts`),
    run in a worker process."""
    return protect_linked(Release.create(tables), threshold)


def protect_linked(release: Release, threshold: int) -> list[AppendixTable]:
    """The rounds of :func:`protect_release` over ``release``: elimination, links, interval check."""
    wanted = [primary_status(release, i, threshold) for i in range(len(release.tables))]
    gauss = GaussStep.create(release, wanted, threshold)
    cache: dict = {}
    links: dict[tuple, np.ndarray] = {}
    while True:
        status = gauss.run(wanted)
        status = [cached_links(release, i, st, links) for i, st in enumerate(status)]
        new = linked_suppressions(release, status)
        if not new:
            new = interval_suppressions(release, status, threshold, cache)
        new = sorted((t, r) for t, r in new if wanted[t][r] in VISIBLE_STATUSES)
        if not new:
            break
        for t, r in new:
            wanted[t][r] = STATUS_SUPPRESSED
    return [
        finish_table(table, data, st, threshold)
        for table, data, st in zip(release.tables, release.data, status, strict=True)
    ]


def primary_status(release: Release, table: int, threshold: int) -> np.ndarray:
    """Steps 1 and 2 of :func:`apply_disclosure` for one table of ``release``, copies shared."""
    data, spec = release.data[table], release.tables[table]
    copies = find_copies(data, spec.dims, spec.stacking)
    check_copies(data, spec, copies)
    return share_status(initial_status(data, threshold), copies)


def cached_links(release: Release, table: int, status: np.ndarray, cache: dict) -> np.ndarray:
    """:func:`table_links`, remembered per table and status (most tables do not change in a round)."""
    key = (table, tuple(status))
    if key not in cache:
        cache[key] = table_links(release, table, status)
    return cache[key].copy()


def table_links(release: Release, table: int, status: np.ndarray) -> np.ndarray:
    """Step 3 of :func:`apply_disclosure` for one table: shares of hidden counts, copies shared."""
    data, spec = release.data[table], release.tables[table]
    status = link_shares(data, status, spec.dims)
    return share_status(status, find_copies(data, spec.dims, spec.stacking))


@dataclass
class GaussStep:
    """Step 4 over the whole release: hide the counts :func:`secondary_cells` picks.

    Unknowns are every count cell but the not applicable ones (``.``, a known 0); the equations
    are every line of every table and every pair of copies. Suppressed counts are protected;
    missing ones (``..``) are unknowns never published. Candidates are the visible counts, zeros
    first (a ``-`` is hidden only when showing it would give a suppressed cell away), then the
    larger value first, then the cell that is a total in more dimensions, then table key and
    categories (so that the pattern does not depend on row order). Set up once per release
    (:meth:`create`); :meth:`run` is called again whenever the protected cells grow, and solves
    again only the groups of equations whose protected cells changed.
    """

    counts: list[Cell]
    equations: list[dict[Cell, float]]
    keys: list[list[tuple]]
    veto: Veto
    cache: dict

    @classmethod
    def create(cls, release: Release, status: list[np.ndarray], threshold: int) -> GaussStep:
        counts = [
            (t, int(r))
            for t, data in enumerate(release.data)
            for r in np.flatnonzero((data["measure"] == MEASURE_COUNT).to_numpy())
            if status[t][r] != STATUS_NOT_APPLICABLE
        ]
        unknown = set(counts)
        equations: list[dict[Cell, float]] = []
        for t, lines in enumerate(release.lines):
            for line in lines:
                terms = {
                    (t, m): (1.0 if m == line.total else -1.0) for m in line.members if (t, m) in unknown
                }
                if terms:
                    equations.append(terms)
        for group in release.copies:
            for other in group[1:]:
                if group[0] in unknown and other in unknown:
                    equations.append({group[0]: 1.0, other: -1.0})
        veto = narrow_line_veto(release, unknown, status, threshold)
        return cls(counts, equations, preference_keys(release, status), veto, {})

    def run(self, status: list[np.ndarray]) -> list[np.ndarray]:
        """``status`` with the secondary suppressions of the counts added."""
        protected = [c for c in self.counts if status[c[0]][c[1]] == STATUS_SUPPRESSED]
        candidates = sorted(
            (c for c in self.counts if status[c[0]][c[1]] in VISIBLE_STATUSES),
            key=lambda c: self.keys[c[0]][c[1]],
        )
        status = [st.copy() for st in status]
        for t, r in secondary_cells(self.equations, protected, candidates, self.veto, self.cache):
            status[t][r] = STATUS_SUPPRESSED
        return status


def narrow_line_veto(release: Release, unknown: set[Cell], status: list[np.ndarray], threshold: int):
    """A veto for :func:`secondary_cells`: showing the last undecided cell of a line would leave
    its hidden parts so few persons, read off its visible total, that each non-zero one is known
    to hold 1 … ``threshold - 1`` (as :func:`line_leak` ``"narrow"``). Lines with a missing
    figure are skipped (a second unknown)."""
    values = [d["value"].to_numpy() for d in release.data]
    lines_of: dict[Cell, list[tuple[int, Line]]] = {}
    for t, lines in enumerate(release.lines):
        for line in lines:
            for m in line.members:
                lines_of.setdefault((t, m), []).append((t, line))

    def veto(cell: Cell, published: set, pending: set) -> bool:
        for t, line in lines_of.get(cell, ()):
            members = [(t, m) for m in line.members]
            if any(m in pending for m in members) or any(
                status[t][m] == STATUS_MISSING for m in line.members
            ):
                continue  # still undecided cells in the line, or a second unknown
            hidden = [m for m in members if m != cell and m in unknown and m not in published]
            if not hidden or (t, line.total) in hidden:
                continue
            held = [float(values[t][m]) for _, m in hidden]
            nonzero = sum(v > 0 for v in held)
            if nonzero and sum(held) - (nonzero - 1) < threshold:
                return True
        return False

    return veto


def preference_keys(release: Release, status: list[np.ndarray]) -> list[list[tuple]]:
    """Per table and row, the sort key of a count to publish (smaller is published first): zeros,
    then larger values, then totals in more dimensions, then table key and categories."""
    out = []
    for data, table, st in zip(release.data, release.tables, status, strict=True):
        value = data["value"].to_numpy()
        totals = total_counts(data, table.dims)
        dims = sorted(table.dims)
        labels = data[dims].astype(str).to_numpy() if dims else np.empty((len(data), 0), dtype=object)
        out.append(
            [
                (
                    st[r] != STATUS_ZERO,
                    0.0 if st[r] == STATUS_ZERO or np.isnan(value[r]) else -float(value[r]),
                    -int(totals[r]),
                    table.key,
                    tuple(labels[r]),
                )
                for r in range(len(data))
            ]
        )
    return out


def check_one_report(tables: Sequence[AppendixTable]) -> None:
    """Raise :class:`DisclosureError` when the tables are not all of one year and period."""
    reports = sorted({(t.year, t.period) for t in tables})
    if len(reports) > 1:
        raise DisclosureError(
            f"protect_release got tables of several reports {reports}; protect each report's tables "
            "together, one report at a time."
        )
    keys = [t.key for t in tables]
    if len(set(keys)) != len(keys):
        raise DisclosureError(f"protect_release got table keys more than once: {sorted(keys)}.")


def sibling_groups(tables: Sequence[AppendixTable]) -> list[list[int]]:
    """Positions of tables sharing a table number (``11A`` and ``11B``), groups of two or more."""
    groups: dict[str, list[int]] = {}
    for i, table in enumerate(tables):
        match = SIBLING_KEY.match(table.key)
        if match and table.supported:
            groups.setdefault(match.group(1), []).append(i)
    return [members for _, members in sorted(groups.items()) if len(members) > 1]


def cell_keys(data: pd.DataFrame, dims: Sequence[str]) -> list[tuple]:
    """Each row's categories, as a tuple in ``dims`` order."""
    return [tuple(row) for row in data[list(dims)].astype("object").itertuples(index=False, name=None)]


def count_index(data: pd.DataFrame, dims: Sequence[str]) -> dict[tuple, int]:
    """Categories -> row of the count cell."""
    measure = data["measure"].to_numpy()
    return {
        k: r
        for r, (k, m) in enumerate(zip(cell_keys(data, dims), measure, strict=True))
        if m == MEASURE_COUNT
    }


def sibling_copies(tables: Sequence[AppendixTable], data: Sequence[pd.DataFrame]) -> list[tuple[Cell, ...]]:
    """Count cells that are the same quantity in two sibling tables.

    Two sibling tables with the same dimensions count the same population when every count cell
    they both have (same categories) holds the same value; each such pair of cells is then one
    quantity. Tables that differ in any common cell are different populations and are not linked.
    """
    out: list[tuple[Cell, ...]] = []
    for group in sibling_groups(tables):
        for a_pos, a in enumerate(group):
            for b in group[a_pos + 1 :]:
                if sorted(tables[a].dims) != sorted(tables[b].dims):
                    continue
                dims = sorted(tables[a].dims)
                ca, cb = count_index(data[a], dims), count_index(data[b], dims)
                common = sorted(set(ca) & set(cb), key=str)
                va, vb = data[a]["value"].to_numpy(), data[b]["value"].to_numpy()
                same = [k for k in common if np.isclose(va[ca[k]], vb[cb[k]], equal_nan=True)]
                if common and len(same) == len(common):
                    out += [((a, ca[k]), (b, cb[k])) for k in common]
    return out


def find_share_links(tables: Sequence[AppendixTable], data: Sequence[pd.DataFrame]) -> list[ShareLink]:
    """Every share or percentage with its count and base cells, in its table or a sibling table.

    The count is the count cell with the same categories; the base is the count cell with the same
    categories but one dimension at "I alt" whose value equals the share's ``base`` (or the count
    itself, for a share of a total). The share's own table is searched first, then siblings with
    the same dimensions, where the count must equal share × base (so that a sibling counting
    another population is never taken for the share's count).
    """
    siblings = {i: [i] for i in range(len(tables))}
    for group in sibling_groups(tables):
        for i in group:
            siblings[i] = [i] + [
                j for j in group if j != i and sorted(tables[j].dims) == sorted(tables[i].dims)
            ]
    links: list[ShareLink] = []
    for i, (table, frame) in enumerate(zip(tables, data, strict=True)):
        if not table.supported or frame.empty:
            continue
        dims = sorted(table.dims)
        measure = frame["measure"].to_numpy()
        value, base = frame["value"].to_numpy(), frame["base"].to_numpy()
        keys = cell_keys(frame, dims)
        indexes = [(j, count_index(data[j], dims), data[j]["value"].to_numpy()) for j in siblings[i]]
        for r in np.flatnonzero(np.isin(measure, LINKED_MEASURES) & np.isfinite(base)):
            scale = SHARE_SCALE[measure[r]]
            count = share_count(
                keys[r], indexes, i, value[r] / scale * base[r] if np.isfinite(value[r]) else None
            )
            links.append(ShareLink((i, int(r)), count, share_base(keys[r], indexes, base[r], count), scale))
    return links


def share_count(key: tuple, indexes: list, own: int, expected: float | None) -> Cell | None:
    """The count cell of a share: same categories, in its own table or a sibling holding share × base."""
    for j, index, value in indexes:
        row = index.get(key)
        if row is None:
            continue
        if j == own or (
            expected is not None and abs(value[row] - expected) <= SHARE_TOLERANCE * max(1.0, expected)
        ):
            return (j, row)
    return None


def share_base(key: tuple, indexes: list, base: float, count: Cell | None) -> Cell | None:
    """The published count cell equal to a share's base: its categories with one dimension at "I alt"."""
    tables = [count[0]] if count is not None else [j for j, _, _ in indexes]
    for j, index, value in indexes:
        if j not in tables:
            continue
        candidates = [key] + [(*key[:d], TOTAL, *key[d + 1 :]) for d in range(len(key)) if key[d] != TOTAL]
        for k in candidates:
            row = index.get(k)
            if row is not None and value[row] == base:
                return (j, row)
    return None


def linked_suppressions(release: Release, status: list[np.ndarray]) -> set[Cell]:
    """Visible cells that give a hidden linked cell away; they must be suppressed.

    A visible copy of a suppressed cell; a visible share whose count is suppressed (share × base
    is the count, or the count is the share's numerator); a visible share whose count is visible
    and not 0 while its base is suppressed (count / share is the base).
    """
    out: set[Cell] = set()
    for group in release.copies:
        if any(status[t][r] == STATUS_SUPPRESSED for t, r in group):
            out.update((t, r) for t, r in group if status[t][r] in VISIBLE_STATUSES)
    for link in release.shares:
        t, r = link.share
        if status[t][r] not in VISIBLE_STATUSES:
            continue
        count = None if link.count is None else status[link.count[0]][link.count[1]]
        base = None if link.base is None else status[link.base[0]][link.base[1]]
        if count == STATUS_SUPPRESSED or (count == STATUS_SHOWN and base == STATUS_SUPPRESSED):
            out.add(link.share)
    return out


def interval_suppressions(
    release: Release, status: list[np.ndarray], threshold: int, cache: dict | None = None
) -> set[Cell]:
    """Partners for hidden counts that the published relations pin down too closely.

    The relations are every line of every table (total = sum of parts), every pair of copies
    (``a = b``) and every visible share with its count and base (``count = share × base``), with
    the visible cells as constants (:func:`published_equations`). For each suppressed count the
    linear program of its connected group of relations gives its largest possible value
    (:func:`imdi_analysis.highs.linprog`, HiGHS); the count fails when the relations determine it exactly
    (its unit vector lies in their row space) or when it must lie in ``1 … threshold - 1``
    (largest value below the threshold, the smallest being at least 1 for a non-zero count: a
    reader knows zeros are shown as ``-``). Partners are returned for each failing cell whose
    lines got none yet this round: the visible counts of the cheapest direction that raises it
    past the threshold (:func:`cycle_partners`), or when there is none one count of its lines
    (:func:`interval_partner`). ``cache`` keeps the results of groups that did not change.
    """
    cache = {} if cache is None else cache
    equations = published_equations(release, status)
    rhs = {id(terms): b for terms, b in equations}
    out: set[Cell] = set()
    touched: set[Cell] = set()
    for group in connected_groups([terms for terms, _ in equations]):
        group_eqs = [(terms, rhs[id(terms)]) for terms in group]
        for cell, largest in failing_cells(release, status, group_eqs, threshold, cache):
            own = lines_with(release, [cell])
            lines = binding_lines(release, status, own, threshold) or own
            if touched.intersection((t, m) for t, line in lines for m in line.members):
                continue  # a partner was just added in one of these lines: check again first
            cycle = cycle_partners(release, status, cell, threshold)
            if cycle:
                out.update(cycle)
                touched.update((t, m) for t, line in lines for m in line.members)
                continue
            partner = interval_partner(release, status, lines, cell, largest, threshold)
            if partner is None:  # its lines are hidden: widen to the lines of the whole group
                lines = lines_with(release, sorted({c for terms in group for c in terms}))
                partner = interval_partner(release, status, lines, cell, largest, threshold)
            if partner is None:
                table = release.tables[cell[0]]
                raise DisclosureError(
                    f"Table {table.key}: suppressed cell "
                    f"{describe_cell(release.data[cell[0]], table.dims, cell[1])} is determined by the "
                    "published tables and no visible cell is left to suppress with it. Check that the "
                    "tables' totals are sums of their parts."
                )
            out.add(partner)
            touched.update((t, m) for t, line in lines for m in line.members)
    return out


def line_groups(release: Release) -> dict[Cell, list[Cell]]:
    """Count cell -> every count cell linked to it by lines and copies, whatever their status.

    Computed once per release (union-find) and kept in ``release.groups``.
    """
    if release.groups:
        return release.groups
    links = [
        {(t, m): 1.0 for m in line.members} for t, lines in enumerate(release.lines) for line in lines
    ] + [dict.fromkeys(group, 1.0) for group in release.copies]
    for group in connected_groups(links):
        cells = sorted({c for terms in group for c in terms})
        for c in cells:
            release.groups[c] = cells
    return release.groups


def cycle_partners(release: Release, status: list[np.ndarray], cell: Cell, threshold: int) -> list[Cell]:
    """Visible counts to suppress together so that hidden ``cell`` can reach ``threshold``.

    A reader's solutions differ from the true values by a direction ``v`` that keeps every line
    and copy of the tables involved balanced (``A v = 0``) and no count below its floor (1 for a
    non-zero count, 0 for a zero). ``cell`` passes once some such ``v`` raises it by
    ``max(1, threshold - value)`` while moving hidden cells only; this linear program
    (HiGHS) finds the cheapest ``v`` that may also move visible non-zero counts, at a cost per
    person moved of the cell's value + 1, and returns the visible counts it moves (sorted).
    Those, once suppressed, open a cycle of hidden cells around ``cell``. Visible zeros do not
    move: a ``-`` is never returned as a partner (only the elimination hides one, when showing
    it gives a cell away), so a direction through one would not be opened by the partners
    returned. Empty when there is none.
    """
    cells = tuple(
        c for c in line_groups(release).get(cell, [cell]) if status[c[0]][c[1]] != STATUS_NOT_APPLICABLE
    )
    structure = release.cycles.get(cells)
    if structure is None:
        structure = release.cycles[cells] = CycleStructure.create(release, cells)
    column, value, floor = structure.column, structure.value, structure.floor
    n = len(cells)
    visible = np.array(
        [j for j, (t, r) in enumerate(cells) if status[t][r] in VISIBLE_STATUSES], dtype=np.int64
    )
    k = np.arange(len(visible))
    first = structure.n_rows + k  # v_j = p_j - q_j, p_j at n + 2k, q_j at n + 2k + 1
    target = column[cell]
    n_rows = structure.n_rows + len(visible) + 1
    rows = np.concatenate([structure.rows, first, first, first, [n_rows - 1]])
    cols = np.concatenate([structure.cols, visible, n + 2 * k, n + 2 * k + 1, [target]])
    weights = np.concatenate(
        [structure.weights, np.ones(len(visible)), -np.ones(len(visible)), np.ones(len(visible)), [1.0]]
    )
    from scipy.sparse import csr_array

    size = n + 2 * len(visible)
    matrix = csr_array((weights, (rows, cols)), shape=(n_rows, size))
    rhs = np.zeros(n_rows)
    rhs[-1] = max(1.0, threshold - value[target])
    shown = np.array([status[cells[j][0]][cells[j][1]] == STATUS_SHOWN for j in visible], dtype=bool)
    lower = np.concatenate([structure.lower, np.zeros(2 * len(visible))])
    upper = np.full(size, np.inf)
    upper[n + 2 * k] = np.where(shown, np.inf, 0.0)  # a visible zero stays 0
    upper[n + 2 * k + 1] = value[visible] - floor[visible]
    cost = np.zeros(size)
    cost[n + 2 * k] = cost[n + 2 * k + 1] = value[visible] + 1.0
    from imdi_analysis.highs import linprog

    result = linprog(cost, A_eq=matrix, b_eq=rhs, bounds=np.column_stack([lower, upper]))
    if result.status != 0:
        return []
    moved = result.x[:n]
    return sorted(
        cells[j] for j, seen in zip(visible, shown, strict=True) if seen and abs(moved[j]) > CYCLE_TOLERANCE
    )


@dataclass
class CycleStructure:
    """What :func:`cycle_partners` sets up once per group of cells: the lines and copies among them
    (rows of ``A v = 0`` as coordinates), each cell's value, its floor and its lowest move."""

    column: dict[Cell, int]
    n_rows: int
    rows: np.ndarray
    cols: np.ndarray
    weights: np.ndarray
    value: np.ndarray
    floor: np.ndarray
    lower: np.ndarray  # v_j >= floor_j - value_j; free where the value is missing

    @classmethod
    def create(cls, release: Release, cells: tuple[Cell, ...]) -> CycleStructure:
        column = {c: j for j, c in enumerate(cells)}
        entries: list[tuple[int, int, float]] = []
        n_rows = 0
        for t in sorted({t for t, _ in cells}):
            for line in release.lines[t]:
                terms = [
                    (column[(t, m)], 1.0 if m == line.total else -1.0)
                    for m in line.members
                    if (t, m) in column
                ]
                if terms:
                    entries += [(n_rows, j, w) for j, w in terms]
                    n_rows += 1
        for group in release.copies:
            present = [column[c] for c in group if c in column]
            for other in present[1:]:
                entries += [(n_rows, present[0], 1.0), (n_rows, other, -1.0)]
                n_rows += 1
        rows, cols, weights = (
            (np.array(x) for x in zip(*entries, strict=True)) if entries else (np.zeros(0),) * 3
        )
        value = np.array([release.values[t][r] for t, r in cells], dtype=float)
        floor = np.where(value > 0, 1.0, 0.0)
        lower = np.where(np.isnan(value), -np.inf, floor - value)
        return cls(
            column,
            n_rows,
            rows.astype(np.int64),
            cols.astype(np.int64),
            weights.astype(float),
            value,
            floor,
            lower,
        )


def binding_lines(
    release: Release, status: list[np.ndarray], lines: list[tuple[int, Line]], threshold: int
) -> list[tuple[int, Line]]:
    """The lines that alone keep their hidden counts below ``threshold``: a visible total, minus
    the visible parts and one person for every other hidden non-zero part, is below it."""
    out = []
    for t, line in lines:
        st, value = status[t], release.values[t]
        if st[line.total] not in VISIBLE_STATUSES or STATUS_MISSING in st[list(line.parts)]:
            continue
        hidden = [p for p in line.parts if st[p] == STATUS_SUPPRESSED]
        visible = sum(seen_value(p, st, value) for p in line.parts if st[p] != STATUS_SUPPRESSED)
        others_at_least = sum(1 for p in hidden if value[p] > 0) - 1
        if hidden and seen_value(line.total, st, value) - visible - max(others_at_least, 0) < threshold:
            out.append((t, line))
    return out


def lines_with(release: Release, cells: Sequence[Cell]) -> list[tuple[int, Line]]:
    """``(table, line)`` for every line holding one of ``cells``, in table and line order."""
    if not release.line_index:  # cell -> positions of its lines in release.lines[t], built once
        for t, lines in enumerate(release.lines):
            for i, line in enumerate(lines):
                for m in line.members:
                    release.line_index.setdefault((t, m), []).append(i)
    found = {(t, i) for t, r in cells for i in release.line_index.get((t, r), ())}
    return [(t, release.lines[t][i]) for t, i in sorted(found)]


def published_equations(release: Release, status: list[np.ndarray]) -> list[tuple[dict[Cell, float], float]]:
    """The linear relations a reader has between hidden counts: ``sum(terms) = rhs``."""
    unknown = (STATUS_SUPPRESSED, STATUS_MISSING)
    values = [d["value"].to_numpy() for d in release.data]
    equations: list[tuple[dict[Cell, float], float]] = []

    def add(weights: list[tuple[Cell, float]]) -> None:
        terms: dict[Cell, float] = {}
        rhs = 0.0
        for (t, r), w in weights:
            if status[t][r] in unknown:
                terms[(t, r)] = terms.get((t, r), 0.0) + w
            else:
                rhs -= w * seen_value(r, status[t], values[t])
        if terms:
            equations.append((terms, rhs))

    for t, lines in enumerate(release.lines):
        for line in lines:
            add([((t, m), 1.0 if m == line.total else -1.0) for m in line.members])
    for group in release.copies:
        for other in group[1:]:
            add([(group[0], 1.0), (other, -1.0)])
    for link in release.shares:
        t, r = link.share
        if link.count is None or link.base is None or status[t][r] not in VISIBLE_STATUSES:
            continue
        share = 0.0 if status[t][r] == STATUS_ZERO else values[t][r] / link.scale
        add([(link.count, 1.0), (link.base, -share)])
    return equations


def failing_cells(
    release: Release,
    status: list[np.ndarray],
    equations: list[tuple[dict[Cell, float], float]],
    threshold: int,
    cache: dict,
) -> list[tuple[Cell, float]]:
    """Suppressed counts of one group that are determined or known to lie in 1 … threshold − 1.

    Returns ``(cell, largest value)`` pairs, sorted; a determined cell has its value as largest.
    """
    cells = sorted({c for terms, _ in equations for c in terms})
    suppressed = [c for c in cells if status[c[0]][c[1]] == STATUS_SUPPRESSED]
    if not suppressed:
        return []
    lower = [1.0 if release.values[t][r] > 0 else 0.0 for t, r in cells]
    signature = (
        tuple(cells),
        tuple(lower),
        tuple((*sorted(t.items()), round(b, 9)) for t, b in equations),
    )
    if signature in cache:
        return cache[signature]
    column = {c: j for j, c in enumerate(cells)}
    matrix = np.zeros((len(equations), len(cells)))
    rhs = np.zeros(len(equations))
    for i, (terms, b) in enumerate(equations):
        rhs[i] = b
        for cell, w in terms.items():
            matrix[i, column[cell]] = w
    determined = unit_rows(matrix)
    truth = np.array([release.values[t][r] for t, r in cells], dtype=float)
    largest = largest_values(matrix, rhs, lower, [column[c] for c in suppressed], threshold, truth)
    if largest is None:
        failing = []  # the relations do not hold for the data (e.g. a missing cell): cannot judge
    else:
        failing = [
            (cell, largest[column[cell]])
            for cell in suppressed
            if determined[column[cell]]
            or (lower[column[cell]] >= 1 and largest[column[cell]] < threshold - RANK_TOLERANCE)
        ]
    cache[signature] = failing
    return failing


def largest_values(
    matrix: np.ndarray,
    rhs: np.ndarray,
    lower: list[float],
    wanted: list[int],
    threshold: int,
    truth: np.ndarray | None = None,
) -> dict[int, float] | None:
    """For unknowns ``wanted``: their largest value subject to ``matrix @ x = rhs``, ``x >= lower``,
    or a value of at least ``threshold`` they can reach (enough to know they are safe).

    The true values ``truth`` are one solution: unknowns holding the threshold or more there are
    settled without a program. Then the sum of the unknowns not yet known to reach the threshold,
    each capped at the threshold, is maximised, repeatedly: each solution shows many unknowns
    at once reaching it. The rest are maximised one at a time, each solution again settling
    every unknown it shows at the threshold or above. Unknowns are capped at
    :data:`UNBOUNDED`, so every program has a solution. None when the relations have no
    solution at all.
    """
    from scipy.sparse import csr_array

    sparse = csr_array(matrix)
    bounds = [(lb, UNBOUNDED) for lb in lower]
    out: dict[int, float] = {}
    if truth is not None:
        out = {j: float(truth[j]) for j in wanted if truth[j] >= threshold - RANK_TOLERANCE}
    pending = [j for j in wanted if j not in out]
    together = True
    while pending:
        target = pending if together else pending[:1]
        capped = list(bounds)
        if together:  # no unknown needs more than the threshold: the sum then spreads over many
            for j in pending:
                capped[j] = (bounds[j][0], float(threshold))
        solution = maximise(sparse, rhs, capped, target)
        if solution is None:
            return None
        reached = {j for j in pending if solution[j] >= threshold - RANK_TOLERANCE}
        if not together:
            reached.add(pending[0])
        out.update((j, float(solution[j])) for j in sorted(reached))
        pending = [j for j in pending if j not in reached]
        together = together and bool(reached)
    return out


def maximise(matrix: csr_array, rhs: np.ndarray, bounds: list, columns: list[int]) -> np.ndarray | None:
    """A solution of ``matrix @ x = rhs`` within ``bounds`` maximising the sum of ``columns`` (HiGHS)."""
    objective = np.zeros(matrix.shape[1])
    objective[columns] = -1.0
    from imdi_analysis.highs import linprog

    result = linprog(objective, A_eq=matrix, b_eq=rhs, bounds=bounds)
    return result.x if result.status == 0 else None


def interval_partner(
    release: Release,
    status: list[np.ndarray],
    lines: list[tuple[int, Line]],
    cell: Cell,
    largest: float,
    threshold: int,
) -> Cell | None:
    """A visible count of ``lines`` to suppress with ``cell``: the smallest that is large enough.

    ``largest`` is the cell's largest possible value now; a partner of at least
    ``threshold - largest`` widens the interval past the threshold in one step. Parts come before
    totals; ties go to the lower table and row. None when no visible count is left in ``lines``.
    """
    need = max(1.0, threshold - largest) if np.isfinite(largest) else 1.0
    options = []
    for t, line in lines:
        value = release.values[t]
        for m in line.members:
            if (t, m) == cell or status[t][m] != STATUS_SHOWN:
                continue
            options.append((int(m == line.total), bool(value[m] < need), float(value[m]), t, m))
    if not options:
        return None
    best = min(options)
    return (best[3], best[4])
