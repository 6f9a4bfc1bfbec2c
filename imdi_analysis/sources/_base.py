"""Building blocks shared by every source: the spec, key-column mixins, fields, checks, reading.

A source module holds one pandera ``DataFrameModel`` (the executable form of its contract in
``docs/data_contracts.md``), a :class:`SourceSpec` describing it, and a ``<source>.meta.yml``
with provenance. Reading goes through :func:`read_source`, which

1. reads CSV (any dialect :func:`imdi_analysis.tabular.read_table` accepts) or Parquet,
2. parses boolean text strictly (``true/false/1/0/ja/nei``; anything else fails, naming the
   value and row — ``astype(bool)`` would turn ``"false"`` into ``True``),
3. validates lazily with the extract date of the year folder (31 December) as the reference
   date for code validity and plausible age, and
4. refuses non-finite numbers (``inf``, ``nan``, ``1e309``), dates that are no calendar date
   (``2022-13-40``, ``0000-01-01``) and, with an extract date, any date after it
   (:data:`CHECK_NOT_AFTER_EXTRACT`; a date on the extract date itself is allowed), and
5. raises one :class:`~imdi_analysis.errors.DataValidationError` listing every failure by
   file, column, check, row and value (values cut to 60 characters).

Monthly sources (``SourceSpec.month_column``) must cover every month from January to the month
of the extract date; :func:`missing_months` lists the months a file lacks. A file that stops
early loads (a partial year is what some fixtures and first deliveries hold), and
:func:`imdi_analysis.sources.processing.validate_year` reports it as a warning naming the months.

Reference date
--------------
A year folder holds the extract taken on 31 December of that year, and registers code county
and municipality as valid on the extract date. Cross-field checks therefore read the reference
date from :func:`extract_date` (set by the loader). When a frame is validated directly with
``Schema.validate`` (no extract date set), they fall back to the row's own date in the source's
``reference_date_column``, and to the current year for age when there is none.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import yaml
from pandera.engines import pandas_engine
from pandera.typing import Series

from imdi_analysis import codes, config
from imdi_analysis.errors import DataNotFoundError, DataValidationError
from imdi_analysis.sources import validated_cache
from imdi_analysis.tabular import (
    REPORT_COLUMNS,
    columns_typed,
    failure_report,
    format_report,
    merge_reports,
    read_table,
    report_rows,
    value_failures,
)

SUFFIXES = (".csv", ".parquet")
ISO_DATE = {"to_datetime_kwargs": {"format": "%Y-%m-%d"}}
TRUE_TEXTS = frozenset({"true", "1", "ja", "yes", "sann"})
FALSE_TEXTS = frozenset({"false", "0", "nei", "no", "usann"})
COUNTY_PATTERN = r"^\d{2}$"
MUNICIPALITY_PATTERN = r"^\d{4}$"
SEX_CODES = tuple(codes.SEX_LABELS)
EMPTY_VALUE = "(empty)"
MIN_AGE = 0
MAX_AGE = 100
CHECK_NOT_AFTER_EXTRACT = "date_not_after_extract_date"
CHECK_MONTHS_COVERED = "months_covered_up_to_extract_date"
_EXTRACT_DATE: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar("extract_date", default=None)

Date = pandas_engine.DateTime


@dataclass(frozen=True)
class SourceSpec:
    """What the package knows about one register extract or public source.

    Attributes
    ----------
    name : file stem and registry key, e.g. ``"settlement"``
    title_nb : Norwegian title shown to readers
    description : one-paragraph English description for developers
    schema : the pandera model (strict, coercing) that the file must satisfy
    key : columns that identify a row uniquely
    person_level : whether a row describes one person (so small counts must be protected)
    sensitive_columns : person ids, birth years and exact personal dates; never published
    reference_date_column : the row's own date used for code validity when no extract date
        is set (``None``: the extract date only)
    meta_path : provenance file ``<source>.meta.yml`` beside the module
    check_columns : for each cross-field check, the column its failures are reported under
    month_column : for a source with one row per month, the column holding the month (first
        day); the file must cover every month of the year up to the extract date
    """

    name: str
    title_nb: str
    description: str
    schema: type[pa.DataFrameModel]
    key: tuple[str, ...]
    person_level: bool
    sensitive_columns: tuple[str, ...]
    reference_date_column: str | None
    meta_path: Path
    check_columns: Mapping[str, str] = field(default_factory=dict)
    month_column: str | None = None

    @property
    def columns(self) -> list[str]:
        """Column names in contract order."""
        return list(self.schema.to_schema().columns)

    def meta(self) -> dict:
        """The provenance metadata from ``<source>.meta.yml``."""
        return yaml.safe_load(self.meta_path.read_text(encoding="utf-8"))


# --- fields ------------------------------------------------------------------------------


def date_field(description: str, nullable: bool = False) -> pa.Field:
    """A date column in ISO ``YYYY-MM-DD`` (Parquet: datetime), stored as ``datetime64``."""
    return pa.Field(nullable=nullable, dtype_kwargs=ISO_DATE, description=description)


def county_field(
    description: str = "County number (2 digits) valid on the extract date.", nullable: bool = False
):
    """A county code column: two digits, checked against ``counties.csv`` by a dataframe check."""
    return pa.Field(str_matches=COUNTY_PATTERN, nullable=nullable, description=description)


def municipality_field(
    description: str = "Municipality number (4 digits); its first two digits are the county.",
    nullable: bool = False,
):
    """A municipality code column: four digits whose first two are a valid county."""
    return pa.Field(str_matches=MUNICIPALITY_PATTERN, nullable=nullable, description=description)


def code_field(code_list: str, description: str, nullable: bool = False) -> pa.Field:
    """A column whose values come from ``data/raw/reference/<code_list>.csv``."""
    return pa.Field(isin=codes.codes_in(code_list), nullable=nullable, description=description)


def sex_field() -> pa.Field:
    """Sex: ``M`` (mann) or ``K`` (kvinne)."""
    return pa.Field(isin=SEX_CODES, description="Sex: M (mann) or K (kvinne).")


def birth_year_field() -> pa.Field:
    """Year of birth; the age check is a dataframe check on the reference date."""
    return pa.Field(ge=1900, le=2100, description="Year of birth; plausible age 0–100 on the reference date.")


def id_field(description: str) -> pa.Field:
    """A non-empty identifier."""
    return pa.Field(str_length={"min_value": 1}, description=description)


class PersonMixin(pa.DataFrameModel):
    """Pseudonymous person id, sex and birth year: the key columns of person-level sources."""

    person_id: Series[str] = id_field("Pseudonymous person id (never published).")
    sex: Series[str] = sex_field()
    birth_year: Series[int] = birth_year_field()


# --- reference date ----------------------------------------------------------------------


@contextlib.contextmanager
def extract_date(on: dt.date | None) -> Iterator[None]:
    """Within the block, cross-field checks use ``on`` as the reference date of every row."""
    token = _EXTRACT_DATE.set(on)
    try:
        yield
    finally:
        _EXTRACT_DATE.reset(token)


def current_extract_date() -> dt.date | None:
    """The extract date set by :func:`extract_date`, or ``None``."""
    return _EXTRACT_DATE.get()


def reference_dates(df: pd.DataFrame, column: str | None) -> pd.Series:
    """Reference date of every row: the extract date, else the row's ``column``, else today."""
    on = current_extract_date()
    if on is None and column is not None and column in df.columns:
        return as_dates(df[column])
    when = pd.Timestamp(on) if on is not None else pd.Timestamp(dt.date.today())
    return pd.Series(when, index=df.index)


# --- check helpers (robust to columns that failed coercion or are missing) ---------------


def as_dates(values: pd.Series) -> pd.Series:
    """Dates as datetime64; values that cannot be read become NaT (their coercion is reported)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    return pd.to_datetime(values, errors="coerce", format="%Y-%m-%d")


def as_numbers(values: pd.Series) -> pd.Series:
    """Numbers as float; unreadable values become NaN (their coercion is reported)."""
    return pd.to_numeric(values, errors="coerce")


def has_columns(df: pd.DataFrame, *columns: str) -> bool:
    """Whether every column exists (a missing one is reported by the strict schema)."""
    return all(c in df.columns for c in columns)


def all_rows(df: pd.DataFrame) -> pd.Series:
    """A passing result for every row."""
    return pd.Series(True, index=df.index)


def is_set(df: pd.DataFrame, column: str) -> pd.Series:
    """Whether ``column`` has a value in each row (all false when the column is missing)."""
    if column not in df.columns:
        return pd.Series(False, index=df.index)
    return df[column].notna()


def check_not_before(df: pd.DataFrame, later: str, earlier: str) -> pd.Series:
    """Rows pass when ``later`` is missing, ``earlier`` is missing, or ``later >= earlier``."""
    if not has_columns(df, later, earlier):
        return all_rows(df)
    late, early = as_dates(df[later]), as_dates(df[earlier])
    return late.isna() | early.isna() | (late >= early)


def check_given_when(df: pd.DataFrame, required: str, condition: pd.Series) -> pd.Series:
    """Rows pass when ``condition`` is false or ``required`` is present."""
    if required not in df.columns:
        return all_rows(df)
    return ~condition.fillna(False).astype(bool) | df[required].notna()


def check_key_unique(df: pd.DataFrame, key: tuple[str, ...]) -> pd.Series:
    """Rows pass unless another row has the same key (every duplicate is flagged)."""
    if not has_columns(df, *key):
        return all_rows(df)
    return ~df.duplicated(subset=list(key), keep=False)


def check_county_valid(df: pd.DataFrame, column: str, date_column: str | None) -> pd.Series:
    """Rows pass when the county code is missing or valid on the row's reference date."""
    if column not in df.columns:
        return all_rows(df)
    return codes.county_valid_on(df[column], reference_dates(df, date_column))


def check_municipality_county_valid(df: pd.DataFrame, column: str, date_column: str | None) -> pd.Series:
    """Rows pass when the municipality's first two digits are a county valid on the reference date."""
    if column not in df.columns:
        return all_rows(df)
    prefix = df[column].astype("string").str.slice(0, 2)
    return codes.county_valid_on(prefix, reference_dates(df, date_column))


def check_municipality_in_county(
    df: pd.DataFrame, municipality: str = "municipality", county: str = "county"
):
    """Rows pass when either code is missing or the municipality's first two digits are the county."""
    if not has_columns(df, municipality, county):
        return all_rows(df)
    muni, cty = df[municipality].astype("string"), df[county].astype("string")
    return (muni.isna() | cty.isna() | (muni.str.slice(0, 2) == cty)).fillna(True).astype(bool)


def check_age_plausible(
    df: pd.DataFrame, date_column: str | None, low: int = MIN_AGE, high: int = MAX_AGE
) -> pd.Series:
    """Rows pass when ``reference year - birth_year`` is within ``[low, high]``."""
    if "birth_year" not in df.columns:
        return all_rows(df)
    born = as_numbers(df["birth_year"])
    age = reference_dates(df, date_column).dt.year - born
    return born.isna() | age.between(low, high)


# --- reading and validation ---------------------------------------------------------------


def boolean_columns(schema: type[pa.DataFrameModel]) -> list[str]:
    """Columns the schema types as boolean."""
    return [name for name, col in schema.to_schema().columns.items() if "bool" in str(col.dtype).lower()]


def parse_booleans(frame: pd.DataFrame, schema: type[pa.DataFrameModel]) -> pd.DataFrame:
    """Turn boolean text into ``True``/``False``; leave unknown text for the schema to reject.

    Accepted (case-insensitive, surrounding spaces ignored): ``true``/``false``, ``1``/``0``,
    ``ja``/``nei`` (and ``yes``/``no``, ``sann``/``usann``). Columns that are already boolean
    (Parquet) are left alone.
    """
    out = frame.copy()
    for name in boolean_columns(schema):
        if name not in out.columns or pd.api.types.is_bool_dtype(out[name]):
            continue
        text = out[name].astype("string").str.strip().str.lower()
        parsed = pd.Series(pd.NA, index=out.index, dtype="object")
        parsed[text.isin(TRUE_TEXTS).fillna(False).to_numpy()] = True
        parsed[text.isin(FALSE_TEXTS).fillna(False).to_numpy()] = False
        unknown = text.notna() & ~text.isin(TRUE_TEXTS | FALSE_TEXTS)
        parsed[unknown.fillna(False).to_numpy()] = out.loc[unknown.fillna(False).to_numpy(), name]
        out[name] = parsed
    return out


def focus_row_checks(cases: pd.DataFrame, check_columns: Mapping[str, str]) -> pd.DataFrame:
    """Report each failing row of a cross-field check once, under the column it concerns.

    pandera reports a row-wise dataframe check once per non-missing cell of the failing row;
    keep the cell of the column named in ``check_columns`` (``(empty)`` when that cell is
    missing, e.g. an end reason not given) and mark it as a column failure so that the report
    shows that column and its value.
    """
    row_wise = (cases["schema_context"] == "DataFrameSchema") & cases["index"].notna()
    if not row_wise.any():
        return cases
    rows = cases[row_wise].copy()
    target = rows["check"].map(check_columns)
    rows["column"] = rows["column"].astype(object)
    rows["failure_case"] = rows["failure_case"].astype(object)
    on_target = target.notna() & (rows["column"] == target)
    rows = rows.assign(_rank=(~on_target).astype(int)).sort_values("_rank", kind="stable")
    chosen = rows.drop_duplicates(subset=["check", "index"]).drop(columns="_rank")
    chosen_target = chosen["check"].map(check_columns)
    missing = chosen_target.notna() & (chosen["column"] != chosen_target)
    chosen.loc[missing, "column"] = chosen_target[missing]
    chosen.loc[missing, "failure_case"] = EMPTY_VALUE
    chosen["failure_case"] = chosen["failure_case"].map(format_value)
    chosen["schema_context"] = "Column"
    return pd.concat([cases[~row_wise], chosen], ignore_index=True)


def format_value(value: object) -> object:
    """Show a midnight timestamp as an ISO date, as it was written in the file."""
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.date().isoformat()
    return value


def validate_frame(
    frame: pd.DataFrame, spec: SourceSpec, path: Path | str, on: dt.date | None = None
) -> pd.DataFrame:
    """Validate ``frame`` against ``spec.schema`` with reference date ``on``; raise one readable error.

    Besides the schema: finite numbers and readable dates (:func:`~imdi_analysis.tabular.value_failures`)
    and, when ``on`` is given, no date after it (:func:`dates_after_extract`).
    """
    extra = merge_reports(
        value_failures(frame, spec.schema, path), dates_after_extract(frame, spec, path, on)
    )
    with extract_date(on):
        try:
            validated = spec.schema.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            cases = focus_row_checks(exc.failure_cases, spec.check_columns)
            report = merge_reports(extra, failure_report(cases, frame, str(path)))
            raise DataValidationError(format_report(report), report=report) from None
    if not extra.empty:
        raise DataValidationError(format_report(extra), report=extra)
    return validated


def date_columns(spec: SourceSpec) -> list[str]:
    """Columns the schema types as dates."""
    return columns_typed(spec.schema, "datetime")


def dates_after_extract(
    frame: pd.DataFrame, spec: SourceSpec, path: Path | str, on: dt.date | None
) -> pd.DataFrame:
    """Report rows for dates after the extract date ``on`` (none when ``on`` is ``None``).

    An extract taken on ``on`` records what happened by then: a settlement, programme end,
    decision or any other date after it is an error in the extract. The extract date itself is
    allowed. The check is named ``date_not_after_extract_date (<on>)``.
    """
    rows = []
    if on is not None:
        check = f"{CHECK_NOT_AFTER_EXTRACT} ({on.isoformat()})"
        for column in date_columns(spec):
            if column not in frame.columns:
                continue
            after = as_dates(frame[column]) > pd.Timestamp(on)
            rows += report_rows(path, column, check, after, frame[column])
    return pd.DataFrame(rows, columns=REPORT_COLUMNS).astype({"row": "Int64"})


def missing_months(frame: pd.DataFrame, spec: SourceSpec, on: dt.date) -> list[str]:
    """Months (``YYYY-MM``) from January of ``on``'s year to ``on``'s month that ``frame`` lacks.

    Empty when the source has no ``month_column``. A month counts as covered when some row's
    month falls in it.
    """
    if spec.month_column is None or spec.month_column not in frame.columns:
        return []
    present = set(as_dates(frame[spec.month_column]).dropna().dt.strftime("%Y-%m"))
    expected = pd.period_range(f"{on.year}-01", f"{on.year}-{on.month:02d}", freq="M").strftime("%Y-%m")
    return [month for month in expected if month not in present]


def read_source(path: Path, spec: SourceSpec, on: dt.date | None = None) -> pd.DataFrame:
    """Read one extract file (CSV or Parquet, never modified) and return the validated frame."""
    frame = read_table(path, spec.schema)
    frame = parse_booleans(frame, spec.schema)
    return validate_frame(frame, spec, path, on)


def standard_check_columns(key: tuple[str, ...], **specific: str) -> dict[str, str]:
    """Report columns of the shared checks plus the source's own (``check_name=column``)."""
    return {
        "county_valid_on_reference_date": "county",
        "municipality_in_county": "municipality",
        "age_plausible_on_reference_date": "birth_year",
        "key_is_unique": key[0],
        **specific,
    }


def find_source_file(directory: Path, year: int, name: str) -> Path:
    """``<directory>/<year>/<name>.csv`` or ``.parquet``; raise listing the years that exist."""
    folder = Path(directory) / str(year)
    for suffix in SUFFIXES:
        path = folder / f"{name}{suffix}"
        if path.is_file():
            return path
    existing = config.years_in(Path(directory))
    listed = ", ".join(map(str, existing)) if existing else "none"
    raise DataNotFoundError(
        f"No {name} extract for {year}: expected {folder / name}.csv or .parquet. "
        f"Years that exist in {directory}: {listed}."
    )


def extract_date_of(year: int) -> dt.date:
    """The extract date of a year folder: 31 December."""
    return dt.date(year, 12, 31)


def load_year(spec: SourceSpec, year: int, data_dir: Path | None = None) -> pd.DataFrame:
    """Load and validate ``spec``'s extract for ``year`` (``data_dir`` None: the default data).

    An extract validated before (same bytes, same code and code lists) is read from the
    validated store (:mod:`imdi_analysis.sources.validated_cache`) instead of being checked again.
    """
    directory, _synthetic = config.register_dir(data_dir)
    path = find_source_file(directory, year, spec.name)
    return read_validated(path, spec, extract_date_of(year))


def read_validated(path: Path, spec: SourceSpec, on: dt.date | None) -> pd.DataFrame:
    """:func:`read_source` through the validated store: validate only bytes not validated before."""
    entry = validated_cache.entry_path(spec.name, path, on)
    frame = validated_cache.fetch(entry)
    if frame is None:
        frame = read_source(path, spec, on)
        validated_cache.store(entry, frame)
    return frame


def meta_path_of(module_file: str) -> Path:
    """``<source>.meta.yml`` beside a source module."""
    module = Path(module_file)
    return module.with_name(f"{module.stem}.meta.yml")
