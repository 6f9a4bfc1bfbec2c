"""Independent cross-check: three appendix tables computed again in DuckDB SQL from the raw CSV files.

Tables: 10 (introduction-programme participants on the status date, by year, sex and county:
a count table with a time series), 16 (persons waiting for settlement by case type and person
category, time series) and 18 (mean months from permit to settlement by case type and person
category: a mean table). The SQL is written from the tables' definitions, not from our code.
Counts must match exactly; means must match to 1e-9 months (floating-point summation order).
Our time (pandas builders) is reported as a ratio of DuckDB's.

Usage: python -m benchmarks.bench_duckdb --data DIR [--year 2022] [--period year]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import time
from pathlib import Path

import duckdb
import pandas as pd

from imdi_analysis.appendix.registry import BUILDERS, BuildContext
from imdi_analysis.codes import SEX_LABELS, code_labels, county_name
from imdi_analysis.config import reference_date, years_in
from imdi_analysis.letter.appendix_spec import load_appendix_spec
from imdi_analysis.tables import TOTAL

TOLERANCE = 1e-9


def sql_table_10(con: duckdb.DuckDBPyConnection, data: Path, years: list[int], period: str) -> pd.DataFrame:
    """Participants with a spell active on the status date, once per person, by year × sex × county."""
    parts = []
    for year in years:
        day = reference_date(year, period).isoformat()
        parts.append(f"""
            SELECT {year} AS year, sex, county FROM (
              SELECT person_id, sex, county, row_number() OVER (
                       PARTITION BY person_id ORDER BY CAST(programme_start AS DATE) DESC) AS latest
              FROM read_csv('{data}/{year}/intro_participants.csv', header=true, all_varchar=true)
              WHERE CAST(programme_start AS DATE) <= DATE '{day}'
                AND (programme_end IS NULL OR CAST(programme_end AS DATE) > DATE '{day}')
            ) WHERE latest = 1""")
    query = f"""
        SELECT year, sex, county, count(*) AS value
        FROM ({" UNION ALL ".join(parts)})
        GROUP BY GROUPING SETS ((year, sex, county), (year, sex), (year, county), (year))"""
    frame = con.sql(query).df()
    frame["sex"] = frame["sex"].map(SEX_LABELS).fillna(TOTAL)
    frame["county"] = [
        county_name(c, on=reference_date(int(y), period)) if isinstance(c, str) else TOTAL
        for c, y in zip(frame["county"], frame["year"], strict=True)
    ]
    return frame


def sql_table_16(con: duckdb.DuckDBPyConnection, data: Path, years: list[int], period: str) -> pd.DataFrame:
    """Persons ready for settlement and not settled on the status date, reception and resettlement."""
    parts = []
    for year in years:
        day = reference_date(year, period).isoformat()
        parts.append(f"""
            SELECT {year} AS year, category, household_type
            FROM read_csv('{data}/{year}/settlement.csv', header=true, all_varchar=true)
            WHERE category IN ('mottak', 'overforingsflyktning')
              AND CAST(ready_date AS DATE) <= DATE '{day}'
              AND (settlement_date IS NULL OR CAST(settlement_date AS DATE) > DATE '{day}')""")
    query = f"""
        SELECT year, category, household_type, count(*) AS value
        FROM ({" UNION ALL ".join(parts)})
        GROUP BY GROUPING SETS ((year, category, household_type), (year, category), (year, household_type), (year))"""
    return label_settlement(con.sql(query).df())


def sql_table_18(con: duckdb.DuckDBPyConnection, data: Path, year: int, period: str) -> pd.DataFrame:
    """Mean months from permit to settlement (calendar months), settled 1 January to the status date.

    A waiting time is the whole calendar months from the permit plus the fraction of the next
    calendar month that has passed, counted in days of that month (the package's month rule,
    written here in SQL from its definition; DuckDB clamps ``date + to_months(k)`` to the end of a
    shorter month, as the rule does).
    """
    day = reference_date(year, period).isoformat()
    query = f"""
        WITH settled AS (
          SELECT category, household_type,
                 CAST(permit_date AS DATE) AS s, CAST(settlement_date AS DATE) AS e
          FROM read_csv('{data}/{year}/settlement.csv', header=true, all_varchar=true)
          WHERE category IN ('mottak', 'overforingsflyktning', 'privatboende')
            AND CAST(settlement_date AS DATE) BETWEEN DATE '{year}-01-01' AND DATE '{day}'
        ), whole AS (
          SELECT *, CASE WHEN s + to_months(m0) <= e THEN m0 ELSE m0 - 1 END AS w
          FROM (SELECT *, (year(e) - year(s)) * 12 + month(e) - month(s) AS m0 FROM settled)
        ), months AS (
          SELECT category, household_type,
                 w + date_diff('day', s + to_months(w), e)
                     / date_diff('day', s + to_months(w), s + to_months(w + 1)) AS m
          FROM whole
        )
        SELECT category, household_type, sum(m) / count(*) AS value FROM months
        GROUP BY GROUPING SETS ((category, household_type), (category), (household_type), ())"""
    return label_settlement(con.sql(query).df())


def label_settlement(frame: pd.DataFrame) -> pd.DataFrame:
    frame["category"] = frame["category"].map(code_labels("settlement_categories")).fillna(TOTAL)
    frame["household_type"] = frame["household_type"].map(code_labels("household_types")).fillna(TOTAL)
    return frame


def ours(key: str, data: Path, year: int, period: str, measure: str) -> pd.DataFrame:
    """Our builder's undisclosed cells of one measure.

    Cells the builder marks not applicable (".", an area in a year it did not exist, which the
    builder only marks when its count is 0) are left out: DuckDB has no row for them, which
    :func:`compare` reads as 0. A "." on a non-zero count would therefore show as a difference.
    """
    spec = load_appendix_spec(year)
    row = spec[spec["table_key"] == key].iloc[0].to_dict()
    ctx = BuildContext(year=year, period=period, data_dir=data, spec=row, available_years=years_in(data))
    table = BUILDERS[key](ctx)
    applicable = table.data["status"] != "." if "status" in table.data.columns else True
    cells = table.data[(table.data["measure"] == measure) & applicable]
    return cells[[*table.dims, "value"]]


def compare(name: str, mine: pd.DataFrame, theirs: pd.DataFrame, dims: list[str], exact: bool) -> list[str]:
    """Differences between our cells and DuckDB's (a cell missing on one side is a zero count or no mean)."""
    left = mine.assign(**{d: mine[d].astype(str) for d in dims}).set_index(dims)["value"]
    right = theirs.assign(**{d: theirs[d].astype(str) for d in dims}).set_index(dims)["value"].astype(float)
    problems = []
    for cell in sorted(set(left.index) | set(right.index)):
        empty = 0.0 if exact else math.nan  # an empty cell is a zero count, or a mean of nobody
        a, b = float(left.get(cell, empty)), float(right.get(cell, empty))
        same = (a == b) if exact else (math.isnan(a) and math.isnan(b)) or abs(a - b) <= TOLERANCE
        if not same:
            problems.append(f"table {name} cell {cell}: ours {a!r}, DuckDB {b!r}")
    return problems


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def cross_check(data: Path, year: int, period: str) -> tuple[list[dict], list[str]]:
    """Run the three comparisons; return timing rows and every difference found."""
    con = duckdb.connect()
    years = [y for y in years_in(data) if y <= year]
    checks = [
        ("10", ["year", "sex", "county"], True, "count", lambda: sql_table_10(con, data, years, period)),
        (
            "16",
            ["year", "category", "household_type"],
            True,
            "count",
            lambda: sql_table_16(con, data, years, period),
        ),
        (
            "18",
            ["category", "household_type"],
            False,
            "mean_months",
            lambda: sql_table_18(con, data, year, period),
        ),
    ]
    rows, problems = [], []
    for key, dims, exact, measure, sql in checks:
        mine, our_seconds = timed(ours, key, data, year, period, measure)
        theirs, duck_seconds = timed(sql)
        found = compare(key, mine, theirs, dims, exact)
        problems += found
        rows.append(
            {
                "table": key,
                "cells": len(theirs),
                "ours_s": our_seconds,
                "duckdb_s": duck_seconds,
                "ratio": our_seconds / duck_seconds,
                "match": not found,
            }
        )
    return rows, problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--period", default="year")
    args = parser.parse_args()
    rows, problems = cross_check(args.data, args.year, args.period)
    print(pd.DataFrame(rows).to_string(index=False))
    for problem in problems[:20]:
        print(problem)
    raise SystemExit(1 if problems else 0)


if __name__ == "__main__":
    print(f"started {dt.datetime.now():%H:%M:%S}")
    main()
