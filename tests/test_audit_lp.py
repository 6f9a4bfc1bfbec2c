"""The attacker's audit by linear programming, on hand-written published files.

Every file here is written by hand (CSV text, sidecar JSON, HTML, a workbook written cell by
cell), not by the publisher, so the audit is tested against inputs it did not make. Expected
intervals are derived in each test's docstring.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imdi_analysis.audit import audit_directory, certify_tables, run_threshold
from imdi_analysis.audit.lp import AuditRule
from imdi_analysis.tables import AppendixTable

pd = pytest.importorskip("pandas")


def write_table(folder: Path, key: str, dims: list[tuple[str, str]], rows: list[tuple], threshold: int = 5):
    """A tidy CSV and its sidecar, by hand: ``rows`` are ``(*categories, label, value, symbol)``."""
    folder.mkdir(parents=True, exist_ok=True)
    labels = sorted({r[len(dims)] for r in rows})
    codes = {"Antall": ("count", 0), "Andel": ("share", 3), "Prosent": ("percent", 1)}
    header = [h for _, h in dims] + ["Måltall", "Verdi", "Symbol"]
    lines = [",".join(header)] + [",".join(str(v) for v in row) for row in rows]
    (folder / f"{key}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    meta = {
        "format": "imdi-appendix-table",
        "format_version": 1,
        "key": key,
        "title": f"Tabell {key}",
        "year": 2022,
        "period": "year",
        "threshold": threshold,
        "csv": f"{key}.csv",
        "columns": header,
        "dims": [{"name": n, "header": h} for n, h in dims],
        "total_label": "I alt",
        "measures": [{"code": codes[x][0], "label": x, "decimals": codes[x][1]} for x in labels],
    }
    (folder / f"{key}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


COUNTY_REASON = [("county", "Fylke"), ("reason", "Sluttårsak")]


def leavers_11a(folder: Path, a_total: int = 20, b_total: int = 20, reasons=(25, 15)) -> None:
    """11A: counts by county and end reason; A's and B's four reason cells hidden.

    Alone it is safe: with x = A/Arbeid, the lines give A/Annet = 20 - x, B/Arbeid = 25 - x,
    B/Annet = x - 5, so x in [5, 20] and A/Annet in [0, 15] (contains 0: not in 1..4).
    """
    rows = [
        ("I alt", "I alt", "Antall", a_total + b_total, ""),
        ("I alt", "Arbeid", "Antall", reasons[0], ""),
        ("I alt", "Annet", "Antall", reasons[1], ""),
        ("A", "I alt", "Antall", a_total, ""),
        ("A", "Arbeid", "Antall", "", ":"),
        ("A", "Annet", "Antall", "", ":"),
        ("B", "I alt", "Antall", b_total, ""),
        ("B", "Arbeid", "Antall", "", ":"),
        ("B", "Annet", "Antall", "", ":"),
    ]
    write_table(folder, "11A", COUNTY_REASON, rows)


def test_table_11a_alone_passes(tmp_path: Path):
    leavers_11a(tmp_path)
    result = audit_directory(tmp_path)
    assert result.ok, result.report()


def test_hidden_count_recovered_by_11b_share_times_11a_base_fails(tmp_path: Path):
    """A/Annet is hidden in 11A; 11B shows A/Annet's share 0.150 of A's leavers (20, shown in 11A).

    0.150 is 0.1495..0.1505 rounded, so A/Annet in [2.99, 3.01]: the whole number 3, determined.
    """
    leavers_11a(tmp_path)
    shares = []
    for county, values in (
        ("I alt", ("0.625", "0.375")),
        ("A", ("0.850", "0.150")),
        ("B", ("0.400", "0.600")),
    ):
        shares += [
            (county, "I alt", "Andel", "1.000", ""),
            (county, "Arbeid", "Andel", values[0], ""),
            (county, "Annet", "Andel", values[1], ""),
        ]
    write_table(tmp_path, "11B", COUNTY_REASON, shares)
    result = audit_directory(tmp_path)
    messages = [f.message for f in result.findings if f.kind == "derivable"]
    assert any("county=A; reason=Annet) is determined" in m and "[3, 3]" in m for m in messages), (
        result.report()
    )
    assert all(f.kind == "derivable" for f in result.findings)


def test_rounded_percentage_of_a_large_base_leaves_a_wide_interval_and_passes(tmp_path: Path):
    """A/Annet (true 3) of A's 400 leavers is shown as 1 % (no decimals): 0.5 %..1.5 % of 400 gives
    [2, 6], which reaches 5: not inside 1..4, and not one whole number, so it passes.
    The other shares are rounded too: B/Annet 297 of 400 is 74 % -> [294, 298], and so on.
    """
    leavers_11a(tmp_path, a_total=400, b_total=400, reasons=(500, 300))
    percents = [
        ("I alt", "I alt", "100"), ("I alt", "Arbeid", "63"), ("I alt", "Annet", "38"),
        ("A", "I alt", "100"), ("A", "Arbeid", "99"), ("A", "Annet", "1"),
        ("B", "I alt", "100"), ("B", "Arbeid", "26"), ("B", "Annet", "74"),
    ]  # fmt: skip
    write_table(tmp_path, "11B", COUNTY_REASON, [(c, r, "Prosent", v, "") for c, r, v in percents])
    result = audit_directory(tmp_path)
    assert result.ok, result.report()


def bridge_rows() -> list[tuple]:
    """Rows A..D, columns x, y, z, w; hidden: the cycle A,B × x,y, the cycle C,D × z,w and A/z.

    Every row and column holds at least two hidden cells, so no single line gives a cell away.
    But row A + row B − column x − column y leaves A/z alone. What the lines leave for the hidden
    cells: row A 16 − 6 (A/w) = 10; row B 25 − 7 − 8 = 10; column x 26 − 9 − 9 = 8; column
    y 28 − 9 − 9 = 10. So A/z = 10 + 10 − 8 − 10 = 2 (its true value).
    """
    cells = {  # true values
        ("A", "x"): 4, ("A", "y"): 4, ("A", "z"): 2, ("A", "w"): 6,
        ("B", "x"): 4, ("B", "y"): 6, ("B", "z"): 7, ("B", "w"): 8,
        ("C", "x"): 9, ("C", "y"): 9, ("C", "z"): 3, ("C", "w"): 3,
        ("D", "x"): 9, ("D", "y"): 9, ("D", "z"): 3, ("D", "w"): 3,
    }  # fmt: skip
    hidden = {("A", "x"), ("A", "y"), ("B", "x"), ("B", "y"), ("C", "z"), ("C", "w"), ("D", "z"), ("D", "w")}
    hidden.add(("A", "z"))
    rows = []
    for r in ("I alt", "A", "B", "C", "D"):
        for c in ("I alt", "x", "y", "z", "w"):
            rs = [r] if r != "I alt" else ["A", "B", "C", "D"]
            cs = [c] if c != "I alt" else ["x", "y", "z", "w"]
            value = sum(cells[(a, b)] for a in rs for b in cs)
            shown = (r, c) not in hidden
            rows.append((r, c, "Antall", value if shown else "", "" if shown else ":"))
    return rows


def test_cell_determined_only_by_combining_rows_and_columns_fails(tmp_path: Path):
    """A/z = 2 is determined (see :func:`bridge_rows`); the cycles' cells are not: with the
    shown totals each moves by ± the same amount around its cycle."""
    write_table(tmp_path, "9", [("row", "Rad"), ("col", "Kolonne")], bridge_rows())
    result = audit_directory(tmp_path)
    assert [f.kind for f in result.findings] == ["derivable"], result.report()
    assert "row=A; col=z) is determined" in result.findings[0].message
    assert "[2, 2]" in result.findings[0].message


def cycle_rows() -> list[tuple]:
    """Rows A, B, C; columns x, y, z; hidden: A, B × x, y. Everything shown is at least 5.

    Row A: 9 − 5 (A/z) = 4 left for A/x + A/y; row B: 9 − 5 = 4; column x: 10 − 5 (C/x) = 5;
    column y: 8 − 5 = 3. With t = A/x: A/y = 4 − t, B/x = 5 − t, B/y = t − 1; all ≥ 0 gives
    t in [1, 4]. So A/x and B/x lie in [1, 4]: inside 1..4, a failure; A/y and B/y lie in [0, 3]:
    they may be 0, a pass. (True values: 2, 2, 3, 1.)
    """
    true = {("A", "x"): 2, ("A", "y"): 2, ("A", "z"): 5, ("B", "x"): 3, ("B", "y"): 1, ("B", "z"): 5}
    true |= {("C", c): 5 for c in "xyz"}
    rows = []
    for r in ("I alt", "A", "B", "C"):
        for c in ("I alt", "x", "y", "z"):
            rs = [r] if r != "I alt" else ["A", "B", "C"]
            cs = [c] if c != "I alt" else ["x", "y", "z"]
            hidden = r in "AB" and c in "xy" and r != "I alt" and c != "I alt"
            value = sum(true[(a, b)] for a in rs for b in cs)
            rows.append((r, c, "Antall", "" if hidden else value, ":" if hidden else ""))
    return rows


def test_interval_inside_one_to_four_fails_and_interval_from_zero_passes(tmp_path: Path):
    write_table(tmp_path, "7", [("row", "Rad"), ("col", "Kolonne")], cycle_rows())
    result = audit_directory(tmp_path)
    failing = sorted(f.message.split(")")[0] for f in result.findings)
    assert [f.kind for f in result.findings] == ["small_interval", "small_interval"], result.report()
    assert failing == ["hidden cell (row=A; col=x", "hidden cell (row=B; col=x"]
    assert all("[1, 4]" in f.message for f in result.findings)


def test_required_interval_width_is_a_parameter(tmp_path: Path):
    """The cycle's intervals are 3 wide; demanding width 4 fails all four hidden cells."""
    write_table(tmp_path, "7", [("row", "Rad"), ("col", "Kolonne")], cycle_rows())
    result = audit_directory(tmp_path, rule=AuditRule(threshold=2, require_interval_width=4))
    assert sorted(f.kind for f in result.findings if f.kind != "threshold") == ["derivable"] * 4


def test_file_claiming_another_threshold_is_a_finding_and_the_run_threshold_applies(tmp_path: Path):
    """A sidecar claiming threshold 1 with a visible 3: the run's threshold (5) finds the 3 and the claim."""
    rows = [("I alt", "Antall", 10, ""), ("Menn", "Antall", 3, ""), ("Kvinner", "Antall", 7, "")]
    write_table(tmp_path, "3", [("sex", "Kjønn")], rows, threshold=1)
    kinds = sorted(f.kind for f in audit_directory(tmp_path).findings)
    assert kinds == ["small_count", "threshold"]


def test_threshold_comes_from_the_run_manifest_beside_the_book(tmp_path: Path):
    html = tmp_path / "build" / "html"
    html.mkdir(parents=True)
    (tmp_path / "build" / "manifest.json").write_text(json.dumps({"parameters": {"threshold": 3}}))
    assert run_threshold(html) == 3
    (tmp_path / "build" / "manifest.json").write_text(json.dumps({"parameters": {"threshold": None}}))
    assert run_threshold(html) == 5


def test_stale_download_showing_a_cell_the_page_hides_is_found(tmp_path: Path):
    """The page (2022/year/appendix.html) hides Menn; a download of the same report shows it as 2."""
    page = tmp_path / "2022" / "year"
    page.mkdir(parents=True)
    (page / "appendix.html").write_text(
        '<table data-imdi-table="3" data-imdi-threshold="5" data-imdi-layout="measures" data-imdi-row-dims="1">'
        '<thead><tr><th scope="col">Kjønn</th><th scope="col">Antall</th></tr></thead><tbody>'
        '<tr><th>Menn</th><td data-imdi-measure="count">:</td></tr>'
        '<tr><th>Kvinner</th><td data-imdi-measure="count">:</td></tr>'
        '<tr><th>I alt</th><td data-imdi-measure="count">11</td></tr></tbody></table>',
        encoding="utf-8",
    )
    rows = [("Menn", "Antall", 2, ""), ("Kvinner", "Antall", 9, ""), ("I alt", "Antall", 11, "")]
    write_table(tmp_path / "downloads" / "2022" / "year", "3", [("sex", "Kjønn")], rows, threshold=1)
    result = audit_directory(tmp_path)
    kinds = {f.kind for f in result.findings}
    assert {"small_count", "threshold", "derivable"} <= kinds, result.report()
    assert any("shown as 2" in f.message for f in result.findings if f.kind == "derivable")


def indicator_page(rows: list[tuple[str, str, str, str]]) -> str:
    """A goal page's table as pandas writes it: Gruppe, Verdi, Teller, Nevner."""
    body = "".join(
        f"<tr><th>{g}</th><td>{v}</td><td>..</td><td>{t}</td><td>{n}</td><td>..</td><td></td></tr>"
        for g, v, t, n in rows
    )
    return (
        "<p><code>sp01_example</code></p>"
        '<table border="1" class="dataframe"><thead><tr><th></th><th>Verdi</th><th>95 % intervall</th>'
        "<th>Teller</th><th>Nevner</th><th>Endring fra året før</th><th>Merknad</th></tr>"
        "<tr><th>Gruppe</th><th></th><th></th><th></th><th></th><th></th><th></th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def test_goal_page_county_hidden_beside_its_total_and_the_other_counties_fails(tmp_path: Path):
    """The issue's leak: Fylke: Agder hidden; I alt 40 of 51 and Oslo 30 of 40 shown, so Agder is
    10 of 11 and the one person outside the share is exposed (Nevner − Teller = 1)."""
    rows = [
        ("I alt", "78,4\u00a0%", "40", "51"),
        ("Kjønn: Menn", "80,0\u00a0%", "20", "25"),
        ("Kjønn: Kvinner", "76,9\u00a0%", "20", "26"),
        ("Fylke: Oslo", "75,0\u00a0%", "30", "40"),
        ("Fylke: Agder", ":", ":", ":"),
    ]
    (tmp_path / "goal_1.html").write_text(indicator_page(rows), encoding="utf-8")
    result = audit_directory(tmp_path)
    messages = [f.message for f in result.findings]
    assert any("Teller (Fylke: Agder) is determined" in m and "[10, 10]" in m for m in messages), (
        result.report()
    )
    assert any("Nevner − Teller (Fylke: Agder) is determined" in m and "[1, 1]" in m for m in messages)
    assert all("sp01_example" in f.table for f in result.findings)


def test_goal_page_with_two_hidden_counties_passes(tmp_path: Path):
    """Agder and Vestland hidden: Teller 10 split in two (each in [0, 10]), Nevner 11 and the
    complement 1 split in two (each in [0, 1]): every interval holds 0, so nothing is pinned."""
    rows = [
        ("I alt", "78,4\u00a0%", "40", "51"),
        ("Fylke: Oslo", "75,0\u00a0%", "30", "40"),
        ("Fylke: Agder", ":", ":", ":"),
        ("Fylke: Vestland", ":", ":", ":"),
    ]
    (tmp_path / "goal_1.html").write_text(indicator_page(rows), encoding="utf-8")
    result = audit_directory(tmp_path)
    assert result.ok, result.report()


def test_workbook_stores_unrounded_shares_and_the_audit_reads_every_digit(tmp_path: Path):
    """A sheet in the measures layout: Antall hidden for Menn, Andel 0.15 stored unrounded beside
    the total's Antall 20 and Andel 1: Menn = 0.15 × 20 = 3 exactly."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tabell 4"
    grid = [["Kjønn", "Antall", "Andel"], ["Menn", ":", 0.15], ["Kvinner", ":", 0.85], ["I alt", 20, 1.0]]
    for row in grid:
        sheet.append(row)
    from openpyxl.worksheet.table import Table

    sheet.add_table(Table(displayName="Tabell_4", ref="A1:C4"))
    from openpyxl.packaging.custom import StringProperty

    book.custom_doc_props.append(
        StringProperty(
            name="imdi_table:Tabell 4",
            value=json.dumps({"key": "4", "threshold": 5, "layout": "measures", "row_dims": 1}),
        )
    )
    book.save(tmp_path / "vedlegg3_2022_year.xlsx")
    result = audit_directory(tmp_path)
    assert any("sex" not in f.message and "[3, 3]" in f.message for f in result.findings), result.report()


def test_certify_tables_in_memory_finds_the_cycle_interval():
    """The same cycle as above, as an AppendixTable held in memory."""
    records = []
    for r, c, _label, value, symbol in cycle_rows():
        records.append(
            {"row": r, "col": c, "measure": "count", "value": float(value) if value != "" else float("nan"),
             "base": float("nan"), "status": symbol}
        )  # fmt: skip
    table = AppendixTable("7", "", 2022, "year", pd.DataFrame(records), ["row", "col"], threshold=5)
    findings = certify_tables([table], 5)
    assert sorted(f.kind for f in findings) == ["small_interval", "small_interval"]
    assert certify_tables([table], 2) == []


@settings(max_examples=40, deadline=None)
@given(
    inner=st.lists(
        st.lists(st.sampled_from([0, 1, 2, 3, 4, 6, 9, 15]), min_size=3, max_size=3), min_size=2, max_size=4
    )
)
def test_after_suppression_no_hidden_cell_of_a_two_way_table_is_determined(inner):
    """Random two-way count tables with margins, through :func:`apply_disclosure`: the LP audit
    finds no determined cell (the guarantee disclosure control gives; intervals inside 1..4 it
    does not promise, see the report of issue 13)."""
    from imdi_analysis.disclosure import apply_disclosure

    rows, cols = [f"r{i}" for i in range(len(inner))], ["c0", "c1", "c2"]
    records = []
    for r in [*rows, "I alt"]:
        for c in [*cols, "I alt"]:
            rs = [rows.index(r)] if r != "I alt" else range(len(rows))
            cs = [cols.index(c)] if c != "I alt" else range(3)
            value = sum(inner[i][j] for i in rs for j in cs)
            records.append({"a": r, "b": c, "measure": "count", "value": float(value), "base": float("nan")})
    table = apply_disclosure(AppendixTable("X", "", 2022, "year", pd.DataFrame(records), ["a", "b"]), 5)
    findings = certify_tables([table], 5)
    assert [str(f) for f in findings if f.kind != "small_interval"] == []


# ------------------------------------------------------------------ goal pages linked to the appendix


def published_release(goal_t: str, goal_n: str):
    """Table 24 as a reader gets it (waiting more than 36 months, by case type; household "I alt"
    only), and goal 4's table for SP 11 "waiting more than 36 months" with the same persons.

    Table 24: asylum seekers ``:`` (hidden, truly 5), resettlement refugees 0, "I alt" ``:``. The
    goal page shows, for "Kategori: Tidligere asylsøkere fra mottak", numerator ``goal_t`` of
    ``goal_n``. SP 11's numerator for a case type is table 24's cell (imdi_analysis.links).
    """
    from imdi_analysis.audit.lp import PublishedCell, PublishedTable

    label = "Ventet mer enn 36 måneder"
    total = "I alt"

    def count(text: str) -> tuple[str, float]:
        return (":", float("nan")) if text == ":" else (("-" if text == "0" else ""), float(text))

    cells = []
    for category, text in (
        ("Tidligere asylsøkere fra mottak", ":"),
        ("Overføringsflyktninger", "0"),
        (total, ":"),
    ):
        status, value = count(text)
        cells.append(PublishedCell((label, category, total), "count", status, value))
    table = PublishedTable(
        "downloads/2022/year/24.csv", "24", "2022/year", ["waiting_time", "category", "household_type"], cells
    )
    group = "Kategori: Tidligere asylsøkere fra mottak"
    goal = []
    for categories, text in (
        ((group, "T"), goal_t),
        ((group, "N"), goal_n),
        (("Kategori: Overføringsflyktninger", "T"), "0"),
        (("Kategori: Overføringsflyktninger", "N"), "282"),
    ):
        status, value = count(text)
        goal.append(PublishedCell(categories, "count", status, value))
    page = PublishedTable(
        "html/2022/year/goal_4.html",
        "indikatortabell 9 (sp11_waiting_over_36_months)",
        "html/2022/year/goal_4.html",
        ["Gruppe", "Del"],
        goal,
        kind="indicator",
        complements=[group, "Kategori: Overføringsflyktninger"],
    )
    return [table, page]


def test_a_goal_page_figure_gives_away_the_appendix_cell_it_is():
    """The default book before the links: the goal page showed 5 of 1 203 asylum seekers waiting
    more than 36 months while table 24 hid that cell. The cell is then determined (5), and so is
    table 24's "I alt" (5 + 0)."""
    from imdi_analysis.audit.lp import audit_release

    findings = audit_release(published_release("5", "1203"), AuditRule(5))
    determined = sorted(f.message for f in findings if f.kind == "determined")
    assert len(determined) == 2 and all("[5, 5]" in m for m in determined)
    assert all(f.table == "24" for f in findings)


def test_a_hidden_goal_page_row_keeps_the_appendix_cell_hidden():
    """Both hidden: the cell is one unknown in two places, not bounded by anything shown. The
    shares' "Nevner − Teller" cannot fall below 0 (a numerator is part of its base) and has no
    upper bound: no finding, and no "inconsistent" from an unbounded minimum."""
    from imdi_analysis.audit.lp import audit_release

    assert audit_release(published_release(":", ":"), AuditRule(5)) == []


def test_a_hidden_quantity_known_to_be_zero_passes_and_any_other_known_value_fails():
    rule = AuditRule(5)
    assert rule.violation(0.0, 0.0) is None  # no person behind it, as a published "-"
    assert rule.violation(0.0, 0.4) is None  # as reals: the only whole number is 0
    assert rule.violation(7.0, 7.0) == "determined"
    assert rule.violation(1.0, 3.0) == "small_interval"
    assert rule.violation(0.0, 3.0) is None
