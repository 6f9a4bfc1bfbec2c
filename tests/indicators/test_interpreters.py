"""SP 14 and 15 against tests/fixtures/indicators/registers/2022/interpreters.csv and register_searches.csv."""

from __future__ import annotations

import math

import pandas as pd

from imdi_analysis.indicators.interpreters import (
    OTHER_LANGUAGES,
    sp14_register_searches,
    sp15_interpreter_language_pairs,
    sp15_interpreters_register,
    sp15_interpreters_state_authorised,
)
from tests.indicators.conftest import load, row, valid


def test_register_counts_distinct_interpreters_in_their_highest_category():
    out = valid(sp15_interpreters_register(load("interpreters"), 2022, "year"))
    # 31 Dec: T1 (C arabisk, A fransk -> A), T2 (E, registered in August), T5 (D); T3 and T4 deregistered
    assert row(out)["value"] == 3
    assert [row(out, qualification_category=f"Kategori {c}")["value"] for c in "ABCDE"] == [1, 0, 0, 1, 1]
    assert (row(out, sex="Kvinner")["value"], row(out, sex="Menn")["value"]) == (1, 2)


def test_register_on_30_june_is_reconstructed_from_the_dates():
    out = sp15_interpreters_register(load("interpreters"), 2022, "H1")
    # T1, T4 (deregistered 30 Sep), T5; T2 registered later, T3 deregistered 31 Mar
    assert row(out)["value"] == 3
    assert row(out, qualification_category="Kategori B")["value"] == 1


def test_language_pairs_count_each_language_and_add_up_by_language():
    out = valid(sp15_interpreter_language_pairs(load("interpreters"), 2022, "year"))
    assert row(out)["value"] == 4
    assert row(out, language="arabisk")["value"] == 2
    languages = out[out["language"].notna() & (out["language"] != "I alt")]
    assert languages["value"].sum() == 4


def test_languages_beyond_the_top_30_are_grouped_as_other_languages():
    pairs = pd.DataFrame(
        {
            "interpreter_id": [f"T{i}" for i in range(32)],
            "sex": "K",
            "language": [f"språk{i:02d}" for i in range(32)],
            "category": "E",
            "registered_date": pd.Timestamp("2020-01-01"),
            "deregistered_date": pd.NaT,
        }
    )
    pairs.loc[0, "language"] = "språk01"  # språk01 has two interpreters and ranks first
    out = sp15_interpreter_language_pairs(pairs, 2022, "year")
    assert row(out, language="språk01")["value"] == 2
    assert row(out, language=OTHER_LANGUAGES)["value"] == 1  # 31 languages: 30 shown, 1 grouped
    assert out.loc[out["language"].notna() & (out["language"] != "I alt"), "value"].sum() == 32


def test_state_authorised_counts_authorisations_issued_by_the_reference_date():
    interpreters = load("interpreters")
    assert row(valid(sp15_interpreters_state_authorised(interpreters, 2022, "year")))["value"] == 2  # T1, T5
    assert row(sp15_interpreters_state_authorised(interpreters, 2022, "H1"))["value"] == 2  # T1, T4


def test_register_searches_sum_the_months_of_the_period():
    searches = load("register_searches")
    assert row(valid(sp14_register_searches(searches, 2022, "year")))["value"] == 1000
    assert row(sp14_register_searches(searches, 2022, "H1"))["value"] == 300


def test_register_searches_without_months_in_the_period_are_missing_not_zero():
    out = valid(sp14_register_searches(load("register_searches"), 2023, "year"))
    assert math.isnan(row(out)["value"]) and row(out)["missing_reason"] == "ingen måneder i perioden"
