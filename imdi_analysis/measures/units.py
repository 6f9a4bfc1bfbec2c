"""Counting units: what one counted item is in each published measure, with the note that says so.

Every table note and indicator definition that counts something names its unit with
:func:`unit_note`. Two measures of the same concept may count different units by design (SP 7a
counts programme spells, table 11A persons); the notes then say so, and the consistency tests
check the relation (equal when every person has one spell; spells ≥ persons otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass

from imdi_analysis.errors import ConfigError


@dataclass(frozen=True)
class CountingUnit:
    """A counting unit: code, Norwegian plural and the sentence a table note uses."""

    code: str
    plural_nb: str
    note_nb: str


PERSON = CountingUnit(
    "person", "personer", "Telleenhet: personer. En person med flere registreringer telles én gang."
)
SPELL = CountingUnit(
    "spell",
    "programløp",
    "Telleenhet: programløp. En person som har avsluttet to løp i perioden, telles to ganger.",
)
INTERPRETER = CountingUnit(
    "interpreter",
    "tolker",
    "Telleenhet: tolker. En tolk med flere språk telles én gang, i sin høyeste kategori.",
)
INTERPRETER_LANGUAGE = CountingUnit(
    "interpreter_language", "tolk–språk-par", "Telleenhet: tolk–språk-par (en tolk telles én gang per språk)."
)
PLACE = CountingUnit("place", "vedtaksplasser", "Telleenhet: vedtaksplasser i kommunene.")
UNITS = {unit.code: unit for unit in (PERSON, SPELL, INTERPRETER, INTERPRETER_LANGUAGE, PLACE)}

# The unit of every measure published in two places (indicator id or appendix table key).
MEASURE_UNITS: dict[str, CountingUnit] = {
    "sp04_intro_within_3_months": PERSON,
    "9": PERSON,
    "sp04_training_within_3_months": PERSON,
    "6A": PERSON,
    "6B": PERSON,
    "sp07a_intro_direct_work_or_education": SPELL,
    "sp08_intro_formal_qualification": SPELL,
    "11A": PERSON,
    "11B": PERSON,
    "sp11_settlement_mean_months": PERSON,
    "sp11_settlement_median_months": PERSON,
    "sp11_settled_within_3_months": PERSON,
    "sp11_settled_within_6_months": PERSON,
    "sp11_settled_within_12_months": PERSON,
    "sp11_settled_over_12_months": PERSON,
    "sp11_waiting_over_12_months": PERSON,
    "sp11_waiting_over_24_months": PERSON,
    "sp11_waiting_over_36_months": PERSON,
    **dict.fromkeys(("16", "17", "18", "19", "20", "21", "23", "24", "25", "26"), PERSON),  # settlement
    "sp15_interpreters_register": INTERPRETER,
    "28A": INTERPRETER,
}


def unit_of(measure: str) -> CountingUnit:
    """The counting unit of an indicator id or appendix table key.

    Raises
    ------
    ConfigError
        When the measure has no unit declared in :data:`MEASURE_UNITS`.
    """
    try:
        return MEASURE_UNITS[measure]
    except KeyError:
        raise ConfigError(
            f"Measure {measure!r} has no counting unit; declare it in imdi_analysis/measures/units.py."
        ) from None


def unit_note(measure: str) -> str:
    """The Norwegian note naming the counting unit of ``measure``."""
    return unit_of(measure).note_nb


def unit_notes(measure: str) -> list[str]:
    """``[unit_note(measure)]`` when ``measure`` declares a unit, else ``[]`` (for table notes)."""
    return [MEASURE_UNITS[measure].note_nb] if measure in MEASURE_UNITS else []


__all__ = [
    "INTERPRETER",
    "INTERPRETER_LANGUAGE",
    "MEASURE_UNITS",
    "PERSON",
    "PLACE",
    "SPELL",
    "UNITS",
    "CountingUnit",
    "unit_note",
    "unit_notes",
    "unit_of",
]
