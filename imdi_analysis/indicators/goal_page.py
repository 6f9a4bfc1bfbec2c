"""One book page per goal (``notebooks/goal_N.ipynb``): what its cells call and display.

:func:`goal_page` computes, once, every indicator of the goal's steering parameters for the
reporting year and the time series; the :class:`GoalPage` methods return the Markdown, tables
and charts the notebook displays. A goal whose steering parameters have no measurable
indicator shows its SPs and says which are reported qualitatively.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from imdi_analysis import config
from imdi_analysis.disclosure import DEFAULT_THRESHOLD, disclose_indicators
from imdi_analysis.errors import DataNotFoundError
from imdi_analysis.formatting import format_date
from imdi_analysis.indicators import figures
from imdi_analysis.indicators._common import BREAKDOWN_LABELS
from imdi_analysis.indicators.registry import Indicator, get_indicator, indicators_for_goal, time_series
from imdi_analysis.indicators.ssb import SOURCE_LABEL_NB as SSB_SOURCE_LABEL
from imdi_analysis.indicators.ssb import SOURCE_NAME as SSB_SOURCE
from imdi_analysis.indicators.ssb import source_label as ssb_source_label
from imdi_analysis.letter.goals import load_goals, load_steering_parameters

SOURCE_LABELS_NB = {
    "jobbsjansen": "tilskuddsrapportering for Jobbsjansen",
    "intro_participants": "Nasjonalt introduksjonsregister (NIR), deltakere i introduksjonsprogrammet",
    "norwegian_training": "NIR, opplæring i norsk og samfunnskunnskap",
    "settlement": "IMDis bosettingsdata",
    "municipal_decisions": "IMDis anmodninger og kommunenes vedtak",
    "interpreters": "Nasjonalt tolkeregister",
    "register_searches": "Nasjonalt tolkeregister, søk",
    "minority_adviser_cases": "saker fra minoritets- og integreringsrådgivere",
    SSB_SOURCE: SSB_SOURCE_LABEL,  # replaced by the synthetic label when the table used is synthetic
}


def letter_year_for(year: int) -> int:
    """The allocation letter to read the goals from: ``year``'s, else the latest earlier, else the first."""
    letters = config.years_in(config.LETTER_DIR)
    if not letters:
        raise DataNotFoundError(f"No allocation letter in {config.LETTER_DIR}.")
    earlier = [y for y in letters if y <= year]
    return earlier[-1] if earlier else letters[0]


@dataclass
class GoalPage:
    """Everything one goal page shows, computed once."""

    goal: int
    year: int
    period: str
    letter_year: int
    synthetic: bool
    indicators: list[Indicator]
    series: pd.DataFrame
    shown_years: list[int]
    ssb_label: str = SSB_SOURCE_LABEL

    def intro(self) -> str:
        """The goal's wording, the report it belongs to and a synthetic-data notice when relevant."""
        title = load_goals(self.letter_year).set_index("goal").loc[self.goal, "title"]
        lines = [f"**Mål {self.goal}: {title}** (tildelingsbrevet for {self.letter_year})."]
        if self.indicators:
            lines.append(
                f"Rapportering for {self.year}, {config.PERIOD_LABELS[self.period].lower()}: tallene gjelder "
                f"perioden 1. januar – {format_date(config.reference_date(self.year, self.period))}."
            )
        if self.letter_year != self.year:
            lines.append(
                f"Tildelingsbrevet for {self.year} finnes ikke her; målene er hentet fra {self.letter_year}."
            )
        if self.synthetic and self.indicators:
            lines.append(
                f"**{figures.SYNTHETIC_LABEL}.** Tallene er laget av en deterministisk generator for å vise "
                "hvordan analysen virker. De beskriver ikke virkelige personer og er ikke IMDis statistikk."
            )
        return "\n\n".join(lines)

    def steering_parameters(self) -> str:
        """The goal's SPs as a Markdown list, each with its indicators or "rapporteres kvalitativt"."""
        sps = load_steering_parameters(self.letter_year)
        sps = sps[sps["goal"] == self.goal]
        lines = []
        for number, text in zip(sps["sp"], sps["text"], strict=True):
            measured = [i.title_nb for i in self.indicators if i.sp == number]
            how = (
                "måles med: " + "; ".join(measured) if measured else "rapporteres kvalitativt i årsrapporten"
            )
            lines.append(f"- **SP {number}:** {text} – *{how}*.")
        return "\n".join(lines)

    def qualitative_note(self) -> str:
        """Which SPs have no measurable indicator, in Norwegian."""
        sps = load_steering_parameters(self.letter_year)
        numbers = [
            n for n in sps.loc[sps["goal"] == self.goal, "sp"] if n not in {i.sp for i in self.indicators}
        ]
        if not numbers:
            return "Alle styringsparameterne under dette målet har indikatorer i registerdataene."
        listed = ", ".join(f"SP {n}" for n in numbers)
        if not self.indicators:
            return (
                f"Ingen av styringsparameterne under mål {self.goal} kan måles med registerdataene prosjektet "
                f"har. {listed} rapporteres kvalitativt: IMDi beskriver innsats og resultater i årsrapporten."
            )
        return f"{listed} har ingen indikator i registerdataene og rapporteres kvalitativt i årsrapporten."

    def definition(self, indicator_id: str) -> str:
        """Definition, interval method and sources of an indicator, from the registry."""
        indicator = get_indicator(indicator_id)
        labels = SOURCE_LABELS_NB | {SSB_SOURCE: self.ssb_label}
        sources = "; ".join(labels.get(s, s) for s in indicator.sources)
        return (
            f"{indicator.definition_nb}\n\n*Usikkerhet:* {indicator.interval_nb} *Kilde:* {sources}. "
            f"*Indikator-id:* `{indicator.id}` (SP {indicator.sp})."
        )

    def current(self) -> pd.DataFrame:
        """Rows of the reporting year."""
        return self.series[self.series["year"] == self.year]

    def headline(self, indicator_id: str) -> str:
        return figures.headline(self.series, indicator_id, self.year)

    def table(self, indicator_id: str) -> pd.DataFrame:
        """The year's values by every one-way breakdown, as a Norwegian table."""
        return figures.value_table(self.series, indicator_id, self.year)

    def time_series_chart(self, indicator_id: str) -> figures.Chart:
        shown = self.series[self.series["year"].isin(self.shown_years)]
        return figures.time_series_chart(shown, indicator_id, self.synthetic)

    def breakdown_charts(self, indicator_id: str) -> list[figures.Chart]:
        """Charts by sex and by county (or the indicator's own first breakdown) for the reporting year."""
        return [
            figures.breakdown_chart(self.series, indicator_id, dim, self.year, self.synthetic)
            for dim in figures.chart_dimensions(indicator_id)
        ]

    def breakdown_names(self, indicator_id: str) -> str:
        return " og ".join(BREAKDOWN_LABELS[d].lower() for d in figures.chart_dimensions(indicator_id))


def goal_page(
    goal: int,
    year: int,
    period: str = "year",
    data_dir: str | Path | None = None,
    years: str = "",
    threshold: int = DEFAULT_THRESHOLD,
) -> GoalPage:
    """Compute the page of ``goal`` for the reporting ``year`` and ``period``.

    Parameters
    ----------
    goal : goal number in the allocation letter
    year, period : the reporting year and ``H1`` or ``year``
    data_dir : folder of register extracts; ``""`` or ``None`` for the default
    years : years of the time series, e.g. ``"2019-2023"`` (years without data are skipped);
        ``""`` for the reporting year only
    threshold : disclosure threshold: rows resting on 1 to ``threshold - 1`` persons are hidden
        (``imdi_analysis.disclosure.disclose_indicators``), with secondary suppression
    """
    config.check_period(period)
    directory = Path(data_dir) if data_dir else None
    resolved, synthetic = config.register_dir(directory)
    indicators = indicators_for_goal(goal)
    shown = sorted(set(config.parse_years(years)) | {year}) if years else [year]
    if indicators:
        config.check_year_has_data(year, resolved)
        computed = sorted(set(shown) | {year - 1})
        series = time_series([i.id for i in indicators], computed, period, directory)
    else:
        series = time_series([], [year], period, directory)
    series = disclose_indicators(series, threshold)  # readers never see figures resting on few persons
    uses_ssb = any(SSB_SOURCE in i.sources for i in indicators)
    ssb_label = ssb_source_label(directory) if uses_ssb else SSB_SOURCE_LABEL
    return GoalPage(
        goal, year, period, letter_year_for(year), synthetic, indicators, series, shown, ssb_label
    )
