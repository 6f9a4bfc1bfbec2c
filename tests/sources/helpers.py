"""Helpers for source tests: read a fixture extract as text and write a corrupted copy back."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

SOURCE_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
YEAR = 2022


def read_raw(data_dir: Path, name: str) -> pd.DataFrame:
    """A fixture CSV as strings, empty cells as empty strings."""
    return pd.read_csv(data_dir / str(YEAR) / f"{name}.csv", dtype=str, keep_default_na=False)


def write_raw(frame: pd.DataFrame, data_dir: Path, name: str) -> Path:
    """Write a (corrupted) frame back as the source's CSV."""
    path = data_dir / str(YEAR) / f"{name}.csv"
    frame.to_csv(path, index=False)
    return path
