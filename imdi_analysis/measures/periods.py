"""Reporting periods, reference dates and the windows measures are counted in.

Every period counts from 1 January of the reporting year up to and including its reference
date: 30 June for the half-year report (``H1``) and 31 December for the annual report
(``year``). Quarters (``Q1`` … ``Q4``, reference date the quarter's last day) are defined for
the quarterly settlement analysis; they count the quarter only, not from 1 January.

An *entry window* is the twelve months of entries (to the target group of the introduction
programme or of Norwegian training) that can be followed for N months by the reference date:
it ends on the last day of the month N months before the reference date. With three months:
1 October the year before – 30 September (annual report) and 1 April the year before –
31 March (half-year report), the letter's "perioden 01.10–30.09" of table 9.
"""

from __future__ import annotations

import pandas as pd

from imdi_analysis.config import check_period, period_start, reference_date
from imdi_analysis.errors import ConfigError
from imdi_analysis.measures.durations import add_months

QUARTERS = ("Q1", "Q2", "Q3", "Q4")


def period_bounds(year: int, period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day (inclusive) of a reporting period: 1 January to the reference date."""
    check_period(period)
    return pd.Timestamp(period_start(year)), pd.Timestamp(reference_date(year, period))


def reference_timestamp(year: int, period: str) -> pd.Timestamp:
    """The reference (status) date of a period as a Timestamp: 30 June or 31 December."""
    return pd.Timestamp(reference_date(year, period))


def in_window(dates: pd.Series, first: pd.Timestamp, last: pd.Timestamp) -> pd.Series:
    """Whether each date falls from ``first`` to ``last``, both included (missing dates are outside)."""
    dates = pd.to_datetime(dates)
    return ((dates >= first) & (dates <= last)).fillna(False).astype(bool)


def in_period(dates: pd.Series, year: int, period: str) -> pd.Series:
    """Whether each date falls in the reporting period (missing dates are outside)."""
    return in_window(dates, *period_bounds(year, period))


def entry_window(year: int, period: str, months: int = 3) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Twelve months of entries that can be followed for ``months`` calendar months by the reference date.

    Ends on the day before (reference date + 1 day − ``months`` months), starts one year
    earlier: ``entry_window(2022, "year")`` is 1 Oct 2021 – 30 Sep 2022 and
    ``entry_window(2022, "H1")`` is 1 Apr 2021 – 31 Mar 2022.
    """
    after = reference_timestamp(year, period) + pd.Timedelta(days=1)
    end_exclusive = add_months(pd.Series([after]), -months).iloc[0]
    start = add_months(pd.Series([end_exclusive]), -12).iloc[0]
    return pd.Timestamp(start), pd.Timestamp(end_exclusive) - pd.Timedelta(days=1)


def quarter_bounds(year: int, quarter: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of a calendar quarter; the last day is the quarter's reference date.

    Raises
    ------
    ConfigError
        When ``quarter`` is not one of ``Q1`` … ``Q4``.
    """
    if quarter not in QUARTERS:
        raise ConfigError(f"Unknown quarter {quarter!r}: use one of {', '.join(QUARTERS)}.")
    first = pd.Timestamp(year, 3 * QUARTERS.index(quarter) + 1, 1)
    return first, first + pd.offsets.QuarterEnd(0)


__all__ = [
    "QUARTERS",
    "entry_window",
    "in_period",
    "in_window",
    "period_bounds",
    "quarter_bounds",
    "reference_timestamp",
]
