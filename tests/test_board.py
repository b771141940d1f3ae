"""The tumour-board rules, table-driven from the labels and trial criteria in eligibility.csv: for each
profile the options that must fit, the ones that must not (with the reason given), and the trials."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from landscape.board import profile as board_profile
from landscape.board import words
from landscape.board.engine import build_board
from landscape.board.profile import Profile, ProfileError, Vocabulary, link_query, read_link
from landscape.load import load_tables
from landscape.model import build_landscape
from tests.conftest import first_row_where, set_cell

T, TDXD = "trastuzumab", "trastuzumab_deruxtecan"
FP_PLATINUM = ("trastuzumab", "oxaliplatin", "capecitabine")

# profile, approvals that must fit, approvals that must not fit -> a fragment of their reason
OPTION_CASES = [
    (
        Profile("1L", "ihc3", 5, (), "FDA"),
        {"fda_pembrolizumab_2025", "fda_trastuzumab_2010"},
        {"fda_trastuzumab_deruxtecan_2021": "covers 2L, 3L+; patient is 1L"},
    ),
    (Profile("1L", "ihc3", 1, (), "FDA"), {"fda_pembrolizumab_2025"}, {}),
    (
        Profile("1L", "ihc3", 0, (), "FDA"),
        {"fda_trastuzumab_2010"},
        {"fda_pembrolizumab_2025": "restricted to PD-L1 CPS >= 1; patient CPS 0"},
    ),
    (Profile("1L", "ihc3", 0.5, (), "FDA"), {"fda_trastuzumab_2010"}, {"fda_pembrolizumab_2025": "patient CPS 0.5"}),
    (Profile("1L", "ihc3", None, (), "FDA"), {"fda_trastuzumab_2010"}, {"fda_pembrolizumab_2025": "PD-L1 CPS unknown"}),
    (
        Profile("1L", "ihc0", 10, (), "FDA"),
        set(),
        {"fda_trastuzumab_2010": "patient HER2 IHC 0", "fda_pembrolizumab_2025": "patient HER2 IHC 0"},
    ),
    (
        Profile("1L", "unknown", 10, (), "FDA"),
        set(),
        {"fda_trastuzumab_2010": "HER2 status unknown", "fda_pembrolizumab_2025": "test HER2"},
    ),
    (
        Profile("2L", "ihc3", None, (T,), "FDA"),
        {"fda_trastuzumab_deruxtecan_2021", "fda_trastuzumab_deruxtecan_2024_pantumor"},
        {"fda_trastuzumab_2010": "covers 1L; patient is 2L", "fda_ramucirumab_2014": "requires prior fluorouracil"},
    ),
    (
        Profile("2L", "ihc3", None, FP_PLATINUM, "FDA"),
        {"fda_trastuzumab_deruxtecan_2021", "fda_ramucirumab_2014", "fda_ramucirumab_2014_mono"},
        {},
    ),
    (
        Profile("2L", "ihc3", None, (), "FDA"),
        {"fda_trastuzumab_deruxtecan_2024_pantumor"},
        {"fda_trastuzumab_deruxtecan_2021": "requires prior Trastuzumab"},
    ),
    (
        Profile("2L", "ihc2-ish-pos", None, (T,), "FDA"),
        {"fda_trastuzumab_deruxtecan_2021"},
        {"fda_trastuzumab_deruxtecan_2024_pantumor": "requires HER2 IHC 3+; patient HER2 IHC 2+/ISH+"},
    ),
    (
        Profile("2L", "ihc0", None, ("fluorouracil",), "FDA"),
        {"fda_ramucirumab_2014"},
        {"fda_trastuzumab_deruxtecan_2021": "patient HER2 IHC 0"},
    ),
    (
        Profile("3L+", "ihc3", None, (T, TDXD, "cisplatin"), "FDA"),
        {"fda_trastuzumab_deruxtecan_2021", "fda_ramucirumab_2014"},
        {"fda_pembrolizumab_2025": "covers 1L"},
    ),
    (
        Profile("1L", "ihc3", 10, (), "EMA"),
        {"ema_pembrolizumab_2023", "ema_trastuzumab_2010"},
        {"ema_trastuzumab_deruxtecan_2022": "patient is 1L"},
    ),
    (
        Profile("1L", "ihc1", 10, (), "EMA"),
        set(),
        {"ema_pembrolizumab_2023": "patient HER2 IHC 1+", "ema_trastuzumab_2010": "patient HER2 IHC 1+"},
    ),
    (Profile("1L", "ihc2-ish-neg", 10, (), "EMA"), set(), {"ema_pembrolizumab_2023": "patient HER2 IHC 2+/ISH-"}),
    (
        Profile("2L", "ihc3", None, (T, "cisplatin"), "EMA"),
        {"ema_trastuzumab_deruxtecan_2022"},
        {"ema_ramucirumab_2014": "requires prior fluorouracil or capecitabine"},
    ),
    (
        Profile("3L+", "ihc3", None, (T, TDXD, "cisplatin", "capecitabine"), "EMA"),
        {"ema_trastuzumab_deruxtecan_2022", "ema_ramucirumab_2014"},
        {},
    ),
    (
        Profile("1L", "ihc3", 3, (), "PMDA"),
        {"pmda_trastuzumab_2011", "pmda_pembrolizumab_2025"},
        {"pmda_trastuzumab_deruxtecan_2020": "covers 3L+"},
    ),
    (Profile("1L", "ihc3", 0, (), "PMDA"), {"pmda_trastuzumab_2011"}, {"pmda_pembrolizumab_2025": "patient CPS 0"}),
    (
        Profile("2L", "ihc3", None, (T,), "PMDA"),
        {"pmda_ramucirumab_2015"},
        {"pmda_trastuzumab_deruxtecan_2020": "covers 3L+; patient is 2L"},
    ),
    (
        Profile("3L+", "ihc3", None, (T,), "PMDA"),
        {"pmda_trastuzumab_deruxtecan_2020", "pmda_ramucirumab_2015"},
        {"pmda_trastuzumab_2011": "covers 1L"},
    ),
    (
        Profile("1L", "ihc3", 2, (), "NMPA"),
        {"nmpa_pembrolizumab_2024", "nmpa_trastuzumab_2012"},
        {"nmpa_ramucirumab_2022": "covers 2L; patient is 1L"},
    ),
    (
        Profile("2L", "ihc3", None, (T,), "NMPA"),
        {"nmpa_trastuzumab_deruxtecan_2026", "nmpa_ramucirumab_2022"},
        {"nmpa_trastuzumab_deruxtecan_2024": "covers 3L+", "nmpa_disitamab_vedotin_2021": "covers 3L+"},
    ),
    (
        Profile("2L", "ihc3", None, (), "NMPA"),
        {"nmpa_ramucirumab_2022"},
        {"nmpa_trastuzumab_deruxtecan_2026": "requires prior Trastuzumab"},
    ),
    (
        Profile("3L+", "ihc2-ish-neg", None, (T,), "NMPA"),
        {"nmpa_disitamab_vedotin_2021"},
        {"nmpa_trastuzumab_deruxtecan_2024": "requires HER2 IHC 3+ or IHC 2+/ISH+; patient HER2 IHC 2+/ISH-"},
    ),
    (
        Profile("3L+", "ihc3", None, (T, TDXD), "NMPA"),
        {"nmpa_trastuzumab_deruxtecan_2024", "nmpa_trastuzumab_deruxtecan_2026", "nmpa_disitamab_vedotin_2021"},
        {"nmpa_ramucirumab_2022": "covers 2L"},
    ),
    (Profile("3L+", "ihc1", None, (T,), "NMPA"), set(), {"nmpa_disitamab_vedotin_2021": "patient HER2 IHC 1+"}),
]


def _ids(case) -> str:
    p = case[0]
    return f"{p.agency}-{p.line}-{p.her2}-cps{p.cps}-{'+'.join(p.prior) or 'noprior'}"


@pytest.mark.parametrize(("profile", "must_fit", "must_not"), OPTION_CASES, ids=[_ids(c) for c in OPTION_CASES])
def test_approved_options_fit_by_the_label(landscape, profile, must_fit, must_not):
    result = build_board(landscape, profile)
    verdicts = {o.approval_id: o for o in result.approved}
    assert {o.agency for o in result.approved} == {profile.agency}
    fitting = {a for a, o in verdicts.items() if o.fits}
    assert must_fit <= fitting, f"expected to fit: {must_fit - fitting}"
    for approval_id, reason in must_not.items():
        option = verdicts[approval_id]
        assert option.verdict == "does not fit", (approval_id, option.verdict, option.reasons)
        assert any(reason in r for r in option.reasons), (approval_id, option.reasons)
    for option in result.fitting:
        assert option.summary.startswith(f"fits: {option.agency} {option.approval_date} label")


@pytest.mark.parametrize("agency", board_profile.AGENCIES)
@pytest.mark.parametrize("line", board_profile.LINES)
def test_every_agency_and_line_gives_a_reasoned_board(landscape, agency, line):
    result = build_board(landscape, Profile(line, "ihc3", 5, (T, "cisplatin", "fluorouracil"), agency))
    assert result.approved, "every agency has gastric approvals in the data"
    for option in result.approved:
        assert option.reasons and option.source_ids
        assert option.verdict in words.OPTION_VERDICTS
        assert option.fits == (option.verdict == "fits")


def test_superseded_indications_are_marked_not_offered(landscape):
    result = build_board(landscape, Profile("1L", "ihc3", 5, (), "FDA"))
    verdicts = {o.approval_id: o for o in result.approved}
    assert verdicts["fda_pembrolizumab_2021"].verdict == "superseded"
    assert verdicts["fda_pembrolizumab_2023_cps1"].verdict == "superseded"
    assert "superseded on 2023-11-07" in verdicts["fda_pembrolizumab_2021"].reasons[0]
    assert not verdicts["fda_pembrolizumab_2021"].fits
    assert [o.verdict for o in result.approved][-2:] == ["superseded", "superseded"]


def test_a_criterion_the_source_does_not_state_is_not_recorded_never_guessed(landscape):
    option = {o.approval_id: o for o in build_board(landscape, Profile("1L", "ihc3", 5, (), "FDA")).approved}[
        "fda_zanidatamab_2026"
    ]
    assert option.verdict == "not determined" and not option.fits
    assert any("PD-L1 requirement not recorded" in r for r in option.reasons)
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


def test_ramucirumab_is_an_option_labelled_not_her2_directed(landscape):
    result = build_board(landscape, Profile("2L", "ihc3", None, FP_PLATINUM, "FDA"))
    ram = {o.approval_id: o for o in result.approved}["fda_ramucirumab_2014"]
    assert ram.fits and not ram.her2_directed
    assert any("not HER2-directed" in r for r in ram.reasons)
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


# profile, trial -> (verdict, cohort fragment or None, excluding fragment or None)
TRIAL_CASES = [
    (
        Profile("1L", "ihc3", 5, (), "FDA"),
        {
            "destiny_gastric03": ("fits", "Parts 2, 3a, 4a", None),
            "destiny_gastric05": ("status not verified", "Main cohort", None),
        },
    ),
    (Profile("1L", "ihc3", 0, (), "FDA"), {"destiny_gastric05": ("status not verified", "Exploratory cohort", None)}),
    (Profile("1L", "ihc1", None, (), "EMA"), {"destiny_gastric03": ("fits", "HER2-low", None)}),
    (Profile("1L", "ihc0", None, (), "EMA"), {"destiny_gastric03": ("nearly fits", None, "patient HER2 IHC 0")}),
    (Profile("2L", "ihc3", None, (T,), "FDA"), {"destiny_gastric03": ("fits", "Part 1", None)}),
    (
        Profile("2L", "ihc3", None, (), "FDA"),
        {"destiny_gastric03": ("nearly fits", "Part 1", "requires prior Trastuzumab")},
    ),
    (
        Profile("3L+", "ihc3", None, (T, TDXD), "NMPA"),
        {"destiny_gastric03": ("fits", "Part 1", None), "her2_carm_06224738": ("status not verified", None, None)},
    ),
]


@pytest.mark.parametrize(("profile", "expected"), TRIAL_CASES, ids=[_ids(c) for c in TRIAL_CASES])
def test_trials_fit_nearly_fit_or_wait_for_a_verified_status(landscape, profile, expected):
    trials = {t.trial_id: t for t in build_board(landscape, profile).trials}
    for trial_id, want in expected.items():
        verdict, cohort, excluding = want
        assert trial_id in trials, f"{trial_id} missing from {sorted(trials)}"
        trial = trials[trial_id]
        assert trial.verdict == verdict, (trial_id, trial.verdict, trial.reasons)
        if cohort:
            assert cohort in (trial.cohort or "")
        if excluding:
            assert excluding in (trial.excluding or "")
        assert trial.fits == (verdict == "fits")


def test_a_trial_whose_results_closed_enrolment_is_never_offered(landscape):
    """HERIZON-GEA-01's registry record (2024) still says recruiting; its results and actual enrolment say
    otherwise, and the board follows the evidence."""
    closed = landscape.trials.loc[landscape.trials["enrolment_inferred"].fillna("").ne(""), "trial_id"]
    assert "herizon_gea_01" in set(closed)
    for line in ("1L", "2L", "3L+"):
        offered = {t.trial_id for t in build_board(landscape, Profile(line, "ihc3", 5, (), "FDA")).trials}
        assert not offered & set(closed), (line, offered & set(closed))


def test_only_a_verified_open_status_counts_as_open(landscape):
    result = build_board(landscape, Profile("1L", "ihc3", 5, (), "FDA"))
    for trial in result.trials:
        if trial.verdict in {"fits", "nearly fits"}:
            assert trial.status_group == "open"
        else:
            assert trial.status_group != "open"
            assert any("check the registry" in r for r in trial.reasons)
    assert "keynote_811" not in {t.trial_id for t in result.trials}, "active, not recruiting is not open"
    assert "neoart" not in {t.trial_id for t in result.trials}, "perioperative never fits advanced disease"


def test_unknown_cps_does_not_put_a_cps_cohort_among_the_trials(landscape):
    trials = {t.trial_id for t in build_board(landscape, Profile("1L", "ihc3", None, (), "FDA")).trials}
    assert "destiny_gastric05" not in trials


def test_countries_say_where_a_trial_enrols(landscape):
    trials = {
        t.trial_id: t for t in build_board(landscape, Profile("2L", "ihc3", None, (T,), "FDA", ("US", "CA"))).trials
    }
    carm = trials["her2_carm_06224738"]
    assert carm.in_countries is False and "no recorded site in US, CA (enrols in CN)" in carm.reasons
    trials = {t.trial_id: t for t in build_board(landscape, Profile("1L", "ihc3", 5, (), "FDA", ("US",))).trials}
    assert trials["destiny_gastric05"].in_countries is True
    assert (
        trials["destiny_gastric03"].in_countries is None
        and "enrolling countries not recorded" in trials["destiny_gastric03"].reasons
    )


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
