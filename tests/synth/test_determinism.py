"""Same seed and scale -> byte-identical files; another seed -> other data."""

from __future__ import annotations

from pathlib import Path

from imdi_analysis.synth import SOURCES, generate
from tests.synth.conftest import SEED, SMALL_SCALE, YEARS
from tests.synth.helpers import checksums, read


def test_same_seed_and_scale_give_identical_files(small_data: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(YEARS, seed=SEED, scale=SMALL_SCALE, out_dir=again, progress=False)
    first, second = checksums(small_data), checksums(again)
    assert len(first) == len(YEARS) * (len(SOURCES) + 1) + 3  # + SYNTHETIC, README.md, ssb/table10809.json
    assert first == second


def test_different_seed_gives_different_data(small_data: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    generate([2022], seed=SEED + 1, scale=SMALL_SCALE, out_dir=other, progress=False)
    for source in ("settlement", "intro_participants", "interpreters", "complaints", "register_searches"):
        assert not read(small_data, 2022, source).equals(read(other, 2022, source)), source


def test_a_year_does_not_depend_on_which_other_years_are_generated(small_data: Path, tmp_path: Path) -> None:
    alone = tmp_path / "alone"
    generate([2021], seed=SEED, scale=SMALL_SCALE, out_dir=alone, progress=False)
    for source in SOURCES:
        path = f"2021/{source}.csv"
        assert checksums(alone)[path] == checksums(small_data)[path], source
