"""County and municipality code lists with validity dates, other code lists, SSB symbols.

The lists are shipped as CSV files in ``data/raw/reference/`` (see the README there for sources
and assumptions). Statistics Norway's KLASS API (classification 104 counties, 131
municipalities) is the upstream source; it is not reachable from the analysis environment, so
the shipped files are the offline source of truth.

Validity intervals are closed: a code is valid from ``valid_from`` up to and including
``valid_to``; an empty ``valid_to`` means the code is still valid.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pandas as pd

from imdi_analysis import config
from imdi_analysis.errors import ConfigError, DataNotFoundError

SYMBOL_SUPPRESSED = ":"
SYMBOL_MISSING = ".."
SYMBOL_NOT_APPLICABLE = "."
SYMBOL_ZERO = "-"
SYMBOL_LEGEND = {
    SYMBOL_NOT_APPLICABLE: "Tall kan ikke forekomme",
    SYMBOL_MISSING: "Tallgrunnlag mangler",
    SYMBOL_SUPPRESSED: "Vises ikke av hensyn til personvern (små tall)",
    SYMBOL_ZERO: "Null",
}
SYMBOLS = tuple(SYMBOL_LEGEND)

SEX_LABELS = {"M": "Menn", "K": "Kvinner"}

CODE_LISTS = (
    "sex",
    "intro_end_reasons",
    "intro_right_codes",
    "intro_measures",
    "training_right_codes",
    "settlement_categories",
    "household_types",
    "complaint_topics",
    "complaint_outcomes",
    "regions",
    "interpreter_categories",
    "nationalities",
)
CODE_LIST_COLUMNS = ["code", "label", "description"]
COUNTY_COLUMNS = ["code", "name", "valid_from", "valid_to"]
MUNICIPALITY_COLUMNS = ["code", "name", "county", "valid_from", "valid_to", "population_2022"]
DEFAULT_REFERENCE_DIR = config.REPO_ROOT / "data" / "raw" / "reference"


def reference_path(file_name: str) -> Path:
    """Path of a reference file: ``config.REFERENCE_DIR`` first, else the repository's copy.

    The fallback lets the shipped code lists work when ``IMDI_DATA_DIR`` points at a folder of
    real extracts that holds no reference lists.
    """
    for directory in (config.REFERENCE_DIR, DEFAULT_REFERENCE_DIR):
        path = Path(directory) / file_name
        if path.is_file():
            return path
    raise DataNotFoundError(
        f"Reference file {file_name} not found in {config.REFERENCE_DIR} or {DEFAULT_REFERENCE_DIR}."
    )


@functools.cache
def _read_reference(file_name: str) -> pd.DataFrame:
    path = reference_path(file_name)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for column in ("valid_from", "valid_to"):
        if column in frame.columns:
            frame[column] = pd.to_datetime(frame[column].replace("", None), format="%Y-%m-%d")
    if "population_2022" in frame.columns:
        frame["population_2022"] = frame["population_2022"].astype("int64")
    return frame


def load_counties() -> pd.DataFrame:
    """County codes with names and validity dates (one row per code and validity period)."""
    return _read_reference("counties.csv")[COUNTY_COLUMNS].copy()


def load_municipalities() -> pd.DataFrame:
    """Municipality codes with name, county, validity dates and approximate 2022 population.

    ``population_2022`` is rounded and approximate; it is used only as weights for synthetic data.
    """
    return _read_reference("municipalities.csv")[MUNICIPALITY_COLUMNS].copy()


def load_code_list(name: str) -> pd.DataFrame:
    """A code list (``code``, ``label``, ``description``) by name, e.g. ``"intro_measures"``."""
    if name not in CODE_LISTS:
        raise ConfigError(f"Unknown code list {name!r}. Available: {', '.join(CODE_LISTS)}.")
    return _read_reference(f"{name}.csv")[CODE_LIST_COLUMNS].copy()


def code_labels(name: str) -> dict[str, str]:
    """Mapping code -> Norwegian label of a code list."""
    frame = load_code_list(name)
    return dict(zip(frame["code"], frame["label"], strict=True))


def codes_in(name: str) -> list[str]:
    """The codes of a code list, in file order."""
    return load_code_list(name)["code"].tolist()


def _valid_rows(frame: pd.DataFrame, on: dt.date) -> pd.DataFrame:
    when = pd.Timestamp(on)
    open_ended = frame["valid_to"].isna()
    return frame[(frame["valid_from"] <= when) & (open_ended | (frame["valid_to"] >= when))]


def valid_county_codes(on: dt.date) -> set[str]:
    """County codes valid on date ``on``."""
    return set(_valid_rows(load_counties(), on)["code"])


def valid_municipality_codes(on: dt.date) -> set[str]:
    """Municipality codes (in the shipped list) valid on date ``on``."""
    return set(_valid_rows(load_municipalities(), on)["code"])


def county_name(code: str, on: dt.date | None = None) -> str:
    """Name of county ``code`` on date ``on`` (default: its latest validity period)."""
    counties = load_counties()
    rows = counties[counties["code"] == code]
    if on is not None:
        rows = _valid_rows(rows, on)
    if rows.empty:
        when = f" on {on.isoformat()}" if on is not None else ""
        raise DataNotFoundError(f"County code {code!r} is not in counties.csv{when}.")
    return str(rows.sort_values("valid_from")["name"].iloc[-1])


def county_of(municipality: str) -> str:
    """County code of a municipality: its first two digits (KLASS numbering rule)."""
    code = str(municipality)
    if len(code) != 4 or not code.isdigit():
        raise ConfigError(f"Municipality code must be 4 digits, got {municipality!r}.")
    return code[:2]


def codes_valid_on(codes: pd.Series, dates: pd.Series, table: pd.DataFrame) -> pd.Series:
    """Whether each code is valid on the date in the same row (vectorised).

    Parameters
    ----------
    codes, dates : aligned series; a missing code or date counts as valid (nullability is
        checked elsewhere).
    table : reference table with ``code``, ``valid_from``, ``valid_to`` (from
        :func:`load_counties` or :func:`load_municipalities`).
    """
    dates = pd.to_datetime(dates)
    distinct = dates.dropna().unique()
    if len(distinct) <= 1:  # one reference date (the extract date): a plain membership test
        if len(distinct) == 0:
            return pd.Series(True, index=codes.index)
        valid = set(_valid_rows(table, pd.Timestamp(distinct[0]).date())["code"])
        return codes.isna() | dates.isna() | codes.isin(valid)
    pairs = pd.DataFrame({"code": codes.astype("string"), "date": dates})
    pairs["position"] = range(len(pairs))
    known = pairs.dropna(subset=["code", "date"])
    unique = known[["code", "date"]].drop_duplicates()
    merged = unique.merge(table[["code", "valid_from", "valid_to"]].astype({"code": "string"}), on="code")
    inside = (merged["valid_from"] <= merged["date"]) & (
        merged["valid_to"].isna() | (merged["date"] <= merged["valid_to"])
    )
    good = merged.loc[inside, ["code", "date"]].drop_duplicates()
    good["ok"] = True
    flagged = known.merge(good, on=["code", "date"], how="left")
    result = pd.Series(True, index=codes.index)
    result.iloc[flagged["position"].to_numpy()] = flagged["ok"].fillna(False).astype(bool).to_numpy()
    return result


def county_valid_on(codes: pd.Series, dates: pd.Series) -> pd.Series:
    """Whether each county code is valid on the date in the same row."""
    return codes_valid_on(codes, dates, load_counties())
