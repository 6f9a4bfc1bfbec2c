"""SP 7b from Statistics Norway table 10809 (tests/fixtures/ssb/table10809.json, constructed numbers)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from imdi_analysis.errors import DataValidationError
from imdi_analysis.indicators.ssb import (
    sp07b_intro_work_or_education_ssb,
    transition_counts,
    transition_summary,
)
from imdi_analysis.sources.jsonstat import read_jsonstat
from tests.indicators.conftest import INDICATOR_FIXTURES, row, valid

TABLE = INDICATOR_FIXTURES / "ssb" / "table10809.json"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return read_jsonstat(TABLE)


def test_work_or_education_is_employed_plus_employed_in_education_plus_education_only(table):
    out = valid(sp07b_intro_work_or_education_ssb(table, 2022, "year"))
    # status year 2022, age 18-55 (the total of the age dimension), both sexes:
    # 1419 + 211 + 533 in work or education, of 1419 + 211 + 533 + 415 + 722 = 3300
    assert (row(out, sex="I alt")["numerator"], row(out, sex="I alt")["denominator"]) == (2163, 3300)
    assert row(out, sex="Menn")["denominator"] + row(out, sex="Kvinner")["denominator"] == 3300
    assert out["ci_lower"].isna().all() and out["ci_upper"].isna().all()  # a full count: no interval


def test_age_total_is_recognised_so_overlapping_age_groups_are_not_added(table):
    counts = transition_counts(table)
    assert (
        counts.loc[(counts["status_year"] == 2022) & (counts["sex"] == "I alt"), "denominator"].item() == 3300
    )


def test_a_status_year_not_in_the_table_gives_missing_rows_with_reason(table):
    out = valid(sp07b_intro_work_or_education_ssb(table, 2023, "year"))
    assert out["value"].isna().all()
    assert set(out["missing_reason"]) == {"SSB har ikke publisert statusåret i tabellen"}


def test_no_table_gives_missing_rows_with_reason():
    out = valid(sp07b_intro_work_or_education_ssb(None, 2022, "year"))
    assert list(out["sex"]) == ["I alt", "Menn", "Kvinner"]
    assert set(out["missing_reason"]) == {"SSB-tabell 10809 mangler"}


def test_a_suppressed_cell_in_the_used_total_makes_the_value_missing(table):
    hidden = table.copy()
    hit = (
        (hidden["Kjonn"] == "1")
        & (hidden["Alder"] == "18-55")
        & (hidden["Status"] == "03")
        & (hidden["Tid"] == "2022")
    )
    hidden.loc[hit, ["value", "status"]] = [float("nan"), ":"]
    men = row(sp07b_intro_work_or_education_ssb(hidden, 2022, "year"), sex="Menn")
    assert math.isnan(men["value"]) and "skjult" in men["missing_reason"]


def test_a_table_without_a_status_dimension_is_rejected_with_its_dimensions(table):
    with pytest.raises(DataValidationError, match="sysselsatt"):
        transition_counts(table[table["Status"] == "04"])


def test_transition_summary_gives_cohort_share_and_counts_per_sex():
    summary = transition_summary(TABLE)
    first = summary.iloc[0]
    assert (first["Statusår"], first["Avgangskull"], first["Kjønn"]) == (2019, 2018, "I alt")
    assert first["Andel"] == pytest.approx(2922 / 4600)
    assert list(summary["Kjønn"][:3]) == ["I alt", "Menn", "Kvinner"]


def test_transition_summary_names_a_missing_file(tmp_path: Path):
    from imdi_analysis.errors import DataNotFoundError

    with pytest.raises(DataNotFoundError, match="table 10809"):
        transition_summary(tmp_path / "missing.json")


def test_a_table_from_statistics_norway_is_labelled_as_theirs_not_as_synthetic(table, registers):
    from imdi_analysis.indicators.ssb import SOURCE_LABEL_NB, source_label, table_is_synthetic

    assert not table_is_synthetic(table)
    assert source_label(registers) == SOURCE_LABEL_NB == "Statistisk sentralbyrå, tabell 10809"


def test_a_table_whose_source_says_synthetic_is_labelled_synthetic(tmp_path: Path):
    from imdi_analysis.indicators.report import report_transition
    from imdi_analysis.indicators.ssb import read_table, table_is_synthetic

    document = json.loads(TABLE.read_text(encoding="utf-8"))
    document["source"] = "Syntetiske data (imdi-analysis), etter strukturen i SSB-tabell 10809"
    path = tmp_path / "table10809.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert table_is_synthetic(read_table(path))
    assert "syntetisk tabell" in report_transition(path).splitlines()[0]
    assert "(SSB-tabell 10809)" in report_transition(TABLE).splitlines()[0]
