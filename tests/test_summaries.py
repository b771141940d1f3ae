"""Overview summaries: counts, the line board, current indications, latest approvals and readouts."""

from __future__ import annotations

from landscape import summaries


def test_headline_counts_match_the_tables(landscape):
    counts = summaries.headline_counts(landscape)
    assert (
        counts["HER2-directed trials"]
        == int((landscape.trials["scope"] == "HER2-directed").sum())
        < len(landscape.trials)
    )
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


def test_latest_readouts_are_newest_first_by_readout_date(landscape):
    readouts = summaries.latest_readouts(landscape)
    assert not readouts.empty and readouts["source_url"].notna().all()
    assert list(readouts["readout_date"]) == sorted(readouts["readout_date"], reverse=True)
    assert readouts["readout_date"].iloc[0] == landscape.outcomes["readout_date"].max()


def test_overdue_and_upcoming_readouts_follow_the_model_rule(data_copy):
    """The rule in model.py: an estimated primary completion already past, with no results, is overdue;
    an actual one is not; a future one is upcoming."""
    import pandas as pd

    from landscape.load import load_tables
    from landscape.model import build_landscape
    from tests.conftest import read_rows, write_rows

    header, rows = read_rows(data_copy, "trials")
    chosen = [r for r in rows if r["results_reported"] == "false"][:3]
    for row, (date, kind) in zip(
        chosen, [("2025-01", "estimated"), ("2025-01", "actual"), ("2027-06", "estimated")], strict=True
    ):
        row["primary_completion_date"], row["primary_completion_date_type"] = date, kind
    write_rows(data_copy, "trials", header, rows)
    result = load_tables(data_copy)
    assert result.ok, result.problems
    landscape = build_landscape(result.tables)
    upcoming, overdue = summaries.readout_watch(landscape.trials, pd.Timestamp(landscape.as_of))
    late, done, future = (r["trial_id"] for r in chosen)
    assert late in set(overdue["trial_id"]) and done not in set(overdue["trial_id"])
    assert future in set(upcoming["trial_id"]) and late not in set(upcoming["trial_id"])
