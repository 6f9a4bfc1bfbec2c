"""The status chart: one bar pair per post, flagged posts in red, alt text and synthetic mark."""

from __future__ import annotations

import matplotlib
from matplotlib.colors import to_hex

from imdi_analysis.budget.figures import FLAGGED_COLOUR, plot_status
from imdi_analysis.budget.status import budget_status
from imdi_analysis.figures import alt_text, figure_html
from tests.budget.conftest import ACCOUNTS, LETTER_ROOT

matplotlib.use("Agg")


def test_chart_has_a_forecast_and_a_spent_bar_per_post_and_marks_the_flagged_one(accounts_copy):
    (accounts_copy / "SYNTHETIC").write_text("synthetic: true\n", encoding="utf-8")
    status = budget_status(2022, "2022-06-30", accounts_copy, LETTER_ROOT)
    fig = plot_status(status)
    ax = fig.axes[0]
    assert len(ax.patches) == 2 * len(status.posts)
    red = [p for p in ax.patches if to_hex(p.get_facecolor()) == FLAGGED_COLOUR]
    assert len(red) == 1
    assert red[0].get_width() == 1.2  # 671/21: forecast 120 000 of 100 000
    assert "671/21" in alt_text(fig) and "syntetiske data" in alt_text(fig)
    assert "Syntetiske data" in " ".join(t.get_text() for t in fig.texts)
    assert figure_html(fig).startswith("<figure><img")


def test_real_accounts_are_not_marked_synthetic():
    fig = plot_status(budget_status(2022, "2022-06-30", ACCOUNTS, LETTER_ROOT))
    assert "syntetiske" not in alt_text(fig)
    assert "Utenfor regelen: 671/21." in alt_text(fig)
