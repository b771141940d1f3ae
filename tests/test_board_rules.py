"""The tumour board's fit rules one by one, table-driven on tiny rows (no data): each criterion's outcome and
words, the order the reasons read in, and the verdicts of an approved option and of a trial."""

from __future__ import annotations

import pytest

from landscape import vocab
from landscape.board import rules
from landscape.board.profile import Profile
from landscape.board.rules import Check

NAMES = {"trastuzumab": "Trastuzumab", "capecitabine": "capecitabine", "oxaliplatin": "oxaliplatin"}
BLANK = {
    "lines": "",
    "cohort": None,
    "her2_levels": "",
    "pdl1_scoring": None,
    "pdl1_min": None,
    "pdl1_max": None,
    "prior_required": "",
    "prior_excluded": "",
    "prior_lines_min": None,
}


def row(**values) -> dict:
    return BLANK | values


def outcomes(checks: list[Check]) -> list[str]:
    return [c.outcome for c in checks]


# criterion, rule row, profile -> outcomes, a fragment of the first check's words
CASES = [
    (rules.check_line, row(lines="2L;3L+"), Profile("2L"), ["met"], "line 2L (covers 2L, 3L+)"),
    (rules.check_line, row(lines="1L"), Profile("3L+"), ["not met"], "the label covers 1L; patient is 3L+"),
    (rules.check_line, row(lines=""), Profile("2L"), ["not recorded"], "line of therapy not recorded for the label"),
    (rules.check_cohort, row(cohort="Part 1 (dose escalation)"), Profile("2L"), ["not met"], "dose-escalation part"),
    (rules.check_cohort, row(cohort="Part 1 (Dose-Escalation)"), Profile("2L"), ["not met"], "dose-escalation part"),
    (rules.check_cohort, row(cohort="Part 2 (dose expansion)"), Profile("2L"), [], None),
    (rules.check_cohort, row(cohort=None), Profile("2L"), [], None),
    (rules.check_her2, row(her2_levels="any"), Profile(her2="ihc0"), ["met"], "not HER2-selected"),
    (rules.check_her2, row(her2_levels="ihc3;ihc2-ish-pos"), Profile(her2="ihc3"), ["met"], "HER2 IHC 3+ (requires"),
    (rules.check_her2, row(her2_levels="ihc3"), Profile(her2="ihc2-ish-pos"), ["not met"], "patient HER2 IHC 2+/ISH+"),
    (rules.check_her2, row(her2_levels="ihc3"), Profile(her2="unknown"), ["unknown"], "test HER2"),
    (rules.check_her2, row(her2_levels=""), Profile(her2="ihc3"), ["not recorded"], "HER2 requirement not recorded"),
    (rules.check_pdl1, row(pdl1_scoring="none"), Profile(cps=None), ["met"], "no PD-L1 requirement"),
    (rules.check_pdl1, row(pdl1_scoring="CPS", pdl1_min=1), Profile(cps=1), ["met"], "PD-L1 CPS 1 (requires CPS >= 1)"),
    (rules.check_pdl1, row(pdl1_scoring="CPS", pdl1_min=1), Profile(cps=0), ["not met"], "patient CPS 0"),
    (rules.check_pdl1, row(pdl1_scoring="CPS", pdl1_min=1), Profile(cps=None), ["unknown"], "test PD-L1"),
    (rules.check_pdl1, row(pdl1_scoring="CPS", pdl1_max=1), Profile(cps=5), ["not met"], "CPS < 1; patient CPS 5"),
    (rules.check_pdl1, row(pdl1_scoring="TAP", pdl1_min=5), Profile(cps=10), ["unknown"], "check the TAP result"),
    (rules.check_pdl1, row(pdl1_scoring=None), Profile(cps=10), ["not recorded"], "PD-L1 requirement not recorded"),
    (
        rules.check_prior_required,
        row(prior_required="trastuzumab"),
        Profile(prior=("trastuzumab",)),
        ["met"],
        "prior Trastuzumab (required)",
    ),
    (
        rules.check_prior_required,
        row(prior_required="fluorouracil|capecitabine|s1|cisplatin|oxaliplatin|carboplatin"),
        Profile(prior=("trastuzumab",)),
        ["unknown"],
        "enter whether the patient received a fluoropyrimidine or a platinum (required by the label)",
    ),
    (
        rules.check_prior_required,
        row(prior_required="fluorouracil|capecitabine|s1|cisplatin|oxaliplatin|carboplatin"),
        Profile(prior=("trastuzumab_xelox",)),
        ["met"],
        "prior capecitabine, oxaliplatin (a fluoropyrimidine or a platinum required)",
    ),
    (
        rules.check_prior_required,
        row(
            prior_required="cisplatin|oxaliplatin|carboplatin;fluorouracil|capecitabine|s1;paclitaxel|docetaxel|irinotecan"
        ),
        Profile(prior=("trastuzumab_xelox",)),
        ["met", "met", "unknown"],
        "prior oxaliplatin (a platinum required)",
    ),
    (
        rules.check_prior_required,
        row(prior_required="paclitaxel|docetaxel|irinotecan"),
        Profile(),
        ["unknown"],
        "enter whether the patient received a taxane or irinotecan",
    ),
    (
        rules.check_prior_required,
        row(prior_required="cisplatin|oxaliplatin"),
        Profile(),
        ["unknown"],
        "received cisplatin or oxaliplatin",
    ),
    (rules.check_prior_excluded, row(prior_excluded="trastuzumab"), Profile(), [], None),
    (
        rules.check_prior_excluded,
        row(prior_excluded="trastuzumab"),
        Profile(prior=("trastuzumab_sox",)),
        ["not met"],
        "the label excludes prior Trastuzumab",
    ),
    (rules.check_prior_lines, row(prior_lines_min=None), Profile("2L"), [], None),
    (rules.check_prior_lines, row(prior_lines_min=2), Profile("3L+"), ["met"], "3L+: at least 2 prior regimens"),
    (rules.check_prior_lines, row(prior_lines_min=1), Profile("2L"), ["met"], "2L: 1 prior regimen (requires at"),
    (
        rules.check_prior_lines,
        row(prior_lines_min=2),
        Profile("2L"),
        ["not met"],
        "requires at least 2 prior regimens; 2L",
    ),
    (rules.check_prior_lines, row(prior_lines_min=1), Profile("1L"), ["not met"], "1L: no prior regimen"),
    (
        rules.check_prior_lines,
        row(prior_lines_min=3),
        Profile("3L+"),
        ["unknown"],
        "check the number of prior regimens",
    ),
]


@pytest.mark.parametrize(("criterion", "rule", "profile", "expected", "words"), CASES)
def test_each_criterion(criterion, rule, profile, expected, words):
    checks = criterion(rule, profile, NAMES, "label")
    assert outcomes(checks) == expected, [c.text for c in checks]
    if words:
        assert any(words in c.text for c in checks), [c.text for c in checks]


# CPS -> whether a CPS >= 5 (and a CPS < 1) cohort is missed by a value just outside it
NEAR = [(4, True, False), (3.9, False, False), (0, False, False), (1, False, True), (1.3, False, False)]


@pytest.mark.parametrize(("cps", "near_min", "near_max"), NEAR)
def test_a_cps_just_outside_a_threshold_is_near(cps, near_min, near_max):
    above = rules.check_pdl1(row(pdl1_scoring="CPS", pdl1_min=5), Profile(cps=cps), NAMES, "trial")[0]
    below = rules.check_pdl1(row(pdl1_scoring="CPS", pdl1_max=1), Profile(cps=cps), NAMES, "trial")[0]
    assert (above.outcome == "not met" and above.near) == near_min
    assert (below.outcome == "not met" and below.near) == near_max


def test_a_regimen_counts_as_its_agents_and_an_agent_as_itself():
    profile = Profile(prior=("pembrolizumab_trastuzumab_xelox", "trastuzumab", "paclitaxel"))
    assert profile.prior_agents == ("pembrolizumab", "trastuzumab", "capecitabine", "oxaliplatin", "paclitaxel")


@pytest.mark.parametrize(("line", "expected"), [("1L", (0, 0)), ("2L", (1, 1)), ("3L+", (2, None))])
def test_the_line_gives_the_number_of_prior_regimens(line, expected):
    assert Profile(line).prior_regimens == expected
    assert set(vocab.PRIOR_REGIMENS) == set(vocab.ADVANCED_LINES)


MET = Check("HER2", "met", "HER2 ok")
MET_PDL1 = Check("PD-L1", "met", "PD-L1 ok")
LINE_OFF = Check("line", "not met", "covers 1L")
HER2_OFF = Check("HER2", "not met", "HER2 off")
CPS_NEAR = Check("PD-L1", "not met", "CPS 4 of >= 5", near=True)
CPS_UNKNOWN = Check("PD-L1", "unknown", "test PD-L1")
PRIOR_UNKNOWN = Check("prior therapy", "unknown", "enter prior")
SILENT = Check("PD-L1", "not recorded", "not recorded")
STATUS_OPEN = Check("status", "met", "status Recruiting")
STATUS_UNVERIFIED = Check("status", "unknown", "status not verified")
COUNTRIES_OFF = Check("countries", "not met", "countries not recorded: check")

# checks -> the reasons in order
DECISIVE = [
    ([MET, CPS_UNKNOWN, LINE_OFF], ["covers 1L"]),
    ([MET, HER2_OFF, CPS_UNKNOWN, MET_PDL1], ["HER2 off", "HER2 ok", "PD-L1 ok"]),
    ([CPS_NEAR, HER2_OFF, MET], ["HER2 off", "CPS 4 of >= 5", "HER2 ok"]),
    ([MET, SILENT, CPS_UNKNOWN], ["not recorded", "test PD-L1", "HER2 ok"]),
    ([MET, MET_PDL1], ["HER2 ok", "PD-L1 ok"]),
]


@pytest.mark.parametrize(("checks", "expected"), DECISIVE)
def test_the_decisive_reason_comes_first_and_a_line_mismatch_ends_the_advice(checks, expected):
    assert [c.text for c in rules.decisive(checks)] == expected


OPTION_VERDICTS = [
    ([MET, MET_PDL1], "fits"),
    ([MET, CPS_UNKNOWN], "not determined"),
    ([MET, PRIOR_UNKNOWN], "not determined"),
    ([MET, SILENT], "not determined"),
    ([MET, CPS_UNKNOWN, LINE_OFF], "does not fit"),
    ([CPS_NEAR], "does not fit"),
]


@pytest.mark.parametrize(("checks", "expected"), OPTION_VERDICTS)
def test_an_option_verdict_never_holds_a_missing_value_against_it(checks, expected):
    assert rules.verdict_of(checks) == expected


TRIAL_VERDICTS = [
    ([MET, STATUS_OPEN], "fits"),
    ([MET, CPS_UNKNOWN, STATUS_OPEN], "nearly fits"),
    ([MET, CPS_NEAR, STATUS_OPEN], "nearly fits"),
    ([MET, STATUS_UNVERIFIED], "status not verified"),
    ([MET, CPS_UNKNOWN, STATUS_UNVERIFIED], "not determined"),
    ([CPS_UNKNOWN, PRIOR_UNKNOWN, STATUS_OPEN], "not determined"),
    ([MET, SILENT, STATUS_OPEN], "criteria not recorded"),
    ([MET, SILENT, STATUS_UNVERIFIED], "criteria not recorded"),
    ([LINE_OFF, MET, STATUS_OPEN], "does not fit"),
    ([HER2_OFF, STATUS_OPEN], "does not fit"),
    ([MET, CPS_NEAR, STATUS_UNVERIFIED], "does not fit"),
    ([MET, CPS_NEAR, SILENT, STATUS_OPEN], "does not fit"),
    ([MET, STATUS_OPEN, COUNTRIES_OFF], "does not fit"),
]


@pytest.mark.parametrize(("checks", "expected"), TRIAL_VERDICTS)
def test_a_trial_nearly_fits_only_with_one_doubt(checks, expected):
    assert rules.trial_verdict(checks) == expected


TRIAL = {"trial_id": "t", "status": "Recruiting", "status_as_of": "2026-10-01"}
# status group, status -> the status check's outcome and a fragment of its words
STATUSES = [
    (vocab.OPEN, "Recruiting", "met", "status Recruiting (as of 2026-10-01)"),
    (vocab.NOT_VERIFIED, "Recruiting", "unknown", "not verified in the last 12 months: check the registry"),
    (vocab.UNKNOWN, "Unknown status", "unknown", "registry status unknown"),
    (vocab.NOT_RECORDED, None, "unknown", "status not recorded: check the registry"),
]


@pytest.mark.parametrize(("group", "status", "outcome", "words"), STATUSES)
def test_only_a_verified_open_status_is_met(group, status, outcome, words):
    check = rules.check_status(TRIAL | {"status_group": group, "status": status})
    assert check.outcome == outcome and words in check.text


@pytest.mark.parametrize("group", vocab.CLOSED_GROUPS)
def test_a_closed_trial_is_never_read_against_a_profile(group):
    with pytest.raises(ValueError, match="closed trial"):
        rules.check_status(TRIAL | {"status_group": group})


# trial countries, chosen countries -> outcomes, words
COUNTRIES = [
    ((), (), [], None),
    (("CN",), (), [], None),
    ((), ("DE",), ["not met"], "countries not recorded: check the registry for sites in DE"),
    (("CN",), ("DE",), ["not met"], "no recorded site in DE (enrols in CN)"),
    (("US", "DE"), ("DE",), ["met"], "enrols in US, DE, including DE (chosen)"),
]


@pytest.mark.parametrize(("countries", "wanted", "expected", "words"), COUNTRIES)
def test_chosen_countries_are_a_criterion_and_unrecorded_ones_do_not_fit(countries, wanted, expected, words):
    checks = rules.check_countries(countries, wanted)
    assert outcomes(checks) == expected
    if words:
        assert checks[0].text == words


def test_status_groups_are_open_unverified_or_closed():
    groups = (vocab.OPEN, *vocab.UNVERIFIED_GROUPS, *vocab.CLOSED_GROUPS)
    assert sorted(groups) == sorted(vocab.STATUS_GROUPS) and len(set(groups)) == len(groups)


@pytest.mark.parametrize(
    ("group", "status", "closed"),
    [
        (vocab.OPEN, "Recruiting", False),
        (vocab.NOT_VERIFIED, "Recruiting", False),
        (vocab.NOT_VERIFIED, "Active, not recruiting", True),
        (vocab.NOT_RECORDED, None, False),
        (vocab.CLOSED_INFERRED, "Recruiting", True),
        (vocab.STOPPED, "Suspended", True),
    ],
)
def test_closed_to_enrolment(group, status, closed):
    assert vocab.closed_to_enrolment(group, status) == closed


def test_regimens_name_real_agents_and_never_clash_with_them(landscape):
    agents = set(landscape.agents["agent_id"])
    words = {w.strip().lower() for cell in landscape.agents["aliases"].fillna("") for w in cell.split(";")}
    words |= {n.lower() for n in landscape.agents["name"]} | {a.lower() for a in agents}
    for regimen in vocab.REGIMENS:
        assert set(regimen.agent_ids) <= agents, regimen
        assert regimen.regimen_id not in agents and regimen.name.lower() not in words
    assert len({r.regimen_id for r in vocab.REGIMENS}) == len({r.name for r in vocab.REGIMENS}) == len(vocab.REGIMENS)
    for members in vocab.DRUG_CLASSES.values():
        assert set(members) <= agents


# date, cutoff -> (listed as after the cutoff, imprecise about it)
CHANGE_DATES = [
    ("2026-10-29", "2026-10-28", (True, False)),
    ("2026-10-28", "2026-10-28", (False, False)),
    ("2026-10", "2026-10-28", (True, True)),
    ("2026-09", "2026-10-28", (False, False)),
    ("2026-Q4", "2026-10-28", (True, True)),
    ("2027-Q1", "2026-10-28", (True, False)),
    ("2026-H1", "2026-10-28", (False, False)),
    ("2026", "2026-10-28", (True, True)),
    ("2027", "2026-10-28", (True, False)),
    (None, "2026-10-28", (False, False)),
    ("soon", "2026-10-28", (False, False)),
]


@pytest.mark.parametrize(("value", "cutoff", "expected"), CHANGE_DATES)
def test_a_change_is_dated_by_the_shared_partial_dates(value, cutoff, expected):
    import datetime as dt

    from landscape.board.changes import _after

    assert _after(value, dt.date.fromisoformat(cutoff)) == expected
