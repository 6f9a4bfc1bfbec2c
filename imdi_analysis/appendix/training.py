"""Appendix tables 1A–6B: Norwegian and social studies training, competence mapping, guidance.

Sources (``docs/data_contracts.md``): ``asylum_training`` (tables 1–3), ``competence_mapping``
and ``settlement`` (4, 5-1), ``norwegian_training`` (4, 5-2, 6A, 6B). Every table counts
persons, never rows. A time series repeats the same counting window (1 January to the
reference date) for every year with data, each year from its own extract.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from imdi_analysis.appendix.intro import with_year_before
from imdi_analysis.appendix.registry import (
    BuildContext,
    builder,
    make_table,
)
from imdi_analysis.appendix.toolbox import (
    TIME_DIM,
    as_categories,
    code_list_order,
    count_cells,
    found_area_order,
    is_in,
    label_codes,
    label_municipalities,
    label_sex,
    rate_cells,
    sex_order,
    share_of_total,
)
from imdi_analysis.errors import DataNotFoundError
from imdi_analysis.measures.durations import within_months
from imdi_analysis.measures.populations import entered_in, training_entrants
from imdi_analysis.measures.units import unit_notes
from imdi_analysis.tables import MEASURE_PERCENT, MEASURE_SHARE, TOTAL, AppendixTable

ASYLUM = "asylum_training"
MAPPING = "competence_mapping"
SETTLEMENT = "settlement"
TRAINING = "norwegian_training"

FULL_ASYLUM_NORWEGIAN_HOURS = 175
START_WITHIN_MONTHS = 3
COURSES = {  # table key -> (start column, Norwegian name of the course)
    "1A": ("norwegian_start", "opplæring i norsk for asylsøkere"),
    "1B": ("social_studies_start", "opplæring i samfunnskunnskap"),
    "2A": ("norwegian_start", "opplæring i norsk for asylsøkere"),
    "2B": ("social_studies_start", "opplæring i samfunnskunnskap"),
}
START_TIME_BANDS = (  # (upper limit in months after arrival, label); in order
    (3, "Innen 3 måneder"),
    (6, "3–6 måneder"),
    (12, "6–12 måneder"),
)
START_TIME_LATER = "Mer enn 12 måneder"
START_TIME_NOT_STARTED = "Ikke startet"
MAPPING_ACTIVITIES = {"kartlegging_p6": "Kartlegging etter § 6", "kartlegging_p10": "Kartlegging etter § 10"}
MAPPING_SETTLED_CATEGORIES = {  # settlement.category -> competence_mapping.category
    "mottak": "bosatt_fra_mottak",
    "overforingsflyktning": "overforingsflyktning",
}
MAPPING_CATEGORY_LABELS = {
    "bosatt_fra_mottak": "Bosatte fra mottak",
    "overforingsflyktning": "Overføringsflyktninger",
    "annen": "Andre",
}
MAPPING_DUTY_CODES = ("rett_og_plikt", "plikt")
GUIDANCE = "karriereveiledning"
WITHIN_THREE_MONTHS_CODES = {"6A": ("rett_og_plikt",), "6B": ("plikt",)}

ASYLUM_DIMS = ["sex", "host_municipality"]  # the columns tables 1–3 keep of each year

LABELS = {
    TIME_DIM: "År",
    "sex": "Kjønn",
    "host_municipality": "Vertskommune for mottak",
    "training_start_time": "Tid fra ankomst mottak til oppstart",
    "activity": "Kartlegging",
    "category": "Personkategori",
    "right_code": "Rettighetskode til opplæring",
}


def prepare_asylum(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """The columns of ``asylum_training`` tables 1–3 use, codes as categoricals (cached per year)."""
    columns = [*ASYLUM_DIMS, "arrival_date", "norwegian_start", "norwegian_hours", "social_studies_start"]
    compact = as_categories(frame[columns], ASYLUM_DIMS)
    return compact.assign(
        social_studies_completed=frame["social_studies_completed"].fillna(False).astype(bool)
    )


def prepare_training(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """The columns of ``norwegian_training`` tables 5-2, 6A and 6B use (cached per year)."""
    columns = [
        "person_id",
        "sex",
        "right_code",
        "target_group_date",
        "norwegian_start",
        "social_studies_start",
    ]
    return as_categories(frame[columns], ["sex", "right_code"])


def label_asylum_seekers(frame: pd.DataFrame) -> pd.DataFrame:
    """Sex and host municipality as Norwegian labels."""
    return frame.assign(
        sex=label_sex(frame["sex"]), host_municipality=label_municipalities(frame["host_municipality"])
    )


def asylum_categories(years: list[int], frame: pd.DataFrame) -> dict[str, list]:
    """Display order of the dimensions of tables 1–3: host municipalities with data, in code order."""
    return {
        TIME_DIM: years,
        "sex": sex_order(),
        "host_municipality": found_area_order("municipality", frame["host_municipality"]),
    }


@builder("1A", "1B")
def build_asylum_participants(ctx: BuildContext) -> AppendixTable:
    """Tables 1A/1B: participants in Norwegian (1A) or social studies (1B) training in reception.

    Population: asylum seekers in ``asylum_training`` whose training start (``norwegian_start``
    for 1A, ``social_studies_start`` for 1B) falls between 1 January and the reference date of
    the year. Counting rule: persons, by sex and host municipality, per year. Percent: the
    sex distribution within each host municipality and year (base: the municipality's total).
    Reference date: 31 December (30 June in the half-year report).
    """
    start_column, course = COURSES[ctx.key]
    dims = [*ctx.time_dims, "sex", "host_municipality"]
    parts = []
    years = []
    for year, frame in ctx.iter_series(ASYLUM, prepare_asylum):
        years.append(year)
        first, last = ctx.window(year)
        start = pd.to_datetime(frame[start_column])
        parts.append(frame.loc[(start >= first) & (start <= last), ASYLUM_DIMS].assign(year=year))
    participants = pd.concat(parts, ignore_index=True)
    order = asylum_categories(years, participants)
    cells = count_cells(label_asylum_seekers(participants), dims, order)
    notes = [
        f"Deltakere: asylsøkere i mottak som startet i {course} fra 1. januar til statusdato i året. "
        "Uttrekket har ikke sluttdato for opplæringen, så deltakere som startet et tidligere år "
        "og fortsatte i året er ikke med.",
        "Prosent: kjønnsfordeling innen hver vertskommune.",
    ]
    return make_table(
        ctx,
        share_of_total(cells, dims, over="sex"),
        dims,
        dim_labels=LABELS,
        notes=notes,
        sources=[ASYLUM],
    )


def classify_start_time(arrival: pd.Series, start: pd.Series, last: pd.Timestamp) -> pd.Series:
    """Time from arrival at the reception centre to the start of training, as a band label.

    A start after ``last`` (the reference date) or no start is "Ikke startet"; a start before
    arrival (moved between centres) counts as within the first band.
    """
    arrival, start = pd.to_datetime(arrival), pd.to_datetime(start)
    started = (start.notna() & (start <= last)).to_numpy()
    conditions = [within_months(arrival, start, months).to_numpy() for months, _ in START_TIME_BANDS]
    labels = [START_TIME_NOT_STARTED, *(label for _, label in START_TIME_BANDS), START_TIME_LATER]
    band = np.select([~started, *conditions], list(range(len(labels) - 1)), len(labels) - 1)
    return pd.Series(pd.Categorical.from_codes(band, labels), index=arrival.index)


@builder("2A", "2B")
def build_asylum_start_time(ctx: BuildContext) -> AppendixTable:
    """Tables 2A/2B: asylum seekers in reception and when they started Norwegian (2A) or social
    studies (2B) training.

    Population: asylum seekers in ``asylum_training`` (in reception in the year or the year
    before, as the extract is defined) who arrived on or before the reference date. Counting
    rule: persons by time from arrival to start of training (within 3, 3–6, 6–12, more than 12
    months; not started by the reference date), sex and host municipality, per year. Percent:
    distribution over start time (base: all persons in the cell's sex and municipality).
    Reference date: 31 December (30 June in the half-year report).
    """
    start_column, course = COURSES[ctx.key]
    dims = [*ctx.time_dims, "training_start_time", "sex", "host_municipality"]
    parts = []
    years = []
    for year, frame in ctx.iter_series(ASYLUM, prepare_asylum):
        years.append(year)
        last = ctx.window(year)[1]
        frame = frame[pd.to_datetime(frame["arrival_date"]) <= last]
        band = classify_start_time(frame["arrival_date"], frame[start_column], last)
        parts.append(frame[ASYLUM_DIMS].assign(year=year, training_start_time=band))
    persons = pd.concat(parts, ignore_index=True)
    bands = [label for _, label in START_TIME_BANDS] + [START_TIME_LATER, START_TIME_NOT_STARTED]
    order = {**asylum_categories(years, persons), "training_start_time": bands}
    cells = count_cells(label_asylum_seekers(persons), dims, order)
    notes = [
        "Asylsøkere i mottak i inneværende og foregående år som ankom mottak senest på statusdato, "
        f"etter tid fra ankomst til mottak til oppstart i {course}.",
        "Prosent: fordeling på tidspunkt for oppstart innen kjønn og vertskommune.",
    ]
    return make_table(
        ctx,
        share_of_total(cells, dims, over="training_start_time"),
        dims,
        dim_labels=LABELS,
        notes=notes,
        sources=[ASYLUM],
    )


@builder("3A", "3B")
def build_asylum_completed(ctx: BuildContext) -> AppendixTable:
    """Tables 3A/3B: asylum seekers who completed 175 hours of Norwegian (3A) or social studies (3B).

    Population: asylum seekers in ``asylum_training`` (in reception in the year or the year
    before) who arrived on or before the reference date. Counting rule: persons with
    ``norwegian_hours`` ≥ 175 (3A) or ``social_studies_completed`` (3B), by sex and host
    municipality, per year. Percent: completers as a share of the population in the cell.
    Reference date: 31 December; hours and completion are as recorded in the year's extract.
    """
    dims = [*ctx.time_dims, "sex", "host_municipality"]
    parts = []
    years = []
    for year, frame in ctx.iter_series(ASYLUM, prepare_asylum):
        years.append(year)
        frame = frame[pd.to_datetime(frame["arrival_date"]) <= ctx.window(year)[1]]
        if ctx.key == "3A":
            completed = frame["norwegian_hours"].astype("float64") >= FULL_ASYLUM_NORWEGIAN_HOURS
        else:
            completed = frame["social_studies_completed"].fillna(False).astype(bool)
        parts.append(frame[ASYLUM_DIMS].assign(year=year, completed=completed))
    persons = pd.concat(parts, ignore_index=True)
    order = asylum_categories(years, persons)
    what = (
        f"minst {FULL_ASYLUM_NORWEGIAN_HOURS} timer opplæring i norsk"
        if ctx.key == "3A"
        else "opplæring i samfunnskunnskap"
    )
    notes = [
        f"Antall: asylsøkere i mottak i inneværende og foregående år som har gjennomført {what}.",
        "Prosent: andel av alle asylsøkere i mottak i inneværende og foregående år i samme kjønn og "
        "vertskommune.",
    ]
    if ctx.period == "H1":
        notes.append("Gjennomføring er slik den er registrert i årets uttrekk, ikke per 30. juni.")
    return make_table(
        ctx,
        rate_cells(label_asylum_seekers(persons), dims, "completed", order),
        dims,
        dim_labels=LABELS,
        notes=notes,
        sources=[ASYLUM],
    )


def mapped_persons(ctx: BuildContext, activity: str) -> pd.Series:
    """Ids of persons who completed ``activity`` on or before the reference date."""
    mapping = ctx.load(MAPPING)
    done = (mapping["activity"] == activity) & (pd.to_datetime(mapping["activity_date"]) <= ctx.window()[1])
    return mapping.loc[done, "person_id"].drop_duplicates()


def settled_mapped(ctx: BuildContext) -> pd.DataFrame:
    """Table 4, § 6 part: persons settled from reception or as resettlement refugees in the period."""
    settlement = ctx.load(SETTLEMENT)
    first, last = ctx.window()
    date = pd.to_datetime(settlement["settlement_date"])
    settled = settlement[
        (date >= first) & (date <= last) & settlement["category"].isin(list(MAPPING_SETTLED_CATEGORIES))
    ]
    return pd.DataFrame(
        {
            "activity": MAPPING_ACTIVITIES["kartlegging_p6"],
            "category": settled["category"].map(MAPPING_SETTLED_CATEGORIES).map(MAPPING_CATEGORY_LABELS),
            "mapped": is_in(settled["person_id"], mapped_persons(ctx, "kartlegging_p6")),
        }
    )


def duty_mapped(ctx: BuildContext) -> pd.DataFrame:
    """Table 4, § 10 part: persons with (right and) duty to training who entered the target group."""
    training = ctx.load(TRAINING)
    first, last = ctx.window()
    entered = pd.to_datetime(training["target_group_date"])
    duty = training[(entered >= first) & (entered <= last) & training["right_code"].isin(MAPPING_DUTY_CODES)]
    return pd.DataFrame(
        {
            "activity": MAPPING_ACTIVITIES["kartlegging_p10"],
            "category": TOTAL,
            "mapped": is_in(duty["person_id"], mapped_persons(ctx, "kartlegging_p10")),
        }
    )


@builder("4")
def build_competence_mapping(ctx: BuildContext) -> AppendixTable:
    """Table 4: competence mapping under sections 6 and 10 of the Integration Act.

    § 6 — population: persons settled (``settlement.settlement_date``) between 1 January and
    the reference date from reception (``mottak``) or as resettlement refugees; counting rule:
    those of them with a ``kartlegging_p6`` activity in ``competence_mapping`` on or before the
    reference date, by category. § 10 — population: persons in ``norwegian_training`` with
    right and duty or duty to training (``rett_og_plikt``, ``plikt``) who entered the target group
    between 1 January and the reference date; counting rule: those with a ``kartlegging_p10``
    activity on or before the reference date (no breakdown by category: the training register
    has no settlement category). Share: mapped persons / population. Persons are linked by
    ``person_id``. Reference date: 30 June (half year) or 31 December.
    """
    dims = ["activity", "category"]
    p6 = settled_mapped(ctx)
    p6_cells = rate_cells(
        p6,
        ["category"],
        "mapped",
        {"category": [MAPPING_CATEGORY_LABELS[c] for c in MAPPING_SETTLED_CATEGORIES.values()]},
        measure=MEASURE_SHARE,
    ).assign(activity=MAPPING_ACTIVITIES["kartlegging_p6"])
    p10 = duty_mapped(ctx)
    p10_cells = rate_cells(p10, [], "mapped", measure=MEASURE_SHARE).assign(
        activity=MAPPING_ACTIVITIES["kartlegging_p10"], category=TOTAL
    )
    data = pd.concat([p6_cells, p10_cells], ignore_index=True)[[*dims, "measure", "value", "base"]]
    notes = [
        "§ 6: bosatte fra mottak og overføringsflyktninger bosatt fra 1. januar til statusdato; "
        "andel som har gjennomført kompetansekartlegging etter integreringsloven § 6 innen statusdato.",
        "§ 10: personer med rett og plikt eller plikt til opplæring i norsk og samfunnskunnskap som "
        "kom inn i personkretsen fra 1. januar til statusdato; andel som har gjennomført "
        "kompetansekartlegging etter § 10 innen statusdato. Opplæringsregisteret har ikke "
        "personkategori, så § 10 vises bare i alt.",
        "Kartlegging etter § 6 og § 10 gjelder ulike personkretser og summeres ikke.",
    ]
    return make_table(
        ctx, data, dims, dim_labels=LABELS, notes=notes, sources=[SETTLEMENT, MAPPING, TRAINING]
    )


@builder("5-1")
def build_career_guidance(ctx: BuildContext) -> AppendixTable:
    """Table 5 (first): persons who completed career guidance under the Integration Act.

    Population and counting rule: persons in ``competence_mapping`` with a
    ``karriereveiledning`` activity dated between 1 January and the reference date, counted once,
    by category (settled from reception, resettlement refugees, others). Share: each category's
    share of all persons who completed career guidance. Reference date: 30 June or 31 December.
    """
    mapping = ctx.load(MAPPING)
    first, last = ctx.window()
    date = pd.to_datetime(mapping["activity_date"])
    guided = mapping[(mapping["activity"] == GUIDANCE) & (date >= first) & (date <= last)]
    persons = guided.sort_values("activity_date").drop_duplicates("person_id", keep="last")
    persons = persons.assign(
        category=persons["category"].map(MAPPING_CATEGORY_LABELS).fillna(persons["category"])
    )
    dims = ["category"]
    cells = count_cells(persons, dims, {"category": list(MAPPING_CATEGORY_LABELS.values())})
    notes = [
        "Personer som har gjennomført karriereveiledning etter integreringsloven fra 1. januar til statusdato.",
        "Andel: andel av alle som har gjennomført karriereveiledning i perioden. Kildene har ingen "
        "personkrets for karriereveiledning å beregne en andel av.",
    ]
    data = share_of_total(cells, dims, over="category", measure=MEASURE_SHARE)
    return make_table(ctx, data, dims, dim_labels=LABELS, notes=notes, sources=[MAPPING])


@builder("5-2")
def build_training_participants(ctx: BuildContext) -> AppendixTable:
    """Table 5 (second): participants in Norwegian and social studies training.

    Population: persons in ``norwegian_training`` (the year's target group for training) who
    started Norwegian or social studies training (either start date) on or before the reference
    date. Counting rule: persons by right code to training and sex, per year. Percent:
    distribution over right codes within sex (base: all participants of that sex).
    Reference date: 31 December.
    """
    dims = [*ctx.time_dims, "right_code", "sex"]
    parts = []
    years = []
    for year, frame in ctx.iter_series(TRAINING, prepare_training):
        years.append(year)
        last = ctx.window(year)[1]
        started = (pd.to_datetime(frame["norwegian_start"]) <= last) | (
            pd.to_datetime(frame["social_studies_start"]) <= last
        )
        parts.append(frame.loc[started.fillna(False), ["sex", "right_code"]].assign(year=year))
    persons = pd.concat(parts, ignore_index=True)
    persons = persons.assign(
        sex=label_sex(persons["sex"]), right_code=label_codes(persons["right_code"], "training_right_codes")
    )
    order = {
        TIME_DIM: years,
        "sex": sex_order(),
        "right_code": code_list_order("training_right_codes"),
    }
    cells = count_cells(persons, dims, order)
    notes = [
        "Deltakere: personer i målgruppen for opplæring i året som har startet i opplæring i norsk "
        "eller samfunnskunnskap senest på statusdato. Uttrekket har ikke sluttdato for opplæringen, "
        "så også personer i målgruppen som har avsluttet opplæringen regnes med.",
        "Prosent: fordeling på rettighetskode innen kjønn.",
    ]
    return make_table(
        ctx,
        share_of_total(cells, dims, over="right_code", measure=MEASURE_PERCENT),
        dims,
        dim_labels=LABELS,
        notes=notes,
        sources=[TRAINING],
    )


@builder("6A", "6B")
def build_training_within_three_months(ctx: BuildContext) -> AppendixTable:
    """Tables 6A/6B: persons with right and duty (6A) or duty (6B) to training who were in
    training within three months of entering the target group.

    Population (the SP 4 population, :func:`~imdi_analysis.measures.populations.training_entrants`,
    from the extracts of the year and the year before, each person once): persons in
    ``norwegian_training`` with right code ``rett_og_plikt`` (6A) or ``plikt`` (6B) whose
    ``target_group_date`` falls in the twelve months ending three months
    before the reference date (1 October the year before to 30 September; 1 April to 31 March
    for the half year), so that every person can be followed for three months. Counting rule:
    those whose first start of Norwegian or social studies training is on or before the target
    group date plus three calendar months; by sex, per year. Share: of the population.
    """
    codes = WITHIN_THREE_MONTHS_CODES[ctx.key]
    dims = [*ctx.time_dims, "sex"]
    parts = []
    years = []
    for year in ctx.years:
        try:
            training = with_year_before(ctx, year, TRAINING, prepare_training)
        except DataNotFoundError:
            if year == ctx.year:
                raise
            continue
        years.append(year)
        cohort = entered_in(training_entrants(training, codes), *ctx.cohort_window(year, START_WITHIN_MONTHS))
        in_time = within_months(cohort["target_group_date"], cohort["first_start"], START_WITHIN_MONTHS)
        parts.append(
            cohort[["sex"]].astype(object).assign(year=year, in_training=in_time.to_numpy(dtype=bool))
        )
    persons = pd.concat(parts, ignore_index=True)
    persons = persons.assign(sex=label_sex(persons["sex"]))
    first, last = ctx.cohort_window(ctx.year, START_WITHIN_MONTHS)
    notes = [
        "Personer som kom inn i personkretsen i de tolv månedene som slutter tre måneder før "
        f"statusdato (for {ctx.year}: {first:%d.%m.%Y}–{last:%d.%m.%Y}), slik at alle kan følges i "
        "tre måneder.",
        "Antall: personer som startet i opplæring i norsk eller samfunnskunnskap innen tre måneder "
        "etter at de kom inn i personkretsen. Andel: av alle som kom inn i personkretsen.",
        *unit_notes(ctx.key),
    ]
    return make_table(
        ctx,
        rate_cells(
            persons, dims, "in_training", {TIME_DIM: years, "sex": sex_order()}, measure=MEASURE_SHARE
        ),
        dims,
        dim_labels=LABELS,
        notes=notes,
        sources=[TRAINING],
    )


__all__ = [
    "build_asylum_completed",
    "build_asylum_participants",
    "build_asylum_start_time",
    "build_career_guidance",
    "build_competence_mapping",
    "build_training_participants",
    "build_training_within_three_months",
    "classify_start_time",
]
