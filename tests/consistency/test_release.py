"""One run, one number: the goal pages, the time-series chapter and the reports read one frame.

The data step (:mod:`imdi_analysis.datastep`) discloses every indicator once; each view picks
rows. These tests compute each view on its own, the way it is computed outside a run, and check
that it equals what it shows when it reads the data step's frame — so the frame is the one
definition, and a figure on two pages is one number with one suppression pattern.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from imdi_analysis.datastep import compute_indicator_release
from imdi_analysis.indicators.goal_page import goal_page
from imdi_analysis.timeseries import BREAKDOWNS, headline_series

YEARS = [2021, 2022]
KEY = ["indicator_id", "year", *BREAKDOWNS]
SHOWN = [*KEY, "value", "numerator", "denominator", "ci_lower", "ci_upper", "change", "status"]


def ordered(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[SHOWN].astype("object")
    return (
        frame.where(frame.notna(), None).sort_values(KEY, key=lambda c: c.astype(str)).reset_index(drop=True)
    )


def test_a_subset_disclosed_alone_has_the_pattern_it_has_in_the_whole_release(synthetic: Path):
    """Lines of the secondary suppression never cross indicators or years."""
    ids = ["sp04_intro_within_3_months", "sp07a_intro_direct_work_or_education"]
    everything = compute_indicator_release("year", YEARS, synthetic, 5)
    alone = compute_indicator_release("year", YEARS, synthetic, 5, ids)
    picked = everything[everything["indicator_id"].isin(ids).to_numpy()]
    assert (alone["status"] == ":").any()  # a real suppression pattern is compared
    pd.testing.assert_frame_equal(ordered(picked), ordered(alone))


def test_goal_pages_show_the_data_steps_figures(synthetic: Path):
    measures = compute_indicator_release("year", YEARS, synthetic, 5)
    for goal in (2, 4):
        own = goal_page(goal, 2022, "year", synthetic, "2021-2022", 5)
        read = goal_page(goal, 2022, "year", synthetic, "2021-2022", 5, measures=measures)
        assert len(own.series) > 0
        pd.testing.assert_frame_equal(ordered(own.series), ordered(read.series))


def test_the_time_series_chapter_and_the_goal_pages_give_the_same_national_figures(synthetic: Path):
    chapter = headline_series("2021-2022", synthetic, 5)
    for goal in (2, 4, 5):
        page = goal_page(goal, 2022, "year", synthetic, "2021-2022", 5).series
        national = pd.Series(True, index=page.index)
        for column in BREAKDOWNS:
            national &= page[column].isna() | (page[column] == "I alt")
        mine = chapter[chapter["indicator_id"].isin(page["indicator_id"].unique()).to_numpy()]
        assert len(mine) > 0
        pd.testing.assert_frame_equal(ordered(page[national.to_numpy()]), ordered(mine))
