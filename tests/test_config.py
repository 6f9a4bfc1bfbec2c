"""Run configuration is validated before any work starts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from imdi_analysis.config import RunConfig, parse_years, reference_date
from imdi_analysis.errors import ConfigError, DataNotFoundError


def make_years(root: Path, *years: int) -> Path:
    for year in years:
        (root / str(year)).mkdir(parents=True)
        (root / str(year) / "settlement.csv").write_text("x\n1\n")
    return root


def test_valid_config_has_reference_date_and_output_folder(tmp_path: Path):
    data = make_years(tmp_path / "reg", 2021, 2022)
    cfg = RunConfig.create(2022, "H1", data_dir=data, output_dir=tmp_path / "out")
    assert cfg.reference_date == dt.date(2022, 6, 30)
    assert cfg.out == tmp_path / "out" / "2022" / "H1"


def test_year_without_data_lists_the_years_that_exist(tmp_path: Path):
    data = make_years(tmp_path / "reg", 2020, 2021)
    with pytest.raises(DataNotFoundError, match=r"No data for 2030 .* Years that exist: 2020, 2021"):
        RunConfig.create(2030, data_dir=data)


@pytest.mark.parametrize("period", ["H2", "annual", ""])
def test_unknown_period_is_rejected(period: str, tmp_path: Path):
    with pytest.raises(ConfigError, match="Unknown period"):
        RunConfig.create(2022, period, data_dir=make_years(tmp_path / "r", 2022))


@pytest.mark.parametrize("year", [1800, "2022", True, 2022.0])
def test_ill_typed_or_implausible_year_is_rejected(year, tmp_path: Path):
    with pytest.raises(ConfigError):
        RunConfig.create(year, data_dir=make_years(tmp_path / "r", 2022))


def test_missing_data_folder_is_reported(tmp_path: Path):
    with pytest.raises(DataNotFoundError, match="does not exist"):
        RunConfig.create(2022, data_dir=tmp_path / "nowhere")


def test_reference_dates():
    assert reference_date(2022, "year") == dt.date(2022, 12, 31)
    assert reference_date(2022, "H1") == dt.date(2022, 6, 30)


def test_parse_years():
    assert parse_years("2020-2022") == [2020, 2021, 2022]
    assert parse_years("2019,2021") == [2019, 2021]
    with pytest.raises(ConfigError):
        parse_years("2022-2020")
    with pytest.raises(ConfigError):
        parse_years("twenty")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2020-999999999", "outside 1990–2100"),
        ("999999999999999999999", "outside 1990–2100"),
        ("1989", "outside 1990–2100"),
        ("2020-2101", "outside 1990–2100"),
        ("2020-x", "Cannot read years"),
        ("-2020", "Cannot read years"),
        ("", "No years given"),
    ],
)
def test_parse_years_checks_bounds_before_expanding_a_range(text: str, message: str):
    with pytest.raises(ConfigError, match=message):
        parse_years(text)


def test_parse_years_accepts_the_bounds_themselves():
    assert parse_years("1990") == [1990]
    assert parse_years("2099-2100, 2022") == [2022, 2099, 2100]
