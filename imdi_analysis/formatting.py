"""Numbers for readers in Norwegian format: the one place numbers, money and percent are written.

``format_number(4953.07, 2)`` gives ``'4 953,07'``: groups of three separated by U+00A0 (a
no-break space, so a number never breaks across lines), a decimal comma, and U+2212 (minus
sign) for negative numbers. Missing values are Statistics Norway's ``..``.

Rounding is half up (away from zero for negative numbers) on the decimal value a reader sees,
never on the binary float: ``15.125`` has the exact binary value 15.125 and Python's own
formatting rounds it half to even ("15,12"); here it is "15,13", as a reader rounding by hand
would write it. Money is stored as integer NOK and rounded in integer arithmetic
(:func:`format_mill_kr`, :func:`format_money`): ``15_125_000`` is "15,13 mill. kr" everywhere.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

GROUP_SEPARATOR = "\u00a0"
MINUS = "\u2212"
MISSING = ".."
MILLION = 1_000_000
MONEY_DECIMALS = 2  # mill. kr in prose and budget tables: two decimals


def is_missing(value: object) -> bool:
    """Whether ``value`` is None, NaN, NA or NaT (or not a finite number)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return bool(pd.isna(value))


def as_decimal(value: float | int) -> Decimal:
    """``value`` as the decimal a reader sees: ints exactly, floats by their shortest repr."""
    if isinstance(value, int) or (hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "iu"):
        return Decimal(int(value))
    return Decimal(str(float(value)))


def format_decimal(value: Decimal, decimals: int = 0) -> str:
    """A :class:`~decimal.Decimal` rounded half up to ``decimals`` and written in Norwegian format."""
    rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "−0,0"
    text = f"{abs(rounded):,.{decimals}f}".replace(",", GROUP_SEPARATOR).replace(".", ",")
    return MINUS + text if rounded < 0 else text


def plain_decimal(value: float | int, decimals: int = 0) -> str:
    """A number for machine-readable files (CSV): rounded half up like :func:`format_number`,
    ``.`` as decimal point, no grouping, never ``-0``."""
    rounded = as_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:.{decimals}f}"


def format_number(value: float | int | None, decimals: int = 0, missing: str = MISSING) -> str:
    """A number with Norwegian separators, rounded half up; missing values become ``missing``."""
    if is_missing(value):
        return missing
    return format_decimal(as_decimal(value), decimals)


def nok_integer(nok: float | int) -> int:
    """An amount in NOK as an int (a float amount is rounded half up to whole kroner first)."""
    value = as_decimal(nok)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def round_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half up (away from zero), in integer arithmetic."""
    if denominator <= 0:
        raise ValueError(f"denominator must be positive, got {denominator}")
    magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)
    return -magnitude if numerator < 0 else magnitude


def format_mill_kr(nok: int | float | None, decimals: int = 1, missing: str = MISSING) -> str:
    """Integer NOK in millions, rounded half up in integer arithmetic, without the unit.

    ``4_953_070_000 -> '4 953,1'``; ``format_mill_kr(15_125_000, 2) -> '15,13'``;
    ``-15_125_000 -> '−15,13'``; None or NaN -> ``'..'``.
    """
    if is_missing(nok):
        return missing
    if not 0 <= decimals <= 6:
        raise ValueError(f"decimals of mill. kr must be 0–6, got {decimals}")
    scaled = round_half_up(nok_integer(nok), 10 ** (6 - decimals))
    return format_decimal(Decimal(scaled).scaleb(-decimals), decimals)


def format_money(nok: int | float | None, decimals: int = MONEY_DECIMALS, missing: str = MISSING) -> str:
    """An amount for prose: ``'15,13 mill. kr'`` from 1 mill. kr up, else whole kroner ``'17 511 kr'``."""
    if is_missing(nok):
        return missing
    amount = nok_integer(nok)
    if abs(amount) >= MILLION:
        return f"{format_mill_kr(amount, decimals)} mill. kr"
    return f"{format_number(amount)} kr"


def format_kroner(nok: int | float | None, missing: str = MISSING) -> str:
    """Whole kroner without the unit: ``15_125_000 -> '15 125 000'``; None -> ``'..'``."""
    return missing if is_missing(nok) else format_number(nok_integer(nok))


def format_percent(share: float | None, decimals: int = 1, missing: str = MISSING) -> str:
    """A share in [0, 1] as a Norwegian percentage, rounded half up: ``0.634 -> '63,4 %'``."""
    if is_missing(share):
        return missing
    return f"{format_decimal(as_decimal(share) * 100, decimals)}\u00a0%"


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
