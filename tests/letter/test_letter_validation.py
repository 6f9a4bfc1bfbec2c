"""``imdi letter check`` validates every letter file and the references between them.

Each test copies the hand-made fixture year 2099 (``tests/fixtures/letter/2099``, valid: the
check finds no problem in it) and breaks one thing by hand.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from imdi_analysis.cli import main
from imdi_analysis.errors import DataNotFoundError, DataValidationError
from imdi_analysis.letter.checks import check_report, validate_letter

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "letter" / "2099"
YEAR = 2099


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    """A writable copy of the valid fixture letter 2099; returns the root (``<root>/2099/``)."""
    shutil.copytree(FIXTURE, tmp_path / str(YEAR))
    return tmp_path


def edit(root: Path, name: str, old: str, new: str) -> Path:
    path = root / str(YEAR) / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_valid_fixture_letter_has_no_problem(letter: Path):
    assert validate_letter(YEAR, letter) == []


def test_an_indicator_id_the_registry_does_not_know_is_named_with_file_column_and_row(letter: Path):
    edit(
        letter,
        "steering_parameters.csv",
        "sp01_jobbsjansen_work_or_education",
        "sp01_jobbsjansen_work_or_education;sp99_made_up",
    )
    [problem] = validate_letter(YEAR, letter)
    assert "steering_parameters.csv, column 'indicator_id'" in problem
    assert "row 1: sp99_made_up" in problem
    assert "sp01_jobbsjansen_work_or_education" in problem  # in the list of known ids, not as unknown
    assert "row 1: sp01_jobbsjansen" not in problem


def test_an_indicator_under_two_sps_is_reported_on_both_rows(letter: Path):
    edit(
        letter,
        "steering_parameters.csv",
        "2,1,Resultater av innsatsen,,",
        "2,1,Resultater av innsatsen,sp01_jobbsjansen_work_or_education,",
    )
    [problem] = validate_letter(YEAR, letter)
    assert "listed more than once" in problem
    assert "row 1: sp01_jobbsjansen_work_or_education" in problem
    assert "row 2: sp01_jobbsjansen_work_or_education" in problem


def test_a_dropped_sp_without_renumbering_is_a_gap(letter: Path):
    """SPs 1, 2, 3 with SP 2 removed: 1 and 3 remain, so 2 is missing."""
    path = letter / str(YEAR) / "steering_parameters.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("2,")), encoding="utf-8")
    [problem] = validate_letter(YEAR, letter)
    assert "steering_parameters.csv, column 'sp'" in problem and "2 is missing" in problem


def test_an_assignment_number_from_a_later_year_is_refused(letter: Path):
    edit(
        letter,
        "assignments.csv",
        "2098-07,Tidligere oppdrag,2,2099-06-30",
        "2100-07,Tidligere oppdrag,2,2100-06-30",
    )
    [problem] = validate_letter(YEAR, letter)
    assert "assignments.csv, column 'number'" in problem and "row 4: 2100-07" in problem


def test_a_numbered_assignment_needs_a_date_or_the_letters_words_for_its_deadline(letter: Path):
    edit(letter, "assignments.csv", "annual_report,Rapportering i årsrapport,", "annual_report,,")
    [problem] = validate_letter(YEAR, letter)
    assert "'deadline' and 'deadline_text'" in problem and "row 3: 2099-03" in problem


def test_a_deadline_before_the_assignment_was_given_is_refused(letter: Path):
    edit(
        letter,
        "assignments.csv",
        "2099-01,Første nye oppdrag,1,2099-03-31",
        "2099-01,Første nye oppdrag,1,2098-03-31",
    )
    [problem] = validate_letter(YEAR, letter)
    assert "column 'deadline'" in problem and "row 1: 2099-01 due 2098-03-31" in problem


def test_a_deadline_that_is_not_an_iso_date_is_refused_by_the_schema(letter: Path):
    edit(letter, "assignments.csv", "2099-03-31,date", "31.03.2099,date")
    [problem] = validate_letter(YEAR, letter)
    assert "assignments.csv" in problem and "deadline" in problem and "row 1" in problem


def test_an_earmark_naming_an_assignment_the_letter_lacks_is_refused(letter: Path):
    edit(letter, "earmarks.csv", "2500000,2099-01,", "2500000,2099-09,")
    [problem] = validate_letter(YEAR, letter)
    assert "earmarks.csv, column 'assignment'" in problem and "row 2: 2099-09" in problem


def test_a_repeated_appendix_table_key_is_refused(letter: Path):
    edit(letter, "appendix_tables.csv", "1B,1,B,", "1A,1,B,")
    [problem] = validate_letter(YEAR, letter)
    assert "appendix_tables.csv" in problem and "table_key" in problem


def test_an_sp_under_a_goal_the_letter_lacks_is_refused(letter: Path):
    edit(letter, "steering_parameters.csv", "3,2,Rask bosetting", "3,3,Rask bosetting")
    problems = validate_letter(YEAR, letter)
    assert any("steering_parameters.csv" in p and "goal" in p and "row 3: 3" in p for p in problems)


def test_every_problem_is_reported_at_once_not_only_the_first(letter: Path):
    edit(letter, "steering_parameters.csv", "sp01_jobbsjansen_work_or_education", "sp99_made_up")
    edit(
        letter,
        "assignments.csv",
        "2098-07,Tidligere oppdrag,2,2099-06-30",
        "2100-07,Tidligere oppdrag,2,2100-06-30",
    )
    (letter / str(YEAR) / "meetings.csv").unlink()
    problems = validate_letter(YEAR, letter)
    assert len(problems) == 3
    with pytest.raises(DataValidationError, match="3 problem") as info:
        check_report(YEAR, letter)
    assert (
        "sp99_made_up" in str(info.value)
        and "2100-07" in str(info.value)
        and "meetings.csv" in str(info.value)
    )


def test_a_missing_year_lists_the_years_that_exist(letter: Path):
    with pytest.raises(DataNotFoundError, match="Letter years that exist: 2099"):
        validate_letter(2030, letter)


def test_the_command_exits_one_listing_the_problems_without_a_traceback(letter: Path, monkeypatch, capsys):
    edit(letter, "steering_parameters.csv", "sp01_jobbsjansen_work_or_education", "sp99_made_up")
    monkeypatch.setattr("imdi_analysis.config.LETTER_DIR", letter)
    monkeypatch.setattr(sys, "argv", ["imdi", "letter", "check", "--year", str(YEAR)])
    with pytest.raises(SystemExit) as exited:
        main()
    out, err = capsys.readouterr()
    assert exited.value.code == 1 and out == ""
    assert "steering_parameters.csv, column 'indicator_id'" in err and "row 1: sp99_made_up" in err
    assert "Traceback" not in err


def test_the_2022_letter_is_valid():
    assert validate_letter(2022) == []


def test_a_letter_table_is_validated_once_per_process_and_read_again_when_its_bytes_change(
    letter: Path, monkeypatch: pytest.MonkeyPatch
):
    """Pages load the goals several times; the same bytes are validated once, each caller gets a
    copy, and a file rewritten in place (same size, same second) is validated again."""
    from imdi_analysis.letter import _files
    from imdi_analysis.letter.goals import load_goals

    calls: list[Path] = []
    real = _files.load_validated
    monkeypatch.setattr(
        _files, "load_validated", lambda path, schema: calls.append(path) or real(path, schema)
    )
    first = load_goals(YEAR, root=letter)
    first.loc[0, "title"] = "endret av en side"
    second = load_goals(YEAR, root=letter)
    assert len(calls) == 1 and second.loc[0, "title"] != "endret av en side"
    path = calls[0]
    text = path.read_text(encoding="utf-8")
    old = second.loc[0, "title"]
    new = old[:-1] + ("x" if old[-1] != "x" else "y")  # same length: same size
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert load_goals(YEAR, root=letter).loc[0, "title"] == new and len(calls) == 2
