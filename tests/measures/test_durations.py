"""The one month rule (calendar months), against dates worked out on a calendar."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imdi_analysis.measures.durations import (
    add_months,
    band_index,
    months_between,
    over_months,
    within_months,
)


def dates(*values: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values)))


def test_add_months_keeps_the_day_or_takes_the_last_day_of_a_shorter_month():
    """15 Jan + 3 = 15 Apr; 31 Jan + 1 = 28 Feb (2022), 29 Feb (2024); 31 Jan + 3 = 30 Apr; 30 Nov + 3 = 28 Feb."""
    start = dates("2022-01-15", "2022-01-31", "2024-01-31", "2022-01-31", "2021-11-30", None)
    assert add_months(start, 3).tolist()[:1] == [pd.Timestamp("2022-04-15")]
    assert add_months(start.iloc[1:3], 1).tolist() == [pd.Timestamp("2022-02-28"), pd.Timestamp("2024-02-29")]
    assert add_months(start.iloc[3:5], 3).tolist() == [pd.Timestamp("2022-04-30"), pd.Timestamp("2022-02-28")]
    assert pd.isna(add_months(start, 3).iloc[5])


def test_within_three_months_counts_the_same_date_and_not_the_day_after():
    """15 Jan → 15 Apr in, → 16 Apr out; 31 Jan → 30 Apr in, → 1 May out; 1 Nov → 1 Feb in (92 days);
    a missing end is never within."""
    start = dates("2022-01-15", "2022-01-15", "2022-01-31", "2022-01-31", "2021-11-01", "2022-01-01")
    end = dates("2022-04-15", "2022-04-16", "2022-04-30", "2022-05-01", "2022-02-01", None)
    assert within_months(start, end, 3).tolist() == [True, False, True, False, True, False]
    assert over_months(start, end, 3).tolist() == [False, True, False, True, False, False]


def test_months_between_is_whole_calendar_months_plus_the_fraction_of_the_next():
    """15 Jan → 15 Apr = 3; → 16 Apr = 3 + 1/30 (15 Apr → 15 May has 30 days); 31 Jan → 28 Feb = 1;
    31 Jan → 30 Apr = 3; 31 Jan → 1 May = 3 + 1/31; 1 Jan → 16 Jan = 15/31; 1 Nov → 1 Feb = 3."""
    start = dates(
        "2022-01-15", "2022-01-15", "2022-01-31", "2022-01-31", "2022-01-31", "2022-01-01", "2021-11-01"
    )
    end = dates(
        "2022-04-15", "2022-04-16", "2022-02-28", "2022-04-30", "2022-05-01", "2022-01-16", "2022-02-01"
    )
    expected = [3, 3 + 1 / 30, 1, 3, 3 + 1 / 31, 15 / 31, 3]
    assert months_between(start, end).tolist() == pytest.approx(expected)


def test_months_between_a_fixed_date_and_missing_dates():
    """Permit 31 Dec 2021 → reference date 31 Dec 2022 = 12 exactly; a missing start gives NaN."""
    out = months_between(dates("2021-12-31", "2021-12-30", None), pd.Timestamp("2022-12-31"))
    assert out.iloc[0] == 12 and out.iloc[1] == pytest.approx(12 + 1 / 31) and pd.isna(out.iloc[2])


def test_bands_are_disjoint_and_the_last_band_is_later_than_every_limit():
    start = dates("2022-01-15", "2022-01-15", "2022-01-15", "2022-01-15")
    end = dates("2022-04-15", "2022-04-16", "2022-07-16", "2023-01-16")
    assert band_index(start, end, (3, 6, 12)).tolist() == [0, 1, 2, 3]


day = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2025, 12, 31))


@settings(deadline=None)  # pandas per example; the shared machine is loaded
@given(start=day, end=day, months=st.integers(min_value=0, max_value=48))
def test_the_duration_is_at_most_n_exactly_when_within_n_months(start, end, months):
    """The law that keeps SP 11 and tables 17, 18, 21, 24 together: months_between ≤ N ⇔ within N months."""
    s, e = pd.Series([pd.Timestamp(start)]), pd.Series([pd.Timestamp(end)])
    assert (months_between(s, e).iloc[0] <= months) == within_months(s, e, months).iloc[0]


@settings(deadline=None)
@given(start=day, days=st.integers(min_value=0, max_value=2000), more=st.integers(min_value=1, max_value=60))
def test_the_duration_grows_with_the_end_date(start, days, more):
    s = pd.Series([pd.Timestamp(start)] * 2)
    e = pd.Series(
        [pd.Timestamp(start) + pd.Timedelta(days=days), pd.Timestamp(start) + pd.Timedelta(days=days + more)]
    )
    first, second = months_between(s, e).tolist()
    assert 0 <= first < second


def test_add_months_and_within_months_agree_with_pandas_date_offset():
    """An independent calendar: pandas' DateOffset(months=k) on 20 000 random dates 2015–2025."""
    rng = np.random.default_rng(2022)
    start = pd.Series(pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 4000, 20_000), unit="D"))
    for months in (-12, -3, 1, 3, 6, 12, 25):
        assert (add_months(start, months) == start + pd.DateOffset(months=months)).all(), months
    end = start + pd.to_timedelta(rng.integers(0, 400, len(start)), unit="D")
    assert (within_months(start, end, 3) == (end <= start + pd.DateOffset(months=3))).all()
