"""The goal notebooks: generated from the letter and registry, thin, and their page functions."""

from __future__ import annotations

import nbformat
import pytest

from imdi_analysis.config import NOTEBOOKS_DIR
from imdi_analysis.indicators.goal_page import goal_page
from imdi_analysis.indicators.notebooks import build_goal_notebook, notebook_text
from tests.indicators.conftest import REGISTERS


@pytest.mark.parametrize("goal", range(1, 7))
def test_committed_goal_notebook_is_what_the_generator_writes(goal):
    path = NOTEBOOKS_DIR / f"goal_{goal}.ipynb"
    assert path.read_text(encoding="utf-8") == notebook_text(build_goal_notebook(goal)), (
        f"{path.name} is out of date: run python -m imdi_analysis.indicators.notebooks"
    )


def test_goal_notebook_has_the_letter_heading_and_the_agreed_parameters():
    notebook = build_goal_notebook(4)
    assert notebook.cells[0].source.startswith("# Mål 4: Bosettingen er rask og treffsikker")
    parameters = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert parameters[0].source == 'year = 2022\nperiod = "year"\ndata_dir = ""\nyears = "2019-2023"'
    assert all("remove-input" in c.metadata["tags"] for c in notebook.cells if c.cell_type == "code")


def test_goal_without_measurable_sp_shows_its_sp_and_says_it_is_reported_qualitatively():
    notebook = build_goal_notebook(6)
    assert not any("page.definition" in c.source for c in notebook.cells)
    page = goal_page(6, 2022, "year", REGISTERS)
    assert "SP 16" in page.steering_parameters() and "rapporteres kvalitativt" in page.steering_parameters()
    assert "SP 16 rapporteres kvalitativt" in page.qualitative_note()


def test_goal_page_computes_the_year_and_the_series_once(registers):
    page = goal_page(1, 2022, "year", registers, years="2019-2022", threshold=1)
    assert page.shown_years == [2019, 2020, 2021, 2022]
    assert set(page.current()["indicator_id"]) == {"sp01_jobbsjansen_work_or_education"}
    assert "Mål 1: Flere innvandrere deltar i arbeidslivet" in page.intro()
    assert "SP 2, SP 3" in page.qualitative_note()
    assert "60,0" in page.headline("sp01_jobbsjansen_work_or_education")
    assert len(page.breakdown_charts("sp01_jobbsjansen_work_or_education")) == 2


def test_goal_page_hides_figures_resting_on_few_persons(registers):
    # The fixture's 2022 Jobbsjansen total is 3 of 5 leavers: below the default threshold of 5.
    page = goal_page(1, 2022, "year", registers, years="2022")
    assert "vises ikke av hensyn til personvern" in page.headline("sp01_jobbsjansen_work_or_education")
    table = page.table("sp01_jobbsjansen_work_or_education")
    assert "3" not in table.to_string()


def test_notebook_source_round_trips_through_nbformat():
    text = notebook_text(build_goal_notebook(2))
    assert nbformat.reads(text, as_version=4).metadata["kernelspec"]["name"] == "python3"
