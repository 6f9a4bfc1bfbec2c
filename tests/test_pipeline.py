"""The run: execution, cache, book build, failure handling and locking (on tiny notebooks)."""

from __future__ import annotations

import fcntl
import shutil
from pathlib import Path

import pandas as pd
import pytest

from imdi_analysis.errors import ConfigError, PipelineError
from imdi_analysis.pipeline import LOCK_NAME, run

PIPELINE = Path(__file__).parent / "fixtures" / "pipeline"
NOTEBOOKS = PIPELINE / "notebooks"


@pytest.fixture
def registers(tmp_path: Path) -> Path:
    root = tmp_path / "registers"
    for year in (2021, 2022):
        (root / str(year)).mkdir(parents=True)
        (root / str(year) / "a.csv").write_text("x\n1\n2\n")
    (root / "SYNTHETIC").write_text("synthetic\n")
    return root


def run_book(registers: Path, build: Path, runs: str = "runs.yml", **kwargs):
    return run(
        [2022],
        ["year"],
        data_dir=registers,
        runs_file=PIPELINE / runs,
        build_dir=build,
        notebooks_dir=NOTEBOOKS,
        validate=False,
        **kwargs,
    )


@pytest.mark.slow
def test_run_builds_book_then_reuses_cache_then_reruns_changed_input(
    registers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr("imdi_analysis.pipeline.code_fingerprint", lambda: "fixed")
    build = tmp_path / "build"
    first = run_book(registers, build)
    assert first.executed == ["hello-2022-year"] and first.cached == []
    page = (build / "html" / "2022" / "year" / "hello.html").read_text()
    assert "Rader i 2022: 3" in page
    assert "Sporbarhet" in page and "registers/2022/a.csv" in page  # provenance footer
    assert "Syntetiske data" in page  # synthetic notice
    assert "Om kjøringen" in (build / "html" / "index.html").read_text()
    assert (build / "html" / "manifest.json").is_file()

    second = run_book(registers, build)
    assert second.executed == [] and second.cached == ["hello-2022-year"]
    assert first.book_rebuilt and not second.book_rebuilt

    (registers / "2022" / "a.csv").write_text("x\n1\n2\n3\n")
    third = run_book(registers, build)
    assert third.executed == ["hello-2022-year"]
    assert "Rader i 2022: 4" in (build / "html" / "2022" / "year" / "hello.html").read_text()

    forced = run_book(registers, build, force=True)
    assert forced.executed == ["hello-2022-year"]

    monkeypatch.setattr("imdi_analysis.pipeline.code_fingerprint", lambda: "library changed")
    assert run_book(registers, build).executed == ["hello-2022-year"]


@pytest.mark.slow
def test_failing_notebook_names_notebook_and_cell_and_keeps_previous_book(registers: Path, tmp_path: Path):
    build = tmp_path / "build"
    run_book(registers, build)
    index = build / "html" / "index.html"
    before = index.read_bytes()
    with pytest.raises(PipelineError) as info:
        run_book(registers, build, runs="runs_failing.yml")
    message = str(info.value)
    assert (
        "fails-2022" in message
        and "code cell 3" in message
        and "raise ValueError" in message
        and "planted failure for 2022" in message
    )
    assert "fails.failed.ipynb" in message
    assert index.read_bytes() == before


def test_unknown_parameter_fails_before_any_kernel_with_accepted_list(registers: Path, tmp_path: Path):
    with pytest.raises(ConfigError, match=r"unknown parameter 'colour'.*accepts: year: int = 2000"):
        run_book(registers, tmp_path / "build", runs="runs_bad_param.yml")


def test_ill_typed_parameter_fails_before_any_kernel(registers: Path, tmp_path: Path):
    with pytest.raises(ConfigError, match=r"'year' = 'twenty-twenty' is str, expected int"):
        run_book(registers, tmp_path / "build", runs="runs_bad_type.yml")


def test_second_concurrent_run_refuses_with_a_clear_message(registers: Path, tmp_path: Path):
    build = tmp_path / "build"
    build.mkdir()
    with open(build / LOCK_NAME, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(PipelineError, match="Another run is in progress"):
            run_book(registers, build)


def write_default_years(folder: Path, version: str, years: range) -> None:
    for year in years:
        (folder / str(year)).mkdir(parents=True)
        (folder / str(year) / "synthetic.meta.yml").write_text(f"generator_version: {version}\n")


def test_default_synthetic_data_is_current_only_with_every_year_of_this_generator(tmp_path: Path):
    from imdi_analysis.config import SYNTHETIC_YEARS
    from imdi_analysis.pipeline import synthetic_default_is_current
    from imdi_analysis.synth import GENERATOR_VERSION

    first, last = SYNTHETIC_YEARS
    current, old, partial = tmp_path / "current", tmp_path / "old", tmp_path / "partial"
    write_default_years(current, GENERATOR_VERSION, range(first, last + 1))
    write_default_years(old, "0.9.0", range(first, last + 1))
    write_default_years(partial, GENERATOR_VERSION, range(first, last))
    assert synthetic_default_is_current(current)
    assert not synthetic_default_is_current(old)
    assert not synthetic_default_is_current(partial)
    assert not synthetic_default_is_current(tmp_path / "missing")


@pytest.mark.slow
def test_leaking_page_makes_the_run_refuse_to_publish_and_the_old_book_stays(registers: Path, tmp_path: Path):
    """The fixture page hides Menn but shows Kvinner 9 and I alt 11: Menn = 2, found by the audit."""
    from imdi_analysis.errors import DisclosureError

    build = tmp_path / "build"
    run_book(registers, build)
    index = build / "html" / "index.html"
    before = index.read_bytes()
    with pytest.raises(DisclosureError) as info:
        run_book(registers, build, runs="runs_leak.yml")
    message = str(info.value)
    assert "not published and the previous book is unchanged" in message
    assert "sex" not in message and "(Kjønn=Menn) is determined" in message and "[2, 2]" in message
    assert index.read_bytes() == before
    assert not (build / "html" / "2022" / "year" / "leak.html").exists()


def appendix_step_writing_table_t(step, registers, threshold, output_dir) -> None:
    """The appendix step on the tiny registers: table T (6, 9, 15), disclosed and published."""
    from imdi_analysis.appendix.build import appendix_dir, write_files_manifest
    from imdi_analysis.disclosure import apply_disclosure
    from imdi_analysis.publish import publish_csv
    from imdi_analysis.tables import AppendixTable

    data = pd.DataFrame({"sex": ["Menn", "Kvinner", "I alt"], "measure": "count", "value": [6.0, 9.0, 15.0]})
    table = AppendixTable("T", "Test", step.year, step.period, data.assign(base=float("nan")), ["sex"])
    folder = appendix_dir(step.year, step.period, output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    publish_csv(apply_disclosure(table, threshold), folder / "T.csv")
    write_files_manifest(folder, step.year, step.period, threshold, registers)


@pytest.mark.slow
def test_book_publishes_only_downloads_this_run_built_and_rebuilds_stale_ones(
    registers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The appendix step publishes table T (6, 9, 15) with threshold 5 and a files manifest; the
    notebook reads it back. Then `imdi appendix --threshold 1` is simulated: T.csv rewritten
    showing a 2, its manifest saying threshold 1. The next run sees that the step's outputs are
    not what it recorded and builds them again; the book never shows the 2. A file changed
    after the step (between the step and the book) is refused."""
    import json

    from imdi_analysis.pipeline import appendix_downloads, verify_downloads
    from imdi_analysis.runs import load_runs, plan

    build, processed = tmp_path / "build", tmp_path / "processed"
    monkeypatch.setattr("imdi_analysis.pipeline.code_fingerprint", lambda: "fixed")
    monkeypatch.setattr("imdi_analysis.pipeline.run_step", appendix_step_writing_table_t)
    first = run_book(registers, build, runs="runs_downloads.yml", output_dir=processed)
    downloads = build / "html" / "downloads" / "2022" / "year"
    assert {p.name for p in downloads.glob("*.csv")} == {"T.csv"} and (downloads / "T.json").is_file()
    assert "Tabell T publisert" in (build / "html" / "2022" / "year" / "downloads.html").read_text()
    recorded = first.manifest["downloads"]
    assert set(recorded) == {"downloads/2022/year/T.csv", "downloads/2022/year/T.json"}
    assert all(r["threshold"] == 5 and len(r["sha256"]) == 64 for r in recorded.values())
    assert json.loads((build / "manifest.json").read_text())["parameters"]["threshold"] == 5

    folder = processed / "2022" / "year" / "appendix"
    edits = iter(range(100))  # an unrelated edit (a letter page) before each run: the book is rebuilt
    monkeypatch.setattr("imdi_analysis.pipeline.book_key", lambda keys: f"edited {next(edits)}")
    before = (downloads / "T.csv").read_bytes()
    leaking = "Kjønn,Måltall,Verdi,Symbol\nMenn,Antall,2,\nKvinner,Antall,13,\nI alt,Antall,15,\n"
    (folder / "T.csv").write_text(leaking)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["threshold"] = 1
    (folder / "manifest.json").write_text(json.dumps(manifest))
    run_book(registers, build, runs="runs_downloads.yml", output_dir=processed)
    assert (folder / "T.csv").read_bytes() == before  # the step ran again
    assert (downloads / "T.csv").read_bytes() == before

    (folder / "T.csv").write_text(leaking)  # changed after the step, before the book is built
    runs = plan(load_runs(PIPELINE / "runs_downloads.yml", NOTEBOOKS), [2022], ["year"], [2022], "", None)
    with pytest.raises(PipelineError, match="is not the file the appendix step wrote"):
        verify_downloads(appendix_downloads(runs, processed, 5, registers))
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["threshold"] = 1
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(PipelineError, match="made with threshold 1, this run uses 5"):
        appendix_downloads(runs, processed, 5, registers)


def test_appendix_downloads_lists_only_files_of_the_manifest(tmp_path: Path):
    """A stray CSV beside the appendix step's files (not in its manifest) is never published."""
    import json

    from imdi_analysis.appendix.build import write_files_manifest
    from imdi_analysis.pipeline import appendix_downloads
    from imdi_analysis.runs import load_runs, plan

    folder = tmp_path / "processed" / "2022" / "year" / "appendix"
    folder.mkdir(parents=True)
    (folder / "T.csv").write_text("Kjønn,Måltall,Verdi,Symbol\nI alt,Antall,15,\n")
    write_files_manifest(folder, 2022, "year", 5, tmp_path / "registers")
    (folder / "stray.csv").write_text("Kjønn,Måltall,Verdi,Symbol\nMenn,Antall,2,\n")
    entries = load_runs(PIPELINE / "runs_downloads.yml", NOTEBOOKS)
    runs = plan(
        entries,
        [2022],
        ["year"],
        [2022],
        str(tmp_path / "registers"),
        None,
        str(tmp_path / "processed"),
        [2022],
    )
    pairs = appendix_downloads(runs, tmp_path / "processed", 5, tmp_path / "registers")
    assert [target.as_posix() for _, target in pairs] == ["downloads/2022/year/T.csv"]
    assert json.loads((folder / "manifest.json").read_text())["threshold"] == 5
    with pytest.raises(PipelineError, match="made from"):
        appendix_downloads(runs, tmp_path / "processed", 5, tmp_path / "other")


@pytest.mark.slow
def test_the_data_step_runs_before_its_notebooks_and_a_deleted_output_folder_is_rebuilt(
    registers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The notebook only reads the step's Parquet; the step's cache sees its outputs and inputs."""
    monkeypatch.setattr("imdi_analysis.pipeline.code_fingerprint", lambda: "fixed")
    monkeypatch.setattr("imdi_analysis.datastep.code_fingerprint", lambda: "fixed")
    rows = [3]

    def computed(period, years, data_dir=None, ids=None):
        n = rows[0]
        return pd.DataFrame(
            {"indicator_id": ["a"] * n, "year": [2022] * n, "value": [1.0] * n, "status": [""] * n}
        )

    monkeypatch.setattr("imdi_analysis.datastep.compute_series", computed)
    monkeypatch.setattr(
        "imdi_analysis.datastep.disclose_series", lambda series, threshold=None, appendix=(): series
    )
    counts = pd.DataFrame({"figure_id": ["settled"], "year": [2022], "value": [12.0]})
    monkeypatch.setattr("imdi_analysis.reports.key_figures.count_figures", lambda years, data_dir: counts)
    build, out = tmp_path / "build", tmp_path / "processed"
    page = build / "html" / "2022" / "year" / "measures.html"
    first = run_book(registers, build, "runs_measures.yml", output_dir=out)
    assert first.executed == ["measures-2022-year"] and "Indikatorrader: 3" in page.read_text()

    shutil.rmtree(out)  # documented as regenerable
    second = run_book(registers, build, "runs_measures.yml", output_dir=out)
    assert (out / "measures" / "indicators_year.parquet").is_file()  # rebuilt by a plain run
    assert second.cached == ["measures-2022-year"]  # the same figures: the page stays as it is

    rows[0] = 4
    (registers / "2022" / "a.csv").write_text("x\n1\n2\n3\n")  # new extract -> new figures
    third = run_book(registers, build, "runs_measures.yml", output_dir=out)
    assert third.executed == ["measures-2022-year"] and "Indikatorrader: 4" in page.read_text()


def test_a_run_validates_the_years_it_reads_and_not_later_ones(registers: Path, tmp_path: Path, monkeypatch):
    """A 2022 run reads 2021 and 2022 (the time series starts at the first year with data);
    a 2023 folder is not its concern (``imdi validate`` checks every year)."""
    from imdi_analysis import pipeline
    from imdi_analysis.sources import processing

    (registers / "2023").mkdir()
    (registers / "2023" / "a.csv").write_text("not, a, valid, extract\n")
    checked: list[list[int]] = []
    monkeypatch.setattr(processing, "check_years", lambda years, folder, jobs: checked.append(list(years)))
    pipeline.validate_registers(registers, tmp_path / "build", until=2022)
    pipeline.validate_registers(registers, tmp_path / "build2")
    assert checked == [[2021, 2022], [2021, 2022, 2023]]
