"""The whole appendix: every table in the letter has a builder and builds, outputs are
reproducible byte for byte, and a failure leaves the previous outputs in place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from imdi_analysis.appendix import BUILDERS
from imdi_analysis.appendix import build as build_module
from imdi_analysis.appendix.build import (
    appendix_dir,
    appendix_download_paths,
    build_appendix,
    check_builders,
    check_jobs,
    preliminary_note,
    workbook_name,
)
from imdi_analysis.cli import cli
from imdi_analysis.errors import ConfigError, PipelineError
from imdi_analysis.letter.appendix_spec import load_appendix_spec, tables_due
from tests.appendix.test_registry import FIXTURES

YEAR = 2022


def make_registers(root: Path) -> Path:
    """A register folder with one year (2022) holding every fixture extract of that year."""
    folder = root / "registers" / str(YEAR)
    folder.mkdir(parents=True)
    for path in FIXTURES.glob(f"*_{YEAR}.csv"):
        shutil.copy(path, folder / f"{path.stem.removesuffix(f'_{YEAR}')}.csv")
    (root / "registers" / "SYNTHETIC").write_text("Test fixtures.\n")
    return root / "registers"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    """Both reports built once from the fixtures: {period: (tables, output_dir, data_dir)}."""
    root = tmp_path_factory.mktemp("appendix")
    registers = make_registers(root)
    out = root / "processed"
    # the annual report in one process; the CLI test rebuilds it in two and compares the bytes
    jobs = {"H1": None, "year": 1}
    return {
        period: (build_appendix(YEAR, period, registers, output_dir=out, jobs=jobs[period]), out, registers)
        for period in ("H1", "year")
    }


def test_every_table_in_the_letter_has_a_builder():
    keys = load_appendix_spec(YEAR)["table_key"].tolist()
    assert len(keys) == 38
    assert [key for key in keys if key not in BUILDERS] == []


def test_a_table_without_a_builder_is_an_error_naming_it():
    with pytest.raises(ConfigError, match="99Z"):
        check_builders(["1A", "99Z"])


@pytest.mark.parametrize("period", ["H1", "year"])
def test_every_table_due_in_the_period_is_built_and_published(built, period):
    tables, out, _ = built[period]
    due = tables_due(YEAR, period)["table_key"].tolist()
    assert [t.key for t in tables] == due
    folder = appendix_dir(YEAR, period, out)
    assert sorted(p.name for p in folder.glob("*.csv")) == sorted(f"{key}.csv" for key in due)
    assert (folder / workbook_name(YEAR, period)).is_file()
    assert all("status" in t.data.columns for t in tables)
    assert all(t.synthetic for t in tables)


def test_tables_are_marked_preliminary_only_in_the_report_the_letter_names(built):
    by_key = {period: {t.key: t for t in built[period][0]} for period in built}
    # "Foreløpige tall for inneværende år i årsrapport" (1A) and "... foregående år ..." (6A)
    assert by_key["year"]["1A"].preliminary
    assert "Tallene for 2022 er foreløpige." in by_key["year"]["1A"].notes
    assert "Tallene for 2021 er foreløpige." in by_key["year"]["6A"].notes
    assert not by_key["H1"]["6A"].preliminary
    assert not by_key["year"]["16"].preliminary  # no note in the letter


def test_jobs_must_be_a_positive_whole_number_and_never_exceed_the_tables():
    assert check_jobs(8, 3) == 3
    assert check_jobs(None, 40) >= 1
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ConfigError, match="jobs"):
            check_jobs(bad, 10)


def test_preliminary_note_reads_the_letters_wording():
    assert preliminary_note("Foreløpige tall i årsrapport", "year", 2022) == "Tallene er foreløpige."
    assert preliminary_note("Foreløpige tall for inneværende år i årsrapport", "H1", 2022) is None
    assert preliminary_note(None, "year", 2022) is None
    assert preliminary_note(float("nan"), "year", 2022) is None


def test_rebuilding_from_the_cli_in_two_processes_gives_byte_identical_csv_files(built, tmp_path):
    _, out, registers = built["year"]
    first = {p.name: p.read_bytes() for p in appendix_dir(YEAR, "year", out).glob("*.csv")}
    args = [
        "appendix",
        "--year",
        "2022",
        "--period",
        "year",
        "--data",
        str(registers),
        "--output",
        str(tmp_path),
    ]
    result = CliRunner().invoke(cli, [*args, "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert str(tmp_path / "2022" / "year" / "appendix") in result.output
    again = {p.name: p.read_bytes() for p in appendix_dir(YEAR, "year", tmp_path).glob("*.csv")}
    assert again == first


def test_a_failing_builder_leaves_the_previous_outputs_intact(built, monkeypatch):
    _, out, registers = built["H1"]
    folder = appendix_dir(YEAR, "H1", out)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def broken(ctx):
        raise ValueError("boom")

    monkeypatch.setitem(BUILDERS, "4", broken)
    with pytest.raises(PipelineError, match="table 4 failed: ValueError: boom"):
        build_appendix(YEAR, "H1", registers, output_dir=out)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_failure_while_publishing_leaves_the_previous_outputs_and_no_temporary_folder(built, monkeypatch):
    _, out, registers = built["H1"]
    folder = appendix_dir(YEAR, "H1", out)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def failing_workbook(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(build_module, "publish_workbook", failing_workbook)
    with pytest.raises(OSError, match="disk full"):
        build_appendix(YEAR, "H1", registers, output_dir=out)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert sorted(p.name for p in folder.parent.iterdir()) == ["appendix"]


def test_download_paths_list_every_table_due_and_link_into_the_books_download_folder(built):
    _, out, _ = built["year"]
    downloads = appendix_download_paths(YEAR, "year", out)
    assert set(downloads.tables) == set(tables_due(YEAR, "year")["table_key"])
    assert all(path.is_file() for path in [downloads.workbook, *downloads.tables.values()])
    assert downloads.href(downloads.tables["5-2"]) == "../../downloads/2022/year/5-2.csv"
    assert 'href="../../downloads/2022/year/vedlegg3_2022_year.xlsx"' in downloads.links_html("1A")
