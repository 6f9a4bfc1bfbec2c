"""``imdi validate`` and ``imdi process`` parse arguments and report results and failures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from imdi_analysis.cli import cli
from imdi_analysis.errors import DataValidationError
from imdi_analysis.sources import SOURCES
from tests.sources.helpers import YEAR, read_raw, write_raw


def test_validate_prints_ok_with_files_and_rows(data_dir: Path):
    result = CliRunner().invoke(cli, ["validate", "--year", str(YEAR), "--data", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"OK: {len(SOURCES)} files, ")


def test_validate_fails_with_a_readable_report_and_writes_it(data_dir: Path, tmp_path: Path):
    frame = read_raw(data_dir, "jobbsjansen")
    frame.loc[1, "county"] = "20"
    write_raw(frame, data_dir, "jobbsjansen")
    report = tmp_path / "report.csv"
    result = CliRunner().invoke(
        cli, ["validate", "--year", str(YEAR), "--data", str(data_dir), "--report", str(report)]
    )
    assert isinstance(result.exception, DataValidationError)
    assert "column 'county', check county_valid_on_reference_date: 1 failing (row 2: '20')" in str(
        result.exception
    )
    assert "20" in report.read_text(encoding="utf-8")


def test_validate_exits_1_without_traceback_from_the_shell(data_dir: Path):
    (data_dir / str(YEAR) / "settlement.csv").unlink()
    completed = subprocess.run(
        [sys.executable, "-m", "imdi_analysis", "validate", "--year", str(YEAR), "--data", str(data_dir)],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 1
    assert "settlement" in completed.stderr and "file exists" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_process_writes_the_manifest(data_dir: Path, tmp_path: Path):
    out = tmp_path / "processed"
    result = CliRunner().invoke(
        cli, ["process", "--year", str(YEAR), "--data", str(data_dir), "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert (out / str(YEAR) / "sources" / "manifest.json").is_file()
