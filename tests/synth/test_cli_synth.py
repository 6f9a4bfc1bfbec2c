"""``imdi synth`` parses its options and writes the files."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from imdi_analysis.cli import cli


def test_synth_command_writes_years_and_notice(tmp_path: Path) -> None:
    out = tmp_path / "registers"
    result = CliRunner().invoke(
        cli, ["synth", "--years", "2021-2022", "--seed", "7", "--scale", "0.02", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert (out / "SYNTHETIC").is_file()
    assert (out / "2021" / "settlement.csv").is_file() and (out / "2022" / "jobbsjansen.csv").is_file()
    assert "seed: 7" in (out / "README.md").read_text(encoding="utf-8")


def test_synth_command_rejects_unreadable_years(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["synth", "--years", "next", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "Cannot read years" in str(result.exception) or "Cannot read years" in result.output
