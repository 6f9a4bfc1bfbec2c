"""SP 10: use of IMDi's services against negative social control and honour-related violence.

The minority advisers (minoritetsrådgivere, in schools) and integration advisers
(integreringsrådgivere, at embassies) are IMDi's services in this field; the number of cases
they report (appendix table 32) measures their use.
"""

from __future__ import annotations

import pandas as pd

from imdi_analysis.indicators._common import (
    UNIT_COUNT,
    coded_levels,
    dimensions_of,
    finish_indicator,
    in_period,
    sex_levels,
    summarise_count,
    tabulate,
)

ADVISER_LABELS = {
    "minoritetsradgiver": "Minoritetsrådgivere",
    "integreringsradgiver": "Integreringsrådgivere",
}
BREAKDOWNS = [("sex",), ("category",)]


def sp10_minority_adviser_cases(minority_adviser_cases: pd.DataFrame, year: int, period: str) -> pd.DataFrame:
    """Number of cases reported by minority and integration advisers in the period.

    POPULATION: cases whose ``report_date`` falls in the period (1 January to the reference date).
    NUMERATOR: number of cases (the value). DENOMINATOR: not applicable.
    REFERENCE DATE: 30 June (``H1``) or 31 December (``year``).
    Breakdowns: sex of the person the case concerns; adviser type (in ``category``).
    """
    cases = minority_adviser_cases[in_period(minority_adviser_cases["report_date"], year, period)]
    adviser = coded_levels(
        cases["adviser_type"], lambda code: ADVISER_LABELS.get(code, str(code)), list(ADVISER_LABELS.values())
    )
    population = pd.DataFrame(
        {"sex": pd.Categorical(sex_levels(cases["sex"])), "category": pd.Categorical(adviser)}
    )
    stats = tabulate(population, BREAKDOWNS, summarise_count(), dimensions_of(BREAKDOWNS))
    return finish_indicator(stats, "sp10_minority_adviser_cases", 10, year, period, UNIT_COUNT)
