"""``ssb/table10809.json``: a synthetic Statistics Norway table 10809 (JSON-stat2) for SP 7b.

Table 10809 counts former introduction-programme participants by their status on the labour
market in November of the year after they left, by sex and age. The synthetic table is derived
from the synthetic register, so the two agree:

* cohort of status year ``t``: the distinct persons with a spell whose ``programme_end`` falls in
  ``t − 1`` in the ``intro_participants`` extract of ``t − 1`` (a person who left twice that year
  counts once, with the status at exit of the last spell);
* sex from the register (``M`` → Menn, ``K`` → Kvinner); age is ``t − 1 − birth_year``, in the
  groups 18-29, 30-39 and 40-55 år (ages outside 18–55 go to the nearest group, so the groups
  always add up to the 18-55 total);
* status in November of ``t``: drawn per person with :data:`NOVEMBER_STATUS_P` given the status at
  exit and sex, from the random stream ``(seed, t, "ssb_10809")`` in person order; the status
  dimension is laid out as Statistics Norway publishes it (:data:`STATUS_CATEGORIES`): the total
  "Arbeidssituasjon i alt" and the subtotals "…, i alt" beside the detailed statuses, each equal
  to the sum of its parts, so the default book exercises the reader's total detection
  (:func:`imdi_analysis.sources.jsonstat.category_hierarchy`).

Status years are the generated years whose previous year was generated too. Every cell is a
count; "Begge kjønn" = Menn + Kvinner and "18-55 år" = the sum of the age groups. No cell is
suppressed (the book's disclosure control hides small figures). The dataset's ``source`` and
``note`` say the numbers are synthetic; :func:`imdi_analysis.indicators.ssb.table_is_synthetic`
recognises them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from imdi_analysis.synth._common import rng_for
from imdi_analysis.synth.context import YearContext
from imdi_analysis.synth.intro_participants import rows_in_year
from imdi_analysis.synth.population import EXIT_STATUSES, SEXES
from imdi_analysis.tabular import write_atomic

SOURCE = "ssb_10809"
# Where imdi_analysis.indicators.ssb.table_path looks first: <register folder>/ssb/table10809.json.
SSB_FOLDER = "ssb"
TABLE_FILE = "table10809.json"
LABEL = (
    "10809: Tidligere deltakere i introduksjonsordningen, etter status på arbeidsmarkedet i november "
    "året etter avgang, kjønn, alder, statistikkvariabel og år (syntetiske tall)"
)
SOURCE_TEXT = "Syntetiske data (imdi-analysis), etter strukturen i SSB-tabell 10809"
NOTE = (
    "Syntetiske tall generert av imdi-analysis. Ikke SSBs publiserte tall.",
    "Avgangskullet er personene som avsluttet introduksjonsprogrammet året før statusåret i de syntetiske "
    "registeruttrekkene (intro_participants); statusen i november er trukket med fast frø.",
)
SEX_CATEGORIES = {"0": "Begge kjønn", "1": "Menn", "2": "Kvinner"}  # codes 1, 2 follow SEXES (M, K)
AGE_CATEGORIES = {"18-55": "18-55 år", "18-29": "18-29 år", "30-39": "30-39 år", "40-55": "40-55 år"}
AGE_GROUP_FLOORS = (30, 40)  # below 30 → 18-29; 30–39 → 30-39; from 40 → 40-55
# Statistics Norway's layout: the all-status total and three subtotals listed beside the
# detailed statuses, each subtotal followed by its parts (labels as SSB publishes them, see
# tests/fixtures/ssb/README.md). "Annen eller ukjent status, i alt" is written without parts.
STATUS_CATEGORIES = {
    "00": "Arbeidssituasjon i alt",
    "01": "Sysselsatt og / eller under utdanning, i alt",
    "011": "Sysselsatt",
    "012": "Sysselsatt og under utdanning",
    "013": "Under utdanning",
    "02": "Registrert arbeidsledig og/eller på tiltak, i alt",
    "021": "Registrert helt arbeidsledig",
    "022": "Andre arbeidssøkende, på tiltak",
    "03": "Annen eller ukjent status, i alt",
}
# The drawn statuses (columns of NOVEMBER_STATUS_P) as detailed categories; drawn status 3
# (unemployed or on a measure) is split into 021 / 022 by where the person's uniform falls in
# its interval: the first UNEMPLOYED_SHARE of it is 021 (SSB 2017: 257 of 482 ≈ 0.53).
DRAWN_STATUSES = ("011", "012", "013", "02", "03")
UNEMPLOYED_SPLIT = ("021", "022")
UNEMPLOYED_SHARE = 0.53
SUBTOTALS = {"01": ("011", "012", "013"), "02": UNEMPLOYED_SPLIT}
ALL_STATUSES = "00"
CONTENTS = {"Personer": "Personer"}
# P(November status | status at exit, sex) over DRAWN_STATUSES, sex 0 = M, 1 = K. Chosen so that, with the
# generator's mix of exit statuses, about 71 % of men, 56 % of women and 63 % in all are in work
# or education (011–013): the public magnitudes in REFERENCE.md ("roughly 60–65 % overall, men
# about 70–75 %, women about 50–59 %", Statistics Norway table 10809). Not published figures.
NOVEMBER_STATUS_P = {
    ("arbeid", 0): (0.74, 0.08, 0.06, 0.06, 0.06),
    ("arbeid", 1): (0.70, 0.08, 0.06, 0.06, 0.10),
    ("utdanning", 0): (0.30, 0.14, 0.35, 0.09, 0.12),
    ("utdanning", 1): (0.24, 0.13, 0.40, 0.08, 0.15),
    ("arbeid_og_utdanning", 0): (0.40, 0.35, 0.12, 0.06, 0.07),
    ("arbeid_og_utdanning", 1): (0.36, 0.34, 0.15, 0.06, 0.09),
    ("annet", 0): (0.38, 0.06, 0.16, 0.20, 0.20),
    ("annet", 1): (0.18, 0.03, 0.14, 0.20, 0.45),
    ("ukjent", 0): (0.25, 0.03, 0.12, 0.15, 0.45),
    ("ukjent", 1): (0.14, 0.02, 0.09, 0.15, 0.60),
}
LEAVER_COLUMNS = ["person", "sex", "birth_year", "status"]


def leavers(ctx: YearContext) -> pd.DataFrame:
    """Persons who left the programme in ``ctx.year``: ``person``, ``sex``, ``birth_year``, ``status``.

    The rows are those of the year's ``intro_participants`` extract with a ``programme_end``;
    one row per person (the last spell ending in the year), ordered by person.
    """
    rows = rows_in_year(ctx)
    spell, end = rows["spell"].to_numpy(), rows["end"].to_numpy()
    ended = rows[(spell > 0) & (end >= ctx.start) & (end <= ctx.end)]
    last = ended.sort_values(["person", "end", "spell"], kind="stable").drop_duplicates("person", keep="last")
    return last[LEAVER_COLUMNS].reset_index(drop=True)


def status_years(years: Sequence[int]) -> list[int]:
    """Generated years whose previous year was generated too (their cohort is known)."""
    present = set(years)
    return sorted(y for y in present if y - 1 in present)


def write_table(out: Path, cohorts: dict[int, pd.DataFrame], seed: int) -> list[Path]:
    """Write ``<out>/ssb/table10809.json`` from the leavers of each year; return the path(s) written.

    ``cohorts`` maps a leaving year to :func:`leavers`. Without any status year (one year, or
    no two consecutive years) nothing is written and an earlier synthetic table is removed, so
    the folder never holds a table that describes other data.
    """
    path = out / SSB_FOLDER / TABLE_FILE
    years = status_years(cohorts)
    if not years:
        remove_stale_table(path)
        return []
    counts = np.stack([count_cohort(cohorts[t - 1], t, seed) for t in years], axis=-1)
    write_atomic(path, table_json(counts, years))
    return [path]


def count_cohort(cohort: pd.DataFrame, status_year: int, seed: int) -> np.ndarray:
    """Counts of one status year as an array (sex, age, status) with the totals filled in."""
    status = status_codes_index(*draw_november_status(cohort, status_year, seed))
    sex = cohort["sex"].to_numpy().astype(np.int64) + 1
    age = age_group(status_year - 1 - cohort["birth_year"].to_numpy().astype(np.int64)) + 1
    counts = np.zeros((len(SEX_CATEGORIES), len(AGE_CATEGORIES), len(STATUS_CATEGORIES)), dtype=np.int64)
    np.add.at(counts, (sex, age, status), 1)
    codes = list(STATUS_CATEGORIES)
    for subtotal, parts in SUBTOTALS.items():
        counts[:, :, codes.index(subtotal)] = counts[:, :, [codes.index(p) for p in parts]].sum(axis=-1)
    leaves = [codes.index(c) for c in codes if c != ALL_STATUSES and c not in SUBTOTALS]
    counts[:, :, codes.index(ALL_STATUSES)] = counts[:, :, leaves].sum(axis=-1)
    counts[:, 0, :] = counts[:, 1:, :].sum(axis=1)
    counts[0, :, :] = counts[1:, :, :].sum(axis=0)
    return counts


def status_codes_index(drawn: np.ndarray, within: np.ndarray) -> np.ndarray:
    """Position in :data:`STATUS_CATEGORIES` of each person's detailed status.

    ``drawn`` indexes :data:`DRAWN_STATUSES`; for the unemployed, ``within`` (the uniform's
    position inside the status interval, 0–1) picks ``021`` below :data:`UNEMPLOYED_SHARE`.
    """
    codes = list(STATUS_CATEGORIES)
    positions = np.array([codes.index(c) for c in DRAWN_STATUSES])[drawn]
    unemployed = drawn == DRAWN_STATUSES.index("02")
    split = np.where(
        within < UNEMPLOYED_SHARE, codes.index(UNEMPLOYED_SPLIT[0]), codes.index(UNEMPLOYED_SPLIT[1])
    )
    return np.where(unemployed, split, positions)


def draw_november_status(cohort: pd.DataFrame, status_year: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Index (0–4, :data:`DRAWN_STATUSES`) of each person's status in November of ``status_year``,
    given exit status and sex, and where in that status's probability interval the person's
    uniform fell (0–1; used only to split the unemployed)."""
    table = np.zeros((len(EXIT_STATUSES), len(SEXES), len(DRAWN_STATUSES)))
    for (exit_status, sex), p in NOVEMBER_STATUS_P.items():
        table[EXIT_STATUSES.index(exit_status), sex] = p
    cumulative = np.cumsum(table, axis=-1)
    cumulative[..., -1] = 1.0
    rows = cumulative[cohort["status"].to_numpy().astype(np.int64), cohort["sex"].to_numpy().astype(np.int64)]
    u = rng_for(seed, status_year, SOURCE).random(len(cohort))
    drawn = (u[:, None] >= rows).sum(axis=1)
    upper = np.take_along_axis(rows, drawn[:, None], axis=1)[:, 0]
    lower = np.where(
        drawn > 0, np.take_along_axis(rows, np.maximum(drawn - 1, 0)[:, None], axis=1)[:, 0], 0.0
    )
    width = np.where(upper > lower, upper - lower, 1.0)
    return drawn, (u - lower) / width


def age_group(age: np.ndarray) -> np.ndarray:
    """Age group index (0 = 18-29, 1 = 30-39, 2 = 40-55) of each age."""
    return np.searchsorted(np.asarray(AGE_GROUP_FLOORS), age, side="right")


def table_json(counts: np.ndarray, years: list[int]) -> str:
    """The JSON-stat2 document (dimensions Kjonn, Alder, Status, ContentsCode, Tid; row-major values)."""
    times = {str(y): str(y) for y in years}
    dimensions = {
        "Kjonn": ("kjønn", SEX_CATEGORIES),
        "Alder": ("alder", AGE_CATEGORIES),
        "Status": ("status på arbeidsmarkedet", STATUS_CATEGORIES),
        "ContentsCode": ("statistikkvariabel", CONTENTS),
        "Tid": ("år", times),
    }
    values = counts[:, :, :, None, :]  # add the single ContentsCode category before Tid
    document = {
        "version": "2.0",
        "class": "dataset",
        "label": LABEL,
        "source": SOURCE_TEXT,
        "note": list(NOTE),
        "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
        "id": list(dimensions),
        "size": list(values.shape),
        "dimension": {dim: dimension_json(label, cats) for dim, (label, cats) in dimensions.items()},
        "extension": {"px": {"tableid": "10809", "decimals": 0}, "synthetic": True},
        "value": [int(v) for v in values.ravel(order="C")],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def dimension_json(label: str, categories: dict[str, str]) -> dict:
    """One JSON-stat dimension: its label, category index (code → position) and labels."""
    category: dict = {"index": {code: i for i, code in enumerate(categories)}, "label": dict(categories)}
    if label == "statistikkvariabel":
        category["unit"] = {code: {"base": "personer", "decimals": 0} for code in categories}
    return {"label": label, "category": category}


def remove_stale_table(path: Path) -> None:
    """Delete a synthetic table left by an earlier run (never a file that is not marked synthetic)."""
    if path.is_file() and SOURCE_TEXT in path.read_text(encoding="utf-8", errors="replace"):
        path.unlink()
