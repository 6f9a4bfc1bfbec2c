"""Year-end forecast: last year's monthly profile on hand-computed examples, linear fallback, laws."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imdi_analysis.budget.forecast import LINEAR, PROFILE, cumulative_share, forecast_posts, forecast_year_end


def last_year(monthly: dict[tuple[int, int], list[int]], column: str = "expenses_nok") -> pd.DataFrame:
    """Twelve rows per (chapter, post) from a list of monthly amounts."""
    rows = [
        {"year": 2021, "month": m, "chapter": c, "post": p, column: amount}
        for (c, p), amounts in monthly.items()
        for m, amount in enumerate(amounts, start=1)
    ]
    return pd.DataFrame(rows)


def spent(values: dict[tuple[int, int], int], column: str = "expenses_nok") -> pd.DataFrame:
    return pd.DataFrame([{"chapter": c, "post": p, column: v} for (c, p), v in values.items()])


LUMPS = [0, 0, 50_000, 0, 0, 0, 0, 0, 150_000, 0, 0, 0]  # 25 % paid by June
EVEN = [80_000] * 12  # 50 % by June
FRONT = [0, 72_000, 0, 0, 0, 0, 0, 0, 48_000, 0, 0, 0]  # 60 % by June


def test_cumulative_share_is_last_years_share_spent_by_the_month():
    shares = cumulative_share(
        last_year({(670, 45): LUMPS, (670, 1): EVEN, (671, 62): FRONT}), "expenses_nok", 6
    )
    by_post = dict(zip(shares["post"], shares["share"], strict=True))
    assert by_post == {1: 0.5, 45: 0.25, 62: 0.6}


def test_forecast_divides_spent_to_date_by_last_years_share_hand_computed():
    # 60 000 by June against 25 % by June last year -> 240 000; 66 000 against 60 % -> 110 000.
    out = forecast_posts(
        spent({(670, 45): 60_000, (671, 62): 66_000}),
        "expenses_nok",
        6,
        last_year({(670, 45): LUMPS, (671, 62): FRONT}),
    )
    assert out["forecast"].tolist() == [240_000, 110_000]
    assert out["method"].tolist() == [PROFILE, PROFILE]
    assert out["share"].tolist() == [0.25, 0.6]


def test_forecast_is_linear_without_last_year():
    out = forecast_posts(spent({(671, 21): 60_000}), "expenses_nok", 6, None)
    assert out["forecast"].item() == 120_000
    assert out["method"].item() == LINEAR
    assert out["share"].item() == 0.5


def test_forecast_is_linear_for_a_post_absent_last_year_or_unspent_by_the_month():
    previous = last_year({(670, 45): LUMPS, (670, 1): [0] * 12})
    # 670/45 paid nothing by February last year; 670/1 had no spending at all; 671/21 is new.
    out = forecast_posts(
        spent({(670, 45): 20_000, (670, 1): 30_000, (671, 21): 9_000}), "expenses_nok", 2, previous
    )
    assert out["method"].tolist() == [LINEAR] * 3
    assert out["forecast"].tolist() == [120_000, 180_000, 54_000]


def test_forecast_at_december_equals_spent():
    out = forecast_posts(spent({(670, 1): 987_654}), "expenses_nok", 12, last_year({(670, 1): EVEN}))
    assert out["forecast"].item() == 987_654


def test_income_is_projected_with_last_years_income_profile():
    income = [0, 0, 0, 0, 0, 1_000, 0, 0, 0, 0, 0, 3_000]  # 25 % by June
    out = forecast_posts(
        spent({(671, 21): 500}, "income_nok"), "income_nok", 6, last_year({(671, 21): income}, "income_nok")
    )
    assert out["forecast"].item() == 2_000


def test_forecast_rounds_half_up_to_whole_kroner():
    assert forecast_year_end(1, 0.4) == 3  # 2,5 -> 3
    assert forecast_year_end(100, 0.3) == 333


@pytest.mark.parametrize("share", [0.0, -0.1, 1.5, float("nan")])
def test_forecast_rejects_a_share_outside_zero_to_one(share):
    with pytest.raises(ValueError, match="share"):
        forecast_year_end(100, share)


@given(st.integers(min_value=0, max_value=10**11), st.floats(min_value=0.01, max_value=1.0))
def test_forecast_is_at_least_spent_and_recovers_it(to_date, share):
    forecast = forecast_year_end(to_date, share)
    assert forecast >= to_date
    assert abs(forecast * share - to_date) <= share


@settings(deadline=None)  # each example builds frames; a shared, loaded machine exceeds 200 ms
@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=12, max_size=12), st.integers(1, 12))
def test_last_years_own_spending_forecasts_last_years_total(monthly, month):
    previous = last_year({(670, 1): monthly})
    to_date = sum(monthly[:month])
    out = forecast_posts(spent({(670, 1): to_date}), "expenses_nok", month, previous)
    if out["method"].item() == PROFILE:
        assert abs(out["forecast"].item() - sum(monthly)) <= 1
