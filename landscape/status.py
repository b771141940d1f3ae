"""Trial status from the evidence the landscape holds: whether a trial's primary results are reported and
when, what its enrolment status is once results are in (a registry status can be years old), and when its
primary readout is expected and whether it is overdue. Pure functions over the validated tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from landscape import dates
from landscape.values import is_missing, split_ids
from landscape.vocab import OPEN_STATUSES, STOPPED_STATUSES

NO_READOUT_STATUSES = frozenset({"Terminated", "Withdrawn"})
# Results of these analyses are the primary endpoint's: an interim look counts only when the trial says
# its primary endpoint was met (or missed) on it.
PRIMARY_STAGES = frozenset({"primary", "final"})
READOUT_WINDOW_MONTHS = 12
READOUT_STATES = ("upcoming", "later", "overdue", "reported", "stopped", "no date")
GUIDANCE_TYPES = frozenset({"primary results expected", "topline results expected"})


def _text(value: object) -> str:
    return "" if is_missing(value) else str(value)


@dataclass(frozen=True)
class PrimaryResults:
    """When a trial's primary results became public, and on what the landscape says so."""

    first: str  # the earliest date (partial, as the source gives it; "" when no source dates it)
    latest: str  # the latest result of any analysis (a registry record must be newer than this to win)
    basis: str  # "primary results 2025-06" or "approval based on it 2024-04-05"


def primary_results(
    trials: pd.DataFrame,
    outcomes: pd.DataFrame,
    eligibility: pd.DataFrame,
    approvals: pd.DataFrame,
    sources: pd.DataFrame,
) -> dict[str, PrimaryResults]:
    """Return, per trial with a reported primary analysis, when it was first reported.

    Reported means: the trial's primary endpoint is recorded as met or not met (dated by its earliest
    result, else by the source that says so); or, unless the curator recorded the primary endpoint as not
    yet reported, an outcome row of a primary or final analysis; or an approval whose fit rule names the
    trial as its evidence. An interim or earlier result alone does not count."""
    met = dict(zip(trials["trial_id"], trials["primary_endpoint_met"].map(_text), strict=True))
    first: dict[str, list[str]] = {}
    latest: dict[str, str] = {}
    for row in outcomes.itertuples(index=False):
        if is_missing(row.readout_date):
            continue
        date = str(row.readout_date)
        known = latest.get(row.trial_id)
        if known is None or dates.sort_key(date) > dates.sort_key(known):
            latest[row.trial_id] = date
        decided = met.get(row.trial_id) in {"yes", "no"}
        if decided or (met.get(row.trial_id) != "not yet" and row.analysis_stage in PRIMARY_STAGES):
            first.setdefault(row.trial_id, []).append(date)
    out = {}
    for trial, found in first.items():
        earliest = min(found, key=dates.sort_key)
        out[trial] = PrimaryResults(earliest, latest[trial], f"primary results {earliest}")
    published = dict(zip(sources["source_id"], sources["published"].map(_text), strict=True))
    for row in trials.itertuples(index=False):
        if row.trial_id in out or met[row.trial_id] not in {"yes", "no"}:
            continue
        date = published.get(_text(row.endpoint_source_id), "")
        if dates.parse(date):
            out[row.trial_id] = PrimaryResults(date, date, f"primary endpoint reported {date}")
        else:
            out[row.trial_id] = PrimaryResults("", "", "primary endpoint reported (date not recorded)")
    approval_dates = dict(zip(approvals["approval_id"], approvals["approval_date"], strict=True))
    for row in eligibility.itertuples(index=False):
        if is_missing(row.approval_id) or row.approval_id not in approval_dates:
            continue
        date = str(approval_dates[row.approval_id])
        for trial in split_ids(row.evidence_trial_ids):
            known = out.get(trial)
            if known is None:
                out[trial] = PrimaryResults(date, date, f"approval based on it {date}")
    return out


def enrolment_closed_basis(
    status: object,
    status_as_of: object,
    enrollment: object,
    enrollment_type: object,
    results: PrimaryResults | None,
) -> str:
    """Return why enrolment is closed though the registry status does not say so ("" when the evidence
    does not overrule the registry).

    A trial whose primary results are reported has finished enrolling, whatever an older registry record
    says; a registry record dated after the latest result wins (a trial can reopen or add a cohort)."""
    status, enrollment_type = _text(status), _text(enrollment_type)
    if results is None or status in STOPPED_STATUSES or status in {"Completed", "Active, not recruiting"}:
        return ""
    if not is_missing(status_as_of) and status in OPEN_STATUSES:
        stated, reported = dates.first_day(str(status_as_of)), dates.last_day(results.latest)
        if stated is not None and reported is not None and stated > reported:
            return ""
    if enrollment_type == "actual" and not is_missing(enrollment):
        enrolled = f"actual enrolment {int(enrollment)}"
    else:
        enrolled = "enrolment not recorded as actual"
    return f"enrolment closed (inferred: {results.basis}, {enrolled})"


@dataclass(frozen=True)
class ExpectedReadout:
    date: str  # partial date as given (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, YYYY-Hn); "" when none
    basis: str  # where the date comes from, in words
    source_ids: tuple[str, ...]
    state: str  # one of READOUT_STATES


def guidance_by_trial(events: pd.DataFrame) -> dict[str, tuple[str, str, str]]:
    """Return each trial's earliest sourced readout guidance: (date, what, source_id)."""
    out: dict[str, tuple[str, str, str]] = {}
    rows = events[events["kind"].eq("readout") & events["event_type"].isin(GUIDANCE_TYPES)]
    for row in rows.itertuples(index=False):
        if is_missing(row.trial_id):
            continue
        known = out.get(row.trial_id)
        if known is None or dates.sort_key(row.event_date) < dates.sort_key(known[0]):
            out[row.trial_id] = (str(row.event_date), str(row.what), str(row.source_id))
    return out


def expected_readout(
    trial: Mapping | object,
    reported: bool,
    guidance: tuple[str, str, str] | None,
    as_of: str,
    window_months: int = READOUT_WINDOW_MONTHS,
) -> ExpectedReadout:
    """Return when a trial's primary readout is expected, on what basis, and its state.

    The date is the registry's primary completion, else its completion, else sourced company guidance.
    Overdue: the date has passed (the whole period, for a partial date), the primary result is not reported
    (an interim or earlier result does not count) and the trial was not terminated or withdrawn. Upcoming:
    within window_months of the as-of date."""
    get = trial.get if isinstance(trial, Mapping) else lambda k: getattr(trial, k)
    date, basis, sources = "", "", ()
    for column, words in (("primary_completion_date", "primary completion"), ("completion_date", "completion")):
        value = get(column)
        if not is_missing(value):
            kind = _text(get(f"{column}_type"))
            kind = f" ({kind})" if kind else ""
            date, basis = str(value), f"registry {words} date {value}{kind}"
            sources = tuple(s for s in split_ids(get("source_ids")) if s.startswith("ct_"))[:1]
            break
    if not date and guidance is not None:
        date, basis, sources = guidance[0], f"company guidance: {guidance[1]}", (guidance[2],)
    return ExpectedReadout(date, basis, sources, readout_state(date, reported, get("status"), as_of, window_months))


def readout_state(date: str, reported: bool, status: object, as_of: str, window_months: int) -> str:
    """Return the state of a readout (one of READOUT_STATES); see expected_readout."""
    status = _text(status)
    if reported:
        return "reported"
    if status in NO_READOUT_STATUSES:
        return "stopped"
    if not date:
        return "no date"
    today = dt.date.fromisoformat(as_of)
    if dates.last_day(date) < today:
        return "overdue"
    horizon = dates.add_months(today, window_months)
    return "upcoming" if dates.first_day(date) <= horizon else "later"


def trials_with_status(
    trials: pd.DataFrame,
    outcomes: pd.DataFrame,
    eligibility: pd.DataFrame,
    approvals: pd.DataFrame,
    events: pd.DataFrame,
    sources: pd.DataFrame,
    as_of: str,
) -> pd.DataFrame:
    """Return the status columns the model adds to every trial: primary results (date and basis), the
    enrolment inference, and the expected readout (date, basis, its sources, state)."""
    results = primary_results(trials, outcomes, eligibility, approvals, sources)
    guidance = guidance_by_trial(events)
    rows = []
    for trial in trials.itertuples(index=False):
        found = results.get(trial.trial_id)
        readout = expected_readout(trial, found is not None, guidance.get(trial.trial_id), as_of)
        rows.append(
            {
                "primary_results_date": found.first if found else pd.NA,
                "primary_results_basis": found.basis if found else pd.NA,
                "enrolment_inferred": enrolment_closed_basis(
                    trial.status, trial.status_as_of, trial.enrollment, trial.enrollment_type, found
                ),
                "expected_readout": readout.date or pd.NA,
                "expected_readout_basis": readout.basis or pd.NA,
                "expected_readout_sources": ";".join(readout.source_ids) or pd.NA,
                "readout_state": readout.state,
            }
        )
    return pd.DataFrame(rows, index=trials.index).astype("string")
