"""Disclosure control of tables that stack several distributions with one repeated total."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imdi_analysis.disclosure import apply_disclosure, find_copies, find_lines, is_derivable
from imdi_analysis.errors import DisclosureError
from imdi_analysis.tables import TOTAL, AppendixTable, Stacking

PROPERTY_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STACKING = Stacking(by="breakdown", within="group")
DIMS = ["area", "breakdown", "group"]
SEX, AGE = "Kjønn", "Alder"
# Persons by area and by each distribution's categories: A has 5 persons (5 men; 1 young), B 6.
EXAMPLE = {
    "A": {SEX: {"Menn": 5, "Kvinner": 0}, AGE: {"Unge": 1, "Eldre": 4}},
    "B": {SEX: {"Menn": 1, "Kvinner": 5}, AGE: {"Unge": 5, "Eldre": 1}},
}


def stacked_table(
    counts: dict[str, dict[str, dict[str, int]]], stacking: Stacking | None = STACKING
) -> AppendixTable:
    """Area × distributions stacked in ``breakdown`` × ``group``; every margin "I alt"."""
    areas = list(counts)
    distributions = {name: list(groups) for name, groups in counts[areas[0]].items()}
    records = []
    for area in [*areas, TOTAL]:
        for name, groups in distributions.items():
            values = [
                sum(counts[a][name][g] for a in areas) if area == TOTAL else counts[area][name][g]
                for g in groups
            ]
            records += [(area, name, g, v) for g, v in zip(groups, values, strict=True)]
            records.append((area, name, TOTAL, sum(values)))
    data = pd.DataFrame(records, columns=[*DIMS, "value"]).assign(measure="count", base=np.nan)
    return AppendixTable("S", "Test", 2022, "year", data, list(DIMS), stacking=stacking)


def status_of(table: AppendixTable, **dims) -> str:
    data = table.data
    mask = np.logical_and.reduce([data[d] == v for d, v in dims.items()]) & (data["measure"] == "count")
    return str(data.loc[mask, "status"].iloc[0])


def copy_groups(table: AppendixTable) -> list[list[int]]:
    """Independent of find_copies: rows whose group is "I alt", grouped by all dims but breakdown."""
    data = table.data.reset_index(drop=True)
    totals = data[data["group"] == TOTAL]
    return [list(rows) for _, rows in totals.groupby(["area", "measure"]).groups.items() if len(rows) > 1]


# ------------------------------------------------------------------ hand-computed example


def test_total_suppressed_in_one_distribution_is_suppressed_in_every_distribution():
    # Men in B (1) are primary. The column of men then takes A's men (5) as partner, which leaves
    # A's sex line with one hidden cell and a nil: only A's total (5) can protect it. Without
    # stacking A's total stays visible under "Alder" and gives away A's men (5 = 5 - 0).
    out = apply_disclosure(stacked_table(EXAMPLE))
    assert status_of(out, area="B", breakdown=SEX, group="Menn") == ":"
    assert status_of(out, area="A", breakdown=SEX, group=TOTAL) == ":"
    assert status_of(out, area="A", breakdown=AGE, group=TOTAL) == ":"
    # suppressing A's total under "Alder" leaves it alone in the area line: B's total follows,
    # in both distributions; the grand total stays visible in both
    assert status_of(out, area="B", breakdown=AGE, group=TOTAL) == ":"
    assert status_of(out, area="B", breakdown=SEX, group=TOTAL) == ":"
    assert status_of(out, area=TOTAL, breakdown=SEX, group=TOTAL) == ""
    assert status_of(out, area=TOTAL, breakdown=AGE, group=TOTAL) == ""
    assert is_derivable(out) == []


# As EXAMPLE, but the age distributions hold no small cells (A: 5 and 0; B: 6 and 0), so that A's
# age total stays visible for want of stacking alone (in EXAMPLE, A's ages 1 and 4 under a visible
# total 5 are each known to be 1-4, which hides that total anyway).
# Area A: Menn 1 and Kvinner 4 are both primary, and their visible total 5 would confine each to
# 1–4, so the sexes' total of A is hidden too; the ages of A (5 and 0) are not small.
EXAMPLE_WITHOUT_SMALL_AGES = {
    "A": {SEX: {"Menn": 1, "Kvinner": 4}, AGE: {"Unge": 5, "Eldre": 0}},
    "B": {SEX: {"Menn": 10, "Kvinner": 12}, AGE: {"Unge": 15, "Eldre": 7}},
}


def test_without_stacking_the_same_table_leaks_through_the_visible_copy():
    plain = apply_disclosure(stacked_table(EXAMPLE_WITHOUT_SMALL_AGES, stacking=None))
    assert status_of(plain, area="A", breakdown=SEX, group=TOTAL) == ":"
    assert status_of(plain, area="A", breakdown=AGE, group=TOTAL) == ""
    problems = is_derivable(dataclasses.replace(plain, stacking=STACKING))
    assert any("area=A, breakdown=Kjønn, group=I alt" in p and "same total" in p for p in problems)


def test_copies_of_a_percent_share_the_status_of_their_counts():
    table = stacked_table(EXAMPLE)
    counts = table.data
    grand = counts.loc[(counts["area"] == TOTAL) & (counts["group"] == TOTAL), "value"].iloc[0]
    totals = counts[counts["group"] == TOTAL]
    percent = totals.assign(measure="percent", base=grand, value=100 * totals["value"] / grand)
    out = apply_disclosure(dataclasses.replace(table, data=pd.concat([counts, percent], ignore_index=True)))
    data = out.data
    for (area, measure), rows in data[data["group"] == TOTAL].groupby(["area", "measure"]):
        assert rows["status"].nunique() == 1, (area, measure, rows["status"].tolist())
    assert status_of(out, area="A", breakdown=AGE, group=TOTAL) == ":"


def test_find_copies_groups_the_repeated_totals_per_area_and_measure():
    table = stacked_table(EXAMPLE)
    copies = find_copies(table.data, table.dims, table.stacking)
    data = table.data
    described = sorted((data.loc[g[0], "area"], *sorted(data.loc[list(g), "breakdown"])) for g in copies)
    assert described == [("A", AGE, SEX), ("B", AGE, SEX), (TOTAL, AGE, SEX)]
    assert find_copies(table.data, table.dims, None) == []


def test_copies_with_different_values_are_refused():
    table = stacked_table(EXAMPLE)
    data = table.data.copy()
    data.loc[(data["area"] == "A") & (data["breakdown"] == AGE) & (data["group"] == TOTAL), "value"] = 6.0
    with pytest.raises(DisclosureError, match="must share one total"):
        apply_disclosure(dataclasses.replace(table, data=data))


def test_stacking_must_name_two_dimensions_of_the_table():
    table = stacked_table(EXAMPLE, stacking=Stacking(by="breakdown", within="sex"))
    with pytest.raises(DisclosureError, match="must name two different dimensions"):
        apply_disclosure(table)


# ------------------------------------------------------------------------- property tests


@st.composite
def stacked_tables(draw) -> AppendixTable:
    """Persons cross-classified by area and by 2-3 distributions; every distribution counts them all."""
    n_areas = draw(st.integers(1, 3))
    sizes = draw(st.lists(st.integers(1, 3), min_size=2, max_size=3))
    person = st.tuples(st.integers(0, n_areas - 1), *(st.integers(0, n - 1) for n in sizes))
    persons = draw(st.lists(person, max_size=40))
    counts = {
        f"a{a}": {
            f"d{d}": {f"d{d}c{c}": sum(p[0] == a and p[d + 1] == c for p in persons) for c in range(n)}
            for d, n in enumerate(sizes)
        }
        for a in range(n_areas)
    }
    return stacked_table(counts)


def determined_by_svd(table: AppendixTable) -> list[int]:
    """Suppressed counts fixed by the lines and copy equations (numpy SVD, not the module's solver)."""
    data = table.data.reset_index(drop=True)
    unknown = list(np.flatnonzero((data["status"] == ":").to_numpy()))
    rows = []
    for line in find_lines(data, table.dims):
        rows.append({m: (1.0 if m == line.total else -1.0) for m in line.members})
    for group in copy_groups(table):
        rows += [{group[0]: 1.0, other: -1.0} for other in group[1:]]
    matrix = np.array([[row.get(u, 0.0) for u in unknown] for row in rows])
    if not unknown or not matrix.any():
        return []
    _, singular, vh = np.linalg.svd(matrix, full_matrices=False)
    rank = int((singular > 1e-9).sum())
    projection = (vh[:rank] ** 2).sum(axis=0)
    return [unknown[j] for j in np.flatnonzero(projection > 1 - 1e-7)]


@PROPERTY_SETTINGS
@given(stacked_tables(), st.integers(1, 6))
def test_copies_of_a_repeated_total_always_share_their_status(table, threshold):
    out = apply_disclosure(table, threshold)
    status = out.data["status"].to_numpy()
    for group in copy_groups(out):
        assert len({status[c] for c in group}) == 1, out.data.loc[group]


@PROPERTY_SETTINGS
@given(stacked_tables(), st.integers(1, 6))
def test_no_suppressed_cell_of_a_stacked_table_is_derivable(table, threshold):
    out = apply_disclosure(table, threshold)
    visible = out.data[out.data["status"] == ""]
    assert not ((visible["value"] > 0) & (visible["value"] < threshold)).any()
    assert determined_by_svd(out) == []
    assert is_derivable(out) == []


@PROPERTY_SETTINGS
@given(stacked_tables(), st.integers(1, 6))
def test_stacked_disclosure_keeps_visible_values_and_is_idempotent(table, threshold):
    out = apply_disclosure(table, threshold)
    shown = out.data["status"].isin(["", "-"]).to_numpy()
    assert (out.data["value"].to_numpy()[shown] == table.data["value"].to_numpy()[shown]).all()
    assert out.stacking == table.stacking
    again = apply_disclosure(out, threshold)
    assert again.data["status"].tolist() == out.data["status"].tolist()


def test_stacked_table_helper_builds_equal_copies():
    # the property tests mean something only if every distribution really counts everyone
    table = stacked_table({f"a{a}": {"d0": {"x": a, "y": 2}, "d1": {"z": a + 2}} for a in range(2)})
    groups = copy_groups(table)
    assert len(groups) == 3  # a0, a1 and "I alt"
    for group in groups:
        assert table.data.loc[group, "value"].nunique() == 1
