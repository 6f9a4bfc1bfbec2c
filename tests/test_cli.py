"""The imdi command line: help, version, error handling."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from imdi_analysis import __version__
from imdi_analysis.cli import cli


def test_help_lists_commands_with_descriptions():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Commands:" in result.output
    assert "run" in result.output


def test_version_prints_the_package_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_python_dash_m_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "imdi_analysis", "--help"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "imdi" in result.stdout


def test_imdi_error_is_printed_without_traceback_and_exits_non_zero():
    result = subprocess.run(
        [sys.executable, "-m", "imdi_analysis", "run", "--year", "2022", "--years", "2021"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "error:" in result.stderr
    assert "Traceback" not in result.stderr
