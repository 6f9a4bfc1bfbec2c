"""Code lists: counties and municipalities with validity dates, other code lists, SSB symbols."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from imdi_analysis import codes
from imdi_analysis.errors import ConfigError, DataNotFoundError

COUNTIES_2020_2023 = {"03", "11", "15", "18", "30", "34", "38", "42", "46", "50", "54"}
COUNTIES_FROM_2024 = {
    "03",
    "11",
    "15",
    "18",
    "31",
    "32",
    "33",
    "34",
    "39",
    "40",
    "42",
    "46",
    "50",
    "55",
    "56",
}
COUNTIES_2018_2019 = {
    "01",
    "02",
    "03",
    "04",
    "05",
    "06",
    "07",
    "08",
    "09",
    "10",
    "11",
    "12",
    "14",
    "15",
    "18",
    "19",
    "20",
    "50",
}


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (dt.date(2019, 12, 31), COUNTIES_2018_2019),
        (dt.date(2020, 1, 1), COUNTIES_2020_2023),
        (dt.date(2023, 12, 31), COUNTIES_2020_2023),
        (dt.date(2024, 1, 1), COUNTIES_FROM_2024),
    ],
)
def test_valid_counties_follow_the_regional_reforms(on: dt.date, expected: set[str]):
    assert codes.valid_county_codes(on) == expected


def test_county_name_depends_on_the_date():
    assert codes.county_name("46") == "Vestland"
    assert codes.county_name("03", on=dt.date(2019, 6, 30)) == "Oslo"
    with pytest.raises(DataNotFoundError, match=r"'30' .* 2024-06-30"):
        codes.county_name("30", on=dt.date(2024, 6, 30))


def test_every_municipality_lies_in_a_county_valid_throughout_its_validity():
    counties = codes.load_counties().set_index("code")
    for row in codes.load_municipalities().itertuples():
        assert row.code[:2] == row.county, row
        county = counties.loc[[row.county]]
        starts_ok = (county["valid_from"] <= row.valid_from).any()
        ends = county["valid_to"]
        ends_ok = ends.isna().any() or (pd.notna(row.valid_to) and (ends >= row.valid_to).any())
        assert starts_ok and ends_ok, f"{row.code} {row.name} outside the validity of county {row.county}"


def test_no_code_has_overlapping_validity_periods():
    for table in (codes.load_counties(), codes.load_municipalities()):
        for _code, group in table.sort_values("valid_from").groupby("code"):
            ends = group["valid_to"].fillna(pd.Timestamp("2999-12-31")).iloc[:-1].to_numpy()
            assert (group["valid_from"].iloc[1:].to_numpy() > ends).all()


def test_renumbered_municipalities_have_both_numbers():
    municipalities = codes.load_municipalities()
    for old, new in [("1201", "4601"), ("1902", "5401"), ("0602", "3005"), ("1001", "4204")]:
        assert old in codes.valid_municipality_codes(dt.date(2019, 6, 30))
        assert new in codes.valid_municipality_codes(dt.date(2022, 6, 30))
        names = municipalities.set_index("code")["name"]
        assert names[old] == names[new]


def test_every_county_of_2019_and_2022_has_municipalities_some_small():
    municipalities = codes.load_municipalities()
    for on, counties in [
        (dt.date(2019, 6, 30), COUNTIES_2018_2019),
        (dt.date(2022, 6, 30), COUNTIES_2020_2023),
    ]:
        valid = codes.valid_municipality_codes(on)
        assert {codes.county_of(m) for m in valid} == counties
    assert (municipalities.drop_duplicates("name")["population_2022"] < 2000).sum() >= 5


def test_code_valid_on_checks_each_row_against_its_date():
    county = pd.Series(["46", "12", "12", None, "99"])
    dates = pd.Series(pd.to_datetime(["2022-01-01", "2022-01-01", "2019-05-01", "2022-01-01", "2022-01-01"]))
    assert codes.county_valid_on(county, dates).tolist() == [True, False, True, True, False]
    same_day = pd.Series(pd.Timestamp("2019-12-31"), index=county.index)
    assert codes.county_valid_on(county, same_day).tolist() == [False, True, True, True, False]


@pytest.mark.parametrize("name", codes.CODE_LISTS)
def test_code_lists_have_unique_codes_and_norwegian_labels(name: str):
    frame = codes.load_code_list(name)
    assert list(frame.columns) == ["code", "label", "description"]
    assert frame["code"].is_unique and (frame["code"] != "").all()
    assert (frame["label"] != "").all()


def test_unknown_code_list_is_a_config_error():
    with pytest.raises(ConfigError, match="intro_measures"):
        codes.load_code_list("measures")


def test_sex_labels_match_the_code_list_and_symbols_have_legends():
    assert codes.code_labels("sex") == codes.SEX_LABELS == {"M": "Menn", "K": "Kvinner"}
    assert set(codes.SYMBOL_LEGEND) == {":", "..", ".", "-"}
    assert codes.SYMBOL_SUPPRESSED == ":" and codes.SYMBOL_MISSING == ".."


def test_contract_codes_are_in_the_lists():
    assert {"SYR", "UKR", "AFG", "ERI", "XXX"} <= set(codes.codes_in("nationalities"))
    assert set(codes.codes_in("interpreter_categories")) == set("ABCDE")
    assert set(codes.codes_in("complaint_outcomes")) == {
        "medhold",
        "delvis_medhold",
        "ikke_medhold",
        "opphevet",
        "avvist",
    }
    assert set(codes.codes_in("training_right_codes")) == {"rett_og_plikt", "plikt", "rett", "ingen"}
    contract_measures = {
        "norskopplaering",
        "arbeidspraksis",
        "grunnskole",
        "videregaende",
        "fag_og_yrkesopplaering",
        "hoyere_utdanning",
        "jobbsokerkurs",
        "annet",
    }
    assert contract_measures <= set(codes.codes_in("intro_measures"))


def test_county_of_uses_the_first_two_digits():
    assert codes.county_of("4601") == "46"
    with pytest.raises(ConfigError):
        codes.county_of("460")
