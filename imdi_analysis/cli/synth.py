"""``imdi synth``: write deterministic synthetic register extracts."""

from __future__ import annotations

from pathlib import Path

import click

from imdi_analysis import config
from imdi_analysis.synth import DEFAULT_OUT_DIR, generate

DEFAULT_YEARS = f"{config.SYNTHETIC_YEARS[0]}-{config.SYNTHETIC_YEARS[1]}"


def _parse_years(ctx: click.Context, param: click.Parameter, value: str) -> list[int]:
    return config.parse_years(value)


@click.command("synth")
@click.option(
    "--years", default=DEFAULT_YEARS, show_default=True, callback=_parse_years,
    help="Extract years: 2022, 2019-2023 or 2019,2021.",
)  # fmt: skip
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=config.SYNTHETIC_SEED,
    show_default=True,
    help="Random seed.",
)
@click.option(
    "--scale", type=float, default=1.0, show_default=True,
    help="Multiplier of person counts (1 = realistic national volumes; 10 and 100 for load tests).",
)  # fmt: skip
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help=f"Target folder. Default: {config.display_path(DEFAULT_OUT_DIR)}.",
)  # fmt: skip
def synth(years: list[int], seed: int, scale: float, out_dir: Path | None) -> None:
    """Write synthetic register extracts (one CSV per source and year) that follow the data contracts."""
    written = generate(years, seed=seed, scale=scale, out_dir=out_dir)
    click.echo(f"Wrote {len(written)} files to {written[-1].parent}.")


COMMANDS = [synth]
