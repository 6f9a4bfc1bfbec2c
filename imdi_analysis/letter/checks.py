"""``imdi letter check``: is the letter's data valid, do its files agree, do its own figures add up?

Two kinds of findings:

- **Problems** (:func:`validate_letter`): a file that fails its schema, or a reference between
  files (or to the indicator registry) that does not hold: an SP measured by an indicator id
  the registry does not know, an assignment number from a later year, a numbered assignment
  whose deadline is neither a date nor stated as text, an earmark naming an assignment the
  letter does not have, SPs or goals numbered with a gap. Each names file, column, rows and
  the fix. ``imdi letter check`` exits 1 when there is any.
- **Discrepancies** (:func:`check_letter`): places where the letter's own budget figures
  disagree. The checks report what the letter says; they never change the data. Each finding
  is a :class:`Discrepancy` with both numbers and where they stand. They are warnings.

Precision rule
--------------
The letter prints amounts in mill. kr with 0-2 decimals; the data store them in whole NOK.
A figure's printed precision is read back from the stored amount
(:func:`~imdi_analysis.letter.budget.printed_decimals`: ``302 500 000`` was printed '302,5',
one decimal). A computed sum is rounded half-up to the printed precision of the figure it is
compared with before comparing; two printed figures are compared at the coarser of their two
precisions. So a sum of 37,51 against a printed 37,5 is not a discrepancy, but 195,1 against
195,2 is. A figure printed with trailing zeros ('30,0') reads back as '30', which can only make
a comparison more lenient, never report a false discrepancy. Grant tables are printed in whole
NOK, so their SUM lines are compared with their rows exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from imdi_analysis.errors import DataValidationError, ImdiError
from imdi_analysis.letter._files import letter_file, letter_root, load_letter_table
from imdi_analysis.letter.appendix_spec import load_appendix_spec
from imdi_analysis.letter.assignments import ASSIGNMENTS_FILE, DATED_KINDS, load_assignments
from imdi_analysis.letter.budget import (
    EARMARKS_FILE,
    earmark_base,
    format_letter_amount,
    load_budget_files,
    post_label,
    printed_decimals,
    round_nok,
)
from imdi_analysis.letter.calendar import load_meetings, load_reports
from imdi_analysis.letter.goals import (
    GOALS_FILE,
    STEERING_PARAMETERS_FILE,
    SteeringParameterSchema,
    load_goals,
    load_steering_parameters,
)

EARMARKS_VS_POST = "earmarks_vs_post"
GRANT_SUM_LINE = "grant_sum_line"
GRANTS_VS_EARMARK = "grants_vs_earmark"
POSTS_VS_CHAPTER_SUM = "posts_vs_chapter_sum"
CHAPTER_SUM_MISSING = "chapter_sum_missing"
TABLE_VS_TEXT = "table_vs_text"
TABLE_CELL_EMPTY = "table_cell_empty"
SHARE_ABOVE_APPROPRIATION = "share_above_appropriation"
EARMARK_VS_ASSIGNMENT = "earmark_vs_assignment"
LABEL_MISMATCH = "label_mismatch"

KIND_LABELS = {
    EARMARKS_VS_POST: "Øremerkinger mot postens beløp",
    GRANT_SUM_LINE: "Tilskuddstabell mot SUM-linjen",
    GRANTS_VS_EARMARK: "Tilskuddstabell mot øremerking",
    POSTS_VS_CHAPTER_SUM: "Poster mot kapittelsum",
    CHAPTER_SUM_MISSING: "Kapittelsum mangler",
    TABLE_VS_TEXT: "Tabell mot tekst",
    TABLE_CELL_EMPTY: "Tomt felt i tabellen",
    SHARE_ABOVE_APPROPRIATION: "IMDis andel over bevilgningen",
    EARMARK_VS_ASSIGNMENT: "Øremerking mot oppdrag",
    LABEL_MISMATCH: "Betegnelse i tabell mot tekst",
}
PRECISION_WORDS = {0: "hele millioner", 1: "én desimal", 2: "to desimaler", 6: "hele kroner"}
LABEL_MARKS = ("kan overføres", "overslagsbevilgning")


@dataclass(frozen=True)
class Discrepancy:
    """One place where the letter's own figures disagree.

    Attributes
    ----------
    kind : which check found it (one of the module's kind constants, e.g. ``earmarks_vs_post``)
    where : section of the letter, e.g. '4 Kap. 671 Post 71'
    expected_nok : the figure that should have been matched (the total, the text amount), NOK
    found_nok : what the letter gives instead (the sum of parts, the table cell), NOK; ``None``
        when the letter leaves it empty
    message : the finding in Norwegian, with the arithmetic and the precision compared at
    """

    kind: str
    where: str
    expected_nok: int | None
    found_nok: int | None
    message: str


def check_letter(year: int, root: Path | str | None = None) -> list[Discrepancy]:
    """Run every consistency check on the budget of the allocation letter of ``year``.

    Raises :class:`~imdi_analysis.errors.DataValidationError` when a file fails its schema;
    returns the discrepancies of the letter itself (an empty list when it adds up).
    """
    files = load_budget_files(year, root)
    chapters, posts, earmarks, grants = files.chapters, files.posts, files.earmarks, files.grants
    return [
        *check_table_against_text(posts),
        *check_share_within_appropriation(posts),
        *check_posts_against_chapter_sums(posts, chapters),
        *check_earmarks_against_posts(earmarks, posts),
        *check_earmarks_against_assignments(earmarks),
        *check_grant_sum_lines(grants),
        *check_grants_against_earmarks(grants, earmarks),
        *check_labels(posts),
    ]


def discrepancy_frame(discrepancies: list[Discrepancy]) -> pd.DataFrame:
    """The discrepancies as a frame with columns kind, where, expected_nok, found_nok, message."""
    columns = ["kind", "where", "expected_nok", "found_nok", "message"]
    frame = pd.DataFrame([asdict(d) for d in discrepancies], columns=columns)
    for column in ("expected_nok", "found_nok"):
        frame[column] = frame[column].astype("Int64")
    return frame


def discrepancy_table(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """'Avvik i tildelingsbrevet': the discrepancies of ``year`` for display (Norwegian headers)."""
    found = check_letter(year, root)
    return pd.DataFrame(
        {
            "Type": [KIND_LABELS.get(d.kind, d.kind) for d in found],
            "Hvor": [d.where for d in found],
            "Forventet (mill. kr)": [format_letter_amount(d.expected_nok) for d in found],
            "Funnet (mill. kr)": [format_letter_amount(d.found_nok) for d in found],
            "Beskrivelse": [d.message for d in found],
        }
    )


def check_report(year: int, root: Path | str | None = None) -> str:
    """Text for ``imdi letter check``: every file validated and cross-checked, then the budget's
    discrepancies (one paragraph each, or a line saying there is none).

    Raises
    ------
    DataNotFoundError
        When the year has no letter folder.
    DataValidationError
        When :func:`validate_letter` finds problems; the message lists every one.
    """
    problems = validate_letter(year, root)
    if problems:
        folder = letter_root(root) / str(year)
        listed = "\n".join(f"- {p}" for p in problems)
        raise DataValidationError(
            f"The allocation letter for {year} in {folder} has {len(problems)} problem(s); "
            f"fix them in the files named:\n{listed}"
        )
    found = check_letter(year, root)
    if not found:
        return f"The allocation letter for {year} adds up: no discrepancies.\n"
    lines = [
        f"warning: {len(found)} discrepancies in the allocation letter for {year} itself "
        "(the data are transcribed as printed):"
    ]
    lines += [f"- {d.kind}, {d.where}: {d.message}" for d in found]
    return "\n".join(lines) + "\n"


# --- the checks ------------------------------------------------------------------------------


def check_table_against_text(posts: pd.DataFrame) -> list[Discrepancy]:
    """The allocation table figure against IMDi's share as stated in the text below it."""
    found = []
    for post in posts.itertuples(index=False):
        label = post_label(post.chapter, post.post)
        table, text = post.allocation_table_nok, post.imdi_share_nok
        if pd.isna(text):
            continue
        if pd.isna(table):
            found.append(
                Discrepancy(
                    TABLE_CELL_EMPTY,
                    post.section,
                    int(text),
                    None,
                    f"{label}: feltet i tildelingstabellen er tomt, men teksten oppgir IMDis andel til "
                    f"{mill(text)} mill. kr (bevilget på posten: {mill(post.appropriation_nok)} mill. kr).",
                )
            )
            continue
        decimals = min(printed_decimals(table), printed_decimals(text))
        if round_nok(table, decimals) != round_nok(text, decimals):
            found.append(
                Discrepancy(
                    TABLE_VS_TEXT,
                    post.section,
                    int(text),
                    int(table),
                    f"{label}: tabellen oppgir {mill(table)} mill. kr, teksten oppgir IMDis andel til "
                    f"{mill(text)} mill. kr (sammenlignet med {precision_text(decimals)}).",
                )
            )
    return found


def check_share_within_appropriation(posts: pd.DataFrame) -> list[Discrepancy]:
    """IMDi's share of a post cannot exceed the appropriation on the post."""
    stated = posts[posts["imdi_share_nok"].notna() & posts["appropriation_nok"].notna()]
    return [
        Discrepancy(
            SHARE_ABOVE_APPROPRIATION,
            post.section,
            int(post.appropriation_nok),
            int(post.imdi_share_nok),
            f"{post_label(post.chapter, post.post)}: IMDis andel {mill(post.imdi_share_nok)} mill. kr er "
            f"større enn bevilgningen på posten, {mill(post.appropriation_nok)} mill. kr.",
        )
        for post in stated.itertuples(index=False)
        if post.imdi_share_nok > post.appropriation_nok
    ]


def check_posts_against_chapter_sums(posts: pd.DataFrame, chapters: pd.DataFrame) -> list[Discrepancy]:
    """Each chapter's printed sum against the sum of its posts' allocation table figures."""
    found = []
    for chapter in chapters.itertuples(index=False):
        rows = posts[posts["chapter"] == chapter.chapter].sort_values("post")
        in_table = rows[rows["allocation_table_nok"].notna()]
        total = int(in_table["allocation_table_nok"].sum())
        arithmetic = " + ".join(mill(v) for v in in_table["allocation_table_nok"]) or "0"
        where = chapter.section
        if pd.isna(chapter.sum_nok):
            found.append(
                Discrepancy(
                    CHAPTER_SUM_MISSING,
                    where,
                    total,
                    None,
                    f"Kap. {chapter.chapter}: sumlinjen i tildelingstabellen er tom. Postene i tabellen "
                    f"summerer til {mill(total)} mill. kr ({arithmetic}){text_only_note(rows, total)}.",
                )
            )
            continue
        decimals = printed_decimals(chapter.sum_nok)
        if round_nok(total, decimals) != chapter.sum_nok:
            found.append(
                Discrepancy(
                    POSTS_VS_CHAPTER_SUM,
                    where,
                    int(chapter.sum_nok),
                    total,
                    f"Kap. {chapter.chapter}: postene summerer til {mill(total)} mill. kr ({arithmetic}), "
                    f"men sumlinjen er {mill(chapter.sum_nok)} mill. kr (sammenlignet med "
                    f"{precision_text(decimals)}){text_only_note(rows, total)}.",
                )
            )
    return found


def text_only_note(rows: pd.DataFrame, table_total: int) -> str:
    """Clause naming posts with an empty table cell but an amount in the text, and the total with them."""
    text_only = rows[rows["allocation_table_nok"].isna() & rows["imdi_share_nok"].notna()]
    if text_only.empty:
        return ""
    names = ", ".join(
        f"post {int(p):02d} ({mill(v)} mill. kr)"
        for p, v in zip(text_only["post"], text_only["imdi_share_nok"], strict=True)
    )
    with_text = table_total + int(text_only["imdi_share_nok"].sum())
    return f"; med beløpene fra teksten for {names} blir summen {mill(with_text)} mill. kr"


def check_earmarks_against_posts(earmarks: pd.DataFrame, posts: pd.DataFrame) -> list[Discrepancy]:
    """Earmark lines against the amount of their post.

    The post's amount is :func:`~imdi_analysis.letter.budget.earmark_base`. When the text distributes
    the whole of it (``earmarks_exhaustive``) the lines, unallocated rest included, must add up
    to it; otherwise they must not exceed it.
    """
    found = []
    posts = posts.assign(total_nok=earmark_base(posts))
    for (chapter, post_no), lines in earmarks.groupby(["chapter", "post"], sort=True):
        post = posts[(posts["chapter"] == chapter) & (posts["post"] == post_no)].iloc[0]
        label = post_label(chapter, post_no)
        lines = lines.sort_values("line")
        total = int(lines["amount_nok"].sum())
        arithmetic = " + ".join(mill(v) for v in lines["amount_nok"])
        expected = post["total_nok"]
        decimals = printed_decimals(expected)
        rounded = round_nok(total, decimals)
        precision = f"sammenlignet med {precision_text(decimals)}, som i brevet"
        if post["earmarks_exhaustive"] and rounded != expected:
            found.append(
                Discrepancy(
                    EARMARKS_VS_POST,
                    post["section"],
                    int(expected),
                    total,
                    f"{label}: linjene summerer til {mill(total)} mill. kr ({arithmetic}), men midlene til "
                    f"fordeling er {mill(expected)} mill. kr; {mill(int(expected) - total)} mill. kr er ikke fordelt "
                    f"({precision}).",
                )
            )
        elif not post["earmarks_exhaustive"] and rounded > expected:
            found.append(
                Discrepancy(
                    EARMARKS_VS_POST,
                    post["section"],
                    int(expected),
                    total,
                    f"{label}: bindingene summerer til {mill(total)} mill. kr ({arithmetic}), mer enn postens "
                    f"{mill(expected)} mill. kr ({precision}).",
                )
            )
    return found


def check_earmarks_against_assignments(earmarks: pd.DataFrame) -> list[Discrepancy]:
    """An earmark's amount against the amount the assignment's own entry names for it."""
    stated = earmarks[earmarks["assignment_amount_nok"].notna()]
    found = []
    for line in stated.itertuples(index=False):
        decimals = min(printed_decimals(line.amount_nok), printed_decimals(line.assignment_amount_nok))
        if round_nok(line.amount_nok, decimals) != round_nok(line.assignment_amount_nok, decimals):
            found.append(
                Discrepancy(
                    EARMARK_VS_ASSIGNMENT,
                    line.section,
                    int(line.amount_nok),
                    int(line.assignment_amount_nok),
                    f"{post_label(line.chapter, line.post)} linje {line.line}: øremerket {mill(line.amount_nok)} "
                    f"mill. kr, men oppdrag {line.assignment} oppgir {mill(line.assignment_amount_nok)} mill. kr "
                    f"({line.assignment_source_text}).",
                )
            )
    return found


def check_grant_sum_lines(grants: pd.DataFrame) -> list[Discrepancy]:
    """Each grant table's printed SUM line against its rows, exactly (the tables are in whole NOK)."""
    found = []
    for (chapter, post, table), rows in grants.groupby(["chapter", "post", "table_name"], sort=True):
        sums = rows[rows["is_sum_line"]]
        if sums.empty:
            continue
        printed = int(sums["amount_nok"].iloc[0])
        total = int(rows.loc[~rows["is_sum_line"], "amount_nok"].sum())
        if total != printed:
            found.append(
                Discrepancy(
                    GRANT_SUM_LINE,
                    str(sums["section"].iloc[0]),
                    printed,
                    total,
                    f"{post_label(chapter, post)}, tabellen «{table}»: radene summerer til {kroner(total)} kr, "
                    f"men SUM-linjen er {kroner(printed)} kr; SUM minus radene er {kroner(printed - total)} kr.",
                )
            )
    return found


def check_grants_against_earmarks(grants: pd.DataFrame, earmarks: pd.DataFrame) -> list[Discrepancy]:
    """The grant rows that distribute an earmark line against that line's amount."""
    rows = grants[grants["earmark_line"].notna() & ~grants["is_sum_line"]]
    found = []
    for (chapter, post, line_no), group in rows.groupby(["chapter", "post", "earmark_line"], sort=True):
        line = earmarks[
            (earmarks["chapter"] == chapter) & (earmarks["post"] == post) & (earmarks["line"] == line_no)
        ].iloc[0]
        total = int(group["amount_nok"].sum())
        decimals = printed_decimals(line["amount_nok"])
        if round_nok(total, decimals) != line["amount_nok"]:
            found.append(
                Discrepancy(
                    GRANTS_VS_EARMARK,
                    str(line["section"]),
                    int(line["amount_nok"]),
                    total,
                    f"{post_label(chapter, post)} linje {int(line_no)} ({line['purpose']}): tilskuddene summerer "
                    f"til {kroner(total)} kr = {mill(total)} mill. kr, men øremerkingen er "
                    f"{mill(line['amount_nok'])} mill. kr (sammenlignet med {precision_text(decimals)}, som i brevet).",
                )
            )
    return found


def check_labels(posts: pd.DataFrame) -> list[Discrepancy]:
    """'kan overføres' and 'overslagsbevilgning' in the table name against the heading in the text."""
    found = []
    for post in posts[posts["text_heading"].notna()].itertuples(index=False):
        for mark in LABEL_MARKS:
            in_table, in_text = mark in post.name, mark in post.text_heading
            if in_table != in_text:
                has, lacks = ("teksten", "tabellen") if in_text else ("tabellen", "teksten")
                found.append(
                    Discrepancy(
                        LABEL_MISMATCH,
                        post.section,
                        None,
                        None,
                        f"{post_label(post.chapter, post.post)}: «{mark}» står i {has}, men ikke i {lacks} "
                        f"(tabellen: «{post.name}»; teksten: «{post.text_heading}»).",
                    )
                )
    return found


def precision_text(decimals: int) -> str:
    """The precision compared at, in words: 1 -> 'én desimal' (in mill. kr)."""
    return PRECISION_WORDS.get(decimals, f"{decimals} desimaler")


def mill(nok: int | None) -> str:
    """NOK as mill. kr at the letter's printed precision, with a plain space in groups."""
    return format_letter_amount(nok).replace("\u00a0", " ")


def kroner(nok: int) -> str:
    """Whole NOK with Norwegian grouping (plain spaces)."""
    return f"{int(nok):,}".replace(",", " ").replace("-", "\u2212")


__all__ = [
    "KIND_LABELS",
    "Discrepancy",
    "check_letter",
    "check_report",
    "discrepancy_frame",
    "discrepancy_table",
]


# --- validation of every file and the references between them ------------------------------


def validate_letter(year: int, root: Path | str | None = None) -> list[str]:
    """Problems of the letter of ``year``: each file against its schema, then the references.

    Every file is loaded through its own loader (so its schema and the loader's own reference
    checks, e.g. that an SP's goal exists, run); a file that fails is reported and the checks
    that need it are skipped. Returns the problems as messages naming file, column and rows;
    an empty list when the letter is valid.

    Raises
    ------
    DataNotFoundError
        When the year has no letter folder (the message lists the years that exist).
    """
    _check_folder(year, root)
    problems: list[str] = []
    loaded = {name: _load(loader, year, root, problems) for name, loader in LOADERS.items()}
    if loaded[STEERING_PARAMETERS_FILE] is not None:
        raw = load_letter_table(year, STEERING_PARAMETERS_FILE, SteeringParameterSchema, root)
        path = letter_file(year, STEERING_PARAMETERS_FILE, root)
        problems += check_indicator_ids(raw, path)
        problems += check_numbering(raw, "sp", path)
    if loaded[GOALS_FILE] is not None:
        problems += check_numbering(loaded[GOALS_FILE], "goal", letter_file(year, GOALS_FILE, root))
    if loaded[ASSIGNMENTS_FILE] is not None:
        path = letter_file(year, ASSIGNMENTS_FILE, root)
        problems += check_assignment_years(loaded[ASSIGNMENTS_FILE], year, path)
        problems += check_deadlines_stated(loaded[ASSIGNMENTS_FILE], path)
        if loaded["budget"] is not None:
            earmarks = loaded["budget"].earmarks
            problems += check_earmark_assignments(
                earmarks, loaded[ASSIGNMENTS_FILE], letter_file(year, EARMARKS_FILE, root)
            )
    return problems


def _check_folder(year: int, root: Path | str | None) -> None:
    """Raise :class:`DataNotFoundError` (listing the years that exist) when the year has no folder."""
    folder = letter_root(root) / str(year)
    if not folder.is_dir():
        letter_file(year, GOALS_FILE, root)


LOADERS: dict[str, Callable] = {
    GOALS_FILE: load_goals,
    STEERING_PARAMETERS_FILE: load_steering_parameters,
    ASSIGNMENTS_FILE: load_assignments,
    "reports.csv": load_reports,
    "meetings.csv": load_meetings,
    "appendix_tables.csv": load_appendix_spec,
    "budget": load_budget_files,  # chapter_totals, budget_posts, earmarks, grants and their references
}


def _load(loader: Callable, year: int, root: Path | str | None, problems: list[str]):
    """The loader's result, or ``None`` with its error message appended to ``problems``."""
    try:
        return loader(year, root=root)
    except ImdiError as exc:
        problems.append(str(exc))
        return None


def rows_text(index: pd.Index, values: pd.Series | None = None) -> str:
    """``row 3: value, row 5: value`` (data rows counted from 1, as the loaders count them)."""
    if values is None:
        return ", ".join(f"row {i + 1}" for i in index)
    return ", ".join(f"row {i + 1}: {v}" for i, v in zip(index, values, strict=True))


def check_indicator_ids(sps: pd.DataFrame, path: Path) -> list[str]:
    """Every indicator id an SP names exists in the indicator registry, and measures one SP only."""
    from imdi_analysis.indicators.registry import INDICATORS  # the registry imports every indicator

    ids = sps["indicator_id"].dropna().str.split(";").explode().str.strip()
    problems = []
    unknown = ids[~ids.isin(list(INDICATORS))]
    if not unknown.empty:
        problems.append(
            f"{path}, column 'indicator_id': indicator id(s) not in the indicator registry "
            f"({rows_text(unknown.index, unknown)}). Known ids: {', '.join(INDICATORS)}. "
            "Correct the id, or leave the cell empty if no register indicator measures the SP."
        )
    repeated = ids[ids.duplicated(keep=False)]
    if not repeated.empty:
        problems.append(
            f"{path}, column 'indicator_id': an indicator measures one SP, but these ids are listed "
            f"more than once ({rows_text(repeated.index, repeated)}). Keep each id under one SP."
        )
    return problems


def check_numbering(frame: pd.DataFrame, column: str, path: Path) -> list[str]:
    """Numbers in ``column`` run 1, 2, … without a gap (a dropped SP renumbers the later ones)."""
    numbers = sorted(int(n) for n in frame[column])
    missing = sorted(set(range(1, max(numbers, default=0) + 1)) - set(numbers))
    if not missing:
        return []
    return [
        f"{path}, column {column!r}: numbers must run from 1 without a gap, but "
        f"{', '.join(map(str, missing))} {'is' if len(missing) == 1 else 'are'} missing. "
        "The letter numbers them consecutively: when one is dropped, renumber the later ones "
        "(and the rows that refer to them)."
    ]


def check_assignment_years(assignments: pd.DataFrame, year: int, path: Path) -> list[str]:
    """An assignment number (``YYYY-NN``) is from the letter's year or earlier, never later."""
    numbered = assignments[assignments["number"].notna()]
    later = numbered[numbered["number"].str[:4].astype(int) > year]
    if later.empty:
        return []
    return [
        f"{path}, column 'number': assignment number(s) from after {year} in the letter for {year} "
        f"({rows_text(later.index, later['number'])}). A letter gives numbers of its own year "
        "(new) or earlier years (still open)."
    ]


def check_deadlines_stated(assignments: pd.DataFrame, path: Path) -> list[str]:
    """A numbered assignment's deadline is a date, or stated as text; a date is not before its year."""
    numbered = assignments[assignments["number"].notna()]
    unstated = numbered[numbered["deadline"].isna() & numbered["deadline_text"].isna()]
    problems = []
    if not unstated.empty:
        problems.append(
            f"{path}, columns 'deadline' and 'deadline_text': numbered assignment(s) with neither a "
            f"date nor the letter's words for the deadline ({rows_text(unstated.index, unstated['number'])}). "
            f"Give the date as YYYY-MM-DD (deadline_kind one of {', '.join(DATED_KINDS)}) or copy the "
            "letter's wording into deadline_text."
        )
    dated = numbered[numbered["deadline"].notna()]
    early = dated[dated["deadline"].dt.year < dated["number"].str[:4].astype(int)]
    if not early.empty:
        values = [f"{n} due {d:%Y-%m-%d}" for n, d in zip(early["number"], early["deadline"], strict=True)]
        problems.append(
            f"{path}, column 'deadline': deadline before the year the assignment was given "
            f"({rows_text(early.index, pd.Series(values))}). Check the date."
        )
    return problems


def check_earmark_assignments(earmarks: pd.DataFrame, assignments: pd.DataFrame, path: Path) -> list[str]:
    """An earmark's ``assignment`` is a number in ``assignments.csv``."""
    named = earmarks[earmarks["assignment"].notna()]
    unknown = named[~named["assignment"].isin(set(assignments["number"].dropna()))]
    if unknown.empty:
        return []
    return [
        f"{path}, column 'assignment': assignment number(s) not in {ASSIGNMENTS_FILE} "
        f"({rows_text(unknown.index, unknown['assignment'])}). Add the assignment or correct the number."
    ]
