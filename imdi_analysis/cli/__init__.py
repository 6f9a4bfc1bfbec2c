"""The ``imdi`` command line: parses arguments and calls one library function per command.

Each module in this package defines ``COMMANDS``, a list of click commands or groups; they are
registered on the main group here. Errors the package raises on purpose (:class:`ImdiError`)
are printed without a traceback and end the process with a non-zero status.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from imdi_analysis import __version__
from imdi_analysis.errors import ImdiError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="imdi")
def cli() -> None:
    """imdi: IMDi's allocation letter, indicators and statistics appendix, reproducibly."""


def register_commands() -> None:
    """Add the ``COMMANDS`` of every module in this package to :func:`cli`."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for command in getattr(module, "COMMANDS", []):
            cli.add_command(command)


register_commands()


def main() -> None:
    """Entry point of the ``imdi`` console script."""
    try:
        cli.main(standalone_mode=False)
    except ImdiError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except SystemExit:
        raise
