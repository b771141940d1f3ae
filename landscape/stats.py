"""Pure statistics: exact binomial (Clopper-Pearson) CIs for response rates and the responder counts
behind them. Display formatting lives in landscape.display."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def exact_ci(responders, n, level: float = 0.95):
    """Return the Clopper-Pearson (exact binomial) CI of responders/n in percent, in its beta-quantile
    form (scipy.special.betaincinv, the inverse regularised incomplete beta function: identical to
    scipy.stats.binomtest's 'exact' interval, vectorised, and without loading scipy.stats into the
    server)."""
    # Imported here: scipy.special costs ~0.3 s of start-up, and a server whose landscape comes from the cache
    # (landscape.prepare) never computes a CI.
    from scipy.special import betaincinv

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
    pairs = [
        responders_for_ci(None if pd.isna(pct) else pct, None if pd.isna(k) else k, None if pd.isna(n) else int(n))
        for pct, k, n in zip(out["orr_pct"], out["orr_responders"], out["n"], strict=True)
    ]
    used = pd.array([p[0] for p in pairs], dtype="Int64")
    out["responders_used"] = used
    out["responders_derived"] = pd.array([p[1] for p in pairs], dtype="boolean")
    low = pd.array([None] * len(out), dtype="Float64")
    high = pd.array([None] * len(out), dtype="Float64")
    ok = (
        (~used.isna())
        & (~out["n"].isna().to_numpy())
        & (used.to_numpy(dtype=float, na_value=0) <= out["n"].to_numpy(dtype=float, na_value=0))
    )
    if ok.any():
        lo, hi = exact_ci(used[ok].to_numpy(dtype=float), out["n"].to_numpy(dtype=float, na_value=0)[ok])
        low[ok] = lo
        high[ok] = hi
    out["orr_ci_low_pct"] = low
    out["orr_ci_high_pct"] = high
    return out
