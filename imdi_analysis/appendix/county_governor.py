"""Appendix tables 13–15: county governors' complaints and supervision, adviser sessions.

Sources (``docs/data_contracts.md``): ``complaints`` (13), ``supervision`` (14) and
``adviser_sessions`` (15). A time series repeats the same window (1 January to the reference
date) for every year with data, each year from its own extract.
"""

from __future__ import annotations

import pandas as pd

from imdi_analysis.appendix.registry import (
    BuildContext,
    builder,
    make_table,
)
from imdi_analysis.appendix.toolbox import (
    TIME_DIM,
    as_counts,
    code_list_order,
    count_cells,
    label_codes,
    label_sex,
    sex_order,
)
from imdi_analysis.tables import AppendixTable

COMPLAINTS = "complaints"
SUPERVISION = "supervision"
SESSIONS = "adviser_sessions"

LAW_LABELS = {"introduksjonsloven": "Introduksjonsloven", "integreringsloven": "Integreringsloven"}
ITEM_SUPERVISIONS = "Tilsyn"
ITEM_SUPERVISIONS_WITH_BREACHES = "Tilsyn med lovbrudd"
ITEM_BREACHES = "Lovbrudd"
ITEM_SESSIONS = "Samlinger"
ITEM_PARTICIPANTS = "Deltakere"

LABELS = {
    TIME_DIM: "År",
    "law": "Lov",
    "outcome": "Utfall av klagen",
    "sex": "Kjønn",
    "complaint_topic": "Klagens innhold",
    "item": "Type",
}


def in_window(ctx: BuildContext, source: str, date_column: str) -> tuple[pd.DataFrame, list[int]]:
    """Rows of ``source`` dated between 1 January and the reference date, and the years covered."""
    parts = []
    years = []
    for year, frame in ctx.iter_series(source):
        years.append(year)
        first, last = ctx.window(year)
        date = pd.to_datetime(frame[date_column])
        parts.append(frame[(date >= first) & (date <= last)].assign(year=year))
    return pd.concat(parts, ignore_index=True), years


def count_items(
    ctx: BuildContext, frame: pd.DataFrame, years: list[int], items: dict[str, pd.Series]
) -> pd.DataFrame:
    """Tidy count rows of several items (row counts or sums), one ``item`` category each, per year."""
    dims = ctx.time_dims
    order = {TIME_DIM: years}
    parts = [
        count_cells(frame.assign(_weight=weight.astype("float64")), dims, order, weight="_weight").assign(
            item=item
        )
        for item, weight in items.items()
    ]
    data = as_counts(pd.concat(parts, ignore_index=True))
    return data.sort_values([*dims], kind="stable").reset_index(drop=True) if dims else data


@builder("13")
def build_complaints(ctx: BuildContext) -> AppendixTable:
    """Table 13: complaints decided by the county governors under the Introduction and Integration Acts.

    Population: complaint cases in ``complaints`` decided (``decided_date``) between 1 January
    and the reference date. Counting rule: cases, by law, outcome, the complainant's sex and the
    content of the complaint, per year. Reference date: 30 June (the letter asks for this table
    in the half-year report) or 31 December.
    """
    cases, years = in_window(ctx, COMPLAINTS, "decided_date")
    cases = cases.assign(
        law=cases["law"].map(LAW_LABELS).fillna(cases["law"]),
        outcome=label_codes(cases["outcome"], "complaint_outcomes"),
        sex=label_sex(cases["sex"]),
        complaint_topic=label_codes(cases["topic"], "complaint_topics"),
    )
    dims = [*ctx.time_dims, "law", "outcome", "sex", "complaint_topic"]
    order = {
        TIME_DIM: years,
        "law": list(LAW_LABELS.values()),
        "outcome": code_list_order("complaint_outcomes"),
        "sex": sex_order(),
        "complaint_topic": code_list_order("complaint_topics"),
    }
    notes = [
        "Klagesaker etter introduksjonsloven og integreringsloven avgjort av statsforvalteren "
        "fra 1. januar til statusdato."
    ]
    data = as_counts(count_cells(cases, dims, order))
    return make_table(ctx, data, dims, dim_labels=LABELS, notes=notes, sources=[COMPLAINTS])


@builder("14")
def build_supervision(ctx: BuildContext) -> AppendixTable:
    """Table 14: the county governors' supervision of the Integration Act.

    Population: supervisions in ``supervision`` carried out (``supervision_date``) between
    1 January and the reference date. Counting rule: number of supervisions, number of
    supervisions that found at least one breach, and the number of breaches of law found
    (sum of ``breaches``), per year. Reference date: 30 June (half-year report) or 31 December.
    """
    cases, years = in_window(ctx, SUPERVISION, "supervision_date")
    breaches = cases["breaches"].astype("float64")
    items = {
        ITEM_SUPERVISIONS: pd.Series(1.0, index=cases.index),
        ITEM_SUPERVISIONS_WITH_BREACHES: (breaches > 0).astype("float64"),
        ITEM_BREACHES: breaches,
    }
    dims = [*ctx.time_dims, "item"]
    notes = [
        "Tilsyn med integreringsloven gjennomført av statsforvalteren fra 1. januar til statusdato, "
        "og lovbruddene som ble funnet.",
        "Antall lovbrudd er ikke et antall personer.",
    ]
    data = count_items(ctx, cases, years, items)[[*dims, "measure", "value", "base"]]
    return make_table(ctx, data, dims, dim_labels=LABELS, notes=notes, sources=[SUPERVISION])


@builder("15")
def build_adviser_sessions(ctx: BuildContext) -> AppendixTable:
    """Table 15: sessions for raising the competence of programme advisers (fagverksted).

    Population: sessions in ``adviser_sessions`` held (``session_date``) between 1 January and
    the reference date. Counting rule: number of sessions and the sum of their participants
    (a person attending two sessions counts twice), per year. Reference date: 31 December.
    """
    sessions, years = in_window(ctx, SESSIONS, "session_date")
    items = {
        ITEM_SESSIONS: pd.Series(1.0, index=sessions.index),
        ITEM_PARTICIPANTS: sessions["participants"].astype("float64"),
    }
    dims = [*ctx.time_dims, "item"]
    notes = [
        "Samlinger (fagverksted) for kompetanseheving av programrådgivere mfl. fra 1. januar til statusdato.",
        "Deltakere er summen av deltakere på samlingene; en person som deltok på flere samlinger telles flere ganger.",
    ]
    data = count_items(ctx, sessions, years, items)[[*dims, "measure", "value", "base"]]
    return make_table(ctx, data, dims, dim_labels=LABELS, notes=notes, sources=[SESSIONS])


__all__ = ["build_adviser_sessions", "build_complaints", "build_supervision"]
