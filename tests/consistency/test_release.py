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


TABLES = ("21", "24", "18", "9", "6A", "6B", "28A")


def protected_tables(synthetic: Path) -> list:
    """The linked appendix tables of 2022 (year), protected together as the appendix step does."""
    from imdi_analysis.disclosure import protect_release
    from tests.consistency.conftest import table

    return protect_release([table(key, synthetic) for key in TABLES], 5)


def test_no_goal_page_figure_rests_on_a_cell_the_appendix_hides(synthetic: Path):
    """SP 11's "within N months" rows are the sums of table 21's bands up to N (with its "I alt");
    a visible row with a hidden band gives the band away (within 6 − within 3 = band 3–6). The
    check is written out here from the table's layout, not with imdi_analysis.links. On these
    data the rows that would leak are crossed ones (case type × household type: in the data
    step's frame, not in the goal pages' one-way tables)."""
    tables = {t.key: t for t in protected_tables(synthetic)}
    linked = compute_indicator_release("year", YEARS, synthetic, 5, appendix=list(tables.values()))
    alone = compute_indicator_release("year", YEARS, synthetic, 5)
    data = tables["21"].data
    bands = {3: ["Innen 3 måneder"], 6: ["Innen 3 måneder", "3–6 måneder"]}
    bands[12] = [*bands[6], "6–12 måneder"]
    checked = leaks_before = 0
    for months, wanted in bands.items():
        for frame, counting in ((linked, True), (alone, False)):
            rows = frame[
                (frame["indicator_id"] == f"sp11_settled_within_{months}_months") & (frame["year"] == 2022)
            ]
            for row in rows.itertuples():
                if any(pd.notna(getattr(row, c)) and getattr(row, c) != "I alt" for c in ("sex", "county")):
                    continue
                cells = data[
                    (data["category"] == (row.category if pd.notna(row.category) else "I alt"))
                    & (
                        data["household_type"]
                        == (row.household_type if pd.notna(row.household_type) else "I alt")
                    )
                    & data["waiting_time"].isin([*wanted, "I alt"])
                ]
                if cells.empty or row.status == ":":
                    continue
                hidden = (cells["status"] == ":").any()
                if counting:
                    checked += 1
                    assert not hidden, (months, row.category, row.household_type)
                else:
                    leaks_before += hidden
    assert checked > 10
    assert leaks_before > 0  # without the links the synthetic data do leak: the test can fail


def test_links_hide_rows_on_hidden_cells_and_keep_every_primary_suppression(synthetic: Path):
    from imdi_analysis.disclosure import indicator_primary
    from imdi_analysis.indicators.registry import INDICATORS, time_series
    from imdi_analysis.links import linked_hidden

    tables = protected_tables(synthetic)
    linked = compute_indicator_release("year", YEARS, synthetic, 5, appendix=tables)
    assert not (linked_hidden(linked, tables) & (linked["status"] != ":").to_numpy()).any()
    alone = compute_indicator_release("year", YEARS, synthetic, 5)
    assert ((linked["status"] == ":") & (alone["status"] != ":")).any()  # the links did hide more
    # the secondary suppression may pick other partners around the forced rows, but every row
    # the primary rule hides stays hidden
    primary = indicator_primary(time_series(list(INDICATORS), YEARS, "year", synthetic), 5)
    assert primary.any() and (linked["status"].to_numpy()[primary] == ":").all()


def test_every_link_to_a_settlement_table_leaves_out_the_indicators_own_total():
    """SP 11's "I alt" over case types counts family reunification too; tables 18, 21 and 24 do
    not. A link on that "I alt" would tie different persons together (and make the audit see
    contradictions)."""
    from imdi_analysis.links import LINKS

    settlement = [link for link in LINKS if link.table in ("18", "21", "24")]
    assert len(settlement) == 8
    assert all(link.exclude.get("category") == ("I alt",) for link in settlement)


def test_groups_of_tables_without_links_between_them_are_protected_apart_to_the_same_pattern(synthetic: Path):
    """The appendix step protects the groups of :func:`release_parts` side by side in worker
    processes: 11A (leavers) and 11B (their shares, with 11A's counts as bases) form one group,
    every other table here is linked to no other (6A and 6B count different populations here);
    the published tables are the ones of one protection of all."""
    from imdi_analysis.disclosure import Release, protect_release, release_parts
    from imdi_analysis.parallel import process_pool
    from tests.consistency.conftest import table

    keys = (*TABLES, "11A", "11B")
    tables = [table(key, synthetic) for key in keys]
    parts = [[tables[i].key for i in part] for part in release_parts(Release.create(tables))]
    assert sorted(parts) == sorted([[key] for key in TABLES] + [["11A", "11B"]])
    whole = protect_release(tables, 5)
    with process_pool(2) as pool:
        apart = protect_release(tables, 5, executor=pool)
    assert [t.key for t in apart] == list(keys)
    for one, other in zip(whole, apart, strict=True):
        pd.testing.assert_frame_equal(one.data, other.data)
    assert sum((t.data["status"] == ":").sum() for t in whole) > 0  # something is hidden to compare
