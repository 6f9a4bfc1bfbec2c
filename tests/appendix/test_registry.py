"""Tests of the appendix registry: build context, table helpers, builder registration.

Also home of the small helpers the appendix-A tests share (:func:`read_fixture`,
:func:`context_for`, :func:`cell`): tiny hand-made extracts in ``tests/fixtures/appendix/a``.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imdi_analysis.appendix.registry import (
    BUILDERS,
    BuildContext,
    FrameCache,
    builder,
    count_cells,
    is_in,
    mark_invalid_areas,
    mean_cells,
    rate_cells,
    share_of_total,
    within_months,
)
from imdi_analysis.errors import ConfigError, DataNotFoundError
from imdi_analysis.letter.appendix_spec import load_appendix_spec
from imdi_analysis.tables import MEASURE_COUNT, MEASURE_PERCENT, STATUS_NOT_APPLICABLE, TOTAL

FIXTURES = Path(__file__).parents[1] / "fixtures" / "appendix" / "a"
NUMERIC = {"birth_year", "norwegian_hours", "social_studies_hours", "breaches", "participants", "age"}
DATE_SUFFIXES = ("_date", "_start", "_end")


def read_fixture(name: str) -> pd.DataFrame:
    """A fixture CSV typed like a validated extract: dates, booleans and numbers parsed."""
    frame = pd.read_csv(FIXTURES / f"{name}.csv", dtype=str, keep_default_na=False)
    frame = frame.astype(object).where(frame != "", None)
    for column in frame.columns:
        if column.endswith(DATE_SUFFIXES):
            frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
        elif column in NUMERIC:
            frame[column] = pd.to_numeric(frame[column])
        elif frame[column].isin(["true", "false"]).all():
            frame[column] = frame[column].map({"true": True, "false": False}).astype("boolean")
        else:
            frame[column] = frame[column].astype("object")
    return frame


@functools.cache
def fixture_frames() -> dict[tuple[str, int], pd.DataFrame]:
    """Every fixture file as ``(source, year) -> frame`` (files are named ``<source>_<year>.csv``)."""
    frames = {}
    for path in sorted(FIXTURES.glob("*.csv")):
        source, _, file_year = path.stem.rpartition("_")
        frames[(source, int(file_year))] = read_fixture(path.stem)
    return frames


@functools.cache
def spec_rows() -> pd.DataFrame:
    """The 2022 letter's appendix specification, by table key."""
    return load_appendix_spec(2022).set_index("table_key", drop=False)


def context_for(key: str, year: int = 2022, period: str = "year", **overrides) -> BuildContext:
    """A build context for table ``key`` whose sources are every fixture file in the folder."""
    frames = {k: v.copy() for k, v in fixture_frames().items()}
    spec = spec_rows().loc[key].to_dict()
    available = sorted({y for (_, y) in frames})
    values = {"available_years": available, "spec": spec, "frames": frames} | overrides
    return BuildContext(year=year, period=period, data_dir=FIXTURES, **values)


def cell(data: pd.DataFrame, measure: str = MEASURE_COUNT, **where) -> float:
    """The value of the one row with ``measure`` and the given dimension values."""
    mask = data["measure"] == measure
    for dim, value in where.items():
        mask &= data[dim] == value
    rows = data.loc[mask, "value"]
    assert len(rows) == 1, f"expected one cell for {measure} {where}, found {len(rows)}"
    return float(rows.iloc[0])


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


def test_within_months_counts_the_last_day_and_not_the_day_after():
    start = pd.Series(pd.to_datetime(["2022-01-31", "2022-03-10", "2022-03-10", "2022-03-10"]))
    end = pd.Series(pd.to_datetime(["2022-04-30", "2022-06-10", "2022-06-11", None]))
    assert within_months(start, end, 3).tolist() == [True, True, False, False]


def test_windows_run_from_first_of_january_to_the_reference_date():
    ctx = BuildContext(year=2022, period="H1", data_dir=FIXTURES)
    assert ctx.window() == (pd.Timestamp(2022, 1, 1), pd.Timestamp(2022, 6, 30))
    assert ctx.window(2020)[1] == pd.Timestamp(2020, 6, 30)
    assert ctx.reference_date == dt.date(2022, 6, 30)
    year = BuildContext(year=2022, period="year", data_dir=FIXTURES)
    assert year.cohort_window() == (pd.Timestamp(2021, 10, 1), pd.Timestamp(2022, 9, 30))
    assert ctx.cohort_window() == (pd.Timestamp(2021, 4, 1), pd.Timestamp(2022, 3, 31))


def test_time_series_covers_available_years_up_to_the_reporting_year():
    ctx = BuildContext(
        year=2021,
        period="year",
        data_dir=FIXTURES,
        spec={"time_series": True},
        available_years=[2019, 2021, 2022],
    )
    assert ctx.years == [2019, 2021]
    assert ctx.time_dims == ["year"]
    single = BuildContext(year=2021, period="year", data_dir=FIXTURES, spec={"time_series": False})
    assert single.years == [2021]
    assert single.time_dims == []


def test_context_load_caches_one_frame_per_source_and_year():
    calls = []

    class Counting(dict):
        def __contains__(self, key):
            calls.append(key)
            return super().__contains__(key)

    frames = Counting({("complaints", 2022): read_fixture("complaints_2022")})
    ctx = BuildContext(year=2022, period="year", data_dir=FIXTURES, frames=frames)
    first = ctx.load("complaints")
    again = ctx.with_spec({"table_key": "13"}).load("complaints", 2022)
    assert first is again
    assert calls == [("complaints", 2022)]


def test_context_load_years_stacks_years_with_a_year_column():
    ctx = context_for("13")
    both = ctx.load_years("complaints", [2021, 2022])
    assert both.groupby("year").size().to_dict() == {2021: 2, 2022: 4}


def test_context_load_of_a_missing_source_names_it():
    ctx = BuildContext(year=2022, period="year", data_dir=FIXTURES, frames={})
    with pytest.raises(DataNotFoundError, match="interpreters"):
        ctx.load("interpreters")


def test_a_table_key_cannot_have_two_builders():
    key = "test-duplicate-key"

    @builder(key)
    def first(ctx):  # pragma: no cover - never built
        raise AssertionError

    try:
        with pytest.raises(ConfigError, match=key):

            @builder(key)
            def second(ctx):  # pragma: no cover - never built
                raise AssertionError
    finally:
        BUILDERS.pop(key, None)


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


def test_frame_cache_drops_the_least_recently_used_frames_beyond_its_budget():
    frame = pd.DataFrame({"x": np.zeros(1000)})  # 8 000 bytes of data (plus the index)
    size = int(frame.memory_usage(index=True, deep=True).sum())
    cache = FrameCache(budget=2 * size)
    cache["a"], cache["b"] = frame, frame
    _ = cache["a"]  # a is now more recent than b
    cache["c"] = frame  # three frames exceed the budget: b, the least recently used, goes
    assert sorted(cache) == ["a", "c"]
    assert cache.nbytes == 2 * size
    cache.budget = size
    assert cache.next_table() == ["a"]
    assert cache.get("a") is None
    assert cache.get("c") is frame


def test_a_frame_larger_than_the_budget_is_still_kept_while_in_use():
    cache = FrameCache(budget=0)
    cache["big"] = pd.DataFrame({"x": [1, 2, 3]})
    assert "big" in cache


def test_is_in_matches_ids_of_any_string_dtype_and_never_matches_missing():
    values = pd.Series(["a", "b", None, "c"], dtype="str")
    assert is_in(values, pd.Series(["c", "a"], dtype=object)).tolist() == [True, False, False, True]
    assert is_in(pd.Series(["a", None], dtype=object), pd.Series(["a", None], dtype="str")).tolist() == [
        True,
        False,
    ]
