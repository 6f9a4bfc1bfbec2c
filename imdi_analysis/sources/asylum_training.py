"""Asylum seekers in reception centres and their Norwegian and social studies training, from NIR.

One row per asylum seeker living in a reception centre in the year or the year before. Key
``person_id``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import DataFrame, Series

from imdi_analysis.sources._base import (
    Date,
    PersonMixin,
    SourceSpec,
    check_age_plausible,
    check_key_unique,
    check_municipality_county_valid,
    date_field,
    load_year,
    meta_path_of,
    municipality_field,
    standard_check_columns,
)

NAME = "asylum_training"
KEY = ("person_id",)
REFERENCE_DATE_COLUMN = None


class AsylumTraining(PersonMixin):
    """One asylum seeker in a reception centre."""

    host_municipality: Series[str] = municipality_field(
        "Host municipality of the reception centre (vertskommune)."
    )
    arrival_date: Series[Date] = date_field("Arrival at the reception centre.")
    norwegian_start: Series[Date] = date_field(
        "Start of Norwegian training for asylum seekers.", nullable=True
    )
    norwegian_hours: Series[float] = pa.Field(
        ge=0, description="Hours of Norwegian completed (the scheme has 175)."
    )
    social_studies_start: Series[Date] = date_field("Start of social studies.", nullable=True)
    social_studies_completed: Series[pd.BooleanDtype] = pa.Field(description="Completed social studies.")

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    @classmethod
    def host_municipality_valid_on_reference_date(cls, df: pd.DataFrame) -> Series[bool]:
        return check_municipality_county_valid(df, "host_municipality", REFERENCE_DATE_COLUMN)

    @pa.dataframe_check
    @classmethod
    def age_plausible_on_reference_date(cls, df: pd.DataFrame) -> Series[bool]:
        return check_age_plausible(df, REFERENCE_DATE_COLUMN)

    @pa.dataframe_check
    @classmethod
    def key_is_unique(cls, df: pd.DataFrame) -> Series[bool]:
        return check_key_unique(df, KEY)


SPEC = SourceSpec(
    name=NAME,
    title_nb="Opplæring for asylsøkere i mottak (NIR)",
    description="Asylum seekers in reception centres and their Norwegian and social studies training, from NIR.",
    schema=AsylumTraining,
    key=KEY,
    person_level=True,
    sensitive_columns=("person_id", "birth_year", "arrival_date", "norwegian_start", "social_studies_start"),
    reference_date_column=REFERENCE_DATE_COLUMN,
    meta_path=meta_path_of(__file__),
    check_columns=standard_check_columns(KEY, host_municipality_valid_on_reference_date="host_municipality"),
)


def load(year: int, data_dir: Path | None = None) -> DataFrame[AsylumTraining]:
    """Validated asylum-seeker training records of the extract for ``year``."""
    return load_year(SPEC, year, data_dir)
