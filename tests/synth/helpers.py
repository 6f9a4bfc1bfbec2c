"""Reading synthetic extracts in tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd


def read(folder: Path, year: int, source: str) -> pd.DataFrame:
    """A synthetic CSV as strings, empty cells as missing."""
    return pd.read_csv(folder / str(year) / f"{source}.csv", dtype=str, keep_default_na=False, na_values=[""])


def read_years(folder: Path, years, source: str) -> pd.DataFrame:
    """One source over several years, with a ``year`` column."""
    return pd.concat([read(folder, y, source).assign(year=y) for y in years], ignore_index=True)


def checksums(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, by relative path."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
