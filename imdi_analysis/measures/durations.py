"""Durations in months: the one month rule of every published measure.

THE MONTH RULE (calendar months). A date plus N months is the same day of the month N months
later, or the last day of that month when it is shorter: 15 Jan + 3 months = 15 Apr,
31 Jan + 1 month = 28 Feb (29 Feb in a leap year), 31 Jan + 3 months = 30 Apr. "Within N
months" of a start date means on or before the start date plus N months, so a settlement on
the permit date + 3 months is within 3 months and the day after is not.

A duration in months (mean and median waiting time) is measured on the same clock: the whole
calendar months ``m`` that have passed (``start + m months <= end``) plus the fraction of the
next calendar month that has passed, counted in days of that month::

    months_between(start, end) = m + (end - anchor_m) / (anchor_m+1 - anchor_m)
    where anchor_k = add_months(start, k) and anchor_m <= end < anchor_m+1

Why this rule and not days / 30.4375: with it, ``months_between(start, end) <= N`` holds
exactly when ``end`` is within N months of ``start``, for every N, so the share "settled within
3 months", the waiting-time bands (tables 17, 21, 24) and the mean and median in months (SP 11,
table 18) can never disagree about a person. The letter and the tables speak of calendar
months ("innen tre måneder"), which readers check against a calendar; a mean-length month
(days / 30.4375) puts a settlement 1 November → 1 February (92 days = 3.02 months) outside
three months although it is on the same date three months later. The two clocks differ by at
most about 1.5 days per month; on averages over many persons the difference is a few hundredths
of a month.

The same duration in DuckDB SQL, for independent recomputation (``s`` start, ``e`` end; DuckDB
also clamps ``date + to_months(k)`` to the end of a shorter month)::

    m0    = (year(e) - year(s)) * 12 + month(e) - month(s)
    whole = CASE WHEN s + to_months(m0) <= e THEN m0 ELSE m0 - 1 END
    months = whole + date_diff('day', s + to_months(whole), e)
                     / date_diff('day', s + to_months(whole), s + to_months(whole + 1))
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MONTH_RULE_NB = (
    "Måneder er kalendermåneder: en dato pluss tre måneder er samme dato tre måneder senere "
    "(siste dag i måneden når den er kortere, 31. januar + 1 måned = 28. februar). «Innen 3 måneder» "
    "betyr senest på den datoen. Ventetid i måneder er hele kalendermåneder pluss andelen av dagene "
    "i den påbegynte måneden."
)


def _as_dates(values: pd.Series | pd.Timestamp, index: pd.Index) -> np.ndarray:
    """``values`` as a datetime64[D] array aligned with ``index`` (NaT for missing)."""
    if isinstance(values, pd.Series):
        series = pd.to_datetime(values)
    else:
        series = pd.Series(pd.Timestamp(values) if not pd.isna(values) else pd.NaT, index=index)
    return series.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")


def _shift_months(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Calendar-month shift of datetime64[D] ``days`` by integer ``months`` (clamped to month end)."""
    month_start = days.astype("datetime64[M]")
    day_of_month = (days - month_start.astype("datetime64[D]")).astype(np.int64)
    target = month_start + months.astype("timedelta64[M]")
    length = (
        (target + np.timedelta64(1, "M")).astype("datetime64[D]") - target.astype("datetime64[D]")
    ).astype(np.int64)
    return target.astype("datetime64[D]") + np.minimum(day_of_month, length - 1).astype("timedelta64[D]")


def add_months(dates: pd.Series, months: int) -> pd.Series:
    """Each date plus ``months`` calendar months (31 Jan + 1 month = 28/29 Feb); NaT stays NaT."""
    days = _as_dates(dates, dates.index)
    missing = np.isnat(days)
    safe = np.where(missing, np.datetime64("2000-01-01"), days)
    shifted = _shift_months(safe, np.full(len(days), int(months)))
    out = pd.Series(shifted.astype("datetime64[ns]"), index=dates.index)
    return out.mask(missing)


def months_between(start: pd.Series, end: pd.Series | pd.Timestamp) -> pd.Series:
    """Calendar months from ``start`` to ``end``: whole months plus the fraction of the next one.

    See the module docstring for the rule. ``months_between(s, e) <= N`` exactly when
    :func:`within_months` ``(s, e, N)``. Missing dates give NaN; an ``end`` before ``start``
    gives a negative value on the same clock.

    Examples: 15 Jan → 15 Apr = 3.0; 31 Jan → 28 Feb = 1.0; 31 Jan → 30 Apr = 3.0;
    1 Nov → 1 Feb = 3.0; 1 Jan → 16 Jan = 15 / 31.
    """
    start_days = _as_dates(start, start.index)
    end_days = _as_dates(end, start.index)
    missing = np.isnat(start_days) | np.isnat(end_days)
    placeholder = np.datetime64("2000-01-01")
    s = np.where(missing, placeholder, start_days)
    e = np.where(missing, placeholder, end_days)
    guess = (e.astype("datetime64[M]") - s.astype("datetime64[M]")).astype(np.int64)
    whole = np.where(_shift_months(s, guess) <= e, guess, guess - 1)
    anchor = _shift_months(s, whole)
    following = _shift_months(s, whole + 1)
    fraction = (e - anchor).astype(np.int64) / (following - anchor).astype(np.int64)
    months = np.where(missing, np.nan, whole + fraction)
    return pd.Series(months, index=start.index, dtype="float64")


def within_months(start: pd.Series, end: pd.Series | pd.Timestamp, months: int) -> pd.Series:
    """Whether ``end`` is on or before ``start`` plus ``months`` calendar months (False if missing)."""
    start_days = _as_dates(start, start.index)
    end_days = _as_dates(end, start.index)
    known = ~(np.isnat(start_days) | np.isnat(end_days))
    safe = np.where(known, start_days, np.datetime64("2000-01-01"))
    limit = _shift_months(safe, np.full(len(safe), int(months)))
    return pd.Series(known & (end_days <= limit), index=start.index, dtype=bool)


def over_months(start: pd.Series, end: pd.Series | pd.Timestamp, months: int) -> pd.Series:
    """Whether ``end`` is later than ``start`` plus ``months`` calendar months (False if missing)."""
    known = ~(np.isnat(_as_dates(start, start.index)) | np.isnat(_as_dates(end, start.index)))
    return pd.Series(known, index=start.index) & ~within_months(start, end, months)


def band_index(
    start: pd.Series, end: pd.Series | pd.Timestamp, limits: list[int] | tuple[int, ...]
) -> np.ndarray:
    """Position of the first limit N with ``end`` within N months of ``start``; ``len(limits)`` if none.

    The bands are disjoint: "within 3", "later than 3 but within 6", …, "later than the last".
    """
    index = np.full(len(start), len(limits))
    for position in reversed(range(len(limits))):
        index = np.where(within_months(start, end, limits[position]).to_numpy(), position, index)
    return index


__all__ = [
    "MONTH_RULE_NB",
    "add_months",
    "band_index",
    "months_between",
    "over_months",
    "within_months",
]
