"""Secondary suppression by Gaussian elimination (``imdi_analysis.disclosure_gauss``) and the
release-wide pattern of ``protect_release`` that rests on it.

Determinedness is recomputed here with ``numpy.linalg.matrix_rank`` (a hidden cell is determined
when its unit vector adds nothing to the rank of the equations restricted to the hidden cells),
independent of the elimination under test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imdi_analysis.audit import certify_tables
from imdi_analysis.disclosure import protect_release
from imdi_analysis.disclosure_gauss import secondary_cells
from imdi_analysis.tables import AppendixTable

TOTAL = "I alt"
THRESHOLD = 5


def count_table(key: str, counts: dict[tuple[str, str], int]) -> AppendixTable:
    """A sex × county count table with its totals, from the inner cells ``counts``."""
    sexes = sorted({s for s, _ in counts})
    counties = sorted({c for _, c in counts})
    rows = []
    for sex in [TOTAL, *sexes]:
        for county in [TOTAL, *counties]:
            value = sum(v for (s, c), v in counts.items() if sex in (TOTAL, s) and county in (TOTAL, c))
            rows.append({"sex": sex, "county": county, "measure": "count", "value": float(value)})
    return AppendixTable(key, key, 2022, "year", pd.DataFrame(rows), ["sex", "county"])


def hidden_cells(table: AppendixTable) -> set[tuple[str, str]]:
    data = table.data
    return {(r.sex, r.county) for r in data.itertuples(index=False) if r.status == ":"}


def determined(equations: list[dict], hidden: set) -> set:
    """Hidden cells whose unit vector lies in the row space of the equations restricted to them."""
    cells = sorted(hidden, key=str)
    column = {c: j for j, c in enumerate(cells)}
    rows = []
    for terms in equations:
        row = np.zeros(len(cells))
        for cell, w in terms.items():
            if cell in column:
                row[column[cell]] = w
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    matrix = np.array(rows)
    rank = np.linalg.matrix_rank(matrix)
    out = set()
    for cell, j in column.items():
        unit = np.zeros(len(cells))
        unit[j] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            out.add(cell)
    return out


def test_one_line_hides_the_last_cell_that_would_give_the_primary_away():
    """T = a + b + c with a protected: showing T and c leaves a + b known; showing b would then
    give a back, so b (the last candidate) is hidden."""
    line = [{"T": 1.0, "a": -1.0, "b": -1.0, "c": -1.0}]
    assert secondary_cells(line, ["a"], ["T", "c", "b"]) == ["b"]


def test_cells_without_a_protected_cell_in_their_group_are_all_shown():
    equations = [{"T": 1.0, "a": -1.0, "b": -1.0}, {"U": 1.0, "x": -1.0, "y": -1.0}]
    assert secondary_cells(equations, ["a"], ["T", "U", "x", "y", "b"]) == ["b"]


def test_a_veto_hides_a_candidate_the_elimination_would_show():
    line = [{"T": 1.0, "a": -1.0, "b": -1.0, "c": -1.0}]
    hidden = secondary_cells(line, ["a"], ["T", "c", "b"], veto=lambda cell, shown, pending: cell == "c")
    assert hidden == ["c"]  # with c hidden, b can be shown: a + c is known, not a


def test_the_cheapest_rectangle_is_found_not_the_one_with_the_smallest_partner():
    """Menn: Oslo 2, Viken 30, Agder 40; Kvinner: Oslo 10, Viken 500, Agder 45. Menn–Oslo (2) is
    primary and needs a rectangle of hidden cells. By hand: Oslo × Viken hides 30 + 10 + 500 =
    540 more persons, Oslo × Agder 40 + 10 + 45 = 95, and any rectangle through a total hides
    more than 95 (Menn–I alt alone is 72 and I alt–Oslo 12, with a third cell of at least 30),
    so the minimal pattern is {Menn–Oslo, Menn–Agder, Kvinner–Oslo, Kvinner–Agder}."""
    counts = {
        ("Menn", "Oslo"): 2,
        ("Menn", "Viken"): 30,
        ("Menn", "Agder"): 40,
        ("Kvinner", "Oslo"): 10,
        ("Kvinner", "Viken"): 500,
        ("Kvinner", "Agder"): 45,
    }
    table = count_table("7", counts)
    (out,) = protect_release([table], THRESHOLD)
    assert hidden_cells(out) == {
        ("Menn", "Oslo"),
        ("Menn", "Agder"),
        ("Kvinner", "Oslo"),
        ("Kvinner", "Agder"),
    }
    assert certify_tables([out], THRESHOLD) == []


def three_way_table(values: list[int]) -> AppendixTable:
    """A sex × county × age table (2 × 3 × 2 inner cells) with every total."""
    sexes, counties, ages = ["Kvinner", "Menn"], ["Agder", "Oslo", "Viken"], ["18–29", "30–66"]
    inner = {
        (s, c, a): values[i]
        for i, (s, c, a) in enumerate((s, c, a) for s in sexes for c in counties for a in ages)
    }
    rows = []
    for s in [TOTAL, *sexes]:
        for c in [TOTAL, *counties]:
            for a in [TOTAL, *ages]:
                value = sum(
                    v
                    for (ks, kc, ka), v in inner.items()
                    if s in (TOTAL, ks) and c in (TOTAL, kc) and a in (TOTAL, ka)
                )
                rows.append({"sex": s, "county": c, "age": a, "measure": "count", "value": float(value)})
    return AppendixTable("13", "13", 2022, "year", pd.DataFrame(rows), ["sex", "county", "age"])


def table_equations(table: AppendixTable) -> list[dict]:
    """Every line of a table with all dimensions totalled, written out independently."""
    data = table.data.reset_index(drop=True)
    dims = list(table.dims)
    key = {tuple(r[d] for d in dims): i for i, r in data.iterrows()}
    equations = []
    for cell in key:
        for j in range(len(dims)):
            if cell[j] != TOTAL:
                continue
            parts = [
                k for k in key if k[j] != TOTAL and all(k[i] == cell[i] for i in range(len(dims)) if i != j)
            ]
            equations.append({cell: 1.0, **{p: -1.0 for p in parts}})
    return equations


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 9), min_size=12, max_size=12))
def test_no_hidden_cell_of_a_three_way_table_is_determined(values):
    """Random small counts in three dimensions: every hidden cell stays undetermined by the
    table's lines (rank test) and the audit finds nothing."""
    table = three_way_table(values)
    (out,) = protect_release([table], THRESHOLD)
    data = out.data
    hidden = {tuple(r[d] for d in table.dims) for _, r in data.iterrows() if r["status"] == ":"}
    assert determined(table_equations(table), hidden) == set()
    shown = data[data["status"] == ""]
    assert not ((shown["value"] > 0) & (shown["value"] < THRESHOLD)).any()
    assert certify_tables([out], THRESHOLD) == []


def test_pattern_is_the_same_on_every_run_and_for_any_row_order():
    table = three_way_table([1, 7, 12, 3, 0, 25, 9, 2, 14, 6, 30, 4])
    first = protect_release([table], THRESHOLD)[0].data
    second = protect_release([table], THRESHOLD)[0].data
    shuffled_table = AppendixTable(
        table.key,
        table.title,
        table.year,
        table.period,
        table.data.sample(frac=1, random_state=3),
        table.dims,
    )
    shuffled = protect_release([shuffled_table], THRESHOLD)[0].data

    def pattern(data: pd.DataFrame) -> dict:
        return {(r.sex, r.county, r.age): r.status for r in data.itertuples(index=False)}

    assert pattern(first) == pattern(second) == pattern(shuffled)
    assert ":" in set(pattern(first).values())
