"""The bad-input corpus as test cases, and helpers to put a case in place and fingerprint folders."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from imdi_analysis import letter
from imdi_analysis.sources.registry import load_source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CORPUS = FIXTURES / "bad" / "sources"
GOOD_REGISTERS = FIXTURES / "sources"
GOOD_LETTER = FIXTURES / "letter"
PIPELINE = FIXTURES / "pipeline"
REGISTER_YEAR = 2022
LETTER_YEAR = 2099
REGISTERS = "registers"
CASES: list[dict] = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))
LETTER_LOADERS: dict[str, Callable[..., object]] = {
    "chapter_totals": letter.load_chapter_totals,
    "budget_posts": letter.load_budget,
    "earmarks": letter.load_earmarks,
    "grants": letter.load_grants,
    "goals": letter.load_goals,
    "steering_parameters": letter.load_steering_parameters,
    "assignments": letter.load_assignments,
    "appendix_tables": letter.load_appendix_spec,
    "reports": letter.load_reports,
    "meetings": letter.load_meetings,
}


def cases_where(**wanted: str) -> list[dict]:
    """Cases whose fields equal ``wanted`` (e.g. ``outcome="fail"``), in corpus order."""
    return [c for c in CASES if all(c[k] == v for k, v in wanted.items())]


def copy_good_inputs(case: dict, root: Path) -> Path:
    """Copy the valid year folder of the case's target under ``root``; return ``root``."""
    if case["target"] == REGISTERS:
        shutil.copytree(GOOD_REGISTERS / str(REGISTER_YEAR), root / str(REGISTER_YEAR))
    else:
        shutil.copytree(GOOD_LETTER / str(LETTER_YEAR), root / str(LETTER_YEAR))
    return root


def input_path(case: dict, root: Path) -> Path:
    """Where the case's file sits among the inputs under ``root``."""
    year = REGISTER_YEAR if case["target"] == REGISTERS else LETTER_YEAR
    return root / str(year) / f"{case['name']}.csv"


def install_case(case: dict, root: Path) -> Path:
    """Put the case's bad file in place of the valid one under ``root``; return its path."""
    path = input_path(case, root)
    shutil.copyfile(CORPUS / case["file"], path)
    return path


def load_case(case: dict, root: Path) -> pd.DataFrame:
    """Read the case's file through the package's own loader, as a user of the package would."""
    if case["target"] == REGISTERS:
        return load_source(case["name"], REGISTER_YEAR, root)
    return LETTER_LOADERS[case["name"]](LETTER_YEAR, root=root)


def tree_state(root: Path) -> dict[str, tuple[str, int, int]]:
    """SHA-256, size and modification time (ns) of every file under ``root``, by relative path."""
    state = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        stat = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        state[path.relative_to(root).as_posix()] = (digest, stat.st_size, stat.st_mtime_ns)
    return state


# --- a good run to compare against -----------------------------------------------------------


@dataclass(frozen=True)
class GoodRun:
    """Valid register data with the processed sources and the tiny book built from it.

    Attributes
    ----------
    registers : data folder holding the valid ``2022`` extracts
    processed : output root of :func:`~imdi_analysis.sources.processing.process_year`
    build : build folder of the tiny fixture book (``build/html`` is the published book)
    """

    registers: Path
    processed: Path
    build: Path
    book_output: Path

    @property
    def html(self) -> Path:
        return self.build / "html"


def run_tiny_book(good: GoodRun) -> object:
    """Run the tiny fixture book on ``good.registers``, validating the data first."""
    from imdi_analysis.pipeline import run

    return run(
        [REGISTER_YEAR],
        ["year"],
        data_dir=good.registers,
        runs_file=PIPELINE / "runs.yml",
        build_dir=good.build,
        notebooks_dir=PIPELINE / "notebooks",
        output_dir=good.book_output,
        validate=True,
    )


@pytest.fixture(scope="module")
def good_run(tmp_path_factory: pytest.TempPathFactory) -> GoodRun:
    """Process the valid extracts and build the tiny book once for the module."""
    from imdi_analysis.sources.processing import process_year

    root = tmp_path_factory.mktemp("good_run")
    good = GoodRun(root / "registers", root / "processed", root / "build", root / "book_output")
    shutil.copytree(GOOD_REGISTERS / str(REGISTER_YEAR), good.registers / str(REGISTER_YEAR))
    process_year(REGISTER_YEAR, good.registers, good.processed)
    run_tiny_book(good)
    return good
