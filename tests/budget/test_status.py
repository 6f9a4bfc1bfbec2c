"""Budget status on the hand-made fixture (see tests/fixtures/budget/README.md), dates, notes, tables."""

from __future__ import annotations

import datetime as dt
import io
import shutil

import pandas as pd
import pytest

from imdi_analysis.budget.status import (
    budget_status,
    last_complete_month,
    method_markdown,
    notes_markdown,
    rule_sources_markdown,
    rules_table,
    status_report,
    status_table,
    status_title,
    summary_markdown,
)
from imdi_analysis.errors import ConfigError, DataValidationError
from tests.budget.conftest import ACCOUNTS, LETTER_ROOT

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def status():
    return budget_status(2022, "2022-06-30", ACCOUNTS, LETTER_ROOT)


def by_post(status) -> pd.DataFrame:
    return status.posts.set_index(["chapter", "post"])


def test_status_matches_the_hand_computed_fixture(status):
    p = by_post(status)
    assert p["allocation_nok"].to_dict() == {
        (670, 1): 1_000_000,
        (670, 45): 200_000,
        (671, 21): 100_000,
        (671, 61): 300_000,
        (671, 62): 120_000,
    }
    assert p["spent_nok"].to_dict() == {
        (670, 1): 420_000,
        (670, 45): 60_000,
        (671, 21): 60_000,
        (671, 61): 160_000,
        (671, 62): 66_000,
    }
    assert p["forecast_nok"].to_dict() == {
        (670, 1): 840_000,
        (670, 45): 240_000,
        (671, 21): 120_000,
        (671, 61): 320_000,
        (671, 62): 110_000,
    }
    assert p.loc[(671, 21), "forecast_method"] == "linear"
    assert (p.drop(index=(671, 21))["forecast_method"] == "last_year_profile").all()
    assert p.loc[(671, 21), "forecast_income_nok"] == 2_000
    assert p.loc[(670, 1), "deviation_nok"] == -160_000
    assert p.loc[(670, 45), "deviation_share"] == pytest.approx(0.2)
    assert p.loc[(671, 62), "share_used"] == pytest.approx(0.55)


def test_each_post_names_its_rule_limit_and_outcome(status):
    p = by_post(status)
    expected = {
        (670, 1): ("carry_over_5_percent", 50_000, "note"),
        (670, 45): ("move_from_post_01", 50_000, "inside"),
        (671, 21): ("overspend_against_income", 2_000, "outside"),
        (671, 62): ("main_rule", 0, "note"),
    }
    for key, (rule, limit, outcome) in expected.items():
        assert (p.loc[key, "rule"], p.loc[key, "limit_nok"], p.loc[key, "outcome"]) == (rule, limit, outcome)
    assert p.loc[(671, 61), "rule"] == "estimate" and pd.isna(p.loc[(671, 61), "limit_nok"])


def test_only_the_post_overspent_beyond_its_rule_is_flagged(status):
    flagged = status.posts[status.posts["flagged"]]
    assert list(zip(flagged["chapter"], flagged["post"], strict=True)) == [(671, 21)]


def test_notes_name_post_months_counted_as_zero_and_rows_after_the_status_date(status):
    text = " ".join(status.notes)
    assert "kap. 670 post 45: måned 1, 2, 4, 5, 6" in text
    assert "kap. 671 post 62: måned 1, 3, 4, 5, 6" in text
    assert "måned 7;" in text
    assert "Kap. 671 post 62: tildelingstabellen har ikke beløp" in text
    assert "Prognosen er lineær for kap. 671 post 21" in text


def test_status_date_is_the_last_complete_month():
    assert last_complete_month(dt.date(2022, 6, 30)) == 6
    assert last_complete_month(dt.date(2022, 6, 29)) == 5
    assert last_complete_month(dt.date(2022, 2, 28)) == 2
    assert last_complete_month(dt.date(2022, 12, 31)) == 12


def test_an_as_of_date_inside_a_month_uses_the_previous_month_end_and_says_so():
    status = budget_status(2022, "2022-06-29", ACCOUNTS, LETTER_ROOT)
    assert status.status_date == dt.date(2022, 5, 31)
    assert status.month == 5
    assert "29. juni 2022 er ikke en månedsslutt" in status.notes[0]


@pytest.mark.parametrize("as_of", ["2021-12-31", "2023-01-01"])
def test_an_as_of_date_outside_the_year_is_an_error_naming_it(as_of):
    with pytest.raises(ConfigError) as info:
        budget_status(2022, as_of, ACCOUNTS, LETTER_ROOT)
    assert as_of in str(info.value) and "2022" in str(info.value)


@pytest.mark.parametrize(("as_of", "words"), [("30.06.2022", "not a date"), ("2022-01-15", "first month")])
def test_an_unreadable_or_too_early_as_of_date_is_an_error(as_of, words):
    with pytest.raises(ConfigError, match=words):
        budget_status(2022, as_of, ACCOUNTS, LETTER_ROOT)


def test_without_last_years_accounts_every_forecast_is_linear_and_noted(accounts_copy):
    shutil.rmtree(accounts_copy / "2021")
    status = budget_status(2022, "2022-06-30", accounts_copy, LETTER_ROOT)
    assert (status.posts["forecast_method"] == "linear").all()
    assert status.posts.set_index("post").loc[45, "forecast_nok"] == 120_000
    assert any("Det finnes ikke regnskap for 2021" in n for n in status.notes)


def test_an_incomplete_last_year_falls_back_to_linear_naming_the_missing_month(accounts_copy):
    path = accounts_copy / "2021" / "accounts.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join(line for line in lines if not line.startswith("2021,11,")) + "\n", encoding="utf-8"
    )
    status = budget_status(2022, "2022-06-30", accounts_copy, LETTER_ROOT)
    assert (status.posts["forecast_method"] == "linear").all()
    assert any("mangler måned 11" in n for n in status.notes)


def test_a_broken_last_year_is_an_error_not_a_fallback(accounts_copy):
    path = accounts_copy / "2021" / "accounts.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("2021,5,670,1,80000", "2021,5,670,1,lots"), encoding="utf-8"
    )
    with pytest.raises(DataValidationError, match="lots"):
        budget_status(2022, "2022-06-30", accounts_copy, LETTER_ROOT)


def test_a_synthetic_marker_labels_the_status_synthetic(accounts_copy, status):
    assert not status.synthetic
    (accounts_copy / "SYNTHETIC").write_text("synthetic: true\n", encoding="utf-8")
    marked = budget_status(2022, "2022-06-30", accounts_copy, LETTER_ROOT)
    assert marked.synthetic
    assert summary_markdown(marked).startswith("**Syntetiske data.**")


def test_status_table_is_norwegian_with_a_sum_row(status):
    table = status_table(status)
    assert list(table.columns)[:3] == ["Kap./post", "Betegnelse", "Tildelt (mill. kr)"]
    assert table.iloc[-1]["Kap./post"] == "Sum"
    assert table.iloc[-1]["Tildelt (mill. kr)"] == "1,72"  # 1 720 000 kr
    first = table.iloc[0]
    assert first["Prognose for året (mill. kr)"] == "0,84"
    assert first["Avvik (%)"] == f"\u221216,0{NBSP}%"
    assert first["Grense (kr)"] == f"50{NBSP}000"
    assert first["Prognosemetode"] == "Fjorårets månedsprofil"
    assert set(table["Vurdering"].iloc[:-1]) == {"Merknad", "Innenfor", "Utenfor"}


def test_rules_table_lists_every_rule_with_limits_in_kroner(status):
    table = rules_table(status)
    assert len(table) == len(status.rules)
    row = table[(table["Kap./post"] == "671/21") & (table["Vurdering"] == "Utenfor")].iloc[0]
    assert row["Grense (kr)"] == f"2{NBSP}000"
    assert row["Prognose (kr)"] == f"20{NBSP}000"


def test_title_method_sources_and_notes_are_norwegian_text(status):
    assert status_title(status) == "Budsjettstatus per 30. juni 2022"
    assert "fjorårets månedsprofil for 4 poster" in method_markdown(status)
    assert "lineær for 1 poster" in method_markdown(status)
    assert "linje 2219-2221" in rule_sources_markdown()
    assert notes_markdown(status).startswith("- ")
    assert "kap. 671 post 21" in summary_markdown(status)


def test_status_report_csv_is_the_raw_table_and_notes_stay_apart(monkeypatch):
    monkeypatch.setattr("imdi_analysis.config.LETTER_DIR", LETTER_ROOT)
    text, notes = status_report(2022, "2022-06-30", ACCOUNTS, as_csv=True)
    frame = pd.read_csv(io.StringIO(text))
    assert frame["forecast_nok"].tolist() == [840_000, 240_000, 120_000, 320_000, 110_000]
    assert frame["flagged"].tolist() == [False, False, True, False, False]
    assert any("måned 7" in n for n in notes)
    plain, _ = status_report(2022, "2022-06-30", ACCOUNTS)
    assert plain.startswith("Budsjettstatus per 30. juni 2022")
    assert "Reglene per post" in plain


def test_mill_kr_rounds_half_up_without_float_artifacts():
    from imdi_analysis.budget.status import format_mill

    assert format_mill(15_125_000) == "15,13"
    assert format_mill(-15_125_000) == "\u221215,13"
    assert format_mill(4_953_070_000) == f"4{NBSP}953,07"
    assert format_mill(None) == ".."


def test_the_default_synthetic_accounts_fit_the_2022_letter(data_root):
    status = budget_status(2022, "2022-06-30")
    assert status.synthetic
    assert status.accounts_dir == data_root / "synthetic" / "accounts"
    assert len(status.posts) == 12
    assert (status.posts["forecast_method"] == "last_year_profile").all()
    estimate = status.posts.set_index(["chapter", "post"]).loc[(671, 61)]
    assert estimate["deviation_nok"] > 0 and estimate["rule"] == "estimate" and not estimate["flagged"]
