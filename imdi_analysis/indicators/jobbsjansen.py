"""SP 1: transition to work or education after Jobbsjansen."""

from __future__ import annotations

import pandas as pd

from imdi_analysis.config import reference_date
from imdi_analysis.indicators._common import (
    UNIT_SHARE,
    WORK_OR_EDUCATION,
    county_levels,
    dimensions_of,
    finish_indicator,
    in_period,
    sex_levels,
    summarise_share,
    tabulate,
)

BREAKDOWNS = [("sex",), ("county",)]


def sp01_jobbsjansen_work_or_education(jobbsjansen: pd.DataFrame, year: int, period: str) -> pd.DataFrame:
    """Share of Jobbsjansen participants who ended in the period and went on to work or education.

    POPULATION: Jobbsjansen participations (one row per person and project year) whose
    ``end_date`` falls in the period (1 January to the reference date). A person with two
    participations that ended in the period counts twice.
    NUMERATOR: those whose ``outcome`` is ``arbeid``, ``utdanning`` or ``arbeid_og_utdanning``.
    DENOMINATOR: the population.
    REFERENCE DATE: 30 June (``H1``) or 31 December (``year``) of ``year``.
    Breakdowns: sex, county.
    """
    ended = jobbsjansen[in_period(jobbsjansen["end_date"], year, period)]
    population = pd.DataFrame(
        {
            "success": ended["outcome"].isin(WORK_OR_EDUCATION).to_numpy(),
            "sex": sex_levels(ended["sex"]),
            "county": county_levels(ended["county"], reference_date(year, period)),
        }
    )
    stats = tabulate(population, BREAKDOWNS, summarise_share("success"), dimensions_of(BREAKDOWNS))
    return finish_indicator(stats, "sp01_jobbsjansen_work_or_education", 1, year, period, UNIT_SHARE)
