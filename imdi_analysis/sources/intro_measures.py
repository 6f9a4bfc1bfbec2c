"""Measures used in the introduction programme, from NIR.

One row per person, spell and measure used in the year. Key (``person_id``,
``programme_start``, ``measure``); ``programme_start`` links to ``intro_participants``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import DataFrame, Series

from imdi_analysis.sources._base import (
    Date,
    SourceSpec,
    check_key_unique,
    code_field,
    date_field,
    id_field,
    load_year,
    meta_path_of,
)

NAME = "intro_measures"
KEY = ("person_id", "programme_start", "measure")


class IntroMeasures(pa.DataFrameModel):
    """One measure used by one person in one programme spell."""

    person_id: Series[str] = id_field("Pseudonymous person id (never published).")
    programme_start: Series[Date] = date_field("Start of the spell; links to intro_participants.")
    measure: Series[str] = code_field("intro_measures", "Measure in the programme.")

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    @classmethod
    def key_is_unique(cls, df: pd.DataFrame) -> Series[bool]:
        return check_key_unique(df, KEY)


SPEC = SourceSpec(
    name=NAME,
    title_nb="Tiltak i introduksjonsprogrammet (NIR)",
    description="Measures used by introduction programme participants in the year, from NIR.",
    schema=IntroMeasures,
    key=KEY,
    person_level=True,
    sensitive_columns=("person_id", "programme_start"),
    reference_date_column=None,
    meta_path=meta_path_of(__file__),
    check_columns={"key_is_unique": "person_id"},
)


def load(year: int, data_dir: Path | None = None) -> DataFrame[IntroMeasures]:
    """Validated programme measures of the extract for ``year``."""
    return load_year(SPEC, year, data_dir)
