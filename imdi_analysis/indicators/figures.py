"""Tables and charts of indicators for the book, in Norwegian with Norwegian number format.

A chart is returned as a :class:`Chart`: the matplotlib figure plus a caption and an
alternative text written from the data (highest and lowest group, the total). In a notebook it
displays as an HTML ``<figure>`` whose image carries the alternative text in its ``alt``
attribute and whose ``<figcaption>`` shows the caption and the alternative text; elsewhere it
falls back to PNG.
"""

from __future__ import annotations

import base64
import html
import io
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from imdi_analysis.figures import (
    SEX_COLOURS,
    NorwegianFormatter,
    new_figure,
    norwegian_formatter,
    set_title,
    year_axis,
)
from imdi_analysis.formatting import format_number, format_percent
from imdi_analysis.indicators._common import (
    BREAKDOWN_COLUMNS,
    BREAKDOWN_LABELS,
    TOTAL,
    UNIT_COUNT,
    UNIT_MONTHS,
    UNIT_RATIO,
    UNIT_SHARE,
)
from imdi_analysis.indicators.registry import get_indicator

SYNTHETIC_LABEL = "Syntetiske data"
CHART_DIMENSIONS = ("sex", "county")
UNIT_AXIS_LABELS = {
    UNIT_SHARE: "Andel",
    UNIT_RATIO: "Bosatte per vedtaksplass",
    UNIT_MONTHS: "Måneder",
    UNIT_COUNT: "Antall",
}
TABLE_HEADERS = {
    "group": "Gruppe",
    "value": "Verdi",
    "interval": "95 % intervall",
    "numerator": "Teller",
    "denominator": "Nevner",
    "change": "Endring fra året før",
    "note": "Merknad",
}
DPI = 110
COLOURS = SEX_COLOURS  # the book's one figure style (imdi_analysis.figures)
BAR_COLOUR = "#2e86c1"  # lighter than PALETTE[0]: the dark interval whiskers stay visible on the bar
MISSING = ".."
NOT_APPLICABLE = "."


# --- number format ------------------------------------------------------------------------------


def format_value(value: float, unit: str) -> str:
    """A value in Norwegian format for its unit: ``63,4 %``, ``4,2 mnd.``, ``1 822``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if unit in (UNIT_SHARE, UNIT_RATIO):
        return format_percent(value)
    if unit == UNIT_MONTHS:
        return f"{format_number(value, 1)}\u00a0mnd."
    return format_number(value, 0)


def format_change(change: float, unit: str) -> str:
    """A change with sign: percentage points for shares, months or a count otherwise."""
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return MISSING
    shown, decimals, suffix = {
        UNIT_SHARE: (change * 100, 1, "\u00a0prosentpoeng"),
        UNIT_RATIO: (change * 100, 1, "\u00a0prosentpoeng"),
        UNIT_MONTHS: (change, 1, "\u00a0mnd."),
    }.get(unit, (change, 0, ""))
    shown = round(shown, decimals) + 0.0  # -0.04 -> -0.0 -> 0.0: no sign on a change that rounds to zero
    sign = "+" if shown > 0 else ""
    return f"{sign}{format_number(shown, decimals)}{suffix}"


def axis_formatter(unit: str) -> NorwegianFormatter:
    """Tick labels in Norwegian format for the unit (percent without decimals for shares)."""
    if unit in (UNIT_SHARE, UNIT_RATIO):
        return norwegian_formatter(0, percent=True)
    return norwegian_formatter(1 if unit == UNIT_MONTHS else 0)


# --- tables ---------------------------------------------------------------------------------


def group_label(row: pd.Series) -> str:
    """``I alt``, or the breakdown levels of the row: ``Kjønn: Menn``, ``Kategori: … / Husholdningstype: …``."""
    parts = [
        f"{BREAKDOWN_LABELS[d]}: {row[d]}" for d in BREAKDOWN_COLUMNS if pd.notna(row[d]) and row[d] != TOTAL
    ]
    return " / ".join(parts) if parts else TOTAL


def indicator_rows(frame: pd.DataFrame, indicator_id: str, year: int | None = None) -> pd.DataFrame:
    """Rows of one indicator (and year, when given)."""
    rows = frame[frame["indicator_id"] == indicator_id]
    return rows[rows["year"] == year] if year is not None else rows


def one_way(rows: pd.DataFrame) -> pd.DataFrame:
    """The total row and the rows split by exactly one dimension (no crossings)."""
    split = sum((rows[d].notna() & (rows[d] != TOTAL)).astype(int) for d in BREAKDOWN_COLUMNS)
    return rows[split <= 1]


def value_table(frame: pd.DataFrame, indicator_id: str, year: int, crossings: bool = False) -> pd.DataFrame:
    """The indicator's values for ``year`` as a readable Norwegian table (strings, one row per group).

    Columns: Gruppe, Verdi, 95 % intervall, Teller, Nevner, Endring fra året før, Merknad.
    Crossed breakdowns (e.g. category × household type) are left out unless ``crossings``.
    """
    indicator = get_indicator(indicator_id)
    rows = indicator_rows(frame, indicator_id, year)
    rows = rows if crossings else one_way(rows)
    cells = [format_row(row, indicator) for _, row in rows.iterrows()]
    table = pd.DataFrame(cells, columns=list(TABLE_HEADERS.values())[1:])
    table.index = pd.Index([group_label(row) for _, row in rows.iterrows()], name=TABLE_HEADERS["group"])
    return table


SUPPRESSED = ":"
SUPPRESSED_NOTE = "Vises ikke av hensyn til personvern (færre enn fem personer bak tallet)"


def format_row(row: pd.Series, indicator) -> dict[str, str]:
    """Norwegian display cells of one indicator row, keyed by the table headers.

    ``.`` marks what does not apply (a count has no denominator, a mean's sum of months and
    the median's numerator are not shown, full counts have no interval); ``..`` marks a
    missing number, as in Statistics Norway's tables.
    """
    unit = indicator.unit
    if row.get("status") == SUPPRESSED:  # hidden by disclosure control: few persons behind the figure
        cells = dict.fromkeys(list(TABLE_HEADERS.values())[1:], SUPPRESSED)
        cells[TABLE_HEADERS["note"]] = SUPPRESSED_NOTE
        # kept by disclosure control: a numerator of 0 (no person behind it), and a numerator or
        # denominator the statistics appendix shows anyway (disclose_indicators, ``known``)
        if unit != UNIT_MONTHS and pd.notna(row.get("numerator")):
            cells[TABLE_HEADERS["numerator"]] = format_number(row["numerator"])
        if unit != UNIT_COUNT and pd.notna(row.get("denominator")):
            cells[TABLE_HEADERS["denominator"]] = format_number(row["denominator"])
        return cells
    numerator = NOT_APPLICABLE if unit == UNIT_MONTHS else format_number(row["numerator"])
    denominator = NOT_APPLICABLE if unit == UNIT_COUNT else format_number(row["denominator"])
    interval = (
        format_interval(row["ci_lower"], row["ci_upper"], unit) if indicator.has_interval else NOT_APPLICABLE
    )
    return {
        TABLE_HEADERS["value"]: format_value(row["value"], unit),
        TABLE_HEADERS["interval"]: interval,
        TABLE_HEADERS["numerator"]: numerator,
        TABLE_HEADERS["denominator"]: denominator,
        TABLE_HEADERS["change"]: format_change(row["change"], unit),
        TABLE_HEADERS["note"]: row["missing_reason"] if pd.notna(row["missing_reason"]) else "",
    }


def format_interval(lower: float, upper: float, unit: str) -> str:
    """``60,1–66,5 %`` style interval, or ``..`` when there is none."""
    if pd.isna(lower) or pd.isna(upper):
        return MISSING
    return f"{format_value(lower, unit)}\u2013{format_value(upper, unit)}"


def headline(frame: pd.DataFrame, indicator_id: str, year: int) -> str:
    """One Norwegian sentence with the total value for ``year``, its interval and change."""
    indicator = get_indicator(indicator_id)
    rows = one_way(indicator_rows(frame, indicator_id, year))
    total = rows[rows.apply(group_label, axis=1) == TOTAL] if len(rows) else rows
    if total.empty:
        return f"{indicator.title_nb}: ingen tall for {year}."
    row = total.iloc[0]
    if row.get("status") == SUPPRESSED:
        return f"{indicator.title_nb} {year}: {SUPPRESSED_NOTE.lower()}."
    if pd.isna(row["value"]):
        return f"{indicator.title_nb} {year}: tallet mangler ({row['missing_reason']})."
    text = f"{indicator.title_nb} {year}: **{format_value(row['value'], indicator.unit)}**"
    if pd.notna(row["ci_lower"]):
        text += f" (95 % intervall {format_interval(row['ci_lower'], row['ci_upper'], indicator.unit)})"
    if pd.notna(row["denominator"]) and indicator.unit in (UNIT_SHARE, UNIT_RATIO):
        text += f", {format_number(row['numerator'])} av {format_number(row['denominator'])}"
    if pd.notna(row["change"]):
        text += f"; endring fra året før: {format_change(row['change'], indicator.unit)}"
    return text if text.endswith(".") else text + "."  # a unit may end the sentence ("2,6 mnd.")


# --- charts ----------------------------------------------------------------------------------


@dataclass
class Chart:
    """A figure with its caption and alternative text; displays as an accessible HTML figure."""

    figure: Figure
    caption: str
    alt_text: str
    _png: bytes | None = field(default=None, init=False, repr=False, compare=False)

    def png(self) -> bytes:
        """The figure as PNG, rendered once (a notebook asks for it as PNG and again as HTML).

        Drawn once, at the figure's size: its constrained layout already keeps every label
        inside (a tight bounding box would draw it twice).
        """
        if self._png is None:
            buffer = io.BytesIO()
            self.figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
            self._png = buffer.getvalue()
        return self._png

    def _repr_png_(self) -> bytes:
        return self.png()

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png()).decode("ascii")
        return (
            f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(self.alt_text)}" '
            f'style="max-width:100%"/><figcaption>{html.escape(self.caption)} '
            f"<em>Alternativ tekst:</em> {html.escape(self.alt_text)}</figcaption></figure>"
        )


def chart_dimensions(indicator_id: str) -> list[str]:
    """Dimensions to chart: sex and county where the indicator has them, else its first dimension."""
    dims = get_indicator(indicator_id).dimensions
    chosen = [d for d in CHART_DIMENSIONS if d in dims]
    return chosen or list(dims[:1])


def mark_synthetic(figure: Figure, synthetic: bool) -> None:
    """Stamp "Syntetiske data" on a figure built from synthetic data."""
    if synthetic:
        figure.text(0.99, 0.01, SYNTHETIC_LABEL, ha="right", va="bottom", fontsize=9, color="#a00", alpha=0.8)


def caption_prefix(synthetic: bool) -> str:
    return f"{SYNTHETIC_LABEL}. " if synthetic else ""


def time_series_chart(series: pd.DataFrame, indicator_id: str, synthetic: bool = False) -> Chart:
    """Line chart of the indicator over the years: total (with interval band) and by sex if split by sex."""
    indicator = get_indicator(indicator_id)
    rows = one_way(indicator_rows(series, indicator_id))
    rows = (
        rows[rows.apply(lambda r: group_label(r) == TOTAL or str(group_label(r)).startswith("Kjønn"), axis=1)]
        if len(rows)
        else rows
    )
    figure, axes = new_figure(8, 3.6)
    lines = []
    for label, group in rows.assign(_label=rows.apply(series_label, axis=1) if len(rows) else []).groupby(
        "_label", sort=False
    ):
        group = group.sort_values("year")
        axes.plot(group["year"], group["value"], marker="o", label=label, color=COLOURS.get(label))
        if label == TOTAL and group["ci_lower"].notna().any():
            axes.fill_between(
                group["year"],
                group["ci_lower"],
                group["ci_upper"],
                alpha=0.15,
                color=COLOURS[TOTAL],
                label="95 % intervall",
            )
        lines.append(describe_line(label, group, indicator.unit))
    year_axis(axes, rows["year"])
    set_value_axis(axes.yaxis, indicator.unit)
    axes.set_xlabel("Statusår" if indicator_id.startswith("sp07b") else "År")
    axes.set_ylabel(UNIT_AXIS_LABELS[indicator.unit])
    set_title(axes, indicator.title_nb, size=11)
    axes.grid(alpha=0.3)
    if not rows.empty:
        axes.legend(fontsize=8, frameon=False)
    mark_synthetic(figure, synthetic)
    years = sorted(rows["year"].unique())
    span = (f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])) if years else "ingen år"
    alt = f"Linjediagram: {indicator.title_nb}, {span}. " + " ".join(lines)
    return Chart(figure, f"{caption_prefix(synthetic)}Figur: {indicator.title_nb}, {span}.", alt.strip())


def series_label(row: pd.Series) -> str:
    return row["sex"] if pd.notna(row["sex"]) and row["sex"] != TOTAL else TOTAL


def describe_line(label: str, group: pd.DataFrame, unit: str) -> str:
    """``Menn: fra 70,1 % i 2019 til 72,3 % i 2022.`` for the alternative text."""
    known = group.dropna(subset=["value"])
    if known.empty:
        return f"{label}: ingen verdier."
    first, last = known.iloc[0], known.iloc[-1]
    if len(known) == 1:
        return f"{label}: {format_value(first['value'], unit)} i {int(first['year'])}."
    return (
        f"{label}: fra {format_value(first['value'], unit)} i {int(first['year'])} "
        f"til {format_value(last['value'], unit)} i {int(last['year'])}."
    )


def breakdown_chart(
    frame: pd.DataFrame, indicator_id: str, dimension: str, year: int, synthetic: bool = False
) -> Chart:
    """Horizontal bars of the indicator by ``dimension`` for ``year`` with intervals; a line marks the total."""
    indicator = get_indicator(indicator_id)
    rows = one_way(indicator_rows(frame, indicator_id, year))
    split = rows[rows[dimension].notna() & (rows[dimension] != TOTAL)]
    total = rows[rows.apply(group_label, axis=1) == TOTAL] if len(rows) else rows
    labels = split[dimension].tolist()
    values = split["value"].to_numpy(dtype=float)
    figure, axes = new_figure(8, 1.2 + 0.32 * max(len(labels), 1))
    positions = np.arange(len(labels))
    axes.barh(positions, np.nan_to_num(values), color=BAR_COLOUR)
    if split["ci_lower"].notna().any():
        lower = np.clip(values - split["ci_lower"].to_numpy(dtype=float), 0, None)
        upper = np.clip(split["ci_upper"].to_numpy(dtype=float) - values, 0, None)
        axes.errorbar(
            np.nan_to_num(values),
            positions,
            xerr=[np.nan_to_num(lower), np.nan_to_num(upper)],
            fmt="none",
            ecolor="#333",
            capsize=2,
            linewidth=0.8,
        )
    for position, value in zip(positions, values, strict=True):
        axes.annotate(
            format_value(value, indicator.unit),
            (0 if np.isnan(value) else value, position),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
        )
    if not total.empty and pd.notna(total.iloc[0]["value"]):
        draw_total(axes, total.iloc[0]["value"], indicator.unit)
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    set_value_axis(axes.xaxis, indicator.unit)
    axes.set_xlabel(UNIT_AXIS_LABELS[indicator.unit])
    dim_label = BREAKDOWN_LABELS[dimension].lower()
    count_total = ""
    if indicator.unit == UNIT_COUNT and not total.empty and pd.notna(total.iloc[0]["value"]):
        count_total = f" (i alt {format_value(total.iloc[0]['value'], UNIT_COUNT)})"
    set_title(axes, f"{indicator.title_nb}, etter {dim_label}, {year}{count_total}", size=11)
    axes.margins(x=0.08)
    axes.grid(axis="x", alpha=0.3)
    mark_synthetic(figure, synthetic)
    alt = describe_bars(split[dimension], split["value"], total, indicator.unit, dim_label)
    caption = f"{caption_prefix(synthetic)}Figur: {indicator.title_nb}, etter {dim_label}, {year}."
    return Chart(figure, caption, f"Liggende stolpediagram etter {dim_label}. {alt}")


def draw_total(axes, value: float, unit: str) -> None:
    """A dashed line at the total for shares, means and ratios (counts are parts of the total: none)."""
    label = f"I alt: {format_value(value, unit)}"
    if unit == UNIT_COUNT:
        return  # the total is in the title
    axes.axvline(value, color="#555", linestyle="--", linewidth=0.9, label=label)
    axes.legend(fontsize=8, frameon=False, loc="lower right")


def set_value_axis(axis, unit: str) -> None:
    """Norwegian tick labels for the unit; whole-number ticks for counts."""
    if unit == UNIT_COUNT:
        axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(axis_formatter(unit))


def describe_bars(
    labels: pd.Series, values: pd.Series, total: pd.DataFrame, unit: str, dim_label: str
) -> str:
    """Highest and lowest group and the total, for the alternative text."""
    known = pd.Series(values.to_numpy(dtype=float), index=labels.to_numpy()).dropna()
    parts = []
    if not total.empty and pd.notna(total.iloc[0]["value"]):
        parts.append(f"I alt: {format_value(total.iloc[0]['value'], unit)}.")
    if len(known) >= 2 and known.max() == known.min():
        parts.append(f"Alle grupper med tall: {format_value(known.iloc[0], unit)}.")
    elif len(known) >= 2:
        parts.append(f"Høyest: {known.idxmax()} ({format_value(known.max(), unit)}).")
        parts.append(f"Lavest: {known.idxmin()} ({format_value(known.min(), unit)}).")
    elif len(known) == 1:
        parts.append(f"{known.index[0]}: {format_value(known.iloc[0], unit)}.")
    missing = len(values) - len(known)
    if missing:
        groups = "gruppe" if missing == 1 else "grupper"
        parts.append(f"{missing} {groups} uten tall (for eksempel nevner 0).")
    return " ".join(parts) if parts else f"Ingen tall etter {dim_label}."
