"""``imdi audit``: check published output for small counts, derivable cells and person-level data."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("audit")
@click.argument("directory", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--threshold",
    type=click.IntRange(1, 100),
    default=None,
    help="Check every table against this threshold (default: the threshold each table was published with).",
)
def audit(directory: Path, threshold: int | None) -> None:
    """Audit published CSV (with sidecar JSON), XLSX and HTML under DIRECTORY; exit 1 on any finding."""
    from imdi_analysis.audit import audit_directory
    from imdi_analysis.errors import DisclosureError

    result = audit_directory(directory, threshold=threshold)
    click.echo(result.report())
    if not result.ok:
        raise DisclosureError(f"The audit of {directory} found {len(result.findings)} problem(s); see above.")


COMMANDS = [audit]
