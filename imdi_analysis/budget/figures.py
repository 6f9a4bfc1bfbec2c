"""Chart of spent and forecast against the allocation, per post, in the book's figure style.

The posts range from 0,6 to 4 953 mill. kr, so the chart shows each post as a share of its own
allocation (100 % = allocated): a dark bar for spent to the status date, a light bar for the
year-end forecast, a line at 100 %, and the amounts in mill. kr beside each bar. A forecast
outside its rule is drawn in red.
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from imdi_analysis.budget.status import BudgetStatus, format_mill, post_code
from imdi_analysis.figures import PALETTE, finish, new_figure, norwegian_axis
from imdi_analysis.formatting import format_date, format_percent

SPENT_COLOUR = PALETTE[0]
FORECAST_COLOUR = "#9cc3d5"
FLAGGED_COLOUR = PALETTE[3]
LABEL_WIDTH = 38
ROW_HEIGHT = 0.42
MIN_HEIGHT = 4.0
TEXT_ROOM = 0.75
TICK_STEP = 0.2
SOURCE_ROOM = 0.03


def post_labels(status: BudgetStatus) -> list[str]:
    """'670/01 Driftsutgifter' per post, names shortened to one line."""
    p = status.posts
    return [
        f"{post_code(c, q)} {textwrap.shorten(str(n), LABEL_WIDTH, placeholder=' …')}"
        for c, q, n in zip(p["chapter"], p["post"], p["name"], strict=True)
    ]


def plot_status(status: BudgetStatus) -> Figure:
    """Horizontal bars per post: spent and forecast as a share of the allocation, with amounts."""
    p = status.posts.iloc[::-1].reset_index(drop=True)
    spent = p["share_used"].fillna(0).to_numpy()
    forecast = (p["forecast_nok"] / p["allocation_nok"].where(p["allocation_nok"] > 0)).fillna(0).to_numpy()
    fig, ax = new_figure(9.0, max(MIN_HEIGHT, ROW_HEIGHT * len(p) + 1.6))
    y = range(len(p))
    colours = [FLAGGED_COLOUR if f else FORECAST_COLOUR for f in p["flagged"]]
    ax.barh(y, forecast, color=colours, height=0.7)
    ax.barh(y, spent, color=SPENT_COLOUR, height=0.36)
    ax.axvline(1.0, color="#333333", linewidth=1)
    for i, row in p.iterrows():
        ax.text(
            max(forecast[i], 1.0) + 0.02,
            i,
            f"{format_mill(row['spent_nok'])} / {format_mill(row['forecast_nok'])} av {format_mill(row['allocation_nok'])}",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(list(y), post_labels(status)[::-1])
    widest = max(1.0, float(forecast.max()))
    ax.set_xlim(0, widest + TEXT_ROOM)
    ax.set_xticks(np.arange(0, widest + 0.001, TICK_STEP))
    ax.spines["bottom"].set_bounds(0, widest)
    norwegian_axis(ax, "x", percent=True)
    ax.set_xlabel(
        "Andel av tildelt beløp (100 % = tildelt). Tall ved stolpene: brukt / prognose av tildelt, mill. kr"
    )
    fig.suptitle(f"Brukt per {format_date(status.status_date)} og prognose for året", fontweight="bold")
    ax.legend(
        handles=[
            Patch(color=SPENT_COLOUR, label=f"Brukt per {format_date(status.status_date)}"),
            Patch(color=FORECAST_COLOUR, label="Prognose for året"),
            Patch(color=FLAGGED_COLOUR, label="Prognose utenfor regelen"),
        ],
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=3,
        frameon=False,
        fontsize=8,
    )
    fig.get_layout_engine().set(rect=(0, SOURCE_ROOM, 1, 1 - SOURCE_ROOM))
    ax.grid(axis="y", visible=False)
    return finish(fig, alt_text(status), source_text(status), synthetic=status.synthetic)


def alt_text(status: BudgetStatus) -> str:
    """Alt text: what the chart shows and the posts furthest from their allocation."""
    p = status.posts
    over = p.loc[p["deviation_share"].idxmax()]
    under = p.loc[p["deviation_share"].idxmin()]
    flagged = ", ".join(
        post_code(c, q)
        for c, q in zip(p.loc[p["flagged"], "chapter"], p.loc[p["flagged"], "post"], strict=True)
    )
    return (
        f"Liggende stolper for {len(p)} poster viser brukt beløp per {format_date(status.status_date)} og "
        f"prognosen for året som andel av tildelt beløp. Høyest prognose mot tildelt har "
        f"{post_code(over['chapter'], over['post'])} ({format_percent(1 + over['deviation_share'])}), lavest "
        f"{post_code(under['chapter'], under['post'])} ({format_percent(1 + under['deviation_share'])}). "
        + (f"Utenfor regelen: {flagged}." if flagged else "Ingen prognose er utenfor regelen.")
    )


def source_text(status: BudgetStatus) -> str:
    """Source line: the accounts and the allocation letter of the year."""
    return f"Regnskap {status.year} og tildelingsbrev {status.year}"


__all__ = ["plot_status"]
