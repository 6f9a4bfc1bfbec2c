"""Appendix tables 28A–31: the National register of interpreters, authorisations and tests.

Sources (``docs/data_contracts.md``): ``interpreters`` (a snapshot of the register at the
extract date, one row per interpreter and language, with registration, deregistration and
authorisation dates), ``register_searches`` (searches per month) and ``bilingual_tests`` (one
row per Tospråktesten or TAO test taken). A time series repeats the same counting window for
every year with data, each year from its own extract.

The letter dates tables 28A and 28B "per 1.6/31.12": the half-year status date of the register
tables is 1 June, not 30 June as elsewhere in the appendix.
"""

from __future__ import annotations

from itertools import combinations

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
    share_of_total,
    sort_cells,
)
from imdi_analysis.measures.populations import interpreters_by_highest_category
from imdi_analysis.measures.populations import interpreters_in_register_on as registered_on
from imdi_analysis.measures.units import unit_notes
from imdi_analysis.tables import (
    MEASURE_PERCENT,
    STATUS_NOT_APPLICABLE,
    STATUS_SHOWN,
    TOTAL,
    AppendixTable,
)

INTERPRETERS = "interpreters"
SEARCHES = "register_searches"
TESTS = "bilingual_tests"
REGISTER_STATUS_DAY = {"H1": (6, 1), "year": (12, 31)}  # "per 1.6/31.12" (tables 28A, 28B)
LARGEST_LANGUAGES = 30

NEW_AUTHORISATIONS = "Nye bevillinger"
ALL_AUTHORISATIONS = "Bevillinger i alt"
LANGUAGES_NEW = "Språk med nye bevillinger"
LANGUAGES_ALL = "Språk med bevillinger"
LANGUAGE_ITEMS = {NEW_AUTHORISATIONS: LANGUAGES_NEW, ALL_AUTHORISATIONS: LANGUAGES_ALL}
TESTS_TAKEN = "Gjennomførte tester"
LANGUAGES_TESTED = "Språk"
TEST_LABELS = {"tospraktesten": "Tospråktesten", "tao": "TAO"}
RESULT_LABELS = {"bestatt": "Bestått", "ikke_bestatt": "Ikke bestått"}

LABELS = {
    TIME_DIM: "År",
    "sex": "Kjønn",
    "qualification_category": "Kvalifikasjonskategori",
    "language": "Språk",
    "authorisation": "Bevillinger",
    "test_type": "Test",
    "item": "Størrelse",
    "outcome": "Resultat",
}
NOTE_CATEGORIES = (
    "Kategori A er høyest og E lavest kvalifisert (se Nasjonalt tolkeregister for kravene i hver kategori)."
)


def register_status_date(year: int, period: str) -> pd.Timestamp:
    """Status date of the register tables: 1 June (``H1``) or 31 December (``year``)."""
    month, day = REGISTER_STATUS_DAY[period]
    return pd.Timestamp(year, month, day)


def label_register(frame: pd.DataFrame) -> pd.DataFrame:
    """Sex and qualification category as Norwegian labels."""
    return frame.assign(
        sex=label_sex(frame["sex"]),
        qualification_category=label_codes(frame["category"], "interpreter_categories"),
    )


def language_label(language: pd.Series) -> pd.Series:
    """Language names as written at the start of a table row (``arabisk`` -> ``Arabisk``)."""
    text = language.astype(str)
    return text.str.slice(0, 1).str.upper() + text.str.slice(1)


def distinct_cells(
    frame: pd.DataFrame, dims: list[str], order: dict, column: str, no_total: tuple[str, ...]
) -> pd.DataFrame:
    """Number of distinct values of ``column`` in every cell, with "I alt" margins.

    A margin counts the distinct values over the categories it covers (not their sum), so the
    cells of a line do not add up to its total. Dimensions in ``no_total`` get no margin.
    """
    with_totals = [d for d in dims if d not in no_total]
    parts = []
    for size in range(len(with_totals) + 1):
        for collapsed in combinations(with_totals, size):
            kept = [d for d in dims if d not in collapsed]
            distinct = frame.drop_duplicates([*kept, column])
            cells = count_cells(distinct, kept, order, no_total=tuple(kept))
            parts.append(cells.assign(**dict.fromkeys(collapsed, TOTAL)))
    return sort_cells(pd.concat(parts, ignore_index=True)[[*dims, "value"]], dims, order)


def interpreter_table(
    ctx: BuildContext, data: pd.DataFrame, dims: list[str], notes: list[str], sources: list[str]
) -> AppendixTable:
    """The AppendixTable of ``ctx`` with this module's headers (and ``status`` when set)."""
    columns = [*dims, "measure", "value", "base", *(["status"] if "status" in data.columns else [])]
    return make_table(
        ctx,
        data[columns].reset_index(drop=True),
        dims,
        dim_labels={d: LABELS[d] for d in dims},
        notes=notes,
        sources=sources,
    )


@builder("28A")
def build_interpreters(ctx: BuildContext) -> AppendixTable:
    """Table 28A: interpreters in the National register of interpreters, by sex and qualification
    category.

    Population: interpreters with at least one language in the register on the status date
    (registered on or before it, not deregistered on or before it). Counting rule: persons,
    each once, in their highest category (A highest, E lowest) across the languages they are
    registered in; by sex and category, each with "I alt", per year of the series. Reference
    date: 1 June (H1, as the letter prints "per 1.6") or 31 December of each year.
    """
    dims = [*ctx.time_dims, "sex", "qualification_category"]
    parts = []
    for year in ctx.years:
        active = registered_on(ctx.load(INTERPRETERS, year), register_status_date(year, ctx.period))
        persons = interpreters_by_highest_category(active)
        parts.append(persons.assign(year=year))
    persons = label_register(pd.concat(parts, ignore_index=True))
    order = {
        TIME_DIM: ctx.years,
        "sex": sex_order(),
        "qualification_category": code_list_order("interpreter_categories"),
    }
    notes = [
        "Statusdato er 1. juni i halvårsrapporten (brevet: «per 1.6») og 31. desember i årsrapporten.",
        "En tolk telles én gang, i den høyeste kategorien tolken har i noen av språkene sine.",
        NOTE_CATEGORIES,
        *unit_notes(ctx.key),
        "Per 31. desember er tallet det samme som i styringsparameter 15; i halvårsrapporten viser "
        "styringsparameteren 30. juni og tabellen 1. juni.",
    ]
    return interpreter_table(ctx, as_counts(count_cells(persons, dims, order)), dims, notes, [INTERPRETERS])


@builder("28B")
def build_interpreters_by_language(ctx: BuildContext) -> AppendixTable:
    """Table 28B: interpreters in the register in the 30 largest languages, by sex and
    qualification category (reporting year only).

    Population: registrations (interpreter and language) in the register on the status date.
    The 30 largest languages are those with the most registered interpreters (ties by name).
    Counting rule: interpreters per language, in their category in that language; by language
    × sex × category, each with "I alt". The language "I alt" sums the 30 languages, so an
    interpreter registered in two of them counts twice there. Reference date: 1 June (H1) or
    31 December.
    """
    dims = ["language", "sex", "qualification_category"]
    active = registered_on(ctx.load(INTERPRETERS), register_status_date(ctx.year, ctx.period))
    active = label_register(active).assign(language=language_label(active["language"]))
    sizes = active.groupby("language").size().rename("n").rename_axis("language").reset_index()
    largest = sizes.sort_values(["n", "language"], ascending=[False, True])["language"].head(
        LARGEST_LANGUAGES
    )
    order = {
        "language": largest.tolist(),
        "sex": sex_order(),
        "qualification_category": code_list_order("interpreter_categories"),
    }
    cells = count_cells(active[active["language"].isin(set(largest))], dims, order)
    notes = [
        f"De {LARGEST_LANGUAGES} språkene med flest registrerte tolker på statusdato, største først.",
        "«I alt» for språk er summen av de 30 språkene: en tolk som er registrert i flere av dem, telles "
        "én gang per språk.",
        "Statusdato er 1. juni i halvårsrapporten (brevet: «per 1.6») og 31. desember i årsrapporten.",
        NOTE_CATEGORIES,
    ]
    return interpreter_table(ctx, as_counts(cells), dims, notes, [INTERPRETERS])


@builder("29")
def build_authorisations(ctx: BuildContext) -> AppendixTable:
    """Table 29: authorisations issued to state-authorised interpreters.

    One authorisation is one interpreter and language with ``state_authorised``. New: issued
    (``authorisation_date``) from 1 January to the status date. In all: issued on or before the
    status date to interpreters registered in that language on the status date. Counting rule:
    authorisations by sex (with "I alt"); percent: sex distribution (base: all authorisations
    of the row). Languages: the number of distinct languages among new authorisations and
    among all, by sex and in all (distinct, so men and women do not add up to "I alt"; their
    percent cells are not applicable, "."). Per year of the series. Reference date: 30 June (H1)
    or 31 December of each year.
    """
    dims = [*ctx.time_dims, "authorisation", "sex"]
    parts = []
    for year in ctx.years:
        first, last = ctx.window(year)
        frame = ctx.load(INTERPRETERS, year)
        issued = pd.to_datetime(frame["authorisation_date"])
        authorised = frame["state_authorised"].fillna(False).astype(bool) & issued.notna() & (issued <= last)
        new = frame[authorised & (issued >= first)].assign(authorisation=NEW_AUTHORISATIONS)
        held = registered_on(frame[authorised], last).assign(authorisation=ALL_AUTHORISATIONS)
        parts += [new.assign(year=year), held.assign(year=year)]
    authorisations = pd.concat(parts, ignore_index=True)
    authorisations = authorisations.assign(sex=label_sex(authorisations["sex"]))
    order = {
        TIME_DIM: ctx.years,
        "authorisation": [NEW_AUTHORISATIONS, ALL_AUTHORISATIONS],
        "sex": sex_order(),
    }
    no_total = (TIME_DIM, "authorisation")
    counts = share_of_total(count_cells(authorisations, dims, order, no_total=no_total), dims, over="sex")
    languages = as_counts(distinct_cells(authorisations, dims, order, "language", no_total))
    languages = languages.assign(authorisation=languages["authorisation"].map(LANGUAGE_ITEMS))
    not_applicable = languages.assign(
        measure=MEASURE_PERCENT, value=float("nan"), status=STATUS_NOT_APPLICABLE
    )
    data = pd.concat(
        [counts.assign(status=STATUS_SHOWN), languages.assign(status=STATUS_SHOWN), not_applicable],
        ignore_index=True,
    )
    order["authorisation"] += list(LANGUAGE_ITEMS.values())
    data = sort_cells(data, dims, order)
    notes = [
        "En bevilling gjelder én tolk og ett språk. Nye: utstedt fra 1. januar til statusdato. I alt: "
        "utstedt senest på statusdato til tolker som står i registeret i språket på statusdato.",
        "Prosent: kjønnsfordelingen av bevillingene. Språk: antall ulike språk med bevillinger; "
        "språkene for menn og kvinner summerer seg ikke til i alt.",
    ]
    return interpreter_table(ctx, data, dims, notes, [INTERPRETERS])


@builder("30")
def build_register_searches(ctx: BuildContext) -> AppendixTable:
    """Table 30: searches in the National register of interpreters.

    Counting rule: sum of ``searches`` over the months from January to the month of the status
    date (January–June for H1, the whole year otherwise), per year of the series.
    """
    dims = list(ctx.time_dims)
    parts = []
    for year in ctx.years:
        first, last = ctx.window(year)
        frame = ctx.load(SEARCHES, year)
        month = pd.to_datetime(frame["month"])
        parts.append(frame[(month >= first) & (month <= last)].assign(year=year))
    searches = pd.concat(parts, ignore_index=True)
    cells = as_counts(count_cells(searches, dims, {TIME_DIM: ctx.years}, weight="searches"))
    notes = ["Antall søk i registeret fra januar til og med statusmåneden."]
    return interpreter_table(ctx, cells, dims, notes, [SEARCHES])


@builder("31")
def build_bilingual_tests(ctx: BuildContext) -> AppendixTable:
    """Table 31: Tospråktesten and TAO taken, with number of languages, result and sex.

    Population: tests (``bilingual_tests``) taken from 1 January to the status date. Counting
    rule: tests (a person taking two tests counts twice), by test type (no total: the two tests
    are different things) × result × sex, each of the last two with "I alt"; and, as item
    "Språk", the number of distinct languages tested in the same cells (a margin counts the
    distinct languages, so it is not the sum of its cells). Per year of
    the series (the letter asks for a series for Tospråktesten; TAO is shown the same way).
    Reference date: 30 June (H1) or 31 December of each year.
    """
    dims = [*ctx.time_dims, "test_type", "item", "outcome", "sex"]
    parts = []
    for year in ctx.years:
        first, last = ctx.window(year)
        frame = ctx.load(TESTS, year)
        taken = pd.to_datetime(frame["test_date"])
        parts.append(frame[(taken >= first) & (taken <= last)].assign(year=year))
    tests = pd.concat(parts, ignore_index=True)
    tests = tests.assign(
        test_type=tests["test_type"].map(TEST_LABELS).fillna(tests["test_type"]),
        outcome=tests["result"].map(RESULT_LABELS).fillna(tests["result"]),
        sex=label_sex(tests["sex"]),
        item=TESTS_TAKEN,
    )
    order = {
        TIME_DIM: ctx.years,
        "test_type": list(TEST_LABELS.values()),
        "item": [TESTS_TAKEN],
        "outcome": list(RESULT_LABELS.values()),
        "sex": sex_order(),
    }
    no_total = (TIME_DIM, "test_type", "item")
    cells = as_counts(count_cells(tests, dims, order, no_total=no_total))
    languages = distinct_cells(
        tests.assign(item=LANGUAGES_TESTED), dims, order | {"item": [LANGUAGES_TESTED]}, "language", no_total
    )
    order["item"] = [TESTS_TAKEN, LANGUAGES_TESTED]
    data = sort_cells(pd.concat([cells, as_counts(languages)], ignore_index=True), dims, order)
    notes = [
        "Antall gjennomførte tester fra 1. januar til statusdato; en person som har tatt flere tester, telles flere ganger.",
        "«Språk» er antall ulike språk det er tatt test i; språkene for resultat og kjønn summerer seg "
        "ikke til i alt.",
    ]
    return interpreter_table(ctx, data, dims, notes, [TESTS])


__all__ = [
    "build_authorisations",
    "build_bilingual_tests",
    "build_interpreters",
    "build_interpreters_by_language",
    "build_register_searches",
    "language_label",
    "register_status_date",
    "registered_on",
]
