"""Fixtures: small synthetic data generated once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from imdi_analysis.synth import generate

SMALL_SCALE = 0.05
YEARS = (2019, 2020, 2021, 2022, 2023)
SEED = 2022


@pytest.fixture(scope="session")
def small_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Synthetic extracts 2019–2023 at scale 0.05 with the default seed."""
    out = tmp_path_factory.mktemp("synth") / "registers"
    generate(YEARS, seed=SEED, scale=SMALL_SCALE, out_dir=out, progress=False)
    return out
