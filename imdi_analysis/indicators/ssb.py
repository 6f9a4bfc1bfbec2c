"""SP 7b: in work or education one year after the introduction programme (Statistics Norway 10809).

Table 10809 gives former participants' status on the labour market in November of the year
after they left: employed; employed and in education; in education only; unemployed or on a
labour-market measure; other or unknown — by sex (and age). The year in the table is the
*status year*; the leavers' cohort is the year before. "In work or education" = employed +
employed and in education + in education only (see REFERENCE.md).

The response is read with :func:`imdi_analysis.sources.jsonstat.read_jsonstat` into a tidy
frame with a code column and a ``<dimension>_label`` column per dimension, ``value`` and
``status``. Dimensions are recognised by their labels (case-insensitive), so the function works
whatever Statistics Norway calls the status dimension:

* time: the dimension ``Tid``;
* sex: the dimension ``Kjonn`` (labels "Menn", "Kvinner"; the total is "Begge kjønn" / "I alt");
* status: the dimension whose labels mention "sysselsatt". Statistics Norway lists totals and
  subtotals ("Arbeidssituasjon i alt", "Sysselsatt og/eller under utdanning, i alt", …) beside
  the detailed statuses; :func:`~imdi_analysis.sources.jsonstat.category_hierarchy` recognises
  them by label and by checking that parts add up, and refuses ambiguous layouts. Among the
  detailed statuses (the leaves), one counts as work or education when its label mentions
  "sysselsatt" or "utdanning" — so the subtotal is used only when its parts are not in the
  table, never both;
* contents: ``ContentsCode``; the count of persons is used (a label with "person" or
  "antall"), never a percentage;
* any other dimension (age, region): its total category is used (recognised the same way); a
  dimension with several categories and no total is refused.

No interval is computed: the figures are a full count of all former participants (no sampling
error), and Statistics Norway may round or suppress cells.

The synthetic default data include a synthetic table with the same structure
(:mod:`imdi_analysis.synth.ssb_10809`); its ``source`` says so, and :func:`table_is_synthetic`
tells the pages to label it as synthetic rather than as Statistics Norway's figures.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from imdi_analysis import config
from imdi_analysis.errors import DataNotFoundError, DataValidationError
from imdi_analysis.indicators._common import (
    REASON_ZERO_DENOMINATOR,
    TOTAL,
    UNIT_SHARE,
    conform,
    finish_indicator,
    share_columns,
)
from imdi_analysis.sources.jsonstat import CategoryHierarchy, category_hierarchy

SOURCE_NAME = "ssb_10809"
TABLE_NAME = "SSB table 10809"
TABLE_FILE = "table10809.json"
SSB_FOLDER = "ssb"
INDICATOR_ID = "sp07b_intro_work_or_education_ssb"
SP = 7
TIME_DIMENSION = "Tid"
SEX_DIMENSION = "Kjonn"
CONTENTS_DIMENSION = "ContentsCode"
SEX_BY_LABEL = {"menn": "Menn", "kvinner": "Kvinner"}
TOTAL_LABEL = re.compile(r"^(i alt|alle|begge kjønn|total|alle aldre|hele landet)\b", re.IGNORECASE)
STATUS_LABEL = re.compile(r"sysselsatt", re.IGNORECASE)
WORK_OR_EDUCATION_LABEL = re.compile(r"sysselsatt|utdanning", re.IGNORECASE)
COUNT_LABEL = re.compile(r"person|antall", re.IGNORECASE)
PERCENT_LABEL = re.compile(r"prosent|andel", re.IGNORECASE)
SYNTHETIC_SOURCE = re.compile(r"syntetisk", re.IGNORECASE)
SOURCE_LABEL_NB = "Statistisk sentralbyrå, tabell 10809"
SYNTHETIC_SOURCE_LABEL_NB = "syntetisk tabell med samme oppbygning som SSB-tabell 10809, ikke SSBs tall"
REASON_NOT_PUBLISHED = "SSB har ikke publisert statusåret i tabellen"
REASON_NO_TABLE = "SSB-tabell 10809 mangler"
SEX_LEVELS = (TOTAL, "Menn", "Kvinner")


def table_path(data_dir: Path | None = None) -> Path | None:
    """The first ``ssb/table10809.json`` found beside the register data, else in ``data/raw/ssb``."""
    directory, _synthetic = config.register_dir(data_dir)
    for folder in (directory / SSB_FOLDER, directory.parent / SSB_FOLDER, config.RAW_DIR / SSB_FOLDER):
        if (folder / TABLE_FILE).is_file():
            return folder / TABLE_FILE
    return None


def load_table(data_dir: Path | None = None) -> pd.DataFrame | None:
    """Table 10809 as a tidy frame, or ``None`` when no response file has been downloaded."""
    path = table_path(data_dir)
    return read_table(path) if path is not None else None


def table_is_synthetic(table: pd.DataFrame | None) -> bool:
    """Whether a table read with :func:`read_table` is synthetic: its ``source`` mentions "syntetisk"."""
    return table is not None and bool(SYNTHETIC_SOURCE.search(str(table.attrs.get("source", ""))))


def source_label(data_dir: Path | None = None) -> str:
    """Norwegian source label of the table that would be used: SSB's, or synthetic when it is."""
    return SYNTHETIC_SOURCE_LABEL_NB if table_is_synthetic(load_table(data_dir)) else SOURCE_LABEL_NB


def read_table(path: Path) -> pd.DataFrame:
    """Read a JSON-stat2 response with the package's reader."""
    from imdi_analysis.sources.jsonstat import read_jsonstat

    return read_jsonstat(Path(path))


def dimensions_of(table: pd.DataFrame) -> list[str]:
    """Dimension ids of a tidy JSON-stat frame: columns that have a ``<dim>_label`` partner."""
    return [c for c in table.columns if f"{c}_label" in table.columns]


def find_status_dimension(table: pd.DataFrame, dims: list[str]) -> str:
    """The dimension whose labels mention "sysselsatt" (employed)."""
    for dim in dims:
        if table[f"{dim}_label"].astype(str).str.contains(STATUS_LABEL).any():
            return dim
    raise DataValidationError(
        f"SSB table 10809: no dimension has a label with 'sysselsatt'; dimensions are {', '.join(dims)}. "
        "Download the table with the labour-market status dimension."
    )


def select_count_contents(table: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    """Rows of the persons count when the table has several contents (never a percentage)."""
    if CONTENTS_DIMENSION not in dims:
        return table
    labels = table[f"{CONTENTS_DIMENSION}_label"].astype(str)
    counts = labels.str.contains(COUNT_LABEL) & ~labels.str.contains(PERCENT_LABEL)
    if counts.any():
        chosen = table.loc[counts, CONTENTS_DIMENSION].iloc[0]
        return table[table[CONTENTS_DIMENSION] == chosen]
    if labels.str.contains(PERCENT_LABEL).all():
        raise DataValidationError(
            "SSB table 10809 holds only percentages; download the number of persons (ContentsCode with "
            f"'personer' in its label). Contents found: {', '.join(sorted(labels.unique()))}."
        )
    return table[table[CONTENTS_DIMENSION] == table[CONTENTS_DIMENSION].iloc[0]]


def collapse_other_dimensions(
    table: pd.DataFrame, other: list[str], hierarchies: dict[str, CategoryHierarchy]
) -> pd.DataFrame:
    """Keep only the total category of each other dimension (age, region, …).

    Raises :class:`DataValidationError` when a dimension with several categories has no total
    (see :func:`~imdi_analysis.sources.jsonstat.category_hierarchy`: a total-like label, or the
    category equal to the sum of the others): summing overlapping categories (e.g. 18-55 and
    18-29 år) would count persons twice.
    """
    for dim in other:
        if table[dim].nunique() > 1:
            total = hierarchies[dim].total
            if total is None:
                labels = ", ".join(hierarchies[dim].labels.values())
                raise DataValidationError(
                    f"SSB table 10809: dimension {dim!r} has no total category ({labels}). "
                    "Download the table with only the total of this dimension selected."
                )
            table = table[table[dim] == total]
    return table


def work_or_education_leaves(hierarchy: CategoryHierarchy) -> tuple[str, ...]:
    """The detailed statuses that count as in work or education.

    Employed, employed and in education, and in education only — or the subtotal "Sysselsatt
    og/eller under utdanning, i alt" when the table has it without those parts. Only leaves of
    the status hierarchy are used, so a subtotal and its parts are never both counted.
    """
    leaves = tuple(
        code for code in hierarchy.leaves if WORK_OR_EDUCATION_LABEL.search(hierarchy.labels[code])
    )
    if not leaves:
        raise DataValidationError(
            f"SSB table 10809: no status of dimension {hierarchy.dimension!r} is employed or in "
            f"education ({', '.join(hierarchy.labels.values())}). Download the table with all statuses."
        )
    return leaves


def transition_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Per status year and sex (``I alt``, ``Menn``, ``Kvinner``): persons in work or education and all.

    Returns columns ``status_year``, ``sex``, ``numerator``, ``denominator``. The status
    dimension's totals and subtotals are recognised (by label and by checking that parts add
    up, :func:`~imdi_analysis.sources.jsonstat.category_hierarchy`), so each person is counted
    once: the numerator adds the detailed statuses in work or education (or their subtotal when
    the parts are not in the table), the denominator is the all-status total (or, without it,
    the sum of the detailed statuses). Suppressed or missing cells (``null`` in the response)
    make the row's counts missing unless a published subtotal gives the same figure.

    Raises
    ------
    TableLayoutError
        When a total (of the statuses, of the sexes — "Begge kjønn" = "Menn" + "Kvinner" — or of
        another dimension) does not equal its parts, or the parts can be added up in two ways.
    """
    dims = dimensions_of(table)
    for required in (TIME_DIMENSION, SEX_DIMENSION):
        if required not in dims:
            raise DataValidationError(
                f"SSB table 10809 has no {required!r} dimension; dimensions are {', '.join(dims)}."
            )
    status = find_status_dimension(table, dims)
    table = select_count_contents(table, dims)
    other = [d for d in dims if d not in (TIME_DIMENSION, SEX_DIMENSION, status, CONTENTS_DIMENSION)]
    source = str(table.attrs.get("file", TABLE_NAME))
    hierarchies = {d: category_hierarchy(table, d, source) for d in (status, SEX_DIMENSION, *other)}
    table = collapse_other_dimensions(table, other, hierarchies)
    hierarchy = hierarchies[status]
    success = work_or_education_leaves(hierarchy)
    sex_labels = table[f"{SEX_DIMENSION}_label"].astype(str)
    sex = sex_labels.str.lower().map(SEX_BY_LABEL).where(~sex_labels.str.match(TOTAL_LABEL), TOTAL)
    frame = pd.DataFrame(
        {
            "status_year": table[TIME_DIMENSION].astype(str).str[:4].astype(int),
            "sex": sex,
            "status": table[status].astype(str),
            "value": pd.to_numeric(table["value"], errors="coerce"),
        }
    ).dropna(subset=["sex"])
    rows = [
        {"status_year": year, "sex": sex_level, **count_row(group, hierarchy, success)}
        for (year, sex_level), group in frame.groupby(["status_year", "sex"], sort=True)
    ]
    return pd.DataFrame(rows, columns=["status_year", "sex", "numerator", "denominator"])


def count_row(group: pd.DataFrame, hierarchy: CategoryHierarchy, success: tuple[str, ...]) -> dict:
    """Numerator and denominator of one status year and sex (missing when a needed cell is null)."""
    values = dict(zip(group["status"], group["value"], strict=True))
    denominator = values.get(hierarchy.total, np.nan) if hierarchy.total is not None else np.nan
    if np.isnan(denominator):
        denominator = sum_of(values, hierarchy, hierarchy.leaves)
    return {"numerator": sum_of(values, hierarchy, success), "denominator": denominator}


def sum_of(values: dict[str, float], hierarchy: CategoryHierarchy, leaves: tuple[str, ...]) -> float:
    """Persons in a set of leaves: their sum, else a published total of exactly those leaves, else NaN."""
    cells = [values.get(code, np.nan) for code in leaves]
    if cells and not np.isnan(cells).any():
        return float(sum(cells))
    for code, parts in hierarchy.parts.items():
        if set(parts) == set(leaves) and not np.isnan(values.get(code, np.nan)):
            return float(values[code])
    return np.nan


def sp07b_intro_work_or_education_ssb(table: pd.DataFrame | None, year: int, period: str) -> pd.DataFrame:
    """Share of former participants in work or education in November of the year after leaving.

    POPULATION: all former participants who left the introduction programme in ``year − 1``
    (the cohort), as counted by Statistics Norway in table 10809 for status year ``year``.
    NUMERATOR: employed + employed and in education + in education only.
    DENOMINATOR: all former participants in the cohort (the table's total status, else the
    sum of the statuses).
    REFERENCE DATE: November of the status year ``year`` (the row's ``year`` is the status year).
    Breakdown: sex. No interval (a full count). When the table is missing or does not have
    the status year, the rows are kept with a missing value and the reason.
    """
    if table is None:
        return missing_rows(year, period, REASON_NO_TABLE)
    counts = transition_counts(table)
    rows = counts[counts["status_year"] == year]
    if rows.empty:
        return missing_rows(year, period, REASON_NOT_PUBLISHED)
    return indicator_rows(rows, year, period)


def indicator_rows(rows: pd.DataFrame, year: int, period: str) -> pd.DataFrame:
    """IndicatorFrame rows (total, men, women) for one status year from :func:`transition_counts` rows."""
    rows = rows.set_index("sex").reindex(list(SEX_LEVELS))
    stats = share_columns(rows["numerator"], rows["denominator"].fillna(0))
    stats["denominator"] = rows["denominator"]
    stats["missing_reason"] = np.where(
        rows["denominator"].isna() | rows["numerator"].isna(),
        "tall mangler eller er skjult hos SSB",
        stats["missing_reason"],
    )
    stats = stats.assign(ci_lower=np.nan, ci_upper=np.nan).rename_axis("sex").reset_index()
    for column in ("county", "category", "household_type", "language", "qualification_category"):
        stats[column] = None
    stats.loc[stats["denominator"] == 0, "missing_reason"] = REASON_ZERO_DENOMINATOR
    return finish_indicator(stats, INDICATOR_ID, SP, year, period, UNIT_SHARE)


def missing_rows(year: int, period: str, reason: str) -> pd.DataFrame:
    """Total, men and women rows with a missing value and ``reason``."""
    stats = pd.DataFrame(
        {"sex": list(SEX_LEVELS), "numerator": np.nan, "denominator": np.nan, "value": np.nan}
    )
    stats = stats.assign(ci_lower=np.nan, ci_upper=np.nan, missing_reason=reason)
    for column in ("county", "category", "household_type", "language", "qualification_category"):
        stats[column] = None
    return finish_indicator(stats, INDICATOR_ID, SP, year, period, UNIT_SHARE)


def series_for_years(table: pd.DataFrame | None, years: list[int], period: str) -> pd.DataFrame:
    """The indicator for every status year in ``years`` that the table has (empty without a table)."""
    if table is None:
        return conform(missing_rows(max(years), period, REASON_NO_TABLE))
    counts = transition_counts(table)
    pieces = [
        indicator_rows(counts[counts["status_year"] == y], y, period)
        for y in years
        if y in set(counts["status_year"])
    ]
    return (
        pd.concat(pieces, ignore_index=True)
        if pieces
        else missing_rows(max(years), period, REASON_NOT_PUBLISHED)
    )


def transition_summary(path: Path) -> pd.DataFrame:
    """Per leavers' cohort: share in work or education overall and by sex, with the counts behind it.

    Columns (Norwegian, for the ``imdi ssb transition`` command): ``Statusår``,
    ``Avgangskull``, ``Kjønn``, ``I arbeid eller utdanning``, ``Tidligere deltakere``, ``Andel``.
    ``attrs["synthetic"]`` says whether the file is a synthetic table (:func:`table_is_synthetic`).
    """
    path = Path(path)
    if not path.is_file():
        raise DataNotFoundError(f"File not found: {path}. Save the JSON-stat2 response of table 10809 there.")
    table = read_table(path)
    counts = transition_counts(table)
    counts["share"] = counts["numerator"] / counts["denominator"].where(counts["denominator"] > 0)
    counts["sex"] = pd.Categorical(counts["sex"], categories=list(SEX_LEVELS))
    counts = counts.sort_values(["status_year", "sex"])
    summary = pd.DataFrame(
        {
            "Statusår": counts["status_year"].to_numpy(),
            "Avgangskull": (counts["status_year"] - 1).to_numpy(),
            "Kjønn": counts["sex"].astype(str).to_numpy(),
            "I arbeid eller utdanning": counts["numerator"].to_numpy(),
            "Tidligere deltakere": counts["denominator"].to_numpy(),
            "Andel": counts["share"].to_numpy(),
        }
    )
    summary.attrs["synthetic"] = table_is_synthetic(table)
    return summary
