"""``intro_participants``: introduction-programme spells active in the year, and persons in the
target group who have not started (NIR).

Participants are settled refugees aged 18–55 (spells start after settlement, never before)
and persons in the ``other_target_group`` stream. A spell that ends after 31 December is shown
as ongoing: its end, end reason and status at exit are empty in that year's extract.
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
    first_days_of,
    id_column,
    int_column,
    year_of,
)
from imdi_analysis.synth.context import YearContext
from imdi_analysis.synth.population import (
    EXIT_STATUSES,
    SEXES,
    SPELL_END_REASONS,
    UNTIL,
    Universe,
    draw_intro_spells,
    register,
)
from imdi_analysis.synth.reference import checked

SOURCE = "intro_participants"
INTRO_STREAMS = ("refugees", "other_target_group")
RIGHT_CODES = ("rett_og_plikt", "rett", "ingen")
PERSON_COLUMNS = ["person", "sex", "birth_year", "municipality", "target_date", "intro_right", "ukr"]
# A person in the target group who never starts is listed in the year of entry and the next.
NOT_STARTED_YEARS = 2


def draw_intro(universe: Universe, cohort: int, stream: str) -> pd.DataFrame:
    """Programme rows of one cohort: every spell, and one ``spell = 0`` row per person in the
    target group (with the start of the first spell, or :data:`NO_DATE` for those who never
    start), ordered by person and spell. ``until`` is the last day a row can be shown."""
    persons = universe.get(stream, cohort)
    spells = draw_intro_spells(universe.rng(f"population/spells/{stream}", cohort), persons)
    firsts = spells[spells["spell"] == 1]
    first_start = np.full(len(persons), NO_DATE, dtype=np.int32)
    first_start[firsts["row"].to_numpy()] = firsts["start"].to_numpy()
    target = np.flatnonzero(persons["intro_target"].to_numpy())
    target_date = persons["target_date"].to_numpy()[target]
    listed_until = first_days_of(year_of(target_date) + NOT_STARTED_YEARS) - 1
    waiting = pd.DataFrame(
        {
            "row": target,
            "start": np.int32(NO_DATE),
            "end": np.int32(NO_DATE),
            "end_reason": np.int8(0),
            "status": np.int8(0),
            "formal_qualification": False,
            "spell": np.int8(0),
            "first_start": first_start[target],
            UNTIL: np.where(
                first_start[target] == NO_DATE, listed_until, first_start[target].astype(np.int64) - 1
            ).astype(np.int32),
        }
    )
    spells = spells.assign(first_start=np.int32(NO_DATE), **{UNTIL: spells["end"]})
    rows = pd.concat([spells, waiting], ignore_index=True).sort_values(["row", "spell"], kind="stable")
    attributes = persons[PERSON_COLUMNS].iloc[rows["row"].to_numpy()].reset_index(drop=True)
    return pd.concat([attributes, rows.drop(columns="row").reset_index(drop=True)], axis=1)


for _stream in INTRO_STREAMS:
    register(f"intro/{_stream}", _stream, lambda u, c, s=_stream: draw_intro(u, c, s))


def cohort_rows(ctx: YearContext, stream: str, cohort: int) -> pd.DataFrame:
    """Spells of one cohort active in the year, plus target-group persons not started by 31 December.

    Not-started rows have ``start`` = :data:`NO_DATE` and ``spell`` = 0.
    """
    rows = ctx.universe.get(f"intro/{stream}", cohort)
    spell = rows["spell"].to_numpy()
    active = (spell > 0) & (rows["start"].to_numpy() <= ctx.end) & (rows["end"].to_numpy() >= ctx.start)
    first_start = rows["first_start"].to_numpy()
    target_date = rows["target_date"].to_numpy()
    never = (first_start == NO_DATE) & (year_of(target_date) > ctx.year - NOT_STARTED_YEARS)
    waiting = (spell == 0) & (target_date <= ctx.end) & (never | (first_start > ctx.end))
    return rows[active | waiting]


def rows_in_year(ctx: YearContext) -> pd.DataFrame:
    """Rows of the year's extract from every stream and cohort, in a fixed order (computed once a year)."""
    return ctx.remember(SOURCE, lambda: collect_rows(ctx))


def collect_rows(ctx: YearContext) -> pd.DataFrame:
    """Rows of every stream and cohort for the year."""
    parts = [
        cohort_rows(ctx, stream, cohort)
        for stream in INTRO_STREAMS
        for cohort in ctx.universe.cohorts(ctx.year)
    ]
    return pd.concat(parts, ignore_index=True)


def build(ctx: YearContext) -> pa.Table:
    """Spells active in the year and persons in the target group not yet started."""
    rows = rows_in_year(ctx)
    started = rows["spell"].to_numpy() > 0
    ended = started & (rows["end"].to_numpy() <= ctx.end)
    municipality = ctx.geography.translate(rows["municipality"].to_numpy(), ctx.end)
    return pa.table(
        {
            "person_id": id_column("P", rows["person"].to_numpy(), 13),
            "sex": code_column(checked("sex", SEXES), rows["sex"].to_numpy()),
            "birth_year": int_column(rows["birth_year"].to_numpy()),
            "county": ctx.geography.counties(municipality),
            "municipality": ctx.geography.codes(municipality),
            "right_code": code_column(
                checked("intro_right_codes", RIGHT_CODES), rows["intro_right"].to_numpy()
            ),
            "target_group_date": date_column(rows["target_date"].to_numpy()),
            "programme_start": date_column(rows["start"].to_numpy(), missing=~started),
            "programme_end": date_column(rows["end"].to_numpy(), missing=~ended),
            "end_reason": code_column(
                checked("intro_end_reasons", SPELL_END_REASONS),
                rows["end_reason"].to_numpy(),
                missing=~ended,
            ),
            "status_at_exit": code_column(EXIT_STATUSES, rows["status"].to_numpy(), missing=~ended),
            "formal_qualification": bool_column(rows["formal_qualification"].to_numpy(dtype=bool) & ended),
        }
    )
