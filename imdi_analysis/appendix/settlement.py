"""Appendix tables 16–26: waiting for settlement, settlement and municipal decisions.

All tables are built from the ``settlement`` extract (one row per person ready for settlement,
see ``docs/data_contracts.md``); table 22 also uses ``municipal_decisions``. The status date is
30 June (``H1``) or 31 December (``year``); "settled in the period" counts settlement dates from
1 January up to and including the status date (:meth:`BuildContext.window`); "waiting" means
ready for settlement on the status date and not settled on it. A time series repeats this for
every year with data, each year from its own extract.

Waiting time runs from the residence permit (``permit_date``). Months are calendar months, the
one month rule of :mod:`imdi_analysis.measures.durations`: "within N months" means on or before
the permit date plus N calendar months, and the mean of table 18 counts whole calendar months
plus the fraction of the next, so it agrees with SP 11. The populations (settled in the period,
waiting on the status date) are :mod:`imdi_analysis.measures.populations`, shared with SP 11.

The extract can hold millions of persons. Each builder filters the person rows it needs, then
compacts them (:func:`compact`: one row per combination of codes, with ``n`` persons) and
attaches Norwegian labels to the compacted rows only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from imdi_analysis.appendix.registry import (
    BuildContext,
    builder,
    make_table,
)
from imdi_analysis.appendix.toolbox import (
    TIME_DIM,
    UNKNOWN,
    area_order,
    as_counts,
    code_list_labels,
    count_cells,
    label_counties,
    ratio,
    share_of_total,
    stack_measures,
)
from imdi_analysis.measures.durations import MONTH_RULE_NB, band_index, months_between, over_months
from imdi_analysis.measures.populations import settled_in as settled_between
from imdi_analysis.measures.populations import waiting_on
from imdi_analysis.measures.units import unit_notes
from imdi_analysis.tables import (
    MEASURE_COUNT,
    MEASURE_MEAN_MONTHS,
    MEASURE_PERCENT,
    MEASURE_SHARE,
    STATUS_NOT_APPLICABLE,
    STATUS_SHOWN,
    TOTAL,
    AppendixTable,
    Stacking,
)

SOURCE = "settlement"
DECISIONS_SOURCE = "municipal_decisions"
ADULT_AGE = 18

# Codes of the extract (docs/data_contracts.md).
RECEPTION = "mottak"
RESETTLEMENT = "overforingsflyktning"
PRIVATE = "privatboende"
FAMILY = "familiegjenforent"
ADULT = "voksen"
FAMILY_WITH_CHILDREN = "barnefamilie"
MINOR = "enslig_mindreaarig"
ORIENTATION_RECEIVED = "mottatt"
ORIENTATION_OTHER_INFORMATION = "annen_informasjon"
ORIENTATION_NONE = "ingen"

WAITING_CATEGORIES = (RECEPTION, RESETTLEMENT)  # "i mottak og uttaksland" (16, 17, 24)
SETTLED_CATEGORIES = (RECEPTION, RESETTLEMENT, PRIVATE)  # the case types named in 18 and 21
ALL_CATEGORIES = (RECEPTION, RESETTLEMENT, PRIVATE, FAMILY)
HOUSEHOLDS = (ADULT, FAMILY_WITH_CHILDREN, MINOR)
LIMITED_PERMIT_HOUSEHOLDS = (MINOR, FAMILY_WITH_CHILDREN)  # table 23
SETTLED_BY = ("IMDi", "Bufetat")

CHILD = "Barn under 18 år"
ADULT_18 = "Voksne 18 år og over"
UNDER_18 = "Under 18 år"
OVER_18 = "18 år og over"

# Waiting-time bands: (N, label) = on or before permit + N months and not within the previous N.
SETTLED_WITHIN_BANDS = ((3, "Innen 3 måneder"), (6, "3–6 måneder"), (12, "6–12 måneder"))
SETTLED_LATER = "Mer enn 12 måneder"
WAITING_BANDS = (*SETTLED_WITHIN_BANDS, (24, "12–24 måneder"), (36, "24–36 måneder"))
WAITING_LATER = "Mer enn 36 måneder"
LONG_WAITS = (
    (12, "Ventet mer enn 12 måneder"),
    (24, "Ventet mer enn 24 måneder"),
    (36, "Ventet mer enn 36 måneder"),
)

TOP_NATIONALITIES = 15
OTHER_NATIONALITIES = "Andre nasjonaliteter"
BREAKDOWN_HOUSEHOLD = "Personkategori"
BREAKDOWN_AGE = "Alder"
BREAKDOWN_NATIONALITY = "Nasjonalitet"

STATUS_WAITING = "Bosettingsklare som venter"
STATUS_SETTLED = "Bosatte"
SELF_SETTLED = "Selvbosatte etter avtale"
NOT_SELF_SETTLED = "Øvrige bosatte"

ITEM_REQUESTED = "IMDis anmodning om bosetting (personer)"
ITEM_DECIDED = "Vedtaksplasser i kommunene"
ITEM_USED = "Vedtaksplasser benyttet til bosetting (plassutnyttelse)"
ITEM_MUNICIPALITIES = "Kommuner som har bosatt flyktninger"

ORIENTATION_PROGRAMME = "Mottatt kulturorienteringsprogram"
ORIENTATION_NOT_PROGRAMME = "Ikke mottatt kulturorienteringsprogram"
ORIENTATION_INFORMATION = "Mottatt annen relevant informasjon"
ORIENTATION_NOTHING = "Verken program eller annen informasjon"
ORIENTATION_LABELS = {  # table key -> culture_orientation code -> label
    "25": {
        ORIENTATION_RECEIVED: ORIENTATION_PROGRAMME,
        ORIENTATION_OTHER_INFORMATION: ORIENTATION_NOT_PROGRAMME,
        ORIENTATION_NONE: ORIENTATION_NOT_PROGRAMME,
    },
    "26": {ORIENTATION_OTHER_INFORMATION: ORIENTATION_INFORMATION, ORIENTATION_NONE: ORIENTATION_NOTHING},
}

LABELS = {
    TIME_DIM: "År",
    "category": "Sakstype",
    "household_type": "Personkategori",
    "age_group": "Alder",
    "waiting_time": "Ventetid fra oppholdsvedtak",
    "county": "Fylke",
    "self_settled": "Selvbosetting",
    "breakdown": "Fordeling",
    "group": "Gruppe",
    "item": "Størrelse",
    "settlement_status": "Status",
    "culture_orientation": "Informasjon før bosetting",
}
# Table 19 stacks three distributions of the persons settled in ``breakdown``, each with an "I alt".
STACKING = Stacking(by="breakdown", within="group")
NOTE_STATUS = (
    "Statusdato er 30. juni i halvårsrapporten og 31. desember i årsrapporten. Bosatte: bosatt fra "
    "1. januar til og med statusdato. Venter: bosettingsklar og ikke bosatt på statusdato."
)
NOTE_WITHIN = (
    "Ventetid regnes fra oppholdsvedtak i kalendermåneder. «Innen 3 måneder»: senest samme dato tre "
    "måneder etter vedtaket (31. januar + 3 måneder = 30. april); «3–6 måneder»: senere enn tre, men "
    "innen seks måneder, osv."
)
NOTE_AGE = "Alder er alder ved utgangen av året (årstall minus fødselsår)."


# --- the settlement extract -----------------------------------------------------------------
# Person-level rows are filtered and then compacted: grouped by the codes a table needs into
# one row per combination, with ``n`` persons. Labels are attached to the compacted rows (a
# few hundred), never to the millions of person rows; ``count_cells`` then sums ``n``.

CODE_COLUMNS = (
    "category",
    "household_type",
    "settled_by",
    "nationality",
    "county",
    "municipality",
    "culture_orientation",
)
DATE_COLUMNS = ("permit_date", "ready_date", "settlement_date")
FLAG_COLUMNS = ("self_settled", "limited_permit_identity")


def prepare_extract(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """The columns of the extract the tables use: codes as categoricals, dates, flags, ``child``.

    ``child`` is true for persons under 18 at the end of ``year`` (``year - birth_year < 18``).
    """
    out = pd.DataFrame(index=frame.index)
    for column in CODE_COLUMNS:
        out[column] = frame[column].astype("category")
    for column in DATE_COLUMNS:
        out[column] = pd.to_datetime(frame[column])
    for column in FLAG_COLUMNS:
        out[column] = frame[column].fillna(False).astype(bool)
    out["child"] = (year - pd.to_numeric(frame["birth_year"])) < ADULT_AGE
    return out


def extract(ctx: BuildContext, year: int) -> pd.DataFrame:
    """The prepared settlement extract of ``year`` (:func:`prepare_extract`), cached for the run."""
    return ctx.prepared(SOURCE, prepare_extract, year)


def in_categories(frame: pd.DataFrame, categories: Sequence[str]) -> pd.DataFrame:
    """Rows whose case type (``category``) is one of ``categories``."""
    return frame[frame["category"].isin(list(categories))]


def waiting_in(ctx: BuildContext, year: int, categories: Sequence[str] = WAITING_CATEGORIES) -> pd.DataFrame:
    """Persons of ``categories`` waiting on the status date of ``year``."""
    return in_categories(waiting_on(extract(ctx, year), ctx.window(year)[1]), categories)


def settled_in(ctx: BuildContext, year: int, categories: Sequence[str] = ALL_CATEGORIES) -> pd.DataFrame:
    """Persons of ``categories`` settled in the period of ``year`` (1 January to the status date)."""
    first, last = ctx.window(year)
    return in_categories(settled_between(extract(ctx, year), first, last), categories)


def compact(persons: pd.DataFrame, keys: Sequence[str], sums: Sequence[str] = ()) -> pd.DataFrame:
    """One row per combination of ``keys`` present in ``persons``: ``n`` persons and column sums."""
    grouped = persons.groupby(list(keys), observed=True, dropna=False, sort=False)
    out = grouped.size().rename("n").to_frame()
    for column in sums:
        out[column] = grouped[column].sum()
    return out.reset_index()


def per_year(
    ctx: BuildContext,
    persons_of: Callable[[int], pd.DataFrame],
    keys: Sequence[str],
    sums: Sequence[str] = (),
) -> pd.DataFrame:
    """``compact(persons_of(year), keys, sums)`` for every year of the table, with ``year``."""
    parts = [compact(persons_of(year), keys, sums).assign(year=year) for year in ctx.years]
    return pd.concat(parts, ignore_index=True)


def band_labels(index: pd.Series, bands: Sequence[tuple[int, str]], later: str) -> np.ndarray:
    """Labels of band positions from :func:`band_index`."""
    names = np.asarray([label for _, label in bands] + [later], dtype=object)
    return names[index.to_numpy(dtype=int)]


def labelled(codes: pd.Series, code_list: str) -> pd.Series:
    """Norwegian labels of codes (unknown codes kept, missing stays missing)."""
    values = codes.astype("object")
    return values.map(code_list_labels(code_list)).fillna(values)


def household_by(rows: pd.DataFrame) -> pd.Series:
    """Person category with unaccompanied minors split by who settled them (IMDi or Bufetat)."""
    household = labelled(rows["household_type"], "household_types")
    minor = rows["household_type"].astype("object") == MINOR
    return household.where(~minor, minor_label() + " bosatt av " + rows["settled_by"].astype("object"))


def labels(code_list: str, selected: Sequence[str]) -> list[str]:
    """Labels of the ``selected`` codes of a code list, in that order."""
    known = code_list_labels(code_list)
    return [known.get(code, code) for code in selected]


def minor_label() -> str:
    """Label of unaccompanied minors."""
    return labels("household_types", (MINOR,))[0]


def household_by_order() -> list[str]:
    """Person categories with unaccompanied minors split by IMDi and Bufetat."""
    adult, family = labels("household_types", (ADULT, FAMILY_WITH_CHILDREN))
    return [adult, family, *(f"{minor_label()} bosatt av {who}" for who in SETTLED_BY)]


def counts_of(rows: pd.DataFrame, dims: list[str], order: dict) -> pd.DataFrame:
    """Count rows of compacted ``rows`` (``n`` persons each), with "I alt" margins."""
    return as_counts(count_cells(rows, dims, order, weight="n"))


def rates_of(rows: pd.DataFrame, dims: list[str], order: dict, hits: str, measure: str) -> pd.DataFrame:
    """Counts of ``hits`` and their share of the ``n`` persons in each cell (``base``)."""
    numerator = count_cells(rows, dims, order, weight=hits)
    population = count_cells(rows, dims, order, weight="n")
    derived = numerator.assign(
        measure=measure,
        base=population["value"].to_numpy(),
        value=ratio(numerator["value"], population["value"], measure).to_numpy(),
    )
    return stack_measures(as_counts(numerator), derived, dims)


def means_of(rows: pd.DataFrame, dims: list[str], order: dict, total: str) -> pd.DataFrame:
    """Mean of ``total / n`` per cell (measure ``mean_months``), ``base`` = persons averaged."""
    sums = count_cells(rows, dims, order, weight=total)
    persons = count_cells(rows, dims, order, weight="n")
    return sums.assign(
        measure=MEASURE_MEAN_MONTHS,
        base=persons["value"].to_numpy(),
        value=(sums["value"] / persons["value"].where(persons["value"] > 0)).to_numpy(),
    )


def settlement_table(
    ctx: BuildContext,
    data: pd.DataFrame,
    dims: list[str],
    notes: list[str],
    stacking: Stacking | None = None,
) -> AppendixTable:
    """The AppendixTable of ``ctx`` with this module's headers, the status note and the source.

    ``stacking`` declares distributions stacked in one dimension (see
    :class:`~imdi_analysis.tables.Stacking`).
    """
    columns = [*dims, "measure", "value", "base", *(["status"] if "status" in data.columns else [])]
    return make_table(
        ctx,
        data[columns].reset_index(drop=True),
        dims,
        dim_labels={d: LABELS[d] for d in dims},
        notes=[NOTE_STATUS, *notes, *unit_notes(ctx.key)],
        sources=[SOURCE],
        stacking=stacking,
    )


# --- builders -------------------------------------------------------------------------------


@builder("16")
def build_waiting(ctx: BuildContext) -> AppendixTable:
    """Table 16: persons waiting for settlement, by case type and person category.

    Population: persons in the settlement extract who are ready for settlement on the status
    date (``ready_date`` on or before it) and not settled on it (no ``settlement_date`` or a
    later one), former asylum seekers in reception (``mottak``) and resettlement refugees
    (``overforingsflyktning``). Counting rule: persons, by case type × person category (adults
    not part of a family with children, persons in families with children, unaccompanied
    minors), each with "I alt", per year of the series. Reference date: 30 June (H1) or
    31 December of each year.
    """
    dims = [*ctx.time_dims, "category", "household_type"]
    rows = per_year(ctx, lambda year: waiting_in(ctx, year), ["category", "household_type"])
    rows = rows.assign(
        category=labelled(rows["category"], "settlement_categories"),
        household_type=labelled(rows["household_type"], "household_types"),
    )
    order = {
        TIME_DIM: ctx.years,
        "category": labels("settlement_categories", WAITING_CATEGORIES),
        "household_type": labels("household_types", HOUSEHOLDS),
    }
    notes = [
        "Privatboende og familiegjenforente som venter, er ikke med (tabellen gjelder mottak og uttaksland)."
    ]
    return settlement_table(ctx, counts_of(rows, dims, order), dims, notes)


@builder("17")
def build_waiting_by_time(ctx: BuildContext) -> AppendixTable:
    """Table 17: refugees ready for settlement in reception and in the country of selection, by
    adults/children under 18 and waiting time since the residence permit.

    Population: as table 16 (waiting on the status date; ``mottak`` and
    ``overforingsflyktning``). Counting rule: persons, by case type × adults (18 and over) or
    children under 18 (age at the end of the year) × waiting time from ``permit_date`` to the
    status date (within 3, 3–6, 6–12, 12–24, 24–36, more than 36 calendar months), each with
    "I alt", per year of the series. Reference date: 30 June (H1) or 31 December of each year.
    """
    dims = [*ctx.time_dims, "category", "age_group", "waiting_time"]
    limits = [months for months, _ in WAITING_BANDS]

    def waiting_with_band(year: int) -> pd.DataFrame:
        waiting = waiting_in(ctx, year)
        return waiting.assign(band=band_index(waiting["permit_date"], ctx.window(year)[1], limits))

    rows = per_year(ctx, waiting_with_band, ["category", "child", "band"])
    rows = rows.assign(
        category=labelled(rows["category"], "settlement_categories"),
        age_group=np.where(rows["child"].astype(bool), CHILD, ADULT_18),
        waiting_time=band_labels(rows["band"], WAITING_BANDS, WAITING_LATER),
    )
    order = {
        TIME_DIM: ctx.years,
        "category": labels("settlement_categories", WAITING_CATEGORIES),
        "age_group": [ADULT_18, CHILD],
        "waiting_time": [label for _, label in WAITING_BANDS] + [WAITING_LATER],
    }
    return settlement_table(ctx, counts_of(rows, dims, order), dims, [NOTE_WITHIN, NOTE_AGE])


@builder("18")
def build_mean_waiting_time(ctx: BuildContext) -> AppendixTable:
    """Table 18: mean waiting time from residence permit to settlement, in months.

    Population: persons settled in the period (1 January to the status date) who are former
    asylum seekers from reception, resettlement refugees or privately housed (family
    reunification is not among the case types the letter names). Measure: mean of
    calendar months from ``permit_date`` to ``settlement_date`` (whole months plus the fraction
    of the next, as SP 11); ``base`` = persons averaged.
    Breakdown: case type × person category (unaccompanied minors, persons in families with
    children, adults not part of a family with children), each with "I alt"; "I alt" × "I alt"
    is the total mean. Reference date: the status date.
    """
    dims = ["category", "household_type"]

    def settled_with_months(year: int) -> pd.DataFrame:
        settled = settled_in(ctx, year, SETTLED_CATEGORIES)
        return settled.assign(months=months_between(settled["permit_date"], settled["settlement_date"]))

    rows = per_year(ctx, settled_with_months, dims, sums=["months"])
    rows = rows.assign(
        category=labelled(rows["category"], "settlement_categories"),
        household_type=labelled(rows["household_type"], "household_types"),
    )
    order = {
        "category": labels("settlement_categories", SETTLED_CATEGORIES),
        "household_type": labels("household_types", (MINOR, FAMILY_WITH_CHILDREN, ADULT)),
    }
    notes = [
        MONTH_RULE_NB,
        "Familiegjenforente er ikke med. «I alt» er gjennomsnittet for de tre sakstypene samlet.",
    ]
    return settlement_table(ctx, means_of(rows, dims, order, "months"), dims, notes)


@builder("19")
def build_settled_by_group(ctx: BuildContext) -> AppendixTable:
    """Table 19: persons settled, by case type, and by person category, age and nationality.

    Population: persons settled in the period (1 January to the status date), all case types
    (former asylum seekers from reception, privately housed, resettlement refugees, family
    reunification with these). Counting rule: persons, by case type (with "I alt") × three
    distributions stacked in ``breakdown``: person category (unaccompanied minors split by
    IMDi and Bufetat), under 18 / 18 and over (age at the end of the year), and nationality
    (the :data:`TOP_NATIONALITIES` largest in the total, the rest together). Each distribution
    has its own "I alt" row, equal to the case type's total; the table declares this
    (:data:`STACKING`), so disclosure control treats those rows (counts and percents) as one
    cell, suppressed in every distribution or in none. Percent: a group's share of its case
    type's total; on the "I alt" rows, the case type's share of all persons settled. Reference
    date: the status date.
    """
    dims = ["category", "breakdown", "group"]
    rows = compact(
        settled_in(ctx, ctx.year), ["category", "household_type", "settled_by", "child", "nationality"]
    )
    rows = rows.assign(category=labelled(rows["category"], "settlement_categories"))
    nationality = labelled(rows["nationality"], "nationalities")
    nationalities = largest(rows["n"].groupby(nationality).sum(), TOP_NATIONALITIES)
    others = [OTHER_NATIONALITIES] if nationality.nunique() > TOP_NATIONALITIES else []
    distributions = (
        (BREAKDOWN_HOUSEHOLD, household_by(rows), household_by_order()),
        (
            BREAKDOWN_AGE,
            pd.Series(np.where(rows["child"].astype(bool), UNDER_18, OVER_18)),
            [UNDER_18, OVER_18],
        ),
        (
            BREAKDOWN_NATIONALITY,
            nationality.where(nationality.isin(nationalities), OTHER_NATIONALITIES),
            [*nationalities, *others],
        ),
    )
    category_order = labels("settlement_categories", (RECEPTION, PRIVATE, RESETTLEMENT, FAMILY))
    parts = []
    for name, group, order in distributions:
        grouped = pd.DataFrame({"category": rows["category"], "group": group.to_numpy(), "n": rows["n"]})
        cells = count_cells(
            grouped, ["category", "group"], {"category": category_order, "group": order}, weight="n"
        )
        parts.append(percent_by_category(cells).assign(breakdown=name))
    notes = [
        "Prosent: andel av de bosatte i sakstypen; på «I alt»-radene sakstypens andel av alle bosatte.",
        NOTE_AGE,
        f"Nasjonalitet er statsborgerskap; de {TOP_NATIONALITIES} største vises, resten er slått sammen.",
    ]
    return settlement_table(ctx, pd.concat(parts, ignore_index=True), dims, notes, stacking=STACKING)


def largest(sizes: pd.Series, n: int) -> list[str]:
    """The ``n`` labels with the largest sizes (ties by label)."""
    ranked = sizes.rename_axis("label").rename("size").reset_index()
    return ranked.sort_values(["size", "label"], ascending=[False, True])["label"].head(n).tolist()


def percent_by_category(cells: pd.DataFrame) -> pd.DataFrame:
    """Counts with percent of the case type's total; "I alt" rows with percent of all persons."""
    within = share_of_total(cells, ["category", "group"], over="group")
    totals = cells[cells["group"] == TOTAL]
    across = share_of_total(totals, ["category", "group"], over="category")
    across = across[across["measure"] == MEASURE_PERCENT].set_index("category")
    replace = (within["group"] == TOTAL) & (within["measure"] == MEASURE_PERCENT)
    for column in ("value", "base"):
        within.loc[replace, column] = within.loc[replace, "category"].map(across[column]).to_numpy()
    return within


@builder("20")
def build_settled_by_county(ctx: BuildContext) -> AppendixTable:
    """Table 20: persons settled by county and case type, specifying those settled by own
    arrangement after agreement.

    Population: persons settled in the period (1 January to the status date), all four case
    types. Counting rule: persons, by county of settlement (counties valid in the year) × case
    type × settled by own arrangement after agreement (``self_settled``) or otherwise, each with
    "I alt". Reference date: the status date.
    """
    dims = ["county", "category", "self_settled"]
    rows = compact(settled_in(ctx, ctx.year), dims)
    rows = rows.assign(
        county=label_counties(rows["county"].astype("object")),
        category=labelled(rows["category"], "settlement_categories"),
        self_settled=np.where(rows["self_settled"].astype(bool), SELF_SETTLED, NOT_SELF_SETTLED),
    )
    order = {
        "county": area_order("county", [ctx.year]),
        "category": labels("settlement_categories", ALL_CATEGORIES),
        "self_settled": [SELF_SETTLED, NOT_SELF_SETTLED],
    }
    notes = ["Fylke er fylket personen ble bosatt i."]
    return settlement_table(ctx, counts_of(rows, dims, order), dims, notes)


@builder("21")
def build_settled_within(ctx: BuildContext) -> AppendixTable:
    """Table 21: persons settled within 3, 6, 12 and more than 12 months of the residence permit.

    Population: persons settled in the period (1 January to the status date) who are former
    asylum seekers from reception, resettlement refugees or privately housed. Counting rule:
    persons, by case type × person category (unaccompanied minors split by IMDi and Bufetat) ×
    time from ``permit_date`` to ``settlement_date`` in disjoint bands (within 3 calendar
    months; later but within 6; later but within 12; more than 12), each with "I alt". Percent:
    a band's share of the persons in its case type and person category. Reference date: the
    status date.
    """
    dims = ["category", "household_type", "waiting_time"]
    settled = settled_in(ctx, ctx.year, SETTLED_CATEGORIES)
    limits = [months for months, _ in SETTLED_WITHIN_BANDS]
    settled = settled.assign(band=band_index(settled["permit_date"], settled["settlement_date"], limits))
    rows = compact(settled, ["category", "household_type", "settled_by", "band"])
    rows = rows.assign(
        category=labelled(rows["category"], "settlement_categories"),
        household_type=household_by(rows),
        waiting_time=band_labels(rows["band"], SETTLED_WITHIN_BANDS, SETTLED_LATER),
    )
    order = {
        "category": labels("settlement_categories", SETTLED_CATEGORIES),
        "household_type": household_by_order(),
        "waiting_time": [label for _, label in SETTLED_WITHIN_BANDS] + [SETTLED_LATER],
    }
    notes = [
        NOTE_WITHIN,
        "Gruppene er adskilte: andelen bosatt innen 6 måneder er summen av «Innen 3 måneder» og «3–6 måneder».",
        "Familiegjenforente er ikke med.",
    ]
    data = share_of_total(count_cells(rows, dims, order, weight="n"), dims, over="waiting_time")
    return settlement_table(ctx, data, dims, notes)


@builder("22")
def build_requests_and_decisions(ctx: BuildContext) -> AppendixTable:
    """Table 22: IMDi's requests, municipal decision places, their utilisation, and municipalities
    that settled refugees.

    Per year of the series, from ``municipal_decisions`` and ``settlement``: requested = sum of
    ``requested``; decision places = sum of ``decided``; places used = for each municipality,
    the persons settled in it in the period (1 January to the status date) other than family
    reunification (who come in addition to the decision), at most its decided places, summed;
    utilisation = places used / decision places (the share of the places-used row, ``base`` =
    decision places; the other rows have no share, status "."); municipalities =
    municipalities where at least one person (any case type) was settled in the period.
    """
    dims = [*ctx.time_dims, "item"]
    data = pd.concat([decision_items(ctx, year) for year in ctx.years], ignore_index=True)
    notes = [
        "Benyttede vedtaksplasser: bosatte i perioden uten familiegjenforente, for hver kommune høyst "
        "kommunens vedtak. Plassutnyttelse (andel): benyttede vedtaksplasser som andel av vedtaksplassene.",
        "Anmodning og vedtak gjelder hele året; i halvårsrapporten er bosatte per 30. juni sett mot årets vedtak.",
    ]
    table = settlement_table(ctx, data, dims, notes)
    table.sources = [DECISIONS_SOURCE, SOURCE]
    return table


def decision_items(ctx: BuildContext, year: int) -> pd.DataFrame:
    """The five rows of table 22 for one year."""
    decisions = ctx.load(DECISIONS_SOURCE, year)
    decided = pd.Series(
        pd.to_numeric(decisions["decided"]).to_numpy(dtype=float),
        index=decisions["municipality"].astype("object"),
    )
    settled = settled_in(ctx, year)
    counted = settled.loc[settled["category"] != FAMILY, "municipality"].value_counts()
    counted.index = counted.index.astype("object")
    used = float(
        np.minimum(counted.reindex(decided.index, fill_value=0).to_numpy(), decided.to_numpy()).sum()
    )
    places = float(decided.sum())
    share = used / places if places else np.nan
    rows = [
        (ITEM_REQUESTED, float(pd.to_numeric(decisions["requested"]).sum()), None),
        (ITEM_DECIDED, places, None),
        (ITEM_USED, used, (share, places)),
        (ITEM_MUNICIPALITIES, float(settled["municipality"].nunique()), None),
    ]
    cells = []
    for item, count, derived in rows:
        cells.append((item, MEASURE_COUNT, count, np.nan, STATUS_SHOWN))
        value, base = derived if derived else (np.nan, np.nan)
        cells.append((item, MEASURE_SHARE, value, base, STATUS_SHOWN if derived else STATUS_NOT_APPLICABLE))
    return pd.DataFrame(cells, columns=["item", "measure", "value", "base", "status"]).assign(year=year)


@builder("23")
def build_limited_permit(ctx: BuildContext) -> AppendixTable:
    """Table 23: persons with a limited permit pending documented identity.

    Population: persons with ``limited_permit_identity`` who are unaccompanied minors or in
    families with children, and either waiting for settlement on the status date or settled in
    the period (1 January to the status date), all case types. Counting rule: persons, by status
    (waiting, settled; "I alt" = both) × unaccompanied minors / families with children ("I alt"
    = both), per year of the series. Reference date: 30 June (H1) or 31 December of each year.
    """
    dims = [*ctx.time_dims, "settlement_status", "household_type"]

    def limited(persons: pd.DataFrame) -> pd.DataFrame:
        return persons[
            persons["limited_permit_identity"] & persons["household_type"].isin(LIMITED_PERMIT_HOUSEHOLDS)
        ]

    waiting = per_year(ctx, lambda year: limited(waiting_in(ctx, year, ALL_CATEGORIES)), ["household_type"])
    settled = per_year(ctx, lambda year: limited(settled_in(ctx, year)), ["household_type"])
    rows = pd.concat(
        [waiting.assign(settlement_status=STATUS_WAITING), settled.assign(settlement_status=STATUS_SETTLED)],
        ignore_index=True,
    )
    rows = rows.assign(household_type=labelled(rows["household_type"], "household_types"))
    order = {
        TIME_DIM: ctx.years,
        "settlement_status": [STATUS_WAITING, STATUS_SETTLED],
        "household_type": labels("household_types", LIMITED_PERMIT_HOUSEHOLDS),
    }
    notes = ["Alle sakstyper er med."]
    return settlement_table(ctx, counts_of(rows, dims, order), dims, notes)


@builder("24")
def build_long_waits(ctx: BuildContext) -> AppendixTable:
    """Table 24: persons ready for settlement who have waited more than 12, 24 and 36 months.

    Population: persons waiting on the status date in reception or in the country of selection
    (``mottak``, ``overforingsflyktning``). Count: persons whose status date is later than
    ``permit_date`` plus 12 (24, 36) calendar months; the groups are cumulative (more than 24
    is part of more than 12). Share: of all persons waiting in the same case type and person
    category (``base``). Breakdown: case type × person category, each with "I alt".
    Reference date: the status date.
    """
    dims = ["category", "household_type"]
    waiting = waiting_in(ctx, ctx.year)
    status_date = pd.Series(ctx.window()[1], index=waiting.index)
    flags = {
        f"over_{months}": over_months(waiting["permit_date"], status_date, months) for months, _ in LONG_WAITS
    }
    rows = compact(waiting.assign(**flags), dims, sums=list(flags))
    rows = rows.assign(
        category=labelled(rows["category"], "settlement_categories"),
        household_type=labelled(rows["household_type"], "household_types"),
    )
    order = {
        "category": labels("settlement_categories", WAITING_CATEGORIES),
        "household_type": labels("household_types", HOUSEHOLDS),
    }
    parts = [
        rates_of(rows, dims, order, f"over_{months}", MEASURE_SHARE).assign(waiting_time=label)
        for months, label in LONG_WAITS
    ]
    notes = [
        "Ventet mer enn 12 måneder: statusdato er senere enn samme dato tolv måneder etter oppholdsvedtaket. "
        "Gruppene er kumulative: de som har ventet mer enn 24 måneder, er også med i «mer enn 12 måneder».",
        "Andel: av alle bosettingsklare som venter i samme sakstype og personkategori.",
    ]
    return settlement_table(ctx, pd.concat(parts, ignore_index=True), ["waiting_time", *dims], notes)


@builder("25", "26")
def build_culture_orientation(ctx: BuildContext) -> AppendixTable:
    """Tables 25 and 26: resettlement refugees and the culture orientation programme.

    Table 25 — population: resettlement refugees (``overforingsflyktning``) settled in the
    period (1 January to the status date). Count and share of those who received the culture
    orientation programme (``culture_orientation`` = ``mottatt``), of those who did not
    (``annen_informasjon``, ``ingen``) and of those with no information (Uoppgitt); the base
    is all of them ("I alt").
    Table 26 — population: the same refugees who did not receive the programme
    (``annen_informasjon`` or ``ingen``). Count and share of those who received other relevant
    information instead, and of those who received neither. Reference date: the status date.
    """
    dims = ["culture_orientation"]
    codes_to_labels = ORIENTATION_LABELS[ctx.key]
    rows = compact(settled_in(ctx, ctx.year, (RESETTLEMENT,)), dims)
    codes = rows["culture_orientation"].astype("object")
    if ctx.key == "26":
        rows, codes = rows[codes.isin(list(codes_to_labels))], codes[codes.isin(list(codes_to_labels))]
    rows = rows.assign(culture_orientation=codes.map(codes_to_labels))
    shown = list(dict.fromkeys(codes_to_labels.values()))
    order = {"culture_orientation": shown + ([UNKNOWN] if ctx.key == "25" else [])}
    if ctx.key == "25":
        note = "Andel: av alle overføringsflyktninger bosatt i perioden."
    else:
        note = (
            "Overføringsflyktninger bosatt i perioden som ikke fikk kulturorienteringsprogram. Andel: av disse. "
            "Personer uten opplysning om kulturorientering er ikke med."
        )
    cells = count_cells(rows, dims, order, weight="n")
    return settlement_table(
        ctx, share_of_total(cells, dims, over="culture_orientation", measure=MEASURE_SHARE), dims, [note]
    )


__all__ = [
    "band_index",
    "build_culture_orientation",
    "build_limited_permit",
    "build_long_waits",
    "build_mean_waiting_time",
    "build_requests_and_decisions",
    "build_settled_by_county",
    "build_settled_by_group",
    "build_settled_within",
    "build_waiting",
    "build_waiting_by_time",
    "compact",
    "decision_items",
    "prepare_extract",
    "settled_between",
    "waiting_on",
]
