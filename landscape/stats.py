"""Pure statistics and summaries: exact binomial CIs for response rates, comparability flags for
cross-trial views, and the display of medians that may be not reached."""

from __future__ import annotations

import math

import pandas as pd
from scipy.stats import binomtest

COMPARABILITY_COLUMNS = {
    "line_of_therapy": "line",
    "population": "population",
    "assessment": "assessment",
    "her2_category": "HER2 criterion",
}


def exact_ci(responders: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Return the Clopper-Pearson (exact binomial) CI of responders/n, in percent."""
    if n <= 0 or responders < 0 or responders > n:
        raise ValueError(f"need 0 <= responders <= n and n > 0, got {responders}/{n}")
    ci = binomtest(responders, n).proportion_ci(confidence_level=level, method="exact")
    return 100 * ci.low, 100 * ci.high


def responders_for_ci(orr_pct: float | None, orr_responders: int | None, n: int | None) -> tuple[int | None, bool]:
    """Return the responder count behind an ORR and whether it was derived from the percentage."""
    if n is None or pd.isna(n) or n <= 0:
        return None, False
    if orr_responders is not None and not pd.isna(orr_responders):
        return int(orr_responders), False
    if orr_pct is None or pd.isna(orr_pct):
        return None, False
    # Published percentages are rounded; round(pct * n) recovers the count whenever n < 1000.
    return int(math.floor(float(orr_pct) * float(n) / 100 + 0.5)), True


def add_orr_ci(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Return outcomes with responders_used, responders_derived, orr_ci_low_pct and orr_ci_high_pct."""
    out = outcomes.copy()
    used, derived, low, high = [], [], [], []
    for pct, k, n in zip(out["orr_pct"], out["orr_responders"], out["n"]):
        count, was_derived = responders_for_ci(None if pd.isna(pct) else pct, None if pd.isna(k) else k, None if pd.isna(n) else int(n))
        used.append(count)
        derived.append(was_derived)
        if count is None or count > int(n):
            low.append(None)
            high.append(None)
        else:
            lo, hi = exact_ci(count, int(n))
            low.append(lo)
            high.append(hi)
    out["responders_used"] = pd.array(used, dtype="Int64")
    out["responders_derived"] = pd.array(derived, dtype="boolean")
    out["orr_ci_low_pct"] = pd.array(low, dtype="Float64")
    out["orr_ci_high_pct"] = pd.array(high, dtype="Float64")
    return out


def comparability_flags(frame: pd.DataFrame) -> pd.Series:
    """Return, per row, how it differs from the most common line, population, assessment and HER2
    criterion of the frame ('' when it matches all four)."""
    if frame.empty:
        return pd.Series([], dtype="string", index=frame.index)
    reference = {c: frame[c].mode(dropna=True).iloc[0] if frame[c].notna().any() else None for c in COMPARABILITY_COLUMNS}
    reasons = []
    for _, row in frame.iterrows():
        differs = [f"{label} {row[col]} (most rows: {reference[col]})" for col, label in COMPARABILITY_COLUMNS.items() if reference[col] is not None and row[col] != reference[col]]
        reasons.append("; ".join(differs))
    return pd.Series(reasons, index=frame.index, dtype="string")


def is_cross_trial(frame: pd.DataFrame) -> bool:
    """Return True when the frame holds results of more than one trial."""
    return frame["trial_id"].nunique() > 1


def format_median(value: float | None, status: str | None) -> str:
    """Return a median for display: '14.7', 'not reached' or 'not reported'."""
    if status == "not reached":
        return "not reached"
    if value is None or pd.isna(value):
        return "not reported"
    return f"{float(value):.1f}"


def format_hr(hr: float | None, low: float | None, high: float | None) -> str:
    """Return 'HR 0.70 (0.55-0.90)' or '' when there is no hazard ratio."""
    if hr is None or pd.isna(hr):
        return ""
    if low is None or pd.isna(low) or high is None or pd.isna(high):
        return f"{hr:.2f}"
    return f"{hr:.2f} ({low:.2f}-{high:.2f})"


def randomised_pairs(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Return one row per experimental arm of a randomised comparison with its control beside it,
    matched on trial, population, analysis and assessment."""
    keys = ["trial_id", "population", "analysis", "assessment"]
    exp = outcomes[outcomes["arm_role"] == "experimental"]
    ctl = outcomes[outcomes["arm_role"] == "control"]
    if exp.empty or ctl.empty:
        return exp.iloc[0:0].copy()
    return exp.merge(ctl, on=keys, suffixes=("", "_control"), how="inner")
