"""The measures layer: periods and windows, durations (one month rule), populations and counting units.

Indicators and appendix tables are views of these definitions; see
:mod:`~imdi_analysis.measures.durations` for the month rule.
"""

from imdi_analysis.measures import durations, periods, populations, units
from imdi_analysis.measures.durations import (
    add_months,
    band_index,
    months_between,
    over_months,
    within_months,
)
from imdi_analysis.measures.periods import entry_window, in_period, in_window, period_bounds, quarter_bounds

__all__ = [
    "add_months",
    "band_index",
    "durations",
    "entry_window",
    "in_period",
    "in_window",
    "months_between",
    "over_months",
    "period_bounds",
    "periods",
    "populations",
    "quarter_bounds",
    "units",
    "within_months",
]
