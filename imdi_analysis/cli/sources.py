"""``imdi validate`` and ``imdi process``: check register extracts and write validated copies."""

from __future__ import annotations

from pathlib import Path

import click

from imdi_analysis.cli._options import data_option, year_option
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
    click.echo(check_year(year, data_dir, report_path))


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
    manifest = process_year(year, data_dir, output_dir)
    click.echo(f"Wrote validated sources and {manifest}.")


COMMANDS = [validate, process]
