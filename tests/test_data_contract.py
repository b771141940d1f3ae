"""The real data/ against its contract: it validates, every row cites a source, the dictionary is in
step with the schema, and the landscape covers what the field requires."""

from __future__ import annotations

import pytest

from landscape import dictionary, evidence, filters, places, schema, summaries, vocab
from landscape.model import split_ids
from landscape.paths import BUNDLED_DATA_DIR
from landscape.validate import validate_data_dir


def test_bundled_data_validates():
    problems = validate_data_dir(BUNDLED_DATA_DIR)
    assert problems == [], "\n".join(map(str, problems))


def test_every_row_resolves_to_a_source(landscape):
    known = set(landscape.sources["source_id"])
    assert set(landscape.outcomes["source_id"]) <= known
    assert set(landscape.approvals["source_id"]) <= known
    assert set(landscape.sites["source_id"]) <= known
    assert set(landscape.eligibility["source_id"]) <= known
    for ids in landscape.trials["source_ids"]:
        assert split_ids(ids) and set(split_ids(ids)) <= known


def test_every_source_is_cited_somewhere(landscape):
    cited = (
        set(landscape.outcomes["source_id"])
        | set(landscape.approvals["source_id"])
        | set(landscape.sites["source_id"])
        | set(landscape.eligibility["source_id"])
        | set(landscape.safety["source_id"])
        | set(landscape.guidelines["source_id"])
        | set(landscape.events["source_id"])
    )
    for column in (landscape.trials["source_ids"], landscape.agents["source_ids"]):
        for ids in column.dropna():
            cited |= set(split_ids(ids))
    unused = set(landscape.sources["source_id"]) - cited
    assert not unused, f"sources nobody cites: {sorted(unused)}"


def test_data_readme_dictionary_matches_schema():
    readme = (BUNDLED_DATA_DIR / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(dictionary.BEGIN), readme.index(dictionary.END) + len(dictionary.END)
    assert readme[start:end] + "\n" == dictionary.render_dictionary().rstrip("\n") + "\n", (
        "data/README.md is behind datapackage.json: run python -m landscape dictionary"
    )


def test_csv_headers_follow_schema_order():
    for table in schema.TABLES:
        header = (BUNDLED_DATA_DIR / f"{table}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == schema.columns(table)


REQUIRED_NCT = {
    "NCT01041404": "ToGA",
    "NCT03615326": "KEYNOTE-811",
    "NCT01774786": "JACOB",
    "NCT00680901": "LOGiC",
    "NCT03329690": "DESTINY-Gastric01",
    "NCT04014075": "DESTINY-Gastric02",
    "NCT04704934": "DESTINY-Gastric04",
    "NCT06731478": "DESTINY-Gastric05",
    "NCT01641939": "GATSBY",
    "NCT03556345": "RC48-C008",
    "NCT05427383": "KC-WISE",
    "NCT02689284": "CP-MGAH22-05",
    "NCT04499924": "MOUNTAINEER-02",
    "NCT02795988": "HERIZON (HER-Vaxx)",
    "NCT05152147": "HERIZON-GEA-01",
    "NCT04082364": "MAHOGANY",
    "NCT05586061": "disitamab vedotin + tislelizumab + S-1",
    "NCT01170663": "RAINBOW",
    "NCT05002127": "ASPEN-06",
}


@pytest.mark.parametrize("nct", sorted(REQUIRED_NCT))
def test_required_trials_are_present(landscape, nct):
    assert nct in set(landscape.trials["nct_id"].dropna()), f"{REQUIRED_NCT[nct]} ({nct}) is missing"


@pytest.mark.parametrize(
    "trial_id",
    [
        "toga",
        "keynote_811",
        "jacob",
        "destiny_gastric01",
        "destiny_gastric04",
        "gatsby",
        "tytan",
        "t_act",
        "rainbow",
        "herizon_gea_01",
        "kc_wise",
        "hlx22_gc_201",
    ],
)
def test_key_randomised_trials_have_both_arms(landscape, trial_id):
    roles = set(landscape.outcomes.loc[landscape.outcomes["trial_id"] == trial_id, "arm_role"])
    assert roles == {"experimental", "control"}


REQUIRED_AGENTS = [
    "trastuzumab",
    "pertuzumab",
    "margetuximab",
    "hlx22",
    "trastuzumab_deruxtecan",
    "disitamab_vedotin",
    "trastuzumab_emtansine",
    "zanidatamab",
    "anbenitamab",
    "lapatinib",
    "tucatinib",
    "pembrolizumab",
    "nivolumab",
    "tislelizumab",
    "evorpacept",
    "imu131",
    "her2_car_t",
    "ramucirumab",
]


@pytest.mark.parametrize("agent_id", REQUIRED_AGENTS)
def test_required_agents_are_present(landscape, agent_id):
    assert agent_id in set(landscape.agents["agent_id"])


def test_approvals_cover_the_four_main_agencies(landscape):
    gastric = landscape.approvals[~landscape.approvals["other_tumour"]]
    assert {"FDA", "EMA", "PMDA", "NMPA"} <= set(gastric["agency"])


def test_pembrolizumab_us_label_history_is_complete(landscape):
    fda = landscape.approvals[
        (landscape.approvals["agency"] == "FDA") & (landscape.approvals["agent_id"].str.contains("pembrolizumab"))
    ]
    assert {"accelerated", "label update", "regular"} <= set(fda["approval_type"].dropna())


def test_zanidatamab_biliary_approval_is_marked_as_another_tumour_type(landscape):
    rows = landscape.approvals[
        landscape.approvals["agent_id"].str.contains("zanidatamab") & landscape.approvals["other_tumour"]
    ]
    assert not rows.empty and set(rows["tumour_type"]) == {"biliary tract cancer"}


def test_keynote_811_has_interim_response_and_final_survival_by_cps(landscape):
    kn = landscape.outcomes[landscape.outcomes["trial_id"] == "keynote_811"]
    assert kn[kn["analysis"].str.contains("first interim") & kn["orr_pct"].notna()].shape[0] == 2
    final = kn[kn["analysis"].str.contains("final") & kn["median_os_status"].eq("reached")]
    assert {"ITT", "PD-L1 CPS>=1"} <= set(final["population"])


def test_destiny_gastric01_says_which_orr_it_shows(landscape):
    dg01 = landscape.outcomes[
        (landscape.outcomes["trial_id"] == "destiny_gastric01") & landscape.outcomes["orr_pct"].notna()
    ]
    assert dg01["orr_confirmed"].notna().all()


def test_not_reached_medians_have_no_number(landscape):
    o = landscape.outcomes
    for endpoint in ("pfs", "os"):
        assert o.loc[o[f"median_{endpoint}_status"] != "reached", f"median_{endpoint}_months"].isna().all()


def test_placed_sites_lie_in_their_country(landscape):
    # A coarse check on the gazetteer lookup: each coordinate sits near its country's other markers.
    placed = landscape.sites[landscape.sites["latitude"].notna()]
    for country, group in placed.groupby("country"):
        span_lat = group["latitude"].astype(float).max() - group["latitude"].astype(float).min()
        assert span_lat < 50, f"{country} markers spread over {span_lat} degrees of latitude"


def test_every_trial_country_has_a_country_row(landscape):
    for trial in landscape.trials.itertuples():
        have = set(
            landscape.sites.loc[
                (landscape.sites["trial_id"] == trial.trial_id) & (landscape.sites["level"] == "country"), "country"
            ]
        )
        assert set(split_ids(trial.countries)) <= have


def test_each_trials_region_follows_from_its_countries(landscape):
    """The region facet of a trial (trial filters, the overview) is the continents of its countries, and
    the regions of its site rows (the Map page) are the same set: region counts cannot disagree."""
    sites = landscape.sites
    for trial in landscape.trials.itertuples():
        from_countries = {places.country_region(c) for c in split_ids(trial.countries)}
        assert set(trial.f_region) == from_countries, trial.trial_id
        assert "Other" not in from_countries, (trial.trial_id, trial.countries)
        on_map = set().union(*sites.loc[sites["trial_id"] == trial.trial_id, "f_region"])
        assert on_map == from_countries, (trial.trial_id, on_map, from_countries)
    for region in places.CONTINENTS.values():
        by_trials = int(filters.facet_mask(landscape.trials, "f_region", [region]).sum())
        on_map = sites.loc[filters.facet_mask(sites, "f_region", [region]), "trial_id"].nunique()
        assert by_trials == on_map, region


# ---------------------------------------------------------------- evidence rules


def test_no_label_merges_a_trials_arms(landscape):
    """Every randomised trial reads 'experimental vs control'; no label joins the control's agents into the
    experimental regimen (DESTINY-Gastric04 is T-DXd vs ramucirumab + paclitaxel, not 'T-DXd + ramucirumab')."""
    randomised = landscape.trials[landscape.trials["design"] == "randomised"]
    assert randomised["arms_label"].str.contains(" vs ", regex=False).all()
    dg04 = landscape.trials.set_index("trial_id").loc["destiny_gastric04", "arms_label"]
    assert dg04.split(" vs ")[0].strip().lower() == "trastuzumab deruxtecan", dg04
    for row in landscape.outcomes.itertuples():
        if row.design == "randomised" and row.comparator_class != "none":
            assert row.vs_label.startswith("vs "), (row.outcome_id, row.vs_label)


def test_status_groups_never_call_unknown_open(landscape):
    t = landscape.trials
    assert set(t["status_group"]) <= set(vocab.STATUS_GROUPS)
    # Results overrule a missing or unknown status (enrolment closed, inferred); nothing else names it.
    registry_only = t["enrolment_inferred"].fillna("").eq("")
    assert (t.loc[t["status"].isna() & registry_only, "status_group"] == "status not recorded").all()
    assert (
        t.loc[t["status"].eq("Unknown status").fillna(False) & registry_only, "status_group"] == "unknown status"
    ).all()
    assert not t.loc[~registry_only, "status_group"].isin(["open", "active, not recruiting"]).any()
    open_rows = t[t["status_group"] == "open"]
    assert open_rows["status"].isin(vocab.OPEN_STATUSES).all() and open_rows["status_as_of"].notna().all()


def test_every_trial_says_whether_its_primary_endpoint_was_met_with_a_source(landscape):
    t = landscape.trials
    assert t["primary_endpoint_met"].notna().all()
    decided = t[t["primary_endpoint_met"].isin(["yes", "no"])]
    assert decided["endpoint_source_id"].notna().all(), list(
        decided.loc[decided["endpoint_source_id"].isna(), "trial_id"]
    )


def test_failed_programmes_say_so(landscape):
    agents = landscape.agents.set_index("agent_id")
    for agent_id in ("pertuzumab", "lapatinib", "trastuzumab_emtansine"):
        assert agents.loc[agent_id, "programme_status"] == "failed", agent_id
        assert isinstance(agents.loc[agent_id, "programme_note"], str)


def test_headline_rows_of_a_trial_and_endpoint_share_one_population_and_analysis(landscape):
    o = landscape.outcomes
    for endpoint in evidence.ENDPOINTS:
        rows = evidence.headline_rows(o, endpoint)
        for trial_id, group in rows.groupby("trial_id"):
            assert group[["population", "analysis"]].drop_duplicates().shape[0] == 1, (trial_id, endpoint)


def test_every_trial_with_results_has_a_headline(landscape):
    with_results = set(landscape.outcomes["trial_id"])
    headline = set(evidence.headline_rows(landscape.outcomes)["trial_id"])
    missing = sorted(with_results - headline)
    # A trial may lack a headline only when none of its rows is a primary or final analysis of its main population.
    assert len(missing) <= len(with_results) // 4, missing


def test_no_result_is_repeated_on_rows_of_another_population(landscape):
    o = landscape.outcomes
    columns = ["orr_pct", "median_pfs_months", "median_os_months", "pfs_hr", "os_hr"]
    for column in columns:
        values = o[o[column].notna()]
        for (trial_id, arm_id, value), group in values.groupby(["trial_id", "arm_id", column]):
            if len(group) > 1:
                # The same number may recur only across analyses (a later cut-off),
                # never across populations of one analysis.
                assert group["analysis"].nunique() == len(group), (
                    trial_id,
                    arm_id,
                    column,
                    value,
                    list(group["outcome_id"]),
                )


def test_one_row_per_arm_population_analysis_and_endpoint_set(landscape):
    # Confirmed and unconfirmed response rates of one analysis are two endpoint sets (DESTINY-Gastric01).
    keys = ["trial_id", "arm_id", "population", "analysis", "orr_confirmed"]
    duplicated = landscape.outcomes[landscape.outcomes.duplicated(keys, keep=False)]
    assert duplicated.empty, list(duplicated["outcome_id"])


def test_hr_intervals_say_their_level(landscape):
    o = landscape.outcomes
    with_ci = o["pfs_hr_ci_low"].notna() | o["os_hr_ci_low"].notna()
    assert o.loc[with_ci, "hr_ci_level"].notna().all()
    assert o.loc[~with_ci, "hr_ci_level"].isna().all()


def test_every_approval_outside_gastric_cancer_names_its_tumour_type(landscape):
    other = landscape.approvals[landscape.approvals["other_tumour"]]
    assert not other.empty
    latest = summaries.latest_approvals(landscape, limit=len(landscape.approvals), include_other_tumours=True)
    other_count = sum(any(f"({tumour})" in text for tumour in other["tumour_type"]) for text in latest["approval"])
    assert other_count == len(other)
    gastric_only = summaries.latest_approvals(landscape, limit=len(landscape.approvals))
    assert len(gastric_only) == int((~landscape.approvals["other_tumour"]).sum())
    for column in summaries.line_board(landscape):
        assert all(
            "biliary" not in str(r) and "tumour-agnostic" not in str(r) for r in column.approved["biomarker_label"]
        )


def test_tumour_agnostic_trastuzumab_deruxtecan_and_biliary_zanidatamab_are_context(landscape):
    a = landscape.approvals
    tdxd = a[(a["agent_id"] == "trastuzumab_deruxtecan") & a["other_tumour"]]
    assert tdxd["tumour_type"].str.contains("tumour-agnostic").any()
    assert a.loc[(a["agent_id"] == "zanidatamab") & a["other_tumour"], "tumour_type"].eq("biliary tract cancer").all()


def test_first_trastuzumab_approval_in_china_is_present(landscape):
    a = landscape.approvals
    assert not a[(a["agent_id"] == "trastuzumab") & (a["agency"] == "NMPA") & ~a["other_tumour"]].empty


def test_scope_counts_do_not_mix_context(landscape):
    assert set(landscape.agents["scope"]) <= set(schema.enum("agents", "scope"))
    assert set(landscape.trials["scope"]) <= set(schema.enum("trials", "scope"))
    assert landscape.trials.set_index("trial_id").loc["rainbow", "scope"] == "comparator or context"
    her2 = landscape.agents[landscape.agents["scope"] == "HER2-directed"]
    assert (
        her2["her2_directed"].all()
        and not landscape.agents.loc[landscape.agents["scope"] != "HER2-directed", "her2_directed"].any()
    )
    assert summaries.headlines(landscape)[0].value == len(her2)


# ---------------------------------------------------------------- depth of the landscape


def test_the_landscape_holds_well_over_fifty_trials(landscape):
    assert len(landscape.trials) > 55
    assert (landscape.trials["line_of_therapy"] == "perioperative").sum() >= 5


def test_every_outcome_has_a_readout_date(landscape):
    assert landscape.outcomes["readout_date"].notna().all()


def test_blank_registry_facts_are_explained_in_the_curation_log(landscape):
    """Every trial without a status names itself in the curation log's reasons, or carries a note."""
    log = " ".join((BUNDLED_DATA_DIR / "README.md").read_text(encoding="utf-8").split())
    unexplained = [
        t.acronym
        for t in landscape.trials.itertuples()
        if not isinstance(t.status, str)
        and t.acronym not in log
        and t.trial_id not in log
        and not (isinstance(t.notes, str) and "status" in t.notes.lower())
    ]
    assert not unexplained, unexplained


def test_every_gastric_approval_has_a_fit_rule(landscape):
    gastric = set(landscape.approvals.loc[~landscape.approvals["other_tumour"], "approval_id"])
    assert gastric <= set(landscape.eligibility["approval_id"].dropna())
