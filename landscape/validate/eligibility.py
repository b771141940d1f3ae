"""Cross-field checks of eligibility.csv, the fit rules a table schema cannot express: one owner per row,
prior-therapy groups naming real agents, a PD-L1 threshold only with its scoring, superseding within one
agency, evidence that exists."""

from __future__ import annotations

import pandas as pd

from landscape.validate.problems import Problem, cell_problem, number
from landscape.values import split_ids

TABLE = "eligibility"


def eligibility_problems(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    agents = set(frames["agents"]["agent_id"])
    agency = dict(zip(frames["approvals"]["approval_id"], frames["approvals"]["agency"], strict=True))
    outcomes = frames["outcomes"]
    populations = set(zip(outcomes["trial_id"], outcomes["population"], strict=True))
    out = []
    for i, row in enumerate(frames[TABLE].itertuples(index=False)):
        if bool(row.approval_id) == bool(row.trial_id):
            out.append(cell_problem(TABLE, i, "approval_id", "fill exactly one of approval_id and trial_id"))
        out += [
            cell_problem(TABLE, i, "prior_required", f'"{item}" not found in agents.csv (agent_id)')
            for group in split_ids(row.prior_required)
            for item in group.split("|")
            if item not in agents
        ]
        out += _pdl1_problems(i, row)
        if "any" in split_ids(row.her2_levels) and len(split_ids(row.her2_levels)) > 1:
            out.append(cell_problem(TABLE, i, "her2_levels", '"any" stands alone'))
        out += _superseded_problems(i, row, agency)
        out += _evidence_population_problems(i, row, populations)
    return out


def _pdl1_problems(i: int, row) -> list[Problem]:
    """A PD-L1 threshold comes with its scoring, a scoring with a threshold, and min is below max."""
    low, high = number(row.pdl1_min), number(row.pdl1_max)
    scored = row.pdl1_scoring in {"CPS", "TAP"}
    out = []
    if (low is not None or high is not None) and not scored:
        out.append(cell_problem(TABLE, i, "pdl1_scoring", "a PD-L1 threshold needs its scoring (CPS or TAP)"))
    if scored and low is None and high is None:
        message = f"{row.pdl1_scoring} scoring given without a threshold (pdl1_min or pdl1_max)"
        out.append(cell_problem(TABLE, i, "pdl1_min", message))
    if low is not None and high is not None and low >= high:
        out.append(cell_problem(TABLE, i, "pdl1_max", f"pdl1_max {high:g} must exceed pdl1_min {low:g}"))
    return out


def _superseded_problems(i: int, row, agency: dict[str, str]) -> list[Problem]:
    """Only an approval is superseded, by another decision of the same agency."""
    if not row.superseded_by:
        return []
    if not row.approval_id:
        message = "only an approval row can be superseded"
    elif row.superseded_by == row.approval_id:
        message = "an approval cannot supersede itself"
    elif agency.get(row.superseded_by) not in (None, agency.get(row.approval_id)):
        message = f"{row.superseded_by} is another agency's decision"
    else:
        return []
    return [cell_problem(TABLE, i, "superseded_by", message)]


def _evidence_population_problems(i: int, row, populations: set[tuple[str, str]]) -> list[Problem]:
    """The evidence population is one that an outcome of the evidence trials reports."""
    if not row.evidence_population:
        return []
    trials = split_ids(row.evidence_trial_ids)
    if any((t, row.evidence_population) in populations for t in trials):
        return []
    message = (
        f'no outcome of {", ".join(trials) or "the evidence trials"} has the population "{row.evidence_population}"'
    )
    return [cell_problem(TABLE, i, "evidence_population", message)]
