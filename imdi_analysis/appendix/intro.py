"""Appendix tables 7–12: the introduction programme (NIR).

Sources (``docs/data_contracts.md``): ``intro_participants`` (one row per programme spell, plus
persons in the target group who have not started) and ``intro_measures`` (measures used in the
year, per spell). Every table counts persons: a person with several spells is counted once,
with the sex and county of the latest relevant spell. A time series repeats the same window
(1 January to the reference date) for every year with data, each year from its own extract.
"""

from __future__ import annotations

import contextlib

import pandas as pd

from imdi_analysis.appendix.registry import (
    BuildContext,
    builder,
    make_table,
)
from imdi_analysis.appendix.toolbox import (
    TIME_DIM,
    area_order,
    as_categories,
    as_counts,
    code_list_order,
    count_cells,
    label_codes,
    label_counties,
    label_sex,
    mark_invalid_areas,
    order_categories,
    rate_cells,
    ratio,
    sex_order,
    share_of_total,
    sort_cells,
    stack_measures,
)
from imdi_analysis.errors import DataNotFoundError
from imdi_analysis.measures.durations import within_months
from imdi_analysis.measures.populations import (
    INTRO_TARGET_GROUP,
    entered_in,
    in_target_group_on,
    latest_per_person,
    leaver_spells,
    leavers_by_person,
    started_in,
    target_group_entrants,
)
from imdi_analysis.measures.populations import in_programme_during as active_during
from imdi_analysis.measures.populations import in_programme_on as active_on
from imdi_analysis.measures.units import unit_notes
from imdi_analysis.tables import MEASURE_SHARE, TOTAL, AppendixTable

PARTICIPANTS = "intro_participants"
MEASURES = "intro_measures"

START_WITHIN_MONTHS = 3
GROUP_DURING_YEAR = "Deltakere i løpet av året"
GROUP_STARTED = "Startet i programmet i året"

PERSON_COLUMNS = ["person_id", "sex", "county", "target_group_date"]  # columns a table keeps
SPELL_COLUMNS = ["person_id", "sex", "county", "programme_start"]
LEAVER_COLUMNS = ["person_id", "sex", "county", "programme_end", "end_reason"]

LABELS = {
    TIME_DIM: "År",
    "sex": "Kjønn",
    "county": "Fylke",
    "group": "Gruppe",
    "end_reason": "Sluttårsak",
    "programme_measure": "Tiltak",
}


def prepare_spells(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """The columns of ``intro_participants`` tables 7–12 use, codes as categoricals (cached per year)."""
    codes = ["sex", "county", "right_code", "end_reason"]
    dates = ["target_group_date", "programme_start", "programme_end"]
    return as_categories(frame[["person_id", *codes, *dates]], codes)


def label_persons(frame: pd.DataFrame) -> pd.DataFrame:
    """Sex and county as Norwegian labels."""
    return frame.assign(sex=label_sex(frame["sex"]), county=label_counties(frame["county"]))


def with_year_before(ctx: BuildContext, year: int, source: str, prepare) -> pd.DataFrame:
    """The prepared extract of ``year`` with that of ``year − 1`` before it, when the year before has data.

    Cohorts that start the year before (the entry window of tables 6 and 9 begins 1 October,
    or 1 April for the half year) need both, as SP 4 does; duplicates are removed by the
    population functions.
    """
    frames = []
    if (year - 1) in ctx.available_years:
        with contextlib.suppress(DataNotFoundError):
            frames.append(ctx.prepared(source, prepare, year - 1))
    frames.append(ctx.prepared(source, prepare, year))
    if len(frames) == 1:
        return frames[0]
    return pd.concat(
        [f.astype({c: "object" for c in f.select_dtypes("category")}) for f in frames], ignore_index=True
    )


def county_categories(years: list[int]) -> dict[str, list]:
    """Display order of year, sex and county (the counties that existed in ``years``)."""
    return {TIME_DIM: years, "sex": sex_order(), "county": area_order("county", years)}


def county_table(
    ctx: BuildContext, persons: pd.DataFrame, dims: list[str], years: list[int], notes: list[str]
) -> AppendixTable:
    """A count table by ``dims`` (sex, county, …) with counties that did not exist marked "."."""
    data = as_counts(count_cells(label_persons(persons), dims, county_categories(years)))
    if TIME_DIM in dims:
        data = mark_invalid_areas(data, "county", "county")
    return make_table(ctx, data, dims, dim_labels=LABELS, notes=notes, sources=[PARTICIPANTS])


@builder("7")
def build_target_group(ctx: BuildContext) -> AppendixTable:
    """Table 7: persons in NIR in the target group of the introduction programme at the reference date.

    Population: persons in ``intro_participants`` with a right code that puts them in the target
    group (``rett_og_plikt``, ``rett``; not ``ingen``) and a ``target_group_date`` on or before
    the reference date, counted once (sex and county of the latest entry). By sex and county,
    per year. Reference date: 31 December (30 June in the half-year report).
    """
    parts = []
    years = []
    for year, frame in ctx.iter_series(PARTICIPANTS, prepare_spells):
        years.append(year)
        inside = in_target_group_on(frame, ctx.window(year)[1])
        parts.append(frame.loc[inside.to_numpy(), PERSON_COLUMNS].assign(year=year))
    persons = latest_per_person(pd.concat(parts, ignore_index=True), "target_group_date")
    notes = [
        "Personer registrert i NIR med rett og plikt eller rett til introduksjonsprogram (personkretsen) "
        "som kom inn i personkretsen senest på statusdato. Hver person telles én gang."
    ]
    return county_table(ctx, persons, [*ctx.time_dims, "sex", "county"], years, notes)


@builder("8")
def build_participants_and_starters(ctx: BuildContext) -> AppendixTable:
    """Table 8: participants in the introduction programme during the year, and those who started.

    Populations: persons with a spell in ``intro_participants`` that was active at some time
    between 1 January and the reference date ("Deltakere i løpet av året"), and persons with a
    ``programme_start`` in that window ("Startet i programmet i året"; a subset of the first).
    Counting rule: persons, once per group (sex and county of the latest spell), by sex and
    county. The groups overlap and have no total. Reference date: 31 December.
    """
    frame = ctx.prepared(PARTICIPANTS, prepare_spells)
    first, last = ctx.window()
    during = latest_per_person(frame.loc[active_during(frame, first, last), SPELL_COLUMNS], "programme_start")
    started = latest_per_person(frame.loc[started_in(frame, first, last), SPELL_COLUMNS], "programme_start")
    persons = pd.concat(
        [during.assign(group=GROUP_DURING_YEAR), started.assign(group=GROUP_STARTED)], ignore_index=True
    )
    dims = ["group", "sex", "county"]
    data = as_counts(
        count_cells(
            label_persons(persons),
            dims,
            {**county_categories([ctx.year]), "group": [GROUP_DURING_YEAR, GROUP_STARTED]},
            no_total=("group",),
        )
    )
    notes = [
        "Deltakere i løpet av året: personer som har vært i introduksjonsprogram en gang fra 1. januar "
        "til statusdato. Startet i året: personer som startet i program i samme periode (de er også "
        "med blant deltakerne). Hver person telles én gang per gruppe."
    ]
    return make_table(ctx, data, dims, dim_labels=LABELS, notes=notes, sources=[PARTICIPANTS])


@builder("9")
def build_start_within_three_months(ctx: BuildContext) -> AppendixTable:
    """Table 9: persons who entered the target group from 1 October to 30 September and started
    the programme within three months.

    Population (the SP 4 population, :func:`~imdi_analysis.measures.populations.target_group_entrants`):
    persons in ``intro_participants`` of the year and the year before with a right code in the
    target group (``rett_og_plikt``, ``rett``), one row per person at the earliest
    ``target_group_date``, which falls from 1 October the year before to 30 September (the
    half-year report uses 1 April to 31 March, so that everyone can be followed for three
    months). Counting rule: those whose first ``programme_start`` is on or before the target
    group date plus three calendar months. Percent: of the population. Per year.
    """
    parts = []
    years = []
    for year in ctx.years:
        try:
            spells = with_year_before(ctx, year, PARTICIPANTS, prepare_spells)
        except DataNotFoundError:
            if year == ctx.year:
                raise
            continue
        years.append(year)
        persons = entered_in(
            target_group_entrants(spells, INTRO_TARGET_GROUP), *ctx.cohort_window(year, START_WITHIN_MONTHS)
        )
        started = within_months(persons["target_group_date"], persons["first_start"], START_WITHIN_MONTHS)
        parts.append(pd.DataFrame({"year": year, "started": started.to_numpy(dtype=bool)}))
    persons = pd.concat(parts, ignore_index=True)
    dims = ctx.time_dims
    first, last = ctx.cohort_window(ctx.year, START_WITHIN_MONTHS)
    notes = [
        f"Personer som kom inn i personkretsen for introduksjonsprogrammet {first:%d.%m.%Y}–{last:%d.%m.%Y} "
        "(tilsvarende periode for tidligere år) og startet i programmet innen tre måneder.",
        "Prosent: andel av alle som kom inn i personkretsen i perioden (grunnlaget).",
        *unit_notes(ctx.key),
    ]
    return make_table(
        ctx,
        rate_cells(persons, dims, "started", {TIME_DIM: years}),
        dims,
        dim_labels=LABELS,
        notes=notes,
        sources=[PARTICIPANTS],
    )


@builder("10")
def build_participants_at_date(ctx: BuildContext) -> AppendixTable:
    """Table 10: participants in the introduction programme registered in NIR at the reference date.

    Population: persons with a spell in ``intro_participants`` that started on or before the
    reference date and had not ended by it (``programme_end`` empty or later), counted once.
    By sex and county, per year. Reference date: 31 December (30 June in the half-year report).
    """
    parts = []
    years = []
    for year, frame in ctx.iter_series(PARTICIPANTS, prepare_spells):
        years.append(year)
        parts.append(frame.loc[active_on(frame, ctx.window(year)[1]), SPELL_COLUMNS].assign(year=year))
    persons = latest_per_person(pd.concat(parts, ignore_index=True), "programme_start")
    notes = [
        "Deltakere i introduksjonsprogram på statusdato: startet senest på statusdato og ikke avsluttet."
    ]
    return county_table(ctx, persons, [*ctx.time_dims, "sex", "county"], years, notes)


@builder("11A", "11B")
def build_leavers(ctx: BuildContext) -> AppendixTable:
    """Tables 11A (count) and 11B (share): participants who left the programme during the year.

    Population: persons with a spell in ``intro_participants`` whose ``programme_end`` falls
    between 1 January and the reference date (:func:`~imdi_analysis.measures.populations.leaver_spells`),
    counted once (:func:`~imdi_analysis.measures.populations.leavers_by_person`: the latest
    ending spell's sex, county and end reason). SP 7a counts the same spells, one per spell. By sex, county and end reason, per year. 11B: each end reason's share
    of the leavers in the same sex and county (base: all leavers there). Reference date: 31 December.
    """
    parts = []
    years = []
    for year, frame in ctx.iter_series(PARTICIPANTS, prepare_spells):
        years.append(year)
        parts.append(leaver_spells(frame, *ctx.window(year))[LEAVER_COLUMNS].assign(year=year))
    leavers = leavers_by_person(pd.concat(parts, ignore_index=True))
    leavers = label_persons(leavers).assign(
        end_reason=label_codes(leavers["end_reason"], "intro_end_reasons")
    )
    dims = [*ctx.time_dims, "sex", "county", "end_reason"]
    order = {**county_categories(years), "end_reason": code_list_order("intro_end_reasons")}
    cells = count_cells(leavers, dims, order)
    notes = [
        "Deltakere som avsluttet introduksjonsprogrammet fra 1. januar til statusdato, etter sluttårsak.",
        *unit_notes(ctx.key),
        "En person som avsluttet flere programløp i perioden, telles med sitt siste løp (kjønn, fylke og "
        "sluttårsak derfra). Styringsparameter 7a teller programløp, så nevneren der er minst like stor "
        "som antallet her, og lik når hver person har ett avsluttet løp.",
    ]
    if ctx.key == "11B":
        data = share_of_total(cells, dims, over="end_reason", measure=MEASURE_SHARE)
        data = data[data["measure"] == MEASURE_SHARE].reset_index(drop=True)
        notes.append("Andel: sluttårsakens andel av alle som avsluttet, innen kjønn og fylke.")
    else:
        data = as_counts(cells)
    if TIME_DIM in dims:
        data = mark_invalid_areas(data, "county", "county")
    return make_table(ctx, data, dims, dim_labels=LABELS, notes=notes, sources=[PARTICIPANTS])


@builder("12")
def build_measures(ctx: BuildContext) -> AppendixTable:
    """Table 12: participants in the introduction programme during the year, by measure.

    Population: persons with a spell in ``intro_participants`` active at some time between
    1 January and the reference date (as in table 8), counted once (sex and county of the
    latest spell). Counting rule: persons with the measure recorded in ``intro_measures`` for
    one of those spells, by sex, county and measure. A person can have several measures, so
    "I alt" for measure is the number of participants, not the sum of the measures. Share:
    persons with the measure / participants in the same sex and county. Reference date: 31
    December; ``intro_measures`` records measures used in the year, without dates.
    """
    frame = ctx.prepared(PARTICIPANTS, prepare_spells)
    first, last = ctx.window()
    spells = frame.loc[active_during(frame, first, last), SPELL_COLUMNS]
    participants = label_persons(latest_per_person(spells, "programme_start"))
    used = ctx.load(MEASURES).merge(
        spells[["person_id", "programme_start"]], on=["person_id", "programme_start"]
    )
    used = used.drop_duplicates(["person_id", "measure"])
    used = used.merge(participants[["person_id", "sex", "county"]], on="person_id")
    used = used.assign(programme_measure=label_codes(used["measure"], "intro_measures"))
    order = {**county_categories([ctx.year]), "programme_measure": code_list_order("intro_measures")}
    dims = ["sex", "county", "programme_measure"]
    by_measure = count_cells(used, dims, order, no_total=("programme_measure",))
    everyone = count_cells(participants, ["sex", "county"], order).assign(programme_measure=TOTAL)
    counts = pd.concat([by_measure, everyone], ignore_index=True)
    counts = sort_cells(counts, dims, {d: order_categories(counts[d], order.get(d)) for d in dims})
    bases = everyone.rename(columns={"value": "base"})[["sex", "county", "base"]]
    shares = counts.merge(bases, on=["sex", "county"], how="left")
    shares = shares.assign(measure=MEASURE_SHARE, value=ratio(shares["value"], shares["base"], MEASURE_SHARE))
    data = stack_measures(as_counts(counts), shares, dims)
    notes = [
        "Deltakere i introduksjonsprogrammet fra 1. januar til statusdato og tiltakene de har hatt "
        "i programmet. En deltaker kan ha flere tiltak; «I alt» er antall deltakere.",
        "Andel: deltakere med tiltaket av alle deltakere med samme kjønn og fylke.",
    ]
    if ctx.period == "H1":
        notes.append("Tiltak er registrert for hele året uten dato og kan ikke avgrenses til første halvår.")
    return make_table(ctx, data, dims, dim_labels=LABELS, notes=notes, sources=[PARTICIPANTS, MEASURES])


__all__ = [
    "build_leavers",
    "build_measures",
    "build_participants_and_starters",
    "build_participants_at_date",
    "build_start_within_three_months",
    "build_target_group",
]
