"""``interpreters``: the National register of interpreters (Nasjonalt tolkeregister), snapshot on 31 December.

Interpreters register in yearly cohorts since the register opened and stay for many years:
each year's snapshot holds everyone registered by 31 December and not deregistered before
1 January, one row per interpreter and language (about 15 % have two). Categories follow the
qualification: A and C are state authorised, B partly; some D/E interpreters are authorised
later and move to category C. There are more in D/E than in A (about 1 800 interpreters in
2018 and 2 200 in 2023, in about 70 languages, at scale 1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from imdi_analysis.synth._common import (
    DAYS_PER_YEAR,
    FLAT_MONTHS,
    NO_DATE,
    bool_column,
    code_column,
    date_column,
    draw_days_in_year,
    id_column,
    int_column,
    scaled,
    year_end,
)
from imdi_analysis.synth.context import YearContext
from imdi_analysis.synth.population import SEXES, UNTIL, Universe, register, volume
from imdi_analysis.synth.reference import checked

SOURCE = "interpreters"
FIRST_REGISTRATION_YEAR = 2006
REGISTRATIONS_PER_YEAR = {2006: 190, 2018: 180, 2021: 170, 2022: 280, 2023: 260, 2025: 200}
MEAN_YEARS_REGISTERED = 16.0
SECOND_LANGUAGE_SHARE = 0.15
CATEGORIES = ("A", "B", "C", "D", "E")
CATEGORY_P = (0.06, 0.12, 0.1, 0.32, 0.4)
AUTHORISED_SHARE = (1.0, 0.5, 1.0, 0.0, 0.0)
UPGRADE_SHARE = 0.15
UPGRADED = CATEGORIES.index("C")
# Language names in Norwegian, most used first (weights fall off with rank).
LANGUAGES = (
    "arabisk", "somali", "tigrinja", "dari", "persisk", "polsk", "russisk", "ukrainsk", "kurdisk sorani",
    "kurmanji", "pashto", "litauisk", "rumensk", "tyrkisk", "urdu", "vietnamesisk", "thai", "albansk",
    "bosnisk-kroatisk-serbisk", "spansk", "fransk", "engelsk", "portugisisk", "swahili", "amharisk",
    "oromo", "kinyarwanda", "lingala", "kirundi", "tamil", "singalesisk", "bengali", "hindi", "punjabi",
    "nepali", "burmesisk", "karen", "kinesisk mandarin", "kantonesisk", "tagalog", "indonesisk",
    "japansk", "koreansk", "mongolsk", "usbekisk", "tsjetsjensk", "georgisk", "armensk", "aserbajdsjansk",
    "gresk", "italiensk", "tysk", "nederlandsk", "latvisk", "estisk", "ungarsk", "bulgarsk", "slovakisk",
    "tsjekkisk", "slovensk", "makedonsk", "hviterussisk", "finsk", "nordsamisk", "lulesamisk", "sørsamisk",
    "hebraisk", "berbisk", "fula", "wolof", "hausa", "jorubisk", "igbo", "twi", "sango",
)  # fmt: skip
RANK_EXPONENT = 1.1
UKRAINIAN_BOOST = {2022: 8.0, 2023: 6.0, 2024: 3.0}


def language_weights(year: int) -> np.ndarray:
    """Probability of each language for a new registration in ``year``."""
    weights = 1.0 / np.arange(1, len(LANGUAGES) + 1) ** RANK_EXPONENT
    weights[LANGUAGES.index("ukrainsk")] *= UKRAINIAN_BOOST.get(year, 1.0)
    return weights / weights.sum()


def draw_registrations(universe: Universe, cohort: int) -> pd.DataFrame:
    """Interpreters first registering in ``cohort``: one row per interpreter and language."""
    rng = universe.rng(f"{SOURCE}/registrations", cohort)
    n = scaled(volume(REGISTRATIONS_PER_YEAR, cohort), universe.scale)
    people = pd.DataFrame(
        {
            "interpreter": cohort * 1_000_000 + np.arange(n),
            "sex": (rng.random(n) < 0.55).astype(np.int8),
            "birth_year": cohort - np.clip(np.round(rng.normal(40, 9, n)), 22, 65).astype(np.int32),
            "language": rng.choice(len(LANGUAGES), size=n, p=language_weights(cohort)),
            "registered": draw_days_in_year(rng, n, cohort, FLAT_MONTHS),
        }
    )
    second = people[rng.random(n) < SECOND_LANGUAGE_SHARE].copy()
    shift = rng.integers(1, len(LANGUAGES), len(second))
    second["language"] = (second["language"].to_numpy() + shift) % len(LANGUAGES)
    second["registered"] = second["registered"].to_numpy() + rng.integers(
        0, int(4 * DAYS_PER_YEAR), len(second)
    )
    rows = (
        pd.concat([people, second])
        .sort_values(["interpreter", "registered"], kind="stable")
        .reset_index(drop=True)
    )
    m = len(rows)
    registered = rows["registered"].to_numpy()
    rows["deregistered"] = (registered + rng.exponential(MEAN_YEARS_REGISTERED * DAYS_PER_YEAR, m)).astype(
        np.int64
    )
    category = rng.choice(len(CATEGORIES), size=m, p=CATEGORY_P)
    authorised = rng.random(m) < np.array(AUTHORISED_SHARE)[category]
    rows["category"] = category.astype(np.int8)
    rows["authorised_date"] = np.where(
        authorised, registered - rng.integers(0, int(5 * DAYS_PER_YEAR), m), NO_DATE
    )
    upgrade = (category >= CATEGORIES.index("D")) & (rng.random(m) < UPGRADE_SHARE)
    rows["upgrade_date"] = np.where(
        upgrade, registered + rng.integers(365, int(8 * DAYS_PER_YEAR), m), NO_DATE
    )
    rows[UNTIL] = rows["deregistered"]
    return rows


register(f"{SOURCE}/registrations", None, draw_registrations)


def build(ctx: YearContext) -> pa.Table:
    """Snapshot on 31 December: registered by then and not deregistered before 1 January."""
    parts = []
    for cohort in range(FIRST_REGISTRATION_YEAR, ctx.year + 1):
        rows = ctx.universe.get(f"{SOURCE}/registrations", cohort)
        parts.append(rows[(rows["registered"] <= ctx.end) & (rows["deregistered"] >= ctx.start)])
    rows = pd.concat(parts, ignore_index=True)
    upgrade = rows["upgrade_date"].to_numpy()
    upgraded = (upgrade != NO_DATE) & (upgrade <= ctx.end)
    category = np.where(upgraded, UPGRADED, rows["category"].to_numpy())
    authorised_date = np.where(upgraded, upgrade, rows["authorised_date"].to_numpy())
    authorised = authorised_date != NO_DATE
    deregistered = rows["deregistered"].to_numpy()
    return pa.table(
        {
            "interpreter_id": id_column("T", rows["interpreter"].to_numpy(), 10),
            "sex": code_column(checked("sex", SEXES), rows["sex"].to_numpy()),
            "birth_year": int_column(rows["birth_year"].to_numpy()),
            "language": code_column(LANGUAGES, rows["language"].to_numpy()),
            "category": code_column(checked("interpreter_categories", CATEGORIES), category),
            "registered_date": date_column(rows["registered"].to_numpy()),
            "deregistered_date": date_column(
                np.minimum(deregistered, year_end(2100)), missing=deregistered > ctx.end
            ),
            "state_authorised": bool_column(authorised),
            "authorisation_date": date_column(authorised_date, missing=~authorised),
        }
    )
