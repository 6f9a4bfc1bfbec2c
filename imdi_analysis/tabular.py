"""Reading tabular files in the dialects that arrive in practice, and validating them.

CSV files may be UTF-8 (with or without BOM) or Windows-1252, separated by ``;`` or ``,``,
with decimal comma in the Norwegian dialect. Parquet is read as is. Validation is lazy: every
failure of every check is collected into one report that names file, column, check, row and
value, and raised as :class:`~imdi_analysis.errors.DataValidationError`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from imdi_analysis.errors import DataNotFoundError, DataValidationError

REPORT_COLUMNS = ["file", "column", "check", "row", "value"]
MAX_VALUES_IN_MESSAGE = 5
ENCODINGS = ("utf-8-sig", "cp1252")


def decode_bytes(raw: bytes, path: Path) -> str:
    """Decode file bytes as UTF-8 (BOM allowed), falling back to Windows-1252."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DataValidationError(f"{path}: cannot decode the file as UTF-8 or Windows-1252.")


def sniff_separator(header: str, path: Path) -> str:
    """Choose ``;``, ``,`` or tab from the header line."""
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    sep, n = max(counts.items(), key=lambda kv: kv[1])
    if n == 0:
        raise DataValidationError(
            f"{path}: the header line has no ';', ',' or tab separator: {header[:80]!r}. "
            "Save the file as CSV with a header row."
        )
    return sep


def read_table(path: Path, schema: type[pa.DataFrameModel] | None = None) -> pd.DataFrame:
    """Read a CSV or Parquet file into a frame of strings (CSV) or typed columns (Parquet).

    Empty cells become missing values. When ``schema`` is given and the file uses ``;``,
    decimal commas in the schema's float columns are turned into points so that the schema
    can coerce them.
    """
    path = Path(path)
    if not path.is_file():
        raise DataNotFoundError(f"File not found: {path}.")
    if path.suffix.lower() == ".parquet":
        return pd.read_parquet(path)
    text = decode_bytes(path.read_bytes(), path)
    if not text.strip():
        raise DataValidationError(f"{path}: the file is empty; expected a header row and data.")
    header = text.splitlines()[0]
    sep = sniff_separator(header, path)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            quoting=csv.QUOTE_MINIMAL,
        )
    except pd.errors.ParserError as exc:
        raise DataValidationError(
            f"{path}: the CSV cannot be parsed ({exc}). Check quoting and separators."
        ) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    if sep == ";" and schema is not None:
        frame = fix_decimal_comma(frame, schema)
    return frame


def fix_decimal_comma(frame: pd.DataFrame, schema: type[pa.DataFrameModel]) -> pd.DataFrame:
    """Replace decimal commas by points in the columns the schema types as float."""
    out = frame.copy()
    for name, column in schema.to_schema().columns.items():
        if name in out.columns and column.dtype is not None and "float" in str(column.dtype):
            out[name] = out[name].str.replace(" ", "", regex=False).str.replace(",", ".", regex=False)
    return out


def validate(frame: pd.DataFrame, schema: type[pa.DataFrameModel], path: Path | str) -> pd.DataFrame:
    """Validate ``frame`` lazily against ``schema``; raise one readable error listing every failure."""
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        report = failure_report(exc.failure_cases, frame, str(path))
        raise DataValidationError(format_report(report), report=report) from None


def failure_report(cases: pd.DataFrame, frame: pd.DataFrame, path: str) -> pd.DataFrame:
    """Turn pandera's failure cases into ``file, column, check, row, value`` rows.

    Rows are 1-based data row numbers (the header row is not counted, so row 1 is line 2 of a
    CSV file). Follow-on failures caused by a column that could not be coerced are dropped.
    """
    cases = cases.copy()
    position = {label: i + 1 for i, label in enumerate(frame.index)}
    column = cases["column"].where(cases["schema_context"] != "DataFrameSchema", None)
    check = cases["check"].astype(str)
    value = cases["failure_case"].astype(str)
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
    follow_on = out["value"].str.contains("TypeError|Invalid comparison", regex=True) | (
        out["column"].isin(uncoercible) & out["check"].str.startswith("dtype(")
    )
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
        where = f"column {column!r}" if column else "table"
        shown = group.head(MAX_VALUES_IN_MESSAGE)
        cells = ", ".join(
            (f"row {r}: {v!r}" if not pd.isna(r) else repr(v)) for r, v in zip(shown["row"], shown["value"], strict=False)
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


def write_csv_atomic(frame: pd.DataFrame, path: Path) -> None:
    """Write a frame as UTF-8 CSV (``\\n`` line ends, no index) atomically; byte-stable output."""
    write_atomic(path, frame.to_csv(index=False, lineterminator="\n"))


def write_parquet_atomic(frame: pd.DataFrame, path: Path) -> None:
    """Write a frame as Parquet atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    frame.to_parquet(tmp, index=False)
    tmp.replace(path)


__all__ = [
    "failure_report",
    "format_report",
    "load_validated",
    "read_table",
    "validate",
    "write_atomic",
    "write_csv_atomic",
    "write_parquet_atomic",
]
