"""Deviations for the half-year and annual report (letter section 9.1, "Halvårsrapportering").

The half-year report "skal i hovedsak vies til avvik fra mål og styringsparametere, risiko for
manglende måloppnåelse og budsjettmessige utfordringer". Three lists make up the deviations:

1. :func:`indicator_deviations`: every steering-parameter indicator's national figure, the same
   period one year earlier, the change, and whether the change is beyond its uncertainty.
   *Beyond* means that the 95 % interval of the change excludes 0. The interval of the change
   is ``change ± z · sqrt(se_now² + se_before²)``, each standard error taken from the
   indicator's own 95 % interval as ``(upper − lower) / (2 z)`` (Wilson for shares, Student t
   for means, order statistics for medians; :mod:`imdi_analysis.indicators._common`). Counts
   from a register are complete counts and carry no interval: their change is reported, and
   "beyond uncertainty" is not applicable (``None``). A figure hidden by disclosure control in
   either year hides the change too.
2. :func:`budget_deviations`: budget posts whose year-end forecast leaves the instruction's
   spending rules (``flagged`` by :mod:`imdi_analysis.budget.rules`) or deviates from the
   allocation by more than :data:`BUDGET_DEVIATION_SHARE`.
3. :func:`assignment_deadlines`: assignments of the letter whose dated deadline falls in the
   report's period or has passed by its reference date, and those whose deadline is text only,
   as a list for staff to complete.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from imdi_analysis.indicators._common import BREAKDOWN_COLUMNS, TOTAL, UNIT_COUNT
from imdi_analysis.tables import STATUS_MISSING, STATUS_SUPPRESSED

Z95 = 1.959963984540054  # two-sided 95 % normal quantile
BUDGET_DEVIATION_SHARE = 0.05  # a forecast more than 5 % above or below the allocation is a deviation
DEVIATION_COLUMNS = [
    "indicator_id",
    "sp",
    "unit",
    "value",
    "previous_value",
    "change",
    "margin",
    "beyond",
    "status",
]


def national_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with every breakdown column missing or "I alt": the national figure of each indicator."""
    national = np.ones(len(frame), dtype=bool)
    for column in BREAKDOWN_COLUMNS:
        if column in frame.columns:
            values = frame[column]
            national &= (values.isna() | (values.astype(object) == TOTAL)).to_numpy()
    return frame[national]


def standard_error(lower: pd.Series, upper: pd.Series) -> pd.Series:
    """Standard error implied by a 95 % interval: ``(upper − lower) / (2 z)``; NaN without one."""
    return (pd.to_numeric(upper, errors="coerce") - pd.to_numeric(lower, errors="coerce")) / (2 * Z95)


def indicator_deviations(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """National figure of every indicator now and one year earlier, the change and its uncertainty.

    Parameters
    ----------
    current, previous : indicator frames (:class:`~imdi_analysis.indicators._common.IndicatorFrame`
        columns, after :func:`~imdi_analysis.disclosure.disclose_indicators` so with ``status``)
        of the report's year and of the same period one year earlier

    Returns
    -------
    pandas.DataFrame
        :data:`DEVIATION_COLUMNS`, one row per indicator of ``current`` in its order.
        ``margin`` is ``z · sqrt(se_now² + se_before²)``; ``beyond`` is ``|change| > margin``
        (``None`` when either figure has no interval, e.g. a register count, or is missing);
        ``status`` is ``:`` when either figure is hidden, ``..`` when one is missing, else ``""``.
    """
    now = national_rows(current).drop_duplicates("indicator_id").set_index("indicator_id")
    before = national_rows(previous).drop_duplicates("indicator_id").set_index("indicator_id")
    before = before.reindex(now.index)
    se_now = standard_error(now["ci_lower"], now["ci_upper"])
    se_before = standard_error(before["ci_lower"], before["ci_upper"])
    value = pd.to_numeric(now["value"], errors="coerce")
    previous_value = pd.to_numeric(before["value"], errors="coerce")
    change = value - previous_value
    margin = Z95 * np.sqrt(se_now**2 + se_before**2)
    hidden = status_of(now).eq(STATUS_SUPPRESSED) | status_of(before).eq(STATUS_SUPPRESSED)
    out = pd.DataFrame(
        {
            "indicator_id": now.index,
            "sp": now["sp"].to_numpy(),
            "unit": now["unit"].to_numpy(),
            "value": value.where(~status_of(now).eq(STATUS_SUPPRESSED)).to_numpy(),
            "previous_value": previous_value.where(~status_of(before).eq(STATUS_SUPPRESSED)).to_numpy(),
            "change": change.where(~hidden).to_numpy(),
            "margin": margin.where(~hidden).to_numpy(),
        }
    )
    out["beyond"] = pd.Series(
        [
            None if (unit == UNIT_COUNT or math.isnan(c) or math.isnan(m)) else bool(abs(c) > m)
            for unit, c, m in zip(out["unit"], out["change"], out["margin"], strict=True)
        ],
        dtype=object,
    )
    out["status"] = np.select(
        [hidden.to_numpy(), change.isna().to_numpy()], [STATUS_SUPPRESSED, STATUS_MISSING], ""
    )
    return out[DEVIATION_COLUMNS]


def status_of(frame: pd.DataFrame) -> pd.Series:
    """The disclosure status of each row (``""`` where the frame has none)."""
    if "status" not in frame.columns:
        return pd.Series("", index=frame.index)
    return frame["status"].fillna("").astype(str)


def budget_deviations(posts: pd.DataFrame, share: float = BUDGET_DEVIATION_SHARE) -> pd.DataFrame:
    """Posts outside their spending rule or whose forecast deviates from the allocation by more than ``share``.

    Parameters
    ----------
    posts : :attr:`imdi_analysis.budget.status.BudgetStatus.posts` (``flagged``, ``deviation_share``,
        ``deviation_nok``, ``allocation_nok``, ``forecast_nok`` …)
    share : the stated share (0.05 = 5 %); a deviation of exactly ``share`` is not beyond it

    Returns
    -------
    pandas.DataFrame
        The rows of ``posts`` that deviate, in post order, with ``reasons``: a list of
        ``"rule"`` (outside the instruction's rule) and ``"share"`` (beyond ``share``).
    """
    if not 0 <= share < 1:
        raise ValueError(f"share must lie in [0, 1), got {share}")
    deviation = pd.to_numeric(posts["deviation_share"], errors="coerce").abs()
    beyond_share = (deviation > share).fillna(False).to_numpy(dtype=bool)
    outside_rule = posts["flagged"].fillna(False).to_numpy(dtype=bool)
    keep = beyond_share | outside_rule
    out = posts[keep].copy()
    out["reasons"] = [
        [reason for reason, on in (("rule", r), ("share", s)) if on]
        for r, s in zip(outside_rule[keep], beyond_share[keep], strict=True)
    ]
    return out.reset_index(drop=True)


def assignment_deadlines(assignments: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Assignments due in ``start``…``end`` or overdue by ``end``, then those with a text deadline.

    Parameters
    ----------
    assignments : :func:`imdi_analysis.letter.assignments.load_assignments` (``deadline`` as a
        timestamp or missing, ``deadline_kind``, ``deadline_text``)
    start, end : first and last day of the report's period (both inclusive)

    Returns
    -------
    pandas.DataFrame
        The assignments listed, with ``when``: ``"in_period"`` (deadline in ``start``…``end``),
        ``"passed"`` (before ``start``) or ``"text"`` (no date: the letter states the deadline in
        words); dated ones first, by deadline.
    """
    deadline = pd.to_datetime(assignments["deadline"], errors="coerce")
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    when = np.select(
        [deadline.between(first, last).to_numpy(), (deadline < first).to_numpy(), deadline.isna().to_numpy()],
        ["in_period", "passed", "text"],
        "",
    )
    out = assignments.assign(when=when, _deadline=deadline)
    out = out[out["when"] != ""]
    order = out["when"].map({"passed": 0, "in_period": 0, "text": 1})
    out = out.assign(_order=order).sort_values(["_order", "_deadline"], kind="stable")
    return out.drop(columns=["_order", "_deadline"]).reset_index(drop=True)
