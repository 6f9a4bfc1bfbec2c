"""Validate once: a content-addressed store of validated extracts as Parquet.

Reading a register extract means parsing text and running every schema check; at a large scale
that is most of the cost of a notebook or an appendix build, and a yearly run reads the same
extracts in many notebooks. After an extract passes its schema, the validated frame (typed:
categories, nullable integers, dates) is kept as Parquet under :func:`cache_dir`, and later
loads of the *same bytes* under the *same rules* read that Parquet instead of validating again.

An entry is found only when all of these are unchanged (its file name holds their hash):

- the SHA-256 of the raw file's bytes (a changed extract is always validated again);
- the source name and the extract date the checks were run with;
- the package's code (:func:`imdi_analysis.manifest.code_fingerprint`), the reference code
  lists in ``data/raw/reference`` (code validity depends on them), and the pandas, pandera and
  pyarrow versions.

Only frames that passed validation are stored, so a bad extract always raises its full report.
Entries are written atomically; an unreadable entry is ignored and replaced. The raw files are
only read. Entries made by an older version of the code for the same raw file are removed when a
new one is written; ``imdi cache clear`` (or ``make clean``) removes the whole store.

The store is ``$IMDI_CACHE_DIR`` when set, else ``<data>/cache/validated``; set
``IMDI_VALIDATED_CACHE=0`` to switch it off (every load validates).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import warnings
from functools import lru_cache
from pathlib import Path

import pandas as pd

from imdi_analysis import config
from imdi_analysis.manifest import code_fingerprint, sha256_file
from imdi_analysis.tabular import write_parquet_atomic

CACHE_ENV = "IMDI_CACHE_DIR"
SWITCH_ENV = "IMDI_VALIDATED_CACHE"
SUFFIX = ".parquet"
RAW_KEY_CHARS = 24
RULES_KEY_CHARS = 24


def enabled() -> bool:
    """Whether the store is used (``IMDI_VALIDATED_CACHE`` is not ``0``/``false``/``no``/``off``)."""
    return os.environ.get(SWITCH_ENV, "1").strip().lower() not in {"0", "false", "no", "off"}


def cache_dir() -> Path:
    """Folder of the store: ``$IMDI_CACHE_DIR`` or ``<data>/cache/validated``."""
    configured = os.environ.get(CACHE_ENV)
    return Path(configured) if configured else config.DATA_DIR / "cache" / "validated"


def raw_digest(path: Path) -> str:
    """SHA-256 of a raw file's bytes, computed on every load.

    Not memoised on size and modification time: a file rewritten in place within one timestamp
    tick would then be taken for the old one. Hashing runs at about 1 GB/s, a small fraction of
    parsing and validating the same bytes.
    """
    return sha256_file(Path(path))


@lru_cache(maxsize=1)
def rules_fingerprint() -> str:
    """Hash of everything validation depends on besides the file: code, code lists, library versions."""
    import pandera
    import pyarrow

    digest = hashlib.sha256(code_fingerprint().encode())
    for version in (pd.__version__, pandera.__version__, pyarrow.__version__):
        digest.update(version.encode())
    reference = config.REFERENCE_DIR
    if reference.is_dir():
        for path in sorted(p for p in reference.rglob("*") if p.is_file()):
            digest.update(path.relative_to(reference).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def entry_path(name: str, raw: Path, on: dt.date | None) -> Path | None:
    """Where the validated copy of ``raw`` (source ``name``, checked on ``on``) is kept.

    ``None`` when the store is switched off. Hashes the raw file: compute it once per load and
    pass it to :func:`fetch` and :func:`store`.
    """
    if not enabled():
        return None
    rules = hashlib.sha256(f"{rules_fingerprint()}|{name}|{on}".encode()).hexdigest()
    return cache_dir() / f"{name}-{raw_digest(raw)[:RAW_KEY_CHARS]}-{rules[:RULES_KEY_CHARS]}{SUFFIX}"


def fetch(entry: Path | None) -> pd.DataFrame | None:
    """The validated frame kept at ``entry`` (from :func:`entry_path`), or ``None`` when absent."""
    if entry is None or not entry.is_file():
        return None
    try:
        return pd.read_parquet(entry)
    except Exception as exc:  # a damaged entry is only a cache miss
        warnings.warn(f"Ignoring unreadable validated copy {entry}: {exc}", stacklevel=2)
        return None


def store(entry: Path | None, frame: pd.DataFrame) -> None:
    """Keep ``frame`` (which passed validation) at ``entry``; never fails the caller.

    Older entries of the same raw file made under other rules (an earlier code version) are
    removed. A store that cannot be written (read-only disk, full disk) only costs speed.
    """
    if entry is None or entry.is_file():
        return
    try:
        write_parquet_atomic(frame, entry)
        prefix = entry.name.rsplit("-", 1)[0] + "-"
        for old in entry.parent.glob(f"{prefix}*{SUFFIX}"):
            if old != entry:
                old.unlink(missing_ok=True)
    except OSError as exc:
        warnings.warn(f"Could not keep a validated copy in {entry.parent}: {exc}", stacklevel=2)


def clear() -> tuple[int, int]:
    """Remove every entry of the store; return (files removed, bytes freed)."""
    folder = cache_dir()
    files = removed = 0
    if folder.is_dir():
        for path in folder.glob(f"*{SUFFIX}"):
            removed += path.stat().st_size
            path.unlink(missing_ok=True)
            files += 1
    return files, removed


__all__ = ["cache_dir", "clear", "enabled", "entry_path", "fetch", "raw_digest", "store"]
