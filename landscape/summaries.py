"""Summaries for the overview: headline counts, the line-of-therapy board, latest approvals and
readouts. Pure functions of the landscape model."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from landscape import dates, vocab
from landscape.filters import PHASE_ORDER, facet_mask
from landscape.model import Landscape


def headline_counts(landscape: Landscape) -> dict[str, int]:
    """Return the dataset's headline numbers (HER2-directed agents and trials only; gastric approvals)."""
    trials = landscape.trials
    her2 = trials["scope"] == "HER2-directed"
    return {
        "HER2-directed agents": int((landscape.agents["scope"] == "HER2-directed").sum()),
        "HER2-directed trials": int(her2.sum()),
        "randomised phase 3 trials": int(
            (her2 & (trials["design"] == "randomised") & (trials["phase"] == "Phase 3")).sum()
        ),
        "outcome rows": len(landscape.outcomes),
        "gastric/GEJ approvals": int((~landscape.approvals["other_tumour"]).sum()),
        "sources": len(landscape.sources),
    }


@dataclass(frozen=True)
class BoardColumn:
    line: str
    approved: pd.DataFrame  # regimen_short, biomarker_label, agencies, first_date, her2_directed
    investigational: pd.DataFrame  # open or active trials: phase, acronym, arms_label, status, status_as_of, trial_id
    unverified: pd.DataFrame  # trials of this line whose status is unknown, not recorded or not verified recently


BOARD_TRIAL_COLUMNS = ["phase", "acronym", "arms_label", "status", "status_as_of", "status_group", "trial_id"]
BOARD_APPROVAL_COLUMNS = [
    "agency",
    "agent_id",
    "regimen_short",
    "biomarker_label",
    "her2_directed",
    "date",
    "other_tumour",
    "superseded_by",
    "biomarker",
    "f_line",
]


def line_board(
    landscape: Landscape, trials: pd.DataFrame | None = None, approvals: pd.DataFrame | None = None
) -> list[BoardColumn]:
    """Return, per line of therapy, the current approved gastric/GEJ regimens (with agencies), the
    investigational HER2-directed trials whose status a dated source gives as open or active (latest
    phase first), and apart from them the trials whose status is unknown, not recorded or stale.
    Completed, reported and stopped trials are not investigational."""
    trials = landscape.trials if trials is None else trials
    approvals = landscape.approvals if approvals is None else approvals
    # Only the columns the board reads, before any row is selected: every selection copies each column
    # it keeps, and the full frames are wide (at 100x this took the board from ~0.7 s to ~0.1 s).
    trials = trials.loc[trials["scope"] == "HER2-directed", ["f_line", *BOARD_TRIAL_COLUMNS]]
    # Sorted once, latest phase first: each line then takes its rows in this order (one sort, not one a line).
    rank = trials["phase"].map({p: i for i, p in enumerate(PHASE_ORDER)})
    trials = trials.assign(_rank=rank).sort_values(["_rank", "acronym"], ascending=[False, True])
    investigational = trials["status_group"].isin(vocab.INVESTIGATIONAL_GROUPS).to_numpy()
    unverified = trials["status_group"].isin(vocab.UNVERIFIED_GROUPS).to_numpy()
    approved = approved_by_line(current_indications(approvals[BOARD_APPROVAL_COLUMNS]))
    columns = []
    for line in vocab.ADVANCED_LINES:
        in_line = facet_mask(trials, "f_line", (line,)).to_numpy()
        columns.append(
            BoardColumn(
                line,
                approved[line],
                trials.loc[in_line & investigational, BOARD_TRIAL_COLUMNS],
                trials.loc[in_line & unverified, BOARD_TRIAL_COLUMNS],
            )
        )
    return columns


def approved_by_line(current: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Return, per line of therapy, the current indications grouped by regimen (with the agencies that approved
    it and the first date), HER2-directed first, then oldest first. One grouping for every line at once: a
    grouping per line cost more than the rest of the board."""
    by_line = current.assign(_line=current["f_line"].map(list)).explode("_line")
    grouped = (
        by_line.groupby(["_line", "regimen_short", "biomarker_label", "her2_directed"], dropna=False)
        .agg(agencies=("agency", lambda s: ", ".join(sorted(set(s)))), first_date=("date", "min"))
        .reset_index()
    )
    return {
        line: grouped.loc[grouped["_line"] == line]
        .drop(columns="_line")
        .reset_index(drop=True)
        .sort_values(["her2_directed", "first_date"], ascending=[False, True])
        for line in vocab.ADVANCED_LINES
    }


def current_indications(approvals: pd.DataFrame) -> pd.DataFrame:
    """Return each agency's current indications per regimen in gastric/GEJ cancer that a HER2-positive patient
    can receive: a label change, a conversion or a withdrawal supersedes the earlier indication (pembrolizumab's
    CPS>=1 restriction; its third-line indication, withdrawn in 2021); HER2-negative-only indications are left
    out."""
    gastric = approvals[~approvals["other_tumour"] & approvals["superseded_by"].isna()]
    # An indication for HER2-negative disease only is not an option in a HER2-positive landscape.
    gastric = gastric[~gastric["biomarker"].fillna("").str.contains("HER2-negative", regex=False)]
    return gastric.sort_values("date").groupby(["agency", "agent_id", "regimen_short"], sort=False).tail(1)


LATEST_APPROVAL_COLUMNS = [
    "approval_date",
    "agency",
    "approval_type",
    "line_of_therapy",
    "biomarker",
    "source_url",
    "source_id",
]


def latest_approvals(landscape: Landscape, limit: int = 6, include_other_tumours: bool = False) -> pd.DataFrame:
    """Return the most recent gastric/GEJ approvals and label changes; with include_other_tumours, other
    tumour types too, each named in the row's own text ("Zanidatamab (biliary tract cancer)")."""
    columns = [*LATEST_APPROVAL_COLUMNS, "agent_names", "tumour_type", "other_tumour", "date"]
    approvals = landscape.approvals[columns]
    approvals = approvals if include_other_tumours else approvals[~approvals["other_tumour"]]
    rows = approvals.sort_values("date", ascending=False).head(limit)
    what = [
        f"{a} ({t})" if other else a
        for a, t, other in zip(rows["agent_names"], rows["tumour_type"], rows["other_tumour"], strict=True)
    ]
    rows = rows.assign(approval=pd.array(what, dtype="string"))
    return rows[["approval_date", "agency", "approval", *LATEST_APPROVAL_COLUMNS[2:]]]


def latest_readouts(landscape: Landscape, limit: int = 6) -> pd.DataFrame:
    """Return the most recent results, one row per trial and analysis, newest first reported (readout
    date: congress or publication, as precise as the source gives)."""
    columns = [
        "readout_date",
        "acronym",
        "line_of_therapy",
        "analysis",
        "evidence_tier",
        "trial_id",
        "source_id",
        "source_citation",
        "source_url",
    ]
    # The columns first: sorting the whole outcomes frame moved every one of its columns.
    rows = (
        landscape.outcomes[columns]
        .sort_values("readout_date", ascending=False, kind="stable", key=dates.sort_keys)
        .drop_duplicates(["trial_id", "analysis"])
    )
    return rows.head(limit).reset_index(drop=True)


def readout_watch(trials: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (upcoming, overdue) readouts, soonest first (see landscape.status.expected_readout): upcoming
    within the window after the as-of date; overdue when the expected date has passed and the primary result
    is not reported (an earlier or interim result does not count), unless the trial was stopped."""
    when = list(trials["expected_readout"])
    ordered = trials.iloc[sorted(range(len(trials)), key=lambda i: dates.sort_key(when[i]))]
    state = ordered["readout_state"]
    return ordered[state.eq("upcoming").fillna(False)], ordered[state.eq("overdue").fillna(False)]
