"""Read Statistics Norway JSON-stat 2.0 responses into tidy frames that keep cell status.

Why our own reader and not ``pyjstat``: pyjstat (``from_json_stat`` / ``Dataset.write``)
builds one column per dimension with *either* codes *or* labels and a value column; it drops
the ``status`` map, so a suppressed cell (``":"``) and a missing one (``".."``) both become an
empty value and the reason is lost. Statistics Norway's symbols must survive into our tables
(``imdi_analysis.codes.SYMBOL_*``), and we want codes and labels side by side. The format is
small — ``id``, ``size``, ``dimension[*].category.index/label``, a row-major ``value`` list and
a ``status`` map — so a ~50-line reader without a new dependency is the simpler choice.

The output has, per dimension ``d`` in ``id`` order, a code column ``d`` and a label column
``d_label``; then ``value`` (float, NaN where the response has ``null``) and ``status`` (the
cell's symbol, or ``""``). Rows are in the response's row-major order (last dimension fastest).
The dataset's ``label``, ``source`` and ``updated`` are kept in ``frame.attrs``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from imdi_analysis.errors import DataNotFoundError, DataValidationError

LABEL_SUFFIX = "_label"
VALUE_COLUMN = "value"
STATUS_COLUMN = "status"
NO_STATUS = ""
ATTRS = ("label", "source", "updated")


def read_jsonstat(path: Path) -> pd.DataFrame:
    """Read a JSON-stat 2.0 dataset file (e.g. a PxWeb ``json-stat2`` response) into a tidy frame."""
    path = Path(path)
    if not path.is_file():
        raise DataNotFoundError(f"JSON-stat file not found: {path}.")
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise DataValidationError(f"{path}: not valid JSON ({exc}).") from None
    return parse_jsonstat(document, str(path))


def parse_jsonstat(document: dict, source: str = "JSON-stat") -> pd.DataFrame:
    """Turn a decoded JSON-stat 2.0 ``dataset`` object into a tidy frame (see module docstring)."""
    dataset = unwrap_dataset(document, source)
    ids, sizes = list(dataset["id"]), list(dataset["size"])
    if len(ids) != len(sizes):
        raise DataValidationError(f"{source}: 'id' has {len(ids)} dimensions but 'size' has {len(sizes)}.")
    cells = math.prod(sizes)
    categories = [
        dimension_categories(dataset, dim, size, source) for dim, size in zip(ids, sizes, strict=True)
    ]
    grid = np.indices(sizes).reshape(len(sizes), -1) if ids else np.zeros((0, 1), dtype=int)
    frame = pd.DataFrame(index=range(cells))
    for dim, (codes, labels), positions in zip(ids, categories, grid, strict=True):
        frame[dim] = np.asarray(codes, dtype=object)[positions]
        frame[dim + LABEL_SUFFIX] = np.asarray(labels, dtype=object)[positions]
    frame[VALUE_COLUMN] = cell_values(dataset.get("value"), cells, source)
    frame[STATUS_COLUMN] = cell_statuses(dataset.get("status"), cells, source)
    frame.attrs.update({key: dataset[key] for key in ATTRS if key in dataset})
    return frame


def unwrap_dataset(document: dict, source: str) -> dict:
    """The ``dataset`` object: the document itself (2.0) or its single bundled dataset."""
    if isinstance(document, dict) and document.get("class") == "dataset":
        return document
    if isinstance(document, dict) and "dataset" in document and isinstance(document["dataset"], dict):
        return unwrap_dataset(document["dataset"], source)
    raise DataValidationError(f'{source}: expected a JSON-stat object with "class": "dataset".')


def dimension_categories(dataset: dict, dim: str, size: int, source: str) -> tuple[list[str], list[str]]:
    """Codes in index order and their labels (a code is its own label when none is given)."""
    try:
        category = dataset["dimension"][dim]["category"]
    except KeyError:
        raise DataValidationError(f"{source}: dimension {dim!r} has no 'category'.") from None
    index = category.get("index", list(category.get("label", {})))
    codes = list(index) if isinstance(index, list) else sorted(index, key=index.get)
    if len(codes) != size:
        raise DataValidationError(f"{source}: dimension {dim!r} has {len(codes)} categories but size {size}.")
    labels = category.get("label", {})
    return [str(c) for c in codes], [str(labels.get(c, c)) for c in codes]


def cell_values(values: list | dict | None, cells: int, source: str) -> np.ndarray:
    """Values as float, NaN for ``null``; a dict is a sparse ``{position: value}`` list."""
    if isinstance(values, dict):
        dense = [None] * cells
        for position, value in values.items():
            dense[int(position)] = value
        values = dense
    if values is None or len(values) != cells:
        found = 0 if values is None else len(values)
        raise DataValidationError(f"{source}: 'value' has {found} cells; the sizes give {cells}.")
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def cell_statuses(status: list | dict | str | None, cells: int, source: str) -> list[str]:
    """Status symbol of every cell: ``status`` may be a map, a full list or one string for all."""
    if status is None:
        return [NO_STATUS] * cells
    if isinstance(status, str):
        return [status] * cells
    if isinstance(status, list):
        if len(status) != cells:
            raise DataValidationError(f"{source}: 'status' list has {len(status)} cells; expected {cells}.")
        return [s or NO_STATUS for s in status]
    out = [NO_STATUS] * cells
    for position, symbol in status.items():
        out[int(position)] = symbol or NO_STATUS
    return out
