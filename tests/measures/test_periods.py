"""Reporting periods, entry windows and quarters."""

from __future__ import annotations

import pandas as pd
import pytest

from imdi_analysis.errors import ConfigError
from imdi_analysis.measures.periods import entry_window, in_period, period_bounds, quarter_bounds


def test_periods_run_from_1_january_to_the_reference_date_inclusive():
    assert period_bounds(2022, "H1") == (pd.Timestamp("2022-01-01"), pd.Timestamp("2022-06-30"))
    days = pd.Series(pd.to_datetime(["2021-12-31", "2022-01-01", "2022-06-30", "2022-07-01", None]))
    assert in_period(days, 2022, "H1").tolist() == [False, True, True, False, False]


def test_entry_window_ends_three_months_before_the_reference_date():
    """Annual: 1 Oct 2021 – 30 Sep 2022 (the letter's 01.10–30.09); half year: 1 Apr 2021 – 31 Mar 2022."""
    assert entry_window(2022, "year") == (pd.Timestamp("2021-10-01"), pd.Timestamp("2022-09-30"))
    assert entry_window(2022, "H1") == (pd.Timestamp("2021-04-01"), pd.Timestamp("2022-03-31"))
    assert entry_window(2022, "year", 6) == (pd.Timestamp("2021-07-01"), pd.Timestamp("2022-06-30"))


def test_quarters_end_on_their_reference_date():
    assert quarter_bounds(2024, "Q1") == (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-31"))
    assert quarter_bounds(2024, "Q4") == (pd.Timestamp("2024-10-01"), pd.Timestamp("2024-12-31"))
    with pytest.raises(ConfigError, match="Q1"):
        quarter_bounds(2024, "Q5")
