"""The allocation letter's budget as validated data: posts, earmarks, grants and chapter sums.

Four files per letter year in ``data/raw/letter/<year>/`` (provenance and column meanings in
``data/raw/letter/2022/README.md``):

- ``chapter_totals.csv``: each chapter's sum as printed in the allocation table (the chapters
  of this file are the chapters the other three files may use);
- ``budget_posts.csv``: each post, with the allocation table figure, the appropriation on the
  post and IMDi's share as stated in the text;
- ``earmarks.csv``: the lines that bind or distribute a post's funds;
- ``grants.csv``: named grant recipients, including the tables' printed SUM lines.

Money is integer NOK. The letter prints mill. kr, so ``4 953,07 mill. kr`` is stored as
``4953070000``. Nothing here is specific to one year: the year is always a parameter.

The display helpers at the end (:func:`allocation_table`, :func:`plot_allocation`, ...) turn the
data into Norwegian tables and charts for the book.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from pandera.typing import Series

from imdi_analysis.errors import DataValidationError
from imdi_analysis.figures import PALETTE, finish, new_figure, norwegian_axis
from imdi_analysis.formatting import MILLION, format_number, format_percent
from imdi_analysis.letter._files import letter_file, load_letter_table
from imdi_analysis.tabular import REPORT_COLUMNS, format_report

CHAPTER_TOTALS_FILE = "chapter_totals.csv"
BUDGET_POSTS_FILE = "budget_posts.csv"
EARMARKS_FILE = "earmarks.csv"
GRANTS_FILE = "grants.csv"

BOOLEAN_TEXT = {"true": True, "false": False}
TRANSFERABLE_MARK = "kan overføres"
ESTIMATE_MARK = "overslagsbevilgning"
ASSIGNMENT_PATTERN = r"^\d{4}-\d{2}$"
MAX_PRINTED_DECIMALS = 2
MAX_SHOWN_DECIMALS = 3
NIL = "-"
CHART_LABEL_WIDTH = 44
BAR_COLOUR = PALETTE[0]
TEXT_BAR_COLOUR = "#a9c6d8"
RAW_COLUMNS = [
    "chapter",
    "post",
    "name",
    "transferable",
    "estimate",
    "allocation_table_nok",
    "appropriation_nok",
    "imdi_share_nok",
]


def parse_boolean_text(series: pd.Series) -> pd.Series:
    """Map exactly ``true``/``false`` to booleans; leave anything else for coercion to reject.

    ``astype(bool)`` would turn the string ``"false"`` into ``True``; this mapping does not.
    """
    return series.map(lambda value: BOOLEAN_TEXT.get(value, value) if isinstance(value, str) else value)


def has_columns(frame: pd.DataFrame, *columns: str) -> bool:
    """Whether ``frame`` has all ``columns`` (a missing column is reported once, by the schema)."""
    return set(columns) <= set(frame.columns)


def passes(frame: pd.DataFrame) -> pd.Series:
    """An all-true check result, for cross-column checks whose columns are missing."""
    return pd.Series(True, index=frame.index)


class ChapterTotals(pa.DataFrameModel):
    """One row per budget chapter of the allocation table, with its printed sum."""

    chapter: Series[int] = pa.Field(
        ge=1, le=9999, unique=True, description="Budget chapter number, e.g. 671."
    )
    name: Series[str] = pa.Field(description="Chapter name as printed, e.g. 'Bosetting av flyktninger ...'.")
    sum_nok: Series[pd.Int64Dtype] = pa.Field(
        nullable=True,
        ge=0,
        description="The table's 'Sum' row in NOK; empty when the letter leaves it empty.",
    )
    section: Series[str] = pa.Field(description="Where in the letter, e.g. '4 Kap. 671'.")
    source_text: Series[str] = pa.Field(description="Short verbatim quote of the table heading and sum.")

    class Config:
        strict = True
        coerce = True


class BudgetPosts(pa.DataFrameModel):
    """One row per post of the allocation table, with the amounts the text gives for it."""

    chapter: Series[int] = pa.Field(ge=1, le=9999, description="Budget chapter number.")
    post: Series[int] = pa.Field(ge=1, le=99, description="Post number within the chapter (01 -> 1).")
    name: Series[str] = pa.Field(description="Post name as printed in the allocation table.")
    text_heading: Series[str] = pa.Field(
        nullable=True, description="Post heading in the text below the table; empty when the text has none."
    )
    transferable: Series[pd.BooleanDtype] = pa.Field(
        description="'kan overføres' in the table name or the text heading (true/false)."
    )
    estimate: Series[pd.BooleanDtype] = pa.Field(
        description="'overslagsbevilgning' in the table name or the text heading (true/false)."
    )
    earmarks_exhaustive: Series[pd.BooleanDtype] = pa.Field(
        description="true when the text distributes the whole of IMDi's share over listed lines "
        "(so the lines must add up to it); false when it names only some bindings."
    )
    allocation_table_nok: Series[pd.Int64Dtype] = pa.Field(
        nullable=True,
        ge=0,
        description="Figure in the allocation table in NOK; empty when the cell is empty.",
    )
    appropriation_nok: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=0, description="Total appropriation on the post ('Det er bevilget ...') in NOK."
    )
    imdi_share_nok: Series[pd.Int64Dtype] = pa.Field(
        nullable=True,
        ge=0,
        description="IMDi's share ('IMDis andel ...', 'stiller ... til disposisjon', 'IMDi disponerer') in NOK.",
    )
    section: Series[str] = pa.Field(description="Where in the letter, e.g. '4 Kap. 671 Post 71'.")
    source_text: Series[str] = pa.Field(
        description="Verbatim quotes: table row, then ' | ' and the text sentences giving amounts."
    )

    class Config:
        strict = True
        coerce = True
        unique = ("chapter", "post")

    @pa.parser("transferable", "estimate", "earmarks_exhaustive")
    @classmethod
    def parse_booleans(cls, series: pd.Series) -> pd.Series:
        return parse_boolean_text(series)

    @pa.dataframe_check
    @classmethod
    def every_post_states_an_amount(cls, frame: pd.DataFrame) -> pd.Series:
        columns = ["allocation_table_nok", "appropriation_nok", "imdi_share_nok"]
        if not has_columns(frame, *columns):
            return passes(frame)
        return frame[columns].notna().any(axis=1)

    @pa.dataframe_check
    @classmethod
    def transferable_matches_labels(cls, frame: pd.DataFrame) -> pd.Series:
        if not has_columns(frame, "transferable", "name", "text_heading"):
            return passes(frame)
        return frame["transferable"] == labels_contain(frame, TRANSFERABLE_MARK)

    @pa.dataframe_check
    @classmethod
    def estimate_matches_labels(cls, frame: pd.DataFrame) -> pd.Series:
        if not has_columns(frame, "estimate", "name", "text_heading"):
            return passes(frame)
        return frame["estimate"] == labels_contain(frame, ESTIMATE_MARK)


class Earmarks(pa.DataFrameModel):
    """One row per line binding or distributing a post's funds."""

    chapter: Series[int] = pa.Field(ge=1, le=9999, description="Budget chapter number.")
    post: Series[int] = pa.Field(ge=1, le=99, description="Post number within the chapter.")
    line: Series[int] = pa.Field(
        ge=1, description="Line number within the post: printed lines in order, then any unallocated rest."
    )
    purpose: Series[str] = pa.Field(description="What the money is for, in Norwegian, close to the letter.")
    amount_nok: Series[int] = pa.Field(ge=0, description="Amount of the line in NOK.")
    assignment: Series[str] = pa.Field(
        nullable=True,
        str_matches=ASSIGNMENT_PATTERN,
        description="Assignment (oppdrag) the letter names for the line, e.g. '2022-09'.",
    )
    unallocated: Series[pd.BooleanDtype] = pa.Field(
        description="true for funds the letter calls 'udisponerte midler' (true/false)."
    )
    assignment_amount_nok: Series[pd.Int64Dtype] = pa.Field(
        nullable=True,
        ge=0,
        description="Amount the assignment's own entry (goals table or Vedlegg 2) names for this line, in NOK.",
    )
    assignment_source_text: Series[str] = pa.Field(
        nullable=True,
        description="Where and what the assignment entry says about the amount (verbatim quote).",
    )
    section: Series[str] = pa.Field(description="Where in the letter, e.g. '4 Kap. 671 Post 21'.")
    source_text: Series[str] = pa.Field(description="Short verbatim quote of the line.")

    class Config:
        strict = True
        coerce = True
        unique = ("chapter", "post", "line")

    @pa.parser("unallocated")
    @classmethod
    def parse_booleans(cls, series: pd.Series) -> pd.Series:
        return parse_boolean_text(series)

    @pa.dataframe_check
    @classmethod
    def unallocated_line_names_no_assignment(cls, frame: pd.DataFrame) -> pd.Series:
        if not has_columns(frame, "unallocated", "assignment"):
            return passes(frame)
        return ~(frame["unallocated"].fillna(False) & frame["assignment"].notna())

    @pa.dataframe_check
    @classmethod
    def assignment_amount_has_source(cls, frame: pd.DataFrame) -> pd.Series:
        if not has_columns(frame, "assignment_amount_nok", "assignment_source_text"):
            return passes(frame)
        return frame["assignment_amount_nok"].isna() == frame["assignment_source_text"].isna()

    @pa.dataframe_check
    @classmethod
    def assignment_amount_names_assignment(cls, frame: pd.DataFrame) -> pd.Series:
        if not has_columns(frame, "assignment_amount_nok", "assignment"):
            return passes(frame)
        return frame["assignment_amount_nok"].isna() | frame["assignment"].notna()


class Grants(pa.DataFrameModel):
    """One row per named grant recipient, plus each table's printed SUM line."""

    chapter: Series[int] = pa.Field(ge=1, le=9999, description="Budget chapter number.")
    post: Series[int] = pa.Field(ge=1, le=99, description="Post number within the chapter.")
    earmark_line: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=1, description="Line in earmarks.csv (same chapter and post) that funds the grant."
    )
    table_name: Series[str] = pa.Field(description="Which table or list of the letter the row belongs to.")
    recipient: Series[str] = pa.Field(description="Recipient as printed; 'SUM' on the sum line.")
    amount_nok: Series[int] = pa.Field(ge=0, description="Amount in NOK.")
    is_sum_line: Series[pd.BooleanDtype] = pa.Field(
        description="true for the table's printed SUM line, kept so it can be checked (true/false)."
    )
    section: Series[str] = pa.Field(description="Where in the letter, e.g. '4 Kap. 671 Post 71'.")
    source_text: Series[str] = pa.Field(description="Short verbatim quote of the row.")

    class Config:
        strict = True
        coerce = True
        unique = ("chapter", "post", "table_name", "recipient")

    @pa.parser("is_sum_line")
    @classmethod
    def parse_booleans(cls, series: pd.Series) -> pd.Series:
        return parse_boolean_text(series)

    @pa.dataframe_check
    @classmethod
    def at_most_one_sum_line_per_table(cls, frame: pd.DataFrame) -> pd.Series:
        if not has_columns(frame, "is_sum_line", "chapter", "post", "table_name"):
            return passes(frame)
        sums = frame["is_sum_line"].fillna(False).astype(int)
        per_table = sums.groupby([frame["chapter"], frame["post"], frame["table_name"]]).transform("sum")
        return per_table <= 1


def labels_contain(frame: pd.DataFrame, mark: str) -> pd.Series:
    """Whether the table name or the text heading of each post contains ``mark``."""
    in_name = frame["name"].astype(str).str.contains(mark, regex=False)
    in_heading = frame["text_heading"].fillna("").astype(str).str.contains(mark, regex=False)
    return in_name | in_heading


# --- loaders ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetFiles:
    """The four budget files of one letter year, each validated and cross-checked once."""

    chapters: pd.DataFrame
    posts: pd.DataFrame
    earmarks: pd.DataFrame
    grants: pd.DataFrame


def load_chapter_totals(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """Chapter sums of the allocation table of ``year``, validated against :class:`ChapterTotals`."""
    return load_letter_table(year, CHAPTER_TOTALS_FILE, ChapterTotals, root)


def load_budget(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """Posts of the allocation letter of ``year``, validated against :class:`BudgetPosts`.

    Every chapter must be one of the chapters in ``chapter_totals.csv`` of the same year.
    """
    return read_posts(year, root, load_chapter_totals(year, root))


def load_earmarks(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """Earmark lines of ``year``, validated; each (chapter, post) must be a post in ``budget_posts.csv``."""
    return read_earmarks(year, root, load_budget(year, root))


def load_grants(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """Grant rows of ``year``, validated; each (chapter, post, earmark_line) must exist in ``earmarks.csv``."""
    return load_budget_files(year, root).grants


def load_budget_files(year: int, root: Path | str | None = None) -> BudgetFiles:
    """All four budget files of ``year``, validated and checked against each other, each read once."""
    chapters = load_chapter_totals(year, root)
    posts = read_posts(year, root, chapters)
    earmarks = read_earmarks(year, root, posts)
    grants = read_grants(year, root, posts, earmarks)
    return BudgetFiles(chapters=chapters, posts=posts, earmarks=earmarks, grants=grants)


def read_posts(year: int, root: Path | str | None, chapters: pd.DataFrame) -> pd.DataFrame:
    """``budget_posts.csv`` validated, with its chapters checked against ``chapters``."""
    posts = load_letter_table(year, BUDGET_POSTS_FILE, BudgetPosts, root)
    path = letter_file(year, BUDGET_POSTS_FILE, root)
    check_references(posts, path, ["chapter"], chapters, CHAPTER_TOTALS_FILE)
    return posts


def read_earmarks(year: int, root: Path | str | None, posts: pd.DataFrame) -> pd.DataFrame:
    """``earmarks.csv`` validated, with its (chapter, post) checked against ``posts``."""
    earmarks = load_letter_table(year, EARMARKS_FILE, Earmarks, root)
    path = letter_file(year, EARMARKS_FILE, root)
    check_references(earmarks, path, ["chapter", "post"], posts, BUDGET_POSTS_FILE)
    return earmarks


def read_grants(
    year: int, root: Path | str | None, posts: pd.DataFrame, earmarks: pd.DataFrame
) -> pd.DataFrame:
    """``grants.csv`` validated, with its posts and earmark lines checked against the other files."""
    grants = load_letter_table(year, GRANTS_FILE, Grants, root)
    path = letter_file(year, GRANTS_FILE, root)
    check_references(grants, path, ["chapter", "post"], posts, BUDGET_POSTS_FILE)
    lines = earmarks.rename(columns={"line": "earmark_line"})
    linked = grants[grants["earmark_line"].notna()]
    check_references(linked, path, ["chapter", "post", "earmark_line"], lines, EARMARKS_FILE)
    return grants


def check_references(
    frame: pd.DataFrame, path: Path, columns: list[str], reference: pd.DataFrame, reference_name: str
) -> None:
    """Raise :class:`DataValidationError` naming every row whose ``columns`` are not in ``reference``.

    Rows are 1-based data rows of ``path`` (the header is not counted), as in schema failures.
    """
    known = set(reference[columns].astype("int64").itertuples(index=False, name=None))
    keys = list(frame[columns].astype("int64").itertuples(index=False, name=None))
    position = {label: i + 1 for i, label in enumerate(frame.index)}
    bad = [(position[label], key) for label, key in zip(frame.index, keys, strict=True) if key not in known]
    if not bad:
        return
    report = pd.DataFrame(
        [
            (
                str(path),
                "+".join(columns),
                f"present in {reference_name} of the same year",
                row,
                "/".join(map(str, key)),
            )
            for row, key in bad
        ],
        columns=REPORT_COLUMNS,
    )
    report["row"] = report["row"].astype("Int64")
    known_text = ", ".join("/".join(map(str, k)) for k in sorted(known))
    message = (
        f"{format_report(report)}\nKnown {'+'.join(columns)} in {reference_name}: {known_text}. "
        f"Fix the value or add the missing row to {reference_name}."
    )
    raise DataValidationError(message, report=report)


# --- amounts ---------------------------------------------------------------------------------


def printed_decimals(nok: int) -> int:
    """Decimals the letter needs to print ``nok`` in mill. kr (0-2); 6 when only whole NOK will do.

    ``302_500_000 -> 1`` ('302,5'), ``4_953_070_000 -> 2`` ('4 953,07'), ``37_510_000 -> 2``,
    ``6_075_000 -> 6`` (not printable in mill. kr with two decimals: printed in NOK).
    """
    for decimals in range(MAX_PRINTED_DECIMALS + 1):
        if int(nok) % 10 ** (6 - decimals) == 0:
            return decimals
    return 6


def round_nok(nok: int, decimals: int) -> int:
    """Round ``nok`` half-up to ``decimals`` decimals of mill. kr, in integer arithmetic."""
    unit = 10 ** (6 - decimals)
    return (int(nok) + unit // 2) // unit * unit


def format_letter_amount(nok: int | None, missing: str = "..") -> str:
    """An amount in mill. kr at the precision the letter prints it: ``302_500_000 -> '302,5'``.

    Amounts the letter prints in whole kroner show three decimals (``6_075_000 -> '6,075'``).
    Missing amounts become ``missing`` (Statistics Norway's '..'); zero becomes '-' (nil).
    """
    if nok is None or pd.isna(nok):
        return missing
    if int(nok) == 0:
        return NIL
    return format_number(int(nok) / MILLION, min(printed_decimals(nok), MAX_SHOWN_DECIMALS))


def imdi_amount(posts: pd.DataFrame) -> pd.Series:
    """Amount at IMDi's disposal per post: the allocation table figure, else IMDi's share from the text."""
    return posts["allocation_table_nok"].fillna(posts["imdi_share_nok"])


def earmark_base(posts: pd.DataFrame) -> pd.Series:
    """Amount a post's earmarks are measured against, per post.

    IMDi's share as stated in the text (the earmarks stand in the same text), else the
    allocation table figure, else the appropriation on the post.
    """
    return posts["imdi_share_nok"].fillna(posts["allocation_table_nok"]).fillna(posts["appropriation_nok"])


def post_label(chapter: int, post: int) -> str:
    """'Kap. 671 post 60' (posts printed with two digits as in the letter: 'post 01')."""
    return f"Kap. {int(chapter)} post {int(post):02d}"


# --- tables and chart for the book -------------------------------------------------------------


def budget_title(year: int) -> str:
    """Title of the book chapter, e.g. 'Tildeling 2022'."""
    return f"Tildeling {year}"


def allocation_table(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """Allocation by chapter and post, with chapter sums as printed, for display (Norwegian headers).

    Amounts in mill. kr at the letter's precision; '..' where the letter leaves the cell empty.
    """
    files = load_budget_files(year, root)
    posts, chapters = files.posts, files.chapters.set_index("chapter")
    rows = []
    for chapter, group in posts.sort_values(["chapter", "post"]).groupby("chapter", sort=True):
        for post in group.itertuples(index=False):
            rows.append(
                {
                    "Kapittel": str(chapter),
                    "Post": f"{post.post:02d}",
                    "Betegnelse": post.name,
                    "Tildeling (mill. kr)": format_letter_amount(post.allocation_table_nok),
                    "IMDis andel i teksten (mill. kr)": format_letter_amount(post.imdi_share_nok),
                    "Kan overføres": "ja" if post.transferable else "nei",
                    "Overslagsbevilgning": "ja" if post.estimate else "nei",
                }
            )
        rows.append(
            {
                "Kapittel": str(chapter),
                "Post": "",
                "Betegnelse": f"Sum kap. {chapter} {chapters.loc[chapter, 'name']}",
                "Tildeling (mill. kr)": format_letter_amount(chapters.loc[chapter, "sum_nok"]),
                "IMDis andel i teksten (mill. kr)": "",
                "Kan overføres": "",
                "Overslagsbevilgning": "",
            }
        )
    return pd.DataFrame(rows)


def share_table(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """IMDi's share of each appropriation the text states, for display (Norwegian headers)."""
    posts = load_budget(year, root)
    stated = posts[posts["appropriation_nok"].notna() & posts["imdi_share_nok"].notna()]
    stated = stated.sort_values(["chapter", "post"])
    share = stated["imdi_share_nok"].astype(float) / stated["appropriation_nok"].astype(float)
    return pd.DataFrame(
        {
            "Post": [post_label(c, p) for c, p in zip(stated["chapter"], stated["post"], strict=True)],
            "Betegnelse": stated["name"].to_numpy(),
            "Bevilget på posten (mill. kr)": [format_letter_amount(v) for v in stated["appropriation_nok"]],
            "IMDis andel (mill. kr)": [format_letter_amount(v) for v in stated["imdi_share_nok"]],
            "IMDis andel av bevilgningen": [format_percent(s) for s in share],
        }
    )


def earmark_summary(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """Earmarked, unallocated and free amounts per post with earmarks, in integer NOK.

    Columns: chapter, post, name, available_nok (:func:`earmark_base`: IMDi's share in the
    text, else the table figure), earmarked_nok (lines not marked unallocated),
    unallocated_nok, free_nok (available minus both; negative when the lines exceed the
    amount), earmarked_share (earmarked / available).
    """
    files = load_budget_files(year, root)
    posts, earmarks = files.posts, files.earmarks
    posts = posts.assign(available_nok=earmark_base(posts))
    lines = earmarks.assign(
        earmarked_nok=earmarks["amount_nok"].where(~earmarks["unallocated"], 0),
        unallocated_nok=earmarks["amount_nok"].where(earmarks["unallocated"], 0),
    )
    sums = lines.groupby(["chapter", "post"], as_index=False)[["earmarked_nok", "unallocated_nok"]].sum()
    out = sums.merge(posts[["chapter", "post", "name", "available_nok"]], on=["chapter", "post"], how="left")
    out["free_nok"] = out["available_nok"] - out["earmarked_nok"] - out["unallocated_nok"]
    out["earmarked_share"] = out["earmarked_nok"].astype(float) / out["available_nok"].astype(float)
    columns = ["chapter", "post", "name", "available_nok", "earmarked_nok", "unallocated_nok", "free_nok"]
    return out[[*columns, "earmarked_share"]].sort_values(["chapter", "post"]).reset_index(drop=True)


def earmark_table(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """Earmarked versus free share per post, for display (Norwegian headers, mill. kr)."""
    summary = earmark_summary(year, root)
    return pd.DataFrame(
        {
            "Post": [post_label(c, p) for c, p in zip(summary["chapter"], summary["post"], strict=True)],
            "Betegnelse": summary["name"],
            "Til disposisjon (mill. kr)": summary["available_nok"].map(format_letter_amount),
            "Øremerket (mill. kr)": summary["earmarked_nok"].map(format_letter_amount),
            "Udisponert (mill. kr)": summary["unallocated_nok"].map(format_letter_amount),
            "Ikke øremerket (mill. kr)": summary["free_nok"].map(format_letter_amount),
            "Øremerket andel": summary["earmarked_share"].map(format_percent),
        }
    )


def grant_table(year: int, root: Path | str | None = None) -> pd.DataFrame:
    """Named grant recipients in NOK, SUM lines included, for display (Norwegian headers)."""
    grants = load_grants(year, root)
    return pd.DataFrame(
        {
            "Post": [post_label(c, p) for c, p in zip(grants["chapter"], grants["post"], strict=True)],
            "Tabell": grants["table_name"],
            "Mottaker": grants["recipient"],
            "Beløp (kr)": grants["amount_nok"].map(lambda v: format_number(v, 0)),
        }
    )


def budget_report(year: int, root: Path | str | None = None, as_csv: bool = False) -> str:
    """Text for ``imdi letter budget``: the allocation table in mill. kr, or CSV of the NOK columns."""
    if as_csv:
        raw = load_budget(year, root)[RAW_COLUMNS]
        flags = {c: raw[c].map({True: "true", False: "false"}) for c in ("transferable", "estimate")}
        return raw.assign(**flags).to_csv(index=False, lineterminator="\n")
    table = allocation_table(year, root)
    return f"{budget_title(year)} (mill. kr)\n{table.to_string(index=False)}\n"


def plot_allocation(year: int, root: Path | str | None = None) -> Figure:
    """Horizontal bar chart of the amount at IMDi's disposal per post, in mill. kr.

    Bars use the allocation table figure; where the table cell is empty and the text states
    IMDi's share, the bar is hatched and labelled as taken from the text.
    """
    posts = load_budget(year, root).sort_values(["chapter", "post"], ascending=False).reset_index(drop=True)
    amounts = imdi_amount(posts)
    from_text = posts["allocation_table_nok"].isna() & posts["imdi_share_nok"].notna()
    labels = [
        f"{post_label(c, p)}\n{textwrap.shorten(n, CHART_LABEL_WIDTH, placeholder=' …')}"
        for c, p, n in zip(posts["chapter"], posts["post"], posts["name"], strict=True)
    ]
    values = amounts.fillna(0).astype(float) / MILLION
    # registered with pyplot: the letter_budget notebook assigns the figure and relies on the
    # inline backend to show it at the end of the cell
    fig, ax = new_figure(10, 0.55 * len(posts) + 1.8, pyplot=True)
    bars = ax.barh(labels, values, color=BAR_COLOUR)
    for bar, text_only, nok in zip(bars, from_text, amounts, strict=True):
        if text_only:
            bar.set_hatch("///")
            bar.set_facecolor(TEXT_BAR_COLOUR)
        suffix = " (fra teksten)" if text_only else ""
        ax.annotate(
            f" {format_letter_amount(nok)}{suffix}",
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            va="center",
            fontsize=8,
        )
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    norwegian_axis(ax, "x")
    ax.set_xlabel("Mill. kr")
    ax.set_xlim(0, max(values.max(), 1) * 1.25)
    ax.tick_params(axis="y", labelsize=8)
    ax.grid(axis="y", visible=False)
    fig.suptitle(
        f"Tildeling {year} til IMDi per kapittel og post (mill. kr)", x=0.01, ha="left", fontweight="bold"
    )
    source = (
        f"Tildelingsbrev {year} til IMDi, kapittel 4. Skraverte stolper: tomt felt i tabellen, "
        "beløpet er IMDis andel oppgitt i teksten"
    )
    return finish(fig, allocation_alt_text(year, posts, amounts, from_text), source)


def allocation_alt_text(year: int, posts: pd.DataFrame, amounts: pd.Series, from_text: pd.Series) -> str:
    """Alt text of :func:`plot_allocation`: what the bars show and the largest post."""
    known = amounts.dropna()
    if known.empty:
        return f"Liggende stolper: tildeling {year} til IMDi per post; ingen beløp."
    largest = posts.loc[known.idxmax()]
    text = (
        f"Liggende stolper: beløpet IMDi disponerer i {year} for {len(posts)} poster, i mill. kr. "
        f"Størst er {post_label(largest['chapter'], largest['post'])} med "
        f"{format_letter_amount(known.max())} mill. kr."
    )
    if from_text.any():
        text += f" {int(from_text.sum())} beløp er hentet fra teksten (skravert)."
    return text


__all__ = [
    "BudgetFiles",
    "BudgetPosts",
    "ChapterTotals",
    "Earmarks",
    "Grants",
    "allocation_table",
    "budget_report",
    "budget_title",
    "earmark_base",
    "earmark_summary",
    "earmark_table",
    "format_letter_amount",
    "grant_table",
    "imdi_amount",
    "load_budget",
    "load_budget_files",
    "load_chapter_totals",
    "load_earmarks",
    "load_grants",
    "plot_allocation",
    "printed_decimals",
    "round_nok",
    "share_table",
]
