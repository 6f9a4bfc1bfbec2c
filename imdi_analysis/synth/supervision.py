"""``supervision``: the county governors' supervision of municipalities under the Integration Act.

About 50 supervisions a year (not multiplied by ``scale``: they are of municipalities).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from imdi_analysis.synth._common import date_column, draw_days_in_year, id_column, int_column
from imdi_analysis.synth.context import YearContext

SOURCE = "supervision"
SUPERVISIONS_PER_YEAR = 50
BREACHES_MEAN = 1.1
# Supervision happens in spring and autumn.
MONTHS = (0.5, 1, 1.2, 1.2, 1.2, 0.8, 0.1, 0.5, 1.2, 1.3, 1.3, 0.8)


def build(ctx: YearContext) -> pa.Table:
    """One row per supervision carried out in the year."""
    rng = ctx.rng(SOURCE)
    n = SUPERVISIONS_PER_YEAR + int(rng.integers(-8, 9))
    dates = np.sort(draw_days_in_year(rng, n, ctx.year, MONTHS))
    municipality = ctx.geography.draw(rng, dates, power=0.5)
    return pa.table(
        {
            "case_id": id_column(f"TS{ctx.year}-", np.arange(1, n + 1), 3),
            "county": ctx.geography.counties(municipality),
            "municipality": ctx.geography.codes(municipality),
            "supervision_date": date_column(dates),
            "breaches": int_column(rng.poisson(BREACHES_MEAN, n)),
        }
    )
