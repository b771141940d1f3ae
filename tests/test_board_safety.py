"""Harm beside benefit on the tumour board: each approved option's Safety block (the chosen agency's label or
a named stand-in, the pivotal trial's rates arm by arm) and its Guidelines line, in the result, its JSON and
its words."""

from __future__ import annotations

import json

import pytest

from landscape.board import words
from landscape.board.engine import build_board
from landscape.board.profile import Profile
from landscape.safety import label_items

T, TDXD = "trastuzumab", "trastuzumab_deruxtecan"
ILD = "Interstitial lung disease and pneumonitis"


def option_of(landscape, profile: Profile, approval_id: str):
    result = build_board(landscape, profile)
    return next(o for o in result.approved if o.approval_id == approval_id)


# profile, approval -> agency whose label is shown, a boxed warning it must hold (or None), the stand-in note
# fragment (or ""), the pivotal trial whose arms the rates show (or None)
SAFETY_CASES = [
    (Profile("2L", "ihc3", None, (T,), "FDA"), "fda_trastuzumab_deruxtecan_2021", "FDA", ILD, "", "destiny_gastric04"),
    (Profile("2L", "ihc3", None, (T,), "EMA"), "ema_trastuzumab_deruxtecan_2022", "EMA", None, "", None),
    (
        Profile("2L", "ihc3", None, (T,), "NMPA"),
        "nmpa_trastuzumab_deruxtecan_2026",
        "FDA",
        ILD,
        "NMPA label not recorded; warnings from the FDA label.",
        None,
    ),
    (Profile("1L", "ihc3", 5, (), "EMA"), "ema_pembrolizumab_2023", "EMA", None, "", "keynote_811"),
    (
        Profile("1L", "ihc3", 5, (), "PMDA"),
        "pmda_pembrolizumab_2025",
        "FDA",
        "Cardiomyopathy",
        "PMDA label not recorded; warnings from the FDA label.",
        "keynote_811",
    ),
]


@pytest.mark.parametrize(("profile", "approval", "agency", "boxed", "note", "pivotal"), SAFETY_CASES)
def test_each_option_carries_the_label_of_its_agency_or_a_named_stand_in(
    landscape, profile, approval, agency, boxed, note, pivotal
):
    option = option_of(landscape, profile, approval)
    block = option.safety
    assert block.label_agency == agency
    assert block.label_note == note
    assert all(i.agency == agency for i in (*block.boxed_warnings, *block.warnings, *block.monitoring))
    if boxed is not None:
        assert boxed in [i.topic for i in block.boxed_warnings]
    lines = words.safety_lines(block)
    if note:
        assert lines[0] == note
    if block.boxed_warnings:
        # Boxed warnings lead (after the stand-in note), then warnings, then the rates, then monitoring.
        first = lines[1] if note else lines[0]
        assert first.startswith(f"Boxed warnings ({agency} label): ")
    if block.monitoring:
        assert lines[-1].startswith(f"Monitoring the label asks for ({agency} label): ")
    if pivotal is not None:
        arms = [(r.arm_role, r.trial_id) for r in block.trial_rates if r.trial_id == pivotal]
        roles = [role for role, _ in dict.fromkeys(arms)]
        assert roles == ["experimental", "control"], "the experimental arm, then its control, both shown"
        assert any(line.startswith(f"{block.trial_rates[0].acronym}, control arm (") for line in lines)


def test_the_label_held_for_the_agency_is_the_one_used(landscape):
    """What the data holds decides: an agency with label rows is shown as itself, else named as missing."""
    for agency in ("FDA", "EMA", "PMDA", "NMPA"):
        _, chosen = label_items(landscape.safety, [TDXD], agency)
        held = set(landscape.safety.loc[landscape.safety["agent_id"] == TDXD, "agency"].dropna())
        assert (chosen == agency) == (agency in held)


def test_rates_name_their_attribution_and_arm(landscape):
    option = option_of(landscape, Profile("2L", "ihc3", None, (T,), "FDA"), "fda_trastuzumab_deruxtecan_2021")
    lines = [line for line in words.safety_lines(option.safety) if "grade >= 3" in line]
    assert lines, "the pivotal trial's grade >= 3 rate is shown"
    assert all(
        "all-cause" in line or "treatment-related" in line or "(all-cause or treatment-related) not stated" in line
        for line in lines
    )


@pytest.mark.parametrize(
    ("profile", "approval", "expected"),
    [
        (Profile("1L", "ihc3", 0, (), "FDA"), "fda_trastuzumab_2010", "CSCO 2021: Grade I recommendation"),
        (Profile("2L", "ihc3", None, (T,), "FDA"), "fda_trastuzumab_deruxtecan_2021", words.NO_GUIDELINE),
    ],
)
def test_guideline_line_names_each_position_or_says_none(landscape, profile, approval, expected):
    option = option_of(landscape, profile, approval)
    line = words.guideline_line(option)
    assert line.startswith(f"{words.GUIDELINES_LABEL}: ")
    assert expected in line
    # Positions are matched on the regimen less its chemotherapy backbone: only the option's own agents.
    for g in option.guidelines:
        assert g.line_of_therapy in ("1L", profile.line) or profile.line in g.line_of_therapy


def test_json_contract(landscape):
    result = build_board(landscape, Profile("2L", "ihc3", None, (T,), "FDA"))
    data = json.loads(json.dumps(result.to_json()))
    for item in data["approved"]:
        safety = item["safety"]
        assert {"boxed_warnings", "warnings", "trial_rates"} <= set(safety)
        for entry in (*safety["boxed_warnings"], *safety["warnings"]):
            assert {"topic", "agency", "source_id"} <= set(entry)
        for rate in safety["trial_rates"]:
            assert {"trial_id", "acronym", "arm", "measure", "value", "unit", "population", "source_id"} <= set(rate)
        for g in item["guidelines"]:
            assert set(g) == {"organisation", "version", "position", "source_id"}
    tdxd = next(i for i in data["approved"] if i["approval_id"] == "fda_trastuzumab_deruxtecan_2021")
    assert {"topic": ILD, "agency": "FDA"} in [
        {k: w[k] for k in ("topic", "agency")} for w in tdxd["safety"]["boxed_warnings"]
    ]
    assert {r["trial_id"] for r in tdxd["safety"]["trial_rates"]} >= {"destiny_gastric04"}
    # Every source the block rests on is among the option's sources.
    ids = {e["source_id"] for e in (*tdxd["safety"]["boxed_warnings"], *tdxd["safety"]["trial_rates"])}
    assert ids <= set(tdxd["source_ids"])
