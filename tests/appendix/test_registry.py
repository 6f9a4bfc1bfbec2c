"""Tests of the appendix registry: build context, builder registration.

Also home of the small helpers the appendix-A tests share (:func:`read_fixture`,
:func:`context_for`, :func:`cell`): tiny hand-made extracts in ``tests/fixtures/appendix/a``.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pandas as pd
import pytest

from imdi_analysis.appendix.registry import (
    BUILDERS,
    BuildContext,
    builder,
)
from imdi_analysis.errors import ConfigError, DataNotFoundError
from imdi_analysis.letter.appendix_spec import load_appendix_spec
from imdi_analysis.measures.durations import within_months
from imdi_analysis.tables import MEASURE_COUNT

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


def test_prepared_caches_the_prepared_frame_and_not_the_extract():
    calls = []

    def keep_first_column(frame: pd.DataFrame, year: int) -> pd.DataFrame:
        calls.append(year)
        return frame.iloc[:, :1]

    frames = {("complaints", 2022): read_fixture("complaints_2022")}
    ctx = BuildContext(year=2022, period="year", data_dir=FIXTURES, frames=frames)
    first = ctx.prepared("complaints", keep_first_column)
    again = ctx.with_spec({"table_key": "13"}).prepared("complaints", keep_first_column, 2022)
    assert first is again and calls == [2022]
    assert list(first.columns) == [frames[("complaints", 2022)].columns[0]]
    assert ("complaints", 2022) not in ctx.cache  # only the compact frame is kept
