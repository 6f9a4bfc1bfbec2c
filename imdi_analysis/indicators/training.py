"""SP 4: start of Norwegian training within three months (persons with right and duty, or duty)."""

from __future__ import annotations

import pandas as pd

from imdi_analysis.config import reference_date
from imdi_analysis.indicators._common import (
    UNIT_SHARE,
    add_months,
    code_list_levels,
    county_levels,
    dimensions_of,
    finish_indicator,
    sex_levels,
    summarise_share,
    tabulate,
)
from imdi_analysis.indicators.intro import START_WITHIN_MONTHS, target_group_window

DUTY_TO_TRAINING = ("rett_og_plikt", "plikt")
BREAKDOWNS = [("sex",), ("county",), ("category",)]


def sp04_training_within_3_months(norwegian_training: pd.DataFrame, year: int, period: str) -> pd.DataFrame:
    """Share of new entrants with a duty to Norwegian training who started it within three months.

    POPULATION: persons with right code ``rett_og_plikt`` or ``plikt`` (appendix tables 6A and
    6B) whose ``target_group_date`` falls in the same 12-month window as the introduction
    programme indicator (:func:`~imdi_analysis.indicators.intro.target_group_window`):
    1 Oct (year − 1) – 30 Sep (year) for ``year``; 1 Apr (year − 1) – 31 Mar (year) for ``H1``.
    One row per person.
    NUMERATOR: those whose ``norwegian_start`` is on or before the target-group date plus three
    calendar months.
    DENOMINATOR: the population.
    REFERENCE DATE: 30 June (``H1``) or 31 December (``year``).
    Breakdowns: sex, county, right code.

    Pass the extracts of ``year`` and ``year − 1`` concatenated; a person in both is kept once
    (the row of the later extract, which is passed last).
    """
    person, _ids = pd.factorize(norwegian_training["person_id"])
    persons = norwegian_training[~pd.Series(person).duplicated(keep="last").to_numpy()]
    persons = persons[persons["right_code"].isin(DUTY_TO_TRAINING)]
    start, end = target_group_window(year, period)
    cohort = persons[(persons["target_group_date"] >= start) & (persons["target_group_date"] <= end)]
    deadline = add_months(cohort["target_group_date"], START_WITHIN_MONTHS)
    population = pd.DataFrame(
        {
            "success": (cohort["norwegian_start"] <= deadline).fillna(False).to_numpy(dtype=bool),
            "sex": sex_levels(cohort["sex"]),
            "county": county_levels(cohort["county"], reference_date(year, period)),
            "category": code_list_levels(cohort["right_code"], "training_right_codes", DUTY_TO_TRAINING),
        }
    )
    stats = tabulate(population, BREAKDOWNS, summarise_share("success"), dimensions_of(BREAKDOWNS))
    return finish_indicator(stats, "sp04_training_within_3_months", 4, year, period, UNIT_SHARE)
