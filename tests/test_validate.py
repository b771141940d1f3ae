"""Every kind of problem the validator checks is reported with file, row and column."""

from __future__ import annotations

import pytest

from landscape.validate import validate_data_dir
from tests.conftest import first_row_where, read_rows, set_cell, write_rows


def messages(data_dir) -> list[str]:
    return [str(p) for p in validate_data_dir(data_dir)]


def test_bundled_copy_is_valid(data_copy):
    assert messages(data_copy) == []


CELL_CASES = [
    # table, where (column=value or predicate), column, bad value, expected message fragment
    ("trials", {}, "phase", "Phase 9", 'phase: "Phase 9" is not an allowed value'),
    ("trials", {}, "nct_id", "NCT123", 'nct_id: "NCT123" does not match the expected pattern'),
    ("trials", {}, "status", "Paused", 'status: "Paused" is not an allowed value'),
    ("trials", {}, "line_of_therapy", "4L", 'line_of_therapy: "4L" is not an allowed value'),
    ("trials", {}, "start_date", "2019/01/02", 'start_date: "2019/01/02" does not match the expected pattern'),
    (
        "trials",
        {"start_date": lambda v: v != ""},
        "start_date",
        "2019-02-30",
        'start_date: "2019-02-30" is not a real calendar date',
    ),
    ("trials", {}, "countries", "JP;XX", 'countries: "XX" is not an ISO 3166-1 alpha-2 code'),
    ("trials", {}, "agent_ids", "trastuzumab;nosuchdrug", 'agent_ids: "nosuchdrug" not found in agents.csv (agent_id)'),
    ("trials", {}, "source_ids", "nosuchsource", 'source_ids: "nosuchsource" not found in sources.csv (source_id)'),
    ("trials", {}, "enrollment", "many", 'enrollment: "many" is not a valid integer'),
    ("agents", {}, "name", "", "name: is required but empty"),
    ("agents", {}, "modality", "magic", 'modality: "magic" is not an allowed value'),
    ("outcomes", {"n": lambda v: v != ""}, "n", "abc", 'n: "abc" is not a valid integer'),
    ("outcomes", {"orr_pct": lambda v: v != ""}, "orr_pct", "120", 'orr_pct: "120" breaks constraint "maximum"'),
    ("outcomes", {"os_hr": lambda v: v != ""}, "os_hr", "0", 'os_hr: "0" breaks constraint "exclusiveMinimum"'),
    (
        "outcomes",
        {"os_hr": lambda v: v != "", "os_hr_ci_low": lambda v: v != ""},
        "os_hr_ci_low",
        "5",
        "os_hr_ci_low: CI 5.0-",
    ),
    # A hazard ratio above its upper bound, or below its lower bound, is outside its own interval.
    (
        "outcomes",
        {"os_hr": lambda v: v != "", "os_hr_ci_high": lambda v: v != ""},
        "os_hr",
        "9",
        "does not contain the hazard ratio 9.0",
    ),
    (
        "outcomes",
        {"pfs_hr": lambda v: v != "", "pfs_hr_ci_low": lambda v: v != ""},
        "pfs_hr",
        "0.01",
        "does not contain the hazard ratio 0.01",
    ),
    (
        "outcomes",
        {"os_hr": lambda v: v != "", "arm_role": "experimental"},
        "os_hr_ci_high",
        "",
        "os_hr_ci_low: give both CI bounds or neither",
    ),
    ("outcomes", {}, "trial_id", "no_such_trial", 'trial_id: "no_such_trial" not found in trials.csv (trial_id)'),
    ("outcomes", {}, "source_id", "no_such_source", 'source_id: "no_such_source" not found in sources.csv (source_id)'),
    ("outcomes", {}, "arm_role", "placebo", 'arm_role: "placebo" is not an allowed value'),
    (
        "outcomes",
        {"median_os_status": "reached"},
        "median_os_status",
        "not reached",
        'median_os_status: is "not reached" but median_os_months has a value',
    ),
    (
        "outcomes",
        {"median_os_status": "not reported"},
        "median_os_status",
        "reached",
        "median_os_months: is empty but median_os_status says reached",
    ),
    (
        "outcomes",
        {"arm_role": "control", "os_hr": ""},
        "os_hr",
        "0.8",
        "os_hr: hazard ratios belong on the experimental arm's row",
    ),
    (
        "outcomes",
        {"n": lambda v: v != "", "orr_responders": lambda v: v != ""},
        "orr_responders",
        "100000",
        "orr_responders: 100000 responders exceed n",
    ),
    (
        "outcomes",
        {"n": lambda v: v != "", "orr_responders": lambda v: v != "", "orr_pct": lambda v: v != ""},
        "orr_pct",
        "99.9",
        "orr_pct: 99.9% disagrees with",
    ),
    ("approvals", {}, "agency", "WHO", 'agency: "WHO" is not an allowed value'),
    ("approvals", {}, "approval_date", "2021-13-01", 'approval_date: "2021-13-01" is not a real calendar date'),
    ("approvals", {}, "approval_date", "2099-01-01", "approval_date: 2099-01-01 lies after the as-of date"),
    ("approvals", {}, "agent_id", "unknown_agent", 'agent_id: "unknown_agent" not found in agents.csv (agent_id)'),
    (
        "eligibility",
        {"approval_id": "fda_pembrolizumab_2025"},
        "trial_id",
        "keynote_811",
        "approval_id: fill exactly one of approval_id and trial_id",
    ),
    (
        "eligibility",
        {"trial_id": "kc_wise"},
        "trial_id",
        "",
        "approval_id: fill exactly one of approval_id and trial_id",
    ),
    (
        "eligibility",
        {"trial_id": ""},
        "approval_id",
        "no_such_approval",
        'approval_id: "no_such_approval" not found in approvals.csv (approval_id)',
    ),
    (
        "eligibility",
        {"approval_id": "fda_ramucirumab_2014"},
        "prior_required",
        "cisplatin|nosuchdrug",
        'prior_required: "nosuchdrug" not found in agents.csv (agent_id)',
    ),
    ("eligibility", {}, "lines", "4L", 'lines: "4L" does not match the expected pattern'),
    ("eligibility", {}, "her2_levels", "ihc4", 'her2_levels: "ihc4" does not match the expected pattern'),
    ("eligibility", {"her2_levels": "any"}, "her2_levels", "any;ihc3", 'her2_levels: "any" stands alone'),
    (
        "eligibility",
        {"pdl1_scoring": "none"},
        "pdl1_min",
        "1",
        "pdl1_scoring: a PD-L1 threshold needs its scoring (CPS or TAP)",
    ),
    (
        "eligibility",
        {"pdl1_scoring": "CPS", "pdl1_min": "1"},
        "pdl1_max",
        "1",
        "pdl1_max: pdl1_max 1 must exceed pdl1_min 1",
    ),
    (
        "eligibility",
        {"pdl1_scoring": "CPS", "pdl1_min": "1"},
        "pdl1_min",
        "",
        "pdl1_min: CPS scoring given without a threshold",
    ),
    (
        "eligibility",
        {"approval_id": "fda_pembrolizumab_2021"},
        "superseded_by",
        "ema_pembrolizumab_2023",
        "superseded_by: ema_pembrolizumab_2023 is another agency's decision",
    ),
    (
        "eligibility",
        {"trial_id": "kc_wise"},
        "superseded_by",
        "fda_pembrolizumab_2025",
        "superseded_by: only an approval row can be superseded",
    ),
    (
        "eligibility",
        {"evidence_population": "PD-L1 CPS>=1"},
        "evidence_population",
        "PD-L1 CPS>=10",
        'evidence_population: no outcome of keynote_811 has the population "PD-L1 CPS>=10"',
    ),
    (
        "eligibility",
        {},
        "evidence_trial_ids",
        "no_such_trial",
        'evidence_trial_ids: "no_such_trial" not found in trials.csv (trial_id)',
    ),
    ("sites", {"latitude": lambda v: v != ""}, "latitude", "95", 'latitude: "95" breaks constraint "maximum"'),
    ("sites", {}, "trial_id", "ghost_trial", 'trial_id: "ghost_trial" not found in trials.csv (trial_id)'),
    ("sources", {}, "url", "javascript:alert(1)", 'url: "javascript:alert(1)" does not match the expected pattern'),
    ("sources", {}, "accessed", "yesterday", 'accessed: "yesterday" is not a valid date'),
    ("sources", {}, "kind", "blog", 'kind: "blog" is not an allowed value'),
    ("agents", {"scope": "HER2-directed"}, "scope", "partner", 'scope: "partner" disagrees with her2_directed = true'),
    (
        "trials",
        {"primary_endpoint_met": "yes"},
        "endpoint_source_id",
        "",
        'endpoint_source_id: primary_endpoint_met is "yes": name the source that says so',
    ),
    (
        "trials",
        {},
        "endpoint_source_id",
        "ghost_source",
        'endpoint_source_id: "ghost_source" not found in sources.csv (source_id)',
    ),
    ("trials", {"status": ""}, "status_as_of", "2026-01-01", "status_as_of: is set but status is empty"),
    (
        "trials",
        {"status": lambda v: v != ""},
        "status_as_of",
        "2099-01-01",
        "status_as_of: 2099-01-01 lies after the as-of date",
    ),
    (
        "trials",
        {},
        "registry_last_updated",
        "2025-02-30",
        'registry_last_updated: "2025-02-30" is not a real calendar date',
    ),
    ("trials", {}, "primary_endpoint_met", "maybe", 'primary_endpoint_met: "maybe" is not an allowed value'),
    (
        "outcomes",
        {"hr_ci_level": "95"},
        "hr_ci_level",
        "",
        "hr_ci_level: a hazard-ratio interval is given: say its confidence level",
    ),
    (
        "outcomes",
        {"hr_ci_level": "", "os_hr_ci_low": "", "pfs_hr_ci_low": ""},
        "hr_ci_level",
        "95",
        "hr_ci_level: is set but no hazard-ratio interval is given",
    ),
    ("outcomes", {}, "population_type", "everyone", 'population_type: "everyone" is not an allowed value'),
    ("outcomes", {}, "readout_date", "", "readout_date: is required but empty"),
]


@pytest.mark.parametrize(
    ("table", "where", "column", "value", "expected"),
    CELL_CASES,
    ids=[f"{c[0]}-{c[2]}-{c[3] or 'empty'}" for c in CELL_CASES],
)
def test_bad_cell_is_reported_with_file_row_and_column(data_copy, table, where, column, value, expected):
    index = first_row_where(data_copy, table, **where)
    row = set_cell(data_copy, table, index, column, value)
    found = messages(data_copy)
    prefix = f"{table}.csv:{row}: "
    assert any(m.startswith(prefix) and expected in m for m in found), (
        f"expected {prefix}...{expected}\ngot:\n" + "\n".join(found)
    )


def test_duplicate_primary_key_is_reported(data_copy):
    header, rows = read_rows(data_copy, "agents")
    rows.append(dict(rows[0]))
    write_rows(data_copy, "agents", header, rows)
    found = messages(data_copy)
    assert any(m.startswith(f"agents.csv:{len(rows) + 1}: agent_id:") and "duplicate" in m for m in found), found


def test_missing_file_is_reported(data_copy):
    (data_copy / "sites.csv").unlink()
    assert messages(data_copy) == [f"sites.csv: file is missing from {data_copy}"]


def test_renamed_header_is_reported_without_row_noise(data_copy):
    text = (data_copy / "agents.csv").read_text(encoding="utf-8")
    (data_copy / "agents.csv").write_text(text.replace("modality", "mechanism", 1), encoding="utf-8")
    found = messages(data_copy)
    assert found and all(m.startswith("agents.csv") for m in found)
    assert any("header" in m and "mechanism" in m for m in found), found


def test_randomised_trial_with_hazard_ratio_needs_a_control_row(data_copy):
    header, rows = read_rows(data_copy, "outcomes")
    trial = next(r["trial_id"] for r in rows if r["trial_id"] == "destiny_gastric04")
    kept = [r for r in rows if not (r["trial_id"] == trial and r["arm_role"] == "control")]
    write_rows(data_copy, "outcomes", header, kept)
    assert any(
        "randomised trial destiny_gastric04 reports hazard ratios but has no control arm row" in m
        for m in messages(data_copy)
    )


def test_ragged_row_is_reported(data_copy):
    with (data_copy / "sources.csv").open("a", encoding="utf-8") as f:
        f.write("only_two,cells\n")
    _, rows = read_rows(data_copy, "sources")
    found = messages(data_copy)
    assert any(m.startswith(f"sources.csv:{len(rows) + 1}:") for m in found), found


def test_text_na_stays_text(data_copy):
    index = first_row_where(data_copy, "trials")
    set_cell(data_copy, "trials", index, "sponsor", "NA")
    assert messages(data_copy) == []


def test_a_second_headline_population_for_one_endpoint_is_reported(data_copy):
    header, rows = read_rows(data_copy, "outcomes")
    headline = [i for i, r in enumerate(rows) if r["trial_id"] == "jacob" and "ORR" in r["headline_for"].split(";")]
    other = [i for i, r in enumerate(rows) if r["trial_id"] == "jacob" and r["headline_for"] == "" and r["orr_pct"]]
    rows[other[0]]["headline_for"] = "ORR"
    write_rows(data_copy, "outcomes", header, rows)
    found = messages(data_copy)
    later = max(other[0], headline[0]) + 2
    assert any(
        m.startswith(f"outcomes.csv:{later}: headline_for: ORR headline of jacob is already row") for m in found
    ), found
