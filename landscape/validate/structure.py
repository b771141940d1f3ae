"""The checks a table schema expresses, run by frictionless (types, constraints, keys, foreign keys,
headers), each error turned into a curator's message."""

from __future__ import annotations

import copy
import re
from pathlib import Path

from landscape.validate.problems import Problem

_FK_FIELD = re.compile(r'for "([^"]+)": values "([^"]*)" not found in the lookup table "([^"]+)" as "([^"]+)"')
_HEADER_ERRORS = {"missing-label", "extra-label", "incorrect-label", "blank-label", "duplicate-label"}


def frictionless_problems(data_dir: Path, descriptor: dict) -> list[Problem]:
    """Return every problem frictionless finds in the data directory against the descriptor."""
    from frictionless import Package

    package = Package(copy.deepcopy(descriptor), basepath=str(data_dir))
    report = package.validate()
    out: list[Problem] = []
    for task in report.tasks:
        file = Path(task.place).name if task.place else f"{task.name}.csv"
        for err in task.errors:
            # Every primary key here is one column with a unique constraint: its unique-error says it better.
            if err.type != "primary-key":
                out.append(_translate(file, err))
    return out


def _translate(file: str, err) -> Problem:
    """Turn a frictionless error into a curator's message."""
    row = getattr(err, "row_number", None)
    column = getattr(err, "field_name", None)
    cell = getattr(err, "cell", None)
    note = getattr(err, "note", "") or ""
    kind = err.type
    if kind == "constraint-error":
        msg = _constraint_message(note, cell)
    elif kind == "type-error":
        expected = note.replace('type is "', "").split("/")[0].strip('"')
        msg = f'"{cell}" is not a valid {expected}'
    elif kind == "foreign-key":
        match = _FK_FIELD.search(note)
        if match:
            column, value, table, key = match.groups()
            msg = f'"{value}" not found in {table}.csv ({key})'
        else:
            msg = note
    elif kind == "unique-error":
        same = re.search(r"row at position (\d+)", note)
        msg = f'"{cell}" is a duplicate' + (f" of row {same.group(1)}" if same else "") + "; values must be unique"
    elif kind in _HEADER_ERRORS:
        row, msg = None, f"header: {err.message}"
    elif kind in {"extra-cell", "missing-cell"}:
        msg = "row has " + ("more cells than the header" if kind == "extra-cell" else "fewer cells than the header")
    elif kind == "blank-row":
        msg = "row is blank"
    else:
        msg = err.message
    return Problem(file, row, column, msg)


def _constraint_message(note: str, cell: object) -> str:
    if note.startswith('constraint "required"'):
        return "is required but empty"
    if note.startswith('constraint "enum"'):
        return f'"{cell}" is not an allowed value; allowed: {note.split(" is ", 1)[1]}'
    if note.startswith('constraint "pattern"'):
        return f'"{cell}" does not match the expected pattern {note.split(" is ", 1)[1]}'
    if note.startswith('constraint "unique"'):
        return f'"{cell}" is a duplicate; values must be unique'
    return f'"{cell}" breaks {note}'
