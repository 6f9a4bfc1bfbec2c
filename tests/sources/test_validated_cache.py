"""The store of validated extracts: same frames as validating, never hides a bad or changed file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from imdi_analysis.errors import DataValidationError
from imdi_analysis.sources import validated_cache
from imdi_analysis.sources._base import extract_date_of, find_source_file, read_source
from imdi_analysis.sources.processing import validate_year
from imdi_analysis.sources.registry import SOURCES, get_spec, load_source
from tests.sources.helpers import read_raw, write_raw

YEAR = 2022


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "store"
    monkeypatch.setenv(validated_cache.CACHE_ENV, str(folder))
    monkeypatch.delenv(validated_cache.SWITCH_ENV, raising=False)
    return folder


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.parquet")) if folder.is_dir() else []


@pytest.mark.parametrize("name", list(SOURCES))
def test_second_load_reads_the_store_and_equals_validation(name: str, data_dir: Path, store: Path) -> None:
    spec = get_spec(name)
    path = find_source_file(data_dir, YEAR, name)
    validated = read_source(path, spec, extract_date_of(YEAR))
    first = load_source(name, YEAR, data_dir)
    assert [p.name.split("-")[0] for p in entries(store)] == [name]
    second = load_source(name, YEAR, data_dir)
    pd.testing.assert_frame_equal(first, validated, check_exact=True)
    pd.testing.assert_frame_equal(second, validated, check_exact=True)


def test_a_stored_entry_is_what_is_read(data_dir: Path, store: Path) -> None:
    load_source("settlement", YEAR, data_dir)
    (entry,) = entries(store)
    marked = pd.read_parquet(entry).head(1)
    marked.to_parquet(entry, index=False)
    assert len(load_source("settlement", YEAR, data_dir)) == 1


def test_changed_raw_bytes_are_validated_again(data_dir: Path, store: Path) -> None:
    load_source("settlement", YEAR, data_dir)
    frame = read_raw(data_dir, "settlement")
    frame.loc[frame.index[0], "municipality"] = "9999"
    write_raw(frame, data_dir, "settlement")
    with pytest.raises(DataValidationError, match="municipality"):
        load_source("settlement", YEAR, data_dir)


def test_a_bad_extract_is_never_stored(data_dir: Path, store: Path) -> None:
    frame = read_raw(data_dir, "settlement")
    frame.loc[frame.index[0], "municipality"] = "9999"
    write_raw(frame, data_dir, "settlement")
    for _ in range(2):
        with pytest.raises(DataValidationError):
            load_source("settlement", YEAR, data_dir)
    assert entries(store) == []


def test_other_rules_miss_and_replace_the_old_entry(data_dir: Path, store: Path, monkeypatch) -> None:
    load_source("settlement", YEAR, data_dir)
    (old,) = entries(store)
    monkeypatch.setattr(validated_cache, "rules_fingerprint", lambda: "another code version")
    load_source("settlement", YEAR, data_dir)
    (new,) = entries(store)
    assert new != old


def test_switched_off_store_is_not_written(data_dir: Path, store: Path, monkeypatch) -> None:
    monkeypatch.setenv(validated_cache.SWITCH_ENV, "0")
    load_source("settlement", YEAR, data_dir)
    assert entries(store) == []


def test_damaged_entry_is_ignored_and_replaced(data_dir: Path, store: Path) -> None:
    expected = load_source("settlement", YEAR, data_dir)
    (entry,) = entries(store)
    entry.write_bytes(b"not parquet")
    with pytest.warns(UserWarning, match="unreadable"):
        again = load_source("settlement", YEAR, data_dir)
    pd.testing.assert_frame_equal(again, expected)


def test_validation_of_a_year_fills_the_store(data_dir: Path, store: Path) -> None:
    result = validate_year(YEAR, data_dir, keep_frames=False)
    assert result.ok
    assert len(entries(store)) == len(SOURCES)


def test_unwritable_store_only_warns(data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(validated_cache.CACHE_ENV, str(blocker / "store"))
    with pytest.warns(UserWarning, match="Could not keep"):
        frame = load_source("settlement", YEAR, data_dir)
    assert len(frame) > 0


def test_raw_files_are_only_read(data_dir: Path, store: Path) -> None:
    before = {p: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}
    for name in SOURCES:
        load_source(name, YEAR, data_dir)
        load_source(name, YEAR, data_dir)
    assert {p: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()} == before


def test_cache_cli_info_and_clear(data_dir: Path, store: Path) -> None:
    from click.testing import CliRunner

    from imdi_analysis.cli import cli

    load_source("settlement", YEAR, data_dir)
    runner = CliRunner()
    shown = runner.invoke(cli, ["cache", "info"])
    assert shown.exit_code == 0 and "1 entries" in shown.output
    cleared = runner.invoke(cli, ["cache", "clear"])
    assert cleared.exit_code == 0 and "Removed 1 entries" in cleared.output
    assert entries(store) == []
