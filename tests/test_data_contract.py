"""The real data/ against its contract: it validates, every row cites a source, the dictionary is in
step with the schema, and the landscape covers what the field requires."""

from __future__ import annotations

import pytest

from landscape import dictionary, schema
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
    cited = set(landscape.outcomes["source_id"]) | set(landscape.approvals["source_id"]) | set(landscape.sites["source_id"]) | set(landscape.eligibility["source_id"])
    for column in (landscape.trials["source_ids"], landscape.agents["source_ids"]):
        for ids in column.dropna():
            cited |= set(split_ids(ids))
    unused = set(landscape.sources["source_id"]) - cited
    assert not unused, f"sources nobody cites: {sorted(unused)}"


def test_data_readme_dictionary_matches_schema():
    readme = (BUNDLED_DATA_DIR / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(dictionary.BEGIN), readme.index(dictionary.END) + len(dictionary.END)
    assert readme[start:end] + "\n" == dictionary.render_dictionary().rstrip("\n") + "\n", "data/README.md is behind datapackage.json: run python -m landscape dictionary"


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


@pytest.mark.parametrize("trial_id", ["toga", "keynote_811", "jacob", "destiny_gastric01", "destiny_gastric04", "gatsby", "tytan", "t_act", "rainbow", "herizon_gea_01", "kc_wise", "hlx22_gc_201"])
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
    fda = landscape.approvals[(landscape.approvals["agency"] == "FDA") & (landscape.approvals["agent_id"].str.contains("pembrolizumab"))]
    assert {"accelerated", "label update", "regular"} <= set(fda["approval_type"].dropna())


def test_zanidatamab_biliary_approval_is_marked_as_another_tumour_type(landscape):
    rows = landscape.approvals[landscape.approvals["agent_id"].str.contains("zanidatamab") & landscape.approvals["other_tumour"]]
    assert not rows.empty and set(rows["tumour_type"]) == {"biliary tract cancer"}


def test_keynote_811_has_interim_response_and_final_survival_by_cps(landscape):
    kn = landscape.outcomes[landscape.outcomes["trial_id"] == "keynote_811"]
    assert kn[kn["analysis"].str.contains("first interim") & kn["orr_pct"].notna()].shape[0] == 2
    final = kn[kn["analysis"].str.contains("final") & kn["median_os_status"].eq("reached")]
    assert {"ITT", "PD-L1 CPS>=1"} <= set(final["population"])


def test_destiny_gastric01_says_which_orr_it_shows(landscape):
    dg01 = landscape.outcomes[(landscape.outcomes["trial_id"] == "destiny_gastric01") & landscape.outcomes["orr_pct"].notna()]
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
        have = set(landscape.sites.loc[(landscape.sites["trial_id"] == trial.trial_id) & (landscape.sites["level"] == "country"), "country"])
        assert set(split_ids(trial.countries)) <= have


def test_every_gastric_approval_has_a_fit_rule(landscape):
    gastric = set(landscape.approvals.loc[~landscape.approvals["other_tumour"], "approval_id"])
    assert gastric <= set(landscape.eligibility["approval_id"].dropna())
