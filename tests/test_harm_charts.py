"""The benefit-harm chart tested as a figure: one trace per trial with its arms joined, axis titles that name
the definition, escaped hover data on both sides, an empty state."""

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


@pytest.mark.parametrize("harm", list(safety.HARM_MEASURES))
def test_one_trace_per_trial_with_its_arms_joined_and_axes_naming_the_definition(harm):
    fig = harm_charts.benefit_harm(FRAME, "median_os_months", harm)
    assert len(fig.data) == 2
    dg04 = next(t for t in fig.data if t.name == "DG04")
    assert dg04.mode.startswith("lines+markers") and list(dg04.x) == [14.7, 11.4] and list(dg04.y) == [50.0, 54.1]
    assert list(dg04.marker.symbol) == ["circle", "square"]
    single = next(t for t in fig.data if t.name != "DG04")
    assert "lines" not in single.mode
    assert fig.layout.xaxis.title.text == "median OS (months)"
    assert fig.layout.yaxis.range == (0, 100) and fig.layout.xaxis.range[0] == 0 and fig.layout.showlegend
    assert fig.layout.yaxis.title.text == harm_charts.axis_title(harm).replace(">", "&gt;")
    other = (set(safety.HARM_MEASURES) - {harm}).pop()
    assert harm_charts.axis_title(other).replace(">", "&gt;") not in fig.layout.yaxis.title.text


def test_hover_carries_population_analysis_attribution_and_sources_escaped():
    fig = harm_charts.benefit_harm(FRAME, "orr_pct", "grade3plus_ae_pct")
    dg04 = next(t for t in fig.data if t.name == "DG04")
    assert "%{customdata[" in dg04.hovertemplate and "population" in dg04.hovertemplate
    assert "attribution" in dg04.hovertemplate and "Sources" in dg04.hovertemplate
    first = list(dg04.customdata[0])
    assert first[:2] == ["DG04", "experimental"]
    assert "ITT" in first and "final" in first and "all-cause" in first and "primary" in first
    assert first[-1] == "s_DG04_eff, s_DG04_safety"
    hostile = next(t for t in fig.data if t.name != "DG04")
    assert hostile.name == "&lt;b&gt;X&lt;/b&gt;" and "&lt;script&gt;" in list(hostile.customdata[0])


def test_cross_trial_caption_only_when_trials_differ():
    several = harm_charts.benefit_harm(FRAME, "orr_pct", "grade3plus_ae_pct")
    assert any("Cross-trial caution" in a.text for a in several.layout.annotations)
    one = harm_charts.benefit_harm(FRAME[FRAME["acronym"] == "DG04"], "orr_pct", "grade3plus_ae_pct")
    assert not one.layout.annotations


def test_empty_frame_says_what_is_missing():
    fig = harm_charts.benefit_harm(FRAME.iloc[0:0], "orr_pct", "grade3plus_trae_pct")
    assert not fig.data
    assert (
        "No arm in this selection has both ORR (%) and grade &gt;= 3 treatment-related"
        in fig.layout.annotations[0].text
    )


def test_real_data_draws(landscape):
    joined = safety.benefit_harm(landscape.outcomes, landscape.safety, "median_os_months", "grade3plus_ae_pct")
    fig = harm_charts.benefit_harm(joined, "median_os_months", "grade3plus_ae_pct")
    assert sum(len(t.x) for t in fig.data) == len(joined) > 0
