"""The statistics appendix specification (Vedlegg 3): every table, its flags and its reading."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from imdi_analysis.errors import DataValidationError
from imdi_analysis.letter.appendix_spec import (
    load_appendix_spec,
    numbering_anomalies,
    parse_booleans,
    tables_due,
)

SEED_LETTER = Path("/work/shared/seed/tildelingsbrev-imdi-2022.txt")
FIXTURE_LETTER = Path(__file__).resolve().parents[1] / "fixtures" / "letter" / "tildelingsbrev-2022.txt"
VEDLEGG_3_LINES = range(3223, 3516)
KEYS_2022 = [
    "1A", "1B", "2A", "2B", "3A", "3B", "4", "5-1", "5-2", "6A", "6B", "7", "8", "9", "10", "11A", "11B",
    "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "28A", "28B",
    "29", "30", "31", "32",
]  # fmt: skip
# (half_year, annual) read by hand from the letter's layout.
HAND_CHECKED_FLAGS = {
    "1A": (False, True),
    "2B": (False, True),
    "4": (True, True),
    "5-1": (True, True),
    "5-2": (False, True),
    "6B": (True, True),
    "9": (False, True),
    "13": (True, False),
    "14": (True, False),
    "16": (True, True),
    "28B": (True, True),
    "30": (False, True),
    "32": (False, True),
}
X_LINE = re.compile(r"^\s*x(\s+x)*\s*$")
X_AFTER_TITLE = re.compile(r"\S\s{2,}x\s*$")


def letter_lines() -> list[str]:
    """The 2022 letter's text lines (the shared seed if present, else the fixture copy)."""
    return (SEED_LETTER if SEED_LETTER.exists() else FIXTURE_LETTER).read_text(encoding="utf-8").split("\n")


def line_numbers(source_lines: str) -> list[int]:
    """1-based line numbers of '3235-3247;3300'."""
    numbers = []
    for part in source_lines.split(";"):
        first, _, last = part.partition("-")
        numbers += range(int(first), int(last or first) + 1)
    return numbers


def x_lines(lines: list[str], numbers: list[int]) -> dict[int, str]:
    """The lines among ``numbers`` that carry the x marks."""
    return {
        n: lines[n - 1] for n in numbers if X_LINE.match(lines[n - 1]) or X_AFTER_TITLE.search(lines[n - 1])
    }


def flag_groups(spec):
    """Rows that share one set of x marks: the sub-tables of one number, else each row alone."""
    return spec.groupby(
        spec["table"].astype(str).where(spec["subtable"].notna(), spec["table_key"]), sort=False
    )


def count_marks(line: str) -> int:
    """x marks on a line: a line of x's, or one x after a title (' Tidsserie.  x ')."""
    return line.split().count("x") if X_LINE.match(line) else 1


def test_every_table_of_vedlegg_3_is_present_in_the_letters_order():
    assert load_appendix_spec(2022)["table_key"].tolist() == KEYS_2022


@pytest.mark.parametrize(("key", "flags"), sorted(HAND_CHECKED_FLAGS.items()))
def test_hand_checked_half_year_and_annual_flags(key, flags):
    row = load_appendix_spec(2022).set_index("table_key").loc[key]
    assert (bool(row["half_year"]), bool(row["annual"])) == flags


def test_the_number_of_x_marks_printed_matches_the_flags_of_each_table():
    lines = letter_lines()
    covered: set[int] = set()
    for _, group in flag_groups(load_appendix_spec(2022)):
        numbers = sorted({n for s in group["source_lines"] for n in line_numbers(s)})
        marks = x_lines(lines, numbers)
        covered |= set(marks)
        printed = sum(count_marks(line) for line in marks.values())
        assert printed == int(group["half_year"].iloc[0]) + int(group["annual"].iloc[0]), group[
            "table_key"
        ].tolist()
    assert covered == set(x_lines(lines, list(VEDLEGG_3_LINES)))


def test_a_single_x_is_read_from_its_column_or_documented_as_ambiguous():
    lines = letter_lines()
    for _, group in flag_groups(load_appendix_spec(2022)):
        row = group.iloc[0]
        if row["half_year"] and row["annual"]:
            continue
        numbers = sorted({n for s in group["source_lines"] for n in line_numbers(s)})
        (line,) = x_lines(lines, numbers).values()
        if line == " x ":
            assert row["annual"], row["table_key"]
        elif line == "x  ":
            assert row["half_year"], row["table_key"]
        else:
            assert "Ambiguous" in row["notes"], row["table_key"]


def test_titles_and_preliminary_notes_are_verbatim_at_their_cited_lines():
    lines = letter_lines()
    for row in load_appendix_spec(2022).itertuples():
        text = re.sub(r"\s+", " ", " ".join(lines[n - 1] for n in line_numbers(row.source_lines)))
        assert row.title_nb in text, row.table_key
        if isinstance(row.preliminary, str):
            assert f"({row.preliminary})" in text, row.table_key


def test_time_series_flag_follows_the_word_tidsserie_in_the_title():
    spec = load_appendix_spec(2022)
    assert (spec["time_series"] == spec["title_nb"].str.contains("Tidsserie")).all()


def test_numbering_quirks_of_the_letter_are_kept_and_reported():
    spec = load_appendix_spec(2022)
    assert spec.loc[spec["table"] == 5, "table_key"].tolist() == ["5-1", "5-2"]
    assert 27 not in set(spec["table"])
    assert numbering_anomalies(spec) == [
        "Table 27 does not appear in the letter.",
        "Table 5 is printed 2 times (keys 5-1, 5-2).",
    ]


def test_tables_due_per_report():
    half_year = tables_due(2022, "H1")["table_key"].tolist()
    annual = tables_due(2022, "year")["table_key"].tolist()
    assert {"13", "14", "4", "28A"} <= set(half_year)
    assert not {"1A", "7", "30", "32"} & set(half_year)
    assert not {"13", "14"} & set(annual)
    assert set(half_year) | set(annual) == set(KEYS_2022)


def test_fixture_year_loads_from_another_root(fixtures: Path):
    root = fixtures / "letter"
    spec = load_appendix_spec(2099, root=root)
    assert spec["table_key"].tolist() == ["1A", "1B", "2-1", "2-2", "4"]
    assert tables_due(2099, "H1", root=root)["table_key"].tolist() == ["2-1", "2-2"]
    assert numbering_anomalies(spec) == [
        "Table 3 does not appear in the letter.",
        "Table 2 is printed 2 times (keys 2-1, 2-2).",
    ]


@pytest.mark.parametrize(
    ("old", "new", "check"),
    [
        ("sex,count,false,Fore", "sex;shoe_size,count,false,Fore", "breakdowns_are_known"),
        ("county,count;percent", "county,count;median", "measures_are_known"),
        (
            '1B,1,B,"Deltakere, fordelt på kjønn. Andel.",false,true',
            '1B,1,B,"Deltakere, fordelt på kjønn. Andel.",true,true',
            "subtables_share_their_number_flags",
        ),
        (
            "4,4,,Tolker. Antall.,false,true",
            "4,4,,Tolker. Antall.,false,false",
            "every_table_is_due_in_some_report",
        ),
        ("4,4,,Tolker", "4B,4,,Tolker", "subtable_letter_ends_key"),
        ("2-2,2,", "3-2,2,", "key_starts_with_table_number"),
    ],
)
def test_a_broken_specification_is_rejected_by_the_named_check(
    fixtures: Path, tmp_path: Path, old, new, check
):
    shutil.copytree(fixtures / "letter" / "2099", tmp_path / "2099")
    path = tmp_path / "2099" / "appendix_tables.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(DataValidationError, match=check):
        load_appendix_spec(2099, root=tmp_path)


def test_flag_text_that_is_not_a_boolean_is_rejected_naming_row_and_value(fixtures: Path, tmp_path: Path):
    shutil.copytree(fixtures / "letter" / "2099", tmp_path / "2099")
    path = tmp_path / "2099" / "appendix_tables.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Tidsserie.,true,true", "Tidsserie.,kanskje,true")
    )
    with pytest.raises(DataValidationError, match="half_year") as info:
        load_appendix_spec(2099, root=tmp_path)
    assert "kanskje" in str(info.value)


def test_parse_booleans_reads_the_contract_spellings_and_leaves_other_text():
    parsed = parse_booleans(pd.Series(["true", "FALSE", "1", "0", "ja", "nei", "x", "kanskje"]))
    assert parsed.tolist() == [True, False, True, False, True, False, "x", "kanskje"]
