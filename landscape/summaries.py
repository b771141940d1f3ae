"""Summaries for the overview: headline counts, the line-of-therapy board, latest approvals and
readouts. Pure functions of the landscape model."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from landscape import dates, vocab
from landscape.filters import PHASE_ORDER, FilterState, apply_filters, facet_mask
from landscape.model import Landscape, flatten_ids

# Six metrics side by side in the main column at 1440 px leave ~150 px a label: about 20 characters before
# Streamlit cuts it with "…" (and the help icon takes some of that). What a count means goes in its help.
HEADLINE_LABEL_MAX = 18


@dataclass(frozen=True)
class Headline:
    label: str  # at most HEADLINE_LABEL_MAX characters
    value: int  # under the filters
    total: int  # over the whole landscape
    meaning: str  # the metric's help text


def _headline_values(agents, trials, outcomes, approvals) -> list[int]:
    # The columns counted, before any row is selected (selecting rows copies every column kept).
    trials = trials[["scope", "design", "phase", "source_ids"]]
    agents = agents[["scope", "source_ids"]]
    approvals = approvals[["other_tumour", "source_id"]]
    her2_trials = trials[trials["scope"] == vocab.HER2_SCOPE]
    her2_agents = agents[agents["scope"] == vocab.HER2_SCOPE]
    gastric = approvals[~approvals["other_tumour"]]
    pivotal = her2_trials[(her2_trials["design"] == "randomised") & (her2_trials["phase"] == "Phase 3")]
    cited = set(flatten_ids([*her2_agents["source_ids"], *her2_trials["source_ids"], *gastric["source_id"]]))
    cited.update(outcomes["source_id"].dropna())
    return [len(her2_agents), len(her2_trials), len(pivotal), len(outcomes), len(gastric), len(cited)]


HEADLINE_WORDS: tuple[tuple[str, str], ...] = (
    ("HER2 agents", "HER2-directed agents (not their partners, backbones or comparators)."),
    ("HER2 trials", "Trials of HER2-directed therapy (not comparator or context trials)."),
    ("randomised phase 3", "Randomised phase 3 trials of HER2-directed therapy."),
    ("outcome rows", "Efficacy results: one row per arm, population and analysis."),
    ("G/GEJ approvals", "Approvals and label changes in gastric/GEJ cancer (other tumour types not counted)."),
    ("sources cited", "Distinct sources cited by the agents, trials, results and approvals counted here."),
)


def headlines(landscape: Landscape, state: FilterState | None = None) -> list[Headline]:
    """Return the headline counts under the filters, each beside its count over the whole landscape. A count
    follows every filter its table has (approvals have no phase, so a phase filter leaves them whole)."""
    state = state or FilterState()
    frames = (landscape.agents, landscape.trials, landscape.outcomes, landscape.approvals)
    totals = _headline_values(*frames)
    values = (
        _headline_values(*(apply_filters(frame, state) for frame in frames))
        if state.key != FilterState().key
        else totals
    )
    return [
        Headline(label, value, total, meaning)
        for (label, meaning), value, total in zip(HEADLINE_WORDS, values, totals, strict=True)
    ]


@dataclass(frozen=True)
class BoardColumn:
    line: str
    # One row per regimen: regimen_short, her2_directed, agencies, first_date, biomarker_label and indications,
    # the (agencies, biomarker) of each wording of the indication (one agency may word it differently).
    approved: pd.DataFrame
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
    trials = trials.loc[trials["scope"] == vocab.HER2_SCOPE, ["f_line", *BOARD_TRIAL_COLUMNS]]
    current = current_indications(approvals[BOARD_APPROVAL_COLUMNS])
    rank = {p: i for i, p in enumerate(PHASE_ORDER)}
    columns = []
    for line in vocab.ADVANCED_LINES:
        approved = approved_regimens(current[facet_mask(current, "f_line", (line,))])
        in_line = trials[facet_mask(trials, "f_line", (line,))]
        in_line = in_line.assign(_rank=in_line["phase"].map(rank)).sort_values(
            ["_rank", "acronym"], ascending=[False, True]
        )
        investigational = in_line[in_line["status_group"].isin(vocab.INVESTIGATIONAL_GROUPS)]
        unverified = in_line[in_line["status_group"].isin(vocab.UNVERIFIED_GROUPS)]
        columns.append(
            BoardColumn(line, approved, investigational[BOARD_TRIAL_COLUMNS], unverified[BOARD_TRIAL_COLUMNS])
        )
    return columns


APPROVED_COLUMNS = ["regimen_short", "her2_directed", "agencies", "first_date", "biomarker_label", "indications"]


def approved_regimens(current: pd.DataFrame) -> pd.DataFrame:
    """Return one row per approved regimen of a line, HER2-directed first, then by first approval: the
    agencies that approve it and, for each wording of the indication's biomarker, the agencies that use it.
    One regimen is one bullet: PMDA's "PD-L1 CPS (22C3 companion diagnostic)" beside the other agencies'
    "PD-L1 CPS>=1" once made a second bullet of the same regimen."""
    # One pass over the rows (a groupby per regimen took ~1.8 s of the first page at 100x data).
    agencies: dict[tuple, set] = {}
    wordings: dict[tuple, dict[str, set]] = {}
    first: dict[tuple, object] = {}
    columns = (current[c] for c in ("regimen_short", "her2_directed", "biomarker_label", "agency", "date"))
    for regimen, her2, marker, agency, date in zip(*columns, strict=True):
        key = (regimen, her2)
        agencies.setdefault(key, set()).add(agency)
        wordings.setdefault(key, {}).setdefault(str(marker), set()).add(agency)
        first[key] = date if key not in first else min(first[key], date)
    rows = []
    for key, names in agencies.items():
        indications = tuple(sorted((", ".join(sorted(a)), marker) for marker, a in wordings[key].items()))
        rows.append(
            {
                "regimen_short": key[0],
                "her2_directed": key[1],
                "agencies": ", ".join(sorted(names)),
                "first_date": first[key],
                "biomarker_label": " / ".join(marker for _, marker in indications),
                "indications": indications,
            }
        )
    out = pd.DataFrame(rows, columns=APPROVED_COLUMNS)
    return out.sort_values(["her2_directed", "first_date"], ascending=[False, True]).reset_index(drop=True)


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


def latest_approvals(
    landscape: Landscape, limit: int = 6, include_other_tumours: bool = False, approvals: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return the most recent gastric/GEJ approvals and label changes (of the given approvals, filtered, else
    all); with include_other_tumours, other tumour types too, each named in the row's own text ("Zanidatamab
    (biliary tract cancer)")."""
    columns = [*LATEST_APPROVAL_COLUMNS, "agent_names", "tumour_type", "other_tumour", "date"]
    approvals = (landscape.approvals if approvals is None else approvals)[columns]
    approvals = approvals if include_other_tumours else approvals[~approvals["other_tumour"]]
    rows = approvals.sort_values("date", ascending=False).head(limit)
    what = [
        f"{a} ({t})" if other else a
        for a, t, other in zip(rows["agent_names"], rows["tumour_type"], rows["other_tumour"], strict=True)
    ]
    rows = rows.assign(approval=pd.array(what, dtype="string"))
    return rows[["approval_date", "agency", "approval", *LATEST_APPROVAL_COLUMNS[2:]]]


def latest_readouts(landscape: Landscape, limit: int = 6, outcomes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the most recent results (of the given outcomes, filtered, else all), one row per trial and
    analysis, newest first reported (readout date: congress or publication, as precise as the source gives; a
    date known only to the year sorts after the dated readouts of that year)."""
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
        (landscape.outcomes if outcomes is None else outcomes)[columns]
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
