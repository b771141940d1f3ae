"""The tumour-board rules, table-driven from the labels and trial criteria in eligibility.csv: for each
profile the options that must fit, the ones that must not (with the reason given), and the trials."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from landscape import vocab as facts
from landscape.board import profile as board_profile
from landscape.board import words
from landscape.board.engine import build_board
from landscape.board.profile import Profile, ProfileError, Vocabulary, link_query, read_link
from landscape.load import load_tables
from landscape.model import build_landscape
from tests.conftest import first_row_where, set_cell

T, TDXD = "trastuzumab", "trastuzumab_deruxtecan"
FP_PLATINUM = ("trastuzumab", "oxaliplatin", "capecitabine")
XELOX = ("trastuzumab_xelox",)  # the regimen: trastuzumab, capecitabine, oxaliplatin
THIRD_LINE = ("trastuzumab_xelox", "ramucirumab_paclitaxel")
FITS, UNDETERMINED, UNFIT = "fits", "not determined", "does not fit"


def every_option(result) -> dict:
    """Every approval the board read, by id: each card and the other approvals noted on it."""
    return {o.approval_id: o for card in result.approved for o in (card, *card.other_approvals)}


# profile -> approval -> (verdict, a fragment of its first reason, or None)
OPTION_CASES = [
    (
        Profile("1L", "ihc3", 5, (), "FDA"),
        {
            "fda_pembrolizumab_2025": (FITS, None),
            "fda_trastuzumab_2010": (FITS, None),
            "fda_trastuzumab_deruxtecan_2021": (UNFIT, "covers 2L, 3L+; patient is 1L"),
        },
    ),
    (Profile("1L", "ihc3", 1, (), "FDA"), {"fda_pembrolizumab_2025": (FITS, None)}),
    (
        Profile("1L", "ihc3", 0, (), "FDA"),
        {
            "fda_trastuzumab_2010": (FITS, None),
            "fda_pembrolizumab_2025": (UNFIT, "restricted to PD-L1 CPS >= 1; patient CPS 0"),
        },
    ),
    (Profile("1L", "ihc3", 0.5, (), "FDA"), {"fda_pembrolizumab_2025": (UNFIT, "patient CPS 0.5")}),
    (
        Profile("1L", "ihc3", None, (), "FDA"),
        {"fda_trastuzumab_2010": (FITS, None), "fda_pembrolizumab_2025": (UNDETERMINED, "PD-L1 CPS unknown")},
    ),
    (
        Profile("1L", "ihc0", 10, (), "FDA"),
        {
            "fda_trastuzumab_2010": (UNFIT, "patient HER2 IHC 0"),
            "fda_pembrolizumab_2025": (UNFIT, "patient HER2 IHC 0"),
            "fda_pembrolizumab_2025_her2neg_cps1": (FITS, None),
        },
    ),
    (
        Profile("1L", "unknown", 10, (), "FDA"),
        {
            "fda_trastuzumab_2010": (UNDETERMINED, "HER2 status unknown"),
            "fda_pembrolizumab_2025": (UNDETERMINED, "test HER2"),
        },
    ),
    (
        Profile("2L", "ihc3", None, (T,), "FDA"),
        {
            "fda_trastuzumab_deruxtecan_2021": (FITS, None),
            "fda_trastuzumab_deruxtecan_2024_pantumor": (FITS, None),
            "fda_trastuzumab_2010": (UNFIT, "covers 1L; patient is 2L"),
            "fda_ramucirumab_2014": (
                UNDETERMINED,
                "enter whether the patient received a fluoropyrimidine or a platinum",
            ),
            "fda_ramucirumab_2014_mono": (UNDETERMINED, "received a fluoropyrimidine or a platinum"),
            "fda_trifluridine_tipiracil_2019": (UNFIT, "covers 3L+; patient is 2L"),
        },
    ),
    (
        Profile("2L", "ihc3", None, XELOX, "FDA"),
        {
            "fda_trastuzumab_deruxtecan_2021": (FITS, None),
            "fda_ramucirumab_2014": (FITS, None),
            "fda_ramucirumab_2014_mono": (FITS, None),
        },
    ),
    (
        Profile("2L", "ihc3", None, (), "FDA"),
        {
            "fda_trastuzumab_deruxtecan_2024_pantumor": (FITS, None),
            "fda_trastuzumab_deruxtecan_2021": (UNDETERMINED, "enter whether the patient received Trastuzumab"),
        },
    ),
    (
        Profile("2L", "ihc2-ish-pos", None, (T,), "FDA"),
        {
            "fda_trastuzumab_deruxtecan_2021": (FITS, None),
            "fda_trastuzumab_deruxtecan_2024_pantumor": (UNFIT, "requires HER2 IHC 3+; patient HER2 IHC 2+/ISH+"),
        },
    ),
    (
        Profile("2L", "ihc0", None, ("fluorouracil",), "FDA"),
        {"fda_ramucirumab_2014": (FITS, None), "fda_trastuzumab_deruxtecan_2021": (UNFIT, "patient HER2 IHC 0")},
    ),
    (
        Profile("3L+", "ihc3", None, THIRD_LINE, "FDA"),
        {
            "fda_trastuzumab_deruxtecan_2021": (FITS, None),
            "fda_ramucirumab_2014": (FITS, None),
            "fda_trifluridine_tipiracil_2019": (FITS, None),
            "fda_pembrolizumab_2025": (UNFIT, "covers 1L"),
        },
    ),
    (
        Profile("3L+", "ihc3", None, (T, TDXD, "cisplatin"), "FDA"),
        {"fda_trifluridine_tipiracil_2019": (UNDETERMINED, "enter whether the patient received a fluoropyrimidine")},
    ),
    (
        Profile("1L", "ihc3", 10, (), "EMA"),
        {
            "ema_pembrolizumab_2023": (FITS, None),
            "ema_trastuzumab_2010": (FITS, None),
            "ema_trastuzumab_deruxtecan_2022": (UNFIT, "patient is 1L"),
        },
    ),
    (
        Profile("1L", "ihc1", 10, (), "EMA"),
        {"ema_pembrolizumab_2023": (UNFIT, "patient HER2 IHC 1+"), "ema_trastuzumab_2010": (UNFIT, "IHC 1+")},
    ),
    (
        Profile("2L", "ihc3", None, (T, "cisplatin"), "EMA"),
        {
            "ema_trastuzumab_deruxtecan_2022": (FITS, None),
            "ema_ramucirumab_2014": (UNDETERMINED, "enter whether the patient received a fluoropyrimidine"),
        },
    ),
    (
        Profile("3L+", "ihc2-ish-neg", None, THIRD_LINE, "EMA"),
        {
            "ema_trifluridine_tipiracil_2019": (FITS, None),
            "ema_ramucirumab_2014": (FITS, None),
            "ema_trastuzumab_deruxtecan_2022": (UNFIT, "patient HER2 IHC 2+/ISH-"),
        },
    ),
    (
        Profile("1L", "ihc3", 3, (), "PMDA"),
        {
            "pmda_trastuzumab_2011": (FITS, None),
            "pmda_pembrolizumab_2025": (FITS, None),
            "pmda_trastuzumab_deruxtecan_2020": (UNFIT, "covers 3L+"),
        },
    ),
    (Profile("1L", "ihc3", 0, (), "PMDA"), {"pmda_pembrolizumab_2025": (UNFIT, "patient CPS 0")}),
    (
        Profile("2L", "ihc3", None, (T,), "PMDA"),
        {
            "pmda_ramucirumab_2015": (FITS, None),
            "pmda_trastuzumab_deruxtecan_2020": (UNFIT, "covers 3L+; patient is 2L"),
            "pmda_nivolumab_2017": (UNFIT, "covers 3L+; patient is 2L"),
        },
    ),
    (
        Profile("3L+", "ihc3", None, (T,), "PMDA"),
        {
            "pmda_trastuzumab_deruxtecan_2020": (FITS, None),
            "pmda_ramucirumab_2015": (FITS, None),
            "pmda_nivolumab_2017": (FITS, None),
            "pmda_trifluridine_tipiracil_2019": (FITS, None),
            "pmda_trastuzumab_2011": (UNFIT, "covers 1L"),
        },
    ),
    (
        Profile("1L", "ihc3", 2, (), "NMPA"),
        {
            "nmpa_pembrolizumab_2024": (FITS, None),
            "nmpa_trastuzumab_2012": (FITS, None),
            "nmpa_ramucirumab_2022": (UNFIT, "covers 2L; patient is 1L"),
        },
    ),
    (
        Profile("2L", "ihc3", None, (T,), "NMPA"),
        {
            "nmpa_trastuzumab_deruxtecan_2026": (FITS, None),
            "nmpa_ramucirumab_2022": (FITS, None),
            "nmpa_trastuzumab_deruxtecan_2024": (UNFIT, "covers 3L+"),
            "nmpa_disitamab_vedotin_2021": (UNFIT, "covers 3L+"),
            "nmpa_apatinib_2014": (UNFIT, "covers 3L+"),
        },
    ),
    (
        Profile("3L+", "ihc2-ish-neg", None, (), "NMPA"),
        {
            "nmpa_disitamab_vedotin_2021": (FITS, None),
            "nmpa_nivolumab_2020": (FITS, None),
            "nmpa_apatinib_2014": (FITS, None),
            "nmpa_trastuzumab_deruxtecan_2024": (
                UNFIT,
                "requires HER2 IHC 3+ or IHC 2+/ISH+; patient HER2 IHC 2+/ISH-",
            ),
            "nmpa_ramucirumab_2022": (UNFIT, "covers 2L; patient is 3L+"),
        },
    ),
    (
        Profile("3L+", "ihc3", None, (T, TDXD), "NMPA"),
        {
            "nmpa_trastuzumab_deruxtecan_2024": (FITS, None),
            "nmpa_trastuzumab_deruxtecan_2026": (FITS, None),
            "nmpa_disitamab_vedotin_2021": (FITS, None),
        },
    ),
    (Profile("3L+", "ihc1", None, (T,), "NMPA"), {"nmpa_disitamab_vedotin_2021": (UNFIT, "patient HER2 IHC 1+")}),
]


def _ids(case) -> str:
    p = case[0]
    return f"{p.agency}-{p.line}-{p.her2}-cps{p.cps}-{'+'.join(p.prior) or 'noprior'}"


@pytest.mark.parametrize(("profile", "expected"), OPTION_CASES, ids=[_ids(c) for c in OPTION_CASES])
def test_approved_options_fit_by_the_label(landscape, profile, expected):
    result = build_board(landscape, profile)
    options = every_option(result)
    assert {o.agency for o in options.values()} == {profile.agency}
    for approval_id, (verdict, reason) in expected.items():
        option = options[approval_id]
        assert option.verdict == verdict, (approval_id, option.verdict, option.reasons)
        if reason:
            assert reason in option.reasons[0], (approval_id, option.reasons)
    for option in result.fitting:
        assert option.summary.startswith(f"fits: {option.agency} {option.approval_date} label")


def _rules_of(landscape, agency: str) -> set[str]:
    approvals = landscape.approvals.set_index("approval_id")["agency"]
    ids = landscape.eligibility["approval_id"].dropna()
    return {a for a in ids if approvals[a] == agency}


@pytest.mark.parametrize("agency", board_profile.AGENCIES)
@pytest.mark.parametrize("line", board_profile.LINES)
def test_every_approval_of_the_agency_is_on_the_board_once_sourced_and_labelled(landscape, agency, line):
    """No silent drops: each approval with fit rules is a card, a note on its drug's card, or superseded."""
    prior = {"1L": (), "2L": XELOX, "3L+": THIRD_LINE}[line]
    result = build_board(landscape, Profile(line, "ihc3", 5, prior, agency))
    shown = [o.approval_id for card in result.approved for o in (card, *card.other_approvals)]
    assert sorted(shown) == sorted(_rules_of(landscape, agency))
    her2_agents = set(landscape.agents.loc[landscape.agents["her2_directed"].fillna(False).astype(bool), "agent_id"])
    drugs = [tuple(sorted(o.agent_ids)) for o in result.approved if o.verdict != "superseded"]
    assert len(drugs) == len(set(drugs)), "one card per drug"
    for card in result.approved:
        for option in (card, *card.other_approvals):
            assert option.reasons and option.label_source_ids
            assert option.verdict in words.OPTION_VERDICTS
            assert option.fits == (option.verdict == "fits")
            assert option.her2_directed == bool(set(option.agent_ids) & her2_agents)
            assert (words.NOT_HER2_DIRECTED in words.option_tags(option)) == (not option.her2_directed)
        assert set(card.label_source_ids) >= {s for o in card.other_approvals for s in o.label_source_ids}


# agency, line -> the current approvals, HER2-directed or not, a HER2-positive patient (IHC 3+, PD-L1 CPS 5, the
# standard regimens before) can receive in that line
STANDARDS = {
    ("FDA", "1L"): {"fda_trastuzumab_2010", "fda_pembrolizumab_2025"},
    ("FDA", "2L"): {
        "fda_trastuzumab_deruxtecan_2021",
        "fda_trastuzumab_deruxtecan_2024_pantumor",
        "fda_ramucirumab_2014",
        "fda_ramucirumab_2014_mono",
    },
    ("FDA", "3L+"): {
        "fda_trastuzumab_deruxtecan_2021",
        "fda_trastuzumab_deruxtecan_2024_pantumor",
        "fda_ramucirumab_2014",
        "fda_ramucirumab_2014_mono",
        "fda_trifluridine_tipiracil_2019",
    },
    ("EMA", "1L"): {"ema_trastuzumab_2010", "ema_pembrolizumab_2023"},
    ("EMA", "2L"): {"ema_trastuzumab_deruxtecan_2022", "ema_ramucirumab_2014"},
    ("EMA", "3L+"): {"ema_trastuzumab_deruxtecan_2022", "ema_ramucirumab_2014", "ema_trifluridine_tipiracil_2019"},
    ("PMDA", "1L"): {"pmda_trastuzumab_2011", "pmda_pembrolizumab_2025"},
    ("PMDA", "2L"): {"pmda_ramucirumab_2015"},
    ("PMDA", "3L+"): {
        "pmda_trastuzumab_deruxtecan_2020",
        "pmda_ramucirumab_2015",
        "pmda_trifluridine_tipiracil_2019",
        "pmda_nivolumab_2017",
    },
    ("NMPA", "1L"): {"nmpa_trastuzumab_2012", "nmpa_pembrolizumab_2024"},
    ("NMPA", "2L"): {"nmpa_trastuzumab_deruxtecan_2026", "nmpa_ramucirumab_2022"},
    ("NMPA", "3L+"): {
        "nmpa_trastuzumab_deruxtecan_2024",
        "nmpa_trastuzumab_deruxtecan_2026",
        "nmpa_disitamab_vedotin_2021",
        "nmpa_nivolumab_2020",
        "nmpa_apatinib_2014",
    },
}


@pytest.mark.parametrize(("agency", "line"), list(STANDARDS), ids=[f"{a}-{line}" for a, line in STANDARDS])
def test_a_profile_per_agency_and_line_gets_every_standard_of_the_line(landscape, agency, line):
    prior = {"1L": (), "2L": XELOX, "3L+": THIRD_LINE}[line]
    result = build_board(landscape, Profile(line, "ihc3", 5, prior, agency))
    fitting = {a for a, o in every_option(result).items() if o.fits}
    assert fitting == STANDARDS[agency, line]


def test_patient_a_2l_after_trastuzumab_on_fda_labels(landscape):
    """Only "trastuzumab" entered: ramucirumab is not determined (enter the fluoropyrimidine or platinum), not
    "does not fit"; entered as the regimen, it fits."""
    result = build_board(landscape, Profile("2L", "ihc3", None, (T,), "FDA"))
    ram = next(o for o in result.approved if o.agent_ids == ("ramucirumab",))
    assert ram.verdict == "not determined" and not ram.her2_directed
    assert ram.reasons[0] == (
        "enter whether the patient received a fluoropyrimidine or a platinum (required by the FDA 2014-11-05 label)"
    )
    assert [o.approval_id for o in ram.other_approvals] == ["fda_ramucirumab_2014_mono"]
    assert ram.other_approvals[0].verdict == "not determined"
    assert "does not fit" not in " ".join(words.option_details(ram))
    regimen = build_board(landscape, Profile("2L", "ihc3", None, XELOX, "FDA"))
    ram = next(o for o in regimen.approved if o.agent_ids == ("ramucirumab",))
    assert ram.fits and "prior capecitabine, oxaliplatin (a fluoropyrimidine or a platinum required)" in ram.reasons


def test_patient_b_3l_ihc2_ish_negative_on_nmpa_labels(landscape):
    result = build_board(landscape, Profile("3L+", "ihc2-ish-neg", None, (), "NMPA"))
    fitting = [o.approval_id for o in result.fitting]
    assert fitting == ["nmpa_disitamab_vedotin_2021", "nmpa_nivolumab_2020", "nmpa_apatinib_2014"]
    assert [o.her2_directed for o in result.fitting] == [True, False, False]
    trials = {t.trial_id: t for t in result.trials}
    dg03 = trials["destiny_gastric03"]
    assert dg03.verdict == "does not fit" and dg03.reasons == ("the trial covers 1L; patient is 3L+",)
    assert "first line" in (dg03.cohort or "")
    assert not [t for t in result.trials if t.verdict == "nearly fits"]
    missing = {t.trial_id: t for t in result.not_assessed}
    assert "rc48_c007" in missing and missing["rc48_c007"].acronym == "RC48-C007"
    assert missing["rc48_c007"].reason.startswith("eligibility criteria not recorded; status not recorded")


def test_patient_c_2l_ihc3_on_fda_labels(landscape):
    """One trastuzumab deruxtecan card, the tumour-agnostic approval a note on it; the first-line pembrolizumab
    card gives the line mismatch and nothing after it (no "test PD-L1")."""
    result = build_board(landscape, Profile("2L", "ihc3", None, (T,), "FDA"))
    tdxd = [o for o in result.approved if o.agent_ids == (TDXD,)]
    assert len(tdxd) == 1 and tdxd[0].approval_id == "fda_trastuzumab_deruxtecan_2021" and tdxd[0].fits
    note = [d for d in words.option_details(tdxd[0]) if d.startswith("Also approved")]
    assert note == [
        "Also approved: Fam-trastuzumab deruxtecan-nxki monotherapy (FDA 2024-04-05 label, 2L, 3L+; tumour-agnostic "
        "(HER2-positive IHC 3+ solid tumours); accelerated): fits"
    ]
    assert "news_maestro_2024_fda_tdxd_pantumor" in tdxd[0].source_ids
    pembro = next(o for o in result.approved if o.approval_id == "fda_pembrolizumab_2025")
    assert pembro.verdict == "does not fit"
    assert pembro.reasons == ("the FDA 2025-03-19 label covers 1L; patient is 2L",)
    assert pembro.summary == "does not fit: the FDA 2025-03-19 label covers 1L; patient is 2L"


@pytest.mark.parametrize(
    "profile",
    [Profile("2L", "ihc3", None, (T,), "FDA"), Profile("3L+", "ihc2-ish-neg", None, (), "NMPA"), Profile()],
    ids=["fda-2l", "nmpa-3l", "default"],
)
def test_no_reason_is_printed_twice(landscape, profile):
    result = build_board(landscape, profile)
    for option in result.approved:
        details = words.option_details(option)
        assert len(details) == len(set(details)), details
        assert not [d for d in details for tag in words.option_tags(option) if d.startswith(tag)], "tagged twice"
    for trial in result.trials:
        details = words.trial_details(trial)
        assert len(details) == len(set(details)), details
        if trial.cohort:
            assert words.trial_not_fitting(trial).count(trial.cohort) == 1, "the cohort named twice"


def test_tumour_agnostic_leads_only_when_the_gastric_label_does_not_fit(landscape):
    result = build_board(landscape, Profile("2L", "ihc3", None, (), "FDA"))
    tdxd = next(o for o in result.approved if o.agent_ids == (TDXD,))
    assert tdxd.approval_id == "fda_trastuzumab_deruxtecan_2024_pantumor" and tdxd.fits
    assert words.TUMOUR_AGNOSTIC in words.option_tags(tdxd)
    assert [o.approval_id for o in tdxd.other_approvals] == ["fda_trastuzumab_deruxtecan_2021"]


def test_the_approval_for_the_line_alone_leads_its_drug_card(landscape):
    result = build_board(landscape, Profile("3L+", "ihc3", None, (T,), "NMPA"))
    tdxd = next(o for o in result.approved if o.agent_ids == (TDXD,))
    assert tdxd.approval_id == "nmpa_trastuzumab_deruxtecan_2024" and tdxd.lines == "3L+"
    assert [o.approval_id for o in tdxd.other_approvals] == ["nmpa_trastuzumab_deruxtecan_2026"]


def test_superseded_indications_are_marked_not_offered(landscape):
    result = build_board(landscape, Profile("1L", "ihc3", 5, (), "FDA"))
    verdicts = {o.approval_id: o for o in result.approved}
    assert verdicts["fda_pembrolizumab_2021"].verdict == "superseded"
    assert verdicts["fda_pembrolizumab_2023_cps1"].verdict == "superseded"
    assert "superseded on 2023-11-07" in verdicts["fda_pembrolizumab_2021"].reasons[0]
    assert not verdicts["fda_pembrolizumab_2021"].fits
    assert {o.verdict for o in result.approved[-4:]} == {"superseded"}


def test_a_criterion_the_source_does_not_state_is_not_recorded_never_guessed(landscape):
    option = {o.approval_id: o for o in build_board(landscape, Profile("1L", "ihc3", 5, (), "FDA")).approved}[
        "fda_zanidatamab_2026"
    ]
    assert option.verdict == "not determined" and not option.fits
    assert option.reasons[0] == "PD-L1 requirement not recorded for the FDA 2026-08-25 label: check the source"
    assert option.evidence == ()


def test_blank_line_in_the_data_makes_the_option_not_determined(data_copy):
    index = first_row_where(data_copy, "eligibility", approval_id="fda_trastuzumab_2010")
    set_cell(data_copy, "eligibility", index, "lines", "")
    landscape = build_landscape(load_tables(data_copy).tables)
    option = {o.approval_id: o for o in build_board(landscape, Profile("1L", "ihc3", 5, (), "FDA")).approved}[
        "fda_trastuzumab_2010"
    ]
    assert option.verdict == "not determined"
    assert "line of therapy not recorded for the FDA 2010-10-20 label: check the source" in option.reasons


def test_prior_regimens_are_counted_against_the_line(data_copy):
    """A label "after at least three regimens" is unknown for 3L+ (at least two) and does not fit 2L."""
    index = first_row_where(data_copy, "eligibility", approval_id="nmpa_apatinib_2014")
    set_cell(data_copy, "eligibility", index, "prior_lines_min", "3")
    landscape = build_landscape(load_tables(data_copy).tables)
    third = every_option(build_board(landscape, Profile("3L+", "ihc3", None, (), "NMPA")))["nmpa_apatinib_2014"]
    assert third.verdict == "not determined" and "check the number of prior regimens" in third.reasons[0]
    set_cell(data_copy, "eligibility", index, "lines", "2L;3L+")
    landscape = build_landscape(load_tables(data_copy).tables)
    second = every_option(build_board(landscape, Profile("2L", "ihc3", None, (), "NMPA")))["nmpa_apatinib_2014"]
    assert second.verdict == "does not fit"
    assert second.reasons[0] == "the NMPA 2014-11 label requires at least 3 prior regimens; 2L: 1 prior regimen"


def test_ramucirumab_is_an_option_labelled_not_her2_directed(landscape):
    result = build_board(landscape, Profile("2L", "ihc3", None, FP_PLATINUM, "FDA"))
    ram = {o.approval_id: o for o in result.approved}["fda_ramucirumab_2014"]
    assert ram.fits and not ram.her2_directed
    assert words.NOT_HER2_DIRECTED in words.option_heading(ram)[1]
    order = [o.approval_id for o in result.fitting]
    assert order.index("fda_trastuzumab_deruxtecan_2021") < order.index("fda_ramucirumab_2014")


def test_evidence_is_the_pivotal_trial_in_the_matching_population(landscape):
    result = build_board(landscape, Profile("1L", "ihc3", 5, (), "FDA"))
    pembro = {o.approval_id: o for o in result.approved}["fda_pembrolizumab_2025"]
    main = [r for r in pembro.evidence if r["place"] == "main"]
    assert {r["population"] for r in main} == {"PD-L1 CPS>=1"}, "the arms in the label's population"
    assert {r["arm_role"] for r in main} == {"experimental", "control"}
    experimental = next(r for r in main if r["arm_role"] == "experimental")
    assert experimental["os_hr_ci"] == "0.79 (0.66-0.95)" and experimental["n"] == 298
    assert "OS HR 0.79 (0.66-0.95)" in words.evidence_text(experimental)
    assert result.cross_trial, "KEYNOTE-811 beside ToGA is a cross-trial comparison"
    assert pembro.source_ids[0] == "reg_fda_2025_pembro_her2_gastric"


def test_options_that_do_not_fit_carry_no_evidence(landscape):
    result = build_board(landscape, Profile("1L", "ihc3", 0, (), "FDA"))
    assert all(not o.evidence for o in result.approved if not o.fits)


# profile, trial -> (verdict, cohort fragment or None, first reason fragment or None)
TRIAL_CASES = [
    (
        Profile("1L", "ihc3", 5, (), "FDA"),
        {
            "destiny_gastric03": ("fits", "Parts 2, 3a, 4a", None),
            "destiny_gastric05": ("status not verified", "Main cohort", "not verified in the last 12 months"),
        },
    ),
    (Profile("1L", "ihc3", 0, (), "FDA"), {"destiny_gastric05": ("status not verified", "Exploratory cohort", None)}),
    (
        Profile("1L", "ihc3", None, (), "FDA"),
        {"destiny_gastric05": ("not determined", None, "PD-L1 CPS unknown; the trial requires")},
    ),
    (Profile("1L", "ihc1", None, (), "EMA"), {"destiny_gastric03": ("fits", "HER2-low", None)}),
    (Profile("1L", "ihc0", None, (), "EMA"), {"destiny_gastric03": ("does not fit", None, "patient HER2 IHC 0")}),
    (Profile("1L", "unknown", None, (), "EMA"), {"destiny_gastric03": ("nearly fits", None, "test HER2")}),
    (
        Profile("2L", "ihc3", None, (T,), "FDA"),
        {"destiny_gastric03": ("does not fit", "Part 1", "dose-escalation part")},
    ),
    (Profile("2L", "ihc3", None, (), "FDA"), {"destiny_gastric03": ("does not fit", "Part 1", "dose-escalation")}),
    (
        Profile("3L+", "ihc3", None, (T, TDXD), "NMPA"),
        {
            "destiny_gastric03": ("does not fit", "Part 1", "dose-escalation"),
            "her2_carm_06224738": ("status not verified", None, "status Not yet recruiting last stated 2024-01-25"),
        },
    ),
    (
        Profile("3L+", "ihc2-ish-neg", None, (), "NMPA"),
        {"destiny_gastric03": ("does not fit", "first line", "the trial covers 1L; patient is 3L+")},
    ),
    (
        Profile("1L", "ihc3", 5, (), "EMA", ("DE",)),
        {
            "destiny_gastric03": ("does not fit", None, "countries not recorded: check"),
            "destiny_gastric05": ("status not verified", "Main cohort", None),
        },
    ),
]


@pytest.mark.parametrize(("profile", "expected"), TRIAL_CASES, ids=[_ids(c) for c in TRIAL_CASES])
def test_trials_fit_nearly_fit_or_do_not(landscape, profile, expected):
    trials = {t.trial_id: t for t in build_board(landscape, profile).trials}
    for trial_id, want in expected.items():
        verdict, cohort, first = want
        assert trial_id in trials, f"{trial_id} missing from {sorted(trials)}"
        trial = trials[trial_id]
        assert trial.verdict == verdict, (trial_id, trial.verdict, trial.reasons)
        if cohort:
            assert cohort in (trial.cohort or "")
        if first:
            assert first in trial.reasons[0], trial.reasons
        assert trial.fits == (verdict == "fits")
        assert (trial.excluding is not None) == (verdict == "nearly fits")


def test_a_line_mismatch_or_a_dose_escalation_part_never_nearly_fits(landscape):
    for line in board_profile.LINES:
        for her2 in board_profile.HER2_CHOICES:
            for trial in build_board(landscape, Profile(line, her2, None, (T,), "FDA")).trials:
                if trial.verdict == "nearly fits":
                    assert trial_line_fits(trial, line) and "dose escalation" not in (trial.cohort or "")


def trial_line_fits(trial, line) -> bool:
    return not any("patient is" in r and "covers" in r for r in trial.reasons)


def test_a_trial_whose_results_closed_enrolment_is_never_offered(landscape):
    """HERIZON-GEA-01's registry record (2024) still says recruiting; its results and actual enrolment say
    otherwise, and the board follows the evidence. Nor does a trial whose last stated status is closed appear."""
    trials = landscape.trials
    closed = set(
        trials.loc[
            [facts.closed_to_enrolment(g, s) for g, s in zip(trials["status_group"], trials["status"], strict=True)],
            "trial_id",
        ]
    )
    assert {"herizon_gea_01", "destiny_gastric04", "keynote_811"} <= closed
    for line in ("1L", "2L", "3L+"):
        result = build_board(landscape, Profile(line, "ihc3", 5, (), "FDA"))
        listed = {t.trial_id for t in result.trials} | {t.trial_id for t in result.not_assessed}
        assert not listed & closed, (line, listed & closed)


def test_every_trial_of_the_line_that_may_enrol_is_assessed_or_listed_as_not_assessed(landscape):
    trials = landscape.trials
    with_rules = set(landscape.eligibility["trial_id"].dropna())
    for line in board_profile.LINES:
        result = build_board(landscape, Profile(line, "ihc3", 5, (), "FDA"))
        in_line = {
            t.trial_id
            for t in trials.itertuples(index=False)
            if line in facts.expand_line(t.line_of_therapy) and not facts.closed_to_enrolment(t.status_group, t.status)
        }
        assessed = {t.trial_id for t in result.trials}
        missing = {t.trial_id for t in result.not_assessed}
        assert in_line & with_rules <= assessed
        assert missing == in_line - with_rules, line
        assert all(t.reason.startswith("eligibility criteria not recorded; ") for t in result.not_assessed)


def test_only_a_verified_open_status_counts_as_open(landscape):
    result = build_board(landscape, Profile("1L", "ihc3", 5, (), "FDA"))
    for trial in result.trials:
        if trial.verdict in {"fits", "nearly fits"}:
            assert trial.status_group == "open"
        elif trial.verdict != "does not fit":
            assert trial.status_group != "open"
            assert any("check the registry" in r for r in trial.reasons)
    assert "keynote_811" not in {t.trial_id for t in result.trials}, "active, not recruiting is not open"
    assert {t.trial_id: t.verdict for t in result.trials}["neoart"] == "does not fit", "perioperative"


def test_countries_say_where_a_trial_enrols(landscape):
    trials = {
        t.trial_id: t for t in build_board(landscape, Profile("2L", "ihc3", None, (T,), "FDA", ("US", "CA"))).trials
    }
    carm = trials["her2_carm_06224738"]
    assert carm.in_countries is False and carm.verdict == "does not fit"
    assert carm.reasons[0] == "no recorded site in US, CA (enrols in CN)"
    trials = {t.trial_id: t for t in build_board(landscape, Profile("1L", "ihc3", 5, (), "FDA", ("US",))).trials}
    assert trials["destiny_gastric05"].in_countries is True
    assert trials["destiny_gastric03"].in_countries is None and trials["destiny_gastric03"].verdict == "does not fit"
    assert trials["destiny_gastric03"].reasons[0] == "countries not recorded: check the registry for sites in US"
    trials = {t.trial_id: t for t in build_board(landscape, Profile("1L", "ihc3", 5, (), "FDA")).trials}
    assert trials["destiny_gastric03"].verdict == "fits"
    assert "enrolling countries not recorded" in trials["destiny_gastric03"].reasons


def test_changes_since_a_date(landscape):
    result = build_board(landscape, Profile("1L", "ihc3", 5, (), "FDA", since="2026-01-01"))
    texts = [(c.date, c.kind) for c in result.changes]
    assert ("2026-08-25", "approval") in texts and ("2026-01-22", "approval") in texts
    assert all(c.date >= "2026" for c in result.changes)
    assert [c.date for c in result.changes] == sorted((c.date for c in result.changes), reverse=True)
    default = build_board(landscape, Profile("1L", "ihc3", 5, (), "FDA"))
    month_before = (dt.date.fromisoformat(landscape.as_of) - dt.timedelta(days=30)).isoformat()
    assert default.since == month_before
    assert all(c.date >= month_before or c.imprecise for c in default.changes)


@pytest.fixture(scope="module")
def vocab(landscape):
    return Vocabulary.of(landscape)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("line", "4L"),
        ("her2", "positive"),
        ("cps", "five"),
        ("cps", "-1"),
        ("cps", "101"),
        ("cps", "nan"),
        ("agency", "WHO"),
        ("prior", "nosuchdrug"),
        ("countries", "USA"),
        ("since", "2026-02-30"),
        ("since", "2099-01-01"),
        ("since", "1999-12-31"),
    ],
)
def test_bad_values_name_their_field(vocab, field, value):
    with pytest.raises(ProfileError) as err:
        board_profile.profile_from_flags({field: value}, vocab)
    assert err.value.param == field


@pytest.mark.parametrize(
    ("typed", "entered", "agents"),
    [
        ("Trastuzumab + XELOX", ("trastuzumab_xelox",), (T, "capecitabine", "oxaliplatin")),
        ("trastuzumab+capox", ("trastuzumab_xelox",), (T, "capecitabine", "oxaliplatin")),
        ("TRASTUZUMAB + FOLFOX", ("trastuzumab_folfox",), (T, "fluorouracil", "leucovorin", "oxaliplatin")),
        (
            "pembrolizumab_trastuzumab_cf",
            ("pembrolizumab_trastuzumab_cf",),
            ("pembrolizumab", T, "cisplatin", "fluorouracil"),
        ),
        ("Trastuzumab + SOX,paclitaxel", ("trastuzumab_sox", "paclitaxel"), (T, "s1", "oxaliplatin", "paclitaxel")),
    ],
)
def test_prior_accepts_regimens_that_count_as_their_agents(vocab, typed, entered, agents):
    profile = board_profile.profile_from_flags({"prior": typed}, vocab)
    assert profile.prior == entered and profile.prior_agents == agents


def test_prior_accepts_ids_names_and_aliases(vocab):
    assert board_profile.profile_from_flags({"prior": "T-DXd,Herceptin,keytruda"}, vocab).prior == (
        TDXD,
        T,
        "pembrolizumab",
    )
    with pytest.raises(ProfileError, match="prior: nosuchdrug"):
        board_profile.profile_from_flags({"prior": "nosuchdrug"}, vocab)


def test_profile_round_trips_through_the_link(vocab):
    profile = Profile("2L", "ihc2-ish-pos", 5.5, (T, "cisplatin"), "PMDA", ("JP", "KR"), "2026-06-01")
    reading = read_link(link_query(profile, vocab, present=True), vocab)
    assert reading.profile == profile and reading.present and reading.notice is None and reading.canonical
    assert board_profile.board_link(profile, vocab, "https://board.example/").startswith(
        "https://board.example/board?b_line=2L&b_her2=IHC+2%2B%2FISH%2B&b_cps=5.5&b_prior=Trastuzumab"
    )


# A link carries each value as the bound widget shows it, and nothing for a default.
LINK_FORMS = [
    (Profile(), {}),
    (Profile(line="3L+", her2="ihc0"), {"b_line": ["3L+"], "b_her2": ["IHC 0"]}),
    (Profile(cps=5.0), {"b_cps": ["5"]}),
    (Profile(cps=0.5), {"b_cps": ["0.5"]}),
    (Profile(prior=(TDXD, T)), {"b_prior": ["Trastuzumab deruxtecan", "Trastuzumab"]}),
    (Profile(prior=("trastuzumab_xelox", "paclitaxel")), {"b_prior": ["Trastuzumab + XELOX (CAPOX)", "paclitaxel"]}),
    (Profile(agency="NMPA"), {"b_agency": ["NMPA"]}),
    (Profile(countries=("KR", "US")), {"b_countries": ["South Korea", "United States"]}),
    (Profile(since="2026-01-01"), {"b_since": ["2026-01-01"]}),
]


@pytest.mark.parametrize(("profile", "query"), LINK_FORMS)
def test_link_values_are_what_the_widgets_show(vocab, profile, query):
    assert link_query(profile, vocab) == query
    assert read_link(query, vocab).profile == profile


# A link in another form -> the profile, and the notice fragments (None: no notice); such a link is rewritten.
OTHER_FORMS = [
    ({"b_prior": ["trastuzumab", "T-DXd"]}, Profile(prior=(T, TDXD)), None),
    (
        {"b_prior": ["trastuzumab+xelox", "Trastuzumab + CF"]},
        Profile(prior=("trastuzumab_xelox", "trastuzumab_cf")),
        None,
    ),
    ({"b_her2": ["ihc1"], "b_countries": ["us", "Japan"]}, Profile(her2="ihc1", countries=("US", "JP")), None),
    ({"b_line": ["1L"], "b_agency": ["FDA"]}, Profile(), None),
    (
        {"line": ["2L"], "her2": ["ihc3"], "prior": ["trastuzumab,T-DXd"], "countries": ["US,CA"], "agency": ["EMA"]},
        Profile("2L", "ihc3", None, (T, TDXD), "EMA", ("US", "CA")),
        ["old parameter names", "line as b_line", "countries as b_countries"],
    ),
    ({"line": ["3L+"], "b_line": ["2L"]}, Profile(line="2L"), None),
    ({"b_line": ["4L"], "b_cps": ["lots"], "x": ["1"]}, Profile(), ['b_line: "4L"', 'b_cps: "lots"', "parameter: x"]),
    ({"line": ["4L"]}, Profile(), ["line as b_line", 'Ignored line: "4L" is not a line of therapy']),
    ({"present": ["yes"]}, Profile(), ['present: "yes" is not 0 or 1']),
]


@pytest.mark.parametrize(("params", "profile", "notice"), OTHER_FORMS)
def test_links_in_other_forms_are_read_and_rewritten(vocab, params, profile, notice):
    reading = read_link(params, vocab)
    assert reading.profile == profile and not reading.canonical
    assert reading.query == link_query(profile, vocab)
    if notice is None:
        assert reading.notice is None
    else:
        assert reading.notice is not None and all(fragment in reading.notice for fragment in notice), reading.notice


def test_json_shape(landscape):
    data = build_board(landscape, Profile("2L", "ihc3", None, (T,), "FDA")).to_json()
    assert {"profile", "as_of", "approved", "trials", "changes"} <= set(data)
    option = data["approved"][0]
    assert {"regimen", "agent_ids", "agency", "approval_id", "fits", "reasons", "evidence", "source_ids"} <= set(option)
    assert {"trial_id", "nct_id", "acronym", "fits", "reasons"} <= set(data["trials"][0])
    assert isinstance(option["fits"], bool)


def test_one_result_is_immutable_and_rebuilt_identically(landscape):
    profile = Profile("1L", "ihc3", 5, (), "FDA")
    first, second = build_board(landscape, profile), build_board(landscape, profile)
    assert first.to_json() == second.to_json()
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.profile = profile  # type: ignore[misc]


def test_a_label_change_reads_as_one(landscape):
    result = build_board(landscape, Profile("1L", "ihc3", 5, (), "FDA", since="2023-01-01"))
    assert ("2023-11-07", "label change") in [(c.date, c.kind) for c in result.changes]


def test_the_engine_reads_model_columns_not_filter_facets(landscape):
    """The board needs no filter facet (f_*): the same result from frames without them."""
    bare = dataclasses.replace(
        landscape,
        **{
            name: frame.drop(columns=[c for c in frame.columns if c.startswith("f_")])
            for name, frame in (("trials", landscape.trials), ("approvals", landscape.approvals))
        },
    )
    for profile in (Profile("1L", "ihc3", 5, (), "FDA"), Profile("2L", "ihc3", None, (T,), "NMPA", ("CN",))):
        assert build_board(bare, profile) == build_board(landscape, profile)


def test_the_engine_draws_nothing():
    import subprocess
    import sys

    code = "import sys, landscape.board.engine, landscape.board.cli; print('landscape.charts' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_page_takes_a_regimen_and_lists_what_it_did_not_assess():
    from tests.test_pages import board_texts, run_page

    at = run_page(
        "pages/board.py",
        {"b_line": "3L+", "b_her2": "IHC 2+/ISH-", "b_agency": "NMPA", "b_prior": "Trastuzumab + XELOX (CAPOX)"},
    )
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="b_prior").value == ["trastuzumab_xelox"]
    assert at.multiselect(key="b_prior").options[0] == "Trastuzumab + XELOX (CAPOX)", "regimens come first"
    shown = board_texts(at)
    assert "prior Trastuzumab + XELOX (CAPOX) · NMPA labels" in shown
    assert words.TRIALS_NOT_FITTING in shown and "DESTINY-Gastric03 (Parts 3b, 4b" in shown
    assert "RC48-C007: eligibility criteria not recorded; status not recorded: check the registry" in shown
    assert words.NO_TRIALS in shown
