"""``competence_mapping``: competence mapping and career guidance (NIR).

One row per person and activity completed in the year. The activities are those of the
Integration Act (integreringsloven), in force from 1 January 2021: mapping in the reception
centre (§ 6) before settlement, mapping in the municipality (§ 10) after settlement, and
career guidance. Extracts for earlier years hold the header only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from imdi_analysis.synth._common import NO_DATE, code_column, date_column, day, id_column, int_column
from imdi_analysis.synth.context import YearContext
from imdi_analysis.synth.population import MOTTAK, OVERFORING, SEXES, UNTIL, Universe, register
from imdi_analysis.synth.reference import checked

SOURCE = "competence_mapping"
ACT_IN_FORCE = day(2021, 1, 1)
CATEGORIES = ("bosatt_fra_mottak", "overforingsflyktning", "annen")
ACTIVITIES = ("kartlegging_p6", "kartlegging_p10", "karriereveiledning")
P6, P10, CAREER = range(3)
MAPPING_STREAMS = ("refugees", "other_target_group")
ADULT_AGE = 18
COLUMNS = ["person", "sex", "birth_year"]


def draw_activities(universe: Universe, cohort: int, stream: str) -> pd.DataFrame:
    """Activities of the adults of one cohort, with their date and municipality (row index)."""
    persons = universe.get(stream, cohort)
    rng = universe.rng(f"competence_mapping/{stream}", cohort)
    n = len(persons)
    refugees = stream == "refugees"
    adult = persons["age_at_settlement"].to_numpy() >= ADULT_AGE if refugees else np.ones(n, dtype=bool)
    category = persons["category"].to_numpy() if refugees else np.full(n, -1)
    mapped_category = np.where(category == MOTTAK, 0, np.where(category == OVERFORING, 1, 2))
    settled = persons["target_date"].to_numpy()
    home = persons["municipality"].to_numpy()
    in_reception = category == MOTTAK
    arrival = persons["arrival"].to_numpy() if refugees else np.full(n, NO_DATE)
    host = persons["host"].to_numpy() if refugees else home
    stay = np.maximum(1, settled - arrival)
    p6 = adult & in_reception & (rng.random(n) < 0.75)
    p6_date = arrival + (rng.uniform(0.2, 0.9, n) * stay).astype(np.int64)
    p10 = adult & (rng.random(n) < 0.85)
    p10_date = settled + rng.integers(7, 90, n)
    career = adult & (rng.random(n) < 0.25)
    career_before = in_reception & (rng.random(n) < 0.5)
    career_date = np.where(
        career_before,
        arrival + (rng.uniform(0.3, 0.95, n) * stay).astype(np.int64),
        settled + rng.integers(30, 300, n),
    )
    parts = []
    for activity, who, when, where in (
        (P6, p6, p6_date, host),
        (P10, p10, p10_date, home),
        (CAREER, career, career_date, np.where(career_before, host, home)),
    ):
        index = np.flatnonzero(who)
        parts.append(
            pd.DataFrame(
                {
                    "position": index,
                    "activity": np.int8(activity),
                    "date": when[index].astype(np.int32),
                    "municipality": where[index].astype(np.int32),
                    "category": mapped_category[index].astype(np.int8),
                }
            )
        )
    activities = pd.concat(parts, ignore_index=True).sort_values(["position", "activity"], kind="stable")
    attributes = persons[COLUMNS].iloc[activities["position"].to_numpy()].reset_index(drop=True)
    out = pd.concat([attributes, activities.drop(columns="position").reset_index(drop=True)], axis=1)
    return out.assign(**{UNTIL: out["date"]})


for _stream in MAPPING_STREAMS:
    register(f"{SOURCE}/{_stream}", _stream, lambda u, c, s=_stream: draw_activities(u, c, s))


def build(ctx: YearContext) -> pa.Table:
    """Activities completed in the year (none before the Integration Act came into force)."""
    first = max(ctx.start, ACT_IN_FORCE)
    parts = []
    for stream in MAPPING_STREAMS:
        for cohort in range(ctx.year - 5, ctx.year + 2):
            acts = ctx.universe.get(f"{SOURCE}/{stream}", cohort)
            parts.append(acts[(acts["date"] >= first) & (acts["date"] <= ctx.end)])
    rows = pd.concat(parts, ignore_index=True)
    municipality = ctx.geography.translate(rows["municipality"].to_numpy(), ctx.end)
    return pa.table(
        {
            "person_id": id_column("P", rows["person"].to_numpy(), 13),
            "sex": code_column(checked("sex", SEXES), rows["sex"].to_numpy()),
            "birth_year": int_column(rows["birth_year"].to_numpy()),
            "county": ctx.geography.counties(municipality),
            "municipality": ctx.geography.codes(municipality),
            "category": code_column(CATEGORIES, rows["category"].to_numpy()),
            "activity": code_column(ACTIVITIES, rows["activity"].to_numpy()),
            "activity_date": date_column(rows["date"].to_numpy()),
        }
    )
