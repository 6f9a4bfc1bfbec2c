"""Populations at their boundaries: the reference date itself, a person with two spells."""

from __future__ import annotations

import pandas as pd

from imdi_analysis.measures.populations import (
    in_programme_on,
    interpreters_by_highest_category,
    interpreters_in_register_on,
    leaver_spells,
    leavers_by_person,
    settled_in,
    target_group_entrants,
    training_entrants,
    waiting_on,
)
from imdi_analysis.measures.units import MEASURE_UNITS, PERSON, SPELL, unit_note

REF = pd.Timestamp("2022-12-31")


def frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows)
    for column in out.columns:
        if column.endswith(("_date", "_start", "_end")):
            out[column] = pd.to_datetime(out[column])
    return out


def test_waiting_on_the_reference_date():
    """Ready on the date → waiting; settled on the date → not waiting (but settled in the period);
    ready the day after → not waiting; settled the day after → still waiting."""
    settlement = frame(
        [
            {"person_id": "ready_on_ref", "ready_date": "2022-12-31", "settlement_date": None},
            {"person_id": "settled_on_ref", "ready_date": "2022-01-01", "settlement_date": "2022-12-31"},
            {"person_id": "ready_after", "ready_date": "2023-01-01", "settlement_date": None},
            {"person_id": "settled_after", "ready_date": "2022-01-01", "settlement_date": "2023-01-01"},
        ]
    )
    assert waiting_on(settlement, REF)["person_id"].tolist() == ["ready_on_ref", "settled_after"]
    assert settled_in(settlement, pd.Timestamp("2022-01-01"), REF)["person_id"].tolist() == ["settled_on_ref"]


def spells() -> pd.DataFrame:
    """Q has two spells ended in 2022 (31 Mar, 30 Nov); R ended on the reference date; S ends the day after."""
    return frame(
        [
            {
                "person_id": "Q",
                "programme_start": "2021-01-01",
                "programme_end": "2022-03-31",
                "right_code": "rett",
            },
            {
                "person_id": "Q",
                "programme_start": "2022-05-01",
                "programme_end": "2022-11-30",
                "right_code": "rett",
            },
            {
                "person_id": "R",
                "programme_start": "2021-06-01",
                "programme_end": "2022-12-31",
                "right_code": "rett",
            },
            {
                "person_id": "S",
                "programme_start": "2022-12-31",
                "programme_end": "2023-01-01",
                "right_code": "rett",
            },
        ]
    )


def test_leavers_are_spells_or_persons_and_a_person_with_two_spells_shows_the_difference():
    """Spells ended 1 Jan – 31 Dec: Q, Q, R = 3; persons: Q (latest spell 30 Nov), R = 2."""
    ended = leaver_spells(spells(), pd.Timestamp("2022-01-01"), REF)
    assert ended["person_id"].tolist() == ["Q", "Q", "R"]
    persons = leavers_by_person(ended)
    assert persons["person_id"].tolist() == ["Q", "R"]
    assert persons["programme_end"].tolist() == [pd.Timestamp("2022-11-30"), REF]
    assert MEASURE_UNITS["sp07a_intro_direct_work_or_education"] is SPELL and MEASURE_UNITS["11A"] is PERSON
    assert "to ganger" in unit_note("sp07a_intro_direct_work_or_education")


def test_in_programme_on_the_reference_date():
    """R ended on 31 Dec: not in the programme that day; S started on 31 Dec: in it."""
    assert spells()[in_programme_on(spells(), REF).to_numpy()]["person_id"].tolist() == ["S"]


def test_target_group_entrants_take_the_earliest_entry_and_the_first_start_once_per_person():
    """A spell seen in two extracts counts once; the first start is the earliest over the person's spells."""
    rows = frame(
        [
            {"person_id": "Q", "sex": "M", "county": "03", "right_code": "rett", "target_group_date": "2022-02-01",
             "programme_start": "2022-06-01"},
            {"person_id": "Q", "sex": "M", "county": "46", "right_code": "rett", "target_group_date": "2021-10-01",
             "programme_start": "2022-01-01"},
            {"person_id": "Q", "sex": "M", "county": "46", "right_code": "rett", "target_group_date": "2021-10-01",
             "programme_start": "2022-01-01"},
            {"person_id": "X", "sex": "K", "county": "03", "right_code": "ingen", "target_group_date": "2022-01-01",
             "programme_start": "2022-01-02"},
        ]
    )  # fmt: skip
    persons = target_group_entrants(rows, ("rett_og_plikt", "rett"))
    assert persons["person_id"].tolist() == ["Q"]
    assert persons["target_group_date"].iloc[0] == pd.Timestamp("2021-10-01")
    assert persons["first_start"].iloc[0] == pd.Timestamp("2022-01-01")
    assert persons["county"].iloc[0] == "46"


def test_training_entrants_start_at_the_earlier_of_norwegian_and_social_studies():
    rows = frame(
        [
            {"person_id": "N", "right_code": "plikt", "target_group_date": "2022-01-31",
             "norwegian_start": "2022-05-10", "social_studies_start": "2022-04-30"},
            {"person_id": "M", "right_code": "rett", "target_group_date": "2022-01-31",
             "norwegian_start": "2022-02-01", "social_studies_start": None},
        ]
    )  # fmt: skip
    persons = training_entrants(rows, ("rett_og_plikt", "plikt"))
    assert persons["person_id"].tolist() == ["N"]
    assert persons["first_start"].iloc[0] == pd.Timestamp("2022-04-30")


def test_interpreters_in_the_register_on_the_date_and_once_in_their_highest_category():
    """Registered on the date: in; deregistered on the date: out; two languages: once, category A."""
    register = frame(
        [
            {"interpreter_id": "T1", "category": "C", "registered_date": "2010-01-01", "deregistered_date": None},
            {"interpreter_id": "T1", "category": "A", "registered_date": "2015-01-01", "deregistered_date": None},
            {"interpreter_id": "T2", "category": "E", "registered_date": "2022-12-31", "deregistered_date": None},
            {"interpreter_id": "T3", "category": "B", "registered_date": "2012-01-01", "deregistered_date": "2022-12-31"},
        ]
    )  # fmt: skip
    active = interpreters_in_register_on(register, REF)
    assert sorted(set(active["interpreter_id"])) == ["T1", "T2"]
    persons = interpreters_by_highest_category(active)
    assert dict(zip(persons["interpreter_id"], persons["category"], strict=True)) == {"T1": "A", "T2": "E"}
