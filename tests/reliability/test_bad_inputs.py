"""Bad inputs: every register source and letter file, broken one way at a time (issue 9).

The corpus in ``tests/fixtures/bad/sources/`` (written by ``tests/fixtures/bad/make_corpus.py``)
holds one file per source or letter file and kind of damage; ``cases.json`` says whether the
file must fail or load, and which column, rows and values are concerned.

- Every failing case, read through the package's loader, raises ``DataValidationError`` whose
  message names the file, the column and the rows, and leaves the input files untouched.
- Every case that must load (BOM, tab-separated, Windows-1252 with æøå, text starting with
  ``=`` ``+`` ``-`` ``@``) gives the same frame as the valid file, with its text intact; such
  text never becomes a live formula in a published workbook.
- Hostile input (issue 15): non-finite numbers, dates after the extract date (the extract date
  itself loads), impossible dates, a field over 128 KiB and UTF-16 fail like the rest, and no
  message is longer than :data:`MAX_MESSAGE_CHARS` however long the bad value; a monthly file
  that stops in June loads, and the year's validation warns of the months it lacks.
- One case per kind (the expensive checks): ``process_year`` into a folder with a previous good
  run and the tiny fixture book with ``validate=True`` both refuse, and the processed files and
  every file of ``build/html`` stay byte-identical; the ``imdi`` command exits non-zero.

Known gaps in modules these tests do not own are marked ``xfail(strict=True)`` in
:data:`KNOWN_GAPS`, so a fix makes the test pass and the mark must be removed.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import re
import shutil
import subprocess
import sys

import numpy as np
import openpyxl
import pandas as pd
import pytest

from imdi_analysis import config
from imdi_analysis.cli import main
from imdi_analysis.disclosure import apply_disclosure
from imdi_analysis.errors import DataValidationError, ImdiError
from imdi_analysis.publish import publish_csv, publish_workbook
from imdi_analysis.sources.processing import process_year, validate_year
from imdi_analysis.sources.registry import SOURCES
from imdi_analysis.tables import TOTAL, AppendixTable
from tests.reliability.conftest import (
    CASES,
    CORPUS,
    GOOD_LETTER,
    GOOD_REGISTERS,
    LETTER_YEAR,
    REGISTER_YEAR,
    REGISTERS,
    GoodRun,
    cases_where,
    copy_good_inputs,
    install_case,
    load_case,
    run_tiny_book,
    tree_state,
)

FAILING = cases_where(outcome="fail")
LOADING = cases_where(outcome="load")
WARNING = cases_where(outcome="warn")
KNOWN_GAPS: dict[str, str] = {}  # case id -> why it fails today (none left: issue 9 fixed them)
SUBPROCESS_SOURCE = "settlement"
SUBPROCESS_KINDS = ("missing_column", "truncated_file", "wrong_delimiter", "utf16_bom", "huge_field")
SUBPROCESS_KINDS += ("date_after_extract", "impossible_date")
ALWAYS_KINDS = {"missing_column", "extra_column", "wrong_type", "empty_file", "truncated_file"}
ALWAYS_KINDS |= {"wrong_delimiter", "tab_delimiter", "bom", "utf16_bom", "utf16_no_bom"}
SOMETIMES_KINDS = {"invalid_code", "duplicate_id", "inverted_dates", "negative_count", "short_row"}
SOMETIMES_KINDS |= {"cp1252_text", "formula_text", "non_finite_number", "date_after_extract"}
SOMETIMES_KINDS |= {"date_on_extract", "impossible_date", "huge_field", "months_cut_off"}
MAX_MESSAGE_CHARS = 5000  # a report shows values cut to 60 characters, five per check
LETTER_COMMANDS = {
    "chapter_totals": ["letter", "check"],
    "budget_posts": ["letter", "check"],
    "earmarks": ["letter", "check"],
    "grants": ["letter", "check"],
    "assignments": ["letter", "assignments"],
    "reports": ["letter", "calendar"],
    "meetings": ["letter", "calendar"],
}
PUBLISHED = dt.date(2023, 2, 15)
THRESHOLD = 5


def with_gaps(cases: list[dict]) -> list:
    """``cases`` as pytest params named by case id; known gaps are marked strict xfail."""
    return [pytest.param(c, id=c["id"], marks=xfail_marks(KNOWN_GAPS.get(c["id"]))) for c in cases]


def xfail_marks(reason: str | None) -> list:
    return [] if reason is None else [pytest.mark.xfail(strict=True, reason=reason)]


def one_per_kind(cases: list[dict]) -> list[dict]:
    """One case of each kind, taking a different source or file for each kind (deterministic)."""
    chosen = []
    for i, kind in enumerate(dict.fromkeys(c["kind"] for c in cases)):
        of_kind = [c for c in cases if c["kind"] == kind]
        chosen.append(of_kind[i % len(of_kind)])
    return chosen


BOOK_CASES = one_per_kind([c for c in FAILING if c["target"] == REGISTERS])
SUBPROCESS_CASES = [c for c in FAILING if c["name"] == SUBPROCESS_SOURCE and c["kind"] in SUBPROCESS_KINDS]
LETTER_COMMAND_CASES = one_per_kind([c for c in FAILING if c["name"] in LETTER_COMMANDS])


def names_column(message: str, column: str) -> bool:
    """Whether ``column`` appears as a word of ``message`` (also inside a check name such as
    ``deadline_after_count_date``)."""
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(column)}(?![A-Za-z0-9])", message) is not None


def names_row(message: str, row: int) -> bool:
    return re.search(rf"\brow {row}(?!\d)", message) is not None


def assert_names_case(message: str, case: dict, path) -> None:
    """The message names the file, the column (one of the cut columns; none for a problem of the
    whole file, such as its encoding), every row and value concerned, and stays short."""
    assert str(path) in message, f"file not named:\n{message[:MAX_MESSAGE_CHARS]}"
    assert len(message) <= MAX_MESSAGE_CHARS, f"message of {len(message)} characters:\n{message[:2000]}"
    columns = case.get("columns") or [case["column"]]
    rest = message.replace(str(path), "")  # the file name must not count as naming a column
    if columns != [""]:
        assert any(names_column(rest, c) for c in columns), f"none of {columns} named:\n{message}"
    for row in case["rows"]:
        assert names_row(message, row), f"row {row} not named:\n{message}"
    for value in [case["value"]] if "value" in case else case.get("values", []):
        assert value in message, f"value {value!r} not shown:\n{message}"
    assert "Traceback" not in message


def good_frame(case: dict) -> pd.DataFrame:
    """The valid file of the case's target, loaded the same way."""
    return load_good(case["target"], case["name"]).copy()


@functools.cache
def load_good(target: str, name: str) -> pd.DataFrame:
    root = GOOD_REGISTERS if target == REGISTERS else GOOD_LETTER
    return load_case({"target": target, "name": name}, root)


# --- the corpus itself ------------------------------------------------------------------------


def test_corpus_is_what_the_generator_writes(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS.parent / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    module.write_corpus(tmp_path)
    written = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    committed = {p.relative_to(CORPUS).as_posix(): p.read_bytes() for p in CORPUS.rglob("*") if p.is_file()}
    assert written == committed, "rerun tests/fixtures/bad/make_corpus.py and commit its output"


def test_corpus_covers_every_source_and_letter_file_with_every_kind_that_applies():
    registers = {c["name"] for c in CASES if c["target"] == REGISTERS}
    letter_files = {c["name"] for c in CASES if c["target"] != REGISTERS}
    assert registers == set(SOURCES)
    assert letter_files == {p.stem for p in (GOOD_LETTER / str(LETTER_YEAR)).glob("*.csv")}
    for name in registers | letter_files:
        assert {c["kind"] for c in CASES if c["name"] == name} >= ALWAYS_KINDS, name
    assert {c["kind"] for c in CASES} == ALWAYS_KINDS | SOMETIMES_KINDS


# --- every failing case: a clear error, inputs untouched -------------------------------------


@pytest.mark.parametrize("case", with_gaps(FAILING))
def test_bad_input_fails_naming_file_column_and_row_and_leaves_inputs_untouched(case, tmp_path):
    root = copy_good_inputs(case, tmp_path / "inputs")
    path = install_case(case, root)
    before = tree_state(root)
    with pytest.raises(DataValidationError) as info:
        load_case(case, root)
    assert tree_state(root) == before
    assert_names_case(str(info.value), case, path)


# --- every case that must load: same data, text intact ----------------------------------------


@pytest.mark.parametrize("case", with_gaps(LOADING))
def test_supported_dialect_loads_the_same_data_with_text_intact(case, tmp_path):
    root = copy_good_inputs(case, tmp_path / "inputs")
    install_case(case, root)
    before = tree_state(root)
    frame = load_case(case, root)
    assert tree_state(root) == before
    good = good_frame(case)
    cells = case.get("cells", [])
    if not cells:
        pd.testing.assert_frame_equal(frame, good)
        return
    assert len(frame) == len(good) + case.get("added_rows", 0)
    for cell in cells:
        assert cell["value"] in as_written(frame[cell["column"]]), cell
    changed = sorted({cell["column"] for cell in cells})
    pd.testing.assert_frame_equal(
        frame.drop(columns=changed).iloc[: len(good)], good.drop(columns=changed), check_index_type=False
    )


def as_written(values: pd.Series) -> list:
    """Cell values as the file writes them: dates as ``YYYY-MM-DD``, other values as they are."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d").tolist()
    return values.tolist()


# --- a monthly file that stops early: it loads, and validation warns of the missing months ---


@pytest.mark.parametrize("case", with_gaps(WARNING))
def test_monthly_file_that_stops_early_loads_and_validation_warns_of_each_missing_month(case, tmp_path):
    """The hand-written file holds January to June 2022; the extract date is 31 December 2022,
    so July to December are missing: six warning rows, in month order, and the year stays valid."""
    root = copy_good_inputs(case, tmp_path / "inputs")
    path = install_case(case, root)
    before = tree_state(root)
    assert len(load_case(case, root)) == 6
    result = validate_year(REGISTER_YEAR, root, keep_frames=False)
    assert tree_state(root) == before
    assert result.ok, result.summary()
    warnings = result.warnings[result.warnings["file"] == str(path)]
    assert warnings["column"].tolist() == [case["column"]] * len(case["values"])
    assert warnings["value"].tolist() == case["values"]
    summary = result.summary()
    assert summary.startswith("OK: ")
    assert str(path) in summary and all(month in summary for month in case["values"])
    assert "2022-06" not in summary.split("months missing:")[1]


def test_text_that_looks_like_a_formula_is_never_a_live_formula_when_published(tmp_path):
    case = next(c for c in cases_where(kind="formula_text", target=REGISTERS) if c["name"] == "complaints")
    root = copy_good_inputs(case, tmp_path / "inputs")
    install_case(case, root)
    labels = load_case(case, root)[case["cells"][0]["column"]].tolist()
    assert {cell["value"] for cell in case["cells"]} <= set(labels)
    data = pd.DataFrame({"label": [*labels, TOTAL], "value": [10.0] * len(labels) + [10.0 * len(labels)]})
    data = data.assign(measure="count", base=np.nan)
    labels_nb = {"label": "Saksnummer"}
    table = AppendixTable("F1", "Saker", REGISTER_YEAR, "year", data, ["label"], labels_nb, notes=[labels[0]])
    disclosed = apply_disclosure(table, THRESHOLD)
    workbook = tmp_path / "tabeller.xlsx"
    options = {"year": REGISTER_YEAR, "period": "year", "synthetic": True, "published": PUBLISHED}
    publish_workbook([disclosed], workbook, threshold=THRESHOLD, **options)
    book = openpyxl.load_workbook(workbook)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert set(labels) <= {c.value for c in cells}, "labels are published as the same text"
    publish_csv(disclosed, tmp_path / "F1.csv")
    published = pd.read_csv(tmp_path / "F1.csv", dtype=str)["Saksnummer"].tolist()
    assert {f"'{label}" for label in labels if label[0] in "=+-@"} <= set(published)


# --- one case per kind: processed data and the book stay as they were -------------------------


def error_of(call, *args) -> ImdiError | None:
    """The :class:`ImdiError` ``call(*args)`` raises, or ``None`` when it returns."""
    try:
        call(*args)
    except ImdiError as exc:
        return exc
    return None


def restore_good_run(good: GoodRun, path, processed: dict) -> None:
    """Put the valid file back; redo the processing if a bad file got through it."""
    shutil.copyfile(GOOD_REGISTERS / str(REGISTER_YEAR) / path.name, path)
    if tree_state(good.processed) != processed:
        process_year(REGISTER_YEAR, good.registers, good.processed)


@pytest.mark.slow
@pytest.mark.parametrize("case", with_gaps(BOOK_CASES))
def test_bad_input_leaves_processed_data_and_book_byte_identical(case, good_run: GoodRun):
    processed, html = tree_state(good_run.processed), tree_state(good_run.html)
    assert processed and any(name.endswith(".html") for name in html), "the good run produced nothing"
    path = install_case(case, good_run.registers)
    try:
        raw = tree_state(good_run.registers)
        processing = error_of(process_year, REGISTER_YEAR, good_run.registers, good_run.processed)
        building = error_of(run_tiny_book, good_run) if processing is not None else None
        after = tree_state(good_run.registers), tree_state(good_run.processed), tree_state(good_run.html)
    finally:
        restore_good_run(good_run, path, processed)
    assert isinstance(processing, DataValidationError), "process_year accepted the bad file"
    assert isinstance(building, ImdiError), "the book was built from the bad file"
    assert str(path) in str(processing) and str(path) in str(building)
    assert after == (raw, processed, html)


@pytest.mark.parametrize("case", with_gaps(SUBPROCESS_CASES))
def test_imdi_validate_exits_non_zero_naming_file_column_and_row(case, tmp_path):
    root = copy_good_inputs(case, tmp_path / "inputs")
    path = install_case(case, root)
    before = tree_state(root)
    command = [sys.executable, "-m", "imdi_analysis", "validate", "--year", str(REGISTER_YEAR)]
    command += ["--data", str(root)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=config.REPO_ROOT, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert_names_case(done.stderr, case, path)
    assert f"1 of {len(SOURCES)} source files for {REGISTER_YEAR} failed" in done.stderr
    assert tree_state(root) == before


@pytest.mark.parametrize("case", with_gaps(LETTER_COMMAND_CASES))
def test_imdi_letter_command_exits_non_zero_naming_file_column_and_row(case, tmp_path, monkeypatch, capsys):
    root = copy_good_inputs(case, tmp_path / "letter")
    path = install_case(case, root)
    before = tree_state(root)
    monkeypatch.setattr("imdi_analysis.config.LETTER_DIR", root)
    monkeypatch.setattr(sys, "argv", ["imdi", *LETTER_COMMANDS[case["name"]], "--year", str(LETTER_YEAR)])
    with pytest.raises(SystemExit) as exited:
        main()
    out, err = capsys.readouterr()
    assert exited.value.code == 1
    assert out == ""
    assert_names_case(err, case, path)
    assert tree_state(root) == before
