"""Notebooks are thin: a parameters cell, library calls, display. No logic, no outputs."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
FORBIDDEN = re.compile(r"^\s*(def |class |async def )|sys\.path", re.MULTILINE)


def lint_notebook(path: Path) -> list[str]:
    """Problems with a notebook, as readable strings (empty when it is fine)."""
    nb = nbformat.read(path, as_version=4)
    problems = []
    code = [c for c in nb.cells if c.cell_type == "code"]
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    if len(params) != 1:
        problems.append(f"{path.name}: needs exactly one cell tagged 'parameters', has {len(params)}")
    for i, cell in enumerate(code):
        if FORBIDDEN.search(cell.source):
            problems.append(f"{path.name}: code cell {i + 1} defines a function/class or touches sys.path")
        if cell.get("outputs") or cell.get("execution_count"):
            problems.append(f"{path.name}: code cell {i + 1} has outputs; commit notebooks stripped")
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        problems.append(f"{path.name}: kernelspec must be python3")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_thin_and_stripped(path: Path):
    assert lint_notebook(path) == []


def test_lint_catches_a_def_and_a_missing_parameters_cell(tmp_path: Path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import sys\nsys.path.insert(0, '..')"),
        nbformat.v4.new_code_cell("def f():\n    return 1"),
    ]
    path = tmp_path / "bad.ipynb"
    nbformat.write(nb, path)
    problems = lint_notebook(path)
    assert any("parameters" in p for p in problems)
    assert any("cell 1" in p for p in problems)
    assert any("cell 2" in p for p in problems)
