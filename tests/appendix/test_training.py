"""Tables 1A–6B against hand-computed fixtures (tests/fixtures/appendix/a)."""

from __future__ import annotations

import math

import pytest

from imdi_analysis.appendix.training import (
    build_asylum_completed,
    build_asylum_participants,
    build_asylum_start_time,
    build_career_guidance,
    build_competence_mapping,
    build_training_participants,
    build_training_within_three_months,
)
from imdi_analysis.tables import MEASURE_PERCENT, MEASURE_SHARE, TOTAL
from tests.appendix.test_registry import cell, context_for


def test_table_1a_counts_participants_who_started_norwegian_in_the_year_by_sex_and_host_municipality():
    table = build_asylum_participants(context_for("1A", available_years=[2021, 2022]))
    data = table.data
    # 2022: started Norwegian in 2022: a1 (K, Oslo), a2 (M, Oslo), a3 (K, Stavanger); a4 started 2021
    assert cell(data, year=2022, sex="Kvinner", host_municipality="Oslo") == 1
    assert cell(data, year=2022, sex="Menn", host_municipality="Stavanger") == 0
    assert cell(data, year=2022, sex=TOTAL, host_municipality=TOTAL) == 3
    # percent = sex distribution within the host municipality: Oslo 1 of 2 women, all 2 of 3 women
    assert cell(data, MEASURE_PERCENT, year=2022, sex="Kvinner", host_municipality="Oslo") == 50
    assert cell(data, MEASURE_PERCENT, year=2022, sex="Kvinner", host_municipality=TOTAL) == pytest.approx(
        200 / 3
    )
    # time series: 2021 extract, started in 2021: b1 (M, Oslo), a4 (M, Stavanger)
    assert cell(data, year=2021, sex="Menn", host_municipality=TOTAL) == 2
    assert cell(data, year=2021, sex="Kvinner", host_municipality=TOTAL) == 0
    assert table.dims == ["year", "sex", "host_municipality"]
    assert table.title.startswith("Deltakere i opplæring i norsk for asylsøkere")


def test_table_1b_uses_the_social_studies_start():
    data = build_asylum_participants(context_for("1B", available_years=[2022])).data
    # social studies started in 2022: a1 (K, Oslo, 1 Feb), a3 (K, Stavanger, 1 June)
    assert cell(data, year=2022, sex="Kvinner", host_municipality=TOTAL) == 2
    assert cell(data, year=2022, sex=TOTAL, host_municipality=TOTAL) == 2


def test_table_1a_half_year_counts_only_starts_up_to_30_june():
    data = build_asylum_participants(context_for("1A", period="H1", available_years=[2022])).data
    # a1 (10 Jan) and a2 (1 Mar) started by 30 June; a3 started 15 Sep
    assert cell(data, year=2022, sex=TOTAL, host_municipality=TOTAL) == 2


def test_table_2a_bands_the_time_from_arrival_to_start_of_norwegian():
    data = build_asylum_start_time(context_for("2A", available_years=[2022])).data
    # a1 arrived 1 Nov 21, started 10 Jan 22: within 3 months; a2 1 Feb -> 1 Mar: within 3;
    # a3 1 May -> 15 Sep: 3-6 months; a4 1 Jun 21 -> 1 Jul 21: within 3; a5 not started
    where = {"year": 2022, "sex": TOTAL, "host_municipality": TOTAL}
    assert cell(data, training_start_time="Innen 3 måneder", **where) == 3
    assert cell(data, training_start_time="3–6 måneder", **where) == 1
    assert cell(data, training_start_time="Ikke startet", **where) == 1
    assert cell(data, MEASURE_PERCENT, training_start_time="Innen 3 måneder", **where) == 60


def test_table_3a_gives_the_share_of_asylum_seekers_who_completed_175_hours():
    data = build_asylum_completed(context_for("3A", available_years=[2022])).data
    # population: all 5 arrived by 31 Dec; 175+ hours: a1 (K, Oslo, 175) and a4 (M, Stavanger, 180)
    assert cell(data, year=2022, sex=TOTAL, host_municipality=TOTAL) == 2
    assert cell(data, MEASURE_PERCENT, year=2022, sex=TOTAL, host_municipality=TOTAL) == 40
    # Stavanger women: a3 and a5, neither completed: 0 of 2
    assert cell(data, MEASURE_PERCENT, year=2022, sex="Kvinner", host_municipality="Stavanger") == 0
    assert cell(data, MEASURE_PERCENT, year=2022, sex="Menn", host_municipality="Stavanger") == 100


def test_table_4_shares_of_settled_and_of_the_duty_group_who_were_mapped():
    data = build_competence_mapping(context_for("4")).data
    section6, section10 = "Kartlegging etter § 6", "Kartlegging etter § 10"
    # § 6: settled in 2022 from reception s1 (mapped), s2 (not); resettlement s3 (mapped);
    # s4 privately housed and s6 settled 2021 are outside; all 2 of 3
    assert cell(data, MEASURE_SHARE, activity=section6, category="Bosatte fra mottak") == 0.5
    assert cell(data, MEASURE_SHARE, activity=section6, category="Overføringsflyktninger") == 1
    assert cell(data, activity=section6, category=TOTAL) == 2
    assert cell(data, MEASURE_SHARE, activity=section6, category=TOTAL) == pytest.approx(2 / 3)
    # § 10: duty group entering in 2022: t2, t3, t4, t5, t7; mapped: t2 (1 Nov) -> 1 of 5
    assert cell(data, MEASURE_SHARE, activity=section10, category=TOTAL) == pytest.approx(0.2)


def test_table_4_half_year_stops_at_30_june():
    data = build_competence_mapping(context_for("4", period="H1")).data
    section6, section10 = "Kartlegging etter § 6", "Kartlegging etter § 10"
    # settled by 30 June: s1 (mapped), s2; s3 settled 1 Aug -> resettlement has no one
    assert cell(data, MEASURE_SHARE, activity=section6, category=TOTAL) == 0.5
    assert math.isnan(cell(data, MEASURE_SHARE, activity=section6, category="Overføringsflyktninger"))
    # duty group entering by 30 June: t2, t3, t5, t7; t2 was mapped 1 Nov, after 30 June
    assert cell(data, activity=section10, category=TOTAL) == 0
    assert cell(data, MEASURE_SHARE, activity=section10, category=TOTAL) == 0


def test_table_5_1_counts_career_guidance_by_category():
    data = build_career_guidance(context_for("5-1")).data
    # 2022: s2 (settled from reception, 1 June) and t3 (other, 1 Sep)
    assert cell(data, category="Bosatte fra mottak") == 1
    assert cell(data, category="Andre") == 1
    assert cell(data, category=TOTAL) == 2
    assert cell(data, MEASURE_SHARE, category="Andre") == 0.5
    assert cell(data, MEASURE_SHARE, category="Overføringsflyktninger") == 0


def test_table_5_2_counts_training_participants_by_right_code_and_sex():
    data = build_training_participants(context_for("5-2", available_years=[2022])).data
    # started by 31 Dec: t1-t6 (t7 never started); men: t3, t4 (right and duty), t5 (duty)
    assert cell(data, year=2022, right_code="Rett og plikt", sex="Kvinner") == 3
    assert cell(data, year=2022, right_code="Plikt", sex="Menn") == 1
    assert cell(data, year=2022, right_code=TOTAL, sex=TOTAL) == 6
    assert cell(data, MEASURE_PERCENT, year=2022, right_code="Rett og plikt", sex="Menn") == pytest.approx(
        200 / 3
    )


def test_table_6a_share_in_training_within_three_months_of_entering_the_target_group():
    data = build_training_within_three_months(context_for("6A", available_years=[2022])).data
    # cohort 1 Oct 2021 - 30 Sep 2022 with right and duty: t1, t2 (women), t3, t7 (men);
    # t4 entered in October and t6 in September 2021 are outside.
    # in time: t1 (1 Oct -> 15 Dec), t2 (10 Mar -> social studies 10 June, the last day); t3 late; t7 never
    assert cell(data, MEASURE_SHARE, year=2022, sex="Kvinner") == 1
    assert cell(data, MEASURE_SHARE, year=2022, sex="Menn") == 0
    assert cell(data, year=2022, sex=TOTAL) == 2
    assert cell(data, MEASURE_SHARE, year=2022, sex=TOTAL) == 0.5


def test_table_6b_covers_persons_with_duty_only():
    data = build_training_within_three_months(context_for("6B", available_years=[2022])).data
    # duty only: t5 (man, 15 Jan -> 1 Feb): 1 of 1; no women
    assert cell(data, MEASURE_SHARE, year=2022, sex="Menn") == 1
    assert math.isnan(cell(data, MEASURE_SHARE, year=2022, sex="Kvinner"))
