"""The one schema: read from the bundled data/datapackage.json and exposed as field specs, enums
and pandas dtypes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from landscape.paths import SCHEMA_PATH

TABLES = ("sources", "agents", "trials", "outcomes", "approvals", "sites")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    required: bool
    enum: tuple[str, ...] | None
    unit: str | None
    constraints: dict[str, Any]


@lru_cache(maxsize=4)
def read_descriptor(path: Path = SCHEMA_PATH) -> dict[str, Any]:
    """Return the parsed datapackage.json (cached; treat as read-only)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def resource(table: str) -> dict[str, Any]:
    """Return the resource descriptor of one table."""
    for res in read_descriptor()["resources"]:
        if res["name"] == table:
            return res
    raise KeyError(table)


def fields(table: str) -> list[Field]:
    """Return the field specs of one table, in column order."""
    out = []
    for f in resource(table)["schema"]["fields"]:
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


def columns(table: str) -> list[str]:
    """Return the column names of one table, in order."""
    return [f.name for f in fields(table)]


def enum(table: str, column: str) -> tuple[str, ...]:
    """Return the allowed values of an enumerated column."""
    for f in fields(table):
        if f.name == column and f.enum:
            return f.enum
    raise KeyError(f"{table}.{column} has no enum")


def pandas_dtypes(table: str) -> dict[str, str]:
    """Return the pandas dtype each column is read with (nullable types; text stays text)."""
    mapping = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean", "date": "string"}
    return {f.name: mapping[f.type] for f in fields(table)}


def as_of(descriptor: dict[str, Any] | None = None) -> str:
    """Return the evidence as-of date (ISO) declared in the package."""
    return (descriptor or read_descriptor())["as_of"]
