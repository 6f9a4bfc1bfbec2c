"""Budget status per post on an as-of date: allocation, spent, forecast, and the rules' outcome.

:func:`budget_status` reads as a table of contents: check the date, load the letter and the
accounts, check them, sum to date, forecast, apply the rules. The display helpers below it
(:func:`status_table`, :func:`rules_table`, ...) make the Norwegian tables of the book chapter
and the CLI.

**Status date.** The accounts are monthly, so the status is at the end of the last month that is
complete on the as-of date: 30 June for ``2022-06-30``, 31 May for ``2022-06-29`` (with a note).

**Allocation.** A post's allocation is the amount at IMDi's disposal in the letter
(:func:`imdi_analysis.letter.budget.imdi_amount`: the allocation table figure, else IMDi's share
stated in the text, e.g. kap. 671 post 72), else the appropriation on the post.

**Nothing silently dropped.** A month up to the status date with no rows, or a chapter/post not
in the letter, is an error naming it. A letter post without rows in some months counts as zero
there, rows after the status date are not counted, and a previous year that cannot give a
profile makes the forecast linear; each of these is stated in :attr:`BudgetStatus.notes`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from imdi_analysis.budget.accounts import (
    KEY,
    accounts_file,
    check_months_present,
    check_posts_in_letter,
    load_accounts,
    missing_months,
    missing_post_months,
    resolve_accounts_dir,
)
from imdi_analysis.budget.forecast import LINEAR, METHOD_LABELS, forecast_posts
from imdi_analysis.budget.rules import (
    OUTCOME_LABELS,
    OUTSIDE,
    RULES,
    SIDE_LABELS,
    evaluate_rules,
    format_amount,
    governing_rules,
)
from imdi_analysis.csv_output import frame_to_csv
from imdi_analysis.errors import ConfigError, DataNotFoundError
from imdi_analysis.formatting import (
    format_date,
    format_kroner,
    format_mill_kr,
    format_number,
    format_percent,
    is_missing,
)
from imdi_analysis.letter.budget import imdi_amount, load_budget

MILLION = 1_000_000
AMOUNT_DECIMALS = 2
SYNTHETIC_LEAD = "**Syntetiske data.** Regnskapstallene er laget av programmet for å vise metoden; de er ikke IMDis regnskap. "
ALLOCATION_SOURCES = {
    "table": "tildelingstabellen",
    "share": "IMDis andel i teksten",
    "appropriation": "bevilgningen i teksten",
}
POST_COLUMNS = [
    "chapter",
    "post",
    "name",
    "allocation_nok",
    "allocation_source",
    "spent_nok",
    "income_nok",
    "share_used",
    "forecast_nok",
    "forecast_method",
    "forecast_share",
    "forecast_income_nok",
    "deviation_nok",
    "deviation_share",
    "transferable",
    "estimate",
    "rule",
    "limit_nok",
    "within",
    "outcome",
    "flagged",
    "note",
]


@dataclass(frozen=True)
class BudgetStatus:
    """The status of every post of the letter on a status date.

    Attributes
    ----------
    year : budget year
    as_of : the date asked for
    status_date : end of the last complete month on ``as_of`` (the accounts are monthly)
    month : that month (1-12)
    posts : one row per post, :data:`POST_COLUMNS` (money in integer NOK)
    rules : one row per post and rule (:func:`imdi_analysis.budget.rules.evaluate_rules`)
    notes : what the reader must know about the data (Norwegian), in the order found
    synthetic : whether the accounts are the synthetic default
    accounts_dir : folder the accounts were read from
    """

    year: int
    as_of: dt.date
    status_date: dt.date
    month: int
    posts: pd.DataFrame
    rules: pd.DataFrame
    notes: tuple[str, ...]
    synthetic: bool
    accounts_dir: Path


def budget_status(
    year: int,
    as_of: str | dt.date,
    accounts_dir: Path | str | None = None,
    letter_root: Path | str | None = None,
) -> BudgetStatus:
    """Spent to date, year-end forecast and spending rules for every post of the letter of ``year``.

    Parameters
    ----------
    year : budget year (the allocation letter of that year must exist)
    as_of : status date, ``YYYY-MM-DD`` or a date, within ``year``
    accounts_dir : folder with ``<year>/accounts.csv``; None or "" for the default
        (real exports in ``data/raw/accounts``, else the synthetic default)
    letter_root : folder of letter years (default ``data/raw/letter``)

    Raises
    ------
    ConfigError
        When ``as_of`` is not a date, is outside ``year``, or is before the first month end.
    DataNotFoundError
        When the letter or the year's accounts are missing.
    DataValidationError
        When the accounts fail their schema, a row's chapter/post is not in the letter, or a
        month up to the status date has no rows; the message names them.
    """
    as_of_date = parse_as_of(as_of, year)
    month = last_complete_month(as_of_date)
    directory, synthetic = resolve_accounts_dir(accounts_dir)
    posts = letter_posts(year, letter_root)
    current = load_current_accounts(year, directory, posts, month)
    previous, previous_notes = load_previous_accounts(year, directory, posts)
    notes = [*status_date_notes(as_of_date, month), *coverage_notes(current, posts, month), *previous_notes]
    table = posts_status(posts, current, previous, month)
    rules = evaluate_rules(table)
    table = attach_governing_rules(table, rules)
    notes += [*allocation_notes(table), *linear_notes(table, previous), *actual_notes(current, table, month)]
    return BudgetStatus(
        year=year,
        as_of=as_of_date,
        status_date=month_end(year, month),
        month=month,
        posts=table[POST_COLUMNS],
        rules=rules,
        notes=tuple(notes),
        synthetic=synthetic,
        accounts_dir=directory,
    )


# --- dates -------------------------------------------------------------------------------------


def parse_as_of(as_of: str | dt.date, year: int) -> dt.date:
    """The as-of date as a date inside ``year``; :class:`ConfigError` naming it otherwise."""
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    if not isinstance(as_of, dt.date):
        try:
            as_of = dt.date.fromisoformat(str(as_of).strip())
        except ValueError as exc:
            raise ConfigError(
                f"As-of date {as_of!r} is not a date: write it as YYYY-MM-DD, e.g. {year}-06-30."
            ) from exc
    if as_of.year != year:
        raise ConfigError(
            f"As-of date {as_of.isoformat()} is outside the budget year {year}: "
            f"use a date from {year}-01-01 to {year}-12-31."
        )
    if last_complete_month(as_of) == 0:
        raise ConfigError(
            f"As-of date {as_of.isoformat()} is before the end of the first month; the accounts are monthly, "
            f"so the earliest status date is {year}-01-31."
        )
    return as_of


def month_end(year: int, month: int) -> dt.date:
    """Last day of ``month`` in ``year``."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def last_complete_month(as_of: dt.date) -> int:
    """The last month whose last day is on or before ``as_of`` (0 in January before the 31st)."""
    return as_of.month if as_of == month_end(as_of.year, as_of.month) else as_of.month - 1


# --- loading -----------------------------------------------------------------------------------


def letter_posts(year: int, letter_root: Path | str | None) -> pd.DataFrame:
    """The letter's posts with ``allocation_nok`` (amount at IMDi's disposal) and where it comes from."""
    posts = load_budget(year, letter_root)
    allocation = imdi_amount(posts).fillna(posts["appropriation_nok"])
    source = pd.Series("appropriation", index=posts.index)
    source = source.mask(posts["imdi_share_nok"].notna(), "share").mask(
        posts["allocation_table_nok"].notna(), "table"
    )
    columns = ["chapter", "post", "name", "transferable", "estimate"]
    return posts[columns].assign(allocation_nok=allocation.astype("int64"), allocation_source=source)


def load_current_accounts(year: int, directory: Path, posts: pd.DataFrame, month: int) -> pd.DataFrame:
    """The year's accounts, checked: every chapter/post in the letter, every month to ``month`` present."""
    frame = load_accounts(year, directory)
    path = accounts_file(year, directory)
    check_posts_in_letter(frame, posts, path)
    check_months_present(frame, month, path)
    return frame


def load_previous_accounts(
    year: int, directory: Path, posts: pd.DataFrame
) -> tuple[pd.DataFrame | None, list[str]]:
    """Last year's accounts for the profile, or None with the reason why the forecast is linear.

    A missing file or an incomplete year (a month without rows) gives None and a note; a file that
    fails its schema is an error, not a fallback. Rows of posts not in this year's letter are not
    used, and said so.
    """
    try:
        frame = load_accounts(year - 1, directory)
    except DataNotFoundError:
        return None, [
            f"Det finnes ikke regnskap for {year - 1} i {directory}; prognosen er lineær for alle poster."
        ]
    absent = missing_months(frame, 12)
    if absent:
        months = ", ".join(map(str, absent))
        return None, [
            f"Regnskapet for {year - 1} mangler måned {months}; fjorårets månedsprofil kan ikke brukes, "
            "og prognosen er lineær for alle poster."
        ]
    known = set(posts[KEY].itertuples(index=False, name=None))
    keys = frame[KEY].itertuples(index=False, name=None)
    unused = sorted({key for key in keys if key not in known})
    notes = []
    if unused:
        listed = ", ".join(f"kap. {c} post {p:02d}" for c, p in unused)
        notes.append(
            f"Regnskapet for {year - 1} har poster som ikke er i tildelingsbrevet for {year} ({listed}); de er ikke brukt."
        )
    return frame, notes


# --- computing ---------------------------------------------------------------------------------


def sums_to_date(frame: pd.DataFrame | None, posts: pd.DataFrame, month: int) -> pd.DataFrame:
    """Expenses and income per letter post over months 1..``month`` (zero where a post has no rows)."""
    base = posts[KEY].copy()
    if frame is None:
        return base.assign(expenses_nok=0, income_nok=0)
    sums = frame[frame["month"] <= month].groupby(KEY, as_index=False)[["expenses_nok", "income_nok"]].sum()
    out = base.merge(sums, on=KEY, how="left").fillna({"expenses_nok": 0, "income_nok": 0})
    return out.astype({"expenses_nok": "int64", "income_nok": "int64"})


def posts_status(
    posts: pd.DataFrame, current: pd.DataFrame, previous: pd.DataFrame | None, month: int
) -> pd.DataFrame:
    """Per post: spent and income to date, share used, forecasts, deviation from the allocation."""
    to_date = sums_to_date(current, posts, month)
    expenses = forecast_posts(to_date, "expenses_nok", month, previous)
    income = forecast_posts(to_date, "income_nok", month, previous)
    table = posts.merge(to_date.rename(columns={"expenses_nok": "spent_nok"}), on=KEY)
    table = table.merge(
        expenses.rename(
            columns={"forecast": "forecast_nok", "share": "forecast_share", "method": "forecast_method"}
        ),
        on=KEY,
    )
    table = table.merge(
        income[[*KEY, "forecast"]].rename(columns={"forecast": "forecast_income_nok"}), on=KEY
    )
    allocation = table["allocation_nok"].astype(float)
    table["share_used"] = table["spent_nok"] / allocation.where(allocation > 0)
    table["deviation_nok"] = table["forecast_nok"] - table["allocation_nok"]
    table["deviation_share"] = table["deviation_nok"] / allocation.where(allocation > 0)
    return table.sort_values(KEY, ignore_index=True)


def attach_governing_rules(table: pd.DataFrame, rules: pd.DataFrame) -> pd.DataFrame:
    """Add the governing rule, its effective limit, the outcome and ``flagged`` (outside its rule)."""
    governing = governing_rules(rules, table).rename(columns={"allowed_nok": "limit_nok_effective"})
    columns = [*KEY, "rule", "limit_nok_effective", "within", "outcome", "note"]
    out = table.merge(governing[columns], on=KEY, how="left").rename(
        columns={"limit_nok_effective": "limit_nok"}
    )
    out["flagged"] = out["outcome"] == OUTSIDE
    return out


# --- notes -------------------------------------------------------------------------------------


def status_date_notes(as_of: dt.date, month: int) -> list[str]:
    """A note when the as-of date is not a month end (the status is at the previous month end)."""
    if month == as_of.month:
        return []
    return [
        f"{format_date(as_of)} er ikke en månedsslutt. Regnskapet er månedlig, så status er per "
        f"{format_date(month_end(as_of.year, month))}, siste hele måned."
    ]


def coverage_notes(frame: pd.DataFrame, posts: pd.DataFrame, month: int) -> list[str]:
    """Notes on letter posts without rows in some months, and rows after the status month."""
    notes = []
    gaps = missing_post_months(frame, posts, month)
    if not gaps.empty:
        grouped = gaps.groupby(KEY)["month"].apply(lambda m: ", ".join(map(str, m)))
        listed = "; ".join(f"kap. {c} post {p:02d}: måned {m}" for (c, p), m in grouped.items())
        notes.append(f"Poster uten rader i regnskapet for enkelte måneder (regnet som 0 kr): {listed}.")
    later = sorted(set(frame.loc[frame["month"] > month, "month"].astype(int)))
    if later:
        span = f"{later[0]}" if len(later) == 1 else f"{later[0]}–{later[-1]}"
        notes.append(
            f"Regnskapet har også tall for måned {span}; de er ikke med i status per "
            f"{format_date(month_end(int(frame['year'].iloc[0]), month))}."
        )
    return notes


def allocation_notes(table: pd.DataFrame) -> list[str]:
    """Notes on posts whose allocation is not the allocation table's figure."""
    other = table[table["allocation_source"] != "table"]
    return [
        f"Kap. {r.chapter} post {r.post:02d}: tildelingstabellen har ikke beløp; tildelt beløp er "
        f"{ALLOCATION_SOURCES[r.allocation_source]} ({format_amount(r.allocation_nok)})."
        for r in other.itertuples(index=False)
    ]


def linear_notes(table: pd.DataFrame, previous: pd.DataFrame | None) -> list[str]:
    """When last year's profile exists, name the posts that still got a linear forecast."""
    linear = table[table["forecast_method"] == LINEAR]
    if previous is None or linear.empty:
        return []
    listed = ", ".join(
        f"kap. {c} post {p:02d}" for c, p in zip(linear["chapter"], linear["post"], strict=True)
    )
    return [
        f"Prognosen er lineær for {listed}: posten hadde ikke forbruk i fjorårets regnskap til og med samme måned."
    ]


def actual_notes(frame: pd.DataFrame, table: pd.DataFrame, month: int) -> list[str]:
    """When the accounts hold the whole year, compare the forecast's total with the actual total."""
    if month == 12 or set(range(1, 13)) - set(frame["month"].astype(int)):
        return []
    actual = int(frame["expenses_nok"].sum())
    forecast = int(table["forecast_nok"].sum())
    return [
        f"Regnskapet har alle tolv måneder: faktisk forbruk for året er {format_mill(actual)} mill. kr, "
        f"prognosen per {format_date(month_end(int(frame['year'].iloc[0]), month))} var {format_mill(forecast)} "
        f"mill. kr ({format_percent((forecast - actual) / actual) if actual else '..'} avvik)."
    ]


# --- display (Norwegian) -------------------------------------------------------------------------


def format_mill(nok) -> str:
    """NOK in mill. kr with two decimals, rounded half up in integer arithmetic; '..' when missing.

    ``15_125_000 -> '15,13'`` (:func:`imdi_analysis.formatting.format_mill_kr`).
    """
    return format_mill_kr(nok, AMOUNT_DECIMALS)


def format_limit(nok) -> str:
    """A rule's limit in whole kroner ('15 125 000'); 'ingen fast grense' when it has none."""
    return "ingen fast grense" if is_missing(nok) else format_kroner(nok)


def post_code(chapter: int, post: int) -> str:
    """'670/01'."""
    return f"{int(chapter)}/{int(post):02d}"


def status_title(status: BudgetStatus) -> str:
    """'Budsjettstatus per 30. juni 2022'."""
    return f"Budsjettstatus per {format_date(status.status_date)}"


def status_table(status: BudgetStatus) -> pd.DataFrame:
    """Per post: allocated, spent, share used, forecast, deviation, rule and outcome, with a sum row."""
    p = status.posts
    rows = pd.DataFrame(
        {
            "Kap./post": [post_code(c, q) for c, q in zip(p["chapter"], p["post"], strict=True)],
            "Betegnelse": p["name"],
            "Tildelt (mill. kr)": p["allocation_nok"].map(format_mill),
            "Brukt (mill. kr)": p["spent_nok"].map(format_mill),
            "Andel brukt": p["share_used"].map(format_percent),
            "Prognose for året (mill. kr)": p["forecast_nok"].map(format_mill),
            "Avvik (mill. kr)": p["deviation_nok"].map(format_mill),
            "Avvik (%)": p["deviation_share"].map(format_percent),
            "Prognosemetode": p["forecast_method"].map(METHOD_LABELS),
            "Gjeldende regel": p["rule"].map(lambda r: RULES[r].label),
            "Grense (kr)": p["limit_nok"].map(format_limit),
            "Vurdering": p["outcome"].map(OUTCOME_LABELS),
        }
    )
    allocation, spent, forecast = (int(p[c].sum()) for c in ("allocation_nok", "spent_nok", "forecast_nok"))
    total = {column: "" for column in rows.columns}
    total.update(
        {
            "Kap./post": "Sum",
            "Betegnelse": "Alle poster",
            "Tildelt (mill. kr)": format_mill(allocation),
            "Brukt (mill. kr)": format_mill(spent),
            "Andel brukt": format_percent(spent / allocation) if allocation else "..",
            "Prognose for året (mill. kr)": format_mill(forecast),
            "Avvik (mill. kr)": format_mill(forecast - allocation),
            "Avvik (%)": format_percent((forecast - allocation) / allocation) if allocation else "..",
        }
    )
    return pd.concat([rows, pd.DataFrame([total])], ignore_index=True)


def rules_table(status: BudgetStatus) -> pd.DataFrame:
    """Every rule of every post: limit, forecast amount tested, effective limit, outcome, note."""
    r = status.rules
    names = status.posts.set_index(KEY)["name"]
    return pd.DataFrame(
        {
            "Kap./post": [post_code(c, q) for c, q in zip(r["chapter"], r["post"], strict=True)],
            "Betegnelse": [names.loc[(c, q)] for c, q in zip(r["chapter"], r["post"], strict=True)],
            "Regel": r["rule"].map(lambda x: RULES[x].label),
            "Gjelder": r["side"].map(SIDE_LABELS),
            "Sats": r["percent"].map(lambda v: "" if pd.isna(v) else f"{int(v)}\u00a0%"),
            "Grense (kr)": r["limit_nok"].map(lambda v: "" if pd.isna(v) else format_number(int(v))),
            "Prognose (kr)": r["measure_nok"].map(lambda v: format_number(int(v))),
            "Tillatt (kr)": r["allowed_nok"].map(format_limit),
            "Vurdering": r["outcome"].map(OUTCOME_LABELS),
            "Merknad": r["note"],
        }
    )


def rule_sources_markdown() -> str:
    """The rules with their source and, where the letter has it, the wording and line numbers."""
    lines = []
    for rule in RULES.values():
        text = f"- **{rule.label}.** {rule.source}"
        if rule.quote:
            text += f": «{rule.quote}» (linje {rule.source_lines} i tekstutgaven av brevet)"
        lines.append(text + ".")
    return "\n".join(lines)


def summary_markdown(status: BudgetStatus) -> str:
    """Lead paragraph: totals, number of posts over and under, posts outside their rule."""
    p = status.posts
    allocation, spent, forecast = (int(p[c].sum()) for c in ("allocation_nok", "spent_nok", "forecast_nok"))
    flagged = p[p["flagged"]]
    outside = (
        "Ingen poster har en prognose utenfor det reglene tillater."
        if flagged.empty
        else "Prognosen er utenfor det reglene tillater for "
        + ", ".join(
            f"kap. {c} post {q:02d}" for c, q in zip(flagged["chapter"], flagged["post"], strict=True)
        )
        + "."
    )
    synthetic = SYNTHETIC_LEAD if status.synthetic else ""
    return (
        f"{synthetic}Per {format_date(status.status_date)} er {format_mill(spent)} mill. kr brukt av "
        f"{format_mill(allocation)} mill. kr tildelt ({format_percent(spent / allocation) if allocation else '..'}). "
        f"Prognosen for året er {format_mill(forecast)} mill. kr. "
        f"{int((p['deviation_nok'] > 0).sum())} av {len(p)} poster ventes å bruke mer enn tildelt. {outside}"
    )


def method_markdown(status: BudgetStatus) -> str:
    """How the forecast was made, and for how many posts each method was used."""
    counts = status.posts["forecast_method"].value_counts()
    used = ", ".join(f"{METHOD_LABELS[m].lower()} for {n} poster" for m, n in counts.items())
    return (
        f"Prognosen for året er brukt beløp til og med måned {status.month} delt på andelen av fjorårets "
        f"forbruk på samme post som var brukt ved samme tid i fjor (fjorårets månedsprofil). Slik får en post "
        "som betaler tilskudd i klumper, prognose etter sine egne utbetalingsmåneder. Der fjorårets regnskap "
        "mangler, er ufullstendig eller posten ikke hadde forbruk ved samme tid, er prognosen lineær: brukt "
        f"beløp delt på {status.month}/12. Inntekter framskrives på samme måte. Her er brukt {used}."
    )


def notes_markdown(status: BudgetStatus) -> str:
    """The notes as a bullet list ('Ingen merknader.' when there are none)."""
    return "\n".join(f"- {note}" for note in status.notes) if status.notes else "Ingen merknader."


def status_report(
    year: int, as_of: str, accounts_dir: Path | str | None = None, as_csv: bool = False
) -> tuple[str, list[str]]:
    """Text for ``imdi budget status``: (stdout, notes for stderr).

    The text has the status per post and the rules per post, in Norwegian; with ``as_csv`` the
    per-post status in raw NOK columns (:data:`POST_COLUMNS`) as CSV. Notes are returned apart so
    that CSV output stays machine-readable.
    """
    status = budget_status(year, as_of, accounts_dir)
    notes = [*status.notes, *(["Regnskapstallene er syntetiske."] if status.synthetic else [])]
    if as_csv:
        return frame_to_csv(status.posts), notes
    with pd.option_context("display.max_columns", None, "display.width", 250, "display.max_colwidth", 60):
        text = "\n\n".join(
            [
                status_title(status) + (" (syntetiske data)" if status.synthetic else ""),
                summary_markdown(status).replace("**", ""),
                status_table(status).to_string(index=False),
                "Reglene per post",
                rules_table(status).drop(columns=["Betegnelse"]).to_string(index=False),
            ]
        )
    return text + "\n", notes


__all__ = [
    "POST_COLUMNS",
    "BudgetStatus",
    "budget_status",
    "method_markdown",
    "notes_markdown",
    "rule_sources_markdown",
    "rules_table",
    "status_report",
    "status_table",
    "status_title",
    "summary_markdown",
]
