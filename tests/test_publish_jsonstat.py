"""JSON-stat 2.0 downloads: written from disclosed tables, read back with the package's reader."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imdi_analysis.disclosure import apply_disclosure
from imdi_analysis.errors import ConfigError, DisclosureError
from imdi_analysis.publish_jsonstat import write_jsonstat
from imdi_analysis.sources.jsonstat import category_hierarchy, read_jsonstat
from imdi_analysis.tables import TOTAL, AppendixTable

UPDATED = dt.date(2023, 2, 15)
SYMBOLS = {":", "..", ".", "-"}


def sex_by_year_table() -> AppendixTable:
    """Counts by sex and year, written by hand, with a builder's ``..`` and ``.``."""
    rows = [
        ("Menn", 2021, 12.0, ""),
        ("Menn", 2022, 3.0, ""),
        ("Kvinner", 2021, 0.0, ""),
        ("Kvinner", 2022, 20.0, ""),
        ("Ukjent", 2021, np.nan, ".."),
        ("Ukjent", 2022, np.nan, "."),
        (TOTAL, 2021, 12.0, ""),
        (TOTAL, 2022, 23.0, ""),
    ]
    data = pd.DataFrame(rows, columns=["sex", "year", "value", "status"]).assign(measure="count", base=np.nan)
    return AppendixTable(
        "7A",
        "Deltakere etter kjønn",
        2022,
        "year",
        data,
        ["sex", "year"],
        {"sex": "Kjønn", "year": "År"},
        notes=["Personer bosatt i perioden."],
        synthetic=True,
    )


@pytest.fixture
def disclosed() -> AppendixTable:
    return apply_disclosure(sex_by_year_table(), threshold=5)


def write_and_read(table: AppendixTable, tmp_path: Path) -> tuple[dict, pd.DataFrame]:
    path = tmp_path / f"{table.key}.jsonstat.json"
    write_jsonstat(table, path, updated=UPDATED)
    return json.loads(path.read_text(encoding="utf-8")), read_jsonstat(path)


def test_every_symbol_survives_a_write_and_read(disclosed, tmp_path):
    """Threshold 5: Menn 2022 = 3 is below it (:); Kvinner 2022 = 20 would give it away as
    23 − 20, so it is hidden too (:); Kvinner 2021 = 0 is shown as 0 with "-"; the builder's ".."
    and "." stay. The totals 12 and 23 are shown."""
    _, frame = write_and_read(disclosed, tmp_path)
    got = frame.set_index(["sex", "year"])[["value", "status"]]
    expected = {
        ("Menn", "2021"): (12.0, ""),
        ("Menn", "2022"): (None, ":"),
        ("Kvinner", "2021"): (0.0, "-"),
        ("Kvinner", "2022"): (None, ":"),
        ("Ukjent", "2021"): (None, ".."),
        ("Ukjent", "2022"): (None, "."),
        (TOTAL, "2021"): (12.0, ""),
        (TOTAL, "2022"): (23.0, ""),
    }
    assert len(got) == len(expected)
    for key, (value, status) in expected.items():
        assert got.loc[key, "status"] == status, key
        assert math.isnan(got.loc[key, "value"]) if value is None else got.loc[key, "value"] == value, key
    assert set(frame["status"]) - {""} == SYMBOLS


def test_read_back_gives_the_same_cells_and_symbols_as_the_disclosed_table(disclosed, tmp_path):
    _, frame = write_and_read(disclosed, tmp_path)
    back = frame.assign(measure=frame["ContentsCode"]).set_index(["sex", "year", "measure"])
    for record in disclosed.data.to_dict("records"):
        cell = back.loc[(record["sex"], str(record["year"]), record["measure"])]
        assert cell["status"] == record["status"]
        if pd.isna(record["value"]):
            assert math.isnan(cell["value"])
        else:
            assert cell["value"] == record["value"]
    assert len(back) == len(disclosed.data)


def test_document_is_json_stat_2_with_status_units_threshold_and_time_role(disclosed, tmp_path):
    document, _ = write_and_read(disclosed, tmp_path)
    assert (document["version"], document["class"]) == ("2.0", "dataset")
    assert document["label"] == "7A: Deltakere etter kjønn" and document["updated"] == "2023-02-15"
    assert document["id"] == ["sex", "ContentsCode", "year"] and document["size"] == [4, 1, 2]
    assert document["role"] == {"time": ["year"], "metric": ["ContentsCode"]}
    assert document["dimension"]["sex"]["label"] == "Kjønn"
    contents = document["dimension"]["ContentsCode"]["category"]
    assert contents["label"] == {"count": "Antall"} and contents["unit"]["count"]["decimals"] == 0
    # row-major: sex slowest, then ContentsCode, then year
    assert document["value"] == [12, None, 0, None, None, None, 12, 23]
    assert document["status"] == {"1": ":", "2": "-", "3": ":", "4": "..", "5": "."}
    assert document["extension"]["imdi"]["threshold"] == 5
    assert any("Antall under 5 vises ikke" in note for note in document["note"])
    assert "Personer bosatt i perioden." in document["note"]
    assert any("syntetiske" in note for note in document["note"])


def test_measures_get_units_and_the_csvs_decimals(tmp_path):
    """Percent 66.666 → 66.7 (one decimal), mean 3.04 months → 3.0; counts stay integers."""
    data = pd.DataFrame(
        {
            "sex": ["Menn", "Menn", "Menn", "Kvinner", "Kvinner", "Kvinner", TOTAL, TOTAL, TOTAL],
            "measure": ["count", "percent", "mean_months"] * 3,
            "value": [1234.0, 66.666, 4.5, 1000.0, 50.0, 3.04, 2234.0, 58.97, 3.75],
            "base": [np.nan, 1851.0, 1234.0, np.nan, 2000.0, 1000.0, np.nan, 3851.0, 2234.0],
        }
    )
    table = apply_disclosure(AppendixTable("9", "Overgang", 2022, "H1", data, ["sex"], {"sex": "Kjønn"}))
    document, frame = write_and_read(table, tmp_path)
    assert document["id"] == ["sex", "ContentsCode"]  # no time dimension: the measures come last
    units = document["dimension"]["ContentsCode"]["category"]["unit"]
    assert units["percent"] == {"base": "prosent", "decimals": 1}
    assert units["mean_months"] == {"base": "måneder", "decimals": 1}
    assert document["value"][:3] == [1234, 66.7, 4.5]
    women = frame[frame["sex"] == "Kvinner"].set_index("ContentsCode")["value"]
    assert women.to_dict() == {"count": 1000.0, "percent": 50.0, "mean_months": 3.0}


def test_a_combination_the_table_does_not_have_is_null_and_marked_not_applicable(tmp_path):
    """Region "Oslo" has only 2022: its 2021 cell cannot occur, so it is null with "."."""
    data = pd.DataFrame(
        {
            "region": ["Viken", "Viken", "Oslo", TOTAL, TOTAL],
            "year": [2021, 2022, 2022, 2021, 2022],
            "value": [10.0, 12.0, 8.0, 10.0, 20.0],
        }
    ).assign(measure="count", base=np.nan)
    table = apply_disclosure(
        AppendixTable(
            "3", "Bosatte", 2022, "year", data, ["region", "year"], {"region": "Fylke", "year": "År"}
        )
    )
    document, frame = write_and_read(table, tmp_path)
    oslo = frame[(frame["region"] == "Oslo") & (frame["year"] == "2021")].iloc[0]
    assert math.isnan(oslo["value"]) and oslo["status"] == "."
    assert document["status"] == {"2": "."}


def test_an_undisclosed_table_is_refused(tmp_path):
    with pytest.raises(DisclosureError, match="has not been through disclosure control"):
        write_jsonstat(sex_by_year_table(), tmp_path / "7A.jsonstat.json", updated=UPDATED)
    assert not list(tmp_path.iterdir())


def test_a_visible_small_count_is_refused(disclosed, tmp_path):
    tampered = disclosed.data.copy()
    hit = (tampered["sex"] == "Menn") & (tampered["year"] == 2022)
    tampered.loc[hit, ["value", "status"]] = [3.0, ""]
    tampered.attrs = disclosed.data.attrs
    table = AppendixTable(**{**disclosed.__dict__, "data": tampered})
    with pytest.raises(DisclosureError):
        write_jsonstat(table, tmp_path / "7A.jsonstat.json", updated=UPDATED)


def test_same_table_and_date_give_the_same_bytes_and_no_temporary_file(disclosed, tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    write_jsonstat(disclosed, first, updated=UPDATED)
    write_jsonstat(disclosed, second, updated=UPDATED)
    write_jsonstat(disclosed, second, updated=UPDATED)  # overwrites in place
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json"]


def test_categories_that_print_the_same_are_refused(tmp_path):
    data = pd.DataFrame({"year": [2022, "2022"], "value": [10.0, 11.0]}).assign(measure="count", base=np.nan)
    table = apply_disclosure(AppendixTable("4", "År", 2022, "year", data, ["year"], {"year": "År"}))
    with pytest.raises(ConfigError, match="written the same way"):
        write_jsonstat(table, tmp_path / "4.jsonstat.json", updated=UPDATED)


def test_the_package_reader_finds_the_i_alt_totals_of_a_written_table(tmp_path):
    """Every cell shown (threshold 3, counts 3–9): "I alt" of sex is Menn + Kvinner and "I alt" of
    age is the sum of the age groups, so the reader recognises both as totals of the download."""
    rows = {"Menn": [3, 4, 5], "Kvinner": [6, 7, 9]}
    ages = ["0–17 år", "18–29 år", "30 år og over"]
    records = [
        (sex, age, float(v)) for sex, values in rows.items() for age, v in zip(ages, values, strict=True)
    ]
    records += [(sex, TOTAL, float(sum(values))) for sex, values in rows.items()]
    records += [(TOTAL, age, float(rows["Menn"][j] + rows["Kvinner"][j])) for j, age in enumerate(ages)]
    records.append((TOTAL, TOTAL, float(sum(map(sum, rows.values())))))
    data = pd.DataFrame(records, columns=["sex", "age", "value"]).assign(measure="count", base=np.nan)
    table = apply_disclosure(
        AppendixTable(
            "1A", "Deltakere", 2022, "year", data, ["sex", "age"], {"sex": "Kjønn", "age": "Alder"}
        ),
        3,
    )
    _, frame = write_and_read(table, tmp_path)
    assert (frame["status"] == "").all()
    sex = category_hierarchy(frame, "sex")
    age = category_hierarchy(frame, "age")
    assert (sex.total, sex.leaves) == (TOTAL, ("Menn", "Kvinner"))
    assert (age.total, age.leaves) == (TOTAL, tuple(ages))
