"""``intro_measures``: measures used in the year, per introduction-programme spell (NIR).

One row per started spell active in the year and measure; almost every spell has Norwegian
training. Drawn from the year's random stream, so a spell's measures may differ between years.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from imdi_analysis.synth._common import code_column, date_column, id_column
from imdi_analysis.synth.context import YearContext
from imdi_analysis.synth.intro_participants import SOURCE as PARTICIPANTS
from imdi_analysis.synth.intro_participants import rows_in_year
from imdi_analysis.synth.reference import checked

SOURCE = "intro_measures"
# Share of spells using each measure in a year: (others, Ukrainians under temporary protection).
MEASURE_SHARES = {
    "norskopplaering": (0.96, 0.98),
    "samfunnskunnskap": (0.45, 0.6),
    "arbeidspraksis": (0.42, 0.3),
    "grunnskole": (0.16, 0.02),
    "videregaende": (0.08, 0.03),
    "fag_og_yrkesopplaering": (0.07, 0.03),
    "hoyere_utdanning": (0.03, 0.05),
    "jobbsokerkurs": (0.22, 0.2),
    "livsmestring": (0.3, 0.15),
    "foreldreveiledning": (0.15, 0.1),
    "annet": (0.25, 0.2),
}
MEASURES = tuple(MEASURE_SHARES)


def build(ctx: YearContext) -> pa.Table:
    """Measures of the spells started by 31 December and active in the year."""
    rng = ctx.rng(SOURCE)
    rows = rows_in_year(ctx)
    ctx.memo.pop(PARTICIPANTS, None)  # the last user of the shared rows this year
    rows = rows[rows["spell"].to_numpy() > 0].reset_index(drop=True)
    ukr = rows["ukr"].to_numpy(dtype=bool)
    spell_index, measure_index = [], []
    for m, (share, share_ukr) in enumerate(MEASURE_SHARES.values()):
        used = np.flatnonzero(rng.random(len(rows)) < np.where(ukr, share_ukr, share))
        spell_index.append(used)
        measure_index.append(np.full(used.size, m))
    spell = np.concatenate(spell_index)
    measure = np.concatenate(measure_index)
    order = np.lexsort((measure, spell))
    spell, measure = spell[order], measure[order]
    return pa.table(
        {
            "person_id": id_column("P", rows["person"].to_numpy()[spell], 13),
            "programme_start": date_column(rows["start"].to_numpy()[spell]),
            "measure": code_column(checked("intro_measures", MEASURES), measure),
        }
    )
