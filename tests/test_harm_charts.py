"""The benefit-harm chart tested as a figure: colour = arm, a trial's arms joined and named, axis titles that
name the definition, escaped hover data on both sides, the settings never on one panel, an empty state."""

from __future__ import annotations

import pandas as pd
import pytest

from landscape import harm_charts, safety


def arm(trial, arm_id, role, efficacy, harm, attribution="all-cause", **more) -> dict:
    row = {
        "trial_id": trial.lower(),
        "acronym": trial,
        "arm_id": arm_id,
        "arm_role": role,
        "regimen": f"{arm_id} regimen",
        "line_of_therapy": "2L",
        "efficacy": efficacy,
        "efficacy_population": "ITT",
        "efficacy_analysis": "final",
        "n": 100,
        "efficacy_source_id": f"s_{trial}_eff",
        "harm": harm,
        "harm_attribution": attribution,
        "harm_population": "safety analysis set",
        "n_safety": 98,
        "harm_analysis": "primary",
        "harm_source_id": f"s_{trial}_safety",
        "harm_notes": None,
    }
    return row | more


FRAME = pd.DataFrame(
    [
        arm("DG04", "tdxd", "experimental", 14.7, 50.0),
        arm("DG04", "rampac", "control", 11.4, 54.1),
        arm("<b>X</b>", "x", "experimental", 9.0, 30.0, efficacy_population="<script>"),
    ],
    columns=safety.BENEFIT_HARM_COLUMNS,
)


def joins(fig) -> list[tuple[float, float, float, float]]:
    return [(sh.x0, sh.y0, sh.x1, sh.y1) for sh in fig.layout.shapes if sh.type == "line"]


@pytest.mark.parametrize("harm", list(safety.HARM_MEASURES))
def test_colour_is_the_arm_a_trials_arms_are_joined_and_axes_name_the_definition(harm):
    fig = harm_charts.benefit_harm(FRAME, "median_os_months", harm)
    by_role = {t.name: t for t in fig.data}
    assert set(by_role) == {"experimental arm", "control arm"}
    experimental, control = by_role["experimental arm"], by_role["control arm"]
    assert experimental.marker.color != control.marker.color
    assert (experimental.marker.symbol, control.marker.symbol) == ("circle", "square")
    assert list(experimental.x) == [14.7, 9.0] and list(control.x) == [11.4]
    # DG04's two arms joined by one line (a shape: no colour meaning, no hover); the one-arm trial by none.
    assert joins(fig) == [(14.7, 50.0, 11.4, 54.1)]
    # Each trial named once, beside its experimental arm.
    assert list(experimental.text) == ["DG04", "&lt;b&gt;X&lt;/b&gt;"] and list(control.text) == [""]
    assert fig.layout.legend.title.text.startswith("Colour = arm")
    assert fig.layout.xaxis.title.text == "median OS (months)"
    assert fig.layout.yaxis.range == (0, 100) and fig.layout.xaxis.range[0] == 0 and fig.layout.showlegend
    assert fig.layout.yaxis.title.text == harm_charts.axis_title(harm).replace(">", "&gt;")
    other = (set(safety.HARM_MEASURES) - {harm}).pop()
    assert harm_charts.axis_title(other).replace(">", "&gt;") not in fig.layout.yaxis.title.text


def test_hover_carries_population_analysis_attribution_and_sources_escaped():
    fig = harm_charts.benefit_harm(FRAME, "orr_pct", "grade3plus_ae_pct")
    experimental = next(t for t in fig.data if t.name == "experimental arm")
    assert "%{customdata[" in experimental.hovertemplate and "population" in experimental.hovertemplate
    assert "attribution" in experimental.hovertemplate and "Sources" in experimental.hovertemplate
    dg04 = next(list(row) for row in experimental.customdata if row[0] == "DG04")
    assert dg04[:2] == ["DG04", "experimental"]
    assert "ITT" in dg04 and "final" in dg04 and "all-cause" in dg04 and "primary" in dg04
    assert dg04[-1] == "s_DG04_eff, s_DG04_safety"
    hostile = next(list(row) for row in experimental.customdata if row[0] != "DG04")
    assert hostile[0] == "&lt;b&gt;X&lt;/b&gt;" and "&lt;script&gt;" in hostile


PERIOP = pd.DataFrame(
    [
        arm("PERI", "p_exp", "experimental", 60.0, 40.0, line_of_therapy="perioperative"),
        arm("PERI", "p_ctrl", "control", 50.0, 45.0, line_of_therapy="perioperative"),
    ],
    columns=safety.BENEFIT_HARM_COLUMNS,
)


def test_perioperative_arms_only_when_asked_and_then_on_a_panel_of_their_own():
    both = pd.concat([FRAME, PERIOP], ignore_index=True)
    default = harm_charts.benefit_harm(both, "median_os_months", "grade3plus_ae_pct")
    assert "PERI" not in {row[0] for t in default.data for row in t.customdata}
    asked = harm_charts.benefit_harm(
        both, "median_os_months", "grade3plus_ae_pct", settings=("advanced", "perioperative")
    )
    panels: dict[str, set] = {}
    for trace in asked.data:
        panels.setdefault(trace.xaxis, set()).update(row[0] for row in trace.customdata)
    assert panels == {"x": {"DG04", "&lt;b&gt;X&lt;/b&gt;"}, "x2": {"PERI"}}
    titles = [a.text for a in asked.layout.annotations if a.text.startswith(("Advanced", "Perioperative"))]
    assert titles == ["Advanced disease (1L, 2L, 3L+)", "Perioperative (resectable disease)"]
    # One legend entry per arm whatever the number of panels; each panel on its own efficacy scale.
    assert sorted(t.name for t in asked.data if t.showlegend) == ["control arm", "experimental arm"]
    assert asked.layout.xaxis.range != asked.layout.xaxis2.range


def test_cross_trial_caption_only_when_trials_differ():
    several = harm_charts.benefit_harm(FRAME, "orr_pct", "grade3plus_ae_pct")
    assert any("Cross-trial caution" in a.text for a in several.layout.annotations)
    one = harm_charts.benefit_harm(FRAME[FRAME["acronym"] == "DG04"], "orr_pct", "grade3plus_ae_pct")
    assert not one.layout.annotations


@pytest.mark.parametrize("frame", [FRAME.iloc[0:0], PERIOP], ids=["no rows", "perioperative only, not asked"])
def test_empty_frame_says_what_is_missing(frame):
    fig = harm_charts.benefit_harm(frame, "orr_pct", "grade3plus_trae_pct")
    assert not fig.data
    assert (
        "No arm in this selection has both ORR (%) and grade &gt;= 3 treatment-related"
        in fig.layout.annotations[0].text
    )


def test_real_data_draws(landscape):
    joined = safety.benefit_harm(landscape.outcomes, landscape.safety, "median_os_months", "grade3plus_ae_pct")
    fig = harm_charts.benefit_harm(joined, "median_os_months", "grade3plus_ae_pct")
    assert sum(len(t.x) for t in fig.data) == len(joined) > 0
