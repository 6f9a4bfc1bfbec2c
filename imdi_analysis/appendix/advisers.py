"""Appendix table 32: cases reported by minority advisers and integration advisers.

Built from the ``minority_adviser_cases`` extract (one row per case, ``docs/data_contracts.md``).
"""

from __future__ import annotations

import pandas as pd

from imdi_analysis.appendix.registry import (
    BuildContext,
    builder,
    make_table,
)
from imdi_analysis.appendix.toolbox import (
    as_counts,
    code_list_labels,
    count_cells,
    label_codes,
    label_sex,
    sex_order,
)
from imdi_analysis.tables import AppendixTable, Stacking

SOURCE = "minority_adviser_cases"
ADVISER_LABELS = {
    "minoritetsradgiver": "Minoritetsrådgivere",
    "integreringsradgiver": "Integreringsrådgivere",
}
CASE_CATEGORY_LABELS = {
    "negativ_sosial_kontroll": "Negativ sosial kontroll",
    "tvangsekteskap": "Tvangsekteskap",
    "aeresrelatert_vold": "Æresrelatert vold",
    "kjonnslemlestelse": "Kjønnslemlestelse",
    "etterlatt_i_utlandet": "Etterlatt i utlandet",
    "annet": "Annet",
}
# Age bands as (lowest age, label), ascending.
AGE_BANDS = ((0, "Under 16 år"), (16, "16–17 år"), (18, "18–25 år"), (26, "26 år og over"))
BREAKDOWN_CASE_CATEGORY = "Sakskategori"
BREAKDOWN_SEX = "Kjønn"
BREAKDOWN_AGE = "Alder"
BREAKDOWN_BACKGROUND = "Landbakgrunn"
LABELS = {"adviser_type": "Rådgiver", "breakdown": "Fordeling", "group": "Gruppe"}
STACKING = Stacking(by="breakdown", within="group")


def age_band(ages: pd.Series) -> pd.Series:
    """Label of the age band of each age (:data:`AGE_BANDS`)."""
    lows = [low for low, _ in AGE_BANDS]
    bins = [*lows, float("inf")]
    return pd.cut(
        ages.astype("float64"), bins=bins, right=False, labels=[label for _, label in AGE_BANDS]
    ).astype("object")


def label_with(values: pd.Series, labels: dict[str, str]) -> pd.Series:
    """Norwegian labels of coded values (unknown codes kept as they are)."""
    return values.map(labels).fillna(values)


@builder("32")
def build_adviser_cases(ctx: BuildContext) -> AppendixTable:
    """Table 32: cases reported by minority advisers and integration advisers respectively.

    Population: cases in ``minority_adviser_cases`` reported (``report_date``) from 1 January
    to the status date. Counting rule: cases (a person with two cases counts twice), by adviser
    type (with "I alt") × four distributions stacked in ``breakdown``: case category, sex of the
    person the case concerns, age (:data:`AGE_BANDS`) and region of country background. Each
    distribution has its own "I alt" row, equal to the adviser type's total; the table declares
    this (:data:`STACKING`), so disclosure control treats those rows as one cell, suppressed in
    every distribution or in none. Reference date: 31 December (30 June in a half-year run; the
    letter asks for the annual report only).
    """
    dims = ["adviser_type", "breakdown", "group"]
    first, last = ctx.window()
    cases = ctx.load(SOURCE)
    reported = pd.to_datetime(cases["report_date"])
    cases = cases[(reported >= first) & (reported <= last)]
    adviser = label_with(cases["adviser_type"], ADVISER_LABELS)
    distributions = (
        (
            BREAKDOWN_CASE_CATEGORY,
            label_with(cases["case_category"], CASE_CATEGORY_LABELS),
            list(CASE_CATEGORY_LABELS.values()),
        ),
        (BREAKDOWN_SEX, label_sex(cases["sex"]), sex_order()),
        (BREAKDOWN_AGE, age_band(cases["age"]), [label for _, label in AGE_BANDS]),
        (
            BREAKDOWN_BACKGROUND,
            label_codes(cases["country_background"], "regions"),
            list(code_list_labels("regions").values()),
        ),
    )
    parts = []
    for name, group, order in distributions:
        frame = pd.DataFrame({"adviser_type": adviser, "group": group})
        cells = count_cells(
            frame, ["adviser_type", "group"], {"adviser_type": list(ADVISER_LABELS.values()), "group": order}
        )
        parts.append(as_counts(cells).assign(breakdown=name))
    notes = [
        "Saker rapportert fra 1. januar til statusdato. En person med flere saker telles én gang per sak.",
        "Hver fordeling (sakskategori, kjønn, alder, landbakgrunn) summerer seg til antall saker for rådgivertypen.",
        "Alder er alderen til personen saken gjelder, slik den er rapportert.",
    ]
    data = pd.concat(parts, ignore_index=True)[[*dims, "measure", "value", "base"]]
    return make_table(ctx, data, dims, dim_labels=LABELS, notes=notes, sources=[SOURCE], stacking=STACKING)


__all__ = ["AGE_BANDS", "age_band", "build_adviser_cases", "label_with"]
