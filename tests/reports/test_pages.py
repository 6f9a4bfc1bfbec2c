"""The report pages' text for readers: Norwegian numbers, symbols, escaped letter text."""

from __future__ import annotations

import math

import pandas as pd

from imdi_analysis.formatting import reader_table
from imdi_analysis.reports.pages import (
    beyond_text,
    format_change,
    format_value,
    key_figures_markdown,
    markdown_table,
    resolve_threshold,
)


def test_changes_in_percentage_points_months_and_counts():
    assert format_change(0.044, "share") == "+4,4 p.p."
    assert format_change(-0.021, "share") == "−2,1 p.p."
    assert format_change(-2.06, "months") == "−2,1 mnd."
    assert format_change(36057.0, "count") == "+36\u00a0057"  # no-break space groups digits
    assert format_change(0.0, "share") == "0,0 p.p."
    assert format_change(math.nan, "share") == ".."
    assert format_value(0.871, "share") == "87,1\u00a0%"
    assert format_value(0.3241, "ratio") == "0,32"


def test_beyond_is_yes_no_not_applicable_hidden_or_missing():
    assert beyond_text(True, "") == "Ja"
    assert beyond_text(False, "") == "Nei"
    assert beyond_text(None, "") == "."
    assert beyond_text(None, "..") == ".."
    assert beyond_text(None, ":") == ":"


def test_default_threshold_when_the_run_gives_none():
    assert resolve_threshold(None) == 5
    assert resolve_threshold(3) == 3


def test_assignment_titles_from_the_letter_are_escaped():
    rows = pd.DataFrame({"Tittel": ["<img src=x onerror=alert(1)>"], "Frist": ["30. juni 2022"]})
    html = reader_table(rows).to_html()
    assert "<img" not in html
    assert "&lt;img" in html


def test_key_figure_text_is_markdown_escaped():
    text = key_figures_markdown(2022)
    assert "Tabell 19" in text and "SP 7b" in text


def test_each_deviation_row_links_to_its_goal_page_and_letter_text_is_escaped():
    frame = pd.DataFrame({"Indikator": ["a|b <script>"], "Mål": ["Mål 4"]})
    text = markdown_table(frame, {"Mål": ["goal_4.html"]})
    lines = text.splitlines()
    assert lines[0] == "| Indikator | Mål |"
    assert lines[2] == "| a\\|b \\<script\\> | [Mål 4](goal_4.html) |"
