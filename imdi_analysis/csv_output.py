"""The one CSV writer of the package: no cell a spreadsheet would run as a formula.

Every command that writes CSV (``imdi indicators --csv``, ``imdi validate --report FILE.csv``,
``imdi letter budget --csv``, ``imdi budget status --csv``, the appendix tables) writes through
here. Text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
``'`` (OWASP's advice on CSV injection), so Excel and LibreOffice show it as text. Numbers are
left alone: a numeric column is written as numbers, and a text cell that is a plain number
(``-12``, ``-0.5``, ``-1e3``) is kept as it is, since a spreadsheet reads it as that number and
nothing else. Header names are escaped strictly (any trigger), as labels.

Output is UTF-8 with ``\\n`` line ends and no index; files are written atomically.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from imdi_analysis.tabular import write_atomic

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def escape_formula(text: str, keep_numbers: bool = False) -> str:
    """``text`` with ``'`` in front when a spreadsheet would read it as a formula.

    With ``keep_numbers``, a cell that is a plain number (``-12``, ``-0,5``, ``-1e3``) or the
    Statistics Norway symbol ``-`` (zero) is kept as it is: a spreadsheet reads it as that number
    or as text, never as a formula. Labels (headers, table categories) use the strict form.

    >>> print(escape_formula('=HYPERLINK("http://x")'))
    '=HYPERLINK("http://x")
    >>> escape_formula("-12,5", keep_numbers=True), escape_formula("-12,5")
    ('-12,5', "'-12,5")
    """
    if not text.startswith(FORMULA_TRIGGERS):
        return text
    if keep_numbers and (text == "-" or PLAIN_NUMBER.fullmatch(text)):
        return text
    return f"'{text}"


def escape_cell(value: object) -> object:
    """A data cell as it is written: text escaped (plain numbers kept), anything else unchanged."""
    return escape_formula(value, keep_numbers=True) if isinstance(value, str) else value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose header and text cells cannot be read as formulas."""
    out = frame.copy()
    for column in out.columns:
        if not (
            pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_datetime64_any_dtype(out[column])
        ):
            out[column] = out[column].astype(object).map(escape_cell)
    out.columns = [escape_formula(str(c)) for c in out.columns]
    return out


def frame_to_csv(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text (UTF-8, ``\\n`` line ends, no index) with formulas neutralised."""
    safe = safe_frame(frame)
    return safe.to_csv(index=False, lineterminator="\n", quoting=quoting_for(safe.to_numpy().ravel()))


def quoting_for(values) -> int:
    """``csv.QUOTE_MINIMAL``, or ``QUOTE_NONNUMERIC`` when a text cell holds a carriage return:
    Python's CSV writer does not quote a lone ``\r`` with ``\n`` line ends, and readers would
    split the row there."""
    has_cr = any(isinstance(v, str) and "\r" in v for v in values)
    return csv.QUOTE_NONNUMERIC if has_cr else csv.QUOTE_MINIMAL


def neutralise_csv_text(text: str) -> str:
    """CSV text (first line the header) rewritten with every cell made safe, values unchanged.

    For library functions that return CSV as text: the header is escaped strictly, data cells as
    :func:`escape_cell` (plain numbers kept). Quoting may change; the cell values read back the same,
    apart from the ``'`` added in front of formulas.
    """
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return text
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=quoting_for(c for row in rows for c in row))
    writer.writerow([escape_formula(cell) for cell in rows[0]])
    writer.writerows([escape_cell(cell) for cell in row] for row in rows[1:])
    return out.getvalue()


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` atomically as :func:`frame_to_csv` text."""
    write_atomic(Path(path), frame_to_csv(frame))


__all__ = [
    "FORMULA_TRIGGERS",
    "escape_cell",
    "escape_formula",
    "frame_to_csv",
    "neutralise_csv_text",
    "safe_frame",
    "write_csv",
]
