"""The fit rules: one function per criterion of an eligibility row (line, dose-escalation part, HER2, PD-L1,
prior therapy required and excluded, number of prior regimens), read from a small table; the trial's own
criteria (status, countries); the order in which the reasons read; and the verdicts they add up to.

A criterion the source does not state is "not recorded", never guessed; a value the profile does not give
(PD-L1 CPS, HER2, a prior therapy not entered) is "unknown" and makes the verdict "not determined", naming
what to enter, never "does not fit". Prior therapy is only ever entered, never ruled out: an agent not entered
is unknown, not absent."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from landscape.board.profile import Profile
from landscape.board.words import HER2_WORDS, her2_list
from landscape.values import is_missing, split_ids
from landscape.vocab import DRUG_CLASSES, NOT_RECORDED, OPEN, UNKNOWN, UNVERIFIED_GROUPS

# What a check found: met; not met; unknown (the patient's value is missing); not recorded (the source is silent).
OUTCOMES = ("met", "not met", "unknown", "not recorded")
# A PD-L1 CPS this close to a threshold (a fraction of it) is "just outside": CPS scoring varies between
# readers most near a cut-off, so a trial may be worth a second read. A label is never "nearly" met.
NEAR_FRACTION = 0.2
# A cohort named as a dose-escalation part sets the dose for the later parts: not a cohort to refer a patient to.
DOSE_ESCALATION = re.compile(r"dose[- ]escalation", re.IGNORECASE)


@dataclass(frozen=True)
class Check:
    criterion: str  # line, cohort, HER2, PD-L1, prior therapy, prior regimens, status, countries
    outcome: str  # one of OUTCOMES
    text: str
    near: bool = False  # not met, but the patient's value is just outside (NEAR_FRACTION)


def _not_recorded(criterion: str, what: str, where: str) -> Check:
    return Check(criterion, "not recorded", f"{what} not recorded for the {where}: check the source")


def check_line(rule: Mapping, profile: Profile, names: Mapping[str, str], where: str) -> list[Check]:
    lines = split_ids(rule["lines"])
    if not lines:
        return [_not_recorded("line", "line of therapy", where)]
    if profile.line in lines:
        return [Check("line", "met", f"line {profile.line} (covers {', '.join(lines)})")]
    return [Check("line", "not met", f"the {where} covers {', '.join(lines)}; patient is {profile.line}")]


def check_cohort(rule: Mapping, profile: Profile, names: Mapping[str, str], where: str) -> list[Check]:
    """A trial's dose-escalation part does not fit whoever the patient is."""
    cohort = rule.get("cohort")
    if is_missing(cohort) or not DOSE_ESCALATION.search(str(cohort)):
        return []
    text = "a dose-escalation part: it sets the dose for the later parts, not a cohort to refer a patient to"
    return [Check("cohort", "not met", text)]


def check_her2(rule: Mapping, profile: Profile, names: Mapping[str, str], where: str) -> list[Check]:
    levels = split_ids(rule["her2_levels"])
    if not levels:
        return [_not_recorded("HER2", "HER2 requirement", where)]
    if levels == ("any",):
        return [Check("HER2", "met", "not HER2-selected: any HER2 result")]
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


def _just_outside(cps: float, low: float | None, high: float | None) -> bool:
    below = low is not None and low * (1 - NEAR_FRACTION) <= cps < low
    above = high is not None and high <= cps < high * (1 + NEAR_FRACTION)
    return below or above


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
    text = f"the {where} is restricted to PD-L1 {required}; patient CPS {profile.cps:g}"
    near = _just_outside(profile.cps, low, high)
    return [Check("PD-L1", "not met", text + (" (just outside)" if near else ""), near)]


def group_words(options: Sequence[str], names: Mapping[str, str]) -> str:
    """Return a prior-therapy group in words, a whole drug class by its name: 'a fluoropyrimidine or a
    platinum', 'a taxane or irinotecan', 'Trastuzumab'."""
    rest = list(options)
    parts = []
    for name, members in DRUG_CLASSES.items():
        if set(members) <= set(rest):
            parts.append(name)
            rest = [a for a in rest if a not in members]
    return " or ".join([*parts, *(names.get(a, a) for a in rest)])


def check_prior_required(rule: Mapping, profile: Profile, names: Mapping[str, str], where: str) -> list[Check]:
    """One check per required group ("a|b": either agent counts). A group none of whose agents was entered is
    unknown: the profile lists what the patient received, never what they did not."""
    checks = []
    received = profile.prior_agents
    for group in split_ids(rule["prior_required"]):
        options = group.split("|")
        words = group_words(options, names)
        matched = ", ".join(names.get(a, a) for a in received if a in options)
        if not matched:
            text = f"enter whether the patient received {words} (required by the {where})"
            checks.append(Check("prior therapy", "unknown", text))
        elif matched == words:
            checks.append(Check("prior therapy", "met", f"prior {words} (required)"))
        else:
            checks.append(Check("prior therapy", "met", f"prior {matched} ({words} required)"))
    return checks


def check_prior_excluded(rule: Mapping, profile: Profile, names: Mapping[str, str], where: str) -> list[Check]:
    excluded = [a for a in split_ids(rule["prior_excluded"]) if a in profile.prior_agents]
    if not excluded:
        return []
    return [
        Check("prior therapy", "not met", f"the {where} excludes prior {', '.join(names.get(a, a) for a in excluded)}")
    ]


def _regimens(low: int, high: int | None) -> str:
    if high is None:
        return f"at least {low} prior regimens"
    return "no prior regimen" if high == 0 else f"{low} prior regimen" + ("s" if low > 1 else "")


def check_prior_lines(rule: Mapping, profile: Profile, names: Mapping[str, str], where: str) -> list[Check]:
    """The fewest prior regimens the row requires, read against the number the profile's line means (2L: one,
    3L+: at least two). A requirement beyond what the line tells is unknown."""
    need = _num(rule.get("prior_lines_min"))
    if need is None:
        return []
    need_words = f"at least {need:g} prior regimen" + ("s" if need != 1 else "")
    low, high = profile.prior_regimens
    means = f"{profile.line}: {_regimens(low, high)}"
    if low >= need:
        return [Check("prior regimens", "met", f"{means} (requires at least {need:g})")]
    if high is not None and high < need:
        return [Check("prior regimens", "not met", f"the {where} requires {need_words}; {means}")]
    text = f"the {where} requires {need_words}; {means}: check the number of prior regimens"
    return [Check("prior regimens", "unknown", text)]


Criterion = Callable[[Mapping, Profile, Mapping[str, str], str], list[Check]]
CRITERIA: tuple[Criterion, ...] = (
    check_line,
    check_cohort,
    check_her2,
    check_pdl1,
    check_prior_required,
    check_prior_excluded,
    check_prior_lines,
)


def check_rule(rule: Mapping, profile: Profile, names: Mapping[str, str], where: str) -> list[Check]:
    """Return the profile read against one eligibility row, criterion by criterion. `where` names the rule in
    the reasons ("FDA 2025-03-19 label", "trial")."""
    return [check for criterion in CRITERIA for check in criterion(rule, profile, names, where)]


def decisive(checks: Sequence[Check]) -> list[Check]:
    """Return the checks in the order the reasons read, the decisive first. A line that does not fit is the
    only reason (nothing else matters, no test to order); otherwise what is not met (a value just outside
    last), then what is met. With nothing unmet, what to enter or check comes first, then what is met."""
    line = [c for c in checks if c.criterion == "line" and c.outcome == "not met"]
    if line:
        return line
    failing = sorted((c for c in checks if c.outcome == "not met"), key=lambda c: c.near)
    met = [c for c in checks if c.outcome == "met"]
    if failing:
        return failing + met
    return [c for c in checks if c.outcome in {"unknown", "not recorded"}] + met


def verdict_of(checks: Sequence[Check]) -> str:
    """Return an approved option's verdict: 'does not fit' (a criterion is not met), 'not determined' (every
    known criterion is met but the profile lacks a value or the source is silent on one) or 'fits'."""
    if any(c.outcome == "not met" for c in checks):
        return "does not fit"
    if any(c.outcome in {"unknown", "not recorded"} for c in checks):
        return "not determined"
    return "fits"


def trial_verdict(checks: Sequence[Check]) -> str:
    """Return a trial cohort's verdict from its checks (the status and chosen countries among them).

    'fits' when all are met; 'nearly fits' when exactly one criterion is unknown or just outside and the status
    is open; 'status not verified' when the status is the only doubt; 'not determined' for more than one
    unknown; 'criteria not recorded' when the source is silent on one; 'does not fit' when a criterion is not
    met (another line, a dose-escalation part, countries not recorded), or a value just outside comes with
    another doubt."""
    if any(c.outcome == "not met" and not c.near for c in checks):
        return "does not fit"
    near = [c for c in checks if c.near]
    doubts = near + [c for c in checks if c.outcome == "unknown"]
    if any(c.outcome == "not recorded" for c in checks):
        return "does not fit" if near else "criteria not recorded"
    if not doubts:
        return "fits"
    if len(doubts) == 1:
        return "status not verified" if doubts[0].criterion == "status" else "nearly fits"
    return "does not fit" if near else "not determined"


def status_text(trial: Mapping) -> str:
    """Return the trial's status criterion in words: only a status a dated source verified counts as open."""
    group = trial["status_group"]
    if group == OPEN:
        return f"status {trial['status']} (as of {trial['status_as_of']})"
    if group == NOT_RECORDED:
        return "status not recorded: check the registry"
    if group == UNKNOWN:
        return "registry status unknown: check the registry"
    stated = trial["status_as_of"] if not is_missing(trial["status_as_of"]) else "(undated)"
    return f"status {trial['status']} last stated {stated}, not verified in the last 12 months: check the registry"


def check_status(trial: Mapping) -> Check:
    """An open status (verified by a dated source) is met; one that is not verified is unknown. Trials closed
    to enrolment never reach the board's checks."""
    if trial["status_group"] == OPEN:
        return Check("status", "met", status_text(trial))
    if trial["status_group"] not in UNVERIFIED_GROUPS:
        raise ValueError(f"{trial['trial_id']}: a closed trial ({trial['status_group']}) is not read against a profile")
    return Check("status", "unknown", status_text(trial))


def enrols_in(countries: Sequence[str], wanted: Sequence[str]) -> bool | None:
    """Return whether the trial enrols in one of the wanted countries (None when either list is empty)."""
    return None if not wanted or not countries else bool(set(countries) & set(wanted))


def countries_text(countries: Sequence[str], wanted: Sequence[str]) -> str:
    """Return the trial's countries criterion in words."""
    if not countries and wanted:
        return f"countries not recorded: check the registry for sites in {', '.join(wanted)}"
    if not countries:
        return "enrolling countries not recorded"
    where = ", ".join(countries)
    inside = enrols_in(countries, wanted)
    if inside is None:
        return f"enrols in {where}"
    if inside:
        return f"enrols in {where}, including {', '.join(c for c in countries if c in wanted)} (chosen)"
    return f"no recorded site in {', '.join(wanted)} (enrols in {where})"


def check_countries(countries: Sequence[str], wanted: Sequence[str]) -> list[Check]:
    """Where the patient could enrol, when chosen: a trial with no recorded site there, or no countries
    recorded at all, does not fit (the latter says to check)."""
    if not wanted:
        return []
    met = bool(enrols_in(countries, wanted))
    return [Check("countries", "met" if met else "not met", countries_text(countries, wanted))]
