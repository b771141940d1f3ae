"""The fit rules: one function per criterion of an eligibility row (line, HER2, PD-L1, prior therapy
required, prior therapy excluded), read from a small table; the trial's own criteria (status, countries);
and the verdicts they add up to. A criterion the source does not state is "not recorded", never guessed."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from landscape.board.profile import Profile
from landscape.board.words import HER2_WORDS, her2_list
from landscape.values import is_missing, split_ids

# What a check found: met; not met; unknown (the patient's value is missing); not recorded (the source is silent).
OUTCOMES = ("met", "not met", "unknown", "not recorded")
UNVERIFIED_GROUPS = (
    "open or active: status not verified in the last 12 months",
    "unknown status",
    "status not recorded",
)


@dataclass(frozen=True)
class Check:
    criterion: str  # line, HER2, PD-L1, prior therapy
    outcome: str  # one of OUTCOMES
    text: str


def _not_recorded(criterion: str, what: str, where: str) -> Check:
    return Check(criterion, "not recorded", f"{what} not recorded for the {where}: check the source")


def check_line(rule: Mapping, profile: Profile, names: Mapping[str, str], where: str) -> list[Check]:
    lines = split_ids(rule["lines"])
    if not lines:
        return [_not_recorded("line", "line of therapy", where)]
    if profile.line in lines:
        return [Check("line", "met", f"line {profile.line} (covers {', '.join(lines)})")]
    return [Check("line", "not met", f"the {where} covers {', '.join(lines)}; patient is {profile.line}")]


def check_her2(rule: Mapping, profile: Profile, names: Mapping[str, str], where: str) -> list[Check]:
    levels = split_ids(rule["her2_levels"])
    if not levels:
        return [_not_recorded("HER2", "HER2 requirement", where)]
    if levels == ("any",):
        return [Check("HER2", "met", "not HER2-selected")]
    required = her2_list(levels)
    if profile.her2 == "unknown":
        return [Check("HER2", "unknown", f"HER2 status unknown; the {where} requires HER2 {required}: test HER2")]
    patient = HER2_WORDS[profile.her2]
    if profile.her2 in levels:
        return [Check("HER2", "met", f"HER2 {patient} (requires {required})")]
    return [Check("HER2", "not met", f"the {where} requires HER2 {required}; patient HER2 {patient}")]


def _num(value: object) -> float | None:
    return None if is_missing(value) else float(value)


def _pdl1_rule(scoring: str, low: float | None, high: float | None) -> str:
    unit = "%" if scoring == "TAP" else ""
    parts = ([f">= {low:g}{unit}"] if low is not None else []) + ([f"< {high:g}{unit}"] if high is not None else [])
    return f"{scoring} " + " and ".join(parts)


def check_pdl1(rule: Mapping, profile: Profile, names: Mapping[str, str], where: str) -> list[Check]:
    scoring = rule["pdl1_scoring"]
    if is_missing(scoring):
        return [_not_recorded("PD-L1", "PD-L1 requirement", where)]
    if scoring == "none":
        return [Check("PD-L1", "met", "no PD-L1 requirement")]
    low, high = _num(rule["pdl1_min"]), _num(rule["pdl1_max"])
    required = _pdl1_rule(scoring, low, high)
    if scoring == "TAP":
        text = f"the {where} uses PD-L1 {required}; the profile gives CPS only: check the TAP result"
        return [Check("PD-L1", "unknown", text)]
    if profile.cps is None:
        return [Check("PD-L1", "unknown", f"PD-L1 CPS unknown; the {where} requires {required}: test PD-L1")]
    if (low is None or profile.cps >= low) and (high is None or profile.cps < high):
        return [Check("PD-L1", "met", f"PD-L1 CPS {profile.cps:g} (requires {required})")]
    return [Check("PD-L1", "not met", f"the {where} is restricted to PD-L1 {required}; patient CPS {profile.cps:g}")]


def check_prior_required(rule: Mapping, profile: Profile, names: Mapping[str, str], where: str) -> list[Check]:
    """One check per required group ("a|b": either agent counts)."""
    checks = []
    for group in split_ids(rule["prior_required"]):
        options = group.split("|")
        words = " or ".join(names.get(a, a) for a in options)
        if set(profile.prior) & set(options):
            checks.append(Check("prior therapy", "met", f"prior {words} (required)"))
        else:
            text = f"the {where} requires prior {words}; not among the prior therapies entered"
            checks.append(Check("prior therapy", "not met", text))
    return checks


def check_prior_excluded(rule: Mapping, profile: Profile, names: Mapping[str, str], where: str) -> list[Check]:
    excluded = [a for a in split_ids(rule["prior_excluded"]) if a in profile.prior]
    if not excluded:
        return []
    return [
        Check("prior therapy", "not met", f"the {where} excludes prior {', '.join(names.get(a, a) for a in excluded)}")
    ]


Criterion = Callable[[Mapping, Profile, Mapping[str, str], str], list[Check]]
CRITERIA: tuple[Criterion, ...] = (check_line, check_her2, check_pdl1, check_prior_required, check_prior_excluded)


def check_rule(rule: Mapping, profile: Profile, names: Mapping[str, str], where: str) -> list[Check]:
    """Return the profile read against one eligibility row, criterion by criterion. `where` names the rule in
    the reasons ("FDA 2025-03-19 label", "trial")."""
    return [check for criterion in CRITERIA for check in criterion(rule, profile, names, where)]


def verdict_of(checks: Sequence[Check]) -> str:
    """Return an option's verdict: 'does not fit' (a criterion is not met, or needs a result the profile
    lacks), 'not determined' (every known criterion is met but the source is silent on one) or 'fits'."""
    if any(c.outcome in {"not met", "unknown"} for c in checks):
        return "does not fit"
    if any(c.outcome == "not recorded" for c in checks):
        return "not determined"
    return "fits"


def trial_verdict(failing: int, unrecorded: int, status_open: bool) -> str | None:
    """Return a trial cohort's verdict from the number of criteria it fails (or lacks the patient's value
    for) and leaves unrecorded, or None when the trial is not worth listing."""
    if failing == 0 and unrecorded == 0:
        return "fits" if status_open else "status not verified"
    if failing == 0:
        return "criteria not recorded" if status_open else None
    if failing == 1 and status_open:
        return "nearly fits"
    return None


def status_text(trial: Mapping) -> str:
    """Return the trial's status criterion in words: only a status a dated source verified counts as open."""
    group = trial["status_group"]
    if group == "open":
        return f"status {trial['status']} (as of {trial['status_as_of']})"
    if group == "status not recorded":
        return "status not recorded: check the registry"
    if group == "unknown status":
        return "registry status unknown: check the registry"
    stated = trial["status_as_of"] if not is_missing(trial["status_as_of"]) else "(undated)"
    return f"status {trial['status']} last stated {stated}, not verified in the last 12 months: check the registry"


def enrols_in(countries: Sequence[str], wanted: Sequence[str]) -> bool | None:
    """Return whether the trial enrols in one of the wanted countries (None when either list is empty)."""
    return None if not wanted or not countries else bool(set(countries) & set(wanted))


def countries_text(countries: Sequence[str], wanted: Sequence[str]) -> str:
    """Return the trial's countries criterion in words."""
    if not countries:
        return "enrolling countries not recorded"
    where = ", ".join(countries)
    inside = enrols_in(countries, wanted)
    if inside is None:
        return f"enrols in {where}"
    if inside:
        return f"enrols in {where}, including {', '.join(c for c in countries if c in wanted)} (chosen)"
    return f"no recorded site in {', '.join(wanted)} (enrols in {where})"
