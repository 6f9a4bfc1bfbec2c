"""Shared fixtures of the budget tests: the hand-made letter and accounts, and isolated data roots."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BUDGET = FIXTURES / "budget"
BAD = FIXTURES / "bad" / "budget"
LETTER_ROOT = BUDGET / "letter"
ACCOUNTS = BUDGET / "accounts"


@pytest.fixture
def accounts_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture accounts (2021 and 2022)."""
    target = tmp_path / "accounts"
    shutil.copytree(ACCOUNTS, target)
    return target


@pytest.fixture
def data_root(tmp_path: Path, monkeypatch) -> Path:
    """Point the raw and synthetic data folders at an empty temporary root."""
    root = tmp_path / "data"
    monkeypatch.setattr("imdi_analysis.config.RAW_DIR", root / "raw")
    monkeypatch.setattr("imdi_analysis.config.SYNTHETIC_DIR", root / "synthetic")
    return root
