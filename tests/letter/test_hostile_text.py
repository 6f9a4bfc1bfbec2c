"""Text from the letter is shown as text: no tag, event handler or link from a letter file goes live.

The letter here is the 2022 letter with hostile text written by hand into every free-text
field a page shows: goal titles, SP texts, assignment titles and deadline wording, post names
and headings, chapter names, earmark purposes, grant tables and recipients, appendix titles,
report and meeting names. Each page path renders it as a browser would receive it: Markdown
through markdown-it with raw HTML enabled (as myst-nb renders ``text/markdown`` outputs), HTML
and pandas ``Styler`` output as they are. An HTML parser then lists every element and attribute.
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from markdown_it import MarkdownIt

from imdi_analysis.config import LETTER_DIR
from imdi_analysis.formatting import reader_table
from imdi_analysis.indicators.goal_page import goal_page
from tests.indicators.conftest import REGISTERS

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[x](javascript:alert(1))"
AUTOLINK = "<javascript:alert(1)>"
HOSTILE = f" {SCRIPT} {IMG} {LINK} {AUTOLINK} **b** `c`"
FIELDS = {
    "goals.csv": ["title"],
    "steering_parameters.csv": ["text"],
    "assignments.csv": ["title", "deadline_text"],
    "budget_posts.csv": ["name", "text_heading"],
    "chapter_totals.csv": ["name"],
    "earmarks.csv": ["purpose"],
    "grants.csv": ["table_name", "recipient"],
    "appendix_tables.csv": ["title_nb"],
    "reports.csv": ["report"],
    "meetings.csv": ["meeting"],
}
ALLOWED_TAGS = {"table", "thead", "tbody", "tr", "th", "td", "style", "div", "p", "strong", "em", "ul", "li"}
ALLOWED_TAGS |= {"h2", "h3", "code", "br", "span", "caption", "figure", "figcaption", "ol"}


class Elements(HTMLParser):
    """Every start tag and attribute of an HTML text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


def live_parts(html_text: str) -> list[str]:
    """Tags outside :data:`ALLOWED_TAGS`, ``on…`` handlers and ``javascript:`` URLs in ``html_text``."""
    parser = Elements()
    parser.feed(html_text)
    found = [f"<{t}>" for t in parser.tags if t not in ALLOWED_TAGS]
    found += [f"{n}=" for n, _ in parser.attributes if n.startswith("on")]
    found += [v for _, v in parser.attributes if "javascript" in v.lower()]
    return found


def markdown_html(text: str) -> str:
    """Markdown as the book renders a ``text/markdown`` output: CommonMark with raw HTML allowed.

    Links are not validated (markdown-it drops ``javascript:`` URLs itself; a renderer need not),
    so a link made from letter text shows up as an ``<a>`` element.
    """
    md = MarkdownIt("commonmark", {"html": True})
    md.validateLink = lambda url: True
    return md.render(text)


@pytest.fixture
def hostile_letter(tmp_path: Path, monkeypatch) -> Path:
    """The 2022 letter with :data:`HOSTILE` appended to every field of :data:`FIELDS`."""
    root = tmp_path / "letter"
    shutil.copytree(LETTER_DIR / "2022", root / "2022")
    for name, columns in FIELDS.items():
        path = root / "2022" / name
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in columns:
            frame[column] = frame[column].map(lambda v: v + HOSTILE if v else v)
        frame.to_csv(path, index=False)
    monkeypatch.setattr("imdi_analysis.config.LETTER_DIR", root)
    return root


def test_the_check_catches_a_live_tag_a_handler_and_a_javascript_link():
    found = live_parts(markdown_html("Mål" + HOSTILE))
    assert found.count("<script>") == 1 and found.count("<img>") == 1 and found.count("<a>") == 2
    assert "onerror=" in found and found.count("javascript:alert(1)") == 2


def test_goal_page_markdown_and_html_show_letter_text_as_text(hostile_letter: Path):
    page = goal_page(2, 2022, "year", REGISTERS, years="2022", threshold=1)
    for text in (page.intro(), page.steering_parameters(), page.qualitative_note()):
        rendered = markdown_html(text)
        assert live_parts(rendered) == [], rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown_html(page.intro())  # shown, as text
    assert "[x](javascript:alert(1))" in markdown_html(page.steering_parameters())
    sections = page.sections()
    htmls = [item.data for item in sections if type(item).__name__ == "HTML"]
    markdowns = [item.data for item in sections if type(item).__name__ == "Markdown"]
    assert any("SP 4:" in h and "&lt;img src=x onerror=alert(1)&gt;" in h for h in htmls)
    for text in htmls + [markdown_html(m) for m in markdowns]:
        assert live_parts(text) == [], text
    assert str(page.heading()).startswith("Mål 2: Kvalifiseringen")  # glued as a text node, not markup


def test_letter_budget_tables_escape_post_names_recipients_and_discrepancies(hostile_letter: Path):
    from imdi_analysis.letter.budget import allocation_table, earmark_table, grant_table, share_table
    from imdi_analysis.letter.checks import discrepancy_table

    for table in (allocation_table, share_table, earmark_table, grant_table, discrepancy_table):
        html_text = reader_table(table(2022)).to_html()
        assert live_parts(html_text) == [], table.__name__
        if table is not discrepancy_table:
            assert "&lt;script&gt;" in html_text, table.__name__  # the hostile text is there, escaped


def test_a_plain_styler_would_let_the_tag_through(hostile_letter: Path):
    """Why :func:`reader_table` exists: the check fails on pandas' default ``Styler``."""
    from imdi_analysis.letter.budget import allocation_table

    assert "<script>" in live_parts(allocation_table(2022).style.hide(axis="index").to_html())


def test_letter_assignment_pages_escape_goals_assignments_and_calendar(hostile_letter: Path):
    from imdi_analysis.letter.assignments import assignments_by_goal
    from imdi_analysis.letter.calendar import calendar_table
    from imdi_analysis.letter.goals import goals_overview

    for table in (goals_overview, assignments_by_goal, calendar_table):
        html_text = table(2022)._repr_html_()  # how the notebook displays a DataFrame
        assert live_parts(html_text) == [], table.__name__
        assert "&lt;script&gt;" in html_text, table.__name__


def test_appendix_titles_are_escaped_in_the_published_table_caption(hostile_letter: Path):
    from imdi_analysis.letter.appendix_spec import load_appendix_spec
    from imdi_analysis.publish import esc

    titles = load_appendix_spec(2022)["title_nb"]
    assert titles.str.contains("<script>", regex=False).all()
    assert all(live_parts(f"<caption>{esc(t)}</caption>") == [] for t in titles)
