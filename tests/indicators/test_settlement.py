"""SP 11 against tests/fixtures/indicators/registers/2022/settlement.csv and municipal_decisions.csv.

Calendar months from permit to settlement (whole months plus the fraction of the next month):
S1 1 Jan → 1 Mar = 2; S2 1 Dec 2021 → 31 May = 5 + 30/31 (1 May → 31 May is 30 of May's 31 days);
S3 1 Jun 2021 → 1 Aug 2022 = 14; S4 1 Feb → 1 Apr = 2. (With days / 30.4375 the mean was
725 / 4 / 30.4375 = 5.955; on the calendar clock it is (2 + 5 + 30/31 + 14 + 2) / 4 = 5.992.)
"""

from __future__ import annotations

import math

import pytest

from imdi_analysis.indicators.settlement import (
    sp11_place_utilisation,
    sp11_settled_over_12_months,
    sp11_settled_within_months,
    sp11_settlement_mean_months,
    sp11_settlement_median_months,
    sp11_waiting_over_months,
)
from tests.indicators.conftest import load, row, valid

S2_MONTHS = 5 + 30 / 31


def test_mean_and_median_months_from_permit_to_settlement():
    mean = valid(sp11_settlement_mean_months(load("settlement"), 2022, "year"))
    assert row(mean)["value"] == pytest.approx((2 + S2_MONTHS + 14 + 2) / 4)
    assert row(mean)["denominator"] == 4
    assert row(mean)["ci_lower"] <= row(mean)["value"] <= row(mean)["ci_upper"]
    median = valid(sp11_settlement_median_months(load("settlement"), 2022, "year"))
    assert row(median)["value"] == pytest.approx((2 + S2_MONTHS) / 2)  # sorted: 2, 2, 5.97, 14
    assert row(median, category="Overføringsflyktninger")["value"] == pytest.approx(S2_MONTHS)


def test_settled_within_and_over_thresholds_are_shares_of_those_settled():
    settlement = load("settlement")
    within = {m: row(sp11_settled_within_months(settlement, 2022, "year", m))["value"] for m in (3, 6, 12)}
    assert within == {3: 0.5, 6: 0.75, 12: 0.75}
    over = valid(sp11_settled_over_12_months(settlement, 2022, "year"))
    assert row(over)["value"] == 0.25
    assert (
        row(over, category="Tidligere asylsøkere fra mottak", household_type="Enslige mindreårige")["value"]
        == 1.0
    )


def test_breakdowns_by_category_household_type_and_their_crossing():
    out = sp11_settled_within_months(load("settlement"), 2022, "year", 3)
    assert row(out, household_type="Personer i barnefamilier")["denominator"] == 2  # S2, S4
    crossed = row(out, category="Privatboende", household_type="Voksne som ikke er en del av en barnefamilie")
    assert crossed["denominator"] == 0 and crossed["missing_reason"] == "nevner er 0"


def test_waiting_counts_persons_ready_and_not_settled_at_the_reference_date():
    settlement = load("settlement")
    # 31 Dec: S5 (46.0 months), S6 (15.0), S7 (2.0) are waiting
    year = {m: row(sp11_waiting_over_months(settlement, 2022, "year", m)) for m in (12, 24, 36)}
    assert [(year[m]["numerator"], year[m]["denominator"]) for m in (12, 24, 36)] == [(2, 3), (1, 3), (1, 3)]
    # 30 June: S3 (settled in August; 12.9 months), S5 (40.0), S6 (8.9); S7 was not yet ready
    h1 = row(valid(sp11_waiting_over_months(settlement, 2022, "H1", 12)))
    assert (h1["numerator"], h1["denominator"]) == (2, 3)


def test_place_utilisation_excludes_family_reunification_and_may_exceed_one():
    out = valid(sp11_place_utilisation(load("settlement"), load("municipal_decisions"), 2022, "year"))
    # settled except family reunification: S1 (Oslo), S2 and S3 (Vestland); decided 2, 1, 0
    assert (row(out, county="I alt")["numerator"], row(out, county="I alt")["denominator"]) == (3, 3)
    assert row(out, county="Oslo")["value"] == 0.5
    assert row(out, county="Vestland")["value"] == 2.0
    rogaland = row(out, county="Rogaland")
    assert math.isnan(rogaland["value"]) and rogaland["missing_reason"] == "nevner er 0"
    assert out["ci_lower"].isna().all()
