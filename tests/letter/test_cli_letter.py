"""``imdi letter``: budget table, CSV, consistency check and exit codes."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd
import pytest

from imdi_analysis.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NBSP = "\u00a0"


def run_imdi(args: list[str], monkeypatch, capsys) -> tuple[int, str, str]:
    """Run the ``imdi`` entry point in-process; return exit code, stdout and stderr."""
    monkeypatch.setattr(sys, "argv", ["imdi", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def fixture_letters(monkeypatch) -> Path:
    """Point the letter folder at the fabricated fixture year 2099."""
    root = FIXTURES / "letter"
    monkeypatch.setattr("imdi_analysis.config.LETTER_DIR", root)
    return root


def test_letter_budget_prints_the_allocation_in_norwegian_mill_kr(monkeypatch, capsys):
    code, out, _ = run_imdi(["letter", "budget", "--year", "2022"], monkeypatch, capsys)
    assert code == 0
    assert out.startswith("Tildeling 2022 (mill. kr)")
    assert f"4{NBSP}953,07" in out
    assert f"1{NBSP}008,6" in out
    assert "Tildeling (mill. kr)" in out


def test_letter_budget_csv_writes_raw_nok_to_stdout(monkeypatch, capsys):
    code, out, _ = run_imdi(["letter", "budget", "--year", "2022", "--csv"], monkeypatch, capsys)
    assert code == 0
    frame = pd.read_csv(io.StringIO(out))
    assert len(frame) == 12
    row = frame[(frame["chapter"] == 671) & (frame["post"] == 60)].iloc[0]
    assert row["allocation_table_nok"] == 4_953_070_000
    assert frame["allocation_table_nok"].isna().sum() == 1  # 671 post 72: empty in the letter


def test_letter_check_warns_about_the_letters_discrepancies_and_exits_zero(monkeypatch, capsys):
    code, out, _ = run_imdi(["letter", "check", "--year", "2022"], monkeypatch, capsys)
    assert code == 0
    assert out.startswith("warning: 4 discrepancies in the allocation letter for 2022")
    assert "- earmarks_vs_post, 4 Kap. 671 Post 71:" in out
    assert "- chapter_sum_missing, 4 Kap. 671:" in out


def test_letter_check_runs_on_another_year(monkeypatch, capsys, fixture_letters):
    code, out, _ = run_imdi(["letter", "check", "--year", "2099"], monkeypatch, capsys)
    assert code == 0
    assert "warning: 9 discrepancies in the allocation letter for 2099" in out


def test_letter_check_exits_one_naming_file_column_and_row_when_data_break_the_schema(monkeypatch, capsys):
    monkeypatch.setattr(
        "imdi_analysis.config.LETTER_DIR", FIXTURES / "bad" / "letter" / "amount_with_letters"
    )
    code, out, err = run_imdi(["letter", "check", "--year", "2099"], monkeypatch, capsys)
    assert code == 1
    assert out == ""
    assert "budget_posts.csv" in err and "allocation_table_nok" in err and "row 3" in err
    assert "Traceback" not in err


def test_letter_budget_for_a_missing_year_lists_the_years_that_exist(monkeypatch, capsys, fixture_letters):
    code, _, err = run_imdi(["letter", "budget", "--year", "2030"], monkeypatch, capsys)
    assert code == 1
    assert "No allocation letter for 2030" in err and "Letter years that exist: 2099" in err


def test_letter_budget_requires_a_year(monkeypatch, capsys):
    code, _, err = run_imdi(["letter", "budget"], monkeypatch, capsys)
    assert code == 2
    assert "--year" in err


def test_letter_help_lists_the_subcommands(monkeypatch, capsys):
    code, out, _ = run_imdi(["letter", "--help"], monkeypatch, capsys)
    assert code == 0
    for command in ("budget", "check", "assignments", "calendar"):
        assert command in out


def test_letter_assignments_and_calendar_delegate_to_the_letter_modules(monkeypatch, capsys):
    code, out, _ = run_imdi(["letter", "assignments", "--year", "2022"], monkeypatch, capsys)
    assert code == 0 and "2022-19" in out
    code, out, _ = run_imdi(["letter", "calendar", "--year", "2022"], monkeypatch, capsys)
    assert code == 0 and "2022" in out
