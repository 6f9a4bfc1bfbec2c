"""Provenance: checksums of inputs, the code version and the parameters of a run."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from imdi_analysis import __version__
from imdi_analysis.config import DATA_DIR, REPO_ROOT
from imdi_analysis.tabular import write_atomic

PACKAGE_DIR = Path(__file__).resolve().parent
CHUNK = 1 << 20


_MEMO: dict[tuple, str] | None = None  # set while a run holds its lock (see digest_memo)


@contextmanager
def digest_memo() -> Iterator[None]:
    """Within the block, each file is hashed once: a digest is reused while the file's inode,
    size and modification time are unchanged (a rewritten or replaced file is hashed again).
    ``imdi run`` holds it for the run, which hashes the same registers for the validation, the
    data step and each notebook's cache key."""
    global _MEMO
    outer = _MEMO
    _MEMO = {} if outer is None else outer
    try:
        yield
    finally:
        _MEMO = outer


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    key = None
    if _MEMO is not None:
        st = os.stat(path)
        key = (os.path.abspath(path), st.st_ino, st.st_size, st.st_mtime_ns)
        if key in _MEMO:
            return _MEMO[key]
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    if key is not None and _MEMO is not None:
        _MEMO[key] = digest.hexdigest()
    return digest.hexdigest()


def hash_files(paths: Iterable[Path], root: Path | None = None) -> dict[str, str]:
    """``{relative path: sha256}`` for regular files, sorted by path."""
    out: dict[str, str] = {}
    for path in sorted({Path(p) for p in paths}):
        if path.is_file():
            out[relative(path, root)] = sha256_file(path)
    return out


def relative(path: Path, root: Path | None = None) -> str:
    """``path`` relative to ``root`` (or the data folder, or the repository) when inside it."""
    for base in (root, DATA_DIR, REPO_ROOT):
        if base is not None:
            try:
                return Path(path).resolve().relative_to(Path(base).resolve()).as_posix()
            except ValueError:
                continue
    return Path(path).as_posix()


def code_fingerprint() -> str:
    """SHA-256 over the package's Python sources: changes whenever the library changes."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def git_commit() -> str:
    """The repository's HEAD commit, with ``-dirty`` when tracked files changed; ``unknown`` outside git."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{commit}-dirty" if dirty else commit


def build_manifest(inputs: dict[str, str], parameters: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The run manifest: inputs with SHA-256, package version, code fingerprint, commit, time, parameters."""
    return {
        "package": "imdi-analysis",
        "version": __version__,
        "code_sha256": code_fingerprint(),
        "git_commit": git_commit(),
        "created_utc": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "parameters": parameters,
        "inputs": inputs,
        **extra,
    }


def write_manifest(manifest: dict[str, Any], path: Path) -> None:
    """Write a manifest as sorted, indented JSON, atomically."""
    write_atomic(path, json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


def manifest_markdown(manifest: dict[str, Any]) -> str:
    """The book's page "Om kjøringen", rendered from a run manifest (Norwegian)."""
    params = manifest.get("parameters", {})
    lines = [
        "# Om kjøringen",
        "",
        "Denne siden er laget automatisk fra kjøringens manifest (`manifest.json`, som kan lastes ned",
        "[her](manifest.json)). Den viser nøyaktig hvilke inndata, hvilken programvareversjon og hvilke",
        "parametere tallene i boka bygger på, slik at kjøringen kan gjentas.",
        "",
        "| Opplysning | Verdi |",
        "|---|---|",
        f"| Pakke | {manifest.get('package')} {manifest.get('version')} |",
        f"| Git-commit | `{manifest.get('git_commit')}` |",
        f"| Kodens sjekksum (SHA-256) | `{manifest.get('code_sha256', '')[:16]}…` |",
        f"| Tidspunkt (UTC) | {manifest.get('created_utc')} |",
        f"| Syntetiske registerdata | {'ja' if manifest.get('synthetic') else 'nei'} |",
    ]
    for key, value in params.items():
        lines.append(f"| Parameter `{key}` | {value} |")
    notebooks = manifest.get("notebooks", {})
    if notebooks:
        lines += ["", "## Notatbøker", "", "| Notatbok | Parametere | Utført |", "|---|---|---|"]
        for name, info in sorted(notebooks.items()):
            done = "hentet fra hurtigbuffer" if info.get("cached") else "kjørt"
            params_text = ", ".join(f"{k}={v}" for k, v in info.get("parameters", {}).items())
            lines.append(f"| {name} | {params_text} | {done} |")
    lines += [
        "",
        "## Inndata",
        "",
        f"{len(manifest.get('inputs', {}))} filer.",
        "",
        "| Fil | SHA-256 |",
        "|---|---|",
    ]
    for name, digest in sorted(manifest.get("inputs", {}).items()):
        lines.append(f"| `{name}` | `{digest}` |")
    return "\n".join(lines) + "\n"
