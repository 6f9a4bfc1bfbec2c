"""One book page per goal of the run year's letter (``notebooks/goal.ipynb``, parameter ``goal``).

Everything the page says about the letter comes from the letter files of the run year
(:func:`~imdi_analysis.letter.goals.letter_year_for`: the year's own letter, else the latest
earlier one) at run time: the goal's title, its steering parameters (SP) and which indicators
measure which SP (``steering_parameters.csv``, column ``indicator_id``). The indicator
registry supplies only how an indicator is computed and described; its own SP numbers are the
2022 defaults and are not used here. So a new letter that retitles a goal or renumbers its SPs
needs no code change.

:func:`goal_page` computes, once, every indicator the letter links to the goal's SPs for the
reporting year and the time series; :meth:`GoalPage.sections` returns the display objects of
the page body in order. Letter text is escaped wherever it is shown (Markdown with
:func:`~imdi_analysis.publish.markdown_text`, HTML with :func:`~imdi_analysis.publish.esc`),
so a title holding ``<script>`` or a Markdown link shows as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from imdi_analysis import config
from imdi_analysis.datastep import compute_indicator_release
from imdi_analysis.disclosure import DEFAULT_THRESHOLD
from imdi_analysis.errors import DataNotFoundError, DataValidationError
from imdi_analysis.formatting import format_date
from imdi_analysis.indicators import figures
from imdi_analysis.indicators._common import BREAKDOWN_LABELS
from imdi_analysis.indicators.registry import INDICATORS, Indicator, get_indicator
from imdi_analysis.indicators.ssb import SOURCE_LABEL_NB as SSB_SOURCE_LABEL
from imdi_analysis.indicators.ssb import SOURCE_NAME as SSB_SOURCE
from imdi_analysis.indicators.ssb import source_label as ssb_source_label
from imdi_analysis.letter import goals
from imdi_analysis.letter._files import letter_file
from imdi_analysis.publish import esc, markdown_text

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
    """The allocation letter the goal pages of ``year`` follow (see :mod:`imdi_analysis.letter.goals`)."""
    return goals.letter_year_for(year)


def inline_markdown(text: object) -> str:
    """Letter text as one line of Markdown that renders as the same text (no tag, link or heading)."""
    return markdown_text(" ".join(str(text).split()))


class PlainText:
    """Text whose plain representation is the text itself, for ``glue`` into a heading.

    ``glue("goal_heading", page.heading())`` fills ``# {glue:text}`goal_heading``` with the
    text; myst-nb inserts it as a text node, so it is never read as Markdown or HTML.
    """

    def __init__(self, text: str) -> None:
        self.text = " ".join(text.split())

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


@dataclass
class GoalPage:
    """Everything one goal page shows, computed once.

    Attributes
    ----------
    goal, year, period : the goal number in the letter, the reporting year and period
    letter_year : the letter the page follows
    title : the goal's wording in that letter
    sps : the goal's SPs from the letter (columns ``sp``, ``text``), in SP order
    measured : ``{sp: [Indicator, ...]}``: the indicators the letter links to each SP
    """

    goal: int
    year: int
    period: str
    letter_year: int
    synthetic: bool
    title: str
    sps: pd.DataFrame
    measured: dict[int, list[Indicator]]
    series: pd.DataFrame
    shown_years: list[int]
    ssb_label: str = SSB_SOURCE_LABEL

    @property
    def indicators(self) -> list[Indicator]:
        """Every indicator on the page, once, in SP order."""
        seen: dict[str, Indicator] = {}
        for listed in self.measured.values():
            for indicator in listed:
                seen.setdefault(indicator.id, indicator)
        return list(seen.values())

    def sps_of(self, indicator_id: str) -> list[int]:
        """The SP numbers the letter measures with ``indicator_id`` (under this goal)."""
        return [sp for sp, listed in self.measured.items() if any(i.id == indicator_id for i in listed)]

    def heading(self) -> PlainText:
        """``Mål 2: <the letter's title>``, the page heading (glued as plain text)."""
        return PlainText(f"Mål {self.goal}: {self.title}")

    def intro(self) -> str:
        """The goal's wording, the report it belongs to and a synthetic-data notice when relevant."""
        lines = [
            f"**Mål {self.goal}: {inline_markdown(self.title)}** (tildelingsbrevet for {self.letter_year})."
        ]
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
        lines = []
        for number, text in zip(self.sps["sp"], self.sps["text"], strict=True):
            measured = [inline_markdown(i.title_nb) for i in self.measured.get(int(number), [])]
            how = (
                "måles med: " + "; ".join(measured) if measured else "rapporteres kvalitativt i årsrapporten"
            )
            lines.append(f"- **SP {number}:** {inline_markdown(text)} – *{how}*.")
        if not lines:
            return (
                f"Tildelingsbrevet for {self.letter_year} har ingen styringsparametere under mål {self.goal}."
            )
        return "\n".join(lines)

    def qualitative_note(self) -> str:
        """Which SPs have no measurable indicator, in Norwegian."""
        numbers = [int(n) for n in self.sps["sp"] if not self.measured.get(int(n))]
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
        """Definition, interval method and sources of an indicator; the SP number from the letter."""
        indicator = get_indicator(indicator_id)
        labels = SOURCE_LABELS_NB | {SSB_SOURCE: self.ssb_label}
        sources = "; ".join(labels.get(s, s) for s in indicator.sources)
        sps = ", ".join(f"SP {n}" for n in self.sps_of(indicator_id)) or "ingen SP i brevet"
        return (
            f"{indicator.definition_nb}\n\n*Usikkerhet:* {indicator.interval_nb} *Kilde:* {sources}. "
            f"*Indikator-id:* `{indicator.id}` ({sps})."
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

    def sp_heading(self, number: int) -> str:
        """``<h2>SP 7: <the letter's SP text></h2>``, escaped."""
        text = self.sps.set_index("sp").loc[number, "text"]
        return f'<h2 class="imdi-sp">SP {number}: {esc(" ".join(str(text).split()))}</h2>'

    def sections(self) -> list[object]:
        """The page body in order: per measured SP its heading, then per indicator its heading,
        definition, headline, table, time series chart and breakdown charts (IPython display objects).
        """
        from IPython.display import HTML, Markdown  # only where a notebook displays the page

        items: list[object] = []
        for number, listed in self.measured.items():
            if not listed:
                continue
            items.append(HTML(self.sp_heading(number)))
            for indicator in listed:
                items += [
                    HTML(f'<h3 class="imdi-indicator">{esc(indicator.title_nb)}</h3>'),
                    Markdown(self.definition(indicator.id)),
                    Markdown(self.headline(indicator.id)),
                    self.table(indicator.id),
                    self.time_series_chart(indicator.id),
                    *self.breakdown_charts(indicator.id),
                ]
        return items


def letter_indicators(goal: int, year: int) -> tuple[str, pd.DataFrame, dict[int, list[Indicator]]]:
    """The goal's title, SPs and ``{sp: indicators}`` from the letter the run ``year`` follows.

    Raises
    ------
    DataNotFoundError
        When the letter has no goal ``goal`` (the message lists the goals it has).
    DataValidationError
        When ``steering_parameters.csv`` names an indicator id the registry does not know.
    """
    letter_year = letter_year_for(year)
    titles = goals.load_goals(letter_year).set_index("goal")["title"]
    if goal not in titles.index:
        raise DataNotFoundError(
            f"{letter_file(letter_year, goals.GOALS_FILE)}: the letter for {letter_year} has no goal {goal}. "
            f"Goals: {', '.join(map(str, titles.index))}."
        )
    sps = goals.load_steering_parameters(letter_year)
    sps = sps.loc[sps["goal"] == goal, ["sp", "text"]].reset_index(drop=True)
    links = goals.sp_indicators(letter_year)
    unknown = sorted(set(links["indicator_id"]) - set(INDICATORS))
    if unknown:
        raise DataValidationError(
            f"{letter_file(letter_year, goals.STEERING_PARAMETERS_FILE)}, column 'indicator_id': unknown "
            f"indicator id(s) {', '.join(unknown)}. Known: {', '.join(INDICATORS)}. "
            f"Run `imdi letter check --year {letter_year}`."
        )
    links = links[links["goal"] == goal]
    measured = {
        int(number): [INDICATORS[i] for i in links.loc[links["sp"] == number, "indicator_id"]]
        for number in sps["sp"]
    }
    return str(titles[goal]), sps, measured


def select_measures(
    measures: pd.DataFrame, ids: list[str], years: list[int], period: str, threshold: int
) -> pd.DataFrame:
    """The rows of ``ids`` and ``years`` from the data step's disclosed indicators of ``period``."""
    from imdi_analysis.disclosure import THRESHOLD_ATTR

    shown = measures.attrs.get(THRESHOLD_ATTR)
    if shown is not None and int(shown) != int(threshold):
        raise DataValidationError(
            f"The indicators were disclosed with threshold {shown}; this page uses {threshold}."
        )
    rows = measures["indicator_id"].isin(ids) & measures["year"].isin(years) & (measures["period"] == period)
    out = measures[rows.to_numpy()].reset_index(drop=True)
    out.attrs[THRESHOLD_ATTR] = int(threshold)
    return out


def goal_page(
    goal: int,
    year: int,
    period: str = "year",
    data_dir: str | Path | None = None,
    years: str = "",
    threshold: int | None = None,
    measures: pd.DataFrame | None = None,
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
        (``imdi_analysis.disclosure.disclose_indicators``), with secondary suppression; ``None``
        (a run with the default) is :data:`~imdi_analysis.disclosure.DEFAULT_THRESHOLD`
    measures : the disclosed indicators of the run's data step for ``period``
        (:func:`imdi_analysis.datastep.read_indicators`); the page then shows exactly those
        figures. ``None`` computes them here with the same definition
        (:func:`~imdi_analysis.datastep.compute_indicator_release`), for use outside a run.
    """
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    config.check_period(period)
    directory = Path(data_dir) if data_dir else None
    resolved, synthetic = config.register_dir(directory)
    title, sps, measured = letter_indicators(goal, year)
    indicators = list({i.id: i for listed in measured.values() for i in listed}.values())
    shown = sorted(set(config.parse_years(years)) | {year}) if years else [year]
    ids = [i.id for i in indicators]
    if indicators:
        config.check_year_has_data(year, resolved)
    computed = sorted(set(shown) | {year - 1}) if indicators else [year]
    if measures is None:  # readers never see figures resting on few persons
        series = compute_indicator_release(period, computed, directory, threshold, ids)
    else:
        series = select_measures(measures, ids, computed, period, threshold)
    uses_ssb = any(SSB_SOURCE in i.sources for i in indicators)
    ssb_label = ssb_source_label(directory) if uses_ssb else SSB_SOURCE_LABEL
    return GoalPage(
        goal, year, period, letter_year_for(year), synthetic, title, sps, measured, series, shown, ssb_label
    )
