"""The audit of published output, on hand-made fixtures and on freshly published files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import subprocess
import sys

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from imdi_analysis.audit import audit_directory, is_person_level, read_ahead
from imdi_analysis.cli import cli
from imdi_analysis.disclosure import apply_disclosure
from imdi_analysis.errors import DataNotFoundError, DisclosureError
from imdi_analysis.publish import publish_csv, publish_workbook, render_html, table_html, table_markdown
from imdi_analysis.tables import TOTAL, AppendixTable
from tests.test_disclosure_stacked import EXAMPLE, EXAMPLE_WITHOUT_SMALL_AGES, STACKING, stacked_table


def kinds(result) -> list[str]:
    return sorted(f.kind for f in result.findings)


@pytest.fixture
def published(fixtures):
    return fixtures / "published"


@pytest.fixture
def output(tmp_path) -> tuple:
    """A correctly disclosed table published as CSV, XLSX and an HTML page."""
    rows = {"Menn": [10, 2, 8], "Kvinner": [7, 9, 0], "Uoppgitt": [1, 0, 6]}
    records = []
    for sex, values in rows.items():
        records += [(sex, age, v) for age, v in zip("ABC", values, strict=True)]
        records.append((sex, TOTAL, sum(values)))
    for j, age in enumerate("ABC"):
        records.append((TOTAL, age, sum(v[j] for v in rows.values())))
    records.append((TOTAL, TOTAL, sum(sum(v) for v in rows.values())))
    data = pd.DataFrame(records, columns=["sex", "age", "value"]).assign(measure="count", base=np.nan)
    table = apply_disclosure(
        AppendixTable("1A", "Test", 2022, "year", data, ["sex", "age"], {"sex": "Kjønn"})
    )
    folder = tmp_path / "out"
    publish_csv(table, folder / "1A.csv")
    publish_workbook([table], folder / "rapport.xlsx", year=2022, period="year", synthetic=True, threshold=5,
                     published=dt.date(2023, 1, 1))  # fmt: skip
    page = f"<html><body>{table_html(table)}<div>{table_markdown(table)}</div></body></html>"
    (folder / "book").mkdir()
    (folder / "book" / "page.html").write_text(page, encoding="utf-8")
    return folder, table


def test_correctly_disclosed_output_passes(output):
    folder, _ = output
    result = audit_directory(folder)
    assert result.ok, result.report()
    assert len(result.tables) == 4  # CSV, workbook sheet, HTML table, markdown table
    assert result.report().startswith("OK: audited 4 table(s) in 3 file(s)")


def test_hand_made_good_fixtures_pass(published):
    result = audit_directory(published / "good")
    assert result.ok, result.report()
    result = audit_directory(published / "html" / "good.html")
    assert result.ok, result.report()  # a person_id row label in a body cell is not a header


def test_planted_small_count_in_csv_is_found(published):
    result = audit_directory(published / "small_count")
    assert kinds(result) == ["small_count"]
    assert "count 2 in cell (sex=Menn; row 1) is below the threshold 5" in result.findings[0].message


def test_derivable_cell_in_csv_is_found(published):
    result = audit_directory(published / "derivable")
    assert kinds(result) == ["derivable"]
    assert "sex=Menn" in result.findings[0].message


def test_hidden_cell_that_shows_its_value_is_found(published):
    assert "hidden_value" in kinds(audit_directory(published / "hidden_value"))


def test_person_level_headers_are_found(published):
    result = audit_directory(published / "person_level")
    assert kinds(result) == ["person_level_column", "person_level_column"]
    assert {"person_id", "birth_date"} <= {f.message.split("'")[1] for f in result.findings}


def test_table_without_sidecar_cannot_be_audited_and_is_a_finding(published):
    assert kinds(audit_directory(published / "unaudited")) == ["unaudited"]


def test_html_page_with_small_count_derivable_cells_and_birth_date_header_fails(published):
    result = audit_directory(published / "html" / "bad.html")
    assert "small_count" in kinds(result)
    assert "derivable" in kinds(result)
    assert "person_level_column" in kinds(result)


def test_planted_small_count_in_workbook_is_found(output, tmp_path):
    folder, _ = output
    book = openpyxl.load_workbook(folder / "rapport.xlsx")
    sheet = book["Tabell 1A"]
    target = next(c for row in sheet.iter_rows() for c in row if c.value == ":")
    target.value = 3
    book.save(tmp_path / "tampered.xlsx")
    result = audit_directory(tmp_path / "tampered.xlsx")
    assert "small_count" in kinds(result)


def test_formula_in_workbook_is_found(output, tmp_path):
    folder, _ = output
    book = openpyxl.load_workbook(folder / "rapport.xlsx")
    book["Forside"]["B1"] = "=1+1"
    book.save(tmp_path / "formula.xlsx")
    assert "formula" in kinds(audit_directory(tmp_path / "formula.xlsx"))


def test_downloads_read_ahead_give_the_same_audit_and_a_changed_copy_is_read_again(output, tmp_path):
    """The pipeline reads the downloads while the book is built; the audit of the built book then
    takes each copy with the same bytes from that reading, and reads any other file itself."""
    folder, _ = output
    ahead = read_ahead(folder, 5)
    assert sorted(ahead.files) == ["1A.csv", "rapport.xlsx"]  # pages are read after the build
    copy = tmp_path / "html"
    shutil.copytree(folder, copy)
    plain, reused = audit_directory(copy, threshold=5), audit_directory(copy, threshold=5, ahead=ahead)
    assert reused.ok and reused.report() == plain.report()
    assert reused.tables == plain.tables and all(str(copy) in t for t in reused.tables)
    assert [t.path for t in reused.published] == [t.path for t in plain.published]

    book = openpyxl.load_workbook(copy / "rapport.xlsx")  # the copy differs from what was read ahead
    target = next(c for row in book["Tabell 1A"].iter_rows() for c in row if c.value == ":")
    target.value = 3
    book.save(copy / "rapport.xlsx")
    assert "small_count" in kinds(audit_directory(copy, threshold=5, ahead=ahead))
    assert "small_count" in kinds(audit_directory(copy, threshold=10, ahead=read_ahead(folder, 10)))
    stricter = audit_directory(folder, threshold=10, ahead=ahead)  # read at 5: not reused at 10
    assert "small_count" in kinds(stricter)

    shutil.rmtree(copy)  # the CSV is the same, its sidecar is not: read again, with the copy's sidecar
    shutil.copytree(folder, copy)
    sidecar = json.loads((copy / "1A.json").read_text(encoding="utf-8"))
    sidecar["threshold"] = 3  # the file claims another threshold than the run's
    (copy / "1A.json").write_text(json.dumps(sidecar), encoding="utf-8")
    assert kinds(audit_directory(copy, threshold=5)) == kinds(audit_directory(copy, threshold=5, ahead=ahead))
    assert "threshold" in kinds(audit_directory(copy, threshold=5, ahead=ahead))


def test_stricter_threshold_given_to_the_audit_applies_to_every_table(output):
    folder, table = output
    visible = table.data[(table.data["status"] == "") & (table.data["value"] < 10)]
    assert not visible.empty  # 7, 6 ... are visible at threshold 5
    result = audit_directory(folder / "1A.csv", threshold=10)
    assert "small_count" in kinds(result)


def test_sidecar_without_its_csv_is_a_finding(published, tmp_path):
    shutil.copy(published / "good" / "1A.json", tmp_path / "1A.json")
    assert kinds(audit_directory(tmp_path)) == ["unreadable"]


def test_missing_directory_is_an_error(tmp_path):
    with pytest.raises(DataNotFoundError):
        audit_directory(tmp_path / "nope")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("person_id", True),
        ("Person-ID", True),
        ("fødselsnummer", True),
        ("Fødselsdato", True),
        ("settlement_date", True),
        ("programme_start", True),
        ("Bosettingsdato", True),
        ("Fødselsår", False),
        ("Kjønn", False),
        ("Dato", False),
        ("År", False),
    ],
)
def test_person_level_header_patterns(header, expected):
    assert is_person_level(header) is expected


def test_cli_prints_ok_and_exits_zero_on_a_clean_folder(published):
    result = CliRunner().invoke(cli, ["audit", str(published / "good")])
    assert result.exit_code == 0, result.output
    assert "OK: audited 1 table(s)" in result.output


def test_cli_raises_disclosure_error_after_printing_findings(published):
    result = CliRunner().invoke(cli, ["audit", str(published / "small_count")], standalone_mode=False)
    assert isinstance(result.exception, DisclosureError)
    assert "small_count" in result.output


def test_cli_exits_one_with_findings(published):
    process = subprocess.run(
        [sys.executable, "-m", "imdi_analysis", "audit", str(published / "derivable"), "--threshold", "5"],
        capture_output=True,
        text=True,
    )
    assert process.returncode == 1
    assert "derivable" in process.stdout
    assert "error:" in process.stderr and "Traceback" not in process.stderr


# ------------------------------------------------------------------- stacked distributions


def test_repeated_total_hidden_in_one_distribution_and_shown_in_another_is_found(published):
    # Kommune A's total (5) is ':' under "Kjønn" and visible under "Alder"; with A's women at 0,
    # it gives away A's men, so the audit also finds that combination.
    result = audit_directory(published / "stacked_copy")
    assert set(kinds(result)) == {"derivable"}
    messages = [f.message for f in result.findings]
    assert any("area=Kommune A; breakdown=Kjønn; group=I alt) is determined" in m for m in messages)
    assert any("area=Kommune A; breakdown=Kjønn; group=Menn) is determined" in m for m in messages)


def test_sidecar_written_before_stacking_is_read_as_an_unstacked_table(published, tmp_path):
    shutil.copy(published / "stacked_copy" / "S.csv", tmp_path / "S.csv")
    meta = json.loads((published / "stacked_copy" / "S.json").read_text(encoding="utf-8"))
    del meta["stacking"]
    (tmp_path / "S.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    result = audit_directory(tmp_path)
    assert result.ok, result.report()  # readable; without the declaration no copy is known


def test_sidecar_stacking_that_names_no_dimension_is_unreadable(published, tmp_path):
    shutil.copy(published / "stacked_copy" / "S.csv", tmp_path / "S.csv")
    meta = json.loads((published / "stacked_copy" / "S.json").read_text(encoding="utf-8"))
    meta["stacking"] = {"by": "breakdown", "within": "kjonn"}
    (tmp_path / "S.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    assert kinds(audit_directory(tmp_path)) == ["unreadable"]


@pytest.fixture
def stacked_output(tmp_path) -> tuple:
    """A correctly disclosed stacked table published as CSV with sidecar, XLSX and an HTML page."""
    labels = {"area": "Kommune", "breakdown": "Fordeling", "group": "Gruppe"}
    table = dataclasses.replace(apply_disclosure(stacked_table(EXAMPLE)), dim_labels=labels)
    folder = tmp_path / "out"
    publish_csv(table, folder / "S.csv")
    publish_workbook([table], folder / "rapport.xlsx", year=2022, period="year", synthetic=True, threshold=5,
                     published=dt.date(2023, 1, 1))  # fmt: skip
    (folder / "page.html").write_text(f"<html><body>{table_html(table)}</body></html>", encoding="utf-8")
    return folder, table


def test_stacked_table_passes_the_audit_in_every_published_format(stacked_output):
    folder, _ = stacked_output
    result = audit_directory(folder)
    assert result.ok, result.report()
    assert len(result.tables) == 3
    meta = json.loads((folder / "S.json").read_text(encoding="utf-8"))
    assert meta["stacking"] == {"by": "breakdown", "within": "group"}
    assert 'data-imdi-stacking="1,2"' in (folder / "page.html").read_text(encoding="utf-8")


def test_copy_of_a_hidden_total_made_visible_in_the_workbook_is_found(stacked_output, tmp_path):
    folder, _ = stacked_output
    book = openpyxl.load_workbook(folder / "rapport.xlsx")
    sheet = book["Tabell S"]
    rows = [list(r) for r in sheet.iter_rows()]
    header = next(r for r in rows if r[0].value == "Kommune")
    column = next(i for i, c in enumerate(header) if c.value == TOTAL)
    target = next(r for r in rows if r[0].value == "A" and r[1].value == "Alder")[column]
    assert target.value == ":"
    target.value = 5  # A's total, hidden in both distributions, now shown under "Alder"
    book.save(tmp_path / "tampered.xlsx")
    result = audit_directory(tmp_path / "tampered.xlsx")
    assert "derivable" in kinds(result)
    assert any("I alt) is determined" in f.message for f in result.findings), result.report()


def test_copy_of_a_hidden_total_shown_in_a_book_page_is_found(tmp_path):
    plain = apply_disclosure(stacked_table(EXAMPLE_WITHOUT_SMALL_AGES, stacking=None))
    page = render_html(dataclasses.replace(plain, stacking=STACKING), 5, footer=False)  # no guard
    (tmp_path / "page.html").write_text(f"<html><body>{page}</body></html>", encoding="utf-8")
    result = audit_directory(tmp_path)
    assert "derivable" in kinds(result)
    assert any("I alt) is determined" in f.message for f in result.findings), result.report()


def test_table_whose_copies_disagree_is_refused_by_the_publisher(tmp_path):
    plain = apply_disclosure(stacked_table(EXAMPLE_WITHOUT_SMALL_AGES, stacking=None))
    with pytest.raises(DisclosureError, match="same total"):
        publish_csv(dataclasses.replace(plain, stacking=STACKING), tmp_path / "S.csv")
