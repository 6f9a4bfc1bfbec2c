"""``jobbsjansen``: participants in Jobbsjansen projects (grant reporting).

About 1 100–1 800 participants a year at scale 1, mostly women, in about 50 projects that
persist across years. A participant whose spell spans a new year gets a row per project year
(starting 1 January); 79 % of those who complete go on to work or education.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from imdi_analysis.synth._common import (
    DAYS_PER_YEAR,
    code_column,
    date_column,
    draw_days_in_year,
    id_column,
    int_column,
    rng_for,
    scaled,
)
from imdi_analysis.synth.context import YearContext
from imdi_analysis.synth.population import SEXES, UNTIL, Universe, register, volume
from imdi_analysis.synth.reference import checked

SOURCE = "jobbsjansen"
PROJECTS = 50
NEW_PARTICIPANTS_PER_YEAR = {2010: 500, 2019: 650, 2021: 700, 2023: 800, 2025: 800}
OUTCOMES = ("arbeid", "utdanning", "arbeid_og_utdanning", "annet")
OUTCOME_P = (0.42, 0.22, 0.15, 0.21)
MAX_YEARS = 2


def draw_participants(universe: Universe, cohort: int) -> pd.DataFrame:
    """Participants starting in ``cohort``: project, start and end day, outcome."""
    rng = universe.rng(f"{SOURCE}/participants", cohort)
    n = scaled(volume(NEW_PARTICIPANTS_PER_YEAR, cohort), universe.scale)
    start = draw_days_in_year(rng, n, cohort, (2, 1.2, 1, 1, 0.8, 0.5, 0.3, 1.5, 1.5, 1, 0.8, 0.4))
    years = rng.uniform(0.4, MAX_YEARS, n)
    return pd.DataFrame(
        {
            "person": cohort * 1_000_000 + np.arange(n),
            "sex": (rng.random(n) < 0.8).astype(np.int8),
            "birth_year": cohort - np.clip(np.round(rng.normal(35, 8, n)), 18, 60).astype(np.int32),
            "project": rng.integers(0, PROJECTS, n),
            "start": start,
            "end": (start + np.round(years * DAYS_PER_YEAR)).astype(np.int32),
            "outcome": rng.choice(len(OUTCOMES), size=n, p=OUTCOME_P).astype(np.int8),
        }
    ).assign(**{UNTIL: lambda frame: frame["end"]})


register(f"{SOURCE}/participants", None, draw_participants)


def project_municipalities(ctx: YearContext) -> np.ndarray:
    """Municipality (row) of each project, fixed across years, as valid on 31 December."""
    rng = rng_for(ctx.seed, 0, f"{SOURCE}/projects")
    first = ctx.geography.draw(rng, np.full(PROJECTS, ctx.geography.first_day), power=1.0)
    return ctx.geography.translate(first, ctx.end)


def build(ctx: YearContext) -> pa.Table:
    """One row per participant active in the project year."""
    parts = []
    for cohort in range(ctx.year - MAX_YEARS, ctx.year + 1):
        people = ctx.universe.get(f"{SOURCE}/participants", cohort)
        parts.append(people[(people["start"] <= ctx.end) & (people["end"] >= ctx.start)])
    rows = pd.concat(parts, ignore_index=True)
    ended = rows["end"].to_numpy() <= ctx.end
    municipality = project_municipalities(ctx)[rows["project"].to_numpy()]
    return pa.table(
        {
            "person_id": id_column("J", rows["person"].to_numpy(), 10),
            "sex": code_column(checked("sex", SEXES), rows["sex"].to_numpy()),
            "birth_year": int_column(rows["birth_year"].to_numpy()),
            "county": ctx.geography.counties(municipality),
            "project_id": id_column("JS", rows["project"].to_numpy() + 1, 3),
            "start_date": date_column(np.maximum(rows["start"].to_numpy(), ctx.start)),
            "end_date": date_column(rows["end"].to_numpy(), missing=~ended),
            "outcome": code_column(OUTCOMES, rows["outcome"].to_numpy(), missing=~ended),
        }
    )
