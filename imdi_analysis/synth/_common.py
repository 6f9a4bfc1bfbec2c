"""Shared helpers of the synthetic generators: random streams, day arithmetic, column builders.

Dates are handled as ``int32`` day numbers since 1970-01-01 (Arrow's ``date32``), so that whole
populations can be shifted and compared with numpy. Missing dates are :data:`NO_DATE`.
Columns are built as Arrow arrays and written with Arrow's CSV writer, which is fast and
byte-stable: the same arrays always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

EPOCH = dt.date(1970, 1, 1)
NO_DATE = np.iinfo(np.int32).min
DAYS_PER_MONTH = (
    30.44  # generator only: modelled months to days; published months are calendar months (measures)
)
DAYS_PER_YEAR = 365.25
CSV_BATCH_ROWS = 65_536
FLAT_MONTHS = (1.0,) * 12


def rng_for(seed: int, year: int, stream: str) -> np.random.Generator:
    """Independent random generator of one (seed, year, stream).

    The stream name is turned into an integer with CRC-32 (stable across runs, unlike
    ``hash``), and the three numbers seed a :class:`numpy.random.SeedSequence`.
    """
    key = zlib.crc32(stream.encode("utf-8"))
    return np.random.default_rng(np.random.SeedSequence([int(seed), int(year), key]))


def scaled(count: float, scale: float) -> int:
    """A person count multiplied by ``scale``, rounded, and at least 1."""
    return max(1, round(count * scale))


def day(year: int, month: int = 1, day_of_month: int = 1) -> int:
    """Day number of a calendar date."""
    return (dt.date(year, month, day_of_month) - EPOCH).days


def year_start(year: int) -> int:
    """Day number of 1 January of ``year``."""
    return day(year, 1, 1)


def year_end(year: int) -> int:
    """Day number of 31 December of ``year`` (the extract date of that year)."""
    return day(year, 12, 31)


def to_date(day_number: int) -> dt.date:
    """Calendar date of a day number."""
    return EPOCH + dt.timedelta(days=int(day_number))


def year_of(days: np.ndarray) -> np.ndarray:
    """Calendar year of each day number."""
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int32) + 1970


def first_days_of(years: np.ndarray) -> np.ndarray:
    """Day number of 1 January of each year."""
    return (
        (np.asarray(years, dtype=np.int64) - 1970)
        .astype("datetime64[Y]")
        .astype("datetime64[D]")
        .astype(np.int64)
    )


def month_of(days: np.ndarray) -> np.ndarray:
    """Month (0 = January) of each day number."""
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12


def month_start_days(year: int) -> np.ndarray:
    """Day numbers of the first day of each month of ``year`` and of the next 1 January (13 values)."""
    months = np.arange(f"{year}-01", f"{year + 1}-02", dtype="datetime64[M]")
    return months.astype("datetime64[D]").astype(np.int64).astype(np.int32)


def draw_days_in_year(
    rng: np.random.Generator, n: int, year: int, month_weights: Sequence[float]
) -> np.ndarray:
    """``n`` days in ``year``: a month by ``month_weights``, then a uniform day in that month."""
    bounds = month_start_days(year)
    weights = np.asarray(month_weights, dtype=float)
    month = rng.choice(12, size=n, p=weights / weights.sum())
    length = bounds[month + 1] - bounds[month]
    return (bounds[month] + np.floor(rng.random(n) * length)).astype(np.int32)


def draw_codes(
    rng: np.random.Generator, n: int, weights: dict[str, float], codes: Sequence[str]
) -> np.ndarray:
    """``n`` indices into ``codes`` drawn with ``weights`` (codes missing from ``weights`` get 0)."""
    p = np.array([weights.get(code, 0.0) for code in codes], dtype=float)
    return rng.choice(len(codes), size=n, p=p / p.sum()).astype(np.int16)


def months_to_days(months: np.ndarray) -> np.ndarray:
    """Durations in months to whole days (at least 0)."""
    return np.maximum(0, np.round(np.asarray(months) * DAYS_PER_MONTH)).astype(np.int32)


def lognormal_with_mean(rng: np.random.Generator, mean: np.ndarray, sigma: float, n: int) -> np.ndarray:
    """Lognormal draws with the given mean (array or scalar) and log-scale ``sigma``."""
    mu = np.log(mean) - sigma**2 / 2
    return np.exp(mu + sigma * rng.standard_normal(n))


# ---------------------------------------------------------------------------------------------
# Column builders


def id_column(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """Identifiers like ``P2022000123``: ``prefix`` and zero-padded ``numbers``."""
    digits = pc.utf8_lpad(pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def code_column(codes: Sequence[str], index: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    """Strings ``codes[index]``; rows where ``missing`` is true are empty."""
    take = pa.array(np.asarray(index, dtype=np.int32), mask=missing)
    return pa.array(list(codes), type=pa.string()).take(take)


def date_column(days: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    """ISO dates from day numbers; rows where ``missing`` (or :data:`NO_DATE`) are empty."""
    days = np.asarray(days, dtype=np.int32)
    mask = days == NO_DATE
    if missing is not None:
        mask = mask | missing
    return pa.array(np.where(mask, 0, days), type=pa.date32(), mask=mask)


def bool_column(values: np.ndarray) -> pa.Array:
    """``true``/``false``."""
    return pa.array(np.asarray(values, dtype=bool))


def int_column(values: np.ndarray) -> pa.Array:
    """Whole numbers."""
    return pa.array(np.asarray(values, dtype=np.int64))


def decimal_column(values: np.ndarray) -> pa.Array:
    """Non-negative numbers with exactly one decimal (``412.5``), rounded to the nearest tenth.

    Formatting is done here rather than by the CSV writer so that the text is fixed.
    """
    tenths = np.round(np.asarray(values, dtype=float) * 10).astype(np.int64)
    whole = pc.cast(pa.array(tenths // 10), pa.string())
    fraction = pc.cast(pa.array(tenths % 10), pa.string())
    return pc.binary_join_element_wise(whole, fraction, ".")


@dataclass(frozen=True)
class Extract:
    """One synthetic register extract: its columns in contract order."""

    source: str
    table: pa.Table

    @property
    def rows(self) -> int:
        return self.table.num_rows


def make_table(columns: dict[str, pa.Array]) -> pa.Table:
    """An Arrow table from named columns (insertion order is the column order)."""
    return pa.table(columns)


def write_csv(table: pa.Table, path: Path) -> None:
    """Write ``table`` as plain UTF-8 CSV (``,``, ``\\n``, no quoting) atomically.

    Values never contain separators or quotes (codes, identifiers, dates and numbers), so
    quoting is switched off; Arrow raises if that assumption is ever broken.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    options = pacsv.WriteOptions(
        include_header=True, batch_size=CSV_BATCH_ROWS, quoting_style="none", quoting_header="none"
    )
    pacsv.write_csv(table, tmp, write_options=options)
    tmp.replace(path)
