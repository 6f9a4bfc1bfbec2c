"""One figure style for the whole book: Norwegian number format, readable fonts, alt text.

Use :func:`new_figure` to start a chart, :func:`norwegian_axis` to format an axis with
Norwegian numbers, and :func:`finish` to add the source line and attach alt text. In a notebook
display the figure with ``display(fig)`` or ``IPython.display.Image``; :func:`alt_text` reads it back.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from imdi_analysis.formatting import format_number

PALETTE = ["#005b7f", "#e07b39", "#5f9e6e", "#a44a3f", "#8c6bb1", "#7f7f7f", "#c9a227", "#2f8f9d"]
SEX_COLOURS = {"Menn": "#005b7f", "Kvinner": "#e07b39", "I alt": "#7f7f7f"}
STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "axes.formatter.use_locale": False,
}
SYNTHETIC_MARK = "Syntetiske data"


def new_figure(width: float = 8.0, height: float = 4.5) -> tuple[Figure, Axes]:
    """A figure and axes in the house style."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    ax.grid(True, alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def norwegian_axis(ax: Axes, axis: str = "y", decimals: int = 0, percent: bool = False) -> None:
    """Format an axis's tick labels as Norwegian numbers (or percentages of shares in [0, 1])."""

    def label(value: float, _pos: int) -> str:
        if percent:
            return f"{format_number(value * 100, decimals)}\u00a0%"
        return format_number(value, decimals)

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(label))


def finish(fig: Figure, alt: str, source: str, synthetic: bool = False) -> Figure:
    """Add the source line (and a synthetic-data mark) and store the alt text on the figure."""
    note = f"Kilde: {source}" + (f". {SYNTHETIC_MARK}." if synthetic else "")
    fig.text(0.01, 0.005, note, fontsize=8, color="#555555", ha="left", va="bottom")
    fig.imdi_alt_text = alt + (f" ({SYNTHETIC_MARK.lower()})" if synthetic else "")
    plt.close(fig)
    return fig


def alt_text(fig: Figure) -> str:
    """The alt text stored by :func:`finish`."""
    return getattr(fig, "imdi_alt_text", "")


def figure_html(fig: Figure) -> str:
    """The figure as an inline PNG ``<img>`` with its alt text, for notebooks and the book."""
    import base64
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = alt_text(fig).replace('"', "&quot;")
    return f'<figure><img src="data:image/png;base64,{data}" alt="{alt}" style="max-width:100%"/></figure>'
