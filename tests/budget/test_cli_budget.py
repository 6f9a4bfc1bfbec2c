"""``imdi budget status``: table, CSV, notes on stderr, exit codes for bad dates and data."""

from __future__ import annotations

import io
import sys

import pandas as pd
import pytest

from imdi_analysis.cli import main
from tests.budget.conftest import ACCOUNTS, BAD, LETTER_ROOT


def run_imdi(args: list[str], monkeypatch, capsys) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["imdi", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def fixture_letter(monkeypatch):
    monkeypatch.setattr("imdi_analysis.config.LETTER_DIR", LETTER_ROOT)


def test_status_prints_the_norwegian_table_and_notes_on_stderr(monkeypatch, capsys):
    code, out, err = run_imdi(
        ["budget", "status", "--year", "2022", "--as-of", "2022-06-30", "--accounts", str(ACCOUNTS)],
        monkeypatch,
        capsys,
    )
    assert code == 0
    assert out.startswith("Budsjettstatus per 30. juni 2022")
    assert "671/21" in out and "Utenfor" in out
    assert "note: Poster uten rader" in err


def test_status_csv_is_machine_readable(monkeypatch, capsys):
    code, out, _ = run_imdi(
        ["budget", "status", "--year", "2022", "--as-of", "2022-06-30", "--accounts", str(ACCOUNTS), "--csv"],
        monkeypatch,
        capsys,
    )
    assert code == 0
    frame = pd.read_csv(io.StringIO(out))
    assert frame.loc[frame["post"] == 21, "outcome"].item() == "outside"


def test_an_as_of_date_outside_the_year_exits_2_naming_it(monkeypatch, capsys):
    code, _, err = run_imdi(
        ["budget", "status", "--year", "2022", "--as-of", "2023-03-31", "--accounts", str(ACCOUNTS)],
        monkeypatch,
        capsys,
    )
    assert code == 2
    assert "2023-03-31 is outside the budget year 2022" in err


def test_a_missing_month_exits_1_naming_the_month(monkeypatch, capsys):
    code, _, err = run_imdi(
        [
            "budget",
            "status",
            "--year",
            "2022",
            "--as-of",
            "2022-06-30",
            "--accounts",
            str(BAD / "missing_month"),
        ],
        monkeypatch,
        capsys,
    )
    assert code == 1
    assert "month(s) 3" in err
