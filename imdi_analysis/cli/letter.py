"""``imdi letter``: the allocation letter as data (budget, consistency checks, assignments, calendar).

Library modules are imported inside each command so that ``imdi --help`` stays fast.
"""

from __future__ import annotations

import click

from imdi_analysis.cli._options import year_option
from imdi_analysis.cli.letter_plans import LETTER_SUBCOMMANDS


@click.group()
def letter() -> None:
    """The allocation letter (tildelingsbrev) as validated data."""


@letter.command()
@year_option
@click.option("--csv", "as_csv", is_flag=True, help="Write the raw NOK columns as CSV to stdout.")
def budget(year: int, as_csv: bool) -> None:
    """Allocation by chapter and post in mill. kr (Norwegian format), or raw NOK with --csv."""
    from imdi_analysis.csv_output import neutralise_csv_text
    from imdi_analysis.letter.budget import budget_report

    text = budget_report(year, as_csv=as_csv)
    click.echo(neutralise_csv_text(text) if as_csv else text, nl=False)


@letter.command()
@year_option
def check(year: int) -> None:
    """Validate every letter file and the references between them; print the budget's discrepancies.

    Checks each file's schema, that SPs name indicator ids the registry knows, that goals and
    assignment numbers referred to exist and belong to the year, that deadlines are dates or
    stated as text, and that the letter's own figures add up. Exits 0 when the data are valid,
    also when the letter itself has discrepancies (printed as warnings); exits 1 listing every
    problem (file, column, rows) when a file fails its schema or a reference does not hold.
    """
    from imdi_analysis.letter.checks import check_report

    click.echo(check_report(year), nl=False)


for _command in LETTER_SUBCOMMANDS:
    letter.add_command(_command)

COMMANDS = [letter]
