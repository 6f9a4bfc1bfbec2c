"""The indicator registry and the functions that compute indicators for a year or a time series.

:data:`INDICATORS` maps each indicator id to an :class:`Indicator`: its steering parameter
(SP) and goal, its Norwegian title and definition for the book, its unit, the sources it reads
and the pure function that computes it. The functions take validated frames and return an
:class:`~imdi_analysis.indicators._common.IndicatorFrame`; this module loads the frames.

The SP numbers here (and in the ids) are those of the 2022 letter, a default only: which
indicator measures which SP is the year's letter's to say (``steering_parameters.csv``), and
:func:`compute_indicators` and :func:`time_series` relabel the ``sp`` column from the letter of
each row's year (:func:`letter_sp_numbers`); the goal pages read the letter too.

Ids follow the SP the indicator measures in the 2022 letter's section 3. The letter's SP 14 is the
*use* of qualified interpreters and SP 15 the *number* of interpreters in the register, so the
register counts are ``sp15_*`` and the register searches (an indirect measure of use) ``sp14_*``.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from imdi_analysis import config
from imdi_analysis.errors import ConfigError, DataNotFoundError
from imdi_analysis.indicators import advisers, interpreters, intro, jobbsjansen, settlement, ssb, training
from imdi_analysis.indicators._common import (
    UNIT_COUNT,
    UNIT_MONTHS,
    UNIT_RATIO,
    UNIT_SHARE,
    IndicatorFrame,
    add_change,
    conform,
    empty_indicator,
    order_rows,
)
from imdi_analysis.measures.durations import MONTH_RULE_NB
from imdi_analysis.memory_cache import FrameCache
from imdi_analysis.sources.registry import load_source

INTERVAL_WILSON = "95 % Wilson-intervall for andeler."
INTERVAL_T = "95 % t-intervall for gjennomsnitt (nedre grense ikke under 0)."
INTERVAL_MEDIAN = "95 % fordelingsfritt intervall for medianen (ordningsobservatorer)."
INTERVAL_COUNT = "Ikke aktuelt: antall i en fulltelling."
INTERVAL_RATIO = "Ikke beregnet: forholdet mellom to fulltellinger."
INTERVAL_SSB = "Ikke beregnet: SSBs tall er en fulltelling av alle tidligere deltakere."


@dataclass(frozen=True)
class Indicator:
    """One indicator of a steering parameter.

    Attributes
    ----------
    id : registry key and ``indicator_id`` in the output
    sp, goal : steering parameter and goal numbers in the 2022 letter (defaults: the year's letter wins)
    title_nb, definition_nb : Norwegian title and definition shown in the book
    unit : ``share``, ``count``, ``months`` or ``ratio``
    sources : names of the inputs, in the order the function takes them
    function : ``function(*frames, year=..., period=...) -> IndicatorFrame``
    interval_nb : how uncertainty is shown, in Norwegian
    lookback : the function also needs the previous year's extract (concatenated before it)
    dimensions : breakdown columns the indicator has (for charts)
    """

    id: str
    sp: int
    goal: int
    title_nb: str
    definition_nb: str
    unit: str
    sources: tuple[str, ...]
    function: Callable[..., pd.DataFrame] = field(repr=False)
    interval_nb: str
    lookback: bool = False
    dimensions: tuple[str, ...] = ()

    @property
    def has_interval(self) -> bool:
        """Whether the indicator's rows carry a 95 % interval (shares, means, medians)."""
        return self.interval_nb not in (INTERVAL_COUNT, INTERVAL_RATIO, INTERVAL_SSB)


WINDOW_NB = (
    "kom inn i personkretsen i tolvmånedersperioden 1. oktober året før – 30. september "
    "(halvårsrapport: 1. april året før – 31. mars, slik at alle har hatt tre hele måneder før 30. juni)"
)
SETTLED_NB = "personer bosatt i perioden (1. januar til rapporteringsdatoen)"
MONTHS_NB = MONTH_RULE_NB  # calendar months (imdi_analysis.measures.durations)
SETTLED_DIMS = ("sex", "county", "category", "household_type")
WAITING_DIMS = ("sex", "category", "household_type")


def settlement_indicators() -> list[Indicator]:
    """The SP 11 indicators (several thresholds share one function)."""
    common = {"sp": 11, "goal": 4, "sources": ("settlement",)}
    items = [
        Indicator(
            id="sp11_settlement_mean_months",
            title_nb="Gjennomsnittlig ventetid fra vedtak til bosetting",
            definition_nb=f"Gjennomsnittlig antall måneder fra oppholdsvedtak til bosetting for {SETTLED_NB}. {MONTHS_NB}",
            unit=UNIT_MONTHS,
            function=settlement.sp11_settlement_mean_months,
            interval_nb=INTERVAL_T,
            dimensions=SETTLED_DIMS,
            **common,
        ),
        Indicator(
            id="sp11_settlement_median_months",
            title_nb="Median ventetid fra vedtak til bosetting",
            definition_nb=f"Median antall måneder fra oppholdsvedtak til bosetting for {SETTLED_NB}: halvparten ventet kortere. {MONTHS_NB}",
            unit=UNIT_MONTHS,
            function=settlement.sp11_settlement_median_months,
            interval_nb=INTERVAL_MEDIAN,
            dimensions=SETTLED_DIMS,
            **common,
        ),
    ]
    for months in settlement.SETTLED_WITHIN_MONTHS:
        items.append(
            Indicator(
                id=f"sp11_settled_within_{months}_months",
                title_nb=f"Bosatt innen {months} måneder etter vedtak",
                definition_nb=f"Andel av {SETTLED_NB} som ble bosatt innen {months} måneder etter oppholdsvedtaket. {MONTHS_NB}",
                unit=UNIT_SHARE,
                function=functools.partial(settlement.sp11_settled_within_months, months=months),
                interval_nb=INTERVAL_WILSON,
                dimensions=SETTLED_DIMS,
                **common,
            )
        )
    items.append(
        Indicator(
            id="sp11_settled_over_12_months",
            title_nb="Bosatt mer enn 12 måneder etter vedtak",
            definition_nb=f"Andel av {SETTLED_NB} som ventet mer enn 12 måneder fra oppholdsvedtak til bosetting. {MONTHS_NB}",
            unit=UNIT_SHARE,
            function=settlement.sp11_settled_over_12_months,
            interval_nb=INTERVAL_WILSON,
            dimensions=SETTLED_DIMS,
            **common,
        )
    )
    for months in settlement.WAITED_OVER_MONTHS:
        items.append(
            Indicator(
                id=f"sp11_waiting_over_{months}_months",
                title_nb=f"Venter på bosetting mer enn {months} måneder etter vedtak",
                definition_nb=(
                    "Bosettingsklare personer som ikke var bosatt på rapporteringsdatoen, og som hadde ventet mer enn "
                    f"{months} måneder siden oppholdsvedtaket. Telleren er antallet; verdien er andelen av alle som venter. "
                    f"{MONTHS_NB}"
                ),
                unit=UNIT_SHARE,
                function=functools.partial(settlement.sp11_waiting_over_months, months=months),
                interval_nb=INTERVAL_WILSON,
                dimensions=WAITING_DIMS,
                **common,
            )
        )
    items.append(
        Indicator(
            id="sp11_place_utilisation",
            sp=11,
            goal=4,
            title_nb="Plassutnyttelse: bosatte per vedtaksplass",
            definition_nb=(
                "Personer bosatt i perioden (unntatt familiegjenforente, som kommer i tillegg til vedtakene) delt på "
                "antall plasser kommunene har vedtatt å bosette for året. Kan bli over 100 prosent. I halvårsrapporten "
                "er nevneren hele årets vedtaksplasser, så verdien viser hvor mye som er brukt så langt."
            ),
            unit=UNIT_RATIO,
            sources=("settlement", "municipal_decisions"),
            function=settlement.sp11_place_utilisation,
            interval_nb=INTERVAL_RATIO,
            dimensions=("county",),
        )
    )
    return items


def all_indicators() -> list[Indicator]:
    """Every indicator, in the order of the letter's steering parameters."""
    return [
        Indicator(
            id="sp01_jobbsjansen_work_or_education",
            sp=1,
            goal=1,
            title_nb="Jobbsjansen: overgang til arbeid eller utdanning",
            definition_nb=(
                "Andel av deltakerne i Jobbsjansen som avsluttet i perioden (1. januar til rapporteringsdatoen), "
                "som gikk over til arbeid, utdanning eller begge deler. Hver deltakelse (person og prosjektår) telles."
            ),
            unit=UNIT_SHARE,
            sources=("jobbsjansen",),
            function=jobbsjansen.sp01_jobbsjansen_work_or_education,
            interval_nb=INTERVAL_WILSON,
            dimensions=("sex", "county"),
        ),
        Indicator(
            id="sp04_intro_within_3_months",
            sp=4,
            goal=2,
            title_nb="Start i introduksjonsprogram innen tre måneder",
            definition_nb=(
                f"Andel av personer med rett til introduksjonsprogram (rett og plikt, eller rett) som {WINDOW_NB}, "
                "og som startet i programmet innen tre måneder etter at de kom inn i personkretsen. Hver person "
                "telles én gang, etter første programstart."
            ),
            unit=UNIT_SHARE,
            sources=("intro_participants",),
            function=intro.sp04_intro_within_3_months,
            interval_nb=INTERVAL_WILSON,
            lookback=True,
            dimensions=("sex", "county", "category"),
        ),
        Indicator(
            id="sp04_training_within_3_months",
            sp=4,
            goal=2,
            title_nb="Start i opplæring i norsk og samfunnskunnskap innen tre måneder",
            definition_nb=(
                "Andel av personer med rett og plikt, eller plikt, til opplæring i norsk og samfunnskunnskap som "
                f"{WINDOW_NB}, og som startet i opplæring i norsk eller samfunnskunnskap innen tre måneder etter at de "
                "kom inn i personkretsen (som vedleggstabell 6A og 6B). Hver person telles én gang."
            ),
            unit=UNIT_SHARE,
            sources=("norwegian_training",),
            function=training.sp04_training_within_3_months,
            interval_nb=INTERVAL_WILSON,
            lookback=True,
            dimensions=("sex", "county", "category"),
        ),
        Indicator(
            id="sp07a_intro_direct_work_or_education",
            sp=7,
            goal=2,
            title_nb="Direkte overgang til arbeid eller utdanning ved avslutning (IMDi)",
            definition_nb=(
                "Andel av programløp i introduksjonsprogrammet avsluttet i perioden der status ved avslutning var "
                "arbeid, utdanning eller begge deler (registrert i NIR). En person som avsluttet to ganger, telles "
                "én gang per løp (vedleggstabell 11A teller personer). Måles ved avslutning og kan ikke sammenlignes "
                "med SSBs mål året etter (7b)."
            ),
            unit=UNIT_SHARE,
            sources=("intro_participants",),
            function=intro.sp07a_intro_direct_work_or_education,
            interval_nb=INTERVAL_WILSON,
            dimensions=("sex", "county"),
        ),
        Indicator(
            id="sp07b_intro_work_or_education_ssb",
            sp=7,
            goal=2,
            title_nb="I arbeid eller utdanning året etter avslutning (SSB)",
            definition_nb=(
                "Andel av tidligere deltakere i introduksjonsprogrammet som var sysselsatt, sysselsatt og i "
                "utdanning, eller bare i utdanning i november året etter at de avsluttet (SSB-tabell 10809). "
                "Årstallet er statusåret; avgangskullet er året før. Kan ikke sammenlignes med IMDis direkte mål (7a)."
            ),
            unit=UNIT_SHARE,
            sources=(ssb.SOURCE_NAME,),
            function=ssb.sp07b_intro_work_or_education_ssb,
            interval_nb=INTERVAL_SSB,
            dimensions=("sex",),
        ),
        Indicator(
            id="sp08_intro_formal_qualification",
            sp=8,
            goal=2,
            title_nb="Formell kvalifikasjon i introduksjonsprogrammet",
            definition_nb=(
                "Andel av programløp avsluttet i perioden der deltakeren fikk en formell kvalifikasjon (for eksempel "
                "vitnemål fra grunnskole eller videregående opplæring, fag- eller svennebrev) innenfor programmet."
            ),
            unit=UNIT_SHARE,
            sources=("intro_participants",),
            function=intro.sp08_intro_formal_qualification,
            interval_nb=INTERVAL_WILSON,
            dimensions=("sex", "county"),
        ),
        Indicator(
            id="sp10_minority_adviser_cases",
            sp=10,
            goal=3,
            title_nb="Saker rapportert av minoritets- og integreringsrådgivere",
            definition_nb=(
                "Antall saker (negativ sosial kontroll, tvangsekteskap, æresrelatert vold og lignende) rapportert av "
                "IMDis minoritetsrådgivere og integreringsrådgivere i perioden. Viser bruken av IMDis tjenester."
            ),
            unit=UNIT_COUNT,
            sources=("minority_adviser_cases",),
            function=advisers.sp10_minority_adviser_cases,
            interval_nb=INTERVAL_COUNT,
            dimensions=("sex", "category"),
        ),
        *settlement_indicators(),
        Indicator(
            id="sp14_register_searches",
            sp=14,
            goal=5,
            title_nb="Søk i Nasjonalt tolkeregister",
            definition_nb=(
                "Antall søk i Nasjonalt tolkeregister i perioden. Et indirekte mål på bruk av kvalifiserte tolker i "
                "offentlig sektor: søk viser etterspørsel etter tolker, ikke faktisk bruk."
            ),
            unit=UNIT_COUNT,
            sources=("register_searches",),
            function=interpreters.sp14_register_searches,
            interval_nb=INTERVAL_COUNT,
        ),
        Indicator(
            id="sp15_interpreters_register",
            sp=15,
            goal=5,
            title_nb="Tolker i Nasjonalt tolkeregister",
            definition_nb=(
                "Antall tolker i Nasjonalt tolkeregister på rapporteringsdatoen (registrert og ikke avregistrert). "
                "Hver tolk telles én gang, i den høyeste kvalifikasjonskategorien tolken har i noe språk (A er høyest)."
            ),
            unit=UNIT_COUNT,
            sources=("interpreters",),
            function=interpreters.sp15_interpreters_register,
            interval_nb=INTERVAL_COUNT,
            dimensions=("sex", "qualification_category"),
        ),
        Indicator(
            id="sp15_interpreter_language_pairs",
            sp=15,
            goal=5,
            title_nb="Tolker per språk i tolkeregisteret",
            definition_nb=(
                "Antall kombinasjoner av tolk og språk i Nasjonalt tolkeregister på rapporteringsdatoen: en tolk "
                "med to språk telles to ganger. Fordelt på de 30 største språkene (resten som «Andre språk»)."
            ),
            unit=UNIT_COUNT,
            sources=("interpreters",),
            function=interpreters.sp15_interpreter_language_pairs,
            interval_nb=INTERVAL_COUNT,
            dimensions=("sex", "qualification_category", "language"),
        ),
        Indicator(
            id="sp15_interpreters_state_authorised",
            sp=15,
            goal=5,
            title_nb="Statsautoriserte tolker i tolkeregisteret",
            definition_nb=(
                "Antall tolker i Nasjonalt tolkeregister på rapporteringsdatoen som har statsautorisasjon i minst "
                "ett registrert språk."
            ),
            unit=UNIT_COUNT,
            sources=("interpreters",),
            function=interpreters.sp15_interpreters_state_authorised,
            interval_nb=INTERVAL_COUNT,
            dimensions=("sex",),
        ),
    ]


INDICATORS: dict[str, Indicator] = {indicator.id: indicator for indicator in all_indicators()}
ORDER = {indicator_id: rank for rank, indicator_id in enumerate(INDICATORS)}


def get_indicator(indicator_id: str) -> Indicator:
    """The registry entry of ``indicator_id``; raise :class:`ConfigError` listing the known ids."""
    try:
        return INDICATORS[indicator_id]
    except KeyError:
        raise ConfigError(f"Unknown indicator {indicator_id!r}. Known: {', '.join(INDICATORS)}.") from None


def indicators_for_goal(goal: int) -> list[Indicator]:
    """Indicators of the steering parameters under ``goal``, in SP order."""
    return [indicator for indicator in INDICATORS.values() if indicator.goal == goal]


# --- loading inputs -----------------------------------------------------------------------


SOURCE_FRAMES = FrameCache()  # validated extracts of this process, by file and modification time


def load_input(name: str, year: int, data_dir: Path | None = None) -> pd.DataFrame:
    """A validated source frame for ``year`` (cached per file and modification time).

    ``ssb_10809`` is Statistics Norway's table 10809 (all years in one file). Extracts are kept
    in :data:`SOURCE_FRAMES`, a :class:`~imdi_analysis.memory_cache.FrameCache` (the
    least recently used dropped beyond its memory budget), so indicators sharing a source read
    it once.
    """
    directory, _synthetic = config.register_dir(data_dir)
    if name == ssb.SOURCE_NAME:
        return ssb.load_table(data_dir)
    key = (name, year, str(directory), source_stamp(directory, year, name))
    if key not in SOURCE_FRAMES:
        SOURCE_FRAMES[key] = load_source(name, year, directory)
    return SOURCE_FRAMES[key].copy(deep=False)


def source_stamp(directory: Path, year: int, name: str) -> tuple:
    """Modification times of the possible files of a source, so the cache sees changed files."""
    stamps = []
    for suffix in (".csv", ".parquet"):
        path = directory / str(year) / f"{name}{suffix}"
        stamps.append(path.stat().st_mtime_ns if path.is_file() else None)
    return tuple(stamps)


def clear_cache() -> None:
    """Forget cached source frames (e.g. between benchmark runs)."""
    SOURCE_FRAMES.clear()


def load_inputs(indicator: Indicator, year: int, data_dir: Path | None = None) -> list[pd.DataFrame]:
    """The frames ``indicator.function`` takes, with the previous year prepended when it needs it."""
    directory, _synthetic = config.register_dir(data_dir)
    frames = []
    for name in indicator.sources:
        frame = load_input(name, year, data_dir)
        if indicator.lookback and (year - 1) in config.years_in(directory):
            with contextlib.suppress(DataNotFoundError):
                frame = pd.concat([load_input(name, year - 1, data_dir), frame], ignore_index=True)
        frames.append(frame)
    return frames


# --- computing ------------------------------------------------------------------------------


def compute_one(indicator: Indicator, year: int, period: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Rows of one indicator for one year and period (``change`` not yet filled)."""
    frames = load_inputs(indicator, year, data_dir)
    return indicator.function(*frames, year=year, period=period)


def compute_year(
    year: int, period: str, data_dir: Path | None = None, ids: Iterable[str] | None = None
) -> pd.DataFrame:
    """The indicators ``ids`` (default: all) for one year and period, without ``change``."""
    selected = [get_indicator(i) for i in ids] if ids is not None else list(INDICATORS.values())
    pieces = [compute_one(indicator, year, period, data_dir) for indicator in selected]
    return pd.concat(pieces, ignore_index=True) if pieces else empty_indicator()


def compute_indicators(
    year: int, period: str = "year", data_dir: Path | None = None, ids: Iterable[str] | None = None
) -> pd.DataFrame:
    """All indicators (or ``ids``) for ``year`` and ``period``, with change from the year before.

    Loads the register extracts of ``year`` (and ``year − 1`` for the change and for indicators
    whose cohort starts the year before), computes each indicator, fills ``change`` where the
    previous year's data exist, and validates the result against :class:`IndicatorFrame`.

    Raises
    ------
    ConfigError
        Unknown period or indicator id.
    DataNotFoundError
        No data for ``year``, or a source file of ``year`` is missing.
    DataValidationError
        A source file fails its schema.
    """
    config.check_period(period)
    ids = list(ids) if ids is not None else None
    directory, _synthetic = config.register_dir(data_dir)
    config.check_year_has_data(year, directory)
    current = compute_year(year, period, data_dir, ids)
    previous = previous_year(year, period, data_dir, ids)
    return IndicatorFrame.validate(letter_sp_numbers(conform(add_change(current, previous))))


def previous_year(year: int, period: str, data_dir: Path | None, ids: list[str] | None) -> pd.DataFrame:
    """Indicators of ``year − 1`` for the change column; empty when that year has no data."""
    directory, _synthetic = config.register_dir(data_dir)
    if (year - 1) not in config.years_in(directory):
        return empty_indicator()
    pieces = []
    for indicator in [get_indicator(i) for i in ids] if ids is not None else INDICATORS.values():
        try:
            pieces.append(compute_one(indicator, year - 1, period, data_dir))
        except DataNotFoundError:
            continue
    return pd.concat(pieces, ignore_index=True) if pieces else empty_indicator()


def time_series(
    indicator_ids: str | Sequence[str],
    years: Iterable[int] | str,
    period: str = "year",
    data_dir: Path | None = None,
) -> pd.DataFrame:
    """One or several indicators over ``years`` (years without data are skipped), with change.

    Parameters
    ----------
    indicator_ids : an id or a list of ids from :data:`INDICATORS`
    years : e.g. ``[2019, 2020]`` or ``"2019-2023"``
    period : ``H1`` or ``year``
    data_dir : folder of register extracts (default: real if present, else synthetic)
    """
    config.check_period(period)
    ids = [indicator_ids] if isinstance(indicator_ids, str) else list(indicator_ids)
    wanted = config.parse_years(years) if isinstance(years, str) else sorted(set(years))
    directory, _synthetic = config.register_dir(data_dir)
    available = [y for y in wanted if y in config.years_in(directory)]
    pieces = []
    for indicator in [get_indicator(i) for i in ids]:
        if indicator.sources == (ssb.SOURCE_NAME,):
            pieces.append(ssb.series_for_years(load_input(ssb.SOURCE_NAME, 0, data_dir), wanted, period))
            continue
        for year in available:
            try:
                pieces.append(compute_one(indicator, year, period, data_dir))
            except DataNotFoundError:
                continue
    frame = pd.concat(pieces, ignore_index=True) if pieces else empty_indicator()
    frame = order_rows(conform(add_change(frame, frame)), ORDER).reset_index(drop=True)
    return IndicatorFrame.validate(letter_sp_numbers(frame))


def letter_sp_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """``sp`` as the letter of each row's year links the indicator (after ``change`` is matched).

    The letter is the year's own, else the latest earlier one
    (:func:`~imdi_analysis.letter.goals.letter_year_for`); an indicator the letter does not link
    keeps the registry's number, and so does every row when no letter exists at all.
    """
    from imdi_analysis.letter.goals import letter_year_for, sp_indicators

    out = frame.copy()
    for year in out["year"].dropna().unique():
        try:
            links = sp_indicators(letter_year_for(int(year)))
        except DataNotFoundError:
            continue
        numbers = links.drop_duplicates("indicator_id").set_index("indicator_id")["sp"]
        rows = out["year"] == year
        mapped = out.loc[rows, "indicator_id"].map(numbers)
        out.loc[rows, "sp"] = mapped.fillna(out.loc[rows, "sp"]).astype(out["sp"].dtype)
    return out
