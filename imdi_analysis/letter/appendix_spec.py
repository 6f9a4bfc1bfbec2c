"""The statistics appendix the letter asks for (Vedlegg 3 "Statistikkrapportering").

``data/raw/letter/<year>/appendix_tables.csv`` has one row per table and sub-table, with the
letter's numbering kept: ``table`` is the number as printed (numbers may repeat or be
skipped), ``subtable`` the printed letter (A/B), and ``table_key`` a unique key built as the
number followed by the sub-table letter (``1A``, ``11B``) or, where the letter prints the same
number twice, the number followed by ``-1``/``-2`` in order of appearance (``5-1``, ``5-2``).
``half_year`` and ``annual`` are the x marks under "Halvårlig" (status 30 June) and "Årlig"
(status 31 December).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from imdi_analysis.config import check_period
from imdi_analysis.letter._files import load_letter_table
from imdi_analysis.letter.goals import SOURCE_LINES_PATTERN

APPENDIX_FILE = "appendix_tables.csv"
TRUE_TEXT = frozenset({"true", "1", "ja"})  # the spellings of docs/data_contracts.md
FALSE_TEXT = frozenset({"false", "0", "nei"})
BREAKDOWNS = frozenset(
    {
        "activity",
        "adviser_type",
        "age_group",
        "case_category",
        "category",
        "complaint_topic",
        "country_background",
        "county",
        "end_reason",
        "host_municipality",
        "household_type",
        "language",
        "law",
        "measure",
        "nationality",
        "outcome",
        "qualification_category",
        "right_code",
        "settled_by",
        "self_settled",
        "settlement_status",
        "sex",
        "test_type",
        "training_start_time",
        "waiting_time",
    }
)
MEASURES = frozenset({"count", "percent", "share", "mean_months"})
TABLE_KEY_PATTERN = r"^[1-9]\d*([A-Z]|-[1-9])?$"
PERIOD_COLUMNS = {"H1": "half_year", "year": "annual"}


def parse_booleans(values: pd.Series) -> pd.Series:
    """Turn ``true``/``false`` text (also ``1``/``0``, ``ja``/``nei``) into booleans.

    Other text is left as it is, so that the schema's coercion to ``boolean`` fails on it and
    the error names the row and the value.
    """
    if values.dtype == bool or str(values.dtype) == "boolean":
        return values
    text = values.astype("string").str.strip().str.lower()
    out = values.astype(object).copy()
    out[text.isin(TRUE_TEXT).fillna(False).astype(bool)] = True
    out[text.isin(FALSE_TEXT).fillna(False).astype(bool)] = False
    return out


def tokens_in(values: pd.Series, allowed: frozenset[str]) -> pd.Series:
    """Whether every ``;``-separated token of each non-empty value is in ``allowed``."""
    return values.map(lambda v: pd.isna(v) or all(t in allowed for t in str(v).split(";")))


class AppendixTableSchema(pa.DataFrameModel):
    """One table (or sub-table) of the statistics appendix and the reports it is due in."""

    table_key: Series[str] = pa.Field(
        unique=True,
        str_matches=TABLE_KEY_PATTERN,
        description="Unique key: number + sub-table letter ('1A'), or number + '-1'/'-2' for a number printed twice.",
    )
    table: Series[int] = pa.Field(ge=1, description="Table number as printed in the letter.")
    subtable: Series[str] = pa.Field(
        nullable=True, isin=["A", "B"], description="Sub-table letter as printed."
    )
    title_nb: Series[str] = pa.Field(
        str_length={"min_value": 1},
        description="Full Norwegian title verbatim, joined across lines, without the preliminary-figures note.",
    )
    half_year: Series[pd.BooleanDtype] = pa.Field(
        description="x under 'Halvårlig': due in the half-year report."
    )
    annual: Series[pd.BooleanDtype] = pa.Field(description="x under 'Årlig': due in the annual report.")
    breakdowns: Series[str] = pa.Field(
        nullable=True, description="';'-separated breakdowns named in the title (snake_case English)."
    )
    measures: Series[str] = pa.Field(
        description="';'-separated measures: count, percent, share, mean_months."
    )
    time_series: Series[pd.BooleanDtype] = pa.Field(
        description="The title asks for a time series ('Tidsserie')."
    )
    preliminary: Series[str] = pa.Field(
        nullable=True, description="The '(Foreløpige tall …)' note without parentheses; empty when none."
    )
    source_lines: Series[str] = pa.Field(
        str_matches=SOURCE_LINES_PATTERN, description="Lines of the letter's text file."
    )
    notes: Series[str] = pa.Field(
        nullable=True, description="How an ambiguous layout was read, misprints, gaps."
    )

    @pa.parser("half_year", "annual", "time_series")
    @classmethod
    def read_flags(cls, values: pd.Series) -> pd.Series:
        return parse_booleans(values)

    @pa.check("breakdowns", name="breakdowns_are_known")
    @classmethod
    def breakdowns_are_known(cls, values: Series[str]) -> Series[bool]:
        return tokens_in(values, BREAKDOWNS)

    @pa.check("measures", name="measures_are_known")
    @classmethod
    def measures_are_known(cls, values: Series[str]) -> Series[bool]:
        return tokens_in(values, MEASURES)

    @pa.dataframe_check
    @classmethod
    def every_table_is_due_in_some_report(cls, df: pd.DataFrame) -> Series[bool]:
        return df["half_year"] | df["annual"]

    @pa.dataframe_check
    @classmethod
    def key_starts_with_table_number(cls, df: pd.DataFrame) -> Series[bool]:
        number = df["table_key"].str.extract(r"^(\d+)", expand=False).astype(int)
        return number == df["table"]

    @pa.dataframe_check
    @classmethod
    def subtable_letter_ends_key(cls, df: pd.DataFrame) -> Series[bool]:
        letter = df["table_key"].str.extract(r"([A-Z])$", expand=False)
        return letter.fillna("") == df["subtable"].fillna("")

    @pa.dataframe_check
    @classmethod
    def subtables_share_their_number_flags(cls, df: pd.DataFrame) -> Series[bool]:
        with_sub = df["subtable"].notna()
        flags = df.groupby("table")[["half_year", "annual"]].transform("nunique")
        return ~with_sub | ((flags["half_year"] == 1) & (flags["annual"] == 1))

    class Config:
        strict = True
        coerce = True


def load_appendix_spec(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """The statistics appendix specification for ``year``, in the letter's order."""
    return load_letter_table(year, APPENDIX_FILE, AppendixTableSchema, root)


def tables_due(year: int, period: str, root: Path | str | None = None) -> pd.DataFrame:
    """Appendix tables due in the ``H1`` (half-year) or ``year`` (annual) report."""
    spec = load_appendix_spec(year, root)
    return spec[spec[PERIOD_COLUMNS[check_period(period)]]].reset_index(drop=True)


def numbering_anomalies(spec: pd.DataFrame) -> list[str]:
    """Gaps and repeats in the letter's table numbers, as sentences for a report.

    Sub-tables (A/B) of one number are not repeats; two rows with the same number and no
    sub-table letter are.
    """
    if spec.empty:
        return []
    numbers = sorted(spec["table"].unique())
    messages = [
        f"Table {n} does not appear in the letter." for n in range(1, numbers[-1] + 1) if n not in numbers
    ]
    whole = spec[spec["subtable"].isna()]
    for number, count in whole["table"].value_counts().sort_index().items():
        if count > 1:
            keys = ", ".join(whole.loc[whole["table"] == number, "table_key"])
            messages.append(f"Table {number} is printed {count} times (keys {keys}).")
    return messages


__all__ = [
    "BREAKDOWNS",
    "MEASURES",
    "AppendixTableSchema",
    "load_appendix_spec",
    "numbering_anomalies",
    "parse_booleans",
    "tables_due",
]
