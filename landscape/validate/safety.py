"""Cross-field checks of safety.csv: a row belongs to a trial arm or to a label, never both; label rows name
a topic, numeric rows a value in the unit their measure implies; a trial arm is one the outcomes know, so
harm can sit beside benefit."""

from __future__ import annotations

import pandas as pd

from landscape.validate.problems import Problem, cell_problem, number
from landscape.vocab import LABEL_MEASURES

TABLE = "safety"
LABEL_COLUMNS = ("agent_id", "agency", "topic")  # a label row names these
RATE_COLUMNS = ("trial_id", "arm_id", "value", "unit", "attribution")  # ...and has none of these


def safety_problems(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    arms = set(zip(frames["outcomes"]["trial_id"], frames["outcomes"]["arm_id"], strict=True))
    out = []
    for i, row in enumerate(frames[TABLE].itertuples(index=False)):
        out += _label_problems(i, row) if row.measure in LABEL_MEASURES else _rate_problems(i, row, arms)
    return out


def _label_problems(i: int, row) -> list[Problem]:
    missing = [
        cell_problem(TABLE, i, column, f"a {row.measure} row needs {column}")
        for column in LABEL_COLUMNS
        if not getattr(row, column)
    ]
    extra = [
        cell_problem(TABLE, i, column, f"a {row.measure} row (a label's) has no {column}")
        for column in RATE_COLUMNS
        if getattr(row, column)
    ]
    return missing + extra


def _rate_problems(i: int, row, arms: set[tuple[str, str]]) -> list[Problem]:
    out = []
    if not row.trial_id or not row.arm_id:
        message = f"a {row.measure} row needs trial_id and arm_id (the arm it was measured in)"
        out.append(cell_problem(TABLE, i, "trial_id", message))
    elif (row.trial_id, row.arm_id) not in arms:
        out.append(cell_problem(TABLE, i, "arm_id", f'"{row.arm_id}" is not an arm of {row.trial_id} in outcomes.csv'))
    if row.agency or row.label_date or row.topic:
        message = "agency, label_date and topic belong to label rows (boxed_warning, warning, monitoring)"
        out.append(cell_problem(TABLE, i, "agency", message))
    if not row.value:
        out.append(cell_problem(TABLE, i, "value", f"a {row.measure} row needs its value"))
    out += _unit_problems(i, row)
    if not row.attribution:
        message = "say whether the events are all-cause or treatment-related (or not stated)"
        out.append(cell_problem(TABLE, i, "attribution", message))
    if row.ild_adjudicated and not row.measure.startswith("ild_"):
        out.append(cell_problem(TABLE, i, "ild_adjudicated", "only ILD rows say whether ILD was adjudicated"))
    return out


def _unit_problems(i: int, row) -> list[Problem]:
    """A measure ending in _pct is a percentage (0-100), any other a count of patients."""
    unit = "percent" if row.measure.endswith("_pct") else "patients"
    out = []
    if row.unit != unit:
        out.append(cell_problem(TABLE, i, "unit", f"{row.measure} is in {unit}"))
    value = number(row.value)
    if value is not None and unit == "percent" and value > 100:
        out.append(cell_problem(TABLE, i, "value", f"{value:g} is not a percentage (0-100)"))
    if value is not None and unit == "patients" and value != int(value):
        out.append(cell_problem(TABLE, i, "value", f"{value:g} is not a count"))
    return out
