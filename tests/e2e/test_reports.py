"""The reports the letter asks for, in books built by `imdi run` for their periods (issue 17).

The annual and half-year books come from the session's e2e book (both periods of 2022, audited
before publishing); the quarterly analysis from `imdi run --period Q3` on the same registers.
Each page must exist, carry its tables and pass the audit of the built release.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from imdi_analysis.audit import audit_directory

pytestmark = pytest.mark.slow


def text_of(path: Path) -> str:
    page = re.sub(r"<script.*?</script>|<style.*?</style>", "", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_deviation_pages_for_the_half_year_and_the_annual_report(built_book):
    for period, heading in (("H1", "Avvik – halvårsrapport 2022"), ("year", "Avvik – årsrapport 2022")):
        page = text_of(built_book.html / "2022" / period / "report_deviations.html")
        assert heading in page
        assert "Utover usikkerheten" in page and "Budsjett" in page and "Oppdrag med frist" in page


def test_key_figures_page_only_in_the_annual_report(built_book):
    page = text_of(built_book.html / "2022" / "year" / "report_key_figures.html")
    assert "Hovedtall 2022" in page and "Bosatte flyktninger i året" in page
    assert not (built_book.html / "2022" / "H1" / "report_key_figures.html").exists()


@pytest.fixture(scope="module")
def quarterly_book(built_book, tmp_path_factory) -> Path:
    from imdi_analysis.pipeline import run

    root = tmp_path_factory.mktemp("q3")
    run(
        [2022],
        ["Q3"],
        data_dir=built_book.registers,
        build_dir=root / "build",
        output_dir=root / "out",
        jobs=2,
    )
    return root / "build" / "html"


def test_quarterly_analysis_is_built_for_q3_and_passes_the_audit(quarterly_book):
    page = text_of(quarterly_book / "2022" / "Q3" / "report_quarterly.html")
    assert "Bosettingsarbeidet, 3. kvartal 2022" in page
    for key in ("K1", "K2", "K3", "K4", "K5", "K6"):
        assert f"Tabell {key}." in page
    assert "2021K4" in page and "2022K3" in page  # the eight-quarter trend
    result = audit_directory(quarterly_book, threshold=5)
    assert not result.findings, result.findings[:5]
