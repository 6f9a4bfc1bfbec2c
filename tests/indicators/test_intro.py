"""SP 4 (programme start), 7a and 8 against tests/fixtures/indicators/registers/*/intro_participants.csv."""

from __future__ import annotations

import pandas as pd
import pytest

from imdi_analysis.indicators.intro import (
    sp04_intro_within_3_months,
    sp07a_intro_direct_work_or_education,
    sp08_intro_formal_qualification,
    target_group_window,
)
from tests.indicators.conftest import load, row, valid


def test_target_group_window_is_october_to_september_and_april_to_march_for_h1():
    assert target_group_window(2022, "year") == (pd.Timestamp("2021-10-01"), pd.Timestamp("2022-09-30"))
    assert target_group_window(2022, "H1") == (pd.Timestamp("2021-04-01"), pd.Timestamp("2022-03-31"))


def test_sp04_counts_persons_with_a_right_who_started_within_three_calendar_months():
    out = valid(sp04_intro_within_3_months(load("intro_participants"), 2022, "year"))
    # cohort (target group 1 Oct 2021 - 30 Sep 2022, right or right and duty): I1 (yes), I2 (started
    # 30 Apr = 31 Jan + 3 months: yes), I3 (1 May: no), I4 (not started: no), I8 (two spells, first
    # start within: yes, counted once). I5 entered after the window, I6 has no right, I7 before it.
    total = row(out)
    assert (total["numerator"], total["denominator"]) == (3, 5)
    assert (row(out, sex="Menn")["numerator"], row(out, sex="Menn")["denominator"]) == (2, 3)
    assert row(out, county="Oslo")["value"] == 1.0
    assert row(out, county="Vestland")["value"] == 0.0
    assert row(out, category="Rett og plikt")["value"] == pytest.approx(3 / 4)
    assert set(out["category"].dropna()) == {"I alt", "Rett og plikt", "Rett"}


def test_sp04_half_year_uses_april_to_march_entrants():
    out = sp04_intro_within_3_months(load("intro_participants"), 2022, "H1")
    assert (row(out)["numerator"], row(out)["denominator"]) == (3, 4)  # I1, I2, I3, I8


def test_sp04_with_previous_extract_includes_autumn_entrants_seen_only_the_year_before():
    both = pd.concat([load("intro_participants", 2021), load("intro_participants", 2022)], ignore_index=True)
    out = sp04_intro_within_3_months(both, 2022, "year")
    # I11 entered 15 Oct 2021, started and left in 2021 (only in the 2021 extract); I1 is in both, once
    assert (row(out)["numerator"], row(out)["denominator"]) == (4, 6)


def test_sp07a_counts_each_ended_spell_so_a_person_who_left_twice_counts_twice():
    out = valid(sp07a_intro_direct_work_or_education(load("intro_participants"), 2022, "year"))
    # ended in 2022: I7 (arbeid), I8 first spell (annet), I8 second spell (utdanning), I9 (both, 31 Dec)
    assert (row(out)["numerator"], row(out)["denominator"]) == (3, 4)
    assert (row(out, sex="Menn")["numerator"], row(out, sex="Menn")["denominator"]) == (1, 2)
    assert row(out, sex="Kvinner")["value"] == 1.0


def test_sp07a_half_year_counts_spells_ended_by_30_june():
    out = sp07a_intro_direct_work_or_education(load("intro_participants"), 2022, "H1")
    assert (row(out)["numerator"], row(out)["denominator"]) == (1, 2)  # I7, I8 first spell


def test_sp08_share_of_ended_spells_with_formal_qualification():
    out = valid(sp08_intro_formal_qualification(load("intro_participants"), 2022, "year"))
    assert (row(out)["numerator"], row(out)["denominator"]) == (2, 4)  # I7 and I8's second spell
