"""Validating a whole year into one report, and writing validated Parquet with a manifest."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from imdi_analysis.errors import ConfigError, DataValidationError
from imdi_analysis.sources import SOURCES
from imdi_analysis.sources.processing import (
    check_year,
    check_years,
    process_year,
    validate_year,
    validate_years,
    write_report,
)
from tests.sources.helpers import YEAR, read_raw, write_raw


def corrupt(data_dir: Path) -> None:
    """Two failing sources and one missing file."""
    settlement = read_raw(data_dir, "settlement")
    settlement.loc[0, "county"] = "12"
    settlement.loc[2, "self_settled"] = "kanskje"
    write_raw(settlement, data_dir, "settlement")
    complaints = read_raw(data_dir, "complaints")
    complaints.loc[1, "decided_date"] = "2020-01-01"
    write_raw(complaints, data_dir, "complaints")
    (data_dir / str(YEAR) / "supervision.csv").unlink()


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_valid_year_gives_an_empty_report_and_every_frame(data_dir: Path):
    result = validate_year(YEAR, data_dir)
    assert result.ok
    assert set(result.frames) == set(SOURCES)
    assert result.summary().startswith(f"OK: {len(SOURCES)} files, {result.rows} rows")


def test_report_collects_every_failure_of_every_source(data_dir: Path):
    corrupt(data_dir)
    result = validate_year(YEAR, data_dir)
    assert not result.ok
    report = result.report
    assert list(report.columns) == ["file", "column", "check", "row", "value"]
    found = {
        (Path(f).name, c, k.split("(")[0], r)
        for f, c, k, r in report[["file", "column", "check", "row"]].itertuples(index=False, name=None)
    }
    assert ("settlement.csv", "county", "county_valid_on_reference_date", 1) in found
    assert ("settlement.csv", "self_settled", "coerce_dtype", 3) in found
    assert ("complaints.csv", "decided_date", "decided_not_before_received", 2) in found
    missing = report[report["check"] == "file exists"]
    assert Path(missing["file"].iloc[0]).name == "supervision.csv"
    assert set(result.frames) == set(SOURCES) - {"settlement", "complaints", "supervision"}
    counts = result.counts()
    assert counts["failures"].sum() == len(report)
    summary = result.summary()
    assert "Failures per check:" in summary and "decided_not_before_received" in summary


def test_missing_year_folder_is_one_failure_row_not_a_crash(data_dir: Path):
    result = validate_year(2015, data_dir)
    assert len(result.report) == 1
    assert result.report.loc[0, "check"] == "year folder exists"
    assert "Years that exist: 2022" in result.report.loc[0, "value"]


def test_check_year_raises_with_the_report_and_writes_csv_and_html(data_dir: Path, tmp_path: Path):
    corrupt(data_dir)
    with pytest.raises(DataValidationError) as info:
        check_year(YEAR, data_dir, tmp_path / "report.csv")
    assert len(info.value.report) == len(pd.read_csv(tmp_path / "report.csv"))
    result = validate_year(YEAR, data_dir)
    write_report(result, tmp_path / "report.html")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "decided_not_before_received" in page and "<table" in page
    with pytest.raises(ConfigError, match=r"\.csv or \.html"):
        check_year(YEAR, data_dir, tmp_path / "report.txt")


def test_process_year_writes_parquet_and_a_manifest_with_checksums(data_dir: Path, tmp_path: Path):
    (data_dir / "SYNTHETIC").write_text("synthetic\n")
    out = tmp_path / "processed"
    manifest_path = process_year(YEAR, data_dir, out)
    assert manifest_path == out / str(YEAR) / "sources" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert manifest["synthetic"] is True and manifest["year"] == YEAR and manifest["package_version"]
    assert set(manifest["sources"]) == set(SOURCES)
    entry = manifest["sources"]["settlement"]
    raw = data_dir / str(YEAR) / "settlement.csv"
    assert entry["input_sha256"] == hashlib.sha256(raw.read_bytes()).hexdigest()
    parquet = manifest_path.parent / "settlement.parquet"
    assert entry["output_sha256"] == hashlib.sha256(parquet.read_bytes()).hexdigest()
    frame = pd.read_parquet(parquet)
    assert entry["rows"] == len(frame) == 5
    assert pd.api.types.is_datetime64_any_dtype(frame["permit_date"])


def test_process_year_leaves_processed_untouched_and_raw_unmodified_on_failure(
    data_dir: Path, tmp_path: Path
):
    out = tmp_path / "processed"
    process_year(YEAR, data_dir, out)
    before_out, before_raw = snapshot(out), snapshot(data_dir)
    corrupt(data_dir)
    after_corruption_raw = snapshot(data_dir)
    with pytest.raises(DataValidationError):
        process_year(YEAR, data_dir, out)
    assert snapshot(out) == before_out
    assert snapshot(data_dir) == after_corruption_raw != before_raw


def second_year(data_dir: Path) -> int:
    """Copy the fixture year to the next year (valid there too) and return that year."""
    shutil.copytree(data_dir / str(YEAR), data_dir / str(YEAR + 1))
    return YEAR + 1


def test_ok_summary_counts_rows_without_keeping_frames(data_dir: Path):
    expected = sum(len(frame) for frame in validate_year(YEAR, data_dir).frames.values())
    lean = validate_year(YEAR, data_dir, keep_frames=False)
    assert lean.frames == {} and lean.rows == expected > 0
    assert f"{expected} rows" in check_year(YEAR, data_dir)


@pytest.mark.parametrize("jobs", [1, 2])
def test_check_years_reports_every_failing_year_in_one_error(data_dir: Path, tmp_path: Path, jobs: int):
    later = second_year(data_dir)
    corrupt(data_dir)
    report_path = tmp_path / "report.csv"
    with pytest.raises(DataValidationError) as caught:
        check_years([later, YEAR], data_dir, report_path, jobs=jobs)
    message = str(caught.value)
    assert f"{data_dir / str(YEAR) / 'settlement.csv'}" in message
    assert str(later) not in {Path(f).parent.name for f in caught.value.report["file"]}
    written = pd.read_csv(report_path)
    assert len(written) == len(caught.value.report) > 0


def test_check_years_in_parallel_equals_one_by_one(data_dir: Path):
    later = second_year(data_dir)
    one = validate_years([YEAR, later], data_dir, jobs=1)
    two = validate_years([later, YEAR], data_dir, jobs=2)
    assert [r.year for r in two] == [YEAR, later]
    assert [r.row_counts for r in one] == [r.row_counts for r in two]
    assert all(r.ok for r in two)
    summary = check_years([YEAR, later], data_dir, jobs=2)
    assert summary.count("OK:") == 2


def test_validate_years_refuses_zero_jobs(data_dir: Path):
    with pytest.raises(ConfigError, match="jobs"):
        validate_years([YEAR], data_dir, jobs=0)


def test_check_years_in_parallel_names_a_missing_year(data_dir: Path):
    with pytest.raises(DataValidationError, match="No folder for 1999"):
        check_years([YEAR, 1999], data_dir, jobs=2)


def test_check_years_without_years_is_a_config_error(data_dir: Path):
    with pytest.raises(ConfigError, match="No years"):
        check_years([], data_dir)


# --- monthly coverage (issue 15) ---------------------------------------------------------------


def write_searches(data_dir: Path, months: list[int], year: int = YEAR) -> Path:
    """A hand-written register_searches file with 100 searches in each of ``months``."""
    path = data_dir / str(year) / "register_searches.csv"
    path.write_text("month,searches\n" + "".join(f"{year}-{m:02d}-01,100\n" for m in months))
    return path


def test_a_monthly_file_covering_january_to_december_gives_no_warning(data_dir: Path):
    write_searches(data_dir, list(range(1, 13)))
    result = validate_year(YEAR, data_dir, keep_frames=False)
    assert result.ok and result.warnings.empty
    assert "Warning" not in result.summary()


def test_a_monthly_file_cut_off_in_june_warns_of_july_to_december_and_still_validates(data_dir: Path):
    """Extract date 2022-12-31: January to December are due; the file holds January to June."""
    path = write_searches(data_dir, [1, 2, 3, 4, 5, 6])
    result = validate_year(YEAR, data_dir, keep_frames=False)
    assert result.ok
    assert result.warnings["file"].tolist() == [str(path)] * 6
    assert result.warnings["column"].unique().tolist() == ["month"]
    assert result.warnings["value"].tolist() == [f"2022-{m:02d}" for m in range(7, 13)]
    assert result.warnings["check"].unique().tolist() == ["months_covered_up_to_extract_date (2022-12-31)"]
    summary = result.summary()
    assert summary.startswith("OK: ") and "months missing: 2022-07, 2022-08" in summary


def test_a_month_missing_inside_the_year_is_named_too(data_dir: Path):
    write_searches(data_dir, [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12])
    result = validate_year(YEAR, data_dir, keep_frames=False)
    assert result.warnings["value"].tolist() == ["2022-04"]


def test_warnings_reach_the_html_report_and_both_years_of_a_parallel_check(data_dir: Path, tmp_path: Path):
    later = second_year(data_dir)
    write_searches(data_dir, list(range(1, 13)), later)
    write_searches(data_dir, [1, 2, 3, 4, 5, 6])
    one = validate_years([YEAR, later], data_dir, jobs=1)
    two = validate_years([YEAR, later], data_dir, jobs=2)
    for results in (one, two):
        assert [len(r.warnings) for r in results] == [6, 0]
    write_report(one[0], tmp_path / "report.html")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<h2>Warnings</h2>" in page and "2022-12" in page
    assert "2022-07" in check_years([YEAR, later], data_dir)
