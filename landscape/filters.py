"""The filter model, defined once: which filters exist, the facet each table exposes for them,
their options, how they apply, how they read in words, and how they travel in a URL."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum

import pandas as pd

from landscape import places, schema, sponsors, vocab
from landscape.values import is_missing, split_ids

# Orders come from the schema's enums. "2L+" is not a filter option: it counts as both 2L and 3L+.
PHASE_ORDER = schema.enum("trials", "phase")
STATUS_ORDER = schema.enum("trials", "status")
AGENCY_ORDER = schema.enum("approvals", "agency")
TEXT_KEY = "q"
FACET_TABLES = ("trials", "approvals", "agents", "sites", "outcomes")  # the frames the filters apply to


@dataclass(frozen=True)
class Lookups:
    """What a facet may look up beyond its own cell; the model builds it once from the tables. Any column of
    the agents table is here, so a facet that reads an agent's column needs no new field."""

    agents: Mapping[str, Mapping[str, object]] = field(default_factory=dict)  # agent_id -> its row of agents.csv
    approved_by: Mapping[str, Iterable[str]] = field(default_factory=dict)  # agent_id -> agencies (gastric/GEJ)

    def agent(self, agent_id: str, column: str) -> object:
        """Return one cell of an agent's row (None for an agent or column not in the table)."""
        return self.agents.get(agent_id, {}).get(column)


@dataclass(frozen=True)
class Derive:
    """A table's facet computed from one of its own columns: `values` gives the facet values of one cell."""

    column: str
    values: Callable[[object, Lookups], Iterable[object]]


class Inherit(Enum):
    """A table's facet taken from the trials instead of its own columns."""

    TRIAL = "the values of the row's trial"  # outcomes and sites
    AGENT_TRIALS = "every value of the agent's trials"  # agents


@dataclass(frozen=True)
class FilterSpec:
    key: str  # URL parameter and widget key
    label: str  # sidebar label
    phrase: str  # how a selection reads in a sentence: "line 2L"
    order: tuple[str, ...] = ()  # preferred order of options; others follow alphabetically
    help: str = ""
    # How each table that has this facet derives its column (`facet`); a table not named has no such facet.
    derive: Mapping[str, Derive | Inherit] = field(default_factory=dict)

    @property
    def facet(self) -> str:
        """The model column (in each table named in `derive`) that holds each row's set of values."""
        return f"f_{self.key}"


def _itself(cell: object, _: Lookups) -> tuple[object, ...]:
    return (cell,)


def _lines(cell: object, _: Lookups) -> tuple[str, ...]:
    return vocab.expand_line(cell)


def _modalities(agent_ids: object, lookups: Lookups) -> set[object]:
    # Chemotherapy is every trial's backbone: as a mechanism it would select nearly everything.
    return {lookups.agent(a, "modality") for a in split_ids(agent_ids)} - {"chemotherapy"}


def _programme_of(agent_id: object, lookups: Lookups) -> tuple[str, ...]:
    """An agent's programme status; none for a comparator or context agent (it has no programme here)."""
    if lookups.agent(str(agent_id), "scope") in (None, vocab.NO_PROGRAMME_SCOPE):
        return ()
    status = lookups.agent(str(agent_id), "programme_status")
    return (vocab.PROGRAMME_NOT_RECORDED if is_missing(status) or status == "" else str(status),)


def _programmes_tested(agent_ids: object, lookups: Lookups) -> set[str]:
    # A trial or an approval is about its HER2-directed agents: a partner or backbone approved long ago would
    # otherwise make every trial of a failed programme read "approved" too.
    return {
        status
        for a in split_ids(agent_ids)
        if lookups.agent(a, "scope") == vocab.HER2_SCOPE
        for status in _programme_of(a, lookups)
    }


def _developers(agent_ids: object, lookups: Lookups) -> tuple[str, ...]:
    # The companies of an approval's agents; a backbone with no developer recorded adds nothing.
    named = [c for a in split_ids(agent_ids) for c in sponsors.companies(lookups.agent(a, "developer"))]
    return tuple(c for c in named if c != sponsors.NO_SPONSOR) or (sponsors.NO_SPONSOR,)


def _settings(line: object, _: Lookups) -> tuple[str, ...]:
    return vocab.line_settings(line)


def _country_regions(countries: object, _: Lookups) -> list[str]:
    return [places.country_region(c) for c in split_ids(countries)]


def _country_names(countries: object, _: Lookups) -> list[str]:
    return [places.country_name(c) for c in split_ids(countries)]


def _pdl1_of_trial(required: object, _: Lookups) -> tuple[str]:
    return (vocab.PDL1_REQUIRED if required is True else vocab.PDL1_NOT_REQUIRED,)


def _pdl1_of_approval(biomarker: object, _: Lookups) -> tuple[str]:
    return (vocab.PDL1_REQUIRED if isinstance(biomarker, str) and "CPS" in biomarker else vocab.PDL1_NOT_REQUIRED,)


# Outcomes and sites carry their trial's facets, agents every value of their trials.
FROM_TRIALS: dict[str, Inherit] = {"outcomes": Inherit.TRIAL, "sites": Inherit.TRIAL, "agents": Inherit.AGENT_TRIALS}

FILTERS: tuple[FilterSpec, ...] = (
    FilterSpec(
        "line",
        "Line of therapy",
        "line",
        vocab.LINES,
        "2L+ trials count as both 2L and 3L+.",
        {"trials": Derive("line_of_therapy", _lines), "approvals": Derive("line_of_therapy", _lines), **FROM_TRIALS},
    ),
    FilterSpec(
        "setting",
        "Setting",
        "setting",
        vocab.SETTINGS,
        "Advanced: 1L, 2L and 3L+ (unresectable or metastatic disease). Perioperative: resectable disease. "
        "Agents match through their trials. Efficacy comparisons show advanced disease unless you choose.",
        {
            "trials": Derive("line_of_therapy", _settings),
            "approvals": Derive("line_of_therapy", _settings),
            **FROM_TRIALS,
        },
    ),
    FilterSpec("phase", "Phase", "phase", PHASE_ORDER, derive={"trials": Derive("phase", _itself), **FROM_TRIALS}),
    FilterSpec(
        "modality",
        "Mechanism",
        "mechanism",
        derive={
            "trials": Derive("agent_ids", _modalities),
            "approvals": Derive("agent_id", _modalities),
            "agents": Derive("modality", _itself),
            "outcomes": Inherit.TRIAL,
            "sites": Inherit.TRIAL,
        },
    ),
    FilterSpec(
        "programme",
        "Programme status",
        "programme status",
        vocab.PROGRAMME_STATUSES,
        "An agent's programme in G/GEJ cancer. Trials and approvals match through their HER2-directed agents. "
        'A blank in the data reads "not recorded", never active.',
        {
            "agents": Derive("agent_id", _programme_of),
            "trials": Derive("agent_ids", _programmes_tested),
            "approvals": Derive("agent_id", _programmes_tested),
            "outcomes": Inherit.TRIAL,
            "sites": Inherit.TRIAL,
        },
    ),
    FilterSpec(
        "sponsor",
        "Sponsor",
        "sponsor",
        help="A trial's lead sponsor; an agent's developers (each company of a co-development). Legal forms and "
        "notes in brackets are dropped, and a group's names read as one (Genentech and Hoffmann-La Roche: Roche).",
        derive={
            "trials": Derive("sponsor", lambda cell, _: sponsors.lead_sponsor(cell)),
            "agents": Derive("developer", lambda cell, _: sponsors.companies(cell)),
            "approvals": Derive("agent_id", _developers),
            "outcomes": Inherit.TRIAL,
            "sites": Inherit.TRIAL,
        },
    ),
    FilterSpec(
        "status",
        "Trial status",
        "trial status",
        STATUS_ORDER,
        "Agents match when any of their trials has this status.",
        {"trials": Derive("status", _itself), **FROM_TRIALS},
    ),
    FilterSpec(
        "region",
        "Region",
        "region",
        help="Where trials enrol; for approvals, the regulator's region.",
        derive={
            "trials": Derive("countries", _country_regions),
            "approvals": Derive("agency", lambda agency, _: (places.agency_region(agency),)),
            "sites": Derive("country", lambda code, _: (places.country_region(code),)),
            "outcomes": Inherit.TRIAL,
            "agents": Inherit.AGENT_TRIALS,
        },
    ),
    FilterSpec(
        "country",
        "Country",
        "country",
        derive={
            "trials": Derive("countries", _country_names),
            "sites": Derive("country", lambda code, _: (places.country_name(code),)),
            "outcomes": Inherit.TRIAL,
            "agents": Inherit.AGENT_TRIALS,
        },
    ),
    FilterSpec(
        "agency",
        "Approved by",
        "approved by",
        AGENCY_ORDER,
        derive={
            "approvals": Derive("agency", _itself),
            "agents": Derive("agent_id", lambda agent, lookups: lookups.approved_by.get(agent, ())),
        },
    ),
    FilterSpec(
        "her2", "HER2 criterion", "HER2 criterion", derive={"trials": Derive("her2_category", _itself), **FROM_TRIALS}
    ),
    FilterSpec(
        "pdl1",
        "PD-L1 requirement",
        "PD-L1",
        vocab.PDL1_OPTIONS,
        derive={
            "trials": Derive("pdl1_required", _pdl1_of_trial),
            "approvals": Derive("biomarker", _pdl1_of_approval),
            "outcomes": Inherit.TRIAL,
            "sites": Inherit.TRIAL,
        },
    ),
)
SPECS: dict[str, FilterSpec] = {s.key: s for s in FILTERS}


def derived_facets(table: str) -> list[tuple[str, Derive]]:
    """Return (model column, derivation) of each facet the table computes from its own columns."""
    return [(s.facet, d) for s in FILTERS if isinstance(d := s.derive.get(table), Derive)]


def inherited_facets(table: str, how: Inherit) -> list[str]:
    """Return the model columns of the facets the table takes from the trials in the given way."""
    return [s.facet for s in FILTERS if s.derive.get(table) is how]


@dataclass(frozen=True)
class FilterState:
    selections: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    text: str = ""

    def selected(self, key: str) -> tuple[str, ...]:
        return tuple(self.selections.get(key, ()))

    @property
    def active_keys(self) -> list[str]:
        return [s.key for s in FILTERS if self.selected(s.key)]

    @property
    def key(self) -> tuple:
        """A hashable identity of the state (for caching what depends on it)."""
        return (tuple((k, tuple(sorted(self.selected(k)))) for k in self.active_keys), self.text.strip().lower())


def efficacy_settings(state: FilterState) -> tuple[str, ...]:
    """Return the settings an efficacy comparison shows: the reader's choice, else the settings of the lines
    chosen, else advanced disease only (a perioperative result beside advanced-disease results answers a
    different question; see vocab.chosen_settings)."""
    return vocab.chosen_settings(state.selected("setting"), state.selected("line"))


def efficacy_state(state: FilterState) -> FilterState:
    """Return the state with the setting an efficacy comparison shows made explicit (see efficacy_settings), so
    applying it and describing it in words both say "setting advanced" when the reader chose none."""
    return FilterState({**state.selections, "setting": efficacy_settings(state)}, state.text)


def _sorted_options(values: Iterable[str], order: tuple[str, ...]) -> list[str]:
    present = set(values)
    first = [v for v in order if v in present]
    return first + sorted(present - set(first))


def filter_options(frames: Iterable[pd.DataFrame], key: str) -> list[str]:
    """Return the options of one filter: every facet value found in the given frames."""
    spec = SPECS[key]
    values: set[str] = set()
    for frame in frames:
        if spec.facet in frame.columns:
            for cell in frame[spec.facet]:
                values.update(cell)
    return _sorted_options(values, spec.order)


def applicable_keys(frame: pd.DataFrame) -> list[str]:
    """Return the filter keys that this frame exposes a facet for."""
    return [s.key for s in FILTERS if s.facet in frame.columns]


def facet_mask(frame: pd.DataFrame, facet: str, wanted: Iterable[str]) -> pd.Series:
    """Return a boolean mask of the rows whose facet set shares a value with `wanted`. Always of bool
    dtype: a mask mapped from an empty frame would otherwise be of object dtype, and indexing a frame
    with it selects columns instead of rows."""
    wanted = frozenset(wanted)
    return pd.Series([not wanted.isdisjoint(cell) for cell in frame[facet]], index=frame.index, dtype=bool)


def apply_filters(frame: pd.DataFrame, state: FilterState) -> pd.DataFrame:
    """Return the rows of frame that pass every active filter it has a facet for (the frame itself when no
    filter applies: no copy of every row on the landing view)."""
    mask = filter_mask(frame, state)
    return frame if bool(mask.all()) else frame[mask]


def filter_mask(frame: pd.DataFrame, state: FilterState) -> pd.Series:
    """Return the boolean mask of the rows that pass every active filter (counting needs no copy of rows)."""
    mask = pd.Series(True, index=frame.index)
    for key in state.active_keys:
        spec = SPECS[key]
        if spec.facet in frame.columns:
            mask &= facet_mask(frame, spec.facet, state.selected(key))
    needle = state.text.strip().lower()
    if needle and "f_text" in frame.columns:
        mask &= frame["f_text"].str.contains(needle, regex=False).fillna(False).astype(bool)
    return mask


def _join(values: tuple[str, ...], conj: str = "or") -> str:
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + f" {conj} " + values[-1]


def selection_phrases(state: FilterState, keys: Iterable[str] | None = None) -> list[str]:
    """Return each active filter (of the given keys, else all) and the search text in words: ["line 2L",
    'matching "dxd"'] (empty when nothing is chosen)."""
    wanted = set(SPECS) if keys is None else set(keys)
    parts = [f"{SPECS[k].phrase} {_join(state.selected(k))}" for k in state.active_keys if k in wanted]
    if state.text.strip():
        parts.append(f'matching "{state.text.strip()}"')
    return parts


def describe_filters(
    state: FilterState, noun: str, shown: int | None = None, total: int | None = None, frame: pd.DataFrame | None = None
) -> str:
    """Return the active filters as one plain sentence, e.g. 'Showing 3 of 40 trials: line 2L; phase Phase 3.'"""
    count = f"{shown} of {total} " if shown is not None and total is not None else ""
    applicable = set(applicable_keys(frame)) if frame is not None else {s.key for s in FILTERS}
    parts = selection_phrases(state, applicable)
    sentence = f"Showing {count}{noun}" + (": " + "; ".join(parts) if parts else " (no filters)") + "."
    skipped = [SPECS[k].label.lower() for k in state.active_keys if k not in applicable]
    if skipped:
        sentence += f" Not applicable here: {_join(tuple(skipped), 'and')}."
    return sentence


def suggest_loosening(state: FilterState, frame: pd.DataFrame) -> list[str]:
    """Return, for an empty result, the single filters whose removal would bring rows back."""
    tips = []
    for key in state.active_keys:
        relaxed = FilterState({k: v for k, v in state.selections.items() if k != key}, state.text)
        count = int(filter_mask(frame, relaxed).sum())
        if count:
            tips.append(f"Clear {SPECS[key].label.lower()} to see {count}.")
    if state.text.strip():
        count = int(filter_mask(frame, FilterState(state.selections, "")).sum())
        if count:
            tips.append(f"Clear the search text to see {count}.")
    return tips


NOTICE_LIST_MAX = 10  # names listed in a link notice before "and N more"
NOTICE_VALUE_MAX = 40  # characters of one name or value quoted in a notice


def quote_for_notice(value: str) -> str:
    """Return a link value fit to quote in a notice: control characters dropped, long values cut."""
    clean = "".join(ch for ch in value if ch.isprintable())
    return clean if len(clean) <= NOTICE_VALUE_MAX else clean[: NOTICE_VALUE_MAX - 1] + "…"


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:NOTICE_LIST_MAX])
    return shown + (f" and {len(items) - NOTICE_LIST_MAX} more" if len(items) > NOTICE_LIST_MAX else "")


def state_from_query(
    params: Mapping[str, list[str]], options: Mapping[str, list[str]], page_keys: Iterable[str] = ()
) -> tuple[FilterState, list[str]]:
    """Return the filter state a URL asks for, and at most one notice naming what was ignored (unknown
    parameters, values not in the data), however many parameters the link carries."""
    selections: dict[str, tuple[str, ...]] = {}
    known = set(SPECS) | {TEXT_KEY} | set(page_keys)
    unknown = [quote_for_notice(key) for key in params if key not in known]
    bad_values: list[str] = []
    for key, values in params.items():
        if key not in SPECS:
            continue
        allowed = set(options.get(key, []))
        good = tuple(dict.fromkeys(v for v in values if v in allowed))
        bad_values += [
            f'"{quote_for_notice(bad)}" for {SPECS[key].label.lower()}'
            for bad in dict.fromkeys(v for v in values if v not in allowed and v != "")
        ]
        if good:
            selections[key] = good
    parts = []
    if unknown:
        parts.append(
            f"Ignored {len(unknown)} unknown link parameter{'s' if len(unknown) > 1 else ''}: {_listing(unknown)}."
        )
    if bad_values:
        parts.append(
            f"Ignored {len(bad_values)} value{'s' if len(bad_values) > 1 else ''} not in the data: "
            f"{_listing(bad_values)}."
        )
    text = "".join(ch for ch in (params.get(TEXT_KEY) or [""])[-1] if ch.isprintable())
    return FilterState(selections, text[:200]), [" ".join(parts)] if parts else []


def state_to_query(state: FilterState) -> dict[str, list[str]]:
    """Return the URL parameters that reproduce the state (repeated keys for several values), as the
    sidebar writes them: the load script builds its links with it."""
    out = {k: list(state.selected(k)) for k in state.active_keys}
    if state.text.strip():
        out[TEXT_KEY] = [state.text.strip()]
    return out
