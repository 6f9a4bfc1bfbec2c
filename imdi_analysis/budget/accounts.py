"""Monthly accounts per chapter and post: schema, loader and completeness checks.

One file per year, ``<accounts_dir>/<year>/accounts.csv``, one row per (month, chapter, post)
as exported from the accounting system (bevilgningsregnskapet):

``year, month, chapter, post, expenses_nok, income_nok``

The export may be plain CSV (``,``, decimal point) or the Norwegian dialect (``;``, decimal
comma, Windows-1252); :func:`imdi_analysis.tabular.read_table` reads both.

**Amounts are stored as integer NOK.** An amount with øre (``1234,50`` or ``1234.50``) is
rounded to whole kroner, half away from zero (``1234,50 -> 1235``, ``-0,50 -> -1``), row by row.
Over the twelve monthly rows of a post the rounding moves the post's total by at most 6 kr,
far below the precision the report shows (0,1 mill. kr). Spaces and no-break spaces group
thousands; a ``.`` is a thousands separator when the amount also has a decimal comma
(``1.234,50``) or more than one ``.`` (``1.234.567``); otherwise a single ``.`` is the decimal
point of a plain CSV. Amounts may be negative (reversals and refunds).

Provenance and column meanings: ``accounts.meta.yml`` beside this module.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from imdi_analysis import config
from imdi_analysis.budget._paths import ACCOUNTS_FILE, default_accounts_dir, is_synthetic, real_accounts_dir
from imdi_analysis.budget.synth_accounts import ensure_default_accounts
from imdi_analysis.errors import DataNotFoundError, DataValidationError
from imdi_analysis.letter.budget import BUDGET_POSTS_FILE, check_references
from imdi_analysis.tabular import REPORT_COLUMNS, format_report, load_validated

MONTHS = range(1, 13)
KEY = ["chapter", "post"]
WHOLE_KRONE = Decimal(1)
SPACES = (" ", "\u00a0", "\u202f")
MINUS_SIGNS = ("\u2212", "\u2013")


def parse_amount(value: object) -> object:
    """An amount as whole NOK (``int``), rounded half away from zero; unreadable values unchanged.

    ``"1 234,50" -> 1235``, ``"1.234,50" -> 1235``, ``"1234.49" -> 1234``, ``"-0,5" -> -1``,
    ``12.5 -> 13``. Anything that is not a number is returned as it is, so that the schema's
    coercion rejects it and the report names its row.
    """
    if isinstance(value, bool) or value is None or value is pd.NA:
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if pd.isna(value) else round_krone(Decimal(repr(value)))
    if not isinstance(value, str):
        return value
    text = normalise_amount_text(value)
    try:
        return round_krone(Decimal(text))
    except InvalidOperation:
        return value


def normalise_amount_text(text: str) -> str:
    """Remove grouping, and turn a decimal comma into a point: ``'1.234,50' -> '1234.50'``."""
    for space in SPACES:
        text = text.replace(space, "")
    for minus in MINUS_SIGNS:
        text = text.replace(minus, "-")
    if "," in text:
        return text.replace(".", "").replace(",", ".")
    if text.count(".") > 1:
        return text.replace(".", "")
    return text


def round_krone(amount: Decimal) -> int:
    """Round to whole kroner, half away from zero (``Decimal``'s ``ROUND_HALF_UP``)."""
    if not amount.is_finite():
        raise InvalidOperation
    return int(amount.quantize(WHOLE_KRONE, rounding=ROUND_HALF_UP))


class Accounts(pa.DataFrameModel):
    """One row per month, chapter and post of the accounts (bevilgningsregnskapet)."""

    year: Series[int] = pa.Field(ge=1990, le=2100, description="Budget year of the row.")
    month: Series[int] = pa.Field(ge=1, le=12, description="Month of the year, 1 = January.")
    chapter: Series[int] = pa.Field(ge=1, le=9999, description="Budget chapter (kapittel), e.g. 671.")
    post: Series[int] = pa.Field(ge=1, le=99, description="Post within the chapter (post 01 -> 1).")
    expenses_nok: Series[int] = pa.Field(
        description="Expenses booked on the post in the month, whole NOK (øre rounded half away "
        "from zero); negative for net reversals."
    )
    income_nok: Series[int] = pa.Field(
        description="Income booked against the post in the month (merinntekter count against "
        "posts 01 and 21), whole NOK; 0 when none."
    )

    class Config:
        strict = True
        coerce = True
        unique = ("year", "month", "chapter", "post")

    @pa.parser("expenses_nok", "income_nok")
    @classmethod
    def parse_amounts(cls, series: pd.Series) -> pd.Series:
        return series.map(parse_amount)


# --- locating ---------------------------------------------------------------------------------


def resolve_accounts_dir(accounts_dir: Path | str | None = None) -> tuple[Path, bool]:
    """Folder of accounts to use, and whether it holds synthetic data.

    An explicit ``accounts_dir`` wins (an empty string counts as not given, as in notebook
    parameters); otherwise real exports in ``data/raw/accounts`` if any year is there;
    otherwise the synthetic default in ``data/synthetic/accounts``, generated if missing.

    Raises
    ------
    DataNotFoundError
        When an explicit folder does not exist.
    """
    if accounts_dir not in (None, ""):
        path = Path(accounts_dir)
        if not path.is_dir():
            raise DataNotFoundError(
                f"Accounts folder {path} does not exist. Give a folder with one sub-folder per year "
                f"holding {ACCOUNTS_FILE}, or leave it out to use the default."
            )
        return path, is_synthetic(path)
    if config.years_in(real_accounts_dir()):
        return real_accounts_dir(), False
    return ensure_default_accounts(), True


def accounts_file(year: int, accounts_dir: Path) -> Path:
    """Path of the accounts of ``year`` in ``accounts_dir``.

    Raises
    ------
    DataNotFoundError
        When the file is missing; the message lists the years that do have accounts.
    """
    path = Path(accounts_dir) / str(year) / ACCOUNTS_FILE
    if path.is_file():
        return path
    existing = [
        y
        for y in config.years_in(Path(accounts_dir))
        if (Path(accounts_dir) / str(y) / ACCOUNTS_FILE).is_file()
    ]
    listed = ", ".join(map(str, existing)) if existing else "none"
    hint = (
        " Delete it to have the synthetic default regenerated."
        if Path(accounts_dir) == default_accounts_dir()
        else ""
    )
    raise DataNotFoundError(
        f"No accounts for {year}: {path} does not exist. Years with accounts in {accounts_dir}: {listed}. "
        f"Export the year's accounts per month, chapter and post to that file.{hint}"
    )


# --- loading and checks ------------------------------------------------------------------------


def load_accounts(year: int, accounts_dir: Path | str) -> pd.DataFrame:
    """The accounts of ``year``, validated against :class:`Accounts`, every row of that year.

    Raises
    ------
    DataNotFoundError
        When the file is missing.
    DataValidationError
        When the file fails the schema, or a row's ``year`` is not ``year``.
    """
    path = accounts_file(year, Path(accounts_dir))
    frame = load_validated(path, Accounts)
    check_year(frame, year, path)
    return frame


def check_year(frame: pd.DataFrame, year: int, path: Path) -> None:
    """Raise :class:`DataValidationError` naming every row whose ``year`` is not the file's year."""
    wrong = frame["year"] != year
    if not wrong.any():
        return
    rows = [i + 1 for i, bad in enumerate(wrong) if bad]
    report = failure_frame(path, "year", f"equals the folder's year {year}", rows, frame.loc[wrong, "year"])
    raise DataValidationError(
        f"{format_report(report)}\nThe file {path} is in the folder of {year}; move the rows to their own year's file.",
        report=report,
    )


def check_posts_in_letter(frame: pd.DataFrame, posts: pd.DataFrame, path: Path) -> None:
    """Raise :class:`DataValidationError` naming every row whose chapter/post is not a post of the letter."""
    check_references(frame, path, KEY, posts, BUDGET_POSTS_FILE)


def missing_months(frame: pd.DataFrame, last_month: int) -> list[int]:
    """Months 1..``last_month`` that have no row at all."""
    present = set(frame["month"].astype(int))
    return [m for m in range(1, last_month + 1) if m not in present]


def check_months_present(frame: pd.DataFrame, last_month: int, path: Path) -> None:
    """Raise :class:`DataValidationError` naming each month up to ``last_month`` without any row."""
    absent = missing_months(frame, last_month)
    if not absent:
        return
    report = failure_frame(path, "month", f"every month 1-{last_month} present", [None] * len(absent), absent)
    names = ", ".join(str(m) for m in absent)
    raise DataValidationError(
        f"{format_report(report)}\nThe accounts in {path} have no rows for month(s) {names} "
        f"of the {last_month} months up to the status date. Export the complete months, or choose an "
        "earlier as-of date.",
        report=report,
    )


def missing_post_months(frame: pd.DataFrame, posts: pd.DataFrame, last_month: int) -> pd.DataFrame:
    """(chapter, post, month) of letter posts with no row in a month up to ``last_month``.

    These are counted as zero, and the caller reports them (a post with no bookings in a month
    may simply be left out of an export).
    """
    grid = posts[KEY].drop_duplicates().merge(pd.DataFrame({"month": range(1, last_month + 1)}), how="cross")
    seen = frame.loc[frame["month"] <= last_month, [*KEY, "month"]].drop_duplicates()
    merged = grid.merge(seen, how="left", on=[*KEY, "month"], indicator=True)
    return merged.loc[merged["_merge"] == "left_only", [*KEY, "month"]].reset_index(drop=True)


def failure_frame(path: Path, column: str, check: str, rows: list, values) -> pd.DataFrame:
    """A validation report in the package's ``file, column, check, row, value`` form."""
    report = pd.DataFrame(
        {
            "file": str(path),
            "column": column,
            "check": check,
            "row": pd.array(rows, dtype="Int64"),
            "value": [str(v) for v in values],
        },
        columns=REPORT_COLUMNS,
    )
    return report


__all__ = [
    "Accounts",
    "accounts_file",
    "check_months_present",
    "check_posts_in_letter",
    "load_accounts",
    "missing_months",
    "missing_post_months",
    "parse_amount",
    "resolve_accounts_dir",
]
