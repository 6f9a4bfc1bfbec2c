"""Read Statistics Norway JSON-stat 2.0 responses into tidy frames that keep cell status.

Why our own reader and not ``pyjstat``: pyjstat (``from_json_stat`` / ``Dataset.write``)
builds one column per dimension with *either* codes *or* labels and a value column; it drops
the ``status`` map, so a suppressed cell (``":"``) and a missing one (``".."``) both become an
empty value and the reason is lost. Statistics Norway's symbols must survive into our tables
(``imdi_analysis.codes.SYMBOL_*``), and we want codes and labels side by side. The format is
small — ``id``, ``size``, ``dimension[*].category.index/label``, a row-major ``value`` list and
a ``status`` map — so a short reader without a new dependency is the simpler choice.

The output has, per dimension ``d`` in ``id`` order, a code column ``d`` and a label column
``d_label``; then ``value`` (float, NaN where the response has ``null``) and ``status`` (the
cell's symbol, or ``""``). Rows are in the response's row-major order (last dimension fastest).
The dataset's ``label``, ``source`` and ``updated`` are kept in ``frame.attrs`` (and the file
name in ``attrs["file"]``). ``category.index`` may be an object or an array, ``value`` a list or
a sparse ``{position: value}`` object, and ``status`` an object, an array or one string.

Totals and subtotals (:func:`category_hierarchy`)
    Statistics Norway lists totals and subtotals beside the detailed categories (table 10809:
    "Arbeidssituasjon i alt", "Sysselsatt og / eller under utdanning, i alt" and its parts, …).
    Adding every category counts people two or three times. :func:`category_hierarchy` finds,
    for one dimension, which categories are sums of which others — from the numbers (a
    category equal to the sum of a set of others in every known cell) checked against the labels
    and codes ("…, i alt", "I alt", "Begge kjønn", ``0``/``00``/``T``) — and returns the
    *leaves* (categories that may be added) and each total's leaves. It refuses, with a
    :class:`~imdi_analysis.errors.TableLayoutError` naming the file, dimension and categories, a
    total that does not equal its parts, a total with two possible sets of parts, two totals
    with the same parts, and totals with categories outside all of them.

    Limitation: the numbers are evidence only where they cannot coincide. In a table with one or
    two cells per category, small counts can add up by chance (1 + 2 = 3); the labels and the
    checks above catch many such cases and refuse them, but a download with more cells (years,
    sexes, ages) gives the reader more to check. Percentages are rounded separately and do not
    add up: pass the counts.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from imdi_analysis.errors import DataNotFoundError, DataValidationError, TableLayoutError

LABEL_SUFFIX = "_label"
CONTENTS_DIMENSION = "ContentsCode"
VALUE_COLUMN = "value"
STATUS_COLUMN = "status"
NO_STATUS = ""
ATTRS = ("label", "source", "updated")
# Totals are recognised by label ("Arbeidssituasjon i alt", "I alt", "Begge kjønn", "Labour force
# status, total") or code ("0", "00", "T", "TOT"). A grand-total label or code, or a "…, i alt"
# category that is the largest in every cell, must equal the sum of other categories; a smaller
# "…, i alt" category may be a subtotal listed without its parts.
GRAND_TOTAL_LABEL = re.compile(
    r"^(i alt|alle|begge kjønn|total|totalt|hele landet|both sexes)\b", re.IGNORECASE
)
SUBTOTAL_LABEL = re.compile(r"(\bi alt|\btotal|\btotalt)$", re.IGNORECASE)
TOTAL_CODE = re.compile(r"0+|T|TOT|TOTAL|TOTALT|ALLE", re.IGNORECASE)
SUM_TOLERANCE = 0.5  # counts are integers: a total equals its parts exactly
MAX_EXHAUSTIVE = 12  # up to this many categories, every set of parts is tried


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
    ids, sizes = dataset.get("id"), dataset.get("size")
    if not isinstance(ids, list) or not isinstance(sizes, list) or not all(isinstance(n, int) for n in sizes):
        raise DataValidationError(
            f"{source}: the dataset needs 'id' (a list of dimension ids) and 'size' (a list of whole "
            "numbers); check that the file is a JSON-stat 2.0 dataset (PxWeb format json-stat2)."
        )
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
    frame.attrs["file"] = source
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
    if isinstance(index, dict) and sorted(index.values()) != list(range(len(index))):
        raise DataValidationError(
            f"{source}: dimension {dim!r}: category.index positions must be 0 to {len(index) - 1}, each once."
        )
    if len(codes) != size:
        raise DataValidationError(f"{source}: dimension {dim!r} has {len(codes)} categories but size {size}.")
    labels = category.get("label", {})
    return [str(c) for c in codes], [str(labels.get(c, c)) for c in codes]


def cell_values(values: list | dict | None, cells: int, source: str) -> np.ndarray:
    """Values as float, NaN for ``null``; a dict is a sparse ``{position: value}`` list."""
    if isinstance(values, dict):
        dense = [None] * cells
        for position, value in values.items():
            dense[cell_position(position, cells, "value", source)] = value
        values = dense
    if values is None or len(values) != cells:
        found = 0 if values is None else len(values)
        raise DataValidationError(f"{source}: 'value' has {found} cells; the sizes give {cells}.")
    try:
        return np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    except (TypeError, ValueError):
        bad = next(v for v in values if v is not None and not isinstance(v, int | float))
        raise DataValidationError(
            f"{source}: 'value' holds {str(bad)[:60]!r}, not a number or null."
        ) from None


def cell_position(position: object, cells: int, field: str, source: str) -> int:
    """A sparse ``value``/``status`` key as a cell position, checked against the number of cells."""
    try:
        number = int(str(position))
    except ValueError:
        number = -1
    if not 0 <= number < cells:
        raise DataValidationError(
            f"{source}: '{field}' has position {str(position)[:30]!r}; positions run from 0 to {cells - 1}."
        )
    return number


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
        out[cell_position(position, cells, "status", source)] = symbol or NO_STATUS
    return out


# ------------------------------------------------------------------ totals and subtotals


@dataclass(frozen=True)
class CategoryHierarchy:
    """How the categories of one dimension add up.

    Attributes
    ----------
    dimension : the dimension id
    labels : label of every category, in index order (code → label)
    leaves : the categories that are not the sum of others, in index order; each person is in
        at most one of them, so they may be added
    parts : every total or subtotal (code) → the leaves it is the sum of, in index order
    total : the total whose parts are all the leaves (``None`` when the dimension has none:
        then the leaves are the whole)
    """

    dimension: str
    labels: dict[str, str]
    leaves: tuple[str, ...]
    parts: dict[str, tuple[str, ...]]
    total: str | None

    def is_aggregate(self, code: str) -> bool:
        """Whether ``code`` is a total or subtotal (the sum of other categories)."""
        return code in self.parts

    def leaves_of(self, code: str) -> tuple[str, ...]:
        """The leaves a category covers: its parts, or itself when it is a leaf."""
        return self.parts.get(code, (code,))


def category_hierarchy(
    frame: pd.DataFrame, dim: str, source: str = "JSON-stat", tolerance: float = SUM_TOLERANCE
) -> CategoryHierarchy:
    """Recognise the totals and subtotals of ``dim`` in a frame from :func:`parse_jsonstat`.

    A category is a total or subtotal when, in every cell where it and a set of other categories
    are known (same categories of every other dimension), it equals their sum within
    ``tolerance``, with at least one such cell non-zero. Sums are resolved into leaves from the
    smallest total up (a sum holding a total and one of its own parts is dropped), and a
    detailed (unlabelled) category is never taken as the sum of labelled totals. Labels ending
    in "i alt" (or starting with "I alt", "Alle", "Begge kjønn", …) and codes such as ``0``,
    ``00`` or ``T`` mark categories that must be totals; a smaller "…, i alt" category inside no
    total is a subtotal listed without its parts. Pass a frame with one kind of contents
    (counts, not percentages, which are rounded separately).

    Raises
    ------
    TableLayoutError
        When a category marked as a total is not the sum of other categories, when a total is
        the sum of two different sets of detailed categories, or when the table has totals
        but some categories are outside all of them (summing them could count a person twice).
    """
    codes, labels = dimension_codes(frame, dim)
    if len(codes) < 2:
        return CategoryHierarchy(dim, labels, tuple(codes), {}, None)
    wide = cells_by_category(frame, dim, codes)
    values = wide.to_numpy(dtype=float)
    searchable = [i for i in range(len(codes)) if np.nansum(np.abs(values[:, i])) > 0]
    non_empty = {codes[i] for i in searchable}
    marked = [is_marked_total(c, labels[c]) for c in codes]
    found = {code: [] for code in codes}
    for target, masks in candidate_sums(codes, labels, searchable):
        if not marked[target]:  # a detailed category is never the sum of labelled totals
            masks = masks[~masks[:, marked].any(axis=1)]
        holding = masks[sums_hold(values, target, masks, tolerance)]
        found[codes[target]] += [frozenset(codes[i] for i in np.flatnonzero(row)) for row in holding]
    magnitude = {code: float(np.nansum(np.abs(values[:, i]))) for i, code in enumerate(codes)}
    parts = resolve_parts(
        codes, labels, {c: sets for c, sets in found.items() if sets}, magnitude, dim, source
    )
    leaves = [c for c in codes if c not in parts]
    check_distinct_totals(parts, labels, dim, source)
    check_marked_totals(frame, codes, labels, parts, non_empty, wide, dim, source)
    total = overall_total(codes, labels, leaves, parts, non_empty, dim, source)
    return CategoryHierarchy(dim, labels, tuple(leaves), parts, total)


def dimension_codes(frame: pd.DataFrame, dim: str) -> tuple[list[str], dict[str, str]]:
    """Codes of ``dim`` in first-occurrence (index) order and their labels."""
    pairs = frame[[dim, dim + LABEL_SUFFIX]].drop_duplicates(dim)
    codes = [str(c) for c in pairs[dim]]
    return codes, dict(zip(codes, (str(v) for v in pairs[dim + LABEL_SUFFIX]), strict=True))


def cells_by_category(frame: pd.DataFrame, dim: str, codes: list[str]) -> pd.DataFrame:
    """Values with one row per combination of the other dimensions and one column per category."""
    others = [d for d in frame_dimensions(frame) if d != dim]
    if not others:
        return frame.drop_duplicates(dim).set_index(dim)[VALUE_COLUMN].to_frame().T.reindex(columns=codes)
    wide = frame.pivot_table(index=others, columns=dim, values=VALUE_COLUMN, aggfunc="first", dropna=False)
    return wide.reindex(columns=codes)


def frame_dimensions(frame: pd.DataFrame) -> list[str]:
    """Dimension ids of a tidy JSON-stat frame: columns that have a ``<dim>_label`` partner."""
    return [c for c in frame.columns if f"{c}{LABEL_SUFFIX}" in frame.columns]


def is_marked_total(code: str, label: str) -> bool:
    """Whether a code or label says the category is a total ("…, i alt", "Begge kjønn", ``00``)."""
    return is_grand_total(code, label) or bool(SUBTOTAL_LABEL.search(label.strip()))


def is_grand_total(code: str, label: str) -> bool:
    """Whether a code or label says the category is the total of the whole dimension."""
    return bool(TOTAL_CODE.fullmatch(code.strip()) or GRAND_TOTAL_LABEL.search(label.strip()))


def is_largest(wide: pd.DataFrame, code: str) -> bool:
    """Whether a category is at least as large as every other one in every cell where it is known."""
    column = wide[code]
    known = column.notna()
    return bool(known.any() and (wide[known].max(axis=1) <= column[known] + SUM_TOLERANCE).all())


def candidate_sums(codes: list[str], labels: dict[str, str], searchable: list[int]):
    """Per target index, the sets of other categories to test, as rows of a boolean mask.

    With at most :data:`MAX_EXHAUSTIVE` non-empty categories every set of two or more others is
    tried; beyond that, the runs of consecutive categories just after or before the target (how
    Statistics Norway lists a total's parts) and the set of all other categories. A single part
    is tried only for a category marked as a total whose part is not marked, or for a grand
    total ("I alt", ``00``) whose one part is a subtotal.
    """
    n = len(codes)
    for target in searchable:
        others = np.array([i for i in searchable if i != target], dtype=int)
        if len(searchable) <= MAX_EXHAUSTIVE:
            picks = [s for size in range(2, len(others) + 1) for s in itertools.combinations(others, size)]
            masks = np.zeros((len(picks), n), dtype=bool)
            for row, pick in enumerate(picks):
                masks[row, list(pick)] = True
        else:
            after, before = others[others > target], others[others < target]
            runs_after = np.zeros((max(len(after) - 1, 0), n), dtype=bool)
            runs_after[:, after] = np.tril(np.ones((len(after), len(after)), dtype=bool))[1:]
            runs_before = np.zeros((max(len(before) - 1, 0), n), dtype=bool)
            runs_before[:, before] = np.triu(np.ones((len(before), len(before)), dtype=bool))[:-1]
            everything = np.zeros((1, n), dtype=bool)
            everything[0, others] = True
            masks = np.vstack([runs_after, runs_before, everything])
        singles = single_parts(codes, labels, target, others)
        if singles:
            single_masks = np.zeros((len(singles), n), dtype=bool)
            single_masks[np.arange(len(singles)), singles] = True
            masks = np.vstack([masks, single_masks])
        yield target, masks


def single_parts(codes: list[str], labels: dict[str, str], target: int, others: np.ndarray) -> list[int]:
    """Categories a total may equal on its own: unmarked ones, or subtotals of a grand total."""
    if not is_marked_total(codes[target], labels[codes[target]]):
        return []
    grand = is_grand_total(codes[target], labels[codes[target]])
    return [
        int(i)
        for i in others
        if not is_marked_total(codes[i], labels[codes[i]])
        or (grand and not is_grand_total(codes[i], labels[codes[i]]))
    ]


def sums_hold(values: np.ndarray, target: int, masks: np.ndarray, tolerance: float) -> np.ndarray:
    """For each mask row: does the target equal that set's sum in every cell where all are known?

    At least one such cell must be non-zero.
    """
    if not len(masks):
        return np.zeros(0, dtype=bool)
    weights = masks.astype(float)
    known = ~np.isnan(values)
    filled = np.where(known, values, 0.0)
    # einsum rather than @: these small products are faster without BLAS threads on a busy machine
    sums = np.einsum("cn,kn->ck", filled, weights)  # cells × sets
    counts = np.einsum("cn,kn->ck", known.astype(float), weights)
    evidence = (counts == weights.sum(axis=1)) & known[:, [target]]
    target_values = filled[:, [target]]
    agree = ~evidence | (np.abs(target_values - sums) <= tolerance)
    return agree.all(axis=0) & (evidence & (target_values != 0)).any(axis=0)


def check_distinct_totals(
    parts: dict[str, tuple[str, ...]], labels: dict[str, str], dim: str, source: str
) -> None:
    """Two totals with the same parts are ambiguous, unless one is the grand total of a subtotal.

    The numbers alone then cannot say which contains which (with few cells, sums of small counts
    coincide); a grand total ("I alt", ``00``) equal to one subtotal is the one accepted case.
    """
    by_parts: dict[tuple[str, ...], list[str]] = {}
    for code, leaves in parts.items():
        by_parts.setdefault(leaves, []).append(code)
    for leaves, codes in by_parts.items():
        if len(codes) < 2:
            continue
        grand = [c for c in codes if is_grand_total(c, labels[c])]
        if len(codes) == 2 and len(grand) == 1 and all(is_marked_total(c, labels[c]) for c in codes):
            continue
        raise TableLayoutError(
            f"{source}: dimension {dim!r}: {' and '.join(describe(c, labels) for c in codes)} are all the sum "
            f"of [{', '.join(describe(c, labels) for c in leaves)}], so it cannot be told which contains "
            "which. Download the table with more years or breakdowns, or only the detailed categories."
        )


def resolve_parts(
    codes: list[str],
    labels: dict[str, str],
    found: dict[str, list[frozenset]],
    magnitude: dict[str, float],
    dim: str,
    source: str,
) -> dict[str, tuple[str, ...]]:
    """Each total's leaves, from the smallest total up; refuse a total with two sets of leaves.

    A sum found for a category is expanded into leaves (a part that is itself a total stands for
    its leaves). A sum that would hold a leaf twice — a total and one of its own parts, as in
    1 + 1 + 2 = 4 where "1" is the subtotal of "11" — is dropped; a category left with no sum is a
    leaf. Two sums with different leaves are two possible layouts and refused.
    """
    parts: dict[str, tuple[str, ...]] = {}
    for code in bottom_up(codes, found, magnitude):
        options: set[frozenset] = set()
        for subset in found[code]:
            flat = [leaf for part in subset for leaf in parts.get(part, (part,))]
            if len(flat) == len(set(flat)) and code not in flat:
                options.add(frozenset(flat))
        ordered = sorted(options, key=lambda s: sorted(codes.index(c) for c in s))
        if len(ordered) > 1:
            listed = " or ".join(
                "[" + ", ".join(describe(c, labels) for c in codes if c in option) + "]" for option in ordered
            )
            raise TableLayoutError(
                f"{source}: dimension {dim!r}: {describe(code, labels)} is the sum of {listed}; the layout "
                "is ambiguous, so a person could be counted twice. Download the table with only the "
                "categories you need, or with more years or breakdowns so that the totals can be told apart."
            )
        if ordered:
            parts[code] = tuple(c for c in codes if c in ordered[0])
    return {code: parts[code] for code in codes if code in parts}


def bottom_up(codes: list[str], found: dict[str, list[frozenset]], magnitude: dict[str, float]) -> list[str]:
    """Totals from the smallest up; among equal ones (a subtotal with one part), the inner first."""
    remaining = sorted(found, key=lambda c: (magnitude[c], codes.index(c)))
    order: list[str] = []
    while remaining:
        smallest = [c for c in remaining if magnitude[c] == magnitude[remaining[0]]]
        ready = [c for c in smallest if not any(p in remaining and p != c for s in found[c] for p in s)]
        chosen = (ready or smallest)[0]
        order.append(chosen)
        remaining.remove(chosen)
    return order


def check_marked_totals(
    frame: pd.DataFrame,
    codes: list[str],
    labels: dict[str, str],
    parts: dict,
    non_empty: set[str],
    wide: pd.DataFrame,
    dim: str,
    source: str,
) -> None:
    """A category labelled as a total must be a total, or a part of one (a subtotal shown alone).

    A "…, i alt" category that is inside no total is taken for a subtotal listed without its
    parts only when it is smaller than some other category somewhere (a total never is); a
    grand-total label or code ("I alt", ``00``) or a largest "…, i alt" category is refused. A
    category with no known non-zero cell cannot be checked and is let through.
    """
    covered = {leaf for leaves in parts.values() for leaf in leaves}
    for code in codes:
        if (
            code in parts
            or code in covered
            or code not in non_empty
            or not is_marked_total(code, labels[code])
            or not (is_grand_total(code, labels[code]) or is_largest(wide, code))
        ):
            continue
        top = top_level(codes, parts, exclude=code)
        raise TableLayoutError(
            f"{source}: dimension {dim!r}: {describe(code, labels)} is labelled as a total but is not the "
            f"sum of the other categories{first_difference(wide, code, top)}. Check the download, or "
            "select either the total or the detailed categories of this dimension."
            + contents_hint(frame, dim)
        )


def top_level(codes: list[str], parts: dict, exclude: str) -> list[str]:
    """Categories not inside any total (other than ``exclude``): what a grand total would add up."""
    inside = {leaf for code, leaves in parts.items() for leaf in leaves if leaf != code}
    nested = {c for c in parts if any(set(parts[c]) < set(parts[o]) for o in parts if o != c)}
    return [c for c in codes if c != exclude and c not in inside and c not in nested]


def first_difference(wide: pd.DataFrame, code: str, others: list[str]) -> str:
    """`` (4800 against 4790 for Kjonn=0, Tid=2017)``: where a total-like category differs.

    The comparison with the sum of the top-level categories is given when the category is the
    largest in that cell (a grand total); otherwise only its value.
    """
    known = wide[code].notna() & (wide[code] != 0)
    if not known.any():
        return ""
    sums = wide[others].sum(axis=1, min_count=len(others))
    differ = known & ((wide[code] - sums).abs() > SUM_TOLERANCE)
    key = (differ[differ] if differ.any() else known[known]).index[0]
    keys = key if isinstance(key, tuple) else (key,)
    where = ", ".join(f"{n}={k}" for n, k in zip(wide.index.names, keys, strict=True) if n is not None)
    where = f" for {where}" if where else ""
    value = wide.loc[key, code]
    if differ.any() and others and value >= wide.loc[key].max() and pd.notna(sums.loc[key]):
        return f" ({value:g} against {sums.loc[key]:g}{where})"
    return f" (it is {value:g}{where})"


def contents_hint(frame: pd.DataFrame, dim: str) -> str:
    """A hint when the frame mixes several contents (counts and rounded percentages)."""
    if (
        dim == CONTENTS_DIMENSION
        or CONTENTS_DIMENSION not in frame
        or frame[CONTENTS_DIMENSION].nunique() < 2
    ):
        return ""
    labels = ", ".join(dict.fromkeys(frame[CONTENTS_DIMENSION + LABEL_SUFFIX].astype(str)))
    return (
        f" The frame holds several contents ({CONTENTS_DIMENSION}: {labels}); check one at a time, "
        "the counts (rounded percentages do not add up)."
    )


def overall_total(
    codes: list[str],
    labels: dict[str, str],
    leaves: list[str],
    parts: dict,
    non_empty: set[str],
    dim: str,
    source: str,
) -> str | None:
    """The total of all leaves; refuse a table with totals and categories outside them."""
    if not parts:
        return None
    whole = [c for c in leaves if c in non_empty]
    covering = [code for code, covered in parts.items() if set(covered) >= set(whole)]
    if covering:
        return next((c for c in covering if is_grand_total(c, labels[c])), covering[0])
    outside = [c for c in leaves if c in non_empty and not any(c in p for p in parts.values())]
    tops = [c for c in top_level(codes, parts, exclude="") if c in parts]
    raise TableLayoutError(
        f"{source}: dimension {dim!r} has totals ({', '.join(describe(c, labels) for c in tops)}) but no "
        "total of all categories; "
        + (
            f"{', '.join(describe(c, labels) for c in outside)} are outside every total, so it cannot be "
            "told whether they are part of one. "
            if outside
            else ""
        )
        + "Download the table with the total of this dimension."
    )


def describe(code: str, labels: dict[str, str]) -> str:
    """``'Sysselsatt' (01)`` for messages."""
    return f"{labels.get(code, code)!r} ({code})"
