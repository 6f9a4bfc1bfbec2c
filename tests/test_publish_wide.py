"""The wide layout: a time series has its years as columns, in the book page and in the workbook,
and the audit reads every cell back from both.

The tables are written by hand: counts of men and women for 2020–2022 and their percentages of
the year's total, disclosed with threshold 5. In 2021 the 3 men are suppressed, and the 9 women
too (the year's total 12 would give the men away).
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import openpyxl
import pandas as pd
import pytest

from imdi_analysis.audit import audit_directory
from imdi_analysis.disclosure import apply_disclosure
from imdi_analysis.publish import (
    LAYOUT_DIM,
    LAYOUT_DIM_MEASURES,
    LAYOUT_MEASURES,
    publish_csv,
    publish_workbook,
    table_html,
    table_markdown,
    wide_table,
)
from imdi_analysis.tables import TOTAL, AppendixTable

COUNTS = {
    2020: {"Menn": 12, "Kvinner": 0},
    2021: {"Menn": 3, "Kvinner": 9},
    2022: {"Menn": 20, "Kvinner": 15},
}
LABELS = {"year": "År", "sex": "Kjønn", "county": "Fylke"}


def series(measures: tuple[str, ...] = ("count", "percent"), key: str = "9") -> AppendixTable:
    """The hand-made time series, year first as the builders write it, disclosed at 5."""
    records = []
    for year, counts in COUNTS.items():
        total = sum(counts.values())
        for sex, count in [*counts.items(), (TOTAL, total)]:
            if "count" in measures:
                records.append((year, sex, "count", float(count), np.nan))
            if "percent" in measures:
                records.append((year, sex, "percent", 100 * count / total, float(total)))
    data = pd.DataFrame(records, columns=["year", "sex", "measure", "value", "base"])
    table = AppendixTable(
        key, "Deltakere etter kjønn. Tidsserie.", 2022, "year", data, ["year", "sex"], LABELS
    )
    return apply_disclosure(table, 5)


def texts(wide) -> list[list[str]]:
    """Header row, then each row's header texts and cells as the book shows them."""
    from imdi_analysis.publish import display_text

    rows = [[*wide.row_headers, *(c.label for c in wide.columns)]]
    rows += [[*row.key, *(display_text(c) for c in row.cells)] for row in wide.rows]
    return rows


def test_a_time_series_with_one_measure_has_a_row_per_category_and_a_column_per_year():
    wide = wide_table(series(("count",)))
    assert wide.layout == LAYOUT_DIM and wide.measure == "count"
    assert wide.column_header == "År" and wide.column_dim == "year" and wide.column_position == 0
    assert texts(wide) == [
        ["Kjønn", "2020", "2021", "2022"],
        ["Menn", "12", ":", "20"],
        ["Kvinner", "-", ":", "15"],
        ["I alt", "12", "12", "35"],
    ]
    assert [row.total for row in wide.rows] == [False, False, True]


def test_a_time_series_with_two_measures_has_the_measure_as_the_last_row_header():
    wide = wide_table(series())
    assert wide.layout == LAYOUT_DIM_MEASURES and wide.measure is None and wide.row_dims == ["sex"]
    assert texts(wide) == [
        ["Kjønn", "Måltall", "2020", "2021", "2022"],
        ["Menn", "Antall", "12", ":", "20"],
        ["Menn", "Prosent", "100,0", ":", "57,1"],
        ["Kvinner", "Antall", "-", ":", "15"],
        ["Kvinner", "Prosent", "0,0", ":", "42,9"],
        ["I alt", "Antall", "12", "12", "35"],
        ["I alt", "Prosent", "100,0", "100,0", "100,0"],
    ]
    assert [row.total for row in wide.rows] == [False, False, False, False, True, True]
    assert wide.position({"year": "2021", "sex": "Menn"}, "percent") == (1, 1)
    assert wide.position({"year": "2022", "sex": TOTAL}, "count") == (4, 2)
    assert wide.position({"year": "2019", "sex": "Menn"}, "count") is None


def test_a_time_series_without_other_dimensions_has_one_row_per_measure():
    data = pd.DataFrame(
        {"year": [2021, 2022], "measure": ["count", "count"], "value": [40.0, 55.0], "base": np.nan}
    )
    table = apply_disclosure(AppendixTable("30", "Søk. Tidsserie.", 2022, "year", data, ["year"], LABELS), 5)
    wide = wide_table(table)
    assert wide.layout == LAYOUT_DIM_MEASURES
    assert texts(wide) == [["Måltall", "2021", "2022"], ["Antall", "40", "55"]]


def test_a_table_without_years_keeps_its_last_dimension_as_columns():
    data = pd.DataFrame(
        {
            "sex": ["Menn", "Menn", "Menn", "Kvinner", "Kvinner", "Kvinner", TOTAL, TOTAL, TOTAL],
            "county": ["Agder", "Viken", TOTAL] * 3,
            "measure": "count",
            "value": [10.0, 20.0, 30.0, 11.0, 21.0, 32.0, 21.0, 41.0, 62.0],
            "base": np.nan,
        }
    )
    table = apply_disclosure(
        AppendixTable("8", "Deltakere", 2022, "year", data, ["sex", "county"], LABELS), 5
    )
    wide = wide_table(table)
    assert (wide.layout, wide.column_dim, wide.column_position) == (LAYOUT_DIM, "county", 1)
    assert texts(wide)[0] == ["Kjønn", "Agder", "Viken", TOTAL]
    two = series(("count", "percent"))
    plain = AppendixTable("9", "", 2022, "year", two.data.drop(columns="year"), ["sex"], LABELS)
    plain.data = plain.data.drop_duplicates(["sex", "measure"])
    assert wide_table(plain).layout == LAYOUT_MEASURES


def html_grid(text: str) -> list[list[str]]:
    """Header row and body rows of a rendered table, as texts."""
    head = re.search(r'<tr class="imdi-columns">(.*?)</tr>', text).group(1)
    body = re.search(r"<tbody>(.*?)</tbody>", text, re.S).group(1)
    cell = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>")
    return [cell.findall(head)] + [cell.findall(row) for row in body.strip().splitlines()]


def test_the_book_page_and_the_workbook_sheet_show_the_same_layout(tmp_path):
    table = series()
    text = table_html(table)
    assert 'data-imdi-layout="dim_measures"' in text and 'data-imdi-column-position="0"' in text
    assert '<tr><td colspan="2"></td><th colspan="3" scope="colgroup">År</th></tr>' in text
    assert '<tr class="imdi-total"><th scope="row">I alt</th><th scope="row">Antall</th>' in text
    expected = texts(wide_table(table))
    assert [[c.replace("\u00a0", " ") for c in row] for row in html_grid(text)] == expected

    path = tmp_path / "rapport.xlsx"
    publish_workbook(
        [table], path, year=2022, period="year", synthetic=True, threshold=5, published=dt.date(2023, 1, 1)
    )
    sheet = openpyxl.load_workbook(path)["Tabell 9"]
    grid = [[c.value for c in row] for row in sheet[next(iter(sheet.tables.values())).ref]]
    assert grid[0] == expected[0]
    assert [row[:2] for row in grid[1:]] == [row[:2] for row in expected[1:]]
    assert grid[1][2:] == [12, ":", 20] and grid[3][2:] == [0, ":", 15]  # numbers stay numbers
    assert grid[2][4] == pytest.approx(100 * 20 / 35)
    body = list(sheet.iter_rows(min_row=sheet.max_row - 5, max_col=5))  # the six rows of data
    assert [r[0].value for r in body] == ["Menn", "Menn", "Kvinner", "Kvinner", TOTAL, TOTAL]
    assert [all(c.font.b for c in r) for r in body] == [False] * 4 + [True] * 2  # totals in bold
    assert not any(c.font.b for r in body[:4] for c in r)


def test_a_category_missing_in_a_year_shows_missing_and_the_legend_explains_it():
    table = series(("count",))
    table.data = table.data[~((table.data["year"] == 2020) & (table.data["sex"] == "Kvinner"))]
    wide = wide_table(table)
    assert texts(wide)[2] == ["Kvinner", "..", ":", "15"]
    assert "«..» tallgrunnlag mangler" in table_html(table)
    assert "`..` tallgrunnlag mangler" in table_markdown(table)


def published_release(folder, table: AppendixTable):
    publish_csv(table, folder / "9.csv")
    publish_workbook(
        [table], folder / "rapport.xlsx", year=2022, period="year", synthetic=True, threshold=5,
        published=dt.date(2023, 1, 1),
    )  # fmt: skip
    (folder / "side.html").write_text(f"<html><body>{table_html(table)}</body></html>", encoding="utf-8")


def test_the_audit_reads_every_cell_of_a_time_series_back_from_each_format(tmp_path):
    table = series()
    published_release(tmp_path, table)
    result = audit_directory(tmp_path)
    assert result.ok, result.report()
    by_format = {t.path.rsplit(".", 1)[-1]: t for t in result.published}
    assert sorted(by_format) == ["csv", "html", "xlsx"]
    expected = {(str(r["year"]), r["sex"], r["measure"], r["status"]) for r in table.data.to_dict("records")}
    for kind, read in by_format.items():
        cells = {(*c.categories, c.measure, c.status) for c in read.cells}
        assert cells == expected, kind  # the categories in the table's order, as the CSV has them
        values = {(*c.categories, c.measure): c.value for c in read.cells}
        assert values[("2022", "Menn", "count")] == 20 and math.isnan(values[("2021", "Menn", "count")])


def test_a_hidden_cell_shown_on_the_time_series_page_gives_away_the_cell_hidden_in_the_csv(tmp_path):
    """The page shows the 9 women of 2021; with the year's total 12 in the CSV, the 3 men follow."""
    table = series()
    published_release(tmp_path, table)
    page = tmp_path / "side.html"
    text = page.read_text(encoding="utf-8")
    women = '<th scope="row">Kvinner</th><th scope="row">Antall</th><td>-</td><td>:</td>'
    assert women in text
    page.write_text(text.replace(women, women.replace("<td>:</td>", "<td>9</td>")), encoding="utf-8")
    result = audit_directory(tmp_path)
    assert "derivable" in {f.kind for f in result.findings}, result.report()
    assert any("Menn" in f.message and "2021" in f.message for f in result.findings), result.report()


def test_a_cell_that_cannot_occur_keeps_its_symbol_in_every_format(tmp_path):
    table = series(("count",))
    at = (table.data["year"] == 2020) & (table.data["sex"] == "Kvinner")
    table.data.loc[at, ["value", "status"]] = [np.nan, "."]
    assert texts(wide_table(table))[2] == ["Kvinner", ".", ":", "15"]
    published_release(tmp_path, table)
    result = audit_directory(tmp_path)
    assert result.ok, result.report()
    for read in result.published:
        statuses = {(*c.categories, c.measure): c.status for c in read.cells}
        assert statuses[("2020", "Kvinner", "count")] == ".", read.path
        assert statuses[("2021", "Menn", "count")] == ":", read.path
