"""Every schema accepts its fixture, and every named check rejects a corrupted copy.

A failure message must name the file, the column, the check, the 1-based data row and the value.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from imdi_analysis.errors import DataValidationError
from imdi_analysis.sources import SOURCES, load_source
from imdi_analysis.sources._base import missing_months, validate_frame
from imdi_analysis.sources.registry import get_spec
from tests.sources.helpers import YEAR, read_raw, write_raw

# (source, row index (0-based), {column: new value}, expected column, expected check, expected value)
CORRUPTIONS = [
    ("intro_participants", 0, {"county": "12"}, "county", "county_valid_on_reference_date", "12"),
    ("intro_participants", 0, {"municipality": "0301"}, "municipality", "municipality_in_county", "0301"),
    (
        "intro_participants",
        0,
        {"programme_end": "2020-01-01"},
        "programme_end",
        "programme_end_not_before_start",
        "2020-01-01",
    ),
    (
        "intro_participants",
        4,
        {"programme_end": "2022-12-01", "end_reason": "annet", "status_at_exit": "annet"},
        "programme_start",
        "programme_start_given_when_ended",
        "(empty)",
    ),
    ("intro_participants", 0, {"end_reason": ""}, "end_reason", "end_reason_given_when_ended", "(empty)"),
    (
        "intro_participants",
        0,
        {"status_at_exit": ""},
        "status_at_exit",
        "status_at_exit_given_when_ended",
        "(empty)",
    ),
    (
        "intro_participants",
        1,
        {"birth_year": "1910"},
        "birth_year",
        "age_plausible_on_reference_date",
        "1910",
    ),
    (
        "intro_participants",
        2,
        {"person_id": "P0001", "programme_start": "2020-05-01"},
        "person_id",
        "key_is_unique",
        "P0001",
    ),
    (
        "intro_participants",
        1,
        {"formal_qualification": "kanskje"},
        "formal_qualification",
        "coerce_dtype('boolean')",
        "kanskje",
    ),
    ("intro_participants", 1, {"right_code": "plikt"}, "right_code", "isin", "plikt"),
    ("intro_measures", 1, {"measure": "norskopplaering"}, "person_id", "key_is_unique", "P0001"),
    ("intro_measures", 0, {"measure": "svomming"}, "measure", "isin", "svomming"),
    (
        "norwegian_training",
        2,
        {"norwegian_hours": "-3"},
        "norwegian_hours",
        "greater_than_or_equal_to(0)",
        "-3.0",
    ),
    (
        "norwegian_training",
        0,
        {"target_group_date": "01.03.2020"},
        "target_group_date",
        "coerce_dtype('datetime64[ns]')",
        "01.03.2020",
    ),
    (
        "asylum_training",
        0,
        {"host_municipality": "0403"},
        "host_municipality",
        "host_municipality_valid_on_reference_date",
        "0403",
    ),
    (
        "asylum_training",
        1,
        {"social_studies_completed": "maybe"},
        "social_studies_completed",
        "coerce_dtype('boolean')",
        "maybe",
    ),
    ("competence_mapping", 3, {"activity": "kartlegging"}, "activity", "isin", "kartlegging"),
    ("competence_mapping", 1, {"activity": "kartlegging_p6"}, "person_id", "key_is_unique", "P0001"),
    ("settlement", 1, {"person_id": "S0001"}, "person_id", "key_is_unique", "S0001"),
    ("settlement", 0, {"ready_date": "2021-12-31"}, "ready_date", "ready_not_before_permit", "2021-12-31"),
    (
        "settlement",
        0,
        {"settlement_date": "2021-12-31"},
        "settlement_date",
        "settlement_not_before_permit",
        "2021-12-31",
    ),
    ("settlement", 1, {"county": ""}, "county", "county_given_when_settled", "(empty)"),
    ("settlement", 1, {"municipality": ""}, "municipality", "municipality_given_when_settled", "(empty)"),
    (
        "settlement",
        1,
        {"culture_orientation": "mottatt"},
        "culture_orientation",
        "culture_orientation_only_for_resettlement_refugees",
        "mottatt",
    ),
    ("settlement", 0, {"self_settled": "kanskje"}, "self_settled", "coerce_dtype('boolean')", "kanskje"),
    ("settlement", 0, {"nationality": "NOR"}, "nationality", "isin", "NOR"),
    ("municipal_decisions", 1, {"decided": "-1"}, "decided", "greater_than_or_equal_to(0)", "-1"),
    (
        "municipal_decisions",
        1,
        {"county": "12", "municipality": "1201"},
        "county",
        "county_valid_on_reference_date",
        "12",
    ),
    (
        "interpreters",
        3,
        {"deregistered_date": "2000-01-01"},
        "deregistered_date",
        "deregistered_not_before_registered",
        "2000-01-01",
    ),
    (
        "interpreters",
        0,
        {"authorisation_date": ""},
        "authorisation_date",
        "authorisation_date_given_when_authorised",
        "(empty)",
    ),
    ("interpreters", 2, {"category": "F"}, "category", "isin", "F"),
    ("bilingual_tests", 1, {"test_id": "B0001"}, "test_id", "key_is_unique", "B0001"),
    ("register_searches", 1, {"month": "2022-02-15"}, "month", "month_is_first_day", "2022-02-15"),
    (
        "complaints",
        0,
        {"decided_date": "2021-12-01"},
        "decided_date",
        "decided_not_before_received",
        "2021-12-01",
    ),
    ("complaints", 2, {"county": "02"}, "county", "county_valid_on_reference_date", "02"),
    ("supervision", 0, {"breaches": "1,5"}, "breaches", "coerce_dtype('int64')", "1,5"),
    ("adviser_sessions", 0, {"county": "99"}, "county", "county_valid_on_reference_date", "99"),
    ("minority_adviser_cases", 0, {"age": "130"}, "age", "less_than_or_equal_to(100)", "130"),
    ("minority_adviser_cases", 0, {"country_background": "mars"}, "country_background", "isin", "mars"),
    ("jobbsjansen", 0, {"end_date": "2021-01-01"}, "end_date", "end_not_before_start", "2021-01-01"),
    ("jobbsjansen", 0, {"outcome": ""}, "outcome", "outcome_given_when_ended", "(empty)"),
]


@pytest.mark.parametrize("name", list(SOURCES))
def test_schema_accepts_its_fixture(name: str, data_dir: Path):
    frame = load_source(name, YEAR, data_dir)
    assert len(frame) > 0
    assert list(frame.columns) == SOURCES[name].columns


@pytest.mark.parametrize(
    ("name", "row", "changes", "column", "check", "value"),
    CORRUPTIONS,
    ids=[f"{c[0]}-{c[4]}" for c in CORRUPTIONS],
)
def test_named_check_fails_naming_file_column_row_and_value(
    data_dir: Path, name: str, row: int, changes: dict, column: str, check: str, value: str | None
):
    frame = read_raw(data_dir, name)
    for key, new in changes.items():
        frame.loc[row, key] = new
    path = write_raw(frame, data_dir, name)
    with pytest.raises(DataValidationError) as info:
        load_source(name, YEAR, data_dir)
    report = info.value.report
    hits = report[(report["column"] == column) & report["check"].str.startswith(check)]
    assert not hits.empty, f"no {check} failure on {column}:\n{report}"
    assert row + 1 in set(hits["row"]), hits
    message = str(info.value)
    assert str(path) in message
    assert f"column {column!r}" in message and check in message
    if value is not None:
        assert f"row {row + 1}: {value!r}" in message


def test_duplicate_key_flags_every_duplicate_row(data_dir: Path):
    frame = read_raw(data_dir, "settlement")
    frame.loc[3, "person_id"] = "S0001"
    write_raw(frame, data_dir, "settlement")
    with pytest.raises(DataValidationError) as info:
        load_source("settlement", YEAR, data_dir)
    report = info.value.report
    assert set(report.loc[report["check"] == "key_is_unique", "row"]) == {1, 4}


def test_boolean_text_false_is_false_not_true(data_dir: Path):
    frame = load_source("settlement", YEAR, data_dir)
    assert frame["self_settled"].tolist() == [False, True, False, False, False]
    participants = load_source("intro_participants", YEAR, data_dir)
    assert participants["formal_qualification"].tolist() == [True, False, True, False, False, True]


def test_types_are_dates_integers_floats_and_nullable_booleans(data_dir: Path):
    frame = load_source("norwegian_training", YEAR, data_dir)
    assert pd.api.types.is_datetime64_any_dtype(frame["target_group_date"])
    assert frame["norwegian_hours"].dtype == "float64"
    assert frame["birth_year"].dtype == "int64"
    assert frame["county"].tolist()[:2] == ["46", "46"]
    assert pd.isna(frame.loc[3, "norwegian_start"])


def test_missing_and_extra_columns_are_reported(data_dir: Path):
    frame = read_raw(data_dir, "complaints").drop(columns="outcome").assign(note="x")
    write_raw(frame, data_dir, "complaints")
    with pytest.raises(DataValidationError) as info:
        load_source("complaints", YEAR, data_dir)
    checks = set(info.value.report["check"])
    assert "column missing from file" in checks
    assert "column not in schema (extra column)" in checks


def write_2019_supervision(data_dir: Path, counties: list[str], municipalities: list[str]) -> None:
    frame = read_raw(data_dir, "supervision")
    frame["county"], frame["municipality"] = counties, municipalities
    frame["supervision_date"] = ["2019-03-10", "2019-09-22"]
    (data_dir / "2019").mkdir(exist_ok=True)
    frame.to_csv(data_dir / "2019" / "supervision.csv", index=False)


def test_codes_valid_before_2020_are_accepted_in_a_2019_extract(data_dir: Path):
    write_2019_supervision(data_dir, ["12", "18"], ["1201", "1804"])
    assert load_source("supervision", 2019, data_dir)["county"].tolist() == ["12", "18"]


def test_codes_introduced_in_2020_are_rejected_in_a_2019_extract(data_dir: Path):
    write_2019_supervision(data_dir, ["46", "18"], ["4601", "1804"])
    with pytest.raises(DataValidationError, match="county_valid_on_reference_date") as info:
        load_source("supervision", 2019, data_dir)
    assert "row 1: '46'" in str(info.value)


# --- dates after the extract date, non-finite numbers, Parquet (issue 15) -----------------------


@pytest.mark.parametrize(
    ("day", "fails"), [("2022-12-30", False), ("2022-12-31", False), ("2023-01-01", True)]
)
def test_an_end_date_after_the_extract_date_fails_and_one_on_it_loads(data_dir: Path, day: str, fails: bool):
    """The 2022 folder's extract date is 2022-12-31; row 1's programme ends on ``day``."""
    raw = read_raw(data_dir, "intro_participants")
    raw.loc[0, "programme_end"] = day
    path = write_raw(raw, data_dir, "intro_participants")
    if not fails:
        assert load_source("intro_participants", YEAR, data_dir)["programme_end"].iloc[0] == pd.Timestamp(day)
        return
    with pytest.raises(DataValidationError) as info:
        load_source("intro_participants", YEAR, data_dir)
    report = info.value.report
    assert report[["column", "check", "row", "value"]].values.tolist() == [
        ["programme_end", "date_not_after_extract_date (2022-12-31)", 1, day]
    ]
    assert str(path) in str(info.value)


def test_without_an_extract_date_a_later_date_is_not_checked(data_dir: Path):
    """``Schema.validate`` on its own has no extract date; the loader's date is what refuses."""
    raw = read_raw(data_dir, "complaints").replace("", None)
    raw.loc[0, "decided_date"] = "2099-01-01"
    spec = get_spec("complaints")
    assert len(validate_frame(raw, spec, "complaints.csv")) == len(raw)
    with pytest.raises(DataValidationError, match="date_not_after_extract_date"):
        validate_frame(raw, spec, "complaints.csv", dt.date(2022, 12, 31))


def test_infinite_hours_in_a_parquet_extract_are_refused(data_dir: Path):
    frame = load_source("norwegian_training", YEAR, data_dir)
    frame.loc[1, "norwegian_hours"] = float("inf")
    (data_dir / str(YEAR) / "norwegian_training.csv").unlink()
    frame.to_parquet(data_dir / str(YEAR) / "norwegian_training.parquet")
    with pytest.raises(DataValidationError) as info:
        load_source("norwegian_training", YEAR, data_dir)
    assert info.value.report[["column", "check", "row"]].values.tolist() == [
        ["norwegian_hours", "number_is_finite", 2]
    ]


def test_missing_months_run_from_january_to_the_month_of_the_extract_date():
    """On 2022-06-30 January to June are due: a frame with January, March and July (a month after
    the date, reported by the date check, not here) lacks February, April, May and June."""
    spec = get_spec("register_searches")
    months = pd.to_datetime(pd.Series(["2022-01-01", "2022-03-01", "2022-07-01"]))
    frame = pd.DataFrame({"month": months, "searches": [1, 2, 3]})
    assert missing_months(frame, spec, dt.date(2022, 6, 30)) == ["2022-02", "2022-04", "2022-05", "2022-06"]
    assert missing_months(frame, spec, dt.date(2022, 1, 1)) == []
    assert missing_months(frame, get_spec("complaints"), dt.date(2022, 12, 31)) == []
