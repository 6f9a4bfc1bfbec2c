"""Nothing person-level is published: no person column, no person id, no small visible count."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from imdi_analysis.audit import audit_directory
from imdi_analysis.sources.registry import SOURCES

pytestmark = pytest.mark.slow
PUBLISHED_SUFFIXES = {".html", ".csv", ".json", ".txt", ".ipynb", ".xlsx"}


def published_text(root: Path) -> dict[Path, str]:
    """Text of every published file (XLSX: its XML parts), by path."""
    texts = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in PUBLISHED_SUFFIXES:
            continue
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                texts[path] = "\n".join(
                    archive.read(n).decode("utf-8", "replace")
                    for n in archive.namelist()
                    if n.endswith(".xml")
                )
        else:
            texts[path] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def test_audit_passes_on_the_whole_book_and_the_downloads(built_book):
    for root in (built_book.html, built_book.output_dir):
        result = audit_directory(root)
        assert result.ok, result.report()
        assert result.tables, f"the audit read no table under {root}"


def test_no_person_id_appears_in_any_published_file(built_book):
    ids: set[str] = set()
    for name in ("intro_participants", "settlement", "jobbsjansen", "interpreters"):
        column = "interpreter_id" if name == "interpreters" else "person_id"
        frame = pd.read_csv(built_book.registers / "2022" / f"{name}.csv", usecols=[column], dtype=str)
        ids |= set(frame[column].dropna().head(300))
    assert ids
    texts = published_text(built_book.html) | published_text(built_book.output_dir)
    leaks = [f"{path}: {pid}" for path, text in texts.items() for pid in ids if pid in text]
    assert leaks == []


def test_no_sensitive_column_header_in_published_tables(built_book):
    sensitive = {c for spec in SOURCES.values() for c in spec.sensitive_columns}
    for path in sorted(built_book.output_dir.rglob("*.csv")):
        header = set(pd.read_csv(path, nrows=0).columns)
        assert not (header & sensitive), f"{path} publishes {sorted(header & sensitive)}"
