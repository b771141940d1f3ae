"""Display of results: medians that may be not reached, hazard ratios with their interval, the text
columns tables show, randomised pairs side by side and the best evidence first. Pure functions."""

from __future__ import annotations

import pandas as pd


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


# The outcome columns with_display_columns reads (a caller may select just these and its own).
DISPLAY_INPUTS = (
    "orr_ci_low_pct",
    "orr_ci_high_pct",
    "hr_ci_level",
    "median_pfs_months",
    "median_pfs_status",
    "median_os_months",
    "median_os_status",
    "pfs_hr",
    "pfs_hr_ci_low",
    "pfs_hr_ci_high",
    "os_hr",
    "os_hr_ci_low",
    "os_hr_ci_high",
)


def with_display_columns(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Return outcomes with text columns for display: median_pfs and median_os ('not reached' kept) and
    pfs_hr_ci and os_hr_ci ('0.70 (0.55-0.90)')."""
    low = outcomes["orr_ci_low_pct"] if "orr_ci_low_pct" in outcomes.columns else pd.Series(pd.NA, index=outcomes.index)
    high = (
        outcomes["orr_ci_high_pct"] if "orr_ci_high_pct" in outcomes.columns else pd.Series(pd.NA, index=outcomes.index)
    )
    levels = outcomes["hr_ci_level"] if "hr_ci_level" in outcomes.columns else pd.Series(95, index=outcomes.index)
    return outcomes.assign(
        orr_ci=[
            f"{lo:.1f}-{hi:.1f}" if not (pd.isna(lo) or pd.isna(hi)) else "" for lo, hi in zip(low, high, strict=True)
        ],
        median_pfs=[
            format_median(v, s)
            for v, s in zip(outcomes["median_pfs_months"], outcomes["median_pfs_status"], strict=True)
        ],
        median_os=[
            format_median(v, s) for v, s in zip(outcomes["median_os_months"], outcomes["median_os_status"], strict=True)
        ],
        pfs_hr_ci=[
            format_hr(*v)
            for v in zip(outcomes["pfs_hr"], outcomes["pfs_hr_ci_low"], outcomes["pfs_hr_ci_high"], levels, strict=True)
        ],
        os_hr_ci=[
            format_hr(*v)
            for v in zip(outcomes["os_hr"], outcomes["os_hr_ci_low"], outcomes["os_hr_ci_high"], levels, strict=True)
        ],
    )


def best_evidence(outcomes: pd.DataFrame, limit: int = 8) -> pd.DataFrame:
    """Return the strongest rows first, with display columns: randomised evidence with a hazard ratio
    outranks single-arm response rates; then the largest n."""
    ranked = outcomes.assign(
        _rand=outcomes["design"] == "randomised", _hr=outcomes["os_hr"].notna() | outcomes["pfs_hr"].notna()
    )
    ranked = ranked.sort_values(["_rand", "_hr", "n"], ascending=False, na_position="last").head(limit)
    return with_display_columns(ranked.drop(columns=["_rand", "_hr"]))
