"""Publishing: tidy CSV with sidecar, the XLSX workbook, HTML and markdown for the book."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imdi_analysis.disclosure import apply_disclosure
from imdi_analysis.errors import ConfigError, DisclosureError
from imdi_analysis.publish import csv_text, publish_csv, publish_workbook, table_html, table_markdown
from imdi_analysis.tables import TOTAL, AppendixTable

PUBLISHED = dt.date(2023, 2, 15)


def grid_table(rows: dict[str, list[int]], columns: list[str], key: str = "1A", **kwargs) -> AppendixTable:
    records = []
    for sex, values in rows.items():
        records += [(sex, age, v) for age, v in zip(columns, values, strict=True)]
        records.append((sex, TOTAL, sum(values)))
    for j, age in enumerate(columns):
        records.append((TOTAL, age, sum(v[j] for v in rows.values())))
    records.append((TOTAL, TOTAL, sum(sum(v) for v in rows.values())))
    data = pd.DataFrame(records, columns=["sex", "age", "value"]).assign(measure="count", base=np.nan)
    labels = {"sex": "Kjønn", "age": "Alder"}
    return AppendixTable(
        key, "Deltakere etter kjønn og alder", 2022, "year", data, ["sex", "age"], labels, **kwargs
    )


@pytest.fixture
def disclosed() -> AppendixTable:
    table = grid_table({"Menn": [10, 2, 8], "Kvinner": [7, 9, 0]}, ["0–17 år", "18–29 år", "30 år og over"])
    return apply_disclosure(dataclasses.replace(table, notes=["Personer bosatt i perioden."], synthetic=True))


@pytest.fixture
def measures_table() -> AppendixTable:
    data = pd.DataFrame(
        {
            "sex": ["Menn", "Menn", "Menn", "Kvinner", "Kvinner", "Kvinner", TOTAL, TOTAL, TOTAL],
            "measure": ["count", "percent", "mean_months"] * 3,
            "value": [1234.0, 66.666, 4.25, 1000.0, 50.0, 3.04, 2234.0, 58.97, 3.7],
            "base": [np.nan, 1851.0, 1234.0, np.nan, 2000.0, 1000.0, np.nan, 3851.0, 2234.0],
        }
    )
    return apply_disclosure(
        AppendixTable("9", "Overgang til arbeid", 2022, "H1", data, ["sex"], {"sex": "Kjønn"})
    )


# -------------------------------------------------------------------------------------- CSV


def test_csv_is_tidy_with_norwegian_headers_symbols_and_empty_hidden_values(disclosed, tmp_path):
    publish_csv(disclosed, tmp_path / "1A.csv")
    assert (tmp_path / "1A.csv").read_bytes().decode("utf-8") == (
        "Kjønn,Alder,Måltall,Verdi,Symbol\n"
        "Menn,0–17 år,Antall,,:\n"
        "Menn,18–29 år,Antall,,:\n"
        "Menn,30 år og over,Antall,8,\n"
        "Menn,I alt,Antall,20,\n"
        "Kvinner,0–17 år,Antall,,:\n"
        "Kvinner,18–29 år,Antall,,:\n"
        "Kvinner,30 år og over,Antall,0,-\n"
        "Kvinner,I alt,Antall,16,\n"
        "I alt,0–17 år,Antall,17,\n"
        "I alt,18–29 år,Antall,11,\n"
        "I alt,30 år og over,Antall,8,\n"
        "I alt,I alt,Antall,36,\n"
    )


def test_csv_fixes_decimals_per_measure(measures_table):
    lines = csv_text(measures_table).splitlines()
    assert lines[:4] == [
        "Kjønn,Måltall,Verdi,Symbol",
        "Menn,Antall,1234,",
        "Menn,Prosent,66.7,",
        "Menn,Gjennomsnitt (måneder),4.3,",
    ]


def test_sidecar_records_what_the_audit_needs(disclosed, tmp_path):
    publish_csv(disclosed, tmp_path / "tabell.csv")
    meta = json.loads((tmp_path / "1A.json").read_text(encoding="utf-8"))
    assert meta["key"] == "1A" and meta["csv"] == "tabell.csv"
    assert meta["threshold"] == 5 and meta["year"] == 2022 and meta["period"] == "year"
    assert meta["dims"] == [{"name": "sex", "header": "Kjønn"}, {"name": "age", "header": "Alder"}]
    assert meta["total_label"] == TOTAL
    assert "stacking" not in meta  # only tables that stack distributions record it
    assert meta["measures"] == [{"code": "count", "label": "Antall", "decimals": 0}]
    assert meta["synthetic"] is True and meta["preliminary"] is False
    assert meta["notes"] == ["Personer bosatt i perioden."]


def test_text_cells_that_look_like_formulas_are_escaped_but_the_zero_symbol_is_not():
    table = grid_table({"=SUM(A1)": [10, 0, 8], "+47": [7, 9, 12], "@x": [6, 6, 6]}, ["-1", "B", "C"])
    text = csv_text(apply_disclosure(table))
    assert "'=SUM(A1),'-1,Antall,10,\n" in text
    assert "'+47,B,Antall,9,\n" in text
    assert "'@x,C,Antall,6,\n" in text
    assert "'=SUM(A1),B,Antall,0,-\n" in text
    assert ",'-\n" not in text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, 30), min_size=6, max_size=6), st.integers(1, 6))
def test_csv_is_byte_identical_on_repeat(tmp_path, values, threshold):
    table = grid_table({"Menn": values[:3], "Kvinner": values[3:]}, ["A", "B", "C"])
    first, second = tmp_path / "a" / "1A.csv", tmp_path / "b" / "1A.csv"
    publish_csv(apply_disclosure(table, threshold), first)
    publish_csv(apply_disclosure(table, threshold), second)
    assert first.read_bytes() == second.read_bytes()
    assert (first.parent / "1A.json").read_bytes() == (second.parent / "1A.json").read_bytes()


def test_undisclosed_table_is_refused(tmp_path):
    with pytest.raises(DisclosureError, match="apply_disclosure"):
        publish_csv(grid_table({"Menn": [10, 2, 8]}, ["A", "B", "C"]), tmp_path / "1A.csv")
    assert not (tmp_path / "1A.csv").exists()


def test_tampered_table_with_a_visible_small_count_is_refused(disclosed, tmp_path):
    data = disclosed.data.copy()
    data.loc[1, ["value", "status"]] = [2.0, ""]
    with pytest.raises(DisclosureError, match="below the threshold"):
        publish_csv(dataclasses.replace(disclosed, data=data), tmp_path / "1A.csv")


def test_key_that_cannot_be_a_file_name_is_refused(disclosed, tmp_path):
    with pytest.raises(ConfigError, match="file and sheet names"):
        publish_csv(dataclasses.replace(disclosed, key="../x"), tmp_path / "x.csv")


def test_unsupported_table_is_published_as_headers_and_notes(tmp_path):
    data = pd.DataFrame({"sex": [], "measure": [], "value": [], "base": []})
    table = AppendixTable("27", "Ikke mulig", 2022, "year", data, ["sex"], {"sex": "Kjønn"},
                          notes=["Registeret mangler opplysningen."], supported=False)  # fmt: skip
    disclosed = apply_disclosure(table)
    publish_csv(disclosed, tmp_path / "27.csv")
    assert (tmp_path / "27.csv").read_text(encoding="utf-8") == "Kjønn,Måltall,Verdi,Symbol\n"
    assert json.loads((tmp_path / "27.json").read_text(encoding="utf-8"))["supported"] is False
    assert "Tabellen kan ikke lages" in table_html(disclosed)


# ------------------------------------------------------------------------------------- XLSX


def write_book(tables, path, **kwargs):
    options = {"year": 2022, "period": "year", "synthetic": True, "threshold": 5, "published": PUBLISHED}
    publish_workbook(tables, path, **{**options, **kwargs})


def test_workbook_has_cover_contents_notes_legend_then_one_sheet_per_table(
    disclosed, measures_table, tmp_path
):
    write_book([disclosed, measures_table], tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["Forside", "Innhold", "Merknader", "Tegnforklaring", "Tabell 1A", "Tabell 9"]
    cover = [c.value for c in book["Forside"]["A"] if c.value]
    assert cover[0] == "Statistikkrapportering 2022"
    assert "Syntetiske data" in cover and "15. februar 2023" in cover and "Kontakt" in cover
    contents = book["Innhold"]
    assert contents["A4"].value == "Tabell 1A" and contents["A4"].hyperlink.location == "'Tabell 1A'!A1"
    notes = [(r[0], r[1]) for r in book["Merknader"].iter_rows(min_row=4, values_only=True)]
    assert ("1A", "Personer bosatt i perioden.") in notes
    legend = {r[0]: r[1] for r in book["Tegnforklaring"].iter_rows(min_row=4, values_only=True)}
    assert legend[":"] == "Vises ikke av hensyn til personvern (små tall)"


def test_table_sheet_is_wide_with_numbers_as_numbers_and_symbols_in_hidden_cells(disclosed, tmp_path):
    write_book([disclosed], tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Tabell 1A"]
    (_, ref), = sheet.tables.items()  # fmt: skip
    grid = [[c.value for c in row] for row in sheet[ref]]
    assert grid == [
        ["Kjønn", "0–17 år", "18–29 år", "30 år og over", "I alt"],
        ["Menn", ":", ":", 8, 20],
        ["Kvinner", ":", ":", 0, 16],
        ["I alt", 17, 11, 8, 36],
    ]
    zero = sheet[ref.split(":")[0]].offset(2, 3)
    assert zero.value == 0 and zero.number_format.endswith('"-"')


def test_text_cell_that_looks_like_a_formula_stays_a_string_in_the_workbook(tmp_path):
    table = apply_disclosure(grid_table({"=SUM(A1)": [10, 12, 8]}, ["A", "B", "C"], notes=["=1+1"]))
    write_book([table], tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    found = [c for ws in book for row in ws.iter_rows() for c in row if c.value in ("=SUM(A1)", "=1+1")]
    assert len(found) >= 3
    assert all(c.data_type == "s" for c in found)


def test_workbook_bytes_are_identical_for_the_same_input(disclosed, measures_table, tmp_path):
    write_book([disclosed, measures_table], tmp_path / "a.xlsx")
    write_book([disclosed, measures_table], tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx", "b.xlsx"]  # no temporary file left


def test_cover_has_no_synthetic_notice_for_real_data(disclosed, tmp_path):
    write_book([dataclasses.replace(disclosed, synthetic=False)], tmp_path / "r.xlsx", synthetic=False)
    cover = [c.value for c in openpyxl.load_workbook(tmp_path / "r.xlsx")["Forside"]["A"] if c.value]
    assert "Syntetiske data" not in cover


def test_workbook_refuses_a_table_disclosed_with_another_threshold(disclosed, tmp_path):
    with pytest.raises(DisclosureError, match="threshold 5"):
        write_book([disclosed], tmp_path / "r.xlsx", threshold=3)
    assert not (tmp_path / "r.xlsx").exists()


def test_workbook_refuses_two_tables_with_the_same_key(disclosed, tmp_path):
    with pytest.raises(ConfigError, match="more than once"):
        write_book([disclosed, disclosed], tmp_path / "r.xlsx")


# ------------------------------------------------------------------------------------- book


def test_html_table_has_caption_norwegian_numbers_symbols_and_audit_attributes(measures_table):
    text = table_html(measures_table)
    assert text.startswith('<table class="imdi-table" data-imdi-table="9" data-imdi-threshold="5"')
    assert 'data-imdi-layout="measures"' in text and 'data-imdi-row-dims="1"' in text
    assert "<caption>Tabell 9. Overgang til arbeid</caption>" in text
    # each column header names its measure; the cells hold the Norwegian numbers
    assert (
        '<th scope="col" data-imdi-column="count">Antall</th>'
        '<th scope="col" data-imdi-column="percent">Prosent</th>'
        '<th scope="col" data-imdi-column="mean_months">Gjennomsnitt (måneder)</th>'
    ) in text
    # 4.25 months rounded half up to 4,3, as in the CSV
    assert '<tr><th scope="row">Menn</th><td>1\u00a0234</td><td>66,7</td><td>4,3</td></tr>' in text
    assert "\n\n" not in text


def test_html_shows_zero_and_suppression_symbols_and_the_legend(disclosed):
    text = table_html(disclosed)
    assert 'data-imdi-layout="dim"' in text and 'data-imdi-measure="count"' in text  # one measure
    assert "<td>-</td>" in text
    assert "<td>:</td>" in text
    assert "Tegnforklaring: «:» vises ikke av hensyn til personvern (små tall); «-» null." in text
    assert "1–4 personer" in text


def test_markdown_has_the_table_then_notices_notes_and_legend(disclosed):
    text = table_markdown(dataclasses.replace(disclosed, preliminary=True))
    assert text.startswith("<table ") and "<tfoot>" not in text
    after = text.split("</table>", 1)[1]
    assert "*Foreløpige tall.*" in after
    assert "syntetiske (oppdiktede) data" in after
    assert "Personer bosatt i perioden." in after
    assert "Tegnforklaring: `:` vises ikke" in after


def test_html_escapes_text(tmp_path):
    table = apply_disclosure(grid_table({"<b>x</b>": [10, 12, 8]}, ["A", "B", "C"]))
    assert "&lt;b&gt;x&lt;/b&gt;" in table_html(table) and "<b>x</b>" not in table_html(table)


def test_a_safe_table_is_checked_once_and_a_changed_copy_again(disclosed, tmp_path, monkeypatch):
    """Every writer checks its table; the verdict is kept for the table's exact content only."""
    from imdi_analysis.publish import cells

    calls = []
    real = cells.disclosure_problems
    monkeypatch.setattr(cells, "disclosure_problems", lambda t, th: calls.append(t.key) or real(t, th))
    monkeypatch.setattr(cells, "SAFE_TABLES", {})
    publish_csv(disclosed, tmp_path / "1A.csv")
    table_html(disclosed)
    write_book([disclosed], tmp_path / "r.xlsx")
    assert calls == ["1A"]
    data = disclosed.data.copy()
    data.loc[1, ["value", "status"]] = [2.0, ""]  # the same table with one small count shown
    with pytest.raises(DisclosureError, match="below the threshold"):
        table_html(dataclasses.replace(disclosed, data=data))
    assert calls == ["1A", "1A"]
    with pytest.raises(DisclosureError, match="below the threshold"):  # refused again, never remembered
        publish_csv(dataclasses.replace(disclosed, data=data), tmp_path / "1A.csv")
    assert cells.table_fingerprint(disclosed) != cells.table_fingerprint(
        dataclasses.replace(disclosed, data=data)
    )
    assert cells.table_fingerprint(disclosed) != cells.table_fingerprint(
        dataclasses.replace(disclosed, notes=["x"])
    )
