"""Shared test fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(autouse=True, scope="session")
def validated_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the store of validated extracts out of the repository (subprocesses inherit it)."""
    folder = tmp_path_factory.mktemp("validated-store")
    previous = os.environ.get("IMDI_CACHE_DIR")
    os.environ["IMDI_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("IMDI_CACHE_DIR", None)
    else:
        os.environ["IMDI_CACHE_DIR"] = previous
