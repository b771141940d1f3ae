"""The safety, guideline and event tables: a valid row of each kind passes, and every rule the schema cannot
express is reported with file, row and column."""

from __future__ import annotations

import pytest

from landscape.validate import validate_data_dir
from tests.conftest import read_rows, write_rows


def _outcome_arm(data_dir) -> tuple[str, str]:
    _, rows = read_rows(data_dir, "outcomes")
    return rows[0]["trial_id"], rows[0]["arm_id"]


def _a_source(data_dir) -> str:
    return read_rows(data_dir, "sources")[1][0]["source_id"]


def _an_agent(data_dir) -> str:
    return read_rows(data_dir, "agents")[1][0]["agent_id"]


def safety_trial_row(data_dir, **changes) -> dict[str, str]:
    trial_id, arm_id = _outcome_arm(data_dir)
    row = {
        "safety_id": "test_trial_row",
        "trial_id": trial_id,
        "arm_id": arm_id,
        "regimen": "Test regimen",
        "measure": "grade3plus_ae_pct",
        "value": "54.2",
        "unit": "percent",
        "attribution": "all-cause",
        "n_safety": "120",
        "population": "safety analysis set",
        "analysis": "primary",
        "analysis_stage": "primary",
        "source_id": _a_source(data_dir),
    }
    return row | changes


def safety_label_row(data_dir, **changes) -> dict[str, str]:
    row = {
        "safety_id": "test_label_row",
        "agent_id": _an_agent(data_dir),
        "agency": "FDA",
        "label_date": "2025-03",
        "regimen": "Test product",
        "measure": "boxed_warning",
        "topic": "Embryo-fetal toxicity",
        "source_id": _a_source(data_dir),
    }
    return row | changes


def event_row(data_dir, **changes) -> dict[str, str]:
    trial_id, _ = _outcome_arm(data_dir)
    row = {
        "event_id": "test_event",
        "event_date": "2027-H1",
        "kind": "readout",
        "event_type": "topline results expected",
        "trial_id": trial_id,
        "what": "Topline results expected",
        "source_id": _a_source(data_dir),
    }
    return row | changes


def guideline_row(data_dir, **changes) -> dict[str, str]:
    row = {
        "guideline_id": "test_guideline",
        "organisation": "ESMO",
        "guideline": "ESMO Clinical Practice Guideline: gastric cancer",
        "version": "2022",
        "scale": "ESMO level of evidence and grade of recommendation",
        "line_of_therapy": "1L",
        "her2_condition": "HER2-positive",
        "regimen": "Trastuzumab + fluoropyrimidine + platinum",
        "agent_ids": _an_agent(data_dir),
        "position": "I, A",
        "source_id": _a_source(data_dir),
    }
    return row | changes


def append(data_dir, table: str, row: dict[str, str]) -> int:
    header, rows = read_rows(data_dir, table)
    rows.append({c: row.get(c, "") for c in header})
    write_rows(data_dir, table, header, rows)
    return len(rows) + 1


def messages(data_dir) -> list[str]:
    return [str(p) for p in validate_data_dir(data_dir)]


@pytest.mark.parametrize(
    ("table", "make"),
    [
        ("safety", safety_trial_row),
        ("safety", safety_label_row),
        ("events", event_row),
        ("guidelines", guideline_row),
    ],
)
def test_a_valid_row_of_each_kind_passes(data_copy, table, make):
    append(data_copy, table, make(data_copy))
    assert messages(data_copy) == []


CASES = [
    # table, row builder, changes, expected "column: message" fragment
    ("safety", safety_trial_row, {"value": "120"}, "value: 120 is not a percentage (0-100)"),
    ("safety", safety_trial_row, {"unit": "patients"}, "unit: grade3plus_ae_pct is in percent"),
    (
        "safety",
        safety_trial_row,
        {"measure": "treatment_related_deaths_n", "value": "2.5", "unit": "patients"},
        "value: 2.5 is not a count",
    ),
    ("safety", safety_trial_row, {"value": ""}, "value: a grade3plus_ae_pct row needs its value"),
    ("safety", safety_trial_row, {"arm_id": "no_such_arm"}, 'arm_id: "no_such_arm" is not an arm of'),
    ("safety", safety_trial_row, {"trial_id": ""}, "trial_id: a grade3plus_ae_pct row needs trial_id and arm_id"),
    ("safety", safety_trial_row, {"attribution": ""}, "attribution: say whether the events are all-cause"),
    ("safety", safety_trial_row, {"ild_adjudicated": "true"}, "ild_adjudicated: only ILD rows say"),
    ("safety", safety_trial_row, {"topic": "ILD"}, "agency: agency, label_date and topic belong to label rows"),
    ("safety", safety_trial_row, {"measure": "hair_loss_pct"}, 'measure: "hair_loss_pct" is not an allowed value'),
    ("safety", safety_trial_row, {"source_id": "ghost"}, 'source_id: "ghost" not found in sources.csv'),
    ("safety", safety_label_row, {"topic": ""}, "topic: a boxed_warning row needs topic"),
    ("safety", safety_label_row, {"agency": ""}, "agency: a boxed_warning row needs agency"),
    (
        "safety",
        safety_label_row,
        {"value": "3", "unit": "percent"},
        "value: a boxed_warning row (a label's) has no value",
    ),
    ("safety", safety_label_row, {"agent_id": "ghost_agent"}, 'agent_id: "ghost_agent" not found in agents.csv'),
    ("safety", safety_label_row, {"label_date": "2025-13"}, 'label_date: "2025-13" is not a real calendar date'),
    (
        "events",
        event_row,
        {"event_type": "application accepted"},
        'event_type: "application accepted" is not a readout',
    ),
    ("events", event_row, {"trial_id": ""}, "trial_id: a readout names its trial"),
    (
        "events",
        event_row,
        {"kind": "regulatory", "event_type": "application accepted", "trial_id": ""},
        "agency: a regulatory event names its agency",
    ),
    ("events", event_row, {"event_date": "2027-H3"}, 'event_date: "2027-H3" does not match the expected pattern'),
    ("events", event_row, {"event_date": "2027-02-30"}, 'event_date: "2027-02-30" is not a real calendar date'),
    ("events", event_row, {"agent_ids": "ghost_agent"}, 'agent_ids: "ghost_agent" not found in agents.csv'),
    ("guidelines", guideline_row, {"organisation": "WHO"}, 'organisation: "WHO" is not an allowed value'),
    ("guidelines", guideline_row, {"position": ""}, "position: is required but empty"),
    ("guidelines", guideline_row, {"agent_ids": "ghost_agent"}, 'agent_ids: "ghost_agent" not found in agents.csv'),
]


@pytest.mark.parametrize(("table", "make", "changes", "expected"), CASES)
def test_a_broken_row_is_named_with_file_row_and_column(data_copy, table, make, changes, expected):
    line = append(data_copy, table, make(data_copy, **changes))
    found = messages(data_copy)
    assert any(m.startswith(f"{table}.csv:{line}: ") and expected in m for m in found), found


def test_a_subgroup_tag_needs_a_subgroup_row(data_copy):
    header, rows = read_rows(data_copy, "outcomes")
    index = next(i for i, r in enumerate(rows) if r["population_type"] == "ITT")
    rows[index]["subgroup"] = "PD-L1 CPS >= 1"
    write_rows(data_copy, "outcomes", header, rows)
    assert any(m.startswith(f"outcomes.csv:{index + 2}: subgroup: a subgroup tag needs") for m in messages(data_copy))
