"""Figure builders: each returns a Plotly figure and never calls Streamlit. Hover text goes through
hovertemplate + customdata, with data strings escaped so they are shown, never interpreted."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from landscape.filters import LINE_ORDER

# Okabe-Ito: distinguishable with the common colour-vision deficiencies, legible on light and dark.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
ROLE_COLOURS = {"experimental": "#0072B2", "control": "#E69F00"}
LINE_COLOURS = {"1L": "#0072B2", "2L": "#009E73", "2L+": "#56B4E9", "3L+": "#CC79A7", "perioperative": "#E69F00"}
AGENCY_SYMBOLS = {"FDA": "circle", "EMA": "square", "PMDA": "diamond", "NMPA": "triangle-up", "MHRA": "cross", "Health Canada": "x", "TGA": "star", "MFDS": "hexagon"}
FONT_SIZE = 16
ROW_PX = 34
TWO_LINE_ROW_PX = 46
# More rows than this neither read on a projector nor render fast; the title then says how to see the rest.
MAX_ROWS = 60


def _text(value: object, width: int | None = None) -> str:
    """Return a data value as safe hover/label text."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        text = "—"
    else:
        text = str(value)
    if width and len(text) > width:
        text = text[: width - 1] + "…"
    return html.escape(text, quote=False)


def _num(value: object, fmt: str = "{:.1f}") -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return fmt.format(float(value))


def base_layout(fig: go.Figure, title: str, height: int, caption: str = "") -> go.Figure:
    """Apply the shared projector-friendly layout."""
    fig.update_layout(
        title={"text": _text(title), "x": 0, "xanchor": "left", "font": {"size": FONT_SIZE + 4}},
        font={"size": FONT_SIZE},
        height=height,
        margin={"l": 10, "r": 30, "t": 110, "b": 130 if caption else 80},
        hoverlabel={"font": {"size": FONT_SIZE - 1}, "align": "left"},
        legend={"orientation": "h", "yref": "container", "y": 0.995, "yanchor": "top", "xanchor": "right", "x": 1},
        colorway=list(PALETTE),
    )
    if caption:
        # Pinned to the bottom edge of the figure, below the axis title, whatever the height.
        fig.add_annotation(text=_text(caption), xref="paper", yref="paper", x=0, y=0, yshift=-95, showarrow=False, xanchor="left", yanchor="top", font={"size": FONT_SIZE - 3})
    return fig


def empty_figure(message: str) -> go.Figure:
    """Return a blank figure that says why it is blank."""
    fig = go.Figure()
    fig.add_annotation(text=_text(message), x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": FONT_SIZE})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return base_layout(fig, "", 200)


def limit_rows(data: pd.DataFrame, max_rows: int, what: str = "rows") -> tuple[pd.DataFrame, str]:
    """Return the first max_rows of an already ordered frame and the title note that says so."""
    if len(data) <= max_rows:
        return data, ""
    return data.head(max_rows), f" (first {max_rows} of {len(data)} {what}; narrow the filters to see the rest)"


def _count(value: object) -> str:
    """Return a patient count for display, or 'not reported'."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "not reported"
    return str(int(value))


def outcome_label(row: pd.Series, width: int = 44) -> str:
    """Return the two-line y-axis label of an outcome row: trial, arm and n; then population and analysis."""
    first = f"<b>{_text(row['acronym'], 26)}</b> · {_text(row['regimen'], width)} (n={_count(row['n'])})"
    confirmed = {True: " · confirmed", False: " · unconfirmed"}.get(row.get("orr_confirmed") if row.get("orr_confirmed") is not pd.NA else None, "")
    second = f"{_text(row['population'], 34)} · {_text(row['analysis'], 30)}{confirmed}"
    return f"{first}<br>{second}"


def unique_labels(labels: list[str]) -> list[str]:
    """Return the labels with a counter added to repeats, so no two rows share a category."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _outcome_customdata(frame: pd.DataFrame) -> list[list[str]]:
    rows = []
    for _, r in frame.iterrows():
        derived = " (derived from % and n)" if bool(r.get("responders_derived")) is True else ""
        confirmed = {True: "confirmed", False: "unconfirmed"}.get(r.get("orr_confirmed") if r.get("orr_confirmed") is not pd.NA else None, "confirmation not stated")
        rows.append(
            [
                _text(r["acronym"]),
                _text(r["regimen"]),
                _text(r["population"]),
                _text(r["analysis"]),
                _count(r["n"]),
                _text(r.get("responders_used")) + derived,
                _num(r.get("orr_ci_low_pct")),
                _num(r.get("orr_ci_high_pct")),
                _text(r["assessment"]),
                confirmed,
                _text(r["line_of_therapy"]),
                _text(r["source_citation"], 90),
                _text(r["arm_role"]),
            ]
        )
    return rows


ORR_HOVER = (
    "<b>%{customdata[0]}</b> · %{customdata[12]} arm<br>%{customdata[1]}<br>"
    "ORR %{x:.1f}% (95% CI %{customdata[6]}–%{customdata[7]}), %{customdata[9]}, %{customdata[8]}<br>"
    "Responders %{customdata[5]} of n = %{customdata[4]}<br>"
    "Line %{customdata[10]} · population %{customdata[2]} · %{customdata[3]}<br>"
    "Source: %{customdata[11]}<extra></extra>"
)


def _line_groups(frame: pd.DataFrame) -> list[str]:
    present = list(dict.fromkeys(frame["line_of_therapy"]))
    order = [*LINE_ORDER[:1], "2L", "2L+", "3L+", "perioperative"]
    return [g for g in order if g in present] + [g for g in present if g not in order]


def orr_forest(outcomes: pd.DataFrame, title: str = "Objective response rate with exact 95% CI", caption: str = "", max_rows: int = MAX_ROWS) -> go.Figure:
    """Return a forest of ORRs (points) with Clopper-Pearson 95% CIs, one panel per line of therapy,
    experimental and control arms coloured apart."""
    data = outcomes[outcomes["orr_pct"].notna()].copy()
    if data.empty:
        return empty_figure("No response rates for the current selection.")
    rank = {g: i for i, g in enumerate(_line_groups(data))}
    data = data.assign(_rank=data["line_of_therapy"].map(rank)).sort_values(["_rank", "acronym", "analysis", "population", "arm_role"], ascending=[True, True, True, True, False])
    data, note = limit_rows(data, max_rows)
    title += note
    groups = _line_groups(data)
    counts = [int((data["line_of_therapy"] == g).sum()) for g in groups]
    fig = make_subplots(
        rows=len(groups), cols=1, shared_xaxes=True, row_heights=[c / sum(counts) for c in counts], vertical_spacing=0.35 / max(sum(counts), 1) + 0.02, subplot_titles=[f"Line: {g}" for g in groups]
    )
    for row_i, group in enumerate(groups, start=1):
        # Top to bottom: trial, then analysis and population, experimental arm above its control.
        part = data[data["line_of_therapy"] == group].sort_values(["acronym", "analysis", "population", "arm_role"], ascending=[True, True, True, False])
        part = part.assign(_label=unique_labels([outcome_label(r) for _, r in part.iterrows()]))
        for role in ("experimental", "control"):
            sub = part[part["arm_role"] == role]
            if sub.empty:
                continue
            fig.add_trace(
                go.Scatter(
                    x=sub["orr_pct"].astype(float),
                    y=sub["_label"],
                    mode="markers",
                    name=f"{role} arm",
                    legendgroup=role,
                    showlegend=row_i == 1 or role not in {t.legendgroup for t in fig.data},
                    marker={"color": ROLE_COLOURS[role], "size": 13, "symbol": "circle" if role == "experimental" else "square"},
                    error_x={
                        "type": "data",
                        "symmetric": False,
                        "array": (sub["orr_ci_high_pct"].astype(float) - sub["orr_pct"].astype(float)).tolist(),
                        "arrayminus": (sub["orr_pct"].astype(float) - sub["orr_ci_low_pct"].astype(float)).tolist(),
                        "thickness": 2.5,
                        "width": 6,
                    },
                    customdata=_outcome_customdata(sub),
                    hovertemplate=ORR_HOVER,
                ),
                row=row_i,
                col=1,
            )
        fig.update_yaxes(categoryorder="array", categoryarray=list(part["_label"])[::-1], automargin=True, tickfont={"size": FONT_SIZE - 2}, row=row_i, col=1)
    fig.update_xaxes(range=[0, 100], title_text="Objective response rate, % (95% CI)", row=len(groups), col=1)
    fig.update_xaxes(showgrid=True, gridcolor="rgba(128,128,128,0.3)", dtick=10)
    return base_layout(fig, title, 260 + TWO_LINE_ROW_PX * len(data) + 50 * len(groups), caption)


def _hr_customdata(frame: pd.DataFrame, endpoint: str) -> list[list[str]]:
    return [
        [
            _text(r["acronym"]),
            _text(r["regimen"]),
            _text(r["population"]),
            _text(r["analysis"]),
            _count(r["n"]),
            _num(r[f"{endpoint}_hr_ci_low"], "{:.2f}"),
            _num(r[f"{endpoint}_hr_ci_high"], "{:.2f}"),
            _text(r["line_of_therapy"]),
            _text(r["source_citation"], 90),
            _text(r.get("regimen_control")),
            _text(r["assessment"]),
        ]
        for _, r in frame.iterrows()
    ]


HR_HOVER = (
    "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>vs %{customdata[9]}<br>"
    "HR %{x:.2f} (95% CI %{customdata[5]}–%{customdata[6]})<br>"
    "Line %{customdata[7]} · population %{customdata[2]} · %{customdata[3]} · %{customdata[10]}<br>"
    "n (experimental arm) = %{customdata[4]}<br>Source: %{customdata[8]}<extra></extra>"
)


def hr_forest(outcomes: pd.DataFrame, endpoint: str = "os", caption: str = "", max_rows: int = MAX_ROWS) -> go.Figure:
    """Return a forest of hazard ratios (experimental vs control) with 95% CIs on a log axis."""
    if endpoint not in {"os", "pfs"}:
        raise ValueError("endpoint must be 'os' or 'pfs'")
    data = outcomes[outcomes[f"{endpoint}_hr"].notna()].copy()
    name = "Overall survival" if endpoint == "os" else "Progression-free survival"
    if data.empty:
        return empty_figure(f"No {name.lower()} hazard ratios for the current selection.")
    rank = {g: i for i, g in enumerate(_line_groups(data))}
    data = data.assign(_rank=data["line_of_therapy"].map(rank)).sort_values(["_rank", "acronym", "analysis", "population"])
    data, note = limit_rows(data, max_rows)
    labels = [f"<b>{_text(r['acronym'], 26)}</b> · {_text(r['regimen'], 40)} (n={_count(r['n'])})<br>{_text(r['population'], 34)} · {_text(r['analysis'], 30)}" for _, r in data.iterrows()]
    data["_label"] = unique_labels(labels)
    fig = go.Figure()
    for line in _line_groups(data):
        sub = data[data["line_of_therapy"] == line]
        hr = sub[f"{endpoint}_hr"].astype(float)
        fig.add_trace(
            go.Scatter(
                x=hr,
                y=sub["_label"],
                mode="markers",
                name=f"{line}",
                marker={"size": 13, "symbol": "diamond", "color": LINE_COLOURS.get(line, PALETTE[-1])},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": (sub[f"{endpoint}_hr_ci_high"].astype(float) - hr).tolist(),
                    "arrayminus": (hr - sub[f"{endpoint}_hr_ci_low"].astype(float)).tolist(),
                    "thickness": 2.5,
                    "width": 6,
                },
                customdata=_hr_customdata(sub, endpoint),
                hovertemplate=HR_HOVER,
            )
        )
    fig.add_vline(x=1, line_dash="dash", line_color="#999999")
    fig.update_xaxes(
        type="log", title_text=f"{name} HR (95% CI), log scale · < 1 favours the experimental arm", tickvals=[0.1, 0.25, 0.5, 0.75, 1, 1.5, 2], showgrid=True, gridcolor="rgba(128,128,128,0.3)"
    )
    fig.update_yaxes(categoryorder="array", categoryarray=list(data["_label"])[::-1], automargin=True, tickfont={"size": FONT_SIZE - 2})
    fig.update_layout(legend_title_text="Line")
    return base_layout(fig, f"{name}: hazard ratios, experimental vs control{note}", 240 + TWO_LINE_ROW_PX * len(data), caption)


def median_comparison(outcomes: pd.DataFrame, endpoint: str = "os", caption: str = "", max_rows: int = MAX_ROWS) -> go.Figure:
    """Return one bar per arm of median PFS or OS, arms of one comparison adjacent; a median not
    reached is a hatched bar to the axis end labelled 'not reached', never a number."""
    value, status = f"median_{endpoint}_months", f"median_{endpoint}_status"
    data = outcomes[outcomes[status].isin(["reached", "not reached"])].copy()
    name = "overall survival" if endpoint == "os" else "progression-free survival"
    if data.empty:
        return empty_figure(f"No median {name} for the current selection.")
    rank = {g: i for i, g in enumerate(_line_groups(data))}
    data = data.assign(_rank=data["line_of_therapy"].map(rank)).sort_values(["_rank", "acronym", "analysis", "population", "arm_role"], ascending=[True, True, True, True, False])
    data, note = limit_rows(data, max_rows)
    labels = [
        f"<b>{_text(r['acronym'], 26)}</b> · {_text(r['line_of_therapy'])} · {_text(r['population'], 28)} · {_text(r['analysis'], 26)}<br>{_text(r['regimen'], 50)} (n={_count(r['n'])})"
        for _, r in data.iterrows()
    ]
    data["_label"] = unique_labels(labels)
    reached = data.loc[data[status] == "reached", value].astype(float)
    cap = float(reached.max()) * 1.1 if len(reached) else 12.0
    fig = go.Figure()
    for role in ("experimental", "control"):
        for state in ("reached", "not reached"):
            sub = data[(data["arm_role"] == role) & (data[status] == state)]
            if sub.empty:
                continue
            x = sub[value].astype(float).tolist() if state == "reached" else [cap] * len(sub)
            text = [f"{v:.1f}" for v in x] if state == "reached" else ["not reached"] * len(sub)
            custom = [[_text(r["regimen"]), _count(r["n"]), _text(r["source_citation"], 90), t, _text(r["line_of_therapy"]), _text(r["assessment"])] for t, (_, r) in zip(text, sub.iterrows())]
            fig.add_trace(
                go.Bar(
                    x=x,
                    y=sub["_label"],
                    orientation="h",
                    name=f"{role} arm" + (" (median not reached)" if state == "not reached" else ""),
                    legendgroup=role,
                    marker={"color": ROLE_COLOURS[role], "pattern": {"shape": "" if state == "reached" else "/", "fgcolor": "#ffffff", "fillmode": "overlay", "solidity": 0.25}},
                    textfont={"color": "#ffffff" if state == "not reached" else None, "size": FONT_SIZE - 1},
                    text=text,
                    textposition="outside" if state == "reached" else "inside",
                    insidetextanchor="middle",
                    cliponaxis=False,
                    customdata=custom,
                    hovertemplate="%{customdata[0]}<br>Median %{customdata[3]} (months) · n = %{customdata[1]}<br>Line %{customdata[4]} · %{customdata[5]}<br>Source: %{customdata[2]}<extra></extra>",
                )
            )
    fig.update_layout(barmode="overlay", bargap=0.3)
    fig.update_yaxes(categoryorder="array", categoryarray=list(data["_label"])[::-1], automargin=True, tickfont={"size": FONT_SIZE - 2})
    fig.update_xaxes(title_text=f"Median {name}, months", showgrid=True, gridcolor="rgba(128,128,128,0.3)", range=[0, cap * 1.08])
    return base_layout(fig, f"Median {name} by arm{note}", 240 + TWO_LINE_ROW_PX * len(data), caption)


def _ms(ts: pd.Timestamp) -> float:
    return ts.value / 1e6


def trial_gantt(trials: pd.DataFrame, today: pd.Timestamp, caption: str = "", max_rows: int = MAX_ROWS) -> go.Figure:
    """Return trials as bars from start to primary completion and on to completion; estimated
    dates are hatched, actual dates solid, with a line at today."""
    data = trials[trials["start"].notna()].copy()
    if data.empty:
        return empty_figure("No trials with dates for the current selection.")
    data, note = limit_rows(data.sort_values("start", ascending=False), max_rows, "trials, latest start first")
    data["_label"] = [_text(f"{r['acronym']} ({r['phase']}, {r['line_of_therapy']})", 50) for _, r in data.iterrows()]
    fig = go.Figure()
    no_primary = data["primary_completion"].isna()
    segments = (
        # (rows, start column, end column, column saying actual/estimated, legend label, colour, opacity)
        (data, "start", "primary_completion", "primary_completion_date_type", "start → primary completion", PALETTE[0], 1.0),
        (data, "primary_completion", "completion", "completion_date_type", "primary completion → completion", PALETTE[2], 0.5),
        (data[no_primary], "start", "completion", "completion_date_type", "start → completion (no primary completion date)", PALETTE[0], 0.75),
    )
    for rows, start_col, end_col, type_col, label, colour, opacity in segments:
        for kind in ("actual", "estimated"):
            sub = rows[rows[start_col].notna() & rows[end_col].notna() & (rows[type_col] == kind)]
            if sub.empty:
                continue
            custom = [[_text(r["acronym"]), _text(r[start_col].date()), _text(r[end_col].date()), kind, _text(r["status"]), _text(r["nct_id"])] for _, r in sub.iterrows()]
            fig.add_trace(
                go.Bar(
                    base=[_ms(t) for t in sub[start_col]],
                    x=[_ms(e) - _ms(s) for s, e in zip(sub[start_col], sub[end_col])],
                    y=sub["_label"],
                    orientation="h",
                    name=f"{label} ({kind})",
                    opacity=opacity,
                    marker={"color": colour, "pattern": {"shape": "/" if kind == "estimated" else "", "fgcolor": "#ffffff", "fillmode": "overlay", "solidity": 0.35}},
                    customdata=custom,
                    hovertemplate="<b>%{customdata[0]}</b> · %{customdata[4]}<br>" + label + ": %{customdata[1]} → %{customdata[2]} (end %{customdata[3]})<br>%{customdata[5]}<extra></extra>",
                )
            )
    open_ended = data[data["primary_completion"].isna() & data["completion"].isna()]
    if not open_ended.empty:
        fig.add_trace(
            go.Scatter(
                x=open_ended["start"],
                y=open_ended["_label"],
                mode="markers",
                name="start only (no completion date in sources)",
                marker={"symbol": "triangle-right", "size": 14, "color": PALETTE[0]},
                customdata=[[_text(r["acronym"]), _text(r["start"].date()), _text(r["status"])] for _, r in open_ended.iterrows()],
                hovertemplate="<b>%{customdata[0]}</b> · %{customdata[2]}<br>start %{customdata[1]}; no completion date in the sources<extra></extra>",
            )
        )
    fig.add_shape(type="line", x0=_ms(today), x1=_ms(today), y0=0, y1=1, yref="paper", line={"color": "#D55E00", "width": 3, "dash": "dot"})
    fig.add_annotation(x=_ms(today), y=1, yref="paper", text=f"today ({today.date()})", showarrow=False, yshift=12, font={"color": "#D55E00"})
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(type="date", title_text="Date", showgrid=True, gridcolor="rgba(128,128,128,0.3)")
    fig.update_yaxes(categoryorder="array", categoryarray=list(data["_label"]), automargin=True)
    return base_layout(fig, f"Trials from start to completion{note}", 180 + ROW_PX * len(data), caption)


def approvals_timeline(approvals: pd.DataFrame, caption: str = "", max_rows: int = MAX_ROWS) -> go.Figure:
    """Return approvals over time: one row per agent or regimen, one marker symbol per agency;
    approvals in another tumour type are drawn hollow."""
    data = approvals[approvals["date"].notna()].copy()
    if data.empty:
        return empty_figure("No approvals for the current selection.")
    data, note = limit_rows(data.sort_values("date", ascending=False), max_rows, "decisions, newest first")
    data["_row"] = [_text(n, 45) for n in data["agent_names"]]
    fig = go.Figure()
    for i, agency in enumerate(dict.fromkeys(data.sort_values("agency")["agency"])):
        sub = data[data["agency"] == agency]
        custom = [
            [
                _text(r["agency"]),
                _text(r["approval_date"]),
                _text(r["approval_type"]),
                _text(r["line_of_therapy"]),
                _text(r["biomarker"]),
                _text(r["indication"], 110),
                _text(r["tumour_type"]),
                _text(r["source_citation"], 90),
            ]
            for _, r in sub.iterrows()
        ]
        fig.add_trace(
            go.Scatter(
                x=sub["date"],
                y=sub["_row"],
                mode="markers",
                name=agency,
                marker={
                    "size": 16,
                    "symbol": [AGENCY_SYMBOLS.get(agency, "circle") + ("-open" if o else "") for o in sub["other_tumour"]],
                    "color": PALETTE[i % len(PALETTE)],
                    "line": {"width": 2, "color": PALETTE[i % len(PALETTE)]},
                },
                customdata=custom,
                hovertemplate="<b>%{y}</b> · %{customdata[0]} %{customdata[1]}<br>%{customdata[2]} approval · %{customdata[3]} · %{customdata[4]}<br>%{customdata[5]}<br>Tumour type: %{customdata[6]}<br>Source: %{customdata[7]}<extra></extra>",
            )
        )
    fig.update_xaxes(type="date", title_text="Decision date", showgrid=True, gridcolor="rgba(128,128,128,0.3)")
    fig.update_yaxes(automargin=True)
    fig.update_layout(legend_title_text="Agency (hollow: other tumour type)")
    return base_layout(fig, f"Regulatory approvals and label changes over time{note}", 220 + 40 * data["_row"].nunique(), caption)


BOARD_ROW_PX = 70
BOARD_MAX_HEIGHT = 860  # fits a 1080-pixel projector screen with the page's title and caption


def board_evidence(rows: list[dict], title: str, caption: str = "", height: int | None = None) -> go.Figure:
    """Return the key evidence of the options that fit one line, sized for a projector: per arm, the
    ORR with its exact 95% CI, median PFS and median OS side by side (hatched 'not reached'),
    experimental and control arms coloured apart. Rows are the board's evidence rows."""
    data = pd.DataFrame(rows)
    if data.empty:
        return empty_figure("No reported result for the options that fit this profile.")
    labels = unique_labels(
        [f"<b>{_text(r['acronym'], 22)}</b> · {_text(r['arm_role'])} (n={_count(r['n'])})<br>{_text(r['population'], 30)} · {_text(r['analysis'], 26)}" for r in data.to_dict("records")]
    )
    data = data.assign(_label=labels)
    fig = make_subplots(rows=1, cols=3, shared_yaxes=True, horizontal_spacing=0.06, subplot_titles=["ORR, % (95% CI)", "Median PFS, months", "Median OS, months"])
    for role in ("experimental", "control"):
        sub = data[data["arm_role"] == role]
        if sub.empty:
            continue
        orr = sub[sub["orr_pct"].notna()]
        if not orr.empty:
            fig.add_trace(
                go.Scatter(
                    x=orr["orr_pct"].astype(float),
                    y=orr["_label"],
                    mode="markers+text",
                    text=[f"{v:g}%" for v in orr["orr_pct"].astype(float)],
                    textposition="top center",
                    name=f"{role} arm",
                    legendgroup=role,
                    marker={"color": ROLE_COLOURS[role], "size": 14, "symbol": "circle" if role == "experimental" else "square"},
                    error_x={
                        "type": "data",
                        "symmetric": False,
                        "array": (orr["orr_ci_high_pct"].astype(float) - orr["orr_pct"].astype(float)).fillna(0).tolist(),
                        "arrayminus": (orr["orr_pct"].astype(float) - orr["orr_ci_low_pct"].astype(float)).fillna(0).tolist(),
                        "thickness": 2.5,
                    },
                    customdata=[[_text(r["regimen"], 80), _text(r["source_id"])] for r in orr.to_dict("records")],
                    hovertemplate="%{customdata[0]}<br>ORR %{x:.1f}%<br>Source: %{customdata[1]}<extra></extra>",
                ),
                row=1,
                col=1,
            )
        for col, key in ((2, "median_pfs"), (3, "median_os")):
            shown = sub[sub[key].isin(["not reported"]) == False]  # noqa: E712
            shown = shown[shown[key].notna()]
            if shown.empty:
                continue
            reached = shown[key] != "not reached"
            values = [float(v) if ok else 0.0 for v, ok in zip(shown[key], reached)]
            fig.add_trace(
                go.Bar(
                    x=values,
                    y=shown["_label"],
                    orientation="h",
                    name=f"{role} arm",
                    legendgroup=role,
                    showlegend=False,
                    marker={"color": ROLE_COLOURS[role]},
                    text=[f"{v:.1f}" if ok else "not reached" for v, ok in zip(values, reached)],
                    textposition="outside",
                    cliponaxis=False,
                    customdata=[[_text(r["regimen"], 80), _text(r["source_id"])] for r in shown.to_dict("records")],
                    hovertemplate="%{customdata[0]}<br>%{x:.1f} months<br>Source: %{customdata[1]}<extra></extra>",
                ),
                row=1,
                col=col,
            )
    order = list(data["_label"])[::-1]
    fig.update_yaxes(categoryorder="array", categoryarray=order, automargin=True, tickfont={"size": FONT_SIZE})
    fig.update_xaxes(range=[0, 100], dtick=20, showgrid=True, gridcolor="rgba(128,128,128,0.3)", row=1, col=1)
    longest = max([float(v) for key in ("median_pfs", "median_os") for v in data[key].dropna() if v not in {"not reached", "not reported"}] or [12.0])
    for col in (2, 3):
        fig.update_xaxes(range=[0, longest * 1.25], showgrid=True, gridcolor="rgba(128,128,128,0.3)", row=1, col=col)
    fig.update_layout(barmode="group", bargap=0.35, uniformtext={"minsize": FONT_SIZE - 2, "mode": "show"})
    fig.update_annotations(font={"size": FONT_SIZE})
    size = height or min(BOARD_MAX_HEIGHT, 220 + BOARD_ROW_PX * len(data))
    return base_layout(fig, title, size, caption)


def for_projector(fig: go.Figure, dark: bool, size: int = 20) -> go.Figure:
    """Return a copy of the figure with projector-sized text (ticks, titles, annotations, legend) and a
    template for the light or dark page. Shown without Streamlit's chart theme, which resets font sizes."""
    out = go.Figure(fig)
    out.update_layout(
        template="plotly_dark" if dark else "plotly_white",
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        font={"size": size},
        title_font={"size": size + 4},
        legend_font={"size": size},
    )
    out.update_xaxes(tickfont={"size": size - 2}, title_font={"size": size})
    out.update_yaxes(tickfont={"size": size})
    out.update_annotations(font={"size": size})
    out.update_traces(textfont={"size": size - 2})
    return out
