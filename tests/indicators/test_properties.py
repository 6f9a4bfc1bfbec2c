"""Laws every indicator obeys, checked on random frames (hypothesis).

- shares lie in [0, 1] and equal numerator / denominator (IndicatorFrame validation);
- the 95 % interval contains the estimate;
- the levels of a breakdown add up to the total row (numerators and denominators).
"""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imdi_analysis.indicators._common import TOTAL
from imdi_analysis.indicators.interpreters import sp15_interpreters_register
from imdi_analysis.indicators.intro import sp04_intro_within_3_months, sp07a_intro_direct_work_or_education
from imdi_analysis.indicators.jobbsjansen import sp01_jobbsjansen_work_or_education
from imdi_analysis.indicators.settlement import sp11_settled_within_months, sp11_waiting_over_months
from tests.indicators.conftest import valid

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DAY0 = pd.Timestamp("2021-01-01")
sexes = st.sampled_from(["M", "K"])
counties = st.sampled_from(["03", "11", "46", "50"])
days = st.integers(min_value=0, max_value=729)
optional_days = st.one_of(st.none(), days)
outcomes = st.sampled_from(["arbeid", "utdanning", "arbeid_og_utdanning", "annet", "ukjent"])


def date(offset: int | None) -> pd.Timestamp:
    return pd.NaT if offset is None else DAY0 + pd.Timedelta(days=offset)


def check_laws(out: pd.DataFrame, *dimensions: str) -> None:
    """Validated, interval around the estimate, and each dimension's levels add up to the total."""
    valid(out)
    shown = out.dropna(subset=["ci_lower"])
    assert (
        (shown["ci_lower"] <= shown["value"] + 1e-12) & (shown["value"] <= shown["ci_upper"] + 1e-12)
    ).all()
    for dimension in dimensions:
        check_breakdown_adds_up(out, dimension)


def check_breakdown_adds_up(out: pd.DataFrame, dimension: str) -> None:
    """The one-way rows of ``dimension`` add up to the total row (numerators and denominators)."""
    others = [c for c in ("sex", "county", "category", "household_type") if c != dimension]
    one_way = out[(out[others].isna() | (out[others] == TOTAL)).all(axis=1)]
    total = one_way[one_way[dimension] == TOTAL].iloc[0]
    levels = one_way[one_way[dimension] != TOTAL]
    assert levels["numerator"].sum() == total["numerator"]
    if total["denominator"] == total["denominator"]:  # not NaN: shares
        assert levels["denominator"].sum() == total["denominator"]


@SETTINGS
@given(st.lists(st.tuples(sexes, counties, optional_days, outcomes), max_size=40))
def test_jobbsjansen_share_obeys_the_laws(rows):
    frame = pd.DataFrame(
        {
            "sex": [r[0] for r in rows],
            "county": [r[1] for r in rows],
            "end_date": pd.to_datetime([date(r[2]) for r in rows]),
            "outcome": [r[3] if r[2] is not None else None for r in rows],
        }
    )
    out = sp01_jobbsjansen_work_or_education(frame, 2022, "year")
    check_laws(out, "sex", "county")


@SETTINGS
@given(
    st.lists(
        st.tuples(st.integers(0, 15), sexes, counties, days, optional_days, st.integers(0, 200), outcomes),
        max_size=40,
    )
)
def test_intro_shares_obey_the_laws_with_re_entrants(rows):
    # person ids repeat (0-15), so some persons have several spells
    start = [date(r[4]) for r in rows]
    end = [
        s + pd.Timedelta(days=r[5]) if s is not pd.NaT and r[5] % 2 else pd.NaT
        for s, r in zip(start, rows, strict=True)
    ]
    frame = pd.DataFrame(
        {
            "person_id": [f"P{r[0]}" for r in rows],
            "sex": [r[1] for r in rows],
            "county": [r[2] for r in rows],
            "right_code": "rett_og_plikt",
            "target_group_date": pd.to_datetime([date(r[3]) for r in rows]),
            "programme_start": pd.to_datetime(start),
            "programme_end": pd.to_datetime(end),
            "status_at_exit": [r[6] for r in rows],
        }
    ).drop_duplicates(subset=["person_id", "programme_start"])
    check_laws(sp04_intro_within_3_months(frame, 2022, "year"), "sex", "county")
    check_laws(sp07a_intro_direct_work_or_education(frame, 2022, "H1"), "sex", "county")


settlement_rows = st.tuples(
    sexes,
    st.sampled_from(["mottak", "overforingsflyktning", "privatboende", "familiegjenforent"]),
    st.sampled_from(["voksen", "barnefamilie", "enslig_mindreaarig"]),
    days,
    st.integers(0, 400),
    st.one_of(st.none(), st.integers(0, 500)),
    counties,
)


@SETTINGS
@given(st.lists(settlement_rows, max_size=40))
def test_settlement_shares_obey_the_laws_across_category_household_and_their_crossing(rows):
    permit = [date(r[3]) for r in rows]
    frame = pd.DataFrame(
        {
            "sex": [r[0] for r in rows],
            "category": [r[1] for r in rows],
            "household_type": [r[2] for r in rows],
            "permit_date": pd.to_datetime(permit),
            "ready_date": pd.to_datetime(
                [p + pd.Timedelta(days=r[4] // 4) for p, r in zip(permit, rows, strict=True)]
            ),
            "settlement_date": pd.to_datetime(
                [
                    pd.NaT if r[5] is None else p + pd.Timedelta(days=r[4] // 4 + r[5])
                    for p, r in zip(permit, rows, strict=True)
                ]
            ),
            "county": [r[6] if r[5] is not None else None for r in rows],
        }
    )
    for out in (
        sp11_settled_within_months(frame, 2022, "year", 3),
        sp11_waiting_over_months(frame, 2022, "H1", 12),
    ):
        check_laws(out, "sex", "category", "household_type")
        crossed = out[out["category"].ne(TOTAL) & out["household_type"].ne(TOTAL)]
        assert crossed["denominator"].sum() == out.iloc[0]["denominator"]


@SETTINGS
@given(
    st.lists(st.tuples(st.integers(0, 10), sexes, st.sampled_from("ABCDE"), days, optional_days), max_size=30)
)
def test_interpreter_categories_add_up_to_the_distinct_interpreters(rows):
    frame = pd.DataFrame(
        {
            "interpreter_id": [f"T{r[0]}" for r in rows],
            "sex": [r[1] for r in rows],  # an interpreter may appear with two sexes in random data;
            "language": [f"språk{i}" for i in range(len(rows))],
            "category": [r[2] for r in rows],
            "registered_date": pd.to_datetime([date(r[3]) for r in rows]),
            "deregistered_date": pd.to_datetime([date(r[4]) for r in rows]),
        }
    )
    frame["sex"] = frame.groupby("interpreter_id")["sex"].transform("first")  # … so fix one sex per person
    frame["deregistered_date"] = frame["deregistered_date"].where(
        frame["deregistered_date"] >= frame["registered_date"]
    )
    out = valid(sp15_interpreters_register(frame, 2022, "year"))
    total = out.iloc[0]["value"]
    assert (
        out.loc[
            out["qualification_category"].ne(TOTAL) & out["qualification_category"].notna(), "value"
        ].sum()
        == total
    )
    assert out.loc[out["sex"].ne(TOTAL) & out["sex"].notna(), "value"].sum() == total
