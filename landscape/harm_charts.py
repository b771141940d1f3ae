"""Benefit beside harm as a Plotly figure (no Streamlit): per trial arm, an efficacy measure against the grade
>= 3 adverse-event rate of the same arm, in one definition (all-cause or treatment-related, never both on
one axis), the arms of one trial joined by a line. Hover text comes from hovertemplate + customdata, and
every data string is escaped."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from landscape.charts.common import text as _text
from landscape.charts.common import wrap
from landscape.safety import EFFICACY_MEASURES, HARM_MEASURES
from landscape.values import is_missing

FONT_SIZE = 16
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")
ROLE_SYMBOLS = {"experimental": "circle", "control": "square"}
CROSS_TRIAL = (
    "Cross-trial caution: arms of different trials differ in line, population, safety definitions and follow-up; "
    "only arms joined by a line come from one trial. Each rate is shown as its source prints it."
)
EMPTY = "No arm in this selection has both {efficacy} and {harm}."
HOVER = (
    "<b>%{customdata[0]}</b> · %{customdata[1]} arm<br>"
    "%{customdata[2]}<br>"
    "{efficacy}: %{x}<br>"
    "  population: %{customdata[3]} · n %{customdata[4]} · %{customdata[5]}<br>"
    "{harm}: %{y}<br>"
    "  attribution: %{customdata[6]} · population: %{customdata[7]} · n %{customdata[8]} · %{customdata[9]}<br>"
    "Sources: %{customdata[10]}<extra></extra>"
)


def _count(value: object) -> str:
    return "not reported" if is_missing(value) else f"{int(value)}"


def axis_title(measure: str) -> str:
    """Return an axis title in words: 'ORR (%)', 'grade >= 3 adverse events, all-cause (%)'."""
    return {**EFFICACY_MEASURES, **HARM_MEASURES}[measure]


def customdata(frame: pd.DataFrame) -> list[list[str]]:
    """Return each arm's hover fields, escaped: trial, arm role, regimen, the efficacy side (population, n,
    analysis), the harm side (attribution, population, n, analysis), then both sources."""
    return [
        [
            _text(r.acronym),
            _text(r.arm_role),
            _text(r.regimen),
            _text(r.efficacy_population),
            _count(r.n),
            _text(r.efficacy_analysis),
            _text(r.harm_attribution),
            _text(r.harm_population),
            _count(r.n_safety),
            _text(r.harm_analysis),
            _text(", ".join(dict.fromkeys((r.efficacy_source_id, r.harm_source_id)))),
        ]
        for r in frame.itertuples(index=False)
    ]


def benefit_harm(
    frame: pd.DataFrame, efficacy: str, harm: str, title: str = "", caption: str = CROSS_TRIAL
) -> go.Figure:
    """Return the benefit-harm chart of safety.benefit_harm's rows: one trace per trial (its arms joined by a
    line, experimental and control told apart by marker), the efficacy measure across, the harm rate up."""
    x_title, y_title = axis_title(efficacy), axis_title(harm)
    fig = go.Figure()
    if frame.empty:
        fig.add_annotation(
            text=_text(EMPTY.format(efficacy=x_title, harm=y_title)),
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            showarrow=False,
            font={"size": FONT_SIZE},
        )
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        fig.update_layout(height=220, font={"size": FONT_SIZE}, margin={"l": 10, "r": 10, "t": 40, "b": 20})
        return fig
    hover = HOVER.replace("{efficacy}", _text(x_title)).replace("{harm}", _text(y_title))
    for i, (trial, arms) in enumerate(frame.groupby("acronym", sort=True)):
        colour = PALETTE[i % len(PALETTE)]
        fig.add_trace(
            go.Scatter(
                x=arms["efficacy"],
                y=arms["harm"],
                mode="lines+markers+text" if len(arms) > 1 else "markers+text",
                name=_text(trial),
                text=[_text(role) for role in arms["arm_role"]],
                textposition="top center",
                marker={
                    "size": 14,
                    "color": colour,
                    "symbol": [ROLE_SYMBOLS.get(role, "diamond") for role in arms["arm_role"]],
                },
                line={"color": colour, "width": 2},
                customdata=customdata(arms),
                hovertemplate=hover,
            )
        )
    # From zero (percentages to 100): a tight autoscale would make a few points look like a large difference.
    fig.update_xaxes(title={"text": _text(x_title)}, range=_range(efficacy, frame["efficacy"]), zeroline=False)
    fig.update_yaxes(title={"text": _text(y_title)}, range=_range(harm, frame["harm"]), zeroline=False)
    n_trials = frame["acronym"].nunique()
    fig.update_layout(
        title={"text": _text(title or f"{x_title} against {y_title}"), "x": 0, "font": {"size": FONT_SIZE + 4}},
        font={"size": FONT_SIZE},
        height=560,
        margin={"l": 10, "r": 30, "t": 90, "b": 150 if caption and n_trials > 1 else 80},
        hoverlabel={"font": {"size": FONT_SIZE - 1}, "align": "left"},
        showlegend=True,
        legend={"title": {"text": "Trial (arms joined)"}},
    )
    if caption and n_trials > 1:
        fig.add_annotation(
            text=wrap(caption, 110),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-80,
            showarrow=False,
            xanchor="left",
            yanchor="top",
            align="left",
            font={"size": FONT_SIZE - 3},
        )
    return fig


def _range(measure: str, values: pd.Series) -> list[float]:
    """Return an axis range from zero: 0-100 for a percentage, else to a tenth above the largest value."""
    if measure.endswith("_pct"):
        return [0, 100]
    top = float(values.max()) if len(values) else 1.0
    return [0, top * 1.1 or 1.0]
