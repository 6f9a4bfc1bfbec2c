"""SP 4: start of training in Norwegian or social studies within three months (right and duty, or duty).

The population and the rule are those of appendix tables 6A (right and duty) and 6B (duty):
:func:`imdi_analysis.measures.populations.training_entrants`; the counting unit is persons.
"""

from __future__ import annotations

import pandas as pd

from imdi_analysis.config import reference_date
from imdi_analysis.indicators._common import (
    UNIT_SHARE,
    code_list_levels,
    county_levels,
    dimensions_of,
    finish_indicator,
    sex_levels,
    summarise_share,
    tabulate,
)
from imdi_analysis.indicators.intro import START_WITHIN_MONTHS, target_group_window
from imdi_analysis.measures.durations import within_months
from imdi_analysis.measures.populations import entered_in, training_entrants

DUTY_TO_TRAINING = ("rett_og_plikt", "plikt")
BREAKDOWNS = [("sex",), ("county",), ("category",)]


def sp04_training_within_3_months(norwegian_training: pd.DataFrame, year: int, period: str) -> pd.DataFrame:
    """Share of new entrants with a duty to Norwegian training who started it within three months.

    POPULATION: persons with right code ``rett_og_plikt`` or ``plikt`` (appendix tables 6A and
    6B) whose ``target_group_date`` falls in the same 12-month window as the introduction
    programme indicator (:func:`~imdi_analysis.indicators.intro.target_group_window`):
    1 Oct (year − 1) – 30 Sep (year) for ``year``; 1 Apr (year − 1) – 31 Mar (year) for ``H1``.
    One row per person.
    NUMERATOR: those whose first start of training in Norwegian or social studies (the earlier
    of ``norwegian_start`` and ``social_studies_start``) is on or before the target-group date
    plus three calendar months — the definition of appendix tables 6A and 6B (the letter:
    "i opplæring i norsk og samfunnskunnskap innen tre måneder").
    DENOMINATOR: the population.
    REFERENCE DATE: 30 June (``H1``) or 31 December (``year``).
    Breakdowns: sex, county, right code.

    Pass the extracts of ``year`` and ``year − 1`` concatenated; a person in both is kept once
    (the row of the later extract, which is passed last).
    """
    persons = training_entrants(norwegian_training, DUTY_TO_TRAINING)
    cohort = entered_in(persons, *target_group_window(year, period))
    started = within_months(cohort["target_group_date"], cohort["first_start"], START_WITHIN_MONTHS)
    population = pd.DataFrame(
        {
            "success": started.to_numpy(dtype=bool),
            "sex": sex_levels(cohort["sex"]),
            "county": county_levels(cohort["county"], reference_date(year, period)),
            "category": code_list_levels(cohort["right_code"], "training_right_codes", DUTY_TO_TRAINING),
        }
    )
    stats = tabulate(population, BREAKDOWNS, summarise_share("success"), dimensions_of(BREAKDOWNS))
    return finish_indicator(stats, "sp04_training_within_3_months", 4, year, period, UNIT_SHARE)
