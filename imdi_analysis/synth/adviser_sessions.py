"""``adviser_sessions``: competence sessions (fagverksted) for programme advisers.

About 20 sessions a year (not multiplied by ``scale``).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from imdi_analysis.synth._common import (
    FLAT_MONTHS,
    code_column,
    date_column,
    draw_days_in_year,
    id_column,
    int_column,
)
from imdi_analysis.synth.context import YearContext

SOURCE = "adviser_sessions"
SESSIONS_PER_YEAR = 20
THEMES = (
    "Kartlegging og karriereveiledning",
    "Integreringskontrakt og individuell plan",
    "Norskopplæring i introduksjonsprogrammet",
    "Arbeidsrettede tiltak og arbeidspraksis",
    "Fag- og yrkesopplæring",
    "Helse og livsmestring",
    "Foreldreveiledning",
    "Bosetting av flyktninger fra Ukraina",
)


def build(ctx: YearContext) -> pa.Table:
    """One row per session held in the year."""
    rng = ctx.rng(SOURCE)
    n = SESSIONS_PER_YEAR + int(rng.integers(-4, 5))
    dates = np.sort(draw_days_in_year(rng, n, ctx.year, FLAT_MONTHS))
    municipality = ctx.geography.draw(rng, dates, power=1.0)
    themes = len(THEMES) if ctx.year >= 2022 else len(THEMES) - 1
    return pa.table(
        {
            "session_id": id_column(f"FV{ctx.year}-", np.arange(1, n + 1), 2),
            "session_date": date_column(dates),
            "county": ctx.geography.counties(municipality),
            "participants": int_column(rng.integers(8, 61, n)),
            "theme": code_column(THEMES, rng.integers(0, themes, n)),
        }
    )
