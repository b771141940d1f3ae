"""Figure builders tested as objects: traces, axes, hover data, escaping."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from landscape import charts, evidence


@pytest.fixture()
def outcomes(landscape) -> pd.DataFrame:
    return landscape.outcomes


def test_orr_forest_draws_one_line_with_exact_ci_and_value_labels(outcomes):
    line_2l = outcomes[outcomes["orr_pct"].notna() & (outcomes["line_of_therapy"] == "2L")]
    fig = charts.orr_forest(outcomes, "2L")
    assert sum(len(t.x) for t in fig.data) == len(line_2l)
    assert fig.layout.title.text.startswith("Line 2L")
    first = fig.data[0]
    assert first.error_x.type == "data" and len(first.error_x.array) == len(first.x)
    assert all(v >= 0 for v in first.error_x.array if v == v)
    assert list(first.text) == [f"{v:.0f}%" for v in first.x]
    assert "95% CI" in first.hovertemplate and "Source" in first.hovertemplate and "Evidence" in first.hovertemplate
    assert fig.layout.xaxis.range == (0, 100)


def test_every_label_names_the_comparison(outcomes):
    for builder, args in (
        (charts.orr_forest, ("1L",)),
        (charts.hr_forest, ("os",)),
        (charts.median_comparison, ("os",)),
    ):
        fig = builder(outcomes, *args)
        labels = [y for trace in fig.data for y in trace.y]
        assert labels and all("vs " in label or "single arm" in label for label in labels), builder.__name__


def test_hr_forest_groups_by_comparator_and_draws_no_whisker_without_a_95_ci(outcomes):
    fig = charts.hr_forest(outcomes, "os")
    titles = [a.text for a in fig.layout.annotations if a.text.startswith(("vs ", "single"))]
    classes = [
        c for c in evidence.COMPARATOR_TITLES if c in set(outcomes.loc[outcomes["os_hr"].notna(), "comparator_class"])
    ]
    assert titles == [evidence.COMPARATOR_TITLES[c] for c in classes]
    hollow = [t for t in fig.data if t.marker.symbol == "diamond-open"]
    filled = [t for t in fig.data if t.marker.symbol == "diamond"]
    without_95 = outcomes[
        outcomes["os_hr"].notna() & ~((outcomes["hr_ci_level"] == 95).fillna(False) & outcomes["os_hr_ci_low"].notna())
    ]
    assert sum(len(t.x) for t in hollow) == len(without_95) > 0
    assert all(t.error_x.visible is False for t in hollow)
    assert all(t.error_x.type == "data" for t in filled)
    assert any("no 95% CI" in c[5] or "no confidence interval" in c[5] for t in hollow for c in t.customdata)


def test_lower_tiers_are_drawn_lighter(outcomes):
    fig = charts.orr_forest(outcomes, "1L")
    trace = fig.data[0]
    tiers = [int(c[14].split()[1].rstrip(":")) for c in trace.customdata]
    for tier, opacity in zip(tiers, trace.marker.opacity, strict=True):
        assert opacity == evidence.TIER_OPACITY[tier]


def test_dose_arms_of_one_trial_keep_their_doses_in_labels():
    frame = pd.DataFrame(
        {"trial_id": ["t", "t", "u"], "regimen": ["X 25 mg/kg + Y", "X 15 mg/kg + Y", "Z 6.4 mg/kg q3w"]}
    )
    assert list(charts.arm_names(frame)) == ["X 25 mg/kg + Y", "X 15 mg/kg + Y", "Z"]


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
            "trial_id": ["t", "t"],
            "acronym": ["T", "T"],
            "phase": ["Phase 3", "Phase 3"],
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
    assert len(drawn) == int(_has_a_date(landscape.trials).sum())
    assert len(drawn) > int(landscape.trials["start"].notna().sum()), "trials without a start are drawn too"


def _has_a_date(trials: pd.DataFrame, readouts: pd.DataFrame | None = None) -> pd.Series:
    """Trials the Gantt chart can place: a start, a completion date, or a dated result."""
    dated = trials[["start", "primary_completion", "completion", "primary_results_date"]].notna().any(axis=1)
    if readouts is not None:
        dated |= trials["trial_id"].isin(set(readouts.dropna(subset=["readout_date"])["trial_id"]))
    return dated


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
def test_long_selections_are_capped_best_evidence_first_and_say_what_is_left_out(outcomes, builder):
    fig = getattr(charts, builder)(outcomes, max_rows=6)
    drawn = sum(len(t.y) for t in fig.data)
    assert 0 < drawn <= 6
    caption = " ".join(a.text for a in fig.layout.annotations)
    assert "not drawn (ranked by evidence tier" in caption


def test_cap_keeps_tier_1_rows_and_pairs_together(outcomes):
    with_os = outcomes[outcomes["os_hr"].notna() | outcomes["median_os_status"].eq("reached")]
    kept, note = evidence.cap_rows(with_os, 8)
    best = int(with_os["evidence_tier"].min())
    assert (kept["evidence_tier"] == best).sum() == min(8, (with_os["evidence_tier"] == best).sum()) or len(kept) == 8
    assert int(kept["evidence_tier"].max()) <= int(with_os.loc[~with_os.index.isin(kept.index), "evidence_tier"].min())
    for _, group in kept.groupby(["trial_id", "population", "analysis"]):
        full = with_os[
            (with_os["trial_id"] == group["trial_id"].iloc[0])
            & (with_os["population"] == group["population"].iloc[0])
            & (with_os["analysis"] == group["analysis"].iloc[0])
        ]
        assert len(group) == len(full)
    assert note


@pytest.mark.parametrize(
    ("builder", "args"),
    [
        (charts.orr_forest, ()),
        (charts.hr_forest, ("os",)),
        (charts.hr_forest, ("pfs",)),
        (charts.median_comparison, ("os",)),
        (charts.median_comparison, ("pfs",)),
    ],
)
def test_every_outcome_builder_survives_an_empty_frame(outcomes, builder, args):
    fig = builder(outcomes.iloc[0:0], *args)
    assert len(fig.data) == 0 and fig.layout.annotations[0].text.startswith("No ")


def test_timeline_builders_survive_an_empty_frame(landscape):
    assert len(charts.trial_gantt(landscape.trials.iloc[0:0], pd.Timestamp(landscape.as_of)).data) == 0
    assert len(charts.approvals_timeline(landscape.approvals.iloc[0:0]).data) == 0


def test_gantt_cap_keeps_latest_trials(landscape):
    fig = charts.trial_gantt(landscape.trials, pd.Timestamp(landscape.as_of), max_rows=3)
    assert len({y for t in fig.data for y in t.y}) == 3 and "first 3 of" in fig.layout.title.text


def _one_trial(landscape, **dates: str) -> pd.DataFrame:
    """One trial of the landscape with its dates replaced: start/primary_completion/completion as
    "YYYY-MM-DD type" (or "" for none), primary_results_date as a partial date."""
    trial = landscape.trials.iloc[[0]].copy()
    for column in ("start", "primary_completion", "completion"):
        value, _, kind = dates.get(column, "").partition(" ")
        trial[f"{column}_date"] = value or pd.NA
        trial[f"{column}_date_type"] = kind or pd.NA
        trial[column] = pd.Timestamp(value) if value else pd.NaT
    trial["primary_results_date"] = dates.get("primary_results_date") or pd.NA
    trial["enrolment_inferred"] = pd.NA
    return trial


NO_START_CASES = [
    # (dates, readouts, trace name, drawn from, drawn to, basis words); a year-only result sits at mid-year,
    # where its readout diamond is drawn
    ({}, ["2019"], "one date known", "2019-07-01", None, "first result reported 2019"),
    (
        {"primary_results_date": "2022-06-16"},
        [],
        "one date known",
        "2022-06-16",
        None,
        "first result reported 2022-06-16",
    ),
    (
        {"primary_completion": "2014-08-25 actual", "completion": "2016-09-12 actual", "primary_results_date": "2021"},
        [],
        "drawn from the first known date",
        "2014-08-25",
        "2016-09-12",
        "primary completion 2014-08-25 (actual)",
    ),
    (
        {"completion": "2026-11-01 estimated"},
        ["2024", "2026"],
        "drawn from the first known date",
        "2024-07-01",
        "2026-11-01",
        "first result reported 2024",
    ),
    (
        {"completion": "2023-12-01 estimated"},
        [],
        "one date known",
        "2023-12-01",
        None,
        "completion 2023-12-01 (estimated)",
    ),
]


@pytest.mark.parametrize(("when", "results", "name", "drawn_from", "drawn_to", "basis"), NO_START_CASES)
def test_gantt_draws_a_trial_without_a_start_from_its_first_known_date(
    landscape, when, results, name, drawn_from, drawn_to, basis
):
    trial = _one_trial(landscape, **when)
    readouts = pd.DataFrame(
        {"trial_id": trial["trial_id"].iloc[0], "readout_date": results, "analysis": "primary"}, dtype="string"
    )
    fig = charts.trial_gantt(trial, pd.Timestamp(landscape.as_of), readouts=readouts)
    (marked,) = [t for t in fig.data if t.name.startswith("start not recorded")]
    assert marked.name.endswith(name)
    assert f"start date not recorded; drawn from {basis}" in marked.hovertemplate.replace(
        "%{customdata[2]}", marked.customdata[0][2]
    )
    if drawn_to is None:
        assert marked.type == "scatter" and marked.marker.symbol == "square-open"
        assert pd.Timestamp(marked.x[0]) == pd.Timestamp(drawn_from)
    else:
        assert marked.type == "bar" and marked.marker.pattern.shape == "x"
        assert marked.base[0] == pd.Timestamp(drawn_from).value / 1e6
        assert marked.base[0] + marked.x[0] == pd.Timestamp(drawn_to).value / 1e6
    assert not [t for t in fig.data if t.name.startswith(("start →", "primary completion →"))], "no start bars"


def test_gantt_leaves_out_a_trial_with_no_date_at_all(landscape):
    fig = charts.trial_gantt(_one_trial(landscape), pd.Timestamp(landscape.as_of))
    assert len(fig.data) == 0 and fig.layout.annotations[0].text.startswith("No trials with dates")


def test_gantt_keeps_the_start_when_it_is_recorded(landscape):
    trial = _one_trial(landscape, start="2020-01-15 actual", primary_completion="2023-05-01 actual")
    fig = charts.trial_gantt(trial, pd.Timestamp(landscape.as_of))
    assert [t.name for t in fig.data] == ["start → primary completion (actual)"]
    assert fig.data[0].base[0] == pd.Timestamp("2020-01-15").value / 1e6


def test_gantt_hover_names_inferred_closed_enrolment_not_a_stale_recruiting(landscape):
    trial = _one_trial(landscape, primary_results_date="2026-01")
    trial["status"] = "Recruiting"
    trial["enrolment_inferred"] = "enrolment closed (inferred: primary results 2026-01, actual enrolment 914)"
    (marked,) = charts.trial_gantt(trial, pd.Timestamp(landscape.as_of)).data
    status = marked.customdata[0][1]
    assert status.startswith("enrolment closed (inferred: primary results 2026-01") and "registry: Recruiting" in status


def test_trial_gantt_marks_when_each_result_was_first_reported(landscape):
    today = pd.Timestamp(landscape.as_of)
    readouts = landscape.outcomes[["trial_id", "readout_date", "analysis"]]
    fig = charts.trial_gantt(landscape.trials, today, readouts=readouts)
    marks = [t for t in fig.data if t.name.startswith("result first reported")]
    drawn = landscape.trials.loc[_has_a_date(landscape.trials, readouts), "trial_id"]
    expected = readouts[readouts["trial_id"].isin(set(drawn)) & readouts["readout_date"].notna()].drop_duplicates()
    assert sum(len(t.x) for t in marks) == len(expected) > 0
    year_only = [t for t in marks if t.name.endswith("(year only)")]
    assert all(t.marker.symbol == "diamond-open" for t in year_only)


@pytest.mark.parametrize(
    ("template", "fields", "rows", "customdata", "expected"),
    [
        (
            "<b>{trial}</b> · ORR %{x:.1f}% · {source}",
            {"trial": lambda r: r["t"], "source": lambda r: r["s"]},
            [{"t": "A", "s": "S1"}, {"t": "B", "s": "S2"}],
            [["A", "S1"], ["B", "S2"]],
            "<b>%{customdata[0]}</b> · ORR %{x:.1f}% · %{customdata[1]}",
        ),
        (  # the template may name fields in any order and more than once; customdata keeps the fields' order
            "{b} {a} {b} %{y}",
            {"a": lambda r: 1, "b": lambda r: 2, "unused": lambda r: 3},
            [{}],
            [[1, 2, 3]],
            "%{customdata[1]} %{customdata[0]} %{customdata[1]} %{y}",
        ),
        ("no fields", {}, [{}, {}], [[], []], "no fields"),
    ],
)
def test_hover_builds_customdata_and_template_together(template, fields, rows, customdata, expected):
    assert charts.hover(template, fields, rows) == (customdata, expected)


def test_hover_refuses_a_field_the_template_names_but_no_one_gives():
    with pytest.raises(KeyError):
        charts.hover("{trial} {source}", {"trial": lambda r: "A"}, [{}])


def test_every_hover_template_names_only_customdata_it_has(outcomes, landscape):
    today = pd.Timestamp(landscape.as_of)
    figures = [
        charts.orr_forest(outcomes),
        charts.hr_forest(outcomes, "os"),
        charts.hr_forest(outcomes, "pfs"),
        charts.median_comparison(outcomes, "os"),
        charts.trial_gantt(landscape.trials, today, readouts=outcomes[["trial_id", "readout_date", "analysis"]]),
        charts.approvals_timeline(landscape.approvals),
    ]
    for fig in figures:
        for trace in fig.data:
            used = [int(i) for i in re.findall(r"%\{customdata\[(\d+)\]\}", trace.hovertemplate)]
            assert "{" not in re.sub(r"%\{[^}]*\}", "", trace.hovertemplate), trace.hovertemplate
            assert used and all(len(row) > max(used) for row in trace.customdata), trace.name


NAN = float("nan")


@pytest.mark.parametrize(
    ("values", "low", "high", "width", "fill", "above", "below", "has_width"),
    [
        ([40.0, 10.0], [30.0, 5.0], [55.0, 12.0], 6, False, [15.0, 2.0], [10.0, 5.0], True),
        ([0.8], [0.6], [1.1], None, False, [0.1 + 0.2], [0.2], False),
        ([40.0], [NAN], [NAN], None, True, [0.0], [0.0], False),  # no CI: no bar, and no gap in the array
        ([40.0], [NAN], [NAN], 6, False, [NAN], [NAN], True),
    ],
)
def test_ci_error_bars_reach_from_each_point_to_its_bounds(values, low, high, width, fill, above, below, has_width):
    bars = charts.ci_error_bars(
        pd.Series(values), pd.Series(low), pd.Series(high), whisker_width=width, fill_missing=fill
    )
    assert bars["type"] == "data" and bars["symmetric"] is False and bars["thickness"] == 2.5
    assert bars["array"] == pytest.approx(above, nan_ok=True)
    assert bars["arrayminus"] == pytest.approx(below, nan_ok=True)
    assert ("width" in bars) is has_width and bars.get("width", width) == width


# The tumour board's evidence figure, from the board's own records.
def _board_rows(landscape, profile):
    from landscape.board.engine import build_board

    return build_board(landscape, profile).evidence_rows


BOARD_2L = ("2L", "ihc3", None, ("trastuzumab",), "FDA")


def _figure_fonts(fig) -> list[float]:
    """Every text size a figure sets (layout, axes, annotations, traces), Plotly's defaults filled in."""
    base = fig.layout.font.size or 12
    sizes = [base]
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:
        sizes.append((axis.tickfont.size if axis.tickfont else None) or base)
    sizes += [(a.font.size or base) for a in fig.layout.annotations]
    sizes += [(t.textfont.size or base) for t in fig.data if getattr(t, "text", None) is not None]
    return sizes


def test_board_evidence_draws_one_row_per_arm_pivotal_trial_first(landscape):
    from landscape.board.evidence import arms_of
    from landscape.board.profile import Profile

    rows = _board_rows(landscape, Profile(*BOARD_2L))
    fig = charts.board_evidence(rows, "t")
    labels = list(fig.layout.yaxis.ticktext)
    assert len(labels) == len(arms_of(rows)) == len({(r["trial_id"], r["arm_id"]) for r in rows})
    assert labels[0].startswith("<b>DESTINY-Gastric04</b> · 2L") and "DESTINY-Gastric01</b> · 3L+ · Asia" in labels[2]
    assert fig.layout.yaxis.range[0] > fig.layout.yaxis.range[1], "first row at the top"


def test_board_evidence_draws_each_hazard_ratio_with_its_95_ci(landscape):
    from landscape.board.profile import Profile

    fig = charts.board_evidence(_board_rows(landscape, Profile(*BOARD_2L)))
    hrs = [t for t in fig.data if t.type == "scatter" and t.marker.symbol == "diamond"]
    drawn = {(round(x, 2), t.xaxis) for t in hrs for x in t.x}
    assert (0.7, "x5") in drawn and (0.74, "x3") in drawn and (0.59, "x5") in drawn, drawn
    dg04_os = next(t for t in hrs if t.xaxis == "x5" and 0.7 in [round(x, 2) for x in t.x])
    i = [round(x, 2) for x in dg04_os.x].index(0.7)
    assert dg04_os.error_x.visible and dg04_os.error_x.array[i] == pytest.approx(0.2)
    assert dg04_os.error_x.arrayminus[i] == pytest.approx(0.15)
    assert dg04_os.text[i] == "0.70 (0.55-0.90)"
    for axis in ("xaxis3", "xaxis5"):
        assert fig.layout[axis].type == "log"
    assert any(s.x0 == 1 and s.x1 == 1 for s in fig.layout.shapes), "a line at HR 1"


def test_board_evidence_folds_other_populations_into_the_arm_row(landscape):
    from landscape.board.profile import Profile

    rows = _board_rows(landscape, Profile(*BOARD_2L))
    fig = charts.board_evidence(rows)
    orr = [t for t in fig.data if t.xaxis == "x" and t.type == "scatter"]
    hollow = [t for t in orr if t.marker.color == "rgba(0,0,0,0)"]
    assert hollow and 44.3 in hollow[0].x, "DG04's response-evaluable ORR drawn hollow on its ITT row"
    assert {y for t in orr for y in t.y} <= set(fig.layout.yaxis.tickvals)
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert "Hollow ORR marker" in notes


@pytest.mark.parametrize("text_px", [16, 20])
def test_board_evidence_text_is_sized_from_one_setting(landscape, text_px):
    from landscape.board.profile import Profile

    fig = charts.board_evidence(_board_rows(landscape, Profile(*BOARD_2L)), text_px=text_px)
    assert min(_figure_fonts(fig)) >= text_px - 2
    projected = charts.for_projector(fig, dark=True, size=text_px)
    assert min(_figure_fonts(projected)) >= text_px - 2 and projected.layout.template.layout.paper_bgcolor


def test_board_evidence_names_a_panel_without_hazard_ratios(landscape):
    from landscape.board.profile import Profile

    fig = charts.board_evidence(_board_rows(landscape, Profile("1L", "ihc3", None, (), "EMA")))
    note = next(a for a in fig.layout.annotations if a.text == "none reported")
    assert (note.xref, note.x) == ("x3 domain", 0.5), "ToGA reports no PFS hazard ratio: said in its panel"
    assert any(t.xaxis == "x3" and t.hoverinfo == "skip" for t in fig.data), "the empty panel keeps its axes"


def test_board_evidence_leaves_its_notes_to_the_slide_when_asked(landscape):
    from landscape.board.profile import Profile

    rows = _board_rows(landscape, Profile(*BOARD_2L))
    with_notes, without = charts.board_evidence(rows, caption="C"), charts.board_evidence(rows, notes=False)
    assert without.layout.height < with_notes.layout.height
    assert not any(n[:20] in a.text for n in charts.evidence_notes(rows) for a in without.layout.annotations)
    assert charts.evidence_notes(rows, "C")[-1] == "C"


def test_board_evidence_on_no_rows_says_so():
    fig = charts.board_evidence([])
    assert len(fig.data) == 0 and fig.layout.annotations[0].text.startswith("No reported result")


def test_board_evidence_hover_names_only_customdata_it_has(landscape):
    from landscape.board.profile import Profile

    for profile in (Profile(*BOARD_2L), Profile("1L", "ihc3", 5, (), "FDA")):
        fig = charts.board_evidence(_board_rows(landscape, profile))
        for trace in (t for t in fig.data if t.hoverinfo != "skip"):
            used = [int(i) for i in re.findall(r"%\{customdata\[(\d+)\]\}", trace.hovertemplate)]
            assert "{" not in re.sub(r"%\{[^}]*\}", "", trace.hovertemplate), trace.hovertemplate
            assert used and all(len(row) > max(used) for row in trace.customdata), trace.name
