"""Reading Statistics Norway JSON-stat 2.0 responses with codes, labels, values and statuses."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imdi_analysis.codes import SYMBOL_MISSING, SYMBOL_SUPPRESSED
from imdi_analysis.errors import DataValidationError, TableLayoutError
from imdi_analysis.sources.jsonstat import category_hierarchy, parse_jsonstat, read_jsonstat

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ssb"
FIXTURE = FIXTURES / "table10809.json"
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


# ---------------------------------------------------------------- SSB's published layout

PUBLISHED_2017 = FIXTURES / "table10809_2017.json"
SUBTOTALS_2023 = FIXTURES / "table10809_2023_subtotals.json"
STATUS_2017 = ["00", "01", "011", "012", "013", "02", "021", "022", "03"]


def published_document() -> dict:
    return json.loads(PUBLISHED_2017.read_text(encoding="utf-8"))


def counts_only(frame):
    return frame[frame["ContentsCode"] == "Personer"]


def write_document(tmp_path: Path, document: dict, name: str = "variant.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_published_2017_table_is_read_with_ssb_labels_and_figures():
    """SSB's page for status year 2017: 4 790 former participants, 2 980 in work or education."""
    frame = counts_only(read_jsonstat(PUBLISHED_2017))
    both = frame[frame["Kjonn"] == "0"].set_index("Status")
    assert list(both.index) == STATUS_2017
    assert both.loc["00", "Status_label"] == "Arbeidssituasjon i alt"
    assert both.loc["01", "Status_label"] == "Sysselsatt og / eller under utdanning, i alt"
    assert (both.loc["00", "value"], both.loc["01", "value"]) == (4790, 2980)


def test_status_totals_and_subtotals_of_the_published_table_are_recognised():
    """Leaves: 011 + 012 + 013 = 01 (2 980), 021 + 022 = 02 (482); 03 has no parts in the file,
    so it is a leaf; 00 = 011 + 012 + 013 + 021 + 022 + 03 = 1 500 + 645 + 835 + 257 + 225 + 1 328
    = 4 790."""
    hierarchy = category_hierarchy(counts_only(read_jsonstat(PUBLISHED_2017)), "Status")
    assert hierarchy.total == "00"
    assert hierarchy.leaves == ("011", "012", "013", "021", "022", "03")
    assert hierarchy.parts["01"] == ("011", "012", "013")
    assert hierarchy.parts["02"] == ("021", "022")
    assert hierarchy.parts["00"] == hierarchy.leaves
    assert not hierarchy.is_aggregate("03") and hierarchy.leaves_of("01") == ("011", "012", "013")


def test_sex_total_is_the_sum_of_men_and_women():
    """Begge kjønn 4 790 = Menn 2 706 + Kvinner 2 084 (and so for every status)."""
    hierarchy = category_hierarchy(counts_only(read_jsonstat(PUBLISHED_2017)), "Kjonn")
    assert (hierarchy.total, hierarchy.leaves) == ("0", ("1", "2"))


def test_a_table_with_only_subtotals_has_the_subtotals_as_leaves():
    """2023: 2 060 + 170 + 940 = 3 170."""
    hierarchy = category_hierarchy(read_jsonstat(SUBTOTALS_2023), "Status")
    assert (hierarchy.total, hierarchy.leaves) == ("00", ("01", "02", "03"))


def test_a_table_of_detailed_categories_only_has_no_total():
    hierarchy = category_hierarchy(read_jsonstat(FIXTURE), "Status")
    assert hierarchy.total is None and hierarchy.parts == {}
    assert hierarchy.leaves == ("01", "02", "03", "04", "05")


def test_an_age_total_labelled_as_a_range_is_recognised_by_its_parts():
    """18-55 år is not labelled "i alt" but equals 18-29 + 30-39 + 40-55 in every known cell."""
    hierarchy = category_hierarchy(read_jsonstat(FIXTURE), "Alder")
    assert hierarchy.total == "18-55" and hierarchy.leaves == ("18-29", "30-39", "40-55")


@pytest.mark.parametrize(
    "status",
    [
        {"5": ":"},  # object: position → symbol
        [None] * 5 + [":"] + [None] * 48,  # array: one entry per cell
    ],
    ids=["object", "array"],
)
def test_status_as_object_or_array_marks_the_same_cell(tmp_path: Path, status):
    """Cell 5 in row-major order (Kjonn, Status, ContentsCode, Tid; sizes 3, 9, 2, 1) is
    Kjonn 0, Status index 2 (011 Sysselsatt), ContentsCode index 1 (per cent)."""
    document = published_document()
    document["value"][5] = None
    document["status"] = status
    frame = read_jsonstat(write_document(tmp_path, document))
    flagged = frame[frame["status"] != ""]
    assert len(flagged) == 1
    cell = flagged.iloc[0]
    assert (cell["Kjonn"], cell["Status"], cell["ContentsCode"], cell["status"]) == (
        "0",
        "011",
        "PersonerProsent",
        ":",
    )
    assert np.isnan(cell["value"])


def test_status_as_one_string_applies_to_every_cell(tmp_path: Path):
    document = published_document()
    document["status"] = "p"  # e.g. every figure preliminary
    frame = read_jsonstat(write_document(tmp_path, document))
    assert set(frame["status"]) == {"p"} and len(frame) == 54


def test_index_as_array_reads_like_index_as_object(tmp_path: Path):
    document = published_document()
    for dimension in document["dimension"].values():
        index = dimension["category"]["index"]
        dimension["category"]["index"] = sorted(index, key=index.get)
    as_array = read_jsonstat(write_document(tmp_path, document))
    pd.testing.assert_frame_equal(as_array, read_jsonstat(PUBLISHED_2017), check_like=False, check_exact=True)


def test_index_object_out_of_order_is_read_by_position(tmp_path: Path):
    """JSON object order does not matter: the index gives each code's position."""
    document = published_document()
    index = document["dimension"]["Kjonn"]["category"]["index"]
    document["dimension"]["Kjonn"]["category"]["index"] = dict(reversed(list(index.items())))
    frame = read_jsonstat(write_document(tmp_path, document))
    assert list(dict.fromkeys(frame["Kjonn"])) == ["0", "1", "2"]


def test_sparse_value_object_gives_the_same_cells_with_nan_for_absent_positions(tmp_path: Path):
    document = published_document()
    dense = document["value"]
    document["value"] = {str(i): v for i, v in enumerate(dense) if i != 7}
    document["status"] = {"7": ".."}
    frame = read_jsonstat(write_document(tmp_path, document))
    assert np.isnan(frame["value"].iloc[7]) and frame["status"].iloc[7] == ".."
    kept = [i for i in range(len(dense)) if i != 7]
    assert frame["value"].iloc[kept].tolist() == [float(dense[i]) for i in kept]


def test_a_total_that_does_not_equal_its_parts_is_refused_with_the_numbers(tmp_path: Path):
    """Arbeidssituasjon i alt for both sexes changed from 4 790 to 4 800: 1 500 + 645 + 835 + 257
    + 225 + 1 328 = 4 790, so the total does not add up (men 2 706 and women 2 084 still do)."""
    document = published_document()
    document["value"][0] = 4800  # Kjonn 0, Status 00, Personer
    frame = counts_only(read_jsonstat(write_document(tmp_path, document, "bad_total.json")))
    with pytest.raises(TableLayoutError) as caught:
        category_hierarchy(frame, "Status", str(tmp_path / "bad_total.json"))
    message = str(caught.value)
    assert "bad_total.json" in message and "'Status'" in message
    assert "'Arbeidssituasjon i alt' (00)" in message and "labelled as a total" in message
    assert "4800 against 4790 for Kjonn=0, ContentsCode=Personer, Tid=2017" in message


def test_a_subtotal_that_does_not_equal_its_parts_is_refused(tmp_path: Path):
    """Sysselsatt og / eller under utdanning, i alt for women 1 048 → 1 050: it is no longer the
    sum of 445 + 221 + 382 = 1 048, nor of any other set of statuses."""
    document = published_document()
    position = (2 * 9 + 1) * 2  # Kjonn 2, Status 01, Personer
    assert document["value"][position] == 1048
    document["value"][position] = 1050
    frame = counts_only(parse_jsonstat(document, "bad_subtotal.json"))
    with pytest.raises(
        TableLayoutError, match=r"bad_subtotal\.json: dimension 'Status'.*'Sysselsatt og / eller"
    ):
        category_hierarchy(frame, "Status", "bad_subtotal.json")


def test_a_total_with_two_possible_sets_of_parts_is_refused():
    """I alt = 10 = Sysselsatt 4 + Ikke sysselsatt 6, but also 6 + "Av dette: i utdanning" 4: the
    reader cannot tell which categories make up the total, so it refuses rather than guess."""
    document = {
        "class": "dataset",
        "id": ["Status"],
        "size": [4],
        "dimension": {
            "Status": {
                "category": {
                    "index": ["0", "1", "2", "3"],
                    "label": {
                        "0": "I alt",
                        "1": "Sysselsatt",
                        "2": "Ikke sysselsatt",
                        "3": "Av dette: i utdanning",
                    },
                }
            }
        },
        "value": [10, 4, 6, 4],
    }
    with pytest.raises(TableLayoutError) as caught:
        category_hierarchy(parse_jsonstat(document, "ambiguous.json"), "Status", "ambiguous.json")
    message = str(caught.value)
    assert "ambiguous.json: dimension 'Status'" in message and "'I alt' (0)" in message
    assert "['Sysselsatt' (1), 'Ikke sysselsatt' (2)] or ['Ikke sysselsatt' (2)" in message
    assert "ambiguous" in message


def test_categories_outside_every_total_are_refused():
    """I alt 10 = 4 + 6, and a fourth category 3 ("Av dette: Oslo") lies outside the total: adding
    all leaves would count its persons twice."""
    document = {
        "class": "dataset",
        "id": ["Region", "Tid"],
        "size": [4, 2],
        "dimension": {
            "Region": {
                "category": {
                    "index": ["0", "1", "2", "3"],
                    "label": {"0": "Hele landet", "1": "Øst", "2": "Vest", "3": "Av dette: Oslo"},
                }
            },
            "Tid": {"category": {"index": ["2021", "2022"]}},
        },
        "value": [10, 12, 4, 5, 6, 7, 3, 2],
    }
    with pytest.raises(TableLayoutError, match=r"'Av dette: Oslo' \(3\) are outside every total"):
        category_hierarchy(parse_jsonstat(document, "of_which.json"), "Region", "of_which.json")


def test_a_single_category_needs_no_hierarchy():
    document = {
        "class": "dataset",
        "id": ["Status"],
        "size": [1],
        "dimension": {"Status": {"category": {"index": ["00"], "label": {"00": "Arbeidssituasjon i alt"}}}},
        "value": [7],
    }
    hierarchy = category_hierarchy(parse_jsonstat(document), "Status")
    assert hierarchy.leaves == ("00",) and hierarchy.total is None


def test_a_suppressed_subtotal_is_not_used_to_infer_or_refuse():
    """With 01 hidden (":") everywhere, it cannot be checked: it is kept as a leaf (so any sum
    that needs it is missing) and the rest of the hierarchy still holds."""
    document = published_document()
    status = {}
    for sex in range(3):
        for contents in range(2):
            position = (sex * 9 + 1) * 2 + contents
            document["value"][position] = None
            status[str(position)] = ":"
    document["status"] = status
    hierarchy = category_hierarchy(counts_only(parse_jsonstat(document)), "Status")
    assert "01" in hierarchy.leaves and hierarchy.parts["02"] == ("021", "022")


@st.composite
def layouts(draw, distinct_sums: bool):
    """A status dimension laid out as SSB does: an optional "Arbeidssituasjon i alt" (code 0),
    then groups, each with an optional "Gruppe g, i alt" subtotal and optionally its parts, over
    1–3 years.

    With ``distinct_sums`` every detailed count is a different power of two (times year + 1), so
    no set of categories adds up to another by coincidence; otherwise counts are 0–40.
    Returns the document, the true whole per year, the leaves and the subtotals with their parts.
    """
    years = draw(st.integers(1, 3))
    groups = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    if distinct_sums:
        powers = iter(draw(st.permutations(range(sum(groups)))))
        exponents = [[next(powers) for _ in range(n)] for n in groups]
        detail = [[[2**e * (y + 1) for y in range(years)] for e in group] for group in exponents]
    else:
        counts = st.lists(st.integers(0, 40), min_size=years, max_size=years)
        detail = [[draw(counts) for _ in range(n)] for n in groups]
    whole = [sum(part[y] for group in detail for part in group) for y in range(years)]
    categories: list[tuple[str, str, list[int]]] = []
    leaves: list[str] = []
    subtotals: dict[str, tuple[str, ...]] = {}
    if draw(st.booleans()):
        categories.append(("0", "Arbeidssituasjon i alt", whole))
    for g, group in enumerate(detail, start=1):
        show_subtotal, show_parts = draw(st.sampled_from([(True, True), (True, False), (False, True)]))
        part_codes = [f"{g}{k}" for k in range(1, len(group) + 1)]
        if show_subtotal:
            categories.append(
                (f"{g}", f"Gruppe {g}, i alt", [sum(p[y] for p in group) for y in range(years)])
            )
            if show_parts:
                subtotals[f"{g}"] = tuple(part_codes)
            else:
                leaves.append(f"{g}")
        if show_parts:
            categories += [(code, f"Del {code}", part) for code, part in zip(part_codes, group, strict=True)]
            leaves += part_codes
    document = {
        "class": "dataset",
        "id": ["Status", "Tid"],
        "size": [len(categories), years],
        "dimension": {
            "Status": {
                "category": {
                    "index": [code for code, _, _ in categories],
                    "label": {code: label for code, label, _ in categories},
                }
            },
            "Tid": {"category": {"index": [str(2020 + y) for y in range(years)]}},
        },
        "value": [v for _, _, values in categories for v in values],
    }
    return document, whole, leaves, subtotals


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts(distinct_sums=True))
def test_layouts_whose_sums_cannot_coincide_are_recognised_exactly(layout):
    """When no sum of categories can equal another by chance, the reader finds SSB's layout:
    with "Arbeidssituasjon i alt" it is the total of every leaf and each shown subtotal has
    exactly its parts; without it, the reader either refuses (it cannot tell whether categories
    outside the subtotals belong together) or finds the same leaves."""
    document, whole, leaves, subtotals = layout
    frame = parse_jsonstat(document)
    has_total = "0" in document["dimension"]["Status"]["category"]["index"]
    try:
        hierarchy = category_hierarchy(frame, "Status")
    except TableLayoutError:
        assert not has_total, "refused a layout with its grand total"
        return
    assert list(hierarchy.leaves) == leaves
    assert {c: p for c, p in hierarchy.parts.items() if c != "0"} == subtotals
    if has_total:
        assert hierarchy.total == "0" and hierarchy.parts["0"] == tuple(leaves)
    wide = frame.pivot_table(index="Tid", columns="Status", values="value", aggfunc="first")
    assert wide[leaves].sum(axis=1).tolist() == whole


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts(distinct_sums=False))
def test_any_accepted_layout_adds_up(layout):
    """With small counts, sums can coincide (1 + 2 = 3) and the numbers alone may not tell the
    layout; whatever the reader accepts is still consistent: every total equals the sum of its
    parts in every cell, and no leaf is also a total."""
    document, _, _, _ = layout
    frame = parse_jsonstat(document)
    try:
        hierarchy = category_hierarchy(frame, "Status")
    except TableLayoutError:
        return
    wide = frame.pivot_table(index="Tid", columns="Status", values="value", aggfunc="first")
    assert not set(hierarchy.leaves) & set(hierarchy.parts)
    for code, parts in hierarchy.parts.items():
        assert wide[code].tolist() == wide[list(parts)].sum(axis=1).tolist(), code
    if hierarchy.total is not None:
        assert set(hierarchy.parts[hierarchy.total]) >= {c for c in hierarchy.leaves if wide[c].any()}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": {"0": 1, "9": 2}}, r"'value' has position '9'; positions run from 0 to 2"),
        ({"status": {"x": ":"}}, r"'status' has position 'x'; positions run from 0 to 2"),
        ({"value": [1, "=HYPERLINK()", 3]}, r"'value' holds '=HYPERLINK\(\)', not a number"),
        ({"size": ["3"]}, r"needs 'id' .* and 'size'"),
        (
            {"dimension": {"Tid": {"category": {"index": {"2020": 0, "2021": 2, "2022": 3}}}}},
            r"category.index positions must be 0 to 2",
        ),
    ],
    ids=["sparse-value-out-of-range", "status-key-not-a-number", "text-value", "size-text", "index-gap"],
)
def test_malformed_documents_are_validation_errors_naming_the_field(change, message):
    document = {
        "class": "dataset",
        "id": ["Tid"],
        "size": [3],
        "dimension": {"Tid": {"category": {"index": ["2020", "2021", "2022"]}}},
        "value": [1, 2, 3],
    }
    with pytest.raises(DataValidationError, match=message):
        parse_jsonstat({**document, **change}, "bad.json")
