"""Cross-field checks of trials.csv: the fields that say what a trial's status and result mean (columns a
package may lack)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from landscape.validate.common import first_day
from landscape.validate.problems import Problem, cell_problem


def trial_problems(trials: pd.DataFrame, sources: pd.DataFrame, as_of: dt.date) -> list[Problem]:
    out = []
    known = set(sources["source_id"])
    for i, row in enumerate(trials.to_dict("records")):
        out += _endpoint_problems(i, row, known)
        if row.get("status_as_of", "") and not row.get("status"):
            out.append(cell_problem("trials", i, "status_as_of", "is set but status is empty"))
        for column in ("status_as_of", "registry_last_updated"):
            out += _dated_problems(i, column, row.get(column, ""), as_of)
    return out


def _endpoint_problems(i: int, row: dict, known_sources: set[str]) -> list[Problem]:
    """Whether the primary endpoint was met is said by a source that exists."""
    met, source = row.get("primary_endpoint_met", ""), row.get("endpoint_source_id", "")
    out = []
    if met in {"yes", "no"} and not source:
        out.append(
            cell_problem(
                "trials", i, "endpoint_source_id", f'primary_endpoint_met is "{met}": name the source that says so'
            )
        )
    if source and source not in known_sources:
        out.append(cell_problem("trials", i, "endpoint_source_id", f'"{source}" not found in sources.csv (source_id)'))
    return out


def _dated_problems(i: int, column: str, value: str, as_of: dt.date) -> list[Problem]:
    parsed = first_day(value) if value else None
    if value and parsed is None:
        return [cell_problem("trials", i, column, f'"{value}" is not a real calendar date')]
    if parsed and parsed > as_of:
        return [cell_problem("trials", i, column, f"{value} lies after the as-of date {as_of}")]
    return []
