"""What the report notebooks display: the deviations, key-figure and quarterly pages, in Norwegian.

Each page function returns plain values (markdown text and tables as frames); the notebooks show
tables with :func:`imdi_analysis.formatting.reader_table`, which escapes every cell. Text from the
letter (SP texts, assignment titles, post names) is escaped for markdown with
:func:`imdi_analysis.publish.markdown_text` wherever it reaches markdown.

Links point at the built sibling pages of the same period section of the book (``goal_4.html``,
``budget_status.html``) and at the year's letter pages one level up: they are written into
notebook outputs, which the book build does not resolve, so they name the HTML files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from imdi_analysis import config
from imdi_analysis.datastep import compute_indicator_release
from imdi_analysis.disclosure import DEFAULT_THRESHOLD, check_threshold
from imdi_analysis.formatting import format_date, format_mill_kr, format_number, format_percent
from imdi_analysis.indicators.registry import INDICATORS
from imdi_analysis.letter.goals import letter_year_for, sp_indicators
from imdi_analysis.publish import markdown_text, table_markdown
from imdi_analysis.reports.deviations import (
    BUDGET_DEVIATION_SHARE,
    assignment_deadlines,
    budget_deviations,
    indicator_deviations,
)
from imdi_analysis.reports.key_figures import KEY_FIGURES, key_figures_table
from imdi_analysis.reports.quarterly import QuarterlyAnalysis, quarter_label, quarterly_analysis
from imdi_analysis.tables import STATUS_MISSING, STATUS_NOT_APPLICABLE, STATUS_SUPPRESSED

REPORT_NAMES = {"H1": "Halvårsrapport", "year": "Årsrapport"}
REASON_LABELS = {"rule": "prognosen er utenfor regelen i instruksen", "share": "avvik fra tildelt"}


@dataclass
class DeviationsPage:
    """The deviations of one report: steering parameters, budget and assignments."""

    year: int
    period: str
    indicators: pd.DataFrame  # for readers
    budget: pd.DataFrame  # for readers
    assignments: pd.DataFrame  # for readers
    goal_links: list[str] = field(default_factory=list)  # per row of ``indicators``: its goal page
    notes: list[str] = field(default_factory=list)

    def indicators_markdown(self) -> str:
        """The steering-parameter table as a markdown table whose "Mål" cells link to the goal pages."""
        return markdown_table(self.indicators, {"Mål": self.goal_links})

    def heading(self) -> str:
        return f"Avvik – {REPORT_NAMES[self.period].lower()} {self.year}"

    def intro(self) -> str:
        status = format_date(config.reference_date(self.year, self.period))
        report = "Halvårsrapporten" if self.period == "H1" else "Årsrapporten"
        return (
            f"Status per {status}. Tildelingsbrevet (punkt 9.1) ber om at halvårsrapporten «i hovedsak vies til "
            "avvik fra mål og styringsparametere, risiko for manglende måloppnåelse og budsjettmessige "
            f"utfordringer». {report} for {self.year} får her tre lister: styringsparameterne med endring fra "
            "samme periode året før, budsjettpostene med avvik, og oppdragene med frist i perioden eller "
            "passert frist."
        )


def resolve_threshold(threshold: int | None) -> int:
    """The run's threshold; ``None`` (a run with the default) is :data:`DEFAULT_THRESHOLD`."""
    return check_threshold(DEFAULT_THRESHOLD if threshold is None else threshold)


def format_change(change: float, unit: str) -> str:
    """A change for readers: percentage points for shares, months, or a whole count, with sign."""
    if math.isnan(change):
        return STATUS_MISSING
    sign = "+" if change > 0 else ("−" if change < 0 else "")
    size = abs(change)
    if unit == "share":
        return f"{sign}{format_number(size * 100, 1)} p.p."
    if unit == "months":
        return f"{sign}{format_number(size, 1)} mnd."
    if unit == "ratio":
        return f"{sign}{format_number(size, 2)}"
    return f"{sign}{format_number(size)}"


def format_value(value: float, unit: str) -> str:
    if math.isnan(value):
        return STATUS_MISSING
    if unit == "share":
        return format_percent(value)
    if unit == "months":
        return format_number(value, 1)
    if unit == "ratio":
        return format_number(value, 2)
    return format_number(value)


def beyond_text(beyond: object, status: str) -> str:
    if status == STATUS_SUPPRESSED:
        return STATUS_SUPPRESSED
    if beyond is None:
        return STATUS_NOT_APPLICABLE if status != STATUS_MISSING else STATUS_MISSING
    return "Ja" if beyond else "Nei"


def deviations_page(
    year: int,
    period: str,
    data_dir: Path | None = None,
    threshold: int | None = None,
    measures: pd.DataFrame | None = None,
) -> DeviationsPage:
    """Compute the three lists of the deviations page for ``year`` and ``period`` (``H1`` or ``year``).

    ``measures`` are the run's disclosed indicators of ``period``
    (:func:`imdi_analysis.datastep.read_indicators`), the frame the goal pages show; ``None``
    computes the two years with the same definition.
    """
    config.check_period(period)
    threshold = resolve_threshold(threshold)
    mapping = sp_indicators(year)
    ids = [i for i in mapping["indicator_id"] if i in INDICATORS]
    if measures is None:
        directory, _synthetic = config.register_dir(data_dir)
        config.check_year_has_data(year, directory)
        wanted = [y for y in (year - 1, year) if y in config.years_in(directory)]
        measures = compute_indicator_release(period, wanted, data_dir, threshold, ids)
    chosen = measures[(measures["indicator_id"].isin(ids) & (measures["period"] == period)).to_numpy()]
    current = chosen[chosen["year"] == year].reset_index(drop=True)
    before = chosen[chosen["year"] == year - 1].reset_index(drop=True)
    deviations = indicator_deviations(current, before).merge(
        mapping[["indicator_id", "sp", "goal"]], on="indicator_id", suffixes=("_registry", "")
    )
    indicators = pd.DataFrame(
        {
            "SP": [f"SP {sp}" for sp in deviations["sp"]],
            "Indikator": [INDICATORS[i].title_nb for i in deviations["indicator_id"]],
            f"{year}": [
                STATUS_SUPPRESSED if s == STATUS_SUPPRESSED and math.isnan(v) else format_value(v, u)
                for v, u, s in zip(deviations["value"], deviations["unit"], deviations["status"], strict=True)
            ],
            f"{year - 1}": [
                format_value(v, u)
                for v, u in zip(deviations["previous_value"], deviations["unit"], strict=True)
            ],
            "Endring": [
                STATUS_SUPPRESSED if s == STATUS_SUPPRESSED else format_change(c, u)
                for c, u, s in zip(
                    deviations["change"], deviations["unit"], deviations["status"], strict=True
                )
            ],
            "Utover usikkerheten": [
                beyond_text(b, s) for b, s in zip(deviations["beyond"], deviations["status"], strict=True)
            ],
            "Mål": [f"Mål {g}" for g in deviations["goal"]],
        }
    )
    goal_links = [f"goal_{int(g)}.html" for g in deviations["goal"]]
    return DeviationsPage(
        year=year,
        period=period,
        indicators=indicators,
        budget=budget_rows(year, period),
        assignments=assignment_rows(year, period),
        goal_links=goal_links,
    )


def markdown_table(frame: pd.DataFrame, links: dict[str, list[str]] | None = None) -> str:
    """``frame`` as a markdown pipe table, every cell escaped; cells of ``links`` columns link to their href."""
    links = links or {}

    def cell(column: str, row: int) -> str:
        text = markdown_text(" ".join(str(frame[column].iloc[row]).split()))
        return f"[{text}]({links[column][row]})" if column in links else text

    header = "| " + " | ".join(markdown_text(str(c)) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(cell(c, i) for c in frame.columns) + " |" for i in range(len(frame))]
    return "\n".join([header, rule, *rows])


def budget_rows(year: int, period: str) -> pd.DataFrame:
    """Posts whose forecast leaves its rule or deviates from the allocation by more than the share."""
    from imdi_analysis.budget.status import budget_status

    posts = budget_status(year, config.reference_date(year, period)).posts
    rows = budget_deviations(posts)
    return pd.DataFrame(
        {
            "Post": [f"{c}.{p:02d}" for c, p in zip(rows["chapter"], rows["post"], strict=True)],
            "Navn": rows["name"].astype(str).to_numpy() if "name" in rows else "",
            "Tildelt (mill. kr)": [format_mill_kr(v, 2) for v in rows["allocation_nok"]],
            "Prognose (mill. kr)": [format_mill_kr(v, 2) for v in rows["forecast_nok"]],
            "Avvik": [format_percent(v) for v in rows["deviation_share"]],
            "Grunn": ["; ".join(REASON_LABELS[r] for r in reasons) for reasons in rows["reasons"]],
        }
    )


def assignment_rows(year: int, period: str) -> pd.DataFrame:
    """Assignments due in the period or passed, then those with a deadline in words."""
    from imdi_analysis.letter.assignments import load_assignments

    letter = letter_year_for(year)
    listed = assignment_deadlines(
        load_assignments(letter), config.period_start(year), config.reference_date(year, period)
    )
    when = {"in_period": "Frist i perioden", "passed": "Frist passert", "text": "Frist oppgitt som tekst"}
    return pd.DataFrame(
        {
            "Oppdrag": listed["number"].astype(object).fillna(STATUS_MISSING).astype(str).to_numpy(),
            "Tittel": listed["title"].astype(str).to_numpy(),
            "Frist": [
                format_date(d) if pd.notna(d) else (str(t) if pd.notna(t) else "ikke oppgitt")
                for d, t in zip(listed["deadline"], listed["deadline_text"], strict=True)
            ],
            "Frist i forhold til perioden": [when[w] for w in listed["when"]],
            "Status (fylles ut)": "",
        }
    )


def budget_note() -> str:
    share = format_percent(BUDGET_DEVIATION_SHARE, 0)
    return (
        f"Budsjettposter tas med når prognosen for året er utenfor regelen i instruksen, eller avviker "
        f"mer enn {share} fra tildelt beløp. Se [budsjettstatus](budget_status.html) for alle poster."
    )


def indicator_note() -> str:
    return (
        "«Utover usikkerheten» er *Ja* når 95 %-intervallet for endringen ikke inneholder 0: endringen "
        "± 1,96 · √(se₁² + se₂²), der standardfeilene kommer fra indikatorenes egne 95 %-intervaller. "
        "Tellinger fra registre er fulltellinger uten slik usikkerhet (`.`). `:` er skjult av hensyn til "
        "personvern."
    )


# ------------------------------------------------------------------------------- key figures


def key_figures_markdown(year: int) -> str:
    """The heading text and the list of where each key figure is defined."""
    defined = "; ".join(
        f"{markdown_text(f.label_nb)}: [{markdown_text(f.defined_in)}]({f.link})" for f in KEY_FIGURES
    )
    return (
        f"Hovedtall for {year} og de fire årene før, til del II av årsrapporten («Introduksjon til "
        "virksomheten og hovedtall», tildelingsbrevet punkt 9.1). Hvert tall er det samme som på siden der "
        f"det er definert. Definisjoner: {defined}. `..` betyr at tallgrunnlag mangler, `:` at tallet er "
        "skjult av hensyn til personvern."
    )


def key_figures_for_readers(
    year: int,
    data_dir: Path | None = None,
    threshold: int | None = None,
    measures: pd.DataFrame | None = None,
    counts: pd.DataFrame | None = None,
):
    """The key-figure table (a frame of strings); ``measures`` and ``counts``: the run's data step
    (:func:`imdi_analysis.datastep.read_indicators`, :func:`imdi_analysis.datastep.read_counts`)."""
    return key_figures_table(year, data_dir, resolve_threshold(threshold), measures=measures, counts=counts)


# ------------------------------------------------------------------------------- quarterly


def quarterly_page(
    year: int, quarter: str, data_dir: Path | None = None, threshold: int | None = None
) -> QuarterlyAnalysis:
    return quarterly_analysis(year, quarter, data_dir, resolve_threshold(threshold))


def quarterly_intro(analysis: QuarterlyAnalysis) -> str:
    label = quarter_label(analysis.year, analysis.quarter)
    text = (
        f"Kvartalsvis analyse av bosettingsarbeidet, {label} (status ved kvartalets siste dag). "
        "«IMDi skal utarbeide en kvartalsvis analyse av bosettingsarbeidet som redegjør for status og "
        "utviklingstrekk» (instruksen, vedlegg 1, punkt 3.2)."
    )
    for note in analysis.notes:
        text += f"\n\n{markdown_text(note)}"
    return text


def quarterly_tables_markdown(analysis: QuarterlyAnalysis) -> list[str]:
    """Each disclosed table as the book shows appendix tables (HTML with its notes and legend)."""
    return [table_markdown(table) for table in analysis.tables]
