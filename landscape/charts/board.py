"""The tumour board's evidence figure: one row per arm of each trial behind the options that fit (the
trial of the patient's line first), with ORR and its exact CI, median PFS and OS, and the PFS and OS hazard
ratios drawn with their 95% CI on a log axis, sized by one text size so it reads on a projector."""

from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from landscape.board.evidence import Arm, arms_of
from landscape.charts.common import (
    FONT_SIZE,
    GRID,
    ROLE_COLOURS,
    ROLES,
    base_layout,
    empty_figure,
    hover,
    text,
    wrap,
)
from landscape.text import short_regimen

# Panels left to right: (column of Arm, title). Each endpoint's hazard ratio sits beside its median.
PANELS = (
    ("orr", "ORR, %<br>(95% CI)"),
    ("median_pfs", "Median PFS<br>(months)"),
    ("pfs_hr", "PFS HR<br>(95% CI)"),
    ("median_os", "Median OS<br>(months)"),
    ("os_hr", "OS HR<br>(95% CI)"),
)
COLUMN = {name: i + 1 for i, (name, _) in enumerate(PANELS)}
TRIAL_GAP = 0.7  # extra space between two trials' rows, in rows
HR_TICKS = (0.1, 0.25, 0.5, 1, 2, 4)
HR_COLOUR = "#8A8A8A"  # mid grey: reads on the white page, the dark theme and the slide
LABEL_CHARS = 36  # per line of a row label: two lines of this fit beside the panels at 1280 pixels
LABEL_POPULATIONS = {"treated population": "treated", "per-protocol population": "per protocol"}
HOVER_FIELDS = {
    "trial": lambda a: text(a.acronym),
    "regimen": lambda a: text(a.regimen),
    "population": lambda a: text(a.population),
    "analyses": lambda a: text(a.analyses),
    "n": lambda a: "not reported" if a.n is None else str(a.n),
    "orr_population": lambda a: text(a.orr_population),
    "also": lambda a: "<br>".join(text(line, 140) for line in a.also) or "—",
    "source": lambda a: text(", ".join(a.source_ids)),
}
HOVER_HEAD = "<b>{trial}</b>, {regimen}<br>{population}, n {n}<br>"
HOVER_TAIL = "<br>Analyses: {analyses}<br>Also: {also}<br>Source: {source}<extra></extra>"


def row_pitch(text_px: int) -> float:
    """Return the height of one row in pixels: two lines of label at text_px with air between rows."""
    return max(3.1 * text_px, 50.0)


def board_evidence(
    rows: Sequence[dict],
    title: str = "",
    caption: str = "",
    height: int | None = None,
    text_px: int = FONT_SIZE,
    notes: bool = True,
) -> go.Figure:
    """Return the key evidence of the options that fit, one row per arm (other populations of the arm are
    folded into its row: a hollow ORR marker, and the hover). `text_px` sizes every text of the figure
    (18 or more for a projector); the height follows the rows unless given. Rows are the board's
    evidence records, in the board's order. Without `notes` the figure leaves its notes (what the markers
    mean, the caption) to the surface, which writes evidence_notes beside it."""
    arms = arms_of(rows)
    if not arms:
        return empty_figure("No reported result for the options that fit this profile.")
    y = _positions(arms)
    fig = make_subplots(
        rows=1,
        cols=len(PANELS),
        shared_yaxes=True,
        horizontal_spacing=0.035,
        column_widths=[0.22, 0.18, 0.21, 0.18, 0.21],
        subplot_titles=[t for _, t in PANELS],
    )
    for role in ROLES:
        mine = [(a, p) for a, p in zip(arms, y, strict=True) if a.arm_role == role]
        if mine:
            _add_orr(fig, mine, role, text_px)
            for column in ("median_pfs", "median_os"):
                _add_median(fig, mine, column, role, text_px)
    hr_range = _hr_range(arms)
    for column in ("pfs_hr", "os_hr"):
        _add_hr(fig, arms, y, column, text_px)
        fig.update_xaxes(
            type="log", range=hr_range, tickvals=_hr_ticks(hr_range), ticktext=None, col=COLUMN[column], row=1
        )
        fig.add_vline(x=1, line_dash="dash", line_color="#999999", row=1, col=COLUMN[column])
    _axes(fig, arms, y, text_px)
    _trial_separators(fig, arms, y)
    # Notes wrap to about 750 px of text whatever its size, and hang from the right edge: they never run
    # past the figure on a 1280-pixel screen.
    shown = [wrap(n, int(1500 / text_px)) for n in evidence_notes(rows, caption)] if notes else []
    lines = sum(n.count("<br>") + 1 for n in shown)
    size = height or _height(y, text_px, bool(title), lines)
    base_layout(fig, title, size)
    _finish_layout(fig, text_px, bool(title), lines, shown)
    return fig


def _positions(arms: list[Arm]) -> list[float]:
    """Return each arm's y (rows downwards), with a gap between trials."""
    out, y = [], 0.0
    for i, arm in enumerate(arms):
        if i and arm.trial_id != arms[i - 1].trial_id:
            y += TRIAL_GAP
        out.append(y)
        y += 1
    return out


def _height(y: list[float], text_px: int, titled: bool, note_lines: int) -> int:
    return int(_top(text_px, titled) + (y[-1] + 1) * row_pitch(text_px) + _bottom(text_px, note_lines))


def _top(text_px: int, titled: bool) -> float:
    """Room above the plots: the title, the legend and the two-line panel titles."""
    return (2.2 * text_px if titled else 0) + 1.6 * text_px + 2.9 * text_px + 10


def _bottom(text_px: int, note_lines: int) -> float:
    """Room below the plots: the tick labels and the notes."""
    return 2.2 * text_px + note_lines * 1.35 * text_px + 10


def label(arm: Arm) -> str:
    """Return the arm's two-line row label, each line about LABEL_CHARS at most: the trial, its line (and
    where it ran, when the line is not the patient's) and the population; then the regimen in short and n."""
    parts = [arm.line]
    if not arm.for_line and arm.regions:
        parts.append(arm.regions)
    parts.append(LABEL_POPULATIONS.get(arm.population_short, arm.population_short))
    room = max(LABEL_CHARS - len(arm.acronym) - 3, 12)
    first = f"<b>{text(arm.acronym, 22)}</b> · {text(' · '.join(parts), room)}"
    n = " (n not reported)" if arm.n is None else f" (n={arm.n})"
    return f"{first}<br>{text(short_regimen(arm.regimen, LABEL_CHARS - len(n)))}{n}"


def _hover(arms: list[Arm], what: str) -> tuple[list, str]:
    return hover(HOVER_HEAD + what + HOVER_TAIL, HOVER_FIELDS, arms)


def _add_orr(fig: go.Figure, mine: list[tuple[Arm, float]], role: str, text_px: int) -> None:
    """ORR with its exact CI: filled for the arm's own population, hollow when the value is of another
    population of the arm (response-evaluable), which the notes name; no whisker without a CI."""
    for borrowed in (False, True):
        for with_ci in (True, False):
            part = [
                (a, p)
                for a, p in mine
                if a.orr is not None and a.orr_borrowed == borrowed and (a.orr_low is not None) == with_ci
            ]
            if part:
                fig.add_trace(_orr_trace(part, role, borrowed, with_ci, text_px), row=1, col=COLUMN["orr"])


def _orr_trace(part: list[tuple[Arm, float]], role: str, borrowed: bool, with_ci: bool, text_px: int) -> go.Scatter:
    values = [a.orr for a, _ in part]
    customdata, template = _hover([a for a, _ in part], "ORR %{x:.1f}% ({orr_population})")
    return go.Scatter(
        x=values,
        y=[p for _, p in part],
        mode="markers+text",
        text=[f"{v:g}%" for v in values],
        textposition="top center",
        name=f"{role} arm",
        legendgroup=role,
        showlegend=not borrowed and with_ci,
        marker={
            "color": "rgba(0,0,0,0)" if borrowed else ROLE_COLOURS[role],
            "line": {"color": ROLE_COLOURS[role], "width": 2.5},
            "size": max(12, int(text_px * 0.7)),
            "symbol": "circle" if role == "experimental" else "square",
        },
        error_x={
            "type": "data",
            "symmetric": False,
            "array": [a.orr_high - a.orr for a, _ in part] if with_ci else [],
            "arrayminus": [a.orr - a.orr_low for a, _ in part] if with_ci else [],
            "thickness": 2.5,
            "width": 6,
            "color": ROLE_COLOURS[role],
            "visible": with_ci,
        },
        customdata=customdata,
        hovertemplate=template,
        textfont={"size": text_px - 2},
        cliponaxis=False,
    )


def _add_median(fig: go.Figure, mine: list[tuple[Arm, float]], column: str, role: str, text_px: int) -> None:
    """One arm role's bars of a median: its value, or an empty bar labelled 'not reached'."""
    part = [(a, p) for a, p in mine if getattr(a, column) not in (None, "not reported")]
    if not part:
        return
    reached = [getattr(a, column) != "not reached" for a, _ in part]
    values = [float(getattr(a, column)) if ok else 0.0 for (a, _), ok in zip(part, reached, strict=True)]
    customdata, template = _hover([a for a, _ in part], "%{x:.1f} months")
    fig.add_trace(
        go.Bar(
            x=values,
            y=[p for _, p in part],
            orientation="h",
            width=0.55,
            name=f"{role} arm",
            legendgroup=role,
            showlegend=False,
            marker={"color": ROLE_COLOURS[role]},
            text=[f"{v:.1f}" if ok else "not reached" for v, ok in zip(values, reached, strict=True)],
            textposition="outside",
            textfont={"size": text_px - 2},
            cliponaxis=False,
            customdata=customdata,
            hovertemplate=template,
        ),
        row=1,
        col=COLUMN[column],
    )


def _add_hr(fig: go.Figure, arms: list[Arm], y: list[float], column: str, text_px: int) -> None:
    """The hazard ratios of one endpoint, each on its experimental arm's row: a diamond with whiskers to the
    95% CI (hollow, without whiskers, when no 95% CI was given), the value and CI written above it."""
    part = [(a, p) for a, p in zip(arms, y, strict=True) if getattr(a, column) is not None]
    if not part:
        _say_none_reported(fig, y[0], column, text_px)
    for with_ci in (True, False):
        drawn = [(a, p) for a, p in part if getattr(a, column).has_95 == with_ci]
        if not drawn:
            continue
        hrs = [getattr(a, column) for a, _ in drawn]
        customdata, template = _hover([a for a, _ in drawn], f"{column[:-3].upper()} HR %{{text}}")
        fig.add_trace(
            go.Scatter(
                x=[h.hr for h in hrs],
                y=[p for _, p in drawn],
                mode="markers+text",
                text=[h.words for h in hrs],
                textposition="top center",
                name="hazard ratio (95% CI)" if with_ci else "hazard ratio without a 95% CI",
                legendgroup=f"hr{with_ci}",
                showlegend=column == "pfs_hr" or not any(a.pfs_hr for a in arms),
                marker={
                    "color": HR_COLOUR if with_ci else "rgba(0,0,0,0)",
                    "line": {"color": HR_COLOUR, "width": 2},
                    "size": max(13, int(text_px * 0.75)),
                    "symbol": "diamond",
                },
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [(h.high - h.hr) if with_ci else 0 for h in hrs],
                    "arrayminus": [(h.hr - h.low) if with_ci else 0 for h in hrs],
                    "thickness": 2.5,
                    "width": 6,
                    "color": HR_COLOUR,
                    "visible": with_ci,
                },
                textfont={"size": text_px - 2},
                cliponaxis=False,
                customdata=customdata,
                hovertemplate=template,
            ),
            row=1,
            col=COLUMN[column],
        )


def _say_none_reported(fig: go.Figure, y0: float, column: str, text_px: int) -> None:
    """An empty panel says so, rather than look like a chart that failed to draw; Plotly draws a panel's axes
    only with a trace in it, so an invisible point at HR 1 keeps them."""
    invisible = go.Scatter(x=[1], y=[y0], mode="markers", marker={"opacity": 0}, hoverinfo="skip", showlegend=False)
    fig.add_trace(invisible, row=1, col=COLUMN[column])
    fig.add_annotation(
        text="none reported",
        x=0.5,
        y=0.5,
        xref="x domain",
        yref="y domain",
        showarrow=False,
        font={"size": text_px - 2, "color": "#888888"},
        row=1,
        col=COLUMN[column],
    )


def _hr_range(arms: list[Arm]) -> list[float]:
    """Return the log10 range of both hazard-ratio panels: every CI and 1, with room for the labels."""
    values = [1.0]
    for arm in arms:
        for hr in (arm.pfs_hr, arm.os_hr):
            if hr is not None:
                values += [v for v in (hr.hr, hr.low, hr.high) if v is not None]
    low, high = min(values + [0.4]), max(values + [1.6])
    return [math.log10(low) - 0.12, math.log10(high) + 0.12]


def _hr_ticks(hr_range: list[float]) -> list[float]:
    return [t for t in HR_TICKS if hr_range[0] <= math.log10(t) <= hr_range[1]]


def _longest(arms: list[Arm], column: str) -> float:
    values = [float(v) for a in arms if (v := getattr(a, column)) not in (None, "not reached", "not reported")]
    return max(values or [12.0])


def _axes(fig: go.Figure, arms: list[Arm], y: list[float], text_px: int) -> None:
    """Rows top down with their labels; each panel's x axis with few, well-spaced ticks."""
    fig.update_yaxes(
        tickmode="array",
        tickvals=y,
        ticktext=[label(a) for a in arms],
        range=[y[-1] + 0.6, -0.75],
        tickfont={"size": text_px},
        automargin=True,
        showgrid=False,
        zeroline=False,
    )
    fig.update_xaxes(tickfont={"size": text_px - 2}, showgrid=True, gridcolor=GRID, zeroline=False)
    # Each panel's range starts a little below 0, so its first tick label stays clear of the panel before.
    fig.update_xaxes(range=[-12, 106], tickvals=[0, 50, 100], row=1, col=COLUMN["orr"])
    for column in ("median_pfs", "median_os"):
        longest = _longest(arms, column)
        step = _step(longest)
        fig.update_xaxes(
            range=[-longest * 0.1, longest * 1.45],
            tickvals=[step * i for i in range(int(longest * 1.45 // step) + 1)],
            row=1,
            col=COLUMN[column],
        )


def _step(longest: float) -> float:
    """Return a tick step giving at most three ticks up to the longest median (panels are narrow)."""
    for step in (2, 5, 10, 20, 50):
        if longest * 1.45 / step <= 3:
            return float(step)
    return 100.0


def _trial_separators(fig: go.Figure, arms: list[Arm], y: list[float]) -> None:
    """A faint line between two trials' rows across every panel."""
    for i in range(1, len(arms)):
        if arms[i].trial_id != arms[i - 1].trial_id:
            middle = (y[i] + y[i - 1]) / 2
            fig.add_shape(
                type="line",
                xref="paper",
                x0=0,
                x1=1,
                yref="y",
                y0=middle,
                y1=middle,
                line={"color": GRID, "width": 1.5},
            )


def evidence_notes(rows: Sequence[dict], caption: str = "") -> list[str]:
    """Return the evidence figure's notes: which way a hazard ratio favours, what a hollow ORR marker means
    (when one is drawn), then the caption."""
    notes = ["Hazard ratio: experimental vs control arm, < 1 favours the experimental arm; whiskers: 95% CI."]
    if any(a.orr_borrowed for a in arms_of(rows)):
        notes.append(
            "Hollow ORR marker: the response rate in the arm's response-evaluable population, whose n is not the row's."
        )
    return notes + ([caption] if caption else [])


def _finish_layout(fig: go.Figure, text_px: int, titled: bool, note_lines: int, notes: list[str]) -> None:
    """Text sizes from text_px, margins that hold the legend, the panel titles, the ticks and the notes."""
    fig.update_layout(
        font={"size": text_px},
        margin={"l": 10, "r": 20, "t": int(_top(text_px, titled)), "b": int(_bottom(text_px, note_lines))},
        legend={"font": {"size": text_px - 2}, "orientation": "h", "y": 1.0, "yref": "container", "x": 1},
        hoverlabel={"font": {"size": max(text_px - 2, 14)}},
        bargap=0.4,
    )
    fig.update_annotations(font={"size": text_px - 2})
    if notes:
        fig.add_annotation(
            text="<br>".join(notes),
            xref="paper",
            yref="paper",
            x=1,
            y=0,
            yshift=-2.2 * text_px,
            showarrow=False,
            xanchor="right",
            yanchor="top",
            align="left",
            font={"size": text_px - 2},
        )
