"""Reporting deadlines (section 9) and steering meetings (Vedlegg 4)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from imdi_analysis.cli.letter_plans import calendar_command
from imdi_analysis.errors import DataValidationError
from imdi_analysis.letter.calendar import calendar_table, load_meetings, load_reports, render_text_table

SEED_LETTER = Path("/work/shared/seed/tildelingsbrev-imdi-2022.txt")
FIXTURE_LETTER = Path(__file__).resolve().parents[1] / "fixtures" / "letter" / "tildelingsbrev-2022.txt"


def cited_text(source_lines: str) -> str:
    """Whitespace-normalised text of the letter at ``source_lines`` ('1083-1087')."""
    lines = (SEED_LETTER if SEED_LETTER.exists() else FIXTURE_LETTER).read_text(encoding="utf-8").split("\n")
    first, _, last = source_lines.partition("-")
    return re.sub(r"\s+", " ", " ".join(lines[int(first) - 1 : int(last or first)]))


def test_section_9_1_reports_with_status_dates_and_deadlines():
    reports = load_reports(2022)
    main = reports[reports["section"] == "9.1"]
    assert main[["kind", "count_date", "deadline"]].astype(str).values.tolist() == [
        ["annual_report", "2021-12-31", "2022-03-15"],
        ["half_year_report", "2022-06-30", "2022-08-19"],
        ["annual_report", "2022-12-31", "2023-03-15"],
    ]


def test_report_wording_is_verbatim_at_its_cited_lines():
    for row in load_reports(2022).itertuples():
        assert row.source_text in cited_text(row.source_lines)


def test_vedlegg_4_meetings_and_their_dates():
    meetings = load_meetings(2022)
    assert list(zip(meetings["meeting"], meetings["date"].dt.strftime("%Y-%m-%d"), strict=True)) == [
        ("Etatsstyringsmøte vår", "2022-04-14"),
        ("Strategimøte", "2022-05-10"),
        ("Etatsstyringsmøte høst", "2022-09-06"),
        ("Ledersamling", "2022-10-18"),
    ]
    for row in meetings.itertuples():
        assert f"{row.meeting} {row.date.day}." in cited_text(row.source_lines)


def test_meetings_agree_with_section_8():
    meetings = load_meetings(2022).set_index("kind")
    steering = meetings.loc["steering_meeting", "date"]
    assert len(steering) == 2  # "to etatsstyringsmøter i 2022"
    strategy = meetings.loc["strategy_meeting", "date"]
    assert strategy.month == 5 and strategy > steering.min()  # "i mai, etter det første etatsstyringsmøtet"
    assert meetings.loc["leader_meeting", "date"].month >= 9  # "høsten 2022"


def test_each_steering_meeting_comes_after_the_report_it_discusses():
    reports = load_reports(2022).set_index("report")
    spring, autumn = load_meetings(2022).query("kind == 'steering_meeting'")["date"]
    assert spring > reports.loc["Årsrapport og regnskap for budsjettåret 2021", "deadline"]
    assert autumn > reports.loc["Halvårsrapportering for 2022", "deadline"]


def test_calendar_table_is_chronological_with_norwegian_headers(fixtures: Path):
    table = calendar_table(2099, root=fixtures / "letter")
    assert table.index.name == "Dato"
    assert table.index.tolist() == ["15. mars 2099", "10. april 2099", "20. august 2099", "5. september 2099"]
    assert table["Type"].tolist() == [
        "Årsrapport",
        "Etatsstyringsmøte",
        "Halvårsrapport",
        "Etatsstyringsmøte",
    ]
    assert table.iloc[0]["Merknad"] == "Telletidspunkt 31. desember 2098"


def test_report_due_before_its_status_date_is_rejected(fixtures: Path, tmp_path: Path):
    shutil.copytree(fixtures / "letter" / "2099", tmp_path / "2099")
    path = tmp_path / "2099" / "reports.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2099-08-20", "2099-06-01"), encoding="utf-8")
    with pytest.raises(DataValidationError, match="deadline_after_count_date"):
        load_reports(2099, root=tmp_path)


def test_meeting_with_an_impossible_date_is_rejected_naming_the_row(fixtures: Path, tmp_path: Path):
    shutil.copytree(fixtures / "letter" / "2099", tmp_path / "2099")
    path = tmp_path / "2099" / "meetings.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2099-04-10", "2099-04-31"), encoding="utf-8")
    with pytest.raises(DataValidationError, match="date") as info:
        load_meetings(2099, root=tmp_path)
    assert "2099-04-31" in str(info.value)


def test_a_meeting_date_not_in_iso_format_is_rejected_naming_its_row_and_value(
    fixtures: Path, tmp_path: Path
):
    shutil.copytree(fixtures / "letter" / "2099", tmp_path / "2099")
    path = tmp_path / "2099" / "meetings.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2099-04-10", "10.04.2099"), encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"column 'date'.*row 2: '10\.04\.2099'"):
        load_meetings(2099, root=tmp_path)


def test_a_missing_deadline_column_is_reported_once_as_missing(fixtures: Path, tmp_path: Path):
    shutil.copytree(fixtures / "letter" / "2099", tmp_path / "2099")
    path = tmp_path / "2099" / "reports.csv"
    pd.read_csv(path, dtype=str).drop(columns="deadline").to_csv(path, index=False)
    with pytest.raises(DataValidationError) as info:
        load_reports(2099, root=tmp_path)
    assert info.value.report[["check", "value"]].values.tolist() == [["column missing from file", "deadline"]]


def test_text_table_aligns_columns_under_a_rule():
    text = render_text_table(pd.DataFrame({"Dato": ["1. mai 2022", "6. september 2022"], "Hva": ["A", "Bb"]}))
    assert text.split("\n") == [
        "Dato               Hva",
        "-----------------  ---",
        "1. mai 2022        A",
        "6. september 2022  Bb",
    ]


def test_cli_calendar_prints_every_report_and_meeting():
    result = CliRunner().invoke(calendar_command, ["--year", "2022"])
    assert result.exit_code == 0, result.output
    assert "14. april 2022" in result.output and "Strategimøte" in result.output
    assert "Frist: Halvårsrapportering for 2022" in result.output
    assert result.output.index("15. mars 2022") < result.output.index("15. mars 2023")
