"""The patient profile: its fields, how each reads from a link or a command-line flag (one table of fields,
one check that names the field), and the link that reproduces it. A link carries each value as the page's
bound widget shows it (HER2 "IHC 3+", regimen, agent and country names), and only values other than the
defaults. Prior therapy is entered as standard regimens (landscape.vocab.REGIMENS, each counting as its
agents) or as agents; the number of prior regimens is the one the line means (vocab.PRIOR_REGIMENS)."""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from landscape import sitemap
from landscape.board import PRESENT_KEY, PROFILE_KEYS
from landscape.board.words import HER2_WORDS
from landscape.vocab import PRIOR_REGIMENS, REGIMENS, expand_regimens

if TYPE_CHECKING:
    from landscape.model import Landscape

LINES = ("1L", "2L", "3L+")
HER2_CHOICES = ("ihc3", "ihc2-ish-pos", "ihc2-ish-neg", "ihc1", "ihc0", "unknown")
AGENCIES = ("FDA", "EMA", "PMDA", "NMPA")
CPS_MAX = 100
EARLIEST_SINCE = "2000-01-01"
CHANGE_WINDOW_DAYS = 30
PUBLIC_URL = "http://localhost:8501"
# Before the board's keys had their own names, a link named each key as its profile field ("line=2L"): such a
# key is read under its new name once, with a notice, and only on the board (elsewhere "line" is a filter).
LEGACY_KEYS = {field: key for field, key in PROFILE_KEYS.items() if field != key}


class ProfileError(ValueError):
    """A profile value that cannot be used; `param` names the URL key or command-line flag."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


@dataclass(frozen=True)
class Profile:
    """What the board knows about the patient: no identifiers, nothing stored."""

    line: str = "1L"
    her2: str = "ihc3"
    cps: float | None = None
    prior: tuple[str, ...] = ()  # regimen ids (vocab.REGIMENS) and agent ids, as entered
    agency: str = "FDA"
    countries: tuple[str, ...] = ()
    since: str | None = None  # None: CHANGE_WINDOW_DAYS before the as-of date

    @property
    def prior_agents(self) -> tuple[str, ...]:
        """The agents the prior therapy entered stands for (a regimen counts as each of its agents)."""
        return expand_regimens(self.prior)

    @property
    def prior_regimens(self) -> tuple[int, int | None]:
        """The fewest and most (None: no bound) prior regimens for advanced disease the line means."""
        return PRIOR_REGIMENS[self.line]


DEFAULT = Profile()


def default_since(as_of: str) -> str:
    return (dt.date.fromisoformat(as_of) - dt.timedelta(days=CHANGE_WINDOW_DAYS)).isoformat()


def lookup_key(text: str) -> str:
    """Return how a typed regimen or agent name is looked up: lower case, one space around each '+'."""
    return " ".join(text.lower().replace("+", " + ").split())


@dataclass(frozen=True)
class Vocabulary:
    """What reading and writing a profile needs from the data: the as-of date, the agents' names, ids and
    aliases, and the standard regimens (declared in landscape.vocab) by theirs."""

    as_of: str
    agent_names: Mapping[str, str]  # agent id -> name (as the page shows it)
    prior_ids: Mapping[str, str]  # lookup_key of a regimen's or agent's id, name or alias -> its id
    prior_names: Mapping[str, str]  # regimen id or agent id -> name: the regimens first, then agents by name

    @classmethod
    def of(cls, landscape: Landscape) -> Vocabulary:
        agents = landscape.agents
        names = dict(zip(agents["agent_id"], agents["name"], strict=True))
        ids: dict[str, str] = {}
        for regimen in REGIMENS:
            # "Trastuzumab + XELOX" finds "Trastuzumab + XELOX (CAPOX)": the name without what its brackets add.
            short = re.sub(r"\s*\(.*?\)", "", regimen.name)
            for word in (regimen.regimen_id, regimen.name, short, *regimen.aliases):
                ids.setdefault(lookup_key(word), regimen.regimen_id)
        for agent_id, name, aliases in zip(
            agents["agent_id"], agents["name"], agents["aliases"].fillna(""), strict=True
        ):
            for word in (agent_id, name, *aliases.split(";")):
                if word.strip():
                    ids.setdefault(lookup_key(word), agent_id)
        prior_names = {r.regimen_id: r.name for r in REGIMENS}
        prior_names |= dict(sorted(names.items(), key=lambda item: item[1].lower()))
        return cls(landscape.as_of, names, ids, prior_names)


# --- one reader and one writer per field --------------------------------------------------------------
# The model, the filters (pandas) and pycountry are imported when first needed: the command line reads this module to
# describe its flags, and `python -m landscape validate` should not wait for them.


def quote_for_notice(value: str) -> str:
    from landscape.filters import quote_for_notice

    return quote_for_notice(value)


def country_name(code: str) -> str:
    from landscape.model import country_name

    return country_name(code)


def _one_of(allowed: Sequence[str], what: str, labels: Mapping[str, str] | None = None) -> Callable:
    """Return a reader of one value among `allowed` (or their `labels`)."""
    by_text = {**{labels[v]: v for v in allowed if labels and v in labels}, **{v: v for v in allowed}}

    def read(values: Sequence[str], vocab: Vocabulary) -> str:
        if values[-1] in by_text:
            return by_text[values[-1]]
        raise ValueError(f'"{quote_for_notice(values[-1])}" is not {what}; use {", ".join(allowed)}')

    return read


def _read_cps(values: Sequence[str], vocab: Vocabulary) -> float | None:
    text = values[-1].strip()
    if text in {"", "unknown"}:
        return None
    try:
        cps = float(text)
    except ValueError:
        raise ValueError(
            f'"{quote_for_notice(text)}" is not a number (PD-L1 CPS, 0 to {CPS_MAX}; omit it when unknown)'
        ) from None
    if not 0 <= cps <= CPS_MAX:  # NaN fails this too
        raise ValueError(f'"{quote_for_notice(text)}" is outside 0 to {CPS_MAX}')
    return cps


def _read_since(values: Sequence[str], vocab: Vocabulary) -> str | None:
    text = values[-1].strip()
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(f'"{quote_for_notice(text)}" is not a date (YYYY-MM-DD)') from None
    if day > vocab.as_of:
        raise ValueError(f"{day} lies after the evidence as-of date {vocab.as_of}")
    if day < EARLIEST_SINCE:
        raise ValueError(f"{day} lies before {EARLIEST_SINCE}")
    return None if day == default_since(vocab.as_of) else day


def _read_items(find: Callable[[str, Vocabulary], str | None], what: str) -> Callable:
    """Return a reader of several values, each found by `find`; the ones not found are named together."""

    def read(values: Sequence[str], vocab: Vocabulary) -> tuple[str, ...]:
        found = [(value, find(value, vocab)) for value in values]
        bad = [quote_for_notice(value) for value, item in found if item is None]
        if bad:
            raise ValueError(f"{', '.join(bad)}: {what}")
        return tuple(dict.fromkeys(item for _, item in found))

    return read


@cache
def _country_codes() -> dict[str, str]:
    """Every ISO 3166-1 country, by its lower-case alpha-2 code and by its lower-case name."""
    import pycountry

    codes = {}
    for country in pycountry.countries:
        codes[country.alpha_2.lower()] = country.alpha_2
        codes[country_name(country.alpha_2).lower()] = country.alpha_2
    return codes


def _number_text(value: float) -> str:
    """Return a number as the browser writes it into the address: 5 -> '5', 5.5 -> '5.5'."""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def _unless_default(field: str, text: Callable[[object], str] = str) -> Callable:
    default = getattr(DEFAULT, field)
    return lambda value, vocab: [] if value == default or value is None else [text(value)]


@dataclass(frozen=True)
class Field:
    name: str  # the profile's attribute and the command-line flag
    read: Callable[[Sequence[str], Vocabulary], object]  # values given -> the value; ValueError says what is wrong
    write: Callable[[object, Vocabulary], list[str]]  # the value -> what a link carries ([] for the default)
    many: bool = False  # several values: repeated in a link, comma-separated on the command line


FIELDS: tuple[Field, ...] = (
    Field("line", _one_of(LINES, "a line of therapy"), _unless_default("line")),
    Field("her2", _one_of(HER2_CHOICES, "a HER2 result", HER2_WORDS), _unless_default("her2", HER2_WORDS.get)),
    Field("cps", _read_cps, _unless_default("cps", _number_text)),
    Field(
        "prior",
        _read_items(
            lambda v, vocab: vocab.prior_ids.get(lookup_key(v)),
            "not a regimen or agent in the data (use a regimen such as Trastuzumab + XELOX, or an agent id, name"
            " or alias, e.g. trastuzumab, T-DXd)",
        ),
        lambda value, vocab: [vocab.prior_names.get(a, a) for a in value],
        many=True,
    ),
    Field("agency", _one_of(AGENCIES, "an agency"), _unless_default("agency")),
    Field(
        "countries",
        _read_items(
            lambda v, vocab: _country_codes().get(v.strip().lower()),
            "not countries (use ISO 3166-1 alpha-2 codes, e.g. US, JP, DE, or names)",
        ),
        lambda value, vocab: [country_name(c) for c in value],
        many=True,
    ),
    Field("since", _read_since, _unless_default("since")),
)
FIELD = {f.name: f for f in FIELDS}


def _values(raw: Iterable[str], split: bool) -> list[str]:
    """Return the values given for one field, without empty ones; `split` also splits at commas."""
    return [v.strip() for value in raw for v in (value.split(",") if split else [value]) if v.strip()]


def read_field(field: Field, raw: Iterable[str], vocab: Vocabulary, param: str, split: bool) -> object:
    """Return one field's value from what a link or a flag gives (its default when nothing is given);
    raise ProfileError naming `param`."""
    values = _values(raw, split)
    if not values:
        return getattr(DEFAULT, field.name)
    try:
        return field.read(values, vocab)
    except ValueError as err:
        raise ProfileError(param, str(err)) from None


def profile_from_flags(flags: Mapping[str, str | None], vocab: Vocabulary) -> Profile:
    """Return the profile command-line flags describe (lists comma-separated); raise ProfileError naming the
    first bad flag."""
    return Profile(**{f.name: read_field(f, [flags.get(f.name) or ""], vocab, f.name, split=True) for f in FIELDS})


# --- links ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkReading:
    profile: Profile
    present: bool
    notice: str | None  # one notice naming what was read under a new name or ignored
    query: dict[str, list[str]]  # the parameters that say the same in the link's own form
    canonical: bool  # whether the link already is in that form


def link_query(profile: Profile, vocab: Vocabulary, present: bool = False) -> dict[str, list[str]]:
    """Return the URL parameters that reproduce this profile (and the projector view)."""
    query = {PROFILE_KEYS[f.name]: f.write(getattr(profile, f.name), vocab) for f in FIELDS}
    query = {key: values for key, values in query.items() if values}
    return query | ({PRESENT_KEY: ["1"]} if present else {})


def board_link(profile: Profile, vocab: Vocabulary, base: str = PUBLIC_URL, present: bool = False) -> str:
    """Return the address that opens exactly this board view."""
    query = urllib.parse.urlencode(link_query(profile, vocab, present), doseq=True)
    return f"{base.rstrip('/')}/{sitemap.BY_NAME['board'].slug}?{query}"


def read_link(params: Mapping[str, list[str]], vocab: Vocabulary) -> LinkReading:
    """Return the profile a link asks for: each bad value gives way to its default, and one notice names
    every key read under its new name, every bad value and every unknown key."""
    legacy = [old for old, new in LEGACY_KEYS.items() if old in params and new not in params]
    values, problems = {}, []
    for field in FIELDS:
        old = field.name in legacy  # an old link: the key is the field's name, lists are comma-separated
        given = field.name if old else PROFILE_KEYS[field.name]
        if given not in params:
            continue
        try:
            values[field.name] = read_field(field, params[given], vocab, given, split=old)
        except ProfileError as err:
            problems.append(f"Ignored {err}.")
    present = (params.get(PRESENT_KEY) or [""])[-1]
    if present not in {"", "0", "1"}:
        problems.append(f'Ignored {PRESENT_KEY}: "{quote_for_notice(present)}" is not 0 or 1.')
    known = {*PROFILE_KEYS.values(), *LEGACY_KEYS, PRESENT_KEY}
    unknown = [quote_for_notice(key) for key in params if key not in known]
    if unknown:
        many = len(unknown) > 1
        problems.append(
            f"Ignored {len(unknown)} unknown link parameter{'s' if many else ''}: {', '.join(unknown[:10])}"
            + (f" and {len(unknown) - 10} more." if len(unknown) > 10 else ".")
        )
    if legacy:
        renamed = ", ".join(f"{old} as {LEGACY_KEYS[old]}" for old in legacy)
        problems.insert(0, f"This link uses the board's old parameter names: read {renamed}.")
    profile = Profile(**values)
    query = link_query(profile, vocab, present == "1")
    return LinkReading(profile, present == "1", " ".join(problems) or None, query, dict(params) == query)
