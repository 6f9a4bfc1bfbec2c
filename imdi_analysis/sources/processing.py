"""Validate every source of a year in one report, and write validated copies to ``data/processed``.

``validate_year`` never stops at the first problem: every source is read and validated lazily,
and every failure — a missing file, an unreadable file, a value that breaks a check — becomes
one row of a single report (``file, column, check, row, value``). ``process_year`` writes the
validated frames as Parquet with a manifest of SHA-256 checksums, and only when the whole year
is valid, so that ``data/processed`` never holds a half-checked year. Raw files are only read.

A monthly source that does not cover every month up to the extract date (a file cut off in
June) still validates, but each missing month is a row of ``warnings`` (check
``months_covered_up_to_extract_date``), shown by ``summary`` and written with the report, so that
a year summed from it is never taken for complete unnoticed.

The report names pseudonymous person ids of failing rows; it is meant for the data owner and
must be kept with the extracts, never published.
"""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from imdi_analysis import __version__, config
from imdi_analysis.csv_output import frame_to_csv
from imdi_analysis.errors import ConfigError, DataNotFoundError, DataValidationError
from imdi_analysis.manifest import sha256_file
from imdi_analysis.parallel import process_pool
from imdi_analysis.sources import validated_cache
from imdi_analysis.sources._base import (
    CHECK_MONTHS_COVERED,
    SourceSpec,
    extract_date_of,
    find_source_file,
    missing_months,
    read_source,
)
from imdi_analysis.sources.registry import SOURCES
from imdi_analysis.tabular import REPORT_COLUMNS, format_report, write_atomic, write_parquet_atomic

CHECK_YEAR_EXISTS = "year folder exists"
CHECK_FILE_EXISTS = "file exists"
CHECK_FILE_READABLE = "file readable"
SOURCES_FOLDER = "sources"
MANIFEST_NAME = "manifest.json"
REPORT_SUFFIXES = (".csv", ".html")


@dataclass
class ValidationResult:
    """Outcome of validating every source of one year.

    Attributes
    ----------
    year : the year folder validated
    data_dir : the folder of register extracts
    synthetic : whether ``data_dir`` holds synthetic data
    report : one row per failure (``file, column, check, row, value``); empty when all is valid
    frames : validated frames of the sources that passed, by source name
    files : input file of each source found, by source name
    row_counts : rows of each source that passed, by source name (also without frames)
    warnings : problems that do not fail the year (months missing from a monthly source), in
        the columns of ``report``
    """

    year: int
    data_dir: Path
    synthetic: bool
    report: pd.DataFrame
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    row_counts: dict[str, int] = field(default_factory=dict)
    warnings: pd.DataFrame = field(default_factory=lambda: empty_report())

    @property
    def ok(self) -> bool:
        """Whether every source exists and passed its schema."""
        return self.report.empty

    @property
    def rows(self) -> int:
        """Rows in the sources that passed."""
        return sum(self.row_counts.values())

    def counts(self) -> pd.DataFrame:
        """Number of failures per file, column and check."""
        if self.report.empty:
            return pd.DataFrame(columns=["file", "column", "check", "failures"])
        grouped = self.report.groupby(["file", "column", "check"], sort=True, dropna=False)
        return grouped.size().rename("failures").reset_index()

    def summary(self) -> str:
        """``OK: n files, m rows`` or the readable failure report with counts per check; then warnings."""
        if self.ok:
            return f"OK: {len(self.files)} files, {self.rows} rows ({self.data_dir}/{self.year}).{self.warning_text()}"
        failing = self.report["file"].nunique()
        lines = [
            format_report(self.report),
            f"{failing} of {len(SOURCES)} source files for {self.year} failed in {self.data_dir}.",
            "Failures per check:",
        ]
        for row in self.counts().itertuples(index=False):
            where = f"{Path(row.file).name} {row.column}".strip()
            lines.append(f"  {row.failures:>7}  {where}: {row.check}")
        return "\n".join(lines) + self.warning_text()

    def warning_text(self) -> str:
        """The warnings, one line per file and check, after a line break; empty when none."""
        if self.warnings.empty:
            return ""
        lines = [f"\nWarning: {len(self.warnings)} month(s) missing; the year's totals are incomplete."]
        for (file, column, check), group in self.warnings.groupby(["file", "column", "check"], sort=False):
            months = ", ".join(group["value"])
            lines.append(f"- {file}, column {column!r}, check {check}: months missing: {months}")
        return "\n".join(lines)


def empty_report() -> pd.DataFrame:
    """A report with no rows."""
    return pd.DataFrame(columns=REPORT_COLUMNS).astype({"row": "Int64"})


def validate_year(
    year: int,
    data_dir: Path | None = None,
    keep_frames: bool = True,
    on_valid: Callable[[str, pd.DataFrame, Path], None] | None = None,
) -> ValidationResult:
    """Validate every source of ``year``; collect all failures in one report.

    Parameters
    ----------
    year : year folder (extract of 31 December)
    data_dir : folder of extracts, one sub-folder per year; ``None`` uses
        :func:`imdi_analysis.config.register_dir`
    keep_frames : keep the validated frames in ``result.frames`` (set False to hold only one
        source in memory at a time, e.g. at large scale)
    on_valid : called with (name, frame, path) for each source that validates

    Returns
    -------
    ValidationResult
        A missing or unreadable file is a failure row, not an exception.
    """
    directory, synthetic = config.register_dir(data_dir)
    result = ValidationResult(year, directory, synthetic, pd.DataFrame(columns=REPORT_COLUMNS))
    if not year_folder_exists(result):
        return result
    outcomes = []
    for name, spec in SOURCES.items():
        frame, path, problems = validate_source(spec, directory, year)
        if problems is None:
            if on_valid is not None:
                on_valid(name, frame, path)
            if keep_frames:
                result.frames[name] = frame
        rows = 0 if frame is None else len(frame)
        outcomes.append(SourceOutcome(name, path, rows, problems, coverage_warnings(frame, spec, path, year)))
    add_outcomes(result, outcomes)
    return result


@dataclass(frozen=True)
class SourceOutcome:
    """What validating one source file gave: its path, rows when valid, failure rows when not."""

    name: str
    path: Path | None
    rows: int
    problems: pd.DataFrame | None
    warnings: pd.DataFrame | None = None


def coverage_warnings(frame: pd.DataFrame | None, spec: SourceSpec, path: Path | None, year: int):
    """Warning rows for the months a valid monthly source lacks up to the extract date, or ``None``."""
    if frame is None or path is None:
        return None
    on = extract_date_of(year)
    months = missing_months(frame, spec, on)
    if not months:
        return None
    check = f"{CHECK_MONTHS_COVERED} ({on.isoformat()})"
    rows = [[str(path), spec.month_column, check, pd.NA, month] for month in months]
    return pd.DataFrame(rows, columns=REPORT_COLUMNS).astype({"row": "Int64"})


def year_folder_exists(result: ValidationResult) -> bool:
    """Whether the year folder of ``result`` exists; if not, record that as its one failure."""
    folder = Path(result.data_dir) / str(result.year)
    if folder.is_dir():
        return True
    existing = ", ".join(map(str, config.years_in(Path(result.data_dir)))) or "none"
    message = f"No folder for {result.year} in {result.data_dir}. Years that exist: {existing}."
    result.report = failure_row(folder, CHECK_YEAR_EXISTS, message)
    return False


def add_outcomes(result: ValidationResult, outcomes: list[SourceOutcome]) -> None:
    """Record files, row counts and failures of ``outcomes`` (in :data:`SOURCES` order) in ``result``."""
    order = {name: i for i, name in enumerate(SOURCES)}
    failures, warnings = [], []
    for outcome in sorted(outcomes, key=lambda o: order[o.name]):
        if outcome.path is not None:
            result.files[outcome.name] = outcome.path
        if outcome.problems is None:
            result.row_counts[outcome.name] = outcome.rows
        else:
            failures.append(outcome.problems)
        if outcome.warnings is not None:
            warnings.append(outcome.warnings)
    if failures:
        result.report = pd.concat(failures, ignore_index=True)[REPORT_COLUMNS]
    if warnings:
        result.warnings = pd.concat(warnings, ignore_index=True)[REPORT_COLUMNS]


def check_source(year: int, name: str, directory: Path) -> SourceOutcome:
    """Validate one source of one year (a worker's task; the frame stays in the worker)."""
    spec = SOURCES[name]
    frame, path, problems = validate_source(spec, directory, year)
    rows = 0 if frame is None else len(frame)
    return SourceOutcome(name, path, rows, problems, coverage_warnings(frame, spec, path, year))


def validate_source(
    spec: SourceSpec, directory: Path, year: int
) -> tuple[pd.DataFrame | None, Path | None, pd.DataFrame | None]:
    """Validated frame, input path and failure rows (``None`` when valid) of one source."""
    try:
        path = find_source_file(directory, year, spec.name)
    except DataNotFoundError as exc:
        expected = Path(directory) / str(year) / f"{spec.name}.csv"
        return None, None, failure_row(expected, CHECK_FILE_EXISTS, str(exc))
    on = extract_date_of(year)
    try:
        frame = read_source(path, spec, on)
    except DataValidationError as exc:
        if exc.report is not None and not exc.report.empty:
            return None, path, exc.report
        return None, path, failure_row(path, CHECK_FILE_READABLE, str(exc))
    validated_cache.store(validated_cache.entry_path(spec.name, path, on), frame)
    return frame, path, None


def failure_row(path: Path, check: str, message: str) -> pd.DataFrame:
    """A one-row report for a file-level problem."""
    row = {"file": str(path), "column": "", "check": check, "row": pd.NA, "value": message}
    frame = pd.DataFrame([row], columns=REPORT_COLUMNS)
    frame["row"] = frame["row"].astype("Int64")
    return frame


def check_year(year: int, data_dir: Path | None = None, report_path: Path | None = None) -> str:
    """Validate ``year``, write the report to ``report_path`` if given, return the OK summary.

    Raises
    ------
    DataValidationError
        Any source failed; the message is the readable report and ``.report`` the rows.
    """
    return check_years([year], data_dir, report_path)


def check_years(
    years: Iterable[int], data_dir: Path | None = None, report_path: Path | None = None, jobs: int = 1
) -> str:
    """Validate every source of ``years`` (years side by side in ``jobs`` processes); one report.

    Each year is validated whole even when another fails, so that the report lists every problem
    of every year. The report file (``.csv`` or ``.html``), when given, is written either way.

    Raises
    ------
    DataValidationError
        Any source of any year failed; the message is the readable report of the failing years.
    """
    if report_path is not None:
        check_report_suffix(report_path)
    results = validate_years(years, data_dir, jobs)
    combined = combine_results(results)
    if report_path is not None:
        write_report(combined, report_path)
    failed = [result for result in results if not result.ok]
    if failed:
        raise DataValidationError("\n\n".join(r.summary() for r in failed), report=combined.report)
    return "\n".join(result.summary() for result in results)


def validate_years(
    years: Iterable[int], data_dir: Path | None = None, jobs: int = 1
) -> list[ValidationResult]:
    """:func:`validate_year` (without frames) for each year; results in year order.

    With ``jobs > 1`` the source files of all years are validated in ``jobs`` worker processes,
    largest file first, so that the work stays balanced however unequal the files are.
    """
    years = sorted(set(years))
    if not years:
        raise ConfigError("No years to validate: give at least one year, e.g. 2022.")
    if jobs < 1:
        raise ConfigError(f"jobs must be at least 1, got {jobs}.")
    if jobs == 1:
        return [validate_year(year, data_dir, keep_frames=False) for year in years]
    directory, synthetic = config.register_dir(data_dir)
    results = {
        y: ValidationResult(y, directory, synthetic, pd.DataFrame(columns=REPORT_COLUMNS)) for y in years
    }
    tasks = [(y, name) for y in years if year_folder_exists(results[y]) for name in SOURCES]
    tasks.sort(key=lambda task: file_size(directory, *task), reverse=True)
    outcomes: dict[int, list[SourceOutcome]] = {y: [] for y in years}
    with process_pool(min(jobs, max(1, len(tasks)))) as pool:
        futures = {pool.submit(check_source, y, name, directory): y for y, name in tasks}
        for future, year in futures.items():
            outcomes[year].append(future.result())
    for year, found in outcomes.items():
        if found:
            add_outcomes(results[year], found)
    return [results[y] for y in years]


def file_size(directory: Path, year: int, name: str) -> int:
    """Bytes of the source file of ``name`` for ``year`` (0 when it is missing)."""
    try:
        return find_source_file(directory, year, name).stat().st_size
    except DataNotFoundError:
        return 0


def combine_results(results: list[ValidationResult]) -> ValidationResult:
    """One result for several years: reports stacked, files keyed ``<year>/<source>``."""
    first = results[0]
    combined = ValidationResult(first.year, first.data_dir, first.synthetic, first.report)
    if len(results) > 1:
        reports = [r.report for r in results if not r.report.empty]
        combined.report = pd.concat(reports, ignore_index=True) if reports else first.report
        combined.files = {f"{r.year}/{name}": path for r in results for name, path in r.files.items()}
        combined.row_counts = {f"{r.year}/{n}": rows for r in results for n, rows in r.row_counts.items()}
        warnings = [r.warnings for r in results if not r.warnings.empty]
        combined.warnings = pd.concat(warnings, ignore_index=True) if warnings else first.warnings
    else:
        combined.warnings = first.warnings
        combined.files, combined.row_counts = dict(first.files), dict(first.row_counts)
    return combined


def check_report_suffix(path: Path) -> None:
    """Raise :class:`ConfigError` unless the report file ends in ``.csv`` or ``.html``."""
    if Path(path).suffix.lower() not in REPORT_SUFFIXES:
        raise ConfigError(f"Report file {path} must end in .csv or .html.")


def write_report(result: ValidationResult, path: Path) -> None:
    """Write the failure report as CSV (rows) or HTML (summary counts, rows and warnings).

    The CSV holds the failures only (one row each, the columns of ``result.report``); the HTML
    page adds the warnings (months missing from a monthly source) under their own heading.
    """
    path = Path(path)
    check_report_suffix(path)
    if path.suffix.lower() == ".csv":
        write_atomic(path, frame_to_csv(result.report))
        return
    title = f"Validation of {result.data_dir}/{result.year}"
    status = "OK" if result.ok else f"{len(result.report)} failure(s)"
    body = [
        f"<h1>{html.escape(title)}</h1>",
        f"<p>{html.escape(status)}; {len(result.files)} files found.</p>",
        "<h2>Failures per check</h2>",
        result.counts().to_html(index=False, escape=True),
        "<h2>Failures</h2>",
        result.report.to_html(index=False, escape=True, na_rep=""),
    ]
    if not result.warnings.empty:
        body += ["<h2>Warnings</h2>", result.warnings.to_html(index=False, escape=True, na_rep="")]
    page = f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
    write_atomic(path, page + "<body>\n" + "\n".join(body) + "\n</body></html>\n")


def process_year(year: int, data_dir: Path | None = None, output_dir: Path | None = None) -> Path:
    """Validate ``year`` and write every source to ``<output>/<year>/sources/<name>.parquet``.

    The manifest ``manifest.json`` beside them records the SHA-256 and size of every raw input
    and output, rows, the package version and whether the data are synthetic. Nothing is
    written when any source fails.

    Returns
    -------
    Path
        The manifest file.

    Raises
    ------
    DataValidationError
        Some source failed; ``data/processed`` is left untouched.
    """
    out = Path(output_dir or config.PROCESSED_DIR) / str(year) / SOURCES_FOLDER
    staging = out.with_name(f".{SOURCES_FOLDER}-staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    entries = {}

    def write_source(name: str, frame: pd.DataFrame, source: Path) -> None:
        target = staging / f"{name}.parquet"
        write_parquet_atomic(frame, target)
        entries[name] = manifest_entry(source, target, len(frame))

    result = validate_year(year, data_dir, keep_frames=False, on_valid=write_source)
    if not result.ok:
        shutil.rmtree(staging, ignore_errors=True)
        raise DataValidationError(result.summary(), report=result.report)
    manifest = {
        "year": year,
        "extract_date": extract_date_of(year).isoformat(),
        "data_dir": str(result.data_dir),
        "synthetic": result.synthetic,
        "package_version": __version__,
        "sources": entries,
    }
    write_atomic(staging / MANIFEST_NAME, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    swap_folder(staging, out)
    return out / MANIFEST_NAME


def swap_folder(new: Path, target: Path) -> None:
    """Put ``new`` in place of ``target`` by renames; the previous folder is removed afterwards."""
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def manifest_entry(source: Path, target: Path, rows: int) -> dict:
    """Checksums, sizes and rows of one input and its validated output."""
    return {
        "input": str(source),
        "input_sha256": sha256_file(source),
        "input_bytes": source.stat().st_size,
        "output": target.name,
        "output_sha256": sha256_file(target),
        "rows": rows,
    }


__all__ = [
    "ValidationResult",
    "check_year",
    "check_years",
    "process_year",
    "validate_year",
    "validate_years",
    "write_report",
]
