"""Persons, spells and interpreters agree across sources and years."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests.synth.conftest import YEARS
from tests.synth.helpers import read, read_years


def settled_persons(folder: Path) -> pd.DataFrame:
    """Every person settled in any year: id, settlement date, sex, birth year."""
    settlement = read_years(folder, YEARS, "settlement").dropna(subset=["settlement_date"])
    return settlement[["person_id", "settlement_date", "sex", "birth_year"]].drop_duplicates("person_id")


def test_programme_never_starts_before_settlement(small_data: Path) -> None:
    spells = read_years(small_data, YEARS, "intro_participants").dropna(subset=["programme_start"])
    both = spells.merge(settled_persons(small_data), on="person_id", suffixes=("", "_settled"))
    assert len(both) > 100
    assert (both["programme_start"] >= both["settlement_date"]).all()
    assert (both["target_group_date"] >= both["settlement_date"]).all()


def test_persons_keep_sex_and_birth_year_across_sources(small_data: Path) -> None:
    training = read_years(small_data, YEARS, "norwegian_training")
    both = training.merge(settled_persons(small_data), on="person_id", suffixes=("", "_settled"))
    assert len(both) > 100
    assert (both["sex"] == both["sex_settled"]).all()
    assert (both["birth_year"] == both["birth_year_settled"]).all()
    assert (both["target_group_date"] >= both["settlement_date"]).all()


def test_persons_waiting_at_year_end_appear_next_year_until_settled(small_data: Path) -> None:
    for year in YEARS[:-1]:
        waiting = read(small_data, year, "settlement").query("settlement_date.isna()")
        following = read(small_data, year + 1, "settlement").set_index("person_id")
        assert len(waiting) > 0
        assert waiting["person_id"].isin(following.index).all()
        carried = following.loc[waiting["person_id"]]
        assert (carried["permit_date"].to_numpy() == waiting["permit_date"].to_numpy()).all()


def test_ongoing_spells_appear_in_the_next_year(small_data: Path) -> None:
    for year in YEARS[:-1]:
        spells = read(small_data, year, "intro_participants")
        ongoing = spells.dropna(subset=["programme_start"]).query("programme_end.isna()")
        following = read(small_data, year + 1, "intro_participants")
        keys = set(zip(following["person_id"], following["programme_start"], strict=True))
        assert len(ongoing) > 0
        assert all(key in keys for key in zip(ongoing["person_id"], ongoing["programme_start"], strict=True))


def test_measures_belong_to_spells_of_the_same_year(small_data: Path) -> None:
    spells = read(small_data, 2022, "intro_participants")
    measures = read(small_data, 2022, "intro_measures")
    keys = set(zip(spells["person_id"], spells["programme_start"], strict=True))
    assert all(key in keys for key in zip(measures["person_id"], measures["programme_start"], strict=True))


def test_interpreters_persist_across_years(small_data: Path) -> None:
    before = read(small_data, 2021, "interpreters").query("deregistered_date.isna()")
    after = read(small_data, 2022, "interpreters")
    kept = before.merge(after, on=["interpreter_id", "language"], suffixes=("", "_next"))
    assert len(kept) == len(before)
    assert (kept["registered_date"] == kept["registered_date_next"]).all()
    new = after[after["registered_date"] >= "2022-01-01"]
    assert len(new) > 0


def test_small_municipalities_give_small_cells(small_data: Path) -> None:
    settled = read(small_data, 2022, "settlement").dropna(subset=["municipality"])
    cells = settled.groupby(["municipality", "sex"]).size()
    assert ((cells >= 1) & (cells <= 4)).any()
    assert cells.max() > 4


def test_2019_uses_the_municipality_numbers_valid_before_the_2020_reform(small_data: Path) -> None:
    in_2019 = read(small_data, 2019, "settlement").dropna(subset=["county"])
    in_2020 = read(small_data, 2020, "intro_participants")
    assert {"01", "12"} & set(in_2019["county"])
    assert not {"30", "46"} & set(in_2019["county"])
    assert not {"01", "12"} & set(in_2020["county"])
