"""Tidy CSV with a JSON sidecar (:func:`publish_csv`).

One row per cell: the dimensions' Norwegian headers, ``Måltall`` (measure), ``Verdi`` (number
with ``.`` as decimal point, empty when hidden) and ``Symbol`` (Statistics Norway's symbol, empty
when the value is shown). UTF-8, ``\\n`` line ends, rows in the table's order and fixed decimals
per measure, so the same table always gives the same bytes. Text cells starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return get a leading ``'`` so that spreadsheets never read
them as formulas (OWASP, "CSV Injection"). The one exception is the ``Symbol`` column, where a
lone ``-`` is Statistics Norway's symbol for nil: a lone minus is not a formula, and escaping it
would break the symbol.

Beside the CSV, ``<key>.json`` records what the audit needs to read it back; a table that stacks
several distributions with a repeated "I alt" also gets ``stacking`` (``{"by": ..., "within":
...}``). A sidecar without the key (every other table, and any written before the key existed)
is read as a table without stacking.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from imdi_analysis.csv_output import escape_formula
from imdi_analysis.errors import ConfigError
from imdi_analysis.publish.cells import (
    DECIMALS,
    MEASURE_HEADER,
    SYMBOL_HEADER,
    VALUE_HEADER,
    category_text,
    cell_of,
    plain_number,
    publishable_threshold,
)
from imdi_analysis.tables import MEASURE_LABELS, TOTAL, AppendixTable, Stacking
from imdi_analysis.tabular import write_atomic

SIDECAR_FORMAT = "imdi-appendix-table"
SIDECAR_VERSION = 1


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
