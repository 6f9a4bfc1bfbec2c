"""Reading CSV dialects and reporting validation failures by file, column and row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.typing import Series

from imdi_analysis.errors import DataNotFoundError, DataValidationError
from imdi_analysis.tabular import Date, iso_date_field, load_validated, read_table, write_csv_atomic


class Example(pa.DataFrameModel):
    name: Series[str] = pa.Field(description="A name.")
    amount: Series[float] = pa.Field(ge=0, description="A non-negative amount.")
    code: Series[str] = pa.Field(isin=["A", "B"], description="A code.")

    class Config:
        strict = True
        coerce = True


class Keyed(pa.DataFrameModel):
    chapter: Series[int] = pa.Field(description="Budget chapter.")
    post: Series[int] = pa.Field(description="Post within the chapter.")
    name: Series[str] = pa.Field(description="Name of the post.")

    @pa.dataframe_check
    @classmethod
    def name_is_not_the_post_number(cls, df: pd.DataFrame) -> Series[bool]:
        return df["name"] != df["post"].astype(str)  # reads 'post' without a guard on purpose

    class Config:
        strict = True
        coerce = True
        unique = ("chapter", "post")


class Dated(pa.DataFrameModel):
    day: Series[Date] = iso_date_field("A day.")

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


def test_an_empty_file_names_the_columns_the_schema_expects(tmp_path: Path):
    path = write(tmp_path, "")
    with pytest.raises(DataValidationError, match="empty") as info:
        read_table(path, Example)
    assert str(path) in str(info.value)
    assert "name, amount, code" in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "name,amount,code\na,1,A\nb,2",
        'name,amount,code\r\n"a, b",1,A\r\n"b",2',
        "name,amount,code\ra,1,A\rb,2\r",
    ],
    ids=["plain", "quoted-crlf", "cr-line-ends"],
)
def test_a_row_cut_at_a_field_boundary_fails_naming_its_row_and_first_missing_column(
    tmp_path: Path, text: str
):
    path = write(tmp_path, text)
    with pytest.raises(DataValidationError) as info:
        read_table(path, Example)
    assert str(path) in str(info.value)
    assert "column 'code'" in str(info.value) and "row 2:" in str(info.value)
    assert info.value.report[["column", "row"]].values.tolist() == [["code", 2]]


def test_a_row_with_more_fields_than_the_header_fails_naming_its_row(tmp_path: Path):
    path = write(tmp_path, "name;amount;code\na;1;A;x\nb;2;B\n")
    with pytest.raises(DataValidationError, match="more fields than the header") as info:
        read_table(path)
    assert "row 1:" in str(info.value)
    assert info.value.report["row"].tolist() == [1]


def test_quoted_separators_and_line_breaks_are_not_fields_and_blank_lines_are_not_rows(tmp_path: Path):
    frame = read_table(write(tmp_path, 'name,amount,code\n"a, b",1,A\n\n"line\nbreak",2,B\n'), Example)
    assert frame["name"].tolist() == ["a, b", "line\nbreak"]
    with pytest.raises(DataValidationError) as info:
        read_table(write(tmp_path, "name,amount,code\n\na,1,A\n   \nb,2\n"), Example)
    assert info.value.report["row"].tolist() == [2]  # the row number pandas and the schema give it


def test_a_tab_separated_file_loads(tmp_path: Path):
    frame = load_validated(write(tmp_path, "name\tamount\tcode\na, b\t1.5\tA\n"), Example)
    assert frame.loc[0, "name"] == "a, b"
    assert frame.loc[0, "amount"] == 1.5


def test_a_header_without_separator_is_one_column_and_the_schema_names_the_missing_ones(tmp_path: Path):
    path = write(tmp_path, "name\na\nb\n")
    with pytest.raises(DataValidationError, match="column missing from file") as info:
        load_validated(path, Example)
    assert set(info.value.report["value"]) == {"amount", "code"}
    with pytest.raises(DataValidationError, match="no ';', ',' or tab separator"):
        read_table(path)


def test_a_duplicate_composite_key_names_every_key_column_and_both_rows(tmp_path: Path):
    path = write(tmp_path, "chapter,post,name\n670,1,Drift\n670,21,Spesielle\n670,1,Drift igjen\n")
    with pytest.raises(DataValidationError) as info:
        load_validated(path, Keyed)
    report = info.value.report
    assert set(report["check"]) == {"multiple_fields_uniqueness"}
    assert set(zip(report["column"], report["row"], strict=True)) == {
        ("chapter", 1), ("chapter", 3), ("post", 1), ("post", 3)
    }  # fmt: skip
    assert "column 'chapter'" in str(info.value) and "column 'post'" in str(info.value)


def test_a_missing_key_column_is_reported_once_without_uniqueness_or_key_error_noise(tmp_path: Path):
    path = write(tmp_path, "chapter,name\n670,Drift\n670,Spesielle\n")
    with pytest.raises(DataValidationError) as info:
        load_validated(path, Keyed)
    report = info.value.report
    assert report[["check", "value"]].values.tolist() == [["column missing from file", "post"]]
    assert "KeyError" not in str(info.value)


def test_a_date_not_in_iso_format_is_reported_with_its_row_and_value(tmp_path: Path):
    path = write(tmp_path, "day\n2022-01-31\n31.01.2022\n2022-02-01\n")
    with pytest.raises(DataValidationError) as info:
        load_validated(path, Dated)
    assert "column 'day'" in str(info.value) and "row 2: '31.01.2022'" in str(info.value)
    assert load_validated(write(tmp_path, "day\n2022-01-31\n"), Dated)["day"].dt.day.tolist() == [31]


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
