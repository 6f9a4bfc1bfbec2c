"""Loading a source by name and year: dialects, Parquet, missing files, time series, specs and metadata."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from imdi_analysis.errors import ConfigError, DataNotFoundError
from imdi_analysis.sources import SOURCES, get_spec, load_source, load_sources
from tests.sources.helpers import YEAR

META_KEYS = {
    "producer",
    "title",
    "description",
    "url",
    "date_obtained",
    "licence",
    "contact",
    "update_frequency",
    "columns",
}


def rewrite(data_dir: Path, name: str, text: str, encoding: str) -> None:
    (data_dir / str(YEAR) / f"{name}.csv").write_bytes(text.encode(encoding))


def test_cp1252_file_with_norwegian_letters_loads(data_dir: Path):
    text = "session_id,session_date,county,participants,theme\nF1,2022-02-15,03,85,Særskilt språkopplæring på Ørland\n"
    rewrite(data_dir, "adviser_sessions", text, "cp1252")
    frame = load_source("adviser_sessions", YEAR, data_dir)
    assert frame.loc[0, "theme"] == "Særskilt språkopplæring på Ørland"


def test_utf8_file_with_byte_order_mark_loads(data_dir: Path):
    text = "\ufeffsession_id,session_date,county,participants,theme\nF1,2022-02-15,03,85,Æ\n"
    rewrite(data_dir, "adviser_sessions", text, "utf-8")
    frame = load_source("adviser_sessions", YEAR, data_dir)
    assert frame.columns[0] == "session_id"


def test_semicolon_separator_with_decimal_comma_loads(data_dir: Path):
    text = (
        "person_id;sex;birth_year;county;municipality;right_code;target_group_date;norwegian_start;"
        "social_studies_start;norwegian_hours;social_studies_hours\n"
        "P1;K;1980;46;4601;plikt;2022-01-01;2022-02-01;;1 250,5;0,0\n"
    )
    rewrite(data_dir, "norwegian_training", text, "utf-8")
    frame = load_source("norwegian_training", YEAR, data_dir)
    assert frame.loc[0, "norwegian_hours"] == 1250.5


def test_decimal_comma_in_a_comma_separated_file_fails_naming_the_value(data_dir: Path):
    text = (
        "person_id,sex,birth_year,county,municipality,right_code,target_group_date,norwegian_start,"
        'social_studies_start,norwegian_hours,social_studies_hours\nP1,K,1980,46,4601,plikt,2022-01-01,,,"12,5",0\n'
    )
    rewrite(data_dir, "norwegian_training", text, "utf-8")
    with pytest.raises(Exception, match=r"norwegian_hours.*row 1: '12,5'"):
        load_source("norwegian_training", YEAR, data_dir)


def test_parquet_extract_loads_like_csv(data_dir: Path):
    frame = load_source("settlement", YEAR, data_dir)
    csv = data_dir / str(YEAR) / "settlement.csv"
    frame.to_parquet(csv.with_suffix(".parquet"), index=False)
    csv.unlink()
    pd.testing.assert_frame_equal(load_source("settlement", YEAR, data_dir), frame)


def test_missing_file_names_the_path_and_the_years_that_exist(data_dir: Path):
    (data_dir / str(YEAR) / "complaints.csv").unlink()
    with pytest.raises(DataNotFoundError) as info:
        load_source("complaints", YEAR, data_dir)
    assert str(data_dir / str(YEAR) / "complaints") in str(info.value)
    assert "2022" in str(info.value).split("exist")[-1]
    with pytest.raises(DataNotFoundError, match=r"Years that exist in .*: 2022"):
        load_source("settlement", 2020, data_dir)


def test_unknown_source_lists_the_known_ones():
    with pytest.raises(ConfigError, match="settlement"):
        get_spec("setlement")


def test_load_sources_stacks_years_with_a_year_column(data_dir: Path):
    (data_dir / "2021").mkdir()
    (data_dir / "2021" / "register_searches.csv").write_text("month,searches\n2021-12-01,100\n")
    frame = load_sources("register_searches", [2021, 2022], data_dir)
    assert list(frame.columns) == ["year", "month", "searches"]
    assert frame["year"].tolist() == [2021, 2022, 2022, 2022]
    assert frame["searches"].tolist()[0] == 100


def test_source_files_are_never_modified(data_dir: Path):
    path = data_dir / str(YEAR) / "settlement.csv"
    before = path.read_bytes(), path.stat().st_mtime_ns
    load_source("settlement", YEAR, data_dir)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


@pytest.mark.parametrize("name", list(SOURCES))
def test_spec_is_consistent_with_its_schema(name: str):
    spec = SOURCES[name]
    columns = set(spec.columns)
    assert set(spec.key) <= columns
    assert set(spec.sensitive_columns) <= columns
    assert spec.reference_date_column is None or spec.reference_date_column in columns
    assert set(spec.check_columns.values()) - {"birth_year", "county", "municipality"} <= columns
    if spec.person_level:
        assert spec.sensitive_columns, f"{name} is person level but declares no sensitive columns"
    for column in spec.schema.to_schema().columns.values():
        assert column.description, f"{name}.{column.name} has no description"


@pytest.mark.parametrize("name", list(SOURCES))
def test_meta_file_has_provenance_and_the_contract_columns(name: str):
    spec = SOURCES[name]
    meta = yaml.safe_load(spec.meta_path.read_text(encoding="utf-8"))
    assert set(meta) >= META_KEYS
    assert list(meta["columns"]) == spec.columns
    assert "never committed" in meta["licence"]
    assert meta["title"] == spec.title_nb
