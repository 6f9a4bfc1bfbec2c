"""Assembling and building the Jupyter Book from executed notebooks.

The book is built in a staging folder and swapped into ``book/_build/html`` only when the build
succeeded, so a failed run leaves the last good book in place.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import nbformat
import yaml

from imdi_analysis.config import BOOK_DIR, PERIOD_LABELS
from imdi_analysis.errors import PipelineError
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
BUILD_LOG = "jupyter-book.log"


def assemble_source(
    staging: Path,
    runs: list[NotebookRun],
    executed: dict[str, Path],
    manifest: dict[str, Any],
    downloads: Iterable[tuple[Path, Path]],
) -> Path:
    """Write the book's source tree into ``staging/src`` and return it."""
    src = staging / "src"
    if src.exists():
        shutil.rmtree(src)
    (src / "_extra").mkdir(parents=True)
    shutil.copy2(BOOK_DIR / "_config.yml", src / "_config.yml")
    for name, _title in STATIC_PAGES:
        shutil.copy2(STATIC_PAGES_DIR / f"{name}.md", src / f"{name}.md")
    synthetic = bool(manifest.get("synthetic"))
    for run in runs:
        target = src / run.relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        write_published_notebook(executed[run.name], target, run, manifest, synthetic)
    for source, relative_target in downloads:
        target = src / "_extra" / relative_target
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    write_manifest(manifest, src / "_extra" / "manifest.json")
    (src / "om-kjoringen.md").write_text(manifest_markdown(manifest), encoding="utf-8")
    titles = {run.name: page_title(executed[run.name], run.title) for run in runs}
    write_period_pages(src, runs, titles)
    (src / "index.md").write_text(front_page(runs, manifest, titles), encoding="utf-8")
    (src / "_toc.yml").write_text(
        yaml.safe_dump(table_of_contents(runs), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return src


def write_published_notebook(
    source: Path, target: Path, run: NotebookRun, manifest: dict[str, Any], synthetic: bool
) -> None:
    """Copy an executed notebook into the book, with a synthetic-data notice and a provenance footer."""
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:  # readers see results; the parameters stay in the downloadable notebook
        tags = cell.metadata.get("tags", [])
        if "parameters" in tags or "injected-parameters" in tags:
            cell.metadata["tags"] = [*tags, "remove-cell"]
    if synthetic:
        first_heading = next(
            (
                i
                for i, c in enumerate(nb.cells)
                if c.cell_type == "markdown" and c.source.lstrip().startswith("#")
            ),
            -1,
        )
        nb.cells.insert(first_heading + 1, nbformat.v4.new_markdown_cell(SYNTHETIC_NOTICE))
    nb.cells.append(nbformat.v4.new_markdown_cell(provenance_footer(run, manifest)))
    nbformat.write(nb, target)


def provenance_footer(run: NotebookRun, manifest: dict[str, Any]) -> str:
    """Norwegian provenance block ending every page: inputs, commit, version, parameters."""
    inputs = manifest.get("notebooks", {}).get(run.name, {}).get("inputs", {})
    params = ", ".join(f"`{k} = {v!r}`" for k, v in run.parameters.items()) or "ingen"
    rows = "\n".join(
        f"<tr><td><code>{name}</code></td><td><code>{digest}</code></td></tr>"
        for name, digest in sorted(inputs.items())
    )
    return (
        "---\n\n"
        "**Sporbarhet.** "
        f"Parametere: {params}. Pakkeversjon {manifest.get('version')}, "
        f"commit `{manifest.get('git_commit')}`, bygget {manifest.get('created_utc')} (UTC). "
        f"{'Registerdata: syntetiske. ' if manifest.get('synthetic') else ''}"
        "Se også {doc}`Om kjøringen </om-kjoringen>`.\n\n"
        f"<details><summary>Inndata for denne siden ({len(inputs)} filer, SHA-256)</summary>\n\n"
        f"<table><tr><th>Fil</th><th>SHA-256</th></tr>{rows}</table>\n\n</details>\n"
    )


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


def period_title(year: int, period: str) -> str:
    return f"Årsrapport {year}" if period == "year" else f"Halvårsrapport {year}"


def write_period_pages(src: Path, runs: list[NotebookRun], titles: dict[str, str]) -> None:
    """An introduction page per year and period listing its chapters."""
    _years, by_period = sections(runs)
    for (year, period), period_runs in by_period.items():
        lines = [
            f"# {period_title(year, period)}",
            "",
            f"Status per {'30. juni' if period == 'H1' else '31. desember'} {year} "
            f"({PERIOD_LABELS[period].lower()}).",
            "",
            "Kapitler:",
            "",
        ]
        lines += [f"- [{titles[r.name]}]({r.relpath.name})" for r in period_runs]
        page = src / str(year) / period / "index.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("\n".join(lines) + "\n", encoding="utf-8")


def table_of_contents(runs: list[NotebookRun]) -> dict[str, Any]:
    """``_toc.yml``: a part per year (its chapters and period sections), then cross-year and about pages."""
    years, by_period = sections(runs)
    parts: list[dict[str, Any]] = []
    for year in years:
        chapters = [{"file": _stem(r.relpath)} for r in runs if r.year == year and r.period is None]
        for period in ("year", "H1"):
            if (year, period) in by_period:
                chapters.append(
                    {
                        "file": f"{year}/{period}/index",
                        "sections": [{"file": _stem(r.relpath)} for r in by_period[(year, period)]],
                    }
                )
        parts.append({"caption": str(year), "chapters": chapters})
    across = [{"file": _stem(r.relpath)} for r in runs if r.year is None]
    if across:
        parts.append({"caption": "På tvers av år", "chapters": across})
    about = [{"file": name} for name, _ in STATIC_PAGES] + [{"file": "om-kjoringen"}]
    parts.append({"caption": "Om boka", "chapters": about})
    return {"format": "jb-book", "root": "index", "parts": parts}


def _stem(path: Path) -> str:
    return path.with_suffix("").as_posix()


def front_page(runs: list[NotebookRun], manifest: dict[str, Any], titles: dict[str, str]) -> str:
    """The Norwegian front page: what the book is, its sources, its sections."""
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
                lines.append(f"- [{titles[run.name]}]({_stem(run.relpath)}.ipynb)")
        for period in ("year", "H1"):
            if (year, period) in by_period:
                lines.append(f"- [{period_title(year, period)}]({year}/{period}/index.md)")
        lines.append("")
    across = [r for r in runs if r.year is None]
    if across:
        lines.append("**På tvers av år**")
        lines.append("")
        lines += [f"- [{titles[r.name]}]({_stem(r.relpath)}.ipynb)" for r in across]
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
    return html


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
