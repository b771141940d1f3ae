"""The pipeline: highest phase per programme and line, the matrix counts (checked against the data grouped
by hand), sponsors, regions, the chart's one colour meaning, and the page."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from landscape import filters, pipeline, pipeline_charts, sitemap, vocab
from landscape.filters import FilterState
from landscape.values import split_ids
from tests.test_pages import run_page

NO = pd.NA


def agents(*rows) -> pd.DataFrame:
    columns = ["agent_id", "name", "modality", "target", "developer", "scope", "programme_status", "programme_note"]
    return pd.DataFrame([dict(zip(columns, r, strict=True)) for r in rows], columns=columns)


def trials(*rows) -> pd.DataFrame:
    columns = ["trial_id", "acronym", "agent_ids", "phase", "line_of_therapy", "countries"]
    return pd.DataFrame([dict(zip(columns, r, strict=True)) for r in rows], columns=columns)


def approvals(*rows) -> pd.DataFrame:
    columns = ["agent_id", "line_of_therapy", "other_tumour", "superseded_by"]
    frame = pd.DataFrame([dict(zip(columns, r, strict=True)) for r in rows], columns=columns)
    frame["other_tumour"] = frame["other_tumour"].astype(bool)
    frame["superseded_by"] = frame["superseded_by"].astype("string")
    return frame


AGENTS = agents(
    ("a", "Alpha", "antibody-drug conjugate", "HER2", "Co A; Co B (x; y)", "HER2-directed", "active", "n1"),
    ("b", "Beta", "antibody-drug conjugate", "HER2 (ECD II)", NO, "HER2-directed", NO, NO),
    ("c", "Gamma", "monoclonal antibody", "HER2", "Co A", "HER2-directed", "failed", "missed OS"),
    ("chemo", "Chemo", "chemotherapy", NO, NO, "comparator or context", NO, NO),
)
NO_APPROVALS = approvals()


@pytest.mark.parametrize(
    ("trial_rows", "approval_rows", "expected"),
    [
        # The highest phase of an agent's trials in a line.
        (
            [("t1", "T1", "a;chemo", "Phase 2", "1L", "CN"), ("t2", "T2", "a", "Phase 3", "1L", "US")],
            [],
            {("a", "1L"): ("Phase 3", 2)},
        ),
        # A 2L+ trial counts in 2L and in 3L+; a chemotherapy-only trial counts for no programme.
        (
            [("t1", "T1", "b", "Phase 1/2", "2L+", NO), ("t2", "T2", "chemo", "Phase 3", "2L", "CN")],
            [],
            {("b", "2L"): ("Phase 1/2", 1), ("b", "3L+"): ("Phase 1/2", 1)},
        ),
        # A current gastric approval in the line wins over any trial phase; only in that line.
        (
            [("t1", "T1", "c", "Phase 2", "1L", "US"), ("t2", "T2", "c", "Phase 2", "2L", "US")],
            [("c", "1L", False, NO)],
            {("c", "1L"): ("Approved", 1), ("c", "2L"): ("Phase 2", 1)},
        ),
        # Another tumour's approval or a superseded one is not a gastric approval; an approval alone places
        # the programme even without a trial in that line.
        (
            [],
            [("c", "1L", True, NO), ("c", "2L", False, "later_decision"), ("a", "2L+", False, NO)],
            {("a", "2L"): ("Approved", 0), ("a", "3L+"): ("Approved", 0)},
        ),
    ],
)
def test_highest_phase_per_programme_and_line(trial_rows, approval_rows, expected):
    got = pipeline.programme_lines(AGENTS, trials(*trial_rows), approvals(*approval_rows))
    assert {(r.agent_id, r.line): (r.highest_phase, r.n_trials) for r in got.itertuples()} == expected


def test_only_the_given_lines_count():
    got = pipeline.programme_lines(AGENTS, trials(("t1", "T1", "b", "Phase 2", "2L+", NO)), NO_APPROVALS, lines=["2L"])
    assert set(got["line"]) == {"2L"}


def test_matrix_counts_programmes_trials_and_statuses_of_each_cell():
    tiny = trials(
        ("t1", "T1", "a", "Phase 2", "1L", "CN"),
        ("t2", "T2", "a;b", "Phase 2", "1L", "US"),  # one trial of two programmes in the same cell: once
        ("t3", "T3", "c", "Phase 2", "1L", "US"),
    )
    by_modality = pipeline.pipeline_matrix(pipeline.programme_lines(AGENTS, tiny, NO_APPROVALS))
    adc = by_modality.set_index("group").loc["antibody-drug conjugate"]
    assert (adc["programmes"], adc["trials"], adc["active"], adc["not recorded"]) == (2, 2, 1, 1)
    assert by_modality.set_index("group").loc["monoclonal antibody", "failed"] == 1
    # By mechanism the two conjugates part (different targets).
    by_mechanism = pipeline.pipeline_matrix(pipeline.programme_lines(AGENTS, tiny, NO_APPROVALS, "mechanism"))
    assert sorted(by_mechanism["group"]) == [
        "antibody-drug conjugate · HER2",
        "antibody-drug conjugate · HER2 (ECD II)",
        "monoclonal antibody · HER2",
    ]


def test_a_blank_programme_status_reads_not_recorded_never_active():
    got = pipeline.programme_lines(AGENTS, trials(("t1", "T1", "b", "Phase 2", "1L", NO)), NO_APPROVALS)
    assert list(got["programme_status"]) == ["not recorded"]


def test_real_data_one_cell_equals_the_data_grouped_by_hand(landscape):
    programmes = pipeline.programme_lines(landscape.agents, landscape.trials, landscape.approvals)
    matrix = pipeline.pipeline_matrix(programmes)
    # By hand: HER2-directed antibody-drug conjugates, their 2L or 2L+ trials, the best phase of each.
    her2 = landscape.agents[landscape.agents["scope"] == "HER2-directed"]
    adcs = set(her2.loc[her2["modality"] == "antibody-drug conjugate", "agent_id"])
    in_2l = landscape.trials[landscape.trials["line_of_therapy"].isin(["2L", "2L+"])]
    order = list(pipeline.PHASES)
    best, trials_of = {}, {}
    for t in in_2l.itertuples():
        for a in set(split_ids(t.agent_ids)) & adcs:
            best[a] = max(best.get(a, t.phase), t.phase, key=order.index)
            trials_of.setdefault(a, set()).add(t.trial_id)
    current = landscape.approvals[~landscape.approvals["other_tumour"] & landscape.approvals["superseded_by"].isna()]
    for a, line in zip(current["agent_id"], current["line_of_therapy"], strict=True):
        if a in adcs and line in ("2L", "2L+"):
            best[a] = "Approved"
    for phase in set(best.values()):
        cell = matrix[
            (matrix["line"] == "2L")
            & (matrix["group"] == "antibody-drug conjugate")
            & (matrix["highest_phase"] == phase)
        ].iloc[0]
        agents_here = {a for a, p in best.items() if p == phase}
        assert cell["programmes"] == len(agents_here)
        assert cell["trials"] == len(set().union(*(trials_of.get(a, set()) for a in agents_here)))
    assert len(matrix[(matrix["line"] == "2L") & (matrix["group"] == "antibody-drug conjugate")]) == len(
        set(best.values())
    )


def test_sponsors_are_named_as_the_facet_names_them_and_rank_by_phase():
    tiny = trials(("t1", "T1", "a", "Phase 3", "1L", "CN"), ("t2", "T2", "c", "Phase 1", "2L", "US"))
    table = pipeline.sponsor_table(pipeline.programme_lines(AGENTS, tiny, NO_APPROVALS)).set_index("sponsor")
    assert table.loc["Co A", "highest_phase"] == "Phase 3"
    assert (table.loc["Co A", "programmes"], table.loc["Co A", "active_programmes"]) == (2, 1)
    # "Co B (x; y)": one company, its note in brackets dropped as the sponsor facet drops it.
    assert table.loc["Co B", "programmes"] == 1


def test_the_sponsor_table_and_the_sponsor_facet_name_companies_alike(landscape):
    programmes = pipeline.programme_lines(landscape.agents, landscape.trials, landscape.approvals)
    named = set(pipeline.sponsor_table(programmes)["sponsor"])
    assert named <= set(filters.filter_options(landscape.frames(), "sponsor"))


@pytest.mark.parametrize(
    ("countries", "region"),
    [
        ("CN", "China only"),
        ("US;JP", "rest of the world only"),
        ("CN;KR", "China and rest of the world"),
        (NO, "countries not recorded"),
        ("", "countries not recorded"),
    ],
)
def test_region_of_a_trial(countries, region):
    assert pipeline.region_of(countries) == region


def test_region_split_counts_each_trial_once_and_2l_plus_in_both_lines():
    tiny = trials(("t1", "T1", "a", "Phase 2", "2L+", "CN"), ("t2", "T2", "a", "Phase 2", "1L", "CN;US"))
    split = pipeline.region_split(tiny).set_index("region")
    assert split.loc["China only", ["trials", "2L", "3L+", "1L"]].tolist() == [1, 1, 1, 0]
    assert split["trials"].sum() == len(tiny)


def test_chart_has_one_colour_meaning_and_a_legend_that_says_so(landscape):
    programmes = pipeline.programme_lines(landscape.agents, landscape.trials, landscape.approvals)
    fig = pipeline_charts.pipeline_chart(programmes, pipeline.pipeline_matrix(programmes))
    dots = [t for t in fig.data if t.mode == "markers"]
    assert {t.marker.color for t in dots} <= set(pipeline_charts.STATUS_COLOURS.values())
    for t in dots:
        assert t.marker.color == pipeline_charts.STATUS_COLOURS[t.name]
    assert sum(len(t.x) for t in dots) == len(programmes)
    assert "programme status" in fig.layout.legend.title.text
    assert {t.name for t in dots if t.showlegend} == set(programmes["programme_status"])
    # Text traces carry counts only, no colour of their own meaning.
    assert all(t.mode == "text" and t.marker.color is None for t in fig.data if t.mode != "markers")
    assert len(fig.layout.annotations) >= programmes["line"].nunique()


def test_chart_wraps_long_labels_and_handles_empty():
    assert "<br>" in pipeline_charts.wrap_label("antibody-drug conjugate · HER2 (biparatopic: ECD II and ECD IV)")
    long = "vaccine · HER2 (autologous B cells and monocytes transfected with a recombinant HER2 gene, loaded)"
    shortened = pipeline_charts.wrap_label(long)
    assert shortened.count("<br>") == pipeline_charts.LABEL_LINES - 1 and shortened.endswith("…")
    empty = pipeline.programme_lines(AGENTS, trials(), NO_APPROVALS)
    fig = pipeline_charts.pipeline_chart(empty, pipeline.pipeline_matrix(empty))
    assert not fig.data and "No HER2-directed programme" in fig.layout.annotations[0].text


PAGE = sitemap.BY_NAME["pipeline"].file


def _chart_points(at) -> int:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return sum(len(t["x"]) for t in spec["data"] if t.get("mode") == "markers")


def test_page_choosing_a_cell_lists_its_programmes(landscape):
    at = run_page(PAGE)
    assert not at.exception
    programmes = pipeline.programme_lines(landscape.agents, landscape.trials, landscape.approvals)
    matrix = pipeline.pipeline_matrix(programmes)
    cell = matrix.sort_values("programmes").iloc[-1]
    box = at.selectbox(key="cell_choice_modality")
    wanted = f"{cell['line']} · {cell['group']} · {cell['highest_phase']} ("
    box.set_value(next(o for o in box.options if o.startswith(wanted))).run()
    assert not at.exception
    listed = at.dataframe[0].value
    assert sorted(listed["name"]) == sorted(pipeline.cell_programmes(programmes, cell["cell"])["name"])
    assert len(at.dataframe[1].value) == cell["trials"]
    assert at.query_params["cell"] == cell["cell"]


def test_page_filter_changes_the_counts():
    at = run_page(PAGE, open_filters=True)
    everything = _chart_points(at)
    at.multiselect(key="line").set_value(["1L"]).run()
    assert not at.exception
    assert 0 < _chart_points(at) < everything


def test_page_by_mechanism_from_the_link():
    at = run_page(PAGE, {"group": "mechanism"})
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "modality and target" in spec["layout"]["title"]["text"]


# ---------------------------------------------------------------- the shared facets on the pipeline


@pytest.mark.parametrize(
    ("selections", "lines"),
    [
        ({}, pipeline.LINES),
        ({"setting": ("advanced",)}, ("1L", "2L", "3L+")),
        ({"setting": ("perioperative",)}, ("perioperative",)),
        ({"line": ("1L", "perioperative"), "setting": ("advanced",)}, ("1L",)),
        ({"line": ("2L",), "setting": ("perioperative",)}, ()),
    ],
)
def test_pipeline_lines_are_the_chosen_lines_within_the_chosen_settings(landscape, selections, lines):
    *_, got = pipeline.filtered_inputs(landscape.agents, landscape.trials, landscape.approvals, FilterState(selections))
    assert got == lines


def _programmes(landscape, selections: dict) -> pd.DataFrame:
    agents, trials_, approvals_, lines = pipeline.filtered_inputs(
        landscape.agents, landscape.trials, landscape.approvals, FilterState(selections)
    )
    return pipeline.programme_lines(agents, trials_, approvals_, "modality", lines)


def test_a_sponsor_chooses_its_programmes_and_keeps_every_trial_of_them(landscape):
    """Daiichi Sankyo's programme (trastuzumab deruxtecan) reaches the phase of any of its trials, whoever leads
    them; the sponsor facet on the trials alone would have dropped the trials others lead."""
    chosen = _programmes(landscape, {"sponsor": ("Daiichi Sankyo",)})
    everything = _programmes(landscape, {})
    assert set(chosen["agent_id"]) == {"trastuzumab_deruxtecan"}
    mine = everything[everything["agent_id"] == "trastuzumab_deruxtecan"]
    assert chosen.reset_index(drop=True).equals(mine.reset_index(drop=True))
    led_by_others = landscape.trials[
        landscape.trials["agent_ids"].str.contains("trastuzumab_deruxtecan")
        & ~landscape.trials["f_sponsor"].map(lambda s: "Daiichi Sankyo" in s)
    ]
    assert not led_by_others.empty, "T-DXd must have a trial another sponsor leads for this test to mean anything"


@pytest.mark.parametrize("status", vocab.PROGRAMME_STATUSES)
def test_programme_status_chooses_programmes_of_that_status(landscape, status):
    chosen = _programmes(landscape, {"programme": (status,)})
    assert set(chosen["programme_status"]) <= {status}


def test_setting_perioperative_leaves_only_the_perioperative_panel(landscape):
    chosen = _programmes(landscape, {"setting": ("perioperative",)})
    assert not chosen.empty and set(chosen["line"]) == {"perioperative"}
    advanced = _programmes(landscape, {"setting": ("advanced",)})
    assert "perioperative" not in set(advanced["line"])


def _first_useful_option(landscape, key: str) -> str:
    """An option of the facet that leaves at least one programme on the page (the first such, in order)."""
    for value in filters.filter_options(landscape.frames(), key):
        if not _programmes(landscape, {key: (value,)}).empty:
            return value
    raise AssertionError(f"no {key} option leaves a programme")


@pytest.mark.parametrize("key", [spec.key for spec in filters.FILTERS])
def test_page_follows_every_facet(landscape, key):
    """The page under each facet (a value that leaves programmes) shows exactly the programmes the pipeline
    counts under it, says the filter in words and raises nothing."""
    value = _first_useful_option(landscape, key)
    at = run_page(PAGE, {key: value})
    assert not at.exception, [e.value for e in at.exception]
    assert not [w.value for w in at.warning], "a value from the options must not give a notice"
    assert _chart_points(at) == len(_programmes(landscape, {key: (value,)}))
    caption = " ".join(c.value for c in at.caption).replace("\\", "")
    assert f"{filters.SPECS[key].phrase} {value}" in caption


def test_page_with_every_new_facet_at_once(landscape):
    selections = {"setting": ("advanced",), "programme": ("approved", "active"), "sponsor": ("Daiichi Sankyo",)}
    at = run_page(PAGE, {k: list(v) for k, v in selections.items()})
    assert not at.exception
    expected = _programmes(landscape, selections)
    assert 0 < _chart_points(at) == len(expected)
    assert "Sponsor chooses programmes by their developers" in " ".join(c.value for c in at.caption)
