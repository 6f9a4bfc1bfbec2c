"""``norwegian_training``: persons in the target group for Norwegian and social-studies training (NIR).

One row per person in the target group at some time in the year: settled refugees aged 16–67
(their target-group date follows settlement), the ``other_target_group`` stream and the
``training_only`` stream (family and labour immigrants, mostly women). A person stays in the
target group until the planned Norwegian hours are done, at most three years; hours are
cumulative on 31 December.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from imdi_analysis.synth._common import (
    NO_DATE,
    code_column,
    date_column,
    decimal_column,
    id_column,
    int_column,
)
from imdi_analysis.synth.context import YearContext
from imdi_analysis.synth.population import SEXES, TRAINING_WINDOW_DAYS, UNTIL, Universe, register
from imdi_analysis.synth.reference import checked

SOURCE = "norwegian_training"
TRAINING_STREAMS = ("refugees", "other_target_group", "training_only")
RIGHT_CODES = ("rett_og_plikt", "plikt", "rett", "ingen")
TRAINING_ONLY_RIGHT_P = (0.55, 0.35, 0.05, 0.05)
SOCIAL_STUDIES_HOURS = 75.0
COLUMNS = ["person", "sex", "birth_year", "municipality"]


def draw_training(universe: Universe, cohort: int, stream: str) -> pd.DataFrame:
    """Training course of every person of ``stream`` in ``cohort`` who is in the target group.

    Norwegian starts 0–6 months after entering the target group (12 % never start), at
    0.8–2.2 hours a day until 250–1 000 hours are done, and leave the target group then; social studies (75 hours) start within
    6 months for 80 %.
    """
    persons = universe.get(stream, cohort)
    if "training_target" in persons:
        persons = persons[persons["training_target"].to_numpy()]
    rng = universe.rng(f"training/{stream}", cohort)
    n = len(persons)
    out = persons[COLUMNS].reset_index(drop=True)
    lag = rng.integers(0, 15, n) if stream == "refugees" else np.zeros(n, dtype=np.int64)
    target = persons["target_date"].to_numpy() + lag
    out["target"] = target.astype(np.int32)
    out["right"] = right_codes(rng, persons, stream, cohort)
    starts = rng.random(n) < 0.88
    out["norwegian_start"] = np.where(
        starts, target + np.minimum(180, rng.exponential(50, n)).astype(np.int64), NO_DATE
    ).astype(np.int32)
    rate = rng.uniform(0.8, 2.2, n)
    total = rng.uniform(250, 1000, n)
    out["norwegian_rate"] = rate.astype(np.float32)
    out["norwegian_total"] = total.astype(np.float32)
    done = np.where(
        starts,
        out["norwegian_start"].to_numpy() + np.ceil(total / rate).astype(np.int64),
        target + TRAINING_WINDOW_DAYS,
    )
    out[UNTIL] = np.minimum(done, target + TRAINING_WINDOW_DAYS).astype(np.int32)
    studies = rng.random(n) < 0.8
    out["social_start"] = np.where(studies, target + rng.integers(14, 180, n), NO_DATE).astype(np.int32)
    out["social_rate"] = rng.uniform(0.4, 1.2, n).astype(np.float32)
    return out


for _stream in TRAINING_STREAMS:
    register(f"training/{_stream}", _stream, lambda u, c, s=_stream: draw_training(u, c, s))


def right_codes(rng: np.random.Generator, persons: pd.DataFrame, stream: str, cohort: int) -> np.ndarray:
    """Index into :data:`RIGHT_CODES`: refugees 18–55 right and duty, 16–17 and 56–67 right only."""
    if stream == "training_only":
        return rng.choice(len(RIGHT_CODES), size=len(persons), p=TRAINING_ONLY_RIGHT_P).astype(np.int8)
    if stream == "other_target_group":
        return np.zeros(len(persons), dtype=np.int8)
    age = persons["age_at_settlement"].to_numpy()
    return np.where((age >= 18) & (age <= 55), 0, 2).astype(np.int8)


def hours_done(start: np.ndarray, rate: np.ndarray, total: np.ndarray, until: int) -> np.ndarray:
    """Hours completed by day ``until``, rounded to half hours (0 before start)."""
    start = start.astype(np.int64)
    days = np.where(start == NO_DATE, 0, np.maximum(0, until - start + 1))
    return np.round(np.minimum(total, rate * days) * 2) / 2


def build(ctx: YearContext) -> pa.Table:
    """Persons in the training target group at some time in the year."""
    parts = []
    for stream in TRAINING_STREAMS:
        for cohort in ctx.universe.cohorts(ctx.year):
            course = ctx.universe.get(f"training/{stream}", cohort)
            target = course["target"].to_numpy()
            parts.append(course[(target <= ctx.end) & (course[UNTIL].to_numpy() >= ctx.start)])
    rows = pd.concat(parts, ignore_index=True)
    norwegian_start = rows["norwegian_start"].to_numpy()
    social_start = rows["social_start"].to_numpy()
    norwegian = hours_done(
        norwegian_start, rows["norwegian_rate"].to_numpy(), rows["norwegian_total"].to_numpy(), ctx.end
    )
    social = hours_done(
        social_start, rows["social_rate"].to_numpy(), np.full(len(rows), SOCIAL_STUDIES_HOURS), ctx.end
    )
    municipality = ctx.geography.translate(rows["municipality"].to_numpy(), ctx.end)
    return pa.table(
        {
            "person_id": id_column("P", rows["person"].to_numpy(), 13),
            "sex": code_column(checked("sex", SEXES), rows["sex"].to_numpy()),
            "birth_year": int_column(rows["birth_year"].to_numpy()),
            "county": ctx.geography.counties(municipality),
            "municipality": ctx.geography.codes(municipality),
            "right_code": code_column(checked("training_right_codes", RIGHT_CODES), rows["right"].to_numpy()),
            "target_group_date": date_column(rows["target"].to_numpy()),
            "norwegian_start": date_column(norwegian_start, missing=norwegian_start > ctx.end),
            "social_studies_start": date_column(social_start, missing=social_start > ctx.end),
            "norwegian_hours": decimal_column(norwegian),
            "social_studies_hours": decimal_column(social),
        }
    )
