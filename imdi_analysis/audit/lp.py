"""The attacker's audit: bounds on every hidden cell from every published number, by linear programming.

The audit reads what a reader gets, never how suppression was done. Every published table is
turned into :class:`PublishedTable` (cells with their categories, measure, status, value and the
half unit of the shown rounding), and the tables of one release are combined into one system of
linear relations that a reader can write down:

Sums
    In every dimension with an "I alt" category, the "I alt" cell is the sum of the other cells
    that differ only in that dimension (count cells). A dimension in which some line is shown
    in full and does not add up (overlapping categories, such as table 12's measures) imposes no
    relation in that table: a reader sees that it is not additive.
Copies
    The same quantity published several times is one unknown: the same cell of the same table
    (table key, measure and categories) in the CSV, the workbook and the book page of one report
    (the report is read from the sidecar's year and period, or from a ``<year>/<period>/`` part
    of the file's path, or from ``_<year>_<period>`` in its name); and the repeated "I alt" of the
    distributions of a stacked table. A copy shown anywhere makes the quantity known.
Shares
    A percentage or share ``p`` shown with ``d`` decimals is ``count / base`` rounded, so
    ``(p - h) · base ≤ count · scale ≤ (p + h) · base`` with ``h`` half a unit of the last shown
    decimal (workbooks store the unrounded value, so there ``h`` is only float tolerance). The
    count is the cell with the same categories in the same table or, for a table with shares
    only, in the count table of the same number in the same report (11B's shares and 11A's
    counts). The base is the count cell whose category in one dimension is "I alt": that dimension
    is inferred as a reader would, as the one in which the shares of "I alt" are shown as 100 %
    (share 1) and the shown shares agree with the shown counts. Shares of a base that is not
    published (a rate of a population the table does not show) impose no relation.
Indicator tables
    The goal pages' tables (``Teller``, ``Nevner``, ``Verdi`` by ``Gruppe``) give, per group,
    the numerator and denominator; the "I alt" row is the sum of the rows of each one-way
    breakdown (``Kjønn: …``, ``Fylke: …``), and a percentage value links numerator and
    denominator as above. For shares, the persons outside the numerator (denominator minus
    numerator) are protected too.

Counts are non-negative; integrality is relaxed to reals ≥ 0, then used to tighten the bounds
(a count in [0,6; 1,4] is 1). For every hidden quantity the audit solves
``min`` and ``max`` with :func:`imdi_analysis.highs.linprog` (HiGHS) over its connected component
(union-find over hidden cells linked by a relation), so the cost grows with the largest
component, not with the release. A hidden quantity fails under :class:`AuditRule` when it is
determined (its interval is narrower than ``require_interval_width`` or holds one integer) or
when its interval lies inside ``1 … threshold − 1``.

Not linked (documented limits): numbers in running text and chart descriptions; the indicator
tables' change from the previous year and confidence intervals; goal-page rows against appendix
cells (no published identity says they count the same persons); the time-series chapter (its
national figures carry no numerator or denominator); the same year's cell in the tables of two
reports (a time series in the 2022 and the 2023 report); means (their sums are not published).
Shares are linked only when their base is a published count whose dimension the shown numbers
identify; a dimension that does not add up where it is shown in full imposes nothing. There a
reader who knows more (from the notes, say) could get narrower intervals than the audit does.
Conversely, lines assumed additive that are not (a breakdown with an unpublished "unknown"
group) can make the audit report a leak that is not one. Where shown numbers contradict the
relations of a component, it says so (``inconsistent``) instead of bounding.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from imdi_analysis.disclosure import DEFAULT_THRESHOLD, check_threshold
from imdi_analysis.tables import (
    MEASURE_COUNT,
    MEASURE_PERCENT,
    MEASURE_SHARE,
    STATUS_NOT_APPLICABLE,
    STATUS_SHOWN,
    STATUS_SUPPRESSED,
    STATUS_ZERO,
    TOTAL,
    Stacking,
)

SHARE_SCALE = {MEASURE_PERCENT: 100.0, MEASURE_SHARE: 1.0}
EXACT_HALF_UNIT = 1e-9  # unrounded values (workbook numbers): only float tolerance
VALUE_TOLERANCE = 1e-6
MAX_CELLS_IN_MESSAGE = 6
EXTRA_DIRECTIONS = 4  # random ±1 objectives solved first in a component: their vertices prune LPs
REPORT_IN_PATH = re.compile(r"(?:^|[/_])(\d{4})[/_](year|H1)(?:[/_.]|$)")


@dataclass(frozen=True)
class AuditRule:
    """The protection a hidden cell must keep against everything published.

    Attributes
    ----------
    threshold : counts from 1 to ``threshold - 1`` must not be shown nor pinned down: a hidden
        quantity whose interval lies inside ``1 … threshold − 1`` fails
    require_interval_width : a hidden quantity whose interval (max − min) is narrower than this
        fails as determined; the default only catches exact recovery. Whatever the width, an
        interval that holds a single whole number is determined too (counts are whole numbers).

    A hidden quantity known to be 0 passes: it counts no person, as a published zero (``-``)
    does not (e.g. a share's "Nevner − Teller" when everyone is in the numerator).
    """

    threshold: int = DEFAULT_THRESHOLD
    require_interval_width: float = 1e-6

    def __post_init__(self) -> None:
        check_threshold(self.threshold)
        if not self.require_interval_width >= 0:
            raise ValueError("require_interval_width must be 0 or more.")

    def passes(self, low: float, high: float) -> bool:
        """Whether values ``low`` and ``high`` of one feasible quantity prove it passes (its true
        interval holds ``[low, high]``)."""
        if not low <= high:
            return False
        return self.violation(low, high) is None

    def violation(self, low: float, high: float) -> str | None:
        """``"determined"``, ``"small_interval"`` or ``None`` for an interval ``[low, high]``."""
        whole_low, whole_high = whole(low, math.ceil), whole(high, math.floor)
        if whole_high <= 0 <= high + VALUE_TOLERANCE:
            return None  # known to be 0: no person behind it (zeros are published as "-")
        if high - low < self.require_interval_width or whole_low >= whole_high:
            return "determined"
        if whole_low >= 1 and whole_high <= self.threshold - 1:
            return "small_interval"
        return None


def whole(bound: float, rounding) -> float:
    """A bound on a whole number, rounded inwards (``rounding`` is ceil or floor); ±inf kept."""
    if math.isinf(bound):
        return bound
    return float(rounding(bound + (VALUE_TOLERANCE if rounding is math.floor else -VALUE_TOLERANCE)))


@dataclass(frozen=True)
class PublishedCell:
    """One published number (or its symbol) as a reader sees it."""

    categories: tuple[str, ...]
    measure: str
    status: str  # STATUS_SHOWN or a symbol
    value: float  # NaN when hidden
    half_unit: float = 0.5  # half a unit of the last shown decimal


@dataclass
class PublishedTable:
    """A table read back from one published file (or given in memory)."""

    path: str
    key: str
    scope: str  # the report it belongs to ("2022/year"), or the file when unknown
    dims: list[str]
    cells: list[PublishedCell]
    stacking: Stacking | None = None
    kind: str = "appendix"  # or "indicator" (a goal page's table)
    complements: list[str] = field(default_factory=list)  # indicator groups whose N − T is protected


@dataclass(frozen=True)
class LPFinding:
    """A hidden quantity that the published numbers pin down too closely."""

    path: str
    table: str
    kind: str  # determined, small_interval, inconsistent
    message: str


# ------------------------------------------------------------------------------- the system


@dataclass
class Quantity:
    """An unknown of the system: a hidden count (audited when suppressed)."""

    index: int
    places: list[tuple[str, str, str]] = field(default_factory=list)  # (path, table, cell)
    audited: bool = False
    known: float | None = None
    known_at: str = ""


class System:
    """Quantities (known or unknown) and linear relations between them."""

    def __init__(self) -> None:
        self.ids: dict[tuple, int] = {}
        self.quantities: list[Quantity] = []
        self.equalities: dict[tuple, float] = {}  # canonical {var: coef} -> constant (sum + c = 0)
        self.inequalities: dict[tuple, float] = {}  # sum + c <= 0
        self.targets: list[tuple[dict[int, float], str, str, str]] = []  # expr, path, table, label
        self.problems: list[LPFinding] = []

    def quantity(self, key: tuple) -> Quantity:
        if key not in self.ids:
            self.ids[key] = len(self.quantities)
            self.quantities.append(Quantity(len(self.quantities)))
        return self.quantities[self.ids[key]]

    def observe(self, key: tuple, cell: PublishedCell, place: tuple[str, str, str]) -> int:
        """Register a published count cell; return its quantity's index."""
        q = self.quantity(key)
        q.places.append(place)
        if cell.status in (STATUS_SHOWN, STATUS_ZERO) and not math.isnan(cell.value):
            value = 0.0 if cell.status == STATUS_ZERO else cell.value
            if q.known is not None and abs(q.known - value) > VALUE_TOLERANCE:
                self.problems.append(
                    LPFinding(
                        place[0],
                        place[1],
                        "inconsistent",
                        f"{place[2]} is shown as {fmt(value)} here and as {fmt(q.known)} in {q.known_at}.",
                    )
                )
            elif q.known is None:
                q.known, q.known_at = value, f"{place[0]} [{place[1]}]"
        elif cell.status == STATUS_NOT_APPLICABLE:
            if q.known is None:
                q.known, q.known_at = 0.0, f"{place[0]} [{place[1]}] (cannot occur)"
        elif cell.status == STATUS_SUPPRESSED:
            q.audited = True
        return q.index

    def relate(self, terms: dict[int, float], constant: float = 0.0, equality: bool = True) -> None:
        """Add ``sum(coef · q) + constant (= or ≤) 0``; dropped when it has no term."""
        terms = {k: v for k, v in terms.items() if v != 0}
        if not terms:
            return
        key = tuple(sorted((k, round(v, 12)) for k, v in terms.items()))
        (self.equalities if equality else self.inequalities)[key] = constant


def fmt(value: float) -> str:
    """A bound for messages: whole numbers without decimals, else two decimals (Norwegian comma)."""
    if math.isinf(value):
        return "∞"
    if abs(value - round(value)) < 1e-6:
        return str(round(value))
    return f"{value:.2f}".replace(".", ",")


# --------------------------------------------------------------------------- building relations


def report_scope(path: str, year: object = None, period: object = None) -> str:
    """The report a published file belongs to: ``"2022/year"``, else the file itself."""
    if year and period:
        return f"{int(year)}/{period}"
    match = REPORT_IN_PATH.search(str(path).replace("\\", "/"))
    return f"{match.group(1)}/{match.group(2)}" if match else str(path)


def table_number(key: str) -> str:
    """The letter's table number of a key: ``"11"`` for ``11A``/``11B``; the key when it has none."""
    match = re.match(r"\d+", key)
    return match.group(0) if match else key


def build_system(tables: Sequence[PublishedTable]) -> System:
    """Quantities and relations of every table of a release."""
    system = System()
    counts_by_table: dict[tuple[str, str], set[tuple[str, ...]]] = defaultdict(set)
    for table in tables:
        for cell in table.cells:
            if cell.measure == MEASURE_COUNT:
                counts_by_table[(table.scope, table.key)].add(cell.categories)
    for table in tables:
        if table.kind == "indicator":
            add_indicator_table(system, table)
        else:
            add_count_cells(system, table)
            add_lines(system, table)
            add_copies(system, table)
    for table in tables:
        if table.kind != "indicator":
            add_shares(system, table, tables, counts_by_table)
    add_links(system, tables)
    return system


def linked_quantities(
    system: System,
    link,
    levels: dict[str, str],
    year: int,
    part: str,
    appendix: dict[tuple[str, str], list[PublishedTable]],
    scope: str,
) -> list[int]:
    """The quantities of the appendix count cells a goal-page figure rests on (none: no link).

    A table read back from several files has its dimensions by name in one (the CSV's sidecar)
    and by header in the others; the cells are one set of quantities, so the first file whose
    dimensions the link can match gives them.
    """
    from imdi_analysis.links import cell_matcher

    for target in appendix.get((scope, link.table), []):
        matches = cell_matcher(link, levels, year, target.dims, part)
        if matches is None:
            continue
        counts = [c.categories for c in target.cells if c.measure == MEASURE_COUNT]
        found = [system.ids[count_key(target, c)] for c in counts if matches(c)]
        if found:
            return found
    return []


INDICATOR_IN_KEY = re.compile(r"\((sp\w+)\)$")


def group_levels(group: str) -> dict[str, str] | None:
    """A goal-page group label as breakdown levels: ``Kjønn: Menn`` -> ``{"sex": "Menn"}``."""
    from imdi_analysis.indicators._common import BREAKDOWN_LABELS

    columns = {label: column for column, label in BREAKDOWN_LABELS.items()}
    if group == TOTAL:
        return {}
    levels = {}
    for part in group.split(" / "):
        label, _, level = part.partition(": ")
        if label not in columns or not level:
            return None
        levels[columns[label]] = level
    return levels


def add_links(system: System, tables: Sequence[PublishedTable]) -> None:
    """A goal page's numerator (denominator) is the sum of the appendix count cells it rests on.

    The links are the published definitions (:data:`imdi_analysis.links.LINKS`: SP 11 "settled
    within 3 months" is table 21's band "Innen 3 måneder", its denominator the band "I alt", …),
    matched on the goal page's group labels, in the same report (year and period of the path).
    """
    from imdi_analysis.links import LINKS

    appendix: dict[tuple[str, str], list[PublishedTable]] = defaultdict(list)
    for t in tables:  # the CSV, the workbook and the page of a table: one set of quantities
        if t.kind != "indicator":
            appendix[(t.scope, t.key)].append(t)
    for table in tables:
        found = INDICATOR_IN_KEY.search(table.key) if table.kind == "indicator" else None
        scope = report_scope(table.path)
        report = re.fullmatch(r"(\d{4})/(year|H1)", scope)
        if found is None or report is None:
            continue
        year = int(report.group(1))
        groups = dict.fromkeys(c.categories[0] for c in table.cells if c.measure == MEASURE_COUNT)
        for link in (link for link in LINKS if link.indicator == found.group(1)):
            for group in groups:
                levels = group_levels(group)
                if levels is None:
                    continue
                for part, code in (("numerator", "T"), ("denominator", "N")):
                    own = system.ids.get(count_key(table, (group, code)))
                    cells = (
                        []
                        if own is None
                        else linked_quantities(system, link, levels, year, part, appendix, scope)
                    )
                    if cells:
                        terms: dict[int, float] = defaultdict(float)
                        terms[own] += 1.0
                        for cell in cells:
                            terms[cell] -= 1.0
                        system.relate(dict(terms))


def count_key(table: PublishedTable, categories: tuple[str, ...]) -> tuple:
    """Identity of a count cell across files: report, table key, categories."""
    if table.kind == "indicator":
        return ("indicator", table.path, table.key, categories)
    return ("count", table.scope, table.key, categories)


def cell_label(table: PublishedTable, categories: tuple[str, ...]) -> str:
    return "cell (" + "; ".join(f"{d}={c}" for d, c in zip(table.dims, categories, strict=False)) + ")"


def add_count_cells(system: System, table: PublishedTable) -> None:
    for cell in table.cells:
        if cell.measure == MEASURE_COUNT:
            place = (table.path, table.key, cell_label(table, cell.categories))
            system.observe(count_key(table, cell.categories), cell, place)


def count_values(table: PublishedTable) -> dict[tuple[str, ...], PublishedCell]:
    return {c.categories: c for c in table.cells if c.measure == MEASURE_COUNT}


def shown_value(cell: PublishedCell | None) -> float | None:
    """The number a cell shows (0 for ``-`` and ``.``), or None when hidden or absent."""
    if cell is None:
        return None
    if cell.status in (STATUS_ZERO, STATUS_NOT_APPLICABLE):
        return 0.0
    if cell.status == STATUS_SHOWN and not math.isnan(cell.value):
        return cell.value
    return None


def lines_of(table: PublishedTable, cells: dict[tuple[str, ...], PublishedCell], position: int):
    """``(total categories, [part categories])`` of every line along dimension ``position``."""
    groups: dict[tuple, list[tuple[str, ...]]] = defaultdict(list)
    for categories in cells:
        groups[categories[:position] + categories[position + 1 :]].append(categories)
    for members in groups.values():
        totals = [c for c in members if c[position] == TOTAL]
        parts = [c for c in members if c[position] != TOTAL]
        if totals and parts:
            yield totals[0], parts


def additive(cells: dict[tuple[str, ...], PublishedCell], lines: list) -> bool:
    """False when some line shown in full does not add up."""
    for total, parts in lines:
        values = [shown_value(cells[c]) for c in (total, *parts)]
        if all(v is not None for v in values) and abs(values[0] - sum(values[1:])) > 0.5:
            return False
    return True


def add_lines(system: System, table: PublishedTable) -> None:
    """Total = sum of parts along every additive dimension with an "I alt" (not a stacking's ``by``)."""
    cells = count_values(table)
    for position, dim in enumerate(table.dims):
        if table.stacking is not None and dim == table.stacking.by:
            continue
        lines = list(lines_of(table, cells, position))
        if not lines or not additive(cells, lines):
            continue
        for total, parts in lines:
            terms: dict[int, float] = defaultdict(float)
            terms[system.ids[count_key(table, total)]] += 1.0
            for part in parts:
                terms[system.ids[count_key(table, part)]] -= 1.0
            system.relate(dict(terms))


def add_copies(system: System, table: PublishedTable) -> None:
    """A stacked table's repeated "I alt": the copies in every distribution are one quantity."""
    if table.stacking is None:
        return
    by, within = table.dims.index(table.stacking.by), table.dims.index(table.stacking.within)
    groups: dict[tuple, list[tuple[str, ...]]] = defaultdict(list)
    for categories in count_values(table):
        if categories[within] == TOTAL:
            groups[tuple(c for i, c in enumerate(categories) if i != by)].append(categories)
    for members in groups.values():
        first = system.ids[count_key(table, members[0])]
        for other in members[1:]:
            system.relate({first: 1.0, system.ids[count_key(table, other)]: -1.0})


def count_source(
    table: PublishedTable,
    shares: list[PublishedCell],
    tables: Sequence[PublishedTable],
    counts_by_table: dict[tuple[str, str], set[tuple[str, ...]]],
) -> str | None:
    """Key of the table whose count cells the shares divide: the table itself, else the count
    table of the same number in the same report whose cells cover the shares' categories."""
    needed = {c.categories for c in shares}
    if needed <= counts_by_table.get((table.scope, table.key), set()):
        return table.key
    for other in tables:
        if (
            other.kind != "indicator"
            and other.scope == table.scope
            and other.key != table.key
            and table_number(other.key) == table_number(table.key)
            and needed <= counts_by_table.get((other.scope, other.key), set())
        ):
            return other.key
    return None


def base_dimension(
    system: System, table: PublishedTable, shares: list[PublishedCell], source: str
) -> int | None:
    """The dimension whose "I alt" is the shares' base, inferred from what is shown (or None)."""
    scale = SHARE_SCALE[shares[0].measure]
    best, best_score = None, 0
    for position in range(len(table.dims)):
        score, ok = 0, True
        for cell in shares:
            if cell.status != STATUS_SHOWN or math.isnan(cell.value):
                continue
            base_cats = (*cell.categories[:position], TOTAL, *cell.categories[position + 1 :])
            base = known(system, ("count", table.scope, source, base_cats))
            count = known(system, ("count", table.scope, source, cell.categories))
            if cell.categories[position] == TOTAL:
                if abs(cell.value - scale) > cell.half_unit + VALUE_TOLERANCE:
                    ok = False
                    break
                score += 1
            elif base is not None and count is not None and base > 0:
                if abs(cell.value - scale * count / base) > cell.half_unit + VALUE_TOLERANCE:
                    ok = False
                    break
                score += 1
            elif ("count", table.scope, source, base_cats) not in system.ids:
                ok = False
                break
        if ok and score > best_score:
            best, best_score = position, score
    return best


def known(system: System, key: tuple) -> float | None:
    index = system.ids.get(key)
    return None if index is None else system.quantities[index].known


def add_shares(
    system: System,
    table: PublishedTable,
    tables: Sequence[PublishedTable],
    counts_by_table: dict[tuple[str, str], set[tuple[str, ...]]],
) -> None:
    """``(p − h) · base ≤ scale · count ≤ (p + h) · base`` for every shown share or percentage."""
    for measure in SHARE_SCALE:
        shares = [c for c in table.cells if c.measure == measure]
        if not shares:
            continue
        source = count_source(table, shares, tables, counts_by_table)
        if source is None:
            continue
        position = base_dimension(system, table, shares, source)
        if position is None:
            continue
        scale = SHARE_SCALE[measure]
        for cell in shares:
            if cell.status != STATUS_SHOWN or math.isnan(cell.value):
                continue
            base_cats = (*cell.categories[:position], TOTAL, *cell.categories[position + 1 :])
            count = system.ids[("count", table.scope, source, cell.categories)]
            base = system.ids[("count", table.scope, source, base_cats)]
            if count == base:
                continue
            add_ratio(system, count, base, cell.value, cell.half_unit, scale)


def add_ratio(system: System, count: int, base: int, value: float, half: float, scale: float) -> None:
    """``count / base`` shown as ``value`` (± ``half``) on ``scale``: two inequalities."""
    high = (value + half + VALUE_TOLERANCE) / scale
    low = max(0.0, (value - half - VALUE_TOLERANCE) / scale)
    system.relate({count: 1.0, base: -high}, equality=False)  # count <= high * base
    if low > 0:
        system.relate({base: low, count: -1.0}, equality=False)  # low * base <= count


# ----------------------------------------------------------------------- indicator tables


def add_indicator_table(system: System, table: PublishedTable) -> None:
    """Numerators (``T``) and denominators (``N``) by group, their sums and the shown percentages.

    Categories of an indicator table's cells are ``(group, "T" | "N")``; percentage cells carry
    ``(group, "V")`` with measure percent.
    """
    cells = {c.categories: c for c in table.cells if c.measure == MEASURE_COUNT}
    for categories, cell in cells.items():
        place = (table.path, table.key, f"{'Teller' if categories[1] == 'T' else 'Nevner'} ({categories[0]})")
        system.observe(count_key(table, categories), cell, place)
    groups = list(dict.fromkeys(c[0] for c in cells))
    for part in ("T", "N"):
        by_breakdown: dict[str, list[str]] = defaultdict(list)
        for group in groups:
            if ": " in group and " / " not in group and (group, part) in cells:
                by_breakdown[group.split(": ", 1)[0]].append(group)
        if (TOTAL, part) not in cells:
            continue
        for members in by_breakdown.values():
            line = [((TOTAL, part), [(g, part) for g in members])]
            if not additive(cells, line):
                continue
            terms: dict[int, float] = defaultdict(float)
            terms[system.ids[count_key(table, (TOTAL, part))]] += 1.0
            for group in members:
                terms[system.ids[count_key(table, (group, part))]] -= 1.0
            system.relate(dict(terms))
    for cell in table.cells:
        if cell.measure == MEASURE_PERCENT and cell.status == STATUS_SHOWN and not math.isnan(cell.value):
            group = cell.categories[0]
            if (group, "T") in cells and (group, "N") in cells:
                count = system.ids[count_key(table, (group, "T"))]
                base = system.ids[count_key(table, (group, "N"))]
                add_ratio(system, count, base, cell.value, cell.half_unit, 100.0)
    for group in table.complements:
        n = system.ids.get(count_key(table, (group, "N")))
        t = system.ids.get(count_key(table, (group, "T")))
        if n is not None and t is not None:
            system.relate({t: 1.0, n: -1.0}, 0.0, equality=False)  # a share's numerator is part of its base
        if n is not None and t is not None and (system.quantities[n].audited or system.quantities[t].audited):
            system.targets.append(({n: 1.0, t: -1.0}, table.path, table.key, f"Nevner − Teller ({group})"))


# ------------------------------------------------------------------------------- solving


class UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class Component:
    variables: list[int] = field(default_factory=list)
    equalities: list[tuple[dict[int, float], float]] = field(default_factory=list)
    inequalities: list[tuple[dict[int, float], float]] = field(default_factory=list)


def split_components(system: System) -> dict[int, Component]:
    """Unknown quantities grouped by the relations that link them; known ones become constants."""
    unknown = [q.known is None for q in system.quantities]
    finder = UnionFind(len(system.quantities))
    relations = [(r, c, True) for r, c in system.equalities.items()] + [
        (r, c, False) for r, c in system.inequalities.items()
    ]
    for expression, *_ in system.targets:  # a target over several quantities is solved as one
        free = [k for k in expression if unknown[k]]
        for other in free[1:]:
            finder.union(free[0], other)
    reduced = []
    for terms, constant, equality in relations:
        free = {}
        for index, coef in terms:
            if unknown[index]:
                free[index] = coef
            else:
                constant += coef * system.quantities[index].known
        if free:  # a relation among shown numbers only says nothing about hidden ones
            first = next(iter(free))
            for other in free:
                finder.union(first, other)
            reduced.append((free, constant, equality))
    components: dict[int, Component] = defaultdict(Component)
    for index, is_unknown in enumerate(unknown):
        if is_unknown:
            components[finder.find(index)].variables.append(index)
    for free, constant, equality in reduced:
        component = components[finder.find(next(iter(free)))]
        (component.equalities if equality else component.inequalities).append((free, constant))
    return components


def solve(system: System, rule: AuditRule) -> list[LPFinding]:
    """Bounds of every audited quantity; a finding for each that ``rule`` does not accept."""
    from imdi_analysis.highs import linprog

    findings = list(system.problems)
    components = split_components(system)
    targets_by_root: dict[int, list[tuple[dict[int, float], str, str, str]]] = defaultdict(list)
    finder_root = {v: root for root, comp in components.items() for v in comp.variables}
    for q in system.quantities:
        if not q.audited:
            continue
        path, table, label = q.places[0]
        if q.known is not None:
            value = fmt(q.known)
            shown_at = q.known_at
            findings.append(
                LPFinding(
                    path, table, "determined", f"{label} is hidden here but shown as {value} in {shown_at}."
                )
            )
            continue
        targets_by_root[finder_root[q.index]].append(({q.index: 1.0}, path, table, label))
    for expression, path, table, label in system.targets:
        free = {k: v for k, v in expression.items() if system.quantities[k].known is None}
        if free:
            targets_by_root[finder_root[next(iter(free))]].append((expression, path, table, label))
    for root, targets in targets_by_root.items():
        component = components[root]
        if not component.equalities and not component.inequalities:
            continue  # unrelated to anything shown: [0, ∞)
        findings += solve_component(component, targets, system, rule, linprog)
    return findings


def solve_component(
    component: Component, targets, system: System, rule: AuditRule, linprog
) -> list[LPFinding]:
    """Min and max of each target over one component.

    Every solution found is a feasible point of the component, so the values each target takes
    at the points seen so far bound its interval from inside. A target whose seen values already
    prove that it passes (:meth:`AuditRule.passes`) needs no LP of its own; the first two LPs
    (min and max of the sum of all unknowns) and each target's LPs feed the seen points.
    """
    from scipy.sparse import coo_matrix

    position = {v: i for i, v in enumerate(component.variables)}
    n = len(position)

    def matrix(rows):
        if not rows:
            return None, None
        r, c, v = [], [], []
        b = np.zeros(len(rows))
        for i, (terms, constant) in enumerate(rows):
            for index, coef in terms.items():
                r.append(i), c.append(position[index]), v.append(coef)
            b[i] = -constant
        return coo_matrix((v, (r, c)), shape=(len(rows), n)).tocsr(), b

    a_eq, b_eq = matrix(component.equalities)
    a_ub, b_ub = matrix(component.inequalities)
    tables = sorted({place[1] for v in component.variables for place in system.quantities[v].places})
    seen_low, seen_high = np.full(n, np.inf), np.full(n, -np.inf)
    points: list[np.ndarray] = []

    def optimise(objective: np.ndarray):
        result = linprog(objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None))
        if result.status == 0:
            np.minimum(seen_low, result.x, out=seen_low)
            np.maximum(seen_high, result.x, out=seen_high)
            points.append(result.x)
        return result

    def seen(c: np.ndarray, offset: float) -> tuple[float, float]:
        nonzero = np.flatnonzero(c)
        if len(nonzero) == 1 and c[nonzero[0]] == 1.0:
            return seen_low[nonzero[0]] + offset, seen_high[nonzero[0]] + offset
        values = [float(c @ x) + offset for x in points]
        return (min(values), max(values)) if values else (np.inf, -np.inf)

    def inconsistent(path: str, table: str, label: str) -> LPFinding:
        return LPFinding(
            path,
            table,
            "inconsistent",
            f"the published numbers linked to {label} contradict each other "
            f"(tables {', '.join(tables)}); the audit cannot bound it.",
        )

    if optimise(np.ones(n)).status == 2:
        expression, path, table, label = targets[0]
        return [inconsistent(path, table, label)]
    optimise(-np.ones(n))
    directions = np.random.default_rng(len(targets) * 7919 + n)  # deterministic: same book, same LPs
    for _ in range(EXTRA_DIRECTIONS if len(targets) > EXTRA_DIRECTIONS else 0):
        optimise(directions.choice([-1.0, 1.0], size=n))
    findings = []
    for expression, path, table, label in targets:
        c = np.zeros(n)
        offset = 0.0
        for index, coef in expression.items():
            if index in position:
                c[position[index]] += coef
            else:
                offset += coef * (system.quantities[index].known or 0.0)
        if rule.passes(*seen(c, offset)):
            continue
        low = optimise(c)
        if low.status == 2:  # infeasible: the published numbers contradict each other
            return [*findings, inconsistent(path, table, label)]
        low_value = -math.inf if low.status == 3 else float(low.fun) + offset  # 3: unbounded below
        if rule.passes(low_value, seen(c, offset)[1]):
            continue
        high = optimise(-c)
        high_value = math.inf if high.status == 3 else -float(high.fun) + offset
        verdict = rule.violation(low_value, high_value)
        if verdict:
            findings.append(failure(verdict, low_value, high_value, label, path, table, tables, n, rule))
    return findings


def failure(
    verdict: str, low: float, high: float, label: str, path: str, table: str, tables, n: int, rule: AuditRule
) -> LPFinding:
    """The finding of a hidden quantity that ``rule`` does not accept."""
    shown = f"[{fmt(whole(low, math.ceil))}, {fmt(whole(high, math.floor))}]"
    if shown != f"[{fmt(low)}, {fmt(high)}]":
        shown += f" (as reals [{fmt(low)}, {fmt(high)}])"
    linked = ", ".join(tables[:MAX_CELLS_IN_MESSAGE]) + (" …" if len(tables) > MAX_CELLS_IN_MESSAGE else "")
    what = "is determined" if verdict == "determined" else f"lies inside 1–{rule.threshold - 1}"
    return LPFinding(
        path,
        table,
        verdict,
        f"hidden {label} {what}: the published numbers bound it to {shown} "
        f"(relations over {n} hidden cell(s) of table(s) {linked}).",
    )


def audit_release(tables: Iterable[PublishedTable], rule: AuditRule) -> list[LPFinding]:
    """Every finding of the LP audit over the tables of one release."""
    return solve(build_system(list(tables)), rule)


__all__ = ["AuditRule", "LPFinding", "PublishedCell", "PublishedTable", "audit_release", "report_scope"]
