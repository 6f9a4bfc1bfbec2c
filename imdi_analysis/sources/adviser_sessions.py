"""Competence sessions for introduction programme advisers (fagverksted).

One row per session. Key ``session_id``.
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
    county_field,
    date_field,
    id_field,
    load_year,
    meta_path_of,
    standard_check_columns,
)

NAME = "adviser_sessions"
KEY = ("session_id",)
REFERENCE_DATE_COLUMN = "session_date"


class AdviserSessions(pa.DataFrameModel):
    """One competence session."""

    session_id: Series[str] = id_field("Session id.")
    session_date: Series[Date] = date_field("Date of the session.")
    county: Series[str] = county_field("County where the session was held.")
    participants: Series[int] = pa.Field(ge=0, description="Number of participants.")
    theme: Series[str] = id_field("Theme of the session.")

    class Config:
        strict = True
        coerce = True

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
    title_nb="Samlinger for programrådgivere (fagverksted)",
    description="Competence sessions for programme advisers, with participants and theme.",
    schema=AdviserSessions,
    key=KEY,
    person_level=False,
    sensitive_columns=(),
    reference_date_column=REFERENCE_DATE_COLUMN,
    meta_path=meta_path_of(__file__),
    check_columns=standard_check_columns(KEY),
)


def load(year: int, data_dir: Path | None = None) -> DataFrame[AdviserSessions]:
    """Validated adviser sessions of the extract for ``year``."""
    return load_year(SPEC, year, data_dir)
