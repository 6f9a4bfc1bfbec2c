"""Synthetic default accounts: deterministic, consistent with the letter, realistic in shape, labelled."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from imdi_analysis.budget.accounts import load_accounts
from imdi_analysis.budget.synth_accounts import (
    DEFAULT_YEARS,
    PATTERNS,
    YEAR_LEVEL,
    ensure_default_accounts,
    format_export,
    generate_accounts,
    is_current,
    write_accounts,
)
from imdi_analysis.letter.budget import imdi_amount, load_budget

DATA_LINE = re.compile(r"^\d{4};\d{1,2};\d{3};\d{1,2};-?\d+,\d{2};-?\d+,\d{2}$")


@pytest.fixture(scope="module")
def posts() -> pd.DataFrame:
    return load_budget(2022)


@pytest.fixture(scope="module")
def generated(posts) -> dict[int, pd.DataFrame]:
    return {year: generate_accounts(year, posts) for year in DEFAULT_YEARS}


def annual(frame: pd.DataFrame) -> pd.Series:
    return frame.groupby(["chapter", "post"])["expenses_ore"].sum() / 100


def test_same_seed_gives_the_same_bytes_and_another_seed_differs(posts):
    first = format_export(generate_accounts(2022, posts, seed=7))
    assert first == format_export(generate_accounts(2022, posts, seed=7))
    assert first != format_export(generate_accounts(2022, posts, seed=8))


def test_every_post_of_the_letter_has_twelve_months_each_year(generated, posts):
    for frame in generated.values():
        assert len(frame) == 12 * len(posts)
        assert (frame.groupby(["chapter", "post"])["month"].nunique() == 12).all()


@pytest.mark.parametrize("year", DEFAULT_YEARS)
def test_annual_spending_is_within_each_posts_execution_range_of_its_allocation(generated, posts, year):
    allocation = pd.Series(
        imdi_amount(posts).to_numpy(), index=pd.MultiIndex.from_frame(posts[["chapter", "post"]])
    )
    ratio = annual(generated[year]) / (allocation.astype(float) * YEAR_LEVEL[year])
    for key, value in ratio.items():
        low, high = PATTERNS[key].execution
        assert low - 0.001 <= value <= high + 0.001, (key, value)


def test_the_estimate_post_exceeds_its_allocation_in_both_years(generated, posts):
    allocation = int(imdi_amount(posts[(posts["chapter"] == 671) & (posts["post"] == 61)]).item())
    for year, frame in generated.items():
        assert annual(frame).loc[(671, 61)] > allocation * YEAR_LEVEL[year]


def test_operating_costs_are_low_in_july_and_high_in_december(generated):
    for frame in generated.values():
        post_01 = frame[(frame["chapter"] == 670) & (frame["post"] == 1)].set_index("month")["expenses_ore"]
        assert post_01.loc[7] < 0.7 * post_01.drop([7, 12]).mean()
        assert post_01.loc[12] > 1.3 * post_01.drop([7, 12]).mean()
        assert (post_01 > 0).all()


def test_grants_are_paid_in_lumps_in_fixed_months(generated):
    for frame in generated.values():
        for key in [(671, 60), (671, 62), (671, 71), (671, 73)]:
            months = frame[
                (frame["chapter"] == key[0]) & (frame["post"] == key[1]) & (frame["expenses_ore"] > 0)
            ]
            paid = set(months["month"])
            expected = {m + 1 for m, w in enumerate(PATTERNS[key].weights) if w > 0}
            assert paid == expected, key
            assert len(paid) <= 4


def test_only_operating_posts_have_income(generated):
    for frame in generated.values():
        with_income = frame.loc[frame["income_ore"] != 0, "post"]
        assert set(with_income) == {1, 21}


def test_written_files_are_norwegian_dialect_that_loads_and_are_marked_synthetic(tmp_path):
    write_accounts(tmp_path, years=(2022,), seed=3)
    text = (tmp_path / "2022" / "accounts.csv").read_text(encoding="utf-8")
    assert text.startswith("year;month;chapter;post;expenses_nok;income_nok\n")
    assert all(DATA_LINE.match(line) for line in text.splitlines()[1:])
    frame = load_accounts(2022, tmp_path)
    assert len(frame) == 12 * 12
    assert np.issubdtype(frame["expenses_nok"].dtype, np.integer)
    assert "synthetic: true" in (tmp_path / "SYNTHETIC").read_text(encoding="utf-8")
    assert "SYNTHETIC DATA" in (tmp_path / "README.md").read_text(encoding="utf-8")


def test_ensure_default_generates_once_and_regenerates_when_stale(data_root):
    directory = ensure_default_accounts()
    assert directory == data_root / "synthetic" / "accounts"
    assert is_current(directory)
    path = directory / "2021" / "accounts.csv"
    stamp = path.stat().st_mtime_ns
    assert ensure_default_accounts() == directory
    assert path.stat().st_mtime_ns == stamp  # not rewritten
    (directory / "SYNTHETIC").write_text("generator_version: 0\n", encoding="utf-8")
    path.unlink()
    ensure_default_accounts()
    assert path.is_file() and is_current(directory)
