"""``book/runs.yml``: the goal entry expands over the goals of each year's letter."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from imdi_analysis.config import LETTER_DIR, RUNS_FILE
from imdi_analysis.errors import ConfigError
from imdi_analysis.runs import load_runs, parse_entry, plan

PIPELINE_NOTEBOOKS = Path(__file__).parent / "fixtures" / "pipeline" / "notebooks"


@pytest.fixture
def letters(tmp_path: Path) -> Path:
    """Letters 2022 (six goals) and 2023: a copy whose goal 6 and its SP 16 are dropped."""
    root = tmp_path / "letter"
    shutil.copytree(LETTER_DIR / "2022", root / "2022")
    shutil.copytree(LETTER_DIR / "2022", root / "2023")
    for name, first in (("goals.csv", "6,"), ("steering_parameters.csv", "16,")):
        path = root / "2023" / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(line for line in lines if not line.startswith(first)), encoding="utf-8")
    return root


def goal_runs(letters: Path, years: list[int], periods: list[str] = ["year"]):  # noqa: B006
    runs = plan(load_runs(RUNS_FILE), years, periods, [2022, 2023], "/data", None, "", years, letters)
    return [r for r in runs if r.entry.notebook == "goal"]


def test_the_goal_entry_runs_once_per_goal_of_each_years_letter(letters: Path):
    runs = goal_runs(letters, [2022, 2023])
    assert [r.name for r in runs] == [f"goal_{g}-2022-year" for g in range(1, 7)] + [
        f"goal_{g}-2023-year" for g in range(1, 6)
    ]
    third = runs[2]
    assert third.relpath == Path("2022") / "year" / "goal_3.ipynb"
    assert third.title == "Mål 3"
    assert third.parameters == {
        "goal": 3,
        "year": 2022,
        "period": "year",
        "data_dir": "/data",
        "years": "2022-2023",
        "output_dir": "",
    }
    assert third.entry.uses == ("indicators",)  # the page reads the run's data step


def test_a_year_without_a_letter_gets_the_goals_of_the_latest_earlier_letter(letters: Path):
    runs = goal_runs(letters, [2024], ["H1"])
    assert [r.name for r in runs] == [f"goal_{g}-2024-H1" for g in range(1, 6)]


def test_output_names_are_unique_across_goals_years_and_periods(letters: Path):
    runs = goal_runs(letters, [2022, 2023], ["H1", "year"])
    assert len({r.relpath for r in runs}) == len(runs) == 2 * (6 + 5)


def test_for_each_must_be_a_known_expansion(tmp_path: Path):
    item = {"notebook": "hello", "scope": "year", "for_each": "sp"}
    with pytest.raises(ConfigError, match="for_each 'sp' is not one of"):
        parse_entry(item, 1, tmp_path / "runs.yml", PIPELINE_NOTEBOOKS)


def test_for_each_needs_a_year(tmp_path: Path):
    item = {"notebook": "hello", "scope": "all", "for_each": "goal"}
    with pytest.raises(ConfigError, match="for_each needs a year"):
        parse_entry(item, 1, tmp_path / "runs.yml", PIPELINE_NOTEBOOKS)


def test_each_expanded_run_is_checked_before_any_kernel_starts(tmp_path: Path, letters: Path):
    """``hello.ipynb`` has no ``goal`` parameter: planning fails with the accepted list."""
    item = {
        "notebook": "hello",
        "scope": "year",
        "for_each": "goal",
        "parameters": {"goal": "{goal}", "year": "{year}"},
    }
    entry = parse_entry(item, 1, tmp_path / "runs.yml", PIPELINE_NOTEBOOKS)
    with pytest.raises(ConfigError, match="unknown parameter 'goal'"):
        plan([entry], [2022], ["year"], [2022], "/data", None, letter_root=letters)


def test_uses_names_only_known_data_steps(tmp_path: Path):
    notebook = tmp_path / "page.ipynb"
    notebook.write_text(
        '{"cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": "year = 2022",'
        ' "outputs": [], "execution_count": null}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
        encoding="utf-8",
    )
    runs_file = tmp_path / "runs.yml"
    runs_file.write_text("runs:\n  - notebook: page\n    uses: [cells]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"uses \['cells'\] unknown"):
        load_runs(runs_file, tmp_path)
    runs_file.write_text(
        "runs:\n  - notebook: page\n    scope: year\n    uses: [appendix]\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="uses appendix needs scope year_period"):
        load_runs(runs_file, tmp_path)
