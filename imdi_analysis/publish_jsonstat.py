"""JSON-stat 2.0 downloads of disclosed appendix tables, with Statistics Norway's symbols kept.

Why our own writer: the Python JSON-stat writers (``pyjstat``'s ``Dataset.write``/``to_json_stat``)
write ``value`` only, so a hidden cell is a bare ``null`` and a reader cannot tell a
suppressed count (``:``) from a missing (``..``) or impossible (``.``) one. Statistics Norway's
API (PxWeb ``json-stat2``) keeps the reason in ``status``; so does this writer.

How to call it (for the appendix pages)::

    from imdi_analysis.disclosure import apply_disclosure
    from imdi_analysis.publish_jsonstat import write_jsonstat

    disclosed = apply_disclosure(table, threshold)           # an AppendixTable
    write_jsonstat(disclosed, out_dir / f"{disclosed.key}.json", updated=published_date)

Beware the name: :func:`imdi_analysis.publish.publish_csv` already writes a ``<key>.json``
sidecar beside the CSV, so put the JSON-stat file elsewhere or name it ``<key>.jsonstat.json``.
The table is checked as every publishing writer checks it (disclosed, no small or derivable
count; :func:`imdi_analysis.publish.publishable_threshold`), and the file is written atomically.
Read it back with :func:`imdi_analysis.sources.jsonstat.read_jsonstat`.

The document
    ``version`` ``"2.0"``, ``class`` ``"dataset"``, ``label`` (``"<key>: <title>"``), ``source``,
    ``updated`` (the publication date), ``id``/``size``/``dimension``, ``role``, ``value``,
    ``status``, ``note`` and ``extension``.

    Dimensions are the table's dimensions in display order, each with its Norwegian header as
    label; a category's code and label are its text as published (``"Menn"``, ``"2022"``,
    ``"I alt"``). The measures are the dimension ``ContentsCode`` (placed before the time
    dimension ``year``, as in Statistics Norway's tables), with a ``unit`` per measure (base and
    decimals). ``value`` is dense and row-major, rounded to the measure's decimals as in the CSV,
    ``null`` where the cell is hidden (``:``, ``..``, ``.``); a ``-`` cell is ``0``. ``status``
    maps the position of every cell with a symbol to the symbol. A combination of categories
    the table does not have (e.g. across the distributions of a stacked table) is ``null`` with
    status ``.`` (cannot occur). ``note`` holds the table's notes and the threshold in
    Norwegian; ``extension.imdi`` the key, year, period, threshold, flags and the symbol legend.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

from imdi_analysis.errors import ConfigError
from imdi_analysis.publish import (
    DECIMALS,
    DEFAULT_SOURCE,
    PRELIMINARY_NOTICE,
    SYNTHETIC_NOTICE,
    category_text,
    cell_of,
    publication_date,
    publishable_threshold,
    stacking_names,
)
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
    SYMBOL_LEGEND,
    TOTAL,
    AppendixTable,
)
from imdi_analysis.tabular import write_atomic

CONTENTS_DIMENSION = "ContentsCode"
CONTENTS_LABEL = "statistikkvariabel"
TIME_DIMENSION = "year"
UNIT_BASES = {
    MEASURE_COUNT: "antall",
    MEASURE_PERCENT: "prosent",
    MEASURE_SHARE: "andel",
    MEASURE_MEAN_MONTHS: "måneder",
    MEASURE_MEDIAN_MONTHS: "måneder",
}
HIDDEN = (STATUS_SUPPRESSED, STATUS_MISSING, STATUS_NOT_APPLICABLE)
ABSENT = STATUS_NOT_APPLICABLE  # a combination of categories the table does not have
THRESHOLD_NOTE = (
    "Antall under {threshold} vises ikke (:), og heller ikke andeler og gjennomsnitt med færre enn "
    "{threshold} personer bak; noen andre celler er skjult slik at de ikke kan regnes ut fra summene."
)
EXTENSION_KEY = "imdi"


def write_jsonstat(
    table: AppendixTable, path: Path, *, updated: dt.date | None = None, source: str = DEFAULT_SOURCE
) -> None:
    """Write a disclosed table as a JSON-stat 2.0 dataset, atomically (see the module docstring).

    Parameters
    ----------
    table : a table returned by :func:`imdi_analysis.disclosure.apply_disclosure`
    path : the file to write (e.g. ``<key>.jsonstat.json``)
    updated : the publication date written as ``updated``; default ``SOURCE_DATE_EPOCH`` if
        set, else today. The bytes depend only on the table and this date.
    source : the dataset's ``source``

    Raises
    ------
    DisclosureError
        When the table was not disclosed, or would reveal a small or derivable count.
    ConfigError
        When a dimension is called ``ContentsCode``, a measure is unknown, two categories of a
        dimension have the same text, or two cells have the same categories.
    """
    threshold = publishable_threshold(table)
    document = jsonstat_document(table, threshold, updated or publication_date(), source)
    write_atomic(Path(path), json.dumps(document, ensure_ascii=False, indent=1) + "\n")


def jsonstat_document(table: AppendixTable, threshold: int, updated: dt.date, source: str) -> dict:
    """The JSON-stat 2.0 dataset of a disclosed table as a dict."""
    ids = dimension_ids(table)
    categories = {dim: categories_of(table, dim) for dim in ids}
    sizes = [len(categories[dim]) for dim in ids]
    values, status = cell_arrays(table, ids, categories, sizes)
    return {
        "version": "2.0",
        "class": "dataset",
        "label": f"{table.key}: {table.title}",
        "source": source,
        "updated": updated.isoformat(),
        "note": notes_of(table, threshold),
        "role": {
            **({"time": [TIME_DIMENSION]} if TIME_DIMENSION in ids else {}),
            "metric": [CONTENTS_DIMENSION],
        },
        "id": ids,
        "size": sizes,
        "dimension": {dim: dimension_json(table, dim, categories[dim]) for dim in ids},
        "value": values,
        "status": status,
        "extension": {EXTENSION_KEY: extension_of(table, threshold)},
    }


def dimension_ids(table: AppendixTable) -> list[str]:
    """The table's dimensions with ``ContentsCode`` before the time dimension (else last)."""
    dims = [str(d) for d in table.dims]
    if CONTENTS_DIMENSION in dims:
        raise ConfigError(
            f"Table {table.key}: a dimension is called {CONTENTS_DIMENSION!r}, the name JSON-stat "
            "output uses for the measures; rename the dimension."
        )
    at = dims.index(TIME_DIMENSION) if TIME_DIMENSION in dims else len(dims)
    return [*dims[:at], CONTENTS_DIMENSION, *dims[at:]]


def categories_of(table: AppendixTable, dim: str) -> list[str]:
    """Category codes (their published text) of a dimension in first-occurrence order."""
    column = table.data["measure"] if dim == CONTENTS_DIMENSION else table.data[dim]
    values = list(dict.fromkeys(column.tolist()))
    texts = [str(v) if dim == CONTENTS_DIMENSION else category_text(v) for v in values]
    if len(set(texts)) != len(texts):
        repeated = sorted({t for t in texts if texts.count(t) > 1})
        raise ConfigError(
            f"Table {table.key}: dimension {dim!r} has different categories written the same way "
            f"({', '.join(map(repr, repeated))}); give each category its own text."
        )
    return texts


def cell_arrays(
    table: AppendixTable, ids: list[str], categories: dict[str, list[str]], sizes: list[int]
) -> tuple[list, dict[str, str]]:
    """Dense row-major ``value`` list and the ``status`` map of every cell with a symbol."""
    positions = {dim: {code: i for i, code in enumerate(categories[dim])} for dim in ids}
    strides = [math.prod(sizes[i + 1 :]) for i in range(len(sizes))]
    values: list = [None] * math.prod(sizes)
    symbols: dict[int, str] = {}
    seen: set[int] = set()
    for record in table.data.to_dict("records"):
        cell = cell_of(record)
        codes = [str(record["measure"]) if d == CONTENTS_DIMENSION else category_text(record[d]) for d in ids]
        position = sum(positions[d][c] * s for d, c, s in zip(ids, codes, strides, strict=True))
        if position in seen:
            raise ConfigError(f"Table {table.key}: two cells for {dict(zip(ids, codes, strict=True))}.")
        seen.add(position)
        values[position] = published_value(cell)
        if cell.status != STATUS_SHOWN:
            symbols[position] = cell.status
    for position in range(len(values)):
        if position not in seen:
            symbols[position] = ABSENT
    return values, {str(p): symbols[p] for p in sorted(symbols)}


def published_value(cell) -> int | float | None:
    """The number as the CSV shows it (the measure's decimals), ``None`` when hidden."""
    if cell.status in HIDDEN or cell.value != cell.value:
        return None
    decimals = DECIMALS[cell.measure]
    rounded = round(cell.value, decimals) + 0.0
    return int(rounded) if decimals == 0 else rounded


def dimension_json(table: AppendixTable, dim: str, codes: list[str]) -> dict:
    """One dimension: label, category index and labels (and units for the measures)."""
    category: dict = {"index": {code: i for i, code in enumerate(codes)}}
    if dim == CONTENTS_DIMENSION:
        category["label"] = {code: MEASURE_LABELS[code] for code in codes}
        category["unit"] = {code: {"base": UNIT_BASES[code], "decimals": DECIMALS[code]} for code in codes}
        return {"label": CONTENTS_LABEL, "category": category}
    category["label"] = {code: code for code in codes}
    return {"label": table.header(dim), "category": category}


def notes_of(table: AppendixTable, threshold: int) -> list[str]:
    """Norwegian notes: the table's own, preliminary and synthetic notices, the threshold."""
    notes = list(table.notes)
    if table.preliminary:
        notes.append(PRELIMINARY_NOTICE)
    if table.synthetic:
        notes.append(SYNTHETIC_NOTICE)
    notes.append(THRESHOLD_NOTE.format(threshold=threshold))
    return notes


def extension_of(table: AppendixTable, threshold: int) -> dict:
    """What a program needs beyond JSON-stat: the table's identity, threshold and flags."""
    return {
        "key": table.key,
        "year": int(table.year),
        "period": table.period,
        "threshold": threshold,
        "total_label": TOTAL,
        "preliminary": bool(table.preliminary),
        "synthetic": bool(table.synthetic),
        "supported": bool(table.supported),
        "sources": list(table.sources),
        "symbols": dict(SYMBOL_LEGEND),
        **({"stacking": stacking_names(table.stacking)} if table.stacking is not None else {}),
    }
