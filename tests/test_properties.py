"""Property-based tests: no page raises on any filter state, search or link, and an empty result shows
the empty state. Filter states are drawn from the real options of the bundled data, and go only to the
pages that apply them (the tumour board has its own profile, not the shared filters). The slowest are
marked `slow`: `pytest -m "not slow"` skips them while working; the test command runs them all."""

from __future__ import annotations

import functools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from landscape import filters, sitemap, vocab
from landscape.board import PRESENT_KEY, PROFILE_KEYS
from landscape.board import words as board_words
from landscape.load import load_tables
from landscape.model import build_landscape
from landscape.ui import FACETS_OPEN_KEY
from tests.conftest import ROOT

LANDSCAPE = build_landscape(load_tables().tables)
OPTIONS = {spec.key: filters.filter_options(LANDSCAPE.frames(), spec.key) for spec in filters.FILTERS}
ODD_SEARCHES = [
    "",
    " ",
    "   \t ",
    "zzz",
    "nivolumab",
    "=1+1",
    "+SUM(A1)",
    "-2",
    "@cmd",
    "<script>alert(1)</script>",
    "<b>x</b>",
    "**bold** _x_",
    "[x](javascript:alert(1))",
    "x" * 500,
    "ünïcödé 中文",
    "%00",
    "\\",
    "'\"",
    "(",
    "*",
]
# The same examples on every run (derandomize; no example database to read or write), no per-example
# deadline (a page run takes as long as it takes on a shared machine).
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# The widgets write the same filter state a link carries, and what a state does to each page is what the link
# test draws its 25 examples per page for; these fewer examples prove the widgets' path on every page.
WIDGET_SETTINGS = settings(SETTINGS, max_examples=10)
PAGES = [p.file for p in sitemap.PAGES]
FILTER_PAGES = [p.file for p in sitemap.PAGES if p.shared_filters]

searches = st.one_of(st.sampled_from(ODD_SEARCHES), st.text(max_size=40))
selections = st.fixed_dictionaries(
    {
        key: st.one_of(st.just([]), st.just([]), st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True))
        for key, values in OPTIONS.items()
        if values
    }
).map(lambda d: {k: v for k, v in d.items() if v})


def fresh(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.switch_page(page)
    return at


def assert_sound(at: AppTest, page: str, state: filters.FilterState) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    # Where a page lists trials or agents, an empty result must say so and what to loosen.
    table = {
        "pages/trials.py": (LANDSCAPE.trials, "No trials match"),
        "pages/agents.py": (None, "No agents match"),
    }.get(page)
    if table and table[0] is not None and filters.apply_filters(table[0], state).empty:
        assert any(table[1] in i.value for i in at.info), [i.value for i in at.info]


@functools.cache
def keys_applied_by(page: str) -> tuple[str, ...]:
    """Return the filter keys a page applies: those with a facet in any frame it filters (from one run)."""
    seen: set[str] = set()
    real = filters.filter_mask

    def recording(frame, state):
        seen.update(filters.applicable_keys(frame))
        return real(frame, state)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(filters, "filter_mask", recording)
        at = fresh(page)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    return tuple(key for key in OPTIONS if key in seen)


def test_every_filter_value_reaches_a_page_that_applies_it():
    applied = {key for page in FILTER_PAGES for key in keys_applied_by(page)}
    assert applied == {key for key, values in OPTIONS.items() if values}


@pytest.mark.slow
@pytest.mark.parametrize("page", FILTER_PAGES)
def test_every_single_filter_value_from_the_url(page):
    """Each option of each filter the page applies, alone, as a shared link would carry it. A filter the
    page does not apply changes nothing there: its values are checked on the pages that apply it."""
    keys = keys_applied_by(page)
    if not keys:
        pytest.skip(f"{page} applies none of the shared filters (only the search)")
    for key in keys:
        for value in OPTIONS[key]:
            at = fresh(page)
            at.query_params[key] = value
            at.run()
            assert_sound(at, page, filters.FilterState({key: (value,)}))


@pytest.mark.parametrize("page", FILTER_PAGES)
@SETTINGS
@given(chosen=selections, text=searches)
def test_any_filter_state_from_the_url(page, chosen, text):
    at = fresh(page)
    for key, values in chosen.items():
        at.query_params[key] = values
    if text:
        at.query_params[filters.TEXT_KEY] = text
    at.run()
    state, _ = filters.state_from_query({**chosen, filters.TEXT_KEY: [text]}, OPTIONS)
    assert_sound(at, page, state)


@pytest.mark.parametrize("page", FILTER_PAGES)
@WIDGET_SETTINGS
@given(chosen=selections, text=searches)
def test_any_filter_state_from_the_widgets(page, chosen, text):
    at = fresh(page)
    at.session_state[FACETS_OPEN_KEY] = True  # the filters other than the search are drawn once opened
    at.run()
    for key, values in chosen.items():
        at.multiselect(key=key).set_value(values)
    at.text_input(key=filters.TEXT_KEY).input(text[:200])
    at.run()
    state, _ = filters.state_from_query({**chosen, filters.TEXT_KEY: [text[:200]]}, OPTIONS)
    assert_sound(at, page, state)


@pytest.mark.parametrize("page", PAGES)
@SETTINGS
@given(
    params=st.dictionaries(
        st.one_of(
            st.sampled_from([*OPTIONS, "q", "view", "trial", "agent", "colour", "present"]),
            st.text(min_size=1, max_size=30),
        ),
        st.lists(st.one_of(st.sampled_from(ODD_SEARCHES), st.text(max_size=30)), min_size=1, max_size=3),
        max_size=8,
    )
)
def test_odd_links_never_raise(page, params):
    at = fresh(page)
    for key, values in params.items():
        at.query_params[key] = values
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    # At most one combined notice about ignored parameters, however many the link carries.
    assert sum("Ignored" in w.value and "link parameter" in w.value for w in at.warning) <= 1


def test_hundreds_of_parameters_give_one_notice():
    at = fresh("pages/trials.py")
    for i in range(300):
        at.query_params[f"k{i}"] = "1"
    at.run()
    assert not at.exception
    notices = [w.value.replace("\\", "") for w in at.warning if "link parameter" in w.value]
    assert notices == ["Ignored 300 unknown link parameters: k0, k1, k2, k3, k4, k5, k6, k7, k8, k9 and 290 more."]


AGENT_IDS = list(LANDSCAPE.agents["agent_id"])
# What a board link's prior therapy can hold: agent ids and names, regimen names (as the widget writes them), an
# alias, and a word the data does not know.
PRIOR_WORDS = [*AGENT_IDS, *LANDSCAPE.agents["name"], *(r.name for r in vocab.REGIMENS), "T-DXd", "nosuch"]
# The board's own keys (landscape.board.PROFILE_KEYS), each value as a bound widget writes it or a typo of it;
# lists repeat the key.
board_links = st.fixed_dictionaries(
    {
        PROFILE_KEYS["line"]: st.sampled_from(["1L", "2L", "3L+", "4L", ""]),
        PROFILE_KEYS["her2"]: st.sampled_from([*board_words.HER2_WORDS.values(), "ihc3", "HER2+", ""]),
        PROFILE_KEYS["cps"]: st.one_of(
            st.just(""), st.floats(allow_nan=True, allow_infinity=True).map(str), st.sampled_from(ODD_SEARCHES)
        ),
        PROFILE_KEYS["prior"]: st.lists(st.sampled_from(PRIOR_WORDS), max_size=4),
        PROFILE_KEYS["agency"]: st.sampled_from(["FDA", "EMA", "PMDA", "NMPA", "MHRA"]),
        PROFILE_KEYS["countries"]: st.lists(
            st.sampled_from(["United States", "Japan", "China", "Germany", "US", "XX"]), max_size=3
        ),
        PROFILE_KEYS["since"]: st.sampled_from(["", "2020-01-01", "2026-11-27", "2026-02-30", "2030-01-01"]),
        PRESENT_KEY: st.sampled_from(["", "0", "1", "yes"]),
    }
).map(lambda d: {k: v for k, v in d.items() if v})


@SETTINGS
@given(params=board_links)
def test_any_board_profile_from_the_url(params):
    at = fresh("pages/board.py")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert sum("Ignored" in w.value for w in at.warning) <= 1
    assert not any("old parameter names" in w.value for w in at.warning), "the link uses the board's current keys"
    assert [h.value for h in at.header][0].startswith("Approved options (")


# ---------------------------------------------------------------- the sponsor, programme and setting facets

NEW_FACETS = ("sponsor", "programme", "setting")
new_facet_selections = st.fixed_dictionaries(
    {key: st.lists(st.sampled_from(OPTIONS[key]), max_size=3, unique=True) for key in NEW_FACETS}
).map(lambda d: {k: tuple(v) for k, v in d.items() if v})


@SETTINGS
@given(chosen=new_facet_selections, text=searches)
def test_new_facet_states_select_exactly_the_rows_that_hold_them(chosen, text):
    """On every table, the rows kept are those whose facet shares a value with each chosen facet, and the
    state travels through a link unchanged."""
    state = filters.FilterState(chosen, text.strip()[:200])
    for frame in LANDSCAPE.frames():
        shown = filters.apply_filters(frame, filters.FilterState(chosen))
        expected = filters.filter_mask(frame, filters.FilterState(chosen))
        assert len(shown) == int(expected.sum())
        for key, values in chosen.items():
            column = filters.SPECS[key].facet
            if column in frame.columns:
                assert all(set(cell) & set(values) for cell in shown[column]), key
    back, notices = filters.state_from_query(filters.state_to_query(state), OPTIONS)
    assert notices == [] and back.selections == state.selections


@SETTINGS
@given(chosen=selections)
def test_efficacy_facet_default_never_mixes_settings(chosen):
    """Whatever else is chosen, an efficacy comparison shows the chosen settings, else those of the lines
    chosen, else advanced only; never a setting nobody asked for."""
    state = filters.FilterState({k: tuple(v) for k, v in chosen.items()})
    settings_shown = filters.efficacy_settings(state)
    outcomes = filters.apply_filters(LANDSCAPE.outcomes, filters.efficacy_state(state))
    assert set().union(set(), *outcomes["f_setting"]) <= set(settings_shown)
    asked = set(chosen.get("setting", ())) or {vocab.setting_of(line) for line in chosen.get("line", ())}
    assert set(settings_shown) == (asked or {vocab.ADVANCED})


@SETTINGS
@given(chosen=selections)
def test_pipeline_matrix_counts_what_the_facets_leave(chosen):
    """Under any filter state the matrix counts each programme once per line, its cells add up, and every
    programme is of a chosen programme status, from a chosen sponsor, in a chosen line and setting."""
    from landscape import pipeline, sponsors, vocab

    state = filters.FilterState({k: tuple(v) for k, v in chosen.items()})
    agents, trials, approvals, lines = pipeline.filtered_inputs(
        LANDSCAPE.agents, LANDSCAPE.trials, LANDSCAPE.approvals, state
    )
    programmes = pipeline.programme_lines(agents, trials, approvals, "modality", lines)
    matrix = pipeline.pipeline_matrix(programmes)
    assert int(matrix["programmes"].sum()) == len(programmes)
    assert not programmes.duplicated(["agent_id", "line"]).any()
    assert int(matrix[list(pipeline.STATUSES)].to_numpy().sum()) == len(programmes)
    assert set(programmes["line"]) <= set(lines)
    if state.selected("programme"):
        assert set(programmes["programme_status"]) <= set(state.selected("programme"))
    if state.selected("setting"):
        assert {vocab.setting_of(line) for line in programmes["line"]} <= set(state.selected("setting"))
    if state.selected("sponsor"):
        assert all(
            set(sponsors.companies(d)) & set(state.selected("sponsor"))
            for d in LANDSCAPE.agents.set_index("agent_id").loc[programmes["agent_id"], "developer"]
        )


@SETTINGS
@given(chosen=new_facet_selections)
def test_pipeline_page_under_any_new_facet_state(chosen):
    at = fresh(sitemap.BY_NAME["pipeline"].file)
    for key, values in chosen.items():
        at.query_params[key] = list(values)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert not [w.value for w in at.warning if "Ignored" in w.value]
