"""``imdi budget``: spending per post against the allocation letter, forecast and spending rules.

Library modules are imported inside each command so that ``imdi --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from imdi_analysis.cli._options import year_option


@click.group()
def budget() -> None:
    """Budget execution: spent per post, year-end forecast, the letter's spending rules."""


@budget.command()
@year_option
@click.option(
    "--as-of",
    "as_of",
    required=True,
    help="Status date YYYY-MM-DD within the year, e.g. 2022-06-30 (the accounts are monthly: "
    "the status is at the last month end on or before it).",
)
@click.option(
    "--accounts",
    "accounts_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of monthly accounts, <folder>/<year>/accounts.csv. Default: real exports in "
    "data/raw/accounts if present, else the synthetic default (generated if missing).",
)
@click.option("--csv", "as_csv", is_flag=True, help="Write the status per post in raw NOK columns as CSV.")
def status(year: int, as_of: str, accounts_dir: Path | None, as_csv: bool) -> None:
    """Status per post: allocated, spent, forecast, over/under-spend, and which rule applies.

    Notes on the data (months counted as zero, linear forecasts, synthetic data) go to stderr.
    """
    from imdi_analysis.budget.status import status_report
    from imdi_analysis.csv_output import neutralise_csv_text

    text, notes = status_report(year, as_of, accounts_dir, as_csv=as_csv)
    click.echo(neutralise_csv_text(text) if as_csv else text, nl=False)
    for note in notes:
        click.echo(f"note: {note}", err=True)


COMMANDS = [budget]
