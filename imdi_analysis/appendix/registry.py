"""The appendix table registry: which function builds which table, and what it gets to work with.

Every table of the letter's Vedlegg 3 has a key (``"1A"``, ``"5-2"``, ``"28B"``) taken from
:func:`imdi_analysis.letter.appendix_spec.load_appendix_spec`. A builder is a function
``BuildContext -> AppendixTable`` registered for one or more keys with :func:`builder`; a builder
registered for several keys reads ``ctx.spec["table_key"]`` to know which one to build.

The :class:`BuildContext` hands builders their inputs: validated register extracts loaded
through :func:`imdi_analysis.sources.registry.load_source`, cached once per run so that tables
sharing a source do not read it twice. Tests inject hand-made frames with ``frames``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from imdi_analysis import config
from imdi_analysis.errors import ConfigError, DataNotFoundError, ImdiError
from imdi_analysis.measures.durations import months_between, within_months
from imdi_analysis.measures.periods import entry_window, period_bounds
from imdi_analysis.tables import (
    MEASURE_COUNT,
    MEASURE_MEAN_MONTHS,
    MEASURE_PERCENT,
    TOTAL,
    AppendixTable,
)

UNKNOWN = "Uoppgitt"
TIME_DIM = "year"
CACHE_BUDGET_BYTES = 1 << 30  # extracts kept in memory per process (1 GiB)

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


class FrameCache(dict):
    """Frames shared by the builders of a run, the least recently used dropped beyond a memory budget.

    A plain ``dict`` (builders may also store derived frames under their own keys) that keeps
    its frames while they take less than ``budget`` bytes together. When a new frame would
    take it over, the least recently used frames are dropped first, so that neighbouring
    tables (the letter groups tables by source) share their extracts while memory stays
    bounded at large scale. A dropped frame is simply read again if a later table needs it.
    """

    def __init__(self, budget: int = CACHE_BUDGET_BYTES) -> None:
        super().__init__()
        self.budget = budget
        self.clock = 0
        self.last_used: dict[Any, int] = {}
        self.sizes: dict[Any, int] = {}

    def __getitem__(self, key: Any) -> Any:
        self.touch(key)
        return super().__getitem__(key)

    def __setitem__(self, key: Any, value: Any) -> None:
        self.sizes[key] = size_of(value)
        self.touch(key)
        super().__setitem__(key, value)
        self.shrink(keep=key)

    def __delitem__(self, key: Any) -> None:
        super().__delitem__(key)
        self.last_used.pop(key, None)
        self.sizes.pop(key, None)

    def get(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            return default
        return self[key]

    def pop(self, key: Any, *default: Any) -> Any:
        self.last_used.pop(key, None)
        self.sizes.pop(key, None)
        return super().pop(key, *default)

    def touch(self, key: Any) -> None:
        self.clock += 1
        self.last_used[key] = self.clock

    @property
    def nbytes(self) -> int:
        """Bytes taken by the cached frames (as pandas counts them)."""
        return sum(self.sizes.values())

    def shrink(self, keep: Any = None) -> list:
        """Drop least recently used entries (never ``keep``) until under budget; return their keys."""
        dropped = []
        for key in sorted(self.last_used, key=self.last_used.__getitem__):
            if self.nbytes <= self.budget:
                break
            if key != keep:
                self.pop(key, None)
                dropped.append(key)
        return dropped

    def next_table(self) -> list:
        """Called after each table: bring the cache under budget; return the keys dropped."""
        return self.shrink()


def size_of(value: Any) -> int:
    """Bytes a cached value takes: a frame's memory usage, else 0 (small objects)."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=True).sum())
    return 0


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


def count_cells(
    frame: pd.DataFrame,
    dims: list[str],
    categories: dict[str, Iterable] | None = None,
    weight: str | None = None,
    no_total: Iterable[str] = (TIME_DIM,),
) -> pd.DataFrame:
    """Counts (or sums of ``weight``) for every combination of ``dims``, with "I alt" margins.

    Every dimension except those in ``no_total`` (the time dimension by default) gets a
    :data:`~imdi_analysis.tables.TOTAL` category, and every combination of categories is
    present, with 0 where nothing was counted, so that disclosure control sees every margin.

    Parameters
    ----------
    frame : one row per unit counted
    dims : dimension columns; missing values are counted as :data:`UNKNOWN`
    categories : display order of the categories of a dimension; values found in the data but
        not listed are appended (never dropped), listed values not found are kept as zero cells
    weight : column to sum instead of counting rows
    no_total : dimensions without a total (a time series has no total over years)

    Returns
    -------
    pandas.DataFrame
        ``dims`` and ``value`` (float), sorted by the categories with totals last.
    """
    categories = categories or {}
    codes, labels = [], []
    for dim in dims:
        dim_codes, order = encode(frame[dim], categories.get(dim), unknown=dim not in no_total)
        codes.append(dim_codes)
        labels.append(order)
    weights = np.nan_to_num(frame[weight].to_numpy(dtype="float64")) if weight else np.ones(len(frame))
    if not dims:
        return pd.DataFrame({"value": [float(weights.sum())]})
    shape = tuple(len(order) for order in labels)
    counted = np.logical_and.reduce([c >= 0 for c in codes])  # a missing year is not counted
    flat = np.ravel_multi_index([c[counted] for c in codes], shape)
    cube = np.bincount(flat, weights=weights[counted], minlength=int(np.prod(shape))).reshape(shape)
    for axis, dim in enumerate(dims):
        if dim not in no_total:
            cube = np.concatenate([cube, cube.sum(axis=axis, keepdims=True)], axis=axis)
            labels[axis] = [*labels[axis], TOTAL]
    cells = pd.MultiIndex.from_product(labels, names=dims).to_frame(index=False)
    cells = cells.astype({dim: "object" for dim in dims})
    cells["value"] = cube.ravel().astype("float64")
    return cells


def encode(column: pd.Series, listed: Iterable | None, unknown: bool = True) -> tuple[np.ndarray, list]:
    """Integer codes of ``column`` against its display order, and that order.

    The order is ``listed`` first, then other values found (sorted); missing values get the
    :data:`UNKNOWN` category when ``unknown`` is true, else code -1 (not counted). Factorises
    once (cheap for a categorical column), so it stays fast on millions of rows.
    """
    values = pd.Categorical(column)
    found = list(values.categories)
    missing = bool((values.codes == -1).any()) and unknown
    order = order_categories(found + ([UNKNOWN] if missing else []), listed)
    position = pd.Index(order, dtype="object").get_indexer(pd.Index(found, dtype="object"))
    recode = np.append(position, order.index(UNKNOWN) if missing else -1)
    return recode[values.codes], order


def order_categories(found: Iterable, listed: Iterable | None) -> list:
    """Listed categories first, then the other ``found`` values (sorted), each once."""
    first = list(dict.fromkeys(listed)) if listed is not None else []
    seen = set(first)
    others = sorted({v for v in found if not pd.isna(v) and v not in seen}, key=str)
    return first + others


def sort_cells(cells: pd.DataFrame, dims: list[str], order: dict[str, list]) -> pd.DataFrame:
    """Sort cells by each dimension's category order, totals last."""
    if not dims:
        return cells.reset_index(drop=True)
    keys = {}
    for dim in dims:
        ranks = {value: rank for rank, value in enumerate(order.get(dim, []))}
        ranks[TOTAL] = len(ranks)
        keys[dim] = cells[dim].map(ranks).fillna(len(ranks)).astype(int)
    ranked = pd.DataFrame(keys)
    position = ranked.sort_values(dims, kind="stable").index
    return cells.loc[position].reset_index(drop=True)


def as_counts(cells: pd.DataFrame) -> pd.DataFrame:
    """Cells from :func:`count_cells` as tidy count rows (``measure``, ``value``, ``base``)."""
    return cells.assign(measure=MEASURE_COUNT, base=float("nan"))


def share_of_total(
    cells: pd.DataFrame, dims: list[str], over: str, measure: str = MEASURE_PERCENT
) -> pd.DataFrame:
    """Count rows plus each cell's share of the total of dimension ``over``.

    The base of a cell is the cell with ``over`` = "I alt" and the same other categories;
    percent is 0–100, share 0–1; a base of 0 gives NaN.
    """
    others = [d for d in dims if d != over]
    bases = cells.loc[cells[over] == TOTAL, [*others, "value"]].rename(columns={"value": "base"})
    derived = (
        cells.merge(bases, on=others, how="left", sort=False)
        if others
        else cells.assign(base=float(bases["base"].iloc[0]))
    )
    derived = derived.assign(measure=measure, value=ratio(derived["value"], derived["base"], measure))
    return stack_measures(as_counts(cells), derived, dims)


def rate_cells(
    frame: pd.DataFrame,
    dims: list[str],
    flag: str,
    categories: dict[str, Iterable] | None = None,
    measure: str = MEASURE_PERCENT,
) -> pd.DataFrame:
    """Count of units with ``flag`` true and their share of all units in the same cell.

    Returns count rows (numerator, ``base`` NaN) and ``measure`` rows whose ``base`` is the
    number of units in the cell (the denominator).
    """
    weights = frame.assign(_flag=frame[flag].fillna(False).astype(bool).astype("float64"))
    hits = count_cells(weights, dims, categories, weight="_flag")
    population = count_cells(frame, dims, categories)
    derived = hits.assign(
        measure=measure,
        base=population["value"].to_numpy(),
        value=ratio(hits["value"], population["value"], measure).to_numpy(),
    )
    return stack_measures(as_counts(hits), derived, dims)


def mean_cells(
    frame: pd.DataFrame,
    dims: list[str],
    column: str,
    categories: dict[str, Iterable] | None = None,
    measure: str = MEASURE_MEAN_MONTHS,
) -> pd.DataFrame:
    """Mean of ``column`` in every cell (with margins); ``base`` is the number of values averaged.

    Rows with a missing ``column`` are left out of both the sum and the base.
    """
    known = frame[frame[column].notna()]
    sums = count_cells(known, dims, categories, weight=column)
    counts = count_cells(known, dims, categories)
    return sums.assign(
        measure=measure,
        base=counts["value"].to_numpy(),
        value=(sums["value"] / counts["value"].where(counts["value"] > 0)).to_numpy(),
    )[[*dims, "measure", "value", "base"]]


def ratio(numerator: pd.Series, base: pd.Series, measure: str) -> pd.Series:
    """``numerator / base`` as a share (0–1) or, for percent, 0–100; NaN where base is 0."""
    scale = 100.0 if measure == MEASURE_PERCENT else 1.0
    return scale * numerator / base.where(base > 0)


def stack_measures(counts: pd.DataFrame, derived: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    """Count rows and derived rows as one tidy frame, each cell's measures side by side."""
    columns = [*dims, "measure", "value", "base"]
    both = pd.concat([counts[columns], derived[columns]], ignore_index=True)
    cell = pd.concat([pd.RangeIndex(len(counts)).to_series(), pd.RangeIndex(len(derived)).to_series()])
    both["_cell"] = cell.to_numpy()
    both["_rank"] = (both["measure"] != MEASURE_COUNT).astype(int)
    return (
        both.sort_values(["_cell", "_rank"], kind="stable")
        .drop(columns=["_cell", "_rank"])
        .reset_index(drop=True)
    )


def as_categories(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """``frame`` with ``columns`` (codes with few distinct values) as categoricals: less memory."""
    return frame.assign(**{column: frame[column].astype("category") for column in columns})


def is_in(values: pd.Series, candidates: pd.Series) -> pd.Series:
    """Whether each of ``values`` occurs in ``candidates`` (missing values never do).

    For large candidate sets such as person ids: pandas' ``isin`` on Arrow-backed strings loops
    over the candidates in Python, Arrow's ``is_in`` does not.
    """
    array = pa.array(values, from_pandas=True)
    value_set = pa.array(pd.Series(candidates).dropna().unique(), from_pandas=True)
    if value_set.type != array.type:
        value_set = value_set.cast(array.type)
    found = pc.is_in(array, value_set=value_set).fill_null(False)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index, dtype=bool)


def relabel(values: pd.Series, mapping: dict) -> pd.Series:
    """``values`` with each code replaced by its label (unknown codes kept), as a categorical.

    Maps the distinct codes only, so it is fast on millions of rows; two codes with the same
    label (a county number reused after a reform) share one category. Missing stays missing.
    """
    codes = pd.Categorical(values)
    labels = [mapping.get(code, code) for code in codes.categories]
    unique = list(dict.fromkeys(labels))
    position = {label: i for i, label in enumerate(unique)}
    recode = np.array([position[label] for label in labels] + [-1], dtype="int64")
    return pd.Series(pd.Categorical.from_codes(recode[codes.codes], unique), index=values.index)


def label_codes(values: pd.Series, code_list: str) -> pd.Series:
    """Norwegian labels of the codes in ``values`` from a code list (unknown codes kept as is)."""
    return relabel(values, code_list_labels(code_list))


def code_list_labels(code_list: str) -> dict[str, str]:
    """Code -> label of a code list, or an empty mapping (codes shown) when the list is not shipped."""
    from imdi_analysis import codes

    try:
        return codes.code_labels(code_list)
    except (ImdiError, FileNotFoundError):
        return {}


def code_list_order(code_list: str) -> list[str]:
    """The labels of a code list in file order (empty when the list is not shipped)."""
    return list(code_list_labels(code_list).values())


def label_sex(values: pd.Series) -> pd.Series:
    """``M``/``K`` as "Menn"/"Kvinner"."""
    from imdi_analysis.codes import SEX_LABELS

    return relabel(values, SEX_LABELS)


def sex_order() -> list[str]:
    """Display order of the sex labels."""
    from imdi_analysis.codes import SEX_LABELS

    return list(SEX_LABELS.values())


def label_counties(values: pd.Series) -> pd.Series:
    """County codes as names (latest name of each code; unknown codes kept as codes)."""
    return relabel(values, area_names("county"))


def label_municipalities(values: pd.Series) -> pd.Series:
    """Municipality codes as names (latest name of each code; unknown codes kept as codes)."""
    return relabel(values, area_names("municipality"))


def area_order(level: str, years: Iterable[int]) -> list[str]:
    """Names of the counties (``level="county"``) or municipalities valid in any of ``years``.

    In code order (the order of official statistics), each name once.
    """
    valid = valid_areas(level, years)
    names = area_names(level)
    return list(dict.fromkeys(names[code] for code in sorted(set().union(*valid.values()))))


def found_area_order(level: str, codes: pd.Series) -> list[str]:
    """Names of the counties or municipalities whose codes occur in ``codes``, in code order.

    For breakdowns where listing every area would add empty rows (host municipalities of
    reception centres), so that only areas with data are shown.
    """
    names = area_names(level)
    return list(dict.fromkeys(names.get(code, code) for code in sorted(codes.dropna().unique())))


def valid_areas(level: str, years: Iterable[int]) -> dict[int, set[str]]:
    """Codes of the counties or municipalities valid at some time in each year."""
    from imdi_analysis import codes

    frame = codes.load_counties() if level == "county" else codes.load_municipalities()
    result = {}
    for year in years:
        first, last = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
        open_ended = frame["valid_to"].isna()
        inside = (frame["valid_from"] <= last) & (open_ended | (frame["valid_to"] >= first))
        result[year] = set(frame.loc[inside, "code"])
    return result


def mark_invalid_areas(data: pd.DataFrame, dim: str, level: str) -> pd.DataFrame:
    """Mark empty cells of areas that did not exist in the cell's year as not applicable (".").

    A time series across a regional reform has, for example, Viken (2020–2023) and Østfold
    (to 2019 and from 2024); a zero for Viken in 2019 is not a count but a cell that cannot
    occur. Only cells whose value is 0 (or missing) are marked, so no count is ever hidden.
    """
    from imdi_analysis.tables import STATUS_NOT_APPLICABLE, STATUS_SHOWN

    names = area_names(level)
    valid = valid_areas(level, sorted(set(data[TIME_DIM])))
    pairs = pd.DataFrame(
        [(year, names[code]) for year, codes in valid.items() for code in codes], columns=[TIME_DIM, dim]
    ).drop_duplicates()
    existed = data[[TIME_DIM, dim]].merge(pairs.assign(_existed=True), how="left")["_existed"]
    invalid = data[dim].isin(set(names.values())).to_numpy() & existed.isna().to_numpy()
    empty = data["value"].fillna(0).eq(0) & data["base"].fillna(0).eq(0)
    mark = pd.Series(invalid, index=data.index) & empty
    status = data["status"] if "status" in data.columns else pd.Series(STATUS_SHOWN, index=data.index)
    out = data.assign(status=status.where(~mark, STATUS_NOT_APPLICABLE))
    out.loc[mark, "value"] = float("nan")
    return out


def area_names(level: str) -> dict[str, str]:
    """Code -> latest name of every county (``level="county"``) or municipality, by code."""
    from imdi_analysis import codes

    frame = codes.load_counties() if level == "county" else codes.load_municipalities()
    latest = frame.sort_values(["code", "valid_from"]).drop_duplicates("code", keep="last")
    return dict(zip(latest["code"], latest["name"], strict=True))


__all__ = [
    "BUILDERS",
    "TIME_DIM",
    "UNKNOWN",
    "BuildContext",
    "Builder",
    "FrameCache",
    "Preparer",
    "area_order",
    "as_categories",
    "as_counts",
    "builder",
    "code_list_labels",
    "code_list_order",
    "count_cells",
    "found_area_order",
    "is_in",
    "label_codes",
    "label_counties",
    "label_municipalities",
    "label_sex",
    "make_table",
    "mark_invalid_areas",
    "mean_cells",
    "months_between",
    "rate_cells",
    "relabel",
    "sex_order",
    "share_of_total",
    "unsupported_table",
    "valid_areas",
    "within_months",
]
