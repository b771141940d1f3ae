"""Checks shared by several tables: ';'-lists of ids that must exist, dates that must be real and not after
the as-of date, country codes that must be ISO 3166-1."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pycountry

from landscape import dates
from landscape.validate.problems import Problem, cell_problem
from landscape.values import split_ids

# (table, column holding ids, table they refer to, its key)
ID_LISTS = (
    ("agents", "source_ids", "sources", "source_id"),
    ("trials", "agent_ids", "agents", "agent_id"),
    ("trials", "source_ids", "sources", "source_id"),
    ("outcomes", "agent_ids", "agents", "agent_id"),
    ("approvals", "agent_id", "agents", "agent_id"),
    ("eligibility", "prior_excluded", "agents", "agent_id"),
    ("eligibility", "evidence_trial_ids", "trials", "trial_id"),
    ("guidelines", "agent_ids", "agents", "agent_id"),
    ("events", "agent_ids", "agents", "agent_id"),
)
# (table, date column, the column that says whether it is actual or estimated)
DATE_COLUMNS = (
    ("trials", "start_date", "start_date_type"),
    ("trials", "primary_completion_date", "primary_completion_date_type"),
    ("trials", "completion_date", "completion_date_type"),
    ("outcomes", "data_cutoff", None),
    ("approvals", "approval_date", None),
    ("safety", "data_cutoff", None),
    ("safety", "label_date", None),
    ("guidelines", "published", None),
)


def first_day(value: str) -> dt.date | None:
    """Return the first day of a YYYY-MM or YYYY-MM-DD date (the columns checked here need the month), or
    None when it is not one."""
    parsed = dates.parse(value, coarsest="month")
    return parsed.first if parsed else None


def id_list_problems(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Every id in a ';'-list names a row of the table it refers to."""
    out = []
    for table, column, ref_table, ref_column in ID_LISTS:
        known = set(frames[ref_table][ref_column])
        for i, value in enumerate(frames[table][column]):
            out += [
                cell_problem(table, i, column, f'"{item}" not found in {ref_table}.csv ({ref_column})')
                for item in split_ids(value)
                if item not in known
            ]
    return out


def date_problems(frames: dict[str, pd.DataFrame], as_of: dt.date) -> list[Problem]:
    """Dates are real calendar dates, not after the as-of date (an estimated date may be), and say
    whether they are actual or estimated where the table records that."""
    out = []
    for table, column, type_column in DATE_COLUMNS:
        for i, row in enumerate(frames[table].itertuples(index=False)):
            value = getattr(row, column)
            if value and first_day(value) is None:
                out.append(cell_problem(table, i, column, f'"{value}" is not a real calendar date'))
            if type_column:
                out += _date_type_problems(table, i, (column, value), (type_column, getattr(row, type_column)), as_of)
            elif value and (parsed := first_day(value)) and parsed > as_of:
                out.append(cell_problem(table, i, column, f"{value} lies after the as-of date {as_of}"))
    return out


def _date_type_problems(
    table: str, i: int, date: tuple[str, str], date_type: tuple[str, str], as_of: dt.date
) -> list[Problem]:
    """A date and its actual/estimated column agree; an actual date is not after the as-of date."""
    (column, value), (type_column, kind) = date, date_type
    out = []
    if value and not kind:
        out.append(cell_problem(table, i, type_column, f"say whether {column} is actual or estimated"))
    if kind and not value:
        out.append(cell_problem(table, i, type_column, f"is set but {column} is empty"))
    parsed = first_day(value) if value else None
    if parsed and kind == "actual" and parsed > as_of:
        out.append(cell_problem(table, i, column, f"{value} is marked actual but lies after the as-of date {as_of}"))
    return out


def country_problems(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Country codes (trials' lists, sites' single code) are ISO 3166-1 alpha-2."""
    out = [
        cell_problem("trials", i, "countries", f'"{code}" is not an ISO 3166-1 alpha-2 code')
        for i, value in enumerate(frames["trials"]["countries"])
        for code in split_ids(value)
        if pycountry.countries.get(alpha_2=code) is None
    ]
    out += [
        cell_problem("sites", i, "country", f'"{code}" is not an ISO 3166-1 alpha-2 code')
        for i, code in enumerate(frames["sites"]["country"])
        if code and pycountry.countries.get(alpha_2=code) is None
    ]
    return out
