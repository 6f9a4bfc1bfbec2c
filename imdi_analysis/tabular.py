"""Reading tabular files in the dialects that arrive in practice, and validating them.

CSV files may be UTF-8 (with or without BOM) or Windows-1252, separated by ``;``, ``,`` or tab
(chosen from the header line), with decimal comma in the Norwegian dialect. Every row must have
as many fields as the header: a row cut short (an interrupted copy) or with a field too many is
an error naming the row, where pandas alone would pad it with empty values. When a schema is
given, a header without any separator is read as one column, so that the schema names the
columns that are missing; an empty file names the columns the schema expects. Parquet is read
as is. Validation is lazy: every failure of every check is collected into one report that names
file, column, check, row and value, and raised as :class:`~imdi_analysis.errors.DataValidationError`.

Date columns of CSV files are ISO ``YYYY-MM-DD``; :func:`iso_date_field` declares one so that a
date in another format is reported with its row and value.

Hostile input is refused with a report naming file, column and row, never with a traceback:

- UTF-16 (with or without BOM) is refused as such ("the file is UTF-16; save it as UTF-8"); it
  is not decoded, because without a BOM its byte order is a guess. Other NUL bytes (a workbook
  renamed ``.csv``) are refused as not a text file.
- A field over :data:`MAX_FIELD_CHARS` (128 KiB, the :mod:`csv` module's own limit) is refused,
  naming its row and column; no register or letter value is that long.
- A float column holding ``inf``, ``-inf``, ``nan`` or a number that overflows (``1e309``) is
  refused (check :data:`CHECK_FINITE`); pandas would read them as numbers.
- A date that is no calendar date (``2022-13-40``) or outside what pandas can hold
  (``0000-01-01``) is reported with its row and the text as written.
- Every value shown in a report is cut to :data:`SHOWN_CHARS` characters, followed by its length
  (:func:`shorten`), so a 10 MB value is never printed whole.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine

from imdi_analysis.errors import DataNotFoundError, DataValidationError

REPORT_COLUMNS = ["file", "column", "check", "row", "value"]
MAX_VALUES_IN_MESSAGE = 5
ENCODINGS = ("utf-8-sig", "cp1252")
SEPARATORS = (";", ",", "\t")
ONE_COLUMN = "\x1f"  # ASCII unit separator: absent from text files, so each line is one field
ISO_DATE_FORMAT = "%Y-%m-%d"
CHECK_EMPTY_FILE = "file is empty"
CHECK_TOO_FEW_FIELDS = "fewer fields than the header (row cut short?)"
CHECK_TOO_MANY_FIELDS = "more fields than the header (separator inside an unquoted value?)"
CHECK_KEY_UNIQUE = "multiple_fields_uniqueness"
MAX_FIELD_CHARS = 128 * 1024  # the csv module's default field limit; no real value comes near it
SHOWN_CHARS = 60  # characters of a value shown in a report
SAMPLE_BYTES = 4096  # bytes looked at to recognise UTF-16 without a BOM
UTF16_BOMS = {b"\xff\xfe": "little-endian", b"\xfe\xff": "big-endian"}
NON_FINITE_TEXTS = frozenset({"nan", "+nan", "-nan"})  # to_numeric turns inf and 1e309 into inf itself
CHECK_FIELD_SIZE = f"field longer than {MAX_FIELD_CHARS} characters"
CHECK_FINITE = "number_is_finite"
CHECK_ENCODING = "file is UTF-8 or Windows-1252 text"
SHORTENED = re.compile(rf"(?s).{{0,{SHOWN_CHARS}}}… \(\d+ characters\)")  # a value already cut
LINE = re.compile(r"[^\r\n]+")  # a line under any of the line ends pandas accepts
KEY_ERROR = r"^KeyError\(['\"](.+)['\"]\)$"  # a check reading a missing column

Date = pandas_engine.DateTime


def iso_date_field(description: str, nullable: bool = False) -> pa.Field:
    """A date column written ``YYYY-MM-DD``, stored as ``datetime64``.

    With the format fixed, a value in another format (``31.03.2022``) fails coercion on its own
    row and is reported with that row and value; without it, pandas guesses one format for the
    whole column and the report names neither.
    """
    kwargs = {"to_datetime_kwargs": {"format": ISO_DATE_FORMAT}}
    return pa.Field(nullable=nullable, dtype_kwargs=kwargs, description=description)


def has_columns(frame: pd.DataFrame, *columns: str) -> bool:
    """Whether ``frame`` has every column; a dataframe check returns :func:`passes` otherwise,
    so that a missing column is reported once, as missing, by the strict schema."""
    return set(columns) <= set(frame.columns)


def passes(frame: pd.DataFrame) -> pd.Series:
    """An all-true check result, one per row."""
    return pd.Series(True, index=frame.index)


def as_dates(values: pd.Series) -> pd.Series:
    """ISO dates as ``datetime64``; values that failed coercion (reported by it) become ``NaT``."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    return pd.to_datetime(values, errors="coerce", format=ISO_DATE_FORMAT)


def shorten(value: object, limit: int = SHOWN_CHARS) -> object:
    """``value`` as shown in a report: text over ``limit`` characters cut, with its length.

    >>> shorten("x" * 100)
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (100 characters)'
    """
    if isinstance(value, str) and len(value) > limit and not SHORTENED.fullmatch(value):
        return f"{value[:limit]}… ({len(value)} characters)"
    return value


def shorten_all(values: pd.Series) -> pd.Series:
    """:func:`shorten` of every text value, keeping the dtype (and missing values) of ``values``."""
    long = (values.str.len() > SHOWN_CHARS).fillna(False).astype(bool)
    if not long.any():
        return values
    return values.mask(long, values[long].map(shorten))


def encoding_error(path: Path, found: str, fix: str) -> DataValidationError:
    """The error for a file that is not UTF-8 or Windows-1252 text, with a one-row report."""
    report = pd.DataFrame([[str(path), "", CHECK_ENCODING, None, found]], columns=REPORT_COLUMNS)
    return DataValidationError(f"{path}: {found}; {fix}", report=report.astype({"row": "Int64"}))


def utf16_byte_order(raw: bytes) -> str | None:
    """``little-endian``/``big-endian`` when ``raw`` looks like UTF-16 text, else ``None``.

    With a BOM the BOM says so; without one, text that is mostly ASCII has a NUL in every other
    byte, at odd positions (little-endian) or even ones (big-endian).
    """
    for bom, order in UTF16_BOMS.items():
        if raw.startswith(bom):
            return order
    sample = raw[:SAMPLE_BYTES]
    if len(sample) < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd >= half * 0.4 and even == 0:
        return "little-endian"
    if even >= half * 0.4 and odd == 0:
        return "big-endian"
    return None


def decode_bytes(raw: bytes, path: Path) -> str:
    """Decode file bytes as UTF-8 (BOM allowed), falling back to Windows-1252.

    Raises
    ------
    DataValidationError
        When the file is UTF-16 or holds NUL bytes (not a text file); the message says so.
    """
    order = utf16_byte_order(raw)
    if order is not None:
        bom = "with" if raw[:2] in UTF16_BOMS else "without"
        raise encoding_error(
            path, f"the file is UTF-16 ({order}, {bom} BOM)", "save it as UTF-8 (CSV UTF-8) and try again."
        )
    if b"\x00" in raw:
        at = raw.index(b"\x00")
        raise encoding_error(
            path,
            f"the file holds NUL bytes (first at byte {at}): it is not a text file",
            "export the data as CSV (UTF-8); an Excel workbook renamed .csv is not a CSV file.",
        )
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DataValidationError(f"{path}: cannot decode the file as UTF-8 or Windows-1252.")


def sniff_separator(header: str, path: Path, one_column: bool = False) -> str:
    """Choose ``;``, ``,`` or tab from the header line.

    A header without any of them is one column: with ``one_column`` the file is read that way
    (:data:`ONE_COLUMN`), otherwise it is an error.
    """
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    sep, n = max(counts.items(), key=lambda kv: kv[1])
    if n > 0:
        return sep
    if one_column:
        return ONE_COLUMN
    raise DataValidationError(
        f"{path}: the header line has no ';', ',' or tab separator: {header[:80]!r}. "
        "Save the file as CSV with a header row."
    )


def header_line(text: str) -> str:
    """The first line that is not blank (pandas skips blank lines before the header too)."""
    return next(line for line in (m.group() for m in LINE.finditer(text)) if line.strip())


def read_table(path: Path, schema: type[pa.DataFrameModel] | None = None) -> pd.DataFrame:
    """Read a CSV or Parquet file into a frame of strings (CSV) or typed columns (Parquet).

    Empty cells become missing values. When ``schema`` is given and the file uses ``;``,
    decimal commas in the schema's float columns are turned into points so that the schema
    can coerce them.

    Raises
    ------
    DataNotFoundError
        When the file does not exist.
    DataValidationError
        When the file is empty (naming the columns ``schema`` expects), cannot be decoded or
        parsed, has no separator in its header (without ``schema``), or has a row with fewer
        or more fields than the header (naming the row and the first missing column).
    """
    path = Path(path)
    if not path.is_file():
        raise DataNotFoundError(f"File not found: {path}.")
    if path.suffix.lower() == ".parquet":
        return pd.read_parquet(path)
    text = decode_bytes(path.read_bytes(), path)
    if not text.strip():
        raise empty_file_error(path, schema)
    sep = sniff_separator(header_line(text), path, one_column=schema is not None)
    # pandas reads UTF-8 bytes; a StringIO of the text would hold 4 bytes per character
    data = text.encode("utf-8")
    check_field_sizes(text, sep, path, data)
    check_field_counts(text, sep, path, data)
    try:
        frame = pd.read_csv(
            io.BytesIO(data),
            encoding="utf-8",
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            quoting=csv.QUOTE_MINIMAL,
        )
    except pd.errors.ParserError as exc:
        raise DataValidationError(
            f"{path}: the CSV cannot be parsed ({shorten(str(exc), 200)}). Check quoting and separators."
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if sep == ";" and schema is not None:
        frame = fix_decimal_comma(frame, schema)
    return frame


def empty_file_error(path: Path, schema: type[pa.DataFrameModel] | None) -> DataValidationError:
    """The error for an empty file, naming the columns ``schema`` expects (when given)."""
    if schema is None:
        return DataValidationError(f"{path}: the file is empty; expected a header row and data.")
    columns = ", ".join(schema.to_schema().columns)
    report = pd.DataFrame([[str(path), "", CHECK_EMPTY_FILE, None, f"expected columns: {columns}"]])
    report.columns = REPORT_COLUMNS
    return DataValidationError(
        f"{path}: the file is empty; expected a header row with the columns {columns}, and data rows. "
        "Export the file again.",
        report=report.astype({"row": "Int64"}),
    )


def is_blank(fields: list[str]) -> bool:
    """Whether a CSV record is a blank line (pandas skips those)."""
    return len(fields) == 0 or (len(fields) == 1 and not fields[0].strip())


@contextlib.contextmanager
def unlimited_csv_fields() -> Iterator[None]:
    """Within the block the :mod:`csv` module reads fields of any size (over-long ones are
    reported by :func:`check_field_sizes`, not by a ``_csv.Error``)."""
    previous = csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def has_lone_cr(text: str) -> bool:
    """Whether ``text`` has a carriage return that is not part of ``\\r\\n`` (old Mac line ends)."""
    return "\r" in text and text.count("\r") != text.count("\r\n")


def check_field_sizes(text: str, sep: str, path: Path, data: bytes | None = None) -> None:
    """Raise :class:`DataValidationError` when a field is longer than :data:`MAX_FIELD_CHARS`.

    A short file (or one whose lines are all shorter, and without quotes) cannot hold such a
    field, which is decided on the UTF-8 bytes with numpy; only otherwise are records split. The
    report names row (1-based data row), column and the value's start and length.
    """
    data = data if data is not None else text.encode("utf-8")
    if len(data) <= MAX_FIELD_CHARS:
        return
    if '"' not in text and not has_lone_cr(text):
        raw = np.frombuffer(data, dtype=np.uint8)
        ends = np.concatenate([[-1], np.flatnonzero(raw == ord("\n")), [len(raw)]])
        if (np.diff(ends) - 1).max() <= MAX_FIELD_CHARS:
            return
    failures = []
    with unlimited_csv_fields():
        header = [name.strip() for name in next(csv.reader([header_line(text)], delimiter=sep))]
        records = (fields for fields in split_records(text, sep) if not is_blank(fields))
        for row, fields in enumerate(records):  # row 0 is the header
            for i, value in enumerate(fields):
                if len(value) > MAX_FIELD_CHARS:
                    column = shorten(header[i]) if i < len(header) else f"(field {i + 1}, beyond the header)"
                    column = "(header)" if row == 0 else column
                    failures.append([str(path), column, CHECK_FIELD_SIZE, row or None, shorten(value)])
    if not failures:
        return
    report = pd.DataFrame(failures, columns=REPORT_COLUMNS).astype({"row": "Int64"})
    raise DataValidationError(
        f"{format_report(report)}\nNo value may be longer than {MAX_FIELD_CHARS} characters; "
        "check quoting (an unclosed quote swallows the rest of the file) or export the file again.",
        report=report,
    )


def check_field_counts(text: str, sep: str, path: Path, data: bytes | None = None) -> None:
    """Raise :class:`DataValidationError` when a row has fewer or more fields than the header.

    Records are split with the :mod:`csv` module (quoted separators and line breaks inside
    quotes do not count). pandas pads a short row with empty values, so a file cut at a field
    boundary would otherwise load; a row with a field too many would shift or be rejected by
    its line number. Rows are 1-based data rows, as in :func:`failure_report`. ``data`` is
    ``text`` encoded as UTF-8, when the caller has it.
    """
    with unlimited_csv_fields():
        header = [name.strip() for name in next(csv.reader([header_line(text)], delimiter=sep))]
        if fields_match_header(text, sep, len(header), data):
            return
        records = (fields for fields in split_records(text, sep) if not is_blank(fields))
        next(records)  # the header
        failures = [
            field_count_failure(str(path), header, row, len(fields))
            for row, fields in enumerate(records, start=1)
            if len(fields) != len(header)
        ]
    if not failures:
        return
    report = pd.DataFrame(failures, columns=REPORT_COLUMNS).astype({"row": "Int64"})
    raise DataValidationError(
        f"{format_report(report)}\nEvery row must have as many fields as the header "
        f"({len(header)}); check whether the file was cut short or a value holds an unquoted separator.",
        report=report,
    )


def fields_match_header(text: str, sep: str, width: int, data: bytes | None = None) -> bool:
    """Quick test that every non-blank record has ``width`` fields; ``False`` means look closer.

    Without quotes or lone carriage returns a record is a line. The separators per line are
    counted on the UTF-8 bytes with numpy (separator and line feed are single ASCII bytes), which
    is several times faster than splitting records with :mod:`csv` and holds no list of lines;
    only when some line differs are the lines split to see whether those are blank.
    """
    if '"' in text or has_lone_cr(text):
        widths = np.fromiter(map(len, split_records(text, sep)), dtype=np.int64)
        return bool((widths[widths > 0] == width).all())
    raw = np.frombuffer((data if data is not None else text.encode("utf-8")).rstrip(b"\r\n"), dtype=np.uint8)
    breaks = np.flatnonzero(raw == ord("\n"))
    line_of_sep = np.searchsorted(breaks, np.flatnonzero(raw == ord(sep)))
    counts = np.bincount(line_of_sep, minlength=len(breaks) + 1)
    if (counts == width - 1).all():
        return True
    lines = text.rstrip("\r\n").split("\n")
    return all(not line.strip() for line, n in zip(lines, counts, strict=True) if n != width - 1)


def split_records(text: str, sep: str) -> Iterator[list[str]]:
    """The CSV records of ``text``, split as pandas splits them (``"`` quotes, doubled to escape)."""
    return csv.reader(io.StringIO(text, newline=""), delimiter=sep)


def field_count_failure(path: str, header: list[str], row: int, n_fields: int) -> list:
    """One report row for a data row with ``n_fields`` fields: the first missing column when short."""
    value = f"{n_fields} fields, header has {len(header)}"
    if n_fields < len(header):
        return [path, header[n_fields], CHECK_TOO_FEW_FIELDS, row, value]
    return [path, "", CHECK_TOO_MANY_FIELDS, row, value]


def fix_decimal_comma(frame: pd.DataFrame, schema: type[pa.DataFrameModel]) -> pd.DataFrame:
    """Replace decimal commas by points in the columns the schema types as float."""
    out = frame.copy()
    for name, column in schema.to_schema().columns.items():
        if name in out.columns and column.dtype is not None and "float" in str(column.dtype):
            out[name] = out[name].str.replace(" ", "", regex=False).str.replace(",", ".", regex=False)
    return out


def validate(frame: pd.DataFrame, schema: type[pa.DataFrameModel], path: Path | str) -> pd.DataFrame:
    """Validate ``frame`` lazily against ``schema``; raise one readable error listing every failure.

    Besides the schema's own checks, float columns must hold finite numbers and date columns
    real dates (:func:`value_failures`).
    """
    extra = value_failures(frame, schema, path)
    try:
        validated = schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = drop_partial_key_failures(exc.failure_cases, schema, frame)
        report = merge_reports(extra, failure_report(cases, frame, str(path)))
        raise DataValidationError(format_report(report), report=report) from None
    if not extra.empty:
        raise DataValidationError(format_report(extra), report=extra)
    return validated


@functools.cache
def column_dtypes(schema: type[pa.DataFrameModel]) -> dict[str, str]:
    """The dtype name of each column of ``schema`` (``""`` when untyped); building the schema is
    slow, so it is done once per model."""
    columns = schema.to_schema().columns.items()
    return {name: "" if column.dtype is None else str(column.dtype) for name, column in columns}


def columns_typed(schema: type[pa.DataFrameModel], kind: str) -> list[str]:
    """Columns whose dtype name contains ``kind`` (``"float"``, ``"datetime"``)."""
    return [name for name, dtype in column_dtypes(schema).items() if kind in dtype]


def report_rows(path: Path | str, column: str, check: str, failing: pd.Series, values: pd.Series) -> list:
    """Report rows (1-based data rows) where ``failing`` holds, with the values shortened."""
    positions = np.flatnonzero(failing.fillna(False).to_numpy(dtype=bool))
    if len(positions) == 0:
        return []
    shown = values.iloc[positions].astype(str).map(shorten)
    return [[str(path), column, check, int(i) + 1, v] for i, v in zip(positions, shown, strict=True)]


def non_finite(values: pd.Series) -> pd.Series:
    """Cells that hold ``inf``, ``-inf``, ``nan`` or a number too large for a float (``1e309``).

    Text is parsed once as a whole column; only cells that did not parse (few, in a valid file)
    are stripped and compared as text.
    """
    if pd.api.types.is_numeric_dtype(values):
        return pd.Series(np.isinf(values.to_numpy(dtype=float)), index=values.index)
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    failing = pd.Series(np.isinf(numbers), index=values.index)
    unparsed = np.isnan(numbers) & values.notna().to_numpy()
    if unparsed.any():
        text = values[unparsed].astype("string").str.strip()
        spaced = np.isinf(pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan))
        failing[unparsed] = spaced | text.str.lower().isin(NON_FINITE_TEXTS).fillna(False).to_numpy(
            dtype=bool
        )
    return failing


def unreadable_dates(values: pd.Series) -> pd.Series:
    """Cells with text that is no ISO date within ``datetime64[ns]`` (``2022-13-40``, ``0000-01-01``).

    pandas 3 parses ``0000-01-01`` (at microsecond resolution), but the schema's ``datetime64[ns]``
    cannot hold it: such a date is unreadable too.
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        return pd.Series(False, index=values.index)
    text = values.astype("string")
    parsed = pd.to_datetime(text, errors="coerce", format=ISO_DATE_FORMAT)
    in_range = parsed.between(pd.Timestamp.min, pd.Timestamp.max)
    return (text.notna() & ~in_range).astype(bool)


def value_failures(frame: pd.DataFrame, schema: type[pa.DataFrameModel], path: Path | str) -> pd.DataFrame:
    """Report rows for non-finite numbers in float columns and unreadable dates in date columns.

    pandera reads ``inf`` and ``1e309`` as numbers that pass ``ge=0``, and reports a date out of
    pandas' range (``0000-01-01``) as ``nan`` without a row; these rows name row and text. An
    unreadable date is reported under pandera's own check name, ``coerce_dtype(...)``.
    """
    rows = []
    for column in columns_typed(schema, "float"):
        if column in frame.columns:
            rows += report_rows(path, column, CHECK_FINITE, non_finite(frame[column]), frame[column])
    for column in columns_typed(schema, "datetime"):
        if column in frame.columns:
            check = f"coerce_dtype('{column_dtypes(schema)[column]}')"
            rows += report_rows(path, column, check, unreadable_dates(frame[column]), frame[column])
    return pd.DataFrame(rows, columns=REPORT_COLUMNS).astype({"row": "Int64"})


def cell_rows(report: pd.DataFrame) -> list[int]:
    """The report's rows as plain integers, ``0`` where no row is named."""
    return [0 if pd.isna(row) else int(row) for row in report["row"]]


def merge_reports(extra: pd.DataFrame, report: pd.DataFrame) -> pd.DataFrame:
    """``report`` with the rows of ``extra``; where both speak of one cell, or of coercing a column
    ``extra`` names by row, the row of ``extra`` is kept (it has the row and the text as written)."""
    if extra.empty:
        return report
    cells = set(zip(extra["column"], cell_rows(extra), strict=True))
    coerced = set(extra.loc[extra["check"].str.startswith("coerce_dtype"), "column"])
    keys = zip(report["column"], cell_rows(report), strict=True)
    same_cell = pd.Series([key in cells for key in keys], index=report.index, dtype=bool)
    same_coercion = report["column"].isin(coerced) & report["check"].str.startswith("coerce_dtype")
    merged = pd.concat([report[~(same_cell | same_coercion)], extra], ignore_index=True)
    merged["row"] = merged["row"].astype("Int64")
    return merged.sort_values(["column", "check", "row"], na_position="first").reset_index(drop=True)


def drop_partial_key_failures(
    cases: pd.DataFrame, schema: type[pa.DataFrameModel], frame: pd.DataFrame
) -> pd.DataFrame:
    """Drop key-uniqueness failures when a key column is missing from ``frame``.

    pandera then checks the key columns that are present, which flags rows that differ only in
    the missing column; the missing column itself is reported.
    """
    key = schema.to_schema().unique or []
    key = [key] if isinstance(key, str) else list(key)
    if all(column in frame.columns for column in key):
        return cases
    return cases[cases["check"].astype(str) != CHECK_KEY_UNIQUE]


def failure_report(cases: pd.DataFrame, frame: pd.DataFrame, path: str) -> pd.DataFrame:
    """Turn pandera's failure cases into ``file, column, check, row, value`` rows.

    Rows are 1-based data row numbers (the header row is not counted, so row 1 is line 2 of a
    CSV file). Failures of a dataframe check name no column (pandera lists every cell of the
    failing row), except those of a composite key (``Config.unique``), which name each key
    column. Follow-on failures are dropped: those caused by a column that could not be coerced,
    and errors of checks that read a column missing from the file (reported once, as missing).
    """
    cases = cases.copy()
    position = {label: i + 1 for i, label in enumerate(frame.index)}
    check = cases["check"].astype(str)
    names_column = (cases["schema_context"] != "DataFrameSchema") | (check == CHECK_KEY_UNIQUE)
    column = cases["column"].where(names_column, None)
    value = shorten_all(cases["failure_case"].astype(str))
    out = pd.DataFrame(
        {
            "file": path,
            "column": column.fillna("").astype(str),
            "check": check.str.replace("column_in_schema", "column not in schema (extra column)").str.replace(
                "column_in_dataframe", "column missing from file"
            ),
            "row": [position.get(i) if i is not None and not _isna(i) else None for i in cases["index"]],
            "value": value,
        }
    )
    uncoercible = set(out.loc[out["check"].str.startswith("coerce_dtype"), "column"])
    missing = set(out.loc[(check == "column_in_dataframe").to_numpy(), "value"])
    follow_on = out["value"].str.contains("TypeError|Invalid comparison", regex=True) | (
        out["column"].isin(uncoercible) & out["check"].str.startswith("dtype(")
    )
    follow_on |= out["value"].str.extract(KEY_ERROR, expand=False).isin(missing)
    out = out[~follow_on] if (~follow_on).any() else out
    out["row"] = out["row"].astype("Int64")
    return out.sort_values(["column", "check", "row"], na_position="first").reset_index(drop=True)


def _isna(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def format_report(report: pd.DataFrame) -> str:
    """One paragraph per (file, column, check): the count and the first failing rows and values."""
    lines = [f"Validation failed: {len(report)} problem(s)."]
    for (file, column, check), group in report.groupby(["file", "column", "check"], sort=False, dropna=False):
        where = f"column {shorten(column)!r}" if column else "table"
        shown = group.head(MAX_VALUES_IN_MESSAGE)
        cells = ", ".join(
            (f"row {r}: {shorten(v)!r}" if not pd.isna(r) else repr(shorten(v)))
            for r, v in zip(shown["row"], shown["value"], strict=False)
        )
        more = f" … and {len(group) - len(shown)} more" if len(group) > len(shown) else ""
        lines.append(f"- {file}, {where}, check {check}: {len(group)} failing ({cells}{more})")
    return "\n".join(lines)


def load_validated(path: Path, schema: type[pa.DataFrameModel]) -> pd.DataFrame:
    """Read ``path`` and validate it against ``schema``."""
    return validate(read_table(path, schema), schema, path)


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and an atomic rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp.write_bytes(payload)
    tmp.replace(path)


def write_parquet_atomic(frame: pd.DataFrame, path: Path) -> None:
    """Write a frame as Parquet atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    frame.to_parquet(tmp, index=False)
    tmp.replace(path)


__all__ = [
    "Date",
    "as_dates",
    "failure_report",
    "format_report",
    "has_columns",
    "iso_date_field",
    "load_validated",
    "passes",
    "read_table",
    "report_rows",
    "shorten",
    "validate",
    "value_failures",
    "write_atomic",
    "write_parquet_atomic",
]
