"""The catalog lists every source with the years available and loads validated frames."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from imdi_analysis import catalog
from imdi_analysis.errors import ConfigError
from imdi_analysis.sources import SOURCES

FIXTURE_DATA = Path(__file__).resolve().parent / "fixtures" / "sources"


def test_list_datasets_has_one_row_per_source_with_years():
    listing = catalog.list_datasets(FIXTURE_DATA)
    assert list(listing.columns) == ["name", "title", "description", "person_level", "key", "years"]
    assert listing["name"].tolist() == list(SOURCES)
    assert all(years == [2022] for years in listing["years"])
    assert not listing.set_index("name").loc["municipal_decisions", "person_level"]


def test_list_datasets_of_a_folder_without_data_has_no_years(tmp_path: Path):
    listing = catalog.list_datasets(tmp_path / "nothing-here")
    assert all(years == [] for years in listing["years"])


def test_load_returns_the_validated_frame():
    frame = catalog.load("interpreters", 2022, FIXTURE_DATA)
    assert pd.api.types.is_datetime64_any_dtype(frame["registered_date"])
    assert frame["state_authorised"].tolist() == [True, True, False, False]


def test_load_of_an_unknown_dataset_is_a_config_error():
    with pytest.raises(ConfigError):
        catalog.load("tolker", 2022, FIXTURE_DATA)
