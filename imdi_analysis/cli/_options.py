"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

from imdi_analysis.config import PERIODS

year_option = click.option("--year", type=int, required=True, help="Reporting year, e.g. 2022.")
period_option = click.option(
    "--period",
    type=click.Choice(PERIODS),
    default="year",
    show_default=True,
    help="H1 = half-year report (status 30 June); year = annual report (status 31 December).",
)
data_option = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of register extracts (one sub-folder per year). Default: real extracts in "
    "data/raw/registers if present, else the synthetic default data.",
)


def registers_or_default(data_dir: Path | None) -> Path | None:
    """``data_dir`` for a command that reads register data, after making sure the synthetic
    default exists when it is the data used (no ``--data``, no real extracts): a fresh clone
    works without ``make book`` first. Returns ``data_dir`` unchanged."""
    from imdi_analysis.pipeline import ensure_default_registers

    ensure_default_registers(data_dir)
    return data_dir
