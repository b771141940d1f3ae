"""Summaries for the overview: headline counts, the line-of-therapy board, latest approvals and
readouts. Pure functions of the landscape model."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from landscape.filters import PHASE_ORDER, facet_mask
from landscape.model import Landscape

BOARD_LINES = ("1L", "2L", "3L+")
CLOSED_STATUSES = {"Completed", "Terminated", "Withdrawn"}


def headline_counts(landscape: Landscape) -> dict[str, int]:
    """Return the dataset's headline numbers."""
    gastric = landscape.approvals[~landscape.approvals["other_tumour"]]
    return {
        "HER2-directed agents": int(landscape.agents["her2_directed"].fillna(False).sum()),
        "trials": len(landscape.trials),
        "randomised phase 3 trials": int(((landscape.trials["design"] == "randomised") & (landscape.trials["phase"] == "Phase 3")).sum()),
        "outcome rows": len(landscape.outcomes),
        "gastric/GEJ approvals": len(gastric),
        "sources": len(landscape.sources),
    }


@dataclass(frozen=True)
class BoardColumn:
    line: str
    approved: pd.DataFrame  # regimen_short, biomarker_label, agencies, first_date
    investigational: pd.DataFrame  # phase, acronym, key_agents, status, trial_id


def line_board(landscape: Landscape, trials: pd.DataFrame | None = None, approvals: pd.DataFrame | None = None) -> list[BoardColumn]:
    """Return, per line of therapy, the approved gastric regimens (with agencies) and the open or
    ongoing investigational trials ordered by phase (latest phase first)."""
    trials = landscape.trials if trials is None else trials
    approvals = landscape.approvals if approvals is None else approvals
    current = current_indications(approvals)
    columns = []
    for line in BOARD_LINES:
        here = current[facet_mask(current, "f_line", (line,))]
        approved = (
            here.groupby(["regimen_short", "biomarker_label"], dropna=False)
            .agg(agencies=("agency", lambda s: ", ".join(sorted(set(s)))), first_date=("date", "min"))
            .reset_index()
            .sort_values("first_date")
        )
        open_trials = trials[facet_mask(trials, "f_line", (line,)) & ~trials["status"].isin(CLOSED_STATUSES)]
        rank = {p: i for i, p in enumerate(PHASE_ORDER)}
        investigational = open_trials.assign(_rank=open_trials["phase"].map(rank)).sort_values(["_rank", "acronym"], ascending=[False, True])
        columns.append(BoardColumn(line, approved, investigational[["phase", "acronym", "key_agents", "status", "trial_id"]]))
    return columns


def current_indications(approvals: pd.DataFrame) -> pd.DataFrame:
    """Return each agency's latest decision per regimen in gastric/GEJ cancer: a label change or a
    conversion supersedes the earlier indication of the same regimen (pembrolizumab's CPS>=1 restriction)."""
    gastric = approvals[~approvals["other_tumour"]]
    return gastric.sort_values("date").groupby(["agency", "agent_id", "regimen_short"], sort=False).tail(1)


def latest_approvals(landscape: Landscape, limit: int = 6) -> pd.DataFrame:
    """Return the most recent approvals and label changes."""
    cols = ["approval_date", "agency", "agent_names", "approval_type", "line_of_therapy", "biomarker", "tumour_type", "source_url", "source_id"]
    return landscape.approvals.sort_values("date", ascending=False).head(limit)[cols]


def latest_readouts(landscape: Landscape, limit: int = 6) -> pd.DataFrame:
    """Return the most recent results, one row per trial and analysis, newest publication first."""
    published = dict(zip(landscape.sources["source_id"], landscape.sources["published"]))
    kinds = dict(zip(landscape.sources["source_id"], landscape.sources["kind"]))
    rows = landscape.outcomes.drop_duplicates(["trial_id", "analysis"])[["trial_id", "acronym", "line_of_therapy", "analysis", "source_id", "source_citation", "source_url"]].copy()
    rows["published"] = rows["source_id"].map(published)
    rows["kind"] = rows["source_id"].map(kinds)
    rows = rows[rows["published"].notna()]
    return rows.sort_values("published", ascending=False).head(limit)


def readout_watch(trials: pd.DataFrame, today: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (upcoming, overdue) readouts: primary completion from today on with no results yet, and
    estimated primary completion already past with no results found; soonest first."""
    no_results = ~trials["results_reported"].fillna(False).astype(bool)
    upcoming = trials[(trials["primary_completion"] >= today) & no_results].sort_values("primary_completion")
    overdue = trials[trials["overdue"]].sort_values("primary_completion")
    return upcoming, overdue
