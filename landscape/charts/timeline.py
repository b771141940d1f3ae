"""Figures over time: trials from start to completion (actual solid, estimated hatched, readouts marked)
and regulatory decisions by agency."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from landscape import dates
from landscape.charts.common import (
    GRID,
    MAX_ROWS,
    PALETTE,
    ROW_PX,
    base_layout,
    empty_figure,
    hover,
    limit_rows,
    ms,
    text,
)
from landscape.schema import enum

# One marker symbol per agency of the schema, in its order (a new agency in the schema needs a symbol here).
AGENCY_SYMBOLS = dict(
    zip(
        enum("approvals", "agency"),
        ("circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon"),
        strict=True,
    )
)
ACCENT = "#D55E00"  # the line at today and the readout markers
DATE_KINDS = ("actual", "estimated")


class Segment(NamedTuple):
    """One kind of bar of the trial timeline: which rows, between which dates, styled how."""

    no_primary_only: bool  # only trials without a primary completion date
    start: str
    end: str
    end_type: str  # the column saying whether the end date is actual or estimated
    label: str
    colour: str
    opacity: float


SEGMENTS = (
    Segment(
        False,
        "start",
        "primary_completion",
        "primary_completion_date_type",
        "start → primary completion",
        PALETTE[0],
        1.0,
    ),
    Segment(
        False,
        "primary_completion",
        "completion",
        "completion_date_type",
        "primary completion → completion",
        PALETTE[2],
        0.5,
    ),
    Segment(
        True,
        "start",
        "completion",
        "completion_date_type",
        "start → completion (no primary completion date)",
        PALETTE[0],
        0.75,
    ),
)


def trial_gantt(
    trials: pd.DataFrame,
    today: pd.Timestamp,
    caption: str = "",
    max_rows: int = MAX_ROWS,
    readouts: pd.DataFrame | None = None,
) -> go.Figure:
    """Return trials as bars from start to primary completion and on to completion; estimated
    dates are hatched, actual dates solid, with a line at today. With readouts (trial_id, readout_date,
    analysis), a diamond marks when each result was first reported; a readout known only to the year is
    drawn hollow at mid-year."""
    data = trials[trials["start"].notna()].copy()
    if data.empty:
        return empty_figure("No trials with dates for the current selection.")
    data, note = limit_rows(data.sort_values("start", ascending=False), max_rows, "trials, latest start first")
    data["_label"] = [text(f"{r['acronym']} ({r['phase']}, {r['line_of_therapy']})", 50) for _, r in data.iterrows()]
    fig = go.Figure()
    for segment in SEGMENTS:
        rows = data[data["primary_completion"].isna()] if segment.no_primary_only else data
        for kind in DATE_KINDS:
            sub = rows[rows[segment.start].notna() & rows[segment.end].notna() & (rows[segment.end_type] == kind)]
            if not sub.empty:
                fig.add_trace(_segment_trace(sub, segment, kind))
    open_ended = data[data["primary_completion"].isna() & data["completion"].isna()]
    if not open_ended.empty:
        fig.add_trace(_start_only_trace(open_ended))
    if readouts is not None and not readouts.empty:
        _add_readout_markers(fig, data, readouts)
    _mark_today(fig, today)
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(type="date", title_text="Date", showgrid=True, gridcolor=GRID)
    fig.update_yaxes(categoryorder="array", categoryarray=list(data["_label"]), automargin=True)
    return base_layout(fig, f"Trials from start to completion{note}", 180 + ROW_PX * len(data), caption)


def _segment_trace(sub: pd.DataFrame, segment: Segment, kind: str) -> go.Bar:
    fields = {
        "trial": lambda r: text(r["acronym"]),
        "start": lambda r: text(r[segment.start].date()),
        "end": lambda r: text(r[segment.end].date()),
        "kind": lambda r: kind,
        "status": lambda r: text(r["status"]),
        "nct": lambda r: text(r["nct_id"]),
    }
    template = (
        "<b>{trial}</b> · {status}<br>" + segment.label + ": {start} → {end} (end {kind})<br>{nct}<extra></extra>"
    )
    customdata, template = hover(template, fields, (r for _, r in sub.iterrows()))
    return go.Bar(
        base=[ms(t) for t in sub[segment.start]],
        x=[ms(e) - ms(s) for s, e in zip(sub[segment.start], sub[segment.end], strict=True)],
        y=sub["_label"],
        orientation="h",
        name=f"{segment.label} ({kind})",
        opacity=segment.opacity,
        marker={
            "color": segment.colour,
            "pattern": {
                "shape": "/" if kind == "estimated" else "",
                "fgcolor": "#ffffff",
                "fillmode": "overlay",
                "solidity": 0.35,
            },
        },
        customdata=customdata,
        hovertemplate=template,
    )


START_ONLY_FIELDS = {
    "trial": lambda r: text(r["acronym"]),
    "start": lambda r: text(r["start"].date()),
    "status": lambda r: text(r["status"]),
}


def _start_only_trace(open_ended: pd.DataFrame) -> go.Scatter:
    customdata, template = hover(
        "<b>{trial}</b> · {status}<br>start {start}; no completion date in the sources<extra></extra>",
        START_ONLY_FIELDS,
        (r for _, r in open_ended.iterrows()),
    )
    return go.Scatter(
        x=open_ended["start"],
        y=open_ended["_label"],
        mode="markers",
        name="start only (no completion date in sources)",
        marker={"symbol": "triangle-right", "size": 14, "color": PALETTE[0]},
        customdata=customdata,
        hovertemplate=template,
    )


def _mark_today(fig: go.Figure, today: pd.Timestamp) -> None:
    fig.add_shape(
        type="line",
        x0=ms(today),
        x1=ms(today),
        y0=0,
        y1=1,
        yref="paper",
        line={"color": ACCENT, "width": 3, "dash": "dot"},
    )
    fig.add_annotation(
        x=ms(today),
        y=1,
        yref="paper",
        text=f"today ({today.date()})",
        showarrow=False,
        yshift=12,
        font={"color": ACCENT},
    )


READOUT_FIELDS = {
    "trial": lambda r: text(r["trial_id"]),
    "date": lambda r: text(r["readout_date"]),
    "analysis": lambda r: text(r["analysis"]),
}


def _add_readout_markers(fig: go.Figure, data: pd.DataFrame, readouts: pd.DataFrame) -> None:
    labels = dict(zip(data["trial_id"], data["_label"], strict=True))
    marks = readouts[readouts["trial_id"].isin(labels) & readouts["readout_date"].notna()]
    marks = marks.drop_duplicates(["trial_id", "readout_date", "analysis"])
    if marks.empty:
        return
    year_only = pd.Series([dates.parse(d).precision == "year" for d in marks["readout_date"]], index=marks.index)
    for imprecise, sub in ((False, marks[~year_only]), (True, marks[year_only])):
        if sub.empty:
            continue
        customdata, template = hover(
            "{analysis}<br>first reported {date}<extra></extra>", READOUT_FIELDS, (r for _, r in sub.iterrows())
        )
        fig.add_trace(
            go.Scatter(
                x=[dates.marker_timestamp(d) for d in sub["readout_date"]],
                y=[labels[t] for t in sub["trial_id"]],
                mode="markers",
                name="result first reported" + (" (year only)" if imprecise else ""),
                marker={
                    "symbol": "diamond-open" if imprecise else "diamond",
                    "size": 12,
                    "color": ACCENT,
                    "line": {"width": 2, "color": ACCENT},
                },
                customdata=customdata,
                hovertemplate=template,
            )
        )


APPROVAL_FIELDS = {
    "agency": lambda r: text(r["agency"]),
    "date": lambda r: text(r["approval_date"]),
    "type": lambda r: text(r["approval_type"]),
    "line": lambda r: text(r["line_of_therapy"]),
    "biomarker": lambda r: text(r["biomarker"]),
    "indication": lambda r: text(r["indication"], 110),
    "tumour": lambda r: text(r["tumour_type"]),
    "source": lambda r: text(r["source_citation"], 90),
}
APPROVAL_HOVER = (
    "<b>%{y}</b> · {agency} {date}<br>"
    "{type} approval · {line} · {biomarker}<br>"
    "{indication}<br>"
    "Tumour type: {tumour}<br>"
    "Source: {source}<extra></extra>"
)


def approvals_timeline(approvals: pd.DataFrame, caption: str = "", max_rows: int = MAX_ROWS) -> go.Figure:
    """Return approvals over time: one row per agent or regimen, one marker symbol per agency;
    approvals in another tumour type are drawn hollow."""
    data = approvals[approvals["date"].notna()].copy()
    if data.empty:
        return empty_figure("No approvals for the current selection.")
    data, note = limit_rows(data.sort_values("date", ascending=False), max_rows, "decisions, newest first")
    data["_row"] = [text(n, 45) for n in data["agent_names"]]
    fig = go.Figure()
    for i, agency in enumerate(dict.fromkeys(data.sort_values("agency")["agency"])):
        fig.add_trace(_agency_trace(data[data["agency"] == agency], agency, PALETTE[i % len(PALETTE)]))
    fig.update_xaxes(type="date", title_text="Decision date", showgrid=True, gridcolor=GRID)
    fig.update_yaxes(automargin=True)
    fig.update_layout(legend_title_text="Agency (hollow: other tumour type)")
    return base_layout(
        fig, f"Regulatory approvals and label changes over time{note}", 220 + 40 * data["_row"].nunique(), caption
    )


def _agency_trace(sub: pd.DataFrame, agency: str, colour: str) -> go.Scatter:
    customdata, template = hover(APPROVAL_HOVER, APPROVAL_FIELDS, (r for _, r in sub.iterrows()))
    return go.Scatter(
        x=sub["date"],
        y=sub["_row"],
        mode="markers",
        name=agency,
        marker={
            "size": 16,
            "symbol": [AGENCY_SYMBOLS.get(agency, "circle") + ("-open" if o else "") for o in sub["other_tumour"]],
            "color": colour,
            "line": {"width": 2, "color": colour},
        },
        customdata=customdata,
        hovertemplate=template,
    )
