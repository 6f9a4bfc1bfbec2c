"""The goal notebook: one thin notebook for every goal; the page follows the run year's letter."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from imdi_analysis.config import LETTER_DIR, NOTEBOOKS_DIR
from imdi_analysis.errors import DataNotFoundError, DataValidationError
from imdi_analysis.indicators.goal_page import goal_page
from imdi_analysis.runs import notebook_parameters
from tests.indicators.conftest import REGISTERS

GOAL_NOTEBOOK = NOTEBOOKS_DIR / "goal.ipynb"


def test_one_goal_notebook_with_the_agreed_parameters_and_nothing_from_one_letter():
    notebook = nbformat.read(GOAL_NOTEBOOK, as_version=4)
    assert notebook_parameters(GOAL_NOTEBOOK) == {
        "goal": 1,
        "year": 2022,
        "period": "year",
        "data_dir": "",
        "years": "2019-2023",
        "threshold": None,  # the run's threshold; None is the default
        "output_dir": "",  # where the run's data step wrote the disclosed indicators
    }
    assert "read_indicators(" in "\n".join(c.source for c in notebook.cells)  # it computes nothing
    assert notebook.cells[0].source.startswith("# {glue:text}`goal_heading`")
    assert all("remove-input" in c.metadata["tags"] for c in notebook.cells if c.cell_type == "code")
    source = "\n".join(c.source for c in notebook.cells)
    assert re.search(r"SP \d|sp\d\d", source) is None  # no SP numbers, no indicator ids
    assert "Kvalifiseringen" not in source and "Bosettingen" not in source  # no goal titles
    assert not list(NOTEBOOKS_DIR.glob("goal_*.ipynb"))


def test_goal_without_measurable_sp_shows_its_sp_and_says_it_is_reported_qualitatively():
    page = goal_page(6, 2022, "year", REGISTERS)
    assert page.sections() == []
    assert "SP 16" in page.steering_parameters() and "rapporteres kvalitativt" in page.steering_parameters()
    assert "SP 16 rapporteres kvalitativt" in page.qualitative_note()


def test_goal_page_computes_the_year_and_the_series_once(registers):
    page = goal_page(1, 2022, "year", registers, years="2019-2022", threshold=1)
    assert page.shown_years == [2019, 2020, 2021, 2022]
    assert set(page.current()["indicator_id"]) == {"sp01_jobbsjansen_work_or_education"}
    assert str(page.heading()) == "Mål 1: Flere innvandrere deltar i arbeidslivet"
    assert repr(page.heading()) == "Mål 1: Flere innvandrere deltar i arbeidslivet"  # what glue shows
    assert "Mål 1: Flere innvandrere deltar i arbeidslivet" in page.intro()
    assert "SP 2, SP 3" in page.qualitative_note()
    assert "60,0" in page.headline("sp01_jobbsjansen_work_or_education")
    assert len(page.breakdown_charts("sp01_jobbsjansen_work_or_education")) == 2


def test_goal_page_sections_follow_the_letters_sp_order_and_links(registers):
    """2022, goal 2: SPs 4-8; SP 4 has two indicators, 5 and 6 none, 7 two, 8 one."""
    page = goal_page(2, 2022, "year", registers, years="2022", threshold=1)
    assert {sp: [i.id for i in listed] for sp, listed in page.measured.items()} == {
        4: ["sp04_intro_within_3_months", "sp04_training_within_3_months"],
        5: [],
        6: [],
        7: ["sp07a_intro_direct_work_or_education", "sp07b_intro_work_or_education_ssb"],
        8: ["sp08_intro_formal_qualification"],
    }
    headings = [item.data for item in page.sections() if type(item).__name__ == "HTML" and "<h2" in item.data]
    assert [h.split(":")[0].split(">")[1] for h in headings] == ["SP 4", "SP 7", "SP 8"]


def test_goal_page_hides_figures_resting_on_few_persons(registers):
    # The fixture's 2022 Jobbsjansen total is 3 of 5 leavers: below the default threshold of 5.
    page = goal_page(1, 2022, "year", registers, years="2022")
    assert "vises ikke av hensyn til personvern" in page.headline("sp01_jobbsjansen_work_or_education")
    table = page.table("sp01_jobbsjansen_work_or_education")
    assert "3" not in table.to_string()


@pytest.fixture
def letter_root(tmp_path: Path, monkeypatch) -> Path:
    """A letter folder holding a copy of 2022 only (the goal pages read ``config.LETTER_DIR``)."""
    root = tmp_path / "letter"
    shutil.copytree(LETTER_DIR / "2022", root / "2022")
    monkeypatch.setattr("imdi_analysis.config.LETTER_DIR", root)
    return root


def test_an_indicator_id_the_registry_does_not_know_fails_naming_file_and_column(letter_root: Path):
    path = letter_root / "2022" / "steering_parameters.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("sp08_intro_formal_qualification", "sp08_made_up"),
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError, match=r"steering_parameters\.csv, column 'indicator_id'") as info:
        goal_page(2, 2022, "year", REGISTERS)
    assert "sp08_made_up" in str(info.value) and "imdi letter check" in str(info.value)


def test_a_goal_the_letter_does_not_have_fails_listing_its_goals(letter_root: Path):
    with pytest.raises(DataNotFoundError, match=r"no goal 7\. Goals: 1, 2, 3, 4, 5, 6"):
        goal_page(7, 2022, "year", REGISTERS)


def test_a_year_without_a_letter_follows_the_latest_earlier_letter_and_says_so(letter_root: Path):
    page = goal_page(6, 2024, "year", REGISTERS)
    assert page.letter_year == 2022
    assert "Tildelingsbrevet for 2024 finnes ikke her; målene er hentet fra 2022." in page.intro()
