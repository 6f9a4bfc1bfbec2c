"""The allocation letter (tildelingsbrev) as validated data.

One folder per year under ``data/raw/letter/<year>/``; every loader takes the year (and an
optional ``root`` for another folder), so next year's letter drops in as a new folder.
"""

from imdi_analysis.letter.appendix_spec import load_appendix_spec, tables_due
from imdi_analysis.letter.assignments import load_assignments
from imdi_analysis.letter.budget import (
    load_budget,
    load_budget_files,
    load_chapter_totals,
    load_earmarks,
    load_grants,
)
from imdi_analysis.letter.calendar import load_meetings, load_reports
from imdi_analysis.letter.checks import Discrepancy, check_letter
from imdi_analysis.letter.goals import load_goals, load_steering_parameters

__all__ = [
    "Discrepancy",
    "check_letter",
    "load_appendix_spec",
    "load_assignments",
    "load_budget",
    "load_budget_files",
    "load_chapter_totals",
    "load_earmarks",
    "load_goals",
    "load_grants",
    "load_meetings",
    "load_reports",
    "load_steering_parameters",
    "tables_due",
]
