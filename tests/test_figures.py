"""Every chart of the package in the one figure style: Norwegian numbers on every tick and label.

Each chart function is rendered on small inputs; after drawing, every tick label, annotation
and legend entry is read back as a reader sees it. A Norwegian number has a decimal comma
(``302,21``) and groups thousands with a space (``1 500``), so ``302.21`` or ``1500`` is a
chart that escaped the house style (:mod:`imdi_analysis.figures`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure

from imdi_analysis.budget.figures import plot_status
from imdi_analysis.budget.status import budget_status
from imdi_analysis.figures import STYLE, norwegian_formatter
from imdi_analysis.indicators.figures import breakdown_chart, time_series_chart
from imdi_analysis.indicators.registry import time_series
from imdi_analysis.letter.assignments import plot_deadlines
from imdi_analysis.letter.budget import plot_allocation
from imdi_analysis.timeseries import overview_charts
from tests.budget.conftest import ACCOUNTS, LETTER_ROOT
from tests.indicators.conftest import REGISTERS

matplotlib.use("Agg")

LETTER_FIXTURES = Path(__file__).resolve().parent / "fixtures"
DECIMAL_POINT = re.compile(r"\d\.\d")
UNGROUPED_THOUSANDS = re.compile(r"(?<![\d\u00a0\u202f ])\d{4,}")
YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")
INDICATOR_CHARTS = [  # one indicator of each unit: share, months, count, ratio
    ("sp01_jobbsjansen_work_or_education", "county"),
    ("sp11_settlement_mean_months", "sex"),
    ("sp15_interpreters_register", "sex"),
    ("sp11_place_utilisation", "county"),
]


def indicator_figures() -> list[Figure]:
    figures = []
    for indicator_id, dimension in INDICATOR_CHARTS:
        series = time_series(indicator_id, [2021, 2022], "year", REGISTERS)
        figures.append(time_series_chart(series, indicator_id, synthetic=True).figure)
        figures.append(breakdown_chart(series, indicator_id, dimension, 2022).figure)
    return figures


def overview_figures() -> list[Figure]:
    rows = [  # national figures by hand: shares, and months with decimals
        ("sp01_jobbsjansen_work_or_education", "share", 2021, 0.5123),
        ("sp01_jobbsjansen_work_or_education", "share", 2022, 0.6034),
        ("sp11_settlement_mean_months", "months", 2021, 4.25),
        ("sp11_settlement_mean_months", "months", 2022, 3.85),
        ("sp11_place_utilisation", "ratio", 2021, 0.9512),  # near 1: ticks 0,95 and 1,00
        ("sp11_place_utilisation", "ratio", 2022, 1.0487),
    ]
    series = pd.DataFrame(rows, columns=["indicator_id", "unit", "year", "value"])
    return overview_charts(series, synthetic=True)


def status_figures() -> list[Figure]:
    return [plot_status(budget_status(2022, "2022-06-30", ACCOUNTS, LETTER_ROOT))]


def allocation_figures() -> list[Figure]:
    return [plot_allocation(2022)]


def deadline_figures() -> list[Figure]:
    return [plot_deadlines(2022), plot_deadlines(2099, root=LETTER_FIXTURES / "letter")]


CHART_FUNCTIONS: dict[str, Callable[[], list[Figure]]] = {
    "indicators.figures": indicator_figures,
    "timeseries.overview_charts": overview_figures,
    "budget.figures.plot_status": status_figures,
    "letter.budget.plot_allocation": allocation_figures,
    "letter.assignments.plot_deadlines": deadline_figures,
}


def shown_numbers(figure: Figure) -> list[str]:
    """Tick labels, annotations and legend entries of every axes, as drawn."""
    figure.canvas.draw()
    texts = []
    for axes in figure.axes:
        texts += [t.get_text() for t in (*axes.get_xticklabels(), *axes.get_yticklabels())]
        texts += [t.get_text() for t in axes.texts]
        legend = axes.get_legend()
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()]
    return [t for t in texts if any(c.isdigit() for c in t)]


@pytest.fixture(scope="module", params=sorted(CHART_FUNCTIONS))
def rendered(request) -> tuple[str, list[Figure]]:
    return request.param, CHART_FUNCTIONS[request.param]()


def test_every_chart_writes_numbers_with_a_decimal_comma(rendered):
    name, figures = rendered
    assert figures, name
    for figure in figures:
        numbers = shown_numbers(figure)
        assert numbers, f"{name}: no numbers on the chart"
        points = [t for t in numbers if DECIMAL_POINT.search(t)]
        assert not points, f"{name}: decimal point in {points}"


def test_every_chart_groups_thousands_with_a_space(rendered):
    name, figures = rendered
    for figure in figures:
        ungrouped = [t for t in shown_numbers(figure) if UNGROUPED_THOUSANDS.search(YEAR.sub("", t))]
        assert not ungrouped, f"{name}: thousands without a space in {ungrouped}"


def test_tick_labels_of_an_axis_are_distinct(rendered):
    name, figures = rendered
    for figure in figures:
        figure.canvas.draw()
        for axes in figure.axes:
            for axis in (axes.xaxis, axes.yaxis):
                low, high = sorted(axis.get_view_interval())
                shown = [
                    label.get_text()
                    for tick, label in zip(axis.get_majorticklocs(), axis.get_majorticklabels(), strict=True)
                    if low <= tick <= high and label.get_text()
                ]
                assert len(shown) == len(set(shown)), f"{name}: tick labels repeat: {shown}"


def test_every_chart_is_drawn_in_the_house_style(rendered):
    name, figures = rendered
    for figure in figures:
        for axes in figure.axes:
            open_sides = [side for side in ("top", "right") if axes.spines[side].get_visible()]
            assert not open_sides, f"{name}: {open_sides} spines drawn (the house style has none)"
            assert axes.title.get_fontweight() == STYLE["axes.titleweight"] or not axes.get_title()


def test_a_chart_is_shown_once_in_a_notebook():
    # A figure left registered with pyplot is shown again by the inline backend at the end of
    # the cell; only plot_allocation relies on that (its notebook assigns the figure).
    before = set(matplotlib.pyplot.get_fignums())
    for name, build in CHART_FUNCTIONS.items():
        if name != "letter.budget.plot_allocation":
            build()
    assert set(matplotlib.pyplot.get_fignums()) == before


def test_norwegian_formatter_adds_decimals_only_when_ticks_need_them():
    months = norwegian_formatter(1)
    assert months.format_ticks([3.85, 3.9, 4.0]) == ["3,85", "3,90", "4,00"]
    assert months.format_ticks([2.0, 4.0]) == ["2,0", "4,0"]
    assert norwegian_formatter().format_ticks([0, 1500, 3000]) == ["0", "1\u00a0500", "3\u00a0000"]
    shares = norwegian_formatter(percent=True)
    assert shares.format_ticks([0.5, 0.525]) == ["50,0\u00a0%", "52,5\u00a0%"]
    assert shares.format_ticks([0.2, 0.4]) == ["20\u00a0%", "40\u00a0%"]
