"""Deviations for the half-year and annual report, on hand-made frames."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from imdi_analysis.reports.deviations import (
    Z95,
    assignment_deadlines,
    budget_deviations,
    indicator_deviations,
)

NA = pd.NA


def indicator_rows(rows: list[dict]) -> pd.DataFrame:
    """Indicator rows carrying every breakdown column the real frame carries (mostly NA)."""
    base = {
        "sp": 7,
        "year": 2022,
        "period": "H1",
        "sex": NA,
        "county": NA,
        "category": NA,
        "household_type": NA,
        "language": NA,
        "qualification_category": NA,
        "numerator": 10.0,
        "denominator": 20.0,
        "ci_lower": math.nan,
        "ci_upper": math.nan,
        "unit": "share",
        "change": math.nan,
        "missing_reason": None,
        "status": "",
    }
    return pd.DataFrame([{**base, **row} for row in rows])


def test_a_change_inside_its_interval_is_not_a_deviation_and_one_outside_is():
    """Hand computation.

    Indicator a: 0.60 [0.50, 0.70] now, 0.50 [0.40, 0.60] before. Each se = 0.10 / (2 z), so the
    margin is z · sqrt(2) · se = 1.96 · 1.41421 · 0.05102 = 0.14142 (= 0.10 · sqrt(2)).
    Change 0.10 < 0.14142: not beyond.

    Indicator b: 0.70 [0.65, 0.75] now, 0.60 [0.55, 0.65] before: each se = 0.05 / (2 z) = 0.02551,
    margin 1.96 · sqrt(2) · 0.02551 = 0.070711. Change 0.10 > 0.0707: beyond.

    Indicator c: 0.60 [0.50, 0.70] now, 0.45 [0.35, 0.55] before: margin 0.14142 as for a,
    change 0.15 > 0.14142: beyond (just outside).
    """
    now = indicator_rows(
        [
            {"indicator_id": "sp07a_a", "value": 0.60, "ci_lower": 0.50, "ci_upper": 0.70},
            {"indicator_id": "sp07a_b", "value": 0.70, "ci_lower": 0.65, "ci_upper": 0.75},
            {"indicator_id": "sp07a_c", "value": 0.60, "ci_lower": 0.50, "ci_upper": 0.70},
        ]
    )
    before = indicator_rows(
        [
            {"indicator_id": "sp07a_a", "value": 0.50, "ci_lower": 0.40, "ci_upper": 0.60, "year": 2021},
            {"indicator_id": "sp07a_b", "value": 0.60, "ci_lower": 0.55, "ci_upper": 0.65, "year": 2021},
            {"indicator_id": "sp07a_c", "value": 0.45, "ci_lower": 0.35, "ci_upper": 0.55, "year": 2021},
        ]
    )
    out = indicator_deviations(now, before).set_index("indicator_id")
    assert out.loc["sp07a_a", "change"] == pytest.approx(0.10)
    assert out.loc["sp07a_a", "margin"] == pytest.approx(0.141421, abs=1e-6)
    assert out.loc["sp07a_a", "beyond"] is False
    assert out.loc["sp07a_b", "margin"] == pytest.approx(0.0707107, abs=1e-6)
    assert out.loc["sp07a_b", "beyond"] is True
    assert out.loc["sp07a_c", "beyond"] is True
    assert pytest.approx(1.959964, abs=1e-6) == Z95


def test_only_the_national_row_is_compared():
    """The Menn row (0.9) must not be taken for the national figure (0.6)."""
    now = indicator_rows(
        [
            {"indicator_id": "sp07a_a", "sex": "Menn", "value": 0.90, "ci_lower": 0.8, "ci_upper": 0.95},
            {"indicator_id": "sp07a_a", "sex": "I alt", "value": 0.60, "ci_lower": 0.5, "ci_upper": 0.7},
        ]
    )
    before = indicator_rows(
        [{"indicator_id": "sp07a_a", "sex": "I alt", "value": 0.55, "ci_lower": 0.45, "ci_upper": 0.65}]
    )
    out = indicator_deviations(now, before)
    assert out["value"].tolist() == [0.60]
    assert out["change"].iloc[0] == pytest.approx(0.05)


def test_register_counts_have_no_uncertainty_and_hidden_figures_hide_the_change():
    now = indicator_rows(
        [
            {"indicator_id": "sp15_count", "unit": "count", "value": 2194.0, "denominator": math.nan},
            {"indicator_id": "sp07a_hidden", "value": math.nan, "status": ":"},
            {"indicator_id": "sp07a_new", "value": 0.5, "ci_lower": 0.4, "ci_upper": 0.6},
        ]
    )
    before = indicator_rows(
        [
            {"indicator_id": "sp15_count", "unit": "count", "value": 1822.0, "denominator": math.nan},
            {"indicator_id": "sp07a_hidden", "value": 0.4, "ci_lower": 0.3, "ci_upper": 0.5},
        ]
    )
    out = indicator_deviations(now, before).set_index("indicator_id")
    assert out.loc["sp15_count", "change"] == 372.0
    assert out.loc["sp15_count", "beyond"] is None
    assert out.loc["sp07a_hidden", "status"] == ":"
    assert math.isnan(out.loc["sp07a_hidden", "change"])
    assert math.isnan(out.loc["sp07a_hidden", "previous_value"]) is False  # the earlier figure was shown
    assert out.loc["sp07a_new", "status"] == ".."  # no figure one year earlier
    assert out.loc["sp07a_new", "beyond"] is None


def posts_frame() -> pd.DataFrame:
    """Allocation 100; forecasts 105 (exactly 5 %), 106 (6 %), 90 (−10 %), 101 but outside its rule."""
    return pd.DataFrame(
        {
            "chapter": [670, 670, 671, 672],
            "post": [1, 21, 60, 1],
            "allocation_nok": [100, 100, 100, 100],
            "forecast_nok": [105, 106, 90, 101],
            "deviation_nok": [5, 6, -10, 1],
            "deviation_share": [0.05, 0.06, -0.10, 0.01],
            "flagged": [False, False, False, True],
        }
    )


def test_budget_posts_beyond_the_share_or_outside_their_rule():
    out = budget_deviations(posts_frame(), share=0.05)
    assert list(zip(out["chapter"], out["post"], strict=True)) == [(670, 21), (671, 60), (672, 1)]
    assert out["reasons"].tolist() == [["share"], ["share"], ["rule"]]
    with pytest.raises(ValueError):
        budget_deviations(posts_frame(), share=1.5)


def test_assignments_due_in_the_period_passed_or_stated_in_words():
    """Half-year report 2022: period 1 January – 30 June.

    - 2022-01, deadline 6 May 2022: in the period;
    - 2022-02, deadline 30 June 2022 (the reference date itself): in the period;
    - 2022-03, deadline 1 July 2022: not yet due, left out;
    - 2021-09, deadline 15 December 2021: passed;
    - 2022-04, deadline in words ("Mai 2025"): listed last, as text.
    """
    assignments = pd.DataFrame(
        {
            "number": ["2022-01", "2022-02", "2022-03", "2021-09", "2022-04"],
            "deadline": pd.to_datetime(["2022-05-06", "2022-06-30", "2022-07-01", "2021-12-15", None]),
            "deadline_kind": ["date", "date", "date", "date", "month"],
            "deadline_text": ["06.05.2022", "30.06.2022", "01.07.2022", "15.12.2021", "Mai 2025"],
        }
    )
    out = assignment_deadlines(assignments, dt.date(2022, 1, 1), dt.date(2022, 6, 30))
    assert out["number"].tolist() == ["2021-09", "2022-01", "2022-02", "2022-04"]
    assert out["when"].tolist() == ["passed", "in_period", "in_period", "text"]
