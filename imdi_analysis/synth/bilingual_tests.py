"""``bilingual_tests``: the bilingual test (Tospråktesten) and the TAO course test, one row per test.

A few hundred tests a year at scale 1. A quarter of the candidates take both in the same
year (the bilingual test first); about 55 % pass the bilingual test and 85 % TAO.
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
    scaled,
)
from imdi_analysis.synth.context import YearContext
from imdi_analysis.synth.interpreters import LANGUAGES, language_weights
from imdi_analysis.synth.population import SEXES
from imdi_analysis.synth.reference import checked

SOURCE = "bilingual_tests"
CANDIDATES_PER_YEAR = 320
BOTH_SHARE = 0.25
TEST_TYPES = ("tospraktesten", "tao")
PASS_SHARE = (0.55, 0.85)
RESULTS = ("bestatt", "ikke_bestatt")


def build(ctx: YearContext) -> pa.Table:
    """Tests taken in the year, in date order."""
    rng = ctx.rng(SOURCE)
    n = scaled(CANDIDATES_PER_YEAR, ctx.scale)
    candidate = np.arange(n)
    sex = (rng.random(n) < 0.6).astype(np.int8)
    language = rng.choice(len(LANGUAGES), size=n, p=language_weights(ctx.year))
    first = draw_days_in_year(rng, n, ctx.year, FLAT_MONTHS)
    first_type = (rng.random(n) < 0.3).astype(np.int8)  # some take TAO only
    both = (first_type == 0) & (rng.random(n) < BOTH_SHARE)
    later = np.minimum(ctx.end, first + rng.integers(20, 120, n))
    who = np.concatenate([candidate, candidate[both]])
    test_type = np.concatenate([first_type, np.ones(int(both.sum()), dtype=np.int8)])
    dates = np.concatenate([first, later[both]])
    order = np.lexsort((test_type, who, dates))
    who, test_type, dates = who[order], test_type[order], dates[order]
    passed = rng.random(who.size) < np.array(PASS_SHARE)[test_type]
    return pa.table(
        {
            "test_id": id_column(f"BT{ctx.year}-", np.arange(1, who.size + 1), 6),
            "person_id": id_column("B", ctx.year * 1_000_000 + who, 10),
            "sex": code_column(checked("sex", SEXES), sex[who]),
            "test_type": code_column(TEST_TYPES, test_type),
            "language": code_column(LANGUAGES, language[who]),
            "test_date": date_column(dates),
            "result": code_column(RESULTS, (~passed).astype(int)),
        }
    )
