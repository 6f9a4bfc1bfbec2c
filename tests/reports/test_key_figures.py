"""Key figures for the annual report on the hand-made register folder b (tests/fixtures/appendix/b).

Hand computation from the fixture (see tests/appendix/test_settlement.py for the persons):

- settled in 2022: p01–p09 and p15 = 10; in 2021: q01 = 1;
- waiting on 31 December, reception and resettlement refugees only (as table 16): 2022 p10, p11,
  p12 = 3 (p13 is privatboende); 2021 p10, p12, p03 = 3;
- mean waiting time 2022 in calendar months (SP 11): p01 2 + 5/31, p02 3, p03 8 + 14/31, p04 6 + 9/30,
  p05 2 + 19/30, p06 4 + 17/31, p07 3, p08 and p09 2 + 19/30, p15 2: sum 37.3612 / 10 = 3.74 → "3,7".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imdi_analysis.appendix.registry import BUILDERS, BuildContext
from imdi_analysis.config import years_in
from imdi_analysis.letter.appendix_spec import load_appendix_spec
from imdi_analysis.reports.key_figures import key_figures, key_figures_table
from imdi_analysis.tables import TOTAL

REGISTERS = Path(__file__).parents[1] / "fixtures" / "appendix" / "b" / "registers"


@pytest.fixture(scope="module")
def figures():
    return key_figures(2022, data_dir=REGISTERS)


@pytest.fixture(scope="module")
def table(figures):
    return key_figures_table(2022, data_dir=REGISTERS, threshold=1, figures=figures).set_index("Hovedtall")


def test_five_years_with_missing_years_marked(table):
    assert list(table.columns) == ["2018", "2019", "2020", "2021", "2022", "Definisjon"]
    assert table.loc["Bosatte flyktninger i året", "2020"] == ".."


def test_settled_waiting_and_waiting_time_by_hand(table):
    assert table.loc["Bosatte flyktninger i året", "2022"] == "10"
    assert table.loc["Bosatte flyktninger i året", "2021"] == "1"
    assert table.loc["Venter på bosetting per 31.12.", "2022"] == "3"
    assert table.loc["Venter på bosetting per 31.12.", "2021"] == "3"
    assert table.loc["Gjennomsnittlig ventetid til bosetting (mnd.)", "2022"] == "3,7"


def test_small_counts_are_hidden(figures):
    hidden = key_figures_table(2022, data_dir=REGISTERS, figures=figures).set_index("Hovedtall")
    assert hidden.loc["Bosatte flyktninger i året", "2021"] == ":"
    assert hidden.loc["Bosatte flyktninger i året", "2022"] == "10"


def appendix_total(key: str, year: int) -> float:
    """The "I alt" count of appendix table ``key`` for ``year``, built by its own builder."""
    spec = load_appendix_spec(2022)
    row = spec[spec["table_key"] == key].iloc[0].to_dict()
    ctx = BuildContext(
        year=2022, period="year", data_dir=REGISTERS, spec=row, available_years=years_in(REGISTERS)
    )
    data = BUILDERS[key](ctx).data
    data = data[data["measure"] == "count"]
    for dim in [c for c in data.columns if c not in {"measure", "value", "base", "status", "year"}]:
        data = data[data[dim] == TOTAL]
    if "year" in data.columns:
        data = data[data["year"].astype(int) == year]
    assert len(data) == 1, data
    return float(data["value"].iloc[0])


def test_key_figures_equal_the_tables_that_define_them(figures):
    assert figures[("settled", 2022)].value == appendix_total("20", 2022)
    assert figures[("waiting", 2022)].value == appendix_total("16", 2022)
    assert figures[("waiting", 2021)].value == appendix_total("16", 2021)
