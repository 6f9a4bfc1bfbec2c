"""The files follow the data contracts and pass the sources validator."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from imdi_analysis.errors import ConfigError
from imdi_analysis.sources.processing import validate_year
from imdi_analysis.sources.registry import SOURCES as SOURCE_SPECS
from imdi_analysis.synth import GENERATOR_VERSION, SOURCES, generate
from tests.synth.conftest import SEED, SMALL_SCALE, YEARS
from tests.synth.helpers import read


def test_generator_writes_every_source_the_package_knows() -> None:
    assert sorted(SOURCES) == sorted(SOURCE_SPECS)


@pytest.mark.parametrize("year", YEARS)
def test_every_year_validates_with_zero_errors(small_data: Path, year: int) -> None:
    result = validate_year(year, data_dir=small_data)
    assert result.ok, result.summary()
    assert result.synthetic


@pytest.mark.parametrize("source", sorted(SOURCE_SPECS))
def test_header_is_the_contract_columns_in_order(small_data: Path, source: str) -> None:
    header = (small_data / "2022" / f"{source}.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == SOURCE_SPECS[source].columns


def test_csv_files_are_plain_csv_without_comments_or_quotes(small_data: Path) -> None:
    for path in small_data.rglob("*.csv"):
        text = path.read_text(encoding="utf-8")
        assert not text.startswith("#"), path
        assert '"' not in text, path
        assert text.endswith("\n") and "\r" not in text, path


def test_folder_says_the_data_is_synthetic(small_data: Path) -> None:
    assert "SYNTHETIC" in (small_data / "SYNTHETIC").read_text(encoding="utf-8")
    readme = (small_data / "README.md").read_text(encoding="utf-8")
    assert "synthetic" in readme and f"seed: {SEED}" in readme
    meta = yaml.safe_load((small_data / "2021" / "synthetic.meta.yml").read_text(encoding="utf-8"))
    assert meta["synthetic"] is True
    assert (meta["seed"], meta["scale"], meta["generator_version"]) == (SEED, SMALL_SCALE, GENERATOR_VERSION)
    assert meta["covers"] == {"from": "2021-01-01", "to": "2021-12-31"}
    assert meta["files"]["settlement.csv"]["rows"] == len(read(small_data, 2021, "settlement"))


def test_scale_one_year_validates_with_realistic_volumes(tmp_path: Path) -> None:
    generate([2022], seed=SEED, scale=1.0, out_dir=tmp_path, progress=False)
    result = validate_year(2022, data_dir=tmp_path)
    assert result.ok, result.summary()
    settlement = result.frames["settlement"]
    settled = settlement["settlement_date"].notna()
    assert 30_000 <= settled.sum() <= 40_000
    assert (settlement.loc[settled, "nationality"] == "UKR").mean() > 0.75
    autumn = settled & (settlement["settlement_date"] >= "2022-09-01")
    wait_months = (settlement["settlement_date"] - settlement["permit_date"]).dt.days[autumn] / 30.44
    assert 1.0 <= wait_months.mean() <= 2.5
    assert (wait_months > 12).any()
    participants = result.frames["intro_participants"]
    assert participants["programme_start"].notna().sum() > 25_000
    assert 1_500 <= result.frames["interpreters"]["interpreter_id"].nunique() <= 2_600


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scale": 0}, "Scale must be above 0"),
        ({"scale": float("nan")}, "Scale must be above 0"),
        ({"seed": -1}, "Seed must be a non-negative"),
        ({"years": [1999]}, "Cannot generate [1999]"),
        ({"years": []}, "No years given"),
    ],
)
def test_invalid_arguments_raise_config_error(tmp_path: Path, kwargs: dict, message: str) -> None:
    arguments = {"years": [2022], "seed": SEED, "scale": SMALL_SCALE, "out_dir": tmp_path, "progress": False}
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        generate(**(arguments | kwargs))
