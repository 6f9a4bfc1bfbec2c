"""Paths and run parameters as typed, validated objects.

Every path the package uses comes from here. The data root can be moved with the
``IMDI_DATA_DIR`` environment variable (or ``--data`` on the command line) so that the same
code runs on real register extracts kept outside the repository.

``IMDI_DATA_DIR`` names a data root laid out like the repository's ``data/`` folder
(``raw/registers/<year>/``, ``raw/letter/<year>/``, ``synthetic/``, ``processed/``). It may be
absolute or relative; a relative path is relative to the current working directory and is
resolved once, when this module is imported, so that a later ``chdir`` (papermill runs
notebooks from the repository root) does not move it. The allocation letters and reference
code lists are read from the data root when it holds them, else from the repository's copies.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from imdi_analysis.errors import ConfigError, DataNotFoundError

DATA_DIR_ENV = "IMDI_DATA_DIR"
YEAR_MIN, YEAR_MAX = 1990, 2100


def resolve_data_dir(value: str | None, default: Path) -> Path:
    """The data root named by ``IMDI_DATA_DIR``: absolute, relative to the working directory, or
    ``default`` when unset or empty. ``~`` is expanded; the path need not exist yet."""
    if value is None or not value.strip():
        return default
    return Path(value.strip()).expanduser().resolve()


def data_or_repo(path: Path, repo_copy: Path) -> Path:
    """``path`` when it exists as a folder, else the repository's copy (letters, code lists)."""
    return path if path.is_dir() or not repo_copy.is_dir() else repo_copy


REPO_ROOT = Path(__file__).resolve().parents[1]
REPO_DATA_DIR = REPO_ROOT / "data"
DATA_DIR = resolve_data_dir(os.environ.get(DATA_DIR_ENV), REPO_DATA_DIR)
RAW_DIR = DATA_DIR / "raw"
LETTER_DIR = data_or_repo(RAW_DIR / "letter", REPO_DATA_DIR / "raw" / "letter")
REFERENCE_DIR = data_or_repo(RAW_DIR / "reference", REPO_DATA_DIR / "raw" / "reference")
REGISTERS_DIR = RAW_DIR / "registers"
SYNTHETIC_DIR = DATA_DIR / "synthetic"
PROCESSED_DIR = DATA_DIR / "processed"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
BOOK_DIR = REPO_ROOT / "book"
BOOK_BUILD_DIR = BOOK_DIR / "_build"
RUNS_FILE = BOOK_DIR / "runs.yml"

SYNTHETIC_SEED = 2022
SYNTHETIC_YEARS = (2019, 2023)

PERIODS: tuple[str, ...] = ("H1", "year")
QUARTERS: tuple[str, ...] = ("Q1", "Q2", "Q3", "Q4")
# Periods a run can have: the two reports, and the quarters of the quarterly settlement analysis
# (reports/quarterly.py). Indicators and the appendix exist for PERIODS only.
RUN_PERIODS: tuple[str, ...] = (*PERIODS, *QUARTERS)
QUARTER_ENDS = {"Q1": (3, 31), "Q2": (6, 30), "Q3": (9, 30), "Q4": (12, 31)}
PERIOD_LABELS = {
    "H1": "Halvår (per 30. juni)",
    "year": "År (per 31. desember)",
    "Q1": "1. kvartal (per 31. mars)",
    "Q2": "2. kvartal (per 30. juni)",
    "Q3": "3. kvartal (per 30. september)",
    "Q4": "4. kvartal (per 31. desember)",
}


def display_path(path: Path) -> str:
    """``path`` relative to the repository when it lies inside it (shorter help texts), else absolute."""
    path = Path(path)
    return path.relative_to(REPO_ROOT).as_posix() if path.is_relative_to(REPO_ROOT) else str(path)


def reference_date(year: int, period: str) -> dt.date:
    """Status date of a period: 30 June for ``H1``, 31 December for ``year``, a quarter's last day."""
    check_run_period(period)
    if period in QUARTER_ENDS:
        return dt.date(year, *QUARTER_ENDS[period])
    return dt.date(year, 6, 30) if period == "H1" else dt.date(year, 12, 31)


def period_start(year: int) -> dt.date:
    """First day of the reporting year (both periods count from 1 January)."""
    return dt.date(year, 1, 1)


def check_period(period: str) -> str:
    """Return ``period`` if it is ``H1`` or ``year``; raise :class:`ConfigError` otherwise."""
    if period not in PERIODS:
        raise ConfigError(f"Unknown period {period!r}: use one of {', '.join(PERIODS)}.")
    return period


def check_run_period(period: str) -> str:
    """Return ``period`` if a run can have it (``H1``, ``year``, ``Q1`` … ``Q4``); ConfigError otherwise."""
    if period not in RUN_PERIODS:
        raise ConfigError(f"Unknown period {period!r}: use one of {', '.join(RUN_PERIODS)}.")
    return period


def years_in(directory: Path) -> list[int]:
    """Years that have a non-empty four-digit sub-folder in ``directory``."""
    if not directory.is_dir():
        return []
    return sorted(
        int(p.name)
        for p in directory.iterdir()
        if p.is_dir() and p.name.isdigit() and len(p.name) == 4 and any(p.iterdir())
    )


def register_dir(data_dir: Path | None = None) -> tuple[Path, bool]:
    """Folder of register extracts to use, and whether it holds synthetic data.

    An explicit ``data_dir`` wins; otherwise real extracts in ``data/raw/registers`` if any
    year is there; otherwise the synthetic default in ``data/synthetic/registers``.
    """
    if data_dir is not None:
        path = Path(data_dir)
        if not path.is_dir():
            raise DataNotFoundError(f"Data folder {path} does not exist.")
        return path, _is_synthetic(path)
    if years_in(REGISTERS_DIR):
        return REGISTERS_DIR, False
    return SYNTHETIC_DIR / "registers", True


def _is_synthetic(path: Path) -> bool:
    return (path / "SYNTHETIC").exists() or (path.parent / "SYNTHETIC").exists()


@dataclass(frozen=True)
class RunConfig:
    """Parameters of one run, validated on creation.

    Attributes
    ----------
    year : reporting year
    period : ``H1`` (status 30 June) or ``year`` (status 31 December)
    data_dir : folder of register extracts, one sub-folder per year
    output_dir : where processed outputs are written (``<output_dir>/<year>/<period>/``)
    synthetic : whether ``data_dir`` holds the synthetic default data
    """

    year: int
    period: str
    data_dir: Path
    output_dir: Path
    synthetic: bool

    @classmethod
    def create(
        cls,
        year: int,
        period: str = "year",
        data_dir: Path | None = None,
        output_dir: Path | None = None,
        require_data: bool = True,
    ) -> RunConfig:
        """Build and validate a run configuration before any work starts."""
        if not isinstance(year, int) or isinstance(year, bool) or not YEAR_MIN <= year <= YEAR_MAX:
            raise ConfigError(f"Year must be a whole number between {YEAR_MIN} and {YEAR_MAX}, got {year!r}.")
        check_period(period)
        directory, synthetic = register_dir(data_dir)
        if require_data:
            check_year_has_data(year, directory)
        return cls(
            year=year,
            period=period,
            data_dir=directory,
            output_dir=Path(output_dir) if output_dir else PROCESSED_DIR,
            synthetic=synthetic,
        )

    @property
    def reference_date(self) -> dt.date:
        return reference_date(self.year, self.period)

    @property
    def out(self) -> Path:
        """Output folder of this year and period."""
        return self.output_dir / str(self.year) / self.period


def check_year_has_data(year: int, directory: Path) -> None:
    """Raise :class:`DataNotFoundError` listing the years that exist when ``year`` has no data."""
    if year in years_in(directory):
        return
    existing = years_in(directory)
    listed = ", ".join(map(str, existing)) if existing else "none"
    hint = ""
    if directory.name == "registers" and directory.parent == SYNTHETIC_DIR:
        hint = " Generate the synthetic default with `imdi synth` or run `make book`."
    raise DataNotFoundError(f"No data for {year} in {directory}. Years that exist: {listed}.{hint}")


def parse_years(text: str) -> list[int]:
    """Parse ``2022``, ``2020-2022`` or ``2019,2021`` into a sorted list of years.

    Every year and both ends of a range must lie in ``YEAR_MIN``–``YEAR_MAX``; the bounds are
    checked before a range is expanded, so ``2020-999999999`` is refused at once.
    """
    years: set[int] = set()
    for part in str(text).split(","):
        part = part.strip()
        if not part:
            continue
        first_text, dash, last_text = part.partition("-")
        first = parse_year(first_text, text)
        last = parse_year(last_text, text) if dash else first
        if last < first:
            raise ConfigError(f"Year range {part!r} runs backwards.")
        years.update(range(first, last + 1))
    if not years:
        raise ConfigError("No years given.")
    return sorted(years)


def parse_year(part: str, text: str) -> int:
    """One year of a ``--years`` value as an int in ``YEAR_MIN``–``YEAR_MAX``, else ConfigError."""
    part = part.strip()
    if not (part.isascii() and part.isdigit()) or len(part) > 4:
        if part.isascii() and part.isdigit():
            raise ConfigError(
                f"Year {part[:12]}{'…' if len(part) > 12 else ''} in {text[:40]!r} is outside "
                f"{YEAR_MIN}–{YEAR_MAX}."
            )
        raise ConfigError(f"Cannot read years from {text[:40]!r}: write 2022, 2020-2022 or 2020,2022.")
    year = int(part)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ConfigError(f"Year {year} in {text[:40]!r} is outside {YEAR_MIN}–{YEAR_MAX}.")
    return year
