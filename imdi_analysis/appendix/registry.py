"""The appendix table registry: which function builds which table, and what it gets to work with.

Every table of the letter's Vedlegg 3 has a key (``"1A"``, ``"5-2"``, ``"28B"``) taken from
:func:`imdi_analysis.letter.appendix_spec.load_appendix_spec`. A builder is a function
``BuildContext -> AppendixTable`` registered for one or more keys with :func:`builder`; a builder
registered for several keys reads ``ctx.spec["table_key"]`` to know which one to build.

The :class:`BuildContext` hands builders their inputs: validated register extracts loaded
through :func:`imdi_analysis.sources.registry.load_source`, cached once per run so that tables
sharing a source do not read it twice. Tests inject hand-made frames with ``frames``.
:func:`make_table` and :func:`unsupported_table` wrap a builder's cells as the table in the
context. The helpers builders shape their cells with (counting, shares, labels, areas) are in
:mod:`imdi_analysis.appendix.toolbox`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from imdi_analysis import config
from imdi_analysis.appendix.toolbox import TIME_DIM
from imdi_analysis.errors import ConfigError, DataNotFoundError
from imdi_analysis.measures.periods import entry_window, period_bounds
from imdi_analysis.memory_cache import FrameCache
from imdi_analysis.tables import AppendixTable

Builder = Callable[["BuildContext"], AppendixTable]
Preparer = Callable[[pd.DataFrame, int], pd.DataFrame]

BUILDERS: dict[str, Builder] = {}


def builder(*keys: str) -> Callable[[Builder], Builder]:
    """Register the decorated function as the builder of the tables ``keys``.

    Raises
    ------
    ConfigError
        When a key already has a builder (two modules claiming the same table).
    """

    def register(function: Builder) -> Builder:
        for key in keys:
            if key in BUILDERS and BUILDERS[key] is not function:
                raise ConfigError(
                    f"Appendix table {key} has two builders: {BUILDERS[key].__module__}."
                    f"{BUILDERS[key].__name__} and {function.__module__}.{function.__name__}."
                )
            BUILDERS[key] = function
        return function

    return register


@dataclass
class BuildContext:
    """Everything a table builder needs: the run, the table's specification and its inputs.

    Attributes
    ----------
    year : reporting year
    period : ``"H1"`` (1 January to 30 June) or ``"year"`` (1 January to 31 December)
    data_dir : folder of register extracts, one sub-folder per year
    synthetic : ``data_dir`` holds synthetic data
    spec : the letter's specification row of this table (``table_key``, ``title_nb``,
        ``breakdowns``, ``measures``, ``time_series``, ``preliminary``, ...)
    available_years : years with register extracts in ``data_dir``
    cache : validated frames by ``(source, year)``, shared by all builders of a run (a
        :class:`FrameCache` that forgets frames the last tables did not use)
    frames : frames injected by tests by ``(source, year)`` (or ``source`` for every year);
        when given, nothing is read from disk
    """

    year: int
    period: str
    data_dir: Path
    synthetic: bool = False
    spec: dict[str, Any] = field(default_factory=dict)
    available_years: list[int] = field(default_factory=list)
    cache: dict[Any, pd.DataFrame] = field(default_factory=FrameCache)
    frames: dict[Any, pd.DataFrame] | None = None

    @property
    def key(self) -> str:
        """The table key being built (``spec["table_key"]``)."""
        return str(self.spec.get("table_key", ""))

    @property
    def reference_date(self) -> dt.date:
        """Status date: 30 June for ``H1``, 31 December for ``year``."""
        return config.reference_date(self.year, self.period)

    @property
    def period_start(self) -> dt.date:
        """First day counted: 1 January of the reporting year (both periods)."""
        return config.period_start(self.year)

    @property
    def series_years(self) -> list[int]:
        """Years of a time series: every available year up to the reporting year."""
        years = [y for y in self.available_years if y <= self.year]
        return years or [self.year]

    @property
    def time_series(self) -> bool:
        """The letter asks for a time series ("Tidsserie")."""
        return bool(self.spec.get("time_series", False))

    @property
    def years(self) -> list[int]:
        """Years the table covers: :attr:`series_years` for a time series, else the reporting year."""
        return self.series_years if self.time_series else [self.year]

    @property
    def time_dims(self) -> list[str]:
        """``["year"]`` for a time series, else no time dimension."""
        return [TIME_DIM] if self.time_series else []

    def window(self, year: int | None = None) -> tuple[pd.Timestamp, pd.Timestamp]:
        """First and last day counted for ``year`` (default the reporting year), inclusive.

        ``H1`` counts 1 January to 30 June, ``year`` 1 January to 31 December, so that a time
        series compares the same part of every year.
        """
        return period_bounds(self.year if year is None else year, self.period)

    def cohort_window(self, year: int | None = None, months: int = 3) -> tuple[pd.Timestamp, pd.Timestamp]:
        """Twelve-month entry window that can be followed for ``months`` by the reference date.

        It ends ``months`` before the reference date of ``year``: with three months,
        1 October the year before to 30 September (annual report), 1 April the year before to
        31 March (half-year report) — the letter's "perioden 01.10–30.09" of table 9
        (:func:`imdi_analysis.measures.periods.entry_window`).
        """
        return entry_window(self.year if year is None else year, self.period, months)

    def with_spec(self, spec: dict[str, Any]) -> BuildContext:
        """A context for another table of the same run (shares the cache and frames)."""
        return BuildContext(
            year=self.year,
            period=self.period,
            data_dir=self.data_dir,
            synthetic=self.synthetic,
            spec=dict(spec),
            available_years=list(self.available_years),
            cache=self.cache,
            frames=self.frames,
        )

    def load(self, source: str, year: int | None = None) -> pd.DataFrame:
        """Validated extract ``source`` for ``year`` (default the reporting year), cached per run.

        Raises
        ------
        DataNotFoundError
            When the source has no file for the year (or no injected frame in tests).
        DataValidationError
            When the extract fails its schema.
        """
        year = self.year if year is None else year
        cache_key = (source, year)
        if cache_key not in self.cache:
            self.cache[cache_key] = self._read(source, year)
        return self.cache[cache_key]

    def load_series(self, source: str) -> dict[int, pd.DataFrame]:
        """Extract ``source`` for every year the table covers (:attr:`years`), by year.

        An earlier year whose folder lacks the source is left out of the series (registers start
        at different times); the reporting year must be there.

        Raises
        ------
        DataNotFoundError
            When the reporting year has no ``source``.
        """
        frames = {}
        for year in self.years:
            try:
                frames[year] = self.load(source, year)
            except DataNotFoundError:
                if year == self.year:
                    raise
        return frames

    def iter_series(self, source: str, prepare: Preparer | None = None) -> Iterator[tuple[int, pd.DataFrame]]:
        """Like :meth:`load_series`, one year at a time (each :meth:`prepared` when ``prepare``
        is given), so that a builder keeping only what it needs lets the cache drop the rest."""
        for year in self.years:
            try:
                frame = self.load(source, year) if prepare is None else self.prepared(source, prepare, year)
            except DataNotFoundError:
                if year == self.year:
                    raise
                continue
            yield year, frame

    def prepared(self, source: str, prepare: Preparer, year: int | None = None) -> pd.DataFrame:
        """``prepare(extract, year)`` of extract ``source``, cached instead of the extract itself.

        For tables that share a source: a compact frame (the columns they use, codes as
        categoricals) takes a fraction of the memory of the validated extract, so the cache can
        keep every year of a time series at large scale. The extract is read without being
        cached, unless it already is.
        """
        year = self.year if year is None else year
        key = (source, year, f"{prepare.__module__}.{prepare.__qualname__}")
        if key not in self.cache:
            raw = self.cache[(source, year)] if (source, year) in self.cache else self._read(source, year)
            self.cache[key] = prepare(raw, year)
        return self.cache[key]

    def load_years(self, source: str, years: list[int]) -> pd.DataFrame:
        """Extracts ``source`` of several years stacked, with a ``year`` column."""
        parts = [self.load(source, y).assign(year=y) for y in years]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({"year": []})

    def _read(self, source: str, year: int) -> pd.DataFrame:
        if self.frames is not None:
            for key in ((source, year), source):
                if key in self.frames:
                    frame = self.frames[key]
                    if key == source and "year" in frame.columns:
                        frame = frame[frame["year"] == year].drop(columns="year")
                    return frame.reset_index(drop=True)
            raise DataNotFoundError(f"No test frame for source {source!r} and year {year}.")
        from imdi_analysis.sources.registry import load_source

        return load_source(source, year, self.data_dir)


def make_table(ctx: BuildContext, data: pd.DataFrame, dims: list[str], **kwargs: Any) -> AppendixTable:
    """An :class:`AppendixTable` for the table in ``ctx`` (key, title, year, period, synthetic set).

    ``kwargs`` are passed on (``dim_labels``, ``notes``, ``sources``, ``supported``, ...).
    """
    return AppendixTable(
        key=ctx.key,
        title=str(ctx.spec.get("title_nb", ctx.key)),
        year=ctx.year,
        period=ctx.period,
        data=data,
        dims=dims,
        synthetic=ctx.synthetic,
        **kwargs,
    )


def unsupported_table(ctx: BuildContext, dims: list[str], note: str, **kwargs: Any) -> AppendixTable:
    """A table the data contract cannot support: empty data and a Norwegian note saying why."""
    empty = pd.DataFrame(
        {
            **{d: pd.Series(dtype="object") for d in dims},
            "measure": pd.Series(dtype="object"),
            "value": pd.Series(dtype="float64"),
            "base": pd.Series(dtype="float64"),
        }
    )
    notes = [note, *kwargs.pop("notes", [])]
    return make_table(ctx, empty, dims, notes=notes, supported=False, **kwargs)


__all__ = [
    "BUILDERS",
    "BuildContext",
    "Builder",
    "Preparer",
    "builder",
    "make_table",
    "unsupported_table",
]
