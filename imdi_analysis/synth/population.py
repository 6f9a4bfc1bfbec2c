"""The synthetic population that the person-level extracts share.

Persons are generated in yearly cohorts, each from its own random stream, so that a year's
extract does not depend on which other years are generated. A person keeps one id across
years and sources, and one life course from which every extract is a view:

residence permit -> ready for settlement -> settled in a municipality (IMDi) ->
introduction programme spells and Norwegian training, which start after settlement.

Streams (the digit after the cohort year in the person number):

1. ``refugees``: persons ready for settlement (the ``settlement`` extract), in households;
   cohort = year of the residence permit.
2. ``other_target_group``: persons in the introduction-programme target group who were not
   settled by IMDi (e.g. family reunified arriving directly in a municipality).
3. ``training_only``: persons with right or duty to Norwegian training only (family
   immigrants to Norwegian residents, labour immigrants from outside the EEA).
4. ``asylum_only``: asylum seekers in reception centres who are never settled (refused,
   left, or still waiting).

A cohort can be active for at most :data:`LOOKBACK_YEARS` years after its cohort year (long
waits, programme spells and training windows are capped to make this true).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from imdi_analysis.synth._common import (
    DAYS_PER_YEAR,
    FLAT_MONTHS,
    NO_DATE,
    draw_codes,
    draw_days_in_year,
    lognormal_with_mean,
    month_of,
    months_to_days,
    rng_for,
    scaled,
    year_of,
    year_start,
)
from imdi_analysis.synth.reference import Geography, require_codes

LOOKBACK_YEARS = 9

# Refugees settled per year (IMDi; docs REFERENCE.md for 2015–2018, 2021–2023 and the brief's
# "about 5 000" for 2019 and "3 600" for 2020). Other years are approximations used only as
# burn-in or for years outside the documented range.
SETTLED_PER_YEAR = {
    2010: 5_300, 2011: 5_600, 2012: 5_900, 2013: 5_900, 2014: 6_800, 2015: 11_342,
    2016: 15_291, 2017: 11_078, 2018: 4_903, 2019: 5_000, 2020: 3_600, 2021: 4_489,
    2022: 35_000, 2023: 33_000, 2024: 25_000, 2025: 15_000,
}  # fmt: skip
# Persons entering the introduction target group without IMDi settlement (assumption, tuned so
# that participants during the year are about 25 000–30 000 in 2019–2021).
OTHER_TARGET_GROUP_PER_YEAR = {
    2010: 4_000, 2015: 4_500, 2016: 5_000, 2017: 5_000, 2018: 6_000, 2019: 7_000,
    2020: 6_500, 2021: 7_000, 2022: 6_000, 2023: 6_000, 2025: 5_000,
}  # fmt: skip
# Persons with right or duty to Norwegian training only (assumption, tuned to about 30 000
# persons in the training target group a year, two thirds women).
TRAINING_ONLY_PER_YEAR = {
    2010: 3_500,
    2016: 3_500,
    2019: 3_000,
    2020: 2_200,
    2021: 2_500,
    2022: 3_000,
    2025: 3_500,
}
# Asylum seekers in reception who are never settled, by arrival year (assumption).
ASYLUM_ONLY_PER_YEAR = {
    2010: 3_000, 2015: 9_000, 2016: 3_000, 2017: 1_500, 2018: 1_200, 2019: 1_200,
    2020: 800, 2021: 1_000, 2022: 2_500, 2023: 3_000, 2025: 2_000,
}  # fmt: skip
# Mean months from residence permit to settlement for former asylum seekers (REFERENCE.md:
# 2015 8.4, 2016 4.8, 2018 4.9; autumn 2022 about 1.5; other years interpolated/assumed).
MEAN_WAIT_MONTHS = {
    2010: 6.5, 2014: 7.0, 2015: 8.4, 2016: 4.8, 2017: 5.0, 2018: 4.9, 2019: 5.0, 2020: 5.5,
    2021: 5.0, 2022: 1.5, 2023: 1.8, 2024: 2.5, 2025: 3.0,
}  # fmt: skip
MEAN_WAIT_MONTHS_2022_BY_MONTH = (4.5, 4.5, 2.4, 2.2, 2.0, 1.8, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5)
WAIT_SIGMA = 0.75
# Former asylum seekers wait longer than resettlement refugees and family members, whose waits
# are drawn separately; this factor keeps the overall mean near the published one.
ASYLUM_WAIT_FACTOR = 1.2
FAST_SETTLEMENT_FROM = 2022
LONG_WAIT_MONTHS = (12.0, 40.0)
UKRAINIAN_SHARE = {2022: 0.88, 2023: 0.82, 2024: 0.78, 2025: 0.7}

PERMIT_MONTH_WEIGHTS = {2022: (0.3, 0.3, 1.6, 1.6, 1.3, 1.1, 1.0, 1.0, 1.0, 1.0, 1.0, 0.9)}

SEXES = ("M", "K")
CATEGORIES = ("mottak", "overforingsflyktning", "privatboende", "familiegjenforent")
MOTTAK, OVERFORING, PRIVAT, FAMILIE = range(4)
HOUSEHOLD_TYPES = ("voksen", "barnefamilie", "enslig_mindreaarig")
VOKSEN, BARNEFAMILIE, ENSLIG = range(3)
CULTURE_ORIENTATION = ("mottatt", "annen_informasjon", "ingen")
NATIONALITY_WEIGHTS = {
    "early": {"SYR": 45, "ERI": 15, "AFG": 8, "SOM": 5, "IRQ": 4, "IRN": 3, "SDN": 3, "ETH": 3, "COD": 4,
              "PSE": 2, "XXX": 3, "MMR": 1, "SSD": 1, "YEM": 1, "TUR": 1, "LBY": 1, "RUS": 0.5,
              "PAK": 0.5, "LKA": 0.5, "BDI": 0.5},
    "late": {"SYR": 40, "COD": 12, "ERI": 10, "AFG": 10, "SDN": 5, "SOM": 3, "IRN": 3, "IRQ": 3,
             "SSD": 3, "XXX": 3, "TUR": 2, "YEM": 2, "PSE": 1, "ETH": 1, "MMR": 1, "LBY": 0.5,
             "RUS": 0.5, "BDI": 0.5, "VEN": 0.5},
    "afghan_evacuation": {"AFG": 35, "SYR": 30, "COD": 10, "ERI": 8, "SDN": 3, "SOM": 2, "IRN": 2,
                          "IRQ": 2, "SSD": 2, "XXX": 2, "TUR": 2, "YEM": 1, "PSE": 1},
}  # fmt: skip
UKRAINE = "UKR"
# Household types by share of households: ordinary refugees, Ukrainians.
HOUSEHOLD_TYPE_P = {"other": (0.65, 0.29, 0.06), "ukr": (0.5, 0.495, 0.005)}
CATEGORY_P = {
    "other": (0.30, 0.45, 0.07, 0.18),
    "other_2020": (0.38, 0.32, 0.09, 0.21),
    "ukr": (0.55, 0.0, 0.37, 0.08),
    "enslig": (0.85, 0.15, 0.0, 0.0),
}
INTRO_PARTICIPATION = {"other": 0.9, "ukr": 0.72}
INTRO_AGES = (18, 55)
TRAINING_AGES = (16, 67)
TRAINING_WINDOW_DAYS = 3 * 365
MAX_SPELL_SPAN_DAYS = 4 * 365


def volume(table: dict[int, int], year: int) -> int:
    """Value for ``year``, interpolated linearly between the nearest listed years."""
    years = sorted(table)
    return round(float(np.interp(year, years, [table[y] for y in years])))


def mean_wait(table: dict[int, float], year: int) -> float:
    """Mean waiting months for permits granted in ``year`` (interpolated)."""
    years = sorted(table)
    return float(np.interp(year, years, [table[y] for y in years]))


def person_numbers(cohort: int, stream: int, n: int) -> np.ndarray:
    """Stable person numbers: cohort year, stream digit, running number."""
    return cohort * 1_000_000_000 + stream * 100_000_000 + np.arange(n, dtype=np.int64)


# ---------------------------------------------------------------------------------------------
# Stream 1: refugees ready for settlement, in households


def draw_household_sizes(
    rng: np.random.Generator, types: np.ndarray, ukr: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Number of adults and of children of each household."""
    h = types.size
    couple = rng.random(h) < np.where(ukr, 0.35, 0.65)
    adults = np.where(
        types == BARNEFAMILIE, 1 + couple, np.where(types == VOKSEN, 1 + (rng.random(h) < 0.15), 0)
    )
    children = np.where(
        types == BARNEFAMILIE,
        1 + rng.poisson(np.where(ukr, 0.5, 1.0)),
        np.where(types == ENSLIG, 1, 0),
    )
    return adults.astype(np.int32), children.astype(np.int32)


def draw_households(rng: np.random.Generator, n_persons: int, ukr_share: float) -> pd.DataFrame:
    """Households whose sizes sum to exactly ``n_persons`` (the last one may lose members)."""
    h = n_persons  # every household has at least one member, so this is always enough
    ukr = rng.random(h) < ukr_share
    types = np.where(
        ukr,
        rng.choice(3, size=h, p=HOUSEHOLD_TYPE_P["ukr"]),
        rng.choice(3, size=h, p=HOUSEHOLD_TYPE_P["other"]),
    ).astype(np.int8)
    adults, children = draw_household_sizes(rng, types, ukr)
    keep = int(np.searchsorted(np.cumsum(adults + children), n_persons) + 1)
    frame = pd.DataFrame({"ukr": ukr, "type": types, "adults": adults, "children": children}).iloc[:keep]
    excess = int((frame["adults"] + frame["children"]).sum()) - n_persons
    last = keep - 1
    cut_children = min(excess, int(frame.at[last, "children"]))
    frame.at[last, "children"] -= cut_children
    frame.at[last, "adults"] -= excess - cut_children
    return frame.reset_index(drop=True)


def draw_household_timeline(rng: np.random.Generator, households: pd.DataFrame, cohort: int) -> None:
    """Add category, permit, ready and settlement days, long waits and identity limits."""
    h = len(households)
    ukr = households["ukr"].to_numpy()
    types = households["type"].to_numpy()
    other_key = "other_2020" if cohort == 2020 else "other"
    category = np.where(
        ukr,
        rng.choice(4, size=h, p=CATEGORY_P["ukr"]),
        np.where(
            types == ENSLIG,
            rng.choice(4, size=h, p=CATEGORY_P["enslig"]),
            rng.choice(4, size=h, p=CATEGORY_P[other_key]),
        ),
    ).astype(np.int8)
    weights = PERMIT_MONTH_WEIGHTS.get(cohort, FLAT_MONTHS)
    permit = np.where(
        ukr, draw_days_in_year(rng, h, cohort, weights), draw_days_in_year(rng, h, cohort, FLAT_MONTHS)
    )
    mean = np.full(h, mean_wait(MEAN_WAIT_MONTHS, cohort))
    if cohort == 2022:
        mean = np.array(MEAN_WAIT_MONTHS_2022_BY_MONTH)[month_of(permit)]
    fast = cohort >= FAST_SETTLEMENT_FROM  # the 2022 emergency: every category settled faster
    wait = lognormal_with_mean(rng, mean * (1.0 if fast else ASYLUM_WAIT_FACTOR), WAIT_SIGMA, h)
    wait = np.where(category == OVERFORING, rng.uniform(*(1.0, 3.0) if fast else (1.5, 7.0), h), wait)
    wait = np.where(category == FAMILIE, rng.uniform(*(0.3, 2.0) if fast else (0.5, 4.0), h), wait)
    long_share = np.where(ukr, 0.004, 0.03) * ((category == MOTTAK) | (category == PRIVAT))
    long_wait = rng.random(h) < long_share
    wait = np.where(long_wait, rng.uniform(*LONG_WAIT_MONTHS, h), np.clip(wait, 0.1, 11.5))
    limited = np.where(long_wait, rng.random(h) < 0.65, rng.random(h) < 0.01)
    wait_days = np.maximum(1, months_to_days(wait))
    delay = np.where(
        category == MOTTAK,
        rng.geometric(0.1, h) - 1,
        np.where(category == PRIVAT, rng.geometric(0.15, h) - 1, 0),
    )
    households["category"] = category
    households["permit"] = permit.astype(np.int32)
    households["ready"] = (permit + np.minimum(delay, wait_days - 1)).astype(np.int32)
    households["settled"] = (permit + wait_days).astype(np.int32)
    households["limited_identity"] = limited
    households["long_wait"] = long_wait
    households["self_settled"] = rng.random(h) < np.where(ukr, 0.14, 0.03) * (category != OVERFORING)
    households["culture"] = np.where(
        category == OVERFORING, rng.choice(3, size=h, p=(0.7, 0.2, 0.1)), -1
    ).astype(np.int8)
    stay = months_to_days(lognormal_with_mean(rng, np.where(ukr, 1.0, 7.0), 0.6, h))
    households["arrival"] = np.where(
        category == MOTTAK, households["ready"].to_numpy() - stay, NO_DATE
    ).astype(np.int32)


def draw_nationality(
    rng: np.random.Generator, ukr: np.ndarray, cohort: int, nationalities: tuple[str, ...]
) -> np.ndarray:
    """Citizenship of each household (Ukrainians from 2022; otherwise by period)."""
    era = "early" if cohort <= 2017 else ("afghan_evacuation" if cohort == 2021 else "late")
    other = draw_codes(rng, ukr.size, NATIONALITY_WEIGHTS[era], nationalities)
    return np.where(ukr, nationalities.index(UKRAINE), other).astype(np.int16)


def expand_members(rng: np.random.Generator, households: pd.DataFrame) -> pd.DataFrame:
    """One row per person: household attributes repeated, then sex and birth year by role."""
    adults = households["adults"].to_numpy()
    sizes = adults + households["children"].to_numpy()
    hh = np.repeat(np.arange(len(households)), sizes)
    first = np.cumsum(sizes) - sizes
    position = np.arange(hh.size) - first[hh]
    persons = households.iloc[hh].reset_index(drop=True)
    n = hh.size
    ukr = persons["ukr"].to_numpy()
    types = persons["type"].to_numpy()
    is_adult = position < adults[hh]
    adult_age = np.clip(np.round(rng.normal(np.where(ukr, 36, 31), 10, n)), 18, 78)
    child_age = rng.integers(0, 18, n)
    minor_age = rng.choice(np.arange(10, 18), size=n, p=(0.03, 0.04, 0.06, 0.08, 0.1, 0.19, 0.25, 0.25))
    age = np.where(types == ENSLIG, minor_age, np.where(is_adult, adult_age, child_age)).astype(np.int32)
    single_parent = (types == BARNEFAMILIE) & (adults[hh] == 1)
    p_woman = np.select(
        [types == ENSLIG, ~is_adult, single_parent, types == BARNEFAMILIE],
        [0.15, 0.49, np.where(ukr, 0.92, 0.78), position.astype(float)],  # couples: adult 0 man, 1 woman
        default=np.where(ukr, 0.55, 0.35),
    )
    persons["sex"] = (rng.random(n) < p_woman).astype(np.int8)
    persons["birth_year"] = (year_of(persons["permit"].to_numpy()) - age).astype(np.int32)
    persons["age_at_settlement"] = (
        year_of(persons["settled"].to_numpy()) - persons["birth_year"].to_numpy()
    ).astype(np.int16)
    persons["bufetat"] = (types == ENSLIG) & (persons["age_at_settlement"].to_numpy() < 15)
    return persons.drop(columns=["adults", "children", "long_wait"])


def generate_refugees(seed: int, scale: float, cohort: int, geography: Geography) -> pd.DataFrame:
    """Persons of the ``refugees`` stream whose residence permit is in ``cohort``."""
    rng = rng_for(seed, cohort, "population/refugees")
    nationalities = require_codes("nationalities", [UKRAINE, *NATIONALITY_WEIGHTS["late"]])
    n = scaled(volume(SETTLED_PER_YEAR, cohort), scale)
    households = draw_households(rng, n, UKRAINIAN_SHARE.get(cohort, 0.0))
    draw_household_timeline(rng, households, cohort)
    households["nationality"] = draw_nationality(rng, households["ukr"].to_numpy(), cohort, nationalities)
    households["municipality"] = geography.draw(rng, households["settled"].to_numpy(), power=0.9)
    households["host"] = geography.draw(rng, np.maximum(households["arrival"].to_numpy(), 0), power=0.5)
    persons = expand_members(rng, households)
    persons["person"] = person_numbers(cohort, 1, len(persons))
    age = persons["age_at_settlement"].to_numpy()
    persons["intro_target"] = (
        (age >= INTRO_AGES[0]) & (age <= INTRO_AGES[1]) & (persons["type"].to_numpy() != ENSLIG)
    )
    persons["training_target"] = (age >= TRAINING_AGES[0]) & (age <= TRAINING_AGES[1])
    persons["target_date"] = persons["settled"].to_numpy()
    persons["intro_right"] = np.int8(0)  # rett_og_plikt: refugees and family reunified with them
    return persons


# ---------------------------------------------------------------------------------------------
# Streams 2–4: persons outside IMDi settlement


def draw_adults(
    rng: np.random.Generator, n: int, cohort: int, p_woman: float, ages: tuple[int, int], mean_age: float
) -> pd.DataFrame:
    """Adults with sex, birth year and an entry day in ``cohort``."""
    entry = draw_days_in_year(rng, n, cohort, FLAT_MONTHS)
    age = np.clip(np.round(rng.normal(mean_age, 9, n)), *ages).astype(np.int32)
    return pd.DataFrame(
        {
            "sex": (rng.random(n) < p_woman).astype(np.int8),
            "birth_year": (cohort - age).astype(np.int32),
            "entry": entry,
        }
    )


def generate_other_target_group(seed: int, scale: float, cohort: int, geography: Geography) -> pd.DataFrame:
    """Persons entering the introduction target group in ``cohort`` without IMDi settlement."""
    rng = rng_for(seed, cohort, "population/other_target_group")
    n = scaled(volume(OTHER_TARGET_GROUP_PER_YEAR, cohort), scale)
    persons = draw_adults(rng, n, cohort, 0.68, (18, 55), 31)
    persons["person"] = person_numbers(cohort, 2, n)
    persons["municipality"] = geography.draw(rng, persons["entry"].to_numpy(), power=1.0)
    persons["target_date"] = persons["entry"]
    persons["intro_right"] = rng.choice(3, size=n, p=(0.8, 0.12, 0.08)).astype(np.int8)
    persons["ukr"] = False
    persons["intro_target"] = True
    persons["training_target"] = True
    persons["category"] = np.int8(-1)
    return persons


def generate_training_only(seed: int, scale: float, cohort: int, geography: Geography) -> pd.DataFrame:
    """Persons entering the Norwegian-training target group only, in ``cohort``."""
    rng = rng_for(seed, cohort, "population/training_only")
    n = scaled(volume(TRAINING_ONLY_PER_YEAR, cohort), scale)
    persons = draw_adults(rng, n, cohort, 0.9, (16, 67), 32)
    persons["person"] = person_numbers(cohort, 3, n)
    persons["municipality"] = geography.draw(rng, persons["entry"].to_numpy(), power=1.0)
    persons["target_date"] = persons["entry"]
    persons["ukr"] = False
    return persons


def generate_asylum_only(seed: int, scale: float, cohort: int, geography: Geography) -> pd.DataFrame:
    """Asylum seekers arriving at a reception centre in ``cohort`` who are never settled."""
    rng = rng_for(seed, cohort, "population/asylum_only")
    n = scaled(volume(ASYLUM_ONLY_PER_YEAR, cohort), scale)
    adult = rng.random(n) < 0.8
    persons = draw_adults(rng, n, cohort, 0.3, (18, 70), 29)
    child_birth_year = cohort - rng.integers(0, 18, n)
    persons["birth_year"] = np.where(adult, persons["birth_year"].to_numpy(), child_birth_year).astype(
        np.int32
    )
    persons["person"] = person_numbers(cohort, 4, n)
    persons["arrival"] = persons["entry"]
    stay = rng.uniform(3, 24, n)
    persons["departure"] = (persons["entry"].to_numpy() + months_to_days(stay)).astype(np.int32)
    persons["host"] = geography.draw(rng, persons["entry"].to_numpy(), power=0.5)
    persons["ukr"] = False
    return persons


# ---------------------------------------------------------------------------------------------
# Introduction programme spells


SPELL_END_REASONS = (
    "fullfort",
    "overgang_arbeid_utdanning",
    "flyttet",
    "stans",
    "eget_onske",
    "sykdom",
    "annet",
)
SPELL_END_REASON_P = (0.45, 0.22, 0.08, 0.05, 0.08, 0.07, 0.05)
EXIT_STATUSES = ("arbeid", "utdanning", "arbeid_og_utdanning", "annet", "ukjent")
# P(status | end reason group, sex) with sex 0 = M, 1 = K.
EXIT_STATUS_P = {
    ("fullfort", 0): (0.24, 0.36, 0.07, 0.28, 0.05),
    ("fullfort", 1): (0.13, 0.33, 0.04, 0.44, 0.06),
    ("overgang", 0): (0.50, 0.36, 0.14, 0.0, 0.0),
    ("overgang", 1): (0.38, 0.50, 0.12, 0.0, 0.0),
    ("other", 0): (0.06, 0.05, 0.01, 0.68, 0.20),
    ("other", 1): (0.04, 0.05, 0.01, 0.70, 0.20),
}


def draw_spell_outcomes(
    rng: np.random.Generator, sex: np.ndarray, duration: np.ndarray
) -> dict[str, np.ndarray]:
    """End reason, status at exit and formal qualification of each spell."""
    n = sex.size
    reason = rng.choice(len(SPELL_END_REASONS), size=n, p=SPELL_END_REASON_P).astype(np.int8)
    group = np.where(reason == 0, "fullfort", np.where(reason == 1, "overgang", "other"))
    status = np.zeros(n, dtype=np.int8)
    for (name, s), p in EXIT_STATUS_P.items():
        where = np.flatnonzero((group == name) & (sex == s))
        status[where] = rng.choice(len(EXIT_STATUSES), size=where.size, p=p)
    qualified = rng.random(n) < np.where(duration > DAYS_PER_YEAR, 0.24, 0.06)
    return {"end_reason": reason, "status": status, "formal_qualification": qualified}


def draw_intro_spells(rng: np.random.Generator, persons: pd.DataFrame) -> pd.DataFrame:
    """Programme spells of the persons in the target group who start the programme.

    The first spell starts 0–6 months after the target-group date (settlement for settled
    refugees); it lasts 3 months to 3 years (Ukrainians with temporary collective protection
    mostly under a year). A few leave and re-enter for a second spell.
    """
    target = persons["intro_target"].to_numpy()
    ukr = persons["ukr"].to_numpy()
    takes_part = target & (
        rng.random(len(persons)) < np.where(ukr, INTRO_PARTICIPATION["ukr"], INTRO_PARTICIPATION["other"])
    )
    who = np.flatnonzero(takes_part)
    m = who.size
    delay = np.minimum(180, rng.exponential(45, m)).astype(np.int32)
    start = persons["target_date"].to_numpy()[who] + delay
    kind = rng.random(m)
    years = np.where(
        ukr[who],
        rng.uniform(0.25, 1.1, m),
        np.where(
            kind < 0.15,
            rng.uniform(0.25, 1.0, m),
            np.where(kind < 0.6, rng.uniform(1.3, 2.2, m), rng.uniform(2.3, 3.0, m)),
        ),
    )
    duration = np.maximum(30, np.round(years * DAYS_PER_YEAR)).astype(np.int32)
    sex = persons["sex"].to_numpy()[who]
    first = pd.DataFrame(
        {"row": who, "start": start.astype(np.int32), "end": (start + duration).astype(np.int32)}
    )
    first = first.assign(**draw_spell_outcomes(rng, sex, duration), spell=np.int8(1))
    reentry = (first["end_reason"].isin([4, 5, 3]).to_numpy()) & (rng.random(m) < 0.4)
    second = first[reentry].copy()
    gap = rng.integers(30, 180, int(reentry.sum()))
    second["start"] = (second["end"].to_numpy() + gap).astype(np.int32)
    limit = first["start"].to_numpy()[reentry] + MAX_SPELL_SPAN_DAYS
    second_years = rng.uniform(0.3, 1.5, second.shape[0])
    second["end"] = np.minimum(
        limit, second["start"].to_numpy() + np.round(second_years * DAYS_PER_YEAR)
    ).astype(np.int32)
    second = second[second["end"] > second["start"]]
    second_sex = persons["sex"].to_numpy()[second["row"].to_numpy()]
    second_duration = (second["end"] - second["start"]).to_numpy()
    second = second.assign(**draw_spell_outcomes(rng, second_sex, second_duration), spell=np.int8(2))
    spells = pd.concat([first, second], ignore_index=True)
    return spells.sort_values(["row", "spell"], kind="stable").reset_index(drop=True)


Builder = Callable[["Universe", int], pd.DataFrame]
UNTIL = "until"


@dataclass(frozen=True)
class Derived:
    """A per-cohort frame a source derives from a base stream (``base=None``: from nothing).

    Its ``until`` column holds the last day a row can appear in an extract, so that rows no
    later year needs are dropped as the years advance.
    """

    base: str | None
    build: Builder


DERIVED: dict[str, Derived] = {}


def register(stream: str, base: str | None, build: Builder) -> None:
    """Declare a derived stream (done by the source modules when imported)."""
    DERIVED[stream] = Derived(base, build)


@dataclass
class Universe:
    """Cohorts of every stream, generated on demand and kept only while they can still appear.

    Base streams are the persons of the four streams above. Sources read *derived* streams
    (:func:`register`), seeded per cohort so that a person's course is the same in every
    year's extract. A base cohort is dropped as soon as every derived stream of it is built,
    and :meth:`advance` drops derived rows that no later year can show, which keeps memory
    proportional to the persons still active.
    """

    seed: int
    scale: float
    geography: Geography
    cache: dict[tuple[str, int], pd.DataFrame] = field(default_factory=dict)

    def get(self, stream: str, cohort: int) -> pd.DataFrame:
        """The frame of ``stream`` in ``cohort``, built once."""
        key = (stream, cohort)
        if key in self.cache:
            return self.cache[key]
        if stream in BASE_STREAMS:
            frame = BASE_STREAMS[stream](self, cohort)
        else:
            derived = DERIVED[stream]
            frame = derived.build(self, cohort)
            if UNTIL not in frame:
                raise KeyError(f"Derived stream {stream!r} lacks the {UNTIL!r} column.")
        self.cache[key] = frame
        if stream in DERIVED and DERIVED[stream].base is not None:
            self.release(DERIVED[stream].base, cohort)
        return frame

    def release(self, base: str, cohort: int) -> None:
        """Drop a base cohort once every stream derived from it is built."""
        built = all((name, cohort) in self.cache for name, d in DERIVED.items() if d.base == base)
        if built:
            self.cache.pop((base, cohort), None)

    def rng(self, stream: str, cohort: int) -> np.random.Generator:
        """Random generator of a derived stream of one cohort."""
        return rng_for(self.seed, cohort, stream)

    def cohorts(self, year: int) -> range:
        """Cohorts that can be active in ``year``."""
        return range(year - LOOKBACK_YEARS, year + 1)

    def advance(self, year: int) -> None:
        """After ``year`` is written: drop cohorts and derived rows that later years cannot show."""
        first = year_start(year + 1)
        for key in list(self.cache):
            if key[0] in BASE_STREAMS:
                if key[1] < year + 1 - LOOKBACK_YEARS:
                    del self.cache[key]
                continue
            frame = self.cache[key]
            keep = frame[UNTIL].to_numpy() >= first
            if not keep.all():
                self.cache[key] = frame[keep].reset_index(drop=True)


BASE_STREAMS: dict[str, Builder] = {
    "refugees": lambda u, c: generate_refugees(u.seed, u.scale, c, u.geography),
    "other_target_group": lambda u, c: generate_other_target_group(u.seed, u.scale, c, u.geography),
    "training_only": lambda u, c: generate_training_only(u.seed, u.scale, c, u.geography),
    "asylum_only": lambda u, c: generate_asylum_only(u.seed, u.scale, c, u.geography),
}
