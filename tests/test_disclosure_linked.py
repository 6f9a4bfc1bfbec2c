"""Disclosure control over linked tables (issue 13): counts in one table, shares of them in another.

The attacks are recomputed here from what a reader sees (statuses and visible values), and
checked with a small linear-programming attacker of our own (``lp_intervals``), independent of
``imdi_analysis.disclosure`` and of the audit module.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from imdi_analysis.disclosure import Release, apply_disclosure, cycle_partners, protect_release
from imdi_analysis.tables import AppendixTable

TOTAL = "I alt"
THRESHOLD = 5
DIMS = ["sex", "county"]


def count_table(key: str, counts: dict[tuple[str, str], int]) -> AppendixTable:
    """A sex × county count table with its totals, from the inner cells ``counts``."""
    sexes = sorted({s for s, _ in counts})
    counties = sorted({c for _, c in counts})
    rows = []
    for sex in [TOTAL, *sexes]:
        for county in [TOTAL, *counties]:
            value = sum(v for (s, c), v in counts.items() if sex in (TOTAL, s) and county in (TOTAL, c))
            rows.append({"sex": sex, "county": county, "measure": "count", "value": float(value)})
    return AppendixTable(key, key, 2022, "year", pd.DataFrame(rows), list(DIMS))


def share_table(key: str, counts: AppendixTable) -> AppendixTable:
    """Each cell's share of its sex's total over counties (base: the (sex, I alt) count), as table 11B."""
    data = counts.data
    base = data[data["county"] == TOTAL].set_index("sex")["value"]
    rows = []
    for row in data.itertuples(index=False):
        b = float(base[row.sex])
        rows.append(
            {
                "sex": row.sex,
                "county": row.county,
                "measure": "share",
                "value": row.value / b if b > 0 else np.nan,
                "base": b,
            }
        )
    return AppendixTable(key, key, 2022, "year", pd.DataFrame(rows), list(DIMS))


def published(table: AppendixTable) -> dict[tuple[str, str], tuple[str, float]]:
    """(sex, county) -> (status, visible value or NaN), as a reader reads the table."""
    return {
        (r.sex, r.county): (r.status, r.value if r.status in ("", "-") else np.nan)
        for r in table.data.itertuples(index=False)
    }


def true_counts(table: AppendixTable) -> dict[tuple[str, str], float]:
    return {(r.sex, r.county): float(r.value) for r in table.data.itertuples(index=False)}


def lp_intervals(
    counts: AppendixTable, shares: AppendixTable, truth: dict[tuple[str, str], float]
) -> dict[tuple[str, str], tuple[float, float]]:
    """The attacker: for every hidden count of ``counts``, its smallest and largest possible value.

    Unknowns: the hidden counts (status ``:`` or ``..``), at least 1 where the true value is not 0
    (a reader knows zeros are shown as ``-``; knowing which hidden cells are not 0 only makes this
    attacker stronger) and at least 0 otherwise. Relations a reader has: every row and column of
    ``counts`` sums to its total; every visible share times its base (the ``(sex, I alt)`` count)
    is the count, share × base = count. Solved with HiGHS (``scipy.optimize.linprog``).
    """
    seen_counts, seen_shares = published(counts), published(shares)
    hidden = sorted(k for k, (s, _) in seen_counts.items() if s not in ("", "-"))
    column = {k: j for j, k in enumerate(hidden)}
    rows, rhs = [], []

    def relation(terms: list[tuple[tuple[str, str], float]]) -> None:
        vector, constant = np.zeros(len(hidden)), 0.0
        for cell, weight in terms:
            status, value = seen_counts[cell]
            if cell in column:
                vector[column[cell]] += weight
            else:
                constant -= weight * (0.0 if status == "-" else value)
        if vector.any():
            rows.append(vector)
            rhs.append(constant)

    sexes = sorted({s for s, _ in seen_counts})
    counties = sorted({c for _, c in seen_counts})
    for sex in sexes:
        parts = [c for c in counties if c != TOTAL]
        relation([((sex, TOTAL), 1.0)] + [((sex, c), -1.0) for c in parts])
    for county in counties:
        parts = [s for s in sexes if s != TOTAL]
        relation([((TOTAL, county), 1.0)] + [((s, county), -1.0) for s in parts])
    for (sex, county), (status, share) in seen_shares.items():
        if status in ("", "-"):
            relation([((sex, county), 1.0), ((sex, TOTAL), -(0.0 if status == "-" else share))])
    bounds = [(1.0 if truth[k] > 0 else 0.0, None) for k in hidden]
    out = {}
    for cell, j in column.items():
        objective = np.zeros(len(hidden))
        objective[j] = 1.0
        equations = {"A_eq": np.array(rows), "b_eq": np.array(rhs)} if rows else {}
        low = linprog(objective, bounds=bounds, method="highs", **equations)
        high = linprog(-objective, bounds=bounds, method="highs", **equations)
        assert low.status == 0, "the published relations must hold for the true values"
        out[cell] = (low.fun, np.inf if high.status == 3 else -high.fun)
    return out


def leaks(intervals: dict, threshold: int = THRESHOLD) -> list:
    """Hidden cells that are determined or known to hold 1 … threshold − 1."""
    return [
        (cell, lo, hi)
        for cell, (lo, hi) in intervals.items()
        if hi - lo < 1e-6 or (lo >= 1 - 1e-9 and hi <= threshold - 1 + 1e-9)
    ]


def leavers() -> tuple[AppendixTable, AppendixTable]:
    """A hand-made pair like tables 11A (count) and 11B (share of the sex's leavers by county).

    Menn: Oslo 3, Viken 20, Agder 30 (total 53); Kvinner: Oslo 12, Viken 25, Agder 40 (total 77);
    I alt: Oslo 15, Viken 45, Agder 70 (130). In 11A alone, Menn–Oslo (3) is primary; its row and
    column need partners, e.g. Kvinner–Oslo (12), Menn–Viken (20) and Kvinner–Viken (25), which
    is safe for 11A alone. But 11B shows Menn–Oslo's share 3/53 = 0.0566 and 11A shows its base,
    Menn–I alt = 53, so 0.0566 × 53 = 3 is back.
    """
    counts = {
        ("Menn", "Oslo"): 3,
        ("Menn", "Viken"): 20,
        ("Menn", "Agder"): 30,
        ("Kvinner", "Oslo"): 12,
        ("Kvinner", "Viken"): 25,
        ("Kvinner", "Agder"): 40,
    }
    table_a = count_table("11A", counts)
    return table_a, share_table("11B", table_a)


def share_times_visible_base(counts: AppendixTable, shares: AppendixTable) -> dict:
    """The attack by hand: every visible share × its visible base, for the hidden counts of 11A."""
    seen_counts, seen_shares = published(counts), published(shares)
    out = {}
    for (sex, county), (status, _) in seen_counts.items():
        share_status, share = seen_shares[(sex, county)]
        base_status, base = seen_counts[(sex, TOTAL)]
        if status == ":" and share_status == "" and base_status == "":
            out[(sex, county)] = share * base
    return out


def test_per_table_protection_leaks_11a_through_11b():
    """The old way (each table alone) gives Menn–Oslo = 3 back as share × base: the test's premise."""
    table_a, table_b = leavers()
    old_a, old_b = apply_disclosure(table_a, THRESHOLD), apply_disclosure(table_b, THRESHOLD)
    recovered = share_times_visible_base(old_a, old_b)
    assert round(recovered[("Menn", "Oslo")]) == 3


def test_linked_protection_hides_the_shares_of_hidden_counts():
    """With both tables protected together, no hidden 11A count has a visible share and base, and
    the LP attacker finds every hidden count undetermined and not confined to 1–4."""
    table_a, table_b = leavers()
    new_a, new_b = protect_release([table_a, table_b], THRESHOLD)
    assert share_times_visible_base(new_a, new_b) == {}
    seen_a, seen_b = published(new_a), published(new_b)
    assert seen_a[("Menn", "Oslo")][0] == ":"
    for cell, (status, _) in seen_a.items():
        if status == ":":
            assert seen_b[cell][0] == ":", cell
    assert leaks(lp_intervals(new_a, new_b, true_counts(table_a))) == []


def test_share_beside_its_base_in_one_table_is_not_a_count():
    """A share published next to its base in the same table: count 2 of base 40 (Menn–Oslo) is
    hidden, so its share 2/40 = 0.05 must go too (0.05 × 40 = 2), and the base stays visible."""
    counts = {("Menn", "Oslo"): 2, ("Menn", "Viken"): 38, ("Kvinner", "Oslo"): 30, ("Kvinner", "Viken"): 30}
    table_a = count_table("20", counts)
    shares = share_table("20", table_a).data
    both = AppendixTable(
        "20", "20", 2022, "year", pd.concat([table_a.data, shares], ignore_index=True), list(DIMS)
    )
    (out,) = protect_release([both], THRESHOLD)
    data = out.data.set_index(["sex", "county", "measure"])
    assert data.loc[("Menn", "Oslo", "count"), "status"] == ":"
    assert data.loc[("Menn", "Oslo", "share"), "status"] == ":"
    assert data.loc[("Menn", TOTAL, "count"), "status"] == ""
    for sex, county in itertools.product(["Menn", "Kvinner"], ["Oslo", "Viken"]):
        if data.loc[(sex, county, "count"), "status"] == ":":
            assert data.loc[(sex, county, "share"), "status"] == ":"


def test_two_small_cells_alone_under_a_visible_total_get_a_third():
    """Menn: Oslo 2, Viken 3, Agder 40 (total 45); Kvinner: 30, 30, 30. Hiding Oslo and Viken with
    each other alone leaves 45 - 40 = 5 for the two, so each is 1 to 4: a third cell is needed."""
    counts = {
        ("Menn", "Oslo"): 2,
        ("Menn", "Viken"): 3,
        ("Menn", "Agder"): 40,
        ("Kvinner", "Oslo"): 30,
        ("Kvinner", "Viken"): 30,
        ("Kvinner", "Agder"): 30,
    }
    table_a = count_table("7", counts)
    (out,) = protect_release([table_a], THRESHOLD)
    no_shares = share_table("7", out)
    no_shares.data["status"] = ":"
    assert leaks(lp_intervals(out, no_shares, true_counts(table_a))) == []


def test_cycle_partners_open_a_cycle_without_moving_a_visible_zero():
    """Menn: Agder 1, Oslo 20, Viken 40 (61); Kvinner: Agder 30, Oslo 0, Viken 50 (80). With
    Menn–Agder hidden alone, the cheapest direction raising it by 4 (to the threshold) went
    through the visible zero Kvinner–Oslo: Menn–Agder +4, Menn–Oslo −4, Kvinner–Oslo +4,
    Kvinner–Agder −4 (4 × (21 + 1 + 31) = 212 against 296 for the next one). A ``-`` is never
    a partner, so only Menn–Oslo and Kvinner–Agder were returned, and with them hidden the zero
    gives Kvinner–Agder back: 80 − 0 − 50 = 30. The zero now stays put; the partners returned
    (Menn–Oslo and the Agder and Oslo totals) leave no hidden count determined or within 1 … 4
    (Menn–Agder can be 1 … 20)."""
    counts = {
        ("Menn", "Agder"): 1,
        ("Menn", "Oslo"): 20,
        ("Menn", "Viken"): 40,
        ("Kvinner", "Agder"): 30,
        ("Kvinner", "Oslo"): 0,
        ("Kvinner", "Viken"): 50,
    }
    table = count_table("7", counts)
    release = Release.create([table])
    data = release.data[0]
    status = np.where(data["value"].to_numpy() == 0, "-", "").astype(object)
    row = {(r.sex, r.county): i for i, r in enumerate(data.itertuples(index=False))}
    status[row[("Menn", "Agder")]] = ":"
    partners = cycle_partners(release, [status], (0, row[("Menn", "Agder")]), THRESHOLD)
    assert partners and all(data["value"].iat[r] > 0 for _, r in partners)
    for _, r in partners:
        status[r] = ":"
    out = table.data.copy()
    out["status"] = status
    out.loc[out["status"] == ":", "value"] = np.nan
    shown = AppendixTable("7", "7", 2022, "year", out, list(DIMS))
    no_shares = share_table("7", table)
    no_shares.data["status"] = ":"
    assert leaks(lp_intervals(shown, no_shares, true_counts(table))) == []


def patterns(tables: list[AppendixTable]) -> list[dict]:
    return [{(r.sex, r.county, r.measure): r.status for r in t.data.itertuples(index=False)} for t in tables]


def test_pattern_is_deterministic_and_independent_of_row_order():
    table_a, table_b = leavers()
    first = patterns(protect_release([table_a, table_b], THRESHOLD))
    second = patterns(protect_release([table_a, table_b], THRESHOLD))
    shuffled = [
        AppendixTable(t.key, t.title, t.year, t.period, t.data.sample(frac=1, random_state=7), t.dims)
        for t in (table_a, table_b)
    ]
    assert first == second == patterns(protect_release(shuffled, THRESHOLD))


SEXES = ["Kvinner", "Menn"]
COUNTIES = ["Agder", "Oslo", "Viken", "Vestland"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(0, 12), min_size=8, max_size=8),
    st.integers(2, 4),
)
def test_random_linked_tables_leak_nothing(values, n_counties):
    """Random small counts in a sex × county table (11A) and its shares (11B): after protecting
    both together, the LP attacker finds no hidden count determined or confined to 1–4."""
    counties = COUNTIES[:n_counties]
    counts = {(s, c): values[i * 4 + j] for i, s in enumerate(SEXES) for j, c in enumerate(counties)}
    table_a = count_table("11A", counts)
    table_b = share_table("11B", table_a)
    new_a, new_b = protect_release([table_a, table_b], THRESHOLD)
    seen = published(new_a)
    assert not any(s == "" and 0 < v < THRESHOLD for s, v in seen.values())
    assert leaks(lp_intervals(new_a, new_b, true_counts(table_a))) == []
    assert patterns([new_a, new_b]) == patterns(protect_release([table_a, table_b], THRESHOLD))


def test_the_same_cells_in_two_sibling_tables_share_their_pattern():
    """6A and 6B count the same population (every common cell equal), 6B with its rows and
    dimensions in another order. Menn: Oslo 2, Viken 10, Agder 10; Kvinner: 10, 10, 10. The line
    greedy this replaced broke ties by row order: alone, 6A hid Agder and 6B Viken, and the two
    together showed Menn–Viken (6A) and Menn–Agder (6B), so Menn–Oslo = 22 - 10 - 10 = 2. The
    elimination breaks ties by categories, never rows, so alone the two patterns agree; together,
    each cell has one status in both tables, and the LP attacker finds nothing in either."""
    counts = {
        ("Menn", "Oslo"): 2,
        ("Menn", "Viken"): 10,
        ("Menn", "Agder"): 10,
        ("Kvinner", "Oslo"): 10,
        ("Kvinner", "Viken"): 10,
        ("Kvinner", "Agder"): 10,
    }
    table_a = count_table("6A", counts)
    table_b = AppendixTable(
        "6B", "6B", 2022, "year", table_a.data.iloc[::-1].reset_index(drop=True), ["county", "sex"]
    )
    alone = [published(apply_disclosure(t, THRESHOLD)) for t in (table_a, table_b)]
    assert alone[0] == alone[1]  # ties broken by categories, not by row order
    new_a, new_b = protect_release([table_a, table_b], THRESHOLD)
    seen_a, seen_b = published(new_a), published(new_b)
    assert {k: s for k, (s, _) in seen_a.items()} == {k: s for k, (s, _) in seen_b.items()}
    no_shares = share_table("6A", new_a)
    no_shares.data["status"] = ":"
    assert leaks(lp_intervals(new_a, no_shares, true_counts(table_a))) == []
