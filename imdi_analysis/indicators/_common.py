"""What every indicator shares: the tidy output schema, periods, intervals and tabulation.

Every indicator function returns an :class:`IndicatorFrame`: one row per indicator, year,
period and breakdown level. A breakdown is one column per dimension (``sex``, ``county``, …);
the overall row has :data:`TOTAL` ("I alt") in every dimension the indicator is broken down
by, and a dimension the indicator is not broken down by is missing (NA). Breakdowns are
one-way (or the crossings an indicator names), never a full cross of all dimensions.

Shares carry a 95 % Wilson score interval, means a Student t interval and medians a
distribution-free order-statistic interval; counts have no interval. A zero denominator gives
a missing value with a Norwegian reason in ``missing_reason`` — never a division error or 0.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from imdi_analysis import codes
from imdi_analysis.config import PERIODS
from imdi_analysis.errors import ImdiError
from imdi_analysis.measures.durations import add_months, months_between  # noqa: F401 (re-exported)
from imdi_analysis.measures.periods import in_period, period_bounds  # noqa: F401 (re-exported)

TOTAL = "I alt"
UNKNOWN = "Uoppgitt"
BREAKDOWN_COLUMNS = ("sex", "county", "category", "household_type", "language", "qualification_category")
BREAKDOWN_LABELS = {
    "sex": "Kjønn",
    "county": "Fylke",
    "category": "Kategori",
    "household_type": "Husholdningstype",
    "language": "Språk",
    "qualification_category": "Kvalifikasjonskategori",
}
UNIT_SHARE = "share"
UNIT_COUNT = "count"
UNIT_MONTHS = "months"
UNIT_RATIO = "ratio"
UNITS = (UNIT_SHARE, UNIT_COUNT, UNIT_MONTHS, UNIT_RATIO)
OUTPUT_COLUMNS = [
    "indicator_id", "sp", "year", "period", *BREAKDOWN_COLUMNS,
    "numerator", "denominator", "value", "ci_lower", "ci_upper", "unit", "change", "missing_reason",
]  # fmt: skip
KEY_COLUMNS = ["indicator_id", "year", "period", *BREAKDOWN_COLUMNS]
STAT_COLUMNS = ["numerator", "denominator", "value", "ci_lower", "ci_upper", "missing_reason"]
TEXT_COLUMNS = ("indicator_id", "period", "unit", *BREAKDOWN_COLUMNS, "missing_reason")

CONFIDENCE = 0.95
Z_95 = 1.959963984540054  # standard normal quantile 0.975
WORK_OR_EDUCATION = ("arbeid", "utdanning", "arbeid_og_utdanning")
TOLERANCE = 1e-9

REASON_ZERO_DENOMINATOR = "nevner er 0"
REASON_NO_OBSERVATIONS = "ingen observasjoner i gruppen"

Breakdown = tuple[str, ...]
_TOTAL_KEY = "_total"


class IndicatorFrame(pa.DataFrameModel):
    """Tidy indicator values: one row per indicator, year, period and breakdown level."""

    indicator_id: Series[str] = pa.Field(
        str_matches=r"^sp\d{2}[a-z]?_[a-z0-9_]+$",
        description="Indicator id (registry key), e.g. 'sp01_jobbsjansen_work_or_education'.",
    )
    sp: Series[int] = pa.Field(
        ge=1, description="Number of the steering parameter (SP) in the allocation letter."
    )
    year: Series[int] = pa.Field(
        ge=1990, le=2100, description="Reporting year (SSB indicators: the status year)."
    )
    period: Series[str] = pa.Field(
        isin=PERIODS, description="H1 (status 30 June) or year (status 31 December)."
    )
    sex: Series[str] = pa.Field(
        nullable=True,
        description="Sex label ('Menn', 'Kvinner'); 'I alt' on rows not split by sex; NA when the indicator has no sex breakdown.",
    )
    county: Series[str] = pa.Field(
        nullable=True, description="County name valid on the reference date; 'I alt' / NA as for sex."
    )
    category: Series[str] = pa.Field(
        nullable=True,
        description="Person category (e.g. settlement category, right code, adviser type) in Norwegian; 'I alt' / NA as for sex.",
    )
    household_type: Series[str] = pa.Field(
        nullable=True, description="Household type label (settlement); 'I alt' / NA as for sex."
    )
    language: Series[str] = pa.Field(
        nullable=True,
        description="Interpreting language (top 30, others as 'Andre språk'); 'I alt' / NA as for sex.",
    )
    qualification_category: Series[str] = pa.Field(
        nullable=True,
        description="Interpreter qualification category ('Kategori A' … 'Kategori E'); 'I alt' / NA as for sex.",
    )
    numerator: Series[float] = pa.Field(
        nullable=True,
        ge=0,
        description="Persons (spells, places) counted: shares' numerator, a mean's sum of months, a count's value.",
    )
    denominator: Series[float] = pa.Field(
        nullable=True, ge=0, description="Population the value is computed over; NA for counts."
    )
    value: Series[float] = pa.Field(
        nullable=True,
        description="The indicator's value: share in [0, 1], count, months or ratio; NA with a missing_reason.",
    )
    ci_lower: Series[float] = pa.Field(
        nullable=True,
        description="Lower bound of the 95 % interval (Wilson for shares, t for means, order statistics for medians); NA when not applicable.",
    )
    ci_upper: Series[float] = pa.Field(
        nullable=True, description="Upper bound of the 95 % interval; NA when not applicable."
    )
    unit: Series[str] = pa.Field(
        isin=UNITS, description="share (0–1), count, months or ratio (may exceed 1)."
    )
    change: Series[float] = pa.Field(
        nullable=True,
        description="Value minus the previous year's value for the same indicator, period and breakdown; NA when not available.",
    )
    missing_reason: Series[str] = pa.Field(
        nullable=True,
        description="Why the value is missing, in Norwegian (e.g. 'nevner er 0'); NA when the value is present.",
    )

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    @classmethod
    def missing_value_has_reason(cls, df: pd.DataFrame) -> Series[bool]:
        """A missing value always has a reason, and a present value never has one."""
        return df["value"].isna() == df["missing_reason"].notna()

    @pa.dataframe_check
    @classmethod
    def share_within_unit_interval(cls, df: pd.DataFrame) -> Series[bool]:
        """Shares lie in [0, 1]."""
        share = df["unit"] == UNIT_SHARE
        return ~share | df["value"].isna() | df["value"].between(0, 1)

    @pa.dataframe_check
    @classmethod
    def interval_contains_value(cls, df: pd.DataFrame) -> Series[bool]:
        """ci_lower <= value <= ci_upper wherever an interval is given."""
        lower_ok = df["ci_lower"].isna() | (df["ci_lower"] <= df["value"] + TOLERANCE)
        upper_ok = df["ci_upper"].isna() | (df["ci_upper"] >= df["value"] - TOLERANCE)
        return lower_ok & upper_ok

    @pa.dataframe_check
    @classmethod
    def share_is_numerator_over_denominator(cls, df: pd.DataFrame) -> Series[bool]:
        """For shares and ratios, value = numerator / denominator."""
        ratio = df["unit"].isin([UNIT_SHARE, UNIT_RATIO]) & df["value"].notna()
        expected = df["numerator"] / df["denominator"]
        return ~ratio | ((df["value"] - expected).abs() <= TOLERANCE)

    @pa.dataframe_check
    @classmethod
    def one_row_per_indicator_period_and_breakdown(cls, df: pd.DataFrame) -> Series[bool]:
        """No two rows share indicator, year, period and breakdown levels."""
        return ~df.duplicated(subset=KEY_COLUMNS, keep=False)


# --- periods and durations: defined in imdi_analysis.measures, re-exported for the views ------
# period_bounds, in_period, months_between and add_months are imported above.


def as_flag(values: pd.Series) -> pd.Series:
    """Booleans (nullable or not) as plain bool; missing counts as False."""
    return values.astype("boolean").fillna(False).astype(bool)


# --- intervals -----------------------------------------------------------------------------


def wilson_interval(successes, trials, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """95 % Wilson score interval for binomial proportions (vectorised); NaN where trials is 0.

    The bounds are clipped to [0, 1] and never exclude the estimate k / n (guarding rounding).
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
        lower = np.minimum(np.clip(centre - half, 0, 1), p)
        upper = np.maximum(np.clip(centre + half, 0, 1), p)
    empty = ~(n > 0)
    lower[empty] = np.nan
    upper[empty] = np.nan
    return lower, upper


def t_quantile(probability: float, df: npt.ArrayLike) -> np.ndarray:
    """Quantile of Student's t with ``df`` degrees of freedom (vectorised); NaN where df < 1.

    ``scipy.special.stdtrit``, the inverse of Student's t distribution function that
    ``scipy.stats.t.ppf`` evaluates (``scipy.stats`` itself takes about a second to import, the
    special function a tenth of that); e.g. ``t_quantile(0.975, 10)`` is 2.2281 (tables of
    Student's t).
    """
    from scipy.special import stdtrit  # here, not at import: a page that only shows figures never needs it

    freedom = np.asarray(df, dtype=float)
    return np.asarray(stdtrit(np.where(freedom >= 1, freedom, np.nan), probability), dtype=float)


def mean_interval(total: pd.Series, count: pd.Series, std: pd.Series) -> tuple[pd.Series, pd.Series]:
    """95 % Student t interval of a mean: mean ± t(0.975, n − 1) · s / √n; NaN for n < 2.

    The lower bound is clipped at 0: every mean here is of non-negative durations.
    """
    t = pd.Series(t_quantile(0.5 + CONFIDENCE / 2, count - 1), index=count.index)
    mean = total / count.where(count > 0)
    half = t * std / np.sqrt(count.where(count > 0))
    return (mean - half).clip(lower=0), mean + half


def median_interval(sorted_values: np.ndarray, z: float = Z_95) -> tuple[float, float]:
    """Distribution-free 95 % interval of a median from order statistics (normal approximation).

    Ranks ``j = floor(n/2 − z√n/2)`` and ``k = ceil(n/2 + 1 + z√n/2)`` (1-based, clipped to
    1…n); the interval [x(j), x(k)] always contains the sample median.
    """
    n = len(sorted_values)
    if n == 0:
        return np.nan, np.nan
    j = max(1, math.floor(n / 2 - z * math.sqrt(n) / 2))
    k = min(n, math.ceil(n / 2 + 1 + z * math.sqrt(n) / 2))
    return float(sorted_values[j - 1]), float(sorted_values[k - 1])


# --- level labels --------------------------------------------------------------------------


def coded_levels(values: pd.Series, label_of: Callable[[str], str], order: Sequence[str]) -> pd.Series:
    """A categorical of the labels of ``values``; categories are ``order``, then other labels, sorted.

    Missing values become :data:`UNKNOWN`, so that every row falls in a level and the levels of
    a breakdown always add up to the total. Labels are looked up once per distinct value
    (factorised), which keeps this linear and fast on millions of rows.
    """
    positions, uniques = pd.factorize(values, use_na_sentinel=True)
    names = [label_of(u) for u in uniques]
    missing = bool((positions < 0).any())
    extra = sorted((set(names) | ({UNKNOWN} if missing else set())) - set(order))
    categories = [*order, *extra]
    index = {name: i for i, name in enumerate(categories)}
    lookup = np.array([index[n] for n in names] + [index.get(UNKNOWN, -1)], dtype=np.int64)
    codes = lookup[positions]  # a missing value (-1) picks the last entry: UNKNOWN
    return pd.Series(pd.Categorical.from_codes(codes, categories=categories), index=values.index)


def as_levels(labels: pd.Series, order: Sequence[str]) -> pd.Series:
    """A categorical of ``labels`` whose categories are ``order`` plus any other label seen (sorted)."""
    return coded_levels(labels, str, order)


def sex_levels(sex: pd.Series) -> pd.Series:
    """``M``/``K`` as "Menn"/"Kvinner" (both levels always present)."""
    return coded_levels(
        sex, lambda code: codes.SEX_LABELS.get(code, str(code)), list(codes.SEX_LABELS.values())
    )


def code_list_levels(values: pd.Series, code_list: str, shown: Sequence[str] | None = None) -> pd.Series:
    """Codes as their Norwegian labels from ``data/raw/reference/<code_list>.csv``, in list order.

    ``shown`` limits the levels that always appear (default: every code in the list).
    """
    labels = codes.code_labels(code_list)
    order = [label for code, label in labels.items() if shown is None or code in shown]
    return coded_levels(values, lambda code: labels.get(code, str(code)), order)


def county_levels(county: pd.Series, on: dt.date) -> pd.Series:
    """County codes as names valid on ``on``; every county valid on ``on`` is a level (code order)."""
    valid = valid_county_names(on)
    return coded_levels(county, lambda code: valid.get(code) or county_label(code, on), list(valid.values()))


@functools.cache
def valid_county_names(on: dt.date) -> dict[str, str]:
    """Code -> name of every county valid on ``on``, in code order."""
    return {code: codes.county_name(code, on=on) for code in sorted(codes.valid_county_codes(on))}


@functools.cache
def county_label(code: str, on: dt.date) -> str:
    """Name of a county valid on ``on``; else its latest name; else the code itself."""
    for when in (on, None):
        try:
            return codes.county_name(code, on=when)
        except ImdiError:  # an unknown code is shown as it is
            continue
    return str(code)


# --- tabulation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Summariser:
    """How a breakdown cell is summarised.

    ``cells(grouped)`` returns additive sums per group (counts, sums, sums of squares) and
    ``finish(table)`` turns such sums into ``numerator, denominator, value, ci_lower,
    ci_upper, missing_reason``. Because the sums add up, :func:`tabulate` groups the population
    once by every dimension and adds cells up for each breakdown. A summariser with
    ``additive=False`` (the median) is applied to the population for each breakdown instead.
    """

    cells: Callable[[pd.core.groupby.DataFrameGroupBy], pd.DataFrame]
    finish: Callable[[pd.DataFrame], pd.DataFrame]
    additive: bool = True


def tabulate(
    population: pd.DataFrame,
    breakdowns: Sequence[Breakdown],
    summariser: Summariser,
    dimensions: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Summarise ``population`` overall and for every level of each breakdown.

    Parameters
    ----------
    population : one row per unit counted, with a categorical column per breakdown dimension
    breakdowns : e.g. ``[("sex",), ("county",), ("category", "household_type")]``
    summariser : from ``summarise_share``, ``summarise_count``, ``summarise_mean``, ``summarise_median``
    dimensions : the indicator's breakdown dimensions (default: those in ``breakdowns``); on a
        row they are :data:`TOTAL` unless the row is split by them. Other dimensions are NA.
    """
    dims = list(dimensions) if dimensions is not None else dimensions_of(breakdowns)
    frame = population.assign(**{_TOTAL_KEY: pd.Categorical([TOTAL] * len(population), categories=[TOTAL])})
    if summariser.additive:
        cells = summariser.cells(frame.groupby([_TOTAL_KEY, *dims], observed=False, sort=True))
    columns: dict[str, list[np.ndarray]] = {c: [] for c in (*BREAKDOWN_COLUMNS, *STAT_COLUMNS)}
    for breakdown in [(), *breakdowns]:
        keys = list(breakdown) or [_TOTAL_KEY]
        if summariser.additive:
            table = cells.groupby(level=keys, observed=False, sort=True).sum()
        else:
            table = summariser.cells(frame.groupby(keys, observed=False, sort=True))
        stats = summariser.finish(table)
        for dim in BREAKDOWN_COLUMNS:
            if dim in breakdown:
                levels = stats.index.get_level_values(dim).astype(str).to_numpy(dtype=object)
            else:
                levels = np.full(len(stats), TOTAL if dim in dims else None, dtype=object)
            columns[dim].append(levels)
        for column in STAT_COLUMNS:
            columns[column].append(stats[column].to_numpy())
    return pd.DataFrame({name: np.concatenate(parts) for name, parts in columns.items()})


def share_columns(numerator: pd.Series, denominator: pd.Series) -> pd.DataFrame:
    """Numerator, denominator, share, Wilson interval and missing reason, aligned on the index."""
    numerator = numerator.astype(float)
    denominator = denominator.astype(float)
    value = numerator / denominator.where(denominator > 0)
    lower, upper = wilson_interval(numerator, denominator)
    return pd.DataFrame(
        {
            "numerator": numerator,
            "denominator": denominator,
            "value": value,
            "ci_lower": lower,
            "ci_upper": upper,
            "missing_reason": np.where(denominator > 0, None, REASON_ZERO_DENOMINATOR),
        },
        index=numerator.index,
    )


def summarise_share(flag: str) -> Summariser:
    """Share of rows whose boolean ``flag`` is true, with its Wilson interval."""
    return Summariser(
        cells=lambda grouped: grouped[flag].agg(["sum", "size"]).astype(float),
        finish=lambda table: share_columns(table["sum"], table["size"]),
    )


def summarise_count(weight: str | None = None) -> Summariser:
    """Number of rows (each row one unit), or the sum of ``weight``; no interval."""

    def cells(grouped) -> pd.DataFrame:
        count = grouped[weight].sum() if weight is not None else grouped.size()
        return count.astype(float).to_frame("count")

    def finish(table: pd.DataFrame) -> pd.DataFrame:
        count = table["count"]
        return pd.DataFrame(
            {
                "numerator": count,
                "denominator": np.nan,
                "value": count,
                "ci_lower": np.nan,
                "ci_upper": np.nan,
                "missing_reason": None,
            },
            index=table.index,
        )

    return Summariser(cells=cells, finish=finish)


def summarise_mean(column: str) -> Summariser:
    """Mean of ``column`` (numerator = sum, denominator = n) with a Student t interval."""

    def cells(grouped) -> pd.DataFrame:
        values = grouped.obj[column].astype(float)
        squares = (values**2).groupby([grouped.obj[k] for k in grouped.keys], observed=False, sort=True).sum()
        table = grouped[column].agg(["sum", "count"]).astype(float)
        table["squares"] = squares.to_numpy()
        return table

    def finish(table: pd.DataFrame) -> pd.DataFrame:
        count, total = table["count"], table["sum"]
        variance = (table["squares"] - total**2 / count.where(count > 0)) / (count - 1).where(count > 1)
        lower, upper = mean_interval(total, count, np.sqrt(variance.clip(lower=0)))
        return pd.DataFrame(
            {
                "numerator": total.where(count > 0),
                "denominator": count,
                "value": total / count.where(count > 0),
                "ci_lower": lower,
                "ci_upper": upper,
                "missing_reason": np.where(count > 0, None, REASON_NO_OBSERVATIONS),
            },
            index=table.index,
        )

    return Summariser(cells=cells, finish=finish)


def summarise_median(column: str) -> Summariser:
    """Median of ``column`` (denominator = n, no numerator) with an order-statistic interval."""

    def cells(grouped) -> pd.DataFrame:
        sizes = grouped.size()
        values = grouped.obj[column].to_numpy(dtype=float)
        positions = grouped.indices
        rows = []
        for key in sizes.index:
            sample = np.sort(values[positions[key]]) if key in positions else np.array([])
            lower, upper = median_interval(sample)
            rows.append((float(np.median(sample)) if len(sample) else np.nan, lower, upper))
        stats = pd.DataFrame(rows, columns=["value", "ci_lower", "ci_upper"], index=sizes.index)
        stats.insert(0, "denominator", sizes.astype(float))
        stats.insert(0, "numerator", np.nan)
        stats["missing_reason"] = np.where(sizes > 0, None, REASON_NO_OBSERVATIONS)
        return stats

    return Summariser(cells=cells, finish=lambda table: table, additive=False)


def finish_indicator(
    stats: pd.DataFrame, indicator_id: str, sp: int, year: int, period: str, unit: str
) -> pd.DataFrame:
    """Add identity columns to tabulated ``stats``, in :class:`IndicatorFrame` column order and dtypes.

    Validation against :class:`IndicatorFrame` is done once for all indicators by
    :func:`~imdi_analysis.indicators.registry.compute_indicators` (and by the tests for each
    function), not here, to keep a full run fast.
    """
    n = len(stats)
    value = stats["value"].to_numpy(dtype=float)
    reason = stats["missing_reason"].to_numpy(dtype=object)
    reason = np.where(np.isnan(value), np.where(pd.isna(reason), REASON_NO_OBSERVATIONS, reason), None)
    identity = {"indicator_id": indicator_id, "sp": sp, "year": year, "period": period, "unit": unit}
    columns = {name: np.full(n, constant, dtype=object) for name, constant in identity.items()}
    columns |= {name: stats[name].to_numpy() for name in (*BREAKDOWN_COLUMNS, *STAT_COLUMNS)}
    columns |= {"missing_reason": reason, "change": np.full(n, np.nan)}
    return conform(pd.DataFrame(columns))


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns in :class:`IndicatorFrame` order and dtypes (object text with None for NA)."""
    columns = {}
    for column in OUTPUT_COLUMNS:
        values = frame[column].to_numpy()
        if column in TEXT_COLUMNS:
            values = values.astype(object)
            columns[column] = np.where(pd.isna(values), None, values)
        elif column in ("sp", "year"):
            columns[column] = values.astype(np.int64)
        else:
            columns[column] = values.astype(np.float64)
    return pd.DataFrame(columns, index=pd.RangeIndex(len(frame)))


def empty_indicator() -> pd.DataFrame:
    """An :class:`IndicatorFrame` with no rows."""
    return conform(pd.DataFrame({column: pd.Series(dtype=object) for column in OUTPUT_COLUMNS}))


def add_change(frame: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Fill ``change`` = value − the value one year earlier for the same indicator and breakdown.

    ``previous`` holds earlier years' rows (it may be ``frame`` itself for a time series).
    """
    keys = ["indicator_id", "period", *BREAKDOWN_COLUMNS]
    before = previous[[*keys, "year", "value"]].assign(year=previous["year"] + 1)
    before = fill_keys(before.rename(columns={"value": "_previous"})).drop_duplicates(subset=[*keys, "year"])
    merged = fill_keys(frame[[*keys, "year", "value"]]).merge(
        before, how="left", on=[*keys, "year"], sort=False
    )
    out = frame.copy()
    out["change"] = (merged["value"] - merged["_previous"]).to_numpy()
    return out


def fill_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """Breakdown columns with NA replaced by a marker, so that merges match missing levels."""
    out = frame.copy()
    for column in BREAKDOWN_COLUMNS:
        out[column] = out[column].astype(object).where(out[column].notna(), "\x00")
    return out


def dimensions_of(breakdowns: Sequence[Breakdown]) -> list[str]:
    """Breakdown dimensions in :data:`BREAKDOWN_COLUMNS` order."""
    used = {d for b in breakdowns for d in b}
    return [d for d in BREAKDOWN_COLUMNS if d in used]


def order_rows(frame: pd.DataFrame, order: Mapping[str, int]) -> pd.DataFrame:
    """Rows in registry order of ``indicator_id`` (given by ``order``), then year, keeping row order."""
    rank = frame["indicator_id"].map(order).fillna(len(order))
    return frame.assign(_rank=rank).sort_values(["_rank", "year"], kind="stable").drop(columns="_rank")
