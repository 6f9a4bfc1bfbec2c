"""SP 11 against appendix tables 18, 21 and 24: the same persons, the same month rule, the same numbers.

Boundary fixture (tests/fixtures/consistency/registers/2022/settlement.csv), all in reception
(``mottak``), adults; permit → settled (calendar months, the one month rule):

====  ==============  ==============  =============  ==========================================
id    permit          settled         within 3?      months (whole + fraction of the next)
====  ==============  ==============  =============  ==========================================
A     15 Jan 2022     15 Apr          yes (exactly)  3
B     15 Jan 2022     16 Apr          no             3 + 1/30 (15 Apr → 15 May has 30 days)
C     31 Jan 2022     30 Apr          yes            3 (31 Jan + 3 months = 30 Apr)
D     1 Nov 2021      1 Feb 2022      yes            3 (92 days: 3.02 "months" on the old clock)
E     31 Jan 2022     1 May           no             3 + 1/31 (30 Apr → 31 May has 31 days)
F     30 Sep 2022     31 Dec          no             3 + 1/31; settled on the reference date
G     31 Dec 2021     —               waiting        ready on the reference date; exactly 12
H     30 Dec 2021     —               waiting        12 + 1/31: more than 12 months
====  ==============  ==============  =============  ==========================================

Settled in 2022 (year): A–F = 6; within 3 months: A, C, D = 3, share 0.5. The old SP 11
(days / 30.4375) counted A (90 d), B (91 d), C (89 d), E (90 d) = 4 and left D (92 d) out.
Mean months: (6 × 3 + 1/30 + 2/31) / 6 = 3.016416. Waiting on 31 December: G, H = 2; more
than 12 months: H = 1, share 0.5 (G's permit + 12 months is the reference date itself).
"""

from __future__ import annotations

import pytest

from tests.consistency.conftest import BOUNDARY, base, cell, indicator, level, table

RECEPTION = "Tidligere asylsøkere fra mottak"
RESETTLEMENT = "Overføringsflyktninger"
PRIVATE = "Privatboende"
ADULTS = "Voksne som ikke er en del av en barnefamilie"
TOTAL = "I alt"
BANDS = {3: ["Innen 3 måneder"], 6: ["Innen 3 måneder", "3–6 måneder"]}
BANDS[12] = [*BANDS[6], "6–12 måneder"]
MEAN_MONTHS = (6 * 3 + 1 / 30 + 2 / 31) / 6


def test_boundary_persons_settled_within_3_months_sp11_and_table_21():
    """3 of 6 settled within 3 calendar months in both; the old SP 11 said 4 of 6 (see module docstring)."""
    sp11 = level(indicator("sp11_settled_within_3_months", BOUNDARY), category=RECEPTION)
    assert (sp11["numerator"], sp11["denominator"], sp11["value"]) == (3, 6, 0.5)
    data = table("21", BOUNDARY).data
    within = cell(data, category=RECEPTION, household_type=TOTAL, waiting_time="Innen 3 måneder")
    settled = cell(data, category=RECEPTION, household_type=TOTAL, waiting_time=TOTAL)
    assert (within, settled) == (3, 6)
    assert cell(data, category=RECEPTION, household_type=ADULTS, waiting_time="3–6 måneder") == 3  # B, E, F


def test_boundary_mean_waiting_time_sp11_and_table_18():
    """Mean (6 × 3 + 1/30 + 2/31) / 6 = 3.0164 months in both.

    The old clock: (90 + 91 + 89 + 92 + 90 + 92) days / 6 / 30.4375 = 2.9788.
    """
    sp11 = level(indicator("sp11_settlement_mean_months", BOUNDARY), category=RECEPTION)
    assert sp11["value"] == pytest.approx(MEAN_MONTHS)
    data = table("18", BOUNDARY).data
    assert cell(data, "mean_months", category=RECEPTION, household_type=ADULTS) == pytest.approx(MEAN_MONTHS)
    median = level(indicator("sp11_settlement_median_months", BOUNDARY), category=RECEPTION)
    # sorted: 3, 3, 3, 3 + 1/31, 3 + 1/31, 3 + 1/30; the middle two are 3 and 3 + 1/31
    assert median["value"] == pytest.approx(3 + 1 / 62)


def test_boundary_waiting_more_than_12_months_sp11_and_table_24():
    """Waiting on 31 Dec: G (exactly 12 months: not more) and H (more) → 1 of 2 in both."""
    sp11 = level(indicator("sp11_waiting_over_12_months", BOUNDARY), category=RECEPTION)
    assert (sp11["numerator"], sp11["denominator"]) == (1, 2)
    data = table("24", BOUNDARY).data
    over = {"category": RECEPTION, "household_type": TOTAL, "waiting_time": "Ventet mer enn 12 måneder"}
    assert cell(data, **over) == 1
    assert base(data, "share", **over) == 2


def test_boundary_half_year_counts_the_same_persons_in_both():
    """30 June: settled A–E (5), within 3: A, C, D (3); waiting: H only (G is ready 31 Dec), not over 12."""
    sp11 = level(indicator("sp11_settled_within_3_months", BOUNDARY, "H1"), category=RECEPTION)
    assert (sp11["numerator"], sp11["denominator"]) == (3, 5)
    data = table("21", BOUNDARY, "H1").data
    assert cell(data, category=RECEPTION, household_type=TOTAL, waiting_time="Innen 3 måneder") == 3
    waiting = level(indicator("sp11_waiting_over_12_months", BOUNDARY, "H1"), category=RECEPTION)
    assert (waiting["numerator"], waiting["denominator"]) == (0, 1)


@pytest.mark.parametrize("period", ["year", "H1"])
def test_default_data_sp11_within_months_equals_table_21_cumulated_bands(synthetic, period):
    """On the default synthetic data, for each case type of table 21 and each N of 3, 6, 12:
    SP 11's numerator and denominator = table 21's bands up to N and its "I alt"."""
    data = table("21", synthetic, period).data
    for months, bands in BANDS.items():
        sp11 = indicator(f"sp11_settled_within_{months}_months", synthetic, period)
        for category in (RECEPTION, RESETTLEMENT, PRIVATE):
            row = level(sp11, category=category)
            within = sum(cell(data, category=category, household_type=TOTAL, waiting_time=b) for b in bands)
            assert row["numerator"] == within, (period, months, category)
            assert row["denominator"] == cell(
                data, category=category, household_type=TOTAL, waiting_time=TOTAL
            )


@pytest.mark.parametrize("period", ["year", "H1"])
def test_default_data_sp11_mean_equals_table_18(synthetic, period):
    """Mean months by case type: SP 11 = table 18 (same persons, same clock); bases = denominators."""
    sp11 = indicator("sp11_settlement_mean_months", synthetic, period)
    data = table("18", synthetic, period).data
    for category in (RECEPTION, RESETTLEMENT, PRIVATE):
        row = level(sp11, category=category)
        assert row["value"] == pytest.approx(
            cell(data, "mean_months", category=category, household_type=TOTAL)
        )
        assert row["denominator"] == base(data, "mean_months", category=category, household_type=TOTAL)


@pytest.mark.parametrize("period", ["year", "H1"])
def test_default_data_sp11_waiting_equals_table_24(synthetic, period):
    """Waiting more than 12, 24, 36 months by case type: SP 11 numerator/denominator = table 24 count/base."""
    data = table("24", synthetic, period).data
    for months in (12, 24, 36):
        sp11 = indicator(f"sp11_waiting_over_{months}_months", synthetic, period)
        label = f"Ventet mer enn {months} måneder"
        for category in (RECEPTION, RESETTLEMENT):
            row = level(sp11, category=category)
            over = {"category": category, "household_type": TOTAL, "waiting_time": label}
            assert row["numerator"] == cell(data, **over)
            assert row["denominator"] == base(data, "share", **over)


def test_table_notes_say_the_month_rule_and_the_counting_unit():
    for key in ("18", "21", "24"):
        notes = " ".join(table(key, BOUNDARY).notes)
        assert "Telleenhet: personer" in notes
    assert "kalendermåneder" in " ".join(table("18", BOUNDARY).notes)
    assert "kalendermåneder" in " ".join(table("21", BOUNDARY).notes)
