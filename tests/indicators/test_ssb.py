"""SP 7b from Statistics Norway table 10809 (tests/fixtures/ssb/table10809.json, constructed numbers)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from imdi_analysis.errors import DataValidationError, TableLayoutError
from imdi_analysis.indicators.ssb import (
    sp07b_intro_work_or_education_ssb,
    transition_counts,
    transition_summary,
)
from imdi_analysis.sources.jsonstat import read_jsonstat
from tests.indicators.conftest import INDICATOR_FIXTURES, row, valid

TABLE = INDICATOR_FIXTURES / "ssb" / "table10809.json"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return read_jsonstat(TABLE)


def test_work_or_education_is_employed_plus_employed_in_education_plus_education_only(table):
    out = valid(sp07b_intro_work_or_education_ssb(table, 2022, "year"))
    # status year 2022, age 18-55 (the total of the age dimension), both sexes:
    # 1419 + 211 + 533 in work or education, of 1419 + 211 + 533 + 415 + 722 = 3300
    assert (row(out, sex="I alt")["numerator"], row(out, sex="I alt")["denominator"]) == (2163, 3300)
    assert row(out, sex="Menn")["denominator"] + row(out, sex="Kvinner")["denominator"] == 3300
    assert out["ci_lower"].isna().all() and out["ci_upper"].isna().all()  # a full count: no interval


def test_age_total_is_recognised_so_overlapping_age_groups_are_not_added(table):
    counts = transition_counts(table)
    assert (
        counts.loc[(counts["status_year"] == 2022) & (counts["sex"] == "I alt"), "denominator"].item() == 3300
    )


def test_a_status_year_not_in_the_table_gives_missing_rows_with_reason(table):
    out = valid(sp07b_intro_work_or_education_ssb(table, 2023, "year"))
    assert out["value"].isna().all()
    assert set(out["missing_reason"]) == {"SSB har ikke publisert statusåret i tabellen"}


def test_no_table_gives_missing_rows_with_reason():
    out = valid(sp07b_intro_work_or_education_ssb(None, 2022, "year"))
    assert list(out["sex"]) == ["I alt", "Menn", "Kvinner"]
    assert set(out["missing_reason"]) == {"SSB-tabell 10809 mangler"}


def test_a_suppressed_cell_in_the_used_total_makes_the_value_missing(table):
    hidden = table.copy()
    hit = (
        (hidden["Kjonn"] == "1")
        & (hidden["Alder"] == "18-55")
        & (hidden["Status"] == "03")
        & (hidden["Tid"] == "2022")
    )
    hidden.loc[hit, ["value", "status"]] = [float("nan"), ":"]
    men = row(sp07b_intro_work_or_education_ssb(hidden, 2022, "year"), sex="Menn")
    assert math.isnan(men["value"]) and "skjult" in men["missing_reason"]


def test_a_table_without_a_status_dimension_is_rejected_with_its_dimensions(table):
    with pytest.raises(DataValidationError, match="sysselsatt"):
        transition_counts(table[table["Status"] == "04"])


def test_transition_summary_gives_cohort_share_and_counts_per_sex():
    summary = transition_summary(TABLE)
    first = summary.iloc[0]
    assert (first["Statusår"], first["Avgangskull"], first["Kjønn"]) == (2019, 2018, "I alt")
    assert first["Andel"] == pytest.approx(2922 / 4600)
    assert list(summary["Kjønn"][:3]) == ["I alt", "Menn", "Kvinner"]


def test_transition_summary_names_a_missing_file(tmp_path: Path):
    from imdi_analysis.errors import DataNotFoundError

    with pytest.raises(DataNotFoundError, match="table 10809"):
        transition_summary(tmp_path / "missing.json")


def test_a_table_from_statistics_norway_is_labelled_as_theirs_not_as_synthetic(table, registers):
    from imdi_analysis.indicators.ssb import SOURCE_LABEL_NB, source_label, table_is_synthetic

    assert not table_is_synthetic(table)
    assert source_label(registers) == SOURCE_LABEL_NB == "Statistisk sentralbyrå, tabell 10809"


def test_a_table_whose_source_says_synthetic_is_labelled_synthetic(tmp_path: Path):
    from imdi_analysis.indicators.report import report_transition
    from imdi_analysis.indicators.ssb import read_table, table_is_synthetic

    document = json.loads(TABLE.read_text(encoding="utf-8"))
    document["source"] = "Syntetiske data (imdi-analysis), etter strukturen i SSB-tabell 10809"
    path = tmp_path / "table10809.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert table_is_synthetic(read_table(path))
    assert "syntetisk tabell" in report_transition(path).splitlines()[0]
    assert "(SSB-tabell 10809)" in report_transition(TABLE).splitlines()[0]


# ------------------------------------------- SSB's published layout (tests/fixtures/ssb/README.md)

SSB_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ssb"
PUBLISHED_2017 = SSB_FIXTURES / "table10809_2017.json"
SUBTOTALS_2023 = SSB_FIXTURES / "table10809_2023_subtotals.json"


def test_published_2017_figures_give_ssbs_62_percent():
    """SSB, status year 2017 (cohort 2016): Sysselsatt 1 500 + Sysselsatt og under utdanning 645 +
    Under utdanning 835 = 2 980 of Arbeidssituasjon i alt 4 790 = 62.2 % (SSB's key figure "62 %");
    men 1 055 + 424 + 453 = 1 932 of 2 706 = 71.4 %; women 445 + 221 + 382 = 1 048 of 2 084 =
    50.3 %. Summing every label that mentions work or education would give 5 960 / 13 042 = 45.7 %."""
    out = valid(sp07b_intro_work_or_education_ssb(read_jsonstat(PUBLISHED_2017), 2017, "year"))
    total, men, women = (row(out, sex=s) for s in ("I alt", "Menn", "Kvinner"))
    assert (total["numerator"], total["denominator"]) == (2980, 4790)
    assert total["value"] == pytest.approx(2980 / 4790) and round(100 * total["value"]) == 62
    assert (men["numerator"], men["denominator"]) == (1932, 2706)
    assert (women["numerator"], women["denominator"]) == (1048, 2084)
    assert round(100 * men["value"]) == 71 and round(100 * women["value"]) == 50  # SSB: 71 and 50


def test_a_table_with_only_the_subtotal_uses_the_subtotal_once():
    """SSB, status year 2023: Sysselsatt og / eller under utdanning, i alt 2 060 of 3 170 = 65.0 %
    (SSB: 65; men 972 / 1 326 = 73 %, women 1 088 / 1 844 = 59 %)."""
    summary = transition_summary(SUBTOTALS_2023)
    assert summary["Tidligere deltakere"].tolist() == [3170, 1326, 1844]
    assert summary["I arbeid eller utdanning"].tolist() == [2060, 972, 1088]
    assert [round(100 * s) for s in summary["Andel"]] == [65, 73, 59]


def test_a_hidden_detailed_status_is_covered_by_its_published_subtotal():
    """Men's "Sysselsatt og under utdanning" (424) hidden: the numerator is the published subtotal
    Sysselsatt og / eller under utdanning, i alt = 1 932, the same as 1 055 + 424 + 453."""
    table = read_jsonstat(PUBLISHED_2017)
    hit = (table["Kjonn"] == "1") & (table["Status"] == "012")
    table.loc[hit, ["value", "status"]] = [float("nan"), ":"]
    men = row(sp07b_intro_work_or_education_ssb(table, 2017, "year"), sex="Menn")
    assert (men["numerator"], men["denominator"]) == (1932, 2706)


def test_a_hidden_detailed_status_without_a_subtotal_makes_the_value_missing():
    """Without the subtotal row, a hidden part cannot be recovered: the share is missing, not
    computed from the remaining parts."""
    table = read_jsonstat(PUBLISHED_2017)
    table = table[table["Status"] != "01"]
    hit = (table["Kjonn"] == "1") & (table["Status"] == "012")
    table.loc[hit, ["value", "status"]] = [float("nan"), ":"]
    men = row(sp07b_intro_work_or_education_ssb(table, 2017, "year"), sex="Menn")
    assert math.isnan(men["value"]) and "skjult" in men["missing_reason"]


def test_percent_contents_are_not_used_even_when_listed_first(tmp_path: Path):
    """The per-cent rows (62, 31 + 13 + 17 = 61) are rounded; the counts are used whatever the order."""
    document = json.loads(PUBLISHED_2017.read_text(encoding="utf-8"))
    document["dimension"]["ContentsCode"]["category"]["index"] = {"PersonerProsent": 0, "Personer": 1}
    values = document["value"]
    document["value"] = [values[i + 1 - 2 * (i % 2)] for i in range(len(values))]  # swap each pair
    path = tmp_path / "percent_first.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    first = transition_summary(path).iloc[0]
    assert (first["I arbeid eller utdanning"], first["Tidligere deltakere"]) == (2980, 4790)


def test_a_total_that_does_not_add_up_is_refused_by_the_command(tmp_path: Path):
    """Arbeidssituasjon i alt 4 790 → 4 800 while its parts still add up to 4 790: exit 1, a
    message naming the file, dimension and category, and no traceback."""
    import subprocess
    import sys

    document = json.loads(PUBLISHED_2017.read_text(encoding="utf-8"))
    document["value"][0] = 4800
    path = tmp_path / "table10809.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(TableLayoutError, match="Arbeidssituasjon i alt"):
        transition_summary(path)
    result = subprocess.run(
        [sys.executable, "-m", "imdi_analysis", "ssb", "transition", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert str(path) in result.stderr and "dimension 'Status'" in result.stderr
    assert "4800 against 4790" in result.stderr and "Traceback" not in result.stderr


def test_the_command_prints_ssbs_share_for_the_published_table():
    from click.testing import CliRunner

    from imdi_analysis.cli import cli

    result = CliRunner().invoke(cli, ["ssb", "transition", str(PUBLISHED_2017)])
    assert result.exit_code == 0, result.output
    line = next(li for li in result.output.splitlines() if li.strip().startswith("2016"))
    assert "2\u00a0980" in line and "4\u00a0790" in line and "62,2\u00a0%" in line


def test_both_sexes_that_is_not_men_plus_women_is_refused(tmp_path: Path):
    """2023 with both sexes' "Annen eller ukjent status, i alt" 940 → 950 and "Arbeidssituasjon i
    alt" 3 170 → 3 180: the statuses still add up (2 060 + 170 + 950 = 3 180), but Begge kjønn
    3 180 is not Menn 1 326 + Kvinner 1 844 = 3 170."""
    document = json.loads(SUBTOTALS_2023.read_text(encoding="utf-8"))
    assert document["value"][0] == 3170 and document["value"][3] == 940
    document["value"][0], document["value"][3] = 3180, 950
    path = tmp_path / "sexes.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(TableLayoutError, match=r"dimension 'Kjonn': 'Begge kjønn' \(0\).*3180 against 3170"):
        transition_summary(path)
