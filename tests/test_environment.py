"""environment.yml, pyproject.toml and requirements.lock must agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
NOT_PACKAGES = {"python", "pip", "-e ."}


def normalise(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + project["optional-dependencies"]["dev"]
    return dict(normalise(r) for r in reqs)


def environment_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    items: list[str] = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            items += dep.get("pip", [])
        else:
            items.append(dep)
    pairs = [normalise(i) for i in items if i not in NOT_PACKAGES and not i.startswith("python")]
    return dict(pairs)


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    assert environment_requirements() == pyproject_requirements()


def test_lock_file_pins_every_dependency_exactly():
    pinned = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"requirements.lock line is not pinned with ==: {line}"
            pinned[name.lower().replace("_", "-")] = version
    missing = sorted(set(pyproject_requirements()) - set(pinned))
    assert not missing, f"not pinned in requirements.lock: {missing}"
    assert pinned["jupyter-book"] == "1.0.4.post1"
    assert int(pinned["pandas"].split(".")[0]) >= 3


def test_normalise_detects_a_drift():
    assert normalise("pandas>=3") != normalise("pandas>=2")
