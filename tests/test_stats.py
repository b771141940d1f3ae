"""Pure statistics: exact CIs, derived responders, comparability flags, medians, pairs."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from landscape import display, stats


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (5, 10, 18.7086, 81.2914),  # Clopper-Pearson reference values
        (0, 10, 0.0, 30.8497),
        (10, 10, 69.1503, 100.0),
    ],
)
def test_exact_ci_matches_clopper_pearson(k, n, low, high):
    lo, hi = stats.exact_ci(k, n)
    assert math.isclose(lo, low, abs_tol=1e-3) and math.isclose(hi, high, abs_tol=1e-3)


@pytest.mark.parametrize(("k", "n"), [(0, 5), (1, 7), (61, 119), (109, 246), (3, 1000), (40, 40)])
def test_exact_ci_equals_scipy_binomtest_exact_interval(k, n):
    from scipy.stats import binomtest

    reference = binomtest(k, n).proportion_ci(confidence_level=0.95, method="exact")
    lo, hi = stats.exact_ci(k, n)
    assert lo == pytest.approx(100 * reference.low, abs=1e-6)
    assert hi == pytest.approx(100 * reference.high, abs=1e-6)


def test_exact_ci_is_vectorised():
    lo, hi = stats.exact_ci([5, 0, 10], [10, 10, 10])
    assert list(map(round, lo, [2] * 3)) == [18.71, 0.0, 69.15]
    assert list(map(round, hi, [2] * 3)) == [81.29, 30.85, 100.0]


@pytest.mark.parametrize(("k", "n"), [(-1, 10), (11, 10), (1, 0)])
def test_exact_ci_rejects_impossible_counts(k, n):
    with pytest.raises(ValueError):
        stats.exact_ci(k, n)


@pytest.mark.parametrize(
    ("pct", "responders", "n", "expected"),
    [
        (44.3, None, 246, (109, True)),
        (51.3, 61, 119, (61, False)),
        (None, None, 100, (None, False)),
        (40.0, None, None, (None, False)),
        (0.0, None, 30, (0, True)),
    ],
)
def test_responders_for_ci(pct, responders, n, expected):
    assert stats.responders_for_ci(pct, responders, n) == expected


def test_add_orr_ci_marks_derived_rows():
    frame = pd.DataFrame(
        {
            "orr_pct": pd.array([50.0, 44.3, None], dtype="Float64"),
            "orr_responders": pd.array([5, None, None], dtype="Int64"),
            "n": pd.array([10, 246, None], dtype="Int64"),
        }
    )
    out = stats.add_orr_ci(frame)
    assert list(out["responders_derived"]) == [False, True, False]
    assert out["orr_ci_low_pct"].iloc[0] == pytest.approx(18.7086, abs=1e-3)
    assert pd.isna(out["orr_ci_low_pct"].iloc[2])
    assert out["orr_ci_low_pct"].iloc[1] < 44.3 < out["orr_ci_high_pct"].iloc[1]


def _frame(rows):
    return pd.DataFrame(rows, columns=["trial_id", "line_of_therapy", "population", "assessment", "her2_category"])


def test_single_trial_is_not_cross_trial():
    assert not display.is_cross_trial(pd.DataFrame({"trial_id": ["a", "a"]}))
    assert display.is_cross_trial(pd.DataFrame({"trial_id": ["a", "b"]}))


@pytest.mark.parametrize(
    ("value", "status", "text"),
    [
        (14.7, "reached", "14.7"),
        (None, "not reached", "not reached"),
        (None, "not reported", "not reported"),
        (pd.NA, "reached", "not reported"),
    ],
)
def test_format_median(value, status, text):
    assert display.format_median(value, status) == text


def test_format_hr():
    assert display.format_hr(0.7, 0.55, 0.9) == "0.70 (0.55-0.90)"
    assert display.format_hr(0.7, None, None) == "0.70 (no CI)"
    assert display.format_hr(0.7, 0.5, 0.95, 80) == "0.70 (80% CI 0.50-0.95)"
    assert display.format_hr(0.7, 0.55, 0.9, 95) == "0.70 (0.55-0.90)"
    assert display.format_hr(None, None, None) == ""


def test_randomised_pairs_match_on_population_and_analysis():
    frame = pd.DataFrame(
        [
            ("t", "exp", "experimental", "ITT", "final", "BICR", "A"),
            ("t", "ctl", "control", "ITT", "final", "BICR", "B"),
            ("t", "exp", "experimental", "CPS>=1", "final", "BICR", "A"),
            ("s", "only", "experimental", "ITT", "primary", "BICR", "C"),
        ],
        columns=["trial_id", "arm_id", "arm_role", "population", "analysis", "assessment", "regimen"],
    )
    pairs = display.randomised_pairs(frame)
    assert len(pairs) == 1
    assert pairs.iloc[0]["regimen"] == "A" and pairs.iloc[0]["regimen_control"] == "B"


def test_best_evidence_ranks_randomised_hazard_ratios_first():
    frame = pd.DataFrame(
        {
            "design": ["single-arm", "randomised", "randomised"],
            "os_hr": pd.array([None, 0.7, None], dtype="Float64"),
            "pfs_hr": pd.array([None, None, None], dtype="Float64"),
            "n": pd.array([500, 100, 300], dtype="Int64"),
            "os_hr_ci_low": pd.array([None, 0.55, None], dtype="Float64"),
            "os_hr_ci_high": pd.array([None, 0.9, None], dtype="Float64"),
            "pfs_hr_ci_low": pd.array([None, None, None], dtype="Float64"),
            "pfs_hr_ci_high": pd.array([None, None, None], dtype="Float64"),
            "median_os_months": pd.array([None, 14.7, None], dtype="Float64"),
            "median_os_status": ["not reported", "reached", "not reached"],
            "median_pfs_months": pd.array([None, None, None], dtype="Float64"),
            "median_pfs_status": ["not reported"] * 3,
        }
    )
    best = display.best_evidence(frame, limit=2)
    assert list(best["n"]) == [100, 300]
    assert list(best["os_hr_ci"]) == ["0.70 (0.55-0.90)", ""]
    assert list(best["median_os"]) == ["14.7", "not reached"]
