"""Shared machinery: intervals, tabulation, the output schema and the change column."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from imdi_analysis.errors import ConfigError
from imdi_analysis.indicators._common import (
    REASON_ZERO_DENOMINATOR,
    TOTAL,
    add_change,
    as_levels,
    finish_indicator,
    median_interval,
    period_bounds,
    sex_levels,
    summarise_mean,
    summarise_median,
    summarise_share,
    t_quantile,
    tabulate,
    wilson_interval,
)
from tests.indicators.conftest import row, valid


def test_wilson_interval_matches_published_values():
    # Wilson (1927) / Newcombe (1998) table: 0/10 -> 0–0.2775, 5/10 -> 0.2366–0.7634, 10/10 -> 0.7225–1
    lower, upper = wilson_interval([0, 5, 10], [10, 10, 10])
    assert lower == pytest.approx([0.0, 0.2366, 0.7225], abs=1e-4)
    assert upper == pytest.approx([0.2775, 0.7634, 1.0], abs=1e-4)


def test_wilson_interval_is_missing_when_there_are_no_trials():
    lower, upper = wilson_interval([0], [0])
    assert math.isnan(lower[0]) and math.isnan(upper[0])


@pytest.mark.parametrize(
    ("df", "expected"), [(1, 12.7062), (2, 4.3027), (10, 2.2281), (30, 2.0423), (1000, 1.9623)]
)
def test_t_quantile_matches_student_t_tables(df, expected):
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(("t", "df", "two_sided_p"), [(2.0, 10, 0.0734), (1.0, 1, 0.5), (2.0, 2, 0.1835)])
def test_t_quantile_inverts_hand_checked_two_sided_p_values(t, df, two_sided_p):
    # df = 10: tables give P(|T| > 2.0) = 0.0734. df = 1 is Cauchy: P(|T| > 1) = 1/2 exactly.
    # df = 2 has the closed form P(|T| > t) = 1 − t / √(2 + t²): P(|T| > 2) = 1 − 2/√6 = 0.1835.
    assert t_quantile(1 - two_sided_p / 2, df) == pytest.approx(t, abs=1e-3)


def test_t_quantile_is_vectorised_and_missing_without_degrees_of_freedom():
    got = t_quantile(0.975, [0, 1, 2, -1])
    assert math.isnan(got[0]) and math.isnan(got[3])
    assert got[1:3] == pytest.approx([12.7062, 4.3027], abs=1e-4)


def test_median_interval_uses_order_statistics_and_contains_the_median():
    values = np.arange(1.0, 101.0)  # n = 100: ranks 40 and 61 (normal approximation)
    assert median_interval(values) == (40.0, 61.0)
    assert median_interval(np.array([7.0])) == (7.0, 7.0)


def test_period_bounds_run_from_1_january_to_the_reference_date():
    assert period_bounds(2022, "H1") == (pd.Timestamp("2022-01-01"), pd.Timestamp("2022-06-30"))
    assert period_bounds(2022, "year") == (pd.Timestamp("2022-01-01"), pd.Timestamp("2022-12-31"))
    with pytest.raises(ConfigError):
        period_bounds(2022, "Q3")


def test_empty_group_gets_a_row_with_missing_value_and_reason():
    population = pd.DataFrame({"success": [True, False], "sex": sex_levels(pd.Series(["M", "M"]))})
    stats = tabulate(population, [("sex",)], summarise_share("success"))
    women = stats[stats["sex"] == "Kvinner"].iloc[0]
    assert women["denominator"] == 0 and math.isnan(women["value"])
    assert women["missing_reason"] == REASON_ZERO_DENOMINATOR


def test_empty_population_still_has_a_total_row_with_reason():
    population = pd.DataFrame(
        {"success": pd.Series([], dtype=bool), "sex": sex_levels(pd.Series([], dtype=str))}
    )
    out = valid(
        finish_indicator(
            tabulate(population, [("sex",)], summarise_share("success")), "sp01_x", 1, 2022, "year", "share"
        )
    )
    total = row(out)
    assert total["denominator"] == 0 and total["missing_reason"] == REASON_ZERO_DENOMINATOR


def test_missing_codes_become_a_level_so_breakdowns_add_up():
    levels = as_levels(pd.Series(["a", None, "b"]), ["a"])
    assert list(levels.cat.categories) == ["a", "Uoppgitt", "b"]  # the given order, then the others sorted
    assert levels.isna().sum() == 0


def test_mean_has_t_interval_clipped_at_zero_and_median_an_order_statistic_interval():
    population = pd.DataFrame({"months": [1.0, 2.0, 3.0], "sex": sex_levels(pd.Series(["M", "M", "K"]))})
    mean = tabulate(population, [("sex",)], summarise_mean("months"))
    total = mean[mean["sex"] == TOTAL].iloc[0]
    half = t_quantile(0.975, 2) * 1.0 / math.sqrt(3)  # s = 1
    assert total["value"] == pytest.approx(2.0)
    assert total["ci_lower"] == 0.0  # 2 - 4.30 * 0.577 < 0, clipped
    assert total["ci_upper"] == pytest.approx(2.0 + half)
    women = mean[mean["sex"] == "Kvinner"].iloc[0]
    assert women["value"] == 3.0 and math.isnan(women["ci_lower"])  # n = 1: no interval
    median = tabulate(population, [("sex",)], summarise_median("months"))
    assert median[median["sex"] == TOTAL].iloc[0][["value", "ci_lower", "ci_upper"]].tolist() == [
        2.0,
        1.0,
        3.0,
    ]


def test_schema_rejects_a_share_above_one_and_a_missing_value_without_reason():
    population = pd.DataFrame({"success": [True], "sex": sex_levels(pd.Series(["M"]))})
    good = finish_indicator(
        tabulate(population, [("sex",)], summarise_share("success")), "sp01_x", 1, 2022, "year", "share"
    )
    bad = good.copy()
    bad.loc[0, ["numerator", "value"]] = [2.0, 2.0]
    with pytest.raises(pa.errors.SchemaError, match="share_within_unit_interval"):
        valid(bad)
    bad = good.copy()
    bad.loc[0, "value"] = np.nan
    with pytest.raises(pa.errors.SchemaError, match="missing_value_has_reason"):
        valid(bad)


def test_change_is_value_minus_the_same_breakdown_one_year_earlier():
    def frame(year, values):
        population = pd.DataFrame(
            {"success": values, "sex": sex_levels(pd.Series(["M", "K"][: len(values)]))}
        )
        stats = tabulate(population, [("sex",)], summarise_share("success"))
        return finish_indicator(stats, "sp01_x", 1, year, "year", "share")

    before, now = frame(2021, [True, False]), frame(2022, [True, True])
    out = add_change(now, pd.concat([before, now]))
    assert row(out)["change"] == pytest.approx(1.0 - 0.5)
    assert row(out, sex="Kvinner")["change"] == pytest.approx(1.0)
    assert math.isnan(row(add_change(before, pd.concat([before, now])))["change"])  # no 2020
