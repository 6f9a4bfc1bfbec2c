"""Tables 13–15 against hand-computed fixtures (tests/fixtures/appendix/a)."""

from __future__ import annotations

from imdi_analysis.appendix.county_governor import build_adviser_sessions, build_complaints, build_supervision
from imdi_analysis.tables import TOTAL
from tests.appendix.test_registry import cell, context_for


def test_table_13_counts_complaints_decided_in_the_first_half_year_by_law_outcome_sex_and_topic():
    data = build_complaints(context_for("13", period="H1", available_years=[2021, 2022])).data
    everything = {"law": TOTAL, "outcome": TOTAL, "sex": TOTAL, "complaint_topic": TOTAL}
    # decided 1 Jan - 30 June 2022: c1 (10 Feb), c2 (10 May), c3 (1 Mar); c4 decided in August
    assert cell(data, year=2022, **everything) == 3
    assert cell(data, year=2022, **(everything | {"law": "Integreringsloven"})) == 2
    assert cell(data, year=2022, **(everything | {"outcome": "Ikke medhold"})) == 2
    assert (
        cell(data, year=2022, **(everything | {"sex": "Kvinner", "complaint_topic": "Introduksjonsstønad"}))
        == 1
    )
    assert (
        cell(
            data,
            year=2022,
            law="Integreringsloven",
            outcome=TOTAL,
            sex=TOTAL,
            complaint_topic="Introduksjonsstønad",
        )
        == 2
    )
    # 2021: d1 decided 1 April; d2 in September is outside the half year
    assert cell(data, year=2021, **everything) == 1


def test_table_14_counts_supervisions_and_breaches_in_the_half_year():
    data = build_supervision(context_for("14", period="H1", available_years=[2022])).data
    # by 30 June: v1 (2 breaches), v2 (none); v3 in September is outside
    assert cell(data, year=2022, item="Tilsyn") == 2
    assert cell(data, year=2022, item="Tilsyn med lovbrudd") == 1
    assert cell(data, year=2022, item="Lovbrudd") == 2


def test_table_15_counts_sessions_and_their_participants_in_the_year():
    data = build_adviser_sessions(context_for("15", available_years=[2022])).data
    # f1 (20 participants, February), f2 (30, October)
    assert cell(data, year=2022, item="Samlinger") == 2
    assert cell(data, year=2022, item="Deltakere") == 50
