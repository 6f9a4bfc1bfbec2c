"""SP 4 against tables 9 and 6A/6B, and SP 7a against table 11A.

Boundary fixture, intro_participants 2022 (tests/fixtures/consistency/registers/2022):

* P1 (rett og plikt) entered 1 Oct 2021 — the first day of the entry window 1 Oct 2021 –
  30 Sep 2022 — and started 1 Jan 2022, exactly three months later: started in time. Two spells,
  ended 31 Mar (status ``annet``) and 30 Nov (``arbeid``).
* P2 entered 30 Sep 2022 (the last day of the window) and started 31 Dec 2022, the reference
  date itself; 30 Sep + 3 months = 30 Dec, so the start is one day late: not in time.
* P3 (rett) entered 31 Jan, started 1 May (the limit is 30 Apr): not in time; ended 31 Dec
  (the reference date) with ``utdanning``.
* P4 entered 30 Sep 2021, the day before the window: not in the cohort; ended 30 Jun ``arbeid``.
* P5 has no right (``ingen``): not in the target group.

SP 4 / table 9: cohort P1, P2, P3 = 3 persons, in time P1 = 1.
SP 7a: spells ended in 2022 = P1 (2), P3, P4 = 4 spells; work or education: P1's second
(arbeid), P3 (utdanning), P4 (arbeid) = 3, share 0.75. Table 11A: persons = P1, P3, P4 = 3,
each once with the latest spell (all three ``fullfort``). Spells − persons = 1 (P1's second spell).

norwegian_training 2022: N1 (rett og plikt) entered 1 Oct 2021, Norwegian 1 Jan 2022 (exactly
3 months): in time. N2 (rett og plikt) entered 31 Jan, social studies 30 Apr (in time; 31 Jan +
3 months = 30 Apr), Norwegian 10 May (late): in time, because the letter's table 6 counts
"opplæring i norsk og samfunnskunnskap" — the old SP 4 looked at Norwegian only and said no.
N3 (plikt) entered 15 Mar, started 16 Jun (limit 15 Jun): late. N4 (rett og plikt) never started.
N5 has ``rett`` (no duty): not counted. 6A: 2 of 3 (N1, N2 of N1, N2, N4); 6B: 0 of 1 (N3);
SP 4 training: 2 of 4, by right code 2/3 and 0/1.
"""

from __future__ import annotations

import pandas as pd
import pytest

from imdi_analysis.sources import load_source
from tests.consistency.conftest import BOUNDARY, base, cell, indicator, level, table

TOTAL = "I alt"


def test_boundary_sp4_intro_and_table_9():
    """Cohort P1, P2, P3; in time only P1 (P2 started one day after 30 Sep + 3 months = 30 Dec)."""
    sp4 = level(indicator("sp04_intro_within_3_months", BOUNDARY))
    assert (sp4["numerator"], sp4["denominator"]) == (1, 3)
    data = table("9", BOUNDARY).data
    assert cell(data, "count", year=2022) == 1
    assert base(data, "percent", year=2022) == 3


def test_boundary_sp4_training_and_tables_6a_6b():
    """6A 2 of 3, 6B 0 of 1; SP 4 by right code the same (the old SP 4 said 1 of 3 for 6A's group)."""
    sp4 = indicator("sp04_training_within_3_months", BOUNDARY)
    duty = level(sp4, category="Rett og plikt")
    only = level(sp4, category="Plikt")
    assert (duty["numerator"], duty["denominator"]) == (2, 3)
    assert (only["numerator"], only["denominator"]) == (0, 1)
    assert (level(sp4)["numerator"], level(sp4)["denominator"]) == (2, 4)
    six_a = table("6A", BOUNDARY).data
    six_b = table("6B", BOUNDARY).data
    assert cell(six_a, "count", year=2022, sex=TOTAL) == 2
    assert base(six_a, "share", year=2022, sex=TOTAL) == 3
    assert cell(six_b, "count", year=2022, sex=TOTAL) == 0
    assert base(six_b, "share", year=2022, sex=TOTAL) == 1


def test_boundary_sp7a_counts_spells_and_table_11a_persons():
    """SP 7a: 3 of 4 spells; 11A: 3 persons; the difference is P1's second spell."""
    sp7a = level(indicator("sp07a_intro_direct_work_or_education", BOUNDARY))
    assert (sp7a["numerator"], sp7a["denominator"]) == (3, 4)
    data = table("11A", BOUNDARY).data
    leavers = cell(data, year=2022, sex=TOTAL, county=TOTAL, end_reason=TOTAL)
    assert leavers == 3
    assert cell(data, year=2022, sex=TOTAL, county=TOTAL, end_reason="Fullført program") == 3
    assert sp7a["denominator"] - leavers == 1


def test_published_notes_say_the_counting_units():
    notes = " ".join(table("11A", BOUNDARY).notes)
    assert "Telleenhet: personer" in notes and "7a teller programløp" in notes
    assert "Telleenhet: personer" in " ".join(table("9", BOUNDARY).notes)
    from imdi_analysis.indicators.registry import get_indicator

    assert "én gang per løp" in get_indicator("sp07a_intro_direct_work_or_education").definition_nb


@pytest.mark.parametrize("period", ["year", "H1"])
def test_default_data_sp4_intro_equals_table_9(synthetic, period):
    sp4 = level(indicator("sp04_intro_within_3_months", synthetic, period))
    data = table("9", synthetic, period).data
    assert sp4["numerator"] == cell(data, "count", year=2022)
    assert sp4["denominator"] == base(data, "percent", year=2022)


@pytest.mark.parametrize("period", ["year", "H1"])
def test_default_data_sp4_training_equals_tables_6a_and_6b(synthetic, period):
    sp4 = indicator("sp04_training_within_3_months", synthetic, period)
    for key, label in (("6A", "Rett og plikt"), ("6B", "Plikt")):
        data = table(key, synthetic, period).data
        row = level(sp4, category=label)
        assert row["numerator"] == cell(data, "count", year=2022, sex=TOTAL), key
        assert row["denominator"] == base(data, "share", year=2022, sex=TOTAL), key


@pytest.mark.parametrize("period", ["year", "H1"])
def test_default_data_sp7a_spells_and_table_11a_persons(synthetic, period):
    """SP 7a's denominator is the number of spells ended in the period and table 11A's total the
    number of distinct persons among them, both recomputed here from the raw extract; so
    SP 7a ≥ 11A, with equality exactly when no person ended two spells."""
    spells = load_source("intro_participants", 2022, synthetic)
    last = pd.Timestamp(2022, 6, 30) if period == "H1" else pd.Timestamp(2022, 12, 31)
    ended = spells[(spells["programme_end"] >= pd.Timestamp(2022, 1, 1)) & (spells["programme_end"] <= last)]
    sp7a = level(indicator("sp07a_intro_direct_work_or_education", synthetic, period))
    data = table("11A", synthetic, period).data
    leavers = cell(data, year=2022, sex=TOTAL, county=TOTAL, end_reason=TOTAL)
    assert sp7a["denominator"] == len(ended)
    assert leavers == ended["person_id"].nunique()
    assert (sp7a["denominator"] == leavers) == (not ended["person_id"].duplicated().any())
