"""The tumour board's evidence figure: per arm, ORR with its exact CI, median PFS and median OS side by
side, sized for a projector."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from landscape.charts.common import (
    FONT_SIZE,
    GRID,
    ROLE_COLOURS,
    ROLES,
    base_layout,
    category_axis,
    ci_error_bars,
    count,
    empty_figure,
    hover,
    text,
    unique_labels,
)

BOARD_ROW_PX = 70
BOARD_MAX_HEIGHT = 860  # fits a 1080-pixel projector screen with the page's title and caption
MEDIANS = ((2, "median_pfs"), (3, "median_os"))  # (panel, column): "not reached"/"not reported" or a number
NOT_NUMBERS = {"not reached", "not reported"}
ARM_FIELDS = {"regimen": lambda r: text(r["regimen"], 80), "source": lambda r: text(r["source_id"])}


def board_evidence(rows: list[dict], title: str, caption: str = "", height: int | None = None) -> go.Figure:
    """Return the key evidence of the options that fit one line, sized for a projector: per arm, the
    ORR with its exact 95% CI, median PFS and median OS side by side (hatched 'not reached'),
    experimental and control arms coloured apart. Rows are the board's evidence rows."""
    data = pd.DataFrame(rows)
    if data.empty:
        return empty_figure("No reported result for the options that fit this profile.")
    data = data.assign(_label=_labels(data))
    fig = make_subplots(
        rows=1,
        cols=3,
        shared_yaxes=True,
        horizontal_spacing=0.06,
        subplot_titles=["ORR, % (95% CI)", "Median PFS, months", "Median OS, months"],
    )
    for role in ROLES:
        sub = data[data["arm_role"] == role]
        if sub.empty:
            continue
        orr = sub[sub["orr_pct"].notna()]
        if not orr.empty:
            fig.add_trace(_orr_trace(orr, role), row=1, col=1)
        for panel, column in MEDIANS:
            shown = sub[sub[column].isin(["not reported"]) == False]  # noqa: E712
            shown = shown[shown[column].notna()]
            if not shown.empty:
                fig.add_trace(_median_trace(shown, column, role), row=1, col=panel)
    category_axis(fig, data["_label"], automargin=True, tickfont={"size": FONT_SIZE})
    fig.update_xaxes(range=[0, 100], dtick=20, showgrid=True, gridcolor=GRID, row=1, col=1)
    longest = _longest_median(data)
    for panel, _ in MEDIANS:
        fig.update_xaxes(range=[0, longest * 1.25], showgrid=True, gridcolor=GRID, row=1, col=panel)
    fig.update_layout(barmode="group", bargap=0.35, uniformtext={"minsize": FONT_SIZE - 2, "mode": "show"})
    fig.update_annotations(font={"size": FONT_SIZE})
    size = height or min(BOARD_MAX_HEIGHT, 220 + BOARD_ROW_PX * len(data))
    return base_layout(fig, title, size, caption)


def _labels(data: pd.DataFrame) -> list[str]:
    return unique_labels(
        [
            f"<b>{text(r['acronym'], 22)}</b> · {text(r['arm_role'])} (n={count(r['n'])})<br>"
            f"{text(r['population'], 30)} · {text(r['analysis'], 26)}"
            for r in data.to_dict("records")
        ]
    )


def _longest_median(data: pd.DataFrame) -> float:
    """Return the longest median reached (12 months when none is), to size the median panels alike."""
    reached = [float(v) for _, column in MEDIANS for v in data[column].dropna() if v not in NOT_NUMBERS]
    return max(reached or [12.0])


def _orr_trace(orr: pd.DataFrame, role: str) -> go.Scatter:
    values = orr["orr_pct"].astype(float)
    customdata, template = hover(
        "{regimen}<br>ORR %{x:.1f}%<br>Source: {source}<extra></extra>", ARM_FIELDS, orr.to_dict("records")
    )
    return go.Scatter(
        x=values,
        y=orr["_label"],
        mode="markers+text",
        text=[f"{v:g}%" for v in values],
        textposition="top center",
        name=f"{role} arm",
        legendgroup=role,
        marker={"color": ROLE_COLOURS[role], "size": 14, "symbol": "circle" if role == "experimental" else "square"},
        error_x=ci_error_bars(
            values, orr["orr_ci_low_pct"], orr["orr_ci_high_pct"], whisker_width=None, fill_missing=True
        ),
        customdata=customdata,
        hovertemplate=template,
    )


def _median_trace(shown: pd.DataFrame, column: str, role: str) -> go.Bar:
    """Return one arm role's bars of a median: its value, or an empty bar labelled 'not reached'."""
    reached = shown[column] != "not reached"
    values = [float(v) if ok else 0.0 for v, ok in zip(shown[column], reached, strict=True)]
    customdata, template = hover(
        "{regimen}<br>%{x:.1f} months<br>Source: {source}<extra></extra>", ARM_FIELDS, shown.to_dict("records")
    )
    return go.Bar(
        x=values,
        y=shown["_label"],
        orientation="h",
        name=f"{role} arm",
        legendgroup=role,
        showlegend=False,
        marker={"color": ROLE_COLOURS[role]},
        text=[f"{v:.1f}" if ok else "not reached" for v, ok in zip(values, reached, strict=True)],
        textposition="outside",
        cliponaxis=False,
        customdata=customdata,
        hovertemplate=template,
    )
