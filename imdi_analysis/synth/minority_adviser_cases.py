"""``minority_adviser_cases``: cases reported by minority and integration advisers.

About 700 cases a year at scale 1, mostly young women, mostly negative social control.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from imdi_analysis.synth._common import (
    FLAT_MONTHS,
    code_column,
    date_column,
    draw_codes,
    draw_days_in_year,
    id_column,
    int_column,
    scaled,
)
from imdi_analysis.synth.context import YearContext
from imdi_analysis.synth.population import SEXES
from imdi_analysis.synth.reference import checked, require_codes

SOURCE = "minority_adviser_cases"
CASES_PER_YEAR = 700
ADVISER_TYPES = ("minoritetsradgiver", "integreringsradgiver")
CASE_CATEGORY_P = {
    "negativ_sosial_kontroll": 0.45,
    "tvangsekteskap": 0.12,
    "aeresrelatert_vold": 0.15,
    "kjonnslemlestelse": 0.03,
    "etterlatt_i_utlandet": 0.10,
    "annet": 0.15,
}
CASE_CATEGORIES = tuple(CASE_CATEGORY_P)
REGION_P = {
    "asia": 0.45, "afrika": 0.35, "europa_ellers": 0.1, "eu_eos": 0.03, "sor_mellom_amerika": 0.02,
    "norge": 0.02, "nord_amerika_oseania": 0.005, "ukjent": 0.025,
}  # fmt: skip


def build(ctx: YearContext) -> pa.Table:
    """One row per case reported in the year."""
    rng = ctx.rng(SOURCE)
    n = scaled(CASES_PER_YEAR, ctx.scale)
    dates = np.sort(draw_days_in_year(rng, n, ctx.year, FLAT_MONTHS))
    regions = require_codes("regions", tuple(REGION_P))
    return pa.table(
        {
            "case_id": id_column(f"MR{ctx.year}-", np.arange(1, n + 1), 7),
            "adviser_type": code_column(ADVISER_TYPES, (rng.random(n) < 0.25).astype(int)),
            "report_date": date_column(dates),
            "case_category": code_column(
                CASE_CATEGORIES, rng.choice(len(CASE_CATEGORIES), size=n, p=list(CASE_CATEGORY_P.values()))
            ),
            "sex": code_column(checked("sex", SEXES), (rng.random(n) < 0.72).astype(int)),
            "age": int_column(np.clip(np.round(rng.normal(18, 4.5, n)), 6, 60)),
            "country_background": code_column(regions, draw_codes(rng, n, REGION_P, regions)),
        }
    )
