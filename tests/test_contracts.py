"""docs/data_contracts.md is generated from the source schemas and kept current."""

from __future__ import annotations

from types import SimpleNamespace

import pandera.pandas as pa
from pandera.typing import Series

from imdi_analysis.contracts import CONTRACTS_PATH, check_text, contracts_markdown, field_rows
from imdi_analysis.sources.registry import SOURCES


def test_committed_page_is_what_the_schemas_generate():
    committed = CONTRACTS_PATH.read_text(encoding="utf-8")
    assert committed == contracts_markdown(), (
        "docs/data_contracts.md is out of date: run `python -m imdi_analysis.contracts`"
    )


def test_every_field_of_every_source_has_a_description_and_a_row():
    page = contracts_markdown()
    for spec in SOURCES.values():
        assert f"### `{spec.name}`" in page
        for name, column in spec.schema.to_schema().columns.items():
            assert column.description, f"{spec.name}.{name} has no description"
            assert f"| `{name}` |" in page


def test_a_changed_schema_changes_the_page():
    """A field added to a schema shows up with its type, values and meaning (the page follows the code)."""

    class Extra(pa.DataFrameModel):
        code: Series[str] = pa.Field(isin=["a", "b"], description="A code | with a pipe.")
        hours: Series[float] = pa.Field(ge=0, nullable=True, description="Hours.")

    spec = next(iter(SOURCES.values()))
    rows = field_rows(type(spec)(**{**spec.__dict__, "schema": Extra}))
    assert rows[2] == "| `code` | str | `a`, `b` | A code \\| with a pipe. |"
    assert rows[3] == "| `hours` | float, nullable | ≥ 0 | Hours. |"


def test_long_code_lists_are_cut_with_their_count():
    check = SimpleNamespace(name="isin", statistics={"allowed_values": [f"c{i}" for i in range(30)]})
    text = check_text(check)
    assert text.endswith("… (30 codes)")
    assert "`c24`" in text and "`c25`" not in text
