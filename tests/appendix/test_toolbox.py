"""Tests of the appendix toolbox: counting cells with margins, shares, means and areas."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from imdi_analysis.appendix.toolbox import (
    count_cells,
    is_in,
    mark_invalid_areas,
    mean_cells,
    rate_cells,
    share_of_total,
)
from imdi_analysis.tables import MEASURE_COUNT, MEASURE_PERCENT, STATUS_NOT_APPLICABLE, TOTAL
from tests.appendix.test_registry import cell


def test_count_cells_adds_a_total_for_every_dimension_but_year():
    frame = pd.DataFrame({"year": [2021, 2022, 2022], "sex": ["K", "K", "M"], "area": ["a", "b", "b"]})
    cells = count_cells(frame, ["year", "sex", "area"], {"year": [2021, 2022]})
    # 2 years x (2 sexes + total) x (2 areas + total) = 18 cells, none summing over years
    assert len(cells) == 18
    assert TOTAL not in set(cells["year"])
    # 2022: K/b = 1, M/b = 1, I alt/b = 2, I alt/I alt = 2; 2021: K/a = 1, M/I alt = 0
    as_dict = {tuple(r[:3]): r[3] for r in cells.itertuples(index=False)}
    assert as_dict[(2022, "K", "b")] == 1
    assert as_dict[(2022, TOTAL, "b")] == 2
    assert as_dict[(2022, TOTAL, TOTAL)] == 2
    assert as_dict[(2021, "K", "a")] == 1
    assert as_dict[(2021, "M", TOTAL)] == 0


def test_count_cells_keeps_listed_categories_as_zero_and_missing_values_as_unknown():
    frame = pd.DataFrame({"sex": ["K", None]})
    cells = count_cells(frame, ["sex"], {"sex": ["M", "K"]})
    # listed order first, then the unknown category found in the data, total last
    assert cells["sex"].tolist() == ["M", "K", "Uoppgitt", TOTAL]
    assert cells["value"].tolist() == [0, 1, 1, 2]


def test_share_of_total_divides_by_the_total_of_one_dimension():
    frame = pd.DataFrame({"sex": ["K", "K", "M", "K"], "area": ["a", "a", "a", "b"]})
    dims = ["sex", "area"]
    data = share_of_total(count_cells(frame, dims), dims, over="sex")
    # area a: K 2 of 3 = 66.67 %; area b: K 1 of 1 = 100 %; all: M 1 of 4 = 25 %
    assert cell(data, MEASURE_PERCENT, sex="K", area="a") == pytest.approx(200 / 3)
    assert cell(data, MEASURE_PERCENT, sex="K", area="b") == 100
    assert cell(data, MEASURE_PERCENT, sex="M", area=TOTAL) == 25
    assert data.loc[data["measure"] == MEASURE_PERCENT, "base"].notna().all()
    assert data.loc[data["measure"] == MEASURE_COUNT, "base"].isna().all()


def test_rate_cells_gives_numerator_and_a_share_of_the_cell_population():
    frame = pd.DataFrame({"sex": ["K", "K", "M"], "done": [True, False, False]})
    data = rate_cells(frame, ["sex"], "done")
    # K: 1 of 2 = 50 %; M: 0 of 1 = 0 %; all: 1 of 3
    assert cell(data, sex="K") == 1
    assert cell(data, MEASURE_PERCENT, sex="K") == 50
    assert cell(data, MEASURE_PERCENT, sex="M") == 0
    assert cell(data, MEASURE_PERCENT, sex=TOTAL) == pytest.approx(100 / 3)
    assert data.loc[data["measure"] == MEASURE_PERCENT, "base"].tolist() == [2, 1, 3]


def test_rate_of_an_empty_cell_is_missing_not_zero():
    frame = pd.DataFrame({"sex": ["K"], "done": [True]})
    data = rate_cells(frame, ["sex"], "done", {"sex": ["M", "K"]})
    assert math.isnan(cell(data, MEASURE_PERCENT, sex="M"))


def test_mean_cells_averages_known_values_and_reports_their_number_as_base():
    frame = pd.DataFrame({"group": ["a", "a", "b", "b"], "months": [1.0, 2.0, 6.0, None]})
    data = mean_cells(frame, ["group"], "months")
    # a: (1 + 2) / 2 = 1.5 on 2; b: 6 on 1 (missing left out); all: 9 / 3 = 3 on 3
    assert data["value"].tolist() == [1.5, 6.0, 3.0]
    assert data["base"].tolist() == [2, 1, 3]


def test_mark_invalid_areas_marks_only_empty_cells_of_areas_that_did_not_exist():
    data = pd.DataFrame(
        {
            "year": [2019, 2019, 2022, 2022],
            "county": ["Viken", "Oslo", "Viken", "Hordaland"],
            "measure": MEASURE_COUNT,
            "value": [0.0, 0.0, 0.0, 3.0],
            "base": float("nan"),
        }
    )
    marked = mark_invalid_areas(data, "county", "county")
    # Viken did not exist in 2019: "."; Oslo 2019 and Viken 2022 are real zeros; Hordaland 2022
    # has a count (old code in the extract), which is never hidden
    assert marked["status"].tolist() == [STATUS_NOT_APPLICABLE, "", "", ""]
    assert marked["value"].isna().tolist() == [True, False, False, False]


def test_is_in_matches_ids_of_any_string_dtype_and_never_matches_missing():
    values = pd.Series(["a", "b", None, "c"], dtype="str")
    assert is_in(values, pd.Series(["c", "a"], dtype=object)).tolist() == [True, False, False, True]
    assert is_in(pd.Series(["a", None], dtype=object), pd.Series(["a", None], dtype="str")).tolist() == [
        True,
        False,
    ]
