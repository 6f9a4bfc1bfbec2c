"""The DuckDB cross-check of three appendix tables agrees with our builders on the e2e data."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_duckdb_computes_the_same_cells_as_our_builders(built_book):
    from benchmarks.bench_duckdb import cross_check

    for period in ("year", "H1"):
        rows, problems = cross_check(built_book.registers, 2022, period)
        assert problems == []
        assert {r["table"] for r in rows} == {"10", "16", "18"}
        assert all(r["cells"] > 0 for r in rows)
