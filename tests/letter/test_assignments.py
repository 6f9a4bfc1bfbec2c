"""The register of assignments (oppdrag): complete, traceable, filterable."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from click.testing import CliRunner

from imdi_analysis.cli.letter_plans import LETTER_SUBCOMMANDS, assignments_command
from imdi_analysis.errors import ConfigError, DataValidationError
from imdi_analysis.letter.assignments import (
    assignments_by_goal,
    find_assignment_numbers,
    format_month,
    load_assignments,
    plot_deadlines,
)

matplotlib.use("Agg")

SEED_LETTER = Path("/work/shared/seed/tildelingsbrev-imdi-2022.txt")
FIXTURE_LETTER = Path(__file__).resolve().parents[1] / "fixtures" / "letter" / "tildelingsbrev-2022.txt"
# Mentioned in the 2022 letter only as the finished assignment that 2022-08 builds on.
REFERENCED_NOT_GIVEN_2022 = {"2021-06"}
# Any "YYYY-NN" whose second part is not a year: catches numbers not preceded by "oppdrag".
ANY_NUMBER = re.compile(r"\b(20[12]\d)\s?[-–]\s?(\d{2,3})\b")


def letter_text() -> str:
    """The 2022 letter's text (the shared seed if present, else the fixture copy)."""
    return (SEED_LETTER if SEED_LETTER.exists() else FIXTURE_LETTER).read_text(encoding="utf-8")


def cited_texts(lines: list[str], source_lines: str) -> list[str]:
    """The whitespace-normalised text of each range in ``source_lines`` ('122-126;2261')."""
    texts = []
    for part in source_lines.split(";"):
        first, _, last = part.partition("-")
        texts.append(re.sub(r"\s+", " ", " ".join(lines[int(first) - 1 : int(last or first)])))
    return texts


def copy_fixture(fixtures: Path, tmp_path: Path, old: str, new: str) -> Path:
    """The 2099 fixture year under ``tmp_path`` with ``old`` replaced by ``new`` in assignments.csv."""
    shutil.copytree(fixtures / "letter" / "2099", tmp_path / "2099")
    path = tmp_path / "2099" / "assignments.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return tmp_path


def test_every_assignment_number_in_the_letter_is_in_the_register_exactly_once():
    mentioned = set(find_assignment_numbers(letter_text()))
    register = load_assignments(2022)["number"].dropna()
    assert register.is_unique
    assert set(register) == mentioned - REFERENCED_NOT_GIVEN_2022
    assert REFERENCED_NOT_GIVEN_2022.issubset(mentioned)


def test_no_assignment_number_in_the_letter_escapes_the_oppdrag_pattern():
    broad = {f"{y}-{int(n):02d}" for y, n in ANY_NUMBER.findall(letter_text())}
    assert broad == set(find_assignment_numbers(letter_text()))


def test_find_assignment_numbers_normalises_spacing_dashes_and_leading_zeros():
    text = "Oppdrag nr. 2022- 01 og Oppdrag nr. 2022– 11, jf. oppdrag 2021-041 og Prop. 1 S (2021-2022)"
    assert find_assignment_numbers(text) == ["2022-01", "2022-11", "2021-41"]


def test_the_2022_register_has_19_new_16_earlier_and_2_unnumbered_tasks():
    frame = load_assignments(2022)
    numbered = frame[frame["number"].notna()]
    assert numbered["new"].sum() == 19
    assert (~numbered["new"]).sum() == 16
    assert frame.loc[frame["number"].isna(), "section"].tolist() == ["3.1.2", "3.1.3"]


@pytest.mark.parametrize(
    ("number", "deadline", "kind", "goals"),
    [
        ("2022-01", "2022-05-06", "date", "1"),
        ("2022-05", "2022-09-15", "date", "2"),
        ("2022-09", "2024-12-31", "several_dates", "3"),
        ("2022-14", "2022-06-30", "date", "4"),
        ("2022-19", "2022-12-31", "date", None),
        ("2021-05", "2022-03-30", "date", "2"),
        ("2021-17", "2022-10-01", "several_dates", "3"),
        ("2021-45", "2022-08-30", "date", "4"),
        ("2022-04", None, "month", "1"),
        ("2022-12", None, "annual_report", "4"),
        ("2021-38", None, "half_year_report", "4"),
        ("2020-15", None, "until_group_ends", "3"),
    ],
)
def test_deadlines_and_goals_as_the_letter_gives_them(number, deadline, kind, goals):
    row = load_assignments(2022).set_index("number").loc[number]
    if deadline is None:
        assert pd.isna(row["deadline"])
    else:
        assert row["deadline"] == pd.Timestamp(deadline)
    assert row["deadline_kind"] == kind
    assert (row["goals"] if pd.notna(row["goals"]) else None) == goals


def test_month_deadline_keeps_the_letters_words():
    row = load_assignments(2022).set_index("number").loc["2022-04"]
    assert row["deadline_text"] == "Anbefaling: Mai 2025 Pilotering: Ut 2025"


def test_each_row_is_found_at_its_cited_lines_with_its_title_and_date():
    lines = letter_text().split("\n")
    for row in load_assignments(2022).itertuples():
        texts = cited_texts(lines, row.source_lines)
        if pd.notna(row.number):
            assert all(row.number in find_assignment_numbers(t) for t in texts), row.number
        assert any(row.title in t for t in texts), row.title
        if pd.notna(row.deadline):
            assert any(row.deadline.strftime("%d.%m.%Y") in t for t in texts), row.number


def test_due_before_keeps_assignments_with_an_earlier_dated_deadline():
    due = load_assignments(2022, due_before=dt.date(2022, 7, 1))
    assert sorted(due["number"]) == ["2021-01", "2021-05", "2021-42", "2022-01", "2022-14"]


def test_due_before_is_strict_and_skips_undated_assignments(fixtures: Path):
    root = fixtures / "letter"
    assert load_assignments(2099, root=root, due_before="2099-06-30")["number"].tolist() == ["2099-01"]
    assert load_assignments(2099, root=root, due_before="2099-07-01")["number"].tolist() == [
        "2099-01",
        "2098-07",
    ]
    assert len(load_assignments(2099, root=root, due_before="2200-01-01")) == 3


@pytest.mark.parametrize(
    ("day", "count"),
    [("2022-03-30", 0), ("2022-03-31", 1), ("2022-12-31", 13), ("2023-01-01", 23), ("2030-01-01", 25)],
)
def test_due_before_counts_at_the_boundaries_of_2022_deadlines(day, count):
    everything = load_assignments(2022)
    due = load_assignments(2022, due_before=day)
    assert len(due) == count
    assert (
        due["title"].tolist() == everything.loc[everything["deadline"] < pd.Timestamp(day), "title"].tolist()
    )


def test_due_before_that_is_not_a_date_is_a_config_error():
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        load_assignments(2022, due_before="neste uke")


def test_new_flag_that_contradicts_the_number_is_rejected(fixtures: Path, tmp_path: Path):
    root = copy_fixture(fixtures, tmp_path, "30.06.2099,false", "30.06.2099,true")
    with pytest.raises(DataValidationError, match=r"row 4: 2098-07 new=True"):
        load_assignments(2099, root=root)


def test_a_number_listed_twice_is_rejected_naming_both_rows(fixtures: Path, tmp_path: Path):
    root = copy_fixture(fixtures, tmp_path, "2099-03,", "2099-01,")
    with pytest.raises(DataValidationError, match="column 'number', check numbers_are_unique") as info:
        load_assignments(2099, root=root)
    report = info.value.report
    assert report[["column", "row", "value"]].values.tolist() == [
        ["number", 1, "2099-01"],
        ["number", 3, "2099-01"],
    ]


def test_a_deadline_not_in_iso_format_is_rejected_naming_its_row_and_value(fixtures: Path, tmp_path: Path):
    root = copy_fixture(fixtures, tmp_path, "1,2099-03-31,date", "1,31.03.2099,date")
    with pytest.raises(DataValidationError, match=r"column 'deadline'.*row 1: '31\.03\.2099'"):
        load_assignments(2099, root=root)


def test_a_date_kind_without_a_date_is_rejected(fixtures: Path, tmp_path: Path):
    root = copy_fixture(fixtures, tmp_path, "1,2099-03-31,date", "1,,date")
    with pytest.raises(DataValidationError, match="date_kind_has_deadline"):
        load_assignments(2099, root=root)


def test_an_unknown_goal_is_rejected(fixtures: Path, tmp_path: Path):
    root = copy_fixture(fixtures, tmp_path, "Oppdrag for to mål,1;2", "Oppdrag for to mål,1;9")
    with pytest.raises(DataValidationError, match="goal number"):
        load_assignments(2099, root=root)


def test_assignments_by_goal_lists_a_two_goal_assignment_under_each_goal(fixtures: Path):
    table = assignments_by_goal(2099, root=fixtures / "letter").reset_index()
    assert table.loc[table["Nr."] == "2099-02", "Mål"].tolist() == [
        "Mål 1: Flere deltar i arbeidslivet",
        "Mål 2: Bosettingen er rask",
    ]
    assert table.iloc[-1]["Mål"] == "Flere mål"
    assert table.iloc[-1]["Nr."] == "–"
    assert table.loc[table["Nr."] == "2099-02", "Frist"].iloc[0] == "30. september 2099 (flere frister)"
    assert table.loc[table["Nr."] == "2099-03", "Frist"].iloc[0] == "Rapportering i årsrapport"


def test_plot_has_one_point_per_dated_assignment_and_goal(fixtures: Path):
    figure = plot_deadlines(2099, root=fixtures / "letter")
    axes = figure.axes[0]
    points = sum(len(c.get_offsets()) for c in axes.collections)
    assert points == 4  # 2099-01, 2099-02 under goals 1 and 2, 2098-07
    assert [t.get_text() for t in axes.get_yticklabels()] == ["Mål 1", "Mål 2"]
    assert "2 oppdrag uten datofrist" in " ".join(t.get_text() for t in figure.texts)


def test_month_labels_are_norwegian():
    assert format_month(matplotlib.dates.date2num(dt.date(2022, 10, 1))) == "okt. 2022"
    assert format_month(matplotlib.dates.date2num(dt.date(2023, 5, 1))) == "mai 2023"


def test_cli_prints_the_assignments_due_before_a_date_in_norwegian():
    result = CliRunner().invoke(assignments_command, ["--year", "2022", "--due-before", "2022-05-01"])
    assert result.exit_code == 0, result.output
    assert "med frist før 1. mai 2022 (3)" in result.output
    assert "Nr." in result.output and "Frist" in result.output
    assert "2021-42" in result.output and "2022-01" not in result.output


def test_cli_commands_are_offered_to_the_letter_group_not_the_top_level():
    assert [c.name for c in LETTER_SUBCOMMANDS] == ["assignments", "calendar"]
