"""Introduction programme spells from the national introduction register (NIR).

One row per programme spell; a person who left and re-entered has two rows. Covers every
spell active at any time in the year and persons in the target group during the year who have
not started (then ``programme_start`` is empty). Key (``person_id``, ``programme_start``).
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
    check_municipality_in_county,
    check_not_before,
    code_field,
    county_field,
    date_field,
    is_set,
    load_year,
    meta_path_of,
    municipality_field,
    standard_check_columns,
)

NAME = "intro_participants"
KEY = ("person_id", "programme_start")
STATUS_AT_EXIT = ("arbeid", "utdanning", "arbeid_og_utdanning", "annet", "ukjent")
REFERENCE_DATE_COLUMN = None


class IntroParticipants(PersonMixin):
    """One introduction programme spell (or a person in the target group not yet started)."""

    county: Series[str] = county_field()
    municipality: Series[str] = municipality_field("Municipality responsible for the programme (4 digits).")
    right_code: Series[str] = code_field("intro_right_codes", "Right/duty to the programme.")
    target_group_date: Series[Date] = date_field("Date the person entered the target group.")
    programme_start: Series[Date] = date_field("Start of the spell; empty = not started.", nullable=True)
    programme_end: Series[Date] = date_field("End of the spell; empty = still in programme.", nullable=True)
    end_reason: Series[str] = code_field(
        "intro_end_reasons", "Reason for leaving; required when programme_end is set.", nullable=True
    )
    status_at_exit: Series[str] = pa.Field(
        isin=STATUS_AT_EXIT, nullable=True, description="Direct status when leaving; required when ended."
    )
    formal_qualification: Series[pd.BooleanDtype] = pa.Field(
        description="Gained a formal qualification within the programme."
    )

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    @classmethod
    def programme_end_not_before_start(cls, df: pd.DataFrame) -> Series[bool]:
        return check_not_before(df, "programme_end", "programme_start")

    @pa.dataframe_check
    @classmethod
    def programme_start_given_when_ended(cls, df: pd.DataFrame) -> Series[bool]:
        return check_given_when(df, "programme_start", is_set(df, "programme_end"))

    @pa.dataframe_check
    @classmethod
    def end_reason_given_when_ended(cls, df: pd.DataFrame) -> Series[bool]:
        return check_given_when(df, "end_reason", is_set(df, "programme_end"))

    @pa.dataframe_check
    @classmethod
    def status_at_exit_given_when_ended(cls, df: pd.DataFrame) -> Series[bool]:
        return check_given_when(df, "status_at_exit", is_set(df, "programme_end"))

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
    title_nb="Deltakere i introduksjonsprogrammet (NIR)",
    description="Introduction programme spells and persons in the target group, from NIR.",
    schema=IntroParticipants,
    key=KEY,
    person_level=True,
    sensitive_columns=("person_id", "birth_year", "target_group_date", "programme_start", "programme_end"),
    reference_date_column=REFERENCE_DATE_COLUMN,
    meta_path=meta_path_of(__file__),
    check_columns=standard_check_columns(
        KEY,
        programme_end_not_before_start="programme_end",
        programme_start_given_when_ended="programme_start",
        end_reason_given_when_ended="end_reason",
        status_at_exit_given_when_ended="status_at_exit",
    ),
)


def load(year: int, data_dir: Path | None = None) -> DataFrame[IntroParticipants]:
    """Validated introduction programme spells of the extract for ``year``."""
    return load_year(SPEC, year, data_dir)
