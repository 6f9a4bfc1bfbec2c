"""Table 32 against a hand-computed fixture (tests/fixtures/appendix/b/registers/2022).

Cases (adviser, reported, category, sex, age, background): c01 minoritet 15 Jan negativ sosial
kontroll K 15 asia; c02 minoritet 10 Mar tvangsekteskap K 17 afrika; c03 minoritet 1 Aug
negativ sosial kontroll M 16 asia; c04 integrering 5 May æresrelatert vold K 24 asia;
c05 integrering 10 Oct etterlatt i utlandet M 13 afrika; c06 integrering 30 Dec 2021 (outside
2022); c07 minoritet 31 Dec annet K 18 ukjent.
"""

from __future__ import annotations

import pandas as pd
import pytest

from imdi_analysis.appendix.advisers import age_band, build_adviser_cases
from imdi_analysis.disclosure import apply_disclosure, disclosure_problems
from imdi_analysis.tables import TOTAL, Stacking
from tests.appendix.test_registry import cell
from tests.appendix.test_settlement import context_b

MINORITY = "Minoritetsrådgivere"
INTEGRATION = "Integreringsrådgivere"


def test_table_32_counts_cases_reported_in_the_year_by_adviser_type():
    table = build_adviser_cases(context_b("32"))
    data = table.data
    # 2022: minority c01 c02 c03 c07 = 4, integration c04 c05 = 2 (c06 reported in 2021)
    assert cell(data, adviser_type=MINORITY, breakdown="Sakskategori", group=TOTAL) == 4
    assert cell(data, adviser_type=INTEGRATION, breakdown="Kjønn", group=TOTAL) == 2
    assert cell(data, adviser_type=TOTAL, breakdown="Alder", group=TOTAL) == 6
    assert table.dims == ["adviser_type", "breakdown", "group"]


def test_table_32_distributions_each_add_up_to_the_adviser_total():
    data = build_adviser_cases(context_b("32")).data
    # negativ sosial kontroll: c01 c03 (both minority); women: c01 c02 c04 c07
    assert cell(data, adviser_type=MINORITY, breakdown="Sakskategori", group="Negativ sosial kontroll") == 2
    assert cell(data, adviser_type=TOTAL, breakdown="Kjønn", group="Kvinner") == 4
    # ages 15 and 13 under 16; 17 and 16 are 16-17; 24 and 18 are 18-25
    assert cell(data, adviser_type=TOTAL, breakdown="Alder", group="Under 16 år") == 2
    assert cell(data, adviser_type=MINORITY, breakdown="Alder", group="16–17 år") == 2
    assert cell(data, adviser_type=TOTAL, breakdown="Alder", group="26 år og over") == 0
    # background: asia c01 c03 c04; unknown c07
    assert cell(data, adviser_type=TOTAL, breakdown="Landbakgrunn", group="Asia") == 3
    assert cell(data, adviser_type=MINORITY, breakdown="Landbakgrunn", group="Ukjent") == 1
    parts = data[data["group"] != TOTAL].groupby(["adviser_type", "breakdown"])["value"].sum()
    totals = data[data["group"] == TOTAL].set_index(["adviser_type", "breakdown"])["value"]
    assert parts.to_dict() == totals.to_dict()


@pytest.mark.parametrize("period", ["year", "H1"])
def test_table_32_adviser_totals_are_suppressed_in_every_distribution_or_in_none(period):
    table = build_adviser_cases(context_b("32", period=period))
    assert table.stacking == Stacking(by="breakdown", within="group")
    disclosed = apply_disclosure(table, threshold=3)
    totals = disclosed.data[disclosed.data["group"] == TOTAL]
    for adviser, rows in totals.groupby("adviser_type"):
        assert rows["status"].nunique() == 1, (adviser, rows["status"].tolist())
    # integration advisers reported 2 cases in the year (1 by 30 June): hidden under all four
    assert set(totals.loc[totals["adviser_type"] == INTEGRATION, "status"]) == {":"}
    if period == "H1":
        # 3 cases by 30 June (c01 c02 c04), each alone in its case category: the "ones" rule
        # hides the grand total under "Sakskategori", so it is hidden under every breakdown
        assert set(totals.loc[totals["adviser_type"] == TOTAL, "status"]) == {":"}
    assert disclosure_problems(disclosed, 3) == []


def test_age_band_puts_each_age_in_exactly_one_band():
    ages = pd.Series([0, 15, 16, 17, 18, 25, 26, 100])
    assert age_band(ages).tolist() == [
        "Under 16 år",
        "Under 16 år",
        "16–17 år",
        "16–17 år",
        "18–25 år",
        "18–25 år",
        "26 år og over",
        "26 år og over",
    ]
