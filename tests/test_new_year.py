"""The README's "Adding a new year", walked through on a changed letter (issue 15).

A researcher copies the 2022 letter to 2023, retitles goal 2 and drops SP 5, so the later SPs
are renumbered (2022's SP 6 becomes 5, 7 becomes 6, …, 16 becomes 15). The 2023 goal pages must
show the new titles and put each indicator under the SP the 2023 letter links it to:

===========================================  ========  ========
indicator (registry id keeps 2022's number)  SP 2022   SP 2023
===========================================  ========  ========
sp04_intro_within_3_months, sp04_training…   4         4
sp07a…, sp07b… (transition to work)          7         6
sp08_intro_formal_qualification              8         7
sp10_minority_adviser_cases                  10        9
sp11_… (settlement)                          11        10
sp14_register_searches                       14        13
sp15_… (interpreter register)                15        14
===========================================  ========  ========

Before the fix, 2023's SP 7 (formal qualification) showed the transition indicators.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from imdi_analysis import config
from imdi_analysis.book import page_title
from imdi_analysis.cli import main
from imdi_analysis.datastep import run_steps
from imdi_analysis.disclosure import DEFAULT_THRESHOLD
from imdi_analysis.indicators.goal_page import goal_page, letter_indicators
from imdi_analysis.pipeline import data_steps, execute_notebook, job_args
from imdi_analysis.runs import load_runs, plan

REAL_LETTER = config.LETTER_DIR / "2022"
NEW_TITLE_2 = "Nyankomne får kvalifisering som gir varig tilknytning til arbeidslivet"
DROPPED_SP = 5
TRANSITION_TEXT = (
    "Andel deltakere går over i arbeid og/eller utdanning etter å ha deltatt i introduksjonsprogrammet"
)
QUALIFICATION_TEXT = (
    "Andel deltakere som får formelle kvalifikasjoner innenfor rammen av introduksjonsprogrammet"
)


def write_2023_letter(letters: Path) -> None:
    """Step 1 of the README by hand: copy 2022, retitle goal 2, drop SP 5 and renumber the rest;
    the 2022 assignments stay as earlier ones (``new`` false)."""
    folder = letters / "2023"
    shutil.copytree(REAL_LETTER, folder)
    goals = pd.read_csv(folder / "goals.csv", dtype=str, keep_default_na=False)
    goals.loc[goals["goal"] == "2", "title"] = NEW_TITLE_2
    goals.to_csv(folder / "goals.csv", index=False)
    sps = pd.read_csv(folder / "steering_parameters.csv", dtype=str, keep_default_na=False)
    sps = sps[sps["sp"] != str(DROPPED_SP)].copy()
    sps["sp"] = [str(n) for n in range(1, len(sps) + 1)]
    sps.to_csv(folder / "steering_parameters.csv", index=False)
    # the 2022 assignments are earlier assignments in a 2023 letter (imdi letter check says so)
    assignments = pd.read_csv(folder / "assignments.csv", dtype=str, keep_default_na=False)
    assignments.loc[assignments["number"] != "", "new"] = "false"
    assignments.to_csv(folder / "assignments.csv", index=False)


@pytest.fixture
def data_root(tmp_path: Path, monkeypatch) -> Path:
    """A data root as ``IMDI_DATA_DIR`` describes it: raw/letter (2022 and the new 2023), raw/reference."""
    root = tmp_path / "data"
    letters = root / "raw" / "letter"
    shutil.copytree(REAL_LETTER, letters / "2022")
    write_2023_letter(letters)
    shutil.copytree(config.REFERENCE_DIR, root / "raw" / "reference")
    monkeypatch.setenv("IMDI_DATA_DIR", str(root))  # for the notebook kernels
    for name, path in {
        "DATA_DIR": root,
        "RAW_DIR": root / "raw",
        "LETTER_DIR": letters,
        "REFERENCE_DIR": root / "raw" / "reference",
        "SYNTHETIC_DIR": root / "synthetic",
        "PROCESSED_DIR": root / "processed",
    }.items():
        monkeypatch.setattr(f"imdi_analysis.config.{name}", path)
    return root


@pytest.fixture(scope="module")
def registers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Step 2: register extracts for 2022 and 2023 (small synthetic ones)."""
    from imdi_analysis.synth import generate

    out = tmp_path_factory.mktemp("new-year") / "registers"
    generate([2022, 2023], seed=7, scale=0.03, out_dir=out)
    return out


def test_step_1_the_changed_letter_passes_imdi_letter_check(data_root: Path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["imdi", "letter", "check", "--year", "2023"])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.startswith("warning: 4 discrepancies in the allocation letter for 2023")  # 2022's budget


def test_step_1_a_drop_without_renumbering_is_caught_by_imdi_letter_check(
    data_root: Path, monkeypatch, capsys
):
    path = data_root / "raw" / "letter" / "2023" / "steering_parameters.csv"
    sps = pd.read_csv(path, dtype=str, keep_default_na=False)
    sps["sp"] = [str(n if n < DROPPED_SP else n + 1) for n in range(1, len(sps) + 1)]  # 1-4, 6-16
    sps.to_csv(path, index=False)
    monkeypatch.setattr(sys, "argv", ["imdi", "letter", "check", "--year", "2023"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 1
    assert "column 'sp'" in capsys.readouterr().err


def test_step_2_the_default_accounts_cover_the_new_year(data_root: Path):
    from imdi_analysis.budget.status import budget_status

    status = budget_status(2023, "2023-12-31", "")  # the synthetic default, generated on demand
    assert (data_root / "synthetic" / "accounts" / "2023" / "accounts.csv").is_file()
    assert status is not None


def test_step_3_the_goal_pages_follow_the_2023_letter(data_root: Path, registers: Path):
    measured = {
        goal: {sp: [i.id for i in listed] for sp, listed in letter_indicators(goal, 2023)[2].items()}
        for goal in (2, 3, 4, 5)
    }
    assert measured[2] == {
        4: ["sp04_intro_within_3_months", "sp04_training_within_3_months"],
        5: [],
        6: ["sp07a_intro_direct_work_or_education", "sp07b_intro_work_or_education_ssb"],
        7: ["sp08_intro_formal_qualification"],
    }
    assert measured[3] == {8: [], 9: ["sp10_minority_adviser_cases"]}
    assert list(measured[4]) == [10, 11, 12] and len(measured[4][10]) == 10
    assert measured[5] == {
        13: ["sp14_register_searches"],
        14: [
            "sp15_interpreters_register",
            "sp15_interpreter_language_pairs",
            "sp15_interpreters_state_authorised",
        ],
    }
    page = goal_page(2, 2023, "year", registers, years="2023")
    assert f"Mål 2: {NEW_TITLE_2}" in page.intro()
    assert "(SP 6)" in page.definition("sp07a_intro_direct_work_or_education")
    # and 2022 keeps its own letter
    assert [i.id for i in letter_indicators(2, 2022)[2][7]] == [
        "sp07a_intro_direct_work_or_education",
        "sp07b_intro_work_or_education_ssb",
    ]


def test_step_3_computed_indicators_carry_the_sp_number_of_each_years_letter(
    data_root: Path, registers: Path
):
    from imdi_analysis.indicators.registry import compute_indicators, time_series

    ids = ["sp07a_intro_direct_work_or_education", "sp08_intro_formal_qualification"]
    series = time_series(ids, [2022, 2023], "year", registers)
    numbers = series.groupby(["indicator_id", "year"])["sp"].unique().map(list).to_dict()
    assert numbers == {
        ("sp07a_intro_direct_work_or_education", 2022): [7],
        ("sp07a_intro_direct_work_or_education", 2023): [6],
        ("sp08_intro_formal_qualification", 2022): [8],
        ("sp08_intro_formal_qualification", 2023): [7],
    }
    assert series.loc[series["year"] == 2023, "change"].notna().any()  # 2022 matched despite the new SP
    current = compute_indicators(2023, "year", registers, ids)
    assert set(current["sp"]) == {6, 7}


@pytest.mark.slow
def test_step_3_imdi_run_plans_the_new_goals_and_the_executed_page_shows_them(
    data_root: Path, registers: Path, tmp_path: Path
):
    """Plan 2023 from the real run file, execute the goal 2 page with papermill as ``imdi run`` does."""
    runs = plan(
        load_runs(),
        [2023],
        ["year"],
        config.years_in(config.LETTER_DIR),
        str(registers),
        None,
        str(tmp_path / "processed"),
        [2022, 2023],
    )
    goal_runs = {r.name: r for r in runs if r.entry.notebook == "goal"}
    assert list(goal_runs) == [f"goal_{g}-2023-year" for g in range(1, 7)]
    assert any(r.entry.notebook == "budget_status" and r.year == 2023 for r in runs)
    run = goal_runs["goal_2-2023-year"]
    run.parameters["years"] = "2023"  # the reporting year only: the time series is not what is tested here
    steps, uses = data_steps([run], [2023], [2023])  # the run's data step, as `imdi run` does it first
    assert uses[run.name] == ["series-year", "indicators-year"]
    run_steps(steps, registers, DEFAULT_THRESHOLD, tmp_path / "processed", tmp_path / "build")
    target = tmp_path / "executed" / run.relpath
    result = execute_notebook(job_args(run, target, show_cells=False))
    assert result["ok"], result.get("message")

    assert page_title(target, "fallback") == f"Mål 2: {NEW_TITLE_2}"
    text = "\n".join(
        "".join(data.get("text/markdown", data.get("text/html", "")))
        for cell in nbformat.read(target, as_version=4).cells
        for data in (output.get("data", {}) for output in cell.get("outputs", []))
    )
    sp6 = text.index(f"SP 6: {TRANSITION_TEXT}")
    sp7 = text.index(f"SP 7: {QUALIFICATION_TEXT}")
    assert sp6 < text.index("Direkte overgang til arbeid eller utdanning ved avslutning (IMDi)", sp6) < sp7
    assert text.index("Formell kvalifikasjon i introduksjonsprogrammet", sp6) > sp7
    assert "SP 8:" not in text
    assert "**SP 5:** Kvalitet i introduksjonsprogram" in text and "rapporteres kvalitativt" in text
