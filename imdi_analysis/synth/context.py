"""What a source generator gets: the year, its random stream, the shared population, the geography."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from imdi_analysis.synth._common import rng_for, year_end, year_start
from imdi_analysis.synth.population import Universe
from imdi_analysis.synth.reference import Geography


@dataclass
class YearContext:
    """Inputs of one year's extracts.

    Attributes
    ----------
    year : extract year (the extract is taken on 31 December)
    seed, scale : the run's seed and person-count multiplier
    universe : the shared population (persons with stable ids across years and sources)
    """

    year: int
    seed: int
    scale: float
    universe: Universe
    memo: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def geography(self) -> Geography:
        return self.universe.geography

    @property
    def start(self) -> int:
        """Day number of 1 January of the year."""
        return year_start(self.year)

    @property
    def end(self) -> int:
        """Day number of the extract date, 31 December."""
        return year_end(self.year)

    def remember(self, key: str, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """``compute()`` once per year (e.g. rows two sources share)."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def rng(self, source: str) -> np.random.Generator:
        """Random generator of (seed, year, source)."""
        return rng_for(self.seed, self.year, source)

    def collect(
        self, stream: str, cohorts: Iterable[int], select: Callable[[pd.DataFrame], np.ndarray]
    ) -> pd.DataFrame:
        """Rows of derived ``stream`` over ``cohorts`` kept by ``select(frame) -> mask``, in cohort order."""
        parts = []
        for cohort in cohorts:
            frame = self.universe.get(stream, cohort)
            parts.append(frame[select(frame)])
        return pd.concat(parts, ignore_index=True)
