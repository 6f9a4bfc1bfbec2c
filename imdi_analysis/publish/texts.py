"""Norwegian texts shared by the writers: notices, the symbol legend, the suppression rule and
the report's name."""

from __future__ import annotations

from imdi_analysis.config import check_period, reference_date
from imdi_analysis.formatting import format_date
from imdi_analysis.publish.wide import wide_table
from imdi_analysis.tables import STATUS_MISSING, STATUS_SUPPRESSED, SYMBOL_LEGEND, TOTAL, AppendixTable

DEFAULT_SOURCE = (
    "Integrerings- og mangfoldsdirektoratet (IMDi). Registeruttrekk, egne beregninger. Tabellene "
    "følger statistikkvedlegget (vedlegg 3) til tildelingsbrevet."
)
DEFAULT_CONTACT = "Integrerings- og mangfoldsdirektoratet (IMDi), www.imdi.no"
PRELIMINARY_NOTICE = "Foreløpige tall."
SYNTHETIC_NOTICE = (
    "Tallene er laget av syntetiske (oppdiktede) data for å vise og teste tabellene. De beskriver "
    "ikke virkelige personer eller forhold."
)
REPORT_LABELS = {"H1": "Halvårsrapport", "year": "Årsrapport"}
UNSUPPORTED_NOTICE = "Tabellen kan ikke lages med dataene som finnes."


def symbols_used(table: AppendixTable) -> list[str]:
    """The symbols that occur in the table, in legend order.

    A combination of categories the data does not have (a municipality in a year before it had
    a reception centre) is shown as ``..`` in the wide layout, so ``..`` is used there too.
    """
    present = set(table.data["status"]) if "status" in table.data.columns else set()
    if table.supported and any(cell is None for row in wide_table(table).rows for cell in row.cells):
        present.add(STATUS_MISSING)
    return [s for s in SYMBOL_LEGEND if s in present]


def threshold_sentence(threshold: int) -> str:
    """The Norwegian explanation of the suppression rule."""
    if threshold <= 1:
        return "Ingen tall er skjult av hensyn til personvern (terskel 1)."
    smallest = "1 person" if threshold == 2 else f"1–{threshold - 1} personer"
    return (
        f"Av hensyn til personvernet vises ikke antall på {smallest}, og heller ikke andeler, "
        f"prosenter eller gjennomsnitt beregnet av færre enn {threshold} personer. Der et skjult tall "
        "ellers kunne regnes ut fra en sum og de andre tallene, er også andre celler skjult. "
        f"Summene ({TOTAL}) viser alltid de faktiske tallene."
    )


def notices(table: AppendixTable) -> list[str]:
    """Preliminary and synthetic notices, then the table's notes."""
    out = []
    if not table.supported:
        out.append(UNSUPPORTED_NOTICE)
    if table.preliminary:
        out.append(PRELIMINARY_NOTICE)
    if table.synthetic:
        out.append(SYNTHETIC_NOTICE)
    return out + [str(n) for n in table.notes]


def legend_lines(table: AppendixTable, threshold: int, code: str = "{}") -> list[str]:
    """The legend of the symbols used in the table, then the suppression rule when ``:`` occurs.

    ``code`` formats a symbol (``"`{}`"`` for markdown).
    """
    used = symbols_used(table)
    if not used:
        return []
    items = "; ".join(f"{code.format(s)} {SYMBOL_LEGEND[s].lower()}" for s in used)
    lines = [f"Tegnforklaring: {items}."]
    if STATUS_SUPPRESSED in used:
        lines.append(threshold_sentence(threshold))
    return lines


def report_text(year: int, period: str) -> str:
    """``Årsrapport 2022 (status per 31. desember 2022)``."""
    return f"{REPORT_LABELS[check_period(period)]} {year} (status per {format_date(reference_date(year, period))})"
