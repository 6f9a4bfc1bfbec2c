"""SP 1 against tests/fixtures/indicators/registers/2022/jobbsjansen.csv."""

from __future__ import annotations

import math

import pytest

from imdi_analysis.indicators.jobbsjansen import sp01_jobbsjansen_work_or_education
from tests.indicators.conftest import load, row, valid


def test_sp01_counts_participations_ended_in_the_year_by_outcome():
    out = valid(sp01_jobbsjansen_work_or_education(load("jobbsjansen"), 2022, "year"))
    # ended in 2022: J1 (Mar, arbeid), J2 (annet), J3 (utdanning), J4 (31 Dec, both), J1 again (Dec, annet);
    # J5 has not ended, J6 ended in 2021
    total = row(out)
    assert (total["numerator"], total["denominator"]) == (3, 5)
    assert total["value"] == pytest.approx(0.6)
    assert total["ci_lower"] < 0.6 < total["ci_upper"]
    assert (row(out, sex="Menn")["numerator"], row(out, sex="Menn")["denominator"]) == (1, 2)
    assert (row(out, sex="Kvinner")["numerator"], row(out, sex="Kvinner")["denominator"]) == (2, 3)
    assert row(out, county="Oslo")["value"] == pytest.approx(1 / 3)
    assert row(out, county="Vestland")["value"] == 1.0


def test_sp01_half_year_counts_only_participations_ended_by_30_june():
    out = sp01_jobbsjansen_work_or_education(load("jobbsjansen"), 2022, "H1")
    assert (row(out)["numerator"], row(out)["denominator"]) == (1, 2)  # J1 (arbeid), J2 (annet)


def test_sp01_county_without_participants_has_missing_value_with_reason():
    rogaland = row(sp01_jobbsjansen_work_or_education(load("jobbsjansen"), 2022, "year"), county="Rogaland")
    assert rogaland["denominator"] == 0
    assert math.isnan(rogaland["value"]) and rogaland["missing_reason"] == "nevner er 0"
