"""Reading Statistics Norway JSON-stat 2.0 responses with codes, labels, values and statuses."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from imdi_analysis.codes import SYMBOL_MISSING, SYMBOL_SUPPRESSED
from imdi_analysis.errors import DataValidationError
from imdi_analysis.sources.jsonstat import parse_jsonstat, read_jsonstat

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ssb" / "table10809.json"
DIMENSIONS = ["Kjonn", "Alder", "Status", "ContentsCode", "Tid"]
IN_WORK_OR_EDUCATION = ["01", "02", "03"]


@pytest.fixture(scope="module")
def table():
    return read_jsonstat(FIXTURE)


def test_one_code_and_one_label_column_per_dimension_then_value_and_status(table):
    expected = [c for d in DIMENSIONS for c in (d, f"{d}_label")] + ["value", "status"]
    assert list(table.columns) == expected
    assert len(table) == 3 * 4 * 5 * 1 * 4
    assert table.attrs["source"] == "Statistisk sentralbyrå"


def test_rows_follow_row_major_order_with_labels(table):
    first = table.iloc[0]
    assert (first["Kjonn"], first["Kjonn_label"], first["Tid"]) == ("0", "Begge kjønn", "2019")
    assert table.iloc[1]["Tid"] == "2020"  # last dimension varies fastest
    assert table.loc[table["Status"] == "04", "Status_label"].iloc[0].startswith("Registrert arbeidsledig")


def test_null_values_are_nan_and_keep_their_status(table):
    flagged = table[table["status"] != ""]
    assert set(flagged["status"]) == {SYMBOL_SUPPRESSED, SYMBOL_MISSING}
    assert flagged["value"].isna().all()
    assert table.loc[table["status"] == "", "value"].notna().all()
    suppressed = flagged[flagged["status"] == SYMBOL_SUPPRESSED].iloc[0]
    assert (suppressed["Kjonn_label"], suppressed["Alder"], suppressed["Tid"]) == ("Menn", "40-55", "2022")


def test_values_are_realistic_per_reference(table):
    total = table[(table["Alder"] == "18-55")]
    share = (
        total[total["Status"].isin(IN_WORK_OR_EDUCATION)].groupby("Kjonn")["value"].sum()
        / total.groupby("Kjonn")["value"].sum()
    )
    assert 0.55 <= share["0"] <= 0.70
    assert share["1"] > share["2"]


def test_both_sexes_is_the_sum_of_men_and_women(table):
    pivot = table[table["status"] == ""].pivot_table(
        index=["Alder", "Status", "Tid"], columns="Kjonn", values="value"
    )
    complete = pivot.dropna()
    np.testing.assert_allclose(complete["0"], complete["1"] + complete["2"])


def test_sparse_values_and_a_single_status_string_are_read():
    document = {
        "class": "dataset",
        "id": ["Tid"],
        "size": [3],
        "dimension": {"Tid": {"category": {"index": ["2020", "2021", "2022"]}}},
        "value": {"0": 5, "2": 7},
        "status": {"1": ".."},
    }
    frame = parse_jsonstat(document)
    assert frame["value"].tolist()[0] == 5 and np.isnan(frame["value"].iloc[1])
    assert frame["status"].tolist() == ["", "..", ""]
    assert frame["Tid_label"].tolist() == ["2020", "2021", "2022"]


def test_size_mismatch_is_a_validation_error(tmp_path: Path):
    document = json.loads(FIXTURE.read_text(encoding="utf-8"))
    document["value"] = document["value"][:-1]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"bad\.json: 'value' has 239 cells; the sizes give 240"):
        read_jsonstat(path)
