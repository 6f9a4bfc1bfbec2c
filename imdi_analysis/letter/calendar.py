"""The year's reporting calendar: reports to the ministry (section 9) and steering meetings (Vedlegg 4).

``reports.csv`` has one row per report with its status date (telletidspunkt) and deadline;
``meetings.csv`` one row per meeting of the steering dialogue with its date.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from imdi_analysis.formatting import format_date
from imdi_analysis.letter._files import load_letter_table
from imdi_analysis.letter.goals import SOURCE_LINES_PATTERN
from imdi_analysis.tabular import Date, as_dates, has_columns, iso_date_field, passes

REPORTS_FILE = "reports.csv"
MEETINGS_FILE = "meetings.csv"
REPORT_KINDS = ("annual_report", "half_year_report", "other")
MEETING_KINDS = ("steering_meeting", "strategy_meeting", "leader_meeting", "other")
EVENT_LABELS_NB = {
    "annual_report": "Årsrapport",
    "half_year_report": "Halvårsrapport",
    "other": "Annen rapport",
    "steering_meeting": "Etatsstyringsmøte",
    "strategy_meeting": "Strategimøte",
    "leader_meeting": "Ledersamling",
}


class ReportSchema(pa.DataFrameModel):
    """One report IMDi owes the ministry, with its status date and deadline."""

    report: Series[str] = pa.Field(
        str_length={"min_value": 1}, description="Name of the report as in the letter."
    )
    kind: Series[str] = pa.Field(isin=REPORT_KINDS, description="annual_report, half_year_report or other.")
    count_date: Series[Date] = iso_date_field("Status date the figures are counted at (telletidspunkt).")
    deadline: Series[Date] = iso_date_field("Date the report is due (rapporteringsfrist).")
    section: Series[str] = pa.Field(description="Place in the letter, e.g. '9.1'.")
    source_lines: Series[str] = pa.Field(
        str_matches=SOURCE_LINES_PATTERN, description="Lines of the letter's text file."
    )
    source_text: Series[str] = pa.Field(description="The letter's words for the report, verbatim.")
    notes: Series[str] = pa.Field(nullable=True, description="Readings and inconsistencies.")

    @pa.dataframe_check
    @classmethod
    def deadline_after_count_date(cls, df: pd.DataFrame) -> Series[bool]:
        if not has_columns(df, "deadline", "count_date"):
            return passes(df)
        deadline, counted = as_dates(df["deadline"]), as_dates(df["count_date"])
        return deadline.isna() | counted.isna() | (deadline > counted)

    class Config:
        strict = True
        coerce = True


class MeetingSchema(pa.DataFrameModel):
    """One meeting of the steering dialogue between the ministry and IMDi."""

    meeting: Series[str] = pa.Field(
        str_length={"min_value": 1}, description="Meeting type as printed ('Type møte')."
    )
    kind: Series[str] = pa.Field(
        isin=MEETING_KINDS, description="steering_meeting, strategy_meeting, leader_meeting or other."
    )
    date: Series[Date] = iso_date_field("Date of the meeting.")
    section: Series[str] = pa.Field(description="Place in the letter, e.g. 'Vedlegg 4'.")
    source_lines: Series[str] = pa.Field(
        str_matches=SOURCE_LINES_PATTERN, description="Lines of the letter's text file."
    )
    notes: Series[str] = pa.Field(
        nullable=True, description="What the letter says about the meeting elsewhere."
    )

    class Config:
        strict = True
        coerce = True


def load_reports(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """Reports due under the allocation letter for ``year``, by deadline."""
    frame = load_letter_table(year, REPORTS_FILE, ReportSchema, root)
    return frame.sort_values("deadline", kind="stable").reset_index(drop=True)


def load_meetings(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """Meetings of the steering dialogue for ``year``, by date."""
    frame = load_letter_table(year, MEETINGS_FILE, MeetingSchema, root)
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def calendar_events(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """Reports and meetings as one chronological list: ``date``, ``kind``, ``event``, ``detail``, ``section``."""
    reports = load_reports(year, root)
    meetings = load_meetings(year, root)
    report_events = pd.DataFrame(
        {
            "date": reports["deadline"],
            "kind": reports["kind"],
            "event": "Frist: " + reports["report"],
            "detail": "Telletidspunkt " + reports["count_date"].map(format_date),
            "section": reports["section"],
        }
    )
    meeting_events = pd.DataFrame(
        {
            "date": meetings["date"],
            "kind": meetings["kind"],
            "event": meetings["meeting"],
            "detail": "",
            "section": meetings["section"],
        }
    )
    events = pd.concat([report_events, meeting_events], ignore_index=True)
    return events.sort_values("date", kind="stable").reset_index(drop=True)


def calendar_table(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """The reporting and meeting calendar with Norwegian headers, for the book."""
    events = calendar_events(year, root)
    return pd.DataFrame(
        {
            "Dato": events["date"].map(format_date),
            "Type": events["kind"].map(EVENT_LABELS_NB).fillna("Annet"),
            "Hva": events["event"],
            "Merknad": events["detail"],
            "Kilde i brevet": events["section"],
        }
    ).set_index("Dato")


def format_calendar(year: int, root: Path | str | None = None) -> str:
    """The calendar as a plain-text Norwegian table for the terminal."""
    table = calendar_table(year, root).reset_index()
    return f"Kalender for rapportering og styringsdialog {year}:\n{render_text_table(table)}"


def render_text_table(frame: pd.DataFrame, gap: str = "  ") -> str:
    """A frame of text as left-aligned columns under a header and a rule, for the terminal."""
    text = frame.astype(str)
    widths = [max([len(str(c)), *text[c].str.len()]) for c in text.columns]
    lines = [gap.join(str(c).ljust(w) for c, w in zip(text.columns, widths, strict=True)).rstrip()]
    lines.append(gap.join("-" * w for w in widths))
    lines += [
        gap.join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
        for row in text.itertuples(index=False)
    ]
    return "\n".join(lines)


__all__ = [
    "MeetingSchema",
    "ReportSchema",
    "calendar_events",
    "calendar_table",
    "format_calendar",
    "load_meetings",
    "load_reports",
    "render_text_table",
]
