"""build_board: one profile read against the fit rules gives the one result the page, the deck and the
command line render. The engine reads the model's own columns; it draws nothing (the callers chart the
result's evidence rows)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

import pandas as pd

from landscape.board import rules
from landscape.board.changes import changes_since
from landscape.board.evidence import evidence_for
from landscape.board.profile import Profile, default_since
from landscape.board.result import BoardResult, NotAssessed, OptionFit, TrialFit
from landscape.board.words import OPTION_VERDICTS, TRIAL_VERDICTS, describe_profile
from landscape.model import Landscape, country_name
from landscape.safety import arm_roles, guideline_positions, option_safety
from landscape.values import is_missing, split_ids
from landscape.vocab import REGIMENS, closed_to_enrolment, expand_line


def _text(value: object) -> str | None:
    return None if is_missing(value) else str(value)


def _approval_rules(landscape: Landscape, agency: str) -> pd.DataFrame:
    rules_ = landscape.eligibility[landscape.eligibility["approval_id"].notna()]
    merged = rules_.merge(
        landscape.approvals, on="approval_id", how="inner", suffixes=("", "_approval"), validate="one_to_one"
    )
    return merged[merged["agency"] == agency]


def _option_notes(rule: Mapping, superseded_on: str | None) -> tuple[list[str], list[str]]:
    """Return what an option's reasons start with (why it is superseded) and end with (whom it is approved
    for when not gastric-specific, an approval that depends on confirmatory evidence)."""
    first = [f"superseded on {superseded_on} ({rule['superseded_by']}): not a current option"] if superseded_on else []
    last = [f"not gastric-specific: approved for {rule['tumour_type']}"] if bool(rule["other_tumour"]) else []
    if _text(rule["approval_type"]) in {"accelerated", "conditional"}:
        last.append(f"{rule['approval_type']} approval: continued approval depends on confirmatory evidence")
    return first, last


def _option(landscape: Landscape, rule: Mapping, profile: Profile, context: Mapping) -> OptionFit:
    """Return one approved indication read against the profile, with its evidence when it fits."""
    where = f"{rule['agency']} {rule['approval_date']} label"
    checks = rules.check_rule(rule, profile, context["names"], where)
    superseded_by = _text(rule["superseded_by"])
    verdict = "superseded" if superseded_by else rules.verdict_of(checks)
    agent_ids = split_ids(rule["agent_id"])
    her2_directed = bool(set(agent_ids) & context["her2_agents"])
    superseded_on = (_text(context["approval_dates"].get(superseded_by)) or "a later date") if superseded_by else None
    ordered = [c.text for c in rules.decisive(checks)]
    first, last = _option_notes(rule, superseded_on)
    # A line that does not fit ends the reasons: what the approval is, or depends on, does not matter then.
    line_mismatch = any(c.criterion == "line" and c.outcome == "not met" for c in checks)
    reasons = first + ordered + ([] if line_mismatch else last)
    if verdict == "fits":
        summary = f"fits: {where}: " + "; ".join(ordered)
    elif verdict == "superseded":
        summary = reasons[0]
    else:
        summary = f"{verdict}: " + "; ".join(c.text for c in rules.decisive(checks) if c.outcome != "met")
    evidence = evidence_for(landscape, rule, context["outcomes_by_trial"], profile) if verdict == "fits" else ()
    trials = split_ids(rule["evidence_trial_ids"])
    safety = option_safety(landscape.safety, agent_ids, profile.agency, trials, roles=context["arm_roles"])
    key_agents = context["key_agents"]
    guidelines = guideline_positions(
        landscape.guidelines, [a for a in agent_ids if a in key_agents], profile.line, key_agents
    )
    return OptionFit(
        approval_id=str(rule["approval_id"]),
        agency=str(rule["agency"]),
        regimen=str(rule["regimen"]),
        agent_ids=agent_ids,
        approval_date=str(rule["approval_date"]),
        approval_type=_text(rule["approval_type"]) or "",
        lines=", ".join(split_ids(rule["lines"])) or "not recorded",
        her2_directed=her2_directed,
        tumour_agnostic=bool(rule["other_tumour"]),
        tumour_type=str(rule["tumour_type"]),
        verdict=verdict,
        reasons=tuple(reasons),
        superseded_by=superseded_by,
        evidence=evidence,
        label_source_ids=tuple(dict.fromkeys(s for s in (rule["source_id_approval"], rule["source_id"]) if _text(s))),
        summary=summary,
        safety=safety,
        guidelines=guidelines,
    )


def _trial_fit(trial: Mapping, cohorts: Iterable[Mapping], profile: Profile, names: Mapping[str, str]) -> TrialFit:
    """Return how the trial's best cohort reads against the profile: its criteria, then the trial's status and
    (when chosen) countries. The best cohort has the best verdict, then the fewest criteria not met, then the
    profile's line."""
    countries = split_ids(trial["countries"])
    shared = [rules.check_status(trial), *rules.check_countries(countries, profile.countries)]
    rank = {v: i for i, v in enumerate(TRIAL_VERDICTS)}
    scored = []
    for rule in cohorts:
        checks = [*rules.check_rule(rule, profile, names, "trial"), *shared]
        verdict = rules.trial_verdict(checks)
        line_met = any(c.criterion == "line" and c.outcome == "met" for c in checks)
        failing = sum(c.outcome == "not met" for c in checks)
        scored.append(((rank[verdict], failing, not line_met), verdict, rule, checks))
    _, verdict, rule, checks = min(scored, key=lambda s: s[0])
    reasons = [c.text for c in rules.decisive(checks)]
    if not profile.countries and verdict != "does not fit":
        reasons.append(rules.countries_text(countries, ()))  # where it enrols, for the reader: not a criterion
    return TrialFit(
        trial_id=str(trial["trial_id"]),
        nct_id=_text(trial["nct_id"]),
        acronym=str(trial["acronym"]),
        phase=str(trial["phase"]),
        line_of_therapy=str(trial["line_of_therapy"]),
        status=_text(trial["status"]),
        status_group=str(trial["status_group"]),
        verdict=verdict,
        cohort=_text(rule["cohort"]),
        reasons=tuple(reasons),
        excluding=reasons[0] if verdict == "nearly fits" else None,
        countries=countries,
        in_countries=rules.enrols_in(countries, profile.countries),
        registry_url=_text(trial["registry_url"]),
        source_ids=(str(rule["source_id"]),),
    )


def _lead_key(option: OptionFit, line: str) -> tuple:
    """The order of options: by verdict, HER2-directed first, gastric before tumour-agnostic, an approval for
    the profile's line alone before a broader one, the newest first."""
    newest_first = tuple(-int(p) for p in option.approval_date.split("-"))
    broader = option.lines != line
    rank = OPTION_VERDICTS.index(option.verdict)
    return rank, not option.her2_directed, option.tumour_agnostic, broader, newest_first


def _cards(options: list[OptionFit], line: str) -> list[OptionFit]:
    """Return one option per drug (the same agents): the first in the board's order leads, the drug's other
    current approvals are noted on it (their label sources with its own). Superseded ones stay apart."""
    options = sorted(options, key=lambda o: _lead_key(o, line))
    by_drug: dict[tuple, list[OptionFit]] = {}
    for option in options:
        if option.verdict != "superseded":
            by_drug.setdefault(tuple(sorted(option.agent_ids)), []).append(option)
    cards = []
    for lead, *others in by_drug.values():
        sources = tuple(dict.fromkeys(s for o in (lead, *others) for s in o.label_source_ids))
        cards.append(dataclasses.replace(lead, other_approvals=tuple(others), label_source_ids=sources))
    return cards + [o for o in options if o.verdict == "superseded"]


def _options(landscape: Landscape, profile: Profile, names: Mapping[str, str]) -> list[OptionFit]:
    """Return the agency's approved indications read against the profile, one card per drug, in the board's
    order."""
    agents = landscape.agents
    context = {
        "names": names,
        "her2_agents": set(agents.loc[agents["her2_directed"].fillna(False).astype(bool), "agent_id"]),
        "approval_dates": dict(
            zip(landscape.approvals["approval_id"], landscape.approvals["approval_date"], strict=True)
        ),
        # Row positions per trial and plain records: a frame or a Series per group costs more than the check.
        "outcomes_by_trial": landscape.outcomes.groupby("trial_id", sort=False).indices,
        "arm_roles": arm_roles(landscape.outcomes),
        # The regimen's own agents: a guideline's chemotherapy backbone does not tell positions apart.
        "key_agents": frozenset(agents.loc[agents["modality"] != "chemotherapy", "agent_id"]),
    }
    records = _approval_rules(landscape, profile.agency).to_dict("records")
    return _cards([_option(landscape, rule, profile, context) for rule in records], profile.line)


def _not_assessed(trial: Mapping) -> NotAssessed:
    reason = f"eligibility criteria not recorded; {rules.status_text(trial)}"
    return NotAssessed(str(trial["trial_id"]), str(trial["acronym"]), reason)


def _trials(
    landscape: Landscape, profile: Profile, names: Mapping[str, str]
) -> tuple[list[TrialFit], list[NotAssessed]]:
    """Return every trial that may enrol read against the profile (in the board's order), and the trials of
    the profile's line that may enrol but have no fit rules. Trials closed to enrolment are not offered."""
    by_trial: dict[str, list[dict]] = {}
    for rule in landscape.eligibility[landscape.eligibility["trial_id"].notna()].to_dict("records"):
        by_trial.setdefault(rule["trial_id"], []).append(rule)
    trials = landscape.trials
    fits, not_assessed = [], []
    for trial in trials.to_dict("records"):
        if closed_to_enrolment(trial["status_group"], trial["status"]):
            continue
        cohorts = by_trial.get(trial["trial_id"])
        if cohorts is not None:
            fits.append(_trial_fit(trial, cohorts, profile, names))
        elif profile.line in expand_line(trial["line_of_therapy"]):
            not_assessed.append(_not_assessed(trial))
    rank = {v: i for i, v in enumerate(TRIAL_VERDICTS)}
    fits.sort(key=lambda t: (rank[t.verdict], t.in_countries is False, t.acronym))
    not_assessed.sort(key=lambda t: t.acronym.lower())
    return fits, not_assessed


def build_board(landscape: Landscape, profile: Profile) -> BoardResult:
    """Return the board for one profile: the agency's approved options with their fit and reasons (and
    the pivotal evidence of those that fit), one card per drug; the trials that may enrol, each with its
    verdict; the trials of the line the board could not assess, with why; and what changed since the chosen
    date."""
    names = dict(zip(landscape.agents["agent_id"], landscape.agents["name"], strict=True))
    trials, not_assessed = _trials(landscape, profile, names)
    entered = {r.regimen_id: r.name for r in REGIMENS} | names  # what the profile's prior therapy can name
    since = profile.since or default_since(landscape.as_of)
    return BoardResult(
        profile=profile,
        profile_words=describe_profile(profile, entered, country_name),
        as_of=landscape.as_of,
        since=since,
        approved=tuple(_options(landscape, profile, names)),
        trials=tuple(trials),
        changes=changes_since(landscape, since),
        not_assessed=tuple(not_assessed),
    )
