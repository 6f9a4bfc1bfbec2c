"""``imdi audit``: the attacker's audit of published output (small counts, recoverable cells, person-level data)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("audit")
@click.argument("directory", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--threshold",
    type=click.IntRange(1, 100),
    default=None,
    help=(
        "The run's disclosure threshold (default: the one in the run manifest beside the book, else the "
        "package default). A file that claims another threshold is a finding."
    ),
)
@click.option(
    "--min-width",
    type=click.FloatRange(0),
    default=1e-6,
    show_default=True,
    help="A hidden cell whose interval is narrower than this is determined (a whole number is always).",
)
def audit(directory: Path, threshold: int | None, min_width: float) -> None:
    """Audit published CSV (with sidecar JSON), XLSX and HTML under DIRECTORY; exit 1 on any finding.

    Every hidden cell is bounded by linear programming over everything published (sums, the same
    cell in several files, share × base); a cell that is determined, or whose interval lies inside
    1 … threshold − 1, is a finding.
    """
    from imdi_analysis.audit import audit_directory, run_threshold
    from imdi_analysis.audit.lp import AuditRule
    from imdi_analysis.errors import DisclosureError

    rule = AuditRule(threshold if threshold is not None else run_threshold(directory), min_width)
    result = audit_directory(directory, rule=rule)
    click.echo(result.report())
    if not result.ok:
        raise DisclosureError(f"The audit of {directory} found {len(result.findings)} problem(s); see above.")


COMMANDS = [audit]
