"""Cases reported by minority advisers and integration advisers.

One row per case. Key ``case_id``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import DataFrame, Series

from imdi_analysis.sources._base import (
    MAX_AGE,
    MIN_AGE,
    Date,
    SourceSpec,
    check_key_unique,
    code_field,
    date_field,
    id_field,
    load_year,
    meta_path_of,
    sex_field,
)

NAME = "minority_adviser_cases"
KEY = ("case_id",)
ADVISER_TYPES = ("minoritetsradgiver", "integreringsradgiver")
CASE_CATEGORIES = (
    "negativ_sosial_kontroll",
    "tvangsekteskap",
    "aeresrelatert_vold",
    "kjonnslemlestelse",
    "etterlatt_i_utlandet",
    "annet",
)


class MinorityAdviserCases(pa.DataFrameModel):
    """One case reported by an adviser."""

    case_id: Series[str] = id_field("Case id.")
    adviser_type: Series[str] = pa.Field(
        isin=ADVISER_TYPES, description="minoritetsradgiver or integreringsradgiver."
    )
    report_date: Series[Date] = date_field("Date the case was reported.")
    case_category: Series[str] = pa.Field(isin=CASE_CATEGORIES, description="Case category.")
    sex: Series[str] = sex_field()
    age: Series[int] = pa.Field(
        ge=MIN_AGE, le=MAX_AGE, description="Age of the person the case concerns (0–100)."
    )
    country_background: Series[str] = code_field("regions", "Region of country background.")

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    @classmethod
    def key_is_unique(cls, df: pd.DataFrame) -> Series[bool]:
        return check_key_unique(df, KEY)


SPEC = SourceSpec(
    name=NAME,
    title_nb="Saker rapportert av minoritets- og integreringsrådgivere",
    description="Cases reported by minority and integration advisers, by category, sex, age and background.",
    schema=MinorityAdviserCases,
    key=KEY,
    person_level=True,
    sensitive_columns=("case_id", "report_date"),
    reference_date_column="report_date",
    meta_path=meta_path_of(__file__),
    check_columns={"key_is_unique": "case_id"},
)


def load(year: int, data_dir: Path | None = None) -> DataFrame[MinorityAdviserCases]:
    """Validated adviser cases of the extract for ``year``."""
    return load_year(SPEC, year, data_dir)
