"""Validation of a whole data directory: its descriptor, then the schema's checks (structure), then the
cross-field checks of each table on the text exactly as written. Problems come back sorted, once each."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from landscape import schema
from landscape.validate.agents import agent_problems
from landscape.validate.common import country_problems, date_problems, id_list_problems
from landscape.validate.eligibility import eligibility_problems
from landscape.validate.events import event_problems
from landscape.validate.outcomes import evidence_problems, outcome_problems, subgroup_problems
from landscape.validate.problems import Problem
from landscape.validate.safety import safety_problems
from landscape.validate.structure import frictionless_problems
from landscape.validate.trials import trial_problems


def validate_data_dir(data_dir: Path) -> list[Problem]:
    """Return every problem in the data directory (empty when it is valid), checked against the
    directory's own datapackage.json."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return [Problem(str(data_dir), None, None, "data directory not found")]
    descriptor, problems = _descriptor_problems(data_dir)
    problems += [
        Problem(f"{t}.csv", None, None, f"file is missing from {data_dir}")
        for t in schema.TABLES
        if not (data_dir / f"{t}.csv").is_file()
    ]
    if problems or descriptor is None:
        return problems
    problems = frictionless_problems(data_dir, descriptor)
    if any(p.row is None for p in problems):
        # A structural problem (bad header, unreadable file): row-level checks would only echo it.
        return sorted(set(problems), key=_sort_key)
    frames = read_raw_tables(data_dir)
    problems += cross_field_problems(frames, dt.date.fromisoformat(schema.as_of(descriptor)))
    return sorted(set(problems), key=_sort_key)


def _descriptor_problems(data_dir: Path) -> tuple[dict | None, list[Problem]]:
    """Return the directory's descriptor and what is wrong with it (as_of, tables it must declare)."""
    name = schema.DESCRIPTOR_NAME
    try:
        descriptor = schema.descriptor_for(data_dir)
    except schema.DescriptorError as exc:
        return None, [Problem(name, None, None, str(exc))]
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return None, [Problem(name, None, "resources", "the descriptor has no list of resources")]
    problems = []
    try:
        schema.as_of(descriptor)
    except schema.DescriptorError as exc:
        problems.append(Problem(name, None, "as_of", str(exc)))
    for table in schema.TABLES:
        try:
            res = schema.resource(table, descriptor)
            schema.fields(table, descriptor)
        except (KeyError, TypeError):
            problems.append(Problem(name, None, "resources", f"no usable resource for the table {table}"))
            continue
        if res.get("path") != f"{table}.csv":
            problems.append(Problem(name, None, "resources", f'the resource {table} must have path "{table}.csv"'))
    return (None if problems else descriptor), problems


def read_raw_tables(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Return every table as text, exactly as written (empty cells are empty strings)."""
    return {
        t: pd.read_csv(data_dir / f"{t}.csv", dtype=str, keep_default_na=False, encoding="utf-8") for t in schema.TABLES
    }


def cross_field_problems(frames: dict[str, pd.DataFrame], as_of: dt.date) -> list[Problem]:
    """Return the problems a table schema cannot express, in the raw text tables."""
    return [
        *id_list_problems(frames),
        *date_problems(frames, as_of),
        *country_problems(frames),
        *agent_problems(frames["agents"]),
        *trial_problems(frames["trials"], frames["sources"], as_of),
        *outcome_problems(frames["outcomes"], frames["trials"]),
        *evidence_problems(frames["outcomes"]),
        *eligibility_problems(frames),
        *safety_problems(frames),
        *event_problems(frames),
        *subgroup_problems(frames["outcomes"]),
    ]


def _sort_key(p: Problem) -> tuple:
    order = {f"{t}.csv": i for i, t in enumerate(schema.TABLES)}
    return (order.get(p.file, 99), p.file, p.row or 0, p.column or "", p.message)
