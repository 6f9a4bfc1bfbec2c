"""Tables 28A–31 against hand-computed fixtures (tests/fixtures/appendix/b/registers).

Interpreter register, 2022 extract (interpreter, sex, language, category, registered–deregistered,
authorisation date):
i01 K arabisk A (2015–), authorised 2016; engelsk C (2018–), authorised 15 Mar 2022
i02 M arabisk B (2019–); ukrainsk E (1 Jan 2022–)     i03 K ukrainsk E (10 Mar 2022–)
i04 M ukrainsk D (1 Aug 2022–)                        i05 K somali C (2010–1 May 2022), authorised 2012
i06 M somali E (2020–30 Sep 2022)                     i07 K tigrinja D (2021–), authorised 1 Sep 2022
i08 M polsk C (2005–), authorised 1 Feb 2022
"""

from __future__ import annotations

import pytest

from imdi_analysis.appendix import interpreters
from imdi_analysis.appendix.interpreters import (
    build_authorisations,
    build_bilingual_tests,
    build_interpreters,
    build_interpreters_by_language,
    build_register_searches,
    register_status_date,
)
from imdi_analysis.tables import MEASURE_PERCENT, TOTAL
from tests.appendix.test_registry import cell
from tests.appendix.test_settlement import context_b


def test_register_status_date_is_1_june_in_the_half_year_as_the_letter_prints():
    assert register_status_date(2022, "H1").strftime("%Y-%m-%d") == "2022-06-01"
    assert register_status_date(2022, "year").strftime("%Y-%m-%d") == "2022-12-31"


def test_table_28a_counts_each_interpreter_once_in_the_highest_category():
    data = build_interpreters(context_b("28A")).data
    # 31 Dec 2022: i01 (K, best A), i02 (M, best B of B/E), i03 (K, E), i04 (M, D), i07 (K, D),
    # i08 (M, C); i05 and i06 have left the register
    assert cell(data, year=2022, sex=TOTAL, qualification_category=TOTAL) == 6
    assert cell(data, year=2022, sex="Menn", qualification_category="Kategori B") == 1
    assert cell(data, year=2022, sex="Menn", qualification_category="Kategori E") == 0
    assert cell(data, year=2022, sex=TOTAL, qualification_category="Kategori D") == 2
    # 2021 extract: i01 A, i05 C, i07 D (K); i02 B, i06 E (M)
    assert cell(data, year=2021, sex="Kvinner", qualification_category=TOTAL) == 3
    assert cell(data, year=2021, sex=TOTAL, qualification_category=TOTAL) == 5


def test_table_28a_half_year_counts_the_register_on_1_june():
    data = build_interpreters(context_b("28A", period="H1")).data
    # 1 June 2022: i01, i02, i03 (from 10 Mar), i06 (until 30 Sep), i07, i08; not i04 (from 1 Aug)
    # nor i05 (left 1 May)
    assert cell(data, year=2022, sex=TOTAL, qualification_category=TOTAL) == 6
    assert cell(data, year=2022, sex=TOTAL, qualification_category="Kategori E") == 2  # i03, i06


def test_table_28b_ranks_languages_by_registered_interpreters():
    table = build_interpreters_by_language(context_b("28B"))
    data = table.data
    # 31 Dec 2022: ukrainsk 3 (i02 E, i03 E, i04 D), arabisk 2 (i01 A, i02 B), engelsk, polsk,
    # tigrinja 1 each; "I alt" sums the registrations: 8
    languages = list(dict.fromkeys(data["language"]))
    assert languages == ["Ukrainsk", "Arabisk", "Engelsk", "Polsk", "Tigrinja", TOTAL]
    assert cell(data, language="Ukrainsk", sex="Menn", qualification_category=TOTAL) == 2
    assert cell(data, language="Ukrainsk", sex=TOTAL, qualification_category="Kategori E") == 2
    assert cell(data, language=TOTAL, sex=TOTAL, qualification_category=TOTAL) == 8
    assert "year" not in table.dims


def test_table_28b_keeps_only_the_largest_languages(monkeypatch):
    monkeypatch.setattr(interpreters, "LARGEST_LANGUAGES", 2)
    data = build_interpreters_by_language(context_b("28B")).data
    # ukrainsk 3 + arabisk 2
    assert set(data["language"]) == {"Ukrainsk", "Arabisk", TOTAL}
    assert cell(data, language=TOTAL, sex=TOTAL, qualification_category=TOTAL) == 5


def test_table_29_counts_new_and_held_authorisations_with_sex_distribution():
    data = build_authorisations(context_b("29")).data
    # new in 2022: i01 engelsk (K), i08 polsk (M), i07 tigrinja (K): 3, men 1 = 33.3 %
    assert cell(data, year=2022, authorisation="Nye bevillinger", sex=TOTAL) == 3
    assert cell(
        data, MEASURE_PERCENT, year=2022, authorisation="Nye bevillinger", sex="Menn"
    ) == pytest.approx(100 / 3)
    # held on 31 Dec 2022 by registered interpreters: i01 arabisk, i01 engelsk, i07, i08 (i05 left)
    assert cell(data, year=2022, authorisation="Bevillinger i alt", sex="Kvinner") == 3
    assert cell(data, MEASURE_PERCENT, year=2022, authorisation="Bevillinger i alt", sex="Menn") == 25
    assert cell(data, year=2022, authorisation="Språk med bevillinger", sex=TOTAL) == 4
    assert cell(data, year=2022, authorisation="Språk med nye bevillinger", sex=TOTAL) == 3
    # 2021: none new; i01 arabisk and i05 somali held
    assert cell(data, year=2021, authorisation="Nye bevillinger", sex=TOTAL) == 0
    assert cell(data, year=2021, authorisation="Bevillinger i alt", sex=TOTAL) == 2
    # distinct languages: men polsk; women arabisk, engelsk, tigrinja; in all 4 (not a sum)
    assert cell(data, year=2022, authorisation="Språk med bevillinger", sex="Menn") == 1
    assert cell(data, year=2022, authorisation="Språk med bevillinger", sex="Kvinner") == 3
    # a percentage of languages is not applicable
    languages = data[data["authorisation"].str.startswith("Språk") & (data["measure"] == MEASURE_PERCENT)]
    assert languages["status"].eq(".").all() and languages["value"].isna().all()


def test_table_29_half_year_counts_authorisations_to_30_june():
    data = build_authorisations(context_b("29", period="H1")).data
    # by 30 June 2022: new i08 (1 Feb) and i01 engelsk (15 Mar); i07 (1 Sep) later
    assert cell(data, year=2022, authorisation="Nye bevillinger", sex=TOTAL) == 2
    # held: i01 arabisk, i01 engelsk, i08 polsk; i05 left the register on 1 May
    assert cell(data, year=2022, authorisation="Bevillinger i alt", sex=TOTAL) == 3


def test_table_30_sums_monthly_searches_to_the_status_month():
    year = build_register_searches(context_b("30")).data
    # 2022: 100 + 200 + ... + 1200 = 7800; 2021: 12 x 50 = 600
    assert cell(year, year=2022) == 7800
    assert cell(year, year=2021) == 600
    half = build_register_searches(context_b("30", period="H1")).data
    # January-June 2022: 100 + ... + 600 = 2100
    assert cell(half, year=2022) == 2100


def test_table_31_counts_tests_by_result_and_sex_with_languages():
    data = build_bilingual_tests(context_b("31")).data
    taken = {"year": 2022, "item": "Gjennomførte tester"}
    # Tospråktesten 2022: t01 K passed, t02 M failed, t03 K passed, t04 K passed (t07, taken in
    # December 2021, is outside the year): 4 tests, 3 passed, in arabisk, ukrainsk, somali;
    # women passed in all three languages, men (t02) took it in arabisk only
    assert cell(data, test_type="Tospråktesten", outcome=TOTAL, sex=TOTAL, **taken) == 4
    assert cell(data, test_type="Tospråktesten", outcome="Bestått", sex="Kvinner", **taken) == 3
    assert cell(data, year=2022, test_type="Tospråktesten", item="Språk", outcome=TOTAL, sex=TOTAL) == 3
    assert (
        cell(data, year=2022, test_type="Tospråktesten", item="Språk", outcome="Bestått", sex="Kvinner") == 3
    )
    assert cell(data, year=2022, test_type="Tospråktesten", item="Språk", outcome=TOTAL, sex="Menn") == 1
    # TAO 2022: t05 K passed (arabisk), t06 M failed (dari)
    assert cell(data, test_type="TAO", outcome="Ikke bestått", sex="Menn", **taken) == 1
    assert cell(data, year=2022, test_type="TAO", item="Språk", outcome=TOTAL, sex=TOTAL) == 2
    # 2021: t07 and t08, no TAO
    assert (
        cell(data, year=2021, test_type="Tospråktesten", item="Gjennomførte tester", outcome=TOTAL, sex=TOTAL)
        == 2
    )
    assert cell(data, year=2021, test_type="TAO", item="Språk", outcome=TOTAL, sex=TOTAL) == 0
    assert TOTAL not in set(data["test_type"])


def test_table_31_half_year_counts_tests_to_30_june():
    data = build_bilingual_tests(context_b("31", period="H1")).data
    # by 30 June 2022: t01, t02 (Tospråktesten, both arabisk) and t05 (TAO)
    assert (
        cell(data, year=2022, test_type="Tospråktesten", item="Gjennomførte tester", outcome=TOTAL, sex=TOTAL)
        == 2
    )
    assert cell(data, year=2022, test_type="Tospråktesten", item="Språk", outcome=TOTAL, sex=TOTAL) == 1
    assert cell(data, year=2022, test_type="TAO", item="Gjennomførte tester", outcome=TOTAL, sex=TOTAL) == 1
