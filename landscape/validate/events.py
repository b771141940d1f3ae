"""Cross-field checks of events.csv: an event's type belongs to its kind; a regulatory event names its
agency; a readout names its trial; a dated event is a real calendar date."""

from __future__ import annotations

import re

import pandas as pd

from landscape.validate.common import first_day
from landscape.validate.problems import Problem, cell_problem

TABLE = "events"
EVENT_TYPES = {
    "readout": {"primary results expected", "topline results expected", "results announced"},
    "regulatory": {
        "application submitted",
        "application accepted",
        "priority review",
        "breakthrough therapy designation",
        "target action date",
        "approval expected",
    },
    "guideline": {"guideline update"},
    "conference": {"conference presentation"},
}
# A month or a day (a year, quarter or half is not checked against the calendar).
_MONTH_OR_DAY = re.compile(r"\d{4}-\d{2}(-\d{2})?")


def event_problems(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    out = []
    for i, row in enumerate(frames[TABLE].itertuples(index=False)):
        if row.event_type not in EVENT_TYPES.get(row.kind, set()):
            out.append(cell_problem(TABLE, i, "event_type", f'"{row.event_type}" is not a {row.kind} event'))
        if row.kind == "regulatory" and not row.agency:
            out.append(cell_problem(TABLE, i, "agency", "a regulatory event names its agency"))
        if row.kind == "readout" and not row.trial_id:
            out.append(cell_problem(TABLE, i, "trial_id", "a readout names its trial"))
        if _MONTH_OR_DAY.fullmatch(row.event_date) and first_day(row.event_date) is None:
            out.append(cell_problem(TABLE, i, "event_date", f'"{row.event_date}" is not a real calendar date'))
    return out
