"""Building blocks of the shared population and the reference geography."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from imdi_analysis.synth._common import day, decimal_column, rng_for
from imdi_analysis.synth.population import draw_households, volume
from imdi_analysis.synth.reference import load_geography


@settings(max_examples=30, deadline=None)
@given(n=st.integers(min_value=1, max_value=5_000), share=st.floats(min_value=0, max_value=1))
def test_households_hold_exactly_the_persons_asked_for(n: int, share: float) -> None:
    households = draw_households(rng_for(1, 2022, "test"), n, share)
    sizes = households["adults"] + households["children"]
    assert sizes.sum() == n
    assert (sizes >= 1).all()


def test_random_streams_differ_by_seed_year_and_name_and_repeat_exactly() -> None:
    first = rng_for(1, 2022, "a").random(3)
    assert np.array_equal(first, rng_for(1, 2022, "a").random(3))
    for other in (rng_for(2, 2022, "a"), rng_for(1, 2021, "a"), rng_for(1, 2022, "b")):
        assert not np.array_equal(first, other.random(3))


def test_volumes_are_interpolated_between_listed_years() -> None:
    assert volume({2020: 100, 2022: 300}, 2021) == 200
    assert volume({2020: 100, 2022: 300}, 2030) == 300


def test_municipalities_continue_under_their_new_number_after_the_reform() -> None:
    geography = load_geography()
    baerum_2019 = int(np.flatnonzero(geography.code == "0219")[0])
    moved = geography.translate(np.array([baerum_2019]), day(2020, 6, 1))
    assert geography.code[moved[0]] == "3024"
    assert geography.translate(np.array([baerum_2019]), day(2019, 6, 1))[0] == baerum_2019


def test_drawn_municipalities_are_valid_on_their_day() -> None:
    geography = load_geography()
    days = np.array([day(2019, 5, 1)] * 200 + [day(2022, 5, 1)] * 200)
    rows = geography.draw(rng_for(1, 2022, "test"), days)
    assert (geography.valid_from[rows] <= days).all()
    assert (geography.valid_to[rows] >= days).all()


def test_decimals_are_written_with_one_fixed_decimal() -> None:
    assert decimal_column(np.array([0.0, 12.5, 175.0, 3.04])).to_pylist() == ["0.0", "12.5", "175.0", "3.0"]
