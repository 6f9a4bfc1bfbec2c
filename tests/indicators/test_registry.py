"""The registry, compute_indicators and time_series on tests/fixtures/indicators/registers."""

from __future__ import annotations

import inspect
import math

import pandas as pd
import pytest

from imdi_analysis.errors import ConfigError, DataNotFoundError
from imdi_analysis.indicators._common import UNITS
from imdi_analysis.indicators.registry import (
    INDICATORS,
    compute_indicators,
    get_indicator,
    indicators_for_goal,
    time_series,
)
from imdi_analysis.letter.goals import load_steering_parameters
from tests.indicators.conftest import row


@pytest.fixture(scope="module")
def computed():
    from tests.indicators.conftest import REGISTERS

    return compute_indicators(2022, "year", REGISTERS)


def test_every_indicator_is_described_and_its_function_documents_population_and_denominator():
    for indicator in INDICATORS.values():
        assert indicator.unit in UNITS
        assert indicator.title_nb and indicator.definition_nb and indicator.interval_nb
        doc = inspect.getdoc(getattr(indicator.function, "func", indicator.function))
        for word in ("POPULATION", "NUMERATOR", "DENOMINATOR", "REFERENCE DATE"):
            assert word in doc, f"{indicator.id}: docstring lacks {word}"


def test_indicator_ids_name_the_sp_of_the_letter_they_measure():
    sps = load_steering_parameters(2022).set_index("sp")
    for indicator in INDICATORS.values():
        assert indicator.id.startswith(f"sp{indicator.sp:02d}")
        assert sps.loc[indicator.sp, "goal"] == indicator.goal
    # the letter: SP 14 is the use of qualified interpreters, SP 15 the number in the register
    assert get_indicator("sp15_interpreters_register").sp == 15
    assert get_indicator("sp14_register_searches").sp == 14


def test_compute_indicators_returns_every_indicator_validated(computed):
    assert set(computed["indicator_id"]) == set(INDICATORS)
    assert (computed["year"] == 2022).all() and (computed["period"] == "year").all()


def test_change_is_filled_where_the_previous_year_has_data(computed):
    jobbsjansen = computed[computed["indicator_id"] == "sp01_jobbsjansen_work_or_education"]
    assert row(jobbsjansen)["change"] == pytest.approx(0.6 - 0.5)  # 2021: J6 arbeid, J7 annet
    searches = computed[computed["indicator_id"] == "sp14_register_searches"]
    assert row(searches)["change"] == 1000 - 500
    register = computed[computed["indicator_id"] == "sp15_interpreters_register"]
    assert row(register)["change"] == 3 - 2
    settled = computed[computed["indicator_id"] == "sp11_settled_within_3_months"]
    assert math.isnan(row(settled)["change"])  # no settlement extract for 2021


def test_intro_start_uses_the_previous_extract_for_autumn_entrants(computed):
    intro = computed[computed["indicator_id"] == "sp04_intro_within_3_months"]
    assert (row(intro)["numerator"], row(intro)["denominator"]) == (4, 6)


def test_ssb_indicator_is_read_from_the_ssb_folder_beside_the_registers(computed):
    transition = computed[computed["indicator_id"] == "sp07b_intro_work_or_education_ssb"]
    assert row(transition, sex="I alt")["value"] == pytest.approx(2163 / 3300)
    assert row(transition, sex="I alt")["change"] == pytest.approx(2163 / 3300 - 2350 / 3699)


def test_compute_indicators_for_a_year_without_data_lists_the_years(registers):
    with pytest.raises(DataNotFoundError, match="2021, 2022"):
        compute_indicators(2019, "year", registers)


def test_unknown_indicator_and_period_are_config_errors(registers):
    with pytest.raises(ConfigError, match="Known"):
        get_indicator("sp99_nothing")
    with pytest.raises(ConfigError):
        compute_indicators(2022, "Q3", registers)


def test_time_series_skips_years_without_data_and_fills_change(registers):
    series = time_series("sp01_jobbsjansen_work_or_education", "2019-2022", "year", registers)
    assert sorted(series["year"].unique()) == [2021, 2022]
    assert row(series[series["year"] == 2022])["change"] == pytest.approx(0.1)


def test_time_series_of_the_ssb_indicator_covers_the_status_years_in_the_table(registers):
    series = time_series("sp07b_intro_work_or_education_ssb", "2019-2023", "year", registers)
    assert sorted(series["year"].unique()) == [2019, 2020, 2021, 2022]


def test_goals_without_measurable_sp_have_no_indicators():
    assert indicators_for_goal(6) == []
    assert {i.sp for i in indicators_for_goal(2)} == {4, 7, 8}


def test_indicators_give_the_same_result_for_text_and_categorical_code_columns():
    # Parquet extracts (e.g. from `imdi process`) may come back with dictionary-encoded columns
    from tests.indicators.conftest import load

    def as_categories(frame):
        text = frame.select_dtypes(include=["object", "string", "str"]).columns
        return frame.astype({column: "category" for column in text if not column.endswith("_id")})

    for indicator in INDICATORS.values():
        if indicator.sources[0].startswith("ssb"):
            continue
        text = [load(name) for name in indicator.sources]
        coded = [as_categories(frame) for frame in text]
        pd.testing.assert_frame_equal(
            indicator.function(*text, year=2022, period="year"),
            indicator.function(*coded, year=2022, period="year"),
            obj=indicator.id,
        )


def test_load_input_reads_a_source_once_and_again_when_its_file_changes(tmp_path, monkeypatch):
    import os
    import shutil

    from imdi_analysis.indicators import registry
    from tests.indicators.conftest import REGISTERS

    shutil.copytree(REGISTERS / "2022", tmp_path / "2022")
    reads = []
    real = registry.load_source
    monkeypatch.setattr(registry, "load_source", lambda *args: reads.append(args) or real(*args))
    monkeypatch.setattr(registry, "SOURCE_FRAMES", registry.FrameCache())
    first = registry.load_input("settlement", 2022, tmp_path)
    again = registry.load_input("settlement", 2022, tmp_path)
    assert len(reads) == 1 and again.equals(first) and again is not first  # a shallow copy each time
    extract = next((tmp_path / "2022").glob("settlement.*"))
    later = extract.stat().st_mtime_ns + 1_000_000_000
    os.utime(extract, ns=(later, later))
    registry.load_input("settlement", 2022, tmp_path)
    assert len(reads) == 2
    registry.clear_cache()
    assert registry.SOURCE_FRAMES.nbytes == 0
