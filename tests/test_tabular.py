"""Reading CSV dialects and reporting validation failures by file, column and row."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.typing import Series

from imdi_analysis.csv_output import write_csv
from imdi_analysis.errors import DataNotFoundError, DataValidationError
from imdi_analysis.tabular import Date, iso_date_field, load_validated, read_table


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
    write_csv(frame, path)
    first = path.read_bytes()
    write_csv(frame, path)
    assert path.read_bytes() == first == b"a,b\n1,x\n2,y\n"
    assert not list(path.parent.glob(".*tmp"))


# --- hostile input (issue 15) ------------------------------------------------------------------


@pytest.mark.parametrize("text", ["inf", "-inf", "1e309", "nan", "NaN", " Infinity "])
def test_a_non_finite_amount_is_refused_naming_row_and_text(tmp_path: Path, text: str):
    """``1e309`` overflows to inf and passed ``ge=0``; ``inf`` too. Row 2 is the bad one."""
    path = write(tmp_path, f"name,amount,code\na,1.5,A\nb,{text},B\n")
    with pytest.raises(DataValidationError) as info:
        load_validated(path, Example)
    report = info.value.report
    assert report[["column", "check", "row"]].values.tolist() == [["amount", "number_is_finite", 2]]
    assert str(path) in str(info.value) and f"row 2: {text!r}" in str(info.value)


def test_the_largest_finite_amount_and_a_decimal_comma_are_accepted(tmp_path: Path):
    """1.7976931348623157e308 is the largest finite float: a boundary that must load."""
    frame = load_validated(
        write(tmp_path, "name;amount;code\na;1.7976931348623157e308;A\nb;2,5;B\n"), Example
    )
    assert frame["amount"].tolist() == [1.7976931348623157e308, 2.5]


def test_a_non_finite_amount_in_parquet_is_refused(tmp_path: Path):
    path = tmp_path / "example.parquet"
    pd.DataFrame({"name": ["a", "b"], "amount": [1.0, float("inf")], "code": ["A", "B"]}).to_parquet(path)
    with pytest.raises(DataValidationError, match="number_is_finite") as info:
        load_validated(path, Example)
    assert info.value.report["row"].tolist() == [2]


@pytest.mark.parametrize("text", ["0000-01-01", "2022-13-40", "2022-02-30", "1677-09-20", "nan"])
def test_an_impossible_date_is_reported_with_its_row_and_the_text_as_written(tmp_path: Path, text: str):
    """Year 0 and 1677-09-20 are before what ``datetime64[ns]`` holds (pandas 3 parses them at
    microsecond resolution); pandera reported them as ``nan`` without a row."""
    path = write(tmp_path, f"day\n2022-01-31\n{text}\n")
    with pytest.raises(DataValidationError) as info:
        load_validated(path, Dated)
    assert f"row 2: {text!r}" in str(info.value)
    assert info.value.report[["column", "row", "value"]].values.tolist() == [["day", 2, text]]


def test_the_earliest_and_latest_dates_datetime64_holds_load(tmp_path: Path):
    frame = load_validated(write(tmp_path, "day\n1677-09-22\n2262-04-11\n"), Dated)
    assert frame["day"].dt.year.tolist() == [1677, 2262]


@pytest.mark.parametrize(
    ("encoding", "described"),
    [
        ("utf-16", "UTF-16 (little-endian, with BOM)"),
        ("utf-16-le", "UTF-16 (little-endian, without BOM)"),
        ("utf-16-be", "UTF-16 (big-endian, without BOM)"),
    ],
)
def test_utf16_is_refused_as_utf16(tmp_path: Path, encoding: str, described: str):
    path = write(tmp_path, "name,amount,code\nÆrlig Øst,1.5,A\n", encoding)
    with pytest.raises(DataValidationError) as info:
        read_table(path, Example)
    message = str(info.value)
    assert message.startswith(f"{path}: the file is {described}; save it as UTF-8")
    assert "column" not in message
    assert info.value.report["value"].tolist() == [f"the file is {described}"]


def test_a_workbook_renamed_csv_is_refused_as_not_a_text_file(tmp_path: Path):
    path = tmp_path / "example.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00name,amount")
    with pytest.raises(
        DataValidationError, match=re.escape("NUL bytes (first at byte 5): it is not a text file")
    ):
        read_table(path, Example)


@pytest.mark.parametrize("quoted", [False, True], ids=["unquoted", "quoted"])
def test_a_field_over_128_kib_names_file_row_and_column_without_printing_it(tmp_path: Path, quoted: bool):
    """131 073 characters is one over the limit; the quoted file goes through the csv module,
    whose own limit gave a bare ``_csv.Error``."""
    value = ("a, " if quoted else "a") + "x" * (128 * 1024 + 1 - (3 if quoted else 1))
    cell = f'"{value}"' if quoted else value
    path = write(tmp_path, f"name,amount,code\nb,1,A\n{cell},2,B\n")
    with pytest.raises(DataValidationError) as info:
        read_table(path, Example)
    message = str(info.value)
    assert str(path) in message and "column 'name'" in message and "row 2:" in message
    assert "(131073 characters)" in message and len(message) < 1000


def test_a_field_of_exactly_128_kib_loads(tmp_path: Path):
    frame = read_table(write(tmp_path, f"name,amount,code\n{'x' * 128 * 1024},1,A\n"), Example)
    assert len(frame.loc[0, "name"]) == 131072


def test_a_10_mb_bad_value_is_shown_cut_to_60_characters_with_its_length(tmp_path: Path):
    """A 100 000-character code (under the field limit) fails ``isin``; the message shows its
    first 60 characters and its length, and the report holds the same short text."""
    path = write(tmp_path, f"name,amount,code\na,1,{'C' * 100_000}\n")
    with pytest.raises(DataValidationError) as info:
        load_validated(path, Example)
    shown = "C" * 60 + "… (100000 characters)"
    assert f"row 1: {shown!r}" in str(info.value) and len(str(info.value)) < 500
    assert info.value.report["value"].tolist() == [shown]
    big = write(tmp_path, f"name,amount,code\n{'n' * 10_000_000},1,A\n")
    with pytest.raises(DataValidationError) as info:
        read_table(big, Example)
    assert "(10000000 characters)" in str(info.value) and len(str(info.value)) < 1000


def test_a_header_name_over_128_kib_is_reported_as_the_header_and_cut(tmp_path: Path):
    path = write(tmp_path, f"name,amount,{'c' * 200_000}\na,1,A\n")
    with pytest.raises(DataValidationError) as info:
        read_table(path, Example)
    assert info.value.report[["column", "row"]].values.tolist() == [["(header)", pd.NA]]
    assert "(200000 characters)" in str(info.value) and len(str(info.value)) < 1000


def test_a_field_over_128_kib_in_a_windows_file_is_found_too(tmp_path: Path):
    """CRLF line ends keep the quick byte count (a line's bytes bound its fields' characters)."""
    path = write(tmp_path, f"name,amount,code\r\nb,1,A\r\n{'x' * 140_000},2,B\r\n")
    with pytest.raises(DataValidationError) as info:
        read_table(path, Example)
    assert info.value.report[["column", "row"]].values.tolist() == [["name", 2]]
    frame = read_table(write(tmp_path, f"name,amount,code\r\n{'x' * 131_072},1,A\r\n"), Example)
    assert len(frame.loc[0, "name"]) == 131_072
