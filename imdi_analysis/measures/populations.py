"""Populations, each defined once: who is counted on a date or in a window, and as what unit.

Indicators (``indicators/``) and appendix tables (``appendix/``) select, group and shape these
populations; neither defines one itself. Every function takes a validated extract (or a
compact frame with the columns it reads) and returns the rows of the population, never
modifying its input. The counting unit of each population is in :mod:`imdi_analysis.measures.units`.

Settlement (``settlement``: one row per person ready for settlement)
    :func:`settled_in` — persons whose ``settlement_date`` falls in a window (1 January to
    the reference date for a report); :func:`waiting_on` — ready for settlement on the date
    (``ready_date`` on or before it) and not settled on it (no ``settlement_date`` or a later
    one); :func:`ready_on` — ready for settlement on the date, settled or not.
Introduction programme (``intro_participants``: one row per programme spell)
    :func:`in_target_group_on` — a target-group right code and entered by the date;
    :func:`started_in` — spells started in a window; :func:`in_programme_on` — spells started on or before the date and not ended by it;
    :func:`in_programme_during` — spells active at some time in a window; :func:`leaver_spells`
    — spells whose ``programme_end`` falls in a window (unit: spell; a person who left twice
    counts twice); :func:`leavers_by_person` — the same, one row per person, the latest
    ending spell (unit: person); :func:`target_group_entrants` — one row per person with the
    earliest target-group entry and the first start.
Norwegian training (``norwegian_training``: one row per person and extract)
    :func:`training_entrants` — one row per person with the target-group date and the first
    start of Norwegian or social studies training.
Interpreters (``interpreters``: one row per interpreter and language)
    :func:`interpreters_in_register_on` — rows registered on or before the date and not
    deregistered on or before it; :func:`interpreters_by_highest_category` — one row per
    interpreter, in the highest category (A highest) held in any language.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from imdi_analysis.measures.periods import in_window

CATEGORY_RANK = ("A", "B", "C", "D", "E")  # interpreter qualification categories, A highest
INTRO_TARGET_GROUP = ("rett_og_plikt", "rett")  # intro right codes of the programme's target group


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_datetime(frame[column])


# --- settlement -----------------------------------------------------------------------------


def settled_in(settlement: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """Persons settled from ``first`` up to and including ``last``."""
    return settlement[in_window(settlement["settlement_date"], first, last).to_numpy()]


def ready_on(settlement: pd.DataFrame, on: pd.Timestamp) -> pd.DataFrame:
    """Persons ready for settlement on ``on`` (``ready_date`` on or before it), settled or not."""
    return settlement[(_dates(settlement, "ready_date") <= on).fillna(False).to_numpy(dtype=bool)]


def waiting_on(settlement: pd.DataFrame, on: pd.Timestamp) -> pd.DataFrame:
    """Persons ready for settlement on ``on`` and not settled on it (no or a later ``settlement_date``)."""
    ready = (_dates(settlement, "ready_date") <= on).fillna(False)
    settled = (_dates(settlement, "settlement_date") <= on).fillna(False)
    return settlement[(ready & ~settled).to_numpy(dtype=bool)]


# --- introduction programme ------------------------------------------------------------------


def in_target_group_on(
    spells: pd.DataFrame, on: pd.Timestamp, right_codes: Sequence[str] = INTRO_TARGET_GROUP
) -> pd.Series:
    """Rows in the programme's target group on ``on``: a right code in ``right_codes`` and a
    ``target_group_date`` on or before ``on`` (a mask; persons are counted once by the view)."""
    entered = (_dates(spells, "target_group_date") <= on).fillna(False)
    return (spells["right_code"].isin(list(right_codes)).to_numpy() & entered).astype(bool)


def started_in(spells: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> pd.Series:
    """Spells whose ``programme_start`` falls from ``first`` to ``last`` (a mask)."""
    return in_window(spells["programme_start"], first, last)


def in_programme_on(spells: pd.DataFrame, on: pd.Timestamp) -> pd.Series:
    """Spells in the programme on ``on``: started on or before it and not ended by it (a mask)."""
    start, end = _dates(spells, "programme_start"), _dates(spells, "programme_end")
    return ((start <= on) & (end.isna() | (end > on))).fillna(False).astype(bool)


def in_programme_during(spells: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> pd.Series:
    """Spells in the programme at some time from ``first`` to ``last`` (inclusive) (a mask)."""
    start, end = _dates(spells, "programme_start"), _dates(spells, "programme_end")
    return ((start <= last) & (end.isna() | (end >= first))).fillna(False).astype(bool)


def leaver_spells(spells: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """Spells whose ``programme_end`` falls from ``first`` to ``last``: one row per spell."""
    return spells[in_window(spells["programme_end"], first, last).to_numpy()]


def latest_per_person(frame: pd.DataFrame, by: str, person: str = "person_id") -> pd.DataFrame:
    """One row per person (and ``year``, when the frame has it): the row with the latest ``by`` date.

    Ties keep the later row; a missing date sorts first. Rows keep their original order.
    """
    keys = [person, "year"] if "year" in frame.columns else [person]
    dates = pd.to_datetime(frame[by]).to_numpy(dtype="datetime64[ns]").view("int64")  # NaT sorts first
    order = np.argsort(dates, kind="stable")
    latest = ~frame[keys].iloc[order].duplicated(keep="last").to_numpy()
    return frame.iloc[np.sort(order[latest])]


def leavers_by_person(leavers: pd.DataFrame) -> pd.DataFrame:
    """Leaver spells (:func:`leaver_spells`) as persons: the latest ending spell of each person."""
    return latest_per_person(leavers, "programme_end")


def unique_spells(spells: pd.DataFrame) -> pd.DataFrame:
    """Rows with a distinct (``person_id``, ``programme_start``): a spell seen in two extracts once."""
    person, _ids = pd.factorize(spells["person_id"])
    start = pd.to_datetime(spells["programme_start"]).to_numpy(dtype="datetime64[ns]").view("int64")
    return spells[~pd.DataFrame({"p": person, "s": start}).duplicated().to_numpy()]


def target_group_entrants(spells: pd.DataFrame, right_codes: Sequence[str]) -> pd.DataFrame:
    """One row per person with one of ``right_codes``: the earliest target-group entry and first start.

    The row is the person's earliest ``target_group_date`` (its sex, county and right code);
    ``first_start`` is the earliest ``programme_start`` over the person's rows with those codes.
    Spells seen in two extracts count once (:func:`unique_spells`).
    """
    rows = unique_spells(spells)
    rows = rows[rows["right_code"].isin(list(right_codes)).to_numpy()]
    person, _ids = pd.factorize(rows["person_id"])
    keyed = rows.reset_index(drop=True).assign(_person=person)
    keyed["target_group_date"] = pd.to_datetime(keyed["target_group_date"])
    keyed["programme_start"] = pd.to_datetime(keyed["programme_start"])
    earliest = keyed.sort_values(["_person", "target_group_date"], kind="stable").drop_duplicates("_person")
    first_start = keyed.groupby("_person", sort=False)["programme_start"].min()
    columns = [c for c in ("person_id", "sex", "county", "right_code", "target_group_date") if c in keyed]
    persons = earliest[["_person", *columns]]
    return persons.assign(first_start=first_start.reindex(persons["_person"]).to_numpy()).drop(
        columns="_person"
    )


def entered_in(persons: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """Persons whose ``target_group_date`` falls from ``first`` to ``last`` (an entry window)."""
    return persons[in_window(persons["target_group_date"], first, last).to_numpy()]


# --- Norwegian training ----------------------------------------------------------------------


def training_entrants(training: pd.DataFrame, right_codes: Sequence[str]) -> pd.DataFrame:
    """One row per person with one of ``right_codes`` and ``first_start`` of training.

    A person in several extracts (the year and the year before, concatenated in that order)
    is kept once, from the last row. ``first_start`` is the earlier of ``norwegian_start`` and
    ``social_studies_start`` (the letter: "i opplæring i norsk og samfunnskunnskap").
    """
    person, _ids = pd.factorize(training["person_id"])
    persons = training[~pd.Series(person).duplicated(keep="last").to_numpy()]
    persons = persons[persons["right_code"].isin(list(right_codes)).to_numpy()]
    starts = [pd.to_datetime(persons[c]) for c in ("norwegian_start", "social_studies_start") if c in persons]
    first_start = pd.concat(starts, axis=1).min(axis=1)
    return persons.assign(
        target_group_date=pd.to_datetime(persons["target_group_date"]), first_start=first_start
    )


# --- interpreters ----------------------------------------------------------------------------


def interpreters_in_register_on(interpreters: pd.DataFrame, on: pd.Timestamp) -> pd.DataFrame:
    """Interpreter-language rows in the register on ``on``: registered on or before it and not
    deregistered on or before it."""
    registered = _dates(interpreters, "registered_date")
    deregistered = _dates(interpreters, "deregistered_date")
    active = (registered <= on).fillna(False) & ~(deregistered <= on).fillna(False)
    return interpreters[active.to_numpy(dtype=bool)]


def interpreters_by_highest_category(pairs: pd.DataFrame) -> pd.DataFrame:
    """One row per interpreter: the row of the highest category held in any language (A before E)."""
    ranks = {c: i for i, c in enumerate(CATEGORY_RANK)}
    rank = pairs["category"].astype("object").map(lambda c: ranks.get(c, len(CATEGORY_RANK)))
    ordered = pairs.assign(_rank=rank.to_numpy()).sort_values(["interpreter_id", "_rank"], kind="stable")
    return ordered.drop_duplicates(subset="interpreter_id").drop(columns="_rank")


__all__ = [
    "CATEGORY_RANK",
    "INTRO_TARGET_GROUP",
    "entered_in",
    "in_programme_during",
    "in_programme_on",
    "in_target_group_on",
    "interpreters_by_highest_category",
    "interpreters_in_register_on",
    "latest_per_person",
    "leaver_spells",
    "leavers_by_person",
    "ready_on",
    "settled_in",
    "started_in",
    "target_group_entrants",
    "training_entrants",
    "unique_spells",
    "waiting_on",
]
