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


def run_code(registers: Path, build: Path, runs: str) -> str:
    return (
        "from pathlib import Path\nfrom imdi_analysis.pipeline import run\n"
        f"run([2022], ['year'], data_dir=Path({str(registers)!r}), runs_file=Path({str(PIPELINE / runs)!r}), "
        f"build_dir=Path({str(build)!r}), notebooks_dir=Path({str(PIPELINE / 'notebooks')!r}), validate=False)\n"
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
