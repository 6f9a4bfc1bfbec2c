"""The ``imdi`` command line: parses arguments and calls one library function per command.

Each module in this package defines ``COMMANDS``, a list of click commands or groups; they are
registered on the main group here. Errors the package raises on purpose (:class:`ImdiError`)
are printed without a traceback and end the process with a non-zero status.
"""

from __future__ import annotations

import errno
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
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        sys.exit(1)
    except OSError as exc:  # a folder that cannot be written (read-only data/processed), disk full
        click.echo(f"error: {os_error_message(exc)}", err=True)
        sys.exit(1)
    except SystemExit:
        raise


def os_error_message(exc: OSError) -> str:
    """What went wrong with which file, and where to write instead."""
    where = f" {exc.filename}" if exc.filename else ""
    text = f"Cannot use{where}: {exc.strerror or exc}."
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        text += (
            " The folder is not writable: make it writable, or write elsewhere with --output DIR "
            "(imdi appendix, imdi process) or by pointing IMDI_DATA_DIR at a writable data root."
        )
    return text
