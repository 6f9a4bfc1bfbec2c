"""The letter's spending rules as checks with NOK limits per post.

Section 5 *Fullmakter* of the 2022 letter refers to point 6 *Fullmakter* of the instruction
(Vedlegg 1), which sets the rules below (quotes verbatim; line numbers in the text extraction
``tildelingsbrev-imdi-2022.txt``, checked by a test). Each rule works on one side of the
forecast: **overspend** (forecast above the allocation) or **underspend** (unused allocation).

=================================  =========================================================
rule                               what it allows, limit
=================================  =========================================================
``carry_over_5_percent``           posts 01 and 21: unused operating appropriation carried to
                                   next year, up to 5 % of the allocation (lines 2216-2221)
``overspend_against_income``       posts 01 and 21: overspend up to 2 % of the allocation,
                                   and no more than the matching extra income (lines 2115-2130)
``move_from_post_01``              post 45: up to 5 % of post 01's allocation moved to post
                                   45 "under samme kapittel", against a saving on post 01
                                   (lines 2170-2186)
``transferable``                   posts marked *kan overføres*: all unused appropriation may
                                   be carried to the next two budget years (bevilgnings-
                                   reglementet § 5; the letter only marks the posts)
``estimate``                       posts marked *overslagsbevilgning*: may be exceeded when
                                   the expenses follow from law or rules; flagged, allowed
                                   (bevilgningsreglementet; the letter only marks the post)
``main_rule``                      every other case: no overspend, unused appropriation
                                   lapses (lines 2216-2218)
=================================  =========================================================

Readings, stated where they matter:

- **Base.** The percentages are of *bevilgningen* on the post. Where IMDi disposes only part of
  the appropriation (post 21: 21,8 of 60,9 mill. kr), the limit is computed on IMDi's amount
  (:func:`imdi_analysis.letter.budget.imdi_amount`), the part IMDi answers for; it is the
  conservative reading.
- **5 % of what.** The letter writes *inntil 5 pst. av ubrukt driftsbevilgningen*; read, as in
  the budget regulations, as 5 % of the appropriation (the amount carried is the smaller of the
  unused amount and that cap). For post 01: 5 % of 302,5 mill. kr = 15 125 000 kr.
- **Kan overføres wins.** Post 21 carries *kan overføres* in its text heading (not in the
  allocation table's name); the stikkord allows carrying all of the unused amount, so the 5 %
  row is reported as superseded.
- **Extra income.** The letter gives no income budget, so all income booked against post 01 or
  21 is counted as *merinntekt*: an upper bound on what may cover an overspend.
- **Same chapter.** In the 2022 letter post 01 is in kap. 670 and post 45 in kap. 671, so the
  move authority, which requires the same chapter, does not apply; its limit is still shown.
- Not checked: net booking of sales of used equipment (5 %, lines 2006-2038; the accounts do
  not separate those sales) and overspend for investment against later savings (needs the
  ministry's consent in each case, lines 2188-2213).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from imdi_analysis.formatting import format_money

OVERSPEND = "overspend"
UNDERSPEND = "underspend"
MILLION = 1_000_000
OPERATING_POSTS = (1, 21)
INVESTMENT_POST = 45
OPERATING_POST = 1
CARRY_OVER_PERCENT = 5
OVERSPEND_PERCENT = 2
MOVE_PERCENT = 5
INSIDE = "inside"
NOTE = "note"
OUTSIDE = "outside"
NOT_APPLICABLE = "not_applicable"
SUPERSEDED = "superseded"
OUTCOME_LABELS = {
    INSIDE: "Innenfor",
    NOTE: "Merknad",
    OUTSIDE: "Utenfor",
    NOT_APPLICABLE: "Gjelder ikke",
    SUPERSEDED: "Erstattet av «kan overføres»",
}
SIDE_LABELS = {OVERSPEND: "Overforbruk", UNDERSPEND: "Ubrukt"}
RULE_COLUMNS = [
    "chapter",
    "post",
    "rule",
    "side",
    "applies",
    "base_nok",
    "percent",
    "limit_nok",
    "measure_nok",
    "allowed_nok",
    "within",
    "outcome",
    "note",
]


@dataclass(frozen=True)
class Rule:
    """One spending rule: what it is called, where it comes from, and its wording."""

    rule: str
    label: str
    source: str
    quote: str | None = None
    source_lines: str | None = None


RULES: dict[str, Rule] = {
    rule.rule: rule
    for rule in [
        Rule(
            "carry_over_5_percent",
            "Overføring av inntil 5 % ubrukt driftsbevilgning",
            "Vedlegg 1 pkt. 6, «Overføring av ubrukt driftsbevilgning fra ett år til neste (§ 5)»",
            "inntil 5 pst. av ubrukt driftsbevilgningen under post 01 og post 21 kan overføres til neste budsjettår",
            "2219-2221",
        ),
        Rule(
            "overspend_against_income",
            "Overskridelse med inntil 2 % mot merinntekter",
            "Vedlegg 1 pkt. 6, «Fullmakt til å overskride driftsbevilgninger mot tilsvarende merinntekter»",
            "Postene 01 Driftsutgifter og 21 Spesielle driftsutgifter kan overskrides med inntil 2 pst. "
            "av bevilgningen mot tilsvarende merinntekter",
            "2119-2121",
        ),
        Rule(
            "move_from_post_01",
            "Omdisponering av inntil 5 % fra post 01 til post 45",
            "Vedlegg 1 pkt. 6, «Fullmakt til å overskride investeringsbevilgninger mot tilsvarende innsparing»",
            "Det kan omdisponeres inntil 5 pst. av bevilgningen under post 01 Driftsutgifter til "
            "post 45 Større utstyrsanskaffelser og vedlikehold, under samme kapittel",
            "2174-2176",
        ),
        Rule(
            "transferable",
            "«Kan overføres»: ubrukt beløp kan overføres til de to neste budsjettårene",
            "Bevilgningsreglementet § 5 (stikkordet «kan overføres»); brevet merker posten",
        ),
        Rule(
            "estimate",
            "Overslagsbevilgning: kan overskrides når lov eller regelverk krever det",
            "Bevilgningsreglementet (stikkordet «overslagsbevilgning»); brevet merker posten",
        ),
        Rule(
            "main_rule",
            "Hovedregel: kan ikke overskrides, ubrukt beløp faller bort",
            "Vedlegg 1 pkt. 6, «Overføring av ubrukt driftsbevilgning fra ett år til neste (§ 5)»",
            "Det er som regel ikke adgang til å overskride et tildelt beløp eller til å overføre det til "
            "en annen budsjettermin eller til en annen budsjettpost i samme termin",
            "2216-2218",
        ),
    ]
}
PRECEDENCE = {
    OVERSPEND: ["estimate", "overspend_against_income", "move_from_post_01", "main_rule"],
    UNDERSPEND: ["transferable", "carry_over_5_percent", "main_rule"],
}


def percent_of(amount: int, percent: int) -> int:
    """``percent`` % of ``amount`` in whole NOK, rounded half up: ``percent_of(302_500_000, 5) == 15_125_000``."""
    value = Decimal(int(amount)) * Decimal(percent) / Decimal(100)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_amount(nok: int) -> str:
    """An amount for rule notes: '15,13 mill. kr' from 1 mill. kr up, else whole kroner ('17 511 kr').

    :func:`imdi_analysis.formatting.format_money` (integer arithmetic, half up), so the notes
    and the budget tables print the same amount the same way.
    """
    return format_money(nok)


# --- one function per rule: each returns the rule's row for one post ---------------------------


def row(post: pd.Series, rule: str, side: str, **values) -> dict:
    """A rule row for ``post`` with defaults for the fields a rule does not set."""
    base = {
        "chapter": int(post["chapter"]),
        "post": int(post["post"]),
        "rule": rule,
        "side": side,
        "applies": True,
        "base_nok": int(post["allocation_nok"]),
        "percent": None,
        "limit_nok": None,
        "measure_nok": 0,
        "allowed_nok": None,
        "within": True,
        "outcome": INSIDE,
        "note": "",
    }
    base.update(values)
    return base


def overspend_of(post: pd.Series) -> int:
    """Forecast minus allocation when positive, else 0."""
    return max(int(post["forecast_nok"]) - int(post["allocation_nok"]), 0)


def unused_of(post: pd.Series) -> int:
    """Allocation minus forecast when positive, else 0."""
    return max(int(post["allocation_nok"]) - int(post["forecast_nok"]), 0)


def carry_over_5_percent(post: pd.Series) -> dict:
    """Posts 01 and 21: unused up to 5 % of the allocation may be carried to next year."""
    cap = percent_of(post["allocation_nok"], CARRY_OVER_PERCENT)
    unused = unused_of(post)
    if bool(post["transferable"]):
        note = (
            "Posten har stikkordet «kan overføres», som gir adgang til å overføre hele det ubrukte beløpet."
        )
        return row(
            post,
            "carry_over_5_percent",
            UNDERSPEND,
            percent=CARRY_OVER_PERCENT,
            limit_nok=cap,
            measure_nok=unused,
            allowed_nok=cap,
            within=unused <= cap,
            outcome=SUPERSEDED,
            note=note,
        )
    within = unused <= cap
    note = "" if within else f"{format_amount(unused - cap)} ut over grensen faller bort."
    return row(
        post,
        "carry_over_5_percent",
        UNDERSPEND,
        percent=CARRY_OVER_PERCENT,
        limit_nok=cap,
        measure_nok=unused,
        allowed_nok=cap,
        within=within,
        outcome=INSIDE if within else NOTE,
        note=note,
    )


def overspend_against_income(post: pd.Series) -> dict:
    """Posts 01 and 21: overspend up to 2 % of the allocation, covered by extra income."""
    cap = percent_of(post["allocation_nok"], OVERSPEND_PERCENT)
    income = max(int(post["forecast_income_nok"]), 0)
    allowed = min(cap, income)
    over = overspend_of(post)
    within = over <= allowed
    note = (
        f"Prognose for merinntekter: {format_amount(income)}; grensen er det minste av 2 % og merinntektene."
    )
    if over and not within:
        note += f" Overskridelsen er {format_amount(over - allowed)} større enn det fullmakten dekker."
    return row(
        post,
        "overspend_against_income",
        OVERSPEND,
        percent=OVERSPEND_PERCENT,
        limit_nok=cap,
        measure_nok=over,
        allowed_nok=allowed,
        within=within,
        outcome=INSIDE if within else OUTSIDE,
        note=note,
    )


def move_from_post_01(post: pd.Series, posts: pd.DataFrame) -> dict | None:
    """Post 45: up to 5 % of post 01's allocation, same chapter, against a saving on post 01."""
    operating = posts[posts["post"] == OPERATING_POST]
    if operating.empty:
        return None
    same = operating[operating["chapter"] == post["chapter"]]
    source = (same if not same.empty else operating).iloc[0]
    cap = percent_of(source["allocation_nok"], MOVE_PERCENT)
    over = overspend_of(post)
    if same.empty:
        note = (
            f"Post 01 står under kap. {int(source['chapter'])}, post 45 under kap. {int(post['chapter'])}; "
            "fullmakten gjelder bare innenfor samme kapittel."
        )
        return row(
            post,
            "move_from_post_01",
            OVERSPEND,
            applies=False,
            base_nok=int(source["allocation_nok"]),
            percent=MOVE_PERCENT,
            limit_nok=cap,
            measure_nok=over,
            allowed_nok=0,
            within=over == 0,
            outcome=NOT_APPLICABLE,
            note=note,
        )
    saving = unused_of(source)
    allowed = min(cap, saving)
    within = over <= allowed
    note = f"Prognose for ubrukt på post 01: {format_amount(saving)}; grensen er det minste av 5 % og innsparingen."
    return row(
        post,
        "move_from_post_01",
        OVERSPEND,
        base_nok=int(source["allocation_nok"]),
        percent=MOVE_PERCENT,
        limit_nok=cap,
        measure_nok=over,
        allowed_nok=allowed,
        within=within,
        outcome=INSIDE if within else OUTSIDE,
        note=note,
    )


def transferable(post: pd.Series) -> dict:
    """Posts marked *kan overføres*: all unused may be carried to the next two budget years."""
    unused = unused_of(post)
    note = f"{format_amount(unused)} kan overføres." if unused else ""
    if "kan overføres" not in str(post["name"]):
        note = (
            note + " «Kan overføres» står i postens overskrift i teksten, ikke i tildelingstabellen."
        ).strip()
    return row(post, "transferable", UNDERSPEND, measure_nok=unused, note=note)


def estimate(post: pd.Series) -> dict:
    """Posts marked *overslagsbevilgning*: may be exceeded; an overspend is flagged for explanation."""
    over = overspend_of(post)
    note = (
        f"Prognosen overskrider bevilgningen med {format_amount(over)}; overskridelsen må begrunnes."
        if over
        else ""
    )
    return row(post, "estimate", OVERSPEND, measure_nok=over, outcome=NOTE if over else INSIDE, note=note)


def main_rule(post: pd.Series, side: str) -> dict:
    """No authority on ``side``: no overspend; unused lapses."""
    if side == OVERSPEND:
        over = overspend_of(post)
        note = f"Prognosen overskrider bevilgningen med {format_amount(over)} uten fullmakt." if over else ""
        return row(
            post,
            "main_rule",
            OVERSPEND,
            limit_nok=0,
            measure_nok=over,
            allowed_nok=0,
            within=over == 0,
            outcome=INSIDE if over == 0 else OUTSIDE,
            note=note,
        )
    unused = unused_of(post)
    note = f"{format_amount(unused)} ubrukt faller bort ved årets slutt." if unused else ""
    return row(
        post,
        "main_rule",
        UNDERSPEND,
        limit_nok=0,
        measure_nok=unused,
        allowed_nok=0,
        within=unused == 0,
        outcome=INSIDE if unused == 0 else NOTE,
        note=note,
    )


# --- all rules ---------------------------------------------------------------------------------


def rules_for_post(post: pd.Series, posts: pd.DataFrame) -> list[dict]:
    """Every rule row of one post, with the main rule on each side that no other rule covers."""
    rows: list[dict] = []
    if int(post["post"]) in OPERATING_POSTS:
        rows += [carry_over_5_percent(post), overspend_against_income(post)]
    if int(post["post"]) == INVESTMENT_POST:
        moved = move_from_post_01(post, posts)
        rows += [moved] if moved else []
    if bool(post["transferable"]):
        rows.append(transferable(post))
    if bool(post["estimate"]):
        rows.append(estimate(post))
    for side in (OVERSPEND, UNDERSPEND):
        if not any(r["side"] == side and r["outcome"] not in (NOT_APPLICABLE, SUPERSEDED) for r in rows):
            rows.append(main_rule(post, side))
    return rows


def evaluate_rules(posts: pd.DataFrame) -> pd.DataFrame:
    """One row per post and rule: the limit in NOK and whether the forecast stays inside it.

    Parameters
    ----------
    posts : one row per post with chapter, post, name, transferable, estimate,
        allocation_nok, forecast_nok (expenses) and forecast_income_nok

    Returns
    -------
    pandas.DataFrame
        :data:`RULE_COLUMNS`: ``base_nok`` the amount the percentage is of, ``limit_nok`` the
        rule's cap (empty when it has none), ``measure_nok`` the forecast overspend or unused
        amount the rule is tested on, ``allowed_nok`` the effective limit (the cap, lowered by
        the extra income or the saving it must match; empty when unlimited), ``within``
        (``measure <= allowed``), ``outcome`` (:data:`OUTCOME_LABELS` keys), ``note`` (Norwegian).
    """
    rows = [r for _, post in posts.iterrows() for r in rules_for_post(post, posts)]
    frame = pd.DataFrame(rows, columns=RULE_COLUMNS)
    for column in ("base_nok", "limit_nok", "measure_nok", "allowed_nok"):
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    frame["percent"] = pd.array(frame["percent"].tolist(), dtype="Int64")
    frame["applies"] = frame["applies"].astype(bool)
    frame["within"] = frame["within"].astype(bool)
    return frame


def governing_rules(rules: pd.DataFrame, posts: pd.DataFrame) -> pd.DataFrame:
    """The rule that governs each post's forecast: on the overspend side when the forecast is above
    the allocation, else on the underspend side, first in :data:`PRECEDENCE` that applies.

    Returns one row per post of ``posts`` with the :data:`RULE_COLUMNS`.
    """
    chosen = []
    for _, post in posts.iterrows():
        side = OVERSPEND if int(post["forecast_nok"]) > int(post["allocation_nok"]) else UNDERSPEND
        own = rules[
            (rules["chapter"] == post["chapter"]) & (rules["post"] == post["post"]) & (rules["side"] == side)
        ]
        usable = own[~own["outcome"].isin([NOT_APPLICABLE, SUPERSEDED])]
        order = {name: i for i, name in enumerate(PRECEDENCE[side])}
        chosen.append(usable.assign(order=usable["rule"].map(order)).sort_values("order").iloc[0])
    return pd.DataFrame(chosen)[RULE_COLUMNS].reset_index(drop=True)


__all__ = [
    "OUTCOME_LABELS",
    "RULES",
    "Rule",
    "evaluate_rules",
    "format_amount",
    "governing_rules",
    "percent_of",
]
