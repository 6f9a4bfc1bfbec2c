"""Publishing disclosed appendix tables: tidy CSV with a JSON sidecar, one XLSX workbook, and
HTML or markdown for the book.

Every writer refuses a table that has not been through
:func:`~imdi_analysis.disclosure.apply_disclosure`, and re-checks it before writing: a visible
count below the threshold or a suppressed cell derivable from a line total raises
:class:`~imdi_analysis.errors.DisclosureError` instead of publishing it.

One module per writer, and what they share:

- :mod:`~imdi_analysis.publish.cells`: the safety check, cells, decimals and number texts;
- :mod:`~imdi_analysis.publish.texts`: notices, legend and the report's name, in Norwegian;
- :mod:`~imdi_analysis.publish.wide`: the wide layout of the workbook and the book;
- :mod:`~imdi_analysis.publish.csvfile`: tidy CSV and its sidecar (:func:`publish_csv`);
- :mod:`~imdi_analysis.publish.html`: the book's tables (:func:`table_html`, :func:`table_markdown`);
- :mod:`~imdi_analysis.publish.xlsx`: the workbook (:func:`publish_workbook`).

Every public name is importable from ``imdi_analysis.publish``.
"""

from __future__ import annotations

from imdi_analysis.csv_output import FORMULA_TRIGGERS, escape_formula
from imdi_analysis.publish.cells import (
    DECIMALS,
    KEY_PATTERN,
    MEASURE_HEADER,
    SYMBOL_HEADER,
    SYMBOLS,
    VALUE_HEADER,
    Cell,
    category_text,
    cell_of,
    check_key,
    display_text,
    plain_number,
    publishable_threshold,
)
from imdi_analysis.publish.csvfile import (
    SIDECAR_FORMAT,
    SIDECAR_VERSION,
    csv_header,
    csv_text,
    publish_csv,
    sidecar_metadata,
    stacking_names,
)
from imdi_analysis.publish.html import (
    caption_html,
    esc,
    html_attrs,
    html_body,
    html_head,
    markdown_text,
    render_html,
    table_html,
    table_markdown,
)
from imdi_analysis.publish.texts import (
    DEFAULT_CONTACT,
    DEFAULT_SOURCE,
    PRELIMINARY_NOTICE,
    REPORT_LABELS,
    SYNTHETIC_NOTICE,
    UNSUPPORTED_NOTICE,
    legend_lines,
    notices,
    report_text,
    symbols_used,
    threshold_sentence,
)
from imdi_analysis.publish.wide import (
    LAYOUT_DIM,
    LAYOUT_DIM_MEASURES,
    LAYOUT_MEASURES,
    TIME_DIM,
    WideColumn,
    WideRow,
    WideTable,
    choose_layout,
    stacking_positions,
    total_row,
    wide_table,
)
from imdi_analysis.publish.xlsx import (
    CONTENTS_SHEET,
    COVER_SHEET,
    EXCEL_FORMATS,
    LEGEND_SHEET,
    NOTES_SHEET,
    SHEET_PREFIX,
    XLSX_PROPERTY_PREFIX,
    publication_date,
    publish_workbook,
    sheet_name,
    sheet_property,
)

__all__ = [
    "CONTENTS_SHEET",
    "COVER_SHEET",
    "DECIMALS",
    "DEFAULT_CONTACT",
    "DEFAULT_SOURCE",
    "EXCEL_FORMATS",
    "FORMULA_TRIGGERS",
    "KEY_PATTERN",
    "LAYOUT_DIM",
    "LAYOUT_DIM_MEASURES",
    "LAYOUT_MEASURES",
    "LEGEND_SHEET",
    "MEASURE_HEADER",
    "NOTES_SHEET",
    "PRELIMINARY_NOTICE",
    "REPORT_LABELS",
    "SHEET_PREFIX",
    "SIDECAR_FORMAT",
    "SIDECAR_VERSION",
    "SYMBOLS",
    "SYMBOL_HEADER",
    "SYNTHETIC_NOTICE",
    "TIME_DIM",
    "UNSUPPORTED_NOTICE",
    "VALUE_HEADER",
    "XLSX_PROPERTY_PREFIX",
    "Cell",
    "WideColumn",
    "WideRow",
    "WideTable",
    "caption_html",
    "category_text",
    "cell_of",
    "check_key",
    "choose_layout",
    "csv_header",
    "csv_text",
    "display_text",
    "esc",
    "escape_formula",
    "html_attrs",
    "html_body",
    "html_head",
    "legend_lines",
    "markdown_text",
    "notices",
    "plain_number",
    "publication_date",
    "publish_csv",
    "publish_workbook",
    "publishable_threshold",
    "render_html",
    "report_text",
    "sheet_name",
    "sheet_property",
    "sidecar_metadata",
    "stacking_names",
    "stacking_positions",
    "symbols_used",
    "table_html",
    "table_markdown",
    "threshold_sentence",
    "total_row",
    "wide_table",
]
