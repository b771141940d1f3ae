"""Figure builders tested as objects: traces, axes, hover data, escaping; the chart rules (settings never
mixed, one colour meaning per figure, labels wrapped and never cut, rows in the chosen order)."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from landscape import charts, evidence, harm_charts, pipeline, pipeline_charts, safety, vocab
from landscape.charts import common


@pytest.fixture()
def outcomes(landscape) -> pd.DataFrame:
    return landscape.outcomes


def drawn(fig) -> list:
    """The traces that draw data (legend keys left out)."""
    return [t for t in fig.data if not charts.is_key(t)]


def tick_labels(fig) -> list[str]:
    """Every row label of every panel, as Plotly gets it."""
    axes = sorted((a for a in fig.layout if a.startswith("yaxis")), key=lambda a: int(a[5:] or 1))  # panel order
    return [label for axis in axes for label in (fig.layout[axis].ticktext or ())]


def advanced(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["line_of_therapy"] != vocab.PERIOPERATIVE]


def test_orr_forest_draws_one_line_with_exact_ci_and_value_labels(outcomes):
    line_2l = outcomes[outcomes["orr_pct"].notna() & (outcomes["line_of_therapy"] == "2L")]
    fig = charts.orr_forest(outcomes, "2L")
    assert sum(len(t.x) for t in drawn(fig)) == len(line_2l)
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
        labels = [" ".join(charts.label_text(label)) for label in tick_labels(fig)]
        assert labels and all("vs " in label or "single arm" in label or "control arm" in label for label in labels), (
            builder.__name__
        )


def test_hr_forest_groups_by_comparator_and_draws_no_whisker_without_a_95_ci(outcomes):
    fig = charts.hr_forest(outcomes, "os")
    titles = [a.text for a in fig.layout.annotations if a.text.startswith(("vs ", "single"))]
    outcomes = advanced(outcomes)
    classes = [
        c for c in evidence.COMPARATOR_TITLES if c in set(outcomes.loc[outcomes["os_hr"].notna(), "comparator_class"])
    ]
    assert titles == [evidence.COMPARATOR_TITLES[c] for c in classes]
    hollow = [t for t in drawn(fig) if t.marker.symbol == "diamond-open"]
    filled = [t for t in drawn(fig) if t.marker.symbol == "diamond"]
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
    names = {t.name for t in drawn(fig)}
    assert names <= {"experimental arm", "control arm"} and "experimental arm" in names
    colours = {t.name: t.marker.color for t in drawn(fig)}
    assert colours["experimental arm"] != colours.get("control arm")


def test_hover_text_escapes_data_strings(outcomes):
    hostile = outcomes[outcomes["orr_pct"].notna()].head(1).copy()
    hostile["regimen"] = "<b onmouseover=alert(1)>X</b>"
    hostile["acronym"] = "<script>"
    fig = charts.orr_forest(hostile)
    custom = [cell for row in fig.data[0].customdata for cell in row]
    assert "&lt;script&gt;" in custom
    assert not any("<script>" in str(c) or "<b onmouseover" in str(c) for c in custom)
    labels = tick_labels(fig)
    assert "&lt;script&gt;" in labels[0] and not any("<script>" in label or "<b onmouse" in label for label in labels)


def test_hr_forest_log_axis_with_line_at_one(outcomes):
    fig = charts.hr_forest(outcomes, "os")
    rows = advanced(outcomes)["os_hr"].notna().sum()
    assert sum(len(t.x) for t in drawn(fig)) == rows
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
    not_reached = next(t for t in drawn(fig) if t.marker.pattern.shape == "/")
    reached = next(t for t in drawn(fig) if t.marker.pattern.shape == "")
    assert (not_reached.name, list(not_reached.text)) == ("experimental arm", ["not reached"])
    assert (reached.name, list(reached.text)) == ("control arm", ["11.1"])
    assert any(t.name == "median not reached" and t.marker.pattern.shape == "/" for t in fig.data if charts.is_key(t))
    assert "months" in fig.layout.xaxis.title.text


def test_rows_with_identical_labels_stay_apart(outcomes):
    two = outcomes[outcomes["orr_pct"].notna()].head(1)
    fig = charts.orr_forest(pd.concat([two, two]))
    assert len(set(fig.data[0].y)) == 2 and len(set(tick_labels(fig))) == 2


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
    rows = sum(len(t.y) for t in drawn(fig))
    assert 0 < rows <= 6
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
        for trace in drawn(fig):
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


# The chart rules: settings never mixed, one colour meaning per figure, labels wrapped and never cut, rows in order.


@pytest.mark.parametrize(
    ("settings", "lines", "expected"),
    [
        ((), (), ("advanced",)),  # nothing asked: advanced disease only
        ((), ("1L", "3L+"), ("advanced",)),
        ((), ("perioperative",), ("perioperative",)),  # choosing the perioperative line asks for its results
        ((), ("perioperative", "2L"), ("advanced", "perioperative")),
        (("perioperative", "advanced"), (), ("advanced", "perioperative")),  # in the vocabulary's order
        (("perioperative",), ("1L",), ("perioperative",)),  # a setting chosen wins over the lines
    ],
)
def test_the_settings_a_reader_asks_for(settings, lines, expected):
    assert vocab.chosen_settings(settings, lines) == expected


@pytest.mark.parametrize(
    ("line", "setting"), [("1L", "advanced"), ("2L+", "advanced"), ("perioperative", "perioperative")]
)
def test_setting_of_a_line(line, setting):
    assert vocab.setting_of(line) == setting


@pytest.fixture()
def perioperative(landscape) -> set[str]:
    """The perioperative trials, read from the data (each as a chart names it)."""
    trials = landscape.trials[landscape.trials["line_of_therapy"].map(vocab.setting_of) == vocab.PERIOPERATIVE]
    assert len(trials), "the bundled data has perioperative trials"
    return {common.text(a) for a in trials["acronym"]}


@pytest.fixture()
def with_periop_orr(outcomes) -> pd.DataFrame:
    return periop_filled(outcomes)


def periop_filled(outcomes: pd.DataFrame) -> pd.DataFrame:
    """The real results, the perioperative rows given what the bundled perioperative results lack (an ORR, a
    PFS hazard ratio and median), so that every forest has perioperative rows to leave out."""
    periop = (outcomes["line_of_therapy"] == vocab.PERIOPERATIVE).to_numpy()
    compared = (
        periop
        & (outcomes["comparator_class"] != "none").to_numpy()
        & (outcomes["arm_role"] == "experimental").to_numpy()
    )
    out = outcomes.copy()
    out.loc[periop, ["orr_pct", "orr_ci_low_pct", "orr_ci_high_pct"]] = [50.0, 40.0, 60.0]
    out.loc[periop, ["median_pfs_months", "median_pfs_status"]] = [20.0, "reached"]
    out.loc[compared, ["pfs_hr", "pfs_hr_ci_low", "pfs_hr_ci_high", "hr_ci_level"]] = [0.8, 0.6, 1.0, 95]
    assert compared.any()
    return out


def drawn_trials(fig) -> set[str]:
    """The trials of the rows drawn: every result builder's hover data starts with the trial's name."""
    return {row[0] for t in drawn(fig) for row in t.customdata}


FOREST_BUILDERS = [
    (charts.orr_forest, {}),
    (charts.hr_forest, {"endpoint": "os"}),
    (charts.hr_forest, {"endpoint": "pfs"}),
    (charts.median_comparison, {"endpoint": "os"}),
    (charts.median_comparison, {"endpoint": "pfs"}),
]
FOREST_IDS = ["orr", "hr_os", "hr_pfs", "median_os", "median_pfs"]


@pytest.mark.parametrize(("builder", "kwargs"), FOREST_BUILDERS, ids=FOREST_IDS)
def test_no_perioperative_row_in_a_default_forest(with_periop_orr, perioperative, builder, kwargs):
    asked = builder(with_periop_orr, settings=vocab.SETTINGS, **kwargs)
    default = builder(with_periop_orr, **kwargs)
    assert drawn_trials(asked) & perioperative, "the frame has perioperative rows to leave out"
    assert drawn_trials(default) and not drawn_trials(default) & perioperative
    labels = " ".join(tick_labels(default))
    assert not any(f"<b>{name}" in labels for name in perioperative)


def test_the_os_forest_vs_chemotherapy_had_a_perioperative_trial_and_has_it_only_when_asked(outcomes, perioperative):
    chemo = outcomes[(outcomes["comparator_class"] == "chemo") & outcomes["os_hr"].notna()]
    assert set(chemo["acronym"].map(common.text)) & perioperative, "the case this rule was written for"
    assert not drawn_trials(charts.hr_forest(chemo, "os")) & perioperative
    assert drawn_trials(charts.hr_forest(chemo, "os", settings=("perioperative",))) <= perioperative


def panel_titles(fig) -> dict[str, str]:
    """Each panel's y axis ('y', 'y2', ...) -> its title (make_subplots writes one title per row, in order)."""
    titles = [a.text for a in fig.layout.annotations if a.yref == "paper" and a.showarrow is False and a.yanchor]
    return {("y" if i == 0 else f"y{i + 1}"): title for i, title in enumerate(titles)}


@pytest.mark.parametrize(("builder", "kwargs"), FOREST_BUILDERS, ids=FOREST_IDS)
def test_both_settings_are_drawn_in_panels_of_their_own_each_named(with_periop_orr, landscape, builder, kwargs):
    setting = dict(zip(landscape.trials["acronym"].map(common.text), landscape.trials["line_of_therapy"], strict=True))
    fig = builder(with_periop_orr, settings=vocab.SETTINGS, **kwargs)
    per_axis: dict[str, set[str]] = {}
    for trace in drawn(fig):
        per_axis.setdefault(trace.yaxis, set()).update(vocab.setting_of(setting[row[0]]) for row in trace.customdata)
    assert set().union(*per_axis.values()) == set(vocab.SETTINGS)
    titles = panel_titles(fig)
    for axis, settings in per_axis.items():
        assert len(settings) == 1, f"{axis} mixes {settings}"
        assert titles[axis].lower().startswith(settings.pop()), titles[axis]


def colour_meaning(fig) -> dict[str, str]:
    """Return each colour drawn -> the one legend entry that says what it means; fail if a colour is drawn
    without an entry, has two entries, or two colours share an entry."""
    drawn_colours = set()
    for trace in drawn(fig):
        if trace.type == "bar" or "markers" in (trace.mode or "markers"):
            colour = trace.marker.color
            drawn_colours.update([colour] if isinstance(colour, str) else colour)
    entries: dict[str, set[str]] = {}
    for trace in fig.data:
        if trace.showlegend is not False and isinstance(trace.marker.color, str):
            entries.setdefault(trace.marker.color, set()).add(trace.name)
    assert drawn_colours and common.KEY_COLOUR not in drawn_colours, "the neutral key colour drawn as data"
    meaning = {}
    for colour in drawn_colours:
        assert len(entries.get(colour, ())) == 1, f"{colour} has legend entries {entries.get(colour)}"
        meaning[colour] = entries[colour].pop()
    assert len(set(meaning.values())) == len(meaning), f"two colours share a legend entry: {meaning}"
    return meaning


@pytest.fixture(scope="module")
def figures(landscape) -> dict:
    """Every figure builder on the real data (and the frames that reach its other cases), built once."""
    outcomes = landscape.outcomes
    with_periop_orr = periop_filled(outcomes)
    joined = safety.benefit_harm(outcomes, landscape.safety, "median_os_months", "grade3plus_ae_pct")
    programmes = pipeline.programme_lines(landscape.agents, landscape.trials, landscape.approvals)
    return {
        "orr_forest": charts.orr_forest(outcomes),
        "orr_forest_1L": charts.orr_forest(outcomes, "1L"),
        "orr_forest_both": charts.orr_forest(with_periop_orr, settings=vocab.SETTINGS),
        "hr_forest_os": charts.hr_forest(outcomes, "os"),
        "hr_forest_pfs": charts.hr_forest(outcomes, "pfs"),
        "hr_forest_os_both": charts.hr_forest(outcomes, "os", settings=vocab.SETTINGS),
        "median_os": charts.median_comparison(outcomes, "os"),
        "median_pfs_both": charts.median_comparison(outcomes, "pfs", settings=vocab.SETTINGS, order="alphabetical"),
        "benefit_harm": harm_charts.benefit_harm(joined, "median_os_months", "grade3plus_ae_pct"),
        "benefit_harm_synthetic": harm_charts.benefit_harm(SEVERAL_TRIALS, "orr_pct", "grade3plus_ae_pct"),
        "pipeline": pipeline_charts.pipeline_chart(programmes, pipeline.pipeline_matrix(programmes)),
    }


def harm_arm(trial: str, role: str, efficacy: float, harm: float, line: str = "2L") -> dict:
    return {
        **dict.fromkeys(safety.BENEFIT_HARM_COLUMNS, "x"),
        "trial_id": trial.lower(),
        "acronym": trial,
        "arm_id": f"{trial}_{role}",
        "arm_role": role,
        "line_of_therapy": line,
        "efficacy": efficacy,
        "harm": harm,
        "n": 10,
        "n_safety": 10,
    }


# More trials than any palette has colours: colour must still mean one thing.
SEVERAL_TRIALS = pd.DataFrame(
    [
        harm_arm(f"T{i}", role, 10 + i + (role == "control"), 30 + i)
        for i in range(12)
        for role in ("experimental", "control")
    ]
)


@pytest.mark.parametrize(
    ("name", "legend"),
    [
        ("orr_forest", "Colour = arm"),
        ("orr_forest_1L", "Colour = arm"),
        ("orr_forest_both", "Colour = arm"),
        ("hr_forest_os", "Colour = evidence tier"),
        ("hr_forest_pfs", "Colour = evidence tier"),
        ("hr_forest_os_both", "Colour = evidence tier"),
        ("median_os", "Colour = arm"),
        ("median_pfs_both", "Colour = arm"),
        ("benefit_harm", "Colour = arm"),
        ("benefit_harm_synthetic", "Colour = arm"),
        ("pipeline", "Dot colour = programme status"),
    ],
)
def test_each_colour_means_one_thing_and_the_legend_says_which(figures, name, legend):
    fig = figures[name]
    meaning = colour_meaning(fig)
    assert fig.layout.legend.title.text.startswith(legend)
    if legend == "Colour = arm":
        assert set(meaning.values()) <= {"experimental arm", "control arm"}
        assert all(
            meaning[common.ROLE_COLOURS[role]] == f"{role} arm"
            for role in common.ROLES
            if common.ROLE_COLOURS[role] in meaning
        )
    elif legend == "Colour = evidence tier":
        assert meaning == {common.TIER_COLOURS[int(v.split()[1])]: v for v in meaning.values()}


def test_hr_tier_colours_are_the_opacity_scale_of_the_other_charts():
    # "lighter = lower" reads the same on every chart of the page: the tier colours are one hue at each tier's opacity.
    assert [float(c.rsplit(",", 1)[1].rstrip(")")) for c in common.TIER_COLOURS.values()] == list(
        evidence.TIER_OPACITY.values()
    )
    assert len(set(common.TIER_COLOURS.values())) == len(evidence.TIERS)


@pytest.mark.parametrize(
    "name",
    [
        "orr_forest",
        "orr_forest_1L",
        "orr_forest_both",
        "hr_forest_os",
        "hr_forest_pfs",
        "hr_forest_os_both",
        "median_os",
        "median_pfs_both",
    ],
)
def test_labels_wrap_within_the_width_and_nothing_is_cut(figures, name):
    fig = figures[name]
    labels = tick_labels(fig)
    lines = [line for label in labels for line in charts.label_text(label)]
    assert labels and max(len(line) for line in lines) <= common.LABEL_WIDTH
    assert not any("…" in label or "..." in label for label in labels)
    assert any(label.count("<br>") >= 2 for label in labels), "some label needed wrapping"
    # The left margin holds the longest line.
    assert fig.layout.margin.l >= max(len(line) for line in lines) * common.TICK_FONT_SIZE * 0.5


def test_the_longest_regimens_and_populations_are_drawn_whole(outcomes):
    row = outcomes.loc[outcomes["regimen"].str.len().idxmax()]
    fig = charts.median_comparison(outcomes[outcomes["trial_id"] == row["trial_id"]], "os", settings=vocab.SETTINGS)
    shown = " ".join(" ".join(charts.label_text(label)) for label in tick_labels(fig))
    arm = charts.arm_names(outcomes[outcomes["trial_id"] == row["trial_id"]]).loc[row.name]
    if row["median_os_status"] in ("reached", "not reached"):
        assert " ".join(arm.split()) in shown


@pytest.mark.parametrize(
    ("bold", "lines", "width"),
    [
        ("DESTINY-Gastric04", ["· ph 3 · 2L · Trastuzumab deruxtecan (n=246)", "ITT · interim analysis · vs X"], 20),
        ("Pembrolizumab + trastuzumab + chemo phase 2 (MSKCC)", ["· ph 2 · a"], 12),  # the name itself wraps
        ("<script>", ["<b>x</b> & y", "Supercalifragilisticexpialidocious-long-word"], 10),  # escaped; long word split
        ("T", ["n=not\u00a0reported stays together"], 14),
    ],
)
def test_row_label_wraps_every_line_escapes_and_loses_nothing(bold, lines, width):
    label = charts.row_label(bold, lines, width)
    shown = charts.label_text(label)
    assert all(len(line) <= width for line in shown)
    assert "".join(shown).replace(" ", "") == (bold + "".join(lines)).replace(" ", "")
    assert "<script>" not in label and "<b>x</b>" not in label
    bolded = "".join(html.unescape(part) for part in re.findall(r"<b>(.*?)</b>", label))
    assert bolded.replace(" ", "") == bold.replace(" ", "")
    if "\u00a0" in lines[0]:
        assert any("n=not\u00a0reported" in line for line in shown)


def result(trial: str, line: str, phase: str, role: str, n: float | None, **more) -> dict:
    """One result row with what the builders read."""
    return {
        "outcome_id": f"{trial}_{role}",
        "trial_id": trial.lower(),
        "acronym": trial,
        "phase": phase,
        "line_of_therapy": line,
        "arm_role": role,
        "regimen": f"{trial} {role} regimen",
        "n": n,
        "population": "ITT",
        "population_type": "ITT",
        "analysis": "primary",
        "analysis_stage": "primary",
        "vs_label": "single arm" if role == "single" else f"vs {trial} control regimen",
        "comparator_class": "none" if role == "single" else "chemo",
        "orr_pct": 40.0,
        "orr_ci_low_pct": 30.0,
        "orr_ci_high_pct": 50.0,
        "responders_used": 4,
        "assessment": "investigator",
        "source_citation": "S",
        "evidence_tier": 1,
        "tier_reason": "r",
        **more,
    }


SMALL = pd.DataFrame(
    [
        result("Alpha", "2L", "Phase 3", "experimental", 150),
        result("Alpha", "2L", "Phase 3", "control", 150),
        result("Bravo", "1L", "Phase 2", "experimental", 50, arm_role="experimental"),
        result("charlie", "1L", "Phase 3", "control", 100),
        result("charlie", "1L", "Phase 3", "experimental", 100),
        result("Delta", "1L", "Phase 3", "experimental", 350),
        result("Delta", "1L", "Phase 3", "control", 350),
        result("Echo", "perioperative", "Phase 3", "experimental", 400),
        result("Foxtrot", "1L", "Phase 3", "experimental", None),
        result("Golf", "2L+", "Phase 1/2", "experimental", 900),
    ]
)


@pytest.mark.parametrize(
    ("order", "sizes", "expected"),
    [
        (  # line, then phase (latest first), then n (largest first): the pivotal trials of each line lead
            charts.ORDER_CLINICAL,
            None,
            [
                "Delta e",
                "Delta c",
                "charlie e",
                "charlie c",
                "Foxtrot e",
                "Bravo e",
                "Alpha e",
                "Alpha c",
                "Golf e",
                "Echo e",
            ],
        ),
        (  # a trial's size from elsewhere (its other results) when this result's n is not reported
            charts.ORDER_CLINICAL,
            pd.Series({"foxtrot": 1000.0}),
            [
                "Foxtrot e",
                "Delta e",
                "Delta c",
                "charlie e",
                "charlie c",
                "Bravo e",
                "Alpha e",
                "Alpha c",
                "Golf e",
                "Echo e",
            ],
        ),
        (  # by name, whatever the case; an experimental arm above its control
            charts.ORDER_ALPHABETICAL,
            None,
            [
                "Alpha e",
                "Alpha c",
                "Bravo e",
                "charlie e",
                "charlie c",
                "Delta e",
                "Delta c",
                "Echo e",
                "Foxtrot e",
                "Golf e",
            ],
        ),
    ],
)
def test_rows_are_ordered_by_line_phase_and_n_or_by_name(order, sizes, expected):
    ordered = charts.order_rows(SMALL, order, sizes)
    assert [f"{a} {r[0]}" for a, r in zip(ordered["acronym"], ordered["arm_role"], strict=True)] == expected


@pytest.mark.parametrize("order", charts.ROW_ORDERS)
def test_forests_draw_rows_in_the_order_chosen(order):
    fig = charts.orr_forest(SMALL, settings=vocab.SETTINGS, order=order)
    labels = [charts.label_text(label)[0].split(" · ")[0] for label in tick_labels(fig)]
    expected = [
        a for a, s in zip(*charts.order_rows(SMALL, order)[["acronym", "line_of_therapy"]].T.values, strict=True)
    ]
    advanced_first = [a for a in expected if a != "Echo"] + ["Echo"]  # the perioperative panel comes second
    assert labels == advanced_first
    ys = [y for t in drawn(fig) if t.yaxis == "y" for y in t.y]
    by_y = sorted(zip(ys, [row[0] for t in drawn(fig) if t.yaxis == "y" for row in t.customdata], strict=True))
    assert [a for _, a in by_y] == [a for a in advanced_first if a != "Echo"]


def test_an_unknown_order_is_refused():
    with pytest.raises(ValueError):
        charts.order_rows(SMALL, "by colour")
