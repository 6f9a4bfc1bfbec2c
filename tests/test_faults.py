"""Faults: a run killed mid-notebook leaves the last good outputs; a second concurrent run refuses."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from imdi_analysis.errors import PipelineError
from imdi_analysis.pipeline import run

PIPELINE = Path(__file__).parent / "fixtures" / "pipeline"
pytestmark = pytest.mark.slow


def tree_checksums(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def run_code(registers: Path, build: Path, runs: str, jobs: int = 1) -> str:
    return (
        "from pathlib import Path\nfrom imdi_analysis.pipeline import run\n"
        f"run([2022], ['year'], data_dir=Path({str(registers)!r}), runs_file=Path({str(PIPELINE / runs)!r}), "
        f"build_dir=Path({str(build)!r}), notebooks_dir=Path({str(PIPELINE / 'notebooks')!r}), validate=False, "
        f"jobs={jobs})\n"
    )


def wait_for(predicate, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the run to reach the slow notebook")


def test_sigterm_mid_notebook_keeps_previous_outputs_and_next_run_recovers(tmp_path: Path):
    registers = tmp_path / "registers"
    (registers / "2022").mkdir(parents=True)
    (registers / "2022" / "a.csv").write_text("x\n1\n")
    build = tmp_path / "build"
    run(
        [2022],
        ["year"],
        data_dir=registers,
        runs_file=PIPELINE / "runs.yml",
        build_dir=build,
        notebooks_dir=PIPELINE / "notebooks",
        validate=False,
    )
    before = tree_checksums(build / "html")

    slow = subprocess.Popen(
        [sys.executable, "-c", run_code(registers, build, "runs_slow.yml")],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(lambda: (build / "executed" / ".slow.running.ipynb").exists() or slow.poll() is not None)
        assert slow.poll() is None, slow.stderr.read().decode() if slow.stderr else ""
        second = subprocess.run(
            [sys.executable, "-c", run_code(registers, build, "runs.yml")], capture_output=True, text=True
        )
        assert second.returncode != 0
        assert "Another run is in progress" in second.stderr
        os.killpg(slow.pid, signal.SIGTERM)
        slow.wait(timeout=60)
    finally:
        if slow.poll() is None:
            os.killpg(slow.pid, signal.SIGKILL)
    assert slow.returncode != 0
    assert tree_checksums(build / "html") == before
    for notebook in (build / "executed").rglob("[!.]*.ipynb"):  # completed notebooks only, each whole
        nbformat.read(notebook, as_version=4)
        assert notebook.with_name(notebook.name + ".key").is_file()
    assert not (build / "executed" / "slow.ipynb").exists()

    again = run(
        [2022],
        ["year"],
        data_dir=registers,
        runs_file=PIPELINE / "runs.yml",
        build_dir=build,
        notebooks_dir=PIPELINE / "notebooks",
        validate=False,
    )
    assert again.index_html.is_file()
    assert not list(build.glob(".staging-*"))


def test_lock_is_released_after_a_failed_run(tmp_path: Path):
    registers = tmp_path / "registers"
    (registers / "2022").mkdir(parents=True)
    (registers / "2022" / "a.csv").write_text("x\n1\n")
    build = tmp_path / "build"
    kwargs = {
        "data_dir": registers,
        "build_dir": build,
        "notebooks_dir": PIPELINE / "notebooks",
        "validate": False,
    }
    with pytest.raises(PipelineError):
        run([2022], ["year"], runs_file=PIPELINE / "runs_failing.yml", **kwargs)
    assert run([2022], ["year"], runs_file=PIPELINE / "runs.yml", **kwargs).index_html.is_file()


# --- a run killed with SIGKILL takes its workers and kernels with it ---------------------------


def proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (state, ppid, ...), or None if gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` in the process tree, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := proc_stat(int(entry.name))):
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    fields = proc_stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def folder_state(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*")
    }


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads the process tree from /proc")
@pytest.mark.parametrize("jobs", [1, 2])
def test_sigkill_of_a_run_kills_workers_and_kernels_and_nothing_is_written_after(tmp_path: Path, jobs: int):
    """The run executes a notebook that sleeps 60 s (in a pool worker with jobs=2, in the run
    process itself with jobs=1). Once its kernel runs, the run is killed with SIGKILL, which it
    cannot catch. Within a few seconds every process that was below it must be gone, and the
    executed folder must not change afterwards (no notebook moved into place by an orphan)."""
    registers = tmp_path / "registers"
    (registers / "2022").mkdir(parents=True)
    (registers / "2022" / "a.csv").write_text("x\n1\n")
    build = tmp_path / "build"
    executed = build / "executed"
    started = subprocess.Popen(
        [sys.executable, "-c", run_code(registers, build, "runs_slow.yml", jobs)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    tracked: set[int] = set()
    try:

        def kernel_running() -> bool:
            if started.poll() is not None:
                return True
            kernels = [p for p in descendants(started.pid) if "ipykernel" in command_line(p)]
            return bool(kernels) and (executed / ".slow.running.ipynb").exists()

        wait_for(kernel_running, timeout=120)
        assert started.poll() is None, started.stderr.read().decode() if started.stderr else ""
        time.sleep(1.0)  # the slow cell is running
        tracked = descendants(started.pid)
        assert any("ipykernel" in command_line(p) for p in tracked)
        before = folder_state(executed)
        os.kill(started.pid, signal.SIGKILL)
        started.wait(timeout=10)
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and any(alive(p) for p in tracked):
            time.sleep(0.1)
        survivors = {p: command_line(p) for p in tracked if alive(p)}
        assert not survivors, f"processes of the killed run still alive: {survivors}"
        time.sleep(2.0)
        assert folder_state(executed) == before
        assert not (executed / "slow.ipynb").exists()
    finally:
        if started.poll() is None:
            started.kill()
        for pid in tracked:  # only processes this test started, by pid
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
