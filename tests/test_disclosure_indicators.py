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
