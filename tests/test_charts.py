"""Figure builders tested as objects: traces, axes, hover data, escaping."""

from __future__ import annotations

import pandas as pd
import pytest

from landscape import charts


@pytest.fixture()
def outcomes(landscape) -> pd.DataFrame:
    return landscape.outcomes


def test_orr_forest_has_one_panel_per_line_and_exact_ci(outcomes):
    with_orr = outcomes[outcomes["orr_pct"].notna()]
    fig = charts.orr_forest(outcomes)
    points = sum(len(t.x) for t in fig.data)
    assert points == len(with_orr)
    titles = [a.text for a in fig.layout.annotations if a.text.startswith("Line: ")]
    assert titles == [f"Line: {g}" for g in charts._line_groups(with_orr)]
    first = fig.data[0]
    assert first.error_x.type == "data" and len(first.error_x.array) == len(first.x)
    assert all(v >= 0 for v in first.error_x.array if v == v)
    assert "95% CI" in first.hovertemplate and "Source" in first.hovertemplate
    assert fig.layout.xaxis.range == (0, 100) or any(ax.range == (0, 100) for ax in [fig.layout[k] for k in fig.layout if k.startswith("xaxis")])


def test_orr_forest_colours_arms_apart(outcomes):
    fig = charts.orr_forest(outcomes)
    names = {t.name for t in fig.data}
    assert names <= {"experimental arm", "control arm"} and "experimental arm" in names
    colours = {t.name: t.marker.color for t in fig.data}
    assert colours["experimental arm"] != colours.get("control arm")


def test_hover_text_escapes_data_strings(outcomes):
    hostile = outcomes[outcomes["orr_pct"].notna()].head(1).copy()
    hostile["regimen"] = "<b onmouseover=alert(1)>X</b>"
    hostile["acronym"] = "<script>"
    fig = charts.orr_forest(hostile)
    custom = [cell for row in fig.data[0].customdata for cell in row]
    assert "&lt;script&gt;" in custom
    assert not any("<script>" in str(c) or "<b onmouseover" in str(c) for c in custom)
    assert "<script>" not in fig.data[0].y[0]


def test_hr_forest_log_axis_with_line_at_one(outcomes):
    fig = charts.hr_forest(outcomes, "os")
    rows = outcomes["os_hr"].notna().sum()
    assert sum(len(t.x) for t in fig.data) == rows
    assert fig.layout.xaxis.type == "log"
    assert any(s.x0 == 1 and s.x1 == 1 for s in fig.layout.shapes)


def test_hr_forest_rejects_unknown_endpoint(outcomes):
    with pytest.raises(ValueError):
        charts.hr_forest(outcomes, "dfs")


def test_median_comparison_writes_not_reached():
    frame = pd.DataFrame(
        {
            "acronym": ["T", "T"],
            "population": ["ITT", "ITT"],
            "analysis": ["final", "final"],
            "line_of_therapy": ["1L", "1L"],
            "arm_role": ["experimental", "control"],
            "regimen": ["A", "B"],
            "n": pd.array([10, 10], dtype="Int64"),
            "median_os_months": pd.array([None, 11.1], dtype="Float64"),
            "median_os_status": ["not reached", "reached"],
            "source_citation": ["S", "S"],
            "assessment": ["BICR", "BICR"],
        }
    )
    fig = charts.median_comparison(frame, "os")
    texts = {t.name: list(t.text) for t in fig.data}
    assert texts["experimental arm (median not reached)"] == ["not reached"]
    assert texts["control arm"] == ["11.1"]
    not_reached = next(t for t in fig.data if t.name.endswith("(median not reached)"))
    assert not_reached.marker.pattern.shape == "/"
    assert "months" in fig.layout.xaxis.title.text


def test_rows_with_identical_labels_stay_apart(outcomes):
    two = outcomes[outcomes["orr_pct"].notna()].head(1)
    fig = charts.orr_forest(pd.concat([two, two]))
    assert len(set(fig.data[0].y)) == 2


def test_empty_selection_gives_a_figure_that_says_so(outcomes):
    fig = charts.orr_forest(outcomes.iloc[0:0])
    assert len(fig.data) == 0 and "No response rates" in fig.layout.annotations[0].text


def test_trial_gantt_styles_estimated_dates_and_marks_today(landscape):
    today = pd.Timestamp(landscape.as_of)
    fig = charts.trial_gantt(landscape.trials, today)
    estimated = [t for t in fig.data if "(estimated)" in t.name]
    actual = [t for t in fig.data if "(actual)" in t.name]
    assert actual and all(t.marker.pattern.shape == "" for t in actual)
    assert all(t.marker.pattern.shape == "/" for t in estimated)
    assert any(s.x0 == today.value / 1e6 for s in fig.layout.shapes)
    assert fig.layout.xaxis.type == "date"
    drawn = {y for t in fig.data for y in t.y}
    assert len(drawn) == int(landscape.trials["start"].notna().sum())


def test_approvals_timeline_marks_other_tumour_types_hollow(landscape):
    fig = charts.approvals_timeline(landscape.approvals)
    symbols = [s for t in fig.data for s in t.marker.symbol]
    assert len(symbols) == len(landscape.approvals)
    other = int(landscape.approvals["other_tumour"].sum())
    assert sum(s.endswith("-open") for s in symbols) == other
    assert {t.name for t in fig.data} == set(landscape.approvals["agency"])


def test_layout_is_readable_on_a_projector(outcomes):
    fig = charts.orr_forest(outcomes)
    assert fig.layout.font.size >= 16
    assert fig.layout.title.font.size >= 20


@pytest.mark.parametrize("builder", ["orr_forest", "hr_forest", "median_comparison"])
def test_long_selections_are_capped_and_say_so(outcomes, builder):
    fig = getattr(charts, builder)(outcomes, max_rows=5)
    drawn = sum(len(t.y) for t in fig.data)
    assert drawn == 5
    assert "first 5 of" in fig.layout.title.text


def test_gantt_cap_keeps_latest_trials(landscape):
    fig = charts.trial_gantt(landscape.trials, pd.Timestamp(landscape.as_of), max_rows=3)
    assert len({y for t in fig.data for y in t.y}) == 3 and "first 3 of" in fig.layout.title.text
