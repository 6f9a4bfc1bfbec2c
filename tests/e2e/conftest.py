"""End to end: synthetic data for two years at small scale, the real run file, the real book."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

E2E_YEARS = [2021, 2022]
E2E_SCALE = 0.03
E2E_SEED = 7
REUSE_ENV = "IMDI_E2E_REUSE"  # a folder holding registers/, build/html and processed/ of an earlier run


@dataclass(frozen=True)
class BuiltBook:
    html: Path
    registers: Path
    output_dir: Path
    result: object


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> BuiltBook:
    """Build the whole book once per test session on small synthetic data (both periods of 2022)."""
    from imdi_analysis.pipeline import run
    from imdi_analysis.synth import generate

    reuse = os.environ.get(REUSE_ENV)
    if reuse and os.environ.get("CI") != "true":  # for a developer looking at one book again; never in CI
        root = Path(reuse)
        return BuiltBook(root / "build" / "html", root / "registers", root / "processed", None)
    root = tmp_path_factory.mktemp("e2e")
    registers = root / "registers"
    generate(E2E_YEARS, seed=E2E_SEED, scale=E2E_SCALE, out_dir=registers)
    result = run(
        [2022],
        ["year", "H1"],
        data_dir=registers,
        build_dir=root / "build",
        output_dir=root / "processed",
        jobs=2,
    )
    return BuiltBook(root / "build" / "html", registers, root / "processed", result)


def ensure_chromium() -> str:
    """Path of Debian's chromium; installed with apt-get when missing (the CI machine starts without it)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None:
        pytest.fail("The browser test needs Debian's chromium package and apt-get is not available.")
    for command in ([apt, "update", "-qq"], [apt, "install", "-y", "-qq", "chromium"]):
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
        )
        if done.returncode != 0:
            pytest.fail(f"Installing chromium failed: {' '.join(command)}\n{done.stderr[-2000:]}")
    found = shutil.which("chromium")
    if not found:
        pytest.fail("chromium is still missing after apt-get install chromium.")
    return found


@pytest.fixture(scope="session")
def chromium() -> str:
    return ensure_chromium()
