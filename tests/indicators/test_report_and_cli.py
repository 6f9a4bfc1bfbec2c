"""``imdi indicators`` and ``imdi ssb transition``."""

from __future__ import annotations

import pandas as pd
from click.testing import CliRunner

from imdi_analysis.cli import cli
from tests.indicators.conftest import INDICATOR_FIXTURES, REGISTERS


def test_indicators_prints_a_norwegian_table_of_totals_and_sexes():
    result = CliRunner().invoke(
        cli, ["indicators", "--year", "2022", "--data", str(REGISTERS), "--unprotected"]
    )
    assert result.exit_code == 0, result.output
    assert "Indikatorer for styringsparameterne, 2022" in result.output
    assert "Jobbsjansen: overgang til arbeid eller utdanning" in result.output
    assert "60,0\u00a0%" in result.output


def test_indicators_writes_every_row_as_csv(tmp_path):
    target = tmp_path / "out" / "indicators.csv"
    result = CliRunner().invoke(
        cli,
        ["indicators", "--year", "2022", "--period", "H1", "--data", str(REGISTERS), "--csv", str(target)],
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(target)
    assert set(frame["period"]) == {"H1"}
    assert "missing_reason" in frame.columns and frame["indicator_id"].nunique() > 15


def test_ssb_transition_prints_cohorts_with_counts_and_shares():
    result = CliRunner().invoke(
        cli, ["ssb", "transition", str(INDICATOR_FIXTURES / "ssb" / "table10809.json")]
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip().startswith("2021")]
    assert lines[0].split()[:3] == ["2021", "2022", "I"]  # cohort 2021, status year 2022, "I alt"
    assert "2\u00a0163" in lines[0] and "3\u00a0300" in lines[0] and "65,5\u00a0%" in lines[0]
