"""A validation problem (file, row, column, message) and the small helpers every check uses to make one."""

from __future__ import annotations

from dataclasses import dataclass

# Row numbers are CSV record numbers with the header as row 1, as frictionless counts them.
FIRST_DATA_ROW = 2


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        return f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


def cell_problem(table: str, position: int, column: str | None, message: str) -> Problem:
    """Return the problem of one cell of a table; `position` counts data rows from 0 (CSV row 2)."""
    return Problem(f"{table}.csv", position + FIRST_DATA_ROW, column, message)


def number(text: str) -> float | None:
    """Return a cell's number, None when the cell is empty or not a number (the schema check reports that)."""
    try:
        return float(text) if text != "" else None
    except ValueError:
        return None


def decimals(text: str) -> int:
    """Return how many decimals a number was written with ("42.5" has 1)."""
    return len(text.split(".", 1)[1]) if "." in text else 0
