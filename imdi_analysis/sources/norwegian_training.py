"""Norwegian and social studies training for persons with right or duty, from NIR.

One row per person in the target group for training. Key ``person_id``.
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
    check_county_valid,
    check_key_unique,
    check_municipality_in_county,
    code_field,
    county_field,
    date_field,
    load_year,
    meta_path_of,
    municipality_field,
    standard_check_columns,
)

NAME = "norwegian_training"
KEY = ("person_id",)
REFERENCE_DATE_COLUMN = None


class NorwegianTraining(PersonMixin):
    """One person in the target group for Norwegian and social studies training."""

    county: Series[str] = county_field()
    municipality: Series[str] = municipality_field()
    right_code: Series[str] = code_field("training_right_codes", "Right/duty to training.")
    target_group_date: Series[Date] = date_field("Date the person came into the target group.")
    norwegian_start: Series[Date] = date_field("First day of Norwegian training.", nullable=True)
    social_studies_start: Series[Date] = date_field("First day of social studies.", nullable=True)
    norwegian_hours: Series[float] = pa.Field(ge=0, description="Hours of Norwegian completed.")
    social_studies_hours: Series[float] = pa.Field(ge=0, description="Hours of social studies completed.")

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
    def age_plausible_on_reference_date(cls, df: pd.DataFrame) -> Series[bool]:
        return check_age_plausible(df, REFERENCE_DATE_COLUMN)

    @pa.dataframe_check
    @classmethod
    def key_is_unique(cls, df: pd.DataFrame) -> Series[bool]:
        return check_key_unique(df, KEY)


SPEC = SourceSpec(
    name=NAME,
    title_nb="Opplæring i norsk og samfunnskunnskap (NIR)",
    description="Persons with right or duty to Norwegian and social studies training and their hours, from NIR.",
    schema=NorwegianTraining,
    key=KEY,
    person_level=True,
    sensitive_columns=(
        "person_id",
        "birth_year",
        "target_group_date",
        "norwegian_start",
        "social_studies_start",
    ),
    reference_date_column=REFERENCE_DATE_COLUMN,
    meta_path=meta_path_of(__file__),
    check_columns=standard_check_columns(KEY),
)


def load(year: int, data_dir: Path | None = None) -> DataFrame[NorwegianTraining]:
    """Validated training records of the extract for ``year``."""
    return load_year(SPEC, year, data_dir)
