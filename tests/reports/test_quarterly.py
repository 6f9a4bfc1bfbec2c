"""The quarterly settlement analysis on the hand-made register folder b (tests/fixtures/appendix/b).

Quarter 3 of 2022: 1 July – 30 September. From the fixture (see tests/appendix/test_settlement.py):

- settled in the quarter: p03 (15 Jul, overføringsflyktning, voksen), p04 (10 Sep, mottak, enslig
  mindreårig), p07 (1 Aug, familiegjenforent, voksen): 3. p15, settled 1 October (the first day of
  Q4), is not;
- settled so far (1 Jan – 30 Sep): p01, p02, p03, p04, p05, p06, p07: 7;
- waiting on 30 September (ready on or before it, not settled on it): p08, p09 (ready 10 Sep),
  p10, p12, p13 and p15 (settled the day after): 6; p11 (ready 15 Oct) is not;
- waiting time in calendar months: p03 1 Nov 21 → 15 Jul 22 = 8 + 14/31 = 8.45161;
  p04 1 Mar → 10 Sep = 6 + 9/30 = 6.3; p07 1 May → 1 Aug = 3 exactly; mean (8.45161 + 6.3 + 3) / 3
  = 5.91720;
- 2022 requests 10 + 5 + 3 + 2 = 20, decided places 8 + 2 + 3 + 1 = 14;
- trend, eight quarters 2020K4 … 2022K3 (no 2020 extract: 2020K4 left out, with a note):
  settled 2021K1 0, K2 1 (q01 on 1 Apr), K3 0, K4 0, 2022K1 1 (p01), K2 3 (p02, p05, p06), K3 3;
  waiting at the quarter ends 2021: 2 (q01, p10), 1 (p10), 2 (p10, p12), 3 (p10, p12, p03);
  2022: 7 (p02, p03, p04, p06, p10, p12, p13), 6 (p03, p04, p07, p10, p12, p13), 6.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imdi_analysis.errors import ConfigError
from imdi_analysis.reports.quarterly import (
    ITEM_DECIDED,
    ITEM_REQUESTED,
    ITEM_SETTLED_QUARTER,
    ITEM_SETTLED_SO_FAR,
    ITEM_WAITING,
    previous_quarters,
    quarter_label,
    quarterly_analysis,
)
from imdi_analysis.tables import STATUS_SUPPRESSED, TOTAL

REGISTERS = Path(__file__).parents[1] / "fixtures" / "appendix" / "b" / "registers"


def value(table, **where) -> float:
    data = table.data
    for dim in table.dims:
        data = data[data[dim] == where.get(dim, TOTAL)]
    assert len(data) == 1, (table.key, where, data)
    return float(data["value"].iloc[0])


@pytest.fixture(scope="module")
def q3():
    return quarterly_analysis(2022, "Q3", data_dir=REGISTERS, threshold=1)


def test_settled_in_the_quarter_and_so_far(q3):
    k1, k2 = q3.table("K1"), q3.table("K2")
    assert value(k1) == 3
    assert (
        value(
            k1,
            category="Overføringsflyktninger",
            household_type="Voksne som ikke er en del av en barnefamilie",
        )
        == 1
    )
    assert value(k1, category="Tidligere asylsøkere fra mottak", household_type="Enslige mindreårige") == 1
    assert value(k1, category="Familiegjenforente med disse") == 1
    assert value(k1, category="Privatboende") == 0
    assert value(k2) == 7


def test_waiting_at_the_quarters_end_counts_a_person_settled_the_day_after(q3):
    assert value(q3.table("K3")) == 6


def test_waiting_time_on_the_calendar_month_rule(q3):
    k4 = q3.table("K4")
    assert value(k4) == pytest.approx((8 + 14 / 31 + 6.3 + 3) / 3, abs=1e-9)
    assert value(k4, category="Familiegjenforente med disse") == pytest.approx(3.0)


def test_requests_decisions_and_settled_so_far(q3):
    k5 = q3.table("K5")
    assert value(k5, item=ITEM_REQUESTED) == 20
    assert value(k5, item=ITEM_DECIDED) == 14
    assert value(k5, item=ITEM_SETTLED_SO_FAR) == 7


def test_trend_over_eight_quarters(q3):
    k6 = q3.table("K6")
    settled = {q: value(k6, quarter=q, item=ITEM_SETTLED_QUARTER) for q in sorted(set(k6.data["quarter"]))}
    waiting = {q: value(k6, quarter=q, item=ITEM_WAITING) for q in settled}
    assert settled == {
        "2021K1": 0,
        "2021K2": 1,
        "2021K3": 0,
        "2021K4": 0,
        "2022K1": 1,
        "2022K2": 3,
        "2022K3": 3,
    }
    assert waiting == {
        "2021K1": 2,
        "2021K2": 1,
        "2021K3": 2,
        "2021K4": 3,
        "2022K1": 7,
        "2022K2": 6,
        "2022K3": 6,
    }
    assert any("2020K4" in note for note in q3.notes)


def test_small_counts_are_suppressed_at_the_default_threshold():
    k1 = quarterly_analysis(2022, "Q3", data_dir=REGISTERS).table("K1")
    assert k1.threshold == 5
    hidden = k1.data["status"] == STATUS_SUPPRESSED
    assert hidden.any()
    shown = k1.data.loc[~hidden, "value"].dropna()
    assert not ((shown > 0) & (shown < 5)).any()


def test_quarters_and_their_labels():
    assert previous_quarters(2022, "Q3", 4) == [(2021, "Q4"), (2022, "Q1"), (2022, "Q2"), (2022, "Q3")]
    assert previous_quarters(2022, "Q1", 2) == [(2021, "Q4"), (2022, "Q1")]
    assert quarter_label(2022, "Q4") == "2022K4"
    with pytest.raises(ConfigError):
        quarter_label(2022, "Q5")
