"""build_board: one profile read against the fit rules gives the one result the page, the deck and the
command line render. The engine reads the model's own columns; it draws nothing (the callers chart the
result's evidence rows)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from landscape.board import rules
from landscape.board.changes import changes_since
from landscape.board.evidence import evidence_for
from landscape.board.profile import Profile, default_since
from landscape.board.result import BoardResult, OptionFit, TrialFit
from landscape.board.words import OPTION_VERDICTS, TRIAL_VERDICTS, describe_profile
from landscape.model import Landscape, country_name
from landscape.safety import arm_roles, guideline_positions, option_safety
from landscape.values import is_missing, split_ids
from landscape.vocab import expand_line


def _text(value: object) -> str | None:
    return None if is_missing(value) else str(value)


def _approval_rules(landscape: Landscape, agency: str) -> pd.DataFrame:
    rules_ = landscape.eligibility[landscape.eligibility["approval_id"].notna()]
    merged = rules_.merge(
        landscape.approvals, on="approval_id", how="inner", suffixes=("", "_approval"), validate="one_to_one"
    )
    return merged[merged["agency"] == agency]


def _option_reasons(
    rule: Mapping, checks: list[rules.Check], her2_directed: bool, superseded_on: str | None
) -> list[str]:
    """Return an option's reasons: why it is superseded (first), each criterion, then what sets it apart."""
    reasons = [c.text for c in checks]
    if superseded_on is not None:
        reasons.insert(0, f"superseded on {superseded_on} ({rule['superseded_by']}): not a current option")
    if not her2_directed:
        reasons.append("not HER2-directed: an approved standard for this line, whatever the HER2 result")
    if bool(rule["other_tumour"]):
        reasons.append(f"not gastric-specific: approved for {rule['tumour_type']}")
    if _text(rule["approval_type"]) in {"accelerated", "conditional"}:
        reasons.append(f"{rule['approval_type']} approval: continued approval depends on confirmatory evidence")
    return reasons


def _option(landscape: Landscape, rule: Mapping, profile: Profile, context: Mapping) -> OptionFit:
    """Return one approved indication read against the profile, with its evidence when it fits."""
    where = f"{rule['agency']} {rule['approval_date']} label"
    checks = rules.check_rule(rule, profile, context["names"], where)
    superseded_by = _text(rule["superseded_by"])
    verdict = "superseded" if superseded_by else rules.verdict_of(checks)
    agent_ids = split_ids(rule["agent_id"])
    her2_directed = bool(set(agent_ids) & context["her2_agents"])
    superseded_on = (_text(context["approval_dates"].get(superseded_by)) or "a later date") if superseded_by else None
    reasons = _option_reasons(rule, checks, her2_directed, superseded_on)
    if verdict == "fits":
        summary = f"fits: {where}: " + "; ".join(c.text for c in checks)
    elif verdict == "superseded":
        summary = reasons[0]
    else:
        summary = f"{verdict}: " + "; ".join(c.text for c in checks if c.outcome != "met")
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
        verdict=verdict,
        reasons=tuple(reasons),
        superseded_by=superseded_by,
        evidence=evidence,
        label_source_ids=tuple(dict.fromkeys(s for s in (rule["source_id_approval"], rule["source_id"]) if _text(s))),
        summary=summary,
        safety=safety,
        guidelines=guidelines,
    )


def _trial_fit(
    trial: Mapping, cohorts: Iterable[Mapping], profile: Profile, names: Mapping[str, str]
) -> TrialFit | None:
    """Return how the trial's best cohort reads against the profile, or None when it is not worth listing
    (does not fit on more than one criterion, or stopped/completed)."""
    group = trial["status_group"]
    if group != "open" and group not in rules.UNVERIFIED_GROUPS:
        return None
    scored = []
    for rule in cohorts:
        checks = rules.check_rule(rule, profile, names, "trial")
        failing = [c for c in checks if c.outcome in {"not met", "unknown"}]
        unrecorded = sum(c.outcome == "not recorded" for c in checks)
        scored.append((len(failing), unrecorded, rule, checks, failing))
    n_failing, n_unrecorded, rule, checks, failing = min(scored, key=lambda s: (s[0], s[1]))
    verdict = rules.trial_verdict(n_failing, n_unrecorded, group == "open")
    if verdict is None:
        return None
    countries = split_ids(trial["countries"])
    return TrialFit(
        trial_id=str(trial["trial_id"]),
        nct_id=_text(trial["nct_id"]),
        acronym=str(trial["acronym"]),
        phase=str(trial["phase"]),
        line_of_therapy=str(trial["line_of_therapy"]),
        status=_text(trial["status"]),
        status_group=str(group),
        verdict=verdict,
        cohort=_text(rule["cohort"]),
        reasons=(
            *(c.text for c in checks),
            rules.status_text(trial),
            rules.countries_text(countries, profile.countries),
        ),
        excluding=failing[0].text if verdict == "nearly fits" else None,
        countries=countries,
        in_countries=rules.enrols_in(countries, profile.countries),
        registry_url=_text(trial["registry_url"]),
        source_ids=(str(rule["source_id"]),),
    )


def _options(landscape: Landscape, profile: Profile, names: Mapping[str, str]) -> list[OptionFit]:
    """Return the agency's approved indications read against the profile, in the board's order."""
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
    options = [_option(landscape, rule, profile, context) for rule in records]
    rank = {v: i for i, v in enumerate(OPTION_VERDICTS)}
    newest_first = lambda date: tuple(-int(p) for p in date.split("-"))  # noqa: E731
    options.sort(key=lambda o: (rank[o.verdict], not o.her2_directed, o.tumour_agnostic, newest_first(o.approval_date)))
    return options


def _trials(landscape: Landscape, profile: Profile, names: Mapping[str, str]) -> tuple[list[TrialFit], list[str]]:
    """Return the trials that fit, nearly fit or need their status checked (in the board's order), and the
    open trials of the profile's line without fit rules."""
    by_trial: dict[str, list[dict]] = {}
    for rule in landscape.eligibility[landscape.eligibility["trial_id"].notna()].to_dict("records"):
        by_trial.setdefault(rule["trial_id"], []).append(rule)
    trials = landscape.trials
    # Only trials with fit rules, or open ones (listed as not assessed), can appear: skip the rest early.
    candidates = trials[trials["trial_id"].isin(by_trial) | (trials["status_group"] == "open")]
    fits, not_assessed = [], []
    for trial in candidates.to_dict("records"):
        cohorts = by_trial.get(trial["trial_id"])
        if cohorts is None:
            if trial["status_group"] == "open" and profile.line in expand_line(trial["line_of_therapy"]):
                not_assessed.append(str(trial["acronym"]))
        elif (fit := _trial_fit(trial, cohorts, profile, names)) is not None:
            fits.append(fit)
    rank = {v: i for i, v in enumerate(TRIAL_VERDICTS)}
    fits.sort(key=lambda t: (rank[t.verdict], t.in_countries is False, t.acronym))
    return fits, not_assessed


def build_board(landscape: Landscape, profile: Profile) -> BoardResult:
    """Return the board for one profile: the agency's approved options with their fit and reasons (and
    the pivotal evidence of those that fit), the trials that fit, nearly fit or whose status is not
    verified, and what changed since the chosen date."""
    names = dict(zip(landscape.agents["agent_id"], landscape.agents["name"], strict=True))
    trials, not_assessed = _trials(landscape, profile, names)
    since = profile.since or default_since(landscape.as_of)
    return BoardResult(
        profile=profile,
        profile_words=describe_profile(profile, names, country_name),
        as_of=landscape.as_of,
        since=since,
        approved=tuple(_options(landscape, profile, names)),
        trials=tuple(trials),
        changes=changes_since(landscape, since),
        not_assessed=tuple(not_assessed),
    )
