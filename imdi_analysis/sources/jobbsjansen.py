"""Jobbsjansen participants, from the grant reporting of the projects.

One row per participant and project year. Key (``person_id``, ``start_date``).
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
    check_given_when,
    check_key_unique,
    check_not_before,
    county_field,
    date_field,
    id_field,
    is_set,
    load_year,
    meta_path_of,
    standard_check_columns,
)

NAME = "jobbsjansen"
KEY = ("person_id", "start_date")
OUTCOMES = ("arbeid", "utdanning", "arbeid_og_utdanning", "annet")
REFERENCE_DATE_COLUMN = None


class Jobbsjansen(PersonMixin):
    """One Jobbsjansen participant in one project year."""

    county: Series[str] = county_field()
    project_id: Series[str] = id_field("Project id.")
    start_date: Series[Date] = date_field("Start in the project.")
    end_date: Series[Date] = date_field("End; not before start.", nullable=True)
    outcome: Series[str] = pa.Field(
        isin=OUTCOMES, nullable=True, description="Outcome at completion; required when end_date is set."
    )

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    @classmethod
    def end_not_before_start(cls, df: pd.DataFrame) -> Series[bool]:
        return check_not_before(df, "end_date", "start_date")

    @pa.dataframe_check
    @classmethod
    def outcome_given_when_ended(cls, df: pd.DataFrame) -> Series[bool]:
        return check_given_when(df, "outcome", is_set(df, "end_date"))

    @pa.dataframe_check
    @classmethod
    def county_valid_on_reference_date(cls, df: pd.DataFrame) -> Series[bool]:
        return check_county_valid(df, "county", REFERENCE_DATE_COLUMN)

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
    title_nb="Deltakere i Jobbsjansen",
    description="Jobbsjansen participants per project year, with outcome at completion.",
    schema=Jobbsjansen,
    key=KEY,
    person_level=True,
    sensitive_columns=("person_id", "birth_year", "start_date", "end_date"),
    reference_date_column=REFERENCE_DATE_COLUMN,
    meta_path=meta_path_of(__file__),
    check_columns=standard_check_columns(
        KEY, end_not_before_start="end_date", outcome_given_when_ended="outcome"
    ),
)


def load(year: int, data_dir: Path | None = None) -> DataFrame[Jobbsjansen]:
    """Validated Jobbsjansen participants of the extract for ``year``."""
    return load_year(SPEC, year, data_dir)
