"""Tables 7–12 against hand-computed fixtures (tests/fixtures/appendix/a)."""

from __future__ import annotations

import math

import pytest

from imdi_analysis.appendix.intro import (
    build_leavers,
    build_measures,
    build_participants_and_starters,
    build_participants_at_date,
    build_start_within_three_months,
    build_target_group,
)
from imdi_analysis.tables import MEASURE_COUNT, MEASURE_PERCENT, MEASURE_SHARE, STATUS_NOT_APPLICABLE, TOTAL
from tests.appendix.test_registry import cell, context_for


def test_table_7_counts_persons_in_the_target_group_by_sex_and_county_as_a_time_series():
    data = build_target_group(context_for("7", available_years=[2019, 2022])).data
    # 2022: right code not "ingen" and in the target group by 31 Dec: p1, p2, p3, p5, p6 (two
    # spells, counted once), p7; p4 has no right. Oslo: p1 (K), p2 (M); Rogaland: p3, p5 (K);
    # Vestland: p6 (M), p7 (K)
    assert cell(data, year=2022, sex=TOTAL, county=TOTAL) == 6
    assert cell(data, year=2022, sex="Kvinner", county="Rogaland") == 2
    assert cell(data, year=2022, sex="Menn", county="Vestland") == 1
    assert cell(data, year=2022, sex="Kvinner", county=TOTAL) == 4
    # 2019: q1 (K, Hordaland), q2 (M, Oslo)
    assert cell(data, year=2019, sex=TOTAL, county="Hordaland") == 1
    assert cell(data, year=2019, sex="Menn", county="Oslo") == 1


def test_table_7_marks_counties_that_did_not_exist_in_a_year_as_not_applicable():
    data = build_target_group(context_for("7", available_years=[2019, 2022])).data
    hordaland_2022 = data[(data["year"] == 2022) & (data["county"] == "Hordaland")]
    vestland_2019 = data[(data["year"] == 2019) & (data["county"] == "Vestland")]
    assert (hordaland_2022["status"] == STATUS_NOT_APPLICABLE).all()
    assert (vestland_2019["status"] == STATUS_NOT_APPLICABLE).all()
    assert hordaland_2022["value"].isna().all()
    oslo = data[(data["year"] == 2019) & (data["county"] == "Oslo")]
    assert (oslo["status"] == "").all()


def test_table_8_counts_participants_during_the_year_and_starters_once_each():
    data = build_participants_and_starters(context_for("8")).data
    during, started = "Deltakere i løpet av året", "Startet i programmet i året"
    # during 2022: p1 (ended 15 June), p2, p3, p4, p6 (two spells), p7; p5 never started
    assert cell(data, group=during, sex=TOTAL, county=TOTAL) == 6
    # started in 2022: p2, p3, p4, p6 (second spell), p7
    assert cell(data, group=started, sex=TOTAL, county=TOTAL) == 5
    assert cell(data, group=started, sex="Menn", county="Vestland") == 1
    assert TOTAL not in set(data["group"])


def test_table_9_percent_of_the_october_to_september_cohort_who_started_within_three_months():
    data = build_start_within_three_months(context_for("9", available_years=[2022])).data
    # cohort 1 Oct 2021 - 30 Sep 2022, right code not "ingen": p2 (1 Dec), p3 (1 Mar), p5 (1 June);
    # p7 entered 15 Oct 2022 and p1 in 2021 are outside. Started within 3 months: p2 only
    assert cell(data, year=2022) == 1
    assert cell(data, MEASURE_PERCENT, year=2022) == pytest.approx(100 / 3)
    assert data.loc[data["measure"] == MEASURE_PERCENT, "base"].tolist() == [3]


def test_table_10_counts_participants_in_the_programme_on_the_reference_date():
    data = build_participants_at_date(context_for("10", available_years=[2022])).data
    # on 31 Dec 2022: p2, p3, p4, p7; p6's spell ended on 31 Dec and p1's in June
    assert cell(data, year=2022, sex=TOTAL, county=TOTAL) == 4
    assert cell(data, year=2022, sex="Menn", county="Rogaland") == 1
    assert cell(data, year=2022, sex=TOTAL, county="Vestland") == 1


def test_table_10_half_year_uses_30_june():
    data = build_participants_at_date(context_for("10", period="H1", available_years=[2022])).data
    # on 30 June 2022: p2, p4, p6 (second spell from 1 May); p1 ended 15 June, p3 starts in August
    assert cell(data, year=2022, sex=TOTAL, county=TOTAL) == 3


def test_table_11a_counts_leavers_by_end_reason_once_per_person():
    data = build_leavers(context_for("11A", available_years=[2022])).data
    # left in 2022: p1 (K, Oslo, completed) and p6 (M, Vestland, two ends; the last: moved)
    assert cell(data, year=2022, sex=TOTAL, county=TOTAL, end_reason=TOTAL) == 2
    assert cell(data, year=2022, sex="Menn", county="Vestland", end_reason="Flyttet") == 1
    assert (
        cell(data, year=2022, sex=TOTAL, county=TOTAL, end_reason="Overgang til arbeid eller utdanning") == 0
    )
    assert set(data["measure"]) == {MEASURE_COUNT}


def test_table_11b_gives_each_end_reasons_share_of_the_leavers():
    data = build_leavers(context_for("11B", available_years=[2022])).data
    # all leavers: completed 1 of 2, moved 1 of 2; Oslo women: completed 1 of 1
    assert cell(data, MEASURE_SHARE, year=2022, sex=TOTAL, county=TOTAL, end_reason="Fullført program") == 0.5
    assert (
        cell(data, MEASURE_SHARE, year=2022, sex="Kvinner", county="Oslo", end_reason="Fullført program") == 1
    )
    assert math.isnan(cell(data, MEASURE_SHARE, year=2022, sex="Menn", county="Oslo", end_reason="Flyttet"))
    assert set(data["measure"]) == {MEASURE_SHARE}


def test_table_12_counts_participants_per_measure_and_their_share_of_all_participants():
    data = build_measures(context_for("12")).data
    # participants in 2022: p1 (K, Oslo), p2 (M, Oslo), p3 (K, Rogaland), p4 (M, Rogaland),
    # p6 (M, Vestland), p7 (K, Vestland) = 6. Norwegian: p1, p2, p6 (two spells, once) = 3
    norwegian, practice = "Opplæring i norsk", "Arbeidspraksis"
    assert cell(data, sex=TOTAL, county=TOTAL, programme_measure=TOTAL) == 6
    assert cell(data, sex=TOTAL, county=TOTAL, programme_measure=norwegian) == 3
    assert cell(data, MEASURE_SHARE, sex=TOTAL, county=TOTAL, programme_measure=norwegian) == 0.5
    assert cell(data, MEASURE_SHARE, sex=TOTAL, county="Oslo", programme_measure=norwegian) == 1
    # work practice: p1, p3 (both women); women participants: p1, p3, p7 -> 2 of 3
    assert cell(
        data, MEASURE_SHARE, sex="Kvinner", county=TOTAL, programme_measure=practice
    ) == pytest.approx(2 / 3)
    assert cell(data, sex="Menn", county=TOTAL, programme_measure=practice) == 0
