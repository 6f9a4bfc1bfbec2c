"""One figure style for the whole book: Norwegian number format, readable fonts, alt text.

Every chart of the package starts with :func:`new_figure`, formats its value axis with
:func:`norwegian_axis` (or :func:`norwegian_formatter`), its years with :func:`year_axis`,
titles itself with :func:`set_title`, and ends with :func:`finish` (source line and alt text),
or, for the indicator charts, a :class:`~imdi_analysis.indicators.figures.Chart` carrying its
caption and alt text. In a notebook display the figure with ``display(fig)`` or
:func:`figure_html`; :func:`alt_text` reads the alt text back.

``STYLE`` only applies to what exists when :func:`new_figure` returns (the axes, spines, grid,
colour cycle); a title set later reads the global settings, hence :func:`set_title`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import FixedLocator, Formatter, FuncFormatter

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
SOURCE_ROOM = 0.03  # share of the figure's height kept free for the source line


def new_figure(width: float = 8.0, height: float = 4.5, pyplot: bool = False) -> tuple[Figure, Axes]:
    """A figure and axes in the house style.

    The figure is not registered with pyplot, so a notebook shows it once, where it is
    displayed. ``pyplot=True`` registers it, for a notebook that relies on the inline backend
    showing the figures of a cell at its end (``letter_budget`` assigns its chart).
    """
    with plt.rc_context(STYLE):
        if pyplot:
            fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
        else:
            fig = Figure(figsize=(width, height), layout="constrained")
            ax = fig.subplots()
    ax.grid(True, alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


class NorwegianFormatter(Formatter):
    """Tick labels as Norwegian numbers (``1 500``, ``2,5``), or shares in [0, 1] as ``40 %``.

    ``decimals`` is the least number of decimals shown; when the ticks are closer than that
    (a narrow range: 3,85 to 4,25 months), as many more as the ticks need to stay distinct.
    """

    MAX_EXTRA_DECIMALS = 3

    def __init__(self, decimals: int = 0, percent: bool = False) -> None:
        self.decimals = decimals
        self.percent = percent
        self.tick_values: list[float] = []

    def set_locs(self, locs: Sequence[float]) -> None:
        """Called by the axis with every tick before the labels are written."""
        super().set_locs(locs)
        self.tick_values = [float(v) for v in locs]

    def __call__(self, x: float, pos: int | None = None) -> str:
        text = format_number(x * self.scale, self.shown_decimals())
        return f"{text}\u00a0%" if self.percent else text

    @property
    def scale(self) -> float:
        return 100.0 if self.percent else 1.0

    def shown_decimals(self) -> int:
        """The fewest decimals (at least ``decimals``) that write every tick exactly."""
        values = [v * self.scale for v in self.tick_values]
        for decimals in range(self.decimals, self.decimals + self.MAX_EXTRA_DECIMALS + 1):
            if all(abs(round(v, decimals) - v) <= 1e-9 * max(1.0, abs(v)) for v in values):
                return decimals
        return self.decimals + self.MAX_EXTRA_DECIMALS


def norwegian_formatter(decimals: int = 0, percent: bool = False) -> NorwegianFormatter:
    """A :class:`NorwegianFormatter` for an axis (``decimals`` at least, ``percent`` for shares)."""
    return NorwegianFormatter(decimals, percent)


def norwegian_axis(ax: Axes, axis: str = "y", decimals: int = 0, percent: bool = False) -> None:
    """Format an axis's tick labels as Norwegian numbers (or percentages of shares in [0, 1])."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(norwegian_formatter(decimals, percent))


def year_axis(ax: Axes, years: Iterable[int], axis: str = "x") -> None:
    """One tick per year, written without a thousands space (``2022``); a year alone is centred."""
    shown = sorted({int(y) for y in years})
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(FixedLocator(shown))
    target.set_major_formatter(FuncFormatter(lambda value, _pos=None: f"{value:.0f}"))
    if len(shown) == 1:
        (ax.set_xlim if axis == "x" else ax.set_ylim)(shown[0] - 1, shown[0] + 1)


def set_title(ax: Axes, text: str, size: float | None = None) -> None:
    """The axes title in the house weight, and size unless ``size`` is given (long titles)."""
    ax.set_title(text, fontsize=size or STYLE["axes.titlesize"], fontweight=STYLE["axes.titleweight"])


def finish(fig: Figure, alt: str, source: str, synthetic: bool = False) -> Figure:
    """Add the source line (and a synthetic-data mark) and store the alt text on the figure.

    A constrained layout keeps :data:`SOURCE_ROOM` free at the bottom for the source line,
    unless the chart already set its own margins.
    """
    note = f"Kilde: {source}" + (f". {SYNTHETIC_MARK}." if synthetic else "")
    fig.text(0.01, 0.005, note, fontsize=8, color="#555555", ha="left", va="bottom")
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine) and tuple(engine.get()["rect"]) == (0, 0, 1, 1):
        engine.set(rect=(0, SOURCE_ROOM, 1, 1 - SOURCE_ROOM))
    fig.imdi_alt_text = alt + (f" ({SYNTHETIC_MARK.lower()})" if synthetic else "")
    return fig


def alt_text(fig: Figure) -> str:
    """The alt text stored by :func:`finish`."""
    return getattr(fig, "imdi_alt_text", "")


def figure_html(fig: Figure) -> str:
    """The figure as an inline PNG ``<img>`` with its alt text, for notebooks and the book."""
    import base64
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")  # the constrained layout keeps the labels inside: drawn once
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = alt_text(fig).replace('"', "&quot;")
    return f'<figure><img src="data:image/png;base64,{data}" alt="{alt}" style="max-width:100%"/></figure>'
