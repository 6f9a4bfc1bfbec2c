"""Tospråktesten and TAO (course in the interpreter's responsibilities), from the interpreter register.

One row per test taken. Key ``test_id``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import DataFrame, Series

from imdi_analysis.sources._base import (
    Date,
    SourceSpec,
    check_key_unique,
    date_field,
    id_field,
    load_year,
    meta_path_of,
    sex_field,
)

NAME = "bilingual_tests"
KEY = ("test_id",)
TEST_TYPES = ("tospraktesten", "tao")
RESULTS = ("bestatt", "ikke_bestatt")


class BilingualTests(pa.DataFrameModel):
    """One Tospråktesten or TAO taken."""

    test_id: Series[str] = id_field("Test id.")
    person_id: Series[str] = id_field("Pseudonymous person id (never published).")
    sex: Series[str] = sex_field()
    test_type: Series[str] = pa.Field(isin=TEST_TYPES, description="tospraktesten or tao.")
    language: Series[str] = id_field("Language name in Norwegian.")
    test_date: Series[Date] = date_field("Date of the test.")
    result: Series[str] = pa.Field(isin=RESULTS, description="bestatt or ikke_bestatt.")

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    @classmethod
    def key_is_unique(cls, df: pd.DataFrame) -> Series[bool]:
        return check_key_unique(df, KEY)


SPEC = SourceSpec(
    name=NAME,
    title_nb="Tospråktesten og TAO",
    description="Tospråktesten and TAO taken in the year, with language and result.",
    schema=BilingualTests,
    key=KEY,
    person_level=True,
    sensitive_columns=("test_id", "person_id", "test_date"),
    reference_date_column="test_date",
    meta_path=meta_path_of(__file__),
    check_columns={"key_is_unique": "test_id"},
)


def load(year: int, data_dir: Path | None = None) -> DataFrame[BilingualTests]:
    """Validated tests of the extract for ``year``."""
    return load_year(SPEC, year, data_dir)
