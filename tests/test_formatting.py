"""Norwegian number format for readers."""

from __future__ import annotations

import math

from imdi_analysis.formatting import format_date, format_mill_kr, format_number, format_percent

NBSP = "\u00a0"


def test_thousands_use_a_no_break_space_and_decimals_a_comma():
    assert format_number(4953.07, 2) == f"4{NBSP}953,07"
    assert format_number(1234567) == f"1{NBSP}234{NBSP}567"


def test_money_in_million_kroner():
    assert format_mill_kr(4_953_070_000, 2) == f"4{NBSP}953,07"
    assert format_mill_kr(302_500_000) == "302,5"


def test_missing_values_use_the_ssb_symbol():
    assert format_number(None) == ".."
    assert format_number(math.nan) == ".."
    assert format_percent(None) == ".."


def test_percent_and_negative_numbers():
    assert format_percent(0.634) == f"63,4{NBSP}%"
    assert format_number(-1500) == f"\u22121{NBSP}500"


def test_dates_in_bokmal():
    assert format_date("2022-06-30") == "30. juni 2022"
