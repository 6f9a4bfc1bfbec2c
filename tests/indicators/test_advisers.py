"""SP 10 against tests/fixtures/indicators/registers/2022/minority_adviser_cases.csv."""

from __future__ import annotations

from imdi_analysis.indicators.advisers import sp10_minority_adviser_cases
from tests.indicators.conftest import load, row, valid


def test_sp10_counts_cases_reported_in_the_period_by_sex_and_adviser_type():
    out = valid(sp10_minority_adviser_cases(load("minority_adviser_cases"), 2022, "year"))
    assert row(out)["value"] == 3
    assert (row(out, sex="Kvinner")["value"], row(out, sex="Menn")["value"]) == (2, 1)
    assert row(out, category="Minoritetsrådgivere")["value"] == 2
    assert row(sp10_minority_adviser_cases(load("minority_adviser_cases"), 2022, "H1"))["value"] == 1
