"""Assembling and building the Jupyter Book from executed notebooks.

The book is built in a staging folder and swapped into ``book/_build/html`` only when the build
succeeded, so a failed run leaves the last good book in place.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import yaml

from imdi_analysis.config import BOOK_DIR, PERIOD_LABELS, REPO_DATA_DIR, REPO_ROOT, reference_date
from imdi_analysis.errors import ImdiError, PipelineError
from imdi_analysis.formatting import format_date
from imdi_analysis.manifest import manifest_markdown, write_manifest
from imdi_analysis.runs import NotebookRun

STATIC_PAGES_DIR = BOOK_DIR / "pages"
STATIC_PAGES = (
    ("datakilder", "Datakilder"),
    ("forutsetninger", "Forutsetninger og forbehold"),
    ("endringslogg", "Endringslogg"),
)
SYNTHETIC_NOTICE = (
    ":::{admonition} Syntetiske data\n:class: warning\n"
    "Registertallene på denne siden er **syntetiske**: de er laget av pakkens generator for å vise "
    "metodene og har realistiske størrelser, men beskriver ingen virkelige personer. Budsjettall og "
    "tekst fra tildelingsbrevet er ekte.\n:::"
)
SYNTHETIC_ACCOUNTS_NOTICE = (
    ":::{admonition} Syntetiske regnskapstall\n:class: warning\n"
    "Regnskapstallene på denne siden er **syntetiske**: de er laget av pakkens generator for å vise "
    "metodene. Budsjettall og tekst fra tildelingsbrevet er ekte.\n:::"
)
BUILD_LOG = "jupyter-book.log"
EXTRA_DIR = "_extra"  # files the build copies to the root of the book as they are (the downloads)
BOOK_ASSET_DIRS = ("_static", "_ext", "_locales")  # theme overrides copied beside _config.yml
FIGURES_DIR = Path("figures")  # charts written as files under the book's root, not base64 in pages
DATA_IMAGE = re.compile(r'src="data:image/(png|jpeg|svg\+xml);base64,([A-Za-z0-9+/=\s]+)"')
IMAGE_SUFFIXES = {"png": ".png", "jpeg": ".jpg", "svg+xml": ".svg"}
PRUNED_BUILD_FILES = ("_static/**/*.map", "_static/vendor/**/*.ttf")  # source maps; fonts also in woff2
PRUNED_BUILD_DIRS = ("_static/locales",)  # the theme's compiled catalogs, copied as static files
ICON_SCRIPT = Path("_static/scripts/fontawesome.js")
ICON_STYLESHEET = Path("_static/styles/pydata-sphinx-theme.css")  # bundles Font Awesome's CSS
ICON_CLASS = re.compile(r"\bfa-([a-z0-9-]+)")
ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:before,?)+)\{content:"[^"]*"\}')
CLASS_ATTRIBUTE = re.compile(r'\bclass="([^"]*)"')
WEBFONTS = {  # a Font Awesome web font -> the classes that draw with it (pydata theme: a.github:before)
    "_static/vendor/fontawesome/webfonts/fa-brands-400.woff2": {"fab", "fa-brands", "github", "gitlab"},
    "_static/vendor/fontawesome/webfonts/fa-regular-400.woff2": {"far", "fa-regular"},
}
ICON_ENTRY = re.compile(
    r'"?([a-z0-9-]+)"?:\[\d+,\d+,\[([^\]]*)\],"[0-9a-f]+",(?:"(?:[^"\\]|\\.)*"|\[[^\]]*\])\]'
)
BOOK_MAX_BYTES = 10_000_000  # issue 16: the default book (one report) within 10 MB ...
PAGE_MAX_BYTES = 1_500_000  # ... and no page over 1,5 MB
PNG_COLOURS = 256  # charts have few colours: a palette PNG is a third of the size and looks the same
APPENDIX_NOTEBOOK = "appendix"
APPENDIX_PAGES = "vedlegg"  # <year>/<period>/vedlegg/<key>.md, one page per table
TABLE_FRAGMENTS = "_tabeller"  # the tables' HTML, included by the table pages (not a page)
SIDECAR_FORMAT = "imdi-appendix-table"
NO_GOAL_GROUP = ("uten-mal", "Tabeller uten mål", None)  # tables the letter links to no goal


def assemble_source(
    staging: Path,
    runs: list[NotebookRun],
    executed: dict[str, Path],
    manifest: dict[str, Any],
    downloads: Iterable[tuple[Path, Path]],
    previous_release: Path | None = None,
) -> Path:
    """Write the book's source tree into ``staging/src`` and return it.

    ``downloads`` are the appendix step's published files (source, path under the book's root);
    every appendix table among them gets its own page. ``previous_release`` is the root of the
    book published before (default: ``html`` beside the staging folder); cells whose value
    changed since then are marked as revised.
    """
    src = staging / "src"
    if src.exists():
        shutil.rmtree(src)
    (src / EXTRA_DIR).mkdir(parents=True)
    shutil.copy2(BOOK_DIR / "_config.yml", src / "_config.yml")
    for folder in BOOK_ASSET_DIRS:
        if (BOOK_DIR / folder).is_dir():
            shutil.copytree(BOOK_DIR / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name, _title in STATIC_PAGES:
        shutil.copy2(STATIC_PAGES_DIR / f"{name}.md", src / f"{name}.md")
    downloads = list(downloads)
    for source, relative_target in downloads:
        target = src / EXTRA_DIR / relative_target
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    previous = staging.parent / "html" if previous_release is None else previous_release
    appendix = published_appendix(downloads, src, previous)
    for run in runs:
        target = src / run.relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        write_published_notebook(executed[run.name], target, run, manifest, appendix.get(run_key(run)))
    write_appendix_pages(src, appendix)
    write_manifest(manifest, src / EXTRA_DIR / "manifest.json")
    (src / "om-kjoringen.md").write_text(manifest_markdown(readable_manifest(manifest)), encoding="utf-8")
    titles = {run.name: page_title(executed[run.name], run.title) for run in runs}
    write_period_pages(src, runs, titles)
    (src / "index.md").write_text(front_page(runs, manifest, titles), encoding="utf-8")
    (src / "_toc.yml").write_text(
        yaml.safe_dump(table_of_contents(runs, appendix), allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return src


def run_key(run: NotebookRun) -> tuple[int, str] | None:
    """``(year, period)`` of an appendix notebook run, else None."""
    if run.entry.notebook == APPENDIX_NOTEBOOK and run.year is not None and run.period is not None:
        return (run.year, run.period)
    return None


def write_published_notebook(
    source: Path,
    target: Path,
    run: NotebookRun,
    manifest: dict[str, Any],
    appendix: list[PublishedTable] | None = None,
) -> None:
    """Copy an executed notebook into the book: a synthetic-data notice where the page shows
    synthetic data, charts as files beside the page, the appendix's table list, a provenance footer."""
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:  # readers see results; the parameters stay in the downloadable notebook
        tags = cell.metadata.get("tags", [])
        if "parameters" in tags or "injected-parameters" in tags:
            cell.metadata["tags"] = [*tags, "remove-cell"]
    notice = synthetic_notice(run, manifest)
    if notice:
        first_heading = next(
            (
                i
                for i, c in enumerate(nb.cells)
                if c.cell_type == "markdown" and c.source.lstrip().startswith("#")
            ),
            -1,
        )
        nb.cells.insert(first_heading + 1, nbformat.v4.new_markdown_cell(notice))
    if appendix is not None:
        nb.cells.append(nbformat.v4.new_markdown_cell(appendix_contents_markdown(appendix)))
    src_root = target.parents[len(run.relpath.parts) - 1]
    write_figures(nb, src_root, run.relpath)
    nb.cells.append(nbformat.v4.new_markdown_cell(provenance_footer(run, manifest)))
    write_compact_notebook(nb, target)


def write_compact_notebook(nb: nbformat.NotebookNode, target: Path) -> None:
    """Write a notebook as nbformat does, without indentation: the book offers it for download
    as it is, and the indentation was an eighth of its bytes."""
    document = json.loads(nbformat.writes(nb))
    target.write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )


def synthetic_notice(run: NotebookRun, manifest: dict[str, Any]) -> str | None:
    """The notice for a page that shows synthetic data: register extracts or accounts; None for pages
    that only show the (real) letter."""
    if not manifest.get("synthetic"):
        return None
    if any(pattern.startswith("registers/") for pattern in run.reads):
        return SYNTHETIC_NOTICE
    if any("synthetic/" in pattern for pattern in run.reads):
        return SYNTHETIC_ACCOUNTS_NOTICE
    return None


def write_figures(nb: nbformat.NotebookNode, src: Path, relpath: Path) -> int:
    """Move images embedded in a notebook's outputs into files under ``_extra/figures``.

    An ``<img src="data:...;base64,...">`` in an HTML output becomes a file that the page links to
    (the page and the downloadable notebook stay small); an image bundle that also has HTML keeps
    only the HTML, which is what the book shows, and no plain-text copy of it. A bare PNG output
    becomes an HTML image of its file. Returns the number of images written.
    """
    folder = FIGURES_DIR / relpath.with_suffix("")
    up = "../" * (len(relpath.parts) - 1)
    count = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data:
                continue
            if "text/html" not in data and "image/png" in data:
                png = "".join(data["image/png"])
                data["text/html"] = f'<figure><img src="data:image/png;base64,{png}" alt="Diagram"/></figure>'
            if "text/html" not in data:
                continue
            for mime in [m for m in data if m.startswith("image/")]:
                del data[mime]
                output.get("metadata", {}).pop(mime, None)
            if "text/plain" in data and "scrapbook" not in output.get("metadata", {}):
                del data["text/plain"]  # myst-nb's glue reads text/plain; other outputs show their HTML
            html_text = "".join(data["text/html"])

            def replace(match: re.Match, html_text: str = html_text) -> str:
                nonlocal count
                count += 1
                name = f"figur-{count}{IMAGE_SUFFIXES[match.group(1)]}"
                path = src / EXTRA_DIR / folder / name
                path.parent.mkdir(parents=True, exist_ok=True)
                write_image(path, base64.b64decode(re.sub(r"\s", "", match.group(2))))
                return f'src="{up}{(folder / name).as_posix()}" loading="lazy"'

            data["text/html"] = DATA_IMAGE.sub(replace, html_text)
    return count


def write_image(path: Path, data: bytes) -> None:
    """Write an image; a PNG is reduced to a palette of :data:`PNG_COLOURS` colours and optimised."""
    if path.suffix == ".png":
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            palette = image.convert("RGB").quantize(PNG_COLOURS, method=Image.Quantize.MEDIANCUT)
            buffer = io.BytesIO()
            palette.save(buffer, format="PNG", optimize=True)
        if buffer.tell() < len(data):
            data = buffer.getvalue()
    path.write_bytes(data)


def display_value(value: Any) -> str:
    """A parameter as readers should see it: paths relative to the data folder, no Python reprs."""
    if value is None or value == "":
        return "standard"
    if isinstance(value, list | tuple):
        return ", ".join(display_value(v) for v in value)
    text = str(value)
    if text.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", text):
        return display_path(Path(text))
    return text


def display_path(path: Path) -> str:
    """``data/synthetic/registers`` for a folder of the project; ``…/<name>`` for a folder elsewhere."""
    for root in (REPO_DATA_DIR, REPO_ROOT):
        try:
            relative = path.resolve().relative_to(root.resolve())
        except ValueError:
            continue
        return (Path(root.name) / relative).as_posix() if root == REPO_DATA_DIR else relative.as_posix()
    return f"…/{path.name}"


def readable_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    """A copy of the manifest for the run page: parameters without absolute paths or ``None``."""
    readable = {k: "ukjent" if v is None else v for k, v in manifest.items()}
    for key in ("package", "version", "git_commit", "created_utc"):
        readable.setdefault(key, "ukjent")
    readable["parameters"] = {k: display_value(v) for k, v in manifest.get("parameters", {}).items()}
    readable["notebooks"] = {
        name: {**info, "parameters": {k: display_value(v) for k, v in info.get("parameters", {}).items()}}
        for name, info in manifest.get("notebooks", {}).items()
    }
    readable["inputs"] = {input_name(k, manifest): v for k, v in manifest.get("inputs", {}).items()}
    return readable


def input_name(name: str, manifest: dict[str, Any]) -> str:
    """An input file as readers see it: under the run's register folder as ``<folder>/<year>/<file>``,
    else as :func:`display_value` shows paths."""
    data = manifest.get("parameters", {}).get("data")
    if data and name.startswith(str(data).rstrip("/") + "/"):
        return f"{Path(data).name}/{name[len(str(data).rstrip('/')) + 1 :]}"
    return display_value(name)


def provenance_footer(run: NotebookRun, manifest: dict[str, Any]) -> str:
    """Norwegian provenance block ending every page: inputs, commit, version, parameters."""
    inputs = manifest.get("notebooks", {}).get(run.name, {}).get("inputs", {})
    params = ", ".join(f"`{k} = {display_value(v)}`" for k, v in run.parameters.items()) or "ingen"
    rows = "\n".join(
        f"<tr><td><code>{html_escape(input_name(name, manifest))}</code></td><td><code>{digest}</code></td></tr>"
        for name, digest in sorted(inputs.items())
    )
    commit = manifest.get("git_commit") or "ukjent"
    return (
        "---\n\n"
        "**Sporbarhet.** "
        f"Parametere: {params}. Pakkeversjon {manifest.get('version') or 'ukjent'}, "
        f"commit `{commit}`, bygget {manifest.get('created_utc') or 'ukjent tid'} (UTC). "
        f"{'Data: syntetiske. ' if synthetic_notice(run, manifest) else ''}"
        "Se også {doc}`Om kjøringen </om-kjoringen>`.\n\n"
        f"<details><summary>Inndata for denne siden ({len(inputs)} filer, SHA-256)</summary>\n\n"
        f"<table><tr><th>Fil</th><th>SHA-256</th></tr>{rows}</table>\n\n</details>\n"
    )


def html_escape(text: str) -> str:
    return html.escape(str(text), quote=True)


@dataclass
class PublishedTable:
    """An appendix table as the appendix step published it, read back for its page in the book.

    ``files`` maps a kind (``csv``, ``xlsx``, ``jsonstat``) to the file's path under the book's
    root; ``revisions`` lists the cells changed since the previous release.
    """

    key: str
    table: Any  # AppendixTable, read back from the CSV and its sidecar
    meta: dict[str, Any]
    group: tuple[str, str, int | None]  # (page name, heading, goal): see assign_goal_groups
    files: dict[str, Path] = field(default_factory=dict)
    revisions: list[Revision] = field(default_factory=list)
    builder: str = ""  # the module of imdi_analysis.appendix that builds the table


@dataclass(frozen=True)
class Revision:
    """A published cell whose value or symbol changed since the previous release."""

    key: str
    categories: tuple[str, ...]
    measure: str
    old: str
    new: str


def published_appendix(
    downloads: list[tuple[Path, Path]], src: Path, previous: Path | None
) -> dict[tuple[int, str], list[PublishedTable]]:
    """The published appendix tables among ``downloads``, per report, in the letter's order.

    Reads each table back from its CSV and sidecar (what the reader downloads is what the page
    shows), writes its JSON-stat2 file beside the CSV and compares it with the previous release.
    """
    from imdi_analysis.appendix import BUILDERS  # the package registers every builder
    from imdi_analysis.letter.appendix_spec import tables_due

    found: dict[tuple[int, str], list[PublishedTable]] = {}
    targets = {source: target for source, target in downloads}
    for source, target in downloads:
        meta = read_sidecar(source)
        if meta is None:
            continue
        csv_source = source.with_name(str(meta["csv"]))
        if csv_source not in targets:
            continue
        report = (int(meta["year"]), str(meta["period"]))
        key = str(meta["key"])
        module = BUILDERS[key].__module__.rsplit(".", 1)[-1] if key in BUILDERS else ""
        table = table_from_published(csv_source, meta)
        files = {"csv": targets[csv_source]}
        workbook = [t for s, t in downloads if s.parent == source.parent and s.suffix == ".xlsx"]
        if workbook:
            files["xlsx"] = workbook[0]
        jsonstat = write_jsonstat_download(table, src / EXTRA_DIR, target.with_name(f"{key}.jsonstat.json"))
        if jsonstat is not None:
            files["jsonstat"] = jsonstat
        published = PublishedTable(key, table, meta, NO_GOAL_GROUP, files, builder=module)
        if previous is not None:
            published.revisions = revisions(table, previous / targets[csv_source])
        found.setdefault(report, []).append(published)
    for (year, period), tables in found.items():
        try:
            order = {k: i for i, k in enumerate(tables_due(year, period)["table_key"])}
        except ImdiError:  # no letter for the year: the tables in key order
            order = {}
        tables.sort(key=lambda t: (order.get(t.key, len(order)), t.key))
        assign_goal_groups(year, tables)
    return found


def assign_goal_groups(year: int, tables: list[PublishedTable]) -> None:
    """Group a report's tables by the goal of the letter they report on.

    Vedlegg 3 of the letter lists its tables without goals, so the goal is read from what the
    letter does say: which indicator measures which steering parameter of which goal
    (``steering_parameters.csv``). A table reports on the goal whose indicators read the same
    sources (registers) as the table, the goal most of its sources point to, the lowest on a tie;
    a table none of whose sources an indicator reads takes the goal of the other tables its
    builder makes. A table still without a goal goes to :data:`NO_GOAL_GROUP`.
    """
    by_source = goals_by_source(year)
    goals: dict[str, int | None] = {
        t.key: most_common_goal(g for s in t.table.sources for g in by_source.get(s, ())) for t in tables
    }
    by_builder: dict[str, list[int]] = {}
    for t in tables:
        if goals[t.key] is not None and t.builder:
            by_builder.setdefault(t.builder, []).append(goals[t.key])
    titles = goal_titles(year)
    for t in tables:
        goal = goals[t.key] if goals[t.key] is not None else most_common_goal(by_builder.get(t.builder, ()))
        t.group = goal_group(goal, titles)


def goals_by_source(year: int) -> dict[str, set[int]]:
    """Source name -> goals whose steering parameters an indicator reading it measures, by the
    letter that the year follows; empty when there is no letter."""
    from imdi_analysis.indicators.registry import INDICATORS
    from imdi_analysis.letter.goals import letter_year_for, sp_indicators

    try:
        links = sp_indicators(letter_year_for(year))
    except ImdiError:
        return {}
    out: dict[str, set[int]] = {}
    for goal, indicator_id in links[["goal", "indicator_id"]].itertuples(index=False):
        indicator = INDICATORS.get(str(indicator_id))
        for source in indicator.sources if indicator is not None else ():
            out.setdefault(source, set()).add(int(goal))
    return out


def most_common_goal(goals: Iterable[int]) -> int | None:
    """The goal named most often, the lowest on a tie; None for none."""
    counts = Counter(goals)
    return min(counts, key=lambda g: (-counts[g], g)) if counts else None


def goal_group(goal: int | None, titles: dict[int, str]) -> tuple[str, str, int | None]:
    """``(page name, heading, goal)`` of a goal's group of tables."""
    if goal is None:
        return NO_GOAL_GROUP
    title = titles.get(goal)
    return (f"mal-{goal}", f"Mål {goal}: {title}" if title else f"Mål {goal}", goal)


def read_sidecar(path: Path) -> dict[str, Any] | None:
    """The metadata of a published appendix table, or None for any other file."""
    if path.suffix != ".json" or path.name.endswith(".jsonstat.json"):
        return None
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("format") != SIDECAR_FORMAT:
        return None
    return meta


def table_from_published(csv_path: Path, meta: dict[str, Any]) -> Any:
    """The table read back from its published CSV, with the sidecar's notes and flags."""
    from imdi_analysis.audit import table_from_csv

    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    try:
        table = table_from_csv(rows, meta)
    except (KeyError, ValueError, TypeError) as exc:
        raise PipelineError(
            f"The published table {csv_path} does not match its sidecar {meta.get('key')}.json: {exc}. "
            "Run the appendix step again (imdi run --force)."
        ) from None
    table.threshold = int(meta["threshold"])
    table.notes = [str(n) for n in meta.get("notes", [])]
    table.preliminary = bool(meta.get("preliminary"))
    table.synthetic = bool(meta.get("synthetic"))
    table.supported = bool(meta.get("supported", True))
    table.sources = [str(s) for s in meta.get("sources", [])]
    return table


def write_jsonstat_download(table: Any, extra: Path, relative: Path) -> Path | None:
    """Write the table as JSON-stat2 under the book's root; None while the writer is not installed."""
    try:
        from imdi_analysis.publish_jsonstat import write_jsonstat
    except ImportError:
        return None
    path = extra / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    write_jsonstat(table, path)
    compact = json.dumps(
        json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False, separators=(",", ":")
    )
    path.write_text(
        compact + "\n", encoding="utf-8"
    )  # the same document without indentation: a third smaller
    return relative


def cell_records(csv_path: Path) -> dict[tuple[tuple[str, ...], str], tuple[str, str]]:
    """``{(categories, measure label): (value, symbol)}`` of a published tidy CSV."""
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    return {(tuple(r[:-3]), r[-3]): (r[-2], r[-1]) for r in rows[1:] if len(r) >= 3}


def revisions(table: Any, previous_csv: Path) -> list[Revision]:
    """Cells of ``table`` whose published value or symbol differs from the previous release's CSV."""
    from imdi_analysis.publish import Cell, display_text
    from imdi_analysis.tables import MEASURE_LABELS

    if not previous_csv.is_file():
        return []
    try:
        old = cell_records(previous_csv)
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    found = []
    for record in table.data.to_dict("records"):
        categories = tuple(str(record[d]) for d in table.dims)
        measure = str(record["measure"])
        before = old.get((categories, MEASURE_LABELS[measure]))
        now = (record["shown_text"], str(record["status"]))
        if before is None or before == now:
            continue

        def shown(value: str, symbol: str, code: str = measure) -> str:
            return display_text(Cell(float(value) if value else float("nan"), symbol, code))

        found.append(Revision(table.key, categories, measure, shown(*before), shown(*now)))
    return found


def appendix_href(key: str) -> str:
    """Link from the appendix notebook's page to a table page."""
    return f"{APPENDIX_PAGES}/{key}.md"


def appendix_groups(
    tables: list[PublishedTable],
) -> list[tuple[tuple[str, str, int | None], list[PublishedTable]]]:
    """Tables by group: the goals in order, then the tables without a goal; tables in their order."""
    groups: dict[str, tuple[tuple[str, str, int | None], list[PublishedTable]]] = {}
    for table in tables:
        groups.setdefault(table.group[0], (table.group, []))[1].append(table)
    return sorted(groups.values(), key=lambda g: (g[0][2] is None, g[0][2] or 0))


def appendix_contents_markdown(tables: list[PublishedTable]) -> str:
    """The list of tables closing the appendix notebook's page: one link per table, by group."""
    from imdi_analysis.publish import markdown_text

    lines = [
        "## Tabellene",
        "",
        "Hver tabell har sin egen side med tabellen, merknadene og nedlastinger.",
        "",
    ]
    for (slug, heading, _goal), members in appendix_groups(tables):
        lines += [f"### [{markdown_text(heading)}]({APPENDIX_PAGES}/{slug}.md)", ""]
        lines += [
            f"- [Tabell {t.key}]({appendix_href(t.key)}): {markdown_text(t.table.title)}" for t in members
        ]
        lines.append("")
    lines += [f"Se også [endrede tall siden forrige publisering]({APPENDIX_PAGES}/revisjoner.md).", ""]
    return "\n".join(lines)


def write_appendix_pages(src: Path, appendix: dict[tuple[int, str], list[PublishedTable]]) -> None:
    """One page per table, one page per group and a page of revisions, per report."""
    for (year, period), tables in appendix.items():
        folder = src / str(year) / period / APPENDIX_PAGES
        folder.mkdir(parents=True, exist_ok=True)
        goals = goal_titles(year)
        for (slug, heading, goal), members in appendix_groups(tables):
            (folder / f"{slug}.md").write_text(group_page(heading, goal, goals, members), encoding="utf-8")
            for table in members:
                page = table_page(table, year, period, heading, slug)
                (folder / f"{table.key}.md").write_text(page, encoding="utf-8")
                fragment = folder / TABLE_FRAGMENTS / f"{table.key}.html"
                fragment.parent.mkdir(exist_ok=True)
                fragment.write_text(table_fragment(table), encoding="utf-8")
        (folder / "revisjoner.md").write_text(revisions_page(year, period, tables), encoding="utf-8")


def goal_titles(year: int) -> dict[int, str]:
    """Goal number -> title, from the year's letter (empty when the letter has no goals file)."""
    try:
        from imdi_analysis.letter.goals import load_goals

        return {int(g): str(t) for g, t in load_goals(year)[["goal", "title"]].itertuples(index=False)}
    except ImdiError:  # no goals file for the year: the group page names the goal by number only
        return {}


def group_page(heading: str, goal: int | None, goals: dict[int, str], members: list[PublishedTable]) -> str:
    from imdi_analysis.publish import markdown_text

    lines = [f"# {markdown_text(heading)}", ""]
    if goal:
        title = goals.get(goal)
        lines += [
            f"Tabellene hører til mål {goal}"
            + (f": *{markdown_text(title)}*. " if title else ". ")
            + "Statistikkvedlegget knytter ikke tabellene til mål; de står her fordi de bygger på de "
            "samme registrene som indikatorene for styringsparameterne under målet, eller lages sammen med "
            "tabeller som gjør det.",
            "",
        ]
    else:
        lines += [
            "Tildelingsbrevet knytter ikke disse tabellene til noe mål: ingen av indikatorene for "
            "styringsparameterne bygger på de samme registrene.",
            "",
        ]
    lines += [f"- [Tabell {t.key}]({t.key}.md): {markdown_text(t.table.title)}" for t in members]
    return "\n".join(lines) + "\n"


def download_links(table: PublishedTable, depth: int) -> str:
    """The "Last ned" line of a table page: CSV, JSON-stat2 and the report's workbook."""
    up = "../" * depth
    labels = {"csv": "CSV", "jsonstat": "JSON-stat2", "xlsx": "Excel (alle tabellene i rapporten)"}
    links = [
        f'<a href="{up}{html_escape(table.files[kind].as_posix())}" download>{labels[kind]}</a>'
        for kind in ("csv", "jsonstat", "xlsx")
        if kind in table.files
    ]
    return '<p class="imdi-downloads">Last ned: ' + " · ".join(links) + "</p>"


def table_fragment(table: PublishedTable) -> str:
    """The HTML of a table page's table, in its scroll box, with revised cells marked."""
    from imdi_analysis.publish import publishable_threshold, render_html

    t = table.table
    rendered = render_html(
        t, publishable_threshold(t), footer=False, revised=revised_cells(t, table.revisions)
    )
    return f'<div class="imdi-scroll">\n{rendered}\n</div>\n'


def table_page(table: PublishedTable, year: int, period: str, heading: str, slug: str) -> str:
    """The markdown page of one appendix table; the table itself is included from
    :data:`TABLE_FRAGMENTS` so that the page's downloadable source stays small."""
    from imdi_analysis.publish import (
        PRELIMINARY_NOTICE,
        legend_lines,
        markdown_text,
        notices,
        publishable_threshold,
        report_text,
    )

    t = table.table
    threshold = publishable_threshold(t)  # refuses a table that is not safe to publish
    lines = [f"# Tabell {markdown_text(t.key)}", "", f'<p class="imdi-lead">{html_escape(t.title)}</p>', ""]
    if t.synthetic:
        lines += [SYNTHETIC_NOTICE, ""]
    lines += [
        f"{report_text(year, period)}. Tema: [{markdown_text(heading)}]({slug}.md). "
        f"[Alle tabellene i statistikkvedlegget](../appendix.ipynb).",
        "",
        download_links(table, depth=3),
        "",
        "```{raw} html",
        f":file: {TABLE_FRAGMENTS}/{t.key}.html",
        "```",
        "",
        "## Definisjon og merknader",
        "",
    ]
    for notice in notices(t) or ["Ingen merknader."]:
        lines += [f"*{markdown_text(notice)}*" if notice == PRELIMINARY_NOTICE else markdown_text(notice), ""]
    for item in legend_lines(t, threshold, code="`{}`"):
        lines += [item, ""]
    if table.revisions:
        lines += [
            f"Tall merket med r er endret siden forrige publisering ({len(table.revisions)} celler); "
            "se [endrede tall](revisjoner.md).",
            "",
        ]
    sources = ", ".join(t.sources)
    if sources:
        lines += [f"Kilde: registeruttrekk ({markdown_text(sources)}).", ""]
    return "\n".join(lines)


def revised_cells(table: Any, changed: list[Revision]) -> set[tuple[int, int]]:
    """``(row, column)`` positions in the table's wide layout of the cells in ``changed``."""
    from imdi_analysis.publish import wide_table

    if not changed:
        return set()
    wide = wide_table(table)
    dims = list(table.dims)
    found = (wide.position(dict(zip(dims, r.categories, strict=True)), r.measure) for r in changed)
    return {position for position in found if position is not None}


def revisions_page(year: int, period: str, tables: list[PublishedTable]) -> str:
    """The page listing every revised cell of a report: table, cell, old and new value."""
    from imdi_analysis.publish import markdown_text, report_text
    from imdi_analysis.tables import MEASURE_LABELS

    changed = [r for t in tables for r in t.revisions]
    lines = ["# Endrede tall", "", f"{report_text(year, period)}.", ""]
    if not changed:
        lines += [
            "Ingen publiserte tall er endret siden forrige publisering av denne rapporten "
            "(eller rapporten er ikke publisert før).",
            "",
        ]
        return "\n".join(lines)
    lines += [
        f"{len(changed)} celler har fått ny verdi siden forrige publisering. I tabellene er de merket med r.",
        "",
        "| Tabell | Celle | Før | Nå |",
        "|---|---|--:|--:|",
    ]
    for r in changed:
        cell = " · ".join([*(c for c in r.categories if c), MEASURE_LABELS[r.measure]])
        lines.append(
            f"| [{r.key}]({r.key}.md) | {markdown_text(cell)} | {markdown_text(r.old)} | {markdown_text(r.new)} |"
        )
    return "\n".join(lines) + "\n"


GLUE_ROLE = re.compile(r"\{glue(?::text)?\}`([^`]+)`")


def page_title(path: Path, fallback: str) -> str:
    """The first markdown heading of a notebook (glued values filled in), or ``fallback``."""
    nb = nbformat.read(path, as_version=4)
    glued = glued_values(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return GLUE_ROLE.sub(lambda m: glued.get(m.group(1), m.group(1)), line[2:]).strip()
    return fallback


def glued_values(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Text of the values a notebook glued with myst-nb (``glue(name, value)``)."""
    values: dict[str, str] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            scrap = output.get("metadata", {}).get("scrapbook", {})
            name = scrap.get("name")
            data = output.get("data", {})
            text = data.get(f"{scrap.get('mime_prefix', '')}text/plain", data.get("text/plain"))
            if name and text is not None:
                values[name] = "".join(text).strip("'\"")
    return values


def sections(runs: list[NotebookRun]) -> tuple[list[int], dict[tuple[int, str], list[NotebookRun]]]:
    """Years in the book (newest first) and the period sections of each year."""
    years = sorted({r.year for r in runs if r.year is not None}, reverse=True)
    by_period: dict[tuple[int, str], list[NotebookRun]] = {}
    for run in runs:
        if run.period is not None:
            by_period.setdefault((run.year, run.period), []).append(run)
    return years, by_period


BOOK_PERIODS = ("year", "H1", "Q4", "Q3", "Q2", "Q1")  # order of a year's period sections


def period_title(year: int, period: str) -> str:
    if period in ("Q1", "Q2", "Q3", "Q4"):
        return f"Kvartalsanalyse {period[1]}. kvartal {year}"
    return f"Årsrapport {year}" if period == "year" else f"Halvårsrapport {year}"


def write_period_pages(src: Path, runs: list[NotebookRun], titles: dict[str, str]) -> None:
    """An introduction page per year and period listing its chapters."""
    from imdi_analysis.publish import markdown_text  # titles hold letter text

    _years, by_period = sections(runs)
    for (year, period), period_runs in by_period.items():
        lines = [
            f"# {period_title(year, period)}",
            "",
            f"Status per {format_date(reference_date(year, period))} ({PERIOD_LABELS[period].lower()}).",
            "",
            "Kapitler:",
            "",
        ]
        lines += [f"- [{markdown_text(titles[r.name])}]({r.relpath.name})" for r in period_runs]
        page = src / str(year) / period / "index.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("\n".join(lines) + "\n", encoding="utf-8")


def table_of_contents(
    runs: list[NotebookRun], appendix: dict[tuple[int, str], list[PublishedTable]] | None = None
) -> dict[str, Any]:
    """``_toc.yml``: a part per year (its chapters and period sections), then cross-year and about pages.

    An appendix chapter has its groups as sections and each group its tables.
    """
    appendix = appendix or {}
    years, by_period = sections(runs)
    parts: list[dict[str, Any]] = []
    for year in years:
        chapters = [{"file": _stem(r.relpath)} for r in runs if r.year == year and r.period is None]
        for period in BOOK_PERIODS:
            if (year, period) in by_period:
                chapters.append(
                    {
                        "file": f"{year}/{period}/index",
                        "sections": [toc_entry(r, appendix) for r in by_period[(year, period)]],
                    }
                )
        parts.append({"caption": str(year), "chapters": chapters})
    across = [{"file": _stem(r.relpath)} for r in runs if r.year is None]
    if across:
        parts.append({"caption": "På tvers av år", "chapters": across})
    about = [{"file": name} for name, _ in STATIC_PAGES] + [{"file": "om-kjoringen"}]
    parts.append({"caption": "Om boka", "chapters": about})
    return {"format": "jb-book", "root": "index", "parts": parts}


def toc_entry(run: NotebookRun, appendix: dict[tuple[int, str], list[PublishedTable]]) -> dict[str, Any]:
    """A run's entry in the table of contents; the appendix with its group and table pages."""
    entry: dict[str, Any] = {"file": _stem(run.relpath)}
    tables = appendix.get(run_key(run)) if run_key(run) else None
    if tables:
        folder = f"{run.year}/{run.period}/{APPENDIX_PAGES}"
        entry["sections"] = [
            {"file": f"{folder}/{slug}", "sections": [{"file": f"{folder}/{t.key}"} for t in members]}
            for (slug, _heading, _goal), members in appendix_groups(tables)
        ] + [{"file": f"{folder}/revisjoner"}]
    return entry


def _stem(path: Path) -> str:
    return path.with_suffix("").as_posix()


def front_page(runs: list[NotebookRun], manifest: dict[str, Any], titles: dict[str, str]) -> str:
    """The Norwegian front page: what the book is, its sources, its sections."""
    from imdi_analysis.publish import markdown_text  # titles hold letter text

    years, by_period = sections(runs)
    synthetic = bool(manifest.get("synthetic"))
    lines = [
        "# IMDi – styringsinformasjon og statistikkvedlegg",
        "",
        "Denne boka er laget med analysepakken **imdi-analysis**. Den gjør tildelingsbrevet fra "
        "Arbeids- og inkluderingsdepartementet til Integrerings- og mangfoldsdirektoratet (IMDi) om til "
        "etterprøvbare tall: budsjettrammer, mål og styringsparametere, oppdrag og frister, indikatorer "
        "for styringsparameterne og tabellene i statistikkvedlegget (vedlegg 3). Alle tall er beregnet "
        "av notatbøker som kjøres på nytt med samme kommando, og hver side viser hvilke inndata den bygger på.",
        "",
    ]
    if synthetic:
        lines += [
            ":::{admonition} Syntetiske registerdata",
            ":class: warning",
            "Registerdataene i denne utgaven (introduksjonsprogram, opplæring, bosetting, tolkeregister m.m.) "
            "er **syntetiske**. De er laget av pakkens deterministiske generator med realistiske størrelser, "
            "men beskriver ingen virkelige personer. Personopplysninger fra registrene er fortrolige og "
            "finnes aldri i dette prosjektet. Tall fra tildelingsbrevet er ekte.",
            ":::",
            "",
        ]
    lines += [
        "## Datakilder",
        "",
        "- **Tildelingsbrev til IMDi** fra Arbeids- og inkluderingsdepartementet (offentlig dokument), "
        "overført til tabeller med henvisning til avsnitt i brevet.",
        "- **Registeruttrekk** fra Nasjonalt introduksjonsregister (NIR), IMDis bosettingsdata, Nasjonalt "
        "tolkeregister og rapporter fra statsforvalterne" + (" – her syntetiske." if synthetic else "."),
        "- **Statistisk sentralbyrå (SSB)**, tabell 10809 (JSON-stat2), for overgang til arbeid eller utdanning"
        + (" – her en syntetisk tabell med samme oppbygning, ikke SSBs tall." if synthetic else "."),
        "",
        "Se [Datakilder](datakilder.md), [Forutsetninger og forbehold](forutsetninger.md) og "
        "[Om kjøringen](om-kjoringen.md).",
        "",
        "## Innhold",
        "",
    ]
    for year in years:
        lines.append(f"**{year}**")
        lines.append("")
        for run in runs:
            if run.year == year and run.period is None:
                lines.append(f"- [{markdown_text(titles[run.name])}]({_stem(run.relpath)}.ipynb)")
        for period in BOOK_PERIODS:
            if (year, period) in by_period:
                lines.append(f"- [{period_title(year, period)}]({year}/{period}/index.md)")
        lines.append("")
    across = [r for r in runs if r.year is None]
    if across:
        lines.append("**På tvers av år**")
        lines.append("")
        lines += [f"- [{markdown_text(titles[r.name])}]({_stem(r.relpath)}.ipynb)" for r in across]
        lines.append("")
    lines += [
        "Tabeller kan lastes ned som CSV og Excel fra kapitlene om statistikkvedlegget. "
        "Tegnforklaring: `:` vises ikke av hensyn til personvern, `..` tallgrunnlag mangler, "
        "`.` tall kan ikke forekomme, `-` null.",
        "",
    ]
    return "\n".join(lines)


def build_html(src: Path, staging: Path) -> Path:
    """Run ``jupyter-book build`` on ``src``; return the HTML folder or raise :class:`PipelineError`."""
    executable = Path(sys.executable).parent / "jupyter-book"
    command = [
        str(executable) if executable.exists() else "jupyter-book",
        "build",
        str(src),
        "--path-output",
        str(staging / "out"),
    ]
    env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    (staging / BUILD_LOG).write_text(result.stdout + result.stderr, encoding="utf-8")
    html = staging / "out" / "_build" / "html"
    if result.returncode != 0 or not (html / "index.html").is_file():
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-20:])
        raise PipelineError(
            f"The Jupyter Book build failed (exit {result.returncode}); the previous book is unchanged. "
            f"Log: {staging / BUILD_LOG}\n{tail}"
        )
    prune_build(html)
    with (staging / BUILD_LOG).open("a", encoding="utf-8") as log:
        log.write("\n".join(["", book_size_summary(html), *book_size_problems(html)]) + "\n")
    return html


def book_sizes(html: Path, leave_out: Iterable[str] = ()) -> dict[str, int]:
    """Bytes of every file of a built book by path under ``html``, without the folders ``leave_out``."""
    left_out = [html / folder for folder in leave_out]
    return {
        path.relative_to(html).as_posix(): path.stat().st_size
        for path in sorted(html.rglob("*"))
        if path.is_file() and not any(path.is_relative_to(folder) for folder in left_out)
    }


def book_size_problems(html: Path, leave_out: Iterable[str] = ()) -> list[str]:
    """What breaks the size budget: the book over :data:`BOOK_MAX_BYTES`, a page over
    :data:`PAGE_MAX_BYTES`; empty when the book keeps to it."""
    sizes = book_sizes(html, leave_out)
    total = sum(sizes.values())
    problems = [
        f"Page {name} has {spaced(size)} bytes, more than the {spaced(PAGE_MAX_BYTES)} a page may have."
        for name, size in sizes.items()
        if name.endswith(".html") and size > PAGE_MAX_BYTES
    ]
    if total > BOOK_MAX_BYTES:
        biggest = ", ".join(f"{n} ({spaced(s)})" for n, s in sorted(sizes.items(), key=lambda i: -i[1])[:5])
        problems.append(
            f"The book has {spaced(total)} bytes, more than {spaced(BOOK_MAX_BYTES)}; largest files: {biggest}."
        )
    return problems


def book_size_summary(html: Path) -> str:
    """``Book: 8 414 660 bytes in 340 files; largest page 2022/year/vedlegg/2A.html (429 044 bytes).``"""
    sizes = book_sizes(html)
    pages = {n: s for n, s in sizes.items() if n.endswith(".html")}
    largest = max(pages, key=pages.__getitem__, default=None)
    text = f"Book: {spaced(sum(sizes.values()))} bytes in {spaced(len(sizes))} files"
    if largest is not None:
        text += f"; largest page {largest} ({spaced(pages[largest])} bytes)"
    return text + "."


def spaced(number: int) -> str:
    """``8 414 660``: thousands separated by spaces."""
    return f"{number:,}".replace(",", " ")


def prune_build(html: Path) -> None:
    """Remove what readers never load: source maps, font fallbacks, catalogs, and the icons and
    icon fonts that no page uses."""
    for pattern in PRUNED_BUILD_FILES:
        for path in html.glob(pattern):
            if path.suffix != ".ttf" or path.with_suffix(".woff2").is_file():
                path.unlink()
    for folder in PRUNED_BUILD_DIRS:
        shutil.rmtree(html / folder, ignore_errors=True)
    used = used_icons(html)
    subset_icons(html, used)
    subset_icon_rules(html, used)
    drop_unused_webfonts(html)


def used_icons(html: Path) -> set[str]:
    """Icon names (``fa-<name>``) in the pages and the theme's scripts, except the icon script."""
    used: set[str] = set()
    for path in [*html.rglob("*.html"), *(html / "_static").rglob("*.js")]:
        if path != html / ICON_SCRIPT:
            used.update(ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return used


def subset_icons(html: Path, used: set[str]) -> None:
    """Keep in the theme's Font Awesome script only the icons the book uses.

    The script defines some 2 000 icons (1,4 MB) as ``name:[width,height,[aliases],"code","path"]``;
    the pages use about twenty, named by ``fa-<name>`` classes in the pages and the theme's scripts.
    An icon is kept when its name or one of its aliases is used.
    """
    script = html / ICON_SCRIPT
    if not script.is_file():
        return
    text = script.read_text(encoding="utf-8")
    parts: list[str] = []
    end = 0
    for match in ICON_ENTRY.finditer(text):
        aliases = {a.strip('"') for a in match.group(2).split(",") if a}
        if match.group(1) in used or aliases & used:
            continue
        parts.append(text[end : match.start()])
        end = match.end() + (1 if text[match.end() : match.end() + 1] == "," else 0)
    parts.append(text[end:])
    script.write_text("".join(parts), encoding="utf-8")


def subset_icon_rules(html: Path, used: set[str]) -> None:
    """Keep in the theme's stylesheet only the icon rules (``.fa-<name>:before{content:...}``,
    about 1 900, 86 kB) of icons the book uses; a rule naming several aliases stays when one is."""
    sheet = html / ICON_STYLESHEET
    if not sheet.is_file():
        return

    def keep(match: re.Match) -> str:
        names = set(re.findall(r"\.fa-([a-z0-9-]+):before", match.group(1)))
        return match.group(0) if names & used else ""

    sheet.write_text(ICON_RULE.sub(keep, sheet.read_text(encoding="utf-8")), encoding="utf-8")


def drop_unused_webfonts(html: Path) -> None:
    """Remove an icon font (:data:`WEBFONTS`) when no page has an element with one of its classes:
    a browser loads a web font only for text drawn with it."""
    classes: set[str] = set()
    for page in html.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="ignore")
        classes.update(c for value in CLASS_ATTRIBUTE.findall(text) for c in value.split())
    for font, users in WEBFONTS.items():
        if not users & classes:
            (html / font).unlink(missing_ok=True)


def swap_into_place(new_html: Path, target: Path) -> None:
    """Replace ``target`` with ``new_html`` by two renames; the old book is removed afterwards."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    try:
        new_html.rename(target)
    except OSError:
        if old.exists():
            old.rename(target)
        raise
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True), encoding="utf-8")
