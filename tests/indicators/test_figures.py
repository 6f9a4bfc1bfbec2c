"""Tables, headlines and charts for the book: Norwegian format, captions and alternative text."""

from __future__ import annotations

import pytest

from imdi_analysis.indicators.figures import (
    Chart,
    breakdown_chart,
    format_change,
    format_value,
    headline,
    time_series_chart,
    value_table,
)
from imdi_analysis.indicators.registry import time_series
from tests.indicators.conftest import REGISTERS

JOBB = "sp01_jobbsjansen_work_or_education"


@pytest.fixture(scope="module")
def series():
    return time_series(JOBB, [2021, 2022], "year", REGISTERS)


def test_values_are_formatted_in_norwegian_by_unit():
    assert format_value(0.634, "share") == "63,4\u00a0%"
    assert format_value(4.26, "months") == "4,3\u00a0mnd."
    assert format_value(1822, "count") == "1\u00a0822"
    assert format_value(float("nan"), "share") == ".."
    assert format_change(0.021, "share") == "+2,1\u00a0prosentpoeng"


def test_value_table_has_norwegian_headers_and_one_row_per_group(series):
    table = value_table(series, JOBB, 2022)
    assert list(table.columns) == [
        "Verdi",
        "95 % intervall",
        "Teller",
        "Nevner",
        "Endring fra året før",
        "Merknad",
    ]
    assert table.loc["I alt", "Verdi"] == "60,0\u00a0%"
    assert table.loc["Kjønn: Kvinner", "Teller"] == "2"
    assert table.loc["Fylke: Rogaland", "Merknad"] == "nevner er 0"


def test_headline_states_value_interval_counts_and_change(series):
    text = headline(series, JOBB, 2022)
    assert "**60,0\u00a0%**" in text and "3 av 5" in text and "+10,0\u00a0prosentpoeng" in text
    assert text.endswith("prosentpoeng.")


def test_headline_ends_with_one_full_stop_after_an_abbreviated_unit(series):
    """A change in months reads "−2,6 mnd." and ends the sentence: one full stop, not two."""
    months = series.assign(unit="months", value=series["value"] * 10, change=-2.6)
    months["ci_lower"] = months["ci_upper"] = float("nan")
    months["numerator"] = months["denominator"] = float("nan")
    text = headline(
        months.assign(indicator_id="sp11_settlement_mean_months"), "sp11_settlement_mean_months", 2022
    )
    assert text.endswith("mnd.") and not text.endswith("..")


def test_charts_carry_caption_alt_text_and_synthetic_label(series):
    chart = time_series_chart(series, JOBB, synthetic=True)
    assert isinstance(chart, Chart)
    assert chart.caption.startswith("Syntetiske data.")
    assert "fra 50,0\u00a0% i 2021 til 60,0\u00a0% i 2022" in chart.alt_text
    html = chart._repr_html_()
    assert html.startswith('<figure><img src="data:image/png;base64,') and 'alt="Linjediagram' in html
    bars = breakdown_chart(series, JOBB, "county", 2022)
    assert "Høyest: Vestland (100,0\u00a0%)" in bars.alt_text and "Lavest: Oslo" in bars.alt_text
    assert "9 grupper uten tall" in bars.alt_text
    assert any(t.get_text() == "Syntetiske data" for t in chart.figure.texts)
