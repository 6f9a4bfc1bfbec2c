"""The structure every published statistics table shares.

An :class:`AppendixTable` is tidy: one row per cell, with one column per dimension, a
``measure`` column, a ``value`` column and, for shares and means, the ``base`` count the
figure is computed from. Every dimension includes a total category labelled :data:`TOTAL`
where the table shows totals. Disclosure control (``disclosure.py``) adds the ``status`` column
with Statistics Norway's symbols; publishing (``publish.py``) writes CSV, XLSX and book pages.

Some tables stack several distributions of one population in one dimension (table 32: case
category, sex, age and country background, each with its own "I alt" row). A :class:`Stacking`
declares this, so that disclosure control treats the repeated "I alt" cells as one quantity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

TOTAL = "I alt"

MEASURE_COUNT = "count"
MEASURE_PERCENT = "percent"  # 0–100, share of the row/column total given by `base`
MEASURE_SHARE = "share"  # 0–1, share of `base`
MEASURE_MEAN_MONTHS = "mean_months"
MEASURE_MEDIAN_MONTHS = "median_months"
MEASURES = (MEASURE_COUNT, MEASURE_PERCENT, MEASURE_SHARE, MEASURE_MEAN_MONTHS, MEASURE_MEDIAN_MONTHS)
MEASURE_LABELS = {
    MEASURE_COUNT: "Antall",
    MEASURE_PERCENT: "Prosent",
    MEASURE_SHARE: "Andel",
    MEASURE_MEAN_MONTHS: "Gjennomsnitt (måneder)",
    MEASURE_MEDIAN_MONTHS: "Median (måneder)",
}

STATUS_SHOWN = ""
STATUS_SUPPRESSED = ":"
STATUS_MISSING = ".."
STATUS_NOT_APPLICABLE = "."
STATUS_ZERO = "-"
SYMBOL_LEGEND = {
    STATUS_NOT_APPLICABLE: "Tall kan ikke forekomme",
    STATUS_MISSING: "Tallgrunnlag mangler",
    STATUS_SUPPRESSED: "Vises ikke av hensyn til personvern (små tall)",
    STATUS_ZERO: "Null",
}


@dataclass(frozen=True)
class Stacking:
    """Several distributions of the same population stacked in one table.

    The distributions are told apart by the values of ``by``; each has its categories in
    ``within``, with a :data:`TOTAL` category. Cells whose ``within`` is :data:`TOTAL` and that
    differ only in ``by`` are the same quantity (the population's total, repeated once per
    distribution), so they must be equal and share their disclosure status.

    Attributes
    ----------
    by : dimension naming the distributions (``"breakdown"``: "Kjønn", "Alder", ...)
    within : dimension holding each distribution's categories and its "I alt" (``"group"``)
    """

    by: str
    within: str


@dataclass
class AppendixTable:
    """One table (or sub-table) of the statistics appendix, ready for disclosure control.

    Attributes
    ----------
    key : the letter's numbering, unique (e.g. ``"1A"``, ``"5-2"``, ``"28B"``)
    title : Norwegian title (from the letter's Vedlegg 3)
    year, period : reporting year and ``"H1"`` or ``"year"``
    data : tidy frame: ``dims`` columns, ``measure``, ``value`` (float, NaN when missing or
        not applicable), ``base`` (float count behind a share/mean; NaN for counts), and after
        disclosure ``status``
    dims : dimension column names, in display order (the time dimension, when present, is ``year``)
    dim_labels : Norwegian header for each dimension column (``{"sex": "Kjønn"}``)
    notes : Norwegian notes shown under the table
    preliminary : the letter calls the figures preliminary for this period
    supported : False when the data contract cannot support the table; ``data`` is then empty and
        ``notes`` says why — never filled with invented numbers
    synthetic : built from synthetic data (shown as a notice)
    sources : names of the sources the table was built from
    threshold : the disclosure threshold applied (``None`` before disclosure control)
    stacking : set when ``data`` stacks several distributions of one population (see
        :class:`Stacking`); ``None`` for an ordinary cross-table
    """

    key: str
    title: str
    year: int
    period: str
    data: pd.DataFrame
    dims: list[str]
    dim_labels: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    preliminary: bool = False
    supported: bool = True
    synthetic: bool = False
    sources: list[str] = field(default_factory=list)
    threshold: int | None = None  # set by disclosure control: counts below it are suppressed
    stacking: Stacking | None = None

    def header(self, dim: str) -> str:
        """Norwegian header of a dimension column."""
        return self.dim_labels.get(dim, dim)
