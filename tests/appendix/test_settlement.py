"""Tables 16–26 against hand-computed fixtures (tests/fixtures/appendix/b/registers).

The fixture folder is laid out like a register folder (``<year>/<source>.csv``) and read through
the real source loaders, so the builders see validated, typed extracts. Also home of
:func:`context_b`, shared with the interpreter and adviser tests.

Settlement fixture, 2022 (permit -> settled; W = still waiting on 31 December):
p01 mottak voksen 10 Jan -> 15 Mar (64 d)      p02 mottak barnefamilie 1 Feb -> 1 May (89 d)
p03 overf. voksen 1 Nov 21 -> 15 Jul (256 d)   p04 mottak EMA Bufetat 1 Mar -> 10 Sep (193 d)
p05 mottak EMA IMDi 1 Apr -> 20 Jun (80 d)     p06 privatboende voksen 15 Jan -> 1 Jun (137 d), self-settled
p07 familiegjenforent voksen 1 May -> 1 Aug    p08, p09 overf. barnefamilie 1 Sep -> 20 Nov (80 d)
p15 overf. voksen 1 Aug -> 1 Oct (61 d)        W: p10 mottak voksen (permit 1 Oct 20), p11 mottak
barnefamilie (1 Oct 22), p12 overf. voksen (15 Jun 21), p13 privatboende voksen (1 Feb 22)
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imdi_analysis.appendix import BUILDERS
from imdi_analysis.appendix.registry import BuildContext
from imdi_analysis.appendix.settlement import (
    build_culture_orientation,
    build_limited_permit,
    build_long_waits,
    build_mean_waiting_time,
    build_requests_and_decisions,
    build_settled_by_county,
    build_settled_by_group,
    build_settled_within,
    build_waiting,
    build_waiting_by_time,
)
from imdi_analysis.disclosure import apply_disclosure, disclosure_problems
from imdi_analysis.letter.appendix_spec import load_appendix_spec
from imdi_analysis.tables import MEASURE_MEAN_MONTHS, MEASURE_PERCENT, MEASURE_SHARE, TOTAL, Stacking
from tests.appendix.test_registry import cell

REGISTERS = Path(__file__).parents[1] / "fixtures" / "appendix" / "b" / "registers"
B_KEYS = (
    "16",
    "17",
    "18",
    "19",
    "20",
    "21",
    "22",
    "23",
    "24",
    "25",
    "26",
    "28A",
    "28B",
    "29",
    "30",
    "31",
    "32",
)
RECEPTION = "Tidligere asylsøkere fra mottak"
RESETTLEMENT = "Overføringsflyktninger"
PRIVATE = "Privatboende"
ADULTS = "Voksne som ikke er en del av en barnefamilie"
FAMILIES = "Personer i barnefamilier"
MINORS = "Enslige mindreårige"


SHARED_CACHE: dict = {}  # validated fixture extracts, read once for the whole module


@functools.cache
def spec_rows() -> pd.DataFrame:
    """The 2022 appendix specification, indexed by table key."""
    return load_appendix_spec(2022).set_index("table_key")


def context_b(key: str, period: str = "year", years: tuple[int, ...] = (2021, 2022)) -> BuildContext:
    """A build context for table ``key`` reading the B fixture registers through the real loaders."""
    spec = spec_rows().loc[key].to_dict() | {"table_key": key}
    return BuildContext(
        year=2022,
        period=period,
        data_dir=REGISTERS,
        spec=spec,
        available_years=list(years),
        cache=SHARED_CACHE,
    )


def test_table_16_counts_persons_ready_and_not_settled_on_31_december_per_year():
    data = build_waiting(context_b("16")).data
    # 2022 waiting: p10 (mottak voksen), p11 (mottak barnefamilie), p12 (overf. voksen); p13 is
    # privately housed and outside the table
    assert cell(data, year=2022, category=RECEPTION, household_type=ADULTS) == 1
    assert cell(data, year=2022, category=RECEPTION, household_type=FAMILIES) == 1
    assert cell(data, year=2022, category=RESETTLEMENT, household_type=TOTAL) == 1
    assert cell(data, year=2022, category=TOTAL, household_type=TOTAL) == 3
    # 2021 extract: p10 (mottak), p12 and p03 (overf.) waiting; q01 settled in April
    assert cell(data, year=2021, category=RESETTLEMENT, household_type=ADULTS) == 2
    assert cell(data, year=2021, category=TOTAL, household_type=TOTAL) == 3


def test_table_16_half_year_counts_those_waiting_on_30_june():
    data = build_waiting(context_b("16", period="H1")).data
    # 30 June 2022: p04 (mottak EMA, settled 10 Sep), p10, p03 (settled 15 Jul), p12 (ready 1 Jul 21)
    assert cell(data, year=2022, category=RECEPTION, household_type=MINORS) == 1
    assert cell(data, year=2022, category=RESETTLEMENT, household_type=ADULTS) == 2
    assert cell(data, year=2022, category=TOTAL, household_type=TOTAL) == 4
    # 30 June 2021: only p10 (p12 ready 1 July, p03 ready 1 December)
    assert cell(data, year=2021, category=TOTAL, household_type=TOTAL) == 1


def test_table_17_bands_waiting_time_in_calendar_months_from_the_permit():
    data = build_waiting_by_time(context_b("17", period="H1")).data
    total = {"year": 2022, "category": TOTAL, "age_group": TOTAL}
    # to 30 June 2022: p04 permit 1 Mar -> 3-6 months; p03 1 Nov 21 -> 6-12; p10 1 Oct 20 and
    # p12 15 Jun 21 -> 12-24 (past 12 months, not past 24)
    assert cell(data, waiting_time="3–6 måneder", **total) == 1
    assert cell(data, waiting_time="6–12 måneder", **total) == 1
    assert cell(data, waiting_time="12–24 måneder", **total) == 2
    assert cell(data, waiting_time="Innen 3 måneder", **total) == 0
    # p04 (born 2006) is the only child under 18
    assert cell(data, year=2022, category=TOTAL, age_group="Barn under 18 år", waiting_time=TOTAL) == 1


def test_table_18_means_calendar_months_from_permit_to_settlement():
    """Calendar months: whole months plus the fraction of the next month (the SP 11 clock).

    p01 10 Jan → 15 Mar = 2 + 5/31 (10 Mar → 10 Apr has 31 days); p02 1 Feb → 1 May = 3;
    p03 1 Nov 2021 → 15 Jul = 8 + 14/31; p04 1 Mar → 10 Sep = 6 + 9/30; p05 1 Apr → 20 Jun =
    2 + 19/30; p06 15 Jan → 1 Jun = 4 + 17/31 (15 May → 15 Jun has 31 days); p08, p09 1 Sep →
    20 Nov = 2 + 19/30 each; p15 1 Aug → 1 Oct = 2.
    Mottak EMA (p04, p05): (6.3 + 2.6333) / 2 = 4.4667 (was 136.5 days / 30.4375 = 4.4846).
    All nine: 31 whole months + 36/31 + 0.3 + 3 × 19/30 = 34.3613, / 9 = 3.8179.
    """
    table = build_mean_waiting_time(context_b("18"))
    data = table.data
    assert cell(data, MEASURE_MEAN_MONTHS, category=RECEPTION, household_type=MINORS) == pytest.approx(
        (6 + 9 / 30 + 2 + 19 / 30) / 2
    )
    # p07 (family reunification) is left out
    assert cell(data, MEASURE_MEAN_MONTHS, category=TOTAL, household_type=TOTAL) == pytest.approx(
        (31 + 36 / 31 + 9 / 30 + 3 * 19 / 30) / 9
    )
    bases = data.set_index(["category", "household_type"])["base"]
    assert bases[(TOTAL, TOTAL)] == 9
    assert bases[(RESETTLEMENT, MINORS)] == 0
    assert pd.isna(cell(data, MEASURE_MEAN_MONTHS, category=RESETTLEMENT, household_type=MINORS))
    assert set(data["measure"]) == {MEASURE_MEAN_MONTHS}


def test_table_19_percent_is_of_the_case_type_and_total_rows_of_all_settled():
    data = build_settled_by_group(context_b("19")).data
    by = {"category": TOTAL, "breakdown": "Personkategori"}
    # 10 settled in 2022: adults p01 p03 p06 p07 p15 = 5 (50 %); EMA by Bufetat: p04
    assert cell(data, group=ADULTS, **by) == 5
    assert cell(data, MEASURE_PERCENT, group=ADULTS, **by) == 50
    assert cell(data, group="Enslige mindreårige bosatt av Bufetat", **by) == 1
    # mottak p01 p02 p04 p05: 4 of 10 settled; its EMA settled by IMDi: p05, 1 of 4 = 25 %
    assert cell(data, MEASURE_PERCENT, category=RECEPTION, breakdown="Personkategori", group=TOTAL) == 40
    assert (
        cell(
            data,
            MEASURE_PERCENT,
            category=RECEPTION,
            breakdown="Personkategori",
            group="Enslige mindreårige bosatt av IMDi",
        )
        == 25
    )
    # under 18 at the end of 2022: p02 (2015), p04 (2006), p05 (2008), p09 (2012)
    assert cell(data, category=TOTAL, breakdown="Alder", group="Under 18 år") == 4
    # Syrian citizens: p01 p02 p06 p07
    assert cell(data, category=TOTAL, breakdown="Nasjonalitet", group="Syria") == 4
    assert "Andre nasjonaliteter" not in set(data["group"])  # only 5 nationalities


def test_table_19_case_type_totals_share_their_status_across_the_stacked_distributions():
    table = build_settled_by_group(context_b("19"))
    assert table.stacking == Stacking(by="breakdown", within="group")
    disclosed = apply_disclosure(table, threshold=3)
    totals = disclosed.data[disclosed.data["group"] == TOTAL]
    for key, rows in totals.groupby(["category", "measure"]):
        assert rows["status"].nunique() == 1, (key, rows["status"].tolist())
    # privately housed: p06 only, so its total (1) is hidden under every breakdown
    private = totals[(totals["category"] == "Privatboende") & (totals["measure"] == "count")]
    assert len(private) == 3 and set(private["status"]) == {":"}
    assert disclosure_problems(disclosed, 3) == []


def test_table_20_gives_settled_by_county_with_self_settled_specified():
    data = build_settled_by_county(context_b("20")).data
    # Oslo: p01 p02 p06 p07 (p06 self-settled); Vestland: p03 p05 p08 p09; Trøndelag p04; Rogaland p15
    assert cell(data, county="Oslo", category=TOTAL, self_settled=TOTAL) == 4
    assert cell(data, county="Oslo", category=PRIVATE, self_settled="Selvbosatte etter avtale") == 1
    assert cell(data, county="Vestland", category=RESETTLEMENT, self_settled=TOTAL) == 3
    assert cell(data, county="Rogaland", category=TOTAL, self_settled=TOTAL) == 1
    assert cell(data, county=TOTAL, category="Familiegjenforente med disse", self_settled=TOTAL) == 1
    assert cell(data, county=TOTAL, category=TOTAL, self_settled=TOTAL) == 10
    # counties of 2022 without settled persons are shown as zero cells
    assert cell(data, county="Nordland", category=TOTAL, self_settled=TOTAL) == 0


def test_table_21_bands_are_disjoint_and_percent_of_the_group():
    data = build_settled_within(context_b("21")).data
    total = {"category": TOTAL, "household_type": TOTAL}
    # within 3 months: p01 p02 p05 p08 p09 p15; 3-6: p06; 6-12: p03 p04; family p07 left out
    assert cell(data, waiting_time="Innen 3 måneder", **total) == 6
    assert cell(data, waiting_time="3–6 måneder", **total) == 1
    assert cell(data, waiting_time="6–12 måneder", **total) == 2
    assert cell(data, waiting_time="Mer enn 12 måneder", **total) == 0
    assert cell(data, MEASURE_PERCENT, waiting_time="Innen 3 måneder", **total) == pytest.approx(600 / 9)
    # p02 settled on the day three months after the permit: within 3 months
    assert cell(data, category=RECEPTION, household_type=FAMILIES, waiting_time="Innen 3 måneder") == 1
    # EMA settled by Bufetat (p04, 6-12 months) is its own person category
    assert (
        cell(
            data,
            category=RECEPTION,
            household_type="Enslige mindreårige bosatt av Bufetat",
            waiting_time="6–12 måneder",
        )
        == 1
    )


def test_table_22_caps_used_places_at_the_decision_and_leaves_out_family_reunification():
    table = build_requests_and_decisions(context_b("22"))
    data = table.data
    # 2022: Oslo 3 settled (p07 family not counted) of 8 -> 3; Bergen 4 of 2 -> 2; Trondheim 1 of 3
    # -> 1; Stavanger 1 of 1 -> 1: 7 of 14 places used = 0.5; 4 municipalities; asked 10+5+3+2
    assert cell(data, year=2022, item="IMDis anmodning om bosetting (personer)") == 20
    assert cell(data, year=2022, item="Vedtaksplasser i kommunene") == 14
    used = "Vedtaksplasser benyttet til bosetting (plassutnyttelse)"
    assert cell(data, year=2022, item=used) == 7
    assert cell(data, MEASURE_SHARE, year=2022, item=used) == 0.5
    assert cell(data, year=2022, item="Kommuner som har bosatt flyktninger") == 4
    # 2021: Oslo decided 4, q01 settled: 1 of 4
    assert cell(data, MEASURE_SHARE, year=2021, item=used) == 0.25
    # the other rows have no share: not applicable
    assert data.loc[(data["measure"] == MEASURE_SHARE) & (data["item"] != used), "status"].eq(".").all()
    assert table.sources == ["municipal_decisions", "settlement"]


def test_table_23_counts_only_minors_and_families_with_a_limited_permit():
    data = build_limited_permit(context_b("23")).data
    # limited permit: p04 (EMA, settled 2022), p11 (family, waiting), p10 (adult: left out)
    assert cell(data, year=2022, settlement_status="Bosatte", household_type=MINORS) == 1
    assert cell(data, year=2022, settlement_status="Bosettingsklare som venter", household_type=FAMILIES) == 1
    assert cell(data, year=2022, settlement_status=TOTAL, household_type=TOTAL) == 2
    # 2021 has no such person but keeps its rows (zero)
    assert cell(data, year=2021, settlement_status=TOTAL, household_type=TOTAL) == 0


def test_table_24_long_waits_are_cumulative_and_shares_of_all_waiting():
    data = build_long_waits(context_b("24")).data
    total = {"category": TOTAL, "household_type": TOTAL}
    # waiting 31 Dec 2022: p10 (permit 1 Oct 20: past 12 and 24, not 36 months), p11 (1 Oct 22),
    # p12 (15 Jun 21: past 12 only): 2 of 3, 1 of 3, 0 of 3
    assert cell(data, waiting_time="Ventet mer enn 12 måneder", **total) == 2
    assert cell(data, MEASURE_SHARE, waiting_time="Ventet mer enn 12 måneder", **total) == pytest.approx(
        2 / 3
    )
    assert cell(data, MEASURE_SHARE, waiting_time="Ventet mer enn 24 måneder", **total) == pytest.approx(
        1 / 3
    )
    assert cell(data, waiting_time="Ventet mer enn 36 måneder", **total) == 0
    assert (
        cell(
            data,
            MEASURE_SHARE,
            waiting_time="Ventet mer enn 12 måneder",
            category=RESETTLEMENT,
            household_type=ADULTS,
        )
        == 1
    )


def test_tables_25_and_26_share_culture_orientation_among_settled_resettlement_refugees():
    data25 = build_culture_orientation(context_b("25")).data
    # settled resettlement refugees 2022: p03 (programme), p08 (other information), p09 (none),
    # p15 (no information): 1 of 4 received the programme
    assert cell(data25, culture_orientation="Mottatt kulturorienteringsprogram") == 1
    assert cell(data25, MEASURE_SHARE, culture_orientation="Mottatt kulturorienteringsprogram") == 0.25
    assert cell(data25, culture_orientation="Uoppgitt") == 1
    assert cell(data25, culture_orientation=TOTAL) == 4
    data26 = build_culture_orientation(context_b("26")).data
    # without the programme: p08 (other information) and p09 (none): 1 of 2
    assert cell(data26, MEASURE_SHARE, culture_orientation="Mottatt annen relevant informasjon") == 0.5
    assert cell(data26, culture_orientation=TOTAL) == 2


@pytest.mark.parametrize("period", ["year", "H1"])
def test_every_b_table_builds_and_passes_disclosure_control(period):
    for key in B_KEYS:
        table = BUILDERS[key](context_b(key, period=period))
        assert table.key == key and table.supported and not table.data.empty
        assert table.title == spec_rows().loc[key, "title_nb"]
        assert set(table.dims) <= set(table.dim_labels)
        disclosed = apply_disclosure(table, threshold=3)
        assert disclosure_problems(disclosed, 3) == []


SETTLEMENT_ROW = st.tuples(
    st.sampled_from(["mottak", "overforingsflyktning", "privatboende", "familiegjenforent"]),
    st.sampled_from(["voksen", "barnefamilie", "enslig_mindreaarig"]),
    st.integers(min_value=0, max_value=364),  # permit: day of 2021
    st.integers(min_value=0, max_value=700),  # days to settlement (past 2022: still waiting)
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SETTLEMENT_ROW, min_size=1, max_size=25))
def test_table_21_bands_add_up_to_the_settled_and_percents_to_100(rows):
    permits = [pd.Timestamp(2021, 1, 1) + pd.Timedelta(days=d) for _, _, d, _ in rows]
    settled = [p + pd.Timedelta(days=w) for p, (_, _, _, w) in zip(permits, rows, strict=True)]
    frame = pd.DataFrame(
        {
            "person_id": [f"x{i}" for i in range(len(rows))],
            "sex": "K",
            "birth_year": 1990,
            "nationality": "SYR",
            "category": [r[0] for r in rows],
            "household_type": [r[1] for r in rows],
            "settled_by": "IMDi",
            "permit_date": permits,
            "ready_date": permits,
            "settlement_date": [s if s.year <= 2022 else pd.NaT for s in settled],
            "county": "03",
            "municipality": "0301",
            "self_settled": False,
            "limited_permit_identity": False,
            "culture_orientation": None,
        }
    )
    ctx = BuildContext(
        year=2022,
        period="year",
        data_dir=REGISTERS,
        spec=context_b("21").spec,
        available_years=[2022],
        frames={("settlement", 2022): frame},
    )
    data = build_settled_within(ctx).data
    counts = data[(data["measure"] == "count") & (data["waiting_time"] != TOTAL)]
    sums = counts.groupby(["category", "household_type"])["value"].sum()
    totals = data[(data["measure"] == "count") & (data["waiting_time"] == TOTAL)].set_index(
        ["category", "household_type"]
    )["value"]
    assert sums.to_dict() == totals.to_dict()
    in_2022 = frame["settlement_date"].between(pd.Timestamp(2022, 1, 1), pd.Timestamp(2022, 12, 31))
    expected = (in_2022 & (frame["category"] != "familiegjenforent")).sum()
    assert totals[(TOTAL, TOTAL)] == expected
    percents = data[(data["measure"] == MEASURE_PERCENT) & (data["waiting_time"] != TOTAL)]
    shown = percents.groupby(["category", "household_type"])["value"].sum(min_count=1).dropna()
    assert (shown.round(9) == 100).all()
