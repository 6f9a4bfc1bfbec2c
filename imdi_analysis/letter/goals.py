"""The allocation letter's goals (mål) and steering parameters (styringsparametere, SP).

Files ``data/raw/letter/<year>/goals.csv`` and ``steering_parameters.csv`` transcribe
section 3 of the letter: one row per goal and one per SP, with the goal each SP sits under,
the letter's wording verbatim and the place it comes from (``section``, ``source_lines``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from imdi_analysis import config
from imdi_analysis.errors import DataNotFoundError, DataValidationError
from imdi_analysis.letter._files import letter_file, letter_root, load_letter_table
from imdi_analysis.tabular import has_columns, passes, read_table, validate

GOALS_FILE = "goals.csv"
STEERING_PARAMETERS_FILE = "steering_parameters.csv"
SOURCE_LINES_PATTERN = r"^\d+(-\d+)?(;\d+(-\d+)?)*$"
INDICATOR_IDS_PATTERN = r"^[a-z][a-z0-9_]*(;[a-z][a-z0-9_]*)*$"


class GoalSchema(pa.DataFrameModel):
    """One goal (mål) of the allocation letter."""

    goal: Series[int] = pa.Field(ge=1, unique=True, description="Goal number as printed (Mål 1 …).")
    title: Series[str] = pa.Field(
        str_length={"min_value": 1}, description="Goal wording, verbatim Norwegian."
    )
    section: Series[str] = pa.Field(description="Place in the letter, e.g. '3 Mål 2'.")
    source_lines: Series[str] = pa.Field(
        str_matches=SOURCE_LINES_PATTERN,
        description="Lines of the letter's text file, e.g. '176;2419' (ranges as '106-108').",
    )
    notes: Series[str] = pa.Field(
        nullable=True, description="Transcription notes, e.g. wording that differs between places."
    )

    class Config:
        strict = True
        coerce = True


class SteeringParameterSchema(pa.DataFrameModel):
    """One steering parameter (SP) and the goal it sits under."""

    sp: Series[int] = pa.Field(ge=1, unique=True, description="SP number as printed (SP 1 …).")
    goal: Series[int] = pa.Field(ge=1, description="Number of the goal the SP is listed under.")
    text: Series[str] = pa.Field(
        str_length={"min_value": 1}, description="SP wording, verbatim, joined across broken lines."
    )
    indicator_id: Series[str] = pa.Field(
        nullable=True,
        str_matches=INDICATOR_IDS_PATTERN,
        description="Id(s) of the indicator(s) measuring the SP, ';'-separated; empty when none measures it.",
    )
    section: Series[str] = pa.Field(description="Place in the letter, e.g. '3 Mål 1'.")
    source_lines: Series[str] = pa.Field(
        str_matches=SOURCE_LINES_PATTERN, description="Lines of the letter's text file."
    )
    notes: Series[str] = pa.Field(
        nullable=True, description="Transcription notes, e.g. why an indicator is (not) linked."
    )

    @pa.dataframe_check
    @classmethod
    def sps_are_numbered_in_goal_order(cls, df: pd.DataFrame) -> Series[bool]:
        """The letter lists SPs under goals in order: a higher SP never sits under a lower goal.

        A row fails when a lower-numbered SP sits under a higher goal than the row's.
        """
        if not has_columns(df, "sp", "goal"):
            return passes(df)
        sp, goal = pd.to_numeric(df["sp"], errors="coerce"), pd.to_numeric(df["goal"], errors="coerce")
        highest_before = goal.loc[sp.sort_values(kind="stable").index].cummax().shift()
        return ~(goal < highest_before.reindex(df.index)).fillna(False).astype(bool)

    class Config:
        strict = True
        coerce = True


def load_goals(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """Goals of the allocation letter for ``year``, validated against :class:`GoalSchema`."""
    return load_letter_table(year, GOALS_FILE, GoalSchema, root).sort_values("goal").reset_index(drop=True)


def load_steering_parameters(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """Steering parameters for ``year``; every SP's goal must exist in ``goals.csv``.

    Raises
    ------
    DataValidationError
        When the file fails :class:`SteeringParameterSchema` or an SP names a goal that
        ``goals.csv`` does not have.
    """
    path = letter_file(year, STEERING_PARAMETERS_FILE, root)
    raw = read_table(path, SteeringParameterSchema)
    check_goals_exist(raw, load_goals(year, root), path)  # first: an unknown goal also breaks the order
    sps = validate(raw, SteeringParameterSchema, path)
    return sps.sort_values("sp").reset_index(drop=True)


def check_goals_exist(frame: pd.DataFrame, goals: pd.DataFrame, path: Path, column: str = "goal") -> None:
    """Raise :class:`DataValidationError` naming rows whose goal number is not in ``goals``.

    ``column`` holds one goal number or several separated by ``;``, as numbers or text (the
    file before validation). Text that is not a number, and a missing column, are left for the
    schema to report.
    """
    if column not in frame.columns:
        return
    listed = frame[column].dropna().astype(str).str.split(";").explode().str.strip()
    numbers = pd.to_numeric(listed, errors="coerce")
    unknown = listed[numbers.notna() & ~numbers.isin(goals["goal"])]
    if unknown.empty:
        return
    rows = ", ".join(f"row {i + 1}: {v}" for i, v in unknown.items())
    raise DataValidationError(
        f"{path}, column {column!r}: goal number(s) not in goals.csv ({rows}). "
        f"Known goals: {', '.join(map(str, goals['goal']))}."
    )


def letter_year_for(year: int, root: Path | str | None = None) -> int:
    """The letter a run year's goal pages follow: ``year``'s, else the latest earlier, else the first.

    Raises
    ------
    DataNotFoundError
        When no letter folder exists at all.
    """
    base = letter_root(root)
    letters = config.years_in(base)
    if not letters:
        raise DataNotFoundError(
            f"No allocation letter in {base}. Transcribe one into {base}/<year>/ (see the README)."
        )
    earlier = [y for y in letters if y <= year]
    return earlier[-1] if earlier else letters[0]


def goal_numbers(year: int, root: Path | str | None = None) -> list[int]:
    """The goal numbers of the letter a run ``year`` follows (:func:`letter_year_for`), in order."""
    return [int(g) for g in load_goals(letter_year_for(year, root), root)["goal"]]


def sp_indicators(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """Which indicator measures which SP, as the letter of ``year`` says (``steering_parameters.csv``).

    Returns one row per (SP, indicator) with columns ``sp``, ``goal`` and ``indicator_id``, in SP
    order and, within an SP, in the order the letter file lists the ids. SPs that no indicator
    measures have no row. This is the authoritative mapping: the indicator registry's own SP
    numbers are defaults for the 2022 letter only.
    """
    sps = load_steering_parameters(year, root).dropna(subset=["indicator_id"])
    rows = [
        {"sp": int(row.sp), "goal": int(row.goal), "indicator_id": indicator_id.strip()}
        for row in sps.itertuples(index=False)
        for indicator_id in str(row.indicator_id).split(";")
    ]
    return pd.DataFrame(rows, columns=["sp", "goal", "indicator_id"])


def goals_overview(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """Goals with their steering parameters, one row per SP, with Norwegian headers for readers."""
    goals = load_goals(year, root)
    sps = load_steering_parameters(year, root)
    merged = sps.merge(goals[["goal", "title"]], on="goal", how="right")
    out = pd.DataFrame(
        {
            "Mål": merged["goal"].map(lambda g: f"Mål {g}") + ": " + merged["title"],
            "SP": merged["sp"].map(lambda n: "" if pd.isna(n) else f"SP {int(n)}"),
            "Styringsparameter": merged["text"].fillna("(ingen styringsparameter)"),
        }
    )
    return out.set_index(["Mål", "SP"])


__all__ = [
    "GoalSchema",
    "SteeringParameterSchema",
    "check_goals_exist",
    "goal_numbers",
    "goals_overview",
    "letter_year_for",
    "load_goals",
    "load_steering_parameters",
    "sp_indicators",
]
