"""``municipal_decisions``: IMDi's requests to municipalities and their decisions (IMDi).

One row per municipality valid on 31 December. Requests add up to about the number settled in
the year (weighted by population) and decisions fall a little short of them, with a few
municipalities declining.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from imdi_analysis.synth._common import int_column
from imdi_analysis.synth.context import YearContext
from imdi_analysis.synth.population import SETTLED_PER_YEAR, volume

SOURCE = "municipal_decisions"
REQUEST_MARGIN = (1.0, 1.08)
DECLINE_SHARE = 0.04


def build(ctx: YearContext) -> pa.Table:
    """Places requested and decided for every municipality valid in the year."""
    rng = ctx.rng(SOURCE)
    rows = ctx.geography.valid_rows(ctx.end)
    weights = ctx.geography.population[rows].astype(float) ** 0.9
    total = round(volume(SETTLED_PER_YEAR, ctx.year) * ctx.scale * rng.uniform(*REQUEST_MARGIN))
    requested = rng.multinomial(total, weights / weights.sum())
    decided = np.round(requested * rng.uniform(0.8, 1.05, rows.size)).astype(np.int64)
    decided[rng.random(rows.size) < DECLINE_SHARE] = 0
    return pa.table(
        {
            "county": ctx.geography.counties(rows),
            "municipality": ctx.geography.codes(rows),
            "requested": int_column(requested),
            "decided": int_column(decided),
        }
    )
