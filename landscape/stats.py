"""Pure statistics and summaries: exact binomial CIs for response rates, comparability flags for
cross-trial views, and the display of medians that may be not reached."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.special import betaincinv

COMPARABILITY_COLUMNS = {
    "line_of_therapy": "line",
    "population": "population",
    "assessment": "assessment",
    "her2_category": "HER2 criterion",
}


def exact_ci(responders, n, level: float = 0.95):
    """Return the Clopper-Pearson (exact binomial) CI of responders/n in percent, in its beta-quantile
    form (scipy.special.betaincinv, the inverse regularised incomplete beta function: identical to
    scipy.stats.binomtest's 'exact' interval, vectorised, and without loading scipy.stats into the
    server)."""
    k = np.asarray(responders, dtype=float)
    total = np.asarray(n, dtype=float)
    if np.any(total <= 0) or np.any(k < 0) or np.any(k > total):
        raise ValueError(f"need 0 <= responders <= n and n > 0, got {responders}/{n}")
    alpha = 1 - level
    with np.errstate(invalid="ignore"):
        low = np.where(k == 0, 0.0, betaincinv(k, total - k + 1, alpha / 2))
        high = np.where(k == total, 1.0, betaincinv(k + 1, total - k, 1 - alpha / 2))
    if low.ndim == 0:
        return float(100 * low), float(100 * high)
    return 100 * low, 100 * high


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
    pairs = [responders_for_ci(None if pd.isna(pct) else pct, None if pd.isna(k) else k, None if pd.isna(n) else int(n)) for pct, k, n in zip(out["orr_pct"], out["orr_responders"], out["n"])]
    used = pd.array([p[0] for p in pairs], dtype="Int64")
    out["responders_used"] = used
    out["responders_derived"] = pd.array([p[1] for p in pairs], dtype="boolean")
    low = pd.array([None] * len(out), dtype="Float64")
    high = pd.array([None] * len(out), dtype="Float64")
    ok = (~used.isna()) & (~out["n"].isna().to_numpy()) & (used.to_numpy(dtype=float, na_value=0) <= out["n"].to_numpy(dtype=float, na_value=0))
    if ok.any():
        lo, hi = exact_ci(used[ok].to_numpy(dtype=float), out["n"].to_numpy(dtype=float, na_value=0)[ok])
        low[ok] = lo
        high[ok] = hi
    out["orr_ci_low_pct"] = low
    out["orr_ci_high_pct"] = high
    return out


def comparability_flags(frame: pd.DataFrame) -> pd.Series:
    """Return, per row, how it differs from the most common line, population, assessment and HER2
    criterion of the frame ('' when it matches all four)."""
    if frame.empty:
        return pd.Series([], dtype="string", index=frame.index)
    parts = []
    for column, label in COMPARABILITY_COLUMNS.items():
        values = frame[column]
        if not values.notna().any():
            continue
        reference = values.mode(dropna=True).iloc[0]
        differs = values.notna() & (values != reference)
        text = label + " " + values.astype("string").fillna("") + f" (most rows: {reference})"
        parts.append(text.where(differs, ""))
    if not parts:
        return pd.Series("", index=frame.index, dtype="string")
    joined = pd.concat(parts, axis=1).astype("string").fillna("")
    return joined.apply(lambda row: "; ".join(v for v in row if v), axis=1).astype("string")


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


def format_hr(hr: float | None, low: float | None, high: float | None, level: int | None = 95) -> str:
    """Return '0.70 (0.55-0.90)' for a 95% CI, '0.70 (80% CI 0.55-0.90)' for another level, '0.70 (no CI)'
    without one, or '' when there is no hazard ratio."""
    if hr is None or pd.isna(hr):
        return ""
    if low is None or pd.isna(low) or high is None or pd.isna(high):
        return f"{hr:.2f} (no CI)"
    if level is not None and not pd.isna(level) and int(level) != 95:
        return f"{hr:.2f} ({int(level)}% CI {low:.2f}-{high:.2f})"
    return f"{hr:.2f} ({low:.2f}-{high:.2f})"


def randomised_pairs(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Return one row per experimental arm of a randomised comparison with its control beside it,
    matched on trial, population and analysis (one result per arm of each)."""
    keys = ["trial_id", "population", "analysis"]
    exp = outcomes[outcomes["arm_role"] == "experimental"]
    ctl = outcomes[outcomes["arm_role"] == "control"]
    if exp.empty or ctl.empty:
        return exp.iloc[0:0].copy()
    return exp.merge(ctl, on=keys, suffixes=("", "_control"), how="inner")


def with_display_columns(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Return outcomes with text columns for display: median_pfs and median_os ('not reached' kept) and
    pfs_hr_ci and os_hr_ci ('0.70 (0.55-0.90)')."""
    low = outcomes["orr_ci_low_pct"] if "orr_ci_low_pct" in outcomes.columns else pd.Series(pd.NA, index=outcomes.index)
    high = outcomes["orr_ci_high_pct"] if "orr_ci_high_pct" in outcomes.columns else pd.Series(pd.NA, index=outcomes.index)
    levels = outcomes["hr_ci_level"] if "hr_ci_level" in outcomes.columns else pd.Series(95, index=outcomes.index)
    return outcomes.assign(
        orr_ci=[f"{lo:.1f}-{hi:.1f}" if not (pd.isna(lo) or pd.isna(hi)) else "" for lo, hi in zip(low, high, strict=True)],
        median_pfs=[format_median(v, s) for v, s in zip(outcomes["median_pfs_months"], outcomes["median_pfs_status"])],
        median_os=[format_median(v, s) for v, s in zip(outcomes["median_os_months"], outcomes["median_os_status"])],
        pfs_hr_ci=[format_hr(*v) for v in zip(outcomes["pfs_hr"], outcomes["pfs_hr_ci_low"], outcomes["pfs_hr_ci_high"], levels, strict=True)],
        os_hr_ci=[format_hr(*v) for v in zip(outcomes["os_hr"], outcomes["os_hr_ci_low"], outcomes["os_hr_ci_high"], levels, strict=True)],
    )


def efficacy_table(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Return outcomes with the display columns and the comparability flag of each row within this
    selection."""
    return with_display_columns(outcomes).assign(not_directly_comparable=comparability_flags(outcomes))


def best_evidence(outcomes: pd.DataFrame, limit: int = 8) -> pd.DataFrame:
    """Return the strongest rows first, with display columns: randomised evidence with a hazard ratio
    outranks single-arm response rates; then the largest n."""
    ranked = outcomes.assign(_rand=outcomes["design"] == "randomised", _hr=outcomes["os_hr"].notna() | outcomes["pfs_hr"].notna())
    ranked = ranked.sort_values(["_rand", "_hr", "n"], ascending=False, na_position="last").head(limit)
    return with_display_columns(ranked.drop(columns=["_rand", "_hr"]))


def with_control_regimen(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Return outcomes with regimen_control: the matched control arm's regimen, where there is one."""
    pairs = randomised_pairs(outcomes)
    if pairs.empty:
        return outcomes.assign(regimen_control=pd.NA)
    control = pairs.drop_duplicates("outcome_id").set_index("outcome_id")["regimen_control"]
    return outcomes.assign(regimen_control=outcomes["outcome_id"].map(control))
