"""``imdi indicators`` and ``imdi ssb transition``: the steering-parameter indicators."""

from __future__ import annotations

from pathlib import Path

import click

from imdi_analysis.cli._options import data_option, period_option, year_option


@click.command()
@year_option
@period_option
@data_option
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write every indicator row as CSV to this file (atomically) instead of printing a table.",
)
def indicators(year: int, period: str, data_dir: Path | None, csv_path: Path | None) -> None:
    """Compute the indicators of the steering parameters for a year and period."""
    from imdi_analysis.indicators.report import report_indicators

    click.echo(report_indicators(year, period, data_dir, csv_path))


@click.group()
def ssb() -> None:
    """Statistics Norway (SSB) tables."""


@ssb.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def transition(file: Path) -> None:
    """Share in work or education one year after the introduction programme (table 10809 JSON-stat2 FILE)."""
    from imdi_analysis.indicators.report import report_transition

    click.echo(report_transition(file))


COMMANDS = [indicators, ssb]
