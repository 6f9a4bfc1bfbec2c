"""Competence mapping and career guidance under the Integration Act, from NIR.

One row per person and activity. Key (``person_id``, ``activity``).
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
    county_field,
    date_field,
    load_year,
    meta_path_of,
    municipality_field,
    standard_check_columns,
)

NAME = "competence_mapping"
KEY = ("person_id", "activity")
CATEGORIES = ("bosatt_fra_mottak", "overforingsflyktning", "annen")
ACTIVITIES = ("kartlegging_p6", "kartlegging_p10", "karriereveiledning")
REFERENCE_DATE_COLUMN = "activity_date"


class CompetenceMapping(PersonMixin):
    """One completed competence mapping or career guidance activity."""

    county: Series[str] = county_field()
    municipality: Series[str] = municipality_field()
    category: Series[str] = pa.Field(
        isin=CATEGORIES, description="bosatt_fra_mottak, overforingsflyktning or annen."
    )
    activity: Series[str] = pa.Field(
        isin=ACTIVITIES,
        description="kartlegging_p6 (§ 6, in reception), kartlegging_p10 (§ 10, in the municipality), karriereveiledning.",
    )
    activity_date: Series[Date] = date_field("Date the activity was completed.")

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
    title_nb="Kompetansekartlegging og karriereveiledning (NIR)",
    description="Competence mapping (Integration Act §§ 6 and 10) and career guidance completed, from NIR.",
    schema=CompetenceMapping,
    key=KEY,
    person_level=True,
    sensitive_columns=("person_id", "birth_year", "activity_date"),
    reference_date_column=REFERENCE_DATE_COLUMN,
    meta_path=meta_path_of(__file__),
    check_columns=standard_check_columns(KEY),
)


def load(year: int, data_dir: Path | None = None) -> DataFrame[CompetenceMapping]:
    """Validated competence mapping activities of the extract for ``year``."""
    return load_year(SPEC, year, data_dir)
