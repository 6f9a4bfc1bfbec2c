"""Reading CSV dialects and reporting validation failures by file, column and row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.typing import Series

from imdi_analysis.errors import DataNotFoundError, DataValidationError
from imdi_analysis.tabular import load_validated, read_table, write_csv_atomic


class Example(pa.DataFrameModel):
    name: Series[str] = pa.Field(description="A name.")
    amount: Series[float] = pa.Field(ge=0, description="A non-negative amount.")
    code: Series[str] = pa.Field(isin=["A", "B"], description="A code.")

    class Config:
        strict = True
        coerce = True


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "example.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("name,amount,code\nÆrlig Øst,1.5,A\n", "utf-8"),
        ("\ufeffname,amount,code\nÆrlig Øst,1.5,A\n", "utf-8"),
        ("name;amount;code\nÆrlig Øst;1,5;A\n", "cp1252"),
        ("name;amount;code\nÆrlig Øst;1,5;A\n", "utf-8"),
    ],
    ids=["utf8-comma", "utf8-bom", "cp1252-semicolon-decimal-comma", "utf8-semicolon"],
)
def test_dialects_load_to_the_same_frame(tmp_path: Path, text: str, encoding: str):
    frame = load_validated(write(tmp_path, text, encoding), Example)
    assert frame.loc[0, "name"] == "Ærlig Øst"
    assert frame.loc[0, "amount"] == 1.5


def test_failures_name_file_column_check_and_row(tmp_path: Path):
    path = write(tmp_path, "name,amount,code\na,1,A\nb,-2,C\nc,x,A\n")
    with pytest.raises(DataValidationError) as info:
        load_validated(path, Example)
    message = str(info.value)
    assert str(path) in message
    assert "column 'code'" in message and "row 2: 'C'" in message
    assert "column 'amount'" in message and "row 3: 'x'" in message
    report = info.value.report
    assert set(report.columns) == {"file", "column", "check", "row", "value"}
    assert {(r.column, r.row) for r in report.itertuples()} >= {("code", 2), ("amount", 3)}


def test_extra_and_missing_columns_are_reported(tmp_path: Path):
    path = write(tmp_path, "name,amount,extra\na,1,z\n")
    with pytest.raises(DataValidationError, match="extra") as info:
        load_validated(path, Example)
    assert "column missing from file" in str(info.value)


def test_empty_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(DataValidationError, match="empty"):
        read_table(write(tmp_path, ""))


def test_missing_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(DataNotFoundError, match="not found"):
        read_table(tmp_path / "none.csv")


def test_csv_writer_is_byte_stable_and_atomic(tmp_path: Path):
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    path = tmp_path / "out" / "t.csv"
    write_csv_atomic(frame, path)
    first = path.read_bytes()
    write_csv_atomic(frame, path)
    assert path.read_bytes() == first == b"a,b\n1,x\n2,y\n"
    assert not list(path.parent.glob(".*tmp"))
