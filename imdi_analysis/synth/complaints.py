"""``complaints``: complaint cases decided by the county governors (statsforvalteren).

A few hundred a year at scale 1. Cases received from 2021 are increasingly under the
Integration Act (integreringsloven) as participants under the old act leave.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from imdi_analysis.synth._common import (
    FLAT_MONTHS,
    code_column,
    date_column,
    day,
    draw_codes,
    draw_days_in_year,
    id_column,
    scaled,
)
from imdi_analysis.synth.context import YearContext
from imdi_analysis.synth.population import SEXES
from imdi_analysis.synth.reference import checked, require_codes

SOURCE = "complaints"
COMPLAINTS_PER_YEAR = 300
LAWS = ("introduksjonsloven", "integreringsloven")
NEW_ACT = day(2021, 1, 1)
NEW_ACT_SHARE = {2021: 0.35, 2022: 0.65, 2023: 0.85}
NEW_ACT_SHARE_LATER = 0.95
TOPIC_P = {
    "rett_til_program": 0.2, "innhold_program": 0.15, "introduksjonsstonad": 0.25, "stans_permisjon": 0.15,
    "opplaering_norsk": 0.1, "fritak_prove": 0.08, "annet": 0.07,
}  # fmt: skip
OUTCOME_P = {"medhold": 0.15, "delvis_medhold": 0.08, "ikke_medhold": 0.6, "opphevet": 0.1, "avvist": 0.07}


def build(ctx: YearContext) -> pa.Table:
    """One row per complaint decided in the year."""
    rng = ctx.rng(SOURCE)
    n = scaled(COMPLAINTS_PER_YEAR, ctx.scale)
    decided = np.sort(draw_days_in_year(rng, n, ctx.year, FLAT_MONTHS))
    received = decided - rng.integers(14, 180, n)
    share = NEW_ACT_SHARE.get(ctx.year, NEW_ACT_SHARE_LATER if ctx.year > 2023 else 0.0)
    new_act = (received >= NEW_ACT) & (rng.random(n) < share)
    municipality = ctx.geography.draw(rng, decided, power=1.0)
    topics = require_codes("complaint_topics", tuple(TOPIC_P))
    outcomes = require_codes("complaint_outcomes", tuple(OUTCOME_P))
    return pa.table(
        {
            "case_id": id_column(f"KL{ctx.year}-", np.arange(1, n + 1), 6),
            "county": ctx.geography.counties(municipality),
            "law": code_column(LAWS, new_act.astype(int)),
            "topic": code_column(topics, draw_codes(rng, n, TOPIC_P, topics)),
            "sex": code_column(checked("sex", SEXES), (rng.random(n) < 0.45).astype(int)),
            "received_date": date_column(received),
            "decided_date": date_column(decided),
            "outcome": code_column(outcomes, draw_codes(rng, n, OUTCOME_P, outcomes)),
        }
    )
