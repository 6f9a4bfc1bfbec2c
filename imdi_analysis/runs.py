"""Which notebooks run with which parameters: ``book/runs.yml`` parsed and checked.

The run file is data, not code. Each entry names a notebook, its chapter title, its scope
(``year``: once per selected year; ``year_period``: once per selected year and period;
``all``: once for the whole run), whether it needs the year's allocation letter, the inputs it
reads (globs, used by the cache) and its parameters. Parameter values may use the placeholders
``{year}``, ``{period}``, ``{years}``, ``{data_dir}``, ``{threshold}``, ``{output_dir}`` and
``{reference_date}`` (30 June or 31 December of the year, ISO format).

An entry with ``for_each: goal`` runs once per goal of the year's allocation letter (the
year's own letter, else the latest earlier one: :func:`imdi_analysis.letter.goals.letter_year_for`),
read from ``letter/<year>/goals.csv`` when the run is planned. Each run gets the placeholder
``{goal}`` and its own output name (``goal_3``), so a letter with more, fewer or renumbered goals
needs no change to the run file.

Parameters are checked against the notebook's ``parameters`` cell before any kernel starts: an
unknown name, or a value whose type differs from the default's type, fails with the list of
parameters the notebook accepts (papermill itself only warns).
"""

from __future__ import annotations

import ast
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import yaml

from imdi_analysis.config import NOTEBOOKS_DIR, RUNS_FILE, reference_date
from imdi_analysis.errors import ConfigError

SCOPES = ("year", "year_period", "all")
PLACEHOLDERS = ("year", "period", "years", "data_dir", "threshold", "output_dir", "reference_date", "goal")
ENTRY_KEYS = {
    "notebook",
    "title",
    "scope",
    "needs_letter",
    "reads",
    "parameters",
    "periods",
    "part",
    "for_each",
    "uses",
}
FOR_EACH = ("goal",)
USES = ("indicators", "appendix")  # outputs of the run's data step (imdi_analysis.datastep)


@dataclass(frozen=True)
class RunEntry:
    """One line of ``runs.yml``: a notebook and how to run it."""

    notebook: str
    title: str
    scope: str
    part: str
    needs_letter: bool = False
    reads: tuple[str, ...] = ()
    parameters: dict[str, Any] = field(default_factory=dict)
    periods: tuple[str, ...] = ("H1", "year")
    notebooks_dir: Path = NOTEBOOKS_DIR
    for_each: str | None = None
    uses: tuple[str, ...] = ()  # data step outputs the notebook reads (part of its cache key)

    @property
    def path(self) -> Path:
        return self.notebooks_dir / f"{self.notebook}.ipynb"


@dataclass(frozen=True)
class NotebookRun:
    """One notebook execution with concrete parameters."""

    entry: RunEntry
    year: int | None
    period: str | None
    parameters: dict[str, Any]
    reads: tuple[str, ...]
    item: int | None = None

    @property
    def stem(self) -> str:
        """The output notebook's name: the entry's notebook, with the goal for ``for_each`` runs."""
        return self.entry.notebook if self.item is None else f"{self.entry.notebook}_{self.item}"

    @property
    def name(self) -> str:
        parts = [self.stem]
        if self.year is not None:
            parts.append(str(self.year))
        if self.period is not None:
            parts.append(self.period)
        return "-".join(parts)

    @property
    def relpath(self) -> Path:
        """Path of the executed notebook inside the book tree."""
        if self.year is None:
            return Path(f"{self.stem}.ipynb")
        if self.period is None:
            return Path(str(self.year)) / f"{self.stem}.ipynb"
        return Path(str(self.year)) / self.period / f"{self.stem}.ipynb"

    @property
    def title(self) -> str:
        return fill(self.entry.title, {"year": self.year, "period": self.period, "goal": self.item})


def load_runs(path: Path = RUNS_FILE, notebooks_dir: Path = NOTEBOOKS_DIR) -> list[RunEntry]:
    """Read and check ``runs.yml``; raise :class:`ConfigError` naming the entry and key on problems."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the run file ({exc}).") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("runs"), list):
        raise ConfigError(f"{path}: expected a mapping with a 'runs' list.")
    return [parse_entry(item, i, path, notebooks_dir) for i, item in enumerate(raw["runs"], start=1)]


def parse_entry(item: dict, number: int, path: Path, notebooks_dir: Path = NOTEBOOKS_DIR) -> RunEntry:
    """One ``runs`` item as a :class:`RunEntry`."""
    where = f"{path}, entry {number}"
    if not isinstance(item, dict) or "notebook" not in item:
        raise ConfigError(f"{where}: each entry needs at least 'notebook'.")
    unknown = set(item) - ENTRY_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(ENTRY_KEYS)}.")
    scope = item.get("scope", "year")
    if scope not in SCOPES:
        raise ConfigError(f"{where} ({item['notebook']}): scope {scope!r} is not one of {SCOPES}.")
    for_each = item.get("for_each")
    if for_each is not None and for_each not in FOR_EACH:
        raise ConfigError(f"{where} ({item['notebook']}): for_each {for_each!r} is not one of {FOR_EACH}.")
    if for_each is not None and scope == "all":
        raise ConfigError(f"{where} ({item['notebook']}): for_each needs a year (scope year or year_period).")
    uses = tuple(item.get("uses", ()))
    if set(uses) - set(USES):
        raise ConfigError(
            f"{where} ({item['notebook']}): uses {sorted(set(uses) - set(USES))} unknown; allowed: {USES}."
        )
    if "appendix" in uses and scope != "year_period":
        raise ConfigError(f"{where} ({item['notebook']}): uses appendix needs scope year_period.")
    entry = RunEntry(
        notebook=str(item["notebook"]),
        title=str(item.get("title", item["notebook"])),
        scope=scope,
        part=str(item.get("part", "")),
        needs_letter=bool(item.get("needs_letter", False)),
        reads=tuple(item.get("reads", ())),
        parameters=dict(item.get("parameters", {})),
        periods=tuple(item.get("periods", ("H1", "year"))),
        notebooks_dir=notebooks_dir,
        for_each=for_each,
        uses=uses,
    )
    if not entry.path.is_file():
        raise ConfigError(f"{where}: notebook {entry.path} does not exist.")
    return entry


def fill(template: Any, values: dict[str, Any]) -> Any:
    """Replace ``{placeholder}`` in a string; a string that is exactly one placeholder keeps its type."""
    if not isinstance(template, str):
        return template
    names = [f[1] for f in string.Formatter().parse(template) if f[1]]
    for name in names:
        if name not in PLACEHOLDERS:
            raise ConfigError(f"Unknown placeholder {{{name}}} in {template!r}; allowed: {PLACEHOLDERS}.")
    if len(names) == 1 and template == f"{{{names[0]}}}":
        return values.get(names[0])
    return template.format(**{k: ("" if v is None else v) for k, v in values.items()})


def notebook_parameters(path: Path) -> dict[str, Any]:
    """Parameters a notebook accepts, with their default values, from its ``parameters`` cell."""
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    if len(cells) != 1:
        raise ConfigError(f"{path}: expected exactly one code cell tagged 'parameters', found {len(cells)}.")
    defaults: dict[str, Any] = {}
    for node in ast.parse(cells[0].source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                defaults[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError as exc:
                raise ConfigError(
                    f"{path}: parameter {node.targets[0].id!r} must be a literal value in the parameters cell."
                ) from exc
    return defaults


def check_parameters(path: Path, parameters: dict[str, Any]) -> None:
    """Fail before any kernel starts when a parameter is unknown or of the wrong type."""
    accepted = notebook_parameters(path)
    listing = ", ".join(f"{k}: {type(v).__name__} = {v!r}" for k, v in accepted.items())
    for name, value in parameters.items():
        if name not in accepted:
            raise ConfigError(f"{path.name}: unknown parameter {name!r}. The notebook accepts: {listing}.")
        expected = type(accepted[name])
        if accepted[name] is not None and not _same_type(value, expected):
            raise ConfigError(
                f"{path.name}: parameter {name!r} = {value!r} is {type(value).__name__}, "
                f"expected {expected.__name__}. The notebook accepts: {listing}."
            )


def _same_type(value: Any, expected: type) -> bool:
    if expected is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


def plan(
    entries: list[RunEntry],
    years: list[int],
    periods: list[str],
    letter_years: list[int],
    data_dir: str,
    threshold: int | None,
    output_dir: str = "",
    data_years: list[int] | None = None,
    letter_root: Path | None = None,
) -> list[NotebookRun]:
    """Expand the run file into concrete notebook runs for the selected years and periods.

    ``{years}`` (the span of time series) runs from the first year with data (``data_years``)
    to the last selected year, so a run for 2022 shows every earlier year that has data.
    A ``for_each: goal`` entry expands over the goals of each year's letter, read from
    ``letter_root`` (default ``config.LETTER_DIR``); every expanded run's parameters are checked.
    """
    data_years = data_years or []
    runs: list[NotebookRun] = []
    first = min([*data_years, *years]) if data_years else years[0]
    years_text = f"{first}-{years[-1]}" if first < years[-1] else str(years[-1])
    for entry in entries:
        for year, period in scope_keys(entry, years, periods):
            if entry.needs_letter and year is not None and year not in letter_years:
                continue
            ref = (
                reference_date(year, period).isoformat() if year is not None and period is not None else None
            )
            values = {
                "reference_date": ref,
                "year": year,
                "period": period,
                "years": years_text,
                "data_dir": data_dir,
                "threshold": threshold,
                "output_dir": output_dir,
            }
            for item in expand_items(entry, year, letter_root):
                values["goal"] = item
                params = {k: fill(v, values) for k, v in entry.parameters.items()}
                params = {k: v for k, v in params.items() if v is not None}
                reads = tuple(fill(r, values) for r in entry.reads)
                check_parameters(entry.path, params)
                runs.append(NotebookRun(entry, year, period, params, reads, item))
    return runs


def expand_items(entry: RunEntry, year: int | None, letter_root: Path | None) -> list[int | None]:
    """``[None]`` for a plain entry; the goal numbers of the year's letter for ``for_each: goal``."""
    if entry.for_each is None or year is None:
        return [None]
    from imdi_analysis.letter.goals import goal_numbers  # the letter loaders import pandera: only when needed

    return goal_numbers(year, letter_root)


def scope_keys(entry: RunEntry, years: list[int], periods: list[str]) -> list[tuple[int | None, str | None]]:
    """The (year, period) combinations an entry runs for."""
    if entry.scope == "all":
        return [(None, None)]
    if entry.scope == "year":
        return [(y, None) for y in years]
    return [(y, p) for y in years for p in periods if p in entry.periods]
