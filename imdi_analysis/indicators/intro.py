"""SP 4, 7a and 8: the introduction programme (NIR spells).

A row of ``intro_participants`` is one programme spell; a person who left and re-entered has
two rows (and a person in the target group who has not started has one row without
``programme_start``). The populations are :mod:`imdi_analysis.measures.populations`, shared
with appendix tables 9 and 11A: SP 4 counts persons (as table 9), SP 7a and SP 8 count
programme spells — a person who left twice in the period counts twice — where table 11A counts
persons once, so SP 7a's denominator is at least table 11A's total, and equal to it when every
leaver has one ended spell in the period.
"""

from __future__ import annotations

import pandas as pd

from imdi_analysis.config import reference_date
from imdi_analysis.indicators._common import (
    UNIT_SHARE,
    WORK_OR_EDUCATION,
    as_flag,
    code_list_levels,
    county_levels,
    dimensions_of,
    finish_indicator,
    sex_levels,
    summarise_share,
    tabulate,
)
from imdi_analysis.measures.durations import within_months
from imdi_analysis.measures.periods import entry_window, period_bounds
from imdi_analysis.measures.populations import (
    entered_in,
    leaver_spells,
    target_group_entrants,
    unique_spells,  # noqa: F401 (re-exported)
)

START_WITHIN_MONTHS = 3
RIGHT_TO_PROGRAMME = ("rett_og_plikt", "rett")
TARGET_GROUP_BREAKDOWNS = [("sex",), ("county",), ("category",)]
EXIT_BREAKDOWNS = [("sex",), ("county",)]


def target_group_window(year: int, period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The 12 months of target-group entries whose three-month deadline falls by the reference date.

    ``year``: 1 October (year − 1) – 30 September (year), as in appendix table 9.
    ``H1``: 1 April (year − 1) – 31 March (year), so that everyone in the cohort has had three
    full months before 30 June (:func:`imdi_analysis.measures.periods.entry_window`).
    """
    return entry_window(year, period, START_WITHIN_MONTHS)


def sp04_intro_within_3_months(intro_participants: pd.DataFrame, year: int, period: str) -> pd.DataFrame:
    """Share of new entrants to the programme's target group who started within three months.

    POPULATION: persons with a right to the introduction programme (right code ``rett_og_plikt``
    or ``rett``) whose date of entering the target group (``target_group_date``, earliest if a
    person has several rows) falls in the 12-month window of :func:`target_group_window`:
    1 Oct (year − 1) – 30 Sep (year) for ``year``; 1 Apr (year − 1) – 31 Mar (year) for ``H1``.
    One row per person: a person who left and re-entered counts once, by the first start.
    NUMERATOR: those whose first ``programme_start`` is on or before the target-group date plus
    three calendar months.
    DENOMINATOR: the population.
    REFERENCE DATE: 30 June (``H1``) or 31 December (``year``); the window ends three months
    before it, so every person had the full three months.
    Breakdowns: sex, county (of the responsible municipality), right code.

    Pass the extracts of ``year`` and ``year − 1`` concatenated (duplicates by key are dropped)
    so that persons who entered in the autumn of the year before are complete.
    """
    persons = target_group_entrants(intro_participants, RIGHT_TO_PROGRAMME)
    cohort = entered_in(persons, *target_group_window(year, period))
    started = within_months(cohort["target_group_date"], cohort["first_start"], START_WITHIN_MONTHS)
    population = pd.DataFrame(
        {
            "success": started.to_numpy(dtype=bool),
            "sex": sex_levels(cohort["sex"]),
            "county": county_levels(cohort["county"], reference_date(year, period)),
            "category": code_list_levels(cohort["right_code"], "intro_right_codes", RIGHT_TO_PROGRAMME),
        }
    )
    dims = dimensions_of(TARGET_GROUP_BREAKDOWNS)
    stats = tabulate(population, TARGET_GROUP_BREAKDOWNS, summarise_share("success"), dims)
    return finish_indicator(stats, "sp04_intro_within_3_months", 4, year, period, UNIT_SHARE)


def ended_spells(intro_participants: pd.DataFrame, year: int, period: str) -> pd.DataFrame:
    """Spells whose ``programme_end`` falls in the period (one row per spell; one extract's key is unique)."""
    return leaver_spells(intro_participants, *period_bounds(year, period))


def exit_population(ended: pd.DataFrame, success: pd.Series, year: int, period: str) -> pd.DataFrame:
    """Ended spells with a success flag and sex and county levels."""
    return pd.DataFrame(
        {
            "success": success.to_numpy(dtype=bool),
            "sex": sex_levels(ended["sex"]),
            "county": county_levels(ended["county"], reference_date(year, period)),
        }
    )


def sp07a_intro_direct_work_or_education(
    intro_participants: pd.DataFrame, year: int, period: str
) -> pd.DataFrame:
    """IMDi's direct measure: share of ended programme spells with work or education at exit.

    POPULATION: introduction programme spells whose ``programme_end`` falls in the period
    (1 January to the reference date). One row per spell: a person who left twice in the
    period counts twice, once per spell (the status is recorded per exit).
    NUMERATOR: spells with ``status_at_exit`` ``arbeid``, ``utdanning`` or ``arbeid_og_utdanning``.
    DENOMINATOR: the population.
    REFERENCE DATE: 30 June (``H1``) or 31 December (``year``).
    Breakdowns: sex, county. Not comparable with SP 7b (Statistics Norway's status one year
    after exit).
    """
    ended = ended_spells(intro_participants, year, period)
    population = exit_population(ended, ended["status_at_exit"].isin(WORK_OR_EDUCATION), year, period)
    stats = tabulate(population, EXIT_BREAKDOWNS, summarise_share("success"), dimensions_of(EXIT_BREAKDOWNS))
    return finish_indicator(stats, "sp07a_intro_direct_work_or_education", 7, year, period, UNIT_SHARE)


def sp08_intro_formal_qualification(intro_participants: pd.DataFrame, year: int, period: str) -> pd.DataFrame:
    """Share of ended programme spells in which the participant gained a formal qualification.

    POPULATION: introduction programme spells whose ``programme_end`` falls in the period
    (one row per spell, as for SP 7a).
    NUMERATOR: spells with ``formal_qualification`` true (missing counts as false).
    DENOMINATOR: the population.
    REFERENCE DATE: 30 June (``H1``) or 31 December (``year``).
    Breakdowns: sex, county.
    """
    ended = ended_spells(intro_participants, year, period)
    population = exit_population(ended, as_flag(ended["formal_qualification"]), year, period)
    stats = tabulate(population, EXIT_BREAKDOWNS, summarise_share("success"), dimensions_of(EXIT_BREAKDOWNS))
    return finish_indicator(stats, "sp08_intro_formal_qualification", 8, year, period, UNIT_SHARE)
