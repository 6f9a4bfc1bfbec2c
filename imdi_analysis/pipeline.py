"""The yearly run: validate data, execute notebooks with papermill (cached), build the book.

``run()`` reads as the table of contents of a run. A notebook is re-executed only when its
source, its parameters, the checksums of the files it reads (declared in ``book/runs.yml``) or
the package's code changed; ``force=True`` re-executes all. Independent notebooks run in
parallel processes with ``jobs > 1``. A failing notebook fails the run naming the notebook, the
cell and the error, and the last good book stays in place.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from tqdm import tqdm

from imdi_analysis import book
from imdi_analysis.config import (
    BOOK_BUILD_DIR,
    BOOK_DIR,
    LETTER_DIR,
    NOTEBOOKS_DIR,
    PROCESSED_DIR,
    REFERENCE_DIR,
    REPO_ROOT,
    RUNS_FILE,
    SYNTHETIC_DIR,
    SYNTHETIC_SEED,
    SYNTHETIC_YEARS,
    check_run_period,
    check_year_has_data,
    register_dir,
    years_in,
)
from imdi_analysis.datastep import (
    INDICATOR_PERIODS,
    SERIES,
    DataStep,
    StepPlan,
    in_order,
    plan_steps,
    run_step,
    run_step_job,
)
from imdi_analysis.disclosure import DEFAULT_THRESHOLD
from imdi_analysis.errors import DisclosureError, PipelineError
from imdi_analysis.manifest import build_manifest, code_fingerprint, digest_memo, hash_files, sha256_file
from imdi_analysis.parallel import process_pool
from imdi_analysis.runs import NotebookRun, load_runs, plan
from imdi_analysis.tabular import write_atomic

if TYPE_CHECKING:
    from imdi_analysis.audit import ReadAhead

KERNEL = "python3"
MAX_FINDINGS_SHOWN = 20
LOCK_NAME = ".run.lock"


@dataclass(frozen=True)
class RunResult:
    """What a run produced."""

    index_html: Path
    executed: list[str]
    cached: list[str]
    manifest: dict[str, Any]
    book_rebuilt: bool = True


def run(
    years: list[int],
    periods: list[str],
    data_dir: Path | None = None,
    jobs: int = 1,
    force: bool = False,
    threshold: int | None = None,
    runs_file: Path = RUNS_FILE,
    build_dir: Path = BOOK_BUILD_DIR,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    validate: bool = True,
    output_dir: Path = PROCESSED_DIR,
) -> RunResult:
    """Validate, execute the notebooks of ``runs_file`` for ``years`` × ``periods``, build the book."""
    for period in periods:
        check_run_period(period)
    build_dir.mkdir(parents=True, exist_ok=True)
    with run_lock(build_dir), digest_memo():  # each input is hashed once per run
        registers, synthetic = prepare_registers(data_dir)
        for year in years:
            check_year_has_data(year, registers)
        if validate:
            validate_registers(registers, build_dir, force, jobs, until=max(years))
        entries = load_runs(runs_file, notebooks_dir)
        letter_years = years_in(LETTER_DIR)
        runs = plan(
            entries,
            years,
            periods,
            letter_years,
            str(registers),
            threshold,
            str(output_dir),
            years_in(registers),
        )
        used = DEFAULT_THRESHOLD if threshold is None else threshold
        steps, uses = data_steps(runs, years, years_in(registers))
        data = StepPlan.create(steps, registers, used, output_dir, build_dir)
        inputs = {run.name: run_inputs(run, registers) for run in runs}
        executed, outcome, keys = execute_all(runs, inputs, build_dir / "executed", jobs, force, data, uses)
        manifest = run_manifest(runs, inputs, outcome, years, periods, threshold, synthetic, registers)
        index, rebuilt = publish_book(runs, executed, manifest, build_dir, output_dir, book_key(keys), force)
    executed_names = sorted(k for k, v in outcome.items() if not v)
    cached_names = sorted(k for k, v in outcome.items() if v)
    return RunResult(index, executed_names, cached_names, manifest, rebuilt)


def data_steps(
    runs: list[NotebookRun], years: list[int], data_years: list[int]
) -> tuple[list[DataStep], dict[str, list[str]]]:
    """The data steps the planned notebooks use (``uses`` in ``runs.yml``) and, per notebook, their names.

    Indicators cover every year with data from the first to the last selected year (the span
    of the time series and of the key figures).
    """
    span = [y for y in data_years if y <= max(years)] or list(years)
    span = sorted(set(span) | set(years))
    needs = {run.name: [(kind, run.year, run.period) for kind in run.entry.uses] for run in runs}
    steps = plan_steps([n for listed in needs.values() for n in listed], span)
    by_need = {(s.kind, s.year if s.kind == "appendix" else None, s.period): s.name for s in steps}
    uses = {}
    for name, listed in needs.items():
        used = []
        for kind, year, period in listed:
            key = (kind, year if kind == "appendix" else None, step_period(kind, period))
            if kind == "indicators":  # the key figures' counts are written by the series step
                used.append(by_need[(SERIES, None, key[2])])
            used.append(by_need[key])
        uses[name] = used
    return steps, uses


def step_period(kind: str, period: str | None) -> str:
    """The period of the data step a use reads: a cross-year chapter reads the annual figures."""
    if kind == "indicators" and period not in INDICATOR_PERIODS:
        return "year"
    return str(period)


def book_key(notebook_keys: dict[str, str]) -> str:
    """Hash of everything the book is built from: notebook cache keys, static pages, config, code."""
    static = [BOOK_DIR / "_config.yml", *sorted((BOOK_DIR / "pages").glob("*.md"))]
    static += sorted(p for d in book.BOOK_ASSET_DIRS for p in (BOOK_DIR / d).rglob("*") if p.is_file())
    payload = {"notebooks": notebook_keys, "static": hash_files(static), "code": code_fingerprint()}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


@contextmanager
def run_lock(build_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock for the run; a second concurrent run refuses with a clear message."""
    path = build_dir / LOCK_NAME
    handle = open(path, "a+")  # noqa: SIM115 - held for the whole run, closed in finally
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise PipelineError(
            f"Another run is in progress (process {holder}, lock {path}). Wait for it to finish and try again."
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def prepare_registers(data_dir: Path | None) -> tuple[Path, bool]:
    """The register folder to use (see :func:`ensure_default_registers`); also makes sure the
    synthetic default accounts exist when no real exports do."""
    registers, synthetic = ensure_default_registers(data_dir)
    from imdi_analysis.budget.accounts import resolve_accounts_dir

    resolve_accounts_dir(None)  # generates the synthetic default accounts when no real exports exist
    return registers, synthetic


def ensure_default_registers(data_dir: Path | None) -> tuple[Path, bool]:
    """The register folder to use, and whether it is synthetic; (re)generates the synthetic default
    when it is used and missing or made by another version of the generator (generated beside it
    and swapped in). Every command that reads register data calls this, so a fresh clone works."""
    registers, synthetic = register_dir(data_dir)
    if data_dir is None and synthetic and not synthetic_default_is_current(registers):
        from imdi_analysis.sources.processing import swap_folder
        from imdi_analysis.synth import generate

        first, last = SYNTHETIC_YEARS
        staging = registers.with_name(f".{registers.name}-staging")
        shutil.rmtree(staging, ignore_errors=True)
        generate(list(range(first, last + 1)), seed=SYNTHETIC_SEED, scale=1.0, out_dir=staging)
        swap_folder(staging, registers)
    return registers, synthetic


def synthetic_default_is_current(registers: Path) -> bool:
    """Whether the default synthetic folder holds every default year, made by this generator version."""
    from imdi_analysis.synth import GENERATOR_VERSION

    first, last = SYNTHETIC_YEARS
    if years_in(registers) != list(range(first, last + 1)):
        return False
    for year in range(first, last + 1):
        meta = registers / str(year) / "synthetic.meta.yml"
        if not meta.is_file():
            return False
        if (yaml.safe_load(meta.read_text(encoding="utf-8")) or {}).get(
            "generator_version"
        ) != GENERATOR_VERSION:
            return False
    return True


def validate_registers(
    registers: Path, build_dir: Path, force: bool = False, jobs: int = 1, until: int | None = None
) -> None:
    """Validate every source of every year the run reads before any notebook runs (``jobs`` processes).

    The run reads the years up to ``until``, its last selected year (the time series and the
    key figures start at the first year with data); later years are left to ``imdi validate``.
    Skipped when those register files and the code are unchanged since the last successful
    validation. Validated extracts go to the validated store, so notebooks read them without
    checking them again.
    """
    from imdi_analysis.sources.processing import check_years
    from imdi_analysis.sources.validated_cache import rules_fingerprint

    years = [y for y in years_in(registers) if until is None or y <= until]
    files = hash_files(p for year in years for p in (registers / str(year)).glob("*") if p.is_file())
    # the rules: code, code lists and library versions, as the validated store keys them
    key = hashlib.sha256(json.dumps([files, rules_fingerprint()], sort_keys=True).encode()).hexdigest()
    stamp = build_dir / "validated.key"
    if not force and stamp.is_file() and stamp.read_text() == key:
        return
    check_years(years, registers, jobs=jobs)
    write_atomic(stamp, key)


def run_inputs(run: NotebookRun, registers: Path) -> dict[str, str]:
    """``{path: sha256}`` of the files a notebook run reads, from the globs in ``runs.yml``."""
    files: list[Path] = []
    for pattern in run.reads:
        root, _, rest = pattern.partition("/")
        base = {"letter": LETTER_DIR, "registers": registers, "reference": REFERENCE_DIR}.get(root)
        if base is None:
            base, rest = REPO_ROOT, pattern
        files.extend(p for p in base.glob(rest) if p.is_file())
    return hash_files(files)


def cache_key(run: NotebookRun, inputs: dict[str, str], code: str) -> str:
    """Hash of everything that can change a notebook's output."""
    payload = {
        "notebook": sha256_file(run.entry.path),
        "parameters": run.parameters,
        "inputs": inputs,
        "code": code,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def execute_all(
    runs: list[NotebookRun],
    inputs: dict[str, dict[str, str]],
    cache_dir: Path,
    jobs: int,
    force: bool,
    data: StepPlan | None = None,
    uses: dict[str, list[str]] | None = None,
) -> tuple[dict[str, Path], dict[str, bool], dict[str, str]]:
    """Run the stale data steps and execute the stale notebooks; return paths and whether each was cached.

    A notebook that uses a data step (``uses``) waits for it, and the step's output checksums
    join the notebook's inputs (its cache key), so it re-executes exactly when the data changed.
    With ``jobs > 1`` steps and notebooks share one pool of processes: notebooks that need no
    step, or whose steps are done, run while a long step (the appendix) is still computing.
    """
    code = code_fingerprint()
    lock = cache_dir.parent / LOCK_NAME  # held by run() for the whole run (cache_dir is build_dir/executed)
    uses = uses or {}
    executed: dict[str, Path] = {}
    outcome: dict[str, bool] = {}
    keys: dict[str, str] = {}
    done, stale_steps = data.current(force) if data is not None else ({}, [])
    waiting = list(runs)
    failures: list[str] = []

    def ready() -> list[tuple[NotebookRun, Path, str]]:
        """Notebooks whose steps are done, that must execute (the others are marked cached)."""
        todo = []
        for run in [r for r in waiting if all(n in done for n in uses.get(r.name, []))]:
            waiting.remove(run)
            for name in uses.get(run.name, []):
                inputs[run.name].update(done[name])
            target = cache_dir / run.relpath
            key = cache_key(run, inputs[run.name], code)
            executed[run.name], keys[run.name] = target, key
            if (
                not force
                and target.is_file()
                and key_file(target).is_file()
                and key_file(target).read_text() == key
            ):
                outcome[run.name] = True
            else:
                todo.append((run, target, key))
        return todo

    with tqdm(
        total=len(stale_steps), desc="Data og notatbøker", unit="steg", disable=not (stale_steps or runs)
    ) as progress:
        if jobs <= 1:
            for step in in_order(stale_steps):
                assert data is not None
                run_step(step, data.registers, data.threshold, data.output_dir)
                done[step.name] = data.record(step)
                progress.update(1)
                progress.set_postfix_str(step.name)
            todo = ready()
            progress.total += len(todo)
            for run, target, key in todo:
                result = execute_notebook(job_args(run, target, show_cells=True, lock=lock))
                failures += finish(run, target, key, result, outcome, progress)
        else:
            with process_pool(jobs, start_method="spawn") as pool:  # workers die with the run
                pending: dict[Future, tuple] = {}
                waiting_steps = list(in_order(stale_steps))

                def submit_ready() -> None:
                    for step in [s for s in waiting_steps if all(a in done for a in s.after)]:
                        assert data is not None
                        waiting_steps.remove(step)
                        pending[pool.submit(run_step_job, data.job(step))] = (step,)
                    todo = ready()
                    progress.total += len(todo)
                    progress.refresh()
                    for run, target, key in todo:
                        job = job_args(run, target, False, lock)
                        pending[pool.submit(execute_notebook, job)] = (run, target, key)

                submit_ready()
                while pending:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        task = pending.pop(future)
                        if len(task) == 1:  # a data step: a failure stops the run with its message
                            step = task[0]
                            try:
                                future.result()
                            except BaseException:
                                for other in pending:
                                    other.cancel()
                                raise
                            assert data is not None
                            done[step.name] = data.record(step)
                            progress.update(1)
                            progress.set_postfix_str(step.name)
                            submit_ready()
                        else:
                            run, target, key = task
                            failures += finish(run, target, key, future.result(), outcome, progress)
    if failures:
        raise PipelineError("\n".join(failures) + "\nThe previous book is unchanged.")
    if waiting:  # a notebook uses a step no one planned: a bug in planning, never a silent skip
        raise PipelineError(
            f"Notebooks waiting for data steps that did not run: {[r.name for r in waiting]}."
        )
    return executed, outcome, keys


def job_args(run: NotebookRun, target: Path, show_cells: bool, lock: Path | None = None) -> dict[str, Any]:
    """What a worker needs to execute one notebook; ``run_pid`` and ``lock`` let it check, before
    it moves the executed notebook into place, that the run that asked for it still lives."""
    return {
        "name": run.name,
        "input": str(run.entry.path),
        "output": str(target),
        "parameters": run.parameters,
        "progress": show_cells,
        "run_pid": os.getpid(),
        "lock": str(lock) if lock is not None else None,
    }


def finish(
    run: NotebookRun, target: Path, key: str, result: dict[str, Any], outcome: dict[str, bool], progress: tqdm
) -> list[str]:
    """Record one execution; return a failure message or nothing."""
    progress.update(1)
    progress.set_postfix_str(run.name)
    if result["ok"]:
        write_atomic(key_file(target), key)
        outcome[run.name] = False
        return []
    return [result["message"]]


def key_file(target: Path) -> Path:
    return target.with_name(target.name + ".key")


def execute_notebook(args: dict[str, Any]) -> dict[str, Any]:
    """Execute one notebook with papermill into a temporary file; move it into place on success.

    Runs in a worker process, so it returns a plain dict instead of raising.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    target = Path(args["output"])
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.running.ipynb")
    failed = target.with_name(f"{target.stem}.failed.ipynb")
    try:
        pm.execute_notebook(
            args["input"],
            str(tmp),
            parameters=args["parameters"],
            kernel_name=KERNEL,
            progress_bar=args["progress"],
            cwd=str(REPO_ROOT),
            log_output=False,
        )
    except PapermillExecutionError as exc:
        if not run_is_live(args):
            return orphaned(args, tmp)
        tmp.replace(failed)
        number = source_code_cell_number(failed, exc.cell_index)
        first_line = (exc.source or "").strip().splitlines()[0][:80] if exc.source else ""
        return {
            "ok": False,
            "message": (
                f"Notebook {args['name']} ({args['input']}) failed in code cell {number} "
                f"(`{first_line}`): {exc.ename}: {exc.evalue}. "
                f"Executed notebook with the error: {failed}"
            ),
        }
    except Exception as exc:  # kernel death, missing kernel, bad notebook file
        if not run_is_live(args):
            return orphaned(args, tmp)
        if tmp.exists():
            tmp.replace(failed)
        return {
            "ok": False,
            "message": f"Notebook {args['name']} ({args['input']}) could not run: "
            f"{type(exc).__name__}: {exc}",
        }
    if not run_is_live(args):
        return orphaned(args, tmp)
    tmp.replace(target)
    if failed.exists():
        failed.unlink()
    return {"ok": True}


def run_is_live(args: dict[str, Any]) -> bool:
    """Whether the run that asked for this notebook still lives and holds its lock.

    A worker whose run was killed must not move a notebook into the executed folder, where a
    later run would take it for current. The run is live when this process is the run or its
    child, the run's pid is in the lock file and the lock is held (a non-blocking attempt to take
    it fails). Without ``run_pid`` (a direct call) there is nothing to check.
    """
    run_pid = args.get("run_pid")
    if run_pid is None:
        return True
    if run_pid not in (os.getpid(), os.getppid()):
        return False
    if args.get("lock") is None:
        return True
    lock = Path(args["lock"])
    try:
        with open(lock, "a+") as handle:
            handle.seek(0)
            if handle.read().strip() != str(run_pid):
                return False
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True  # held, by the run
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False
    except OSError:
        return False


def orphaned(args: dict[str, Any], tmp: Path) -> dict[str, Any]:
    """Drop the output of a notebook whose run ended before it finished."""
    tmp.unlink(missing_ok=True)
    return {
        "ok": False,
        "message": f"Notebook {args['name']} was not written: its run (process {args['run_pid']}) ended.",
    }


def source_code_cell_number(executed: Path, cell_index: int) -> int:
    """1-based number of a code cell in the source notebook (papermill's injected cell not counted)."""
    import nbformat

    code = [
        c
        for c in nbformat.read(executed, as_version=4).cells
        if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])
    ]
    for number, cell in enumerate(code, start=1):
        if any(out.get("output_type") == "error" for out in cell.get("outputs", [])):
            return number
    return cell_index + 1


def run_manifest(
    runs: list[NotebookRun],
    inputs: dict[str, dict[str, str]],
    outcome: dict[str, bool],
    years: list[int],
    periods: list[str],
    threshold: int | None,
    synthetic: bool,
    registers: Path,
) -> dict[str, Any]:
    """The run's manifest: every input with SHA-256, notebooks with parameters, code and time."""
    all_inputs: dict[str, str] = {}
    for files in inputs.values():
        all_inputs.update(files)
    notebooks = {
        run.name: {"parameters": run.parameters, "cached": outcome[run.name], "inputs": inputs[run.name]}
        for run in runs
    }
    used = DEFAULT_THRESHOLD if threshold is None else threshold  # the run's threshold, always recorded
    parameters = {"years": years, "periods": periods, "threshold": used, "data": str(registers)}
    return build_manifest(all_inputs, parameters, synthetic=synthetic, notebooks=notebooks)


def appendix_downloads(
    runs: list[NotebookRun],
    output_dir: Path,
    threshold: int = DEFAULT_THRESHOLD,
    registers: Path | None = None,
) -> list[tuple[Path, Path]]:
    """The appendix files this run built, to copy into the book: (source, path under the book's root).

    Only the files listed in the manifest that the appendix step wrote beside them
    (:data:`imdi_analysis.appendix.build.DOWNLOADS_MANIFEST`) are published, and only when that
    manifest records this run's threshold (and register folder) and every file has its recorded
    SHA-256. Anything else in the folder (left by ``imdi appendix`` with other settings, or put
    there by hand) is never published.

    Raises
    ------
    PipelineError
        When the appendix of a report was not built by this run's settings or was changed since.
    """
    from imdi_analysis.appendix.build import (
        APPENDIX_FOLDER,
        DOWNLOADS_FORMAT,
        DOWNLOADS_MANIFEST,
        files_problem,
        read_files_manifest,
    )

    pairs: list[tuple[Path, Path]] = []
    reports = sorted({(r.year, r.period) for r in runs if "appendix" in r.entry.uses})
    for year, period in reports:
        folder = output_dir / str(year) / period / APPENDIX_FOLDER
        manifest = read_files_manifest(folder / DOWNLOADS_MANIFEST, DOWNLOADS_FORMAT)
        problem = files_problem(manifest, threshold, registers)
        if problem:
            raise PipelineError(
                f"The appendix downloads in {folder} were not built by this run: {problem}. They are not "
                "published; rerun with --force to rebuild them. The previous book is unchanged."
            )
        for name in sorted(manifest["files"]):
            pairs.append((folder / name, Path("downloads") / str(year) / period / name))
    return pairs


def verify_downloads(pairs: list[tuple[Path, Path]]) -> dict[str, dict[str, Any]]:
    """``{book path: {sha256, threshold}}`` of every download, each checked against its manifest."""
    from imdi_analysis.appendix.build import DOWNLOADS_FORMAT, DOWNLOADS_MANIFEST, read_files_manifest

    records: dict[str, dict[str, Any]] = {}
    for source, target in pairs:
        manifest = read_files_manifest(source.parent / DOWNLOADS_MANIFEST, DOWNLOADS_FORMAT)
        digest = sha256_file(source) if source.is_file() else "missing"
        if digest != manifest.get("files", {}).get(source.name):
            raise PipelineError(
                f"{source} is not the file the appendix step wrote (SHA-256 {digest}, manifest "
                f"{manifest.get('files', {}).get(source.name)}); it is not published. Rerun with --force. "
                "The previous book is unchanged."
            )
        records[target.as_posix()] = {"sha256": digest, "threshold": manifest.get("threshold")}
    return records


def build_while_reading(src: Path, staging: Path, threshold: int) -> tuple[Path, ReadAhead]:
    """Build the book's HTML (Jupyter Book runs in a subprocess) while this process reads the
    downloads it will copy (``src/_extra``) for the audit; return the HTML folder and the reading."""
    from imdi_analysis.audit import read_ahead

    with ThreadPoolExecutor(max_workers=1) as pool:
        building = pool.submit(book.build_html, src, staging)
        ahead = read_ahead(src / book.EXTRA_DIR, threshold)
        return building.result(), ahead


def audit_staged_book(html: Path, threshold: int, ahead: ReadAhead | None = None) -> None:
    """The attacker's audit of the staged book (pages and downloads); raise before the swap on a finding.

    ``ahead``: the downloads read while the book was built; the copies in ``html`` with the same
    bytes are taken from it (:func:`imdi_analysis.audit.audit_directory`)."""
    from imdi_analysis.audit import audit_directory

    result = audit_directory(html, threshold=threshold, ahead=ahead)
    if not result.ok:
        listed = "\n".join(f"- {f}" for f in result.findings[:MAX_FINDINGS_SHOWN])
        more = len(result.findings) - MAX_FINDINGS_SHOWN
        raise DisclosureError(
            f"The audit of the new book found {len(result.findings)} disclosure problem(s) at threshold "
            f"{threshold}; the book is not published and the previous book is unchanged.\n{listed}"
            + (f"\n… and {more} more (run `imdi audit {html}`)." if more > 0 else "")
            + f"\nThe refused book is kept in {html} for inspection."
        )


def publish_book(
    runs: list[NotebookRun],
    executed: dict[str, Path],
    manifest: dict[str, Any],
    build_dir: Path,
    output_dir: Path,
    key: str,
    force: bool = False,
) -> tuple[Path, bool]:
    """Assemble and build the book in a staging folder, then swap it into ``build_dir/html``.

    When nothing the book is built from changed since the last build, the book is left as it is.
    Returns the path of ``index.html`` and whether the book was rebuilt.
    """
    index = build_dir / "html" / "index.html"
    stamp = build_dir / "book.key"
    for stale in build_dir.glob(".staging-*"):  # left by an interrupted run; we hold the lock
        shutil.rmtree(stale, ignore_errors=True)
    if not force and index.is_file() and stamp.is_file() and stamp.read_text() == key:
        return index, False
    staging = build_dir / f".staging-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    threshold = (manifest.get("parameters") or {}).get("threshold") or DEFAULT_THRESHOLD
    registers = (manifest.get("parameters") or {}).get("data")
    downloads = appendix_downloads(runs, output_dir, threshold, Path(registers) if registers else None)
    manifest["downloads"] = verify_downloads(downloads)  # the run manifest lists every download
    src = book.assemble_source(staging, runs, executed, manifest, downloads)
    html, ahead = build_while_reading(src, staging, threshold)  # on failure the staging folder stays
    audit_staged_book(html, threshold, ahead)  # refuses before the swap: the previous book stays
    book.swap_into_place(html, build_dir / "html")
    write_atomic(
        build_dir / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False)
    )
    write_atomic(stamp, key)
    shutil.rmtree(staging, ignore_errors=True)
    return index, True


__all__ = ["SYNTHETIC_DIR", "RunResult", "run"]
