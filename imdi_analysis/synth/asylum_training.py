"""``asylum_training``: asylum seekers in reception centres and their training (NIR).

One row per asylum seeker living in a reception centre in the year or the year before:
former asylum seekers of the ``refugees`` stream (arrival before the permit, leaving at
settlement) and the ``asylum_only`` stream (never settled). Adults get up to 175 hours of
Norwegian and a social-studies course; hours are cumulative on 31 December.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from imdi_analysis.synth._common import (
    NO_DATE,
    bool_column,
    code_column,
    date_column,
    decimal_column,
    first_days_of,
    id_column,
    int_column,
    year_of,
)
from imdi_analysis.synth.context import YearContext
from imdi_analysis.synth.population import MOTTAK, SEXES, UNTIL, Universe, register
from imdi_analysis.synth.reference import checked

SOURCE = "asylum_training"
SCHEME_HOURS = 175.0
ADULT_AGE = 18
# A permit cohort's asylum seekers arrive up to two years before the permit year, and the
# never-settled stay at most two years: these are the cohorts that can be in an extract.
PERMIT_COHORTS_AHEAD = 2
STAY_YEARS = 3
COLUMNS = ["person", "sex", "birth_year", "arrival", "departure", "host"]


def draw_reception(universe: Universe, cohort: int, stream: str) -> pd.DataFrame:
    """Reception stays and training of the asylum seekers of one cohort of ``stream``."""
    persons = universe.get(stream, cohort)
    if stream == "refugees":
        persons = persons[persons["category"].to_numpy() == MOTTAK].assign(departure=lambda p: p["settled"])
    rng = universe.rng(f"asylum_training/{stream}", cohort)
    out = persons[COLUMNS].reset_index(drop=True)
    n = len(out)
    # A child born during the stay "arrives" on 1 January of its birth year at the earliest.
    arrival = np.maximum(out["arrival"].to_numpy(), first_days_of(out["birth_year"].to_numpy())).astype(
        np.int32
    )
    out["arrival"] = arrival
    adult = year_of(arrival) - out["birth_year"].to_numpy() >= ADULT_AGE
    starts = adult & (rng.random(n) < 0.85)
    out["norwegian_start"] = np.where(starts, arrival + rng.integers(14, 90, n), NO_DATE).astype(np.int32)
    out["norwegian_rate"] = (SCHEME_HOURS / rng.uniform(120, 300, n)).astype(np.float32)
    studies = adult & (rng.random(n) < 0.7)
    out["social_start"] = np.where(studies, arrival + rng.integers(30, 120, n), NO_DATE).astype(np.int32)
    out["social_days"] = rng.integers(40, 100, n).astype(np.int16)
    out["social_completes"] = rng.random(n) < 0.9
    out[UNTIL] = (out["departure"].to_numpy() + 366).astype(np.int32)
    return out


for _stream in ("refugees", "asylum_only"):
    register(f"{SOURCE}/{_stream}", _stream, lambda u, c, s=_stream: draw_reception(u, c, s))


def build(ctx: YearContext) -> pa.Table:
    """Asylum seekers in reception at some time in the year or the year before."""
    previous_start = ctx.start - 366
    parts = []
    cohorts = {
        "refugees": range(ctx.year - STAY_YEARS, ctx.year + PERMIT_COHORTS_AHEAD + 1),
        "asylum_only": range(ctx.year - STAY_YEARS, ctx.year + 1),
    }
    for stream, years in cohorts.items():
        for cohort in years:
            stays = ctx.universe.get(f"{SOURCE}/{stream}", cohort)
            parts.append(stays[(stays["arrival"] <= ctx.end) & (stays["departure"] >= previous_start)])
    rows = pd.concat(parts, ignore_index=True)
    left = np.minimum(rows["departure"].to_numpy(), ctx.end).astype(np.int64)
    start = rows["norwegian_start"].to_numpy().astype(np.int64)
    started = (start != NO_DATE) & (start <= left)
    hours = np.where(
        started, np.minimum(SCHEME_HOURS, rows["norwegian_rate"].to_numpy() * (left - start + 1)), 0.0
    )
    social = rows["social_start"].to_numpy().astype(np.int64)
    social_started = (social != NO_DATE) & (social <= left)
    completed = (
        social_started
        & rows["social_completes"].to_numpy()
        & (social + rows["social_days"].to_numpy() <= left)
    )
    host = ctx.geography.translate(rows["host"].to_numpy(), ctx.end)
    return pa.table(
        {
            "person_id": id_column("P", rows["person"].to_numpy(), 13),
            "sex": code_column(checked("sex", SEXES), rows["sex"].to_numpy()),
            "birth_year": int_column(rows["birth_year"].to_numpy()),
            "host_municipality": ctx.geography.codes(host),
            "arrival_date": date_column(rows["arrival"].to_numpy()),
            "norwegian_start": date_column(start, missing=~started),
            "norwegian_hours": decimal_column(np.round(hours * 2) / 2),
            "social_studies_start": date_column(social, missing=~social_started),
            "social_studies_completed": bool_column(completed),
        }
    )
