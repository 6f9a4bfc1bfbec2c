"""``imdi indicators`` and ``imdi ssb transition``: the steering-parameter indicators."""

from __future__ import annotations

from pathlib import Path

import click

from imdi_analysis.cli._options import data_option, period_option, registers_or_default, year_option

UNPROTECTED_WARNING = (
    "warning: --unprotected: counts of 1 to 4 persons are shown. For internal analysis only; "
    "do not publish or share this output."
)
UNPROTECTED_MARK = "UNPROTECTED: internal analysis only, not for publication"
UNPROTECTED_LINE = "UBESKYTTET: små tall er ikke skjult. Bare til intern analyse, ikke for publisering."


@click.command()
@year_option
@period_option
@data_option
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write every indicator row as CSV to this file (atomically) instead of printing a table.",
)
@click.option(
    "--threshold",
    type=click.IntRange(1, 100),
    default=None,
    help="Hide figures resting on fewer persons than this, as the book does (default: the package default).",
)
@click.option(
    "--unprotected",
    is_flag=True,
    help="Internal analysis only: no disclosure control (counts of 1-4 shown); warns and marks the output.",
)
def indicators(
    year: int,
    period: str,
    data_dir: Path | None,
    csv_path: Path | None,
    threshold: int | None,
    unprotected: bool,
) -> None:
    """Compute the indicators of the steering parameters for a year and period.

    Rows resting on few persons are hidden (``:``) with the book's disclosure control, unless
    ``--unprotected`` is given. The CSV has a ``disclosure`` column saying which applies.
    """
    from imdi_analysis import config
    from imdi_analysis.csv_output import write_csv
    from imdi_analysis.disclosure import DEFAULT_THRESHOLD, disclose_indicators
    from imdi_analysis.errors import ConfigError
    from imdi_analysis.indicators.registry import compute_indicators
    from imdi_analysis.indicators.report import summary_table

    if unprotected and threshold is not None:
        raise ConfigError("--threshold and --unprotected exclude each other: give one of them.")
    frame = compute_indicators(year, period, registers_or_default(data_dir))
    if unprotected:
        click.echo(UNPROTECTED_WARNING, err=True)
        mark, line = UNPROTECTED_MARK, UNPROTECTED_LINE
    else:
        threshold = threshold or DEFAULT_THRESHOLD
        frame = disclose_indicators(frame, threshold)
        mark = f"protected: figures resting on fewer than {threshold} persons hidden (:)"
        line = f"Tall som bygger på færre enn {threshold} personer, er skjult (:)."
    if csv_path is not None:
        write_csv(frame.assign(disclosure=mark), csv_path)
        click.echo(
            f"Skrev {len(frame)} rader ({frame['indicator_id'].nunique()} indikatorer) til {csv_path}."
        )
        return
    synthetic = config.register_dir(data_dir)[1]
    heading = f"Indikatorer for styringsparameterne, {year}, {config.PERIOD_LABELS[period].lower()}"
    heading += " – syntetiske data" if synthetic else ""
    click.echo(f"{heading}\n{line}\n\n{summary_table(frame).to_string(index=False)}\n\n{line}")


@click.group()
def ssb() -> None:
    """Statistics Norway (SSB) tables."""


@ssb.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def transition(file: Path) -> None:
    """Share in work or education one year after the introduction programme (table 10809 JSON-stat2 FILE)."""
    from imdi_analysis.indicators.report import report_transition

    click.echo(report_transition(file))


COMMANDS = [indicators, ssb]
