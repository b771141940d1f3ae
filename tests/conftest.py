"""Shared fixtures: the bundled landscape, throwaway copies of the data to break, tiny frames."""

from __future__ import annotations

import csv
import functools
import os
import shutil
from pathlib import Path

import pytest

from landscape.load import load_tables
from landscape.model import build_landscape
from landscape.paths import BUNDLED_DATA_DIR, CACHE_ENV_VAR, PROJECT_DIR

ROOT = PROJECT_DIR


@pytest.fixture(scope="session", autouse=True)
def fresh_cache_dir(tmp_path_factory):
    """A start-up cache of the session's own (servers started by the tests inherit it): nothing a tests run
    finds or leaves behind in the user's cache."""
    previous = os.environ.get(CACHE_ENV_VAR)
    os.environ[CACHE_ENV_VAR] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        os.environ.pop(CACHE_ENV_VAR, None)
    else:
        os.environ[CACHE_ENV_VAR] = previous


@pytest.fixture(scope="session")
def landscape():
    result = load_tables(BUNDLED_DATA_DIR)
    assert result.ok, "\n".join(map(str, result.problems))
    return build_landscape(result.tables)


@pytest.fixture(scope="session", autouse=True)
def component_scan_once():
    """Streamlit gotcha, written against Streamlit 1.67.0: every new AppTest scans the metadata of every
    installed distribution for v2 components (~0.3 s, more than most page runs), and the property and page
    tests make an AppTest per link. The installed distributions cannot change during a test session, so the
    scan runs once and its result is reused. Proved by tests/test_pages.py::test_the_component_scan_runs_once;
    if a Streamlit upgrade moves the scan, that test fails."""
    from streamlit.components.v2 import manifest_scanner

    real = manifest_scanner.scan_component_manifests
    manifest_scanner.scan_component_manifests = functools.cache(real)
    manifest_scanner.scan_component_manifests.real = real
    yield
    manifest_scanner.scan_component_manifests = real


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data directory."""
    target = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA_DIR, target)
    return target


def read_rows(data_dir: Path, table: str) -> tuple[list[str], list[dict[str, str]]]:
    with (data_dir / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def write_rows(data_dir: Path, table: str, header: list[str], rows: list[dict[str, str]]) -> None:
    with (data_dir / f"{table}.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def set_cell(data_dir: Path, table: str, row_index: int, column: str, value: str) -> int:
    """Set one cell (0-based data row) and return the CSV row number the validator reports."""
    header, rows = read_rows(data_dir, table)
    rows[row_index][column] = value
    write_rows(data_dir, table, header, rows)
    return row_index + 2


def first_row_where(data_dir: Path, table: str, **conditions) -> int:
    """Return the 0-based index of the first row matching every column=value condition."""
    _, rows = read_rows(data_dir, table)
    for i, row in enumerate(rows):
        if all(cond(row[k]) if callable(cond) else row[k] == cond for k, cond in conditions.items()):
            return i
    raise LookupError(f"no {table} row matches {conditions}")
