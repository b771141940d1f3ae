"""Choosing harm beside benefit: label warnings by agency (with a named stand-in), trial rates arm by arm and
definition by definition, guideline positions by regimen and line."""

from __future__ import annotations

import pandas as pd
import pytest

from landscape import safety, schema


def frame(table: str, rows: list[dict], extra: tuple[str, ...] = ()) -> pd.DataFrame:
    columns = [*schema.columns(table), *extra]
    return pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)


def label(agent: str, agency: str, measure: str, topic: str, source: str = "s_label") -> dict:
    return {
        "safety_id": f"{agency}_{agent}_{measure}_{topic}",
        "agent_id": agent,
        "agent_name": agent.title(),
        "agency": agency,
        "label_date": "2025-01",
        "regimen": agent,
        "measure": measure,
        "topic": topic,
        "source_id": source,
    }


def rate(trial: str, arm: str, measure: str, value: float, attribution: str = "all-cause", **more) -> dict:
    unit = "percent" if measure.endswith("_pct") else "patients"
    return {
        "safety_id": f"{trial}_{arm}_{measure}_{attribution}",
        "trial_id": trial,
        "acronym": trial.upper(),
        "arm_id": arm,
        "regimen": arm,
        "measure": measure,
        "value": value,
        "unit": unit,
        "attribution": attribution,
        "population": "safety analysis set",
        "n_safety": 100,
        "analysis": "primary",
        "source_id": f"s_{trial}",
        **more,
    }


SAFETY = frame(
    "safety",
    [
        label("tdxd", "FDA", "warning", "Neutropenia"),
        label("tdxd", "FDA", "boxed_warning", "Interstitial lung disease and pneumonitis"),
        label("tdxd", "FDA", "boxed_warning", "Embryo-fetal toxicity"),
        label("tdxd", "FDA", "monitoring", "LVEF before and during treatment"),
        label("tdxd", "EMA", "warning", "Interstitial lung disease/pneumonitis", source="s_ema"),
        label("zani", "EMA", "warning", "Embryo-fetal toxicity", source="s_zani_ema"),
        label("zani", "PMDA", "warning", "Infusion-related reactions", source="s_zani_pmda"),
        rate("dg04", "ram_pac", "grade3plus_ae_pct", 61.6),
        rate("dg04", "tdxd", "grade3plus_ae_pct", 50.0),
        rate("dg04", "tdxd", "ild_any_pct", 13.9, attribution="treatment-related", ild_adjudicated=True),
        rate("dg04", "tdxd", "grade3plus_trae_pct", 40.0, attribution="treatment-related"),
        rate("other", "x", "grade3plus_ae_pct", 12.0),
    ],
    extra=("acronym", "agent_name"),
)


@pytest.mark.parametrize(
    ("agents", "agency", "expected_agency", "expected_topics", "note"),
    [
        (
            ["tdxd"],
            "FDA",
            "FDA",
            [
                "Interstitial lung disease and pneumonitis",
                "Embryo-fetal toxicity",
                "Neutropenia",
                "LVEF before and during treatment",
            ],
            "",
        ),
        (["tdxd"], "EMA", "EMA", ["Interstitial lung disease/pneumonitis"], ""),
        # No NMPA label held: the first agency in the schema's order stands in, and is named.
        (["tdxd"], "NMPA", "FDA", None, "NMPA label not recorded; warnings from the FDA label."),
        (["zani"], "FDA", "EMA", ["Embryo-fetal toxicity"], "FDA label not recorded; warnings from the EMA label."),
        (["nothing"], "FDA", None, [], "No label warnings recorded."),
    ],
)
def test_label_warnings_come_from_the_agency_asked_for_or_a_named_stand_in(
    agents, agency, expected_agency, expected_topics, note
):
    block = safety.option_safety(SAFETY, agents, agency, [])
    assert block.label_agency == expected_agency
    assert block.label_note == note
    topics = [i.topic for i in (*block.boxed_warnings, *block.warnings, *block.monitoring)]
    if expected_topics is not None:
        assert topics == expected_topics
    assert all(i.measure == "boxed_warning" for i in block.boxed_warnings)


def test_boxed_warnings_lead_then_warnings_then_monitoring():
    items, _ = safety.label_items(SAFETY, ["tdxd"], "FDA")
    assert [i.measure for i in items] == ["boxed_warning", "boxed_warning", "warning", "monitoring"]


def test_trial_rates_keep_every_arm_and_both_definitions_apart():
    rates = safety.arm_rates(SAFETY, ["dg04"])
    assert [(r.arm_id, r.measure) for r in rates] == [
        ("ram_pac", "grade3plus_ae_pct"),
        ("tdxd", "grade3plus_ae_pct"),
        ("tdxd", "grade3plus_trae_pct"),
        ("tdxd", "ild_any_pct"),
    ]
    words = {r.measure: r.words for r in rates if r.arm_id == "tdxd"}
    assert words["grade3plus_ae_pct"] == "grade >= 3 adverse events (all-cause): 50%"
    assert words["grade3plus_trae_pct"] == "grade >= 3 treatment-related adverse events: 40%"
    assert words["ild_any_pct"].endswith("(treatment-related), adjudicated: 13.9%")


def test_trial_rates_follow_the_trial_order_given_and_the_measures_asked_for():
    rates = safety.arm_rates(SAFETY, ["other", "dg04"], measures=["grade3plus_ae_pct"])
    assert [r.trial_id for r in rates] == ["other", "dg04", "dg04"]
    assert safety.arm_rates(SAFETY, ["no_trial"]) == ()
    assert safety.arm_rates(SAFETY.iloc[0:0], ["dg04"]) == ()


def test_a_block_lists_each_source_once():
    block = safety.option_safety(SAFETY, ["tdxd"], "FDA", ["dg04"])
    assert block.source_ids == ("s_label", "s_dg04")


def guideline(org: str, version: str, line: str, agents: str, position: str, pdl1: str = "") -> dict:
    return {
        "guideline_id": f"{org}_{version}_{line}_{agents}".lower().replace(";", "_").replace(" ", "_"),
        "organisation": org,
        "guideline": f"{org} guideline",
        "version": version,
        "scale": "other",
        "line_of_therapy": line,
        "her2_condition": "HER2-positive",
        "pdl1_condition": pdl1,
        "regimen": agents,
        "agent_ids": agents,
        "position": position,
        "source_id": f"s_{org}",
    }


GUIDELINES = frame(
    "guidelines",
    [
        guideline("ESMO", "2022", "1L", "trastuzumab;capecitabine;oxaliplatin", "I, A"),
        guideline(
            "ESMO", "2024 update", "1L", "pembrolizumab;trastuzumab;capecitabine;oxaliplatin", "I, A", "CPS >= 1"
        ),
        guideline("NCCN", "Version 1.2024", "1L", "trastuzumab;oxaliplatin;fluorouracil", "category 1, preferred"),
        guideline("NCCN", "Version 2.2025", "1L", "trastuzumab;oxaliplatin;fluorouracil", "category 1, preferred"),
        guideline("ESMO", "2022", "2L+", "tdxd", "III, A"),
    ],
)
KEY_AGENTS = {"trastuzumab", "pembrolizumab", "tdxd"}


@pytest.mark.parametrize(
    ("agents", "line", "expected"),
    [
        (
            ["trastuzumab"],
            "1L",
            [
                "ESMO 2022: I, A",
                "NCCN Version 2.2025: category 1, preferred",
                "NCCN Version 1.2024: category 1, preferred",
            ],
        ),
        (["pembrolizumab", "trastuzumab"], "1L", ["ESMO 2024 update (CPS >= 1): I, A"]),
        (["tdxd"], "2L", ["ESMO 2022: III, A"]),
        (["tdxd"], "3L+", ["ESMO 2022: III, A"]),
        (["tdxd"], "1L", []),
        (["trastuzumab"], "2L", []),
    ],
)
def test_guideline_positions_match_the_regimen_less_its_backbone_and_the_line(agents, line, expected):
    found = safety.guideline_positions(GUIDELINES, agents, line, key_agents=KEY_AGENTS)
    assert [g.words for g in found] == expected


def test_rate_measures_cover_the_schema_vocabulary():
    assert set(safety.RATE_MEASURES) | set(safety.LABEL_MEASURES) == set(schema.enum("safety", "measure"))
    assert set(safety.MEASURE_WORDS) == set(schema.enum("safety", "measure"))


def test_label_table_goes_agency_by_agency_boxed_warnings_first():
    table = safety.label_table(SAFETY, "tdxd")
    assert list(table["agency"]) == ["FDA", "FDA", "FDA", "FDA", "EMA"]
    assert list(table["kind"][:4]) == ["boxed warning", "boxed warning", "warning", "monitoring"]
    assert safety.label_table(SAFETY, "nothing").empty


def test_rate_table_puts_the_experimental_arm_before_its_control_and_keeps_definitions_apart():
    roles = {("dg04", "tdxd"): "experimental", ("dg04", "ram_pac"): "control"}
    table = safety.rate_table(SAFETY, ["dg04"], roles)
    assert list(table["arm_role"]) == ["experimental", "experimental", "experimental", "control"]
    assert list(table["measure_words"][:2]) == [
        "grade >= 3 adverse events",
        "grade >= 3 treatment-related adverse events",
    ]
    assert list(table["attribution"][:2]) == ["all-cause", "treatment-related"]
    assert table["measure_words"].iloc[2].endswith(", adjudicated")
    assert safety.rate_table(SAFETY, ["no_trial"]).empty
    assert list(safety.rate_table(SAFETY, ["no_trial"]).columns) == safety.RATE_TABLE_COLUMNS


def test_arm_roles_come_from_the_outcome_rows():
    outcomes = pd.DataFrame(
        {"trial_id": ["t", "t", "t"], "arm_id": ["a", "b", "a"], "arm_role": ["experimental", "control", "control"]}
    )
    assert safety.arm_roles(outcomes) == {("t", "a"): "experimental", ("t", "b"): "control"}


def outcome(trial, arm, role, population="ITT", headline="", **values) -> dict:
    return {
        "outcome_id": f"{trial}_{arm}_{population}_{headline}",
        "trial_id": trial,
        "acronym": trial.upper(),
        "arm_id": arm,
        "arm_role": role,
        "regimen": arm,
        "population": population,
        "population_type": "ITT" if population == "ITT" else "response-evaluable",
        "headline_for": headline or None,
        "analysis": "final",
        "n": 100,
        "source_id": f"s_{trial}_eff",
        "orr_pct": values.get("orr_pct"),
        "median_pfs_months": values.get("pfs"),
        "median_os_months": values.get("os"),
    }


OUTCOMES = pd.DataFrame(
    [
        outcome("dg04", "tdxd", "experimental", os=14.7, pfs=6.7, headline="OS"),
        outcome("dg04", "ram_pac", "control", os=11.4, pfs=5.6, headline="OS"),
        outcome("dg04", "tdxd", "experimental", population="response-evaluable", headline="ORR", orr_pct=44.3),
        outcome("dg04", "ram_pac", "control", population="response-evaluable", orr_pct=29.1),
        outcome("other", "x", "experimental", os=9.0),
    ]
)


@pytest.mark.parametrize(
    ("efficacy", "harm", "expected"),
    [
        # Both arms of the trial, the experimental arm first, each with its own side's population.
        (
            "median_os_months",
            "grade3plus_ae_pct",
            [("DG04", "tdxd", 14.7, 50.0), ("DG04", "ram_pac", 11.4, 61.6), ("OTHER", "x", 9.0, 12.0)],
        ),
        # ORR only in a response-evaluable row: the headline one stands in, a non-headline one does not.
        ("orr_pct", "grade3plus_ae_pct", [("DG04", "tdxd", 44.3, 50.0)]),
        # The treatment-related definition is its own measure: only the arm that has it.
        ("median_pfs_months", "grade3plus_trae_pct", [("DG04", "tdxd", 6.7, 40.0)]),
    ],
)
def test_benefit_harm_joins_each_arm_with_its_own_rate(efficacy, harm, expected):
    joined = safety.benefit_harm(OUTCOMES, SAFETY, efficacy, harm)
    assert list(joined[["acronym", "arm_id", "efficacy", "harm"]].itertuples(index=False, name=None)) == expected
    assert list(joined.columns) == safety.BENEFIT_HARM_COLUMNS
    assert list(joined["efficacy_source_id"]) == [f"s_{t}_eff" for t in joined["trial_id"]]
    assert list(joined["harm_source_id"]) == [f"s_{t}" for t in joined["trial_id"]]


def test_benefit_harm_is_empty_without_both_and_refuses_unknown_measures():
    assert safety.benefit_harm(OUTCOMES.iloc[0:0], SAFETY, "orr_pct", "grade3plus_ae_pct").empty
    assert safety.benefit_harm(
        OUTCOMES[OUTCOMES["trial_id"] == "other"], SAFETY, "median_os_months", "grade3plus_trae_pct"
    ).empty
    with pytest.raises(ValueError, match="harm one of"):
        safety.benefit_harm(OUTCOMES, SAFETY, "orr_pct", "ild_any_pct")
