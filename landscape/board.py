"""The tumour board: a patient profile (no identifiers) read against the structured fit rules of
eligibility.csv, giving the approved options, the trials and what changed since a date. One function,
build_board, makes the result that the page, the slide deck and the command line all render."""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
import pycountry

from landscape import charts, display
from landscape.model import Landscape, country_name, is_missing, split_ids

LINES = ("1L", "2L", "3L+")
HER2_CHOICES = ("ihc3", "ihc2-ish-pos", "ihc2-ish-neg", "ihc1", "ihc0", "unknown")
HER2_WORDS = {
    "ihc3": "IHC 3+",
    "ihc2-ish-pos": "IHC 2+/ISH+",
    "ihc2-ish-neg": "IHC 2+/ISH-",
    "ihc1": "IHC 1+",
    "ihc0": "IHC 0",
    "unknown": "unknown",
    "any": "any HER2 (not HER2-selected)",
}
AGENCIES = ("FDA", "EMA", "PMDA", "NMPA")
CHANGE_WINDOW_DAYS = 30
CPS_MAX = 100
PUBLIC_URL = "http://localhost:8501"
URL_KEYS = ("line", "her2", "cps", "prior", "agency", "countries", "since", "present")
NOT_ADVICE = "For information and research only; not medical advice."
CROSS_TRIAL_CAUTION = (
    "Cross-trial comparison: these results come from different trials, lines, populations and analyses; "
    "they are not a head-to-head comparison."
)
# Verdicts, in the order the board lists them.
OPTION_VERDICTS = ("fits", "not determined", "does not fit", "superseded")
TRIAL_VERDICTS = ("fits", "nearly fits", "status not verified", "criteria not recorded")
UNVERIFIED_GROUPS = (
    "open or active: status not verified in the last 12 months",
    "unknown status",
    "status not recorded",
)


class ProfileError(ValueError):
    """A profile value that cannot be used; `param` names the URL key (and command-line flag)."""

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
    prior: tuple[str, ...] = ()
    agency: str = "FDA"
    countries: tuple[str, ...] = ()
    since: str | None = None

    def to_query(self, present: bool = False) -> dict[str, str]:
        """Return the URL parameters that reproduce this profile (and the presentation view)."""
        out = {"line": self.line, "her2": self.her2, "agency": self.agency}
        if self.cps is not None:
            out["cps"] = f"{self.cps:g}"
        if self.prior:
            out["prior"] = ",".join(self.prior)
        if self.countries:
            out["countries"] = ",".join(self.countries)
        if self.since:
            out["since"] = self.since
        if present:
            out["present"] = "1"
        return out


def describe_profile(profile: Profile, agent_names: Mapping[str, str] | None = None) -> str:
    """Return the profile in words: '2L · HER2 IHC 3+ · PD-L1 CPS 5 · prior trastuzumab · FDA labels'."""
    names = agent_names or {}
    parts = [
        profile.line,
        f"HER2 {HER2_WORDS[profile.her2]}",
        f"PD-L1 CPS {profile.cps:g}" if profile.cps is not None else "PD-L1 CPS unknown",
    ]
    parts.append(
        "prior " + ", ".join(names.get(a, a) for a in profile.prior) if profile.prior else "no prior therapy entered"
    )
    parts.append(f"{profile.agency} labels")
    if profile.countries:
        parts.append("could enrol in " + ", ".join(country_name(c) for c in profile.countries))
    return " · ".join(parts)


def board_link(profile: Profile, base: str = PUBLIC_URL, present: bool = False) -> str:
    """Return the address that opens exactly this board view."""
    return f"{base.rstrip('/')}/board?{urllib.parse.urlencode(profile.to_query(present))}"


# --- reading a profile from the URL or the command line ---------------------------------------------


def _split_list(values: Iterable[str]) -> list[str]:
    return [v.strip() for value in values for v in str(value).split(",") if v.strip()]


def parse_line(value: str) -> str:
    if value not in LINES:
        raise ProfileError("line", f'"{value}" is not a line of therapy; use {", ".join(LINES)}')
    return value


def parse_her2(value: str) -> str:
    if value not in HER2_CHOICES:
        raise ProfileError("her2", f'"{value}" is not a HER2 result; use {", ".join(HER2_CHOICES)}')
    return value


def parse_cps(value: str | None) -> float | None:
    if value is None or value.strip() in {"", "unknown"}:
        return None
    try:
        cps = float(value)
    except ValueError:
        raise ProfileError(
            "cps", f'"{value}" is not a number (PD-L1 CPS, 0 to {CPS_MAX}; omit it when unknown)'
        ) from None
    if not 0 <= cps <= CPS_MAX or cps != cps:
        raise ProfileError("cps", f'"{value}" is outside 0 to {CPS_MAX}')
    return cps


def parse_agency(value: str) -> str:
    if value not in AGENCIES:
        raise ProfileError("agency", f'"{value}" is not one of {", ".join(AGENCIES)}')
    return value


def parse_prior(values: Iterable[str], agents: pd.DataFrame) -> tuple[str, ...]:
    """Return agent ids from ids, names or aliases ("T-DXd" finds trastuzumab_deruxtecan)."""
    lookup: dict[str, str] = {}
    for agent_id, name, aliases in zip(agents["agent_id"], agents["name"], agents["aliases"].fillna(""), strict=True):
        for key in (agent_id, name, *re.split(r"[;]", aliases)):
            if key and key.strip():
                lookup.setdefault(key.strip().lower(), agent_id)
    out, bad = [], []
    for item in _split_list(values):
        found = lookup.get(item.lower())
        if found:
            out.append(found)
        else:
            bad.append(item)
    if bad:
        raise ProfileError(
            "prior",
            f"{', '.join(bad)}: not an agent in the data (use an agent id, name or alias, e.g. trastuzumab, T-DXd)",
        )
    return tuple(dict.fromkeys(out))


def parse_countries(values: Iterable[str]) -> tuple[str, ...]:
    out, bad = [], []
    for item in _split_list(values):
        code = item.upper()
        if len(code) == 2 and pycountry.countries.get(alpha_2=code):
            out.append(code)
        else:
            bad.append(item)
    if bad:
        raise ProfileError("countries", f"{', '.join(bad)}: not ISO 3166-1 alpha-2 codes (e.g. US, JP, DE)")
    return tuple(dict.fromkeys(out))


def parse_since(value: str | None, as_of: str) -> str | None:
    if value is None or value.strip() == "":
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ProfileError("since", f'"{value}" is not a date (YYYY-MM-DD)') from None
    if day > dt.date.fromisoformat(as_of):
        raise ProfileError("since", f"{value} lies after the evidence as-of date {as_of}")
    return day.isoformat()


def profile_from_params(params: Mapping[str, list[str]], landscape: Landscape) -> tuple[Profile, list[str]]:
    """Return the profile a link asks for, with one notice per bad parameter (its default is used
    instead) and one for unknown parameters."""
    defaults = Profile()
    values: dict[str, object] = {}
    notices: list[str] = []
    single = {"line": parse_line, "her2": parse_her2, "agency": parse_agency, "cps": parse_cps}
    for key, parse in single.items():
        raw = params.get(key)
        if raw:
            try:
                values[key] = parse(raw[-1])
            except ProfileError as err:
                notices.append(f"Ignored {err.param}: {err.message}.")
    for key, parse in (("prior", lambda v: parse_prior(v, landscape.agents)), ("countries", parse_countries)):
        if params.get(key):
            try:
                values[key] = parse(params[key])
            except ProfileError as err:
                notices.append(f"Ignored {err.param}: {err.message}.")
    if params.get("since"):
        try:
            values["since"] = parse_since(params["since"][-1], landscape.as_of)
        except ProfileError as err:
            notices.append(f"Ignored {err.param}: {err.message}.")
    if params.get("present") and params["present"][-1] not in {"0", "1"}:
        notices.append(f'Ignored present: "{params["present"][-1][:40]}" is not 0 or 1.')
    unknown = [k for k in params if k not in URL_KEYS]
    if unknown:
        notices.append(
            f"Ignored {len(unknown)} unknown link parameter{'s' if len(unknown) > 1 else ''}: "
            f"{', '.join(k[:40] for k in unknown[:10])}."
        )
    return Profile(**{**asdict(defaults), **values}), notices


# --- the rules --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    criterion: str  # line, HER2, PD-L1, prior therapy
    outcome: str  # met, not met, unknown (the patient's value is missing), not recorded (the source is silent)
    text: str


def _her2_list(levels: tuple[str, ...]) -> str:
    return " or ".join(HER2_WORDS.get(level, level) for level in levels)


def _pdl1_rule(scoring: str, low: float | None, high: float | None) -> str:
    unit = "%" if scoring == "TAP" else ""
    parts = ([f">= {low:g}{unit}"] if low is not None else []) + ([f"< {high:g}{unit}"] if high is not None else [])
    return f"{scoring} " + " and ".join(parts)


def _num(value: object) -> float | None:
    return None if is_missing(value) else float(value)


def check_rule(rule: pd.Series | Mapping, profile: Profile, names: Mapping[str, str], where: str) -> list[Check]:
    """Return the profile read against one eligibility row, one check per criterion. `where` names the
    rule in the reasons ("FDA 2025-03-19 label", "trial")."""
    checks = []
    lines = split_ids(rule["lines"])
    if not lines:
        checks.append(Check("line", "not recorded", f"line of therapy not recorded for the {where}: check the source"))
    elif profile.line in lines:
        checks.append(Check("line", "met", f"line {profile.line} (covers {', '.join(lines)})"))
    else:
        checks.append(Check("line", "not met", f"the {where} covers {', '.join(lines)}; patient is {profile.line}"))

    levels = split_ids(rule["her2_levels"])
    if not levels:
        checks.append(Check("HER2", "not recorded", f"HER2 requirement not recorded for the {where}: check the source"))
    elif levels == ("any",):
        checks.append(Check("HER2", "met", "not HER2-selected"))
    elif profile.her2 == "unknown":
        checks.append(
            Check("HER2", "unknown", f"HER2 status unknown; the {where} requires HER2 {_her2_list(levels)}: test HER2")
        )
    elif profile.her2 in levels:
        checks.append(Check("HER2", "met", f"HER2 {HER2_WORDS[profile.her2]} (requires {_her2_list(levels)})"))
    else:
        checks.append(
            Check(
                "HER2",
                "not met",
                f"the {where} requires HER2 {_her2_list(levels)}; patient HER2 {HER2_WORDS[profile.her2]}",
            )
        )

    scoring = rule["pdl1_scoring"]
    low, high = _num(rule["pdl1_min"]), _num(rule["pdl1_max"])
    if is_missing(scoring):
        checks.append(
            Check("PD-L1", "not recorded", f"PD-L1 requirement not recorded for the {where}: check the source")
        )
    elif scoring == "none":
        checks.append(Check("PD-L1", "met", "no PD-L1 requirement"))
    elif scoring == "TAP":
        checks.append(
            Check(
                "PD-L1",
                "unknown",
                f"the {where} uses PD-L1 {_pdl1_rule(scoring, low, high)}; "
                "the profile gives CPS only: check the TAP result",
            )
        )
    elif profile.cps is None:
        checks.append(
            Check(
                "PD-L1",
                "unknown",
                f"PD-L1 CPS unknown; the {where} requires {_pdl1_rule(scoring, low, high)}: test PD-L1",
            )
        )
    elif (low is None or profile.cps >= low) and (high is None or profile.cps < high):
        checks.append(Check("PD-L1", "met", f"PD-L1 CPS {profile.cps:g} (requires {_pdl1_rule(scoring, low, high)})"))
    else:
        checks.append(
            Check(
                "PD-L1",
                "not met",
                f"the {where} is restricted to PD-L1 {_pdl1_rule(scoring, low, high)}; patient CPS {profile.cps:g}",
            )
        )

    prior = set(profile.prior)
    for group in split_ids(rule["prior_required"]):
        options = group.split("|")
        words = " or ".join(names.get(a, a) for a in options)
        if prior & set(options):
            checks.append(Check("prior therapy", "met", f"prior {words} (required)"))
        else:
            checks.append(
                Check(
                    "prior therapy",
                    "not met",
                    f"the {where} requires prior {words}; not among the prior therapies entered",
                )
            )
    excluded = [a for a in split_ids(rule["prior_excluded"]) if a in prior]
    if excluded:
        checks.append(
            Check(
                "prior therapy", "not met", f"the {where} excludes prior {', '.join(names.get(a, a) for a in excluded)}"
            )
        )
    return checks


def verdict_of(checks: list[Check]) -> str:
    """Return 'fits', 'does not fit' (a criterion is not met, or needs a result the profile lacks) or
    'not determined' (every known criterion is met but the source is silent on one)."""
    if any(c.outcome in {"not met", "unknown"} for c in checks):
        return "does not fit"
    if any(c.outcome == "not recorded" for c in checks):
        return "not determined"
    return "fits"


# --- the result -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionFit:
    approval_id: str
    agency: str
    regimen: str
    agent_ids: tuple[str, ...]
    approval_date: str
    approval_type: str
    lines: str
    her2_directed: bool
    tumour_agnostic: bool
    verdict: str
    reasons: tuple[str, ...]
    superseded_by: str | None
    evidence: tuple[dict, ...]
    source_ids: tuple[str, ...]
    summary: str

    @property
    def fits(self) -> bool:
        return self.verdict == "fits"


@dataclass(frozen=True)
class TrialFit:
    trial_id: str
    nct_id: str | None
    acronym: str
    phase: str
    line_of_therapy: str
    status: str | None
    status_group: str
    verdict: str
    cohort: str | None
    reasons: tuple[str, ...]
    excluding: str | None
    countries: tuple[str, ...]
    in_countries: bool | None
    registry_url: str | None
    source_ids: tuple[str, ...]

    @property
    def fits(self) -> bool:
        return self.verdict == "fits"


@dataclass(frozen=True)
class Change:
    date: str
    kind: str  # approval, label change, readout
    text: str
    source_id: str
    imprecise: bool = False


@dataclass(frozen=True)
class BoardResult:
    profile: Profile
    profile_words: str
    as_of: str
    since: str
    approved: tuple[OptionFit, ...]
    trials: tuple[TrialFit, ...]
    changes: tuple[Change, ...]
    not_assessed: tuple[str, ...] = field(default=())

    @property
    def fitting(self) -> tuple[OptionFit, ...]:
        return tuple(o for o in self.approved if o.fits)

    @property
    def evidence_rows(self) -> list[dict]:
        """Every evidence row of the fitting options, each once."""
        seen, rows = set(), []
        for option in self.fitting:
            for row in option.evidence:
                if row["outcome_id"] not in seen:
                    seen.add(row["outcome_id"])
                    rows.append(row)
        return rows

    @property
    def cross_trial(self) -> bool:
        return len({r["trial_id"] for r in self.evidence_rows}) > 1

    def source_ids(self) -> list[str]:
        """Every source the result rests on, in order of first use."""
        ids = (
            [s for o in self.approved for s in o.source_ids]
            + [s for t in self.trials for s in t.source_ids]
            + [c.source_id for c in self.changes]
        )
        return list(dict.fromkeys(ids))

    def to_json(self) -> dict:
        """Return the result in the command line's JSON shape."""
        return {
            "profile": {
                **asdict(self.profile),
                "prior": list(self.profile.prior),
                "countries": list(self.profile.countries),
                "in_words": self.profile_words,
            },
            "as_of": self.as_of,
            "since": self.since,
            "approved": [
                {
                    "regimen": o.regimen,
                    "agent_ids": list(o.agent_ids),
                    "agency": o.agency,
                    "approval_id": o.approval_id,
                    "approval_date": o.approval_date,
                    "fits": o.fits,
                    "verdict": o.verdict,
                    "her2_directed": o.her2_directed,
                    "superseded_by": o.superseded_by,
                    "reasons": list(o.reasons),
                    "evidence": [_json_ready(r) for r in o.evidence],
                    "source_ids": list(o.source_ids),
                }
                for o in self.approved
            ],
            "trials": [
                {
                    "trial_id": t.trial_id,
                    "nct_id": t.nct_id,
                    "acronym": t.acronym,
                    "fits": t.fits,
                    "verdict": t.verdict,
                    "cohort": t.cohort,
                    "excluding": t.excluding,
                    "phase": t.phase,
                    "status": t.status,
                    "status_group": t.status_group,
                    "countries": list(t.countries),
                    "in_countries": t.in_countries,
                    "registry_url": t.registry_url,
                    "reasons": list(t.reasons),
                    "source_ids": list(t.source_ids),
                }
                for t in self.trials
            ],
            "not_assessed": list(self.not_assessed),
            "changes": [asdict(c) for c in self.changes],
            "cross_trial_caution": CROSS_TRIAL_CAUTION if self.cross_trial else None,
            "source_ids": self.source_ids(),
        }


def _json_ready(row: dict) -> dict:
    return {k: (None if is_missing(v) else v) for k, v in row.items()}


EVIDENCE_COLUMNS = [
    "outcome_id",
    "trial_id",
    "acronym",
    "arm_role",
    "regimen",
    "population",
    "analysis",
    "n",
    "orr_pct",
    "orr_ci_low_pct",
    "orr_ci_high_pct",
    "median_pfs",
    "median_os",
    "pfs_hr_ci",
    "os_hr_ci",
    "line_of_therapy",
    "source_id",
]


_EVIDENCE_INPUTS = frozenset(EVIDENCE_COLUMNS) | frozenset(display.DISPLAY_INPUTS)


def evidence_for(landscape: Landscape, rule: Mapping, outcomes_by_trial: Mapping[str, np.ndarray]) -> tuple[dict, ...]:
    """Return the pivotal trial's result rows for an indication: the population the rule names (both
    arms), else the trial's headline rows. `outcomes_by_trial` (trial_id -> positions of its rows in
    landscape.outcomes) saves a scan of every outcome per call on a large landscape."""
    trials = split_ids(rule["evidence_trial_ids"])
    if not trials:
        return ()
    everything = landscape.outcomes
    parts = [outcomes_by_trial[t] for t in trials if t in outcomes_by_trial]
    positions = np.concatenate(parts) if parts else np.array([], dtype=np.intp)
    population = rule["evidence_population"]
    if not is_missing(population):
        keep = everything["population"].take(positions) == population
    else:
        keep = everything["headline_for"].take(positions).fillna("") != ""
    # Only the columns used, and only the rows kept: a large landscape has many columns to take.
    columns = [c for c in everything.columns if c in _EVIDENCE_INPUTS]
    chosen = everything[columns].take(positions[keep.to_numpy(dtype=bool, na_value=False)])
    chosen = display.with_display_columns(chosen).sort_values(
        ["trial_id", "analysis", "arm_role"], ascending=[True, True, False]
    )
    rows = []
    for record in chosen[EVIDENCE_COLUMNS].to_dict("records"):
        rows.append(
            {
                k: (None if is_missing(v) else (round(float(v), 1) if k.startswith("orr_") else v))
                for k, v in record.items()
            }
        )
    return tuple(rows)


def _approval_dates(landscape: Landscape) -> dict[str, str]:
    return dict(zip(landscape.approvals["approval_id"], landscape.approvals["approval_date"], strict=True))


def _approval_rules(landscape: Landscape) -> pd.DataFrame:
    rules = landscape.eligibility[landscape.eligibility["approval_id"].notna()]
    return rules.merge(
        landscape.approvals, on="approval_id", how="inner", suffixes=("", "_approval"), validate="one_to_one"
    )


def _option(
    landscape: Landscape,
    rule: Mapping,
    profile: Profile,
    names: Mapping[str, str],
    her2_agents: set[str],
    outcomes_by_trial: Mapping[str, np.ndarray],
    approval_dates: Mapping[str, str],
) -> OptionFit:
    date = rule["approval_date"]
    where = f"{rule['agency']} {date} label"
    checks = check_rule(rule, profile, names, where)
    superseded = None if is_missing(rule["superseded_by"]) else str(rule["superseded_by"])
    verdict = "superseded" if superseded else verdict_of(checks)
    agent_ids = split_ids(rule["agent_id"])
    her2_directed = bool(set(agent_ids) & her2_agents)
    reasons = [c.text for c in checks]
    if superseded:
        later = approval_dates.get(superseded)
        later = "a later date" if is_missing(later) else later
        reasons.insert(0, f"superseded on {later} ({superseded}): not a current option")
    if not her2_directed:
        reasons.append("not HER2-directed: an approved standard for this line, whatever the HER2 result")
    if bool(rule["other_tumour"]):
        reasons.append(f"not gastric-specific: approved for {rule['tumour_type']}")
    if not is_missing(rule["approval_type"]) and rule["approval_type"] in {"accelerated", "conditional"}:
        reasons.append(f"{rule['approval_type']} approval: continued approval depends on confirmatory evidence")
    failing = [c.text for c in checks if c.outcome != "met"]
    if verdict == "fits":
        summary = f"fits: {where}: " + "; ".join(c.text for c in checks)
    elif verdict == "superseded":
        summary = reasons[0]
    else:
        summary = f"{verdict}: " + "; ".join(failing)
    evidence = evidence_for(landscape, rule, outcomes_by_trial) if verdict == "fits" else ()
    sources = [rule["source_id_approval"], rule["source_id"], *(r["source_id"] for r in evidence)]
    return OptionFit(
        approval_id=str(rule["approval_id"]),
        agency=str(rule["agency"]),
        regimen=str(rule["regimen"]),
        agent_ids=agent_ids,
        approval_date=str(date),
        approval_type="" if is_missing(rule["approval_type"]) else str(rule["approval_type"]),
        lines=", ".join(split_ids(rule["lines"])) or "not recorded",
        her2_directed=her2_directed,
        tumour_agnostic=bool(rule["other_tumour"]),
        verdict=verdict,
        reasons=tuple(reasons),
        superseded_by=superseded,
        evidence=evidence,
        source_ids=tuple(dict.fromkeys(s for s in sources if not is_missing(s))),
        summary=summary,
    )


def _trial_fit(trial: Mapping, rules: Iterable[Mapping], profile: Profile, names: Mapping[str, str]) -> TrialFit | None:
    """Return how the trial's best cohort reads against the profile, or None when it is not worth
    listing (does not fit on more than one criterion, or stopped/completed)."""
    group = trial["status_group"]
    status_open = group == "open"
    if not status_open and group not in UNVERIFIED_GROUPS:
        return None
    scored = []
    for rule in rules:
        checks = check_rule(rule, profile, names, "trial")
        failing = [c for c in checks if c.outcome in {"not met", "unknown"}]
        unrecorded = [c for c in checks if c.outcome == "not recorded"]
        scored.append((len(failing), len(unrecorded), rule, checks, failing, unrecorded))
    scored.sort(key=lambda s: (s[0], s[1]))
    n_failing, n_unrecorded, rule, checks, failing, unrecorded = scored[0]
    excluding = None
    if n_failing == 0 and n_unrecorded == 0:
        verdict = "fits" if status_open else "status not verified"
    elif n_failing == 0:
        verdict = "criteria not recorded" if status_open else None
    elif n_failing == 1 and status_open:
        verdict, excluding = "nearly fits", failing[0].text
    else:
        verdict = None
    if verdict is None:
        return None
    countries = split_ids(trial["countries"])
    in_countries = None if not profile.countries or not countries else bool(set(countries) & set(profile.countries))
    reasons = [c.text for c in checks]
    reasons.append(_status_words(trial))
    reasons.append(_country_words(countries, profile.countries, in_countries))
    cohort = None if is_missing(rule["cohort"]) else str(rule["cohort"])
    return TrialFit(
        trial_id=str(trial["trial_id"]),
        nct_id=None if is_missing(trial["nct_id"]) else str(trial["nct_id"]),
        acronym=str(trial["acronym"]),
        phase=str(trial["phase"]),
        line_of_therapy=str(trial["line_of_therapy"]),
        status=None if is_missing(trial["status"]) else str(trial["status"]),
        status_group=str(group),
        verdict=verdict,
        cohort=cohort,
        reasons=tuple(reasons),
        excluding=excluding,
        countries=countries,
        in_countries=in_countries,
        registry_url=None if is_missing(trial["registry_url"]) else str(trial["registry_url"]),
        source_ids=tuple(dict.fromkeys([str(rule["source_id"])])),
    )


def _status_words(trial: pd.Series) -> str:
    group = trial["status_group"]
    if group == "open":
        return f"status {trial['status']} (as of {trial['status_as_of']})"
    if group == "status not recorded":
        return "status not recorded: check the registry"
    if group == "unknown status":
        return "registry status unknown: check the registry"
    stated = trial["status_as_of"] if not is_missing(trial["status_as_of"]) else "(undated)"
    return f"status {trial['status']} last stated {stated}, not verified in the last 12 months: check the registry"


def _country_words(countries: tuple[str, ...], wanted: tuple[str, ...], inside: bool | None) -> str:
    if not countries:
        return "enrolling countries not recorded"
    where = ", ".join(countries)
    if inside is None:
        return f"enrols in {where}"
    if inside:
        return f"enrols in {where}, including {', '.join(c for c in countries if c in wanted)} (chosen)"
    return f"no recorded site in {', '.join(wanted)} (enrols in {where})"


def _period(value: str) -> tuple[dt.date, dt.date]:
    """Return the first and last day a YYYY, YYYY-MM or YYYY-MM-DD date can mean."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        nxt = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def changes_since(landscape: Landscape, since: str) -> tuple[Change, ...]:
    """Return approvals, label changes and readouts dated after `since`, newest first. A date known
    only to the month or year that may fall after `since` is listed and marked imprecise."""
    cutoff = dt.date.fromisoformat(since)
    out = []

    def after(value: object) -> tuple[bool, bool]:
        if is_missing(value):
            return False, False
        first, last = _period(str(value))
        return (first > cutoff or last > cutoff), first <= cutoff

    for row in landscape.approvals.itertuples(index=False):
        include, imprecise = after(row.approval_date)
        if include:
            kind = (
                "label change"
                if not is_missing(row.approval_type) and row.approval_type == "label update"
                else "approval"
            )
            where = "" if not row.other_tumour else f" ({row.tumour_type})"
            out.append(
                Change(
                    str(row.approval_date),
                    kind,
                    f"{row.agency}: {row.regimen_short}, {row.line_of_therapy}, {row.biomarker_label}{where}",
                    str(row.source_id),
                    imprecise,
                )
            )
    readouts = landscape.outcomes.drop_duplicates(["trial_id", "analysis", "readout_date"])
    for row in readouts.itertuples(index=False):
        include, imprecise = after(row.readout_date)
        if include:
            out.append(
                Change(
                    str(row.readout_date),
                    "readout",
                    f"{row.acronym}: {row.analysis} ({row.line_of_therapy})",
                    str(row.source_id),
                    imprecise,
                )
            )
    return tuple(sorted(out, key=lambda c: (c.date, c.kind, c.text), reverse=True))


def default_since(as_of: str) -> str:
    return (dt.date.fromisoformat(as_of) - dt.timedelta(days=CHANGE_WINDOW_DAYS)).isoformat()


def build_board(landscape: Landscape, profile: Profile) -> BoardResult:
    """Return the board for one profile: the agency's approved options with their fit and reasons (and
    the pivotal evidence of those that fit), the trials that fit, nearly fit or whose status is not
    verified, and what changed since the chosen date."""
    names = dict(zip(landscape.agents["agent_id"], landscape.agents["name"], strict=True))
    her2_agents = set(landscape.agents.loc[landscape.agents["her2_directed"].fillna(False).astype(bool), "agent_id"])
    rules = _approval_rules(landscape)
    rules = rules[rules["agency"] == profile.agency]
    # Row positions per trial and plain records: a frame or a Series per group costs more than the check.
    outcomes_by_trial = landscape.outcomes.groupby("trial_id", sort=False).indices
    dates = _approval_dates(landscape)
    options = [
        _option(landscape, rule, profile, names, her2_agents, outcomes_by_trial, dates)
        for rule in rules.to_dict("records")
    ]
    rank = {v: i for i, v in enumerate(OPTION_VERDICTS)}
    options.sort(key=lambda o: (rank[o.verdict], not o.her2_directed, o.tumour_agnostic, _neg_date(o.approval_date)))

    trial_rules = landscape.eligibility[landscape.eligibility["trial_id"].notna()]
    by_trial: dict[str, list[dict]] = {}
    for rule in trial_rules.to_dict("records"):
        by_trial.setdefault(rule["trial_id"], []).append(rule)
    fits: list[TrialFit] = []
    not_assessed = []
    # Only trials with fit rules, or open ones (listed as not assessed), can appear: skip the rest early.
    candidates = landscape.trials[
        landscape.trials["trial_id"].isin(by_trial) | (landscape.trials["status_group"] == "open")
    ]
    for trial in candidates.to_dict("records"):
        rules_here = by_trial.get(trial["trial_id"])
        if rules_here is None:
            if trial["status_group"] == "open" and profile.line in trial["f_line"]:
                not_assessed.append(str(trial["acronym"]))
            continue
        fit = _trial_fit(trial, rules_here, profile, names)
        if fit is not None:
            fits.append(fit)
    trank = {v: i for i, v in enumerate(TRIAL_VERDICTS)}
    fits.sort(key=lambda t: (trank[t.verdict], t.in_countries is False, t.acronym))
    since = profile.since or default_since(landscape.as_of)
    return BoardResult(
        profile=profile,
        profile_words=describe_profile(profile, names),
        as_of=landscape.as_of,
        since=since,
        approved=tuple(options),
        trials=tuple(fits),
        changes=changes_since(landscape, since),
        not_assessed=tuple(not_assessed),
    )


def _neg_date(value: str) -> tuple:
    return tuple(-int(p) for p in value.split("-"))


def option_evidence_text(row: Mapping) -> str:
    """Return one evidence row in words: 'KEYNOTE-811, experimental arm, PD-L1 CPS>=1, final analysis:
    n 298 · ORR 73% (95% CI 67.6-78.0) · median PFS 10.9 · median OS 20.1 months · OS HR 0.79 (0.66-0.95)'."""
    parts = [f"n {row['n']}" if row.get("n") is not None else "n not reported"]
    if row.get("orr_pct") is not None:
        ci = (
            f" (95% CI {row['orr_ci_low_pct']:.1f}-{row['orr_ci_high_pct']:.1f})"
            if row.get("orr_ci_low_pct") is not None
            else ""
        )
        parts.append(f"ORR {row['orr_pct']:g}%{ci}")
    for label, key in (("median PFS", "median_pfs"), ("median OS", "median_os")):
        if row.get(key) and row[key] != "not reported":
            parts.append(f"{label} {row[key]}" + (" months" if row[key] != "not reached" else ""))
    for label, key in (("PFS HR", "pfs_hr_ci"), ("OS HR", "os_hr_ci")):
        if row.get(key):
            parts.append(f"{label} {row[key]}")
    return (
        f"{row['acronym']}, {row['arm_role']} arm ({row['regimen']}), {row['population']}, {row['analysis']}: "
        + " · ".join(parts)
    )


def evidence_figure(result: BoardResult, height: int | None = None):
    """Return the evidence chart of the line that fits (the same builder the page uses); `height` in
    pixels, or sized to its rows."""
    caption = CROSS_TRIAL_CAUTION if result.cross_trial else "Results of one trial: arms compared within the trial."
    return charts.board_evidence(
        result.evidence_rows,
        f"Key evidence, {result.profile.line}: approved options that fit ({result.profile.agency})",
        caption,
        height=height,
    )
