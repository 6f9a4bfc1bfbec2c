"""The wide layout shared by the workbook, HTML and markdown writers.

Three layouts, chosen from the table's dimensions and measures (:func:`wide_table`):

``dim``
    One measure: rows are the dimensions but one, columns that dimension's categories. The
    measure is named above the table.
``dim_measures``
    A time series (a table with the :data:`TIME_DIM` dimension, the letter's "Tidsserie") with
    several measures, or with no other dimension: as ``dim`` with the years as columns, and the
    measure (``Måltall``) as the last row header, so that every row is one category and one
    measure.
``measures``
    Several measures and no time series: rows are all dimensions, columns the measures.

A time series always has its years as columns, like a table of Statistics Norway: one row per
category, one column per year. Other one-measure tables have their last dimension as columns.
Rows holding a total ("I alt") are marked, so that each writer can show them as totals.

The column dimension's position among the table's dimensions travels in the wide formats
(``data-imdi-column-position`` in HTML, ``"column"`` in the workbook's sheet property), so that
the audit rebuilds every cell with its categories in the table's order, as the CSV has them.
A stacked table's :class:`~imdi_analysis.tables.Stacking` travels the same way, as the positions
of its two dimensions among the table's dimensions (``data-imdi-stacking="1,2"`` in HTML,
``"stacking":[1,2]`` in the workbook's sheet property).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from imdi_analysis.publish.cells import MEASURE_HEADER, Cell, category_text, cell_of
from imdi_analysis.tables import MEASURE_LABELS, TOTAL, AppendixTable

TIME_DIM = "year"  # the time dimension of a time series (AppendixTable.dims)
LAYOUT_DIM = "dim"  # rows: the dims but one; columns: that dim's categories (one measure)
LAYOUT_DIM_MEASURES = "dim_measures"  # as LAYOUT_DIM, with the measure as the last row header
LAYOUT_MEASURES = "measures"  # rows: all dims; columns: the measures
COLUMN_LAYOUTS = (LAYOUT_DIM, LAYOUT_DIM_MEASURES)  # layouts whose columns are a dimension


@dataclass(frozen=True)
class WideColumn:
    """A data column of the wide layout: its header, its category (or measure) and measure.

    In the ``dim_measures`` layout the measure is the row's, and ``measure`` is None.
    """

    label: str
    key: object
    measure: str | None


class WideRow(NamedTuple):
    """A row of the wide layout: its row header texts, its cells (None where the data has none),
    whether it is a total, and its measure in the ``dim_measures`` layout."""

    key: tuple[str, ...]
    cells: list[Cell | None]
    total: bool
    measure: str | None


@dataclass(frozen=True)
class WideTable:
    """A table in wide layout, shared by the workbook, HTML and markdown writers.

    Attributes
    ----------
    layout : ``dim``, ``dim_measures`` or ``measures`` (see the module)
    row_dims : the dimensions shown as row headers, in the table's order
    row_headers : headers of the row header columns: the row dimensions' and, in the
        ``dim_measures`` layout, ``Måltall``
    column_header : header of the column dimension (None in the ``measures`` layout)
    columns, rows : the data columns and rows
    measure : the one measure in the ``dim`` layout, else None
    column_dim : the dimension whose categories are the columns (None in ``measures``)
    column_position : position of ``column_dim`` in the table's dimensions
    """

    layout: str
    row_dims: list[str]
    row_headers: list[str]
    column_header: str | None
    columns: list[WideColumn]
    rows: list[WideRow]
    measure: str | None
    column_dim: str | None = None
    column_position: int | None = None

    def position(self, categories: Mapping[str, str], measure: str) -> tuple[int, int] | None:
        """``(row, column)`` index of the cell with these categories (by dimension) and measure,
        or None when the layout has no such cell."""
        key = tuple(categories[d] for d in self.row_dims)
        if self.layout == LAYOUT_DIM_MEASURES:
            key += (MEASURE_LABELS[measure],)
        column = categories[self.column_dim] if self.column_dim else measure
        row, col = self.row_index.get(key), self.column_index.get(column)
        return None if row is None or col is None else (row, col)

    @cached_property
    def row_index(self) -> dict[tuple[str, ...], int]:
        """Row header texts -> row position."""
        return {row.key: i for i, row in enumerate(self.rows)}

    @cached_property
    def column_index(self) -> dict[str, int]:
        """A column's category (as text) or measure -> column position."""
        return {category_text(c.key): j for j, c in enumerate(self.columns)}


def wide_table(table: AppendixTable) -> WideTable:
    """The table in wide layout (see the module for the three layouts).

    Columns keep the order in which they first occur in the data; rows keep each column's order
    (:func:`merged_order`).
    """
    data = table.data
    dims = list(table.dims)
    measures = list(dict.fromkeys(str(m) for m in data["measure"]))
    layout, row_dims, column_dim = choose_layout(dims, measures)
    measure_rows = layout == LAYOUT_DIM_MEASURES
    records = data.to_dict("records")
    cells: dict[tuple, Cell] = {}
    row_measures: dict[tuple[str, ...], str | None] = {}
    by_column: dict[object, list[tuple[str, ...]]] = {}  # each column's rows, in the data's order
    for record in records:
        cell = cell_of(record)
        row_key = tuple(category_text(record[d]) for d in row_dims)
        if measure_rows:
            row_key += (MEASURE_LABELS[cell.measure],)
        row_measures.setdefault(row_key, cell.measure if measure_rows else None)
        column_key = record[column_dim] if column_dim else cell.measure
        by_column.setdefault(column_key, []).append(row_key)
        cells[(row_key, column_key)] = cell
    column_keys = list(by_column)
    if column_dim:
        one = None if measure_rows else measures[0]
        columns = [WideColumn(category_text(k), k, one) for k in column_keys]
    else:
        columns = [WideColumn(MEASURE_LABELS[str(k)], k, str(k)) for k in column_keys]
    rows = [
        WideRow(key, [cells.get((key, c.key)) for c in columns], total_row(key), row_measures[key])
        for key in merged_order(by_column.values())
    ]
    headers = [table.header(d) for d in row_dims] + ([MEASURE_HEADER] if measure_rows else [])
    return WideTable(
        layout=layout,
        row_dims=row_dims,
        row_headers=headers,
        column_header=table.header(column_dim) if column_dim else None,
        columns=columns,
        rows=rows,
        measure=measures[0] if layout == LAYOUT_DIM else None,
        column_dim=column_dim,
        column_position=dims.index(column_dim) if column_dim else None,
    )


def choose_layout(dims: list[str], measures: list[str]) -> tuple[str, list[str], str | None]:
    """``(layout, row dimensions, column dimension)`` of a table with these dimensions and measures."""
    if TIME_DIM in dims and measures:
        rows = [d for d in dims if d != TIME_DIM]
        layout = LAYOUT_DIM if len(measures) == 1 and rows else LAYOUT_DIM_MEASURES
        return layout, rows, TIME_DIM
    if len(measures) == 1 and len(dims) >= 2:
        return LAYOUT_DIM, dims[:-1], dims[-1]
    return LAYOUT_MEASURES, dims, None


def merged_order(sequences: Iterable[Sequence[Hashable]]) -> list:
    """The keys of several ordered sequences in one order that keeps each sequence's order where
    they agree: a key missing from the first sequence goes right after the key it follows in the
    first sequence that has it (a municipality that first appears in 2021 stays among its
    neighbours, before "I alt", instead of after the total)."""
    order: list = []
    seen: set = set()
    for sequence in sequences:
        previous = None
        for key in sequence:
            if key not in seen:
                if previous is None:
                    order.insert(0, key)
                elif order[-1] == previous:
                    order.append(key)
                else:
                    order.insert(order.index(previous) + 1, key)
                seen.add(key)
            previous = key
    return order


def total_row(key: tuple[str, ...]) -> bool:
    """A row is a total when one of its categories is "I alt"."""
    return TOTAL in key


def stacking_positions(table: AppendixTable) -> list[int] | None:
    """The wide formats' ``stacking``: positions of its two dimensions in ``table.dims``, or None."""
    stacking = table.stacking
    if stacking is None:
        return None
    return [table.dims.index(stacking.by), table.dims.index(stacking.within)]
