"""Locating and loading the files that hold the allocation letter as data.

Each year's letter lives in ``data/raw/letter/<year>/`` (``config.LETTER_DIR``) as a few CSV
files. Every loader in :mod:`imdi_analysis.letter` goes through :func:`load_letter_table`, so a
missing year or file fails the same way everywhere: with the years that do exist.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from imdi_analysis import config
from imdi_analysis.errors import DataNotFoundError
from imdi_analysis.manifest import sha256_file
from imdi_analysis.memory_cache import FrameCache
from imdi_analysis.tabular import load_validated

LOADED = FrameCache()  # validated letter tables of this process, by file, its bytes' SHA-256 and schema


def letter_root(root: Path | str | None = None) -> Path:
    """Folder holding one sub-folder per letter year: ``root`` if given, else ``config.LETTER_DIR``."""
    return Path(root) if root is not None else config.LETTER_DIR


def letter_file(year: int, name: str, root: Path | str | None = None) -> Path:
    """Path of the letter file ``name`` (e.g. ``"budget_posts.csv"``) for ``year``.

    Parameters
    ----------
    year : year of the allocation letter
    name : file name inside the year folder
    root : folder with one sub-folder per year; default ``config.LETTER_DIR``

    Raises
    ------
    DataNotFoundError
        When the year folder is missing (the message lists the letter years that exist) or
        the file is missing from it (the message lists the files that exist).
    """
    base = letter_root(root)
    folder = base / str(year)
    if not folder.is_dir():
        existing = config.years_in(base)
        listed = ", ".join(map(str, existing)) if existing else "none"
        raise DataNotFoundError(
            f"No allocation letter for {year} in {base}. Letter years that exist: {listed}. "
            f"Transcribe the letter into {folder}/ (see data/raw/letter/2022/README.md)."
        )
    path = folder / name
    if not path.is_file():
        present = ", ".join(sorted(p.name for p in folder.iterdir() if p.is_file())) or "none"
        raise DataNotFoundError(f"File not found: {path}. Files in {folder}: {present}.")
    return path


def load_letter_table(
    year: int, name: str, schema: type[pa.DataFrameModel], root: Path | str | None = None
) -> pd.DataFrame:
    """Read the letter file ``name`` for ``year`` and validate it against ``schema``.

    Raises
    ------
    DataNotFoundError
        When the year folder or the file is missing.
    DataValidationError
        When the file fails ``schema``; the message names file, column, check and rows.

    A page asks for the same tables several times (goals, steering parameters, assignments):
    the same bytes are validated once per process (the files are small: hashing them costs
    nothing beside validating), and every caller gets its own copy.
    """
    path = letter_file(year, name, root)
    key = (str(path.resolve()), sha256_file(path), schema.__module__, schema.__qualname__)
    if key not in LOADED:
        LOADED[key] = load_validated(path, schema)
    return LOADED[key].copy()


__all__ = ["letter_file", "letter_root", "load_letter_table"]
