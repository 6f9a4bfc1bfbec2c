"""IMDi's requests to municipalities and the municipalities' settlement decisions.

One row per municipality asked or deciding in the year. Key ``municipality``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import DataFrame, Series

from imdi_analysis.sources._base import (
    SourceSpec,
    check_county_valid,
    check_key_unique,
    check_municipality_in_county,
    county_field,
    load_year,
    meta_path_of,
    municipality_field,
    standard_check_columns,
)

NAME = "municipal_decisions"
KEY = ("municipality",)


class MunicipalDecisions(pa.DataFrameModel):
    """One municipality's request and decision."""

    county: Series[str] = county_field()
    municipality: Series[str] = municipality_field()
    requested: Series[int] = pa.Field(
        ge=0, description="Places IMDi asked the municipality to settle (anmodning)."
    )
    decided: Series[int] = pa.Field(
        ge=0, description="Places the municipality decided to settle (vedtaksplasser)."
    )

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    @classmethod
    def county_valid_on_reference_date(cls, df: pd.DataFrame) -> Series[bool]:
        return check_county_valid(df, "county", None)

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
    title_nb="Anmodninger og kommunale vedtak om bosetting (IMDi)",
    description="Places IMDi asked each municipality to settle and the places the municipality decided.",
    schema=MunicipalDecisions,
    key=KEY,
    person_level=False,
    sensitive_columns=(),
    reference_date_column=None,
    meta_path=meta_path_of(__file__),
    check_columns=standard_check_columns(KEY),
)


def load(year: int, data_dir: Path | None = None) -> DataFrame[MunicipalDecisions]:
    """Validated municipal requests and decisions of the extract for ``year``."""
    return load_year(SPEC, year, data_dir)
