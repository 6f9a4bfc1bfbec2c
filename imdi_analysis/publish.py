"""Publishing disclosed appendix tables: tidy CSV with a JSON sidecar, one XLSX workbook, and
HTML or markdown for the book.

Every writer refuses a table that has not been through
:func:`~imdi_analysis.disclosure.apply_disclosure`, and re-checks it before writing: a visible
count below the threshold or a suppressed cell derivable from a line total raises
:class:`~imdi_analysis.errors.DisclosureError` instead of publishing it.

CSV (:func:`publish_csv`)
    Tidy, one row per cell: the dimensions' Norwegian headers, ``Måltall`` (measure),
    ``Verdi`` (number with ``.`` as decimal point, empty when hidden) and ``Symbol``
    (Statistics Norway's symbol, empty when the value is shown). UTF-8, ``\\n`` line ends, rows
    in the table's order and fixed decimals per measure, so the same table always gives the same
    bytes. Text cells starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return get a
    leading ``'`` so that spreadsheets never read them as formulas (OWASP, "CSV Injection").
    The one exception is the ``Symbol`` column, where a lone ``-`` is Statistics Norway's symbol
    for nil: a lone minus is not a formula, and escaping it would break the symbol.
    Beside the CSV, ``<key>.json`` records what the audit needs to read it back; a table that
    stacks several distributions with a repeated "I alt" also gets ``stacking``
    (``{"by": ..., "within": ...}``). A sidecar without the key (every other table, and any
    written before the key existed) is read as a table without stacking.

XLSX (:func:`publish_workbook`)
    One workbook: "Forside", "Innhold", "Merknader", "Tegnforklaring", then one sheet per
    table in wide layout, laid out as the UK Analysis Function's guidance for statistical
    spreadsheets asks (title in A1, descriptive rows above one marked-up table per sheet, no
    merged cells, no blank rows inside tables, links from the contents sheet). The ``gptables``
    package implements that guidance but does not fit: it rejects any cell holding only
    punctuation, which is exactly what Statistics Norway's symbols ``:`` ``..`` ``.`` ``-`` are
    (it expects the UK shorthand ``[c]``, ``[x]``), and its cover and notes sheets have fixed
    English headings ("Introductory information", "Note number"). So the layout is written
    with ``xlsxwriter`` directly. Text is always written as strings (``strings_to_formulas``
    off), numbers as numbers with a number format (Excel shows the reader's locale separators,
    i.e. space and decimal comma in Norwegian Excel), hidden cells show their symbol.

Book (:func:`table_html`, :func:`table_markdown`)
    An HTML ``<table>`` with a ``<caption>``, Norwegian number format, symbols in hidden cells,
    and ``data-imdi-*`` attributes that let the audit find and read the table in the built book.
    A stacked table's :class:`~imdi_analysis.tables.Stacking` travels in the wide formats as the
    positions of its two dimensions among the table's dimensions (``data-imdi-stacking="1,2"``
    in HTML, ``"stacking":[1,2]`` in the workbook's sheet property): the wide layout keeps the
    dimensions in order but names them by their Norwegian headers.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import xlsxwriter

from imdi_analysis.config import check_period, reference_date
from imdi_analysis.csv_output import FORMULA_TRIGGERS, escape_formula  # noqa: F401 - re-exported
from imdi_analysis.disclosure import check_threshold, disclosure_problems, disclosure_threshold
from imdi_analysis.errors import ConfigError, DisclosureError
from imdi_analysis.formatting import format_date, format_number, plain_decimal
from imdi_analysis.tables import (
    MEASURE_COUNT,
    MEASURE_LABELS,
    MEASURE_MEAN_MONTHS,
    MEASURE_MEDIAN_MONTHS,
    MEASURE_PERCENT,
    MEASURE_SHARE,
    STATUS_MISSING,
    STATUS_NOT_APPLICABLE,
    STATUS_SHOWN,
    STATUS_SUPPRESSED,
    STATUS_ZERO,
    SYMBOL_LEGEND,
    TOTAL,
    AppendixTable,
    Stacking,
)
from imdi_analysis.tabular import write_atomic

MEASURE_HEADER = "Måltall"
VALUE_HEADER = "Verdi"
SYMBOL_HEADER = "Symbol"
DECIMALS = {
    MEASURE_COUNT: 0,
    MEASURE_PERCENT: 1,
    MEASURE_SHARE: 3,
    MEASURE_MEAN_MONTHS: 1,
    MEASURE_MEDIAN_MONTHS: 1,
}
EXCEL_FORMATS = {
    MEASURE_COUNT: '#,##0;-#,##0;"-"',
    MEASURE_PERCENT: "#,##0.0",
    MEASURE_SHARE: "0.000",
    MEASURE_MEAN_MONTHS: "#,##0.0",
    MEASURE_MEDIAN_MONTHS: "#,##0.0",
}
SYMBOLS = (STATUS_SUPPRESSED, STATUS_MISSING, STATUS_NOT_APPLICABLE, STATUS_ZERO)
SIDECAR_FORMAT = "imdi-appendix-table"
SIDECAR_VERSION = 1
KEY_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,20}")
SHEET_PREFIX = "Tabell "
XLSX_PROPERTY_PREFIX = "imdi_table:"
LAYOUT_DIM = "dim"  # rows: all dims but the last; columns: the last dim's categories (one measure)
LAYOUT_MEASURES = "measures"  # rows: all dims; columns: the measures
COVER_SHEET, CONTENTS_SHEET, NOTES_SHEET, LEGEND_SHEET = "Forside", "Innhold", "Merknader", "Tegnforklaring"
DEFAULT_SOURCE = (
    "Integrerings- og mangfoldsdirektoratet (IMDi). Registeruttrekk, egne beregninger. Tabellene "
    "følger statistikkvedlegget (vedlegg 3) til tildelingsbrevet."
)
DEFAULT_CONTACT = "Integrerings- og mangfoldsdirektoratet (IMDi), www.imdi.no"
PRELIMINARY_NOTICE = "Foreløpige tall."
SYNTHETIC_NOTICE = (
    "Tallene er laget av syntetiske (oppdiktede) data for å vise og teste tabellene. De beskriver "
    "ikke virkelige personer eller forhold."
)
REPORT_LABELS = {"H1": "Halvårsrapport", "year": "Årsrapport"}
UNSUPPORTED_NOTICE = "Tabellen kan ikke lages med dataene som finnes."


class Cell(NamedTuple):
    """One published cell: value (NaN when hidden), status symbol and measure code."""

    value: float
    status: str
    measure: str


@dataclass(frozen=True)
class WideColumn:
    """A data column of the wide layout: its header, its category (or measure) and measure."""

    label: str
    key: object
    measure: str


@dataclass(frozen=True)
class WideTable:
    """A table in wide layout, shared by the workbook, HTML and markdown writers."""

    layout: str
    row_dims: list[str]
    row_headers: list[str]
    column_header: str | None
    columns: list[WideColumn]
    rows: list[tuple[tuple[str, ...], list[Cell | None]]]
    measure: str | None  # the one measure in the ``dim`` layout


# --------------------------------------------------------------------------------------- CSV


def publish_csv(table: AppendixTable, path: Path) -> None:
    """Write a disclosed table as tidy CSV with a ``<key>.json`` sidecar beside it, atomically.

    Raises
    ------
    DisclosureError
        When the table was not disclosed, or would reveal a small or derivable count.
    ConfigError
        When the key cannot be a file name or two dimensions share a header.
    """
    threshold = publishable_threshold(table)
    path = Path(path)
    write_atomic(path, csv_text(table))
    sidecar = sidecar_metadata(table, threshold, path.name)
    write_atomic(path.parent / f"{table.key}.json", json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n")


def publishable_threshold(table: AppendixTable) -> int:
    """The table's disclosure threshold, after checking that it is safe to publish."""
    check_key(table.key)
    threshold = disclosure_threshold(table)
    if threshold is None:
        raise DisclosureError(
            f"Table {table.key} has not been through disclosure control (no 'status' column or no "
            "recorded threshold). Call imdi_analysis.disclosure.apply_disclosure(table, threshold) "
            "just before publishing it."
        )
    problems = disclosure_problems(table, threshold)
    if problems:
        listed = "\n- ".join(problems[:10])
        raise DisclosureError(
            f"Table {table.key} is not safe to publish ({len(problems)} problem(s)):\n- {listed}"
        )
    return threshold


def check_key(key: str) -> str:
    """A table key usable in file and sheet names (``1A``, ``5-2``, ``28B``)."""
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise ConfigError(
            f"Table key {key!r} cannot be used in file and sheet names: use letters, digits, '.', "
            "'_' or '-' (at most 21 characters)."
        )
    return key


def csv_text(table: AppendixTable) -> str:
    """The tidy CSV of a disclosed table as text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([escape_formula(h) for h in csv_header(table)])
    for record in table.data.to_dict("records"):
        cell = cell_of(record)
        dims = [escape_formula(category_text(record[d])) for d in table.dims]
        label = escape_formula(MEASURE_LABELS[cell.measure])
        writer.writerow([*dims, label, plain_number(cell), cell.status])
    return buffer.getvalue()


def csv_header(table: AppendixTable) -> list[str]:
    """Column headers of the CSV: dimension headers, then Måltall, Verdi, Symbol."""
    headers = [table.header(d) for d in table.dims] + [MEASURE_HEADER, VALUE_HEADER, SYMBOL_HEADER]
    repeated = sorted({h for h in headers if headers.count(h) > 1})
    if repeated:
        raise ConfigError(
            f"Table {table.key}: header(s) {repeated} used for more than one column; give each "
            "dimension its own label in dim_labels."
        )
    return headers


def cell_of(record: dict) -> Cell:
    """A data row as a :class:`Cell`, checking that the measure is known."""
    measure = str(record["measure"])
    if measure not in DECIMALS:
        raise ConfigError(f"Unknown measure {measure!r}; known: {sorted(DECIMALS)} (imdi_analysis.tables).")
    status = record.get("status")
    missing = status is None or (isinstance(status, float) and status != status)
    status = STATUS_SHOWN if missing else str(status).strip()
    return Cell(float(record["value"]) if pd.notna(record["value"]) else float("nan"), status, measure)


def category_text(value: object) -> str:
    """A dimension category as text: ``2022`` not ``2022.0``; missing becomes empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def plain_number(cell: Cell) -> str:
    """The ``Verdi`` text: fixed decimals per measure, ``.`` as decimal point, empty when hidden."""
    if cell.status in (STATUS_SUPPRESSED, STATUS_MISSING, STATUS_NOT_APPLICABLE) or cell.value != cell.value:
        return ""
    return plain_decimal(cell.value, DECIMALS[cell.measure])  # rounded as the book page shows it


def sidecar_metadata(table: AppendixTable, threshold: int, csv_name: str) -> dict:
    """What the audit needs to read the CSV back, and what a reader needs to cite it."""
    measures = list(dict.fromkeys(str(m) for m in table.data["measure"]))
    return {
        "format": SIDECAR_FORMAT,
        "format_version": SIDECAR_VERSION,
        "key": table.key,
        "title": table.title,
        "year": int(table.year),
        "period": table.period,
        "threshold": threshold,
        "csv": csv_name,
        "columns": csv_header(table),
        "dims": [{"name": d, "header": table.header(d)} for d in table.dims],
        "total_label": TOTAL,
        **({"stacking": stacking_names(table.stacking)} if table.stacking is not None else {}),
        "measures": [{"code": m, "label": MEASURE_LABELS[m], "decimals": DECIMALS[m]} for m in measures],
        "preliminary": bool(table.preliminary),
        "synthetic": bool(table.synthetic),
        "supported": bool(table.supported),
        "notes": list(table.notes),
        "sources": list(table.sources),
    }


def stacking_names(stacking: Stacking) -> dict[str, str]:
    """The sidecar's ``stacking``: the two dimensions by name."""
    return {"by": stacking.by, "within": stacking.within}


def stacking_positions(table: AppendixTable) -> list[int] | None:
    """The wide formats' ``stacking``: positions of its two dimensions in ``table.dims``, or None."""
    stacking = table.stacking
    if stacking is None:
        return None
    return [table.dims.index(stacking.by), table.dims.index(stacking.within)]


# ------------------------------------------------------------------------------ wide layout


def wide_table(table: AppendixTable) -> WideTable:
    """The table in wide layout.

    With one measure and at least two dimensions, rows are all dimensions but the last and
    columns the last dimension's categories; otherwise rows are all dimensions and columns the
    measures. Rows and columns keep the order in which they first occur in the data.
    """
    data = table.data
    dims = list(table.dims)
    measures = list(dict.fromkeys(str(m) for m in data["measure"]))
    if len(measures) == 1 and len(dims) >= 2:
        row_dims, column_dim, layout = dims[:-1], dims[-1], LAYOUT_DIM
    else:
        row_dims, column_dim, layout = dims, None, LAYOUT_MEASURES
    records = data.to_dict("records")
    column_keys = list(dict.fromkeys(r[column_dim] if column_dim else str(r["measure"]) for r in records))
    cells: dict[tuple, Cell] = {}
    row_keys: dict[tuple[str, ...], None] = {}
    for record in records:
        row_key = tuple(category_text(record[d]) for d in row_dims)
        row_keys.setdefault(row_key)
        column_key = record[column_dim] if column_dim else str(record["measure"])
        cells[(row_key, column_key)] = cell_of(record)
    columns = [
        WideColumn(
            category_text(k) if column_dim else MEASURE_LABELS[k], k, measures[0] if column_dim else str(k)
        )
        for k in column_keys
    ]
    rows = [(key, [cells.get((key, c.key)) for c in columns]) for key in row_keys]
    return WideTable(
        layout=layout,
        row_dims=row_dims,
        row_headers=[table.header(d) for d in row_dims],
        column_header=table.header(column_dim) if column_dim else None,
        columns=columns,
        rows=rows,
        measure=measures[0] if column_dim else None,
    )


def display_text(cell: Cell | None) -> str:
    """A cell for readers: Norwegian number format, or its symbol when hidden or nil."""
    if cell is None:
        return STATUS_MISSING
    if cell.status in SYMBOLS:
        return cell.status
    return format_number(cell.value, DECIMALS[cell.measure], missing=STATUS_MISSING)


def symbols_used(table: AppendixTable) -> list[str]:
    """The symbols that occur in the table, in legend order."""
    present = set(table.data["status"]) if "status" in table.data.columns else set()
    return [s for s in SYMBOL_LEGEND if s in present]


def threshold_sentence(threshold: int) -> str:
    """The Norwegian explanation of the suppression rule."""
    if threshold <= 1:
        return "Ingen tall er skjult av hensyn til personvern (terskel 1)."
    smallest = "1 person" if threshold == 2 else f"1–{threshold - 1} personer"
    return (
        f"Av hensyn til personvernet vises ikke antall på {smallest}, og heller ikke andeler, "
        f"prosenter eller gjennomsnitt beregnet av færre enn {threshold} personer. Der et skjult tall "
        "ellers kunne regnes ut fra en sum og de andre tallene, er også andre celler skjult. "
        f"Summene ({TOTAL}) viser alltid de faktiske tallene."
    )


def notices(table: AppendixTable) -> list[str]:
    """Preliminary and synthetic notices, then the table's notes."""
    out = []
    if not table.supported:
        out.append(UNSUPPORTED_NOTICE)
    if table.preliminary:
        out.append(PRELIMINARY_NOTICE)
    if table.synthetic:
        out.append(SYNTHETIC_NOTICE)
    return out + [str(n) for n in table.notes]


def legend_lines(table: AppendixTable, threshold: int, code: str = "{}") -> list[str]:
    """The legend of the symbols used in the table, then the suppression rule when ``:`` occurs.

    ``code`` formats a symbol (``"`{}`"`` for markdown).
    """
    used = symbols_used(table)
    if not used:
        return []
    items = "; ".join(f"{code.format(s)} {SYMBOL_LEGEND[s].lower()}" for s in used)
    lines = [f"Tegnforklaring: {items}."]
    if STATUS_SUPPRESSED in used:
        lines.append(threshold_sentence(threshold))
    return lines


def report_text(year: int, period: str) -> str:
    """``Årsrapport 2022 (status per 31. desember 2022)``."""
    return f"{REPORT_LABELS[check_period(period)]} {year} (status per {format_date(reference_date(year, period))})"


# ------------------------------------------------------------------------------------- book


def table_html(table: AppendixTable) -> str:
    """An HTML ``<table>`` for the book: caption, wide layout, notes and legend in ``<tfoot>``.

    The ``<table>`` element carries ``data-imdi-table`` (key), ``data-imdi-threshold``,
    ``data-imdi-layout``, ``data-imdi-row-dims`` (number of row header columns),
    ``data-imdi-total``, in the ``dim`` layout ``data-imdi-measure`` and, for a stacked table,
    ``data-imdi-stacking`` (positions of its two dimensions); each data cell carries
    ``data-imdi-measure``. The audit reads the published table back through them.
    """
    return render_html(table, publishable_threshold(table), footer=True)


def table_markdown(table: AppendixTable) -> str:
    """The table for a markdown page of the book: the HTML table, then notes and legend in markdown.

    The table itself stays HTML (markdown passes HTML blocks through) so that it keeps its
    caption and the ``data-imdi-*`` attributes the audit needs; a pipe table would lose both.
    """
    threshold = publishable_threshold(table)
    lines = [render_html(table, threshold, footer=False), ""]
    for notice in notices(table):
        lines += [f"*{markdown_text(notice)}*" if notice == PRELIMINARY_NOTICE else markdown_text(notice), ""]
    for item in legend_lines(table, threshold, code="`{}`"):
        lines += [item, ""]
    return "\n".join(lines)


def markdown_text(text: str) -> str:
    """Escape characters markdown would read as formatting."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def render_html(table: AppendixTable, threshold: int, footer: bool) -> str:
    """The ``<table>`` element; one line per row and no blank lines (a valid markdown HTML block)."""
    wide = wide_table(table)
    attrs = {
        "class": "imdi-table",
        "data-imdi-table": table.key,
        "data-imdi-threshold": str(threshold),
        "data-imdi-layout": wide.layout,
        "data-imdi-row-dims": str(len(wide.row_dims)),
        "data-imdi-total": TOTAL,
        "data-imdi-supported": "true" if table.supported else "false",
    }
    if wide.measure:
        attrs["data-imdi-measure"] = wide.measure
    if (stacking := stacking_positions(table)) is not None:
        attrs["data-imdi-stacking"] = ",".join(map(str, stacking))
    lines = [f"<table {html_attrs(attrs)}>", f"<caption>{caption_html(table, wide)}</caption>"]
    width = max(1, len(wide.row_headers) + len(wide.columns))
    if table.supported and wide.rows:
        lines += html_head(wide) + html_body(wide)
    else:
        lines.append(f'<tbody><tr><td colspan="{width}">{esc(UNSUPPORTED_NOTICE)}</td></tr></tbody>')
    if footer:
        items = notices(table) + legend_lines(table, threshold, code="«{}»")
        if items:
            lines.append("<tfoot>")
            lines += [f'<tr><td colspan="{width}">{esc(item)}</td></tr>' for item in items]
            lines.append("</tfoot>")
    lines.append("</table>")
    return "\n".join(lines)


def caption_html(table: AppendixTable, wide: WideTable) -> str:
    """``Tabell 1A. Title`` and, for one-measure tables, the measure."""
    caption = esc(f"Tabell {table.key}. {table.title}")
    if wide.measure:
        caption += f'<br><span class="imdi-measure">{esc(MEASURE_HEADER)}: {esc(MEASURE_LABELS[wide.measure])}</span>'
    return caption


def html_head(wide: WideTable) -> list[str]:
    """``<thead>``: a row naming the column dimension (``dim`` layout), then the column headers."""
    lines = ["<thead>"]
    if wide.column_header:
        stub = f'<td colspan="{len(wide.row_headers)}"></td>' if wide.row_headers else ""
        lines.append(
            f'<tr>{stub}<th colspan="{len(wide.columns)}" scope="colgroup">{esc(wide.column_header)}</th></tr>'
        )
    headers = [f'<th scope="col">{esc(h)}</th>' for h in wide.row_headers]
    headers += [
        f'<th scope="col" data-imdi-column="{esc(str(c.key))}">{esc(c.label)}</th>' for c in wide.columns
    ]
    lines += [f'<tr class="imdi-columns">{"".join(headers)}</tr>', "</thead>"]
    return lines


def html_body(wide: WideTable) -> list[str]:
    """``<tbody>``: row headers as ``<th scope="row">``, cells with their measure."""
    lines = ["<tbody>"]
    for key, cells in wide.rows:
        heads = "".join(f'<th scope="row">{esc(label)}</th>' for label in key)
        data = "".join(
            f'<td data-imdi-measure="{column.measure}">{esc(display_text(cell))}</td>'
            for column, cell in zip(wide.columns, cells, strict=True)
        )
        lines.append(f"<tr>{heads}{data}</tr>")
    lines.append("</tbody>")
    return lines


def html_attrs(attrs: dict[str, str]) -> str:
    return " ".join(f'{name}="{esc(value)}"' for name, value in attrs.items())


def esc(text: str) -> str:
    return html.escape(str(text), quote=True)


# ------------------------------------------------------------------------------------- XLSX


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
    for i, (key, cells) in enumerate(wide.rows, start=row + 1):
        for j, label in enumerate(key):
            sheet.write_string(i, j, label, styles["label"])
        for j, cell in enumerate(cells, start=len(key)):
            write_cell(sheet, styles, i, j, cell)
    add_excel_table(sheet, row, len(wide.rows), headers, f"Tabell_{table.key}")
    widths = [[h, *(k[j] for k, _ in wide.rows)] for j, h in enumerate(wide.row_headers)]
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
            "total": TOTAL,
            **({"stacking": stacking} if (stacking := stacking_positions(table)) is not None else {}),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    if len(text) > 255:
        raise ConfigError(f"Table {table.key}: workbook metadata is longer than Excel's 255 characters.")
    return text


def write_cell(sheet, styles: dict, row: int, col: int, cell: Cell | None) -> None:
    """A number as a number with its format; a hidden cell as its symbol."""
    if cell is None or cell.status in (STATUS_SUPPRESSED, STATUS_MISSING, STATUS_NOT_APPLICABLE):
        sheet.write_string(row, col, cell.status if cell else STATUS_MISSING, styles["symbol"])
    elif cell.status == STATUS_ZERO:
        sheet.write_number(row, col, 0, styles[MEASURE_COUNT])
    elif cell.value != cell.value:
        sheet.write_string(row, col, STATUS_MISSING, styles["symbol"])
    else:
        sheet.write_number(row, col, cell.value, styles[cell.measure])


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


__all__ = [
    "DECIMALS",
    "WideTable",
    "csv_text",
    "display_text",
    "publish_csv",
    "publish_workbook",
    "table_html",
    "table_markdown",
    "wide_table",
]
