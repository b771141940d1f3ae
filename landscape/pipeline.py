"""The pipeline: each HER2-directed programme's highest phase reached per line of therapy, the matrix of
modality (or modality and target) by highest phase by line, the sponsors and where the trials enrol. Pure
pandas: the page, the CSV and the chart all render these frames."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from landscape import filters, schema, sponsors, vocab
from landscape.filters import FilterState
from landscape.values import is_missing, split_ids
from landscape.vocab import expand_line

HER2_SCOPE = vocab.HER2_SCOPE
APPROVED = "Approved"
PHASES: tuple[str, ...] = (*schema.enum("trials", "phase"), APPROVED)
# 2L+ is not a line of its own: a 2L+ trial counts in 2L and in 3L+.
LINES: tuple[str, ...] = tuple(
    dict.fromkeys(line for value in schema.enum("trials", "line_of_therapy") for line in sorted(expand_line(value)))
)
NOT_RECORDED = vocab.PROGRAMME_NOT_RECORDED
STATUSES: tuple[str, ...] = vocab.PROGRAMME_STATUSES
ACTIVE = "active"
GROUPINGS: dict[str, str] = {"modality": "Modality", "mechanism": "Modality and target"}
NO_SPONSOR = sponsors.NO_SPONSOR
# Facets that describe a programme (its agent), not the trials it has run: a sponsor's programme reaches the
# phase of any of its trials, whoever leads the trial (an investigator-sponsored phase 3 counts).
PROGRAMME_FACETS = ("sponsor",)
CHINA = "CN"
REGIONS: tuple[str, ...] = (
    "China only",
    "rest of the world only",
    "China and rest of the world",
    "countries not recorded",
)
CELL_SEPARATOR = "|"

PROGRAMME_COLUMNS = [
    "line",
    "group",
    "highest_phase",
    "name",
    "sponsor",
    "programme_status",
    "programme_note",
    "approved_in_line",
    "n_trials",
    "trial_acronyms",
    "agent_id",
    "trial_ids",
]


def filtered_inputs(
    agents: pd.DataFrame, trials: pd.DataFrame, approvals: pd.DataFrame, state: FilterState
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, tuple[str, ...]]:
    """Return the agents, trials and approvals the pipeline counts under the filters, and its lines: every
    filter applies to each table that has it, except that the programme facets (sponsor) choose the agents
    only; the lines are the chosen lines (else all) within the chosen settings (else both)."""
    trial_state = FilterState({k: v for k, v in state.selections.items() if k not in PROGRAMME_FACETS}, state.text)
    settings = state.selected("setting") or vocab.SETTINGS
    lines = tuple(line for line in (state.selected("line") or LINES) if set(vocab.line_settings(line)) & set(settings))
    return (
        filters.apply_filters(agents, state),
        filters.apply_filters(trials, trial_state),
        filters.apply_filters(approvals, trial_state),
        lines,
    )


def group_of(agent: pd.Series | object, grouping: str) -> str:
    """Return the row an agent takes in the matrix: its modality, or its modality and target."""
    modality = _text(agent.modality, "modality not recorded")
    if grouping == "modality":
        return modality
    if grouping == "mechanism":
        return f"{modality} · {_text(agent.target, 'target not recorded')}"
    raise ValueError(f"unknown grouping {grouping!r}: expected one of {', '.join(GROUPINGS)}")


def _text(value: object, missing: str) -> str:
    return missing if is_missing(value) or str(value).strip() == "" else str(value)


def programme_lines(
    agents: pd.DataFrame,
    trials: pd.DataFrame,
    approvals: pd.DataFrame,
    grouping: str = "modality",
    lines: Iterable[str] = LINES,
) -> pd.DataFrame:
    """Return one row per HER2-directed programme and line it has reached: "Approved" when the agent has a
    current gastric/GEJ approval in that line (not another tumour, not superseded), else the highest phase
    of its trials in that line. A 2L+ trial or approval counts in 2L and in 3L+. Only the given agents,
    trials and approvals count (pass them filtered), and only the given lines."""
    wanted_lines = set(lines)
    programmes = agents[agents["scope"] == HER2_SCOPE]
    known = set(programmes["agent_id"])
    best, trial_ids = _highest_trial_phases(trials, known, wanted_lines)
    approved = _approved_lines(approvals, known, wanted_lines)
    for key in approved:
        best[key] = APPROVED

    acronyms = dict(zip(trials["trial_id"], trials["acronym"], strict=True))
    by_id = programmes.set_index("agent_id")
    rows = []
    for (agent_id, line), phase in best.items():
        agent = by_id.loc[agent_id]
        ids_here = trial_ids.get((agent_id, line), [])
        rows.append(
            {
                "line": line,
                "group": group_of(agent, grouping),
                "highest_phase": phase,
                "name": agent["name"],
                "sponsor": _text(agent["developer"], NO_SPONSOR),
                "programme_status": _text(agent["programme_status"], NOT_RECORDED),
                "programme_note": agent["programme_note"],
                "approved_in_line": (agent_id, line) in approved,
                "n_trials": len(ids_here),
                "trial_acronyms": "; ".join(str(acronyms.get(t, t)) for t in ids_here),
                "agent_id": agent_id,
                "trial_ids": ";".join(ids_here),
            }
        )
    out = pd.DataFrame(rows, columns=PROGRAMME_COLUMNS)
    return _ordered(out).reset_index(drop=True)


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort by line, then group, then phase (highest first), then name."""
    keys = {
        "line": lambda s: s.map({v: i for i, v in enumerate(LINES)}),
        "highest_phase": lambda s: s.map({v: -i for i, v in enumerate(PHASES)}),
        "name": lambda s: s.str.lower(),
    }
    by = [c for c in ("line", "group", "highest_phase", "name") if c in frame.columns]
    return frame.sort_values(by, key=lambda s: keys[s.name](s) if s.name in keys else s, kind="stable")


def _highest_trial_phases(
    trials: pd.DataFrame, known: set[str], wanted_lines: set[str]
) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], list[str]]]:
    """Return, per (agent, line) of the known agents in the wanted lines, the highest phase of its trials and
    the ids of those trials."""
    rank = {phase: i for i, phase in enumerate(PHASES)}
    best: dict[tuple[str, str], str] = {}
    trial_ids: dict[tuple[str, str], list[str]] = {}
    for trial_id, ids, phase, line in zip(
        trials["trial_id"], trials["agent_ids"], trials["phase"], trials["line_of_therapy"], strict=True
    ):
        if phase not in rank:
            continue
        for agent_id in split_ids(ids):
            if agent_id not in known:
                continue
            for each in set(expand_line(line)) & wanted_lines:
                key = (agent_id, each)
                trial_ids.setdefault(key, []).append(trial_id)
                if key not in best or rank[phase] > rank[best[key]]:
                    best[key] = phase
    return best, trial_ids


def _approved_lines(approvals: pd.DataFrame, known: set[str], wanted_lines: set[str]) -> set[tuple[str, str]]:
    """Return the (agent, line) pairs of the known agents with a current gastric/GEJ approval in a wanted line."""
    current = approvals[~approvals["other_tumour"].astype(bool) & approvals["superseded_by"].isna()]
    approved: set[tuple[str, str]] = set()
    for ids, line in zip(current["agent_id"], current["line_of_therapy"], strict=True):
        for agent_id in split_ids(ids):
            if agent_id in known:
                approved.update((agent_id, each) for each in set(expand_line(line)) & wanted_lines)
    return approved


def cell_id(line: str, group: str, phase: str) -> str:
    """Return the stable id of a matrix cell (what the URL holds)."""
    return CELL_SEPARATOR.join((line, group, phase))


def pipeline_matrix(programmes: pd.DataFrame) -> pd.DataFrame:
    """Return one row per non-empty cell (line, group, highest phase): the programmes in it, the distinct
    trials of those programmes in that line, and the programmes per programme status. A trial of two
    programmes in different cells counts in both."""
    columns = ["line", "group", "highest_phase", "programmes", "trials", *STATUSES, "names", "cell"]
    if programmes.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for (line, group, phase), part in programmes.groupby(["line", "group", "highest_phase"], sort=False):
        trials = {t for ids in part["trial_ids"] for t in split_ids(ids)}
        statuses = part["programme_status"].value_counts()
        rows.append(
            {
                "line": line,
                "group": group,
                "highest_phase": phase,
                "programmes": len(part),
                "trials": len(trials),
                **{s: int(statuses.get(s, 0)) for s in STATUSES},
                "names": "; ".join(part["name"]),
                "cell": cell_id(line, group, phase),
            }
        )
    return _ordered(pd.DataFrame(rows, columns=columns)).reset_index(drop=True)


def cell_programmes(programmes: pd.DataFrame, cell: str) -> pd.DataFrame:
    """Return the programmes in one matrix cell."""
    line, group, phase = _split_cell(cell)
    mask = (programmes["line"] == line) & (programmes["group"] == group) & (programmes["highest_phase"] == phase)
    return programmes[mask]


def cell_trials(programmes: pd.DataFrame, trials: pd.DataFrame, cell: str) -> pd.DataFrame:
    """Return the trials of a cell's programmes in the cell's line, each once, with the programmes they test."""
    chosen = cell_programmes(programmes, cell)
    names: dict[str, list[str]] = {}
    for name, ids in zip(chosen["name"], chosen["trial_ids"], strict=True):
        for trial_id in split_ids(ids):
            names.setdefault(trial_id, []).append(name)
    out = trials[trials["trial_id"].isin(names)].copy()
    out["programmes"] = out["trial_id"].map(lambda t: "; ".join(names[t])).astype("string")
    rank = {p: -i for i, p in enumerate(PHASES)}
    return out.sort_values(["phase", "acronym"], key=lambda s: s.map(rank) if s.name == "phase" else s.str.lower())


def _split_cell(cell: str) -> tuple[str, str, str]:
    parts = cell.split(CELL_SEPARATOR)
    if len(parts) != 3:
        raise ValueError(f"not a matrix cell: {cell!r}")
    return parts[0], parts[1], parts[2]


def sponsor_table(programmes: pd.DataFrame) -> pd.DataFrame:
    """Return one row per sponsor (each company of a co-development counts, named as the sponsor facet names
    it): its highest phase reached in any line, its programmes, and how many of them are active; most advanced
    first."""
    columns = ["sponsor", "highest_phase", "programmes", "active_programmes", "agents"]
    if programmes.empty:
        return pd.DataFrame(columns=columns)
    rank = {p: i for i, p in enumerate(PHASES)}
    per_agent = programmes.assign(rank=programmes["highest_phase"].map(rank)).sort_values("rank")
    per_agent = per_agent.groupby("agent_id", sort=False).last()
    found: dict[str, dict] = {}
    for agent in per_agent.itertuples():
        for sponsor in sponsors.companies(agent.sponsor if agent.sponsor != NO_SPONSOR else None):
            row = found.setdefault(sponsor, {"sponsor": sponsor, "rank": -1, "names": [], "active": 0})
            row["rank"] = max(row["rank"], agent.rank)
            row["names"].append(agent.name)
            row["active"] += agent.programme_status == ACTIVE
    rows = [
        {
            "sponsor": r["sponsor"],
            "highest_phase": PHASES[r["rank"]],
            "programmes": len(r["names"]),
            "active_programmes": int(r["active"]),
            "agents": "; ".join(sorted(r["names"], key=str.lower)),
            "rank": r["rank"],
        }
        for r in found.values()
    ]
    out = pd.DataFrame(rows)
    out["key"] = out["sponsor"].str.lower()
    out = out.sort_values(["rank", "active_programmes", "key"], ascending=[False, False, True], kind="stable")
    return out[columns].reset_index(drop=True)


def region_of(countries: object) -> str:
    """Return where a trial enrols: China only, the rest of the world only, both, or not recorded."""
    codes = set(split_ids(countries))
    if not codes:
        return REGIONS[3]
    if codes == {CHINA}:
        return REGIONS[0]
    return REGIONS[2] if CHINA in codes else REGIONS[1]


def pipeline_trials(programmes: pd.DataFrame, trials: pd.DataFrame) -> pd.DataFrame:
    """Return the trials behind the matrix (each once)."""
    ids = {t for cell in programmes["trial_ids"] for t in split_ids(cell)}
    return trials[trials["trial_id"].isin(ids)]


def region_split(trials: pd.DataFrame, lines: Iterable[str] = LINES) -> pd.DataFrame:
    """Return the trials per enrolment region (China only, rest of the world only, both, countries not
    recorded), all lines and line by line (a 2L+ trial counts in 2L and in 3L+)."""
    wanted = tuple(lines)
    regions = trials["countries"].map(region_of)
    lines_of = trials["line_of_therapy"].map(expand_line)
    rows = []
    for region in REGIONS:
        here = regions == region
        row = {"region": region, "trials": int(here.sum())}
        row.update({line: int(sum(line in ls for ls in lines_of[here])) for line in wanted})
        rows.append(row)
    return pd.DataFrame(rows, columns=["region", "trials", *wanted])
