"""The appendix builders' toolbox: counting cells, shares and means, labels and areas.

Pure functions on frames, shared by the table builders of :mod:`imdi_analysis.appendix`:

- cells: :func:`count_cells` (counts or sums with "I alt" margins, every combination present),
  :func:`rate_cells`, :func:`mean_cells`, :func:`share_of_total`, :func:`ratio`,
  :func:`as_counts` and :func:`stack_measures` (tidy ``measure``/``value``/``base`` rows);
- order: :func:`encode`, :func:`order_categories`, :func:`sort_cells`;
- labels: :func:`relabel`, :func:`label_codes`, :func:`label_sex`, :func:`label_counties`,
  :func:`label_municipalities`, :func:`code_list_labels`, :func:`code_list_order`,
  :func:`sex_order`;
- areas valid in a year: :func:`area_order`, :func:`found_area_order`, :func:`valid_areas`,
  :func:`mark_invalid_areas`, :func:`area_names`;
- frames: :func:`as_categories`, :func:`is_in`.

The registry of builders and their :class:`~imdi_analysis.appendix.registry.BuildContext`
are in :mod:`imdi_analysis.appendix.registry`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from imdi_analysis.errors import ImdiError
from imdi_analysis.tables import MEASURE_COUNT, MEASURE_MEAN_MONTHS, MEASURE_PERCENT, TOTAL

UNKNOWN = "Uoppgitt"
TIME_DIM = "year"


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
    "TIME_DIM",
    "UNKNOWN",
    "area_names",
    "area_order",
    "as_categories",
    "as_counts",
    "code_list_labels",
    "code_list_order",
    "count_cells",
    "encode",
    "found_area_order",
    "is_in",
    "label_codes",
    "label_counties",
    "label_municipalities",
    "label_sex",
    "mark_invalid_areas",
    "mean_cells",
    "order_categories",
    "rate_cells",
    "ratio",
    "relabel",
    "sex_order",
    "share_of_total",
    "sort_cells",
    "stack_measures",
    "valid_areas",
]
