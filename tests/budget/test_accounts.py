"""Monthly accounts: amounts in both CSV dialects, schema failures, completeness checks, locating."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from imdi_analysis.budget import accounts as accounts_module
from imdi_analysis.budget.accounts import (
    Accounts,
    check_months_present,
    load_accounts,
    missing_post_months,
    parse_amount,
    resolve_accounts_dir,
)
from imdi_analysis.budget.status import budget_status
from imdi_analysis.errors import DataNotFoundError, DataValidationError
from imdi_analysis.letter.budget import load_budget
from tests.budget.conftest import ACCOUNTS, BAD, LETTER_ROOT

HEADER = ["year", "month", "chapter", "post", "expenses_nok", "income_nok"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234", 1234),
        ("1234,50", 1235),
        ("1234,49", 1234),
        ("1 234,50", 1235),
        ("1\u00a0234\u00a0567,00", 1234567),
        ("1.234,50", 1235),
        ("1.234.567", 1234567),
        ("1234.50", 1235),
        ("-0,50", -1),
        ("\u22121 000,25", -1000),
        (" 42 ", 42),
        (12.5, 13),
        (7, 7),
    ],
)
def test_parse_amount_rounds_to_whole_kroner_half_away_from_zero(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["70k", "", "1,2,3", "NaN", "inf"])
def test_parse_amount_leaves_unreadable_text_for_the_schema_to_reject(text):
    assert parse_amount(text) == text


@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(min_value=0, max_value=99))
def test_parse_amount_of_decimal_comma_text_matches_integer_rounding(krone, ore):
    text = f"{krone},{ore:02d}" if krone >= 0 else f"-{-krone},{ore:02d}"
    magnitude = abs(krone) + (1 if ore >= 50 else 0)
    assert parse_amount(text) == (magnitude if krone >= 0 else -magnitude)


def write_both_dialects(tmp_path: Path) -> tuple[Path, Path]:
    """The same two rows as plain CSV (UTF-8) and in the Norwegian dialect (Windows-1252)."""
    plain = tmp_path / "plain" / "2022" / "accounts.csv"
    norwegian = tmp_path / "norwegian" / "2022" / "accounts.csv"
    plain.parent.mkdir(parents=True)
    norwegian.parent.mkdir(parents=True)
    plain.write_text(
        ",".join(HEADER) + "\n2022,1,670,1,1234.50,10.00\n2022,2,670,1,99.49,0\n", encoding="utf-8"
    )
    norwegian.write_bytes(
        (";".join(HEADER) + "\r\n2022;1;670;1;1 234,50;10,00\r\n2022;2;670;1;99,49;0\r\n").encode("cp1252")
    )
    return plain.parents[1], norwegian.parents[1]


def test_plain_and_norwegian_csv_load_to_the_same_integer_amounts(tmp_path):
    plain, norwegian = write_both_dialects(tmp_path)
    a = load_accounts(2022, plain)
    b = load_accounts(2022, norwegian)
    pd.testing.assert_frame_equal(a, b)
    assert a["expenses_nok"].tolist() == [1235, 99]
    assert a["income_nok"].tolist() == [10, 0]
    assert str(a["expenses_nok"].dtype) == "int64"


def test_fixture_accounts_load_with_rounded_ore():
    frame = load_accounts(2022, ACCOUNTS)
    january = frame[(frame["month"] == 1) & (frame["post"] == 1)]
    assert january["expenses_nok"].item() == 70_000  # 69 999,50 rounds up
    assert (
        frame.loc[(frame["month"] == 3) & (frame["post"] == 1), "expenses_nok"].item() == 70_000
    )  # '70 000,00'


def test_an_unreadable_amount_is_reported_with_row_and_value():
    with pytest.raises(DataValidationError) as info:
        load_accounts(2022, BAD / "bad_amount")
    report = info.value.report
    assert "expenses_nok" in set(report["column"])
    assert "70k" in str(info.value)
    assert "row 3" in str(info.value)


def test_a_row_of_another_year_is_reported():
    with pytest.raises(DataValidationError) as info:
        load_accounts(2022, BAD / "wrong_year")
    message = str(info.value)
    assert "row 4" in message and "2021" in message and "2022" in message


def test_a_chapter_post_not_in_the_letter_is_an_error_naming_it_and_its_row():
    with pytest.raises(DataValidationError) as info:
        budget_status(2022, "2022-06-30", BAD / "unknown_post", LETTER_ROOT)
    message = str(info.value)
    assert "671/99" in message
    assert "row 7" in message
    assert "budget_posts.csv" in message


def test_a_month_missing_up_to_the_status_date_is_an_error_naming_the_month():
    with pytest.raises(DataValidationError) as info:
        budget_status(2022, "2022-06-30", BAD / "missing_month", LETTER_ROOT)
    message = str(info.value)
    assert "month(s) 3" in message
    assert info.value.report["value"].tolist() == ["3"]


def test_a_missing_month_after_the_status_date_is_not_an_error():
    frame = load_accounts(2022, BAD / "missing_month")
    check_months_present(frame, 2, BAD / "missing_month" / "2022" / "accounts.csv")


def test_post_months_without_rows_are_found():
    frame = load_accounts(2022, ACCOUNTS)
    gaps = missing_post_months(frame, load_budget(2022, LETTER_ROOT), 6)
    listed = {(c, p, m) for c, p, m in gaps.itertuples(index=False, name=None)}
    assert listed == {(670, 45, m) for m in (1, 2, 4, 5, 6)} | {(671, 62, m) for m in (1, 3, 4, 5, 6)}


def test_missing_year_lists_the_years_that_exist():
    with pytest.raises(DataNotFoundError) as info:
        load_accounts(2023, ACCOUNTS)
    assert "2021, 2022" in str(info.value)


def test_an_explicit_accounts_folder_that_does_not_exist_is_an_error(tmp_path):
    with pytest.raises(DataNotFoundError, match="does not exist"):
        resolve_accounts_dir(tmp_path / "nowhere")


def test_real_exports_win_over_the_synthetic_default(data_root, accounts_copy):
    real = data_root / "raw" / "accounts"
    real.parent.mkdir(parents=True)
    accounts_copy.rename(real)
    assert resolve_accounts_dir(None) == (real, False)
    assert resolve_accounts_dir("") == (real, False)


def test_the_default_is_generated_when_no_real_exports_exist(data_root):
    directory, synthetic = resolve_accounts_dir(None)
    assert synthetic
    assert directory == data_root / "synthetic" / "accounts"
    assert (directory / "2022" / "accounts.csv").is_file()


def test_meta_columns_mirror_the_schema():
    meta = yaml.safe_load(
        (Path(accounts_module.__file__).parent / "accounts.meta.yml").read_text(encoding="utf-8")
    )
    columns = Accounts.to_schema().columns
    assert list(meta["columns"]) == list(columns)
    for name, column in columns.items():
        assert meta["columns"][name] == column.description
