"""The cross-year chapter: headline indicators of every steering parameter, year by year.

Each indicator's national figure ("I alt" in every breakdown) for every year with data, with
the same disclosure control as the goal pages, as one table and one chart per unit.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from imdi_analysis.config import parse_years, register_dir
from imdi_analysis.datastep import compute_indicator_release
from imdi_analysis.disclosure import DEFAULT_THRESHOLD
from imdi_analysis.figures import finish, new_figure, norwegian_axis, set_title, year_axis
from imdi_analysis.formatting import format_number, format_percent
from imdi_analysis.indicators.registry import INDICATORS
from imdi_analysis.tables import TOTAL

BREAKDOWNS = ("sex", "county", "category", "household_type", "language", "qualification_category")
UNIT_TITLES = {
    "share": "Andeler (prosent)",
    "months": "Ventetid (måneder)",
    "count": "Antall",
    "ratio": "Forholdstall",
}
AXIS_DECIMALS = {"share": 0, "months": 1, "ratio": 2}  # ratios near 1 need two (as in the table)


def headline_series(
    years: str,
    data_dir: str | Path | None = None,
    threshold: int | None = None,
    measures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """National figures of every registered indicator for ``years`` (e.g. ``"2019-2023"``), disclosed.

    Population, numerator, denominator and reference date of each figure are those of the
    indicator (see its definition in the goal chapters); the reference date is 31 December.
    ``measures`` are the run's disclosed annual indicators (:func:`imdi_analysis.datastep.read_indicators`),
    the same frame the goal pages show; ``None`` computes them with the same definition.
    """
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold  # None: the run's default
    wanted = parse_years(years)
    if measures is None:
        disclosed = compute_indicator_release("year", wanted, data_dir or None, threshold)
    else:
        rows = measures["year"].isin(wanted) & (measures["period"] == "year")
        disclosed = measures[rows.to_numpy()].reset_index(drop=True)
    national = pd.Series(True, index=disclosed.index)
    for column in BREAKDOWNS:
        national &= disclosed[column].isna() | (disclosed[column] == TOTAL)
    return disclosed[national].reset_index(drop=True)


def format_figure(value: float, unit: str, status: str) -> str:
    """A figure for readers: Norwegian format, ``:`` when hidden, ``..`` when missing."""
    if status:
        return status
    if pd.isna(value):
        return ".."
    if unit == "share":
        return format_percent(value)
    if unit in ("months", "ratio"):
        return format_number(value, 1 if unit == "months" else 2)
    return format_number(value)


def overview_table(series: pd.DataFrame) -> pd.DataFrame:
    """Indicators as rows (with SP), years as columns, figures formatted for readers."""
    rows = []
    for indicator_id, group in series.groupby("indicator_id", sort=False):
        indicator = INDICATORS[indicator_id]
        ordered = group.sort_values("year")
        # the SP number as the letter of the latest year links the indicator (the frame's ``sp``)
        row = {"SP": int(ordered["sp"].iloc[-1]), "Indikator": indicator.title_nb}
        for record in ordered.itertuples():
            row[str(record.year)] = format_figure(record.value, record.unit, record.status)
        rows.append(row)
    table = pd.DataFrame(rows).fillna("..")
    return table.sort_values(["SP", "Indikator"], kind="stable").reset_index(drop=True)


def overview_charts(series: pd.DataFrame, synthetic: bool) -> list[Figure]:
    """One line chart per unit: each indicator's national figure over the years."""
    charts = []
    for unit, group in series.groupby("unit", sort=False):
        if unit == "count" or group["year"].nunique() < 2:
            continue  # counts differ in scale; they are in the table
        fig, ax = new_figure(8, 4.5)
        for indicator_id, rows in group.groupby("indicator_id", sort=False):
            rows = rows.sort_values("year")
            ax.plot(rows["year"], rows["value"], marker="o", label=INDICATORS[indicator_id].title_nb)
        set_title(ax, UNIT_TITLES.get(unit, unit))
        year_axis(ax, group["year"])
        norwegian_axis(ax, "y", decimals=AXIS_DECIMALS.get(unit, 0), percent=unit == "share")
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        years = f"{group['year'].min()}–{group['year'].max()}"
        alt = (
            f"Linjediagram: {UNIT_TITLES.get(unit, unit).lower()} for {group['indicator_id'].nunique()} "
            f"indikatorer, {years}, landet i alt."
        )
        charts.append(finish(fig, alt, "IMDi, registeruttrekk; beregninger med imdi-analysis", synthetic))
    return charts


def is_synthetic(data_dir: str | Path | None) -> bool:
    """Whether the register data used is the synthetic default."""
    return register_dir(Path(data_dir) if data_dir else None)[1]
