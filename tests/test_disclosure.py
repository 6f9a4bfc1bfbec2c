"""Disclosure control: statuses, primary, linked and secondary suppression, derivability."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imdi_analysis.disclosure import (
    DEFAULT_THRESHOLD,
    apply_disclosure,
    disclosure_threshold,
    find_lines,
    is_derivable,
    unit_rows,
)
from imdi_analysis.errors import ConfigError, DisclosureError
from imdi_analysis.tables import TOTAL, AppendixTable

PROPERTY_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def grid_table(rows: dict[str, list[int]], columns: list[str], key: str = "T") -> AppendixTable:
    """A sex × age count table with row, column and grand totals (totals last)."""
    records = []
    for sex, values in rows.items():
        records += [(sex, age, v) for age, v in zip(columns, values, strict=True)]
        records.append((sex, TOTAL, sum(values)))
    for j, age in enumerate(columns):
        records.append((TOTAL, age, sum(v[j] for v in rows.values())))
    records.append((TOTAL, TOTAL, sum(sum(v) for v in rows.values())))
    data = pd.DataFrame(records, columns=["sex", "age", "value"]).assign(measure="count", base=np.nan)
    return AppendixTable(key, "Test", 2022, "year", data, ["sex", "age"], {"sex": "Kjønn", "age": "Alder"})


def cell(table: AppendixTable, **dims) -> pd.Series:
    data = table.data
    mask = np.logical_and.reduce([data[d] == v for d, v in dims.items()])
    if "measure" not in dims:
        mask &= data["measure"] == "count"
    return data[mask].iloc[0]


def statuses(table: AppendixTable, dim: str) -> dict[tuple, str]:
    data = table.data
    return {(c, m): s for c, m, s in data[[dim, "measure", "status"]].itertuples(index=False, name=None)}


def suppressed(table: AppendixTable) -> set[tuple]:
    data = table.data
    return {tuple(r) for r in data.loc[data["status"] == ":", table.dims].itertuples(index=False, name=None)}


# ------------------------------------------------------------------ hand-computed examples


def test_small_cell_in_2x3_table_forces_the_cheapest_secondary_rectangle():
    # Menn B = 2 is primary and needs a rectangle of hidden cells. By hand: with column A it
    # hides 10 + 9 + 7 = 26 more persons, with column C 8 + 9 + 12 = 29, and a rectangle
    # through a total more (Menn I alt alone is 20). So: four cells, every total visible. (The
    # line greedy this replaced took C, the smaller partner of row Menn: 29 persons.)
    table = grid_table({"Menn": [10, 2, 8], "Kvinner": [7, 9, 12]}, ["A", "B", "C"])
    out = apply_disclosure(table)
    assert suppressed(out) == {("Menn", "A"), ("Menn", "B"), ("Kvinner", "A"), ("Kvinner", "B")}
    assert cell(out, sex="Menn", age=TOTAL)["value"] == 20
    assert cell(out, sex=TOTAL, age="B")["value"] == 11
    assert cell(out, sex=TOTAL, age=TOTAL)["value"] == 48
    assert np.isnan(cell(out, sex="Menn", age="B")["value"])
    assert is_derivable(out) == []


def test_share_whose_base_is_small_is_suppressed_and_share_of_nobody_is_not_applicable():
    data = pd.DataFrame(
        {
            "county": ["Oslo", "Agder", "Viken", "Oslo", "Agder", "Viken", "Oslo", "Agder"],
            "measure": [
                "count",
                "count",
                "count",
                "percent",
                "percent",
                "percent",
                "mean_months",
                "mean_months",
            ],
            "value": [0.0, 30.0, 0.0, 0.0, 60.0, np.nan, 4.5, 3.0],
            "base": [np.nan, np.nan, np.nan, 3.0, 50.0, 0.0, 2.0, 40.0],
        }
    )
    out = apply_disclosure(AppendixTable("S", "Test", 2022, "year", data, ["county"]))
    status = statuses(out, "county")
    assert status[("Oslo", "count")] == "-"
    assert status[("Oslo", "percent")] == ":"  # 0 of 3: base below 5
    assert status[("Agder", "percent")] == ""
    assert status[("Viken", "percent")] == "."  # a share of nobody cannot occur
    assert status[("Oslo", "mean_months")] == ":"
    assert status[("Agder", "mean_months")] == ""
    assert out.data.loc[out.data["status"] == ":", "value"].isna().all()


def test_percent_is_suppressed_with_its_count():
    data = pd.DataFrame(
        {
            "sex": ["Menn", "Kvinner", TOTAL] * 2,
            "measure": ["count"] * 3 + ["percent"] * 3,
            "value": [3.0, 40.0, 43.0, 30.0, 40.0, 39.1],
            "base": [np.nan] * 3 + [10.0, 100.0, 110.0],
        }
    )
    out = apply_disclosure(AppendixTable("L", "Test", 2022, "year", data, ["sex"]))
    status = statuses(out, "sex")
    # Menn 3 is primary; Kvinner is the secondary partner; both percentages follow their counts
    # although their bases (10 and 100) are large enough.
    assert status == {
        ("Menn", "count"): ":",
        ("Kvinner", "count"): ":",
        (TOTAL, "count"): "",
        ("Menn", "percent"): ":",
        ("Kvinner", "percent"): ":",
        (TOTAL, "percent"): "",
    }


def percent_of_row_table(total_status: str = ":") -> AppendixTable:
    """Sex × age counts with each cell's percent of its sex total; the Menn total set hidden."""
    counts = {
        ("Menn", "0-17"): 20.0,
        ("Menn", "18+"): 30.0,
        ("Kvinner", "0-17"): 25.0,
        ("Kvinner", "18+"): 35.0,
    }
    records = []
    for sex in ("Menn", "Kvinner"):
        row_total = counts[(sex, "0-17")] + counts[(sex, "18+")]
        for age in ("0-17", "18+", TOTAL):
            value = row_total if age == TOTAL else counts[(sex, age)]
            status = total_status if (sex, age) == ("Menn", TOTAL) else ""
            records.append((sex, age, "count", value, np.nan, status))
            records.append((sex, age, "percent", 100 * value / row_total, row_total, ""))
    for age in ("0-17", "18+", TOTAL):
        value = sum(v for (_, a), v in counts.items() if age in (a, TOTAL))
        records.append((TOTAL, age, "count", value, np.nan, ""))
        records.append((TOTAL, age, "percent", 100 * value / sum(counts.values()), sum(counts.values()), ""))
    data = pd.DataFrame(records, columns=["sex", "age", "measure", "value", "base", "status"])
    return AppendixTable("P", "Test", 2022, "year", data, ["sex", "age"])


def test_share_of_a_suppressed_total_is_suppressed_because_count_over_share_gives_the_total():
    out = apply_disclosure(percent_of_row_table())
    data = out.data
    hidden_totals = data[(data["measure"] == "count") & (data["age"] == TOTAL) & (data["status"] == ":")]
    assert set(hidden_totals["sex"]) >= {"Menn"}
    for sex in hidden_totals["sex"]:
        shares = data[(data["measure"] == "percent") & (data["sex"] == sex) & (data["age"] != TOTAL)]
        counts = data[(data["measure"] == "count") & (data["sex"] == sex) & (data["age"] != TOTAL)]
        visible_pairs = [
            a
            for a in shares["age"]
            if shares.loc[shares["age"] == a, "status"].iloc[0] == ""
            and counts.loc[counts["age"] == a, "status"].iloc[0] == ""
        ]
        assert visible_pairs == [], f"{sex}: count and percent both visible for {visible_pairs}"
    assert is_derivable(out) == []


def test_is_derivable_reports_a_share_that_reveals_a_suppressed_total():
    table = percent_of_row_table()
    published = table.data.copy()
    published.loc[
        (published["sex"] == "Menn") & (published["age"] == TOTAL) & (published["measure"] == "count"),
        "value",
    ] = np.nan
    partner = (
        (published["sex"] == "Kvinner") & (published["age"] == TOTAL) & (published["measure"] == "count")
    )
    published.loc[partner, ["value", "status"]] = [np.nan, ":"]
    messages = is_derivable(dataclasses.replace(table, data=published))
    assert any("denominator" in m and "Menn" in m for m in messages)


def test_zero_count_is_shown_as_dash_with_value_zero():
    table = grid_table({"Menn": [10, 0, 8], "Kvinner": [7, 9, 12]}, ["A", "B", "C"])
    out = apply_disclosure(table)
    zero = cell(out, sex="Menn", age="B")
    assert zero["status"] == "-"
    assert zero["value"] == 0
    assert suppressed(out) == set()


def test_builder_statuses_are_kept_and_missing_values_become_two_dots():
    data = pd.DataFrame(
        {
            "area": ["Viken", "Oslo", "Agder", TOTAL],
            "measure": ["count"] * 4,
            "value": [np.nan, 40.0, np.nan, 60.0],
            "base": [np.nan] * 4,
            "status": [".", "", None, ""],
        }
    )
    out = apply_disclosure(AppendixTable("B", "Test", 2022, "year", data, ["area"]))
    assert out.data["status"].tolist() == [".", "", "..", ""]


def test_suppressed_cells_summing_to_their_number_get_a_third_partner():
    # A = 1 and B = 1 are primary; with C = 10 visible the total 12 says A + B = 2, so each is 1.
    data = pd.DataFrame(
        {"group": ["A", "B", "C", TOTAL], "measure": "count", "value": [1.0, 1.0, 10.0, 12.0], "base": np.nan}
    )
    out = apply_disclosure(AppendixTable("O", "Test", 2022, "year", data, ["group"]))
    assert out.data["status"].tolist() == [":", ":", ":", ""]
    assert out.data["value"].iloc[3] == 12


def test_cell_determined_by_combining_rows_and_columns_is_reported_and_fixed():
    # Two 2x2 blocks of suppressed cells joined by one more suppressed cell: every row and column
    # has two or more suppressed cells, yet the joining cell follows from the line equations.
    table = grid_table({f"r{i}": [20, 20, 20, 20] for i in range(4)}, ["c0", "c1", "c2", "c3"])
    data = table.data.assign(status="")
    pattern = [("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1"), ("r2", "c2"), ("r2", "c3"),
               ("r3", "c2"), ("r3", "c3"), ("r0", "c2")]  # fmt: skip
    for sex, age in pattern:
        mask = (data["sex"] == sex) & (data["age"] == age)
        data.loc[mask, ["status", "value"]] = [":", np.nan]
    marked = AppendixTable("G", "Test", 2022, "year", data, table.dims)
    problems = is_derivable(marked)
    assert len(problems) == 1 and "sex=r0, age=c2" in problems[0]
    assert is_derivable(apply_disclosure(marked)) == []


def test_dimension_without_total_imposes_no_line():
    data = pd.DataFrame(
        {
            "year": [2021, 2021, 2021, 2022, 2022, 2022],
            "sex": ["Menn", "Kvinner", TOTAL] * 2,
            "measure": "count",
            "value": [2.0, 10.0, 12.0, 20.0, 30.0, 50.0],
            "base": np.nan,
        }
    )
    out = apply_disclosure(AppendixTable("Y", "Test", 2022, "year", data, ["year", "sex"]))
    assert out.data["status"].tolist() == [":", ":", "", "", "", ""]


def test_threshold_is_a_parameter_and_recorded():
    table = grid_table({"Menn": [10, 3, 8], "Kvinner": [7, 9, 12]}, ["A", "B", "C"])
    out = apply_disclosure(table, threshold=3)
    assert suppressed(out) == set()
    assert disclosure_threshold(out) == 3
    assert disclosure_threshold(apply_disclosure(table)) == DEFAULT_THRESHOLD == 5


@pytest.mark.parametrize("threshold", [0, -1, 2.5, True, "5"])
def test_invalid_threshold_is_rejected(threshold):
    table = grid_table({"Menn": [10, 3, 8]}, ["A", "B", "C"])
    with pytest.raises(ConfigError, match="threshold"):
        apply_disclosure(table, threshold=threshold)


def test_input_table_is_not_modified():
    table = grid_table({"Menn": [10, 2, 8], "Kvinner": [7, 9, 12]}, ["A", "B", "C"])
    before = table.data.copy()
    apply_disclosure(table)
    pd.testing.assert_frame_equal(table.data, before)


def test_unsupported_empty_table_gets_an_empty_status_column():
    data = pd.DataFrame({"sex": [], "measure": [], "value": [], "base": []})
    out = apply_disclosure(AppendixTable("E", "Test", 2022, "year", data, ["sex"], supported=False))
    assert "status" in out.data.columns and out.data.empty


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: pd.concat([d, d.iloc[[0]]]), "more than once"),
        (lambda d: d.assign(measure=["count", "ratio", "count", "count"]), "unknown measure"),
        (lambda d: d.assign(value=[-1.0, 5.0, 6.0, 10.0]), "negative counts"),
        (lambda d: d.assign(measure=["percent", "count", "count", "count"]), "without 'base'"),
        (lambda d: d.assign(status=["x", "", "", ""]), "unknown symbol"),
    ],
)
def test_cells_that_cannot_be_judged_raise_disclosure_error(change, message):
    data = pd.DataFrame(
        {"g": ["A", "B", "C", TOTAL], "measure": "count", "value": [4.0, 5.0, 6.0, 15.0], "base": np.nan}
    )
    with pytest.raises(DisclosureError, match=message):
        apply_disclosure(AppendixTable("X", "Test", 2022, "year", change(data), ["g"]))


def test_is_derivable_requires_a_disclosed_table():
    with pytest.raises(DisclosureError, match="apply_disclosure"):
        is_derivable(grid_table({"Menn": [10, 3, 8]}, ["A", "B", "C"]))


def test_is_derivable_explains_a_single_suppressed_cell_in_a_line():
    data = pd.DataFrame(
        {
            "sex": ["Menn", "Kvinner", TOTAL],
            "measure": "count",
            "value": [np.nan, 9.0, 11.0],
            "status": [":", "", ""],
        }
    )
    problems = is_derivable(AppendixTable("D", "Test", 2022, "year", data, ["sex"]))
    assert problems == [
        "Table D: suppressed cell (sex=Menn; row 1) can be derived from the line along 'sex': "
        "total (sex=I alt; row 3) minus the visible cells."
    ]


def test_large_sparse_table_is_fast():
    rng = np.random.default_rng(7)
    rows = {f"k{i:03d}": list(rng.integers(0, 9, size=3)) for i in range(300)}
    out = apply_disclosure(grid_table(rows, ["A", "B", "C"]))
    assert is_derivable(out) == []


# ------------------------------------------------------------------------- property tests


@st.composite
def additive_tables(draw) -> tuple[AppendixTable, dict[tuple, float]]:
    """Random count tables whose totals are the sums of their parts; some dims have no total."""
    n_dims = draw(st.integers(1, 3))
    dims = [f"d{i}" for i in range(n_dims)]
    categories = [[f"c{j}" for j in range(draw(st.integers(1, 4)))] for _ in dims]
    has_total = [draw(st.sampled_from([True, True, True, False])) for _ in dims]
    inner = list(itertools.product(*categories))
    small = st.integers(0, 6)
    values = draw(
        st.lists(st.one_of(small, small, st.integers(0, 40)), min_size=len(inner), max_size=len(inner))
    )
    truth = dict(zip(inner, values, strict=True))
    axes = [cats + ([TOTAL] if total else []) for cats, total in zip(categories, has_total, strict=True)]
    records = []
    for key in itertools.product(*axes):
        value = sum(v for k, v in truth.items() if all(a in (TOTAL, b) for a, b in zip(key, k, strict=True)))
        records.append((*key, float(value)))
    data = pd.DataFrame(records, columns=[*dims, "value"]).assign(measure="count", base=np.nan)
    table = AppendixTable("P", "Test", 2022, "year", data, dims)
    return table, {tuple(r[:-1]): r[-1] for r in records}


def single_line_recoveries(table: AppendixTable) -> list[str]:
    """Independent check: a line with one suppressed cell, or suppressed cells that must all be 1."""
    data, out = table.data, []
    for dim in table.dims:
        if not (data[dim] == TOTAL).any():
            continue
        others = [d for d in table.dims if d != dim]
        groups = data.groupby(others, sort=False) if others else [((), data)]
        for _, line in groups:
            total = line[line[dim] == TOTAL]
            if total.empty:
                continue
            hidden = line["status"] == ":"
            if hidden.sum() == 1:
                out.append(f"single suppressed cell along {dim}")
            parts = line[line[dim] != TOTAL]
            if hidden.sum() >= 2 and total["status"].iloc[0] != ":":
                remainder = total["value"].iloc[0] - parts.loc[parts["status"] != ":", "value"].sum()
                if remainder == hidden.sum():
                    out.append(f"suppressed cells along {dim} must all be 1")
    return out


def determined_by_svd(table: AppendixTable) -> list[int]:
    """Independent check of the linear system with numpy's SVD (projection onto the row space)."""
    data = table.data.reset_index(drop=True)
    unknown = list(np.flatnonzero((data["status"] == ":").to_numpy()))
    if not unknown:
        return []
    rows = []
    for line in find_lines(data, table.dims):
        row = np.zeros(len(unknown))
        for member in line.members:
            if member in unknown:
                row[unknown.index(member)] = 1.0 if member == line.total else -1.0
        if row.any():
            rows.append(row)
    if not rows:
        return []
    _, singular, vh = np.linalg.svd(np.array(rows), full_matrices=False)
    rank = int((singular > 1e-9).sum())
    projection = (vh[:rank] ** 2).sum(axis=0)
    return [unknown[j] for j in np.flatnonzero(projection > 1 - 1e-7)]


@PROPERTY_SETTINGS
@given(additive_tables(), st.integers(1, 6))
def test_no_visible_count_below_threshold(case, threshold):
    table, _ = case
    out = apply_disclosure(table, threshold)
    visible = out.data[out.data["status"] == ""]
    assert not ((visible["value"] > 0) & (visible["value"] < threshold)).any()


@PROPERTY_SETTINGS
@given(additive_tables(), st.integers(1, 6))
def test_no_suppressed_cell_is_derivable_from_a_row_or_column_total(case, threshold):
    table, _ = case
    out = apply_disclosure(table, threshold)
    assert single_line_recoveries(out) == []
    assert determined_by_svd(out) == []
    assert is_derivable(out) == []


@PROPERTY_SETTINGS
@given(additive_tables(), st.integers(1, 6))
def test_visible_values_and_totals_are_unchanged(case, threshold):
    table, truth = case
    out = apply_disclosure(table, threshold)
    for record in out.data.itertuples(index=False):
        key = tuple(getattr(record, d) for d in table.dims)
        if record.status in ("", "-"):
            assert record.value == truth[key]
        else:
            assert np.isnan(record.value)
        assert (record.status == "-") == (truth[key] == 0)


@PROPERTY_SETTINGS
@given(additive_tables(), st.integers(1, 6))
def test_disclosure_is_idempotent(case, threshold):
    table, _ = case
    once = apply_disclosure(table, threshold)
    twice = apply_disclosure(once, threshold)
    assert once.data["status"].tolist() == twice.data["status"].tolist()


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda m: st.integers(1, 8).flatmap(
            lambda n: st.lists(
                st.lists(st.sampled_from([-1.0, 0.0, 0.0, 1.0]), min_size=n, max_size=n),
                min_size=m,
                max_size=m,
            )
        )
    )
)
def test_elimination_agrees_with_svd_on_which_unit_vectors_are_in_the_row_space(rows):
    matrix = np.array(rows)
    _, singular, vh = np.linalg.svd(matrix, full_matrices=False)
    rank = int((singular > 1e-9).sum())
    expected = (vh[:rank] ** 2).sum(axis=0) > 1 - 1e-7
    assert unit_rows(matrix).tolist() == expected.tolist()
