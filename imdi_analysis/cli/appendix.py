"""``imdi appendix``: build, disclose and publish the statistics appendix of one report."""

from __future__ import annotations

from pathlib import Path

import click

from imdi_analysis.cli._options import data_option, period_option, registers_or_default, year_option


@click.command("appendix")
@year_option
@period_option
@click.option(
    "--threshold",
    type=click.IntRange(1, 100),
    default=None,
    help="Suppress counts below this number (default: the package default, see disclosure.py).",
)
@data_option
@click.option(
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Root of processed outputs (default data/processed).",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 16),
    default=None,
    help="Processes building tables side by side (default: one per core, at most 2).",
)
def appendix(
    year: int,
    period: str,
    threshold: int | None,
    data_dir: Path | None,
    output_dir: Path | None,
    jobs: int | None,
) -> None:
    """Build the letter's statistics appendix (Vedlegg 3) for a report: CSV per table and one workbook."""
    from imdi_analysis.appendix.build import appendix_dir, build_appendix

    tables = build_appendix(
        year,
        period,
        data_dir=registers_or_default(data_dir),
        threshold=threshold,
        output_dir=output_dir,
        progress=True,
        jobs=jobs,
    )
    unsupported = [t.key for t in tables if not t.supported]
    click.echo(f"{len(tables)} table(s) published to {appendix_dir(year, period, output_dir)}")
    if unsupported:
        click.echo(f"Not supported by the data contract (published with a note): {', '.join(unsupported)}")


COMMANDS = [appendix]
