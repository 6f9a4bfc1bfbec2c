"""Reference code lists as the generators use them: codes, and municipalities by date.

Every code written to a synthetic extract comes from the shipped reference lists in
``data/raw/reference/`` (read through :mod:`imdi_analysis.codes`), and every municipality or
county is one valid on the date it is written for: 2019 extracts carry the numbers valid
before the 2020 county reform.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from imdi_analysis import codes
from imdi_analysis.errors import ConfigError
from imdi_analysis.synth._common import EPOCH

FAR_FUTURE = np.iinfo(np.int32).max


@dataclass(frozen=True, eq=False)
class Geography:
    """Municipalities with validity periods and population weights.

    Attributes
    ----------
    code, county, name : municipality number, its county number and its name, one per row
    valid_from, valid_to : day numbers of the validity period (inclusive)
    population : approximate population, used as weights
    """

    code: np.ndarray
    county: np.ndarray
    name: np.ndarray
    valid_from: np.ndarray
    valid_to: np.ndarray
    population: np.ndarray
    successor_cache: dict[int, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def first_day(self) -> int:
        """First day any municipality in the list is valid."""
        return int(self.valid_from.min())

    def valid_rows(self, day: int) -> np.ndarray:
        """Row indices of municipalities valid on ``day``."""
        rows = np.flatnonzero((self.valid_from <= day) & (self.valid_to >= day))
        if rows.size == 0:
            raise ConfigError(
                f"No municipality in data/raw/reference/municipalities.csv is valid on "
                f"{EPOCH + pd.Timedelta(days=int(day))}; extend the reference list or choose other years."
            )
        return rows

    def epoch_starts(self) -> np.ndarray:
        """Sorted days on which the set of valid municipalities changes."""
        ends = self.valid_to[self.valid_to < FAR_FUTURE] + 1
        return np.unique(np.concatenate([self.valid_from, ends]))

    def epoch_of(self, days: np.ndarray) -> np.ndarray:
        """Index into :meth:`epoch_starts` of each day (days before the list start count as the first)."""
        starts = self.epoch_starts()
        return np.maximum(0, np.searchsorted(starts, days, side="right") - 1)

    def draw(self, rng: np.random.Generator, days: np.ndarray, power: float = 1.0) -> np.ndarray:
        """A municipality valid on each day, drawn with weights ``population ** power``.

        Days before the first validity date use the municipalities valid on that first date.
        """
        days = np.asarray(days)
        out = np.empty(days.size, dtype=np.int32)
        starts = self.epoch_starts()
        epochs = self.epoch_of(days)
        for epoch in np.unique(epochs):
            where = np.flatnonzero(epochs == epoch)
            rows = self.valid_rows(int(starts[epoch]))
            weights = self.population[rows].astype(float) ** power
            out[where] = rows[rng.choice(rows.size, size=where.size, p=weights / weights.sum())]
        return out

    def translate(self, rows: np.ndarray, day: int) -> np.ndarray:
        """The municipality valid on ``day`` that continues each row (same name).

        A municipality whose name has no row valid on ``day`` (the shipped list is a sample)
        maps to the valid municipality with the nearest population, so small stays small.
        """
        epoch = int(self.epoch_of(np.array([day]))[0])
        if epoch not in self.successor_cache:
            self.successor_cache[epoch] = self.successors(epoch)
        return self.successor_cache[epoch][np.asarray(rows)]

    def successors(self, epoch: int) -> np.ndarray:
        """For every row, the row valid in ``epoch`` that continues it."""
        valid = self.valid_rows(int(self.epoch_starts()[epoch]))
        valid_set = set(valid.tolist())
        by_name = {str(self.name[r]): r for r in valid}
        order = valid[np.argsort(self.population[valid], kind="stable")]
        mapping = np.empty(self.code.size, dtype=np.int32)
        for row in range(self.code.size):
            if row in valid_set:
                mapping[row] = row
            elif str(self.name[row]) in by_name:
                mapping[row] = by_name[str(self.name[row])]
            else:
                nearest = np.searchsorted(self.population[order], self.population[row])
                mapping[row] = order[min(nearest, order.size - 1)]
        return mapping

    def codes(self, rows: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
        """Municipality numbers of ``rows`` (empty where ``missing``)."""
        return _take(self.code, rows, missing)

    def counties(self, rows: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
        """County numbers of ``rows`` (empty where ``missing``)."""
        return _take(self.county, rows, missing)


def _take(values: np.ndarray, rows: np.ndarray, missing: np.ndarray | None) -> pa.Array:
    index = pa.array(np.asarray(rows, dtype=np.int32), mask=missing)
    return pa.array(values.tolist(), type=pa.string()).take(index)


def to_days(dates: pd.Series) -> np.ndarray:
    """Day numbers of a datetime series; missing -> :data:`FAR_FUTURE`."""
    days = (dates - pd.Timestamp(EPOCH)).dt.days
    return days.fillna(FAR_FUTURE).astype(np.int64).to_numpy().astype(np.int32)


def load_geography() -> Geography:
    """Municipalities from ``municipalities.csv`` as a :class:`Geography`."""
    frame = codes.load_municipalities()
    county = frame["code"].str[:2].to_numpy()
    listed = frame["county"].to_numpy()
    if (county != listed).any():
        bad = frame.loc[county != listed, "code"].tolist()
        raise ConfigError(
            f"municipalities.csv: the county column disagrees with the first two digits for {bad}."
        )
    return Geography(
        code=frame["code"].to_numpy(dtype=object),
        county=county.astype(object),
        name=frame["name"].to_numpy(dtype=object),
        valid_from=to_days(frame["valid_from"]),
        valid_to=to_days(frame["valid_to"]),
        population=frame["population_2022"].to_numpy(dtype=np.int64),
    )


def code_list(name: str) -> tuple[str, ...]:
    """Codes of a shipped code list, in file order."""
    return tuple(codes.codes_in(name))


def require_codes(name: str, wanted: Sequence[str]) -> tuple[str, ...]:
    """The codes of list ``name``; raise :class:`ConfigError` if any of ``wanted`` is missing from it."""
    listed = code_list(name)
    missing = sorted(set(wanted) - set(listed))
    if missing:
        raise ConfigError(
            f"data/raw/reference/{name}.csv lacks the codes {missing} that the synthetic generator uses."
        )
    return listed


def checked(name: str, wanted: Sequence[str]) -> tuple[str, ...]:
    """``wanted`` (in the generator's order) after checking every code is in list ``name``."""
    require_codes(name, wanted)
    return tuple(wanted)
