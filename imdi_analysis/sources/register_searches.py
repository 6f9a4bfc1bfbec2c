"""Searches in the National register of interpreters (aggregate, one row per month). Key ``month``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import DataFrame, Series

from imdi_analysis.sources._base import (
    Date,
    SourceSpec,
    all_rows,
    as_dates,
    check_key_unique,
    date_field,
    load_year,
    meta_path_of,
)

NAME = "register_searches"
KEY = ("month",)


class RegisterSearches(pa.DataFrameModel):
    """Number of searches in one month."""

    month: Series[Date] = date_field("First day of the month.")
    searches: Series[int] = pa.Field(ge=0, description="Number of searches.")

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    @classmethod
    def month_is_first_day(cls, df: pd.DataFrame) -> Series[bool]:
        if "month" not in df.columns:
            return all_rows(df)
        month = as_dates(df["month"])
        return month.isna() | (month.dt.day == 1)

    @pa.dataframe_check
    @classmethod
    def key_is_unique(cls, df: pd.DataFrame) -> Series[bool]:
        return check_key_unique(df, KEY)


SPEC = SourceSpec(
    name=NAME,
    title_nb="Søk i Nasjonalt tolkeregister",
    description="Monthly number of searches in the National register of interpreters.",
    schema=RegisterSearches,
    key=KEY,
    person_level=False,
    sensitive_columns=(),
    reference_date_column="month",
    meta_path=meta_path_of(__file__),
    check_columns={"month_is_first_day": "month", "key_is_unique": "month"},
    month_column="month",
)


def load(year: int, data_dir: Path | None = None) -> DataFrame[RegisterSearches]:
    """Validated monthly searches of the extract for ``year``."""
    return load_year(SPEC, year, data_dir)
