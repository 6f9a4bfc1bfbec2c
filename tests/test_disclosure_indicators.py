"""Disclosure control of indicator tables (goal pages, time series)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from imdi_analysis.disclosure import disclose_indicators

TOTAL = "I alt"


def frame(rows: list[tuple[str, str, float, float]], unit: str = "share") -> pd.DataFrame:
    """Rows of (sex, county, numerator, denominator) for one indicator."""
    out = pd.DataFrame(rows, columns=["sex", "county", "numerator", "denominator"])
    out["indicator_id"], out["year"], out["period"], out["unit"] = "x", 2022, "year", unit
    out["value"] = out["numerator"] / out["denominator"]
    out["ci_lower"] = out["ci_upper"] = out["change"] = out["value"]
    return out


def test_small_numerator_hides_the_row_and_one_more_in_its_line():
    # Counties: Oslo 4 of 50 (numerator 4 < 5: primary), Bergen 30 of 40, Agder 20 of 30.
    # Total 54 of 120 is visible, so Oslo alone would be recovered as 54 - 30 - 20 = 4:
    # the smallest other county by denominator (Agder, 30) is hidden too.
    rows = [
        (TOTAL, TOTAL, 54, 120),
        (TOTAL, "Oslo", 4, 50),
        (TOTAL, "Bergen", 30, 40),
        (TOTAL, "Agder", 20, 30),
    ]
    out = disclose_indicators(frame(rows), threshold=5)
    assert out["status"].tolist() == ["", ":", "", ":"]
    assert out.loc[1, ["numerator", "denominator", "value"]].isna().all()
    assert out.loc[0, "numerator"] == 54  # totals unchanged


def test_share_whose_complement_is_small_is_hidden():
    # 18 of 20: the 2 persons outside the numerator are identifiable.
    rows = [(TOTAL, TOTAL, 40, 60), ("Menn", TOTAL, 18, 20), ("Kvinner", TOTAL, 22, 40)]
    out = disclose_indicators(frame(rows), threshold=5)
    assert out["status"].tolist() == ["", ":", ":"]


def test_large_cells_are_left_alone():
    rows = [(TOTAL, TOTAL, 100, 200), ("Menn", TOTAL, 40, 90), ("Kvinner", TOTAL, 60, 110)]
    assert disclose_indicators(frame(rows))["status"].tolist() == ["", "", ""]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=2, max_size=8))
def test_no_small_row_is_visible_and_no_hidden_row_is_alone_in_its_line(parts):
    cells = [(TOTAL, f"F{i}", min(n, d), d) for i, (n, d) in enumerate(parts)]
    total = (TOTAL, TOTAL, sum(c[2] for c in cells), sum(c[3] for c in cells))
    out = disclose_indicators(frame([total, *cells]), threshold=5)
    visible = out[out["status"] == ""]
    for column in ("numerator", "denominator"):
        values = visible[column].to_numpy()
        assert not ((values > 0) & (values < 5)).any()
    complement = (visible["denominator"] - visible["numerator"]).to_numpy()
    assert not ((complement > 0) & (complement < 5)).any()
    parts_hidden = (out["status"].iloc[1:] == ":").sum()
    assert out["status"].iloc[0] == ":" or parts_hidden != 1
    assert np.isnan(out.loc[out["status"] == ":", "value"]).all()


# --- Frames shaped like the real IndicatorFrame (every breakdown column, mostly NA) ----------------

BREAKDOWNS = ("sex", "county", "category", "household_type", "language", "qualification_category")


def full_frame(rows: list[dict], unit: str = "share") -> pd.DataFrame:
    """An IndicatorFrame-shaped frame: every column of OUTPUT_COLUMNS, breakdowns NA unless given.

    ``rows`` give the breakdown labels used and ``numerator``/``denominator``; an indicator with a
    county breakdown only has NA (None) in sex, category, household_type, language and
    qualification_category, as ``imdi_analysis.indicators._common.conform`` writes them.
    """
    records = []
    for row in rows:
        record = {"indicator_id": "sp01_x", "sp": 1, "year": 2022, "period": "year"}
        record |= {dim: row.get(dim) for dim in BREAKDOWNS}
        numerator, denominator = float(row["numerator"]), row.get("denominator")
        denominator = np.nan if denominator is None else float(denominator)
        value = numerator / denominator if unit == "share" else numerator
        record |= {"numerator": numerator, "denominator": denominator, "value": value}
        record |= {"ci_lower": value, "ci_upper": value, "unit": unit, "change": np.nan}
        record |= {"missing_reason": None}
        records.append(record)
    out = pd.DataFrame(records)
    for column in ("indicator_id", "period", "unit", *BREAKDOWNS, "missing_reason"):
        out[column] = out[column].astype("str").where(out[column].notna(), None)
    return out


def test_county_line_with_other_breakdowns_missing_is_protected():
    """The goal-page leak of SP 1 by county (issue 13).

    County breakdown only; sex and the other breakdowns are NA on every row, as in the real frame.
    Total 20 of 50; Oslo 1 of 11 (numerator 1 < 5: primary), Viken 10 of 20, Agder 9 of 19. Oslo
    alone hidden gives 20 - 10 - 9 = 1 of 50 - 20 - 19 = 11 back, so Agder (smaller denominator,
    19 < 20) is hidden too: the reader then gets 20 - 10 = 10 persons of 50 - 20 = 30 for the two
    rows together. The old code grouped on the NA columns, dropped every row and never saw the line.
    """
    rows = [
        {"county": TOTAL, "numerator": 20, "denominator": 50},
        {"county": "Oslo", "numerator": 1, "denominator": 11},
        {"county": "Viken", "numerator": 10, "denominator": 20},
        {"county": "Agder", "numerator": 9, "denominator": 19},
    ]
    out = disclose_indicators(full_frame(rows), threshold=5)
    hidden = out["status"] == ":"
    assert hidden.tolist() == [False, True, False, True]  # Oslo (primary) and Agder (smallest of 20, 20)
    for column in ("numerator", "denominator", "value", "ci_lower", "ci_upper"):
        assert out.loc[hidden, column].isna().all()
    # The attack: total minus the visible counties gives the hidden rows' sum only.
    for column in ("numerator", "denominator"):
        rest = out.loc[0, column] - out.loc[~hidden & (out["county"] != TOTAL), column].sum()
        assert rest == {"numerator": 10, "denominator": 30}[column]


def test_unaccompanied_minors_alone_in_category_line_are_protected():
    """Goal 4 page: category breakdown only (county, sex ... NA). Unaccompanied minors 3 of 4
    persons (primary); adults 40 of 60; families 30 of 50; total 73 of 114. One more category
    (families, the smaller denominator 50) must be hidden, or 73 - 40 - 30 = 3 gives them away."""
    rows = [
        {"category": TOTAL, "numerator": 73, "denominator": 114},
        {"category": "Enslige mindreårige", "numerator": 3, "denominator": 4},
        {"category": "Voksne", "numerator": 40, "denominator": 60},
        {"category": "Familier", "numerator": 30, "denominator": 50},
    ]
    out = disclose_indicators(full_frame(rows), threshold=5)
    assert out["status"].tolist() == ["", ":", "", ":"]


def test_sex_line_of_a_count_indicator_with_every_breakdown_column():
    """A count indicator by sex (denominator NA): Menn 2 (primary), Kvinner 30, total 32. Kvinner must
    be hidden as well (32 - 30 = 2 otherwise); the total stays."""
    rows = [
        {"sex": TOTAL, "numerator": 32},
        {"sex": "Menn", "numerator": 2},
        {"sex": "Kvinner", "numerator": 30},
    ]
    out = disclose_indicators(full_frame(rows, unit="count"), threshold=5)
    assert out["status"].tolist() == ["", ":", ":"]
    assert out.loc[0, "numerator"] == 32


def test_change_is_removed_where_the_previous_year_is_hidden():
    """Menn 2021: 3 of 20 (primary, hidden); Menn 2022: 10 of 20 with change +0.35 visible would give
    2021's share back as 0.50 - 0.35 = 0.15 = 3/20. The 2022 row stays visible, its change goes."""
    rows = [
        {"sex": TOTAL, "numerator": 20, "denominator": 60},
        {"sex": "Menn", "numerator": 3, "denominator": 20},
        {"sex": "Kvinner", "numerator": 17, "denominator": 40},
    ]
    previous = full_frame(rows).assign(year=2021)
    current = full_frame(
        [
            {"sex": TOTAL, "numerator": 30, "denominator": 60},
            {"sex": "Menn", "numerator": 10, "denominator": 20},
            {"sex": "Kvinner", "numerator": 20, "denominator": 40},
        ]
    )
    current["change"] = current["value"].to_numpy() - previous["value"].to_numpy()
    out = disclose_indicators(pd.concat([previous, current], ignore_index=True), threshold=5)
    assert out["status"].tolist() == ["", ":", ":", "", "", ""]
    assert out["change"].iloc[3:].isna().tolist() == [False, True, True]


def test_a_zero_numerator_stays_shown_in_a_hidden_row():
    """The "I alt" numerator is 0, so every part's numerator is 0 whatever is hidden: a hidden row
    keeps its 0 (no person behind it) and hides its denominator, as the appendix shows a zero count."""
    rows = frame([("I alt", "", 0.0, 40.0), ("Menn", "", 0.0, 37.0), ("Kvinner", "", 0.0, 3.0)])
    out = disclose_indicators(rows, threshold=5)
    women = out[out["sex"] == "Kvinner"].iloc[0]
    assert women["status"] == ":"
    assert women["numerator"] == 0
    assert np.isnan(women["denominator"]) and np.isnan(women["value"])


def test_a_hidden_row_showing_numerator_0_does_not_leave_another_hidden_numerator_alone():
    """Goal 4, SP 11 waiting more than 36 months, as the links first left it: total 5 of 3 874;
    asylum seekers 5 of 1 203 hidden (forced: table 24 hides that cell); family reunification 0 of
    257 hidden (forced too), showing its numerator 0; resettlement 0 of 282 and privately settled
    0 of 1 132 visible. In the numerators' line 5 = A + 0 + 0 + 0: A is 5. The rows with numerator
    0 cannot protect it (a hidden 0 still shows), so the total is hidden."""
    rows = [
        (TOTAL, TOTAL, 5, 3874),
        (TOTAL, "Asyl", 5, 1203),
        (TOTAL, "Familie", 0, 257),
        (TOTAL, "Overført", 0, 282),
        (TOTAL, "Privat", 0, 1132),
    ]
    data = frame(rows)
    forced = np.array([False, True, True, False, False])
    out = disclose_indicators(data, threshold=5, forced=forced)
    assert out["status"].tolist() == [":", ":", ":", "", ""]
    assert out.loc[2, "numerator"] == 0  # still shown: no person behind it
    assert disclose_indicators(data, threshold=5)["status"].tolist() == ["", "", "", "", ""]


def test_a_row_whose_numerator_the_appendix_shows_protects_no_other_row():
    """Goal 4, SP 11 waiting more than 12 months: total 67 of 3 874; asylum seekers 56 of 1 203
    (hidden, but table 24 shows the 56); privately settled 11 of 1 132 (hidden); resettlement 0
    of 282; Oslo-like extra group 0 of 1 257. With the 56 known, 67 − 56 − 0 − 0 gives the 11:
    another row must be hidden, and the only one left with a numerator is the total."""
    rows = [
        (TOTAL, TOTAL, 67, 3874),
        (TOTAL, "Asyl", 56, 1203),
        (TOTAL, "Privat", 11, 1132),
        (TOTAL, "Overført", 0, 282),
        (TOTAL, "Familie", 0, 1257),
    ]
    data = frame(rows)
    forced = np.array([False, True, True, False, False])
    none = np.zeros(5, dtype=bool)
    assert disclose_indicators(data, 5, forced)["status"].tolist() == ["", ":", ":", "", ""]
    known = (np.array([False, True, False, False, False]), none)
    assert disclose_indicators(data, 5, forced, known)["status"].tolist() == [":", ":", ":", "", ""]
