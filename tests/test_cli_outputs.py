"""What commands write: one CSV writer without formulas, protected indicators, clear OS errors.

Every input here is written by hand (or is the hand-made indicator fixture of
``tests/fixtures/indicators``); hostile text is put where each command reads its text from.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from imdi_analysis import config
from imdi_analysis.cli import cli
from imdi_analysis.csv_output import escape_formula, frame_to_csv, neutralise_csv_text, write_csv

REPO = Path(__file__).resolve().parents[1]
REGISTERS = REPO / "tests" / "fixtures" / "indicators" / "registers"
HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_no_formula(text: str) -> None:
    """No cell of the CSV ``text`` starts with a formula trigger, unless it is a plain number."""
    for row in cells(text):
        for cell in row:
            if cell.startswith(TRIGGERS):
                float(cell.replace(",", "."))  # raises unless it is a plain (negative) number


# --- the writer -----------------------------------------------------------------------------


def test_writer_neutralises_formulas_and_keeps_numbers(tmp_path: Path):
    """Text cells and headers that start with a trigger get a leading ``'``; numbers (numeric
    columns, and text that is a plain negative number) and the zero symbol ``-`` are kept."""
    frame = pd.DataFrame(
        {
            "=header": ["ok", *HOSTILE, "-12", "-0,5", "-", None],
            "amount": [-5, 1, 2, 3, 4, 5, 6, -7, -8, 9, 10],
        }
    )
    target = tmp_path / "out.csv"
    write_csv(frame, target)
    rows = cells(target.read_bytes().decode("utf-8"))  # keep the \r inside a cell
    assert rows[0] == ["'=header", "amount"]
    assert [r[0] for r in rows[1:]] == ["ok", *("'" + h for h in HOSTILE), "-12", "-0,5", "-", ""]
    assert [r[1] for r in rows[1:]] == ["-5", "1", "2", "3", "4", "5", "6", "-7", "-8", "9", "10"]
    assert not list(tmp_path.glob(".*tmp"))


def test_strict_escaping_for_labels():
    assert escape_formula("-1") == "'-1"
    assert escape_formula("-1", keep_numbers=True) == "-1"
    assert escape_formula("a=b") == "a=b"


def test_csv_text_is_rewritten_with_the_same_values():
    text = 'name,amount\n"=1+2",-3\n"a,b",4\n'
    assert cells(neutralise_csv_text(text)) == [["name", "amount"], ["'=1+2", "-3"], ["a,b", "4"]]
    assert neutralise_csv_text("") == ""
    assert cells(neutralise_csv_text('a\n"\rx"\n')) == [["a"], ["'\rx"]]  # a lone CR stays in its cell


def test_frame_to_csv_leaves_floats_and_missing_as_pandas_writes_them():
    frame = pd.DataFrame({"x": [-1.5, np.nan], "y": pd.array(["-", pd.NA], dtype="string")})
    assert frame_to_csv(frame) == "x,y\n-1.5,-\n,\n"


# --- every command that writes CSV --------------------------------------------------------------


@pytest.fixture
def hostile_letter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The 2022 letter with a post name that is a formula (the first post, 670/01)."""
    root = tmp_path / "letter"
    shutil.copytree(config.LETTER_DIR / "2022", root / "2022")
    posts = root / "2022" / "budget_posts.csv"
    frame = pd.read_csv(posts, dtype=str, keep_default_na=False)
    frame.loc[0, "name"] = HOSTILE[0]
    frame.to_csv(posts, index=False)
    monkeypatch.setattr(config, "LETTER_DIR", root)
    return root


def test_letter_budget_csv_has_no_formula(hostile_letter: Path):
    result = CliRunner().invoke(cli, ["letter", "budget", "--year", "2022", "--csv"])
    assert result.exit_code == 0, result.output
    assert f"'{HOSTILE[0]}" in [row[2] for row in cells(result.stdout)]
    assert_no_formula(result.stdout)


def test_budget_status_csv_has_no_formula(hostile_letter: Path, tmp_path: Path):
    """One month of hand-written accounts; the post name comes from the (hostile) letter."""
    accounts = tmp_path / "accounts" / "2022"
    accounts.mkdir(parents=True)
    (accounts / "accounts.csv").write_text(
        "year;month;chapter;post;expenses_nok;income_nok\n2022;1;670;1;1000000,00;-250,00\n", encoding="utf-8"
    )
    args = ["budget", "status", "--year", "2022", "--as-of", "2022-01-31", "--csv"]
    result = CliRunner().invoke(cli, [*args, "--accounts", str(tmp_path / "accounts")])
    assert result.exit_code == 0, result.output
    assert any(cell == f"'{HOSTILE[0]}" for row in cells(result.stdout) for cell in row)
    assert_no_formula(result.stdout)


def test_validate_report_csv_has_no_formula(tmp_path: Path):
    """A settlement extract whose municipality codes are formulas fails; the CSV report shows the
    values escaped, and the command still exits 1 with the readable report."""
    year = tmp_path / "registers" / "2022"
    year.mkdir(parents=True)
    good = cells((REGISTERS / "2022" / "settlement.csv").read_text(encoding="utf-8"))
    header, first = good[0], good[1]
    rows = [[f"H{n}", *first[1:11], text, *first[12:]] for n, text in enumerate(HOSTILE[:4], start=1)]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    (year / "settlement.csv").write_text(out.getvalue(), encoding="utf-8")
    report = tmp_path / "report.csv"
    result = CliRunner().invoke(
        cli, ["validate", "--year", "2022", "--data", str(tmp_path / "registers"), "--report", str(report)]
    )
    assert result.exit_code == 1
    text = report.read_text(encoding="utf-8")
    values = [row[-1] for row in cells(text)[1:]]
    assert f"'{HOSTILE[0]}" in values and f"'{HOSTILE[3]}" in values
    assert_no_formula(text)


# --- imdi indicators: protected by default ------------------------------------------------------


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"status": str, "sex": str, "county": str})


def test_indicators_csv_is_protected_by_default(tmp_path: Path):
    """Jobbsjansen 2022 in the fixture: participants J1–J5 ended or ran in 2022, 3 of 5 in work
    or education (60 %), Menn 1 of 2, Kvinner 2 of 3. Every one of these counts is below 5, so
    the rows are hidden (``:``), and no visible row rests on 1–4 persons."""
    target = tmp_path / "indicators.csv"
    result = CliRunner().invoke(
        cli, ["indicators", "--year", "2022", "--data", str(REGISTERS), "--csv", str(target)]
    )
    assert result.exit_code == 0, result.output
    frame = read(target)
    assert set(frame["disclosure"]) == {"protected: figures resting on fewer than 5 persons hidden (:)"}
    jobbsjansen = frame[
        (frame["indicator_id"] == "sp01_jobbsjansen_work_or_education") & (frame["county"] == "I alt")
    ]
    assert list(jobbsjansen["status"]) == [":", ":", ":"]
    assert jobbsjansen[["numerator", "denominator", "value"]].isna().all().all()
    visible = frame[frame["status"] != ":"]
    for column in ("numerator", "denominator"):
        assert not visible[column].between(1, 4).any(), column
    shares = visible[visible["unit"] == "share"]
    assert not (shares["denominator"] - shares["numerator"]).between(1, 4).any()
    hidden = frame[frame["status"] == ":"]
    assert len(hidden) > 0 and hidden[["denominator", "value"]].isna().all().all()
    assert (hidden["numerator"].isna() | (hidden["numerator"] == 0)).all()  # a 0 counts no person


def test_indicators_threshold_option_changes_the_rule(tmp_path: Path):
    """With threshold 2, Jobbsjansen I alt (3 of 5, 2 outside) is shown; Menn (1 of 2) is not."""
    target = tmp_path / "indicators.csv"
    result = CliRunner().invoke(
        cli,
        ["indicators", "--year", "2022", "--data", str(REGISTERS), "--csv", str(target), "--threshold", "2"],
    )
    assert result.exit_code == 0, result.output
    frame = read(target)
    rows = frame[
        (frame["indicator_id"] == "sp01_jobbsjansen_work_or_education") & (frame["county"] == "I alt")
    ]
    assert rows.set_index("sex")["numerator"].to_dict()["I alt"] == 3
    assert rows.set_index("sex")["status"].to_dict()["Menn"] == ":"


def test_indicators_unprotected_shows_small_counts_with_warning_and_mark(tmp_path: Path):
    target = tmp_path / "indicators.csv"
    result = CliRunner().invoke(
        cli, ["indicators", "--year", "2022", "--data", str(REGISTERS), "--csv", str(target), "--unprotected"]
    )
    assert result.exit_code == 0, result.output
    assert "warning: --unprotected" in result.stderr
    frame = read(target)
    assert set(frame["disclosure"]) == {"UNPROTECTED: internal analysis only, not for publication"}
    rows = frame[
        (frame["indicator_id"] == "sp01_jobbsjansen_work_or_education") & (frame["county"] == "I alt")
    ]
    assert rows.set_index("sex")[["numerator", "denominator"]].to_dict("index") == {
        "I alt": {"numerator": 3, "denominator": 5},
        "Menn": {"numerator": 1, "denominator": 2},
        "Kvinner": {"numerator": 2, "denominator": 3},
    }


def test_indicators_table_is_protected_or_marked():
    protected = CliRunner().invoke(cli, ["indicators", "--year", "2022", "--data", str(REGISTERS)])
    assert protected.exit_code == 0, protected.output
    assert "60,0\u00a0%" not in protected.stdout
    assert "færre enn 5 personer, er skjult (:)" in protected.stdout
    unprotected = CliRunner().invoke(
        cli, ["indicators", "--year", "2022", "--data", str(REGISTERS), "--unprotected"]
    )
    assert "60,0\u00a0%" in unprotected.stdout
    assert unprotected.stdout.count("UBESKYTTET") == 2  # above and below the table
    assert "warning: --unprotected" in unprotected.stderr


def test_indicators_csv_escapes_hostile_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Text in an indicator frame (here a missing-reason note) cannot become a formula."""
    from imdi_analysis.indicators import registry

    real = registry.compute_indicators

    def hostile(*args, **kwargs):
        frame = real(*args, **kwargs)
        frame["missing_reason"] = HOSTILE[1]
        return frame

    monkeypatch.setattr(registry, "compute_indicators", hostile)
    target = tmp_path / "indicators.csv"
    result = CliRunner().invoke(
        cli, ["indicators", "--year", "2022", "--data", str(REGISTERS), "--csv", str(target)]
    )
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert f"'{HOSTILE[1]}" in text
    assert_no_formula(text)


# --- errors of the operating system ----------------------------------------------------------


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs a read-only sysfs")
def test_appendix_into_an_unwritable_folder_is_a_clear_error(tmp_path: Path):
    """/sys refuses new folders even to root, like a read-only data/processed."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "imdi_analysis",
            "appendix",
            "--year",
            "2022",
            "--data",
            str(REGISTERS),
            "--output",
            "/sys/imdi-not-writable",
            "--jobs",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "error: Cannot use /sys/imdi-not-writable" in result.stderr
    assert "--output DIR" in result.stderr
