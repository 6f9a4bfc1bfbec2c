"""Year-end forecast per post: last year's monthly profile, falling back to linear.

**Method.** For a post with ``S`` spent in months 1..m of the year (the status date is the end
of month m), the forecast of the year's total is

    F = S / c_m

where ``c_m`` is the share of the annual total that was spent by the end of month m:

- **last year's profile** (``last_year_profile``): ``c_m = (x_1 + … + x_m) / (x_1 + … + x_12)``
  with ``x_k`` the same chapter and post's amount in month k of the previous year. Used when the
  previous year's accounts have all twelve months, the post's annual total there is positive,
  and ``c_m > 0``. A post that pays grants in lumps is then projected with its own lumps: a post
  that paid 60 % of last year's total by June and has paid 120 mill. kr by June this year is
  forecast at 120 / 0,6 = 200 mill. kr.
- **linear** (``linear``): ``c_m = m / 12``, otherwise (no previous year, an incomplete one,
  a post new this year, nothing spent by month m last year).

The forecast is rounded half up to whole NOK; at m = 12 it equals ``S``. The same method
projects income (used by the 2 % rule against extra income), with last year's income profile.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

PROFILE = "last_year_profile"
LINEAR = "linear"
METHOD_LABELS = {PROFILE: "Fjorårets månedsprofil", LINEAR: "Lineær"}
KEY = ["chapter", "post"]


def cumulative_share(last_year: pd.DataFrame, column: str, month: int) -> pd.DataFrame:
    """``c_m`` per (chapter, post): share of last year's annual ``column`` booked by end of ``month``.

    Only posts with a positive annual total get a share (others would divide by zero or less).
    Returns columns chapter, post, share.
    """
    annual = last_year.groupby(KEY, as_index=False)[column].sum().rename(columns={column: "annual"})
    to_date = (
        last_year[last_year["month"] <= month]
        .groupby(KEY, as_index=False)[column]
        .sum()
        .rename(columns={column: "to_date"})
    )
    shares = annual.merge(to_date, on=KEY, how="left").fillna({"to_date": 0})
    shares = shares[shares["annual"] > 0]
    shares["share"] = shares["to_date"].astype(float) / shares["annual"].astype(float)
    return shares[[*KEY, "share"]].reset_index(drop=True)


def forecast_year_end(to_date: int, share: float) -> int:
    """``to_date / share`` rounded half up to whole NOK (``share`` in (0, 1])."""
    if not 0 < share <= 1:
        raise ValueError(f"The share spent by the status date must be in (0, 1], got {share!r}.")
    value = Decimal(int(to_date)) / Decimal(repr(float(share)))
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def forecast_posts(
    to_date: pd.DataFrame, column: str, month: int, last_year: pd.DataFrame | None
) -> pd.DataFrame:
    """Year-end forecast of ``column`` for each (chapter, post) row of ``to_date``.

    Parameters
    ----------
    to_date : one row per post with ``chapter``, ``post`` and ``column`` summed over months 1..month
    column : the amount to project (``expenses_nok`` or ``income_nok``)
    month : last complete month of the status date (1-12)
    last_year : the previous year's complete accounts (all twelve months), or None

    Returns
    -------
    pandas.DataFrame
        chapter, post, ``forecast`` (int NOK), ``share`` (the ``c_m`` used) and ``method``
        (:data:`PROFILE` or :data:`LINEAR`).
    """
    out = to_date[[*KEY, column]].copy()
    linear = month / 12
    if last_year is not None:
        shares = cumulative_share(last_year, column, month)
        out = out.merge(shares, on=KEY, how="left")
    else:
        out["share"] = float("nan")
    use_profile = out["share"].notna() & (out["share"] > 0)
    out["method"] = [PROFILE if p else LINEAR for p in use_profile]
    out["share"] = out["share"].where(use_profile, linear).astype(float)
    out["forecast"] = [forecast_year_end(s, c) for s, c in zip(out[column], out["share"], strict=True)]
    return out[[*KEY, "forecast", "share", "method"]]


__all__ = ["LINEAR", "METHOD_LABELS", "PROFILE", "cumulative_share", "forecast_posts", "forecast_year_end"]
