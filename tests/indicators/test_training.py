"""SP 4 (Norwegian training) against tests/fixtures/indicators/registers/2022/norwegian_training.csv."""

from __future__ import annotations

import pandas as pd
import pytest

from imdi_analysis.indicators.training import sp04_training_within_3_months
from tests.indicators.conftest import load, row, valid


def test_sp04_training_counts_right_and_duty_and_duty_only():
    out = valid(sp04_training_within_3_months(load("norwegian_training"), 2022, "year"))
    # N1 (start 28 Feb, deadline 1 Mar: yes), N2 (plikt, 16 Jun > 15 Jun: no), N3 (not started: no);
    # N4 has only a right, N5 entered after 30 Sep
    assert (row(out)["numerator"], row(out)["denominator"]) == (1, 3)
    assert row(out, category="Rett og plikt")["value"] == pytest.approx(1 / 2)
    assert row(out, category="Plikt")["value"] == 0.0
    assert "Rett" not in set(out["category"])


def test_sp04_training_half_year_cohort():
    out = sp04_training_within_3_months(load("norwegian_training"), 2022, "H1")
    assert (row(out)["numerator"], row(out)["denominator"]) == (1, 2)  # N1, N2


def test_sp04_training_keeps_a_person_in_two_extracts_once_with_the_later_row():
    later = load("norwegian_training")
    earlier = later[later["person_id"] == "N2"].assign(norwegian_start=pd.NaT)
    out = sp04_training_within_3_months(pd.concat([earlier, later], ignore_index=True), 2022, "year")
    assert row(out)["denominator"] == 3
