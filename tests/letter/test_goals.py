"""Goals and steering parameters of the allocation letter."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from imdi_analysis.errors import DataNotFoundError, DataValidationError
from imdi_analysis.letter.goals import goals_overview, load_goals, load_steering_parameters

SEED_LETTER = Path("/work/shared/seed/tildelingsbrev-imdi-2022.txt")
FIXTURE_LETTER = Path(__file__).resolve().parents[1] / "fixtures" / "letter" / "tildelingsbrev-2022.txt"
SP_GOALS_2022 = {
    1: 1,
    2: 1,
    3: 1,
    4: 2,
    5: 2,
    6: 2,
    7: 2,
    8: 2,
    9: 3,
    10: 3,
    11: 4,
    12: 4,
    13: 4,
    14: 5,
    15: 5,
    16: 6,
}


def letter_lines() -> list[str]:
    """The 2022 letter's text lines (the shared seed if present, else the fixture copy)."""
    path = SEED_LETTER if SEED_LETTER.exists() else FIXTURE_LETTER
    return path.read_text(encoding="utf-8").split("\n")


def cited_texts(lines: list[str], source_lines: str) -> list[str]:
    """The whitespace-normalised text of each range in ``source_lines`` ('106-108;2257')."""
    texts = []
    for part in source_lines.split(";"):
        first, _, last = part.partition("-")
        chunk = " ".join(lines[int(first) - 1 : int(last or first)])
        texts.append(normalise(chunk))
    return texts


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_2022_letter_has_six_goals_in_order():
    goals = load_goals(2022)
    assert goals["goal"].tolist() == [1, 2, 3, 4, 5, 6]
    assert goals.loc[3, "title"] == "Bosettingen er rask og treffsikker"


def test_each_goal_title_is_verbatim_at_its_first_cited_line():
    lines = letter_lines()
    for row in load_goals(2022).itertuples():
        texts = cited_texts(lines, row.source_lines)
        assert f"Mål {row.goal}: {row.title}" in texts[0]
        assert all(f"Mål {row.goal}:" in t for t in texts)


def test_every_steering_parameter_sits_under_the_goal_the_letter_lists_it_under():
    sps = load_steering_parameters(2022)
    assert dict(zip(sps["sp"], sps["goal"], strict=True)) == SP_GOALS_2022
    assert (sps["section"] == "3 Mål " + sps["goal"].astype(str)).all()


def test_steering_parameter_texts_are_verbatim_and_joined_across_lines():
    lines = letter_lines()
    for row in load_steering_parameters(2022).itertuples():
        assert f"SP {row.sp}: {row.text}" in cited_texts(lines, row.source_lines)[0]


def test_indicator_links_agree_with_the_indicator_registry():
    from imdi_analysis.indicators.registry import INDICATORS

    sps = load_steering_parameters(2022).dropna(subset=["indicator_id"])
    linked = {i: row for row in sps.itertuples() for i in row.indicator_id.split(";")}
    assert set(linked) == set(INDICATORS)
    for indicator_id, row in linked.items():
        indicator = INDICATORS[indicator_id]
        assert (indicator.sp, indicator.goal) == (row.sp, row.goal), indicator_id


def test_interpreter_indicators_follow_the_letters_sp_14_and_15():
    links = load_steering_parameters(2022).set_index("sp")["indicator_id"]
    # SP 14 is the *use* of qualified interpreters; register searches are its indirect measure.
    assert links[14] == "sp14_register_searches"
    # SP 15 is the *number* of interpreters in the register.
    assert "sp15_interpreters_register" in links[15].split(";")
    assert links.isna().tolist() == [sp not in {1, 4, 7, 8, 10, 11, 14, 15} for sp in links.index]


def test_goals_overview_lists_each_sp_once_under_its_goal_title():
    overview = goals_overview(2022)
    assert len(overview) == 16
    assert overview.index.names == ["Mål", "SP"]
    first = overview.index[0]
    assert first == ("Mål 1: Flere innvandrere deltar i arbeidslivet", "SP 1")


def test_fixture_year_loads_from_another_root(fixtures: Path):
    root = fixtures / "letter"
    assert load_goals(2099, root=root)["goal"].tolist() == [1, 2]
    sps = load_steering_parameters(2099, root=root)
    assert sps["goal"].tolist() == [1, 1, 2]
    assert sps["indicator_id"].isna().tolist() == [False, True, True]


def test_sp_under_a_goal_the_letter_does_not_have_is_rejected_with_its_row(fixtures: Path, tmp_path: Path):
    folder = tmp_path / "2099"
    shutil.copytree(fixtures / "letter" / "2099", folder)
    path = folder / "steering_parameters.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("3,2,Rask", "3,7,Rask"), encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"row 3: 7"):
        load_steering_parameters(2099, root=tmp_path)


def test_sps_numbered_out_of_goal_order_are_rejected(fixtures: Path, tmp_path: Path):
    folder = tmp_path / "2099"
    shutil.copytree(fixtures / "letter" / "2099", folder)
    path = folder / "steering_parameters.csv"
    text = (
        path.read_text(encoding="utf-8")
        .replace("2,1,Resultater", "2,2,Resultater")
        .replace("3,2,Rask", "3,1,Rask")
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError, match="sps_are_numbered_in_goal_order") as info:
        load_steering_parameters(2099, root=tmp_path)
    assert set(info.value.report["row"]) == {3}  # SP 3 under goal 1 after SP 2 under goal 2


def test_an_unknown_goal_that_also_breaks_the_order_is_reported_as_unknown(fixtures: Path, tmp_path: Path):
    folder = tmp_path / "2099"
    shutil.copytree(fixtures / "letter" / "2099", folder)
    path = folder / "steering_parameters.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("2,1,Resultater", "2,9,Resultater"), encoding="utf-8"
    )
    with pytest.raises(
        DataValidationError, match=r"column 'goal': goal number\(s\) not in goals.csv \(row 2: 9\)"
    ):
        load_steering_parameters(2099, root=tmp_path)


def test_a_year_without_a_letter_names_the_years_that_exist(fixtures: Path):
    with pytest.raises(DataNotFoundError, match="2099"):
        load_goals(2031, root=fixtures / "letter")
