"""Building the statistics appendix of a report: every table due, disclosed and published.

:func:`build_appendix` reads as the table of contents of the step:

1. load the letter's appendix specification and keep the tables due in the period
   (``H1`` → the "Halvårlig" column, ``year`` → "Årlig");
2. run each table's builder (``imdi_analysis.appendix.registry.BUILDERS``) on the register
   extracts, marking tables the letter calls preliminary for this report;
3. apply disclosure control once over all the report's tables, so that cells linked across
   tables are protected together (:func:`imdi_analysis.disclosure.protect_release`);
4. publish ``<key>.csv`` (with a ``<key>.json`` sidecar) per table and one workbook
   ``vedlegg3_<year>_<period>.xlsx`` into ``<output_dir>/<year>/<period>/appendix/``, with a
   ``manifest.json`` recording the report, the threshold, the register folder and the SHA-256 of
   every file written (:data:`DOWNLOADS_MANIFEST`): the book publishes only the files listed
   there, checked against their checksums and the run's threshold.

Step 2 runs in up to :data:`MAX_JOBS` worker processes, each building whole groups of tables
that read the same extracts (the tables of one builder module); steps 3 and 4 run once the
last table is built, since a table's pattern can depend on every other table.

Everything is written to a temporary folder beside the target and swapped in at the end, so a
failure at any step leaves the previous outputs as they were.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from imdi_analysis.appendix.registry import BUILDERS, BuildContext
from imdi_analysis.config import RunConfig, years_in
from imdi_analysis.disclosure import (
    DEFAULT_THRESHOLD,
    check_threshold,
    disclosure_threshold,
    protect_release,
)
from imdi_analysis.errors import ConfigError, DataNotFoundError, ImdiError, PipelineError
from imdi_analysis.letter.appendix_spec import tables_due
from imdi_analysis.parallel import process_pool
from imdi_analysis.publish import publish_csv, publish_workbook, report_text
from imdi_analysis.tables import AppendixTable

APPENDIX_FOLDER = "appendix"
DOWNLOADS_MANIFEST = "manifest.json"
DOWNLOADS_FORMAT = "imdi-appendix-files"
MAX_JOBS = 2
DOWNLOADS_HREF = "../../downloads/{year}/{period}/{name}"  # from <year>/<period>/appendix.html
PRELIMINARY_REPORTS = {"H1": ("halvårsrapport", "halvårlig"), "year": ("årsrapport",)}
PRELIMINARY_YEAR_OFFSETS = {"inneværende år": 0, "foregående år": 1}


@dataclass(frozen=True)
class AppendixDownloads:
    """Files of a published appendix and the links to them from the book's appendix page.

    The pipeline copies every file of :attr:`folder` to ``downloads/<year>/<period>/`` at the
    root of the book; the appendix page sits at ``<year>/<period>/appendix.html``.
    """

    year: int
    period: str
    folder: Path
    workbook: Path
    tables: dict[str, Path]

    def href(self, path: Path) -> str:
        """Relative link from the appendix page to a copied download."""
        return DOWNLOADS_HREF.format(year=self.year, period=self.period, name=Path(path).name)

    def links_html(self, key: str) -> str:
        """A Norwegian "Last ned" line linking a table's CSV and the report's workbook."""
        parts = []
        if key in self.tables:
            parts.append(f'<a href="{self.href(self.tables[key])}" download>CSV (tabell {key})</a>')
        parts.append(f'<a href="{self.href(self.workbook)}" download>Excel (alle tabeller)</a>')
        return '<p class="imdi-downloads">Last ned: ' + " · ".join(parts) + "</p>"


def build_appendix(
    year: int,
    period: str,
    data_dir: Path | None = None,
    threshold: int | None = None,
    output_dir: Path | None = None,
    progress: bool = False,
    jobs: int | None = None,
) -> list[AppendixTable]:
    """Build, disclose and publish every appendix table due in the report of ``year`` and ``period``.

    Parameters
    ----------
    year : reporting year (the allocation letter's year)
    period : ``"H1"`` (half-year report, status 30 June) or ``"year"`` (annual, 31 December)
    data_dir : folder of register extracts, one sub-folder per year (default: real extracts if
        present, else the synthetic data)
    threshold : disclosure threshold (default :data:`imdi_analysis.disclosure.DEFAULT_THRESHOLD`)
    output_dir : root of processed outputs (default ``data/processed``)
    progress : show a progress bar per table (on standard error)
    jobs : processes building tables side by side (default: up to :data:`MAX_JOBS`, one per
        core). Each builds whole groups of tables that read the same extracts, then protects
        whole groups of linked tables (:func:`imdi_analysis.disclosure.release_parts`); the
        outputs do not depend on ``jobs``.

    Returns
    -------
    list of AppendixTable
        The disclosed tables, in the letter's order.

    Raises
    ------
    ConfigError
        Bad year, period, threshold or jobs, or a table in the letter without a builder.
    DataNotFoundError, DataValidationError
        A register extract is missing or fails its schema.
    PipelineError
        A builder failed unexpectedly (the message names the table).
    """
    run = RunConfig.create(year, period, data_dir, output_dir)
    threshold = check_threshold(DEFAULT_THRESHOLD if threshold is None else threshold)
    rows = tables_due(year, period).to_dict("records")
    check_builders(row["table_key"] for row in rows)
    plan = BuildPlan(year, period, run.data_dir, run.synthetic, years_in(run.data_dir), threshold)
    folder = appendix_dir(year, period, run.output_dir)
    staging = make_staging(folder)
    try:
        workers = check_jobs(jobs, len(rows))
        with process_pool(workers) if workers > 1 else contextlib.nullcontext() as pool:
            built = build_tables(plan, rows, pool, progress)
            tables = protect_release(built, threshold, executor=pool)
        for table in tables:
            publish_csv(table, staging / f"{table.key}.csv")
        publish_workbook(
            tables,
            staging / workbook_name(year, period),
            year=year,
            period=period,
            synthetic=run.synthetic,
            threshold=threshold,
        )
        write_files_manifest(staging, year, period, threshold, run.data_dir)
        swap_folder(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return tables


def write_files_manifest(folder: Path, year: int, period: str, threshold: int, data_dir: Path) -> None:
    """``manifest.json``: what was built (report, threshold, registers) and the SHA-256 of every file."""
    from imdi_analysis.manifest import sha256_file
    from imdi_analysis.tabular import write_atomic

    files = {
        p.name: sha256_file(p)
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != DOWNLOADS_MANIFEST
    }
    manifest = {
        "format": DOWNLOADS_FORMAT,
        "year": int(year),
        "period": period,
        "threshold": int(threshold),
        "data_dir": str(Path(data_dir).resolve()),
        "files": files,
    }
    write_atomic(folder / DOWNLOADS_MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")


@dataclass(frozen=True)
class BuildPlan:
    """What every worker needs to build its tables (picklable, unlike a context with its cache)."""

    year: int
    period: str
    data_dir: Path
    synthetic: bool
    available_years: list[int]
    threshold: int

    def context(self) -> BuildContext:
        return BuildContext(
            year=self.year,
            period=self.period,
            data_dir=self.data_dir,
            synthetic=self.synthetic,
            available_years=list(self.available_years),
        )


def check_jobs(jobs: int | None, n_tables: int) -> int:
    """Number of worker processes: ``jobs`` if given (≥ 1), else one per core up to :data:`MAX_JOBS`."""
    if jobs is None:
        jobs = min(MAX_JOBS, os.cpu_count() or 1)
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ConfigError(f"jobs must be a whole number of at least 1, got {jobs!r}.")
    return max(1, min(jobs, n_tables))


def build_tables(
    plan: BuildPlan, rows: list[dict], pool: Executor | None, progress: bool
) -> list[AppendixTable]:
    """Build every table (not yet disclosed), in this process or in ``pool``; tables in letter order.

    In a pool, the tables are grouped by builder module (tables of one module read the same
    extracts, which a group loads once) and the groups, largest first, go to whichever process
    is free.
    """
    bar = tqdm(
        total=len(rows), desc=f"Vedlegg 3 {plan.year} {plan.period}", unit="tabell", disable=not progress
    )
    with bar:
        if pool is None:
            return build_chunk(plan, rows, bar.update)
        groups = sorted(group_by_module(rows), key=len, reverse=True)
        built: dict[str, AppendixTable] = {}
        futures = [pool.submit(build_chunk, plan, group) for group in groups]
        for future in as_completed(futures):
            tables = future.result()
            built.update((table.key, table) for table in tables)
            bar.update(len(tables))
        return [built[row["table_key"]] for row in rows]


def group_by_module(rows: list[dict]) -> list[list[dict]]:
    """Rows grouped by the module of their builder, groups and rows in the letter's order."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(BUILDERS[row["table_key"]].__module__, []).append(row)
    return list(groups.values())


def build_chunk(
    plan: BuildPlan, rows: list[dict], done: Callable[[int], object] | None = None
) -> list[AppendixTable]:
    """Build a run of consecutive tables with one shared context (disclosure comes later, over all)."""
    context = plan.context()
    tables = []
    for row in rows:
        table = build_table(context.with_spec(row))
        tables.append(table)
        context.cache.next_table()
        if done is not None:
            done(1)
    return tables


def check_builders(keys: Iterable[str]) -> None:
    """Raise :class:`ConfigError` naming every table key that has no builder."""
    missing = [key for key in keys if key not in BUILDERS]
    if missing:
        raise ConfigError(
            f"Appendix table(s) {', '.join(missing)} in the letter have no builder. Register one with "
            "@builder(key) in a module of imdi_analysis/appendix/ and import it in appendix/__init__.py."
        )


def build_table(ctx: BuildContext) -> AppendixTable:
    """Run the builder of the table in ``ctx`` and mark it preliminary where the letter says so.

    Raises
    ------
    PipelineError
        When the builder fails with an error that is not an :class:`ImdiError`, or returns a
        table with another key.
    """
    key = ctx.key
    try:
        table = BUILDERS[key](ctx)
    except ImdiError:
        raise
    except Exception as exc:
        raise PipelineError(f"Building appendix table {key} failed: {type(exc).__name__}: {exc}") from exc
    if table.key != key:
        raise PipelineError(f"The builder of appendix table {key} returned table {table.key}.")
    note = preliminary_note(ctx.spec.get("preliminary"), ctx.period, ctx.year)
    if note:
        table.preliminary = True
        table.notes = [*table.notes, note]
    return table


def preliminary_note(text: object, period: str, year: int) -> str | None:
    """The Norwegian note for a table the letter calls preliminary in this report, else ``None``.

    The letter's notes read "Foreløpige tall for inneværende år i årsrapport", "… for foregående
    år i årsrapport" or "Foreløpige tall i årsrapport": they apply to the report they name.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    lowered = text.lower()
    if period == "year" and "halvårsrapport" in lowered:
        return None
    if not any(report in lowered for report in PRELIMINARY_REPORTS[period]):
        return None
    for phrase, offset in PRELIMINARY_YEAR_OFFSETS.items():
        if phrase in lowered:
            return f"Tallene for {year - offset} er foreløpige."
    return "Tallene er foreløpige."


def appendix_dir(year: int, period: str, output_dir: Path | None = None) -> Path:
    """Folder of a report's published appendix: ``<output_dir>/<year>/<period>/appendix``."""
    run = RunConfig.create(year, period, output_dir=output_dir, require_data=False)
    return run.out / APPENDIX_FOLDER


def workbook_name(year: int, period: str) -> str:
    """File name of a report's workbook."""
    return f"vedlegg3_{year}_{period}.xlsx"


def make_staging(folder: Path) -> Path:
    """An empty temporary folder beside ``folder`` (same file system, so the swap is a rename)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.with_name(f".{folder.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    return staging


def swap_folder(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new``: the old folder is moved aside first and removed last."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    try:
        new.rename(target)
    except OSError:
        if old.exists():
            old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def appendix_download_paths(year: int, period: str, output_dir: Path | None = None) -> AppendixDownloads:
    """The published files of a report's appendix (CSV per table due, the workbook), and their links.

    Lists the tables the letter asks for in the period; the files exist once
    :func:`build_appendix` has run.
    """
    folder = appendix_dir(year, period, output_dir)
    keys = tables_due(year, period)["table_key"]
    return AppendixDownloads(
        year=year,
        period=period,
        folder=folder,
        workbook=folder / workbook_name(year, period),
        tables={key: folder / f"{key}.csv" for key in keys},
    )


def appendix_intro_markdown(
    year: int, period: str, tables: list[AppendixTable], downloads: AppendixDownloads
) -> str:
    """The Norwegian introduction of the book's appendix page: report, threshold, downloads (the page's
    heading is a markdown cell of the notebook, so that the book can use it as the page title)."""
    threshold = disclosure_threshold(tables[0]) if tables else DEFAULT_THRESHOLD
    unsupported = [t.key for t in tables if not t.supported]
    lines = [
        f"{report_text(year, period)}. Tabellene er de tildelingsbrevets vedlegg 3 ber om i denne "
        f"rapporten ({len(tables)} tabeller), i brevets nummerering. Hver tabell er beregnet fra "
        "registeruttrekkene med definisjonen som står under tabellen.",
        "",
        f"Tall under {threshold} og andeler og gjennomsnitt beregnet av færre enn {threshold} personer "
        "vises ikke, og flere celler er skjult der det trengs for at de ikke kan regnes ut fra summene.",
        "",
        f'<p>Last ned alle tabeller: <a href="{downloads.href(downloads.workbook)}" download>'
        f"{downloads.workbook.name}</a> (Excel). Hver tabell kan også lastes ned som CSV.</p>",
    ]
    if unsupported:
        lines += [
            "",
            f"Tabell {', '.join(unsupported)} kan ikke lages med dataene som finnes; se merknaden under tabellen.",
        ]
    return "\n".join(lines)


def read_appendix(
    year: int, period: str, output_dir: Path | str | None = None, threshold: int | None = None
) -> list[AppendixTable]:
    """The report's tables as the appendix step of the run published them, in the letter's order.

    Each table is read back from its CSV and sidecar (what readers download), after checking the
    folder's manifest: made with ``threshold`` (default
    :data:`~imdi_analysis.disclosure.DEFAULT_THRESHOLD`) and every file as recorded.

    Raises
    ------
    DataNotFoundError
        The appendix of the report was not built (run ``imdi run``).
    PipelineError
        It was built with another threshold, or a file differs from the manifest.
    """
    from imdi_analysis.book import read_sidecar, table_from_published
    from imdi_analysis.manifest import sha256_file

    folder = appendix_dir(year, period, Path(output_dir) if output_dir else None)
    manifest = read_files_manifest(folder / DOWNLOADS_MANIFEST, DOWNLOADS_FORMAT)
    if not manifest:
        raise DataNotFoundError(
            f"{folder}: the appendix of {year} ({period}) has not been built. Run `imdi run` (or "
            f"`imdi appendix --year {year} --period {period}`)."
        )
    wanted = check_threshold(DEFAULT_THRESHOLD if threshold is None else threshold)
    problem = files_problem(manifest, wanted, None)
    if problem:
        raise PipelineError(f"{folder}: {problem}. Run `imdi run` with the threshold you want.")
    files = manifest["files"]
    for name, digest in sorted(files.items()):
        path = folder / name
        if not path.is_file() or sha256_file(path) != digest:
            raise PipelineError(f"{path} differs from the appendix manifest; run `imdi run --force`.")
    tables = []
    for name in sorted(files):
        meta = read_sidecar(folder / name)
        if meta is not None:
            tables.append(table_from_published(folder / str(meta["csv"]), meta))
    order = {k: i for i, k in enumerate(tables_due(year, period)["table_key"])}
    return sorted(tables, key=lambda t: (order.get(t.key, len(order)), t.key))


def read_files_manifest(path: Path, expected_format: str) -> dict[str, Any]:
    """The appendix step's manifest (:func:`write_files_manifest`), or ``{}`` when missing or not one."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return manifest if isinstance(manifest, dict) and manifest.get("format") == expected_format else {}


def files_problem(manifest: dict[str, Any], threshold: int, registers: Path | None) -> str | None:
    """Why a manifest's files may not be published by this run, or None."""
    if not manifest or not isinstance(manifest.get("files"), dict):
        return "no manifest of the files written (made by an older version or by hand)"
    if manifest.get("threshold") != threshold:
        return f"they were made with threshold {manifest.get('threshold')}, this run uses {threshold}"
    if registers is not None and manifest.get("data_dir") != str(Path(registers).resolve()):
        return f"they were made from {manifest.get('data_dir')}, this run reads {Path(registers).resolve()}"
    for name in manifest["files"]:
        if not name or Path(name).name != name or name.startswith("."):
            return f"the manifest names a file outside the folder ({name!r})"
    return None


__all__ = [
    "AppendixDownloads",
    "appendix_dir",
    "appendix_download_paths",
    "appendix_intro_markdown",
    "build_appendix",
    "build_chunk",
    "build_table",
    "check_builders",
    "preliminary_note",
    "read_appendix",
    "workbook_name",
]
