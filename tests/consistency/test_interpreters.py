"""SP 15 against table 28A: interpreters in the register on the reference date.

Boundary fixture (interpreters 2022): T1 holds arabisk C and fransk A (counted once, in A);
T2 registered on 31 December (the reference date itself: in the register); T3 deregistered on
31 December (not in the register that day); T4 deregistered 15 June.
31 December: T1 (A), T2 (E) = 2 in SP 15 and in 28A.
Half year: SP 15 counts on 30 June (T1, T3 = 2); table 28A on 1 June as the letter prints
"per 1.6" (T1, T3, T4 = 3). The note of 28A says so; on 31 December the two agree.
"""

from __future__ import annotations

import pandas as pd
import pytest

from imdi_analysis.indicators.interpreters import sp15_interpreters_register
from imdi_analysis.sources import load_source
from tests.consistency.conftest import BOUNDARY, cell, indicator, level, table

TOTAL = "I alt"


def test_boundary_sp15_and_table_28a_on_31_december():
    sp15 = indicator("sp15_interpreters_register", BOUNDARY)
    assert level(sp15)["value"] == 2
    assert level(sp15, qualification_category="Kategori A")["value"] == 1
    data = table("28A", BOUNDARY).data
    assert cell(data, year=2022, sex=TOTAL, qualification_category=TOTAL) == 2
    assert cell(data, year=2022, sex=TOTAL, qualification_category="Kategori A") == 1
    assert cell(data, year=2022, sex=TOTAL, qualification_category="Kategori C") == 0


def test_boundary_half_year_dates_differ_by_the_letter_and_the_note_says_so():
    assert level(indicator("sp15_interpreters_register", BOUNDARY, "H1"))["value"] == 2
    h1 = table("28A", BOUNDARY, "H1")
    assert cell(h1.data, year=2022, sex=TOTAL, qualification_category=TOTAL) == 3
    assert "1. juni" in " ".join(h1.notes) and "styringsparameter 15" in " ".join(h1.notes)


@pytest.mark.parametrize("period", ["year", "H1"])
def test_default_data_sp15_equals_table_28a(synthetic, period):
    """Year: SP 15 = 28A by category. H1: 28A equals the SP 15 population counted on 1 June."""
    data = table("28A", synthetic, period).data
    if period == "year":
        sp15 = indicator("sp15_interpreters_register", synthetic)
    else:
        register = load_source("interpreters", 2022, synthetic)
        # SP 15's function on the register as of 1 June: every date 29 days later, so that its
        # reference date 30 June sees what 1 June saw
        later = pd.Timedelta(days=29)
        shifted = register.assign(
            registered_date=register["registered_date"] + later,
            deregistered_date=register["deregistered_date"] + later,
        )
        sp15 = sp15_interpreters_register(shifted, 2022, "H1")
    for category in (None, "Kategori A", "Kategori B", "Kategori C", "Kategori D", "Kategori E"):
        levels = {} if category is None else {"qualification_category": category}
        expected = cell(data, year=2022, sex=TOTAL, qualification_category=category or TOTAL)
        assert level(sp15, **levels)["value"] == expected, category
