"""Indicators for the allocation letter's steering parameters (styringsparametere, SP).

One module per policy area computes indicators as pure functions of validated frames
(``function(frame, ..., year=..., period=...) -> IndicatorFrame``):

- :mod:`~imdi_analysis.indicators.jobbsjansen` — SP 1
- :mod:`~imdi_analysis.indicators.intro` — SP 4 (programme start), 7a, 8
- :mod:`~imdi_analysis.indicators.training` — SP 4 (Norwegian training)
- :mod:`~imdi_analysis.indicators.ssb` — SP 7b (Statistics Norway table 10809)
- :mod:`~imdi_analysis.indicators.advisers` — SP 10
- :mod:`~imdi_analysis.indicators.settlement` — SP 11
- :mod:`~imdi_analysis.indicators.interpreters` — SP 14 and 15

:mod:`~imdi_analysis.indicators.registry` holds :data:`INDICATORS` and loads the extracts;
:mod:`~imdi_analysis.indicators.figures` and :mod:`~imdi_analysis.indicators.goal_page` make
the book's goal pages (``notebooks/goal.ipynb``, run once per goal of the year's letter).
"""

from imdi_analysis.indicators._common import IndicatorFrame
from imdi_analysis.indicators.registry import (
    INDICATORS,
    Indicator,
    compute_indicators,
    get_indicator,
    indicators_for_goal,
    time_series,
)

__all__ = [
    "INDICATORS",
    "Indicator",
    "IndicatorFrame",
    "compute_indicators",
    "get_indicator",
    "indicators_for_goal",
    "time_series",
]
