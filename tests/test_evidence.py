"""Evidence tiers, comparison labels, headline rows, capping and the anchor comparison, on tiny frames."""

from __future__ import annotations

import pandas as pd
import pytest

from landscape import evidence


def _rows(**overrides) -> pd.DataFrame:
    base = {
        "outcome_id": ["e", "c"],
        "trial_id": ["t", "t"],
        "acronym": ["T", "T"],
        "phase": ["Phase 3", "Phase 3"],
        "design": ["randomised", "randomised"],
        "arm_role": ["experimental", "control"],
        "regimen": ["A", "B"],
        "population": ["ITT", "ITT"],
        "population_type": ["ITT", "ITT"],
        "analysis": ["final", "final"],
        "analysis_stage": ["final", "final"],
        "comparator_class": ["chemo", "chemo"],
        "headline_for": ["OS", "OS"],
        "hr_ci_level": pd.array([95, pd.NA], dtype="Int64"),
        "os_hr": pd.array([0.7, None], dtype="Float64"),
        "os_hr_ci_low": pd.array([0.55, None], dtype="Float64"),
        "os_hr_ci_high": pd.array([0.9, None], dtype="Float64"),
        "pfs_hr": pd.array([None, None], dtype="Float64"),
        "pfs_hr_ci_low": pd.array([None, None], dtype="Float64"),
        "pfs_hr_ci_high": pd.array([None, None], dtype="Float64"),
        "orr_pct": pd.array([None, None], dtype="Float64"),
        "orr_ci_low_pct": pd.array([None, None], dtype="Float64"),
        "orr_ci_high_pct": pd.array([None, None], dtype="Float64"),
        "n": pd.array([100, 100], dtype="Int64"),
        "source_id": ["pub", "pub"],
        "line_of_therapy": ["2L", "2L"],
        "her2_category": ["HER2-positive", "HER2-positive"],
        "region": ["Asia", "Asia"],
        "assessment": ["BICR", "BICR"],
    }
    base.update(overrides)
    return pd.DataFrame(base)


KINDS = {"pub": "journal article", "news": "news report", "pr": "press release"}


def tiers(frame: pd.DataFrame) -> list[int]:
    return list(evidence.add_evidence_columns(frame, KINDS, {"t": "Ramucirumab 8 mg/kg + paclitaxel"})["evidence_tier"])


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, [1, 1]),
        ({"population_type": ["biomarker subgroup"] * 2}, [2, 2]),
        ({"headline_for": ["", ""]}, [2, 2]),
        ({"design": ["single-arm"] * 2, "comparator_class": ["none"] * 2}, [3, 3]),
        ({"hr_ci_level": pd.array([80, pd.NA], dtype="Int64")}, [4, 4]),
        (
            {
                "os_hr_ci_low": pd.array([None, None], dtype="Float64"),
                "os_hr_ci_high": pd.array([None, None], dtype="Float64"),
                "hr_ci_level": pd.array([pd.NA, pd.NA], dtype="Int64"),
            },
            [4, 4],
        ),
        # The control arm's numbers from a news page make the whole comparison tier 4.
        ({"source_id": ["pub", "news"]}, [4, 4]),
    ],
)
def test_tier_of_a_comparison(overrides, expected):
    assert tiers(_rows(**overrides)) == expected


def test_press_release_is_named_in_the_reason():
    out = evidence.add_evidence_columns(_rows(source_id=["pr", "pr"]), KINDS, {})
    assert "press release" in out["tier_reason"].iloc[0]


def test_vs_label_names_the_control_or_the_class():
    out = evidence.add_evidence_columns(_rows(), KINDS, {"t": "Ramucirumab + paclitaxel"})
    assert list(out["vs_label"]) == ["vs Ramucirumab + paclitaxel"] * 2
    assert evidence.vs_label("placebo + chemo", None) == "vs placebo + chemotherapy"
    assert evidence.vs_label("none", "anything") == "single arm"


def test_select_rows_headline_and_tiers():
    out = evidence.add_evidence_columns(
        pd.concat(
            [
                _rows(),
                _rows(
                    outcome_id=["e2", "c2"],
                    population=["CPS>=1"] * 2,
                    population_type=["biomarker subgroup"] * 2,
                    headline_for=["", ""],
                ),
            ]
        ),
        KINDS,
        {},
    )
    assert len(evidence.select_rows(out, True, ["tier 1", "tier 2"])) == 2
    assert len(evidence.select_rows(out, False, ["tier 1", "tier 2"])) == 4
    assert len(evidence.select_rows(out, False, ["tier 2"])) == 2
    assert evidence.select_rows(out, False, []).empty


def test_anchor_comparison_says_same_or_different_per_dimension():
    frame = pd.concat(
        [
            _rows(),
            _rows(
                outcome_id=["x", "y"],
                trial_id=["u", "u"],
                line_of_therapy=["1L", "1L"],
                assessment=["investigator"] * 2,
            ),
        ]
    )
    frame = evidence.add_evidence_columns(frame, KINDS, {})
    table = evidence.anchor_comparison(frame, "e")
    anchor = table.iloc[0]
    assert anchor["is anchor"] and anchor["dimensions that differ"] == 0
    other = table.set_index("outcome_id").loc["x"]
    assert (
        other["line"] == "different: 1L"
        and other["assessment"] == "different: investigator"
        and other["comparator"] == "same"
    )
    assert other["dimensions that differ"] == 2
    assert "assessment" not in evidence.anchor_comparison(frame, "e", endpoint_uses_assessment=False).columns
    with pytest.raises(KeyError):
        evidence.anchor_comparison(frame, "nope")


def test_cap_rows_keeps_the_best_tier_and_names_what_is_left_out():
    good = _rows()
    weak = _rows(outcome_id=["w1", "w2"], trial_id=["w", "w"], acronym=["WEAK", "WEAK"], source_id=["news", "news"])
    frame = evidence.add_evidence_columns(pd.concat([weak, good], ignore_index=True), KINDS, {})
    kept, note = evidence.cap_rows(frame, 2)
    assert set(kept["outcome_id"]) == {"e", "c"} and "WEAK" in note
    assert evidence.cap_rows(frame, 10) == (frame, "") or evidence.cap_rows(frame, 10)[1] == ""


@pytest.mark.parametrize(
    ("regimen", "short"),
    [
        (
            "Trastuzumab 8 mg/kg then 6 mg/kg q3w + cisplatin 80 mg/m2 + capecitabine",
            "Trastuzumab + cisplatin + capecitabine",
        ),
        ("Ramucirumab 8 mg/kg d1,15 + paclitaxel 80 mg/m2 d1,8,15 q28d", "Ramucirumab + paclitaxel"),
        ("Trastuzumab (8 then 6 mg/kg) + S-1 80 mg/m2/day + cisplatin", "Trastuzumab + S-1 + cisplatin"),
        ("Margetuximab 15 mg/kg + pembrolizumab 200 mg IV q3w (RP2D)", "Margetuximab + pembrolizumab"),
        ("Trastuzumab deruxtecan", "Trastuzumab deruxtecan"),
        ("", ""),
    ],
)
def test_short_regimen_drops_doses_and_schedules(regimen, short):
    from landscape.text import short_regimen

    assert short_regimen(regimen) == short
