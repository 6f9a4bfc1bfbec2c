"""SP 11: fast and well-targeted settlement (waiting time, waiting persons, use of places).

Months are calendar months throughout (:mod:`imdi_analysis.measures.durations`): "within 3
months" means on or before the permit date plus three calendar months, and the mean and median
waiting time count whole calendar months plus the fraction of the next, so that a person's
waiting time is at most 3 exactly when the person was settled within 3 months. Waiting time runs
from the residence permit (``permit_date``). The populations (settled in the period, waiting on
the reference date) are :mod:`imdi_analysis.measures.populations`, the same as in appendix
tables 18, 21 and 24.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from imdi_analysis.config import reference_date
from imdi_analysis.indicators._common import (
    TOTAL,
    UNIT_MONTHS,
    UNIT_RATIO,
    UNIT_SHARE,
    code_list_levels,
    county_levels,
    dimensions_of,
    finish_indicator,
    sex_levels,
    share_columns,
    summarise_mean,
    summarise_median,
    summarise_share,
    tabulate,
)
from imdi_analysis.measures.durations import months_between, over_months, within_months
from imdi_analysis.measures.periods import period_bounds, reference_timestamp
from imdi_analysis.measures.populations import settled_in, waiting_on

SETTLED_BREAKDOWNS = [
    ("sex",),
    ("county",),
    ("category",),
    ("household_type",),
    ("category", "household_type"),
]
WAITING_BREAKDOWNS = [("sex",), ("category",), ("household_type",), ("category", "household_type")]
SETTLED_WITHIN_MONTHS = (3, 6, 12)
WAITED_OVER_MONTHS = (12, 24, 36)
NOT_COUNTED_AGAINST_PLACES = ("familiegjenforent",)


def settled_in_period(
    settlement: pd.DataFrame, year: int, period: str, within: Sequence[int] = SETTLED_WITHIN_MONTHS
) -> pd.DataFrame:
    """Persons settled in the period, with ``months`` waited, ``within_<N>`` flags and breakdown levels."""
    settled = settled_in(settlement, *period_bounds(year, period))
    flags = {
        f"within_{months}": within_months(
            settled["permit_date"], settled["settlement_date"], months
        ).to_numpy()
        for months in within
    }
    return pd.DataFrame(
        {
            "months": months_between(settled["permit_date"], settled["settlement_date"]).to_numpy(),
            **flags,
            **breakdown_levels(settled, year, period, with_county=True),
        }
    )


def breakdown_levels(
    persons: pd.DataFrame, year: int, period: str, with_county: bool
) -> dict[str, pd.Series]:
    """Sex, (county), category and household type levels of settlement rows, as plain arrays."""
    levels = {
        "sex": sex_levels(persons["sex"]),
        "category": code_list_levels(persons["category"], "settlement_categories"),
        "household_type": code_list_levels(persons["household_type"], "household_types"),
    }
    if with_county:
        levels["county"] = county_levels(persons["county"], reference_date(year, period))
    return {name: pd.Categorical(values) for name, values in levels.items()}


def sp11_settlement_mean_months(settlement: pd.DataFrame, year: int, period: str) -> pd.DataFrame:
    """Mean months from residence permit to settlement for persons settled in the period.

    POPULATION: persons whose ``settlement_date`` falls in the period (1 January to the
    reference date), settled by IMDi or Bufetat, all categories.
    NUMERATOR: sum of months from ``permit_date`` to ``settlement_date`` (calendar months:
    whole months plus the fraction of the next, :func:`~imdi_analysis.measures.durations.months_between`).
    DENOMINATOR: number of persons settled.
    REFERENCE DATE: 30 June (``H1``) or 31 December (``year``).
    Interval: 95 % Student t interval of the mean. Breakdowns: sex, county of settlement,
    category, household type, and category × household type (appendix table 18).
    """
    population = settled_in_period(settlement, year, period)
    stats = tabulate(
        population, SETTLED_BREAKDOWNS, summarise_mean("months"), dimensions_of(SETTLED_BREAKDOWNS)
    )
    return finish_indicator(stats, "sp11_settlement_mean_months", 11, year, period, UNIT_MONTHS)


def sp11_settlement_median_months(settlement: pd.DataFrame, year: int, period: str) -> pd.DataFrame:
    """Median months from residence permit to settlement for persons settled in the period.

    POPULATION, REFERENCE DATE and breakdowns as :func:`sp11_settlement_mean_months`.
    NUMERATOR: not applicable (NA). DENOMINATOR: number of persons settled.
    Interval: distribution-free order-statistic interval of the median.
    """
    population = settled_in_period(settlement, year, period)
    stats = tabulate(
        population, SETTLED_BREAKDOWNS, summarise_median("months"), dimensions_of(SETTLED_BREAKDOWNS)
    )
    return finish_indicator(stats, "sp11_settlement_median_months", 11, year, period, UNIT_MONTHS)


def sp11_settled_within_months(settlement: pd.DataFrame, year: int, period: str, months: int) -> pd.DataFrame:
    """Share of persons settled in the period who were settled within ``months`` of their permit.

    POPULATION: persons whose ``settlement_date`` falls in the period.
    NUMERATOR: those settled on or before ``permit_date`` plus ``months`` calendar months
    (:func:`~imdi_analysis.measures.durations.within_months`; the same as waiting time ≤ ``months``).
    DENOMINATOR: the population.
    REFERENCE DATE: 30 June (``H1``) or 31 December (``year``).
    Breakdowns as :func:`sp11_settlement_mean_months` (appendix table 21).
    Indicator ids ``sp11_settled_within_3_months``, ``…_6_…`` and ``…_12_…``.
    """
    population = settled_in_period(settlement, year, period, within=(months,))
    population["success"] = population[f"within_{months}"].to_numpy()
    stats = tabulate(
        population, SETTLED_BREAKDOWNS, summarise_share("success"), dimensions_of(SETTLED_BREAKDOWNS)
    )
    return finish_indicator(stats, f"sp11_settled_within_{months}_months", 11, year, period, UNIT_SHARE)


def sp11_settled_over_12_months(settlement: pd.DataFrame, year: int, period: str) -> pd.DataFrame:
    """Share of persons settled in the period who waited more than 12 months after their permit.

    POPULATION: persons whose ``settlement_date`` falls in the period.
    NUMERATOR: those settled later than ``permit_date`` plus 12 calendar months (the
    complement of "within 12 months").
    DENOMINATOR: the population.
    REFERENCE DATE: 30 June (``H1``) or 31 December (``year``).
    """
    population = settled_in_period(settlement, year, period, within=(12,))
    population["success"] = ~population["within_12"].to_numpy()
    stats = tabulate(
        population, SETTLED_BREAKDOWNS, summarise_share("success"), dimensions_of(SETTLED_BREAKDOWNS)
    )
    return finish_indicator(stats, "sp11_settled_over_12_months", 11, year, period, UNIT_SHARE)


def waiting_at_reference_date(
    settlement: pd.DataFrame, year: int, period: str, over: Sequence[int] = WAITED_OVER_MONTHS
) -> pd.DataFrame:
    """Persons waiting for settlement at the reference date, with ``over_<N>`` flags and breakdown levels."""
    ref = reference_timestamp(year, period)
    waiting = waiting_on(settlement, ref)
    flags = {f"over_{months}": over_months(waiting["permit_date"], ref, months).to_numpy() for months in over}
    return pd.DataFrame(
        {
            "months": months_between(waiting["permit_date"], ref).to_numpy(),
            **flags,
            **breakdown_levels(waiting, year, period, with_county=False),
        }
    )


def sp11_waiting_over_months(settlement: pd.DataFrame, year: int, period: str, months: int) -> pd.DataFrame:
    """Persons waiting for settlement whose residence permit is older than ``months``: count and share.

    POPULATION: persons ready for settlement (``ready_date`` ≤ reference date) and not settled
    by the reference date (``settlement_date`` empty or later) — all persons waiting.
    NUMERATOR: those whose reference date is later than ``permit_date`` plus ``months``
    calendar months (the count asked for in appendix table 24).
    DENOMINATOR: all persons waiting.
    REFERENCE DATE: 30 June (``H1``) or 31 December (``year``).
    Breakdowns: sex, category, household type, category × household type.
    Indicator ids ``sp11_waiting_over_12_months``, ``…_24_…`` and ``…_36_…``.
    """
    population = waiting_at_reference_date(settlement, year, period, over=(months,))
    population["success"] = population[f"over_{months}"].to_numpy()
    stats = tabulate(
        population, WAITING_BREAKDOWNS, summarise_share("success"), dimensions_of(WAITING_BREAKDOWNS)
    )
    return finish_indicator(stats, f"sp11_waiting_over_{months}_months", 11, year, period, UNIT_SHARE)


def sp11_place_utilisation(
    settlement: pd.DataFrame, municipal_decisions: pd.DataFrame, year: int, period: str
) -> pd.DataFrame:
    """Place utilisation: persons settled in the period per place decided by the municipalities.

    POPULATION: the places municipalities decided to settle for the year (``decided`` in
    ``municipal_decisions``).
    NUMERATOR: persons settled in the period (``settlement_date`` in 1 January – reference date)
    except family reunifications (``familiegjenforent``), which come in addition to the decided
    places; includes persons settled by Bufetat and self-settled after agreement.
    DENOMINATOR: sum of ``decided`` places (for ``H1`` too: the year's places, so the H1 value
    is the part used so far).
    REFERENCE DATE: 30 June (``H1``) or 31 December (``year``).
    Unit ``ratio``: may exceed 1 when more persons are settled than places decided. No
    interval (a ratio of two full counts). Breakdown: county (of settlement / of the decision).
    """
    on = reference_date(year, period)
    settled = settled_in(settlement, *period_bounds(year, period))
    settled = settled[~settled["category"].isin(NOT_COUNTED_AGAINST_PLACES)]
    counties = pd.concat([settled["county"], municipal_decisions["county"]], ignore_index=True)
    levels = county_levels(counties, on)
    numerator = levels.iloc[: len(settled)].value_counts(sort=False)
    places = pd.Series(
        municipal_decisions["decided"].to_numpy(dtype=float), index=levels.index[len(settled) :]
    )
    denominator = places.groupby(levels.iloc[len(settled) :], observed=False).sum()
    rows = pd.concat(
        [
            share_columns(
                pd.Series([numerator.sum()], index=[TOTAL]), pd.Series([denominator.sum()], index=[TOTAL])
            ),
            share_columns(numerator, denominator.reindex(numerator.index, fill_value=0)),
        ]
    )
    stats = rows.assign(ci_lower=float("nan"), ci_upper=float("nan")).rename_axis("county").reset_index()
    stats["county"] = stats["county"].astype(str)
    for column in ("sex", "category", "household_type", "language", "qualification_category"):
        stats[column] = None
    return finish_indicator(stats, "sp11_place_utilisation", 11, year, period, UNIT_RATIO)
