"""Numbers for readers in Norwegian format: thin grouping space, decimal comma.

``format_number(4953.07, 2)`` gives ``'4 953,07'`` (the space is U+00A0, a no-break space,
so a number never breaks across lines). Money is stored as integer NOK and shown in
mill. kr with :func:`format_mill_kr`.
"""

from __future__ import annotations

import math

import pandas as pd

GROUP_SEPARATOR = "\u00a0"
MILLION = 1_000_000


def format_number(value: float | int | None, decimals: int = 0, missing: str = "..") -> str:
    """Format a number with Norwegian separators; missing values become ``missing``."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return missing
    text = f"{float(value):,.{decimals}f}" if decimals else f"{round(float(value)):,}"
    text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", GROUP_SEPARATOR)
    return text.replace("-", "\u2212") if text.startswith("-") else text


def format_mill_kr(nok: int | float | None, decimals: int = 1) -> str:
    """Integer NOK shown in millions: ``4_953_070_000 -> '4 953,1'`` (1 decimal by default)."""
    if nok is None or (isinstance(nok, float) and math.isnan(nok)) or nok is pd.NA:
        return ".."
    return format_number(nok / MILLION, decimals)


def format_percent(share: float | None, decimals: int = 1) -> str:
    """A share in [0, 1] as a Norwegian percentage: ``0.634 -> '63,4 %'``."""
    if share is None or (isinstance(share, float) and math.isnan(share)) or share is pd.NA:
        return ".."
    return f"{format_number(share * 100, decimals)}\u00a0%"


def format_date(value) -> str:
    """A date as ``d. month yyyy`` in bokmål: ``2022-06-30 -> '30. juni 2022'``."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ".."
    ts = pd.Timestamp(value)
    return f"{ts.day}. {MONTHS_NB[ts.month - 1]} {ts.year}"


MONTHS_NB = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
]


def reader_table(frame: pd.DataFrame):
    """A table for readers as a pandas ``Styler``: index hidden, every cell and header HTML-escaped.

    pandas' ``Styler`` does not escape by default, so text from an input (a post name, a grant
    recipient) holding ``<script>`` would run in the reader's browser. Use this instead of
    ``frame.style`` wherever a notebook shows a table with text from an input.
    """
    return frame.style.hide(axis="index").format(escape="html").format_index(escape="html", axis=1)
