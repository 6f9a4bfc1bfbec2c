"""What the ``imdi indicators`` and ``imdi ssb transition`` commands print.

:func:`summary_table` is the table ``imdi indicators`` prints (after disclosure control, in
:mod:`imdi_analysis.cli.indicators`); :func:`report_transition` returns the text of
``imdi ssb transition``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from imdi_analysis.formatting import format_number, format_percent
from imdi_analysis.indicators._common import TOTAL
from imdi_analysis.indicators.figures import MISSING, format_row, group_label, one_way
from imdi_analysis.indicators.registry import INDICATORS
from imdi_analysis.indicators.ssb import SYNTHETIC_SOURCE_LABEL_NB, transition_summary


def summary_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Total and by-sex rows of every indicator as Norwegian strings."""
    rows = one_way(frame)
    labels = rows.apply(group_label, axis=1)
    keep = (labels == TOTAL) | labels.str.startswith("Kjønn")
    rows, labels = rows[keep], labels[keep]
    cells = pd.DataFrame([format_row(row, INDICATORS[row["indicator_id"]]) for _, row in rows.iterrows()])
    front = pd.DataFrame(
        {
            "SP": [f"SP {n}" for n in rows["sp"]],
            "Indikator": [
                INDICATORS[i].title_nb if label == TOTAL else ""
                for i, label in zip(rows["indicator_id"], labels, strict=True)
            ],
            "Gruppe": labels.str.replace("Kjønn: ", "", regex=False).to_numpy(),
        }
    )
    return pd.concat([front, cells.rename(columns={"Endring fra året før": "Endring"})], axis=1)


def report_transition(path: Path) -> str:
    """Per leavers' cohort: share in work or education one year after, overall and by sex, with counts."""
    summary = transition_summary(Path(path))
    table = pd.DataFrame(
        {
            "Avgangskull": summary["Avgangskull"],
            "Statusår": summary["Statusår"],
            "Kjønn": summary["Kjønn"],
            "I arbeid eller utdanning": [format_number(v) for v in summary["I arbeid eller utdanning"]],
            "Tidligere deltakere": [format_number(v) for v in summary["Tidligere deltakere"]],
            "Andel": [format_percent(v) if pd.notna(v) else MISSING for v in summary["Andel"]],
        }
    )
    table_name = SYNTHETIC_SOURCE_LABEL_NB if summary.attrs.get("synthetic") else "SSB-tabell 10809"
    heading = (
        "Tidligere deltakere i introduksjonsprogrammet i arbeid eller utdanning i november året etter "
        f"avslutning ({table_name}), fra {Path(path).name}"
    )
    return f"{heading}\n\n{table.to_string(index=False)}"
