"""County governors' supervision of municipalities under the Integration Act.

One row per supervision. Key ``case_id``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import DataFrame, Series

from imdi_analysis.sources._base import (
    Date,
    SourceSpec,
    check_county_valid,
    check_key_unique,
    check_municipality_in_county,
    county_field,
    date_field,
    id_field,
    load_year,
    meta_path_of,
    municipality_field,
    standard_check_columns,
)

NAME = "supervision"
KEY = ("case_id",)
REFERENCE_DATE_COLUMN = "supervision_date"


class Supervision(pa.DataFrameModel):
    """One supervision of one municipality."""

    case_id: Series[str] = id_field("Case id.")
    county: Series[str] = county_field()
    municipality: Series[str] = municipality_field()
    supervision_date: Series[Date] = date_field("Date of the supervision.")
    breaches: Series[int] = pa.Field(ge=0, description="Breaches of law found (lovbrudd).")

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    @classmethod
    def county_valid_on_reference_date(cls, df: pd.DataFrame) -> Series[bool]:
        return check_county_valid(df, "county", REFERENCE_DATE_COLUMN)

    @pa.dataframe_check
    @classmethod
    def municipality_in_county(cls, df: pd.DataFrame) -> Series[bool]:
        return check_municipality_in_county(df)

    @pa.dataframe_check
    @classmethod
    def key_is_unique(cls, df: pd.DataFrame) -> Series[bool]:
        return check_key_unique(df, KEY)


SPEC = SourceSpec(
    name=NAME,
    title_nb="Statsforvalterens tilsyn med integreringsloven",
    description="Supervisions of municipalities under the Integration Act and breaches found.",
    schema=Supervision,
    key=KEY,
    person_level=False,
    sensitive_columns=(),
    reference_date_column=REFERENCE_DATE_COLUMN,
    meta_path=meta_path_of(__file__),
    check_columns=standard_check_columns(KEY),
)


def load(year: int, data_dir: Path | None = None) -> DataFrame[Supervision]:
    """Validated supervisions of the extract for ``year``."""
    return load_year(SPEC, year, data_dir)
