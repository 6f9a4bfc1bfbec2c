"""Helpers for the consistency tests: one concept, published in two places, one number.

Each pair is built the way the book builds it: the indicator through the indicator registry
(:func:`~imdi_analysis.indicators.registry.compute_one`, with the year before when the indicator
needs it) and the appendix table through :func:`~imdi_analysis.appendix.build.build_table`, both
from the same register folder. Two folders are used: the hand-made boundary fixtures in
``tests/fixtures/consistency/registers`` (expected numbers in each test's docstring) and the
default synthetic data (default seed, small scale) generated once per session.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import imdi_analysis.appendix  # noqa: F401  (registers the builders)
from imdi_analysis import config
from imdi_analysis.appendix.build import build_table
from imdi_analysis.appendix.registry import BuildContext
from imdi_analysis.indicators import registry
from imdi_analysis.letter.appendix_spec import load_appendix_spec
from imdi_analysis.synth import generate
from imdi_analysis.tables import AppendixTable

BOUNDARY = Path(__file__).resolve().parents[1] / "fixtures" / "consistency" / "registers"
SYNTH_YEARS = (2021, 2022)
SYNTH_SCALE = 0.05
BREAKDOWNS = ("sex", "county", "category", "household_type", "language", "qualification_category")


@pytest.fixture(scope="session")
def synthetic() -> Path:
    """The default synthetic data (default seed) for 2021–2022 at a small scale."""
    import tempfile

    out = Path(tempfile.mkdtemp(prefix="imdi-consistency-")) / "registers"
    generate(SYNTH_YEARS, seed=config.SYNTHETIC_SEED, scale=SYNTH_SCALE, out_dir=out, progress=False)
    return out


def table(key: str, data_dir: Path, period: str = "year", year: int = 2022) -> AppendixTable:
    """The data of appendix table ``key`` built from ``data_dir`` (every year in it available)."""
    spec = load_appendix_spec(year).set_index("table_key").loc[key].to_dict()
    ctx = BuildContext(
        year=year,
        period=period,
        data_dir=data_dir,
        synthetic=True,
        spec={**spec, "table_key": key},
        available_years=config.years_in(data_dir),
    )
    return build_table(ctx)


def indicator(indicator_id: str, data_dir: Path, period: str = "year", year: int = 2022) -> pd.DataFrame:
    """Rows of one indicator computed from ``data_dir`` as the registry computes it."""
    registry.clear_cache()
    return registry.compute_one(registry.get_indicator(indicator_id), year, period, data_dir)


def level(frame: pd.DataFrame, **levels: str) -> pd.Series:
    """The one indicator row with these breakdown levels (other breakdowns total or NA)."""
    mask = pd.Series(True, index=frame.index)
    for column in BREAKDOWNS:
        wanted = levels.get(column)
        mask &= (
            (frame[column].isna() | (frame[column] == "I alt"))
            if wanted is None
            else (frame[column] == wanted)
        )
    rows = frame[mask]
    assert len(rows) == 1, f"{len(rows)} indicator rows match {levels}"
    return rows.iloc[0]


def cell(data: pd.DataFrame, measure: str = "count", **levels) -> float:
    """The value of the one appendix cell with ``measure`` and these dimension values."""
    mask = data["measure"] == measure
    for column, value in levels.items():
        mask &= data[column] == value
    rows = data[mask]
    assert len(rows) == 1, f"{len(rows)} cells match {measure} {levels}"
    return float(rows["value"].iloc[0])


def base(data: pd.DataFrame, measure: str, **levels) -> float:
    """The base (denominator) of the one appendix cell with ``measure`` and these dimension values."""
    mask = data["measure"] == measure
    for column, value in levels.items():
        mask &= data[column] == value
    rows = data[mask]
    assert len(rows) == 1, f"{len(rows)} cells match {measure} {levels}"
    return float(rows["base"].iloc[0])
