"""An executed notebook is moved into place only by a live run that holds the run lock."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from imdi_analysis.pipeline import LOCK_NAME, execute_notebook, run_is_live, run_lock

HELLO = Path(__file__).parent / "fixtures" / "pipeline" / "notebooks" / "hello.ipynb"


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_run_is_live_only_while_the_run_holds_its_lock(tmp_path: Path):
    lock = tmp_path / LOCK_NAME
    args = {"run_pid": os.getpid(), "lock": str(lock)}
    with run_lock(tmp_path):
        assert run_is_live(args)
        assert not run_is_live({**args, "run_pid": dead_pid()})  # neither this process nor its parent
    assert lock.read_text() == str(os.getpid())
    assert not run_is_live(args)  # the pid is in the file, but nobody holds the lock


def test_run_is_live_without_a_run_pid_is_a_direct_call():
    assert run_is_live({})


def test_lock_file_naming_another_process_is_not_this_run(tmp_path: Path):
    with run_lock(tmp_path):
        (tmp_path / LOCK_NAME).write_text("1")
        assert not run_is_live({"run_pid": os.getpid(), "lock": str(tmp_path / LOCK_NAME)})


@pytest.mark.slow
def test_notebook_of_a_dead_run_is_not_written(tmp_path: Path):
    """The notebook executes, but its run (a process that has ended) is gone: nothing is moved into
    the executed folder, and the temporary file is removed."""
    registers = tmp_path / "registers" / "2000"
    registers.mkdir(parents=True)
    target = tmp_path / "executed" / "hello.ipynb"
    args = {
        "name": "hello",
        "input": str(HELLO),
        "output": str(target),
        "parameters": {"year": 2000, "data_dir": str(tmp_path / "registers")},
        "progress": False,
        "run_pid": dead_pid(),
        "lock": str(tmp_path / LOCK_NAME),
    }
    result = execute_notebook(args)
    assert not result["ok"] and "was not written" in result["message"]
    assert list((tmp_path / "executed").iterdir()) == []
    live = execute_notebook({**args, "run_pid": None})
    assert live["ok"] and target.is_file()
