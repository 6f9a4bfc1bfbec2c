"""The National register of interpreters (Nasjonalt tolkeregister), snapshot at the extract date.

One row per interpreter and language. Key (``interpreter_id``, ``language``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import DataFrame, Series

from imdi_analysis.sources._base import (
    Date,
    SourceSpec,
    birth_year_field,
    check_age_plausible,
    check_given_when,
    check_key_unique,
    check_not_before,
    code_field,
    date_field,
    id_field,
    load_year,
    meta_path_of,
    sex_field,
    standard_check_columns,
)

NAME = "interpreters"
KEY = ("interpreter_id", "language")
REFERENCE_DATE_COLUMN = None


class Interpreters(pa.DataFrameModel):
    """One interpreter registered in one language."""

    interpreter_id: Series[str] = id_field("Pseudonymous interpreter id (never published).")
    sex: Series[str] = sex_field()
    birth_year: Series[int] = birth_year_field()
    language: Series[str] = id_field("Language name in Norwegian, e.g. arabisk.")
    category: Series[str] = code_field("interpreter_categories", "Qualification category A–E.")
    registered_date: Series[Date] = date_field("Entered in the register for the language.")
    deregistered_date: Series[Date] = date_field("Left the register; not before registered.", nullable=True)
    state_authorised: Series[pd.BooleanDtype] = pa.Field(
        description="Holds state authorisation in the language."
    )
    authorisation_date: Series[Date] = date_field(
        "Date authorisation was issued; required when state_authorised.", nullable=True
    )

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    @classmethod
    def deregistered_not_before_registered(cls, df: pd.DataFrame) -> Series[bool]:
        return check_not_before(df, "deregistered_date", "registered_date")

    @pa.dataframe_check
    @classmethod
    def authorisation_date_given_when_authorised(cls, df: pd.DataFrame) -> Series[bool]:
        authorised = (
            df["state_authorised"] if "state_authorised" in df.columns else pd.Series(False, index=df.index)
        )
        return check_given_when(df, "authorisation_date", authorised.eq(True))

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
    title_nb="Tolker i Nasjonalt tolkeregister",
    description="Interpreters and their languages in the National register of interpreters at the extract date.",
    schema=Interpreters,
    key=KEY,
    person_level=True,
    sensitive_columns=(
        "interpreter_id",
        "birth_year",
        "registered_date",
        "deregistered_date",
        "authorisation_date",
    ),
    reference_date_column=REFERENCE_DATE_COLUMN,
    meta_path=meta_path_of(__file__),
    check_columns=standard_check_columns(
        KEY,
        deregistered_not_before_registered="deregistered_date",
        authorisation_date_given_when_authorised="authorisation_date",
    ),
)


def load(year: int, data_dir: Path | None = None) -> DataFrame[Interpreters]:
    """Validated interpreter register snapshot of the extract for ``year``."""
    return load_year(SPEC, year, data_dir)
