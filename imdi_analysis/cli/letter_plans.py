"""``imdi letter assignments`` and ``imdi letter calendar``: the letter's assignments and calendar.

The commands are attached to the ``imdi letter`` group (see :mod:`imdi_analysis.cli.letter`)
through ``LETTER_SUBCOMMANDS``; this module adds no top-level command.
"""

from __future__ import annotations

import datetime as dt

import click

from imdi_analysis.cli._options import year_option


@click.command("assignments")
@year_option
@click.option(
    "--due-before",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Only assignments with a dated deadline before this date (YYYY-MM-DD).",
)
def assignments_command(year: int, due_before: dt.datetime | None) -> None:
    """Assignments (oppdrag) of the letter with goals and deadlines, by deadline."""
    from imdi_analysis.letter.assignments import format_assignments

    click.echo(format_assignments(year, due_before=due_before.date() if due_before else None))


@click.command("calendar")
@year_option
def calendar_command(year: int) -> None:
    """Reporting deadlines and steering-dialogue meetings of the year."""
    from imdi_analysis.letter.calendar import format_calendar

    click.echo(format_calendar(year))


COMMANDS: list[click.Command] = []
LETTER_SUBCOMMANDS = [assignments_command, calendar_command]
