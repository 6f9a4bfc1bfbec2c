"""One XLSX workbook of a report's tables (:func:`publish_workbook`).

"Forside", "Innhold", "Merknader", "Tegnforklaring", then one sheet per table in wide layout,
laid out as the UK Analysis Function's guidance for statistical spreadsheets asks (title in A1,
descriptive rows above one marked-up table per sheet, no merged cells, no blank rows inside
tables, links from the contents sheet). The ``gptables`` package implements that guidance but
does not fit: it rejects any cell holding only punctuation, which is exactly what Statistics
Norway's symbols ``:`` ``..`` ``.`` ``-`` are (it expects the UK shorthand ``[c]``, ``[x]``),
and its cover and notes sheets have fixed English headings ("Introductory information", "Note
number"). So the layout is written with ``xlsxwriter`` directly. Text is always written as
strings (``strings_to_formulas`` off), numbers as numbers with a number format (Excel shows the
reader's locale separators, i.e. space and decimal comma in Norwegian Excel), hidden cells show
their symbol.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter

from imdi_analysis.config import check_period, reference_date
from imdi_analysis.disclosure import check_threshold
from imdi_analysis.errors import ConfigError, DisclosureError
from imdi_analysis.formatting import format_date
from imdi_analysis.publish.cells import MEASURE_HEADER, Cell, check_key, publishable_threshold
from imdi_analysis.publish.texts import (
    DEFAULT_CONTACT,
    DEFAULT_SOURCE,
    SYNTHETIC_NOTICE,
    notices,
    report_text,
    threshold_sentence,
)
from imdi_analysis.publish.wide import WideTable, stacking_positions, wide_table
from imdi_analysis.tables import (
    MEASURE_COUNT,
    MEASURE_LABELS,
    MEASURE_MEAN_MONTHS,
    MEASURE_MEDIAN_MONTHS,
    MEASURE_PERCENT,
    MEASURE_SHARE,
    STATUS_MISSING,
    STATUS_NOT_APPLICABLE,
    STATUS_SUPPRESSED,
    STATUS_ZERO,
    SYMBOL_LEGEND,
    TOTAL,
    AppendixTable,
)

EXCEL_FORMATS = {
    MEASURE_COUNT: '#,##0;-#,##0;"-"',
    MEASURE_PERCENT: "#,##0.0",
    MEASURE_SHARE: "0.000",
    MEASURE_MEAN_MONTHS: "#,##0.0",
    MEASURE_MEDIAN_MONTHS: "#,##0.0",
}
SHEET_PREFIX = "Tabell "
XLSX_PROPERTY_PREFIX = "imdi_table:"
TOTAL_STYLE = "_total"  # suffix of the bold styles of a row of totals
COVER_SHEET, CONTENTS_SHEET, NOTES_SHEET, LEGEND_SHEET = "Forside", "Innhold", "Merknader", "Tegnforklaring"


def publish_workbook(
    tables: Sequence[AppendixTable],
    path: Path,
    *,
    year: int,
    period: str,
    synthetic: bool,
    threshold: int,
    published: dt.date | None = None,
    source: str = DEFAULT_SOURCE,
    contact: str = DEFAULT_CONTACT,
) -> None:
    """Write all tables of a report to one XLSX workbook, atomically.

    Parameters
    ----------
    tables : disclosed tables, in the order of the letter
    path : the ``.xlsx`` file to write
    year, period : the report (``"H1"`` or ``"year"``)
    synthetic : the tables are built from synthetic data (a notice on the cover)
    threshold : the disclosure threshold every table must have been disclosed with
    published : publication date shown on the cover; default ``SOURCE_DATE_EPOCH`` if set,
        else today. The file's bytes depend only on the inputs and this date.
    source, contact : cover texts

    Raises
    ------
    DisclosureError
        When a table was not disclosed, was disclosed with another threshold, or is unsafe.
    ConfigError
        When two tables share a key or a key cannot be a sheet name.
    """
    check_period(period)
    check_threshold(threshold)
    check_tables(tables, threshold)
    published = published or publication_date()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp.xlsx")
    try:
        workbook = xlsxwriter.Workbook(
            str(tmp), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        )
        styles = workbook_styles(workbook)
        set_properties(workbook, year, published)
        write_cover(workbook, styles, year, period, synthetic, threshold, published, source, contact)
        write_contents(workbook, styles, tables, year)
        write_notes_sheet(workbook, styles, tables)
        write_legend_sheet(workbook, styles, threshold)
        for table in tables:
            write_table_sheet(workbook, styles, table, threshold)
        workbook.close()
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def check_tables(tables: Sequence[AppendixTable], threshold: int) -> None:
    """Every table disclosed with ``threshold``, safe, and with a unique key."""
    keys = [t.key for t in tables]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise ConfigError(f"Table key(s) {repeated} occur more than once; each table needs its own sheet.")
    for table in tables:
        used = publishable_threshold(table)
        if used != threshold:
            raise DisclosureError(
                f"Table {table.key} was disclosed with threshold {used}, but the workbook is published "
                f"with threshold {threshold}. Disclose every table with the same threshold."
            )


def publication_date() -> dt.date:
    """``SOURCE_DATE_EPOCH`` (reproducible builds) as a date, else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def set_properties(workbook: xlsxwriter.Workbook, year: int, published: dt.date) -> None:
    """Document properties; the creation time is the publication date so bytes are reproducible."""
    workbook.set_properties(
        {
            "title": f"Statistikkrapportering {year}",
            "author": "Integrerings- og mangfoldsdirektoratet (IMDi)",
            "comments": "Laget med imdi-analysis",
            "created": dt.datetime(published.year, published.month, published.day),
        }
    )


def workbook_styles(workbook: xlsxwriter.Workbook) -> dict:
    """Named cell formats."""
    styles = {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "heading": workbook.add_format({"bold": True, "font_size": 12}),
        "text": workbook.add_format({"text_wrap": False}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "header": workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom"}),
        "header_number": workbook.add_format(
            {"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom", "align": "right"}
        ),
        "label": workbook.add_format({"align": "left"}),
        "symbol": workbook.add_format({"align": "right"}),
        "link": workbook.add_format({"font_color": "#0000FF", "underline": 1}),
    }
    for measure, number_format in EXCEL_FORMATS.items():
        styles[measure] = workbook.add_format({"num_format": number_format, "align": "right"})
    for name in ["label", "symbol", *EXCEL_FORMATS]:  # rows of totals ("I alt") in bold
        properties = {"align": "left" if name == "label" else "right", "bold": True}
        if name in EXCEL_FORMATS:
            properties["num_format"] = EXCEL_FORMATS[name]
        styles[name + TOTAL_STYLE] = workbook.add_format(properties)
    return styles


def write_lines(sheet, styles: dict, row: int, lines: Sequence[tuple[str, str]]) -> int:
    """Write ``(style, text)`` lines down column A from ``row``; return the next free row."""
    for style, text in lines:
        sheet.write_string(row, 0, text, styles[style])
        row += 1
    return row


def write_cover(
    workbook: xlsxwriter.Workbook,
    styles: dict,
    year: int,
    period: str,
    synthetic: bool,
    threshold: int,
    published: dt.date,
    source: str,
    contact: str,
) -> None:
    """The "Forside" sheet: title, period, source, synthetic notice, privacy, date, contact."""
    sheet = workbook.add_worksheet(COVER_SHEET)
    sheet.hide_gridlines(2)
    sheet.set_column(0, 0, 100, styles["wrap"])
    status = reference_date(year, period)
    lines = [
        ("title", f"Statistikkrapportering {year}"),
        ("text", "Statistikkvedlegg til tildelingsbrevet til Integrerings- og mangfoldsdirektoratet (IMDi)"),
        ("heading", "Periode"),
        (
            "wrap",
            f"{report_text(year, period)}. Tall for personer i en tilstand (for eksempel venter på "
            f"bosetting) gjelder per {format_date(status)}; tall for hendelser (for eksempel bosettinger) "
            f"gjelder perioden 1. januar–{format_date(status)}.",
        ),
        ("heading", "Kilde"),
        ("wrap", source),
    ]
    if synthetic:
        lines += [("heading", "Syntetiske data"), ("wrap", SYNTHETIC_NOTICE)]
    lines += [
        ("heading", "Personvern"),
        ("wrap", threshold_sentence(threshold)),
        ("heading", "Publisert"),
        ("text", format_date(published)),
        ("heading", "Kontakt"),
        ("wrap", contact),
        ("heading", "Innhold"),
        (
            "wrap",
            f"Arket {CONTENTS_SHEET} lister tabellene med lenker. Merknader til tabellene står i arket "
            f"{NOTES_SHEET}, og symbolene er forklart i arket {LEGEND_SHEET}.",
        ),
    ]
    write_lines(sheet, styles, 0, lines)


def sheet_name(table: AppendixTable) -> str:
    """The worksheet name of a table: ``Tabell 1A``."""
    return f"{SHEET_PREFIX}{check_key(table.key)}"


def write_contents(
    workbook: xlsxwriter.Workbook, styles: dict, tables: Sequence[AppendixTable], year: int
) -> None:
    """The "Innhold" sheet: one row per table with a link to its sheet."""
    sheet = workbook.add_worksheet(CONTENTS_SHEET)
    sheet.hide_gridlines(2)
    row = write_lines(
        sheet,
        styles,
        0,
        [
            ("title", f"Innhold – statistikkrapportering {year}"),
            ("text", "Arket inneholder én tabell. Velg lenken i første kolonne for å gå til tabellen."),
        ],
    )
    rows = [(sheet_name(t), t.key, t.title) for t in tables] or [("–", "–", "Ingen tabeller")]
    headers = ["Ark", "Tabell", "Tittel"]
    write_header(sheet, styles, row, headers)
    for i, (name, key, title) in enumerate(rows, start=row + 1):
        if name != "–":
            sheet.write_url(i, 0, f"internal:'{name}'!A1", styles["link"], string=name)
        else:
            sheet.write_string(i, 0, name, styles["label"])
        sheet.write_string(i, 1, key, styles["label"])
        sheet.write_string(i, 2, title, styles["label"])
    add_excel_table(sheet, row, len(rows), headers, "Innhold")
    set_widths(sheet, [headers[0], *(r[0] for r in rows)], [headers[1], *(r[1] for r in rows)])
    sheet.set_column(2, 2, min(100, max(len(headers[2]), *(len(r[2]) for r in rows)) + 2))


def write_notes_sheet(workbook: xlsxwriter.Workbook, styles: dict, tables: Sequence[AppendixTable]) -> None:
    """The "Merknader" sheet: one row per note, by table."""
    sheet = workbook.add_worksheet(NOTES_SHEET)
    sheet.hide_gridlines(2)
    row = write_lines(
        sheet,
        styles,
        0,
        [
            ("title", "Merknader"),
            ("text", "Arket inneholder én tabell med merknader til tabellene, én per rad."),
        ],
    )
    notes = [(t.key, n) for t in tables for n in notices(t)] or [("–", "Ingen merknader.")]
    headers = ["Tabell", "Merknad"]
    write_header(sheet, styles, row, headers)
    for i, (key, note) in enumerate(notes, start=row + 1):
        sheet.write_string(i, 0, key, styles["label"])
        sheet.write_string(i, 1, note, styles["wrap"])
    add_excel_table(sheet, row, len(notes), headers, "Merknader")
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 100)


def write_legend_sheet(workbook: xlsxwriter.Workbook, styles: dict, threshold: int) -> None:
    """The "Tegnforklaring" sheet: Statistics Norway's symbols and the suppression rule."""
    sheet = workbook.add_worksheet(LEGEND_SHEET)
    sheet.hide_gridlines(2)
    row = write_lines(
        sheet,
        styles,
        0,
        [("title", "Tegnforklaring"), ("text", threshold_sentence(threshold))],
    )
    headers = ["Symbol", "Betydning"]
    write_header(sheet, styles, row, headers)
    for i, (symbol, meaning) in enumerate(SYMBOL_LEGEND.items(), start=row + 1):
        sheet.write_string(i, 0, symbol, styles["label"])
        sheet.write_string(i, 1, meaning, styles["label"])
    add_excel_table(sheet, row, len(SYMBOL_LEGEND), headers, "Tegnforklaring")
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 60)


def write_table_sheet(
    workbook: xlsxwriter.Workbook, styles: dict, table: AppendixTable, threshold: int
) -> None:
    """One table in wide layout, with its title and notices above it."""
    name = sheet_name(table)
    sheet = workbook.add_worksheet(name)
    sheet.hide_gridlines(2)
    wide = wide_table(table)
    lines = [("title", f"Tabell {table.key}. {table.title}")]
    lines.append(("text", f"{report_text(table.year, table.period)}."))
    if wide.measure:
        lines.append(("text", f"{MEASURE_HEADER}: {MEASURE_LABELS[wide.measure]}"))
    if wide.column_header:
        lines.append(("text", f"Kolonnene viser {wide.column_header.lower()}."))
    lines += [("text", text) for text in notices(table)]
    lines.append(("text", f"Symbolene er forklart i arket {LEGEND_SHEET}."))
    row = write_lines(sheet, styles, 0, lines)
    if not (table.supported and wide.rows):
        return
    headers = unique_headers([*wide.row_headers, *(c.label for c in wide.columns)])
    write_header(sheet, styles, row, headers, numbers_from=len(wide.row_headers))
    for i, wide_row in enumerate(wide.rows, start=row + 1):
        suffix = TOTAL_STYLE if wide_row.total else ""
        for j, label in enumerate(wide_row.key):
            sheet.write_string(i, j, label, styles["label" + suffix])
        for j, cell in enumerate(wide_row.cells, start=len(wide_row.key)):
            write_cell(sheet, styles, i, j, cell, total=wide_row.total)
    add_excel_table(sheet, row, len(wide.rows), headers, f"Tabell_{table.key}")
    widths = [[h, *(r.key[j] for r in wide.rows)] for j, h in enumerate(wide.row_headers)]
    set_widths(sheet, *widths)
    for j, column in enumerate(wide.columns, start=len(wide.row_headers)):
        sheet.set_column(j, j, max(10, min(30, len(column.label) + 2)))
    workbook.set_custom_property(f"{XLSX_PROPERTY_PREFIX}{name}", sheet_property(table, wide, threshold))


def sheet_property(table: AppendixTable, wide: WideTable, threshold: int) -> str:
    """Compact JSON the audit needs to read a table sheet back (at most 255 characters)."""
    text = json.dumps(
        {
            "key": table.key,
            "threshold": threshold,
            "layout": wide.layout,
            "row_dims": len(wide.row_dims),
            "measure": wide.measure,
            **({"column": wide.column_position} if wide.column_position is not None else {}),
            "total": TOTAL,
            **({"stacking": stacking} if (stacking := stacking_positions(table)) is not None else {}),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    if len(text) > 255:
        raise ConfigError(f"Table {table.key}: workbook metadata is longer than Excel's 255 characters.")
    return text


def write_cell(sheet, styles: dict, row: int, col: int, cell: Cell | None, total: bool = False) -> None:
    """A number as a number with its format; a hidden cell as its symbol; bold in a row of totals."""
    suffix = TOTAL_STYLE if total else ""
    if cell is None or cell.status in (STATUS_SUPPRESSED, STATUS_MISSING, STATUS_NOT_APPLICABLE):
        sheet.write_string(row, col, cell.status if cell else STATUS_MISSING, styles["symbol" + suffix])
    elif cell.status == STATUS_ZERO:
        sheet.write_number(row, col, 0, styles[MEASURE_COUNT + suffix])
    elif cell.value != cell.value:
        sheet.write_string(row, col, STATUS_MISSING, styles["symbol" + suffix])
    else:
        sheet.write_number(row, col, cell.value, styles[cell.measure + suffix])


def write_header(
    sheet, styles: dict, row: int, headers: Sequence[str], numbers_from: int | None = None
) -> None:
    """The header row of a table (numeric columns right-aligned)."""
    for j, header in enumerate(headers):
        numeric = numbers_from is not None and j >= numbers_from
        sheet.write_string(row, j, header, styles["header_number" if numeric else "header"])


def add_excel_table(sheet, header_row: int, n_rows: int, headers: Sequence[str], name: str) -> None:
    """Mark the written range as an Excel table (screen readers and filters find it)."""
    sheet.add_table(
        header_row,
        0,
        header_row + n_rows,
        len(headers) - 1,
        {
            "name": re.sub(r"[^A-Za-z0-9_]", "_", name),
            "columns": [{"header": h} for h in headers],
            "autofilter": False,
            "style": "Table Style Light 1",
        },
    )


def unique_headers(headers: Sequence[str]) -> list[str]:
    """Excel tables need distinct, non-empty headers: repeats get `` (2)``, ``(3)``."""
    out: list[str] = []
    for header in headers:
        base = header or "Kolonne"
        candidate, n = base, 2
        while candidate in out:
            candidate, n = f"{base} ({n})", n + 1
        out.append(candidate)
    return out


def set_widths(sheet, *columns: Sequence[str]) -> None:
    """Width of the first columns from their longest text."""
    for j, texts in enumerate(columns):
        sheet.set_column(j, j, min(60, max(8, *(len(t) for t in texts)) + 2))
