"""The wide layout shared by the workbook, HTML and markdown writers.

A stacked table's :class:`~imdi_analysis.tables.Stacking` travels in the wide formats as the
positions of its two dimensions among the table's dimensions (``data-imdi-stacking="1,2"`` in
HTML, ``"stacking":[1,2]`` in the workbook's sheet property): the wide layout keeps the
dimensions in order but names them by their Norwegian headers.
"""

from __future__ import annotations

from dataclasses import dataclass

from imdi_analysis.publish.cells import Cell, category_text, cell_of
from imdi_analysis.tables import (
    MEASURE_LABELS,
    AppendixTable,
)

LAYOUT_DIM = "dim"  # rows: all dims but the last; columns: the last dim's categories (one measure)
LAYOUT_MEASURES = "measures"  # rows: all dims; columns: the measures


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


def stacking_positions(table: AppendixTable) -> list[int] | None:
    """The wide formats' ``stacking``: positions of its two dimensions in ``table.dims``, or None."""
    stacking = table.stacking
    if stacking is None:
        return None
    return [table.dims.index(stacking.by), table.dims.index(stacking.within)]
