"""Cells as every writer publishes them: the safety check before writing, a record as a
:class:`Cell`, category and number texts, and the decimals of each measure."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from typing import NamedTuple

import pandas as pd

from imdi_analysis.disclosure import disclosure_problems, disclosure_threshold
from imdi_analysis.errors import ConfigError, DisclosureError
from imdi_analysis.formatting import format_number, plain_decimal
from imdi_analysis.tables import (
    MEASURE_COUNT,
    MEASURE_MEAN_MONTHS,
    MEASURE_MEDIAN_MONTHS,
    MEASURE_PERCENT,
    MEASURE_SHARE,
    STATUS_MISSING,
    STATUS_NOT_APPLICABLE,
    STATUS_SHOWN,
    STATUS_SUPPRESSED,
    STATUS_ZERO,
    AppendixTable,
)

MEASURE_HEADER = "Måltall"
VALUE_HEADER = "Verdi"
SYMBOL_HEADER = "Symbol"
DECIMALS = {
    MEASURE_COUNT: 0,
    MEASURE_PERCENT: 1,
    MEASURE_SHARE: 3,
    MEASURE_MEAN_MONTHS: 1,
    MEASURE_MEDIAN_MONTHS: 1,
}
SYMBOLS = (STATUS_SUPPRESSED, STATUS_MISSING, STATUS_NOT_APPLICABLE, STATUS_ZERO)
KEY_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,20}")


class Cell(NamedTuple):
    """One published cell: value (NaN when hidden), status symbol and measure code."""

    value: float
    status: str
    measure: str


SAFE_TABLES: dict[str, int] = {}  # fingerprint of a table found safe -> its threshold (this process)
SAFE_TABLES_MAX = 4096  # forgotten all at once beyond this many (a release has a few dozen tables)


def table_fingerprint(table: AppendixTable) -> str:
    """SHA-256 of everything about ``table`` (every field and every cell): equal only for equal tables."""
    fields = {f.name: getattr(table, f.name) for f in dataclasses.fields(table) if f.name != "data"}
    digest = hashlib.sha256(repr(sorted(fields.items())).encode())
    digest.update(repr([(c, str(t)) for c, t in table.data.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(table.data.astype(object), index=True).to_numpy().tobytes())
    return digest.hexdigest()


def publishable_threshold(table: AppendixTable) -> int:
    """The table's disclosure threshold, after checking that it is safe to publish.

    A table is written several times (CSV, workbook, its page, JSON-stat): the check's verdict is
    kept for the table's :func:`table_fingerprint`, so the same cells are checked once per process.
    """
    check_key(table.key)
    threshold = disclosure_threshold(table)
    if threshold is None:
        raise DisclosureError(
            f"Table {table.key} has not been through disclosure control (no 'status' column or no "
            "recorded threshold). Call imdi_analysis.disclosure.apply_disclosure(table, threshold) "
            "just before publishing it."
        )
    fingerprint = table_fingerprint(table)
    if SAFE_TABLES.get(fingerprint) == threshold:
        return threshold
    problems = disclosure_problems(table, threshold)
    if problems:
        listed = "\n- ".join(problems[:10])
        raise DisclosureError(
            f"Table {table.key} is not safe to publish ({len(problems)} problem(s)):\n- {listed}"
        )
    if len(SAFE_TABLES) >= SAFE_TABLES_MAX:
        SAFE_TABLES.clear()
    SAFE_TABLES[fingerprint] = threshold
    return threshold


def check_key(key: str) -> str:
    """A table key usable in file and sheet names (``1A``, ``5-2``, ``28B``)."""
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise ConfigError(
            f"Table key {key!r} cannot be used in file and sheet names: use letters, digits, '.', "
            "'_' or '-' (at most 21 characters)."
        )
    return key


def cell_of(record: dict) -> Cell:
    """A data row as a :class:`Cell`, checking that the measure is known."""
    measure = str(record["measure"])
    if measure not in DECIMALS:
        raise ConfigError(f"Unknown measure {measure!r}; known: {sorted(DECIMALS)} (imdi_analysis.tables).")
    status = record.get("status")
    missing = status is None or (isinstance(status, float) and status != status)
    status = STATUS_SHOWN if missing else str(status).strip()
    return Cell(float(record["value"]) if pd.notna(record["value"]) else float("nan"), status, measure)


def category_text(value: object) -> str:
    """A dimension category as text: ``2022`` not ``2022.0``; missing becomes empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def plain_number(cell: Cell) -> str:
    """The ``Verdi`` text: fixed decimals per measure, ``.`` as decimal point, empty when hidden."""
    if cell.status in (STATUS_SUPPRESSED, STATUS_MISSING, STATUS_NOT_APPLICABLE) or cell.value != cell.value:
        return ""
    return plain_decimal(cell.value, DECIMALS[cell.measure])  # rounded as the book page shows it


def display_text(cell: Cell | None) -> str:
    """A cell for readers: Norwegian number format, or its symbol when hidden or nil."""
    if cell is None:
        return STATUS_MISSING
    if cell.status in SYMBOLS:
        return cell.status
    return format_number(cell.value, DECIMALS[cell.measure], missing=STATUS_MISSING)
