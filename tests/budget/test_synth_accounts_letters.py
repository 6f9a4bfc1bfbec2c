"""Synthetic default accounts cover every year that has a letter, made from that year's letter."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from imdi_analysis.budget.accounts import load_accounts
from imdi_analysis.budget.synth_accounts import default_years, ensure_default_accounts, is_current
from imdi_analysis.config import LETTER_DIR

POST_01 = (670, 1)


@pytest.fixture
def letters_2022_and_2023(tmp_path: Path, monkeypatch) -> Path:
    """The 2022 letter and a copy as 2023 whose post 670.01 is 400 mill. kr instead of 302,5."""
    root = tmp_path / "data"
    letters = root / "raw" / "letter"
    shutil.copytree(LETTER_DIR / "2022", letters / "2022")
    shutil.copytree(LETTER_DIR / "2022", letters / "2023")
    path = letters / "2023" / "budget_posts.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "670,1,Driftsutgifter,IMDis driftsutgifter,false,false,false,302500000,302500000,302500000,",
            "670,1,Driftsutgifter,IMDis driftsutgifter,false,false,false,400000000,400000000,400000000,",
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr("imdi_analysis.config.RAW_DIR", root / "raw")
    monkeypatch.setattr("imdi_analysis.config.LETTER_DIR", letters)
    monkeypatch.setattr("imdi_analysis.config.SYNTHETIC_DIR", root / "synthetic")
    return letters


def post_total(frame: pd.DataFrame, key: tuple[int, int]) -> int:
    rows = frame[(frame["chapter"] == key[0]) & (frame["post"] == key[1])]
    return int(rows["expenses_nok"].sum())


def test_default_years_are_2021_2022_and_every_letter_year(letters_2022_and_2023):
    assert default_years() == (2021, 2022, 2023)


def test_a_new_letter_year_gets_accounts_made_from_its_own_letter(letters_2022_and_2023):
    """Post 670.01 spends 97,5-100,5 % of its allocation (``PATTERNS``).

    2022: 302,5 mill. kr -> 294,9-304,0 mill.; 2023 (its own letter): 400 mill. kr -> 390-402 mill.
    """
    directory = ensure_default_accounts()
    assert is_current(directory)
    spent_2022 = post_total(load_accounts(2022, directory), POST_01)
    spent_2023 = post_total(load_accounts(2023, directory), POST_01)
    assert 294_900_000 <= spent_2022 <= 304_100_000
    assert 390_000_000 <= spent_2023 <= 402_100_000


def test_a_changed_letter_makes_the_default_stale_and_it_is_regenerated(letters_2022_and_2023):
    directory = ensure_default_accounts()
    path = letters_2022_and_2023 / "2023" / "budget_posts.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("400000000", "500000000"), encoding="utf-8")
    assert not is_current(directory)
    ensure_default_accounts()
    assert 487_000_000 <= post_total(load_accounts(2023, directory), POST_01) <= 502_600_000


def test_a_new_letter_folder_makes_the_default_stale(letters_2022_and_2023):
    directory = ensure_default_accounts()
    shutil.copytree(letters_2022_and_2023 / "2022", letters_2022_and_2023 / "2024")
    assert not is_current(directory)
    ensure_default_accounts()
    assert (directory / "2024" / "accounts.csv").is_file()
