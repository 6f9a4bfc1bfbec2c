"""``imdi validate`` and ``imdi process``: check register extracts and write validated copies."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from imdi_analysis.cli._options import data_option, registers_or_default, year_option
from imdi_analysis.sources.processing import check_year, process_year


@click.command("validate")
@year_option
@data_option
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the report to this file (.csv: one row per failure; .html: counts and rows).",
)
def validate(year: int, data_dir: Path | None, report_path: Path | None) -> None:
    """Validate every register extract of a year against its schema.

    Prints one report naming file, column, check, rows and values of every failure and exits
    with status 1 when anything fails.
    """
    data_dir = registers_or_default(data_dir)
    if report_path is None or report_path.suffix.lower() != ".csv":
        click.echo(check_year(year, data_dir, report_path))
        return
    from imdi_analysis.csv_output import write_csv
    from imdi_analysis.errors import DataValidationError
    from imdi_analysis.tabular import REPORT_COLUMNS

    try:
        summary = check_year(year, data_dir)
    except DataValidationError as exc:
        report = exc.report if exc.report is not None else pd.DataFrame(columns=REPORT_COLUMNS)
        write_csv(report, report_path)  # values from the extracts: formulas neutralised
        raise
    write_csv(pd.DataFrame(columns=REPORT_COLUMNS), report_path)
    click.echo(summary)


@click.command("process")
@year_option
@data_option
@click.option(
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output root (default data/processed); files go to <output>/<year>/sources/.",
)
def process(year: int, data_dir: Path | None, output_dir: Path | None) -> None:
    """Validate a year and write every source as Parquet with a checksum manifest."""
    manifest = process_year(year, registers_or_default(data_dir), output_dir)
    click.echo(f"Wrote validated sources and {manifest}.")


COMMANDS = [validate, process]
