"""County governors' complaint cases under the Introduction Act and the Integration Act.

One row per complaint decided in the year. Key ``case_id``.
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
    check_not_before,
    code_field,
    county_field,
    date_field,
    id_field,
    load_year,
    meta_path_of,
    sex_field,
    standard_check_columns,
)

NAME = "complaints"
KEY = ("case_id",)
LAWS = ("introduksjonsloven", "integreringsloven")
REFERENCE_DATE_COLUMN = "decided_date"


class Complaints(pa.DataFrameModel):
    """One complaint decided by a county governor."""

    case_id: Series[str] = id_field("Case id.")
    county: Series[str] = county_field("County of the county governor.")
    law: Series[str] = pa.Field(isin=LAWS, description="introduksjonsloven or integreringsloven.")
    topic: Series[str] = code_field("complaint_topics", "Content of the complaint.")
    sex: Series[str] = sex_field()
    received_date: Series[Date] = date_field("Complaint received.")
    decided_date: Series[Date] = date_field("Complaint decided; not before received.")
    outcome: Series[str] = code_field("complaint_outcomes", "Outcome of the complaint.")

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    @classmethod
    def decided_not_before_received(cls, df: pd.DataFrame) -> Series[bool]:
        return check_not_before(df, "decided_date", "received_date")

    @pa.dataframe_check
    @classmethod
    def county_valid_on_reference_date(cls, df: pd.DataFrame) -> Series[bool]:
        return check_county_valid(df, "county", REFERENCE_DATE_COLUMN)

    @pa.dataframe_check
    @classmethod
    def key_is_unique(cls, df: pd.DataFrame) -> Series[bool]:
        return check_key_unique(df, KEY)


SPEC = SourceSpec(
    name=NAME,
    title_nb="Statsforvalterens klagebehandling",
    description="Complaints decided by the county governors under the Introduction and Integration Acts.",
    schema=Complaints,
    key=KEY,
    person_level=True,
    sensitive_columns=("case_id", "received_date", "decided_date"),
    reference_date_column=REFERENCE_DATE_COLUMN,
    meta_path=meta_path_of(__file__),
    check_columns=standard_check_columns(KEY, decided_not_before_received="decided_date"),
)


def load(year: int, data_dir: Path | None = None) -> DataFrame[Complaints]:
    """Validated complaint cases of the extract for ``year``."""
    return load_year(SPEC, year, data_dir)
