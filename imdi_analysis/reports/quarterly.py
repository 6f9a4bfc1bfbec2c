"""Quarterly analysis of the settlement work (the instruction, Vedlegg 1, section 3.2).

"IMDi skal utarbeide en kvartalsvis analyse av bosettingsarbeidet som redegjør for status og
utviklingstrekk." The analysis of a quarter (``Q1`` … ``Q4``; reference date the quarter's last
day, :func:`imdi_analysis.measures.periods.quarter_bounds`) shows:

- K1 settled in the quarter and K2 settled so far in the year (1 January to the reference date),
  by case type (``category``) and person category (``household_type``);
- K3 persons waiting for settlement at the quarter's end, by the same breakdowns;
- K4 mean waiting time from residence permit to settlement of those settled in the quarter, in
  months on the one month rule (:func:`imdi_analysis.measures.durations.months_between`);
- K5 IMDi's requests and the municipalities' decisions for the year, beside the persons settled
  so far (municipal decisions are yearly figures: the extract has no dates);
- K6 the trend: settled per quarter and waiting at each quarter's end, over the last eight
  quarters.

Populations are the settlement measures (:mod:`imdi_analysis.measures.populations`):
``settled_in`` (settlement date in the window) and ``waiting_on`` (ready on the date, not settled
on it), from the settlement extract of each quarter's year. Counting unit: persons. Every table
goes through the appendix's disclosure control (:func:`imdi_analysis.disclosure.apply_disclosure`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from imdi_analysis import config
from imdi_analysis.appendix.toolbox import (
    as_counts,
    code_list_labels,
    count_cells,
)
from imdi_analysis.disclosure import DEFAULT_THRESHOLD, apply_disclosure
from imdi_analysis.errors import ConfigError
from imdi_analysis.measures.durations import months_between
from imdi_analysis.measures.periods import QUARTERS, quarter_bounds
from imdi_analysis.measures.populations import settled_in, waiting_on
from imdi_analysis.sources.registry import load_source
from imdi_analysis.tables import MEASURE_MEAN_MONTHS, AppendixTable

SETTLEMENT = "settlement"
DECISIONS = "municipal_decisions"
TREND_QUARTERS = 8
QUARTER_DIM = "quarter"
DIM_LABELS = {
    "category": "Sakstype",
    "household_type": "Personkategori",
    QUARTER_DIM: "Kvartal",
    "item": "Størrelse",
}
ITEM_SETTLED_QUARTER = "Bosatte i kvartalet"
ITEM_WAITING = "Venter på bosetting ved kvartalets slutt"
ITEM_REQUESTED = "IMDis anmodning om bosetting i året (personer)"
ITEM_DECIDED = "Vedtaksplasser i kommunene i året"
ITEM_SETTLED_SO_FAR = "Bosatte hittil i år"
NOTE_UNIT = "Telleenhet: personer."
NOTE_MONTHS = (
    "Ventetid: fra oppholdsvedtak til bosetting, i kalendermåneder (hele måneder pluss andelen av den "
    "påbegynte måneden)."
)


@dataclass
class QuarterlyAnalysis:
    """The disclosed tables of one quarter's analysis."""

    year: int
    quarter: str
    tables: list[AppendixTable]
    synthetic: bool
    threshold: int
    notes: list[str] = field(default_factory=list)

    def table(self, key: str) -> AppendixTable:
        """The table ``K1`` … ``K6``."""
        return next(t for t in self.tables if t.key == key)


def check_quarter(quarter: str) -> str:
    """``quarter`` if it is ``Q1`` … ``Q4``; :class:`ConfigError` otherwise."""
    if quarter not in QUARTERS:
        raise ConfigError(f"Unknown quarter {quarter!r}: use one of {', '.join(QUARTERS)}.")
    return quarter


def quarter_label(year: int, quarter: str) -> str:
    """``2022K3``: Statistics Norway's notation for a quarter."""
    return f"{year}K{check_quarter(quarter)[1]}"


def previous_quarters(year: int, quarter: str, count: int = TREND_QUARTERS) -> list[tuple[int, str]]:
    """The ``count`` quarters ending with (``year``, ``quarter``), oldest first."""
    index = year * 4 + QUARTERS.index(check_quarter(quarter))
    return [(i // 4, QUARTERS[i % 4]) for i in range(index - count + 1, index + 1)]


def quarterly_analysis(
    year: int, quarter: str, data_dir: Path | None = None, threshold: int = DEFAULT_THRESHOLD
) -> QuarterlyAnalysis:
    """Build and disclose the six tables of the quarter's analysis (see the module docstring).

    Quarters of years without a settlement extract are left out of the trend, with a note.
    """
    check_quarter(quarter)
    directory, synthetic = config.register_dir(data_dir)
    config.check_year_has_data(year, directory)
    extracts = SettlementExtracts(data_dir)
    first, last = quarter_bounds(year, quarter)
    settlement = extracts(year)
    so_far = settled_in(settlement, pd.Timestamp(year, 1, 1), last)
    tables = [
        breakdown_table(
            "K1",
            "Bosatte i kvartalet, etter sakstype og personkategori. Antall.",
            settled_in(settlement, first, last),
            year,
            quarter,
        ),
        breakdown_table(
            "K2", "Bosatte hittil i år, etter sakstype og personkategori. Antall.", so_far, year, quarter
        ),
        breakdown_table(
            "K3",
            "Personer som venter på bosetting ved kvartalets slutt, etter sakstype og "
            "personkategori. Antall.",
            waiting_on(settlement, last),
            year,
            quarter,
        ),
        waiting_time_table(settled_in(settlement, first, last), year, quarter),
        decisions_table(load_source(DECISIONS, year, data_dir), len(so_far), year, quarter),
    ]
    trend, notes = trend_table(extracts, year, quarter)
    tables.append(trend)
    disclosed = [apply_disclosure(table, threshold) for table in tables]
    for table in disclosed:
        table.synthetic = synthetic
    return QuarterlyAnalysis(year, quarter, disclosed, synthetic, threshold, notes)


class SettlementExtracts:
    """The validated settlement extract of each year, read once."""

    def __init__(self, data_dir: Path | None) -> None:
        self.data_dir = data_dir
        self.frames: dict[int, pd.DataFrame] = {}

    def __call__(self, year: int) -> pd.DataFrame:
        if year not in self.frames:
            self.frames[year] = load_source(SETTLEMENT, year, self.data_dir)
        return self.frames[year]

    def available(self) -> list[int]:
        directory, _synthetic = config.register_dir(self.data_dir)
        return config.years_in(directory)


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """Case type and person category as their Norwegian labels."""
    categories, households = code_list_labels("settlement_categories"), code_list_labels("household_types")
    return pd.DataFrame(
        {
            "category": frame["category"].astype(object).map(categories).fillna(frame["category"]),
            "household_type": frame["household_type"]
            .astype(object)
            .map(households)
            .fillna(frame["household_type"]),
        },
        index=frame.index,
    )


def breakdown_order() -> dict[str, list[str]]:
    return {
        "category": list(code_list_labels("settlement_categories").values()),
        "household_type": list(code_list_labels("household_types").values()),
    }


def make_table(
    key: str, title: str, data: pd.DataFrame, dims: list[str], year: int, quarter: str, notes: list[str]
) -> AppendixTable:
    columns = [*dims, "measure", "value", "base"]
    return AppendixTable(
        key=key,
        title=title,
        year=year,
        period=quarter,
        data=data[columns].reset_index(drop=True),
        dims=dims,
        dim_labels={d: DIM_LABELS[d] for d in dims},
        notes=notes,
        sources=[SETTLEMENT],
    )


def breakdown_table(key: str, title: str, persons: pd.DataFrame, year: int, quarter: str) -> AppendixTable:
    """Persons by case type × person category, with "I alt" margins."""
    dims = ["category", "household_type"]
    cells = as_counts(count_cells(labelled(persons), dims, breakdown_order(), no_total=()))
    return make_table(key, title, cells, dims, year, quarter, [NOTE_UNIT])


def waiting_time_table(settled: pd.DataFrame, year: int, quarter: str) -> AppendixTable:
    """Mean months from permit to settlement of those settled in the quarter, by case type."""
    dims = ["category"]
    rows = labelled(settled)[["category"]].assign(
        months=months_between(settled["permit_date"], settled["settlement_date"]).to_numpy(), n=1.0
    )
    order = {"category": breakdown_order()["category"]}
    sums = count_cells(rows, dims, order, weight="months", no_total=())
    persons = count_cells(rows, dims, order, weight="n", no_total=())
    base = persons["value"].to_numpy()
    cells = sums.assign(
        measure=MEASURE_MEAN_MONTHS,
        base=base,
        value=(sums["value"] / persons["value"].where(persons["value"] > 0)).to_numpy(),
    )
    title = "Gjennomsnittlig ventetid fra oppholdsvedtak til bosetting for bosatte i kvartalet (mnd.)."
    return make_table("K4", title, cells, dims, year, quarter, [NOTE_MONTHS, NOTE_UNIT])


def decisions_table(decisions: pd.DataFrame, settled_so_far: int, year: int, quarter: str) -> AppendixTable:
    """The year's requests and decided places beside the persons settled so far."""
    values = {
        ITEM_REQUESTED: float(pd.to_numeric(decisions["requested"]).sum()),
        ITEM_DECIDED: float(pd.to_numeric(decisions["decided"]).sum()),
        ITEM_SETTLED_SO_FAR: float(settled_so_far),
    }
    cells = pd.DataFrame({"item": list(values), "value": list(values.values())})
    cells = as_counts(cells)
    notes = [
        "Anmodning og vedtak gjelder hele året (kommunenes vedtak har ingen dato i uttrekket); bosatte er "
        "talt til kvartalets slutt.",
    ]
    title = "IMDis anmodning, kommunenes vedtak og bosatte hittil i år. Antall."
    return make_table("K5", title, cells, ["item"], year, quarter, notes)


def trend_table(extracts: SettlementExtracts, year: int, quarter: str) -> tuple[AppendixTable, list[str]]:
    """Settled in each of the last eight quarters and waiting at each quarter's end."""
    available = set(extracts.available())
    rows, missing = [], []
    for y, q in previous_quarters(year, quarter):
        label = quarter_label(y, q)
        if y not in available:
            missing.append(label)
            continue
        first, last = quarter_bounds(y, q)
        frame = extracts(y)
        rows += [
            {
                QUARTER_DIM: label,
                "item": ITEM_SETTLED_QUARTER,
                "value": float(len(settled_in(frame, first, last))),
            },
            {QUARTER_DIM: label, "item": ITEM_WAITING, "value": float(len(waiting_on(frame, last)))},
        ]
    cells = as_counts(pd.DataFrame(rows, columns=[QUARTER_DIM, "item", "value"]))
    notes = [NOTE_UNIT]
    if missing:
        notes.append(f"Ingen uttrekk for kvartalene {', '.join(missing)}.")
    title = "Bosatte per kvartal og personer som venter ved kvartalets slutt, siste åtte kvartaler. Antall."
    return make_table("K6", title, cells, [QUARTER_DIM, "item"], year, quarter, notes), notes[1:]


__all__ = ["QuarterlyAnalysis", "previous_quarters", "quarter_label", "quarterly_analysis"]
