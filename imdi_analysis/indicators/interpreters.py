"""SP 14 and SP 15: qualified interpreters (Nasjonalt tolkeregister).

The letter's SP 14 is "Bruk av kvalifiserte tolker i offentlig sektor" (use of qualified
interpreters) and SP 15 "Økt antall tolker i nasjonalt tolkeregister" (more interpreters in the
register). The register counts therefore belong to SP 15; the only register measure of use is
the number of searches in the register (appendix table 30), an indirect measure of SP 14.

An interpreter is in the register at the reference date when ``registered_date`` ≤ the date
and ``deregistered_date`` is empty or later. The extract is a snapshot taken on 31 December;
the state on 30 June (``H1``) is reconstructed from the dates. The population is
:func:`imdi_analysis.measures.populations.interpreters_in_register_on`, shared with appendix
table 28A (whose half-year status date is 1 June, as the letter prints "per 1.6"; on 31
December both count the same interpreters).
"""

from __future__ import annotations

import pandas as pd

from imdi_analysis.config import reference_date
from imdi_analysis.indicators._common import (
    UNIT_COUNT,
    as_flag,
    code_list_levels,
    coded_levels,
    dimensions_of,
    finish_indicator,
    in_period,
    sex_levels,
    summarise_count,
    tabulate,
)
from imdi_analysis.measures.periods import reference_timestamp
from imdi_analysis.measures.populations import (
    CATEGORY_RANK,  # noqa: F401 (re-exported)
    interpreters_in_register_on,
)
from imdi_analysis.measures.populations import interpreters_by_highest_category as highest_category

TOP_LANGUAGES = 30
OTHER_LANGUAGES = "Andre språk"
REASON_NO_MONTHS = "ingen måneder i perioden"
INTERPRETER_BREAKDOWNS = [("sex",), ("qualification_category",)]
PAIR_BREAKDOWNS = [("sex",), ("qualification_category",), ("language",)]
AUTHORISED_BREAKDOWNS = [("sex",)]


def registered_at(interpreters: pd.DataFrame, year: int, period: str) -> pd.DataFrame:
    """Interpreter-language rows in the register at the reference date
    (:func:`imdi_analysis.measures.populations.interpreters_in_register_on`)."""
    return interpreters_in_register_on(interpreters, reference_timestamp(year, period))


def sp15_interpreters_register(interpreters: pd.DataFrame, year: int, period: str) -> pd.DataFrame:
    """Number of interpreters in the national register of interpreters at the reference date.

    POPULATION: interpreters with at least one language registered at the reference date.
    NUMERATOR: number of distinct interpreters (the value). DENOMINATOR: not applicable.
    REFERENCE DATE: 30 June (``H1``) or 31 December (``year``).
    Breakdowns: sex; qualification category, each interpreter counted once in the highest
    category held in any language (so the categories add up to the total).
    """
    persons = highest_category(registered_at(interpreters, year, period))  # the table 28A population
    population = pd.DataFrame(
        {
            "interpreter_id": persons["interpreter_id"].to_numpy(),
            "sex": pd.Categorical(sex_levels(persons["sex"])),
            "qualification_category": pd.Categorical(
                code_list_levels(persons["category"], "interpreter_categories")
            ),
        }
    )
    dims = dimensions_of(INTERPRETER_BREAKDOWNS)
    stats = tabulate(population, INTERPRETER_BREAKDOWNS, summarise_count(), dims)
    return finish_indicator(stats, "sp15_interpreters_register", 15, year, period, UNIT_COUNT)


def language_levels(languages: pd.Series) -> pd.Series:
    """The ``TOP_LANGUAGES`` most frequent languages (ties by name), the rest as "Andre språk"."""
    counts = languages.astype(str).value_counts()
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    top = [language for language, _ in ranked[:TOP_LANGUAGES]]
    shown = set(top)
    order = [*top, OTHER_LANGUAGES] if len(ranked) > TOP_LANGUAGES else top
    return coded_levels(languages, lambda language: language if language in shown else OTHER_LANGUAGES, order)


def sp15_interpreter_language_pairs(interpreters: pd.DataFrame, year: int, period: str) -> pd.DataFrame:
    """Number of interpreter-language pairs in the register at the reference date.

    POPULATION: rows (interpreter × language) registered at the reference date.
    NUMERATOR: number of pairs (the value). DENOMINATOR: not applicable.
    REFERENCE DATE: 30 June (``H1``) or 31 December (``year``).
    Breakdowns: sex; qualification category of the pair; language (the 30 largest languages,
    the rest together as "Andre språk", so the languages add up to the total) — appendix 28B.
    """
    pairs = registered_at(interpreters, year, period)
    population = pd.DataFrame(
        {
            "sex": pd.Categorical(sex_levels(pairs["sex"])),
            "qualification_category": pd.Categorical(
                code_list_levels(pairs["category"], "interpreter_categories")
            ),
            "language": pd.Categorical(language_levels(pairs["language"])),
        }
    )
    stats = tabulate(population, PAIR_BREAKDOWNS, summarise_count(), dimensions_of(PAIR_BREAKDOWNS))
    return finish_indicator(stats, "sp15_interpreter_language_pairs", 15, year, period, UNIT_COUNT)


def sp15_interpreters_state_authorised(interpreters: pd.DataFrame, year: int, period: str) -> pd.DataFrame:
    """Number of state-authorised interpreters in the register at the reference date.

    POPULATION: interpreters in the register at the reference date.
    NUMERATOR: distinct interpreters holding a state authorisation (``state_authorised`` true
    and ``authorisation_date`` ≤ the reference date) in at least one registered language.
    DENOMINATOR: not applicable (a count).
    REFERENCE DATE: 30 June (``H1``) or 31 December (``year``).
    Breakdown: sex.
    """
    ref = pd.Timestamp(reference_date(year, period))
    pairs = registered_at(interpreters, year, period)
    authorised = pairs[as_flag(pairs["state_authorised"]) & (pairs["authorisation_date"] <= ref)]
    persons = authorised.drop_duplicates(subset="interpreter_id")
    population = pd.DataFrame(
        {
            "interpreter_id": persons["interpreter_id"].to_numpy(),
            "sex": pd.Categorical(sex_levels(persons["sex"])),
        }
    )
    dims = dimensions_of(AUTHORISED_BREAKDOWNS)
    stats = tabulate(population, AUTHORISED_BREAKDOWNS, summarise_count(), dims)
    return finish_indicator(stats, "sp15_interpreters_state_authorised", 15, year, period, UNIT_COUNT)


def sp14_register_searches(register_searches: pd.DataFrame, year: int, period: str) -> pd.DataFrame:
    """Searches in the national register of interpreters in the period (indirect measure of use).

    POPULATION: months whose first day (``month``) falls in the period (January to June for
    ``H1``, January to December for ``year``).
    NUMERATOR: sum of ``searches`` (the value). DENOMINATOR: not applicable.
    REFERENCE DATE: 30 June (``H1``) or 31 December (``year``).
    No breakdown. A search is a proxy for use of qualified interpreters, not use itself.
    When the extract has no month in the period, the value is missing ("ingen måneder i perioden").
    """
    months = register_searches[in_period(register_searches["month"], year, period)]
    population = pd.DataFrame({"searches": months["searches"].to_numpy(dtype=float)})
    stats = tabulate(population, [], summarise_count(weight="searches"), [])
    if months.empty:
        stats = stats.assign(value=float("nan"), numerator=float("nan"), missing_reason=REASON_NO_MONTHS)
    return finish_indicator(stats, "sp14_register_searches", 14, year, period, UNIT_COUNT)
