"""``register_searches``: monthly searches in the National register of interpreters (aggregate).

Not a person count, so not multiplied by ``scale``: about 20 000 searches a month in 2019,
growing with the Interpreter Act (tolkeloven, 2022) to about 40 000 by 2023, lower in July
and December.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from imdi_analysis.synth._common import date_column, int_column, month_start_days
from imdi_analysis.synth.context import YearContext

SOURCE = "register_searches"
SEARCHES_2019 = 20_000
GROWTH_PER_YEAR = 0.19
SEASON = (1.0, 1.05, 1.1, 1.0, 1.0, 0.95, 0.6, 0.9, 1.1, 1.1, 1.05, 0.8)


def build(ctx: YearContext) -> pa.Table:
    """Twelve rows, one per month."""
    rng = ctx.rng(SOURCE)
    level = SEARCHES_2019 * (1 + GROWTH_PER_YEAR) ** (ctx.year - 2019)
    searches = np.round(level * np.array(SEASON) * rng.normal(1.0, 0.04, 12)).astype(np.int64)
    return pa.table({"month": date_column(month_start_days(ctx.year)[:12]), "searches": int_column(searches)})
