"""Figures over time: trials from start to completion (actual solid, estimated hatched, readouts marked; a
trial without a recorded start drawn from its first known date, cross-hatched) and regulatory decisions by
agency."""

from __future__ import annotations

from typing import Any, NamedTuple

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
from landscape.values import is_missing

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
    dates are hatched, actual dates solid, with a line at today. A trial whose start is not recorded is
    drawn from its first known date (first result, primary completion or completion), cross-hatched and
    grey, its hover naming that basis; a trial with no date at all is left out. With readouts (trial_id,
    readout_date, analysis), a diamond marks when each result was first reported; a readout known only to
    the year is drawn hollow at mid-year."""
    data = with_drawn_start(trials, readouts)
    data = data[data["_drawn_start"].notna()]
    if data.empty:
        return empty_figure("No trials with dates for the current selection.")
    data, note = limit_rows(
        data.sort_values("_drawn_start", ascending=False), max_rows, "trials, latest start or first known date first"
    )
    data["_label"] = [text(f"{r['acronym']} ({r['phase']}, {r['line_of_therapy']})", 50) for _, r in data.iterrows()]
    fig = go.Figure()
    started = data[data["start"].notna()]
    for segment in SEGMENTS:
        rows = started[started["primary_completion"].isna()] if segment.no_primary_only else started
        for kind in DATE_KINDS:
            sub = rows[rows[segment.start].notna() & rows[segment.end].notna() & (rows[segment.end_type] == kind)]
            if not sub.empty:
                fig.add_trace(_segment_trace(sub, segment, kind))
    open_ended = started[started["primary_completion"].isna() & started["completion"].isna()]
    if not open_ended.empty:
        fig.add_trace(_start_only_trace(open_ended))
    for trace in _no_start_traces(data[data["start"].isna()]):
        fig.add_trace(trace)
    if readouts is not None and not readouts.empty:
        _add_readout_markers(fig, data, readouts)
    _mark_today(fig, today)
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(type="date", title_text="Date", showgrid=True, gridcolor=GRID)
    fig.update_yaxes(categoryorder="array", categoryarray=list(data["_label"]), automargin=True)
    return base_layout(fig, f"Trials from start to completion{note}", 180 + ROW_PX * len(data), caption)


def _first_results(trials: pd.DataFrame, readouts: pd.DataFrame | None) -> dict[str, str]:
    """Return each trial's earliest dated result: its readouts of any analysis, and the model's primary
    results date (which can rest on a dated source without an outcome row)."""
    dated: dict[str, list[str]] = {}
    if readouts is not None:
        for trial_id, date in zip(readouts["trial_id"], readouts["readout_date"], strict=True):
            if dates.parse(date):
                dated.setdefault(trial_id, []).append(str(date))
    if "primary_results_date" in trials:
        for trial_id, date in zip(trials["trial_id"], trials["primary_results_date"], strict=True):
            if dates.parse(date):
                dated.setdefault(trial_id, []).append(str(date))
    return {trial_id: min(found, key=dates.sort_key) for trial_id, found in dated.items()}


def first_known_date(trial: Any, first_result: str | None) -> tuple[pd.Timestamp, str]:
    """Return where a trial (a row with the model's date columns, read by attribute) without a recorded
    start is drawn from and why: the earliest of its first result, primary completion and completion
    ("first result reported 2019", "primary completion 2014-08-25 (actual)"); (NaT, "") when it has none."""
    found: list[tuple[pd.Timestamp, int, str]] = []
    if first_result:
        found.append((dates.marker_timestamp(first_result), 0, f"first result reported {first_result}"))
    for order, column in enumerate(("primary_completion", "completion"), 1):
        when = getattr(trial, column)
        if pd.notna(when):
            found.append((when, order, _dated_words(trial, column)))
    if not found:
        return pd.NaT, ""
    when, _, basis = min(found, key=lambda item: (item[0], item[1]))
    return when, basis


def _dated_words(trial: Any, column: str) -> str:
    """Return "primary completion 2014-08-25 (actual)": the date as recorded, with its type when known."""
    kind = getattr(trial, f"{column}_date_type")
    kind_words = f" ({kind})" if isinstance(kind, str) and kind else ""
    return f"{column.replace('_', ' ')} {getattr(trial, f'{column}_date')}{kind_words}"


def with_drawn_start(trials: pd.DataFrame, readouts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return a copy of the trials with _drawn_start (the start, else the first known date) and
    _start_basis (blank when the start is recorded, else what the bar is drawn from)."""
    data = trials.copy()
    data["_drawn_start"] = data["start"]
    data["_start_basis"] = ""
    missing = data["start"].isna()
    if missing.any():
        results = _first_results(trials, readouts)
        found = [first_known_date(t, results.get(t.trial_id)) for t in data[missing].itertuples(index=False)]
        drawn = pd.Series([f[0] for f in found], index=data.index[missing], dtype="object")
        data.loc[missing, "_drawn_start"] = pd.to_datetime(drawn)
        data.loc[missing, "_start_basis"] = [f[1] for f in found]
    return data


def status_words(trial: pd.Series) -> str:
    """Return a trial's status for a hover: the registry status, unless the evidence says enrolment has closed
    since (then that inference with its basis, and the registry's older word beside it), so a trial with
    reported primary results never reads as recruiting."""
    inferred = trial.get("enrolment_inferred")
    if isinstance(inferred, str) and inferred:
        registry = "not recorded" if is_missing(trial["status"]) else trial["status"]
        return text(f"{inferred}; registry: {registry}", 110)
    return text(trial["status"])


NO_START_COLOUR = PALETTE[7]
NO_START_BAR = "start not recorded: drawn from the first known date"
NO_START_POINT = "start not recorded: one date known"


def _drawn_end(trial: Any, drawn_start: pd.Timestamp) -> tuple[pd.Timestamp, str]:
    """Return the last recorded date after a trial's drawn start (completion, else primary completion) and
    its words, or (NaT, "") when nothing is recorded after it."""
    for column in ("completion", "primary_completion"):
        when = getattr(trial, column)
        if pd.notna(when) and when > drawn_start:
            return when, _dated_words(trial, column)
    return pd.NaT, ""


def _no_start_traces(rows: pd.DataFrame) -> list[go.BaseTraceType]:
    """Return the traces of trials without a recorded start: a cross-hatched grey bar from the first known
    date to the last recorded one, or a hollow marker when only one date is known."""
    if rows.empty:
        return []
    ends = [_drawn_end(r, s) for r, s in zip(rows.itertuples(index=False), rows["_drawn_start"], strict=True)]
    rows = rows.assign(_end=[e[0] for e in ends], _end_words=[e[1] for e in ends])
    fields = {
        "trial": lambda r: text(r["acronym"]),
        "status": lambda r: status_words(r),
        "basis": lambda r: text(r["_start_basis"]),
        "end": lambda r: text(r["_end_words"]),
        "nct": lambda r: text(r["nct_id"]),
    }
    head = "<b>{trial}</b> · {status}<br>start date not recorded; drawn from {basis}"
    bar_template = head + "<br>to {end}<br>{nct}<extra></extra>"
    point_template = head + "<br>no later date in the sources<br>{nct}<extra></extra>"
    traces: list[go.BaseTraceType] = []
    bars = rows[rows["_end"].notna()]
    if not bars.empty:
        customdata, hovertemplate = hover(bar_template, fields, (r for _, r in bars.iterrows()))
        traces.append(
            go.Bar(
                base=[ms(t) for t in bars["_drawn_start"]],
                x=[ms(e) - ms(s) for s, e in zip(bars["_drawn_start"], bars["_end"], strict=True)],
                y=bars["_label"],
                orientation="h",
                name=NO_START_BAR,
                opacity=0.75,
                marker={
                    "color": NO_START_COLOUR,
                    "pattern": {"shape": "x", "fgcolor": "#ffffff", "fillmode": "overlay", "solidity": 0.45},
                },
                customdata=customdata,
                hovertemplate=hovertemplate,
            )
        )
    points = rows[rows["_end"].isna()]
    if not points.empty:
        customdata, hovertemplate = hover(point_template, fields, (r for _, r in points.iterrows()))
        traces.append(
            go.Scatter(
                x=list(points["_drawn_start"]),
                y=points["_label"],
                mode="markers",
                name=NO_START_POINT,
                marker={"symbol": "square-open", "size": 13, "color": NO_START_COLOUR, "line": {"width": 2}},
                customdata=customdata,
                hovertemplate=hovertemplate,
            )
        )
    return traces


def _segment_trace(sub: pd.DataFrame, segment: Segment, kind: str) -> go.Bar:
    fields = {
        "trial": lambda r: text(r["acronym"]),
        "start": lambda r: text(r[segment.start].date()),
        "end": lambda r: text(r[segment.end].date()),
        "kind": lambda r: kind,
        "status": lambda r: status_words(r),
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
    "status": lambda r: status_words(r),
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
