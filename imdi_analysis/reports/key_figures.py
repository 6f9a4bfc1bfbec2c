"""Key figures for the annual report, part II "Introduksjon til virksomheten og hovedtall" (letter 9.1).

One compact table: the report year and the four years before, one row per key figure. Each
figure is a view of a definition published elsewhere in the book, and says which:

======================  ===========================================================  ==========
figure                  population and rule                                          defined in
======================  ===========================================================  ==========
settled                 persons settled 1 January – 31 December (every case type)    table 19
waiting                 persons in reception or resettlement refugees waiting on     table 16
                        31 December (ready on or before it, not settled on it)
waiting time            mean months from permit to settlement of those settled       SP 11
participants            persons with an introduction-programme spell active at       table 8
                        some time in the year
leavers                 persons whose spell ended in the year (latest spell)         table 11A
direct transition       share of leavers in work or education when leaving           SP 7a
transition after a      share of former participants in work or education in         SP 7b
year                    November of the year after (Statistics Norway, 10809)
interpreters            interpreters in the National register on 31 December         SP 15
allocation, spent       IMDi's allocation in the year's letter; spent per accounts   budget
======================  ===========================================================  ==========

Every population comes from :mod:`imdi_analysis.measures.populations` and every indicator from
the indicator registry, so a key figure and its source page cannot disagree (a test checks
them against the appendix tables). Disclosure control: a count of 1 to ``threshold − 1``
persons is hidden (``:``), and so is a share or mean resting on fewer persons, or a share whose
persons outside the numerator are that few. A year without data shows ``..``.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from imdi_analysis import config
from imdi_analysis.appendix.settlement import WAITING_CATEGORIES
from imdi_analysis.disclosure import DEFAULT_THRESHOLD, check_threshold
from imdi_analysis.errors import DataNotFoundError
from imdi_analysis.formatting import format_mill_kr, format_number, format_percent
from imdi_analysis.indicators.registry import time_series
from imdi_analysis.measures.periods import period_bounds
from imdi_analysis.measures.populations import (
    in_programme_during,
    latest_per_person,
    leaver_spells,
    leavers_by_person,
    settled_in,
    waiting_on,
)
from imdi_analysis.sources.registry import load_source
from imdi_analysis.tables import STATUS_MISSING, STATUS_SUPPRESSED

YEARS_SHOWN = 5
PERIOD = "year"


@dataclass(frozen=True)
class KeyFigure:
    """One row of the table: what it counts and where it is defined."""

    id: str
    label_nb: str
    unit: str  # count, months, share, nok
    defined_in: str  # Norwegian reference to the defining table or steering parameter
    link: str  # the built page that defines it, relative to the annual report's section (<year>/year/)


@dataclass(frozen=True)
class Figure:
    """A figure's value in one year, with the persons it rests on (for disclosure control)."""

    value: float
    persons: float = math.nan  # denominator of a share or mean; NaN for counts and money
    numerator: float = math.nan  # persons counted in a share's numerator
    hidden: bool = False  # suppressed by the disclosure control of the figure's source


KEY_FIGURES = (
    KeyFigure("settled", "Bosatte flyktninger i året", "count", "Tabell 19", "vedlegg/19.html"),
    KeyFigure("waiting", "Venter på bosetting per 31.12.", "count", "Tabell 16", "vedlegg/16.html"),
    KeyFigure(
        "waiting_time", "Gjennomsnittlig ventetid til bosetting (mnd.)", "months", "SP 11", "goal_4.html"
    ),
    KeyFigure(
        "participants",
        "Deltakere i introduksjonsprogrammet i løpet av året",
        "count",
        "Tabell 8",
        "vedlegg/8.html",
    ),
    KeyFigure(
        "leavers", "Avsluttet introduksjonsprogrammet i året", "count", "Tabell 11A", "vedlegg/11A.html"
    ),
    KeyFigure(
        "direct_transition", "Direkte overgang til arbeid eller utdanning", "share", "SP 7a", "goal_2.html"
    ),
    KeyFigure("ssb_transition", "I arbeid eller utdanning året etter (SSB)", "share", "SP 7b", "goal_2.html"),
    KeyFigure("interpreters", "Tolker i Nasjonalt tolkeregister per 31.12.", "count", "SP 15", "goal_5.html"),
    KeyFigure("allocation", "Tildelt IMDi (mill. kr)", "nok", "Tildelingsbrevet", "../letter_budget.html"),
    KeyFigure("spent", "Brukt (mill. kr)", "nok", "Regnskapet", "budget_status.html"),
)
INDICATOR_OF = {
    "waiting_time": "sp11_settlement_mean_months",
    "direct_transition": "sp07a_intro_direct_work_or_education",
    "ssb_transition": "sp07b_intro_work_or_education_ssb",
    "interpreters": "sp15_interpreters_register",
}


def settled_count(year: int, data_dir: Path | None) -> Figure:
    first, last = period_bounds(year, PERIOD)
    return Figure(float(len(settled_in(load_source("settlement", year, data_dir), first, last))))


def waiting_count(year: int, data_dir: Path | None) -> Figure:
    _first, last = period_bounds(year, PERIOD)
    waiting = waiting_on(load_source("settlement", year, data_dir), last)
    return Figure(float(waiting["category"].isin(list(WAITING_CATEGORIES)).sum()))


def participant_count(year: int, data_dir: Path | None) -> Figure:
    spells = load_source("intro_participants", year, data_dir)
    active = spells[in_programme_during(spells, *period_bounds(year, PERIOD)).to_numpy()]
    return Figure(float(len(latest_per_person(active, "programme_start"))))


def leaver_count(year: int, data_dir: Path | None) -> Figure:
    spells = load_source("intro_participants", year, data_dir)
    return Figure(float(len(leavers_by_person(leaver_spells(spells, *period_bounds(year, PERIOD))))))


def budget_figures(year: int) -> dict[str, Figure]:
    """IMDi's allocation in the year's letter and the year's spending, when both exist."""
    from imdi_analysis.budget.status import budget_status

    with contextlib.suppress(DataNotFoundError):
        posts = budget_status(year, f"{year}-12-31").posts
        return {
            "allocation": Figure(float(pd.to_numeric(posts["allocation_nok"]).sum())),
            "spent": Figure(float(pd.to_numeric(posts["spent_nok"]).sum())),
        }
    return {}


COUNTS: dict[str, Callable[[int, Path | None], Figure]] = {
    "settled": settled_count,
    "waiting": waiting_count,
    "participants": participant_count,
    "leavers": leaver_count,
}


def indicator_figures(
    years: list[int], data_dir: Path | None, measures: pd.DataFrame | None = None
) -> dict[tuple[str, int], Figure]:
    """National figure of each indicator row of the table, by (figure id, year).

    ``measures`` are the run's disclosed annual indicators (:func:`imdi_analysis.datastep.read_indicators`):
    a figure hidden there is hidden here. ``None`` computes the figures (the primary rule is then
    applied when they are formatted).
    """
    if measures is None:
        series = time_series(list(INDICATOR_OF.values()), years, PERIOD, data_dir)
    else:
        rows = measures["indicator_id"].isin(list(INDICATOR_OF.values())) & measures["year"].isin(years)
        series = measures[(rows & (measures["period"] == PERIOD)).to_numpy()]
    national = series
    for column in ("sex", "county", "category", "household_type", "language", "qualification_category"):
        national = national[national[column].isna() | (national[column] == "I alt")]
    by_id = {indicator: figure for figure, indicator in INDICATOR_OF.items()}
    out = {}
    for row in national.itertuples():
        if getattr(row, "status", "") == STATUS_SUPPRESSED:
            out[(by_id[row.indicator_id], int(row.year))] = Figure(math.nan, hidden=True)
            continue
        if pd.isna(row.value):
            continue
        out[(by_id[row.indicator_id], int(row.year))] = Figure(
            float(row.value), float(row.denominator), float(row.numerator)
        )
    return out


def count_figures(years: list[int], data_dir: Path | None = None) -> pd.DataFrame:
    """The counts of persons among the key figures (``figure_id``, ``year``, ``value``) for every
    year of ``years`` that has data; computed once per run by the data step."""
    directory, _synthetic = config.register_dir(data_dir)
    available = set(config.years_in(directory))
    rows = []
    for y in sorted(set(years) & available):
        for figure_id, compute in COUNTS.items():
            with contextlib.suppress(DataNotFoundError):
                rows.append({"figure_id": figure_id, "year": int(y), "value": compute(y, data_dir).value})
    return pd.DataFrame(rows, columns=["figure_id", "year", "value"]).astype(
        {"figure_id": "string", "year": "int64", "value": "float64"}
    )


def key_figures(
    year: int,
    data_dir: Path | None = None,
    measures: pd.DataFrame | None = None,
    counts: pd.DataFrame | None = None,
) -> dict[tuple[str, int], Figure]:
    """Every key figure of ``year`` and the four years before that has data (``measures``: see
    :func:`indicator_figures`; ``counts``: the data step's :func:`count_figures`, else computed)."""
    years = [y for y in range(year - YEARS_SHOWN + 1, year + 1)]
    counts = count_figures(years, data_dir) if counts is None else counts
    figures: dict[tuple[str, int], Figure] = {
        (str(row.figure_id), int(row.year)): Figure(float(row.value))
        for row in counts[counts["year"].isin(years)].itertuples()
    }
    for y in years:
        figures.update({(k, y): v for k, v in budget_figures(y).items()})
    figures.update(indicator_figures(years, data_dir, measures))
    return figures


def is_hidden(figure: Figure, unit: str, threshold: int) -> bool:
    """The primary rule: few persons counted, averaged, or outside a share's numerator."""

    def few(n: float) -> bool:
        return not math.isnan(n) and 0 < n < threshold

    if unit == "count":
        return few(figure.value)
    if unit == "share":
        return few(figure.persons) or few(figure.numerator) or few(figure.persons - figure.numerator)
    if unit == "months":
        return few(figure.persons)
    return False


def format_figure(figure: Figure | None, unit: str, threshold: int) -> str:
    """A figure for readers: Norwegian format, ``:`` when hidden, ``..`` when missing."""
    if figure is not None and figure.hidden:
        return STATUS_SUPPRESSED
    if figure is None or math.isnan(figure.value):
        return STATUS_MISSING
    if is_hidden(figure, unit, threshold):
        return STATUS_SUPPRESSED
    if unit == "share":
        return format_percent(figure.value)
    if unit == "months":
        return format_number(figure.value, 1)
    if unit == "nok":
        return format_mill_kr(figure.value)
    return format_number(figure.value)


def key_figures_table(
    year: int,
    data_dir: Path | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    figures: dict[tuple[str, int], Figure] | None = None,
    measures: pd.DataFrame | None = None,
    counts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The table for readers: figure, one column per year (oldest first), where it is defined.

    ``figures`` are those of :func:`key_figures` when already computed.
    """
    threshold = check_threshold(threshold)
    figures = key_figures(year, data_dir, measures, counts) if figures is None else figures
    years = list(range(year - YEARS_SHOWN + 1, year + 1))
    rows = []
    for figure in KEY_FIGURES:
        row = {"Hovedtall": figure.label_nb}
        for y in years:
            row[str(y)] = format_figure(figures.get((figure.id, y)), figure.unit, threshold)
        row["Definisjon"] = figure.defined_in
        rows.append(row)
    return pd.DataFrame(rows)
