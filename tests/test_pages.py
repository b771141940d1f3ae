"""Every page under Streamlit's AppTest: renders on the real data, filters change what is shown, the URL
round-trips, bad parameters give a notice, broken data gives the problem list and nothing else."""

from __future__ import annotations

import base64
import datetime as dt
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from landscape import filters, schema, sitemap
from landscape.board import words
from landscape.ui import FACETS_OPEN_KEY
from tests.conftest import ROOT, first_row_where, read_rows, set_cell, write_rows

PAGES = [p.file for p in sitemap.PAGES]
TIMEOUT = 120


def run_page(page: str, params: dict | None = None, open_filters: bool = False) -> AppTest:
    """Run a page as a fresh session with these link parameters; `open_filters` opens the sidebar's
    expander of filters first, as a reader does before choosing one (its widgets are drawn only then)."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if open_filters:
        at.session_state[FACETS_OPEN_KEY] = True
    at.switch_page(page)
    at.run()
    return at


def texts(at: AppTest) -> str:
    parts = (
        [m.value for m in at.markdown]
        + [c.value for c in at.caption]
        + [w.value for w in at.warning]
        + [i.value for i in at.info]
    )
    # Data strings are shown Markdown-escaped; compare what the reader sees.
    return "\n".join(str(p) for p in parts).replace("\\", "")


def plotly_figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def point_count(values: list | dict) -> int:
    """Return how many values a trace's x or y holds: Plotly sends numeric arrays as typed arrays
    ({"dtype": "f8", "bdata": <base64>}), whose len() would count the dict's two keys."""
    if isinstance(values, dict) and "bdata" in values:
        return len(base64.b64decode(values["bdata"])) // np.dtype(values["dtype"]).itemsize
    return len(values)


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_exception(page, landscape):
    at = run_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert f"as of {landscape.as_of}" in texts(at).replace("Evidence as of", "as of").replace("Data as of", "as of")


@pytest.mark.parametrize("page", PAGES)
def test_bad_link_parameters_give_a_notice(page):
    at = run_page(page, {"phase": "Phase 9", "bogus": "1"})
    assert not at.exception
    warnings = [w.value.replace("\\", "") for w in at.warning]
    if next(p for p in sitemap.PAGES if p.file == page).shared_filters:
        assert any('"Phase 9" for phase' in w for w in warnings), warnings
        assert any("Ignored 1 unknown link parameter: bogus" in w for w in warnings), warnings
    else:
        # A page without the shared filters (the tumour board) does not know "phase" either.
        assert any("Ignored 2 unknown link parameters: phase, bogus" in w for w in warnings), warnings


def test_hostile_link_parameter_is_shown_as_text():
    at = run_page("pages/trials.py", {"phase": "[click](javascript:alert(1))", "trial": "<img src=x>"})
    warnings = [w.value for w in at.warning]
    assert any("\\[click\\]\\(javascript\\:alert\\(1\\)\\)" in w for w in warnings), warnings
    assert any("\\<img src=x\\>" in w for w in warnings), warnings


def test_trials_filter_changes_rows():
    at = run_page("pages/trials.py", open_filters=True)
    everything = len(at.dataframe[0].value)
    at.multiselect(key="line").set_value(["1L"]).run()
    first_line = at.dataframe[0].value
    assert 0 < len(first_line) < everything
    assert set(first_line["line_of_therapy"]) == {"1L"}
    assert "line 1L" in texts(at)


FILTER_KEYS = [spec.key for spec in filters.FILTERS]


def sidebar_filters(at: AppTest) -> list[str]:
    """The keys of the filter widgets drawn in the sidebar."""
    return [w.key for w in at.sidebar.multiselect]


def facets_open(at: AppTest) -> bool:
    return at.sidebar.expander[0].proto.expanded


@pytest.mark.parametrize("page", [p.file for p in sitemap.PAGES if p.shared_filters])
def test_a_plain_page_draws_only_the_search_until_the_filters_are_opened(page):
    at = run_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert [w.key for w in at.sidebar.text_input] == [filters.TEXT_KEY]
    assert sidebar_filters(at) == [] and not facets_open(at)
    at.session_state[FACETS_OPEN_KEY] = True  # the reader opens the expander: the page runs again
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert sidebar_filters(at) == FILTER_KEYS and facets_open(at)


def test_a_link_with_a_filter_opens_the_filters_it_sets():
    at = run_page("pages/trials.py", {"phase": "Phase 3"})
    assert sidebar_filters(at) == FILTER_KEYS and facets_open(at)
    assert at.multiselect(key="phase").value == ["Phase 3"]
    assert set(at.dataframe[0].value["phase"]) == {"Phase 3"}


def test_closing_the_filters_keeps_a_chosen_filter_and_clearing_it_lets_them_go():
    at = run_page("pages/trials.py", open_filters=True)
    everything = len(at.dataframe[0].value)
    at.multiselect(key="line").set_value(["1L"]).run()
    chosen = len(at.dataframe[0].value)
    assert chosen < everything
    at.session_state[FACETS_OPEN_KEY] = False  # closed with a filter chosen: still drawn, still applied
    at.run()
    assert not facets_open(at) and sidebar_filters(at) == FILTER_KEYS
    assert at.multiselect(key="line").value == ["1L"] and len(at.dataframe[0].value) == chosen
    at.multiselect(key="line").set_value([]).run()  # nothing chosen and closed: no widget left to draw
    at.run()
    assert sidebar_filters(at) == [] and len(at.dataframe[0].value) == everything


def test_trials_url_reproduces_the_view():
    at = run_page("pages/trials.py", {"line": ["2L", "3L+"], "phase": "Phase 3", "trial": "destiny_gastric04"})
    assert at.multiselect(key="line").value == ["2L", "3L+"]
    assert at.multiselect(key="phase").value == ["Phase 3"]
    table = at.dataframe[0].value
    assert set(table["phase"]) == {"Phase 3"}
    assert "DESTINY\\-Gastric04" in [h.value for h in at.header]
    assert "line 2L or 3L+; phase Phase 3" in texts(at)


def test_unknown_trial_in_link_gives_a_notice():
    at = run_page("pages/trials.py", {"trial": "no_such_trial"})
    assert any('Ignored "no_such_trial" for trial' in w.value.replace("\\", "") for w in at.warning)
    assert at.selectbox[0].value is None
    assert not at.exception


@pytest.mark.parametrize("alias", ["DS-8201", "T-DXd", "Enhertu"])
def test_alias_finds_the_agent(alias):
    at = run_page("pages/agents.py", {"q": alias})
    table = at.dataframe[0].value
    assert list(table["name"]) == ["Trastuzumab deruxtecan"]


def test_agent_detail_from_link():
    at = run_page("pages/agents.py", {"agent": "trastuzumab_deruxtecan"})
    assert "Trastuzumab deruxtecan" in [h.value for h in at.header]
    assert at.query_params["agent"] in ("trastuzumab_deruxtecan", ["trastuzumab_deruxtecan"])
    assert "Approvals" in " ".join(s.value for s in at.subheader)


def test_choosing_a_trial_puts_it_in_the_url():
    at = run_page("pages/trials.py")
    at.selectbox[0].set_value("toga").run()
    assert at.query_params["trial"] in ("toga", ["toga"])
    assert "ToGA" in [h.value for h in at.header]


def test_empty_result_says_what_to_loosen():
    at = run_page("pages/trials.py", {"line": "perioperative", "q": "zzzz-nothing"})
    info = " ".join(i.value for i in at.info)
    assert "No trials match" in info and "search text" in info


def test_efficacy_orr_chart_has_hover_with_population_and_source():
    at = run_page("pages/efficacy.py")
    figures = plotly_figures(at)
    assert figures, "no chart"
    trace = figures[0]["data"][0]
    assert "Source" in trace["hovertemplate"] and "population" in trace["hovertemplate"]
    assert "Cross-trial comparison" in texts(at)


@pytest.mark.parametrize("view", ["Survival", "Hazard ratios", "Randomised pairs", "Table"])
def test_efficacy_views_from_link(view):
    at = run_page("pages/efficacy.py", {"view": view})
    assert not at.exception
    if view in {"Survival", "Hazard ratios"}:
        assert len(plotly_figures(at)) == 2
    else:
        assert len(at.dataframe[0].value) > 0


def test_efficacy_shows_headline_rows_by_default_and_all_rows_on_request(landscape):
    headline = run_page("pages/efficacy.py", {"view": "Table"})
    everything = run_page("pages/efficacy.py", {"view": "Table", "rows": "All results"})
    shown, total = len(headline.dataframe[0].value), len(everything.dataframe[0].value)
    assert shown == int(landscape.outcomes["is_headline"].sum()) and total == len(landscape.outcomes) and shown < total
    assert {"tier", "why this tier", "comparison"} <= set(
        headline.dataframe[0].value.columns
    ) or "evidence_tier" in headline.dataframe[0].value.columns


def test_efficacy_tiers_can_be_hidden(landscape):
    at = run_page("pages/efficacy.py", {"view": "Table", "rows": "All results", "tiers": ["tier 1"]})
    table = at.dataframe[0].value
    assert len(table) == int((landscape.outcomes["evidence_tier"] == 1).sum()) and set(table["evidence_tier"]) == {1}


def test_anchor_comparison_names_each_dimension(landscape):
    anchor = landscape.outcomes[
        (landscape.outcomes["trial_id"] == "destiny_gastric04")
        & landscape.outcomes["is_headline"].fillna(False).astype(bool)
    ].iloc[0]
    at = run_page("pages/efficacy.py", {"view": "Compare with a reference", "anchor": anchor["outcome_id"]})
    assert not at.exception
    table = at.dataframe[0].value
    for column in ("line", "comparator", "population type", "analysis stage", "HER2 criterion", "region", "assessment"):
        assert column in table.columns
    first = table.iloc[0]
    assert all(first[c] == "same" for c in ("line", "comparator", "population type"))
    others = table.iloc[1:]
    assert (others["line"].str.startswith("different")).any() and (others["line"] == "same").any()


def test_anchor_outside_the_selection_says_so():
    at = run_page(
        "pages/efficacy.py",
        {"view": "Compare with a reference", "anchor": "toga__chemo__primary_analysis_pop", "line": "3L+"},
    )
    assert not at.exception
    assert any("not in the current selection" in i.value for i in at.info)


def test_single_trial_selection_has_no_cross_trial_caution():
    at = run_page("pages/efficacy.py", {"q": "destiny-gastric04"})
    assert "Cross-trial comparison" not in texts(at)


def _trials_and_titles(at: AppTest) -> list[tuple[set[str], list[str]]]:
    """Per chart: the trials of its drawn rows (hover data starts with the trial) and its panel titles."""
    out = []
    for figure in plotly_figures(at):
        trials = {row[0] for t in figure["data"] for row in (t.get("customdata") or []) if row and row[0]}
        out.append((trials, [a.get("text", "") for a in figure["layout"].get("annotations", [])]))
    return out


def test_efficacy_comparisons_show_advanced_disease_unless_perioperative_is_chosen(landscape):
    from landscape import vocab

    trials = landscape.trials
    perioperative = set(trials.loc[trials["line_of_therapy"] == vocab.PERIOPERATIVE, "acronym"])
    default = run_page("pages/efficacy.py", {"view": "Hazard ratios"})
    assert "Advanced (unresectable or metastatic) disease only" in texts(default)
    drawn = set().union(*(t for t, _ in _trials_and_titles(default)))
    assert drawn and not drawn & perioperative
    asked = run_page("pages/efficacy.py", {"view": "Hazard ratios", "line": ["1L", "perioperative"]})
    charts = _trials_and_titles(asked)
    assert set().union(*(t for t, _ in charts)) & perioperative
    assert any(title.startswith("Perioperative: vs ") for _, titles in charts for title in titles)
    assert "each setting in its own panel" in texts(asked)


def test_efficacy_rows_in_the_order_chosen_from_the_link():
    def first_panel(order: str | None) -> list[str]:
        at = run_page("pages/efficacy.py", {"view": "Hazard ratios"} | ({"order": order} if order else {}))
        assert not at.exception
        ticks = plotly_figures(at)[0]["layout"]["yaxis"]["ticktext"]
        return [tick.split("</b>")[0].removeprefix("<b>") for tick in ticks]

    clinical, alphabetical = first_panel(None), first_panel("Alphabetical")
    assert sorted(clinical) == sorted(alphabetical) and alphabetical == sorted(alphabetical, key=str.casefold)
    assert clinical != alphabetical


def test_map_is_offline_and_has_sites():
    at = run_page("pages/map.py")
    decks = at.get("deck_gl_json_chart")
    assert len(decks) == 2
    spec = json.loads(decks[0].proto.json)
    assert spec["mapStyle"].startswith("data:application/json")
    assert [layer["@@type"] for layer in spec["layers"]] == ["GeoJsonLayer", "ScatterplotLayer"]


def test_map_filter_by_region_changes_points():
    everything = run_page("pages/map.py")
    europe = run_page("pages/map.py", {"region": "Europe"})
    count = lambda at: len(json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"][1]["data"])  # noqa: E731
    assert 0 < count(europe) < count(everything)


def test_timeline_trials_view_marks_today():
    at = run_page("pages/timeline.py")
    figures = plotly_figures(at)
    assert len(figures) == 1
    assert any(shape.get("line", {}).get("dash") == "dot" for shape in figures[0]["layout"]["shapes"])
    assert "Readouts" in [s.value for s in at.subheader]


def test_timeline_approvals_view_from_link(landscape):
    at = run_page("pages/timeline.py", {"view": "Approvals", "agency": "NMPA"})
    figures = plotly_figures(at)
    assert len(figures) == 1 and {t["name"] for t in figures[0]["data"]} == {"NMPA"}
    assert len(at.dataframe[0].value) == int((landscape.approvals["agency"] == "NMPA").sum())


def test_timeline_calendar_view_lists_the_catalysts_and_flags_overdue(landscape):
    from landscape import catalysts

    expected = catalysts.build_catalysts(landscape)
    at = run_page("pages/timeline.py", {"view": "Catalyst calendar"})
    assert not at.exception
    shown = at.dataframe[0].value
    assert list(shown["what"]) == [c.what for c in expected]
    overdue = sum(c.status == "overdue" for c in expected)
    assert f"{len(expected)} catalysts** ({overdue} overdue)" in " ".join(m.value for m in at.markdown)
    # A longer window never shows fewer items; a past date adds what happened since.
    at.selectbox(key="calendar_window").set_value(36).run()
    assert len(at.dataframe[0].value) >= len(shown)


def test_sources_page_lists_every_source(landscape):
    at = run_page("pages/sources.py")
    assert len(at.dataframe[0].value) == len(landscape.sources)


def test_broken_data_shows_problems_and_nothing_else(monkeypatch, data_copy):
    index = first_row_where(data_copy, "trials")
    set_cell(data_copy, "trials", index, "phase", "Phase 9")
    monkeypatch.setenv("LANDSCAPE_DATA_DIR", str(data_copy))
    for page in PAGES:
        at = run_page(page)
        assert not at.exception
        assert at.error and "did not validate" in at.error[0].value
        assert len(at.dataframe) == 1
        problems = at.dataframe[0].value
        assert list(problems.columns) == ["file", "row", "column", "problem"]
        assert ("trials.csv", index + 2, "phase") in set(
            zip(problems["file"], problems["row"], problems["column"], strict=True)
        )
        assert not at.get("plotly_chart") and not at.get("deck_gl_json_chart")


def test_hostile_strings_are_shown_as_text(monkeypatch, data_copy):
    index = first_row_where(data_copy, "trials", trial_id="destiny_gastric04")
    set_cell(data_copy, "trials", index, "acronym", "<img src=x onerror=alert(1)> [link](javascript:alert(1)) **bold**")
    monkeypatch.setenv("LANDSCAPE_DATA_DIR", str(data_copy))
    at = run_page("pages/trials.py", {"trial": "destiny_gastric04"})
    assert not at.exception
    header = [h.value for h in at.header][0]
    assert "\\<img" in header and "\\[link\\]\\(javascript\\:alert" in header and "\\*\\*bold\\*\\*" in header
    at = run_page("pages/overview.py")
    assert not any("<img" in m.value and "\\<img" not in m.value for m in at.markdown)


def test_edited_file_is_picked_up_without_restart(monkeypatch, data_copy):
    monkeypatch.setenv("LANDSCAPE_DATA_DIR", str(data_copy))
    at = run_page("pages/agents.py", {"agent": "trastuzumab"})
    index = first_row_where(data_copy, "agents", agent_id="trastuzumab")
    set_cell(data_copy, "agents", index, "name", "Trastuzumab (edited copy)")
    at.run()
    assert "Trastuzumab \\(edited copy\\)" in [h.value for h in at.header]


def test_overview_lists_at_most_a_screenful_per_line_and_says_how_many_more(monkeypatch, tmp_path):
    # A 100x copy put ~500 approved regimens in each column: a page every browser took seconds to draw.
    from landscape import summaries
    from landscape.paths import BUNDLED_DATA_DIR
    from landscape.prepare import prepare_landscape
    from landscape.synthetic import scale_data_dir

    copy = tmp_path / "x4"
    scale_data_dir(BUNDLED_DATA_DIR, copy, 4)
    monkeypatch.setenv("LANDSCAPE_DATA_DIR", str(copy))
    at = run_page("pages/overview.py")
    assert not at.exception, [e.value for e in at.exception]
    limit = at_module_constant("pages/overview.py", "BOARD_MAX")
    board = summaries.line_board(prepare_landscape(copy)[0])
    longest = max(len(column.approved) for column in board)
    assert longest > limit, "the copy must have more approved regimens in a line than the page lists"
    approved_lists = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert approved_lists and max(text.count("\n- ") + 1 for text in approved_lists) == limit
    captions = texts(at)
    for column in board:
        if len(column.approved) > limit:
            assert f"…and {len(column.approved) - limit} more approved regimens" in captions


def at_module_constant(page: str, name: str) -> int:
    """Return an integer constant of a page file (pages are scripts, not importable modules)."""
    import ast

    tree = ast.parse((ROOT / page).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise LookupError(f"{name} not in {page}")


def test_the_component_scan_runs_once(monkeypatch):
    # See tests/conftest.py::component_scan_once: every fresh AppTest asks manifest_scanner for the scan
    # (so the session's reused result is what it gets), and the reused result is what a real scan finds.
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    assert scan.real() == scan()
    calls = []
    monkeypatch.setattr(manifest_scanner, "scan_component_manifests", lambda *a: calls.append(a) or scan(*a))
    run_page("pages/sources.py")
    run_page("pages/sources.py")
    assert len(calls) == 2, "Streamlit no longer scans through manifest_scanner.scan_component_manifests"


def test_the_repl_check_is_skipped_under_a_server(monkeypatch):
    # See landscape/ui.py::skip_repl_check: the flag it sets is the one Streamlit reads before its REPL check.
    from streamlit import delta_generator, env_util, runtime

    from landscape import ui

    def stack_walk():
        raise AssertionError("the REPL check ran")

    monkeypatch.setattr(env_util, "is_repl", stack_walk)
    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    monkeypatch.setattr(runtime, "exists", lambda: False)
    ui.skip_repl_check()  # no server: the check stays, so `python dashboard.py` gets its hint
    with pytest.raises(AssertionError, match="the REPL check ran"):
        delta_generator._maybe_print_use_warning()
    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    monkeypatch.setattr(runtime, "exists", lambda: True)
    ui.skip_repl_check()
    delta_generator._maybe_print_use_warning()  # under a server: no stack walk


def test_source_listing_escapes_citations_and_keeps_links_inside_the_target():
    import pandas as pd

    from landscape import text

    table = pd.DataFrame(
        {
            "source_id": ["x"],
            "kind": ["news report"],
            "citation": ["[evil](javascript:alert(1)) *x*"],
            "published": ["2024"],
            "url": ["https://example.org/a_(b)"],
        }
    )
    listing = text.source_listing(table)
    assert "\\[evil\\]\\(javascript\\:alert\\(1\\)\\)" in listing
    assert "[open](https://example.org/a_%28b%29)" in listing
    assert text.safe_link("javascript:alert(1)") == ""


BOARD = "pages/board.py"


def board_texts(at: AppTest) -> str:
    return (
        texts(at)
        + "\n"
        + "\n".join(h.value for h in at.header)
        + "\n"
        + "\n".join(s.value.replace("\\", "") for s in at.subheader)
    )


def test_board_profile_from_the_link():
    at = run_page(
        BOARD, {"b_line": "2L", "b_cps": "5", "b_prior": "Trastuzumab", "b_countries": ["United States", "Canada"]}
    )
    assert not at.exception, [e.value for e in at.exception]
    # The only warnings: the cross-trial caution (DESTINY-Gastric01 and -04 side by side) and the advice note.
    assert all(w.value.startswith(("Cross-trial comparison", "For information")) for w in at.warning), at.warning
    assert any(w.value.startswith("Cross-trial comparison") for w in at.warning)
    shown = board_texts(at)
    assert (
        "2L · HER2 IHC 3+ · PD-L1 CPS 5 · prior Trastuzumab · FDA labels · could enrol in United States, Canada"
        in shown
    )
    assert "Fam-trastuzumab deruxtecan-nxki monotherapy 6.4 mg/kg q3w** · FDA 2021-01-15" in shown
    assert ":green[**FITS**] · **Fam" in shown and "SUPERSEDED" not in shown
    assert "Superseded, not current options" in shown
    assert "Nothing typed here is stored on the server" in shown
    assert (
        "Approved options (FDA labels)" in shown
        and "Key evidence: 2L" in shown
        and "Trials" in shown
        and f"What changed since {(dt.date.fromisoformat(schema.as_of()) - dt.timedelta(days=30)).isoformat()}" in shown
    )
    assert len(plotly_figures(at)) == 1
    assert at.multiselect(key="b_prior").value == ["trastuzumab"]
    assert at.segmented_control(key="b_line").value == "2L"


def test_an_old_board_link_is_read_under_the_new_names_with_one_notice():
    at = run_page(
        BOARD, {"line": "2L", "her2": "ihc3", "cps": "5", "prior": "trastuzumab", "agency": "FDA", "countries": "US,CA"}
    )
    assert not at.exception, [e.value for e in at.exception]
    notices = [w.value.replace("\\", "") for w in at.warning if "old parameter names" in w.value]
    assert len(notices) == 1 and "line as b_line" in notices[0] and "Ignored" not in notices[0], notices
    assert (
        "2L · HER2 IHC 3+ · PD-L1 CPS 5 · prior Trastuzumab · FDA labels · could enrol in United States, Canada"
        in board_texts(at)
    )
    assert dict(at.query_params) == {
        "b_line": "2L",
        "b_cps": "5",
        "b_prior": "Trastuzumab",
        "b_countries": ["United States", "Canada"],
    }


def test_the_board_keys_mean_something_only_on_the_board():
    at = run_page("pages/trials.py", {"line": "2L", "her2": "ihc3", "b_agency": "EMA"})
    assert at.multiselect(key="line").value == ["2L"], "line is the shared filter here"
    warnings = " ".join(w.value.replace("\\", "") for w in at.warning)
    assert '"ihc3" for her2 criterion' in warnings and "unknown link parameter: b_agency" in warnings
    assert "old parameter names" not in warnings


def test_board_page_and_deck_say_the_same_thing(landscape):
    from landscape.board.engine import build_board
    from landscape.board.profile import Profile

    at = run_page(BOARD, {"b_cps": "0"})
    result = build_board(landscape, Profile("1L", "ihc3", 0.0, (), "FDA"))
    shown = board_texts(at)
    for option in result.approved:
        if option.verdict != "superseded":
            for reason in option.reasons:
                assert reason in shown, reason
    assert "the FDA 2025-03-19 label is restricted to PD-L1 CPS >= 1; patient CPS 0" in shown


def test_board_bad_link_values_give_one_notice_naming_each_parameter():
    at = run_page(
        BOARD,
        {
            "b_line": "4L",
            "b_her2": "<b>x</b>",
            "b_cps": "lots",
            "b_agency": "WHO",
            "b_since": "2099-01-01",
            "nonsense": "1",
        },
    )
    assert not at.exception
    notices = [w.value.replace("\\", "") for w in at.warning if "Ignored" in w.value]
    assert len(notices) == 1, notices
    for fragment in (
        'b_line: "4L"',
        'b_her2: "<b>x</b>"',
        'b_cps: "lots"',
        'b_agency: "WHO"',
        "b_since: 2099-01-01",
        "unknown link parameter: nonsense",
    ):
        assert fragment in notices[0]
    assert "\\<b\\>" in [w.value for w in at.warning if "Ignored" in w.value][0], "data in a notice is escaped"
    assert dict(at.query_params) == {}, "the address is rewritten to the profile shown (all defaults)"


def test_board_empty_results_say_so(monkeypatch, data_copy):
    # Readouts dated only by year could fall after any day of that year; date them to the month here.
    header, rows = read_rows(data_copy, "outcomes")
    for row in rows:
        if len(row["readout_date"]) == 4:
            row["readout_date"] += "-01"
    write_rows(data_copy, "outcomes", header, rows)
    monkeypatch.setenv("LANDSCAPE_DATA_DIR", str(data_copy))
    at = run_page(BOARD, {"b_line": "2L", "b_her2": "IHC 0", "b_agency": "EMA", "b_since": schema.as_of()})
    assert not at.exception
    info = " ".join(i.value for i in at.info)
    assert "No approved option fits this profile" in info
    assert "No open trial in the data fits or nearly fits" in info
    assert f"Nothing in the data is dated after {schema.as_of()}" in info
    assert not plotly_figures(at)


def test_board_marks_imprecise_change_dates():
    at = run_page(BOARD)
    assert "(date imprecise)" in board_texts(at)


def test_board_widget_change_updates_the_view_and_its_link():
    # The browser writes a bound widget's value into the address (tests/test_browser.py); here, the view.
    at = run_page(BOARD)
    at.segmented_control(key="b_agency").set_value("NMPA").run()
    at.number_input(key="b_cps").set_value(3.0).run()
    shown = board_texts(at)
    assert "NMPA labels" in shown and "PD-L1 CPS 3" in shown
    assert "/board?b_cps=3&b_agency=NMPA&present=1" in shown


def test_board_presentation_view_from_the_link():
    at = run_page(BOARD, {"b_line": "2L", "b_prior": "Trastuzumab", "present": "1"})
    assert not at.exception
    assert [b.label for b in at.button] == ["Leave presentation view"]
    shown = board_texts(at)
    assert "Not fitting this profile" in shown
    assert shown.count(words.CROSS_TRIAL_CAUTION) == 1, "the caution once"
    for anchor in ("options", "evidence", "trials", "changes"):
        assert f"](#{anchor})" in shown, f"no link to the {anchor} section"
    assert {h.proto.anchor for h in at.header} >= {"options", "evidence", "trials", "changes"}
    figure = plotly_figures(at)[0]
    layout = figure["layout"]
    assert layout["font"]["size"] >= 20 and not layout.get("title", {}).get("text"), "no title: the header says it"
    assert all(axis["tickfont"]["size"] >= 18 for key, axis in layout.items() if key.startswith(("xaxis", "yaxis")))
    assert figure["data"][0]["y"], "one row per arm"


def test_board_evidence_on_the_page_says_the_caution_once_and_lists_results_under_their_trial():
    at = run_page(BOARD, {"b_line": "2L", "b_prior": "Trastuzumab"})
    shown = board_texts(at)
    assert shown.count(words.CROSS_TRIAL_CAUTION) == 1
    first, second = shown.index("DESTINY-Gastric04 · Phase 3 · 2L"), shown.index("DESTINY-Gastric01 · Phase 2 · 3L+")
    assert first < second, "the 2L pivotal trial before the 3L+ trial"
    chart = plotly_figures(at)[0]
    notes = " ".join(a.get("text", "") for a in chart["layout"].get("annotations", []))
    assert "Cross-trial" not in notes, "said above the chart, not again inside it"


def test_board_presentation_button_sets_the_link():
    at = run_page(BOARD)
    at.button[0].click().run()
    assert at.query_params["present"] in ("1", ["1"])


def test_board_shows_problems_for_broken_data(monkeypatch, data_copy):
    index = first_row_where(data_copy, "eligibility", approval_id="fda_trastuzumab_2010")
    set_cell(data_copy, "eligibility", index, "lines", "5L")
    monkeypatch.setenv("LANDSCAPE_DATA_DIR", str(data_copy))
    at = run_page(BOARD)
    assert at.error and "did not validate" in at.error[0].value
    assert ("eligibility.csv", index + 2, "lines") in set(
        zip(at.dataframe[0].value["file"], at.dataframe[0].value["row"], at.dataframe[0].value["column"], strict=True)
    )


@pytest.mark.parametrize("page", [p.file for p in sitemap.PAGES if p.shared_filters])
def test_tables_show_headings_in_words_and_blanks_as_blank(page):
    at = run_page(page, {"view": "Table"} if page.endswith("efficacy.py") else None)
    for frame in at.dataframe:
        proto = frame.proto
        assert proto.placeholder == "", f"{page}: missing values would show as 'None'"
        labels = {
            name: spec.get("label", name)
            for name, spec in json.loads(proto.columns or "{}").items()
            if name != "_index"
        }
        snake = [label for label in labels.values() if "_" in label]
        assert not snake, f"{page}: headings not in words: {snake}"


def query_lists(params: dict) -> dict[str, list[str]]:
    """AppTest's query parameters (a single value as str, repeated ones as a list) as lists."""
    return {key: list(value) if isinstance(value, list) else [value] for key, value in params.items()}


def notices(at: AppTest) -> list[str]:
    """The link notices a page shows: every one says what it ignored."""
    return [w.value.replace("\\", "") for w in at.warning if "Ignored" in w.value.replace("\\", "")]


def _formatted_choices() -> dict[str, dict[str, str]]:
    from landscape.board import PROFILE_KEYS, words

    return {PROFILE_KEYS["her2"]: {label: value for value, label in words.HER2_WORDS.items()}}


def change_widget(widget) -> bool:
    """Set a page widget to a valid value other than its current one, as a reader would; return whether
    it was changed. Choices are set as the option the reader sees (a record's name, a country's name)."""
    kind = widget.type
    if kind == "toggle":
        widget.set_value(not widget.value)
    elif kind in ("selectbox", "button_group") and widget.options:
        current = widget.index if kind == "selectbox" else (widget.indices or [None])[0]
        option = widget.options[0 if current is None else (current + 1) % len(widget.options)]
        # AppTest sets a selectbox by its value, while its options are the formatted labels.
        widget.set_value(FORMATTED_CHOICES.get(getattr(widget, "key", None), {}).get(option, option))
    elif kind == "multiselect" and widget.options:
        chosen = list(widget.values)
        widget.set_value(chosen[:-1] if len(chosen) > 1 else [o for o in widget.options if o not in chosen][:1])
    elif kind == "number_input":
        widget.set_value((widget.value or 0) + 1)
    elif kind == "date_input" and isinstance(widget.value, dt.date):
        widget.set_value(widget.value - dt.timedelta(days=31))
    else:
        return False
    return True


def page_link_from_its_widgets(spec) -> dict[str, list[str]]:
    """Return the address a page writes once a reader has set each of its own widgets (not the shared
    filters) to another valid value and pressed its buttons: the page's own URL keys with valid values,
    taken from the page itself. Widgets that appear only in another view (the reference selector of the
    comparison view) are reached by stepping the view choices on, one option per round."""
    at = run_page(spec.file)
    handled: set = set()
    defaults: dict = {}
    for round_ in range(12):
        link = query_lists(at.query_params) | bound_params(at)
        widgets = [w for kind in WIDGET_KINDS for w in getattr(at.main, kind)]
        fresh = [w for w in widgets if ident(w) not in handled]
        if not fresh and set(spec.url_keys) <= set(link):
            return link
        for widget in fresh:
            handled.add(ident(widget))
            defaults[ident(widget)] = list(widget.formatted_values) if widget.type == "button_group" else None
            change_widget(widget)
        if not fresh:
            for widget in (w for w in widgets if w.type == "button_group"):
                # On to the next choice, never back to the default (a default is left out of the address).
                step_choice(widget, defaults.get(ident(widget)) or [])
        if round_ == 0:
            for button in at.main.button:
                button.click()
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert notices(at) == [], f"{spec.name}: a page's own widgets gave a link notice: {notices(at)}"
    return query_lists(at.query_params) | bound_params(at)


def step_choice(widget, default: list[str]) -> None:
    """Set a single-choice button group to its next option other than the default."""
    current = (widget.indices or [0])[0]
    for step in range(1, len(widget.options)):
        option = widget.options[(current + step) % len(widget.options)]
        if option not in default:
            widget.set_value(option)
            return


def ident(widget) -> tuple[str, str]:
    return widget.type, getattr(widget, "key", None) or getattr(widget, "label", "")


def bound_params(at: AppTest) -> dict[str, list[str]]:
    """Return the parameters of the page's widgets bound to the address (bind="query-params"), as the
    browser writes them (AppTest runs no browser, so its query parameters do not show them)."""
    out = {}
    for widget in (w for kind in WIDGET_KINDS for w in getattr(at.main, kind)):
        key = getattr(widget.proto, "query_param_key", "")
        if not key:
            continue
        if widget.type == "toggle":
            out[key] = [str(widget.value).lower()]
        elif widget.type == "button_group":
            out[key] = list(widget.formatted_values)
        elif widget.type == "multiselect":
            out[key] = list(widget.values)
        elif widget.type == "selectbox":
            out[key] = [widget.options[widget.index]] if widget.index is not None else []
        else:
            out[key] = [str(widget.value)]
    return {k: v for k, v in out.items() if v}


FORMATTED_CHOICES = _formatted_choices()
WIDGET_KINDS = ("toggle", "selectbox", "button_group", "multiselect", "number_input", "date_input")


# The board's profile widgets are bound to the address and formatted (HER2 labels over ids); AppTest 1.67 cannot
# set them as a reader does (it writes the label where the widget keeps the id). The board's links are checked
# by the old-link translation tests here and by Back/Forward in the browser tests.
VALID_LINK_PAGES = [
    pytest.param(p, marks=pytest.mark.xfail(reason="AppTest 1.67 cannot set the board's formatted bound widgets"))
    if p.name == "board"
    else p
    for p in sitemap.PAGES
]


@pytest.mark.parametrize("spec", VALID_LINK_PAGES, ids=[p.name for p in sitemap.PAGES])
def test_a_valid_link_gives_no_notice(spec, landscape):
    from landscape import filters

    own = page_link_from_its_widgets(spec)
    missing = set(spec.url_keys) - set(own)
    assert not missing, f"{spec.name}: no widget of the page wrote {sorted(missing)}: extend the test's widget kinds"
    link = dict(own)
    if spec.shared_filters:
        # One real option of every filter and a search for a real trial name, as the sidebar writes them.
        first = {s.key: filters.filter_options(landscape.frames(), s.key)[:1] for s in filters.FILTERS}
        state = filters.FilterState({k: tuple(v) for k, v in first.items() if v}, landscape.trials["acronym"].iloc[0])
        link |= filters.state_to_query(state)
    at = run_page(spec.file, link)
    assert not at.exception, [e.value for e in at.exception]
    assert notices(at) == [], f"{spec.name}: a valid link {link} gave a notice"
    assert set(link) <= set(at.query_params), f"{spec.name}: the page dropped {set(link) - set(at.query_params)}"


def test_board_safety_block_leads_with_the_boxed_warning_and_shows_both_arms():
    at = run_page(BOARD, {"b_line": "2L", "b_prior": "Trastuzumab"})
    assert not at.exception, [e.value for e in at.exception]
    cards = [m.value.replace("\\", "") for m in at.markdown if m.value.startswith("**Safety**")]
    card = next(c for c in cards if "DESTINY-Gastric04" in c)
    boxed = card.index(":red[**Boxed warnings (FDA label)**]")
    assert "Interstitial lung disease and pneumonitis" in card[boxed:]
    experimental = card.index("DESTINY-Gastric04, experimental arm")
    control = card.index("DESTINY-Gastric04, control arm")
    assert boxed < card.index("**Warnings (FDA label)**") < experimental < control
    assert card.index("**Monitoring the label asks for (FDA label)**") > control
    assert "attribution (all-cause or treatment-related) not stated: grade >= 3 adverse events 50%" in card
    shown = board_texts(at)
    assert "**Guidelines**: no guideline position recorded" in shown


def test_board_safety_block_names_the_stand_in_label():
    at = run_page(BOARD, {"b_line": "1L", "b_cps": "5", "b_agency": "PMDA"})
    assert not at.exception, [e.value for e in at.exception]
    shown = board_texts(at)
    assert "_PMDA label not recorded; warnings from the FDA label._" in shown
    assert "**Guidelines**: CSCO 2021: Grade I recommendation" in shown


def frame_with(at: AppTest, column: str, value: str):
    return next(d.value for d in at.dataframe if column in d.value.columns and value in set(d.value[column]))


def test_agent_detail_shows_label_warnings_by_agency_and_its_trials_safety(landscape):
    at = run_page("pages/agents.py", {"agent": "trastuzumab_deruxtecan"})
    assert not at.exception, [e.value for e in at.exception]
    headings = [s.value for s in at.subheader]
    assert "Label warnings by agency" in headings and "Safety in this agent's trials" in headings
    labels = frame_with(at, "kind", "boxed warning")
    held = landscape.safety[landscape.safety["agent_id"] == "trastuzumab_deruxtecan"]
    assert set(labels["agency"]) == set(held["agency"].dropna())
    first = labels[labels["agency"] == labels["agency"].iloc[0]]
    assert first["kind"].iloc[0] == "boxed warning", "boxed warnings lead each label"
    assert labels["source_url"].notna().all()
    rates = frame_with(at, "measure_words", "grade >= 3 adverse events")
    assert {"experimental", "control"} <= set(rates["arm_role"])


def test_trial_detail_shows_safety_by_arm_beside_efficacy():
    at = run_page("pages/trials.py", {"trial": "destiny_gastric04"})
    assert not at.exception, [e.value for e in at.exception]
    headings = [s.value for s in at.subheader]
    outcomes = next(i for i, h in enumerate(headings) if h.startswith("Arms and outcomes"))
    assert headings[outcomes + 1].startswith("Safety by arm")
    rates = frame_with(at, "measure_words", "grade >= 3 adverse events")
    assert list(dict.fromkeys(rates["arm_role"])) == ["experimental", "control"]
    for column in ("value", "attribution", "population", "n_safety", "analysis", "source_url"):
        assert column in rates.columns


def test_efficacy_benefit_and_harm_view_from_the_link(landscape):
    from landscape import safety

    at = run_page("pages/efficacy.py", {"view": "Benefit and harm"})
    assert not at.exception, [e.value for e in at.exception]
    figures = plotly_figures(at)
    assert len(figures) == 1
    figure = figures[0]
    expected = safety.benefit_harm(
        landscape.outcomes[landscape.outcomes["is_headline"]], landscape.safety, "median_os_months", "grade3plus_ae_pct"
    )
    assert sum(point_count(t["x"]) for t in figure["data"]) == len(expected) > 0
    assert figure["layout"]["yaxis"]["title"]["text"].endswith("all-cause (%)")
    assert all("population" in t["hovertemplate"] and "attribution" in t["hovertemplate"] for t in figure["data"])
    assert "Cross-trial caution" in texts(at)


def test_efficacy_benefit_and_harm_table_and_other_definition():
    at = run_page(
        "pages/efficacy.py",
        {"view": "Benefit and harm", "bh_harm": "treatment-related", "bh_efficacy": "ORR", "bh_show": "Table"},
    )
    assert not at.exception, [e.value for e in at.exception]
    if at.dataframe:
        table = at.dataframe[0].value
        assert {"efficacy", "harm", "harm_attribution", "efficacy_population", "harm_population"} <= set(table.columns)
    else:
        assert any("No arm in this selection has both ORR (%)" in i.value.replace("\\", "") for i in at.info)
    at = run_page("pages/efficacy.py", {"view": "Benefit and harm", "bh_show": "Table"})
    table = at.dataframe[0].value
    assert len(table) > 0 and {"efficacy_source_url", "harm_source_url"} <= set(table.columns)


# ---------------------------------------------------------------- overview, map and tables follow the analyst


@pytest.mark.parametrize(
    ("page", "lead"),
    [
        (
            "pages/agents.py",
            ["name", "highest phase", "lines (of its trials)", "programme in G/GEJ", "sponsor (developer)"],
        ),
        ("pages/trials.py", ["trial", "phase", "line", "registry status", "lead sponsor"]),
    ],
)
def test_tables_lead_with_name_phase_line_status_and_sponsor_on_the_first_screen(page, lead):
    """Name, phase, line, status and sponsor come first, pinned name, widths that fit a 1440 px screen."""
    from landscape import ui

    at = run_page(page)
    table = at.dataframe[0]
    configs = json.loads(table.proto.columns)
    shown = [c for c in table.value.columns]
    headings = [configs.get(c, {}).get("label", c) for c in shown]
    assert headings[: len(lead)] == lead
    widths = [configs[c]["width"] for c in shown[: len(lead)]]
    assert all(isinstance(w, int) for w in widths) and sum(widths) <= ui.TABLE_FIRST_SCREEN_PX
    assert configs[shown[0]].get("pinned") is True


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_counts_follow_the_filters_and_say_so(landscape):
    from landscape import filters, summaries

    whole = run_page("pages/overview.py")
    assert "Counts of the whole landscape" in texts(whole)
    assert _metrics(whole) == {h.label: f"{h.total:,}" for h in summaries.headlines(landscape)}
    narrowed = run_page("pages/overview.py", {"line": "3L+", "sponsor": "Daiichi Sankyo"})
    state = filters.FilterState({"line": ("3L+",), "sponsor": ("Daiichi Sankyo",)})
    expected = summaries.headlines(landscape, state)
    assert _metrics(narrowed) == {h.label: f"{h.value:,}" for h in expected}
    assert _metrics(narrowed) != _metrics(whole)
    assert "Counts follow the filters (line 3L+; sponsor Daiichi Sankyo)" in texts(narrowed)
    assert all(m.help for m in narrowed.metric)


def test_overview_board_has_no_duplicate_bullet():
    at = run_page("pages/overview.py")
    bullets = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert bullets
    for block in bullets:
        lines = block.split("\n")
        assert len(lines) == len(set(lines)), [line for line in lines if lines.count(line) > 1]
        regimens = [line.split("**")[1] for line in lines]
        assert len(regimens) == len(set(regimens)), regimens
    assert any("PMDA (" in block for block in bullets), "the differently worded PMDA indication sits in its bullet"


def test_map_lists_enrolling_and_other_trials_apart(landscape):
    at = run_page("pages/map.py")
    table = next(t for t in at.dataframe if "enrolling_list" in t.value.columns)
    enrolling = {a for cell in table.value["enrolling_list"] for a in cell.split("; ") if a}
    trials = landscape.trials.set_index("acronym")
    assert all(trials.loc[a, "status_group"] == "open" for a in enrolling)
    others = {a for cell in table.value["other_list"] for a in cell.split("; ") if a}
    completed = set(landscape.trials.loc[landscape.trials["status"] == "Completed", "acronym"]) & others
    assert completed and not completed & enrolling
