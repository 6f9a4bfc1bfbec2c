"""The book's tables (:func:`table_html`, :func:`table_markdown`).

An HTML ``<table>`` with a ``<caption>``, Norwegian number format, symbols in hidden cells, and
``data-imdi-*`` attributes that let the audit find and read the table in the built book.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection

from imdi_analysis.publish.cells import MEASURE_HEADER, display_text, publishable_threshold
from imdi_analysis.publish.texts import PRELIMINARY_NOTICE, UNSUPPORTED_NOTICE, legend_lines, notices
from imdi_analysis.publish.wide import WideTable, stacking_positions, wide_table
from imdi_analysis.tables import MEASURE_LABELS, TOTAL, AppendixTable

REVISED_ATTRIBUTE = ' class="imdi-revised"'


def table_html(table: AppendixTable) -> str:
    """An HTML ``<table>`` for the book: caption, wide layout, notes and legend in ``<tfoot>``.

    The ``<table>`` element carries ``data-imdi-table`` (key), ``data-imdi-threshold``,
    ``data-imdi-layout``, ``data-imdi-row-dims`` (number of row header columns that are
    dimensions; the ``dim_measures`` layout has one more, the measure), ``data-imdi-total``, where
    the columns are a dimension's categories ``data-imdi-column-position`` (its position among
    the table's dimensions), in the ``dim`` layout ``data-imdi-measure`` and, for a stacked
    table, ``data-imdi-stacking`` (positions of its two dimensions); in the ``measures`` layout
    each column header carries its measure (``data-imdi-column``), and each row of totals
    ``class="imdi-total"``. The audit reads the published table back through them.
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


def render_html(
    table: AppendixTable, threshold: int, footer: bool, revised: Collection[tuple[int, int]] = ()
) -> str:
    """The ``<table>`` element; one line per row and no blank lines (a valid markdown HTML block).

    ``revised`` are the ``(row, column)`` positions in the wide layout of cells changed since the
    previous release (:meth:`~imdi_analysis.publish.wide.WideTable.position`); they get
    ``class="imdi-revised"``.
    """
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
    if wide.column_position is not None:
        attrs["data-imdi-column-position"] = str(wide.column_position)
    if wide.measure:
        attrs["data-imdi-measure"] = wide.measure
    if (stacking := stacking_positions(table)) is not None:
        attrs["data-imdi-stacking"] = ",".join(map(str, stacking))
    lines = [f"<table {html_attrs(attrs)}>", f"<caption>{caption_html(table, wide)}</caption>"]
    width = max(1, len(wide.row_headers) + len(wide.columns))
    if table.supported and wide.rows:
        lines += html_head(wide) + html_body(wide, set(revised))
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
    """``<thead>``: a row naming the column dimension (``dim`` layouts), then the column headers."""
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


def html_body(wide: WideTable, revised: Collection[tuple[int, int]] = ()) -> list[str]:
    """``<tbody>``: row headers as ``<th scope="row">``, then the cells; rows of totals and
    revised cells marked.

    A cell's measure is the table's (``dim``), its row's ``Måltall`` (``dim_measures``) or its
    column's (``measures``), so the cells carry no attribute of their own: on the largest pages
    a per-cell ``data-imdi-measure`` was a third of the table's bytes.
    """
    lines = ["<tbody>"]
    for i, row in enumerate(wide.rows):
        heads = "".join(f'<th scope="row">{esc(label)}</th>' for label in row.key)
        data = "".join(
            f"<td{REVISED_ATTRIBUTE if (i, j) in revised else ''}>{esc(display_text(cell))}</td>"
            for j, cell in enumerate(row.cells)
        )
        start = '<tr class="imdi-total">' if row.total else "<tr>"
        lines.append(f"{start}{heads}{data}</tr>")
    lines.append("</tbody>")
    return lines


def html_attrs(attrs: dict[str, str]) -> str:
    return " ".join(f'{name}="{esc(value)}"' for name, value in attrs.items())


def esc(text: str) -> str:
    return html.escape(str(text), quote=True)
