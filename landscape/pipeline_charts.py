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

from landscape.charts.common import empty_figure
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
        return empty_figure("No HER2-directed programme matches these filters.")
    layout = {line: _panel_rows(matrix[matrix["line"] == line]) for line in fig_lines}
    units = [sum(h for _, _, h in layout[line]) for line in fig_lines]
    fig = make_subplots(
        rows=len(fig_lines),
        cols=1,
        shared_xaxes=True,
        row_heights=[u / sum(units) for u in units],
        vertical_spacing=min(0.15, 85 / (PX_PER_UNIT * sum(units) + 85 * len(fig_lines))),
        subplot_titles=[f"Line: {line}" for line in fig_lines],
    )
    shown_in_legend: set[str] = set()
    by_cell = dict(list(programmes.groupby(["line", "group", "highest_phase"], sort=False)))
    for r, line in enumerate(fig_lines, start=1):
        _add_panel(fig, r, line, by_cell, matrix[matrix["line"] == line], layout[line], shown_in_legend)
    # Faint lines between the rows of a panel so a dot reads against its row: drawn as one list of shapes, as
    # add_hline would draw them one at a time (which validated the whole layout again for each line: half the
    # figure's build time).
    fig.update_layout(
        shapes=[
            {
                "type": "line",
                "xref": f"{_axis('x', r)} domain",
                "yref": _axis("y", r),
                "x0": 0,
                "x1": 1,
                "y0": y + h / 2,
                "y1": y + h / 2,
                "line": {"width": 1, "color": "#E5E5E5"},
            }
            for r, line in enumerate(fig_lines, start=1)
            for _, y, h in layout[line][1:]
        ]
    )
    _lay_out(fig, fig_lines, units, group_label)
    return fig


def _axis(letter: str, row: int) -> str:
    """Return the name Plotly gives the axis of subplot row `row` in a one-column grid ("y", "y2", …)."""
    return letter if row == 1 else f"{letter}{row}"


def _panel_rows(cells: pd.DataFrame) -> list[tuple[str, float, float]]:
    """Return (group, y centre, height in units) of each row of one line's panel: a group's row is as tall as
    its busiest cell needs (one unit per row of dots plus the cell label)."""
    rows, top = [], 0.0
    for group in dict.fromkeys(cells["group"]):
        height = 0.6 + DOT_STEP_Y * _dot_rows(int(cells.loc[cells["group"] == group, "programmes"].max()))
        rows.append((group, -(top + height / 2), height))
        top += height
    return rows


def _cell_dots(here: pd.DataFrame, line: str, cell, centre: dict[str, tuple[float, float]]) -> list[tuple]:
    """Return (status, x, y, hover data) of the dot of each programme `here` in one cell, DOTS_PER_ROW to a
    row, centred on the cell's phase and below its label."""
    y0, h = centre[cell.group]
    top = y0 + h / 2 - 0.3  # below the cell label
    dots = []
    for k, p in enumerate(here.itertuples(index=False)):
        row, col = divmod(k, DOTS_PER_ROW)
        in_row = min(DOTS_PER_ROW, len(here) - row * DOTS_PER_ROW)
        x = PHASES.index(cell.highest_phase) + (col - (in_row - 1) / 2) * DOT_STEP_X
        y = top - DOT_STEP_Y * (row + 0.5)
        status = p.programme_status if p.programme_status in STATUS_COLOURS else NOT_RECORDED
        hover = [_text(v) for v in (p.name, p.sponsor, status, line, p.highest_phase, p.n_trials, cell.group)]
        dots.append((status, x, y, hover))
    return dots


def _add_panel(
    fig: go.Figure,
    r: int,
    line: str,
    by_cell: dict[tuple, pd.DataFrame],
    cells: pd.DataFrame,
    rows: list[tuple[str, float, float]],
    shown_in_legend: set[str],
) -> None:
    """Draw one line's panel in subplot row r: a trace of dots per status (a status joins the legend once, on
    its first panel), then the labels (_label_panel)."""
    centre = {group: (y, h) for group, y, h in rows}
    points: dict[str, list] = {s: [] for s in STATUSES}
    for cell in cells.itertuples(index=False):
        here = by_cell[(line, cell.group, cell.highest_phase)]
        for status, x, y, hover in _cell_dots(here, line, cell, centre):
            points[status].append((x, y, hover))
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
    _label_panel(fig, r, cells, rows)


def _label_panel(fig: go.Figure, r: int, cells: pd.DataFrame, rows: list[tuple[str, float, float]]) -> None:
    """Label each cell of panel r with its counts and each row with its group."""
    centre = {group: (y, h) for group, y, h in rows}
    fig.add_trace(
        go.Scatter(
            x=[PHASES.index(p) for p in cells["highest_phase"]],
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
    fig.update_yaxes(
        tickvals=[y for _, y, _ in rows],
        ticktext=[wrap_label(g) for g, _, _ in rows],
        range=[-sum(h for _, _, h in rows), 0],
        showgrid=False,
        zeroline=False,
        automargin=True,
        row=r,
        col=1,
    )


def _lay_out(fig: go.Figure, fig_lines: list[str], units: list[float], group_label: str) -> None:
    """Set the shared phase axis, the title, the legend and a height that gives every row of dots its room."""
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
