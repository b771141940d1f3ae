"""Trial status from evidence: partial dates, primary results, the enrolment inference and the readout rule,
case by case; and on the real data, no trial with a reported primary analysis is ever called open."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from landscape import dates, schema, status

AS_OF = "2026-11-27"


@pytest.mark.parametrize(
    ("text", "start", "end", "precision", "words"),
    [
        ("2027-03-15", "2027-03-15", "2027-03-15", "day", "2027-03-15"),
        ("2027-02", "2027-02-01", "2027-02-28", "month", "2027-02"),
        ("2024-02", "2024-02-01", "2024-02-29", "month", "2024-02"),
        ("2027-Q2", "2027-04-01", "2027-06-30", "quarter", "Q2 2027"),
        ("2027-H1", "2027-01-01", "2027-06-30", "half", "1H 2027"),
        ("2027-H2", "2027-07-01", "2027-12-31", "half", "2H 2027"),
        ("2027", "2027-01-01", "2027-12-31", "year", "2027"),
    ],
)
def test_a_partial_date_names_a_period(text, start, end, precision, words):
    period = dates.parse(text)
    assert (period.first.isoformat(), period.last.isoformat(), period.precision) == (start, end, precision)
    assert dates.words(text) == words


@pytest.mark.parametrize("text", ["", None, "2027-13", "2027-02-30", "2027-Q5", "2027-H3", "27", "soon"])
def test_what_is_not_a_date_parses_to_nothing(text):
    assert dates.parse(text) is None
    assert dates.sort_key(text) == dates.UNDATED_KEY


def test_partial_dates_sort_by_start_then_the_coarser_period_as_iso_text_does():
    assert sorted(["2027-01-01", "2027-H1", "2026-12", "2027", "x", "2027-Q1"], key=dates.sort_key) == [
        "2026-12",
        "2027",
        "2027-H1",
        "2027-Q1",
        "2027-01-01",
        "x",
    ]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [("2026-01-31", 1, "2026-02-28"), ("2026-11-27", 12, "2027-11-27"), ("2024-02-29", 12, "2025-02-28")],
)
def test_add_months_keeps_the_day_or_the_month_end(day, months, expected):
    assert dates.add_months(dt.date.fromisoformat(day), months).isoformat() == expected


@pytest.mark.parametrize(
    ("date", "reported", "trial_status", "window", "expected"),
    [
        ("2025-01", True, "Recruiting", 12, "reported"),
        ("2025-01", False, "Terminated", 12, "stopped"),
        ("2025-01", False, "Withdrawn", 12, "stopped"),
        ("", False, "Recruiting", 12, "no date"),
        ("2025-01", False, "Recruiting", 12, "overdue"),
        ("2025-01", False, "Completed", 12, "overdue"),
        ("2025-01", False, None, 12, "overdue"),
        # A partial date is overdue only once its whole period has passed.
        ("2026-11", False, "Recruiting", 12, "upcoming"),
        ("2026", False, "Recruiting", 12, "upcoming"),
        ("2026-11-26", False, "Recruiting", 12, "overdue"),
        ("2027-H1", False, "Recruiting", 12, "upcoming"),
        ("2027-11-27", False, "Recruiting", 12, "upcoming"),
        ("2027-11-28", False, "Recruiting", 12, "later"),
        ("2027-11-28", False, "Recruiting", 24, "upcoming"),
        ("2027-Q2", False, "Recruiting", 3, "later"),
    ],
)
def test_readout_state(date, reported, trial_status, window, expected):
    assert status.readout_state(date, reported, trial_status, AS_OF, window) == expected


def trial(**values) -> dict:
    base = {c: None for c in schema.columns("trials")}
    base.update(trial_id="t1", status="Recruiting", source_ids="ct_nct1_v2;pub_x")
    base.update(values)
    return base


@pytest.mark.parametrize(
    ("values", "guidance", "date", "basis_start"),
    [
        (
            {
                "primary_completion_date": "2027-03",
                "primary_completion_date_type": "estimated",
                "completion_date": "2028",
            },
            None,
            "2027-03",
            "registry primary completion date 2027-03 (estimated)",
        ),
        ({"completion_date": "2028-01", "completion_date_type": "estimated"}, None, "2028-01", "registry completion"),
        ({}, ("2027-H1", "Topline 1H 2027", "pr_x"), "2027-H1", "company guidance: Topline 1H 2027"),
        ({"completion_date": "2028-01"}, ("2027-H1", "Topline", "pr_x"), "2028-01", "registry completion"),
        ({}, None, "", ""),
    ],
)
def test_expected_readout_prefers_primary_completion_then_completion_then_guidance(values, guidance, date, basis_start):
    found = status.expected_readout(trial(**values), False, guidance, AS_OF)
    assert found.date == date and found.basis.startswith(basis_start)
    if guidance and not values:
        assert found.source_ids == ("pr_x",)


RESULTS = status.PrimaryResults("2025-06", "2026-01", "primary results 2025-06")


@pytest.mark.parametrize(
    ("trial_status", "status_as_of", "enrollment", "kind", "results", "expected"),
    [
        (
            "Recruiting",
            "2024-02-05",
            914,
            "actual",
            RESULTS,
            "enrolment closed (inferred: primary results 2025-06, actual enrolment 914)",
        ),
        (
            None,
            None,
            79,
            "actual",
            RESULTS,
            "enrolment closed (inferred: primary results 2025-06, actual enrolment 79)",
        ),
        (
            "Unknown status",
            "2021-04-06",
            500,
            "estimated",
            RESULTS,
            "enrolment closed (inferred: primary results 2025-06, enrolment not recorded as actual)",
        ),
        # A registry record newer than every result wins: a trial can reopen or add a cohort.
        ("Recruiting", "2026-02-01", 914, "actual", RESULTS, ""),
        # The registry already says enrolment is over.
        ("Active, not recruiting", "2024-02-05", 914, "actual", RESULTS, ""),
        ("Completed", "2024-02-05", 914, "actual", RESULTS, ""),
        ("Terminated", "2024-02-05", 914, "actual", RESULTS, ""),
        # No primary results: the registry stands.
        ("Recruiting", "2024-02-05", 914, "actual", None, ""),
    ],
)
def test_enrolment_closed_basis(trial_status, status_as_of, enrollment, kind, results, expected):
    assert status.enrolment_closed_basis(trial_status, status_as_of, enrollment, kind, results) == expected


def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    columns = schema.columns(table)
    return pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)


def test_primary_results_count_primary_analyses_decided_endpoints_and_approvals_not_interims():
    trials = frame(
        "trials",
        [
            {"trial_id": "interim_only", "primary_endpoint_met": "not reported"},
            {"trial_id": "primary_rows", "primary_endpoint_met": "not reported"},
            {"trial_id": "part_one_only", "primary_endpoint_met": "not yet"},
            {"trial_id": "decided", "primary_endpoint_met": "yes"},
            {"trial_id": "decided_no_rows", "primary_endpoint_met": "no", "endpoint_source_id": "pub_a"},
            {"trial_id": "approved", "primary_endpoint_met": "not reported"},
        ],
    )
    outcomes = frame(
        "outcomes",
        [
            {"trial_id": "interim_only", "analysis_stage": "interim", "readout_date": "2024"},
            {"trial_id": "primary_rows", "analysis_stage": "interim", "readout_date": "2023-05"},
            {"trial_id": "primary_rows", "analysis_stage": "final", "readout_date": "2025-06"},
            {"trial_id": "part_one_only", "analysis_stage": "primary", "readout_date": "2024"},
            {"trial_id": "decided", "analysis_stage": "interim", "readout_date": "2021-05-05"},
            {"trial_id": "decided", "analysis_stage": "final", "readout_date": "2024-09"},
        ],
    )
    sources = frame("sources", [{"source_id": "pub_a", "published": "2022-03"}])
    approvals = frame("approvals", [{"approval_id": "ap1", "approval_date": "2024-04-05"}])
    eligibility = frame("eligibility", [{"approval_id": "ap1", "evidence_trial_ids": "approved"}])
    found = status.primary_results(trials, outcomes, eligibility, approvals, sources)
    assert set(found) == {"primary_rows", "decided", "decided_no_rows", "approved"}
    assert (found["primary_rows"].first, found["primary_rows"].latest) == ("2025-06", "2025-06")
    assert (found["decided"].first, found["decided"].latest) == ("2021-05-05", "2024-09")
    assert found["decided_no_rows"].basis == "primary endpoint reported 2022-03"
    assert found["approved"].basis == "approval based on it 2024-04-05"


def test_no_trial_with_reported_primary_results_is_called_open(landscape):
    t = landscape.trials
    reported = t[t["primary_results_date"].notna() | t["primary_results_basis"].notna()]
    assert not reported.empty
    newer_registry = reported["enrolment_inferred"].fillna("").eq("")
    # Where the registry is not overruled, it is either closed already or newer than every result.
    still_open = reported[newer_registry & reported["status_group"].eq("open")]
    for row in still_open.itertuples():
        assert dates.first_day(row.status_as_of) > dates.last_day(row.primary_results_date), row.trial_id
    inferred = t[t["enrolment_inferred"].fillna("").ne("")]
    assert (inferred["status_group"] == "enrolment closed (inferred from results)").all()
    assert set(t["readout_state"]) <= set(status.READOUT_STATES)
    assert not t.loc[t["readout_state"] == "overdue", "status"].isin(["Terminated", "Withdrawn"]).any()
