"""The one loader: validate a data directory, then read its CSVs with the schema's dtypes. Nothing is
returned half-loaded: either every table or the list of problems."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from landscape import cache, schema
from landscape.paths import PROJECT_DIR, resolve_data_dir
from landscape.validate import Problem, validate_data_dir


@dataclass(frozen=True)
class Tables:
    """The curated tables, typed; treat every frame as read-only."""

    sources: pd.DataFrame
    agents: pd.DataFrame
    trials: pd.DataFrame
    outcomes: pd.DataFrame
    approvals: pd.DataFrame
    sites: pd.DataFrame
    eligibility: pd.DataFrame
    safety: pd.DataFrame
    guidelines: pd.DataFrame
    events: pd.DataFrame
    as_of: str
    data_dir: Path


@dataclass(frozen=True)
class LoadResult:
    tables: Tables | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.tables is not None


def data_signature(data_dir: str | os.PathLike[str] | None = None) -> tuple:
    """Return a key that changes whenever a data file is edited (path, size, mtime of each file)."""
    directory = resolve_data_dir(data_dir)
    parts: list[tuple] = [(str(directory),)]
    for name in [*(f"{t}.csv" for t in schema.TABLES), "datapackage.json"]:
        path = directory / name
        try:
            stat = path.stat()
            parts.append((name, stat.st_size, stat.st_mtime_ns))
        except OSError:
            parts.append((name, None, None))
    return tuple(parts)


def read_table(data_dir: Path, table: str, descriptor: dict | None = None) -> pd.DataFrame:
    """Return one CSV read with the schema's nullable dtypes (the directory's own schema unless one is
    given); only empty cells are missing."""
    dtypes = schema.pandas_dtypes(table, descriptor or schema.descriptor_for(data_dir))
    text = {c: "string" for c in dtypes}
    frame = pd.read_csv(data_dir / f"{table}.csv", dtype=text, keep_default_na=False, na_values=[""], encoding="utf-8")
    for column, dtype in dtypes.items():
        if dtype == "boolean":
            frame[column] = (
                frame[column].str.lower().map({"true": True, "false": False, "1": True, "0": False}).astype("boolean")
            )
        elif dtype != "string":
            frame[column] = pd.to_numeric(frame[column]).astype(dtype)
    return frame


def validate_in_subprocess(data_dir: Path) -> list[Problem]:
    """Run the command-line validator in a child process and return its problems (the child remembers
    valid content, see check_data_dir).

    The long-running dashboard server uses this: frictionless and a validation pass over a large copy
    cost memory that CPython does not hand back, so they stay in a process that exits."""
    done = subprocess.run(
        [sys.executable, "-m", "landscape", "validate", "--json", str(data_dir)],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        check=False,
    )
    if done.returncode not in (0, 1):
        return [
            Problem(
                str(data_dir),
                None,
                None,
                "the validator failed: " + (done.stderr.strip().splitlines() or ["no output"])[-1],
            )
        ]
    return [Problem(**json.loads(line)) for line in done.stdout.splitlines() if line.startswith("{")]


def check_data_dir(data_dir: Path, key: str | None = None) -> list[Problem]:
    """Validate the data directory in this process and return every problem; remember valid content (by
    its content key, see landscape.cache) unless a file changed while it was checked."""
    key = key or cache.content_key(data_dir)
    problems = validate_data_dir(data_dir)
    if not problems and cache.content_key(data_dir) == key:
        cache.record_valid(key, data_dir)
    return problems


def load_tables(
    data_dir: str | os.PathLike[str] | None = None, isolated: bool = False, key: str | None = None
) -> LoadResult:
    """Validate the data directory (in a child process when isolated; not at all when this content was
    found valid before) and return its typed tables, or every problem found. `key` is the directory's
    content key when the caller has it."""
    directory = resolve_data_dir(data_dir)
    key = key or cache.content_key(directory)
    if cache.was_validated(key):
        problems = []
    else:
        problems = validate_in_subprocess(directory) if isolated else check_data_dir(directory, key)
    if problems:
        return LoadResult(None, problems)
    descriptor = schema.descriptor_for(directory)
    frames = {t: read_table(directory, t, descriptor) for t in schema.TABLES}
    return LoadResult(Tables(**frames, as_of=schema.as_of(descriptor), data_dir=directory))
