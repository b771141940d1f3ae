"""Overview summaries: counts, the line board, current indications, latest approvals and readouts."""

from __future__ import annotations

from landscape import summaries


def test_headline_counts_match_the_tables(landscape):
    counts = summaries.headline_counts(landscape)
    assert counts["trials"] == len(landscape.trials)
    assert counts["sources"] == len(landscape.sources)
    assert counts["gastric/GEJ approvals"] == int((~landscape.approvals["other_tumour"]).sum())


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


def test_latest_readouts_have_a_source_and_date(landscape):
    readouts = summaries.latest_readouts(landscape)
    assert not readouts.empty and readouts["published"].notna().all() and readouts["source_url"].notna().all()


def test_readout_watch_splits_upcoming_and_overdue():
    import pandas as pd

    trials = pd.DataFrame(
        {
            "acronym": ["future", "late", "done", "reported"],
            "primary_completion": pd.to_datetime(["2027-01-01", "2025-01-01", "2024-01-01", "2027-06-01"]),
            "results_reported": pd.array([False, False, True, True], dtype="boolean"),
            "overdue": [False, True, False, False],
        }
    )
    upcoming, overdue = summaries.readout_watch(trials, pd.Timestamp("2026-11-27"))
    assert list(upcoming["acronym"]) == ["future"]
    assert list(overdue["acronym"]) == ["late"]
