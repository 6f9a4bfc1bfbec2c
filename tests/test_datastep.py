"""The data step: measures computed once per run, Parquet with a manifest, a cache that sees its outputs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imdi_analysis import datastep
from imdi_analysis.datastep import (
    DataStep,
    in_order,
    indicators_path,
    plan_steps,
    read_counts,
    read_indicators,
    run_steps,
    write_indicators,
)
from imdi_analysis.errors import DataNotFoundError, PipelineError


def small_frame() -> pd.DataFrame:
    """A hand-made disclosed indicator frame with the dtypes that must survive Parquet."""
    return pd.DataFrame(
        {
            "indicator_id": pd.array(["a", "a", "b"], dtype="string"),
            "year": pd.array([2021, 2022, 2022], dtype="Int64"),
            "period": pd.array(["year"] * 3, dtype="string"),
            "sex": pd.array(["I alt", pd.NA, "Kvinner"], dtype="string"),
            "value": [0.5, np.nan, 3.25],
            "numerator": [1.0, np.nan, 13.0],
            "status": ["", ":", ""],
        }
    )


def test_plan_steps_one_indicator_step_per_period_and_one_appendix_per_report():
    needs = [
        ("indicators", 2022, "year"),
        ("indicators", 2022, "year"),  # a second goal page: the same step
        ("indicators", 2022, "H1"),
        ("indicators", None, None),  # a cross-year chapter reads the annual figures
        ("appendix", 2022, "year"),
    ]
    steps = plan_steps(needs, [2020, 2021, 2022])
    names = ["appendix-2022-year", "indicators-H1", "indicators-year", "series-H1", "series-year"]
    assert [s.name for s in steps] == names
    assert steps[2].years == steps[4].years == (2020, 2021, 2022)
    # the annual indicators read their series and the annual appendix the run publishes (links),
    # so they come after both; the series wait for nothing and run beside the appendix
    assert steps[2].after == ("series-year", "appendix-2022-year") and steps[1].after == ("series-H1",)
    assert steps[0].after == steps[3].after == steps[4].after == ()
    ordered = [s.name for s in in_order(steps)]
    assert ordered.index("indicators-year") > max(
        ordered.index("series-year"), ordered.index("appendix-2022-year")
    )
    with pytest.raises(PipelineError, match="Unknown data step 'cells'"):
        plan_steps([("cells", 2022, "year")], [2022])
    with pytest.raises(PipelineError, match="needs a year and a period"):
        plan_steps([("appendix", None, None)], [2022])


def test_indicators_round_trip_through_parquet_with_their_dtypes(tmp_path: Path):
    frame = small_frame()
    written = write_indicators(frame, "year", [2021, 2022], 5, tmp_path, tmp_path)
    assert [p.name for p in written] == ["indicators_year.parquet", "indicators_year.json"]
    manifest = json.loads(written[1].read_text(encoding="utf-8"))
    assert manifest["threshold"] == 5 and manifest["years"] == [2021, 2022] and manifest["rows"] == 3
    back = read_indicators("year", tmp_path, threshold=5, years=[2022])
    pd.testing.assert_frame_equal(back, frame)
    assert back.attrs["disclosure_threshold"] == 5


def test_read_indicators_refuses_what_the_run_did_not_make(tmp_path: Path):
    with pytest.raises(DataNotFoundError, match="Run `imdi run`"):
        read_indicators("year", tmp_path)
    write_indicators(small_frame(), "year", [2021, 2022], 5, tmp_path, tmp_path)
    with pytest.raises(PipelineError, match="made with threshold 5, this page uses 3"):
        read_indicators("year", tmp_path, threshold=3)
    with pytest.raises(DataNotFoundError, match=r"not \[2019\]"):
        read_indicators("year", tmp_path, threshold=5, years=[2019, 2022])
    path = indicators_path("year", tmp_path)
    small_frame().assign(value=1.0).to_parquet(path, index=False)  # changed behind the manifest
    with pytest.raises(PipelineError, match="differs from its manifest"):
        read_indicators("year", tmp_path, threshold=5)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace the indicator computation by the hand-made frame and count the calls."""
    calls: list[str] = []

    def fake(period, years, data_dir=None, ids=None):
        calls.append(period)
        return small_frame()

    monkeypatch.setattr(datastep, "compute_series", fake)
    monkeypatch.setattr(datastep, "disclose_series", lambda series, threshold=None, appendix=(): series)
    counts = pd.DataFrame({"figure_id": ["settled"], "year": [2022], "value": [12.0]})
    monkeypatch.setattr("imdi_analysis.reports.key_figures.count_figures", lambda years, data_dir: counts)
    return calls


def test_a_step_reruns_when_an_input_or_an_output_changed_and_only_then(tmp_path: Path, counted: list[str]):
    registers = tmp_path / "registers"
    (registers / "2022").mkdir(parents=True)
    extract = registers / "2022" / "settlement.csv"
    extract.write_text("person_id\n1\n", encoding="utf-8")
    out, build = tmp_path / "processed", tmp_path / "build"
    steps = [DataStep("indicators", "year", (2022,)), DataStep("series", "year", (2022,))]
    both = ["series-year", "indicators-year"]

    outputs, ran = run_steps(steps, registers, 5, out, build)
    assert ran == both and counted == ["year"]
    assert set(outputs["indicators-year"]) == {str(p) for p in steps[0].outputs(out)}
    assert len(outputs["indicators-year"]) == 2  # the indicators and their manifest
    assert len(outputs["series-year"]) == 4  # the series and the key figures' counts, each + manifest
    assert read_counts(out, 5)["value"].tolist() == [12.0]
    manifests = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in (out / "measures").glob("*.json")}
    # the series and the key figures' counts are figures before disclosure control, and say so
    assert {n: m["disclosed"] for n, m in manifests.items()} == {
        "indicators_year.json": True,
        "series_year.json": False,
        "counts_year.json": False,
    }
    assert "never publish" in manifests["series_year.json"]["note"]
    assert run_steps(steps, registers, 5, out, build)[1] == []  # nothing changed: nothing runs

    indicators_path("year", out).unlink()  # the documented regenerable folder is cleaned
    assert run_steps(steps, registers, 5, out, build)[1] == ["indicators-year"]
    assert indicators_path("year", out).is_file() and len(counted) == 1  # the series were current

    extract.write_text("person_id\n1\n2\n", encoding="utf-8")  # a new extract
    assert run_steps(steps, registers, 5, out, build)[1] == both
    assert run_steps(steps, registers, 3, out, build)[1] == both  # another threshold
    assert run_steps(steps, registers, 3, out, build, force=True)[1] == both
    assert len(counted) == 4


def test_a_run_hashes_each_file_once_and_sees_a_rewritten_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import hashlib

    from imdi_analysis import manifest

    path = tmp_path / "extract.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    reads: list[int] = []
    real = hashlib.sha256
    monkeypatch.setattr(manifest.hashlib, "sha256", lambda *a: reads.append(1) or real(*a))
    with manifest.digest_memo():
        first = manifest.sha256_file(path)
        assert manifest.sha256_file(path) == first and len(reads) == 1  # hashed once
        path.write_text("a\n2\n", encoding="utf-8")  # same size, new content and time
        second = manifest.sha256_file(path)
    assert second == real(b"a\n2\n").hexdigest() != first
    manifest.sha256_file(path)
    assert len(reads) == 3  # outside a run every call reads the file
