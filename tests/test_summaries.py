"""Overview summaries: counts, the line board, current indications, latest approvals and readouts."""

from __future__ import annotations

import pandas as pd
import pytest

from landscape import filters, summaries
from landscape.filters import FilterState
from landscape.model import flatten_ids


def _by_label(headlines) -> dict[str, tuple[int, int]]:
    return {h.label: (h.value, h.total) for h in headlines}


def test_headline_counts_match_the_tables(landscape):
    counts = _by_label(summaries.headlines(landscape))
    her2_trials = int((landscape.trials["scope"] == "HER2-directed").sum())
    assert counts["HER2 trials"] == (her2_trials, her2_trials) and her2_trials < len(landscape.trials)
    gastric = int((~landscape.approvals["other_tumour"]).sum())
    assert counts["G/GEJ approvals"] == (gastric, gastric)
    assert counts["outcome rows"] == (len(landscape.outcomes), len(landscape.outcomes))
    assert 0 < counts["sources cited"][0] <= len(landscape.sources)


@pytest.mark.parametrize(
    "selections",
    [
        {"line": ("2L",)},
        {"phase": ("Phase 3",)},
        {"setting": ("perioperative",)},
        {"sponsor": ("Daiichi Sankyo",)},
        {"programme": ("failed",)},
        {"line": ("1L",), "modality": ("bispecific antibody",)},
    ],
)
def test_headline_counts_follow_the_filters(landscape, selections):
    """Each count equals its table filtered and counted by hand; the total is the whole landscape's."""
    state = FilterState(selections)
    counts = _by_label(summaries.headlines(landscape, state))
    trials = filters.apply_filters(landscape.trials, state)
    her2 = trials[trials["scope"] == "HER2-directed"]
    agents = filters.apply_filters(landscape.agents, state)
    approvals = filters.apply_filters(landscape.approvals, state)
    outcomes = filters.apply_filters(landscape.outcomes, state)
    whole = _by_label(summaries.headlines(landscape))
    assert counts["HER2 trials"] == (len(her2), whole["HER2 trials"][0])
    assert counts["HER2 agents"][0] == int((agents["scope"] == "HER2-directed").sum())
    assert counts["randomised phase 3"][0] == int(
        ((her2["design"] == "randomised") & (her2["phase"] == "Phase 3")).sum()
    )
    assert counts["outcome rows"][0] == len(outcomes)
    assert counts["G/GEJ approvals"][0] == int((~approvals["other_tumour"]).sum())
    cited = set(flatten_ids(agents.loc[agents["scope"] == "HER2-directed", "source_ids"]))
    cited |= set(flatten_ids(her2["source_ids"])) | set(approvals.loc[~approvals["other_tumour"], "source_id"])
    cited |= set(outcomes["source_id"].dropna())
    assert counts["sources cited"][0] == len(cited)
    # A filter that narrows the trials narrows their count below the whole landscape's.
    assert counts["HER2 trials"][0] < counts["HER2 trials"][1]


def test_headline_labels_fit_a_metric_and_say_the_rest_in_help(landscape):
    for headline in summaries.headlines(landscape):
        assert len(headline.label) <= summaries.HEADLINE_LABEL_MAX, headline.label
        assert headline.meaning.endswith(".") and len(headline.meaning) > len(headline.label)


def _approved_bullets(board) -> list[tuple[str, str]]:
    return [(c.line, r) for c in board for r in c.approved["regimen_short"]]


def test_one_bullet_per_regimen_even_when_agencies_word_the_indication_differently(landscape):
    """PMDA words pembrolizumab's first-line HER2-positive indication "PD-L1 CPS (22C3 companion diagnostic)",
    the others "PD-L1 CPS>=1": one regimen, one bullet, each wording with its agencies."""
    board = summaries.line_board(landscape)
    bullets = _approved_bullets(board)
    assert len(bullets) == len(set(bullets)), [b for b in bullets if bullets.count(b) > 1]
    first = next(c for c in board if c.line == "1L").approved.set_index("regimen_short")
    pembro = first.loc["Pembrolizumab + Trastuzumab + chemotherapy"]
    wordings = dict(pembro["indications"])
    assert len(wordings) == 2 and "PMDA" in wordings and "CPS>=1" in " ".join(wordings.values())
    assert pembro["agencies"].split(", ") == sorted({"EMA", "FDA", "NMPA", "PMDA"})


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # Two agencies, two wordings: one regimen with both.
        (
            [("FDA", "X + chemo", "CPS>=1", "2023-01-01"), ("PMDA", "X + chemo", "CPS (22C3)", "2024-01-01")],
            {"X + chemo": (("FDA", "CPS>=1"), ("PMDA", "CPS (22C3)"))},
        ),
        # Two agencies, one wording: one regimen, agencies joined.
        (
            [("FDA", "Y", "HER2-positive", "2020-01-01"), ("EMA", "Y", "HER2-positive", "2021-01-01")],
            {"Y": (("EMA, FDA", "HER2-positive"),)},
        ),
        # Two regimens stay two.
        (
            [("FDA", "Y", "HER2-positive", "2020-01-01"), ("FDA", "Z", "HER2-positive", "2021-01-01")],
            {"Y": (("FDA", "HER2-positive"),), "Z": (("FDA", "HER2-positive"),)},
        ),
    ],
)
def test_approved_regimens_group_by_regimen(rows, expected):
    frame = pd.DataFrame(rows, columns=["agency", "regimen_short", "biomarker_label", "date"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["her2_directed"] = True
    got = summaries.approved_regimens(frame)
    assert dict(zip(got["regimen_short"], got["indications"], strict=True)) == expected


def test_current_indication_follows_the_latest_label_change(landscape):
    current = summaries.current_indications(landscape.approvals)
    fda_pembro = current[(current["agency"] == "FDA") & current["agent_id"].str.contains("pembrolizumab")]
    assert len(fda_pembro) == 1
    assert "CPS>=1" in fda_pembro.iloc[0]["biomarker"]
    assert not current["other_tumour"].any()
    # Different regimens of one agent are separate indications (ramucirumab alone and with paclitaxel).
    fda_ram = current[(current["agency"] == "FDA") & (current["agent_id"] == "ramucirumab")]
    assert len(fda_ram) == 2


def test_line_board_places_regimens_by_line(landscape):
    board = {c.line: c for c in summaries.line_board(landscape)}
    assert list(board) == ["1L", "2L", "3L+"]
    first_line = " ".join(board["1L"].approved["regimen_short"])
    assert "Pembrolizumab + Trastuzumab + chemotherapy" in first_line
    assert "Trastuzumab deruxtecan" in " ".join(board["2L"].approved["regimen_short"])
    for column in board.values():
        assert not column.investigational["status"].isin(["Completed", "Terminated", "Withdrawn"]).any()
        phases = list(column.investigational["phase"])
        order = {p: i for i, p in enumerate(["Phase 1", "Phase 1/2", "Phase 2", "Phase 2/3", "Phase 3"])}
        assert [order[p] for p in phases] == sorted((order[p] for p in phases), reverse=True)


def test_latest_approvals_newest_first(landscape):
    latest = summaries.latest_approvals(landscape)
    dates = list(latest["approval_date"])
    assert dates == sorted(dates, reverse=True)


def test_latest_readouts_are_newest_first_by_readout_date(landscape):
    readouts = summaries.latest_readouts(landscape)
    assert not readouts.empty and readouts["source_url"].notna().all()
    assert list(readouts["readout_date"]) == sorted(readouts["readout_date"], reverse=True)
    assert readouts["readout_date"].iloc[0] == landscape.outcomes["readout_date"].max()


def test_latest_readouts_and_approvals_follow_the_given_rows(landscape):
    state = FilterState({"line": ("2L",)})
    readouts = summaries.latest_readouts(landscape, outcomes=filters.apply_filters(landscape.outcomes, state))
    assert set(readouts["line_of_therapy"]) <= {"2L", "2L+"}
    approvals = summaries.latest_approvals(landscape, approvals=filters.apply_filters(landscape.approvals, state))
    assert set(approvals["line_of_therapy"]) <= {"2L", "2L+"}


def test_the_newest_readouts_are_dated_to_the_month_their_sources_give(landscape):
    """A readout whose source is dated by month carries that month (a year alone is for sources that give none)."""
    readouts = summaries.latest_readouts(landscape, limit=len(landscape.outcomes))
    dated = readouts.set_index(["trial_id", "analysis"])["readout_date"]
    assert len(dated.loc[("kc_wise", "pre-specified interim analysis (phase 3)")]) >= 7
    assert len(dated.loc[("herizon_gea_01", "first interim analysis (PD-L1 subgroup, ASCO 2026)")]) >= 7


def test_overdue_and_upcoming_readouts_follow_the_model_rule(data_copy):
    """Through the model: a primary completion already past with no primary result is overdue, estimated or
    actual; a date within 12 months of the as-of date is upcoming; a stopped trial is neither."""
    from landscape import dates
    from landscape.load import load_tables
    from landscape.model import build_landscape
    from tests.conftest import read_rows, write_rows

    header, rows = read_rows(data_copy, "trials")
    as_of = load_tables(data_copy).tables.as_of
    soon = dates.add_months(dates.first_day(as_of), 6).isoformat()[:7]
    undecided = {r["trial_id"] for r in rows if r["primary_endpoint_met"] in ("not yet", "")}
    _, outcome_rows = read_rows(data_copy, "outcomes")
    with_results = {r["trial_id"] for r in outcome_rows}
    chosen = [r for r in rows if r["trial_id"] in undecided - with_results][:4]
    cases = [
        ("2025-01", "estimated", ""),
        ("2025-01", "actual", ""),
        (soon, "estimated", ""),
        ("2025-01", "actual", "Terminated"),
    ]
    for row, (date, kind, status) in zip(chosen, cases, strict=True):
        row["primary_completion_date"], row["primary_completion_date_type"] = date, kind
        if status:
            row["status"], row["status_as_of"] = status, "2025-06-01"
    write_rows(data_copy, "trials", header, rows)
    result = load_tables(data_copy)
    assert result.ok, result.problems
    landscape = build_landscape(result.tables)
    upcoming, overdue = summaries.readout_watch(landscape.trials)
    late, late_actual, future, stopped = (r["trial_id"] for r in chosen)
    assert {late, late_actual} <= set(overdue["trial_id"])
    assert future in set(upcoming["trial_id"]) and future not in set(overdue["trial_id"])
    assert stopped not in set(overdue["trial_id"]) | set(upcoming["trial_id"])
