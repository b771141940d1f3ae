"""Cross-field checks of outcomes.csv: medians agree with their status, hazard ratios sit on the
experimental arm inside their interval, responders agree with n and the percentage, arms keep one role,
randomised and single-arm trials have the arms their design implies, and the evidence fields agree with
the numbers."""

from __future__ import annotations

import pandas as pd

from landscape.validate.problems import FIRST_DATA_ROW, Problem, cell_problem, decimals, number
from landscape.values import split_ids

TABLE = "outcomes"
ENDPOINTS = ("pfs", "os")
# The columns that identify one result; two rows that share them are one row written twice.
RESULT_KEY = ["trial_id", "arm_id", "population", "analysis", "assessment", "orr_confirmed", "source_id"]
# The columns that hold a headline endpoint's result.
HEADLINE_RESULT = {"ORR": ("orr_pct",), "PFS": ("median_pfs_status", "pfs_hr"), "OS": ("median_os_status", "os_hr")}
HR_CI_COLUMNS = ("pfs_hr_ci_low", "pfs_hr_ci_high", "os_hr_ci_low", "os_hr_ci_high")


def outcome_problems(outcomes: pd.DataFrame, trials: pd.DataFrame) -> list[Problem]:
    out = []
    for i, row in enumerate(outcomes.itertuples(index=False)):
        for endpoint in ENDPOINTS:
            out += _median_problems(i, row, endpoint)
            out += _hazard_ratio_problems(i, row, endpoint)
        out += _response_problems(i, row)
    out += _repeated_rows(outcomes)
    out += _arms_with_two_roles(outcomes)
    out += _design_problems(outcomes, trials)
    return out


def _median_problems(i: int, row, endpoint: str) -> list[Problem]:
    """A median has a value exactly when its status says reached."""
    months, status_column = f"median_{endpoint}_months", f"median_{endpoint}_status"
    value, status = getattr(row, months), getattr(row, status_column)
    if value and status != "reached":
        return [cell_problem(TABLE, i, status_column, f'is "{status}" but {months} has a value')]
    if not value and status == "reached":
        return [cell_problem(TABLE, i, months, f"is empty but {status_column} says reached")]
    return []


def _hazard_ratio_problems(i: int, row, endpoint: str) -> list[Problem]:
    """A hazard ratio sits on the experimental arm's row, with both CI bounds or neither, inside its CI."""
    hr, low, high = (number(getattr(row, f"{endpoint}_hr{s}")) for s in ("", "_ci_low", "_ci_high"))
    out = []
    if hr is not None and row.arm_role != "experimental":
        out.append(cell_problem(TABLE, i, f"{endpoint}_hr", "hazard ratios belong on the experimental arm's row"))
    if (low is None) != (high is None):
        out.append(cell_problem(TABLE, i, f"{endpoint}_hr_ci_low", "give both CI bounds or neither"))
    if (low is not None or high is not None) and hr is None:
        out.append(cell_problem(TABLE, i, f"{endpoint}_hr", "CI given without the hazard ratio"))
    if hr is not None and low is not None and high is not None and not (low <= hr <= high):
        message = f"CI {low}-{high} does not contain the hazard ratio {hr}"
        out.append(cell_problem(TABLE, i, f"{endpoint}_hr_ci_low", message))
    return out


def _response_problems(i: int, row) -> list[Problem]:
    """Responders do not exceed n, and agree with the published percentage to its precision."""
    n, responders, pct = number(row.n), number(row.orr_responders), number(row.orr_pct)
    if not n or responders is None:
        return []
    if responders > n:
        return [cell_problem(TABLE, i, "orr_responders", f"{responders:g} responders exceed n = {n:g}")]
    if pct is None:
        return []
    tolerance = 0.5 * 10 ** -decimals(row.orr_pct) + 1e-9
    if abs(100 * responders / n - pct) <= tolerance:
        return []
    message = f"{pct:g}% disagrees with {responders:g}/{n:g} = {100 * responders / n:.2f}%"
    return [cell_problem(TABLE, i, "orr_pct", message)]


def _repeated_rows(outcomes: pd.DataFrame) -> list[Problem]:
    repeated = outcomes.duplicated(subset=RESULT_KEY, keep="first")
    message = "repeats another row's trial, arm, population, analysis, assessment, ORR confirmation and source"
    return [cell_problem(TABLE, int(i), "population", message) for i in repeated[repeated].index]


def _arms_with_two_roles(outcomes: pd.DataFrame) -> list[Problem]:
    roles = outcomes.groupby(["trial_id", "arm_id"])["arm_role"].nunique()
    out = []
    for trial_id, arm_id in roles[roles > 1].index:
        first = outcomes.index[(outcomes.trial_id == trial_id) & (outcomes.arm_id == arm_id)][0]
        message = f"arm {arm_id} of {trial_id} is both experimental and control"
        out.append(cell_problem(TABLE, int(first), "arm_role", message))
    return out


def _design_problems(outcomes: pd.DataFrame, trials: pd.DataFrame) -> list[Problem]:
    """A randomised trial with hazard ratios has both arms' rows; a single-arm trial has no control row."""
    design = dict(zip(trials.trial_id, trials.design, strict=True))
    out = []
    for trial_id, group in outcomes.groupby("trial_id"):
        roles = set(group.arm_role)
        first = int(group.index[0])
        has_hr = group[["pfs_hr", "os_hr"]].ne("").any(axis=None)
        missing_roles = sorted({"experimental", "control"} - roles)
        if design.get(trial_id) == "randomised" and has_hr and missing_roles:
            message = f"randomised trial {trial_id} reports hazard ratios but has no {missing_roles[0]} arm row"
            out.append(cell_problem(TABLE, first, "arm_role", message))
        if design.get(trial_id) == "single-arm" and "control" in roles:
            out.append(cell_problem(TABLE, first, "arm_role", f"single-arm trial {trial_id} has a control arm row"))
    return out


def evidence_problems(outcomes: pd.DataFrame) -> list[Problem]:
    """The evidence fields agree with the numbers: an interval's level is stated, a headline endpoint has its
    number on the row, and one trial's headline rows for an endpoint share one population and analysis."""
    if "headline_for" not in outcomes.columns:
        return []
    records = outcomes.to_dict("records")
    out = []
    for i, row in enumerate(records):
        out += _ci_level_problems(i, row)
    return out + _headline_problems(records)


def _ci_level_problems(i: int, row: dict) -> list[Problem]:
    has_ci = any(row.get(c) for c in HR_CI_COLUMNS)
    level = row.get("hr_ci_level", "")
    if has_ci and not level:
        message = "a hazard-ratio interval is given: say its confidence level (95, 90 or 80)"
        return [cell_problem(TABLE, i, "hr_ci_level", message)]
    if level and not has_ci:
        return [cell_problem(TABLE, i, "hr_ci_level", "is set but no hazard-ratio interval is given")]
    return []


def _headline_problems(records: list[dict]) -> list[Problem]:
    """A trial's headline rows for one endpoint share one population and analysis, and one of them has the
    endpoint's result."""
    out = []
    first_headline: dict[tuple[str, str], tuple[str, str, int]] = {}
    with_result: dict[tuple[str, str], bool] = {}
    for i, row in enumerate(records):
        for endpoint in split_ids(row.get("headline_for", "")):
            key = (row["trial_id"], endpoint)
            seen = first_headline.setdefault(key, (row["population"], row["analysis"], i))
            if seen[:2] != (row["population"], row["analysis"]):
                population, analysis, position = seen
                message = (
                    f"{endpoint} headline of {row['trial_id']} is already row {position + FIRST_DATA_ROW} "
                    f"({population}, {analysis}): one population and analysis per trial and endpoint"
                )
                out.append(cell_problem(TABLE, i, "headline_for", message))
            has_result = any(row.get(c) and row.get(c) != "not reported" for c in HEADLINE_RESULT.get(endpoint, ()))
            with_result[key] = with_result.get(key, False) or has_result
    for (trial_id, endpoint), found in with_result.items():
        if not found:
            message = f"names {endpoint} for {trial_id} but no headline row has an {endpoint} result"
            out.append(cell_problem(TABLE, first_headline[(trial_id, endpoint)][2], "headline_for", message))
    return out


SUBGROUP_TYPES = {"biomarker subgroup", "clinical subgroup"}


def subgroup_problems(outcomes: pd.DataFrame) -> list[Problem]:
    """A subgroup tag belongs to a subgroup row."""
    message = "a subgroup tag needs population_type biomarker or clinical subgroup, not {}"
    return [
        cell_problem(TABLE, i, "subgroup", message.format(row.population_type))
        for i, row in enumerate(outcomes.itertuples(index=False))
        if row.subgroup and row.population_type not in SUBGROUP_TYPES
    ]
