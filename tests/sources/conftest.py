"""Fixtures for source tests: a writable copy of the tiny valid extracts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.sources.helpers import SOURCE_FIXTURES


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of ``tests/fixtures/sources`` (one year folder, 2022)."""
    target = tmp_path / "registers"
    shutil.copytree(SOURCE_FIXTURES, target)
    return target
