"""Every register source by name, and loading one or several years of a source.

``SOURCES`` is the single list of sources the package knows; the catalog, the validation
report and ``imdi process`` iterate over it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from imdi_analysis.errors import ConfigError
from imdi_analysis.sources import (
    adviser_sessions,
    asylum_training,
    bilingual_tests,
    competence_mapping,
    complaints,
    interpreters,
    intro_measures,
    intro_participants,
    jobbsjansen,
    minority_adviser_cases,
    municipal_decisions,
    norwegian_training,
    register_searches,
    settlement,
    supervision,
)
from imdi_analysis.sources._base import SourceSpec, load_year

YEAR_COLUMN = "year"

SOURCES: dict[str, SourceSpec] = {
    module.SPEC.name: module.SPEC
    for module in (
        intro_participants,
        intro_measures,
        norwegian_training,
        asylum_training,
        competence_mapping,
        settlement,
        municipal_decisions,
        interpreters,
        bilingual_tests,
        register_searches,
        complaints,
        supervision,
        adviser_sessions,
        minority_adviser_cases,
        jobbsjansen,
    )
}


def get_spec(name: str) -> SourceSpec:
    """The spec of source ``name``; raise :class:`ConfigError` listing the known sources."""
    try:
        return SOURCES[name]
    except KeyError:
        raise ConfigError(f"Unknown source {name!r}. Known sources: {', '.join(SOURCES)}.") from None


def load_source(name: str, year: int, data_dir: Path | None = None) -> pd.DataFrame:
    """Load and validate source ``name`` for ``year``.

    Parameters
    ----------
    name : a key of :data:`SOURCES`
    year : the year folder (extract of 31 December of that year)
    data_dir : folder with one sub-folder per year; ``None`` uses
        :func:`imdi_analysis.config.register_dir` (real extracts if present, else synthetic)

    Raises
    ------
    DataNotFoundError
        The file ``<data_dir>/<year>/<name>.csv`` (or ``.parquet``) does not exist; the message
        names the path and the years that exist.
    DataValidationError
        The file does not satisfy the source's schema; ``.report`` lists every failure.
    """
    return load_year(get_spec(name), year, data_dir)


def load_sources(
    names: Iterable[str] | str, years: Iterable[int], data_dir: Path | None = None
) -> pd.DataFrame:
    """Several years (and sources with the same columns) stacked, with a ``year`` column first.

    Used for time series. Rows keep their order within each (source, year).
    """
    names = [names] if isinstance(names, str) else list(names)
    frames = []
    for name in names:
        for year in years:
            frame = load_source(name, year, data_dir)
            frame.insert(0, YEAR_COLUMN, year)
            frames.append(frame)
    if not frames:
        raise ConfigError("load_sources needs at least one source and one year.")
    return pd.concat(frames, ignore_index=True)
