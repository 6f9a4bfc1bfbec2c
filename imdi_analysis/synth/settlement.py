"""``settlement``: persons ready for settlement, waiting at year end or settled in the year (IMDi).

Persons come from the ``refugees`` stream of the shared population. A person waiting at the
end of a year appears again in the next year's extract, until settled.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from imdi_analysis.synth._common import bool_column, code_column, date_column, id_column, int_column
from imdi_analysis.synth.context import YearContext
from imdi_analysis.synth.population import (
    CATEGORIES,
    CULTURE_ORIENTATION,
    HOUSEHOLD_TYPES,
    SEXES,
    UNTIL,
    Universe,
    register,
)
from imdi_analysis.synth.reference import checked, code_list

SOURCE = "settlement"
SETTLED_BY = ("IMDi", "Bufetat")
COLUMNS = [
    "person", "sex", "birth_year", "nationality", "category", "type", "bufetat", "permit", "ready",
    "settled", "municipality", "self_settled", "limited_identity", "culture",
]  # fmt: skip


def select_persons(universe: Universe, cohort: int) -> pd.DataFrame:
    """The settlement columns of a cohort of refugees; a person can appear until settled."""
    persons = universe.get("refugees", cohort)
    return persons[COLUMNS].assign(**{UNTIL: persons["settled"]}).reset_index(drop=True)


register(SOURCE + "/refugees", "refugees", select_persons)


def build(ctx: YearContext) -> pa.Table:
    """Settled in the year, or ready and still waiting on 31 December."""
    persons = ctx.collect(
        SOURCE + "/refugees",
        ctx.universe.cohorts(ctx.year),
        lambda p: (
            ((p["settled"] >= ctx.start) & (p["settled"] <= ctx.end))
            | ((p["ready"] <= ctx.end) & (p["settled"] > ctx.end))
        ),
    )
    waiting = persons["settled"].to_numpy() > ctx.end
    municipality = persons["municipality"].to_numpy()
    return pa.table(
        {
            "person_id": id_column("P", persons["person"].to_numpy(), 13),
            "sex": code_column(checked("sex", SEXES), persons["sex"].to_numpy()),
            "birth_year": int_column(persons["birth_year"].to_numpy()),
            "nationality": code_column(code_list("nationalities"), persons["nationality"].to_numpy()),
            "category": code_column(
                checked("settlement_categories", CATEGORIES), persons["category"].to_numpy()
            ),
            "household_type": code_column(
                checked("household_types", HOUSEHOLD_TYPES), persons["type"].to_numpy()
            ),
            "settled_by": code_column(SETTLED_BY, persons["bufetat"].to_numpy().astype(int)),
            "permit_date": date_column(persons["permit"].to_numpy()),
            "ready_date": date_column(persons["ready"].to_numpy()),
            "settlement_date": date_column(persons["settled"].to_numpy(), missing=waiting),
            "county": ctx.geography.counties(municipality, missing=waiting),
            "municipality": ctx.geography.codes(municipality, missing=waiting),
            "self_settled": bool_column(persons["self_settled"].to_numpy() & ~waiting),
            "limited_permit_identity": bool_column(persons["limited_identity"].to_numpy()),
            "culture_orientation": code_column(
                CULTURE_ORIENTATION, persons["culture"].to_numpy(), missing=persons["culture"].to_numpy() < 0
            ),
        }
    )
