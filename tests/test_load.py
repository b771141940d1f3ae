"""The one loader: typed frames, LANDSCAPE_DATA_DIR, edits picked up, nothing half-loaded."""

from __future__ import annotations

import subprocess
import sys
import time

import pandas as pd

from landscape.load import data_signature, load_tables
from landscape.paths import BUNDLED_DATA_DIR, resolve_data_dir
from tests.conftest import ROOT, first_row_where, set_cell


def test_defaults_to_bundled_data(monkeypatch):
    monkeypatch.delenv("LANDSCAPE_DATA_DIR", raising=False)
    assert resolve_data_dir() == BUNDLED_DATA_DIR.resolve()


def test_environment_variable_points_elsewhere(monkeypatch, data_copy):
    index = first_row_where(data_copy, "agents", agent_id="trastuzumab")
    set_cell(data_copy, "agents", index, "developer", "Institution copy")
    monkeypatch.setenv("LANDSCAPE_DATA_DIR", str(data_copy))
    result = load_tables()
    assert result.ok
    assert result.tables.data_dir == data_copy.resolve()
    assert result.tables.agents.set_index("agent_id").loc["trastuzumab", "developer"] == "Institution copy"


def test_explicit_argument_beats_environment(monkeypatch, data_copy, tmp_path):
    monkeypatch.setenv("LANDSCAPE_DATA_DIR", str(tmp_path / "nowhere"))
    assert load_tables(data_copy).ok


def test_columns_have_schema_dtypes():
    tables = load_tables(BUNDLED_DATA_DIR).tables
    assert str(tables.outcomes["n"].dtype) == "Int64"
    assert str(tables.outcomes["orr_pct"].dtype) == "Float64"
    assert str(tables.outcomes["orr_confirmed"].dtype) == "boolean"
    assert str(tables.trials["acronym"].dtype) == "string"
    assert str(tables.agents["her2_directed"].dtype) == "boolean"


def test_text_na_is_not_missing(data_copy):
    index = first_row_where(data_copy, "trials")
    set_cell(data_copy, "trials", index, "sponsor", "NA")
    tables = load_tables(data_copy).tables
    assert tables.trials["sponsor"].iloc[index] == "NA"


def test_broken_data_returns_problems_and_no_tables(data_copy):
    set_cell(data_copy, "trials", 0, "phase", "Phase 9")
    result = load_tables(data_copy)
    assert not result.ok and result.tables is None
    assert any("phase" in str(p) for p in result.problems)


def test_signature_changes_when_a_file_is_edited(data_copy):
    before = data_signature(data_copy)
    time.sleep(0.01)
    set_cell(data_copy, "agents", 0, "developer", "edited")
    assert data_signature(data_copy) != before


def test_missing_directory_is_a_problem(tmp_path):
    result = load_tables(tmp_path / "absent")
    assert not result.ok
    assert "data directory not found" in str(result.problems[0])


def test_cli_validate_ok():
    done = subprocess.run(
        [sys.executable, "-m", "landscape", "validate", str(BUNDLED_DATA_DIR)], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "valid" in done.stdout


def test_cli_validate_prints_every_problem_and_fails(data_copy):
    set_cell(data_copy, "trials", 0, "phase", "Phase 9")
    set_cell(data_copy, "agents", 1, "modality", "magic")
    done = subprocess.run(
        [sys.executable, "-m", "landscape", "validate", str(data_copy)], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 1
    lines = done.stdout.strip().splitlines()
    assert any(line.startswith("agents.csv:3: modality: ") for line in lines), lines
    assert any(line.startswith("trials.csv:2: phase: ") for line in lines), lines
    assert "2 problem(s)" in done.stderr


def test_cli_uses_environment_variable(data_copy):
    set_cell(data_copy, "agents", 0, "name", "")
    env = {"LANDSCAPE_DATA_DIR": str(data_copy), "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-m", "landscape", "validate"], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert done.returncode == 1 and "agents.csv:2: name: is required but empty" in done.stdout


def test_tables_are_complete_frames():
    tables = load_tables(BUNDLED_DATA_DIR).tables
    for name in ("sources", "agents", "trials", "outcomes", "approvals", "sites"):
        assert isinstance(getattr(tables, name), pd.DataFrame) and len(getattr(tables, name)) > 0


def test_isolated_validation_gives_the_same_problems(data_copy):
    set_cell(data_copy, "trials", 0, "phase", "Phase 9")
    set_cell(data_copy, "outcomes", 0, "source_id", "nowhere")
    in_process = load_tables(data_copy).problems
    isolated = load_tables(data_copy, isolated=True).problems
    assert isolated == in_process and len(isolated) >= 2


def test_isolated_validation_of_valid_data_loads():
    assert load_tables(BUNDLED_DATA_DIR, isolated=True).ok


def test_the_server_keeps_arrow_data_in_the_system_allocator():
    # Arrow's default mimalloc pool kept ~90 MB the 100x load had freed (benchmark memory 475 MB, target 400).
    import pyarrow as pa

    from landscape import ui  # noqa: F401  (importing the Streamlit module sets the pool)

    assert pa.default_memory_pool().backend_name == "system"
    assert pd.Series(["x"] * 10, dtype="string").array._pa_array.nbytes > 0  # string columns are Arrow-backed
