"""The pipeline chart: one panel per line of therapy, modality (or mechanism) by highest phase reached, one
dot per programme coloured by programme status (the figure's only colour meaning). Returns a Plotly
figure and never calls Streamlit; hover through hovertemplate + customdata, data strings escaped."""

from __future__ import annotations

import html
import math
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from landscape.charts.common import text as _text
from landscape.pipeline import LINES, NOT_RECORDED, PHASES, STATUSES

# Okabe-Ito colours (readable with the common colour-vision deficiencies); grey for "not recorded", which
# must never read as active.
STATUS_COLOURS: dict[str, str] = dict(
    zip(STATUSES, ("#009E73", "#0072B2", "#D55E00", "#E69F00", "#CC79A7", "#BBBBBB"), strict=True)
)
LEGEND_TITLE = "Dot colour = programme status in G/GEJ cancer"
FONT_SIZE = 14
DOTS_PER_ROW = 5  # programmes side by side in one cell before a second row of dots
DOT_STEP_X = 0.15
DOT_STEP_Y = 0.28
LABEL_WIDTH = 26  # characters of a row label before it wraps
LABEL_LINES = 3  # lines of a row label that fit one row of dots
PX_PER_UNIT = 70  # height of one row of a panel per unit of y
HOVER = (
    "<b>%{customdata[0]}</b> (%{customdata[6]})<br>sponsor: %{customdata[1]}<br>programme: %{customdata[2]}"
    "<br>%{customdata[3]}: highest phase %{customdata[4]}<br>trials in this line: %{customdata[5]}<extra></extra>"
)


def wrap_label(text: str, width: int = LABEL_WIDTH, max_lines: int = LABEL_LINES) -> str:
    """Return an escaped label broken into lines of at most width characters (Plotly ticks do not wrap),
    shortened with an ellipsis after max_lines so it stays inside its row (the hover has it whole)."""
    lines = textwrap.wrap(str(text), width, max_lines=max_lines, placeholder=" …")
    return "<br>".join(html.escape(line, quote=False) for line in lines) or _text(text)


def _dot_rows(n: int) -> int:
    return max(1, math.ceil(n / DOTS_PER_ROW))


def pipeline_chart(programmes: pd.DataFrame, matrix: pd.DataFrame, group_label: str = "Modality") -> go.Figure:
    """Return the pipeline matrix: a panel per line, rows = groups present in that line, columns = highest
    phase reached; each programme a dot coloured by its programme status, each cell labelled with its
    programmes and trials."""
    fig_lines = [line for line in LINES if line in set(matrix["line"])]
    if matrix.empty or not fig_lines:
        fig = go.Figure()
        fig.add_annotation(
            text="No HER2-directed programme matches these filters.",
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            showarrow=False,
        )
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        fig.update_layout(height=300)
        return fig

    # Each group's row is as tall as its busiest cell needs (one unit per row of dots plus the cell label).
    layout: dict[str, list[tuple[str, float, float]]] = {}  # line -> (group, y centre, height in units)
    for line in fig_lines:
        here = matrix[matrix["line"] == line]
        groups = list(dict.fromkeys(here["group"]))
        rows, top = [], 0.0
        for group in groups:
            height = 0.6 + DOT_STEP_Y * _dot_rows(int(here.loc[here["group"] == group, "programmes"].max()))
            rows.append((group, -(top + height / 2), height))
            top += height
        layout[line] = rows
    units = [sum(h for _, _, h in layout[line]) for line in fig_lines]
    fig = make_subplots(
        rows=len(fig_lines),
        cols=1,
        shared_xaxes=True,
        row_heights=[u / sum(units) for u in units],
        vertical_spacing=min(0.15, 85 / (PX_PER_UNIT * sum(units) + 85 * len(fig_lines))),
        subplot_titles=[f"Line: {line}" for line in fig_lines],
    )
    phase_x = {phase: i for i, phase in enumerate(PHASES)}
    shown_in_legend: set[str] = set()
    for r, line in enumerate(fig_lines, start=1):
        centre = {group: (y, h) for group, y, h in layout[line]}
        points: dict[str, list] = {s: [] for s in STATUSES}
        for cell in matrix[matrix["line"] == line].itertuples(index=False):
            here = programmes[
                (programmes["line"] == line)
                & (programmes["group"] == cell.group)
                & (programmes["highest_phase"] == cell.highest_phase)
            ]
            y0, h = centre[cell.group]
            top = y0 + h / 2 - 0.3  # below the cell label
            for k, p in enumerate(here.itertuples(index=False)):
                row, col = divmod(k, DOTS_PER_ROW)
                in_row = min(DOTS_PER_ROW, len(here) - row * DOTS_PER_ROW)
                x = phase_x[cell.highest_phase] + (col - (in_row - 1) / 2) * DOT_STEP_X
                y = top - DOT_STEP_Y * (row + 0.5)
                status = p.programme_status if p.programme_status in points else NOT_RECORDED
                points[status].append(
                    (
                        x,
                        y,
                        [_text(v) for v in (p.name, p.sponsor, status, line, p.highest_phase, p.n_trials, cell.group)],
                    )
                )
        for status, pts in points.items():
            if not pts:
                continue
            fig.add_trace(
                go.Scatter(
                    x=[p[0] for p in pts],
                    y=[p[1] for p in pts],
                    mode="markers",
                    name=status,
                    legendgroup=status,
                    showlegend=status not in shown_in_legend,
                    marker={"size": 15, "color": STATUS_COLOURS[status], "line": {"width": 1, "color": "#333333"}},
                    customdata=[p[2] for p in pts],
                    hovertemplate=HOVER,
                ),
                row=r,
                col=1,
            )
            shown_in_legend.add(status)
        cells = matrix[matrix["line"] == line]
        fig.add_trace(
            go.Scatter(
                x=[phase_x[p] for p in cells["highest_phase"]],
                y=[centre[g][0] + centre[g][1] / 2 - 0.15 for g in cells["group"]],
                mode="text",
                text=[
                    f"{n} {'agent' if n == 1 else 'agents'} · {t} {'trial' if t == 1 else 'trials'}"
                    for n, t in zip(cells["programmes"], cells["trials"], strict=True)
                ],
                textfont={"size": FONT_SIZE - 3, "color": "#444444"},
                hoverinfo="skip",
                showlegend=False,
                name="counts",
            ),
            row=r,
            col=1,
        )
        total = sum(h for _, _, h in layout[line])
        fig.update_yaxes(
            tickvals=[y for _, y, _ in layout[line]],
            ticktext=[wrap_label(g) for g, _, _ in layout[line]],
            range=[-total, 0],
            showgrid=False,
            zeroline=False,
            automargin=True,
            row=r,
            col=1,
        )
        # Faint lines between the rows of a panel so a dot reads against its row.
        for _, y, h in layout[line][1:]:
            fig.add_hline(y=y + h / 2, line={"width": 1, "color": "#E5E5E5"}, row=r, col=1)
    fig.update_xaxes(
        tickvals=list(range(len(PHASES))),
        ticktext=list(PHASES),
        range=[-0.5, len(PHASES) - 0.5],
        showticklabels=True,  # every panel names its phases: a panel is often read on its own
        showgrid=True,
        gridcolor="#F0F0F0",
        zeroline=False,
    )
    fig.update_xaxes(
        title_text="Highest phase reached in the line (Approved = current gastric/GEJ approval)",
        row=len(fig_lines),
        col=1,
    )
    height = int(PX_PER_UNIT * sum(units) + 85 * len(fig_lines) + 190)
    fig.update_layout(
        title={
            "text": f"HER2-directed pipeline: {_text(group_label.lower())} by highest phase, by line",
            "x": 0.01,
            "xanchor": "left",
            "yref": "container",
            "y": 1 - 12 / height,
            "yanchor": "top",
        },
        font={"size": FONT_SIZE},
        height=height,
        margin={"l": 10, "r": 20, "t": 120, "b": 70},
        legend={
            "title": {"text": LEGEND_TITLE},
            "orientation": "h",
            "yref": "container",
            "y": 1 - 48 / height,
            "yanchor": "top",
            "x": 0.01,
            "xanchor": "left",
        },
        hoverlabel={"align": "left"},
        plot_bgcolor="white",
    )
    return fig
