"""The evidence of the options that fit: the trial behind the approval for the patient's line first, one
record per arm in the label's (else the headline) population, the matching subgroups, the other populations
folded beneath; the figure's rows built from them; the evidence in words."""

from __future__ import annotations

import pytest

from landscape import schema
from landscape.board import words
from landscape.board.engine import build_board
from landscape.board.evidence import (
    MAIN,
    OTHER,
    PLACES,
    SUBGROUP,
    agency_regions,
    arms_of,
    evidence_for,
    order_trials,
    subgroup_match,
)
from landscape.board.profile import Profile

T = "trastuzumab"


def option(result, approval_id):
    """The option of an approval: a card, or a second approval of the same drug noted on its card."""
    options = [o for card in result.approved for o in (card, *card.other_approvals)]
    return next(o for o in options if o.approval_id == approval_id)


def trial_order(rows) -> list[str]:
    return list(dict.fromkeys(r["acronym"] for r in rows))


# profile, approval -> the trials of its evidence in order (the one behind the approval for the line first)
ORDERS = [
    (
        Profile("2L", "ihc3", None, (T,), "FDA"),
        "fda_trastuzumab_deruxtecan_2021",
        ["DESTINY-Gastric04", "DESTINY-Gastric01"],
    ),
    (
        Profile("3L+", "ihc3", None, (T,), "FDA"),
        "fda_trastuzumab_deruxtecan_2021",
        ["DESTINY-Gastric01", "DESTINY-Gastric04"],
    ),
    (
        Profile("2L", "ihc3", None, (T,), "EMA"),
        "ema_trastuzumab_deruxtecan_2022",
        ["DESTINY-Gastric04", "DESTINY-Gastric02", "DESTINY-Gastric01"],
    ),
    (
        Profile("3L+", "ihc3", None, (T,), "EMA"),
        "ema_trastuzumab_deruxtecan_2022",
        ["DESTINY-Gastric01", "DESTINY-Gastric04", "DESTINY-Gastric02"],
    ),
    (
        Profile("3L+", "ihc3", None, (T,), "NMPA"),
        "nmpa_trastuzumab_deruxtecan_2024",
        ["DESTINY-Gastric06", "DESTINY-Gastric01"],
    ),
    (Profile("1L", "ihc3", 5, (), "FDA"), "fda_pembrolizumab_2025", ["KEYNOTE-811"]),
]


@pytest.mark.parametrize(
    ("profile", "approval", "trials"), ORDERS, ids=[f"{p.agency}-{p.line}-{a}" for p, a, _ in ORDERS]
)
def test_the_trial_behind_the_approval_for_the_line_comes_first(landscape, profile, approval, trials):
    found = option(build_board(landscape, profile), approval)
    assert found.fits
    assert trial_order(found.evidence) == trials
    lead = [r for r in found.evidence if r["lead"]]
    assert lead and {r["acronym"] for r in lead} == {trials[0]}, "only the first trial leads"
    assert all(r["for_line"] for r in lead)


def test_order_keeps_the_curators_order_within_each_group():
    lines = {"a": "3L+", "b": "2L", "c": "2L+", "d": None}
    assert order_trials(("a", "b", "c", "d"), lines, "2L") == ["b", "c", "a", "d"]
    assert order_trials(("a", "b", "c", "d"), lines, "3L+") == ["a", "c", "b", "d"]
    assert order_trials(("a", "b"), lines, None) == ["a", "b"]


def test_2l_fda_trastuzumab_deruxtecan_one_main_record_per_arm_other_populations_beneath(landscape):
    found = option(build_board(landscape, Profile("2L", "ihc3", None, (T,), "FDA")), "fda_trastuzumab_deruxtecan_2021")
    dg04 = [r for r in found.evidence if r["acronym"] == "DESTINY-Gastric04"]
    assert [(r["arm_role"], r["place"], r["population"]) for r in dg04] == [
        ("experimental", MAIN, "ITT"),
        ("control", MAIN, "ITT"),
        ("experimental", OTHER, "response-evaluable (denominator not reported in sources seen)"),
        ("control", OTHER, "response-evaluable (denominator not reported in sources seen)"),
    ]
    experimental = dg04[0]
    assert (experimental["os_hr"], experimental["os_hr_ci_low"], experimental["os_hr_ci_high"]) == (0.7, 0.55, 0.9)
    assert experimental["trial_countries"] is None and experimental["lead"]
    dg01 = next(r for r in found.evidence if r["acronym"] == "DESTINY-Gastric01")
    assert not dg01["lead"] and not dg01["for_line"] and dg01["trial_countries"] == "Japan, South Korea"
    assert set(PLACES) >= {r["place"] for r in found.evidence}


def test_the_label_population_leads_and_the_trials_itt_folds_beneath(landscape):
    found = option(build_board(landscape, Profile("1L", "ihc3", 5, (), "FDA")), "fda_pembrolizumab_2025")
    places = {(r["population"], r["place"]) for r in found.evidence}
    assert ("PD-L1 CPS>=1", MAIN) in places and ("ITT", OTHER) in places
    assert [r["place"] for r in found.evidence] == sorted((r["place"] for r in found.evidence), key=PLACES.index)


class P:
    """A profile stand-in with only what subgroup matching reads."""

    def __init__(self, her2="ihc3", cps=None, agency="FDA"):
        self.her2, self.cps, self.agency = her2, cps, agency


SUBGROUPS = [
    ("PD-L1 CPS >= 1", P(cps=5), "PD-L1 CPS 5"),
    ("PD-L1 CPS >= 1", P(cps=0.5), None),
    ("PD-L1 CPS >= 1", P(cps=None), None),  # unknown CPS matches no CPS subgroup
    ("PD-L1 CPS < 1", P(cps=0), "PD-L1 CPS 0"),
    ("PD-L1 CPS >= 10", P(cps=10), "PD-L1 CPS 10"),
    ("PD-L1 CPS < 10", P(cps=10), None),
    ("PD-L1 CPS 1-9", P(cps=9.5), "PD-L1 CPS 9.5"),
    ("PD-L1 CPS 1-9", P(cps=10), None),
    ("PD-L1 TAP >= 1%", P(cps=50), None),  # a CPS does not give a TAP score
    ("HER2 IHC 3+", P(her2="ihc3"), "HER2 IHC 3+"),
    ("HER2 IHC 3+", P(her2="ihc2-ish-pos"), None),
    ("HER2 IHC 2+/ISH+", P(her2="ihc2-ish-pos"), "HER2 IHC 2+/ISH+"),
    ("HER2 IHC 2+", P(her2="ihc2-ish-neg"), "HER2 IHC 2+"),
    ("region: China", P(agency="NMPA"), "NMPA labels: China"),
    ("region: Asia", P(agency="PMDA"), "PMDA labels: Asia"),
    ("region: Japan", P(agency="NMPA"), None),
    ("region: Europe", P(agency="EMA"), "EMA labels: Europe"),
    ("region: rest of world", P(agency="FDA"), "FDA labels: rest of world"),
    ("region: rest of world", P(agency="NMPA"), None),
]


@pytest.mark.parametrize(("subgroup", "profile", "expected"), SUBGROUPS)
def test_subgroup_matches_what_the_profile_says(subgroup, profile, expected):
    assert subgroup_match(subgroup, profile) == expected


def test_every_subgroup_of_the_vocabulary_is_read():
    """A subgroup the board cannot place the patient in is a TAP score (the profile gives a CPS): any other
    value added to the schema must be matched here, or this fails."""
    profiles = [
        P(her2, cps, agency)
        for her2 in ("ihc3", "ihc2-ish-pos", "ihc2-ish-neg")
        for cps in (0, 5, 50)
        for agency in ("FDA", "EMA", "PMDA", "NMPA")
    ]
    for subgroup in schema.enum("outcomes", "subgroup"):
        if "TAP" in subgroup:
            continue
        assert any(subgroup_match(subgroup, p) for p in profiles), subgroup


@pytest.mark.parametrize(
    ("agency", "regions"),
    [
        ("NMPA", {"China", "Asia"}),
        ("PMDA", {"Japan", "Asia"}),
        ("EMA", {"Europe", "Western (Europe, North America, Australia)", "rest of world"}),
        ("FDA", {"North America", "Western (Europe, North America, Australia)", "rest of world"}),
    ],
)
def test_agency_regions(agency, regions):
    assert agency_regions(agency) == regions


RULE = {"evidence_trial_ids": "jacob;gatsby", "evidence_population": None}


@pytest.mark.parametrize(
    ("profile", "matched"),
    [
        (Profile("1L", "ihc3", None, (), "NMPA"), {"region: China", "HER2 IHC 3+"}),
        (Profile("1L", "ihc3", None, (), "PMDA"), {"region: Japan", "HER2 IHC 3+"}),
        (Profile("1L", "ihc2-ish-pos", None, (), "FDA"), {"HER2 IHC 2+/ISH+"}),
        (Profile("1L", "ihc3", None, (), "EMA"), {"HER2 IHC 3+"}),
    ],
)
def test_subgroups_matching_the_profile_follow_the_arms(landscape, profile, matched):
    positions = landscape.outcomes.groupby("trial_id", sort=False).indices
    records = evidence_for(landscape, RULE, positions, profile)
    subgroups = [r for r in records if r["place"] == SUBGROUP]
    assert {r["subgroup"] for r in subgroups} == matched
    assert all(r["matches"] for r in subgroups)
    for trial in ("jacob", "gatsby"):
        places = [r["place"] for r in records if r["trial_id"] == trial]
        assert places == sorted(places, key=PLACES.index), "arms, then subgroups, then other populations"
    matching = subgroups[0]
    assert f"(subgroup matching the profile: {matching['matches']})" in words.evidence_text(matching)


def test_the_figure_has_one_row_per_arm_and_folds_other_populations(landscape):
    result = build_board(landscape, Profile("2L", "ihc3", None, (T,), "FDA"))
    arms = arms_of(result.evidence_rows)
    mains = {(r["trial_id"], r["arm_id"]) for r in result.evidence_rows if r["place"] == MAIN}
    assert len(arms) == len(mains)
    assert [a.acronym for a in arms][:2] == ["DESTINY-Gastric04"] * 2
    dg04 = arms[0]
    assert dg04.orr == 44.3 and dg04.orr_borrowed, "DG04's ORR is of the response-evaluable population"
    assert dg04.os_hr.words == "0.70 (0.55-0.90)" and dg04.os_hr.has_95
    assert dg04.also and dg04.also[0].startswith("response-evaluable")
    dg01 = next(a for a in arms if a.acronym == "DESTINY-Gastric01" and a.arm_role == "experimental")
    assert dg01.orr == 40.5 and not dg01.orr_borrowed, "the ITT ORR of DG01 is the row's own"


def test_one_arm_with_endpoints_from_several_analyses_names_each(landscape):
    result = build_board(landscape, Profile("1L", "ihc3", 5, (), "FDA"))
    pembro = next(
        a for a in arms_of(result.evidence_rows) if a.acronym == "KEYNOTE-811" and a.arm_role == "experimental"
    )
    assert pembro.population == "PD-L1 CPS>=1" and pembro.os_hr.hr == 0.79 and pembro.n == 298
    assert pembro.analyses == "final analysis", "ORR, PFS and OS of the final analysis, the update adds none"


@pytest.mark.parametrize(
    ("profile", "approval", "expected"),
    [
        (
            Profile("2L", "ihc3", None, (T,), "FDA"),
            "fda_trastuzumab_deruxtecan_2021",
            "DESTINY-Gastric04 (Phase 3, 2L), ITT, vs Ramucirumab + paclitaxel: OS HR 0.70 (95% CI 0.55-0.90); "
            "median OS 14.7 vs 11.4 months",
        ),
        (
            Profile("1L", "ihc3", 5, (), "FDA"),
            "fda_trastuzumab_2010",
            "ToGA (Phase 3, 1L), treated population, vs Cisplatin + capecitabine or 5-FU: OS HR 0.74 (95% CI "
            "0.60-0.91); median OS 13.8 vs 11.1 months",
        ),
        (
            Profile("3L+", "ihc3", None, (T,), "NMPA"),
            "nmpa_disitamab_vedotin_2021",
            "RC48-C008 (Phase 2, 3L+), ITT, single arm: median OS 7.9 months; ORR 24.8%",
        ),
        (
            Profile("2L", "ihc3", None, (T,), "FDA"),
            "fda_trastuzumab_deruxtecan_2024_pantumor",
            words.NO_EVIDENCE_RECORDED,
        ),
    ],
)
def test_one_line_of_evidence_per_option(landscape, profile, approval, expected):
    assert words.evidence_summary(option(build_board(landscape, profile), approval)) == expected


def test_the_outline_heads_each_trial_and_indents_other_populations(landscape):
    result = build_board(landscape, Profile("2L", "ihc3", None, (T,), "FDA"))
    outline = words.evidence_outline(result.evidence_rows, "2L")
    headings = [t for level, t in outline if level == 0]
    assert headings == [
        "DESTINY-Gastric04 · Phase 3 · 2L: the trial behind the approval for 2L",
        "DESTINY-Gastric01 · Phase 2 · 3L+ (Japan, South Korea): another line than the patient's 2L, supporting "
        "evidence",
    ]
    assert [level for level, _ in outline].count(1) == sum(r["place"] != OTHER for r in result.evidence_rows)
    assert [level for level, _ in outline].count(2) == sum(r["place"] == OTHER for r in result.evidence_rows)


def test_the_readme_documents_where_each_evidence_record_sits(landscape):
    """The JSON contract: the keys that place a record, and their values, are documented for analysts."""
    from tests.conftest import ROOT

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    record = build_board(landscape, Profile("2L", "ihc3", None, (T,), "FDA")).to_json()["approved"][0]["evidence"][0]
    documented = ("place", "matches", "lead", "for_line", "trial_countries", "trial_regions", "pfs_hr", "os_hr")
    assert set(documented) <= set(record)
    for key in (*documented, "hr_ci_level", *PLACES):
        assert f"`{key}`" in readme, key
