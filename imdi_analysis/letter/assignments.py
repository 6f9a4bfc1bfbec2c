"""The allocation letter's assignments (oppdrag) as one register.

``data/raw/letter/<year>/assignments.csv`` holds every assignment the letter gives or lists as
open: the new ones (numbered ``<year>-NN``), the earlier ones still running (``2021-NN`` …) and
unnumbered tasks of section 3.1.x (``number`` empty). An assignment listed in several places
(section 3 and Vedlegg 2) is one row; ``section`` and ``source_lines`` name every place.

``deadline`` is the date the letter gives in the deadline column or "Frist:" line; it is empty
when the letter gives no date. ``deadline_kind`` says what kind of deadline it is and
``deadline_text`` keeps the letter's words.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pandera.pandas as pa
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from pandera.typing import Series

from imdi_analysis.errors import ConfigError, DataValidationError
from imdi_analysis.figures import finish, new_figure, set_title
from imdi_analysis.formatting import format_date
from imdi_analysis.letter._files import letter_file, load_letter_table
from imdi_analysis.letter.appendix_spec import parse_booleans
from imdi_analysis.letter.calendar import EVENT_LABELS_NB, load_reports, render_text_table
from imdi_analysis.letter.goals import SOURCE_LINES_PATTERN, check_goals_exist, load_goals
from imdi_analysis.tabular import Date, has_columns, iso_date_field, passes

ASSIGNMENTS_FILE = "assignments.csv"
DEADLINE_KINDS = (
    "date",
    "annual_report",
    "half_year_report",
    "ongoing",
    "until_group_ends",
    "several_dates",
    "month",
    "other",
)
DATED_KINDS = ("date", "several_dates")
NUMBER_PATTERN = r"^\d{4}-\d{2}$"
GOALS_PATTERN = r"^[1-9]\d*(;[1-9]\d*)*$"
# "Oppdrag nr. 2022-01", "oppdrag 2021-10", "Oppdrag nr. 2022– 11", "oppdrag 2021-041"
NUMBER_IN_TEXT = re.compile(r"[Oo]ppdrag(?:\s+nr\.?)?\s+(20\d{2})\s*[-–]\s*0*(\d{1,2})\b")
SEVERAL_GOALS_LABEL = "Flere mål"
MONTH_ABBREVIATIONS_NB = (
    "jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "des.",
)  # fmt: skip
TERMINAL_TITLE_WIDTH = 70
LANE_GAP_FRACTION = 12  # points closer than 1/12 of the time span share no lane
LANE_HEIGHT = 0.2


class AssignmentSchema(pa.DataFrameModel):
    """One assignment (oppdrag) of the allocation letter."""

    number: Series[str] = pa.Field(
        nullable=True,
        str_matches=NUMBER_PATTERN,
        description="Assignment number as 'YYYY-NN' (e.g. '2022-09'); empty for unnumbered tasks.",
    )
    title: Series[str] = pa.Field(
        str_length={"min_value": 1},
        description="Title verbatim, the fullest wording where it is printed twice.",
    )
    goals: Series[str] = pa.Field(
        nullable=True,
        str_matches=GOALS_PATTERN,
        description="Goal number(s) the assignment serves, ';'-separated; empty when the letter says several goals without naming them.",
    )
    deadline: Series[Date] = iso_date_field(
        "Date the letter gives as deadline; empty when none.", nullable=True
    )
    deadline_kind: Series[str] = pa.Field(
        isin=DEADLINE_KINDS, description="Kind of deadline, see DEADLINE_KINDS."
    )
    deadline_text: Series[str] = pa.Field(
        nullable=True, description="The letter's deadline wording, verbatim."
    )
    new: Series[pd.BooleanDtype] = pa.Field(
        description="Given in this year's letter (true) or earlier (false)."
    )
    section: Series[str] = pa.Field(
        description="Places in the letter, ';'-separated, e.g. '3 Mål 3;Vedlegg 2 Mål 3'."
    )
    source_lines: Series[str] = pa.Field(
        str_matches=SOURCE_LINES_PATTERN, description="Lines of the letter's text file."
    )
    notes: Series[str] = pa.Field(
        nullable=True, description="Differences between places, budget links, readings."
    )

    @pa.parser("new")
    @classmethod
    def read_new(cls, values: pd.Series) -> pd.Series:
        return parse_booleans(values)

    @pa.check("number", name="numbers_are_unique")
    @classmethod
    def numbers_are_unique(cls, numbers: Series[str]) -> Series[bool]:
        """Every row of a repeated number fails (empty numbers, unnumbered tasks, pass)."""
        return ~numbers.duplicated(keep=False)

    @pa.dataframe_check
    @classmethod
    def unnumbered_tasks_have_distinct_sections(cls, df: pd.DataFrame) -> Series[bool]:
        if not has_columns(df, "section", "number"):
            return passes(df)
        return ~(df["section"].duplicated(keep=False) & df["number"].isna())

    @pa.dataframe_check
    @classmethod
    def date_kind_has_deadline(cls, df: pd.DataFrame) -> Series[bool]:
        if not has_columns(df, "deadline_kind", "deadline"):
            return passes(df)
        return (df["deadline_kind"] != "date") | df["deadline"].notna()

    @pa.dataframe_check
    @classmethod
    def undated_kinds_have_no_deadline(cls, df: pd.DataFrame) -> Series[bool]:
        if not has_columns(df, "deadline_kind", "deadline"):
            return passes(df)
        return df["deadline_kind"].isin(DATED_KINDS) | df["deadline"].isna()

    class Config:
        strict = True
        coerce = True


def load_assignments(
    year: int, root: Path | str | None = None, due_before: dt.date | str | None = None
) -> pd.DataFrame:
    """Assignments of the allocation letter for ``year``, in the letter's order.

    Parameters
    ----------
    year : year of the allocation letter
    root : folder with one sub-folder per letter year; default ``data/raw/letter``
    due_before : keep only assignments whose ``deadline`` is earlier than this date.
        Assignments without a dated deadline (reports, ongoing, month-only) are left out.

    Raises
    ------
    DataValidationError
        When the file fails :class:`AssignmentSchema`, names an unknown goal, or flags as
        ``new`` a number from another year (or the other way round).
    ConfigError
        When ``due_before`` is not a date.
    """
    frame = load_letter_table(year, ASSIGNMENTS_FILE, AssignmentSchema, root)
    path = letter_file(year, ASSIGNMENTS_FILE, root)
    check_goals_exist(frame, load_goals(year, root), path, column="goals")
    check_new_matches_number(frame, year, path)
    if due_before is not None:
        frame = frame[frame["deadline"] < to_timestamp(due_before)]
    return frame.reset_index(drop=True)


def to_timestamp(value: dt.date | str) -> pd.Timestamp:
    """A date given as ``date`` or ISO text, as a timestamp; :class:`ConfigError` otherwise."""
    try:
        return pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ConfigError(
            f"Cannot read {value!r} as a date: write it as YYYY-MM-DD, e.g. 2022-07-01."
        ) from exc


def check_new_matches_number(frame: pd.DataFrame, year: int, path: Path) -> None:
    """Raise :class:`DataValidationError` where ``new`` disagrees with the number's year."""
    numbered = frame[frame["number"].notna()]
    given_this_year = numbered["number"].str.startswith(f"{year}-")
    wrong = numbered[given_this_year != numbered["new"].astype(bool)]
    if wrong.empty:
        return
    rows = ", ".join(
        f"row {i + 1}: {n} new={bool(v)}"
        for i, n, v in zip(wrong.index, wrong["number"], wrong["new"], strict=True)
    )
    raise DataValidationError(
        f"{path}, column 'new': must be true exactly for numbers starting with {year}- ({rows})."
    )


def find_assignment_numbers(text: str) -> list[str]:
    """Assignment numbers mentioned in ``text`` after the word "oppdrag", as ``YYYY-NN``.

    Spacing and dash variants and a leading zero ("2022– 11", "2021-041") are normalised; the
    list keeps every mention in order of appearance.
    """
    return [f"{y}-{int(n):02d}" for y, n in NUMBER_IN_TEXT.findall(text)]


def explode_goals(assignments: pd.DataFrame) -> pd.DataFrame:
    """One row per assignment and goal, with ``goal`` (int or missing) and a ``goal_label``."""
    out = assignments.assign(goal=assignments["goals"].str.split(";")).explode("goal")
    out["goal"] = pd.to_numeric(out["goal"]).astype("Int64")
    out["goal_label"] = out["goal"].map(lambda g: SEVERAL_GOALS_LABEL if pd.isna(g) else f"Mål {g}")
    return out.reset_index(drop=True)


def describe_deadline(row: pd.Series) -> str:
    """The deadline for readers: the date in Norwegian, else the letter's words."""
    if pd.notna(row["deadline"]):
        more = " (flere frister)" if row["deadline_kind"] == "several_dates" else ""
        return format_date(row["deadline"]) + more
    return row["deadline_text"] if pd.notna(row["deadline_text"]) else "Ikke oppgitt"


def assignments_by_goal(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """Assignments grouped by goal, with Norwegian headers, for the book.

    An assignment serving several goals appears under each; assignments given for several
    goals without naming them come last under "Flere mål".
    """
    goals = load_goals(year, root).set_index("goal")["title"]
    rows = explode_goals(load_assignments(year, root))
    rows = rows.sort_values(["goal", "deadline", "number"], na_position="last", kind="stable")
    titled = rows["goal"].map(lambda g: SEVERAL_GOALS_LABEL if pd.isna(g) else f"Mål {g}: {goals[g]}")
    out = pd.DataFrame(
        {
            "Mål": titled,
            "Nr.": rows["number"].fillna("–"),
            "Oppdrag": rows["title"],
            "Frist": rows.apply(describe_deadline, axis=1),
            "Gitt": rows["new"].map({True: f"Nytt i {year}", False: "Tidligere"}),
        }
    )
    return out.set_index(["Mål", "Nr."])


def format_month(value: float, _position: int | None = None) -> str:
    """A matplotlib date number as a Norwegian month label, e.g. ``'okt. 2022'``."""
    day = mdates.num2date(value)
    return f"{MONTH_ABBREVIATIONS_NB[day.month - 1]} {day.year}"


def plot_deadlines(year: int, root: Path | str | None = None) -> Figure:
    """Timeline of the assignments that have a dated deadline, one row per goal.

    Points close in time are spread over lanes within their goal's row so that their numbers
    stay readable. Dashed lines mark the report deadlines; assignments without a date are
    counted in a note under the chart.
    """
    rows = explode_goals(load_assignments(year, root))
    dated = rows[rows["deadline"].notna()].sort_values(["goal", "deadline", "number"], na_position="last")
    labels = list(dict.fromkeys(dated["goal_label"]))
    figure, axes = new_figure(10, 1.5 + 0.9 * max(len(labels), 1))
    if not dated.empty:
        min_gap = (dated["deadline"].max() - dated["deadline"].min()) / LANE_GAP_FRACTION
        for level, label in enumerate(labels):
            group = dated[dated["goal_label"] == label]
            y = level + assign_lanes(group["deadline"], min_gap) * LANE_HEIGHT
            axes.scatter(group["deadline"], y, s=30, zorder=3)
            for date, height, number in zip(group["deadline"], y, group["number"].fillna("–"), strict=True):
                axes.annotate(
                    number, (date, height), xytext=(4, 0), textcoords="offset points", fontsize=7, va="center"
                )
        draw_report_deadlines(axes, year, root, dated["deadline"])
    axes.set_yticks(range(len(labels)), labels)
    axes.set_ylim(len(labels) - 0.2, -0.5)
    axes.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    axes.xaxis.set_major_formatter(FuncFormatter(format_month))
    axes.tick_params(axis="x", labelrotation=45, labelsize=8)
    axes.grid(axis="y", visible=False)
    axes.margins(x=0.06)
    set_title(axes, f"Frister for oppdrag i tildelingsbrevet {year}, etter mål")
    axes.set_xlabel("Frist")
    undated = int(rows.drop_duplicates(subset=["number", "title"])["deadline"].isna().sum())
    shown = len(dated.drop_duplicates(subset=["number", "title"]))
    alt = (
        f"Tidslinje over {shown} oppdrag med datofrist i tildelingsbrevet {year}, ett felt per mål; "
        f"stiplede linjer er rapportfristene. {undated} oppdrag uten datofrist vises ikke."
    )
    return finish(figure, alt, f"Tildelingsbrev {year} til IMDi. {undated} oppdrag uten datofrist vises ikke")


def assign_lanes(dates: pd.Series, min_gap: pd.Timedelta) -> np.ndarray:
    """Lane number per date (sorted ascending) so that dates in one lane are ``min_gap`` apart."""
    last_in_lane: list[pd.Timestamp] = []
    lanes = []
    for date in dates:
        lane = next((i for i, last in enumerate(last_in_lane) if date - last >= min_gap), len(last_in_lane))
        if lane == len(last_in_lane):
            last_in_lane.append(date)
        last_in_lane[lane] = date
        lanes.append(lane)
    return np.array(lanes, dtype=float)


def draw_report_deadlines(axes, year: int, root: Path | str | None, deadlines: pd.Series) -> None:
    """Dashed vertical lines at the report deadlines that fall within the deadlines' span."""
    reports = load_reports(year, root)
    inside = reports[reports["deadline"].between(deadlines.min(), deadlines.max())]
    for date, kind, counted in zip(inside["deadline"], inside["kind"], inside["count_date"], strict=True):
        axes.axvline(date, color="grey", linestyle="--", linewidth=0.8, zorder=1)
        axes.annotate(
            f"{EVENT_LABELS_NB[kind]} {counted.year}", (date, 0), xycoords=("data", "axes fraction"),
            xytext=(-3, 3), textcoords="offset points", rotation=90, ha="right", va="bottom", fontsize=6, color="grey",
        )  # fmt: skip


def format_assignments(
    year: int, due_before: dt.date | str | None = None, root: Path | str | None = None
) -> str:
    """The assignments as a plain-text Norwegian table for the terminal, by deadline."""
    frame = load_assignments(year, root, due_before=due_before)
    frame = frame.sort_values("deadline", na_position="last", kind="stable")
    heading = f"Oppdrag i tildelingsbrevet {year}"
    if due_before is not None:
        heading += f" med frist før {format_date(to_timestamp(due_before))}"
    if frame.empty:
        return f"{heading}: ingen."
    table = pd.DataFrame(
        {
            "Nr.": frame["number"].fillna("–"),
            "Mål": frame["goals"].fillna("flere").str.replace(";", ", "),
            "Frist": frame.apply(describe_deadline, axis=1),
            "Oppdrag": frame["title"].map(shorten),
        }
    )
    return f"{heading} ({len(frame)}):\n{render_text_table(table)}"


def shorten(text: str, width: int = TERMINAL_TITLE_WIDTH) -> str:
    """``text`` cut to ``width`` characters with an ellipsis."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


__all__ = [
    "DEADLINE_KINDS",
    "AssignmentSchema",
    "assignments_by_goal",
    "find_assignment_numbers",
    "format_assignments",
    "load_assignments",
    "plot_deadlines",
]
