"""``imdi run``: the yearly run (validate, execute notebooks, build the book)."""

from __future__ import annotations

from pathlib import Path

import click

from imdi_analysis.cli._options import data_option
from imdi_analysis.config import PERIODS, RUN_PERIODS, parse_years


@click.command("run")
@click.option("--year", type=int, default=None, help="Reporting year, e.g. 2022.")
@click.option("--years", "years_text", default=None, help="Several years: 2020-2022 or 2020,2022.")
@click.option(
    "--period",
    type=click.Choice([*RUN_PERIODS, "both"]),
    default="year",
    show_default=True,
    help=(
        "H1 = half-year report (30 June), year = annual report (31 December), both; "
        "Q1–Q4 = the quarterly settlement analysis (status the quarter's last day)."
    ),
)
@data_option
@click.option(
    "--jobs", type=click.IntRange(1, 16), default=1, show_default=True, help="Notebooks executed in parallel."
)
@click.option("--force", is_flag=True, help="Re-execute every notebook, ignoring the cache.")
@click.option(
    "--threshold",
    type=click.IntRange(1, 100),
    default=None,
    help="Suppress counts below this number in published tables (default: the package default).",
)
def run_command(
    year: int | None,
    years_text: str | None,
    period: str,
    data_dir: Path | None,
    jobs: int,
    force: bool,
    threshold: int | None,
) -> None:
    """Validate data, execute the notebooks with papermill and build the Jupyter Book."""
    from imdi_analysis.errors import ConfigError
    from imdi_analysis.pipeline import run

    if (year is None) == (years_text is None):
        raise ConfigError("Give either --year YEAR or --years FIRST-LAST.")
    years = [year] if year is not None else parse_years(years_text or "")
    periods = list(PERIODS) if period == "both" else [period]
    result = run(years, periods, data_dir=data_dir, jobs=jobs, force=force, threshold=threshold)
    click.echo(f"Executed {len(result.executed)} notebook(s), {len(result.cached)} from cache.")
    click.echo(f"Book: {result.index_html}")


COMMANDS = [run_command]
