"""``IMDI_DATA_DIR`` anywhere, absolute or relative, with the meaning the README gives it.

The data root holds ``raw/``, ``synthetic/`` and ``processed/`` like the repository's ``data/``
folder. A relative value is relative to the working directory of the command, resolved once.
Folders the root does not hold (the letter, code lists) come from the repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from imdi_analysis.config import REPO_DATA_DIR, data_or_repo, resolve_data_dir


def imdi(args: list[str], cwd: Path, data_dir: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "IMDI_DATA_DIR": data_dir}
    return subprocess.run(
        [sys.executable, "-m", "imdi_analysis", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("kind", ["absolute", "relative"])
def test_help_works_with_a_data_root_outside_the_repository(tmp_path: Path, kind: str):
    root = tmp_path / "x" if kind == "absolute" else Path("rel/path")
    result = imdi(["--help"], tmp_path, str(root))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    synth_help = imdi(["synth", "--help"], tmp_path, str(root))
    assert synth_help.returncode == 0, synth_help.stderr
    assert str(tmp_path / root / "synthetic" / "registers") in "".join(synth_help.stdout.split())


@pytest.mark.parametrize("kind", ["absolute", "relative"])
def test_commands_write_under_and_read_from_the_data_root(tmp_path: Path, kind: str):
    """``synth`` writes the synthetic default under the root (relative to the working directory);
    ``letter budget`` still finds the 2022 letter in the repository, since the root has none."""
    work = tmp_path / "work"
    work.mkdir()
    root = tmp_path / "x" if kind == "absolute" else Path("rel/path")
    expected = (work / root) if kind == "relative" else root
    written = imdi(["synth", "--years", "2022", "--scale", "0.01"], work, str(root))
    assert written.returncode == 0, written.stderr
    assert (expected / "synthetic" / "registers" / "2022" / "settlement.csv").is_file()
    letter = imdi(["letter", "budget", "--year", "2022", "--csv"], work, str(root))
    assert letter.returncode == 0, letter.stderr
    assert letter.stdout.splitlines()[0].startswith("chapter,post,name")
    assert not (tmp_path / "rel").exists() or kind == "relative"


def test_resolve_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    default = Path("/default")
    assert resolve_data_dir(None, default) == default
    assert resolve_data_dir("  ", default) == default
    assert resolve_data_dir("rel/path", default) == tmp_path.resolve() / "rel" / "path"
    assert resolve_data_dir("/abs/x", default) == Path("/abs/x")


def test_letter_folder_falls_back_to_the_repository_copy(tmp_path: Path):
    repo_letter = REPO_DATA_DIR / "raw" / "letter"
    assert data_or_repo(tmp_path / "raw" / "letter", repo_letter) == repo_letter
    (tmp_path / "raw" / "letter").mkdir(parents=True)
    assert data_or_repo(tmp_path / "raw" / "letter", repo_letter) == tmp_path / "raw" / "letter"


@pytest.mark.slow
def test_indicators_on_a_fresh_data_root_makes_the_synthetic_default(tmp_path: Path):
    """A data root with nothing in it (as on a fresh clone): ``imdi indicators`` does not stop with
    "No data for 2022" but generates the synthetic default itself, as ``imdi run`` does, and says
    that the data are synthetic. About a minute (five years of synthetic extracts at scale 1)."""
    root = tmp_path / "fresh"
    result = imdi(["indicators", "--year", "2022"], tmp_path, str(root))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "No data" not in result.stderr
    assert "syntetiske data" in result.stdout
    assert (root / "synthetic" / "registers" / "2022" / "settlement.csv").is_file()
