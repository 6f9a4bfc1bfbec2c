"""Goal-page rows and appendix cells that are one quantity: the links of a release.

The goal pages publish indicators with their numerators and denominators; the statistics
appendix publishes counts of the same persons on the same reference date (the consistency tests
in ``tests/consistency`` check that the numbers agree). A count the appendix hides must then not
be shown on a goal page, directly or as a difference of two figures the page shows (SP 11
"settled within 6 months" minus "within 3 months" is table 21's band 3–6 months). Each
:class:`Link` says which appendix cells an indicator row rests on; :func:`linked_hidden` marks
the rows that rest on a hidden cell, and the data step hides them (and protects them with the
indicators' secondary suppression: :func:`imdi_analysis.datastep.compute_indicator_release`).

Matching: the appendix table's dimensions that the indicator also breaks down by take the
row's level ("I alt" where the row has none); ``bands`` fixes the cells of one dimension that the
row's figure is the sum of (with the base); a ``year`` dimension takes the row's year; any other
dimension of the table must be "I alt". An indicator breakdown the table does not have must be
"I alt" (or the level in ``where``), else the row has no link. A row without matching cells has
no link. Linking a row that is not quite the same population only hides more, never less.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from imdi_analysis.tables import STATUS_SUPPRESSED, TOTAL, AppendixTable

BREAKDOWNS = ("sex", "county", "category", "household_type", "language", "qualification_category")
WITHIN = {3: ("Innen 3 måneder",), 6: ("Innen 3 måneder", "3–6 måneder")}
WITHIN[12] = (*WITHIN[6], "6–12 måneder")


@dataclass(frozen=True)
class Link:
    """An indicator whose rows rest on cells of an appendix table (see the module docstring).

    ``numerator`` and ``denominator`` fix, for one dimension of the table, the values whose
    count cells sum to the row's numerator and denominator (empty: the row's own cell; None:
    the table publishes no count that is the denominator). ``where`` restricts the link to the
    rows with these breakdown levels (a breakdown the table does not have); ``exclude`` leaves
    out rows whose level names other persons than the table's cell of the same name.
    """

    indicator: str
    table: str
    numerator: dict[str, tuple[str, ...]] = field(default_factory=dict)
    denominator: dict[str, tuple[str, ...]] | None = None
    where: dict[str, str] = field(default_factory=dict)
    exclude: dict[str, tuple[str, ...]] = field(default_factory=dict)  # levels that are not the same persons


# SP 11's "I alt" over case types counts family reunification too (and table 24 has no
# privately settled): not the persons of the tables' "I alt"
OTHER_TOTAL = {"category": (TOTAL,)}

LINKS: tuple[Link, ...] = (
    # SP 11, settled within N months: table 21's bands up to N; the denominator is its "I alt"
    *(
        Link(
            f"sp11_settled_within_{n}_months",
            "21",
            {"waiting_time": bands},
            {"waiting_time": (TOTAL,)},
            exclude=OTHER_TOTAL,
        )
        for n, bands in WITHIN.items()
    ),
    Link(
        "sp11_settled_over_12_months",
        "21",
        {"waiting_time": ("Mer enn 12 måneder",)},
        {"waiting_time": (TOTAL,)},
        exclude=OTHER_TOTAL,
    ),
    Link("sp11_settlement_mean_months", "18", exclude=OTHER_TOTAL),
    *(
        Link(
            f"sp11_waiting_over_{n}_months",
            "24",
            {"waiting_time": (f"Ventet mer enn {n} måneder",)},
            exclude=OTHER_TOTAL,
        )
        for n in (12, 24, 36)
    ),
    Link("sp04_intro_within_3_months", "9"),
    Link("sp04_training_within_3_months", "6A", where={"category": "Rett og plikt"}),
    Link("sp04_training_within_3_months", "6B", where={"category": "Plikt"}),
    Link("sp15_interpreters_register", "28A"),
)


def row_levels(row: pd.Series | dict) -> dict[str, str]:
    """The breakdown levels of an indicator row, "I alt" where it has none."""
    out = {}
    for column in BREAKDOWNS:
        level = row.get(column)
        out[column] = (
            TOTAL if level is None or (not isinstance(level, str) and pd.isna(level)) else str(level)
        )
    return out


def cell_matcher(
    link: Link, levels: dict[str, str], year: int, dims: Sequence[str], part: str = "all"
) -> Callable[[Sequence[object]], bool] | None:
    """A test on a cell's categories (in ``dims`` order): does the row with ``levels`` rest on it?

    ``part`` is ``numerator``, ``denominator`` or ``all`` (either). None when the row has no
    link to the table (a breakdown the table lacks is not "I alt", or ``where`` excludes it).
    """
    for column in BREAKDOWNS:
        level = levels.get(column, TOTAL)
        if level in link.exclude.get(column, ()):
            return None
        if column in link.where:
            if level != link.where[column]:
                return None
        elif column not in dims and level != TOTAL:
            return None
    fixed = [link.numerator] if part in ("numerator", "all") else []
    if part in ("denominator", "all"):
        if link.denominator is None and part == "denominator":
            return None
        fixed.append(link.denominator or {})
    banded = set().union(*fixed) if fixed else set()
    wanted: dict[str, set[str]] = {}
    for dim in dims:
        if dim == "year":
            wanted[dim] = {str(year)}
        elif dim in banded:
            wanted[dim] = {v for f in fixed for v in f.get(dim, ())}
        elif dim in BREAKDOWNS and dim not in link.where:
            wanted[dim] = {levels.get(dim, TOTAL)}
        else:
            wanted[dim] = {TOTAL}

    def matches(categories: Sequence[object]) -> bool:
        for dim, value in zip(dims, categories, strict=True):
            text = str(int(value)) if dim == "year" and not isinstance(value, str) else str(value)
            if text not in wanted[dim]:
                return False
        return True

    return matches


def table_keys(table: AppendixTable) -> list[tuple]:
    """Each cell's categories, in ``table.dims`` order."""
    return list(table.data[list(table.dims)].astype("object").itertuples(index=False, name=None))


def linked_cells(
    link: Link, row: pd.Series, table: AppendixTable, keys: list[tuple] | None = None
) -> np.ndarray | None:
    """Positions of the cells of ``table`` that ``row`` of ``link.indicator`` rests on, or None.

    ``keys`` are the table's :func:`table_keys` when the caller has them already."""
    matches = cell_matcher(link, row_levels(row), int(row["year"]), table.dims)
    if matches is None:
        return None
    keys = table_keys(table) if keys is None else keys
    positions = np.array([i for i, key in enumerate(keys) if matches(key)], dtype=int)
    return positions if len(positions) else None


KNOWN, HIDDEN = "known", "hidden"


def part_state(
    link: Link,
    row: pd.Series,
    table: AppendixTable,
    part: str,
    keys: list[tuple],
    counts: np.ndarray | None = None,
    status: np.ndarray | None = None,
) -> str | None:
    """Whether a reader has the row's numerator (``part``) or denominator from ``table``.

    ``known`` when every count cell it is the sum of is visible, or when it is a sum of bands
    whose line total and every other band are visible (total minus the others); ``hidden``
    otherwise; None when the row has no such cells in the table. ``keys`` (:func:`table_keys`),
    ``counts`` (count cells) and ``status`` describe the table's cells, read once per table.
    """
    if counts is None:
        counts = (table.data["measure"] == "count").to_numpy()
    if status is None:
        status = table.data["status"].astype("object").to_numpy()
    levels, year = row_levels(row), int(row["year"])
    matches = cell_matcher(link, levels, year, table.dims, part)
    if matches is None:
        return None
    cells = [i for i, key in enumerate(keys) if counts[i] and matches(key)]
    if not cells:
        return None
    if all(status[i] != STATUS_SUPPRESSED for i in cells):
        return KNOWN
    bands = link.numerator if part == "numerator" else (link.denominator or {})
    for dim, chosen in bands.items():
        if TOTAL in chosen:
            continue
        position = list(table.dims).index(dim)
        rest = Link(link.indicator, link.table, {dim: ()}, None, link.where, link.exclude)
        anywhere = cell_matcher(rest, levels, year, [d for d in table.dims if d != dim], "numerator")
        if anywhere is None:
            continue
        line = [
            i
            for i, key in enumerate(keys)
            if counts[i] and anywhere(key[:position] + key[position + 1 :]) and key[position] not in chosen
        ]
        has_total = any(keys[i][position] == TOTAL for i in line)
        if has_total and all(status[i] != STATUS_SUPPRESSED for i in line):
            return KNOWN  # the total and every other band are shown: their difference is this sum
    return HIDDEN


def link_states(indicators: pd.DataFrame, tables: Sequence[AppendixTable]) -> dict[str, np.ndarray]:
    """Per row: ``forced`` (it rests on a hidden figure of the tables: hide it), ``numerator`` and
    ``denominator`` (the tables show them: a reader has them, hidden or not)."""
    frame = indicators.reset_index(drop=True)
    out = {name: np.zeros(len(frame), dtype=bool) for name in ("forced", "numerator", "denominator")}
    by_key = {t.key: t for t in tables if t.supported and "status" in t.data.columns}
    for link in LINKS:
        table = by_key.get(link.table)
        if table is None:
            continue
        keys = table_keys(table)
        status = table.data["status"].astype("object").to_numpy()
        counts = (table.data["measure"] == "count").to_numpy()
        derived = ~counts
        rows = (frame["indicator_id"] == link.indicator) & (frame["year"] == table.year)
        rows &= frame["period"] == table.period
        for position in np.flatnonzero(rows.to_numpy()):
            row = frame.iloc[position]
            for part in ("numerator", "denominator"):
                state = part_state(link, row, table, part, keys, counts, status)
                out[part][position] |= state == KNOWN
                out["forced"][position] |= state == HIDDEN
            cells = linked_cells(link, row, table, keys)  # a hidden share or mean hides the row's figure too
            if cells is not None and (derived[cells] & (status[cells] == STATUS_SUPPRESSED)).any():
                out["forced"][position] = True
    return out


def linked_hidden(indicators: pd.DataFrame, tables: Sequence[AppendixTable]) -> np.ndarray:
    """Rows of ``indicators`` (of the tables' report: same year and period) resting on a hidden figure."""
    return link_states(indicators, tables)["forced"]


def linked_shown(indicators: pd.DataFrame, tables: Sequence[AppendixTable]) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose numerator (first array) or denominator (second) a reader has from the tables."""
    states = link_states(indicators, tables)
    return states["numerator"], states["denominator"]


__all__ = ["LINKS", "Link", "cell_matcher", "linked_cells", "linked_hidden", "linked_shown", "row_levels"]
