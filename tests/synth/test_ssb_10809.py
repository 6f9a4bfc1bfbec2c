"""The synthetic Statistics Norway table 10809 agrees with the synthetic register and feeds SP 7b."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imdi_analysis import config
from imdi_analysis.indicators.goal_page import goal_page
from imdi_analysis.indicators.registry import compute_indicators, time_series
from imdi_analysis.indicators.report import report_transition
from imdi_analysis.indicators.ssb import read_table, table_is_synthetic, table_path, transition_counts
from imdi_analysis.sources.jsonstat import category_hierarchy
from imdi_analysis.sources.processing import validate_year
from imdi_analysis.synth import generate
from tests.synth.conftest import SEED, SMALL_SCALE, YEARS
from tests.synth.helpers import read

SP07B = "sp07b_intro_work_or_education_ssb"
STATUS_YEARS = [2020, 2021, 2022, 2023]
AGE_GROUPS = ["18-29", "30-39", "40-55"]
# SSB's layout: total, subtotal and its parts, subtotal and its parts, a subtotal without parts
STATUS_CODES = ["00", "01", "011", "012", "013", "02", "021", "022", "03"]
ALL_STATUSES = "00"
DETAILED = ["011", "012", "013", "021", "022", "03"]


@pytest.fixture(scope="module")
def table_file(small_data: Path) -> Path:
    return small_data / "ssb" / "table10809.json"


@pytest.fixture(scope="module")
def grid(table_file: Path) -> pd.DataFrame:
    """Counts as a frame indexed by (Tid, Kjonn, Alder) with one column per status code."""
    table = read_table(table_file)
    return table.pivot_table(index=["Tid", "Kjonn", "Alder"], columns="Status", values="value", aggfunc="sum")


def register_leavers(folder: Path, year: int) -> pd.DataFrame:
    """Distinct persons with a ``programme_end`` in ``year`` in that year's extract (ssb.py's cohort)."""
    spells = read(folder, year, "intro_participants").dropna(subset=["programme_end"])
    spells = spells[spells["programme_end"].str[:4] == str(year)]
    return spells.drop_duplicates("person_id")


def age_group(ages: pd.Series) -> pd.Series:
    return pd.Series(np.select([ages < 30, ages < 40], ["18-29", "30-39"], "40-55"), index=ages.index)


def test_table_is_written_beside_the_registers_where_the_indicator_finds_it(small_data, table_file):
    assert table_file.is_file()
    assert table_path(small_data) == table_file
    assert config.years_in(small_data) == list(YEARS)  # the ssb folder is not a year


def test_table_says_it_is_synthetic_and_not_statistics_norways(table_file):
    document = json.loads(table_file.read_text(encoding="utf-8"))
    assert "Syntetiske tall generert av imdi-analysis. Ikke SSBs publiserte tall." in document["note"]
    assert document["source"].startswith("Syntetiske data")
    assert document["source"] != "Statistisk sentralbyrå"
    assert table_is_synthetic(read_table(table_file))


def test_status_years_are_the_generated_years_with_a_generated_year_before(table_file):
    document = json.loads(table_file.read_text(encoding="utf-8"))
    assert document["id"] == ["Kjonn", "Alder", "Status", "ContentsCode", "Tid"]
    assert list(document["dimension"]["Tid"]["category"]["index"]) == [str(y) for y in STATUS_YEARS]
    assert list(document["dimension"]["Status"]["category"]["index"]) == STATUS_CODES
    assert len(document["value"]) == np.prod(document["size"]) == 3 * 4 * 9 * 1 * len(STATUS_YEARS)


def test_cohorts_are_the_register_leavers_of_the_year_before_by_sex_and_age(small_data, grid):
    for status_year in STATUS_YEARS:
        leavers = register_leavers(small_data, status_year - 1)
        assert len(leavers) > 50
        ages = age_group(status_year - 1 - leavers["birth_year"].astype(int))
        expected = leavers.groupby([leavers["sex"].map({"M": "1", "K": "2"}), ages]).size()
        cohort = grid.loc[str(status_year)][ALL_STATUSES]
        assert cohort.loc[("0", "18-55")] == len(leavers), status_year
        for (sex, group), count in expected.items():
            assert cohort.loc[(sex, group)] == count, (status_year, sex, group)


def test_totals_add_up_over_sex_and_age(grid):
    for status_year in STATUS_YEARS:
        year = grid.loc[str(status_year)]
        for sex in ("0", "1", "2"):
            np.testing.assert_array_equal(year.loc[(sex, "18-55")], year.loc[sex].loc[AGE_GROUPS].sum())
        for age in ["18-55", *AGE_GROUPS]:
            np.testing.assert_array_equal(year.loc[("0", age)], year.loc[("1", age)] + year.loc[("2", age)])


def test_status_categories_sum_to_the_cohort_used_as_denominator(small_data, table_file):
    counts = transition_counts(read_table(table_file)).set_index(["status_year", "sex"])
    for status_year in STATUS_YEARS:
        leavers = register_leavers(small_data, status_year - 1)
        assert counts.loc[(status_year, "I alt"), "denominator"] == len(leavers)
        assert counts.loc[(status_year, "Menn"), "denominator"] == (leavers["sex"] == "M").sum()
        assert 0 < counts.loc[(status_year, "I alt"), "numerator"] < len(leavers)


def test_shares_are_near_the_public_magnitudes(table_file):
    counts = transition_counts(read_table(table_file)).groupby("sex")[["numerator", "denominator"]].sum()
    share = counts["numerator"] / counts["denominator"]
    assert 0.55 <= share["I alt"] <= 0.70
    assert share["Menn"] > share["Kvinner"] + 0.05


def test_same_seed_gives_identical_bytes_and_another_seed_other_counts(tmp_path):
    def table_bytes(seed: int, name: str) -> bytes:
        out = tmp_path / name
        generate([2021, 2022], seed=seed, scale=SMALL_SCALE, out_dir=out, progress=False)
        return (out / "ssb" / "table10809.json").read_bytes()

    first, again, other = table_bytes(SEED, "a"), table_bytes(SEED, "b"), table_bytes(SEED + 1, "c")
    assert first == again
    assert json.loads(first)["value"] != json.loads(other)["value"]


def test_a_status_year_does_not_depend_on_which_other_years_are_generated(grid, tmp_path):
    generate([2021, 2022], seed=SEED, scale=SMALL_SCALE, out_dir=tmp_path, progress=False)
    alone = read_table(tmp_path / "ssb" / "table10809.json")
    alone = alone.pivot_table(
        index=["Tid", "Kjonn", "Alder"], columns="Status", values="value", aggfunc="sum"
    )
    pd.testing.assert_frame_equal(alone.loc["2022"], grid.loc["2022"])


def test_one_year_writes_no_table_and_removes_an_earlier_synthetic_one(tmp_path):
    generate([2021, 2022], seed=SEED, scale=SMALL_SCALE, out_dir=tmp_path, progress=False)
    assert (tmp_path / "ssb" / "table10809.json").is_file()
    written = generate([2022], seed=SEED, scale=SMALL_SCALE, out_dir=tmp_path, progress=False)
    assert not (tmp_path / "ssb" / "table10809.json").exists()
    assert not [p for p in written if "ssb" in p.parts]


def test_validation_ignores_the_ssb_folder(small_data):
    result = validate_year(2022, data_dir=small_data)
    assert result.ok, result.summary()


def test_sp07b_has_a_value_on_synthetic_data(small_data):
    out = compute_indicators(2022, "year", small_data, ids=[SP07B])
    assert len(out) == 3
    assert out["value"].notna().all(), out[["sex", "missing_reason"]]
    assert out["missing_reason"].isna().all()
    total = out[out["sex"] == "I alt"].iloc[0]
    assert total["denominator"] == len(register_leavers(small_data, 2021))
    assert out["change"].notna().all()  # the table has status year 2021 too
    series = time_series(SP07B, "2019-2023", "year", small_data)
    assert sorted(series.loc[series["value"].notna(), "year"].unique()) == STATUS_YEARS


def test_goal_page_labels_the_source_as_synthetic(small_data):
    page = goal_page(2, 2022, "year", data_dir=small_data)
    definition = page.definition(SP07B)
    assert "syntetisk tabell" in definition and "ikke SSBs tall" in definition
    assert "Statistisk sentralbyrå" not in definition
    assert "Syntetiske data" in page.intro()
    headline = page.headline(SP07B)
    assert "**" in headline and "mangler" not in headline, headline


def test_transition_report_names_a_synthetic_table(table_file):
    text = report_transition(table_file)
    assert "syntetisk tabell" in text.splitlines()[0]


def test_status_dimension_has_ssbs_totals_and_subtotals_and_they_add_up(table_file, grid):
    """As SSB publishes 10809: 00 = 011 + 012 + 013 + 021 + 022 + 03, 01 = 011 + 012 + 013 and
    02 = 021 + 022 in every cell, with the labels SSB uses."""
    document = json.loads(table_file.read_text(encoding="utf-8"))
    labels = document["dimension"]["Status"]["category"]["label"]
    assert labels["00"] == "Arbeidssituasjon i alt"
    assert labels["01"] == "Sysselsatt og / eller under utdanning, i alt"
    assert labels["02"] == "Registrert arbeidsledig og/eller på tiltak, i alt"
    assert labels["03"] == "Annen eller ukjent status, i alt"
    np.testing.assert_array_equal(grid["00"], grid[DETAILED].sum(axis=1))
    np.testing.assert_array_equal(grid["01"], grid[["011", "012", "013"]].sum(axis=1))
    np.testing.assert_array_equal(grid["02"], grid[["021", "022"]].sum(axis=1))
    assert (grid["021"] > 0).any() and (grid["022"] > 0).any()


def test_reader_recognises_the_synthetic_hierarchy_and_counts_each_person_once(table_file):
    """The numerator is 011 + 012 + 013 (not also their subtotal 01); the denominator is 00."""
    table = read_table(table_file)
    hierarchy = category_hierarchy(table, "Status")
    assert hierarchy.total == ALL_STATUSES and list(hierarchy.leaves) == DETAILED
    counts = transition_counts(table).set_index(["status_year", "sex"])
    cells = table[(table["Kjonn"] == "0") & (table["Alder"] == "18-55")].pivot_table(
        index="Tid", columns="Status", values="value"
    )
    for status_year in STATUS_YEARS:
        year = cells.loc[str(status_year)]
        assert (
            counts.loc[(status_year, "I alt"), "numerator"] == year[["011", "012", "013"]].sum() == year["01"]
        )
        assert counts.loc[(status_year, "I alt"), "denominator"] == year["00"]
