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
