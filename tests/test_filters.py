"""The filter model: options, application, words, URL round trip and notices, table-driven."""

from __future__ import annotations

import pandas as pd
import pytest

from landscape import filters, sponsors, vocab
from landscape.filters import FilterState
from landscape.load import load_tables
from landscape.model import build_landscape
from landscape.paths import BUNDLED_DATA_DIR
from landscape.vocab import expand_line


@pytest.fixture()
def trials() -> pd.DataFrame:
    rows = [
        (
            "a",
            "1L",
            "Phase 3",
            {"monoclonal antibody"},
            "Completed",
            {"Asia", "Europe"},
            "HER2-positive",
            "No PD-L1 requirement",
            "toga trastuzumab herceptin",
        ),
        (
            "b",
            "2L",
            "Phase 3",
            {"antibody-drug conjugate"},
            "Active, not recruiting",
            {"Europe"},
            "HER2-positive",
            "No PD-L1 requirement",
            "destiny-gastric04 trastuzumab deruxtecan t-dxd ds-8201 enhertu",
        ),
        (
            "c",
            "2L+",
            "Phase 2",
            {"antibody-drug conjugate"},
            "Recruiting",
            {"Asia"},
            "HER2-overexpressing (IHC 2+/3+)",
            "No PD-L1 requirement",
            "rc48 disitamab vedotin",
        ),
        (
            "d",
            "1L",
            "Phase 3",
            {"monoclonal antibody", "immune checkpoint inhibitor"},
            "Active, not recruiting",
            {"North America"},
            "HER2-positive",
            "PD-L1 CPS threshold required",
            "keynote-811 pembrolizumab",
        ),
    ]
    frame = pd.DataFrame(
        rows, columns=["trial_id", "line", "phase", "modality", "status", "region", "her2", "pdl1", "f_text"]
    )
    frame["f_line"] = frame["line"].map(lambda line: frozenset(expand_line(line)))
    for key in ("phase", "status", "her2", "pdl1"):
        frame[f"f_{key}"] = frame[key].map(lambda v: frozenset({v}))
    frame["f_modality"] = frame["modality"].map(frozenset)
    frame["f_region"] = frame["region"].map(frozenset)
    # Sponsor, programme status and setting, derived as the model derives them (see the tables below).
    frame["f_sponsor"] = [frozenset(s) for s in ({"Roche"}, {"Daiichi Sankyo"}, {"RemeGen"}, {"MSD"})]
    frame["f_programme"] = [
        frozenset(p) for p in ({"approved"}, {"approved"}, {"approved", "not recorded"}, {"failed", "approved"})
    ]
    frame["f_setting"] = [frozenset(s) for s in ({"advanced"}, {"advanced"}, {"advanced"}, {"perioperative"})]
    return frame


@pytest.mark.parametrize(
    ("selections", "text", "expected"),
    [
        ({}, "", ["a", "b", "c", "d"]),
        ({"line": ("1L",)}, "", ["a", "d"]),
        ({"line": ("2L",)}, "", ["b", "c"]),  # a 2L+ trial counts as 2L
        ({"line": ("3L+",)}, "", ["c"]),  # ...and as 3L+
        ({"phase": ("Phase 3",), "modality": ("antibody-drug conjugate",)}, "", ["b"]),
        ({"modality": ("antibody-drug conjugate", "immune checkpoint inhibitor")}, "", ["b", "c", "d"]),
        ({"region": ("Asia",)}, "", ["a", "c"]),
        ({"status": ("Recruiting",)}, "", ["c"]),
        ({"her2": ("HER2-overexpressing (IHC 2+/3+)",)}, "", ["c"]),
        ({"pdl1": ("PD-L1 CPS threshold required",)}, "", ["d"]),
        ({}, "T-DXd", ["b"]),
        ({}, "ds-8201", ["b"]),
        ({}, "ENHERTU", ["b"]),
        ({"line": ("1L",)}, "deruxtecan", []),
        ({"agency": ("FDA",)}, "", ["a", "b", "c", "d"]),  # no facet on this frame: not applicable, not an empty result
        ({"sponsor": ("Roche",)}, "", ["a"]),
        ({"sponsor": ("Roche", "MSD")}, "", ["a", "d"]),
        ({"sponsor": ("Roche",), "line": ("2L",)}, "", []),
        ({"programme": ("failed",)}, "", ["d"]),
        ({"programme": ("not recorded",)}, "", ["c"]),
        ({"programme": ("approved",), "phase": ("Phase 2",)}, "", ["c"]),
        ({"setting": ("advanced",)}, "", ["a", "b", "c"]),
        ({"setting": ("perioperative",)}, "", ["d"]),
        ({"setting": ("advanced", "perioperative")}, "", ["a", "b", "c", "d"]),
        ({"setting": ("perioperative",)}, "keynote", ["d"]),
    ],
)
def test_apply_filters(trials, selections, text, expected):
    shown = filters.apply_filters(trials, FilterState(selections, text))
    assert list(shown["trial_id"]) == expected


def test_options_come_from_data_in_preferred_order(trials):
    assert filters.filter_options([trials], "line") == ["1L", "2L", "3L+"]
    assert filters.filter_options([trials], "phase") == ["Phase 2", "Phase 3"]
    assert filters.filter_options([trials], "status")[0] == "Recruiting"
    assert filters.filter_options([trials], "agency") == []


@pytest.mark.parametrize(
    ("state", "sentence"),
    [
        (FilterState(), "Showing 4 of 4 trials (no filters)."),
        (FilterState({"line": ("2L",), "phase": ("Phase 3",)}), "Showing 4 of 4 trials: line 2L; phase Phase 3."),
        (
            FilterState({"modality": ("antibody-drug conjugate", "monoclonal antibody")}),
            "Showing 4 of 4 trials: mechanism antibody-drug conjugate or monoclonal antibody.",
        ),
        (FilterState({}, "dxd"), 'Showing 4 of 4 trials: matching "dxd".'),
        (FilterState({"agency": ("FDA",)}), "Showing 4 of 4 trials (no filters). Not applicable here: approved by."),
        (FilterState({"sponsor": ("Roche", "MSD")}), "Showing 4 of 4 trials: sponsor Roche or MSD."),
        (
            FilterState({"programme": ("failed", "discontinued")}),
            "Showing 4 of 4 trials: programme status failed or discontinued.",
        ),
        (FilterState({"setting": ("advanced",)}), "Showing 4 of 4 trials: setting advanced."),
    ],
)
def test_describe_filters(trials, state, sentence):
    assert filters.describe_filters(state, "trials", 4, 4, trials) == sentence


def test_suggest_loosening_names_the_filter_to_clear(trials):
    state = FilterState({"line": ("1L",), "modality": ("antibody-drug conjugate",)})
    assert filters.apply_filters(trials, state).empty
    tips = filters.suggest_loosening(state, trials)
    assert "Clear line of therapy to see 2." in tips
    assert "Clear mechanism to see 2." in tips


OPTIONS = {
    "line": ["1L", "2L", "3L+"],
    "phase": ["Phase 2", "Phase 3"],
    "modality": ["antibody-drug conjugate"],
    "sponsor": ["Roche", "MSD", "sponsor not recorded"],
    "programme": ["approved", "failed", "not recorded"],
    "setting": ["advanced", "perioperative"],
}


@pytest.mark.parametrize(
    "state",
    [
        FilterState(),
        FilterState({"line": ("2L",)}),
        FilterState({"line": ("1L", "3L+"), "phase": ("Phase 3",)}, "T-DXd"),
        FilterState({}, "KEYNOTE-811"),
        FilterState({"sponsor": ("Roche", "sponsor not recorded"), "programme": ("failed",)}),
        FilterState({"setting": ("perioperative",), "line": ("1L",)}),
    ],
)
def test_url_round_trip(state):
    params = filters.state_to_query(state)
    back, notices = filters.state_from_query(params, OPTIONS)
    assert notices == []
    assert back == state


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"phase": ["Phase 9"]}, 'Ignored 1 value not in the data: "Phase 9" for phase.'),
        ({"colour": ["red"]}, "Ignored 1 unknown link parameter: colour."),
        ({"line": ["2L", "<script>"]}, 'Ignored 1 value not in the data: "<script>" for line of therapy.'),
        ({"setting": ["metastatic"]}, 'Ignored 1 value not in the data: "metastatic" for setting.'),
        ({"programme": ["Active"]}, 'Ignored 1 value not in the data: "Active" for programme status.'),
        ({"sponsor": ["Genentech"]}, 'Ignored 1 value not in the data: "Genentech" for sponsor.'),
        (
            {"colour": ["red"], "phase": ["Phase 9", "Phase 8"]},
            (
                "Ignored 1 unknown link parameter: colour. "
                'Ignored 2 values not in the data: "Phase 9" for phase, "Phase 8" for phase.'
            ),
        ),
    ],
)
def test_bad_url_parameters_give_notices(params, notice):
    state, notices = filters.state_from_query(params, OPTIONS)
    assert notices == [notice]
    assert all(v in OPTIONS[k] for k in state.active_keys for v in state.selected(k))


def test_page_keys_are_not_unknown():
    _, notices = filters.state_from_query({"trial": ["toga"]}, OPTIONS, page_keys=["trial"])
    assert notices == []


def test_overlong_search_text_is_cut():
    state, _ = filters.state_from_query({"q": ["x" * 5000]}, OPTIONS)
    assert len(state.text) == 200


def test_hundreds_of_unknown_parameters_give_one_short_notice():
    params = {f"k{i}": ["1"] for i in range(300)}
    _, notices = filters.state_from_query(params, OPTIONS)
    assert notices == ["Ignored 300 unknown link parameters: k0, k1, k2, k3, k4, k5, k6, k7, k8, k9 and 290 more."]


def test_notice_drops_control_characters_and_cuts_long_values():
    _, notices = filters.state_from_query({"phase": ["Phase\x009" + "x" * 500], "a\x00b": ["1"]}, OPTIONS)
    (notice,) = notices
    assert "\x00" not in notice and "ab" in notice
    assert len(notice) < 200


def test_search_text_drops_control_characters():
    state, _ = filters.state_from_query({"q": ["T-D\x00Xd"]}, OPTIONS)
    assert state.text == "T-DXd"


MODEL_TABLES = ("trials", "approvals", "agents", "sites", "outcomes")


def test_each_facet_is_in_exactly_the_tables_its_spec_names(landscape):
    for spec in filters.FILTERS:
        for table in MODEL_TABLES:
            frame = getattr(landscape, table)
            assert (spec.facet in frame.columns) is (table in spec.derive), (spec.key, table)
            if table in spec.derive:
                assert all(isinstance(cell, frozenset) for cell in frame[spec.facet]), (spec.key, table)


def test_a_facet_declared_in_one_spec_reaches_every_table_it_names(monkeypatch):
    """Adding a filter is one FilterSpec: the model derives and carries its column, the options follow."""
    design = filters.FilterSpec(
        "design",
        "Design",
        "design",
        derive={"trials": filters.Derive("design", lambda cell, _: (cell,)), **filters.FROM_TRIALS},
    )
    monkeypatch.setattr(filters, "FILTERS", (*filters.FILTERS, design))
    monkeypatch.setitem(filters.SPECS, "design", design)
    result = load_tables(BUNDLED_DATA_DIR)
    landscape = build_landscape(result.tables)
    designs = set(landscape.trials["design"].dropna())
    assert "randomised" in designs
    for table in ("trials", "outcomes", "sites", "agents"):
        assert "f_design" in getattr(landscape, table).columns, table
    assert "f_design" not in landscape.approvals.columns
    assert set(filters.filter_options(landscape.frames(), "design")) == designs
    shown = filters.apply_filters(landscape.outcomes, FilterState({"design": ("randomised",)}))
    assert len(shown) and set(shown["design"]) == {"randomised"}


# ---------------------------------------------------------------- how the new facets are derived


@pytest.mark.parametrize(
    ("line", "settings"),
    [
        ("1L", ("advanced",)),
        ("2L", ("advanced",)),
        ("2L+", ("advanced",)),
        ("3L+", ("advanced",)),
        ("perioperative", ("perioperative",)),
        (None, ()),
        (pd.NA, ()),
    ],
)
def test_settings_of_a_line(line, settings):
    assert vocab.line_settings(line) == settings


def test_every_line_in_the_schema_has_one_setting():
    assert {vocab.line_settings(line) for line in vocab.LINES_OF_THERAPY} == {(s,) for s in vocab.SETTINGS}


@pytest.mark.parametrize(
    ("cell", "lead"),
    [
        ("Hoffmann-La Roche (collaborator: Chugai Pharmaceutical)", "Roche"),
        ("Merck Sharp & Dohme LLC", "MSD"),
        ("RemeGen Co., Ltd.", "RemeGen"),
        ("AstraZeneca AB", "AstraZeneca"),
        ("Memorial Sloan-Kettering Cancer Center", "Memorial Sloan Kettering Cancer Center"),
        ("National Cancer Institute (NCI); collaborator NRG Oncology", "National Cancer Institute"),
        ("", sponsors.NO_SPONSOR),
        (None, sponsors.NO_SPONSOR),
    ],
)
def test_a_trials_lead_sponsor(cell, lead):
    assert sponsors.lead_sponsor(cell) == (lead,)


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Daiichi Sankyo; AstraZeneca", ("Daiichi Sankyo", "AstraZeneca")),
        ("Genentech / Roche (Chugai in Japan)", ("Roche",)),
        (
            "Zymeworks (originator); Jazz Pharmaceuticals (US/EU/Japan); BeOne Medicines (formerly BeiGene; Asia)",
            ("Zymeworks", "Jazz Pharmaceuticals", "BeOne Medicines"),
        ),
        ("various (academic; Shanghai PerHum Therapeutics)", ("Shanghai PerHum Therapeutics",)),
        ("Co A; Co B (x; y)", ("Co A", "Co B")),
        ("", (sponsors.NO_SPONSOR,)),
    ],
)
def test_an_agents_developers(cell, names):
    assert sponsors.companies(cell) == names


LOOKUPS = filters.Lookups(
    agents={
        "her2_failed": {"scope": "HER2-directed", "programme_status": "failed", "developer": "Co A"},
        "her2_blank": {"scope": "HER2-directed", "programme_status": pd.NA, "developer": pd.NA},
        "partner": {"scope": "partner", "programme_status": "approved", "developer": "Co B; Co C"},
        "backbone": {"scope": "comparator or context", "programme_status": pd.NA, "developer": pd.NA},
    }
)


@pytest.mark.parametrize(
    ("table", "cell", "values"),
    [
        # An agent: its own programme; a comparator has none; a blank programme reads "not recorded".
        ("agents", "her2_failed", {"failed"}),
        ("agents", "partner", {"approved"}),
        ("agents", "her2_blank", {"not recorded"}),
        ("agents", "backbone", set()),
        # A trial or an approval: its HER2-directed agents' programmes only, never a partner's or a backbone's.
        ("trials", "her2_failed;partner;backbone", {"failed"}),
        ("trials", "her2_failed;her2_blank", {"failed", "not recorded"}),
        ("trials", "partner;backbone", set()),
        ("approvals", "her2_failed", {"failed"}),
    ],
)
def test_programme_status_of_each_table(table, cell, values):
    derive = filters.SPECS["programme"].derive[table]
    assert set(derive.values(cell, LOOKUPS)) == values


@pytest.mark.parametrize(
    ("cell", "values"),
    [
        ("her2_failed;backbone", {"Co A"}),  # a backbone with no developer adds nothing
        ("partner;her2_failed", {"Co A", "Co B", "Co C"}),
        ("backbone", {sponsors.NO_SPONSOR}),
    ],
)
def test_an_approvals_sponsors_are_its_agents_developers(cell, values):
    assert set(filters.SPECS["sponsor"].derive["approvals"].values(cell, LOOKUPS)) == values


@pytest.mark.parametrize(
    ("selections", "settings"),
    [
        ({}, ("advanced",)),  # the reader chose none: advanced disease only
        ({"line": ("1L",)}, ("advanced",)),
        ({"line": ("perioperative",)}, ("perioperative",)),  # choosing the perioperative line asks for it
        ({"setting": ("perioperative",)}, ("perioperative",)),
        ({"setting": ("advanced", "perioperative")}, ("advanced", "perioperative")),
    ],
)
def test_efficacy_comparisons_default_to_advanced_disease(selections, settings):
    state = FilterState(selections, "x")
    assert filters.efficacy_settings(state) == settings
    explicit = filters.efficacy_state(state)
    assert explicit.selected("setting") == settings and explicit.text == "x"
    assert {k: v for k, v in explicit.selections.items() if k != "setting"} == {
        k: v for k, v in selections.items() if k != "setting"
    }


def test_the_default_efficacy_state_leaves_out_every_perioperative_result(landscape):
    shown = filters.apply_filters(landscape.outcomes, filters.efficacy_state(FilterState()))
    perioperative = landscape.outcomes["line_of_therapy"].eq("perioperative")
    assert perioperative.any(), "the data must hold a perioperative result for this test to mean anything"
    assert not shown["line_of_therapy"].eq("perioperative").any()
    assert len(shown) == int((~perioperative.fillna(False)).sum())


@pytest.mark.parametrize(
    ("key", "table", "check"),
    [
        ("sponsor", "trials", lambda row, value: value in sponsors.lead_sponsor(row["sponsor"])),
        ("sponsor", "agents", lambda row, value: value in sponsors.companies(row["developer"])),
        ("setting", "trials", lambda row, value: vocab.line_settings(row["line_of_therapy"]) == (value,)),
        ("setting", "outcomes", lambda row, value: vocab.line_settings(row["line_of_therapy"]) == (value,)),
        (
            "programme",
            "agents",
            lambda row, value: (
                (row["programme_status"] if isinstance(row["programme_status"], str) else "not recorded") == value
            ),
        ),
    ],
)
def test_every_option_of_a_new_facet_selects_rows_that_hold_it(landscape, key, table, check):
    frame = getattr(landscape, table)
    options = filters.filter_options(landscape.frames(), key)
    assert options
    for value in options:
        shown = filters.apply_filters(frame, FilterState({key: (value,)}))
        assert all(check(row, value) for _, row in shown.iterrows()), (key, value)


def test_a_facet_that_reads_an_agents_column_needs_only_its_spec(monkeypatch):
    """Any column of agents.csv is in the lookups: a facet of the trials by their agents' target is one spec."""
    from landscape.values import split_ids

    target = filters.FilterSpec(
        "target",
        "Target",
        "target",
        derive={"trials": filters.Derive("agent_ids", lambda ids, lk: {lk.agent(a, "target") for a in split_ids(ids)})},
    )
    monkeypatch.setattr(filters, "FILTERS", (*filters.FILTERS, target))
    monkeypatch.setitem(filters.SPECS, "target", target)
    landscape = build_landscape(load_tables(BUNDLED_DATA_DIR).tables)
    toga = landscape.trials.set_index("trial_id").loc["toga", "f_target"]
    assert any(isinstance(t, str) and t.startswith("HER2") for t in toga)
