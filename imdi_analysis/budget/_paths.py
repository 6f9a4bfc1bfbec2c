"""Where monthly accounts live: one sub-folder per year holding ``accounts.csv``.

Real exports go in ``data/raw/accounts/<year>/accounts.csv`` (read-only, like every raw input);
the synthetic default is generated on demand in ``data/synthetic/accounts/<year>/accounts.csv``.
Both roots are derived from :mod:`imdi_analysis.config` at call time, so that a moved data root
(``IMDI_DATA_DIR``) or a patched config is honoured.
"""

from __future__ import annotations

from pathlib import Path

from imdi_analysis import config

ACCOUNTS_FILE = "accounts.csv"
ACCOUNTS_FOLDER = "accounts"
SYNTHETIC_MARKER = "SYNTHETIC"


def real_accounts_dir() -> Path:
    """Folder of real accounting exports: ``<data>/raw/accounts``."""
    return config.RAW_DIR / ACCOUNTS_FOLDER


def default_accounts_dir() -> Path:
    """Folder of the synthetic default accounts: ``<data>/synthetic/accounts``."""
    return config.SYNTHETIC_DIR / ACCOUNTS_FOLDER


def is_synthetic(directory: Path) -> bool:
    """Whether ``directory`` holds synthetic accounts (it has a ``SYNTHETIC`` marker file)."""
    return (Path(directory) / SYNTHETIC_MARKER).is_file()
