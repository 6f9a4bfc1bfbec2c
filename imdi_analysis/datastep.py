"""The data step of a run: every measure of the release computed once, before any notebook runs.

``imdi run`` computes, for the run's settings (register folder, years, threshold):

- **series**, per period (``H1``, ``year``): every registered indicator for every year of the
  run's span as computed from the registers, before disclosure control
  (``<output_dir>/measures/series_<period>.parquet``; an internal input of the indicators step,
  never read by a page nor published), and for the annual figures the key figures' counts of
  persons. It does not wait for the appendix, so it runs beside it.
- **indicators**, per period: the series with disclosure control applied once over the whole
  frame and linked to the appendix tables of the same run (:func:`disclose_series`), written as
  ``<output_dir>/measures/indicators_<period>.parquet``
  beside a manifest (``indicators_<period>.json``: format, period, years, threshold, register
  folder, SHA-256 of the Parquet file). The goal pages, the time-series chapter, the deviations
  page and the key figures read this one frame (:func:`read_indicators`), so a figure shown in two
  places is one number with one suppression pattern.
- **appendix**, per report (year and period with a letter): the Vedlegg 3 tables built, protected
  together and written as CSV, XLSX and sidecars with their manifest
  (:func:`imdi_analysis.appendix.build.build_appendix`); the appendix page and the book's
  table pages read them back (:func:`imdi_analysis.appendix.build.read_appendix`).

Each step declares its outputs. Its cache record (``<build_dir>/steps/<name>.json``) holds the
step's key — a hash of its parameters, of every input file (registers, letter, reference data,
Statistics Norway extracts) and of the package's code — and the SHA-256 of every output. A step
runs again when its key changed or when any output is missing or differs from the record (a
deleted ``data/processed`` is rebuilt by a plain ``imdi run``). Notebooks that use a step have
its outputs' checksums in their own cache key, so they re-execute exactly when the data changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from imdi_analysis import config
from imdi_analysis.errors import DataNotFoundError, PipelineError
from imdi_analysis.links import linked_hidden, linked_shown
from imdi_analysis.manifest import code_fingerprint, hash_files, sha256_file
from imdi_analysis.tables import STATUS_SUPPRESSED, AppendixTable
from imdi_analysis.tabular import write_atomic

MEASURES_FOLDER = "measures"
INDICATORS_FORMAT = "imdi-indicators/1"
STEP_KINDS = ("indicators", "appendix")  # what runs.yml may name in ``uses``
SERIES = "series"  # planned with every indicators step
INDICATOR_PERIODS = ("H1", "year")


@dataclass(frozen=True)
class DataStep:
    """One computation of the data step and the outputs it declares.

    ``kind`` is ``indicators`` (``period`` and ``years``) or ``appendix`` (``year`` and ``period``).
    """

    kind: str
    period: str
    years: tuple[int, ...] = ()
    year: int | None = None
    reports: tuple[int, ...] = ()  # indicators: the years whose appendix (same period) this run publishes

    @property
    def after(self) -> tuple[str, ...]:
        """The steps whose outputs this one reads: the indicators read their series and the run's
        appendix tables."""
        if self.kind != "indicators":
            return ()
        return (f"{SERIES}-{self.period}", *(f"appendix-{y}-{self.period}" for y in self.reports))

    @property
    def name(self) -> str:
        if self.kind in ("indicators", SERIES):
            return f"{self.kind}-{self.period}"
        return f"appendix-{self.year}-{self.period}"

    def folder(self, output_dir: Path) -> Path:
        """Where the step writes its outputs."""
        if self.kind in ("indicators", SERIES):
            return measures_dir(output_dir)
        from imdi_analysis.appendix.build import appendix_dir

        assert self.year is not None
        return appendix_dir(self.year, self.period, output_dir)

    def outputs(self, output_dir: Path) -> list[Path]:
        """The files the step wrote (an appendix writes one CSV and sidecar per table)."""
        if self.kind == "indicators":
            parquet = indicators_path(self.period, output_dir)
            return [parquet, manifest_path(parquet)]
        if self.kind == SERIES:
            parquet = series_path(self.period, output_dir)
            files = [parquet, manifest_path(parquet)]
            if self.period == "year":  # the key figures' counts of persons, for the annual report
                files += [counts_path(output_dir), manifest_path(counts_path(output_dir))]
            return files
        folder = self.folder(output_dir)
        return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


def measures_dir(output_dir: Path | str | None = None) -> Path:
    return Path(output_dir or config.PROCESSED_DIR) / MEASURES_FOLDER


def indicators_path(period: str, output_dir: Path | str | None = None) -> Path:
    return measures_dir(output_dir) / f"indicators_{period}.parquet"


def series_path(period: str, output_dir: Path | str | None = None) -> Path:
    """The undisclosed series of the run (internal: only the indicators step reads it)."""
    return measures_dir(output_dir) / f"series_{period}.parquet"


def manifest_path(parquet: Path) -> Path:
    return parquet.with_suffix(".json")


def counts_path(output_dir: Path | str | None = None) -> Path:
    return measures_dir(output_dir) / "counts_year.parquet"


# --- indicators ---------------------------------------------------------------------------------


def compute_indicator_release(
    period: str,
    years: Iterable[int],
    data_dir: Path | str | None = None,
    threshold: int | None = None,
    ids: Sequence[str] | None = None,
    appendix: Sequence[AppendixTable] = (),
) -> pd.DataFrame:
    """Every indicator (or ``ids``) for ``years`` and ``period``, disclosed: what readers may see.

    The one definition of the published indicator figures: :func:`time_series` computes each
    indicator with its registered definition, and
    :func:`~imdi_analysis.disclosure.disclose_indicators` applies the primary and secondary
    rules once over the frame (lines never cross indicators or years, so a subset of ``ids``
    gets the same pattern as the whole frame). ``appendix`` are the disclosed tables the same
    run publishes: a row resting on a cell they hide is hidden too (:mod:`imdi_analysis.links`),
    repeated until no visible row rests on a hidden cell.
    """
    return disclose_series(compute_series(period, years, data_dir, ids), threshold, appendix)


def compute_series(
    period: str, years: Iterable[int], data_dir: Path | str | None = None, ids: Sequence[str] | None = None
) -> pd.DataFrame:
    """Every indicator (or ``ids``) for ``years`` and ``period`` as computed, before disclosure control."""
    from imdi_analysis.indicators.registry import INDICATORS, time_series

    selected = list(INDICATORS) if ids is None else list(ids)
    return time_series(selected, sorted(set(years)), period, Path(data_dir) if data_dir else None)


def disclose_series(
    series: pd.DataFrame, threshold: int | None = None, appendix: Sequence[AppendixTable] = ()
) -> pd.DataFrame:
    """The published indicator figures from :func:`compute_series`: see :func:`compute_indicator_release`."""
    from imdi_analysis.disclosure import DEFAULT_THRESHOLD, disclose_indicators

    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    forced = np.zeros(len(series), dtype=bool)
    known = linked_shown(series, appendix)  # figures the appendix shows: no protection by hiding them
    while True:
        disclosed = disclose_indicators(series, threshold, forced, known)
        more = linked_hidden(disclosed, appendix) & (disclosed["status"] != STATUS_SUPPRESSED).to_numpy()
        if not more.any():
            return disclosed
        forced |= more


def write_indicators(
    frame: pd.DataFrame, period: str, years: Sequence[int], threshold: int, output_dir: Path, registers: Path
) -> list[Path]:
    """Write the disclosed indicators and their manifest atomically; return both paths."""
    return write_frame(frame, indicators_path(period, output_dir), period, years, threshold, registers)


def write_frame(
    frame: pd.DataFrame,
    path: Path,
    period: str,
    years: Sequence[int],
    threshold: int,
    registers: Path,
    disclosed: bool = True,
) -> list[Path]:
    """Write ``frame`` as Parquet and its manifest (with the file's SHA-256) atomically.

    ``disclosed=False`` marks an internal file that holds figures before disclosure control
    (the series): the manifest says so, for anyone who finds it in the output folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    frame.reset_index(drop=True).to_parquet(tmp, index=False)
    tmp.replace(path)
    manifest = {
        "format": INDICATORS_FORMAT,
        "period": period,
        "years": [int(y) for y in sorted(set(years))],
        "threshold": int(threshold),
        "data_dir": str(Path(registers).resolve()),
        "rows": len(frame),
        "sha256": sha256_file(path),
        "disclosed": disclosed,
    }
    if not disclosed:
        manifest["note"] = "Not disclosure-controlled: an input of the indicators step; never publish it."
    write_atomic(manifest_path(path), json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return [path, manifest_path(path)]


def read_indicators(
    period: str,
    output_dir: Path | str | None = None,
    threshold: int | None = None,
    years: Iterable[int] | None = None,
) -> pd.DataFrame:
    """The disclosed indicators the run's data step wrote for ``period``, checked against its manifest.

    Raises
    ------
    DataNotFoundError
        No data step output for the period (run ``imdi run``), or it lacks a year in ``years``.
    PipelineError
        The file differs from its manifest, or was made with another threshold than ``threshold``.
    """
    from imdi_analysis.disclosure import THRESHOLD_ATTR

    path = indicators_path(period, output_dir)
    frame = read_frame(path, threshold, years)
    frame.attrs[THRESHOLD_ATTR] = int(read_manifest(manifest_path(path))["threshold"])
    return frame


def read_counts(
    output_dir: Path | str | None = None, threshold: int | None = None, years: Iterable[int] | None = None
) -> pd.DataFrame:
    """The key figures' counts of persons (``figure_id``, ``year``, ``value``) of the data step."""
    return read_frame(counts_path(output_dir), threshold, years)


def read_frame(path: Path, threshold: int | None, years: Iterable[int] | None) -> pd.DataFrame:
    """A Parquet file of the data step, checked against its manifest (see :func:`read_indicators`)."""
    from imdi_analysis.disclosure import DEFAULT_THRESHOLD

    manifest = read_manifest(manifest_path(path))
    if not manifest or not path.is_file():
        raise DataNotFoundError(
            f"{path}: this output of the data step is missing. Run `imdi run` (it computes every "
            "measure once and writes them there)"
        )
    wanted = DEFAULT_THRESHOLD if threshold is None else int(threshold)
    if manifest.get("threshold") != wanted:
        raise PipelineError(
            f"{path} was made with threshold {manifest.get('threshold')}, this page uses {wanted}. "
            "Run `imdi run` with the threshold you want."
        )
    if sha256_file(path) != manifest.get("sha256"):
        raise PipelineError(f"{path} differs from its manifest {manifest_path(path).name}. Run `imdi run`.")
    missing = sorted(set(years or ()) - set(manifest.get("years", [])))
    if missing:
        raise DataNotFoundError(
            f"{path} holds the years {manifest.get('years')}, not {missing}. Run `imdi run` for a span "
            "that covers them."
        )
    return pd.read_parquet(path)


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return manifest if isinstance(manifest, dict) and manifest.get("format") == INDICATORS_FORMAT else {}


# --- planning and running -----------------------------------------------------------------------


def plan_steps(needs: Iterable[tuple[str, int | None, str | None]], years: Sequence[int]) -> list[DataStep]:
    """The steps the notebooks need: ``needs`` holds ``(kind, year, period)`` per use.

    An indicators step covers ``years`` (the run's span) for one period; a use without a
    period (a cross-year chapter) uses the annual figures.
    """
    steps: dict[str, DataStep] = {}
    needs = list(needs)
    appendix = {(y, p) for kind, y, p in needs if kind == "appendix"}
    for kind, year, period in needs:
        if kind not in STEP_KINDS:
            raise PipelineError(f"Unknown data step {kind!r}; known: {', '.join(STEP_KINDS)}.")
        if kind == "indicators":
            chosen = period if period in INDICATOR_PERIODS else "year"
            reports = tuple(sorted(y for y, p in appendix if p == chosen and y is not None))
            step = DataStep("indicators", chosen, tuple(years), None, reports)
            series = DataStep(SERIES, chosen, tuple(years))
            steps.setdefault(series.name, series)
        else:
            if year is None or period is None:
                raise PipelineError("The appendix step needs a year and a period (scope year_period).")
            step = DataStep("appendix", period, (), year)
        steps.setdefault(step.name, step)
    return [steps[name] for name in sorted(steps)]


def input_files(registers: Path) -> dict[str, str]:
    """``{path: sha256}`` of everything a measure can read: registers, letters, reference data, SSB."""
    roots = [registers, config.LETTER_DIR, config.REFERENCE_DIR, config.RAW_DIR / "ssb"]
    return hash_files(p for root in roots if root.is_dir() for p in root.rglob("*") if p.is_file())


def step_key(step: DataStep, inputs: dict[str, str], registers: Path, threshold: int, code: str) -> str:
    payload = {
        "step": [step.kind, step.year, step.period, list(step.years), list(step.reports)],
        "registers": str(Path(registers).resolve()),
        "threshold": threshold,
        "inputs": inputs,
        "code": code,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def record_path(step: DataStep, build_dir: Path) -> Path:
    return build_dir / "steps" / f"{step.name}.json"


def is_current(step: DataStep, key: str, build_dir: Path, output_dir: Path) -> dict[str, str] | None:
    """The recorded outputs when the step's key is unchanged and every output is as recorded, else None."""
    try:
        record = json.loads(record_path(step, build_dir).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    outputs = record.get("outputs") if isinstance(record, dict) else None
    if record.get("key") != key or not isinstance(outputs, dict) or not outputs:
        return None
    on_disk = {str(p): sha256_file(p) if p.is_file() else "missing" for p in step.outputs(output_dir)}
    return outputs if on_disk == outputs else None


def run_step(step: DataStep, registers: Path, threshold: int, output_dir: Path) -> None:
    """Compute one step and write its outputs (in this process)."""
    if step.kind == SERIES:
        series = compute_series(step.period, step.years, registers)
        path = series_path(step.period, output_dir)
        write_frame(series, path, step.period, step.years, threshold, registers, disclosed=False)
        if step.period == "year":
            from imdi_analysis.reports.key_figures import count_figures

            counts = count_figures(list(step.years), registers)
            write_frame(
                counts,
                counts_path(output_dir),
                step.period,
                step.years,
                threshold,
                registers,
                disclosed=False,
            )
        return
    if step.kind == "indicators":
        from imdi_analysis.appendix.build import read_appendix

        series = read_frame(series_path(step.period, output_dir), threshold, step.years)
        tables = [t for y in step.reports for t in read_appendix(y, step.period, output_dir, threshold)]
        frame = disclose_series(series, threshold, appendix=tables)
        write_indicators(frame, step.period, step.years, threshold, output_dir, registers)
        return
    from imdi_analysis.appendix.build import build_appendix

    assert step.year is not None
    build_appendix(step.year, step.period, registers, threshold, output_dir, jobs=1)


@dataclass
class StepPlan:
    """The data steps of a run with what they need: where to read and write, and their keys."""

    steps: list[DataStep]
    registers: Path
    threshold: int
    output_dir: Path
    build_dir: Path
    keys: dict[str, str]

    @classmethod
    def create(
        cls, steps: Sequence[DataStep], registers: Path, threshold: int, output_dir: Path, build_dir: Path
    ) -> StepPlan:
        inputs = input_files(registers) if steps else {}
        code = code_fingerprint()
        keys = {s.name: step_key(s, inputs, registers, threshold, code) for s in steps}
        return cls(list(steps), Path(registers), int(threshold), Path(output_dir), Path(build_dir), keys)

    def current(self, force: bool = False) -> tuple[dict[str, dict[str, str]], list[DataStep]]:
        """``({step: outputs})`` of the steps that are up to date, and the steps to run."""
        outputs: dict[str, dict[str, str]] = {}
        todo = []
        for step in self.steps:
            found = None if force else is_current(step, self.keys[step.name], self.build_dir, self.output_dir)
            if found is None:
                todo.append(step)
            else:
                outputs[step.name] = found
        return outputs, todo

    def job(self, step: DataStep) -> tuple[DataStep, str, int, str]:
        """The picklable arguments of :func:`run_step_job` for ``step``."""
        return (step, str(self.registers), self.threshold, str(self.output_dir))

    def record(self, step: DataStep) -> dict[str, str]:
        """Record the outputs ``step`` just wrote with its key; return ``{output: sha256}``."""
        written = {str(p): sha256_file(p) for p in step.outputs(self.output_dir) if p.is_file()}
        if not written:
            raise PipelineError(
                f"The data step {step.name} wrote no output in {step.folder(self.output_dir)}."
            )
        path = record_path(step, self.build_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps({"key": self.keys[step.name], "outputs": written}, indent=2) + "\n")
        return written


def in_order(steps: Sequence[DataStep]) -> list[DataStep]:
    """``steps`` with every step after the steps it reads (:attr:`DataStep.after`)."""
    names = {s.name for s in steps}
    done: set[str] = set()
    ordered: list[DataStep] = []
    pending = list(steps)
    while pending:
        ready = [s for s in pending if all(a in done or a not in names for a in s.after)]
        if not ready:
            raise PipelineError(f"Data steps wait for each other: {[s.name for s in pending]}.")
        for step in ready:
            ordered.append(step)
            done.add(step.name)
            pending.remove(step)
    return ordered


def run_step_job(args: tuple[DataStep, str, int, str]) -> str:
    """:func:`run_step` in a worker process; returns the step's name."""
    step, registers, threshold, output_dir = args
    run_step(step, Path(registers), threshold, Path(output_dir))
    return step.name


def run_steps(
    steps: Sequence[DataStep],
    registers: Path,
    threshold: int,
    output_dir: Path,
    build_dir: Path,
    force: bool = False,
) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Run the stale steps one after another in this process; return ``{step: {output: sha256}}``
    and the names of the steps run. (``imdi run`` schedules them with the notebooks instead:
    :func:`imdi_analysis.pipeline.execute_all`.)"""
    plan = StepPlan.create(steps, registers, threshold, output_dir, build_dir)
    outputs, todo = plan.current(force)
    todo = in_order(todo)
    with tqdm(total=len(todo), desc="Data", unit="steg", disable=not todo) as progress:
        for step in todo:
            run_step(step, plan.registers, plan.threshold, plan.output_dir)
            outputs[step.name] = plan.record(step)
            progress.update(1)
            progress.set_postfix_str(step.name)
    return outputs, [s.name for s in todo]


__all__ = [
    "DataStep",
    "StepPlan",
    "compute_indicator_release",
    "compute_series",
    "disclose_series",
    "indicators_path",
    "plan_steps",
    "read_counts",
    "read_indicators",
    "run_steps",
]
