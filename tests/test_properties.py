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

from landscape import filters, sitemap
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
board_links = st.fixed_dictionaries(
    {
        "line": st.sampled_from(["1L", "2L", "3L+", "4L", ""]),
        "her2": st.sampled_from(["ihc3", "ihc2-ish-pos", "ihc2-ish-neg", "ihc1", "ihc0", "unknown", "HER2+"]),
        "cps": st.one_of(
            st.just(""), st.floats(allow_nan=True, allow_infinity=True).map(str), st.sampled_from(ODD_SEARCHES)
        ),
        "prior": st.lists(st.sampled_from([*AGENT_IDS, "T-DXd", "nosuch"]), max_size=4).map(",".join),
        "agency": st.sampled_from(["FDA", "EMA", "PMDA", "NMPA", "MHRA"]),
        "countries": st.lists(st.sampled_from(["US", "JP", "CN", "DE", "XX", "usa"]), max_size=3).map(",".join),
        "since": st.sampled_from(["", "2020-01-01", "2026-11-27", "2026-02-30", "2030-01-01"]),
        "present": st.sampled_from(["", "0", "1", "yes"]),
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
    assert [h.value for h in at.header][0].startswith("Approved options (")
