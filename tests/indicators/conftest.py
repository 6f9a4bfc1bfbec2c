"""Fixtures for the indicator tests: the hand-made extracts in tests/fixtures/indicators."""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import pytest

from imdi_analysis.indicators._common import IndicatorFrame
from imdi_analysis.sources import load_source

INDICATOR_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "indicators"
REGISTERS = INDICATOR_FIXTURES / "registers"


def load(name: str, year: int = 2022) -> pd.DataFrame:
    """A validated extract from ``tests/fixtures/indicators/registers/<year>/`` (a fresh copy)."""
    return cached_source(name, year).copy()


@functools.cache
def cached_source(name: str, year: int) -> pd.DataFrame:
    return load_source(name, year, REGISTERS)


def row(frame: pd.DataFrame, **levels: str) -> pd.Series:
    """The single row whose breakdown columns equal ``levels``; other dimensions are total or NA."""
    mask = pd.Series(True, index=frame.index)
    for column in ("sex", "county", "category", "household_type", "language", "qualification_category"):
        wanted = levels.get(column)
        if wanted is None:
            mask &= frame[column].isna() | (frame[column] == "I alt")
        else:
            mask &= frame[column] == wanted
    matched = frame[mask]
    assert len(matched) == 1, f"{len(matched)} rows match {levels}"
    return matched.iloc[0]


def valid(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate ``frame`` against IndicatorFrame (raises on any broken rule)."""
    return IndicatorFrame.validate(frame)


@pytest.fixture
def registers() -> Path:
    return REGISTERS
