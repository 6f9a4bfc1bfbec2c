"""Write the goal notebooks ``notebooks/goal_1.ipynb`` … ``goal_6.ipynb`` with nbformat.

The notebooks are generated, not hand-edited: headings come from the allocation letter's goals
and steering parameters (of ``LETTER_YEAR``) and from the indicator registry, and every code
cell only calls :mod:`imdi_analysis.indicators.goal_page` and displays the result. Regenerate
after changing the registry or the letter's goals::

    python -m imdi_analysis.indicators.notebooks

A test checks that the committed notebooks equal what this module writes.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from imdi_analysis.config import NOTEBOOKS_DIR
from imdi_analysis.indicators.registry import indicators_for_goal
from imdi_analysis.letter.goals import load_goals, load_steering_parameters

LETTER_YEAR = 2022
HIDE = {"tags": ["remove-input"]}
PARAMETERS = 'year = 2022\nperiod = "year"\ndata_dir = ""\nyears = "2019-2023"'
IMPORTS = "from IPython.display import Markdown, display\n\nfrom imdi_analysis.indicators.goal_page import goal_page"
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def code(source: str, *tags: str) -> nbformat.NotebookNode:
    """A code cell hidden from readers (``remove-input``), with extra tags."""
    return nbformat.v4.new_code_cell(source, metadata={"tags": ["remove-input", *tags]})


def markdown(source: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(source)


def indicator_cells(indicator_id: str, title: str) -> list[nbformat.NotebookNode]:
    """Heading, definition, value and table, time series and breakdown charts of one indicator."""
    quoted = f'"{indicator_id}"'
    return [
        markdown(f"### {title}"),
        code(f"display(Markdown(page.definition({quoted})))"),
        code(f"display(Markdown(page.headline({quoted})))\npage.table({quoted})"),
        code(f"page.time_series_chart({quoted})"),
        code(f"for chart in page.breakdown_charts({quoted}):\n    display(chart)"),
    ]


def build_goal_notebook(goal: int, letter_year: int = LETTER_YEAR) -> nbformat.NotebookNode:
    """The notebook of ``goal``: heading, parameters, intro, SPs and each measurable indicator."""
    title = load_goals(letter_year).set_index("goal").loc[goal, "title"]
    sps = load_steering_parameters(letter_year)
    sps = sps[sps["goal"] == goal]
    indicators = indicators_for_goal(goal)
    cells = [
        markdown(
            f"# Mål {goal}: {title}\n\n"
            "Siden viser målet og styringsparameterne (SP) fra tildelingsbrevet, og for hver SP som kan måles "
            "med registerdata: definisjonen, verdien for rapporteringsåret, utviklingen over tid og fordelingen "
            "på kjønn og fylke."
        ),
        code(IMPORTS),
        code(PARAMETERS, "parameters"),
        code(
            f"page = goal_page(goal={goal}, year=year, period=period, data_dir=data_dir, years=years)\n"
            "display(Markdown(page.intro()))"
        ),
        markdown("## Styringsparametere"),
        code("display(Markdown(page.steering_parameters()))\ndisplay(Markdown(page.qualitative_note()))"),
    ]
    for number, text in zip(sps["sp"], sps["text"], strict=True):
        measured = [i for i in indicators if i.sp == number]
        if not measured:
            continue
        cells.append(markdown(f"## SP {number}: {text}"))
        for indicator in measured:
            cells.extend(indicator_cells(indicator.id, indicator.title_nb))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    return notebook


def notebook_text(notebook: nbformat.NotebookNode) -> str:
    """The notebook as written to disk, without cell ids (so regenerating gives identical files)."""
    for cell in notebook.cells:
        cell.pop("id", None)
    notebook.nbformat_minor = 4
    return nbformat.writes(notebook) + "\n"


def write_goal_notebooks(directory: Path = NOTEBOOKS_DIR, goals: range = range(1, 7)) -> list[Path]:
    """Write ``goal_N.ipynb`` for every goal; return the paths."""
    paths = []
    for goal in goals:
        path = Path(directory) / f"goal_{goal}.ipynb"
        path.write_text(notebook_text(build_goal_notebook(goal)), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_goal_notebooks():
        print(written)
