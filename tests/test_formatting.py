"""Norwegian number format for readers."""

from __future__ import annotations

import math

from imdi_analysis.budget.rules import format_amount
from imdi_analysis.budget.status import format_limit, format_mill
from imdi_analysis.formatting import (
    format_date,
    format_kroner,
    format_mill_kr,
    format_money,
    format_number,
    format_percent,
    round_half_up,
)

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


# --- rounding half up and money in integer arithmetic -----------------------------------------

MINUS = "\u2212"


def test_15_125_000_kroner_is_15_13_million_in_every_money_formatter():
    """5 % of 302,5 mill. kr = 15 125 000 kr = 15,125 mill. kr; the third decimal is exactly 5 → up.

    Dividing first gives the float 15.125, which Python formats half-to-even as '15,12'
    (the old budget/rules.py); every formatter must print '15,13'.
    """
    assert format_mill_kr(15_125_000, 2) == "15,13"
    assert format_money(15_125_000) == "15,13 mill. kr"
    assert format_amount(15_125_000) == "15,13 mill. kr"
    assert format_mill(15_125_000) == "15,13"


def test_money_rounds_half_up_at_the_boundary_and_not_below_it():
    """15 124 999 kr = 15,124999 mill. → 15,12; 15 125 000 → 15,13; 15 135 000 → 15,14 (not even 15,14/15,13)."""
    assert format_mill_kr(15_124_999, 2) == "15,12"
    assert format_mill_kr(15_125_000, 2) == "15,13"
    assert format_mill_kr(15_135_000, 2) == "15,14"
    assert format_mill_kr(302_450_000, 1) == "302,5"  # 302,45 → 302,5 (half to even would keep 302,4)
    assert format_mill_kr(4_953_070_000, 2) == f"4{NBSP}953,07"


def test_negative_amounts_round_away_from_zero_and_use_the_minus_sign():
    """−15 125 000 → −15,13 (the mirror of +15,13); −4 000 kr in mill. kr with 2 decimals is 0,00, not −0,00."""
    assert format_mill_kr(-15_125_000, 2) == f"{MINUS}15,13"
    assert format_money(-15_125_000) == f"{MINUS}15,13 mill. kr"
    assert format_mill_kr(-4_000, 2) == "0,00"
    assert format_money(-17_511) == f"{MINUS}17{NBSP}511 kr"
    assert round_half_up(-5, 10) == -1 and round_half_up(5, 10) == 1 and round_half_up(4, 10) == 0


def test_small_amounts_are_whole_kroner_and_the_million_boundary():
    """999 999 kr stays in kroner; 1 000 000 kr is '1,00 mill. kr'."""
    assert format_money(999_999) == f"999{NBSP}999 kr"
    assert format_money(1_000_000) == "1,00 mill. kr"
    assert format_kroner(15_125_000) == f"15{NBSP}125{NBSP}000"
    assert format_limit(15_125_000) == f"15{NBSP}125{NBSP}000"


def test_missing_money_is_two_dots():
    assert format_money(None) == ".."
    assert format_mill_kr(None, 2) == ".."
    assert format_mill_kr(math.nan) == ".."
    assert format_mill(None) == ".."
    assert format_kroner(None) == ".."
    assert format_limit(None) == "ingen fast grense"


def test_numbers_and_percent_round_half_up_on_the_decimal_value():
    """2,5 → 3 and 0,125 → 0,13 (half to even gives 2 and 0,12); 12,345 % → 12,3 %; 0,5 % of 1 decimal stays."""
    assert format_number(2.5) == "3"
    assert format_number(0.125, 2) == "0,13"
    assert format_number(-2.5) == f"{MINUS}3"
    assert format_percent(0.12345) == f"12,3{NBSP}%"
    assert format_percent(0.00125, 2) == f"0,13{NBSP}%"
    assert format_number(math.inf) == ".."
