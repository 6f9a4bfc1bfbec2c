"""Audit of published output: no small counts, no recoverable hidden cells, no person-level columns.

:func:`audit_directory` walks a folder of published files (or one file) and reads every
appendix table back from what a reader gets:

- CSV files with their ``<key>.json`` sidecar (written by :func:`imdi_analysis.publish.publish_csv`);
- XLSX workbooks: table sheets described by the ``imdi_table:<sheet>`` custom document property
  that :func:`imdi_analysis.publish.publish_workbook` writes; any formula cell is a finding;
- HTML pages, such as the built book: every ``<table>`` with ``data-imdi-table`` (from
  :func:`imdi_analysis.publish.table_html` or ``table_markdown``).

- the goal pages' indicator tables (``Gruppe``, ``Verdi``, ``Teller``, ``Nevner``), read as a
  reader would: row labels, headers and Norwegian numbers (``4 953,07``), no metadata needed.

A finding is raised when a visible count lies in ``(0, threshold)``, when a hidden cell still
shows a value, when any column header names person-level data (identifiers, birth dates, exact
event dates), and when a file claims another threshold than the run's. A CSV that looks like a
published table but has no sidecar cannot be checked and is a finding too. Then every table read
back is put into one system of linear relations (sums, copies across files and tables, share ×
base) and the interval of every hidden cell is computed by linear programming
(:mod:`imdi_analysis.audit.lp`): a hidden cell that is determined, or whose interval lies
inside ``1 … threshold − 1``, is a finding (``derivable``, ``small_interval``), as is a set of
published numbers that contradict each other (``inconsistent``).

The threshold is the run's, never a file's claim: the caller's ``threshold``, else the one in
the run manifest the pipeline writes beside the book (``<build>/manifest.json`` next to
``<build>/html``, or ``manifest.json`` in the folder), else
:data:`~imdi_analysis.disclosure.DEFAULT_THRESHOLD`. Which tables stack distributions is read
from the sidecar's ``stacking`` (by dimension name) and from the wide formats' ``stacking``
(by dimension position); files published before these existed are read as unstacked tables.
"""

from __future__ import annotations

import csv
import dataclasses
import html as html_module
import io
import json
import math
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd

from imdi_analysis.audit.lp import (
    EXACT_HALF_UNIT,
    AuditRule,
    PublishedCell,
    PublishedTable,
    audit_release,
    report_scope,
)
from imdi_analysis.disclosure import DEFAULT_THRESHOLD, check_threshold, small_visible_counts
from imdi_analysis.errors import DataNotFoundError, ImdiError
from imdi_analysis.publish import (
    LAYOUT_DIM,
    LAYOUT_DIM_MEASURES,
    LAYOUT_MEASURES,
    MEASURE_HEADER,
    SIDECAR_FORMAT,
    SYMBOL_HEADER,
    VALUE_HEADER,
    XLSX_PROPERTY_PREFIX,
)
from imdi_analysis.tables import (
    MEASURE_COUNT,
    MEASURE_LABELS,
    MEASURE_PERCENT,
    STATUS_MISSING,
    STATUS_NOT_APPLICABLE,
    STATUS_SHOWN,
    STATUS_SUPPRESSED,
    STATUS_ZERO,
    AppendixTable,
    Stacking,
)

# Column headers that mean person-level data, matched against the lower-cased header with
# spaces and hyphens as underscores. Register columns are named in docs/data_contracts.md.
PERSON_LEVEL_PATTERNS = tuple(
    re.compile(p)
    for p in (
        r"person_?id",
        r"(interpreter|tolk|test|case|sak)_id",
        r"f[øo]dselsnummer|personnummer|fnr|d_nummer",
        r"birth_?date|date_of_birth|dob|f[øo]dselsdato",
        r"[a-z0-9_]+_date",  # exact event dates of the register extracts (permit_date, ...)
        r"(programme|norwegian|social_studies)_(start|end)",
        r"(oppholds|vedtaks|bosettings|ankomst|bosettingsklar)_?dato",
    )
)
HIDDEN = (STATUS_SUPPRESSED, STATUS_MISSING, STATUS_NOT_APPLICABLE)
SYMBOLS = (*HIDDEN, STATUS_ZERO)
LABEL_TO_MEASURE = {label: code for code, label in MEASURE_LABELS.items()}
TABLE_SUFFIXES = (".csv", ".xlsx", ".html", ".htm")
COLUMN_DIM = "kolonne"
MANIFEST_NAME = "manifest.json"
TOKEN = re.compile(
    r"<!--.*?-->|<![^>]*>|<(/)?([a-zA-Z][a-zA-Z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>|([^<]+)", re.S
)
ATTRIBUTE = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
ATTRIBUTE_TAGS = frozenset({"table", "th", "td"})
# a <code> may wrap its text in a <span> (Sphinx: <code class="literal"><span class="pre">sp11_…</span></code>)
TABLE_OR_CODE = re.compile(r"<table\b.*?</table\s*>|<code\b[^>]*>.*?</code\s*>", re.S | re.I)
INDICATOR_HEADERS = {"group": "Gruppe", "value": "Verdi", "numerator": "Teller", "denominator": "Nevner"}
LP_KINDS = {"determined": "derivable", "small_interval": "small_interval", "inconsistent": "inconsistent"}


@dataclass(frozen=True)
class Finding:
    """One problem in one published file."""

    path: str
    kind: str  # small_count, derivable, small_interval, inconsistent, threshold, hidden_value,
    # person_level_column, formula, unaudited, unreadable
    message: str
    table: str = ""

    def __str__(self) -> str:
        where = f"{self.path} [{self.table}]" if self.table else self.path
        return f"{where}: {self.kind}: {self.message}"


@dataclass
class AuditResult:
    """What the audit looked at and what it found."""

    root: Path
    findings: list[Finding] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)  # "<file> [<key>]" of every table read back
    files: int = 0
    rule: AuditRule = field(default_factory=AuditRule)
    published: list[PublishedTable] = field(default_factory=list)  # what the LP audit reads

    @property
    def ok(self) -> bool:
        return not self.findings

    def report(self) -> str:
        """A plain-text report: one line per finding, then a summary."""
        lines = [str(f) for f in self.findings]
        verdict = "OK" if self.ok else f"{len(self.findings)} finding(s)"
        hidden = sum(c.status == STATUS_SUPPRESSED for t in self.published for c in t.cells)
        lines.append(
            f"{verdict}: audited {len(self.tables)} table(s) in {self.files} file(s) under {self.root} "
            f"(threshold {self.rule.threshold}; {hidden} hidden cell(s) bounded by linear programming)."
        )
        return "\n".join(lines)


def audit_directory(
    path: Path, threshold: int | None = None, rule: AuditRule | None = None, ahead: ReadAhead | None = None
) -> AuditResult:
    """Audit every published CSV, XLSX and HTML file under ``path`` (or the file ``path``).

    Parameters
    ----------
    path : folder of published output (or a single file)
    threshold : the run's threshold; default: the run manifest's (:func:`run_threshold`), else
        :data:`~imdi_analysis.disclosure.DEFAULT_THRESHOLD`. Never a file's own claim: a file
        that claims another threshold is a finding.
    rule : the full protection rule (:class:`~imdi_analysis.audit.lp.AuditRule`); overrides
        ``threshold``
    ahead : files read before, elsewhere (:func:`read_ahead`: the book's downloads while the
        book is being built); a file under ``path`` at the same relative path with the same
        SHA-256 is taken from it instead of being read again. Everything else is read here.

    Raises
    ------
    DataNotFoundError
        When ``path`` does not exist.
    """
    root = Path(path)
    if not root.exists():
        raise DataNotFoundError(f"Nothing to audit: {root} does not exist.")
    if rule is None:
        rule = AuditRule(check_threshold(threshold) if threshold is not None else run_threshold(root))
    threshold = rule.threshold
    files = published_files(root)
    result = AuditResult(root=root, files=len(files), rule=rule)
    sidecars = find_sidecars(root) if root.is_dir() else find_sidecars(root.parent, recursive=False)
    for file in files:
        sidecar = sidecars.pop(file.resolve(), None) if file.suffix.lower() == ".csv" else None
        same_rule = ahead is not None and ahead.threshold == threshold and root.is_dir()
        copy = ahead.copy_of(file, root, sidecar) if same_rule else None
        if copy is not None:  # read before the build, and these are the same bytes
            copy.moved_to(root).add_to(result)
        else:
            read_file(file, sidecar, threshold, result)
    if root.is_dir():
        for csv_path, (json_path, _) in sorted(sidecars.items()):
            result.findings.append(
                Finding(str(json_path), "unreadable", f"its CSV {csv_path.name} is missing.")
            )
    result.findings += [
        Finding(f.path, LP_KINDS.get(f.kind, f.kind), f.message, f.table)
        for f in audit_release(result.published, rule)
    ]
    return result


def read_file(file: Path, sidecar: tuple[Path, dict] | None, threshold: int, result: AuditResult) -> None:
    """Read one published file back into ``result`` (its tables and per-file findings)."""
    suffix = file.suffix.lower()
    if suffix == ".csv":
        audit_csv(file, sidecar, threshold, result)
    elif suffix == ".xlsx":
        audit_workbook(file, threshold, result)
    else:
        audit_html(file, threshold, result)


@dataclass
class FileReading:
    """What reading one file gave: the SHA-256 of what was read (:func:`reading_digest`), its
    findings, the tables read and the published tables."""

    relative: str
    sha256: str
    findings: list[Finding]
    tables: list[str]
    published: list[PublishedTable]
    root: Path

    def moved_to(self, root: Path) -> FileReading:
        """The same reading, with every path under the original root naming the copy under ``root``."""
        old = str(self.root) + "/"

        def rename(text: str) -> str:
            return str(root) + "/" + text[len(old) :] if text.startswith(old) else text

        return FileReading(
            self.relative,
            self.sha256,
            [dataclasses.replace(f, path=rename(f.path)) for f in self.findings],
            [rename(t) for t in self.tables],
            [dataclasses.replace(t, path=rename(t.path)) for t in self.published],
            root,
        )

    def add_to(self, result: AuditResult) -> None:
        result.findings += self.findings
        result.tables += self.tables
        result.published += self.published


@dataclass
class ReadAhead:
    """Downloads read before the book's build copies them (:func:`read_ahead`), by relative path."""

    root: Path
    threshold: int
    files: dict[str, FileReading]

    def copy_of(self, file: Path, root: Path, sidecar: tuple[Path, dict] | None) -> FileReading | None:
        """The reading of ``file``'s original, when ``file`` (under ``root``) and its sidecar have
        the same bytes as the original and its sidecar."""
        reading = self.files.get(file.relative_to(root).as_posix())
        if reading is None or reading_digest(file, sidecar) != reading.sha256:
            return None
        return reading


def reading_digest(file: Path, sidecar: tuple[Path, dict] | None) -> str:
    """SHA-256 of a file and, for a CSV, of the sidecar it is read with (which says what it holds)."""
    from imdi_analysis.manifest import sha256_file

    return sha256_file(file) + (":" + sha256_file(sidecar[0]) if sidecar is not None else "")


def read_ahead(root: Path, threshold: int) -> ReadAhead:
    """Read every CSV (with its sidecar) and XLSX file under ``root`` now, for a later audit of a
    folder holding copies of them (``audit_directory(..., ahead=...)``): the pipeline reads the
    book's downloads while Jupyter Book builds the pages. Each file is read as the audit reads it."""
    threshold = check_threshold(threshold)
    sidecars = find_sidecars(root)
    files = {}
    for file in published_files(root):
        if file.suffix.lower() not in (".csv", ".xlsx"):
            continue
        alone = AuditResult(root=root, rule=AuditRule(threshold))
        sidecar = sidecars.get(file.resolve()) if file.suffix.lower() == ".csv" else None
        read_file(file, sidecar, threshold, alone)
        relative = file.relative_to(root).as_posix()
        files[relative] = FileReading(
            relative, reading_digest(file, sidecar), alone.findings, alone.tables, alone.published, root
        )
    return ReadAhead(root, threshold, files)


def run_threshold(root: Path) -> int:
    """The threshold of the run that built ``root``: its run manifest's, else the package default.

    The manifest is the one the pipeline writes beside the book (``<build>/manifest.json`` for
    ``<build>/html``) or inside the folder audited.
    """
    folder = root if root.is_dir() else root.parent
    for candidate in (folder.parent / MANIFEST_NAME, folder / MANIFEST_NAME):
        try:
            manifest = json.loads(candidate.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        recorded = (manifest.get("parameters") or {}).get("threshold") if isinstance(manifest, dict) else None
        if isinstance(recorded, int) and not isinstance(recorded, bool):
            return check_threshold(recorded)
        if isinstance(manifest, dict) and "parameters" in manifest:
            return DEFAULT_THRESHOLD  # a run with the default threshold records None
    return DEFAULT_THRESHOLD


def certify_tables(tables: list[AppendixTable], threshold: int = DEFAULT_THRESHOLD) -> list[Finding]:
    """The LP audit of disclosed tables held in memory, as if published together in one report.

    Values are rounded as the CSV publishes them (:data:`imdi_analysis.publish.DECIMALS`); a
    visible count below ``threshold`` is a finding too. Use it to certify a protection made by
    another tool (the τ-ARGUS benchmark).
    """
    from imdi_analysis.publish import DECIMALS

    rule = AuditRule(check_threshold(threshold))
    findings: list[Finding] = []
    published = []
    for table in tables:
        data = table.data
        if "status" not in data.columns:
            raise ImdiError(f"Table {table.key} has no status column: disclose it before certifying it.")
        findings += [
            Finding("<memory>", "small_count", m, table.key) for m in small_visible_counts(table, threshold)
        ]
        cells = []
        for record in data.to_dict("records"):
            measure = str(record["measure"])
            decimals = DECIMALS.get(measure, 1)
            status = "" if pd.isna(record["status"]) else str(record["status"])
            value = float(record["value"]) if pd.notna(record["value"]) else math.nan
            if status in HIDDEN:
                value = math.nan
            elif not math.isnan(value):
                value = round(value, decimals)
            cells.append(
                PublishedCell(
                    tuple(category_label(record[d]) for d in table.dims),
                    measure,
                    status,
                    value,
                    0.5 * 10**-decimals,
                )
            )
        published.append(
            PublishedTable("<memory>", table.key, "memory", list(table.dims), cells, table.stacking)
        )
    findings += [
        Finding(f.path, LP_KINDS.get(f.kind, f.kind), f.message, f.table)
        for f in audit_release(published, rule)
    ]
    return findings


def category_label(value: object) -> str:
    """A category as the published files write it (``2022``, not ``2022.0``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def published_files(root: Path) -> list[Path]:
    """CSV, XLSX and HTML files under ``root`` (hidden files and folders skipped), sorted."""
    if root.is_file():
        return [root] if root.suffix.lower() in TABLE_SUFFIXES else []
    return [
        p
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and p.suffix.lower() in TABLE_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]


def find_sidecars(folder: Path, recursive: bool = True) -> dict[Path, tuple[Path, dict]]:
    """CSV path -> (sidecar path, metadata) for every sidecar JSON under ``folder``."""
    out = {}
    for json_path in sorted(folder.rglob("*.json") if recursive else folder.glob("*.json")):
        if any(part.startswith(".") for part in json_path.relative_to(folder).parts):
            continue
        try:
            meta = json.loads(json_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(meta, dict) and meta.get("format") == SIDECAR_FORMAT:
            out[(json_path.parent / str(meta.get("csv", ""))).resolve()] = (json_path, meta)
    return out


# -------------------------------------------------------------------------------------- CSV


def audit_csv(
    path: Path, sidecar: tuple[Path, dict] | None, threshold: int | None, result: AuditResult
) -> None:
    """Check a CSV's headers and, with its sidecar, the table it holds."""
    try:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        result.findings.append(Finding(str(path), "unreadable", f"cannot read the CSV ({exc})."))
        return
    header = rows[0] if rows else []
    check_headers(path, header, result)
    if sidecar is None:
        if {MEASURE_HEADER, VALUE_HEADER, SYMBOL_HEADER} <= set(header):
            result.findings.append(
                Finding(str(path), "unaudited", "looks like a published table but has no sidecar JSON.")
            )
        return
    json_path, meta = sidecar
    key = str(meta.get("key", path.stem))
    try:
        table = table_from_csv(rows, meta)
    except (KeyError, ValueError, TypeError) as exc:
        result.findings.append(
            Finding(str(path), "unreadable", f"does not match {json_path.name}: {exc}", key)
        )
        return
    check_dims(path, meta, key, result)
    check_table(
        path,
        table,
        threshold,
        meta.get("threshold"),
        result,
        report_scope(path, meta.get("year"), meta.get("period")),
    )


def table_from_csv(rows: list[list[str]], meta: dict) -> AppendixTable:
    """The published table, read back from CSV rows and the sidecar metadata."""
    header = rows[0]
    if header != list(meta["columns"]):
        raise ValueError(f"columns {header} differ from the sidecar's {meta['columns']}")
    dims = [d["name"] for d in meta["dims"]]
    labels = {m["label"]: m["code"] for m in meta["measures"]}
    records = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise ValueError(f"line {number} has {len(row)} fields, expected {len(header)}")
        *categories, label, value, symbol = row
        if label not in labels:
            raise ValueError(f"line {number}: unknown {MEASURE_HEADER} {label!r}")
        records.append(
            {
                **dict(zip(dims, categories, strict=True)),
                "measure": labels[label],
                "value": float(value) if value else math.nan,
                "status": symbol,
                "shown_text": value,
                "half_unit": half_unit(value),
            }
        )
    data = pd.DataFrame(records, columns=[*dims, "measure", "value", "status", "shown_text", "half_unit"])
    return AppendixTable(
        key=str(meta["key"]),
        title=str(meta.get("title", "")),
        year=int(meta.get("year", 0)),
        period=str(meta.get("period", "year")),
        data=data,
        dims=dims,
        dim_labels={d["name"]: d["header"] for d in meta["dims"]},
        stacking=stacking_by_name(meta.get("stacking"), dims),
    )


def half_unit(text: str) -> float:
    """Half a unit of the last decimal shown in a number's text (``"12,5"`` -> 0.05)."""
    digits = re.sub(r"[^0-9.,]", "", str(text))
    decimals = len(re.split(r"[.,]", digits)[-1]) if re.search(r"[.,]", digits) else 0
    return 0.5 * 10.0**-decimals


def stacking_by_name(recorded: object, dims: list[str]) -> Stacking | None:
    """The sidecar's ``stacking`` (``{"by": ..., "within": ...}``; absent when not stacked)."""
    if recorded is None:
        return None
    if not isinstance(recorded, dict) or not {recorded.get("by"), recorded.get("within")} <= set(dims):
        raise ValueError(f"stacking {recorded!r} does not name two of the dimensions {dims}")
    return Stacking(by=str(recorded["by"]), within=str(recorded["within"]))


def stacking_by_position(recorded: object, dims: list[str]) -> Stacking | None:
    """The wide formats' ``stacking``: positions ``[by, within]`` in ``dims`` (list or ``"1,2"``)."""
    if recorded is None or recorded == "":
        return None
    positions = [int(p) for p in recorded.split(",")] if isinstance(recorded, str) else list(recorded)
    if len(positions) != 2 or not all(isinstance(p, int) and 0 <= p < len(dims) for p in positions):
        raise ValueError(f"stacking {recorded!r} does not give two positions among the dimensions {dims}")
    return Stacking(by=dims[positions[0]], within=dims[positions[1]])


def check_dims(path: Path, meta: dict, key: str, result: AuditResult) -> None:
    """Dimension names recorded in the sidecar must not be person-level columns either."""
    for name in (d.get("name", "") for d in meta.get("dims", [])):
        if is_person_level(str(name)):
            result.findings.append(
                Finding(str(path), "person_level_column", f"dimension {name!r} is person-level data.", key)
            )


# ------------------------------------------------------------------------------------- XLSX


def audit_workbook(path: Path, threshold: int | None, result: AuditResult) -> None:
    """Check every sheet: Excel table headers, formulas, and the appendix tables it holds."""
    try:
        workbook = openpyxl.load_workbook(path)
    except Exception as exc:  # openpyxl raises many types for damaged files
        result.findings.append(Finding(str(path), "unreadable", f"cannot open the workbook ({exc})."))
        return
    described = sheet_descriptions(workbook)
    for sheet in workbook.worksheets:
        check_formulas(path, sheet, result)
        ranges = [ref for _, ref in sheet.tables.items()] or [first_row_range(sheet)]
        for ref in filter(None, ranges):
            grid = [[c.value for c in row] for row in sheet[ref]]
            check_headers(
                path, [str(v) for v in grid[0] if v is not None], result, where=f"sheet {sheet.title!r}"
            )
        if sheet.title in described and sheet.tables:
            meta = described[sheet.title]
            grid = [[c.value for c in row] for row in sheet[next(iter(sheet.tables.values())).ref]]
            read_wide_table(path, meta, grid, None, threshold, result, where=f"sheet {sheet.title!r}")
    # numbers in a workbook are stored unrounded: a reader gets every digit, not the shown format


def sheet_descriptions(workbook) -> dict[str, dict]:
    """Sheet name -> the ``imdi_table:`` custom property written by the publisher."""
    out = {}
    for prop in getattr(workbook, "custom_doc_props", []):
        name = getattr(prop, "name", "")
        if name.startswith(XLSX_PROPERTY_PREFIX):
            try:
                out[name[len(XLSX_PROPERTY_PREFIX) :]] = json.loads(prop.value)
            except (TypeError, json.JSONDecodeError):
                continue
    return out


def check_formulas(path: Path, sheet, result: AuditResult) -> None:
    """Published workbooks hold values only: a formula cell is a finding."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                result.findings.append(
                    Finding(
                        str(path),
                        "formula",
                        f"sheet {sheet.title!r}, cell {cell.coordinate} holds a formula.",
                    )
                )


def first_row_range(sheet) -> str | None:
    """The first non-empty row of a sheet without Excel tables, as a range."""
    for row in sheet.iter_rows():
        if any(c.value is not None for c in row):
            return f"{row[0].coordinate}:{row[-1].coordinate}"
    return None


# ------------------------------------------------------------------------------------- HTML


class TableParser(HTMLParser):
    """Collect every ``<table>``: attributes, header cells and body rows with cell attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self.stack: list[dict] = []
        self.cell: dict | None = None
        self.code: str | None = None  # text of a <code> outside tables (the goal pages' indicator id)
        self.context = ""  # the last such text: names the indicator of the next table

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "code" and not self.stack:
            self.code = ""
        elif tag == "table":
            self.stack.append(
                {"attrs": attributes, "section": "tbody", "head": [], "body": [], "context": self.context}
            )
        elif not self.stack:
            return
        elif tag in ("thead", "tbody", "tfoot"):
            self.stack[-1]["section"] = tag
        elif tag == "tr":
            table = self.stack[-1]
            if table["section"] in ("thead", "tbody"):
                table["head" if table["section"] == "thead" else "body"].append([])
        elif tag in ("th", "td"):
            self.cell = {"tag": tag, "attrs": attributes, "text": ""}

    def handle_endtag(self, tag: str) -> None:
        if tag == "code" and self.code is not None:
            if re.fullmatch(r"sp\d+\w*", self.code.strip()):
                self.context = self.code.strip()
            self.code = None
        if not self.stack:
            return
        table = self.stack[-1]
        if tag in ("th", "td") and self.cell is not None:
            cell, self.cell = self.cell, None
            cell["text"] = cell["text"].strip()
            rows = table["head"] if table["section"] == "thead" else table["body"]
            if table["section"] != "tfoot" and rows:
                rows[-1].append(cell)
        elif tag in ("thead", "tbody", "tfoot"):
            table["section"] = "tbody"
        elif tag == "table":
            self.tables.append(self.stack.pop())

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell["text"] += data
        elif self.code is not None:
            self.code += data


class FastTableParser(TableParser):
    """:class:`TableParser` driven by a regular-expression tokenizer instead of :class:`HTMLParser`.

    The book's pages hold tens of thousands of table tags; the standard parser spends most of the
    audit on them. Tags, attributes (only of the tags the reader uses), text and character
    references are handled as :class:`HTMLParser` does for well-formed markup; comments, scripts
    and declarations are skipped.
    """

    def feed(self, data: str) -> None:
        for match in TOKEN.finditer(data):
            closing, tag, attrs, text = match.group(1, 2, 3, 4)
            if text is not None:
                self.handle_data(html_module.unescape(text))
            elif tag is None:
                continue  # comment or declaration
            elif closing:
                self.handle_endtag(tag.lower())
            else:
                tag = tag.lower()
                parsed = (
                    [
                        (
                            m.group(1).lower(),
                            html_module.unescape(next(g for g in m.group(2, 3, 4) if g is not None)),
                        )
                        if m.group(2, 3, 4) != (None, None, None)
                        else (m.group(1).lower(), None)
                        for m in ATTRIBUTE.finditer(attrs)
                    ]
                    if tag in ATTRIBUTE_TAGS
                    else []
                )
                self.handle_starttag(tag, parsed)


def header_texts(table: dict) -> list[str]:
    """Column headers of a parsed table: ``<th>`` of ``<thead>``, else of its first row."""
    rows = table["head"] or table["body"][:1]
    return [c["text"] for row in rows for c in row if c["tag"] == "th"]


def audit_html(path: Path, threshold: int | None, result: AuditResult) -> None:
    """Check the header cells of every HTML table and read back the appendix tables."""
    parser = FastTableParser()
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
        # only tables and the <code> naming an indicator matter: parse those, in page order (fast)
        parser.feed("".join(m.group(0) for m in TABLE_OR_CODE.finditer(text)))
    except (OSError, AssertionError) as exc:
        result.findings.append(Finding(str(path), "unreadable", f"cannot parse the HTML ({exc})."))
        return
    for number, table in enumerate(parser.tables, start=1):
        check_headers(path, header_texts(table), result)
        attrs = table["attrs"]
        if "data-imdi-table" not in attrs:
            if is_indicator_table(table):
                read_indicator_table(path, table, number, threshold, result)
            continue
        if attrs.get("data-imdi-supported") == "false":
            continue
        meta = {
            "key": attrs["data-imdi-table"],
            "threshold": int(attrs["data-imdi-threshold"])
            if attrs.get("data-imdi-threshold", "").isdigit()
            else None,
            "layout": attrs.get("data-imdi-layout", LAYOUT_DIM),
            "row_dims": int(attrs.get("data-imdi-row-dims", "1") or 1),
            "measure": attrs.get("data-imdi-measure"),
            "column": int(attrs["data-imdi-column-position"])
            if attrs.get("data-imdi-column-position", "").isdigit()
            else None,
            "stacking": attrs.get("data-imdi-stacking"),
        }
        header = [c["text"] for c in table["head"][-1]] if table["head"] else []
        grid = [header] + [[c["text"] for c in row] for row in table["body"]]
        measures = [[c["attrs"].get("data-imdi-measure") for c in row] for row in table["body"]]
        read_wide_table(path, meta, grid, measures, threshold, result, where="")


def is_indicator_table(table: dict) -> bool:
    """A goal page's indicator table: headers Verdi, Teller and Nevner, rows labelled by Gruppe."""
    texts = {c["text"] for row in table["head"] for c in row}
    wanted = {INDICATOR_HEADERS["value"], INDICATOR_HEADERS["numerator"], INDICATOR_HEADERS["denominator"]}
    return wanted <= texts and bool(table["body"])


def read_indicator_table(path: Path, table: dict, number: int, threshold: int, result: AuditResult) -> None:
    """Numerators, denominators and percentages by group, read from the shown text.

    Categories are ``(group, "T")`` (Teller), ``(group, "N")`` (Nevner) and ``(group, "V")``
    (Verdi, when a percentage). A visible count (or, for percentages of at most 100 %, the
    persons outside the numerator) in ``1 … threshold − 1`` is a finding.
    """
    header = [c["text"] for c in table["head"][0]]
    columns = {name: header.index(name) for name in INDICATOR_HEADERS.values() if name in header}
    key = f"indikatortabell {number}" + (f" ({table['context']})" if table["context"] else "")
    result.tables.append(f"{path} [{key}]")
    cells: list[PublishedCell] = []
    shown: dict[tuple[str, str], float] = {}
    percents: list[float] = []
    for row in table["body"]:
        texts = [c["text"] for c in row]
        if len(texts) < len(header) or not texts[0]:
            continue
        group = texts[0]
        for part, name in (("T", "numerator"), ("N", "denominator")):
            text = texts[columns[INDICATOR_HEADERS[name]]]
            if text in (STATUS_NOT_APPLICABLE, STATUS_MISSING, ""):
                continue
            try:
                value, status = parse_cell(text, MEASURE_COUNT)
            except ValueError:
                continue
            cells.append(PublishedCell((group, part), MEASURE_COUNT, status, value, 0.5))
            if status in (STATUS_SHOWN, STATUS_ZERO):
                shown[(group, part)] = value
        text = texts[columns[INDICATOR_HEADERS["value"]]]
        if text.endswith("%"):
            try:
                value, _ = parse_cell(text, MEASURE_PERCENT)
            except ValueError:
                continue
            percents.append(value)
            cells.append(PublishedCell((group, "V"), MEASURE_PERCENT, STATUS_SHOWN, value, half_unit(text)))
    shares = bool(percents) and max(percents) <= 100.0
    groups = list(dict.fromkeys(c.categories[0] for c in cells))
    for group in groups:
        for label, value in (
            ("Teller", shown.get((group, "T"))),
            ("Nevner", shown.get((group, "N"))),
            (
                "Nevner − Teller",
                shown[(group, "N")] - shown[(group, "T")]
                if shares and (group, "N") in shown and (group, "T") in shown
                else None,
            ),
        ):
            if value is not None and 0 < value < threshold:
                result.findings.append(
                    Finding(
                        str(path),
                        "small_count",
                        f"{label} {format_count(value)} for {group} is below the threshold {threshold} and visible.",
                        key,
                    )
                )
    complements = [g for g in groups if shares] if shares else []
    result.published.append(
        PublishedTable(
            str(path), key, str(path), ["Gruppe", "Del"], cells, kind="indicator", complements=complements
        )
    )


def format_count(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# ------------------------------------------------------------------------------ wide tables


def read_wide_table(
    path: Path,
    meta: dict,
    grid: list[list],
    measures: list[list[str | None]] | None,
    threshold: int | None,
    result: AuditResult,
    where: str,
) -> None:
    """Rebuild a tidy table from a wide grid (header row first) and check it."""
    key = str(meta.get("key", ""))
    try:
        table = table_from_wide(meta, grid, measures)
    except (KeyError, ValueError, TypeError) as exc:
        prefix = f"{where}: " if where else ""
        result.findings.append(
            Finding(str(path), "unreadable", f"{prefix}cannot read the table back ({exc}).", key)
        )
        return
    check_table(path, table, threshold, meta.get("threshold"), result, report_scope(path))


def table_from_wide(meta: dict, grid: list[list], measures: list[list[str | None]] | None) -> AppendixTable:
    """Tidy cells of a wide table (:mod:`imdi_analysis.publish.wide`): the row header columns, in
    the ``dim_measures`` layout a measure column, then one data column per category or measure.

    The categories of a cell are in the table's order: the column dimension is put back at its
    recorded position (``column``; last when not recorded, as files published before it
    existed have it).
    """
    n_rows = int(meta["row_dims"])
    layout = meta.get("layout", LAYOUT_DIM)
    if layout not in (LAYOUT_DIM, LAYOUT_DIM_MEASURES, LAYOUT_MEASURES):
        raise ValueError(f"unknown layout {layout!r}")
    measure_rows = layout == LAYOUT_DIM_MEASURES
    heads = n_rows + measure_rows  # row header columns
    header = ["" if h is None else str(h) for h in grid[0]]
    columns_are_dim = layout != LAYOUT_MEASURES
    position = meta.get("column")
    position = n_rows if position is None else position
    if not isinstance(position, int) or not 0 <= position <= n_rows:
        raise ValueError(f"column position {position!r} is not among the {n_rows + 1} dimensions")
    dims = header[:n_rows]
    if columns_are_dim:
        dims.insert(position, COLUMN_DIM)
    records = []
    for r, row in enumerate(grid[1:]):
        labels = ["" if v is None else str(v) for v in row[:n_rows]]
        row_measure = LABEL_TO_MEASURE[str(row[n_rows])] if measure_rows else None
        for c, raw in enumerate(row[heads:]):
            measure = (
                (measures[r][heads + c] if measures else None)
                or row_measure
                or (meta.get("measure") if layout == LAYOUT_DIM else LABEL_TO_MEASURE[header[heads + c]])
            )
            categories = list(labels)
            if columns_are_dim:
                categories.insert(position, header[heads + c])
            value, status = parse_cell(raw, measure)
            records.append(
                {
                    **dict(zip(dims, categories, strict=True)),
                    "measure": measure,
                    "value": value,
                    "status": status,
                    "half_unit": EXACT_HALF_UNIT if isinstance(raw, int | float) else half_unit(raw),
                }
            )
    data = pd.DataFrame(records, columns=[*dims, "measure", "value", "status", "half_unit"])
    stacking = stacking_by_position(meta.get("stacking"), dims)
    return AppendixTable(
        key=str(meta["key"]), title="", year=0, period="year", data=data, dims=dims, stacking=stacking
    )


def parse_cell(raw: object, measure: str | None) -> tuple[float, str]:
    """A published cell as ``(value, status)``: numbers, Norwegian number text, or a symbol."""
    if isinstance(raw, bool):
        raise ValueError(f"unexpected boolean cell {raw!r}")
    if isinstance(raw, int | float):
        value = float(raw)
        return value, (STATUS_ZERO if value == 0 and measure == MEASURE_COUNT else STATUS_SHOWN)
    text = "" if raw is None else str(raw).strip()
    if text in SYMBOLS:
        return (0.0 if text == STATUS_ZERO else math.nan), text
    if not text:
        return math.nan, STATUS_MISSING
    number = text.replace("\u00a0", "").replace("\u2009", "").replace(" ", "").replace("\u2212", "-")
    value = float(number.replace(",", ".").rstrip("%"))
    return value, (STATUS_ZERO if value == 0 and measure == MEASURE_COUNT else STATUS_SHOWN)


# ----------------------------------------------------------------------------------- checks


def check_table(
    path: Path, table: AppendixTable, threshold: int, claimed: object, result: AuditResult, scope: str
) -> None:
    """Small counts, hidden cells that show a value, a claimed threshold; keep the table for the LP."""
    result.tables.append(f"{path} [{table.key}]")
    used = int(threshold)
    if claimed is not None and claimed != used:
        result.findings.append(
            Finding(
                str(path),
                "threshold",
                f"the file says it was published with threshold {claimed}, but the run's threshold is {used}.",
                table.key,
            )
        )
    data = table.data
    result.published.append(published_table(path, table, scope))
    data = data.drop(columns=[c for c in ("half_unit",) if c in data.columns])
    table = dataclasses.replace(table, data=data)
    if "shown_text" in data.columns:
        leaked = data["status"].isin(HIDDEN) & (data["shown_text"] != "")
        for i in leaked[leaked].index:
            message = (
                f"row {i + 1} is marked {data.at[i, 'status']!r} but shows {data.at[i, 'shown_text']!r}."
            )
            result.findings.append(Finding(str(path), "hidden_value", message, table.key))
        table = dataclasses.replace(table, data=data.drop(columns="shown_text"))
    try:
        small = small_visible_counts(table, used)
    except ImdiError as exc:
        result.findings.append(Finding(str(path), "unreadable", str(exc), table.key))
        return
    result.findings += [Finding(str(path), "small_count", m, table.key) for m in small]


def published_table(path: Path, table: AppendixTable, scope: str) -> PublishedTable:
    """What the LP audit needs of a table read back: categories, measure, status, value, rounding."""
    data = table.data
    halves = data["half_unit"].tolist() if "half_unit" in data.columns else [0.5] * len(data)
    labels = (
        zip(*(data[d].tolist() for d in table.dims), strict=True) if table.dims else iter([()] * len(data))
    )
    cells = [
        PublishedCell(
            tuple(v if isinstance(v, str) else category_label(v) for v in categories),
            str(measure),
            status if isinstance(status, str) else "",
            float(value) if value == value and value is not None else math.nan,
            float(half),
        )
        for categories, measure, status, value, half in zip(
            labels,
            data["measure"].tolist(),
            data["status"].tolist(),
            data["value"].tolist(),
            halves,
            strict=True,
        )
    ]
    return PublishedTable(str(path), table.key, scope, list(table.dims), cells, table.stacking)


def check_headers(path: Path, headers: list[str], result: AuditResult, where: str = "") -> None:
    """A finding for every header that names person-level data."""
    for header in headers:
        if is_person_level(header):
            place = f"{where}: " if where else ""
            result.findings.append(
                Finding(
                    str(path), "person_level_column", f"{place}column header {header!r} is person-level data."
                )
            )


def is_person_level(header: str) -> bool:
    """Whether a column header names person-level data (see :data:`PERSON_LEVEL_PATTERNS`)."""
    name = re.sub(r"[\s\-]+", "_", str(header).strip().lower())
    return any(p.fullmatch(name) for p in PERSON_LEVEL_PATTERNS)


__all__ = [
    "PERSON_LEVEL_PATTERNS",
    "AuditResult",
    "Finding",
    "ReadAhead",
    "audit_directory",
    "is_person_level",
    "read_ahead",
]
