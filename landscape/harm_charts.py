"""Benefit beside harm as a Plotly figure (no Streamlit): per trial arm, an efficacy measure against the grade
>= 3 adverse-event rate of the same arm, in one definition (all-cause or treatment-related, never both on
one axis), colour = arm, the arms of one trial joined by a line; advanced and perioperative disease never on
one panel. Hover text comes from hovertemplate + customdata, and every data string is escaped."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from landscape.charts.common import (
    FONT_SIZE,
    KEY_COLOUR,
    ROLE_COLOURS,
    ROLES,
    SETTING_TITLES,
    by_setting,
    empty_figure,
    in_settings,
    wrap,
)
from landscape.charts.common import text as _text
from landscape.safety import EFFICACY_MEASURES, HARM_MEASURES
from landscape.values import is_missing

ROLE_SYMBOLS = {"experimental": "circle", "control": "square"}
LEGEND_TITLE = "Colour = arm (a grey line joins the arms of one trial)"
JOIN_COLOUR = "#AAAAAA"
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
    frame: pd.DataFrame,
    efficacy: str,
    harm: str,
    title: str = "",
    caption: str = CROSS_TRIAL,
    settings: Iterable[str] | None = None,
) -> go.Figure:
    """Return the benefit-harm chart of safety.benefit_harm's rows: per arm, the efficacy measure across and
    the harm rate up, colour = arm (experimental or control, as on the other result charts), a trial's arms
    joined by a grey line and the trial named beside them. Advanced disease only unless settings says
    otherwise; with both settings, one panel each (never one scale for survival after surgery and in
    advanced disease)."""
    x_title, y_title = axis_title(efficacy), axis_title(harm)
    frame = in_settings(frame, settings)
    if frame.empty:
        return empty_figure(EMPTY.format(efficacy=x_title, harm=y_title))
    parts = by_setting(frame)
    fig = make_subplots(
        rows=1,
        cols=len(parts),
        shared_yaxes=True,
        horizontal_spacing=0.08,
        subplot_titles=[_text(SETTING_TITLES[s]) for s, _ in parts] if len(parts) > 1 else None,
    )
    hover = HOVER.replace("{efficacy}", _text(x_title)).replace("{harm}", _text(y_title))
    for col, (_, part) in enumerate(parts, start=1):
        _draw_panel(fig, part, col, efficacy, hover)
        fig.update_xaxes(title={"text": _text(x_title)}, row=1, col=col)
    _one_legend_entry_per_role(fig)
    fig.update_xaxes(zeroline=False)
    fig.update_yaxes(title={"text": _text(y_title)}, range=_range(harm, frame["harm"]), zeroline=False, row=1, col=1)
    return _finish(fig, title or f"{x_title} against {y_title}", caption if frame["acronym"].nunique() > 1 else "")


def _draw_panel(fig: go.Figure, part: pd.DataFrame, col: int, efficacy: str, hover: str) -> None:
    """Draw one setting's arms in panel `col`: each trial's arms joined, then the arms by role."""
    for _, arms in part.groupby("trial_id", sort=True):
        _join(fig, arms, col)
    with_experimental = set(part.loc[part["arm_role"] != "control", "trial_id"])
    # From zero (percentages to 100): a tight autoscale would make a few points look like a large difference.
    x_range = _range(efficacy, part["efficacy"])
    for role in ROLES:
        arms = part[part["arm_role"] == role]
        if not arms.empty:
            fig.add_trace(_arm_trace(arms, role, hover, with_experimental, x_range[1] / 2), row=1, col=col)
    fig.update_xaxes(range=x_range, row=1, col=col)


def _one_legend_entry_per_role(fig: go.Figure) -> None:
    """Show one legend entry per arm role, whatever the number of panels."""
    seen: set[str] = set()
    for trace in fig.data:
        if trace.legendgroup in ROLES:
            trace.showlegend = trace.legendgroup not in seen
            seen.add(trace.legendgroup)


def _finish(fig: go.Figure, title: str, caption: str) -> go.Figure:
    """Lay out the chart: title, legend that says what colour means, the cross-trial caption (when given)."""
    fig.update_layout(
        title={"text": _text(title), "x": 0, "font": {"size": FONT_SIZE + 4}},
        font={"size": FONT_SIZE},
        height=560,
        margin={"l": 10, "r": 30, "t": 90, "b": 150 if caption else 80},
        hoverlabel={"font": {"size": FONT_SIZE - 1}, "align": "left"},
        showlegend=True,
        legend={"title": {"text": LEGEND_TITLE}},
    )
    if caption:
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


def _join(fig: go.Figure, arms: pd.DataFrame, col: int) -> None:
    """Join the arms of one trial with grey lines, drawn under the points (shapes: no colour meaning, no hover,
    no trace of their own)."""
    points = list(zip(arms["efficacy"], arms["harm"], strict=True))
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        fig.add_shape(
            type="line",
            x0=x0,
            y0=y0,
            x1=x1,
            y1=y1,
            line={"color": JOIN_COLOUR, "width": 2},
            layer="below",
            row=1,
            col=col,
        )


def _arm_trace(arms: pd.DataFrame, role: str, hover: str, with_experimental: set, middle: float) -> go.Scatter:
    """One arm role's points, each named by its trial (a control arm is not when its experimental arm is), the
    name towards the middle of the axis so that it is never cut at the plot's edge."""
    named = [role != "control" or t not in with_experimental for t in arms["trial_id"]]
    return go.Scatter(
        x=arms["efficacy"],
        y=arms["harm"],
        mode="markers+text",
        name=f"{role} arm",
        legendgroup=role,
        text=[_text(t) if shown else "" for t, shown in zip(arms["acronym"], named, strict=True)],
        textposition=["top left" if x > middle else "top right" for x in arms["efficacy"]],
        marker={"size": 14, "color": ROLE_COLOURS.get(role, KEY_COLOUR), "symbol": ROLE_SYMBOLS.get(role, "diamond")},
        customdata=customdata(arms),
        hovertemplate=hover,
    )


def _range(measure: str, values: pd.Series) -> list[float]:
    """Return an axis range from zero: 0-100 for a percentage, else to a tenth above the largest value."""
    if measure.endswith("_pct"):
        return [0, 100]
    top = float(values.max()) if len(values) else 1.0
    return [0, top * 1.1 or 1.0]
