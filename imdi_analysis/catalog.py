"""A catalog of the register sources: what exists, for which years, and loading one.

Meant for exploration (``notebooks/explore.ipynb``) and for readers of the code who want to
know what data the package can read::

    from imdi_analysis import catalog
    catalog.list_datasets()
    settlement = catalog.load("settlement", 2022)
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from imdi_analysis import config
from imdi_analysis.errors import DataNotFoundError
from imdi_analysis.sources._base import SUFFIXES
from imdi_analysis.sources.registry import SOURCES, load_source

CATALOG_COLUMNS = ["name", "title", "description", "person_level", "key", "years"]


def years_available(name: str, directory: Path) -> list[int]:
    """Years in ``directory`` that hold a file for source ``name``."""
    return [
        year
        for year in config.years_in(directory)
        if any((directory / str(year) / f"{name}{suffix}").is_file() for suffix in SUFFIXES)
    ]


def list_datasets(data_dir: Path | None = None) -> pd.DataFrame:
    """One row per source: name, Norwegian title, description, person level, key and years available.

    ``data_dir`` None lists the default data (real extracts if present, else synthetic); a
    folder that does not exist yet gives empty ``years``.
    """
    try:
        directory, _synthetic = config.register_dir(data_dir)
    except DataNotFoundError:  # a folder that does not exist yet has no years
        directory = Path(data_dir) if data_dir is not None else config.SYNTHETIC_DIR / "registers"
    rows = [
        {
            "name": name,
            "title": spec.title_nb,
            "description": spec.description,
            "person_level": spec.person_level,
            "key": ", ".join(spec.key),
            "years": years_available(name, directory),
        }
        for name, spec in SOURCES.items()
    ]
    return pd.DataFrame(rows, columns=CATALOG_COLUMNS)


def load(name: str, year: int, data_dir: Path | None = None) -> pd.DataFrame:
    """The validated frame of source ``name`` for ``year`` (see :func:`load_source`)."""
    return load_source(name, year, data_dir)


__all__ = ["list_datasets", "load", "years_available"]
