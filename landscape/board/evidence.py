"""The evidence behind an approved option that fits: the pivotal trial's results in the population the
label names (both arms), else the trial's headline rows, as plain records the three surfaces render."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from landscape import display
from landscape.model import Landscape
from landscape.values import is_missing, split_ids

EVIDENCE_COLUMNS = [
    "outcome_id",
    "trial_id",
    "acronym",
    "arm_role",
    "regimen",
    "population",
    "analysis",
    "n",
    "orr_pct",
    "orr_ci_low_pct",
    "orr_ci_high_pct",
    "median_pfs",
    "median_os",
    "pfs_hr_ci",
    "os_hr_ci",
    "line_of_therapy",
    "source_id",
]
_EVIDENCE_INPUTS = frozenset(EVIDENCE_COLUMNS) | frozenset(display.DISPLAY_INPUTS)


def evidence_for(landscape: Landscape, rule: Mapping, outcomes_by_trial: Mapping[str, np.ndarray]) -> tuple[dict, ...]:
    """Return the pivotal trial's result rows for an indication: the population the rule names (both
    arms), else the trial's headline rows. `outcomes_by_trial` (trial_id -> positions of its rows in
    landscape.outcomes) saves a scan of every outcome per call on a large landscape."""
    trials = split_ids(rule["evidence_trial_ids"])
    if not trials:
        return ()
    everything = landscape.outcomes
    parts = [outcomes_by_trial[t] for t in trials if t in outcomes_by_trial]
    positions = np.concatenate(parts) if parts else np.array([], dtype=np.intp)
    population = rule["evidence_population"]
    if not is_missing(population):
        keep = everything["population"].take(positions) == population
    else:
        keep = everything["headline_for"].take(positions).fillna("") != ""
    # Only the columns used, and only the rows kept: a large landscape has many columns to take.
    columns = [c for c in everything.columns if c in _EVIDENCE_INPUTS]
    chosen = everything[columns].take(positions[keep.to_numpy(dtype=bool, na_value=False)])
    chosen = display.with_display_columns(chosen).sort_values(
        ["trial_id", "analysis", "arm_role"], ascending=[True, True, False]
    )
    return tuple(
        {k: (None if is_missing(v) else (round(float(v), 1) if k.startswith("orr_") else v)) for k, v in record.items()}
        for record in chosen[EVIDENCE_COLUMNS].to_dict("records")
    )
