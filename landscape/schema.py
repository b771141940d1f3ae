"""The one schema: a data directory's datapackage.json (the bundled one by default), exposed as field
specs, enums and pandas dtypes. Every function takes an optional descriptor, so a curator's copy of the
data is read with its own schema and as-of date."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from landscape.paths import SCHEMA_PATH

TABLES = (
    "sources",
    "agents",
    "trials",
    "outcomes",
    "approvals",
    "sites",
    "eligibility",
    "safety",
    "guidelines",
    "events",
)


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    required: bool
    enum: tuple[str, ...] | None
    unit: str | None
    constraints: dict[str, Any]


DESCRIPTOR_NAME = "datapackage.json"


class DescriptorError(ValueError):
    """The datapackage.json of a data directory is missing, unreadable or lacks what the app needs."""


@lru_cache(maxsize=8)
def _parse_descriptor(path: str, _size: int, _mtime_ns: int) -> dict[str, Any]:
    # Keyed on size and mtime as well as the path: an edited schema is re-read, like an edited CSV.
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_descriptor(path: Path = SCHEMA_PATH) -> dict[str, Any]:
    """Return the parsed datapackage.json at path (cached until the file changes; treat as read-only).
    Raise DescriptorError when it is missing or not JSON."""
    path = Path(path)
    try:
        stat = path.stat()
        return _parse_descriptor(str(path), stat.st_size, stat.st_mtime_ns)
    except FileNotFoundError as exc:
        raise DescriptorError(f"{DESCRIPTOR_NAME} is missing from {path.parent}") from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DescriptorError(f"{DESCRIPTOR_NAME} is not valid JSON: {exc}") from exc


def descriptor_for(data_dir: Path) -> dict[str, Any]:
    """Return the descriptor of a data directory (its own datapackage.json)."""
    return read_descriptor(Path(data_dir) / DESCRIPTOR_NAME)


def resource(table: str, descriptor: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the resource descriptor of one table."""
    for res in (descriptor or read_descriptor())["resources"]:
        if res["name"] == table:
            return res
    raise KeyError(table)


def fields(table: str, descriptor: dict[str, Any] | None = None) -> list[Field]:
    """Return the field specs of one table, in column order."""
    out = []
    for f in resource(table, descriptor)["schema"]["fields"]:
        cons = dict(f.get("constraints", {}))
        out.append(
            Field(
                name=f["name"],
                type=f["type"],
                description=f.get("description", ""),
                required=bool(cons.get("required")),
                enum=tuple(cons["enum"]) if "enum" in cons else None,
                unit=f.get("unit"),
                constraints=cons,
            )
        )
    return out


def columns(table: str, descriptor: dict[str, Any] | None = None) -> list[str]:
    """Return the column names of one table, in order."""
    return [f.name for f in fields(table, descriptor)]


def enum(table: str, column: str, descriptor: dict[str, Any] | None = None) -> tuple[str, ...]:
    """Return the allowed values of an enumerated column."""
    for f in fields(table, descriptor):
        if f.name == column and f.enum:
            return f.enum
    raise KeyError(f"{table}.{column} has no enum")


def pandas_dtypes(table: str, descriptor: dict[str, Any] | None = None) -> dict[str, str]:
    """Return the pandas dtype each column is read with (nullable types; text stays text)."""
    mapping = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean", "date": "string"}
    return {f.name: mapping.get(f.type, "string") for f in fields(table, descriptor)}


def as_of(descriptor: dict[str, Any] | None = None) -> str:
    """Return the evidence as-of date (YYYY-MM-DD) declared in the package; raise DescriptorError when
    it is missing or not a real calendar date ("TBD", "27 Nov")."""
    value = (descriptor or read_descriptor()).get("as_of")
    if not isinstance(value, str) or len(value) != 10:
        raise DescriptorError(
            f'as_of "{value}" is not a date (YYYY-MM-DD)'
            if value is not None
            else "as_of is missing: add the evidence date (YYYY-MM-DD)"
        )
    try:
        dt.date.fromisoformat(value)
    except ValueError as exc:
        raise DescriptorError(f'as_of "{value}" is not a date (YYYY-MM-DD)') from exc
    return value
