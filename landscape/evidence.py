"""Evidence an expert can weigh at a glance: the tier of each result and why, the comparison it belongs
to ("vs <control>"), the headline rows per endpoint, and the anchor comparison that says, dimension by
dimension, how a result differs from a reference result. Pure functions of the outcome frame."""

from __future__ import annotations

import pandas as pd

from landscape.values import split_ids

ENDPOINTS = ("ORR", "PFS", "OS")
TIERS = {
    1: "tier 1: primary randomised comparison in the ITT population with a 95% CI",
    2: "tier 2: randomised, but a subgroup, secondary population or analysis without the headline",
    3: "tier 3: single-arm result",
    4: "tier 4: no 95% CI, or from a secondary source only",
}
TIER_OPACITY = {1: 1.0, 2: 0.75, 3: 0.6, 4: 0.4}
SECONDARY_KINDS = frozenset({"news report"})
COMPARATOR_TITLES = {
    "placebo + chemo": "vs placebo + chemotherapy",
    "chemo": "vs chemotherapy",
    "active HER2-directed": "vs active HER2-directed therapy",
    "active non-HER2": "vs active non-HER2-directed therapy",
    "none": "single-arm (no comparator)",
}
# The dimensions the anchor comparison names; assessment only matters for endpoints that use one.
ANCHOR_DIMENSIONS = {
    "line_of_therapy": "line",
    "comparator_class": "comparator",
    "population_type": "population type",
    "analysis_stage": "analysis stage",
    "her2_category": "HER2 criterion",
    "region": "region",
    "assessment": "assessment",
}


def _has_ci(low: object, high: object) -> bool:
    return not (pd.isna(low) or pd.isna(high))


def headline_endpoints(value: object) -> frozenset[str]:
    """Return the endpoints a row is the headline result for ('ORR;PFS' -> {'ORR', 'PFS'})."""
    return frozenset(split_ids(value))


def comparison_keys() -> list[str]:
    """Return the columns that identify one comparison (its arms share them)."""
    return ["trial_id", "population", "analysis"]


def add_evidence_columns(
    outcomes: pd.DataFrame, source_kind: dict[str, str], control_regimen: dict[str, object]
) -> pd.DataFrame:
    """Return outcomes with evidence_tier (1-4), tier_reason, hr_without_95ci, vs_label ("vs <control>"
    or "single arm") and is_headline (the row is a headline for at least one endpoint). A comparison's
    arms share the tier of the comparison: the hazard ratio sits on the experimental row only."""
    out = outcomes.copy()
    keys = comparison_keys()
    hr_95 = ((out["hr_ci_level"] == 95).fillna(False)) & (
        (out["pfs_hr"].notna() & out["pfs_hr_ci_low"].notna()) | (out["os_hr"].notna() & out["os_hr_ci_low"].notna())
    )
    hr_any = out["pfs_hr"].notna() | out["os_hr"].notna()
    hr_no_95 = hr_any & ~hr_95
    group_keys = list(out[keys].itertuples(index=False, name=None))
    any_95 = {k for k, v in zip(group_keys, hr_95, strict=True) if v}
    any_no_95 = {k for k, v in zip(group_keys, hr_no_95, strict=True) if v}
    group_hr_95 = [k in any_95 for k in group_keys]
    group_hr_no_95 = [k in any_no_95 for k in group_keys]
    tiers, reasons = [], []
    for row, has95, lacks95 in zip(out.itertuples(index=False), group_hr_95, group_hr_no_95, strict=True):
        tier, reason = _row_tier(row, source_kind.get(row.source_id, ""), has95, lacks95)
        tiers.append(tier)
        reasons.append(reason)
    # The arms of one comparison carry the tier of its weakest row (the control arm's numbers may come
    # from another source than the hazard ratio's).
    group_keys = list(out[keys].itertuples(index=False, name=None))
    worst: dict[tuple, tuple[int, str]] = {}
    for key, tier, reason in zip(group_keys, tiers, reasons, strict=True):
        if key not in worst or tier > worst[key][0]:
            worst[key] = (tier, reason)
    out["evidence_tier"] = pd.array([worst[k][0] for k in group_keys], dtype="Int64")
    out["tier_reason"] = pd.array([worst[k][1] for k in group_keys], dtype="string")
    out["hr_without_95ci"] = hr_no_95.astype(bool)
    out["vs_label"] = pd.array(
        [vs_label(row.comparator_class, control_regimen.get(row.trial_id)) for row in out.itertuples(index=False)],
        dtype="string",
    )
    out["is_headline"] = pd.array([bool(headline_endpoints(v)) for v in out["headline_for"]], dtype="boolean")
    return out


def _row_tier(row, kind: str, has95: bool, lacks95: bool) -> tuple[int, str]:
    """Return one row's evidence tier and why, from its source kind, design, population and whether its
    comparison has a hazard ratio with (has95) or without (lacks95) a 95% CI."""
    headline = bool(headline_endpoints(row.headline_for))
    orr_ci = _has_ci(row.orr_ci_low_pct, row.orr_ci_high_pct)
    if kind in SECONDARY_KINDS:
        tier, reason = 4, f"the numbers come from a {kind} (no primary source readable)"
    elif row.design != "randomised":
        tier, reason = (
            3,
            "single-arm trial" + ("" if orr_ci or pd.isna(row.orr_pct) else "; no 95% CI (n not reported)"),
        )
    elif row.comparator_class == "none":
        tier, reason = 3, "one arm of a randomised trial, reported without its comparison"
    elif lacks95 and not has95:
        tier, reason = (
            4,
            "hazard ratio reported without a 95% CI"
            + (f" ({int(row.hr_ci_level)}% CI given)" if not pd.isna(row.hr_ci_level) else ""),
        )
    elif row.population_type == "ITT" and headline and (has95 or orr_ci):
        tier, reason = 1, f"headline randomised comparison, ITT, {row.analysis_stage} analysis, with a 95% CI"
    else:
        why = []
        if row.population_type != "ITT":
            why.append(f"{row.population_type} population")
        if not headline:
            why.append("not the trial's headline result")
        if not (has95 or orr_ci):
            why.append("no 95% CI")
        tier, reason = 2, "randomised: " + ", ".join(why or ["secondary analysis"])
    if kind == "press release" and tier < 4:
        reason += "; numbers from a company press release"
    return tier, reason


def vs_label(comparator_class: object, control: object) -> str:
    """Return the comparison a result belongs to in words: 'vs ramucirumab + paclitaxel', or 'single arm'."""
    if comparator_class == "none" or pd.isna(comparator_class):
        return "single arm"
    if isinstance(control, str) and control.strip():
        return f"vs {control.strip()}"
    return COMPARATOR_TITLES.get(str(comparator_class), "vs control")


def headline_rows(outcomes: pd.DataFrame, endpoint: str | None = None) -> pd.DataFrame:
    """Return the headline rows: for one endpoint (ORR, PFS, OS), or for any endpoint when None."""
    if endpoint is None:
        return outcomes[outcomes["is_headline"].fillna(False).astype(bool)]
    if endpoint not in ENDPOINTS:
        raise ValueError(f"endpoint must be one of {ENDPOINTS}")
    mask = pd.Series(
        [endpoint in headline_endpoints(v) for v in outcomes["headline_for"]], index=outcomes.index, dtype=bool
    )
    return outcomes[mask]


def select_rows(outcomes: pd.DataFrame, headline_only: bool, tiers: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """Return the rows a view shows: headline rows only (or all), of the chosen tiers ('tier 1', ...)."""
    wanted = {int(t.split()[-1]) for t in tiers if t.split()[-1].isdigit()}
    rows = headline_rows(outcomes) if headline_only else outcomes
    return rows[rows["evidence_tier"].isin(wanted).fillna(False).astype(bool)]


def tier_counts(outcomes: pd.DataFrame) -> dict[int, int]:
    """Return how many rows each tier has (every tier present, zero included)."""
    counts = outcomes["evidence_tier"].value_counts()
    return {tier: int(counts.get(tier, 0)) for tier in TIERS}


def rank_for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Return rows best evidence first: tier, then phase (latest first), then larger n."""
    phase_rank = {"Phase 3": 0, "Phase 2/3": 1, "Phase 2": 2, "Phase 1/2": 3, "Phase 1": 4}
    ranked = frame.assign(_phase=frame["phase"].map(phase_rank).fillna(9), _n=-frame["n"].astype("Float64").fillna(0))
    return ranked.sort_values(["evidence_tier", "_phase", "_n"], kind="stable").drop(columns=["_phase", "_n"])


def cap_rows(frame: pd.DataFrame, max_rows: int, keep_pairs: bool = True) -> tuple[pd.DataFrame, str]:
    """Return at most max_rows rows, best evidence first (a comparison's arms stay together), and a note
    that names the trials left out ('' when nothing is)."""
    if len(frame) <= max_rows:
        return frame, ""
    ranked = rank_for_display(frame)
    keys = comparison_keys() if keep_pairs else ["outcome_id"]
    order = list(
        dict.fromkeys(tuple(k) if len(keys) > 1 else k[0] for k in ranked[keys].itertuples(index=False, name=None))
    )
    kept_keys: list[tuple] = []
    count = 0
    sizes = ranked.groupby(keys, sort=False).size()
    for key in order:
        size = int(sizes.loc[key]) if len(keys) > 1 else 1
        if count + size > max_rows:
            continue
        kept_keys.append(key)
        count += size
    kept_index = ranked.set_index(keys).index.isin(kept_keys)
    kept = frame.loc[ranked.index[kept_index]]
    left = ranked[~kept_index]
    names = list(dict.fromkeys(left["acronym"]))
    shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    note = f"{len(left)} lower-ranked row(s) not drawn (ranked by evidence tier, then phase): {shown}"
    return frame.loc[frame.index.isin(kept.index)], note


def anchor_comparison(frame: pd.DataFrame, anchor_id: str, endpoint_uses_assessment: bool = True) -> pd.DataFrame:
    """Return, for every row of frame, how it compares with the anchor row dimension by dimension:
    'same' or 'different: <value>' per dimension (line, comparator, population type, analysis stage,
    HER2 criterion, region and, where the endpoint uses one, assessment). Raise KeyError for an
    unknown anchor."""
    matches = frame[frame["outcome_id"] == anchor_id]
    if matches.empty:
        raise KeyError(anchor_id)
    anchor = matches.iloc[0]
    dims = {
        k: v
        for k, v in ANCHOR_DIMENSIONS.items()
        if k in frame.columns and (endpoint_uses_assessment or k != "assessment")
    }
    out = frame[["outcome_id", "acronym", "regimen", "vs_label", "population", "analysis", "n"]].copy()
    differing = pd.Series(0, index=frame.index)
    for column, label in dims.items():
        reference = anchor[column]
        values = frame[column]
        same = values.astype("string").fillna("") == ("" if pd.isna(reference) else str(reference))
        out[label] = [
            "same" if s else f"different: {'not recorded' if pd.isna(v) else v}"
            for s, v in zip(same, values, strict=True)
        ]
        differing += (~same).astype(int)
    out["dimensions that differ"] = differing.astype(int)
    out["is anchor"] = frame["outcome_id"] == anchor_id
    return out.sort_values(["is anchor", "dimensions that differ"], ascending=[False, True], kind="stable")
