"""The 2022 allocation letter's budget as data: every figure against the letter, schemas, loaders."""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from imdi_analysis.errors import DataNotFoundError, DataValidationError
from imdi_analysis.letter import budget
from imdi_analysis.letter._files import letter_file, load_letter_table
from imdi_analysis.letter.budget import (
    allocation_table,
    budget_report,
    earmark_summary,
    earmark_table,
    format_letter_amount,
    grant_table,
    load_budget,
    load_chapter_totals,
    load_earmarks,
    load_grants,
    plot_allocation,
    printed_decimals,
    round_nok,
    share_table,
)

matplotlib.use("Agg")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LETTER_FIXTURES = FIXTURES / "letter"
BAD = FIXTURES / "bad" / "letter"
NBSP = "\u00a0"
M = 1_000_000

# (chapter, post, allocation table, appropriation, IMDi's share, transferable, estimate), in NOK,
# as printed in section 4 of the 2022 letter; None where the letter gives no figure.
POSTS_2022 = [
    (670, 1, 302_500_000, 302_500_000, 302_500_000, False, False),
    (671, 21, 21_800_000, 60_900_000, 21_800_000, True, False),
    (671, 45, 44_400_000, 44_400_000, 44_400_000, True, False),
    (671, 60, 4_953_070_000, None, None, True, False),
    (671, 61, 656_770_000, None, None, False, True),
    (671, 62, 218_300_000, 227_300_000, 218_300_000, False, False),
    (671, 70, 2_400_000, None, None, False, False),
    (671, 71, 195_200_000, 195_200_000, 195_200_000, False, False),
    (671, 72, None, 19_700_000, 15_600_000, False, False),
    (671, 73, 22_800_000, 30_300_000, 22_800_000, False, False),
    (672, 60, 1_008_000_000, None, None, False, False),
    (672, 61, 600_000, None, None, False, False),
]

# (chapter, post, line, amount, assignment, unallocated)
EARMARKS_2022 = [
    (670, 1, 1, 3_000_000, None, False),
    (670, 1, 2, 1_000_000, None, False),
    (671, 21, 1, 3_000_000, "2022-09", False),
    (671, 21, 2, 1_500_000, "2022-16", False),
    (671, 21, 3, 1_000_000, "2022-18", False),
    (671, 21, 4, 1_400_000, "2021-07", False),
    (671, 21, 5, 1_000_000, "2021-10", False),
    (671, 21, 6, 500_000, "2021-09", False),
    (671, 21, 7, 1_000_000, "2021-17", False),
    (671, 21, 8, 600_000, "2021-41", False),
    (671, 21, 9, 11_800_000, None, True),
    (671, 45, 1, 44_400_000, "2022-19", False),
    (671, 62, 1, 91_500_000, None, False),
    (671, 62, 2, 9_700_000, None, False),
    (671, 62, 3, 36_700_000, None, False),
    (671, 62, 4, 55_400_000, None, False),
    (671, 62, 5, 10_000_000, None, False),
    (671, 62, 6, 15_000_000, None, False),
    (671, 71, 1, 127_600_000, None, False),
    (671, 71, 2, 30_000_000, None, False),
    (671, 71, 3, 37_500_000, None, False),
    (671, 72, 1, 1_000_000, None, False),
    (671, 73, 1, 10_000_000, None, False),
    (671, 73, 2, 1_000_000, None, False),
    (671, 73, 3, 1_000_000, None, False),
    (671, 73, 4, 1_300_000, None, False),
    (671, 73, 5, 8_000_000, None, False),
    (671, 73, 6, 500_000, None, False),
    (671, 73, 7, 1_000_000, None, False),
]

RESOURCE_ENVIRONMENTS_2022 = {
    "Antirasistisk senter (ARS)": 6_075_000,
    "Kristent Interkulturelt Arbeid (KIA)": 1_265_000,
    "Minotenk – minoritetspolitisk tenketank": 4_000_000,
    "MiRa Ressurssenter for kvinner med minoritetsbakgrunn": 4_150_000,
    "Multikulturelt Initiativ og Ressursnettverk": 500_000,
    "Norsk organisasjon for asylsøkere (NOAS)": 3_130_000,
    "Organisasjon mot offentlig diskriminering (OMOD)": 2_040_000,
    "Selvhjelp for innvandrere og flyktninger (SEIF)": 5_350_000,
    "LIM – Likestilling, integrering, mangfold": 2_000_000,
    "Utrop": 1_500_000,
    "Caritas Norge": 3_000_000,
    "Samora": 1_500_000,
    "Stiftelsen Fargespill": 2_000_000,
    "Bydelsmødre": 1_000_000,
    "SUM": 37_510_000,
}

POST_73_PROJECTS_2022 = {
    "Peace Painting": (2, 1_000_000),
    "SOS barnebyer – prosjektet SAMMEN": (3, 1_000_000),
    "Søster til søster": (4, 1_300_000),
    "Språkopplæringsprogrammet KIA Velferd": (5, 8_000_000),
    "Til topps": (6, 500_000),
    "Regionale ressurssenter om vold, traumatisk stress og selvmordsforebygging (RVTS)": (7, 1_000_000),
}


@pytest.fixture(scope="module")
def files_2022() -> budget.BudgetFiles:
    """The 2022 budget files, read once for the tests that only look at them."""
    return budget.load_budget_files(2022)


def nullable(value) -> int | None:
    return None if pd.isna(value) else int(value)


def copy_year(source: Path, tmp_path: Path, year: int = 2099) -> Path:
    """Copy a fixture year folder under ``tmp_path`` and return the new root."""
    shutil.copytree(source / str(year), tmp_path / str(year))
    return tmp_path


def edit_cell(root: Path, name: str, row: int, column: str, value: str, year: int = 2099) -> None:
    """Set one cell (1-based data row) of a letter CSV, keeping everything else as text."""
    path = root / str(year) / name
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 1, column] = value
    frame.to_csv(path, index=False, lineterminator="\n")


# --- 2022 against the letter -----------------------------------------------------------------


def test_budget_2022_has_every_post_of_chapters_670_671_672():
    posts = load_budget(2022)
    assert list(zip(posts["chapter"], posts["post"], strict=True)) == [p[:2] for p in POSTS_2022]


@pytest.mark.parametrize("expected", POSTS_2022, ids=lambda p: f"{p[0]}-{p[1]:02d}")
def test_budget_2022_post_matches_the_letter(expected, files_2022):
    chapter, post, table, appropriation, share, transferable, estimate = expected
    row = files_2022.posts.set_index(["chapter", "post"]).loc[(chapter, post)]
    assert nullable(row["allocation_table_nok"]) == table
    assert nullable(row["appropriation_nok"]) == appropriation
    assert nullable(row["imdi_share_nok"]) == share
    assert bool(row["transferable"]) is transferable
    assert bool(row["estimate"]) is estimate
    assert row["section"] == f"4 Kap. {chapter} Post {post:02d}"


def test_integration_grant_is_4953_07_mill_kr_in_whole_nok(files_2022):
    posts = files_2022.posts.set_index(["chapter", "post"])
    assert posts.loc[(671, 60), "allocation_table_nok"] == 4_953_070_000


def test_chapter_totals_2022_are_as_printed_with_671_left_empty():
    totals = load_chapter_totals(2022).set_index("chapter")["sum_nok"]
    assert totals.loc[670] == 302_500_000
    assert pd.isna(totals.loc[671])
    assert totals.loc[672] == 1_008_600_000


def test_earmarks_2022_match_the_letter_line_by_line():
    earmarks = load_earmarks(2022)
    found = [
        (
            r.chapter,
            r.post,
            r.line,
            r.amount_nok,
            None if pd.isna(r.assignment) else r.assignment,
            bool(r.unallocated),
        )
        for r in earmarks.itertuples(index=False)
    ]
    assert found == EARMARKS_2022


def test_earmarks_2022_keep_the_amounts_the_assignments_name(files_2022):
    earmarks = files_2022.earmarks.set_index("assignment")
    stated = earmarks["assignment_amount_nok"].dropna().astype(int).to_dict()
    assert stated == {"2022-09": 3_000_000, "2021-17": 1_000_000, "2021-41": 600_000, "2022-19": 44_400_000}


def test_grants_2022_resource_environment_table_matches_the_letter_with_its_sum_line():
    grants = load_grants(2022)
    table = grants[grants["table_name"] == "Tilskudd til nasjonale ressursmiljø"]
    assert dict(zip(table["recipient"], table["amount_nok"], strict=True)) == RESOURCE_ENVIRONMENTS_2022
    assert table.loc[table["is_sum_line"], "recipient"].tolist() == ["SUM"]
    assert set(table["earmark_line"]) == {3}


def test_grants_2022_post_73_projects_match_their_earmark_lines(files_2022):
    grants = files_2022.grants
    projects = grants[grants["post"] == 73]
    found = {r.recipient: (r.earmark_line, r.amount_nok) for r in projects.itertuples(index=False)}
    assert found == POST_73_PROJECTS_2022
    assert not projects["is_sum_line"].any()


def test_every_row_of_2022_is_traceable_to_a_section_and_a_quote(files_2022):
    for frame in (files_2022.chapters, files_2022.posts, files_2022.earmarks, files_2022.grants):
        assert frame["section"].str.match(r"^4 Kap\. \d{3}").all()
        assert (frame["source_text"].str.len() > 10).all()


def test_amounts_are_integer_nok_columns(files_2022):
    posts = files_2022.posts
    for column in ("allocation_table_nok", "appropriation_nok", "imdi_share_nok"):
        assert str(posts[column].dtype) == "Int64"
    assert str(files_2022.earmarks["amount_nok"].dtype) == "int64"


# --- the fabricated year 2099 ------------------------------------------------------------------


def test_fixture_year_2099_loads_through_the_same_loaders():
    posts = load_budget(2099, root=LETTER_FIXTURES)
    assert set(posts["chapter"]) == {670, 675}
    assert len(load_earmarks(2099, root=LETTER_FIXTURES)) == 10
    assert load_grants(2099, root=LETTER_FIXTURES)["is_sum_line"].sum() == 1
    assert load_chapter_totals(2099, root=LETTER_FIXTURES)["sum_nok"].tolist() == [310_000_000, 102_150_000]


def test_display_tables_work_for_the_fixture_year():
    table = allocation_table(2099, root=LETTER_FIXTURES)
    assert "Sum kap. 675 Fabrikkert testkapittel" in table["Betegnelse"].tolist()


# --- missing and malformed files -----------------------------------------------------------------


def test_missing_year_names_the_letter_years_that_exist():
    with pytest.raises(
        DataNotFoundError, match=r"No allocation letter for 2031 .* Letter years that exist: 2099"
    ):
        load_budget(2031, root=LETTER_FIXTURES)


def test_missing_file_in_an_existing_year_lists_the_files_there(tmp_path):
    root = copy_year(LETTER_FIXTURES, tmp_path)
    (root / "2099" / "grants.csv").unlink()
    with pytest.raises(DataNotFoundError, match=r"grants\.csv.*Files in .*budget_posts\.csv"):
        load_grants(2099, root=root)


def test_letter_file_defaults_to_the_configured_letter_folder(monkeypatch):
    monkeypatch.setattr("imdi_analysis.config.LETTER_DIR", LETTER_FIXTURES)
    assert letter_file(2099, "budget_posts.csv") == LETTER_FIXTURES / "2099" / "budget_posts.csv"


def test_load_letter_table_validates_against_the_given_schema():
    frame = load_letter_table(2099, "chapter_totals.csv", budget.ChapterTotals, LETTER_FIXTURES)
    assert frame["chapter"].tolist() == [670, 675]


def test_missing_column_fails_naming_file_and_column():
    with pytest.raises(DataValidationError) as info:
        load_budget(2099, root=BAD / "missing_column")
    message = str(info.value)
    assert "missing_column/2099/budget_posts.csv" in message
    assert "column missing from file" in message and "'estimate'" in message
    assert info.value.report["value"].tolist() == ["estimate"]


def test_amount_with_letters_fails_naming_file_column_and_row():
    with pytest.raises(DataValidationError) as info:
        load_budget(2099, root=BAD / "amount_with_letters")
    message = str(info.value)
    assert "amount_with_letters/2099/budget_posts.csv" in message
    assert "column 'allocation_table_nok'" in message
    assert "row 3: '80 mill'" in message


def test_unknown_chapter_fails_naming_file_column_row_and_known_chapters():
    with pytest.raises(DataValidationError) as info:
        load_budget(2099, root=BAD / "unknown_chapter")
    message = str(info.value)
    assert "unknown_chapter/2099/budget_posts.csv" in message
    assert "column 'chapter'" in message and "row 4: '676'" in message
    assert "Known chapter in chapter_totals.csv: 670, 675" in message


@pytest.mark.parametrize("text", ["False", "yes", "1", ""])
def test_flags_accept_only_lowercase_true_or_false(tmp_path, text):
    root = copy_year(LETTER_FIXTURES, tmp_path)
    edit_cell(root, "budget_posts.csv", 2, "transferable", text)
    with pytest.raises(DataValidationError, match=r"column 'transferable'.*row 2"):
        load_budget(2099, root=root)


def test_the_string_false_is_read_as_false():
    posts = load_budget(2099, root=LETTER_FIXTURES).set_index(["chapter", "post"])
    assert not bool(posts.loc[(670, 1), "transferable"])
    assert bool(posts.loc[(675, 21), "transferable"])


def test_negative_amount_is_rejected(tmp_path):
    root = copy_year(LETTER_FIXTURES, tmp_path)
    edit_cell(root, "earmarks.csv", 4, "amount_nok", "-3300000")
    with pytest.raises(
        DataValidationError, match=r"column 'amount_nok', check greater_than_or_equal_to\(0\).*row 4"
    ):
        load_earmarks(2099, root=root)


def test_decimal_amount_is_rejected(tmp_path):
    root = copy_year(LETTER_FIXTURES, tmp_path)
    edit_cell(root, "grants.csv", 1, "amount_nok", "1200000.5")
    with pytest.raises(DataValidationError, match=r"column 'amount_nok'.*row 1"):
        load_grants(2099, root=root)


def test_transferable_flag_must_agree_with_the_labels(tmp_path):
    root = copy_year(LETTER_FIXTURES, tmp_path)
    edit_cell(root, "budget_posts.csv", 1, "transferable", "true")
    with pytest.raises(DataValidationError, match=r"transferable_matches_labels.*row 1"):
        load_budget(2099, root=root)


def test_post_without_any_amount_is_rejected(tmp_path):
    root = copy_year(LETTER_FIXTURES, tmp_path)
    edit_cell(root, "budget_posts.csv", 3, "allocation_table_nok", "")
    with pytest.raises(DataValidationError, match=r"every_post_states_an_amount.*row 3"):
        load_budget(2099, root=root)


def test_duplicate_post_is_rejected(tmp_path):
    root = copy_year(LETTER_FIXTURES, tmp_path)
    edit_cell(root, "budget_posts.csv", 3, "post", "21")
    edit_cell(root, "budget_posts.csv", 3, "name", "Spesielle driftsutgifter, overslagsbevilgning")
    with pytest.raises(DataValidationError, match=r"multiple_fields_uniqueness"):
        load_budget(2099, root=root)


def test_earmark_on_a_post_not_in_the_budget_is_rejected(tmp_path):
    root = copy_year(LETTER_FIXTURES, tmp_path)
    edit_cell(root, "earmarks.csv", 8, "post", "79")
    with pytest.raises(DataValidationError, match=r"earmarks\.csv, column 'chapter\+post'.*row 8: '675/79'"):
        load_earmarks(2099, root=root)


def test_grant_pointing_to_a_missing_earmark_line_is_rejected(tmp_path):
    root = copy_year(LETTER_FIXTURES, tmp_path)
    edit_cell(root, "grants.csv", 5, "earmark_line", "9")
    with pytest.raises(
        DataValidationError, match=r"grants\.csv, column 'chapter\+post\+earmark_line'.*row 5"
    ):
        load_grants(2099, root=root)


def test_unallocated_line_cannot_name_an_assignment(tmp_path):
    root = copy_year(LETTER_FIXTURES, tmp_path)
    edit_cell(root, "earmarks.csv", 5, "assignment", "2099-03")
    with pytest.raises(DataValidationError, match=r"unallocated_line_names_no_assignment.*row 5"):
        load_earmarks(2099, root=root)


def test_two_sum_lines_in_one_table_are_rejected(tmp_path):
    root = copy_year(LETTER_FIXTURES, tmp_path)
    edit_cell(root, "grants.csv", 3, "is_sum_line", "true")
    with pytest.raises(DataValidationError, match=r"at_most_one_sum_line_per_table"):
        load_grants(2099, root=root)


# --- amounts at printed precision ------------------------------------------------------------


@pytest.mark.parametrize(
    ("nok", "decimals"),
    [(302_500_000, 1), (4_953_070_000, 2), (1_008_000_000, 0), (600_000, 1), (37_510_000, 2), (6_075_000, 6)],
)
def test_printed_decimals_reads_back_the_letter_precision(nok, decimals):
    assert printed_decimals(nok) == decimals


def test_round_nok_rounds_half_up_in_mill_kr():
    assert round_nok(37_510_000, 1) == 37_500_000
    assert round_nok(102_050_000, 1) == 102_100_000
    assert round_nok(195_100_000, 1) == 195_100_000


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=6))
def test_round_nok_lands_on_the_grid_within_half_a_unit(nok, decimals):
    unit = 10 ** (6 - decimals)
    rounded = round_nok(nok, decimals)
    assert rounded % unit == 0
    assert -unit / 2 < rounded - nok <= unit / 2


@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=0, max_value=2))
def test_an_amount_printed_at_its_precision_reads_back_unchanged(units, decimals):
    nok = units * 10 ** (6 - decimals)
    assert round_nok(nok, printed_decimals(nok)) == nok
    assert printed_decimals(nok) <= decimals


def test_format_letter_amount_uses_norwegian_format_and_ssb_symbols():
    assert format_letter_amount(4_953_070_000) == f"4{NBSP}953,07"
    assert format_letter_amount(1_008_000_000) == f"1{NBSP}008"
    assert format_letter_amount(None) == ".."
    assert format_letter_amount(0) == "-"


# --- tables and chart for the book -----------------------------------------------------------


def test_allocation_table_has_norwegian_headers_and_chapter_sums_as_printed():
    table = allocation_table(2022)
    assert list(table.columns[:4]) == ["Kapittel", "Post", "Betegnelse", "Tildeling (mill. kr)"]
    rows = table.set_index("Betegnelse")
    assert rows.loc["Integreringstilskudd, kan overføres", "Tildeling (mill. kr)"] == f"4{NBSP}953,07"
    assert rows.loc["Statsautorisasjonsordningen for tolker m.a.", "Tildeling (mill. kr)"] == ".."
    assert (
        rows.loc["Statsautorisasjonsordningen for tolker m.a.", "IMDis andel i teksten (mill. kr)"] == "15,6"
    )
    sums = table[table["Betegnelse"].str.startswith("Sum kap.")]["Tildeling (mill. kr)"].tolist()
    assert sums == ["302,5", "..", f"1{NBSP}008,6"]


def test_share_table_gives_imdis_share_of_each_stated_appropriation():
    table = share_table(2022).set_index("Post")
    assert table.loc["Kap. 671 post 21", "IMDis andel av bevilgningen"] == f"35,8{NBSP}%"  # 21,8 / 60,9
    assert table.loc["Kap. 671 post 72", "IMDis andel av bevilgningen"] == f"79,2{NBSP}%"  # 15,6 / 19,7
    assert len(table) == 7


def test_earmark_summary_splits_each_post_into_earmarked_unallocated_and_free():
    summary = earmark_summary(2022).set_index(["chapter", "post"])
    assert summary.loc[(671, 21), ["earmarked_nok", "unallocated_nok", "free_nok"]].tolist() == [
        10_000_000,
        11_800_000,
        0,
    ]
    assert summary.loc[(670, 1), "free_nok"] == 298_500_000
    assert summary.loc[(671, 71), "free_nok"] == 100_000  # the letter's own 0,1 mill. kr gap
    assert summary.loc[(671, 72), "available_nok"] == 15_600_000  # from the text: the table cell is empty


def test_earmark_table_is_in_mill_kr_with_norwegian_headers():
    table = earmark_table(2022).set_index("Post")
    assert table.loc["Kap. 671 post 62", "Øremerket andel"] == f"100,0{NBSP}%"
    assert table.loc["Kap. 671 post 71", "Ikke øremerket (mill. kr)"] == "0,1"
    assert table.loc["Kap. 671 post 45", "Udisponert (mill. kr)"] == "-"


def test_grant_table_shows_whole_kroner_with_the_sum_line():
    table = grant_table(2022)
    assert list(table.columns) == ["Post", "Tabell", "Mottaker", "Beløp (kr)"]
    assert table.loc[table["Mottaker"] == "SUM", "Beløp (kr)"].item() == f"37{NBSP}510{NBSP}000"


def test_plot_allocation_draws_one_bar_per_post_with_norwegian_labels():
    fig = plot_allocation(2022)
    ax = fig.axes[0]
    assert len(ax.patches) == 12
    assert ax.get_xlabel() == "Mill. kr"
    assert "Tildeling 2022" in fig.get_suptitle()
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    large = [t for t in ticks if len(t.replace(NBSP, "")) >= 4]
    assert large and all(NBSP in t for t in large)  # Norwegian grouping: '1 500'
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 1  # post 72: empty table cell, amount from the text
    labels = [t.get_text() for t in ax.texts]
    assert any("15,6 (fra teksten)" in label for label in labels)
    assert any(t.get_text().startswith("Kilde: Tildelingsbrev 2022") for t in fig.texts)
    matplotlib.pyplot.close(fig)


def test_budget_report_csv_has_raw_nok_and_lowercase_flags():
    text = budget_report(2022, as_csv=True)
    lines = text.splitlines()
    assert lines[0] == (
        "chapter,post,name,transferable,estimate,allocation_table_nok,appropriation_nok,imdi_share_nok"
    )
    assert '671,60,"Integreringstilskudd, kan overføres",true,false,4953070000,,' in lines
