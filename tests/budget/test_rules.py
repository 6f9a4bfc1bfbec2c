"""The instruction's spending rules: each limit in NOK, which rule governs, overspend flagged."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imdi_analysis.budget.rules import (
    NOT_APPLICABLE,
    NOTE,
    OUTSIDE,
    RULES,
    SUPERSEDED,
    evaluate_rules,
    governing_rules,
    percent_of,
)
from imdi_analysis.letter.budget import imdi_amount, load_budget

LETTER_TEXT = Path(__file__).resolve().parents[1] / "fixtures" / "letter" / "tildelingsbrev-2022.txt"


def post(
    chapter, number, allocation, forecast, income=0, name="Post", transferable=False, estimate=False
) -> dict:
    return {
        "chapter": chapter,
        "post": number,
        "name": name,
        "transferable": transferable,
        "estimate": estimate,
        "allocation_nok": allocation,
        "forecast_nok": forecast,
        "forecast_income_nok": income,
    }


def rule_row(rules: pd.DataFrame, chapter: int, number: int, rule: str, side: str | None = None) -> pd.Series:
    found = rules[(rules["chapter"] == chapter) & (rules["post"] == number) & (rules["rule"] == rule)]
    if side:
        found = found[found["side"] == side]
    assert len(found) == 1, found
    return found.iloc[0]


@pytest.fixture(scope="module")
def letter_rules() -> pd.DataFrame:
    """The rules on the real 2022 letter, with every forecast equal to the allocation."""
    posts = load_budget(2022)
    frame = posts[["chapter", "post", "name", "transferable", "estimate"]].assign(
        allocation_nok=imdi_amount(posts).astype("int64")
    )
    frame = frame.assign(forecast_nok=frame["allocation_nok"], forecast_income_nok=0)
    return evaluate_rules(frame)


def test_percent_of_is_exact_on_the_letters_post_01():
    assert percent_of(302_500_000, 5) == 15_125_000
    assert percent_of(302_500_000, 2) == 6_050_000
    assert percent_of(21_800_000, 2) == 436_000
    assert percent_of(5, 50) == 3  # 2,5 rounds half up


def test_carry_over_cap_on_post_01_is_5_percent_of_302_5_million(letter_rules):
    row = rule_row(letter_rules, 670, 1, "carry_over_5_percent")
    assert row["base_nok"] == 302_500_000
    assert row["limit_nok"] == 15_125_000


def test_overspend_against_income_cap_on_posts_01_and_21_is_2_percent(letter_rules):
    assert rule_row(letter_rules, 670, 1, "overspend_against_income")["limit_nok"] == 6_050_000
    assert (
        rule_row(letter_rules, 671, 21, "overspend_against_income")["limit_nok"] == 436_000
    )  # of IMDi's 21,8


def test_move_from_post_01_to_45_has_a_5_percent_limit_but_needs_the_same_chapter(letter_rules):
    row = rule_row(letter_rules, 671, 45, "move_from_post_01")
    assert row["limit_nok"] == 15_125_000
    assert row["base_nok"] == 302_500_000
    assert not row["applies"]
    assert row["outcome"] == NOT_APPLICABLE
    assert "kap. 670" in row["note"] and "kap. 671" in row["note"]


def test_kan_overfores_and_overslagsbevilgning_follow_the_letters_marks(letter_rules):
    transferable = letter_rules[letter_rules["rule"] == "transferable"]
    assert set(zip(transferable["chapter"], transferable["post"], strict=True)) == {
        (671, 21),
        (671, 45),
        (671, 60),
    }
    estimate = letter_rules[letter_rules["rule"] == "estimate"]
    assert set(zip(estimate["chapter"], estimate["post"], strict=True)) == {(671, 61)}
    carry = rule_row(letter_rules, 671, 21, "carry_over_5_percent")
    assert carry["outcome"] == SUPERSEDED and carry["limit_nok"] == 1_090_000


def test_every_post_has_a_rule_on_each_side(letter_rules):
    sides = letter_rules.groupby(["chapter", "post"])["side"].apply(set)
    assert (sides == {"overspend", "underspend"}).all()
    assert len(sides) == 12


def test_unused_operating_appropriation_beyond_5_percent_lapses_with_a_note():
    rules = evaluate_rules(pd.DataFrame([post(670, 1, 302_500_000, 282_500_000)]))
    row = rule_row(rules, 670, 1, "carry_over_5_percent")
    assert row["measure_nok"] == 20_000_000
    assert row["allowed_nok"] == 15_125_000
    assert not row["within"] and row["outcome"] == NOTE
    assert "4,88 mill. kr" in row["note"]


def test_unused_operating_appropriation_within_5_percent_can_all_be_carried():
    rules = evaluate_rules(pd.DataFrame([post(670, 1, 302_500_000, 302_500_000 - 15_125_000)]))
    row = rule_row(rules, 670, 1, "carry_over_5_percent")
    assert row["within"] and row["measure_nok"] == 15_125_000


@pytest.mark.parametrize(
    ("overspend", "income", "within"),
    [
        (5_000_000, 10_000_000, True),  # under 2 % and covered by income
        (6_050_000, 10_000_000, True),  # exactly 2 %
        (6_050_001, 10_000_000, False),  # 1 kr over 2 %
        (3_000_000, 1_000_000, False),  # under 2 %, but income covers only 1 mill.
    ],
)
def test_overspend_on_post_01_is_limited_by_2_percent_and_by_extra_income(overspend, income, within):
    rules = evaluate_rules(pd.DataFrame([post(670, 1, 302_500_000, 302_500_000 + overspend, income)]))
    row = rule_row(rules, 670, 1, "overspend_against_income")
    assert row["allowed_nok"] == min(6_050_000, income)
    assert bool(row["within"]) is within
    assert (row["outcome"] == OUTSIDE) is (not within)


def test_move_to_post_45_in_the_same_chapter_is_limited_by_5_percent_and_the_saving_on_post_01():
    posts = pd.DataFrame(
        [post(670, 1, 1_000_000, 990_000), post(670, 45, 200_000, 215_000, transferable=True)]
    )
    row = rule_row(evaluate_rules(posts), 670, 45, "move_from_post_01")
    assert row["applies"] and row["limit_nok"] == 50_000
    assert row["allowed_nok"] == 10_000  # only 10 000 saved on post 01
    assert not row["within"] and row["outcome"] == OUTSIDE


def test_an_estimate_post_may_exceed_its_allocation_but_is_noted():
    posts = pd.DataFrame([post(671, 61, 656_770_000, 700_000_000, estimate=True)])
    rules = evaluate_rules(posts)
    row = rule_row(rules, 671, 61, "estimate")
    assert row["within"] and row["outcome"] == NOTE
    governing = governing_rules(rules, posts.assign(forecast_nok=700_000_000))
    assert governing["rule"].item() == "estimate"
    assert governing["outcome"].item() != OUTSIDE


def test_a_post_without_authority_overspent_by_one_krone_is_flagged():
    posts = pd.DataFrame([post(671, 62, 218_300_000, 218_300_001)])
    governing = governing_rules(evaluate_rules(posts), posts)
    assert governing["rule"].item() == "main_rule"
    assert governing["outcome"].item() == OUTSIDE
    assert governing["measure_nok"].item() == 1


def test_a_transferable_post_overspent_is_flagged_by_the_main_rule():
    posts = pd.DataFrame([post(671, 60, 4_953_070_000, 4_960_000_000, transferable=True)])
    governing = governing_rules(evaluate_rules(posts), posts)
    assert (governing["rule"].item(), governing["outcome"].item()) == ("main_rule", OUTSIDE)


def test_kan_overfores_governs_the_unused_amount_of_post_21_over_the_5_percent_rule():
    posts = pd.DataFrame([post(671, 21, 21_800_000, 15_000_000, transferable=True)])
    governing = governing_rules(evaluate_rules(posts), posts)
    assert governing["rule"].item() == "transferable"
    assert governing["within"].item()


@settings(deadline=None)  # each example builds frames; a shared, loaded machine exceeds 200 ms
@given(st.integers(min_value=0, max_value=10**10), st.integers(min_value=0, max_value=10**10))
def test_a_plain_post_is_within_its_rule_exactly_when_it_does_not_overspend(allocation, forecast):
    posts = pd.DataFrame([post(671, 62, allocation, forecast)])
    governing = governing_rules(evaluate_rules(posts), posts)
    assert (governing["outcome"].item() == OUTSIDE) is (forecast > allocation)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("rule", [r for r in RULES.values() if r.quote], ids=lambda r: r.rule)
def test_each_quoted_rule_occurs_in_the_letter_at_its_cited_lines(rule):
    lines = LETTER_TEXT.read_text(encoding="utf-8").splitlines()
    first, last = (int(x) for x in rule.source_lines.split("-"))
    assert normalise(rule.quote) in normalise(" ".join(lines[first - 1 : last]))
