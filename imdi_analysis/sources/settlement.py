"""Persons ready for settlement, waiting or settled, from IMDi's settlement register.

One row per person ready for settlement in the year (waiting at year end or settled in the
year) and per person still waiting from earlier years. Key ``person_id``.
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

NAME = "settlement"
KEY = ("person_id",)
SETTLED_BY = ("IMDi", "Bufetat")
CULTURE_ORIENTATION = ("mottatt", "annen_informasjon", "ingen")
RESETTLEMENT_CATEGORY = "overforingsflyktning"
REFERENCE_DATE_COLUMN = "settlement_date"


class Settlement(PersonMixin):
    """One person ready for settlement: waiting or settled."""

    nationality: Series[str] = code_field("nationalities", "Citizenship, ISO 3166 alpha-3; XXX stateless.")
    category: Series[str] = code_field("settlement_categories", "Person category.")
    household_type: Series[str] = code_field("household_types", "Household type.")
    settled_by: Series[str] = pa.Field(
        isin=SETTLED_BY, description="IMDi or Bufetat (Bufetat settles unaccompanied minors under 15)."
    )
    permit_date: Series[Date] = date_field("Residence permit (oppholdsvedtak).")
    ready_date: Series[Date] = date_field("Ready for settlement (bosettingsklar); not before permit_date.")
    settlement_date: Series[Date] = date_field(
        "Settlement; empty = still waiting at the extract date.", nullable=True
    )
    county: Series[str] = county_field("County settled in; required when settled.", nullable=True)
    municipality: Series[str] = municipality_field(
        "Municipality settled in; required when settled.", nullable=True
    )
    self_settled: Series[pd.BooleanDtype] = pa.Field(
        description="Settled by own arrangement after agreement."
    )
    limited_permit_identity: Series[pd.BooleanDtype] = pa.Field(
        description="Limited permit pending documented identity."
    )
    culture_orientation: Series[str] = pa.Field(
        isin=CULTURE_ORIENTATION,
        nullable=True,
        description="Resettlement refugees only: mottatt, annen_informasjon or ingen.",
    )

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    @classmethod
    def ready_not_before_permit(cls, df: pd.DataFrame) -> Series[bool]:
        return check_not_before(df, "ready_date", "permit_date")

    @pa.dataframe_check
    @classmethod
    def settlement_not_before_permit(cls, df: pd.DataFrame) -> Series[bool]:
        return check_not_before(df, "settlement_date", "permit_date")

    @pa.dataframe_check
    @classmethod
    def county_given_when_settled(cls, df: pd.DataFrame) -> Series[bool]:
        return check_given_when(df, "county", is_set(df, "settlement_date"))

    @pa.dataframe_check
    @classmethod
    def municipality_given_when_settled(cls, df: pd.DataFrame) -> Series[bool]:
        return check_given_when(df, "municipality", is_set(df, "settlement_date"))

    @pa.dataframe_check
    @classmethod
    def culture_orientation_only_for_resettlement_refugees(cls, df: pd.DataFrame) -> Series[bool]:
        if "category" not in df.columns:
            return pd.Series(True, index=df.index)
        return ~is_set(df, "culture_orientation") | (df["category"] == RESETTLEMENT_CATEGORY)

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
        return check_age_plausible(df, "ready_date")

    @pa.dataframe_check
    @classmethod
    def key_is_unique(cls, df: pd.DataFrame) -> Series[bool]:
        return check_key_unique(df, KEY)


SPEC = SourceSpec(
    name=NAME,
    title_nb="Bosettingsklare og bosatte flyktninger (IMDi)",
    description="Persons ready for settlement: waiting at the extract date or settled in the year, from IMDi.",
    schema=Settlement,
    key=KEY,
    person_level=True,
    sensitive_columns=("person_id", "birth_year", "permit_date", "ready_date", "settlement_date"),
    reference_date_column=REFERENCE_DATE_COLUMN,
    meta_path=meta_path_of(__file__),
    check_columns=standard_check_columns(
        KEY,
        ready_not_before_permit="ready_date",
        settlement_not_before_permit="settlement_date",
        county_given_when_settled="county",
        municipality_given_when_settled="municipality",
        culture_orientation_only_for_resettlement_refugees="culture_orientation",
    ),
)


def load(year: int, data_dir: Path | None = None) -> DataFrame[Settlement]:
    """Validated settlement records of the extract for ``year``."""
    return load_year(SPEC, year, data_dir)
